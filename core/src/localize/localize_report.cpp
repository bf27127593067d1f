// The localization report (localize_report.h): the checkpoint diff, pseudo-
// perplexity of both models on standard sentences, the localized layer's
// activity and the ablation (measureLocalizedActivity), and per-layer probes
// for the category on the localized and on the ablated model, with the three
// criteria of methods.md §0 decided from them.

#include "grammascope/localize_report.h"

#include "grammascope/probe_data.h"
#include "grammascope/result_store.h"
#include "grammascope/scoring.h"
#include "localize/localize_internal.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

namespace gs {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string fmt(double v, const char* f = "%.3f") {
    if (!std::isfinite(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string ci(const ConfidenceInterval& c, const char* f = "%.3f") {
    return fmt(c.estimate, f) + " [" + fmt(c.low, f) + ", " + fmt(c.high, f) + "]";
}

Status pseudoPerplexityOf(const Model& model, const std::vector<std::string>& sentences, double& pppl,
                          std::int64_t& tokens, const ProgressCallback& progress) {
    ScoringOptions so;
    so.pll = true;
    std::vector<SentenceScore> scores;
    if (Status st = scoreSentences(model, sentences, so, scores, nullptr, progress); !st.isOk()) return st;
    double sum = 0;
    tokens = 0;
    for (const auto& s : scores)
        if (!s.skipped && s.numTokens > 0) {
            sum += s.pll;
            tokens += s.numTokens;
        }
    pppl = pseudoPerplexity(sum, tokens);
    return Status::ok();
}

} // namespace

Status buildLocalizationReport(const LocalizationReportOptions& o, LocalizationReport& out,
                               const LocalizationProgress& progress) {
    const auto started = std::chrono::steady_clock::now();
    LocalizationReport r;
    r.parentDir = o.parentDir;
    r.localizedDir = o.localizedDir;
    bool stop = false;
    auto report = [&](const std::string& stage, std::int64_t done, std::int64_t total) {
        if (progress && !progress(stage, done, total)) stop = true;
        return !stop;
    };
    auto stageProgress = [&](const std::string& stage) -> ProgressCallback {
        return [&, stage](std::int64_t done, std::int64_t total) { return report(stage, done, total); };
    };

    // Which layer.
    if (!report("comparing the checkpoints", 0, 0)) return Status::cancelled();
    if (Status st = diffCheckpoints(o.parentDir, o.localizedDir, r.diff); !st.isOk())
        return st.withStage("localization report");
    LocalizedCheckpointInfo info;
    if (readLocalizedCheckpointInfo(o.localizedDir, info).isOk() && info.layer >= 0) {
        r.layer = info.layer;
        r.layerSource = "recorded";
    } else if (r.diff.localizedLayer >= 0) {
        r.layer = r.diff.localizedLayer;
        r.layerSource = "diff";
    } else if (o.layer >= 0) {
        r.layer = o.layer;
        r.layerSource = "option";
    } else {
        return Status::failed("localization report: " + o.localizedDir.string() +
                              " records no localized layer and the diff marks none (" + r.diff.verdict +
                              "); give the layer");
    }
    if (o.layer >= 0 && o.layer != r.layer)
        r.warnings.push_back("the layer asked for (" + std::to_string(o.layer) + ") differs from the " + r.layerSource +
                             " one (" + std::to_string(r.layer) + "); the " + r.layerSource + " one is used");
    if (r.diff.localizedLayer >= 0 && r.diff.localizedLayer != r.layer)
        r.warnings.push_back("the diff marks layer " + std::to_string(r.diff.localizedLayer) + ", not layer " +
                             std::to_string(r.layer));

    std::shared_ptr<const Model> parent, localized;
    if (Status st = Model::load(o.parentDir, o.modelOptions, parent); !st.isOk()) return st.withStage("loading the parent");
    if (Status st = Model::load(o.localizedDir, o.modelOptions, localized); !st.isOk())
        return st.withStage("loading the localized model");
    if (!parent->info().hasMlmHead || !localized->info().hasMlmHead)
        return Status::failed("localization report: both checkpoints need an MLM head (pseudo-perplexity, ablation)");

    // Category pairs.
    Dataset category;
    category.name = o.pairs.name;
    for (const auto& item : o.pairs.items) {
        if (item.bad.text.empty() || item.good.text.empty()) continue;
        if (!o.phenomenon.empty() && item.phenomenon != o.phenomenon) continue;
        category.items.push_back(item);
        if (o.maxPairs > 0 && static_cast<std::int64_t>(category.items.size()) >= o.maxPairs) break;
    }
    if (category.items.empty())
        return Status::failed("localization report: no pairs" +
                              (o.phenomenon.empty() ? std::string() : " of phenomenon '" + o.phenomenon + "'") + " in " +
                              o.pairs.name);

    // (a) standard language.
    std::vector<std::string> standard = o.standardSentences;
    if (standard.empty()) {
        std::set<std::string> seen;
        for (const auto& item : o.pairs.items)
            if (!item.good.text.empty() && seen.insert(item.good.text).second) standard.push_back(item.good.text);
    }
    if (o.maxStandardSentences > 0 && static_cast<std::int64_t>(standard.size()) > o.maxStandardSentences)
        standard.resize(static_cast<std::size_t>(o.maxStandardSentences));
    if (standard.empty()) return Status::failed("localization report: no standard sentences");
    r.standardSentences = static_cast<std::int64_t>(standard.size());
    std::int64_t tokensParent = 0;
    if (Status st = pseudoPerplexityOf(*parent, standard, r.parentPppl, tokensParent,
                                       stageProgress("pseudo-perplexity, parent"));
        !st.isOk())
        return st.isCancelled() ? st : st.withStage("localization report");
    if (Status st = pseudoPerplexityOf(*localized, standard, r.localizedPppl, r.standardTokens,
                                       stageProgress("pseudo-perplexity, localized"));
        !st.isOk())
        return st.isCancelled() ? st : st.withStage("localization report");
    r.pppLRatio = r.localizedPppl / r.parentPppl;
    r.standardLanguage.pass = r.pppLRatio <= 1.0 + o.perplexityTolerance;
    r.standardLanguage.summary = "pseudo-perplexity on " + std::to_string(r.standardSentences) +
                                 " standard sentences: " + fmt(r.localizedPppl, "%.2f") + " localized vs " +
                                 fmt(r.parentPppl, "%.2f") + " parent (ratio " + fmt(r.pppLRatio) + "; passes at ≤ " +
                                 fmt(1.0 + o.perplexityTolerance, "%.2f") + ")";

    // The ablated model (layer L restored to the parent), written once: the
    // ablation of (c) scores with it and its probes run on it.
    const detail::ScratchFolder scratch("grammascope-report-");
    if (scratch.path().empty()) return Status::failed("localization report: cannot create a temporary folder");
    const fs::path ablatedDir = scratch.path() / "ablated";
    if (Status st = writeLayerSwappedCheckpoint(o.localizedDir, o.parentDir, r.layer, ablatedDir); !st.isOk())
        return st.withStage("localization report: the ablated checkpoint");
    std::shared_ptr<const Model> ablated;
    if (Status st = Model::load(ablatedDir, o.modelOptions, ablated); !st.isOk())
        return st.withStage("loading the ablated model");

    // (b) activity, and the ablation of (c).
    LocalizeActivityOptions ao;
    ao.ablatedModel = ablated;
    ao.layer = r.layer;
    ao.bootstrapSamples = o.bootstrapSamples;
    ao.seed = o.seed;
    ao.ablation = true;
    if (Status st = measureLocalizedActivity(*parent, *localized, category, ao, r.activity, stageProgress("activity and ablation"));
        !st.isOk())
        return st.isCancelled() ? st : st.withStage("localization report");
    const std::size_t row = static_cast<std::size_t>(r.layer + 1);
    if (row < r.activity.l2.size()) {
        const ActivityRowStats& s = r.activity.l2[row];
        r.activeOnCategory.pass = std::isfinite(s.difference.low) && s.difference.low > 0;
        r.activeOnCategory.summary = "at the output of layer " + std::to_string(r.layer) +
                                     ", the hidden states move by " + fmt(s.categoryMean) + " (L2) on " +
                                     std::to_string(r.activity.categoryTokens) + " category tokens vs " +
                                     fmt(s.otherMean) + " on " + std::to_string(r.activity.otherTokens) +
                                     " other tokens: difference " + ci(s.difference) + ", ratio " + ci(s.ratio, "%.2f");
    } else {
        r.activeOnCategory.summary = "no activity row for layer " + std::to_string(r.layer);
    }
    const AblationStats& ab = r.activity.ablation;
    bool ablationPass = false;
    std::string ablationText = "the ablation was not computed";
    if (ab.computed) {
        ablationPass = std::isfinite(ab.difference.low) && ab.difference.low > 0;
        ablationText = "with layer " + std::to_string(r.layer) + " restored to the parent, surprisal changes by " +
                       ci(ab.categoryChange) + " bits on category tokens and " + ci(ab.otherChange) +
                       " bits on the others (difference " + ci(ab.difference) + ")";
    }

    // (c) probes for the category, localized vs ablated.
    if (o.probes) {
        std::unique_ptr<ResultStore> store;
        if (Status st = ResultStore::open(scratch.path() / "store" / "results.sqlite", ResultStoreOptions{}, store);
            !st.isOk())
            return st.withStage("localization report");
        ProbeTrainRequest pr;
        pr.options.control = false;
        pr.options.mdl = false;
        pr.options.slicedMi = false;
        pr.reuse = false;
        pr.splitSeed = o.seed;
        ProbeExampleSet examples;
        r.probeTask = "polypersonal";
        if (!parseProbeTask(r.probeTask, pr.spec).isOk() ||
            !buildProbeExamples(localized->tokenizer(), category, pr.spec, 0, examples).isOk()) {
            r.probeTask = "changed";
            if (Status st = parseProbeTask(r.probeTask, pr.spec); !st.isOk()) return st;
        }
        ProbeSet withLayer, withoutLayer;
        bool reused = false;
        std::string fpLocalized, fpAblated;
        if (Status st = fingerprintModelFiles(o.localizedDir, fpLocalized); !st.isOk()) return st;
        if (Status st = fingerprintModelFiles(ablatedDir, fpAblated); !st.isOk()) return st;
        auto probeProgress = [&](const std::string& stage) {
            return [&, stage](const ProbeTrainProgress& p) { return report(stage, p.step, p.steps); };
        };
        if (Status st = trainProbeSet(*localized, fpLocalized, *store, category, pr, withLayer, reused,
                                      probeProgress("probes, localized model"));
            !st.isOk())
            return st.isCancelled() ? st : st.withStage("localization report: probes on the localized model");
        if (Status st = trainProbeSet(*ablated, fpAblated, *store, category, pr, withoutLayer, reused,
                                      probeProgress("probes, ablated model"));
            !st.isOk())
            return st.isCancelled() ? st : st.withStage("localization report: probes on the ablated model");
        for (std::size_t i = 0; i < withLayer.reports.size() && i < withoutLayer.reports.size(); ++i) {
            LocalizationProbeRow p;
            p.row = withLayer.reports[i].layer;
            p.localizedAccuracy = withLayer.reports[i].accuracy;
            p.ablatedAccuracy = withoutLayer.reports[i].accuracy;
            p.majority = withLayer.reports[i].majority;
            p.localizedBits = withLayer.reports[i].informationBits;
            p.ablatedBits = withoutLayer.reports[i].informationBits;
            r.probes.push_back(p);
        }
    }
    double above = 0;  // mean probe accuracy drop on the rows from the localized layer's output up
    int aboveRows = 0;
    for (const auto& p : r.probes)
        if (p.row >= r.layer + 1) {
            above += p.localizedAccuracy - p.ablatedAccuracy;
            ++aboveRows;
        }
    r.categoryNeedsLayer.pass = ablationPass;
    r.categoryNeedsLayer.summary = ablationText;
    if (aboveRows > 0) {
        const double points = 100 * above / aboveRows;
        const std::string change = std::fabs(points) < 0.05 ? "keeps its accuracy"
                                   : points > 0 ? "loses " + fmt(points, "%.1f") + " accuracy points"
                                                : "gains " + fmt(-points, "%.1f") + " accuracy points";
        r.categoryNeedsLayer.summary += "; without the layer a linear probe for the category (" + r.probeTask +
                                        ") " + change + " on average from the layer's output up";
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!report("done", 1, 1)) return Status::cancelled();
    out = std::move(r);
    return Status::ok();
}

std::string localizationReportJson(const LocalizationReport& r) {
    auto crit = [](const LocalizationCriterion& c) { return json{{"pass", c.pass}, {"summary", c.summary}}; };
    json probes = json::array();
    for (const auto& p : r.probes)
        probes.push_back({{"row", p.row},
                          {"localized_accuracy", p.localizedAccuracy},
                          {"ablated_accuracy", p.ablatedAccuracy},
                          {"majority", p.majority},
                          {"localized_bits", p.localizedBits},
                          {"ablated_bits", p.ablatedBits}});
    json j = {{"format", "grammascope-localization-report"},
              {"parent", r.parentDir.string()},
              {"localized", r.localizedDir.string()},
              {"layer", r.layer},
              {"layer_source", r.layerSource},
              {"criteria",
               {{"standard_language", crit(r.standardLanguage)},
                {"active_on_category", crit(r.activeOnCategory)},
                {"category_needs_layer", crit(r.categoryNeedsLayer)}}},
              {"pseudo_perplexity",
               {{"sentences", r.standardSentences},
                {"tokens", r.standardTokens},
                {"parent", r.parentPppl},
                {"localized", r.localizedPppl},
                {"ratio", r.pppLRatio}}},
              {"diff", json::parse(checkpointDiffJson(r.diff))},
              {"activity", json::parse(localizeActivityJson(r.activity))},
              {"probe_task", r.probeTask},
              {"probes", probes},
              {"warnings", r.warnings},
              {"seconds", r.seconds}};
    return j.dump(2);
}

std::string localizationReportMarkdown(const LocalizationReport& r) {
    std::string s = "# Localization report\n\n";
    s += "Parent: `" + r.parentDir.string() + "`  \nLocalized: `" + r.localizedDir.string() + "`  \n";
    s += "Localized layer: " + std::to_string(r.layer) + " (0-based; " + r.layerSource + "). " + r.diff.verdict + "\n\n";
    auto line = [&](const char* q, const LocalizationCriterion& c) {
        s += std::string("- **") + q + "** " + (c.pass ? "yes" : "no") + " — " + c.summary + ".\n";
    };
    line("(a) Standard language kept?", r.standardLanguage);
    line("(b) Layer active on the category's tokens?", r.activeOnCategory);
    line("(c) Without the layer, is the category lost?", r.categoryNeedsLayer);
    if (!r.probes.empty()) {
        s += "\n## Probe for the category (" + r.probeTask + "), per hidden-state row\n\n";
        s += "| row | localized acc. | ablated acc. | majority | localized MI (bits) | ablated MI (bits) |\n";
        s += "|---|---|---|---|---|---|\n";
        for (const auto& p : r.probes)
            s += "| " + layerRowLabel(p.row) + " | " + fmt(p.localizedAccuracy) +
                 " | " + fmt(p.ablatedAccuracy) + " | " + fmt(p.majority) + " | " + fmt(p.localizedBits) + " | " +
                 fmt(p.ablatedBits) + " |\n";
    }
    s += "\n## Activity and ablation\n\n```\n" + localizeActivityText(r.activity) + "```\n";
    s += "\n## Checkpoint diff\n\n```\n" + checkpointDiffText(r.diff) + "```\n";
    for (const auto& w : r.warnings) s += "\nWarning: " + w + "\n";
    return s;
}

} // namespace gs
