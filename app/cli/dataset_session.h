#pragma once
// What the dataset commands (run, probe) open before they work: the dataset
// (--pairs and the format options), the writable results store (--db) and
// the model (--model and its options), with an analysis engine over both and
// the model registered in the store by its fingerprint. The interrupt
// handler is installed first, so Ctrl+C during the fingerprinting stops it.

#include "cli/cli_args.h"
#include "grammascope/analysis_engine.h"
#include "grammascope/dataset.h"
#include "grammascope/model.h"
#include "grammascope/result_store.h"

#include <memory>

namespace gs::cli {

struct DatasetSession {
    Dataset dataset;
    std::unique_ptr<ResultStore> store;
    std::shared_ptr<const Model> model;
    std::unique_ptr<AnalysisEngine> engine;  // declared last: destroyed before the model and the store
};

// Prints what failed to stderr. Returns an exit code: 0, 1, or 130 when
// interrupted.
int openDatasetSession(Args& args, const DatasetReadOptions& readOptions, DatasetSession& out);

} // namespace gs::cli
