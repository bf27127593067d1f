#include "cli/store_options.h"

#include <iostream>

namespace gs::cli {

std::filesystem::path storePath(const Args& args) {
    return args.has("db") ? std::filesystem::path(args.value("db")) : defaultStorePath();
}

int openStore(const std::filesystem::path& path, bool readOnly, std::unique_ptr<ResultStore>& out) {
    if (readOnly) {
        // A reader never creates the file: saying so beats SQLite's "unable to open".
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            std::cerr << "error: no results store at " << path.string()
                      << " (grammascope-cli run creates one; --db FILE names another)\n";
            return 1;
        }
    }
    ResultStoreOptions options;
    options.readOnly = readOnly;
    StoreProblem problem = StoreProblem::None;
    const Status st = ResultStore::open(path, options, out, &problem);
    if (st.isOk()) return 0;
    std::cerr << "error: " << st.message() << "\n";
    if (problem == StoreProblem::Corrupt || problem == StoreProblem::NewerSchema) {
        std::cerr << "hint: 'grammascope-cli cache move-aside --db " << path.string()
                  << "' renames it (nothing is deleted) so that a fresh store can be created\n";
    }
    return 1;
}

} // namespace gs::cli
