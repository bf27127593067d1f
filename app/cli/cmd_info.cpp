// grammascope-cli info: what a checkpoint folder holds, as the loader sees it.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"

#include <cstdio>
#include <iostream>

namespace gs::cli {

int runInfo(int argc, char** argv) {
    Args args(argc, argv, 2, kModelValuedOptions, {"json", "help"});
    if (args.has("help")) {
        std::printf("usage: grammascope-cli info --model DIR [--json]\n\nLoads a checkpoint and describes it.\n\n%s",
                    kModelOptionsHelp);
        return 0;
    }
    if (!args.ok()) {
        std::cerr << "error: " << args.error() << "\n";
        return 2;
    }
    std::shared_ptr<const Model> model;
    if (int rc = openModel(args, model)) return rc;
    const auto j = modelInfoJson(model->info());
    if (args.has("json")) {
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    for (const auto& [key, value] : j.items()) {
        if (key == "warnings") continue;
        std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    }
    return 0;
}

} // namespace gs::cli
