#pragma once
// The localization report (methods.md §0): for a parent checkpoint and a
// checkpoint where one encoder layer was trained to hold a grammatical
// category (localize.h), the three questions of the research, answered with
// numbers:
//  (a) standard language kept — pseudo-perplexity of both models on standard
//      sentences (the grammatical sides of the pairs, or a given list), and
//      their ratio; passes when PPPL_localized ≤ (1 + tolerance) · PPPL_parent;
//  (b) the localized layer is active on the category — at the output of layer
//      L, the distance between the localized and the parent model's hidden
//      states on the category's tokens (the words the category pairs change)
//      against all other tokens, with a bootstrap interval over sentences;
//      passes when the interval of the difference lies above 0;
//  (c) without the layer the model does not know the category — layer L
//      restored to the parent's weights (ablation): the surprisal change on
//      category tokens against the others (passes when the interval of the
//      difference lies above 0), plus, per layer, the accuracy of a linear
//      probe for the category (task "polypersonal" when the pairs have it,
//      else "changed") on the localized and on the ablated model.
// Which layer: the one grammascope_localized.json records, else the one
// diffCheckpoints marks, else options.layer.
//
// Thread-safety: one call loads its models and works on the calling thread.
// Cancellation: the progress callback returning false stops the call at the
// next report (Status::cancelled()).

#include "grammascope/dataset.h"
#include "grammascope/localize.h"
#include "grammascope/model.h"
#include "grammascope/probing.h"
#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gs {

struct LocalizationReportOptions {
    std::filesystem::path parentDir, localizedDir;
    Dataset pairs;                          // minimal pairs: good = standard, bad = with the category
    std::string phenomenon;                 // the category's pairs (empty: every pair)
    std::vector<std::string> standardSentences;  // for (a); empty: the good sides of the pairs
    std::int64_t maxStandardSentences = 500;
    std::int64_t maxPairs = 300;            // category pairs for (b), (c) (0: all)
    int layer = -1;                         // -1: recorded, else found by the diff
    double perplexityTolerance = 0.10;      // (a)
    int bootstrapSamples = 1000;
    std::uint64_t seed = 1;
    bool probes = true;                     // the probe part of (c)
    ModelOptions modelOptions;              // device, precision, threads for both models
};

struct LocalizationProbeRow {
    int row = 0;                            // hidden-state row: 0 = embeddings, r = output of encoder layer r - 1
    double localizedAccuracy = 0, ablatedAccuracy = 0, majority = 0;
    double localizedBits = 0, ablatedBits = 0;  // V-information (Bayesian MI), bits
};

struct LocalizationCriterion {
    bool pass = false;
    std::string summary;                    // one sentence with the numbers
};

struct LocalizationReport {
    std::filesystem::path parentDir, localizedDir;
    int layer = -1;                         // 0-based encoder layer
    std::string layerSource;                // "recorded", "diff", "option"
    CheckpointDiff diff;
    // (a)
    std::int64_t standardSentences = 0, standardTokens = 0;
    double parentPppl = 0, localizedPppl = 0, pppLRatio = 0;
    // (b) and the ablation of (c)
    LocalizeActivityReport activity;
    // (c) probes
    std::string probeTask;
    std::vector<LocalizationProbeRow> probes;
    LocalizationCriterion standardLanguage, activeOnCategory, categoryNeedsLayer;
    std::vector<std::string> warnings;
    double seconds = 0;
};

using LocalizationProgress = std::function<bool(const std::string& stage, std::int64_t done, std::int64_t total)>;

Status buildLocalizationReport(const LocalizationReportOptions& options, LocalizationReport& out,
                               const LocalizationProgress& progress = {});

std::string localizationReportJson(const LocalizationReport& report);
// For people: the three answers first, then the numbers behind them (Markdown).
std::string localizationReportMarkdown(const LocalizationReport& report);

} // namespace gs
