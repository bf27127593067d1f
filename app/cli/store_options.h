#pragma once
// The results store as the sub-commands that use it (run, cache) open it:
// --db FILE (default defaultStorePath()), and a corrupt or newer file
// explained with the way out ('grammascope-cli cache move-aside').

#include "cli/cli_args.h"
#include "grammascope/result_store.h"

#include <filesystem>
#include <memory>
#include <string>

namespace gs::cli {

inline const char* kStoreOptionsHelp =
    "  --db FILE            the results store (default: $XDG_CACHE_HOME/grammascope/results.sqlite,\n"
    "                       the file the GUI reads)\n";

std::filesystem::path storePath(const Args& args);

// Opens the store, printing a failure (with the move-aside hint when the file
// is corrupt or newer) to stderr. Returns an exit code: 0 or 1.
int openStore(const std::filesystem::path& path, bool readOnly, std::unique_ptr<ResultStore>& out);

} // namespace gs::cli
