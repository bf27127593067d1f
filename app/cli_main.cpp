// grammascope-cli: the headless front end on the same core as the GUI.

#include "cli/commands.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

const char* kUsage =
    "usage: grammascope-cli <command> [options]\n"
    "\n"
    "commands:\n"
    "  encode    tokens and per-layer summaries of one sentence (--json, --full)\n"
    "  info      describe a model checkpoint folder\n"
    "\n"
    "Run 'grammascope-cli <command> --help' for the options of a command.\n";

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("grammascope-cli %s\n", GRAMMASCOPE_VERSION);
        return 0;
    }
    const std::string command = argv[1];
    if (command == "encode") return gs::cli::runEncode(argc, argv);
    if (command == "info") return gs::cli::runInfo(argc, argv);
    std::fprintf(stderr, "error: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
}
