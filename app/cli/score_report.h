#pragma once
// Renderings of a minimal-pair scoring run for grammascope-cli score: a table
// per phenomenon and a JSON document with per-pair (optionally per-token) scores.

#include "grammascope/model.h"
#include "grammascope/pairs.h"
#include "grammascope/scoring.h"
#include "grammascope/unigram.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace gs::cli {

struct ScoredFile {
    std::string path;
    PairsSchema schema = PairsSchema::Grammascope;
    std::size_t pairs = 0;  // pairs taken from the file (after --limit)
    std::string format;     // datasetFormatName() of the file
};

struct ScoreRun {
    std::shared_ptr<const Model> model;
    std::vector<ScoredFile> files;
    std::vector<MinimalPair> pairs;
    std::vector<std::size_t> pairFile;   // index into files, per pair
    std::vector<std::int64_t> pairLine;  // CSV line, per pair
    EvaluationOptions options;
    std::unique_ptr<UnigramModel> unigram;
    std::string unigramSource;           // the file it was read from or the corpus it was counted on
    PairEvaluation evaluation;
    double seconds = 0;                  // scoring time
};

// The metrics the run computed, in column order.
std::vector<PairMetric> reportedMetrics(const ScoreRun& run);

// Fixed-width table: phenomenon, n, skipped, then accuracy [95% CI] per metric.
std::string scoreTable(const ScoreRun& run);

nlohmann::json scoreJson(const ScoreRun& run, bool perToken);

} // namespace gs::cli
