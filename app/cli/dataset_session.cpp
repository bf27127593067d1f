#include "cli/dataset_session.h"

#include "cli/dataset_options.h"
#include "cli/interrupt.h"
#include "cli/model_options.h"
#include "cli/store_options.h"

#include <iostream>

namespace gs::cli {

int openDatasetSession(Args& args, const DatasetReadOptions& readOptions, DatasetSession& out) {
    if (int rc = loadDataset(args.value("pairs"), readOptions, args.has("skip-invalid"), out.dataset)) return rc;
    if (int rc = openStore(storePath(args), false, out.store)) return rc;
    if (int rc = openModel(args, out.model)) return rc;
    installInterruptHandler();
    out.engine = std::make_unique<AnalysisEngine>(*out.model, *out.store);
    if (Status st = out.engine->registerModel([](std::int64_t, std::int64_t) { return !interrupted(); }); !st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return st.isCancelled() ? 130 : 1;
    }
    return 0;
}

} // namespace gs::cli
