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
    "  encode      tokens and per-layer summaries of one sentence (--json, --full)\n"
    "  info        describe a model checkpoint folder\n"
    "  make-pairs  generate Russian minimal pairs from a lexicon (CSV)\n"
    "  pairs       dataset tools: 'pairs stats FILE' validates and describes a dataset,\n"
    "              'pairs generate-polypersonal' makes pairs from CoNLL-U\n"
    "  score       minimal-pair accuracy from pseudo-log-likelihoods (PLL, PLL-word-l2r)\n"
    "  run         analyses over a dataset into the results store (resumable, cached)\n"
    "  cache       the results store: stats, runs, export, vacuum, clear, move-aside\n"
    "  probe       per-layer probes for a task of a dataset (accuracy, control, MI, MDL, SMI)\n"
    "  sae         sparse autoencoders on a model's layers: train, eval, features, export, import, list, delete\n"
    "  localize    localized layers: train one layer on pairs, diff checkpoints, activity/ablation, report\n"
    "  unigram     count a model's tokens on a corpus (frequency baseline for score)\n"
    "  train-mlm   train a BERT masked language model from scratch (resumable)\n"
    "  eval-mlm    held-out masked-LM loss and accuracy of a checkpoint\n"
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
    if (command == "make-pairs") return gs::cli::runMakePairs(argc, argv);
    if (command == "score") return gs::cli::runScore(argc, argv);
    if (command == "run") return gs::cli::runRun(argc, argv);
    if (command == "cache") return gs::cli::runCache(argc, argv);
    if (command == "probe") return gs::cli::runProbe(argc, argv);
    if (command == "sae") return gs::cli::runSae(argc, argv);
    if (command == "localize") return gs::cli::runLocalize(argc, argv);
    if (command == "pairs") return gs::cli::runPairs(argc, argv);
    if (command == "unigram") return gs::cli::runUnigram(argc, argv);
    if (command == "train-mlm") return gs::cli::runTrainMlm(argc, argv);
    if (command == "eval-mlm") return gs::cli::runEvalMlm(argc, argv);
    std::fprintf(stderr, "error: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
}
