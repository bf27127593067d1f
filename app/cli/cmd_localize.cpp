// grammascope-cli localize: localized layers (methods.md §2, §8; issue 8):
// train one encoder layer of a parent checkpoint on minimal pairs, diff two
// checkpoints to find the layer they differ in, and measure the localized
// layer's activity on the category's tokens and the effect of ablating it.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/dataset_options.h"
#include "cli/interrupt.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "cli/status_line.h"
#include "grammascope/localize.h"
#include "grammascope/localize_report.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace gs::cli {
namespace {

const char* kLocalizeHelp =
    "usage: grammascope-cli localize train --parent DIR --pairs FILE --out DIR [options]\n"
    "       grammascope-cli localize diff A B [--json FILE] [--factor X]\n"
    "       grammascope-cli localize activity --model DIR [--parent DIR] --pairs FILE [options]\n"
    "       grammascope-cli localize report --model DIR [--parent DIR] --pairs FILE [options]\n"
    "\n"
    "train: trains only encoder layer L of the parent MLM checkpoint on minimal pairs\n"
    "(good = standard sentence, bad = polypersonal twin) with\n"
    "  w_cos * mean(max(0, cos(h_good, h_bad))) + w_mlm * MLM(good),\n"
    "h = mean over the tokens of layer L's output. Adam with warm-up and linear decay; the\n"
    "MLM gradient is computed every --mlm-every steps and reused in between. DIR is a normal\n"
    "checkpoint (differs from the parent only in layer L) with grammascope_localized.json;\n"
    "DIR/training holds the state: Ctrl+C saves it (exit code 130), --resume continues.\n"
    "  --parent DIR         the parent checkpoint (with its MLM head)\n"
    "  --pairs FILE         the pairs (any format 'pairs stats' reads)\n"
    "  --phenomenon P       only the pairs of this phenomenon (e.g. polypersonal_agreement)\n"
    "  --out DIR            the localized checkpoint\n"
    "  --layer L            encoder layer, 0-based (default 3; models with < 6 layers: layers/2)\n"
    "  --steps N            (1000)     --lr X (1e-5)     --warmup N (10%% of the steps)\n"
    "  --batch N            pairs per step (16)\n"
    "  --w-cos X --w-mlm X  loss weights (0.1, 0.1)\n"
    "  --mlm-every N        MLM gradient every N steps (10)\n"
    "  --pool all|changed   pool layer L over all tokens (default) or the changed words' tokens\n"
    "  --mask-prob X        (0.15)     --dropout X (0.1)     --clip X (0: none)\n"
    "  --max-length N       tokens per sentence (default: the model maximum)\n"
    "  --seed N (1)  --threads N (all cores)  --save-every N (200)\n"
    "  --resume             continue the run saved in DIR/training\n"
    "  --summary FILE       write the summary as JSON\n"
    "\n"
    "diff: per tensor and per layer, the relative change ||B - A|| / ||A||; marks the\n"
    "localized layer when one layer changed more than --factor (10) times any other part.\n"
    "  --json FILE          write the report as JSON ('-': print it instead of the table)\n"
    "\n"
    "activity: on the polypersonal sentences of the pairs, per layer, the mean distance\n"
    "(L2 and 1 - cos) between the hidden states of --model and --parent on category tokens\n"
    "(the changed words) vs all other tokens, with bootstrap 95%% intervals over sentences of\n"
    "the difference and the ratio; and the ablation: layer L restored to the parent's weights,\n"
    "the change of per-token surprisal (PLL, bits) on category vs other tokens.\n"
    "report: the localization report (methods.md section 0): (a) standard language kept -\n"
    "pseudo-perplexity of both models on standard sentences (the good sides of --pairs, or\n"
    "--standard FILE), passes at ratio <= 1 + --tolerance (0.1); (b) the layer is active on the\n"
    "category - the activity at layer L's output, category vs other tokens, passes when the\n"
    "interval of the difference is above 0; (c) without the layer the category is lost - the\n"
    "ablation (passes when category tokens lose more than the others) and a linear probe for\n"
    "the category per layer on the localized and the ablated model. Prints Markdown;\n"
    "--markdown FILE writes it, --json FILE the numbers. Options as for activity, plus\n"
    "  --standard FILE      standard sentences: a text file (one per line) or the grammatical\n"
    "                       sides of any dataset file      --max-standard N (500)\n"
    "  --tolerance X        (0.1)     --no-probes  skip the probes\n"
    "  --model DIR          the localized checkpoint\n"
    "  --parent DIR         its parent (default: the one grammascope_localized.json names)\n"
    "  --layer L            the localized layer (default: grammascope_localized.json, else diff)\n"
    "  --phenomenon P       only these pairs      --max-pairs N   the first N pairs\n"
    "  --bootstrap N        bootstrap samples (1000)   --seed N (1)\n"
    "  --no-ablation        skip the ablation (PLL scoring, the slow part)\n"
    "  --sentence TEXT      activity: instead of the dataset numbers, the token x layer distances\n"
    "                       of one sentence (rows: emb, then the output of each layer) and the\n"
    "                       per-token surprisal change on ablation\n"
    "  --pair ID            the same for both sentences of the pair ID of --pairs (category\n"
    "                       tokens marked in the ablation table)\n"
    "  --json FILE          write the report as JSON ('-': print it instead of the table)\n"
    "  --precision P --device D --threads N   as for the other commands\n"
    "\n"
    "dataset options:\n"
    "%s";

int usage(const std::string& message) { return usageError("localize", message); }

int fail(const Status& st) {
    std::cerr << (st.isCancelled() ? "" : "error: ") << st.message() << "\n";
    return st.isCancelled() ? 130 : 1;
}

bool parseDouble(Args& args, const char* name, double& out, std::string& error) {
    if (!args.has(name)) return true;
    const std::string v = args.value(name);
    try {
        std::size_t used = 0;
        out = std::stod(v, &used);
        if (used != v.size() || !std::isfinite(out)) throw std::invalid_argument(v);
        return true;
    } catch (const std::exception&) {
        error = "--" + std::string(name) + " expects a number, got '" + v + "'";
        return false;
    }
}

bool parseCount(Args& args, const char* name, std::int64_t& out, std::string& error) {
    double v = static_cast<double>(out);
    if (!parseDouble(args, name, v, error)) return false;
    if (v < 0 || v != std::floor(v)) {
        error = "--" + std::string(name) + " expects a non-negative integer, got '" + args.value(name) + "'";
        return false;
    }
    out = static_cast<std::int64_t>(v);
    return true;
}

int writeOrPrintJson(Args& args, const std::string& json, const std::function<void()>& table) {
    const std::string target = args.value("json");
    if (target == "-") {
        std::cout << json << "\n";
        return 0;
    }
    table();
    if (!target.empty())
        if (Status st = writeTextFile(target, json + "\n"); !st.isOk()) return fail(st);
    return 0;
}

std::string clock(double seconds) {
    const auto s = static_cast<long>(seconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}

int runTrain(Args& args) {
    if (!args.has("parent") || !args.has("pairs") || !args.has("out"))
        return usage("localize train needs --parent DIR, --pairs FILE and --out DIR");
    LocalizeTrainOptions o;
    o.parentDir = args.value("parent");
    o.outDir = args.value("out");
    o.phenomenon = args.value("phenomenon");
    o.resume = args.has("resume");
    std::string error;
    double layer = -1, seed = 1, threads = 0;
    const bool ok = parseDouble(args, "layer", layer, error) && parseCount(args, "steps", o.steps, error) &&
                    parseDouble(args, "lr", o.learningRate, error) && parseCount(args, "batch", o.batchPairs, error) &&
                    parseDouble(args, "w-cos", o.wCos, error) && parseDouble(args, "w-mlm", o.wMlm, error) &&
                    parseCount(args, "mlm-every", o.mlmEvery, error) &&
                    parseDouble(args, "mask-prob", o.maskProbability, error) &&
                    parseDouble(args, "dropout", o.dropout, error) && parseDouble(args, "clip", o.clipNorm, error) &&
                    parseCount(args, "max-length", o.maxLength, error) && parseDouble(args, "seed", seed, error) &&
                    parseDouble(args, "threads", threads, error) && parseCount(args, "save-every", o.saveEvery, error);
    if (!ok) return usage(error);
    if (args.has("warmup")) {
        std::int64_t w = 0;
        if (!parseCount(args, "warmup", w, error)) return usage(error);
        o.warmupSteps = w;
    }
    if (layer != std::floor(layer) || layer < -1) return usage("--layer expects a layer index (0-based)");
    o.layer = static_cast<int>(layer);
    if (seed < 0 || seed != std::floor(seed)) return usage("--seed expects a non-negative integer");
    o.seed = static_cast<std::uint64_t>(seed);
    if (threads < 0 || threads != std::floor(threads)) return usage("--threads expects a non-negative integer");
    o.threads = static_cast<int>(threads);
    const std::string pool = args.value("pool", "all");
    if (pool == "all") o.pooling = LocalizePooling::AllTokens;
    else if (pool == "changed") o.pooling = LocalizePooling::ChangedTokens;
    else return usage("--pool expects all or changed, got '" + pool + "'");

    DatasetReadOptions readOptions;
    if (!parseDatasetOptions(args, readOptions, error)) return usage(error);
    if (int rc = loadDataset(args.value("pairs"), readOptions, args.has("skip-invalid"), o.pairs); rc != 0) return rc;
    o.pairsFile = args.value("pairs");

    installInterruptHandler();
    StatusLine line;
    LocalizeTrainSummary summary;
    const Status st = trainLocalizedLayer(o, [&](const LocalizeTrainProgress& p) {
        if (!p.message.empty()) {
            line.showLasting(p.message.c_str());
            return !interrupted();
        }
        if (line.due(p.step == p.totalSteps)) {
            char text[256];
            std::snprintf(text, sizeof text,
                          "step %lld/%lld  loss %.5f  cos %.4f  mlm %.4f  lr %.2e  %.0f tok/s  elapsed %s  eta %s",
                          static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), p.loss, p.cosLoss,
                          p.mlmLoss, p.learningRate, p.tokensPerSecond, clock(p.elapsedSeconds).c_str(),
                          clock(p.etaSeconds).c_str());
            line.show(text);
        }
        return !interrupted();
    }, summary);
    line.finish();
    for (const auto& w : summary.warnings) std::cerr << "warning: " << w << "\n";
    if (!st.isOk()) return fail(st);
    const nlohmann::json j{{"out", o.outDir.string()},
                           {"layer", summary.layer},
                           {"steps", summary.steps},
                           {"steps_this_run", summary.stepsThisCall},
                           {"resumed_from", summary.startStep},
                           {"pairs", summary.pairs},
                           {"trainable_parameters", summary.trainableParameters},
                           {"first_cos_loss", summary.firstCosLoss},
                           {"final_loss", summary.finalLoss},
                           {"final_cos_loss", summary.finalCosLoss},
                           {"final_mlm_loss", summary.finalMlmLoss},
                           {"mean_cos_loss_last_50", summary.meanCosLossLast},
                           {"wall_seconds", summary.wallSeconds},
                           {"parent_fingerprint", summary.parentFingerprint}};
    std::cout << j.dump(2) << "\n";
    if (args.has("summary"))
        if (Status w = writeTextFile(args.value("summary"), j.dump(2) + "\n"); !w.isOk()) return fail(w);
    return 0;
}

int runDiff(Args& args) {
    const auto& pos = args.positional();
    if (pos.size() != 2) return usage("localize diff needs two checkpoint folders: localize diff A B");
    double factor = 10;
    std::string error;
    if (!parseDouble(args, "factor", factor, error)) return usage(error);
    if (factor <= 1) return usage("--factor must be greater than 1");
    CheckpointDiff diff;
    if (Status st = diffCheckpoints(pos[0], pos[1], diff, factor); !st.isOk()) return fail(st);
    return writeOrPrintJson(args, checkpointDiffJson(diff), [&] { std::fputs(checkpointDiffText(diff).c_str(), stdout); });
}

// `text` cut to `width` code points and right-aligned by code points (UTF-8).
std::string column(const std::string& text, std::size_t width) {
    std::string cut;
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size() && points < width;) {
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        cut += text.substr(i, len);
        i += len;
        ++points;
    }
    return std::string(width - points, ' ') + cut;
}

void printHeatmap(const Heatmap& h) {
    std::printf("%s\n%-5s", h.title.c_str(), "row");
    for (const auto& label : h.colLabels) std::printf(" %s", column(label, 9).c_str());
    std::printf("\n");
    for (int r = 0; r < h.rows; ++r) {
        std::printf("%-5s", h.rowLabels[static_cast<std::size_t>(r)].c_str());
        for (int c = 0; c < h.cols; ++c) std::printf(" %9.3g", static_cast<double>(h.at(r, c)));
        std::printf("\n");
    }
}

nlohmann::json heatmapJson(const Heatmap& h) {
    nlohmann::json rows = nlohmann::json::array();
    for (int r = 0; r < h.rows; ++r) {
        std::vector<float> row(h.values.begin() + static_cast<std::ptrdiff_t>(r) * h.cols,
                               h.values.begin() + static_cast<std::ptrdiff_t>(r + 1) * h.cols);
        rows.push_back(row);
    }
    return {{"title", h.title}, {"rows", h.rowLabels}, {"tokens", h.colLabels}, {"values", rows}};
}

nlohmann::json ablationJson(const std::vector<AblationToken>& tokens) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& t : tokens)
        a.push_back({{"piece", t.piece}, {"position", t.position}, {"category", t.category},
                     {"surprisal_localized", t.localized}, {"surprisal_ablated", t.ablated}, {"change", t.change}});
    return a;
}

void printAblation(const std::vector<AblationToken>& tokens, int layer) {
    std::printf("ablation (layer %d restored to the parent): surprisal, bits\n%-12s %8s %10s %10s %10s\n", layer,
                "token", "category", "localized", "ablated", "change");
    for (const auto& t : tokens)
        std::printf("%s %8s %10.3f %10.3f %+10.3f\n", column(t.piece, 12).c_str(), t.category ? "yes" : "",
                    t.localized, t.ablated, t.change);
}

// --sentence TEXT / --pair ID: the token x layer distances of one sentence or
// of both sentences of a pair, and the per-token surprisal change on ablation.
int runSingle(Args& args, const std::string& parentDir, int layer) {
    ModelOptions mo;
    std::string error;
    if (!parseModelOptions(args, mo, error)) return usage(error);
    const DatasetItem* pair = nullptr;
    Dataset data;
    if (args.has("pair")) {
        if (!args.has("pairs")) return usage("--pair ID needs --pairs FILE");
        DatasetReadOptions readOptions;
        if (!parseDatasetOptions(args, readOptions, error)) return usage(error);
        if (int rc = loadDataset(args.value("pairs"), readOptions, args.has("skip-invalid"), data); rc != 0) return rc;
        for (const auto& it : data.items)
            if (it.id == args.value("pair")) pair = &it;
        if (!pair) return fail(Status::failed("no item with id '" + args.value("pair") + "' in " + args.value("pairs")));
        if (!pair->isPair()) return fail(Status::failed("item '" + pair->id + "' is a single sentence, not a pair"));
    }
    std::shared_ptr<const Model> parent, localized;
    if (Status st = Model::load(parentDir, mo, parent); !st.isOk()) return fail(st.withStage("the parent"));
    if (Status st = Model::load(args.value("model"), mo, localized); !st.isOk()) return fail(st.withStage("the localized model"));
    nlohmann::json j;
    std::vector<std::pair<std::string, HiddenStateDistance>> sides;
    if (pair) {
        PairHiddenStateDistance d;
        if (Status st = comparePairHiddenStates(*parent, *localized, *pair, d); !st.isOk()) return fail(st);
        j["pair"] = pair->id;
        j["good"] = {{"sentence", pair->good.text}, {"l2", heatmapJson(d.good.l2)}, {"cosine", heatmapJson(d.good.cosine)},
                     {"changed", d.goodChanged}};
        j["bad"] = {{"sentence", pair->bad.text}, {"l2", heatmapJson(d.bad.l2)}, {"cosine", heatmapJson(d.bad.cosine)},
                    {"changed", d.badChanged}};
        sides.emplace_back("good: " + pair->good.text, std::move(d.good));
        sides.emplace_back("bad (polypersonal): " + pair->bad.text, std::move(d.bad));
    } else {
        HiddenStateDistance d;
        if (Status st = compareHiddenStates(*parent, *localized, args.value("sentence"), d); !st.isOk()) return fail(st);
        j = {{"sentence", args.value("sentence")}, {"l2", heatmapJson(d.l2)}, {"cosine", heatmapJson(d.cosine)}};
        sides.emplace_back(args.value("sentence"), std::move(d));
    }
    std::vector<AblationToken> tokens;
    const bool ablate = !args.has("no-ablation") && layer >= 0;
    if (ablate) {
        std::shared_ptr<const Model> ablated;
        if (Status st = loadAblatedModel(*parent, *localized, layer, ablated); !st.isOk()) return fail(st);
        const Status st = pair ? ablationTokenChanges(*localized, *ablated, *pair, tokens)
                               : ablationTokenChanges(*localized, *ablated, args.value("sentence"), tokens);
        if (!st.isOk()) return fail(st);
        j["layer"] = layer;
        j["ablation"] = ablationJson(tokens);
    }
    return writeOrPrintJson(args, j.dump(2), [&] {
        std::printf("rows: emb = embeddings, r = output of encoder layer r-1 (0-based)\n");
        for (const auto& [title, d] : sides) {
            std::printf("\n== %s\n\n", title.c_str());
            printHeatmap(d.l2);
            std::printf("\n");
            printHeatmap(d.cosine);
        }
        if (ablate) {
            std::printf("\n");
            printAblation(tokens, layer);
        }
    });
}

int runReport(Args& args) {
    if (!args.has("model") || !args.has("pairs"))
        return usage("localize report needs --model DIR (the localized checkpoint) and --pairs FILE");
    LocalizationReportOptions o;
    o.localizedDir = args.value("model");
    if (args.has("parent")) {
        o.parentDir = args.value("parent");
    } else {
        LocalizedCheckpointInfo info;
        if (!readLocalizedCheckpointInfo(o.localizedDir, info).isOk())
            return usage(args.value("model") + " has no grammascope_localized.json naming its parent: give --parent DIR");
        o.parentDir = info.parentDir;
    }
    o.phenomenon = args.value("phenomenon");
    o.probes = !args.has("no-probes");
    std::string error;
    double layer = -1, seed = 1;
    std::int64_t bootstrap = o.bootstrapSamples;
    if (!parseDouble(args, "layer", layer, error) || !parseCount(args, "max-pairs", o.maxPairs, error) ||
        !parseCount(args, "max-standard", o.maxStandardSentences, error) ||
        !parseCount(args, "bootstrap", bootstrap, error) || !parseDouble(args, "seed", seed, error) ||
        !parseDouble(args, "tolerance", o.perplexityTolerance, error))
        return usage(error);
    if (layer != std::floor(layer) || layer < -1) return usage("--layer expects a layer index (0-based)");
    if (!(o.perplexityTolerance >= 0)) return usage("--tolerance must be >= 0");
    o.layer = static_cast<int>(layer);
    o.seed = static_cast<std::uint64_t>(std::max(0.0, seed));
    o.bootstrapSamples = static_cast<int>(bootstrap);
    if (!parseModelOptions(args, o.modelOptions, error)) return usage(error);
    DatasetReadOptions readOptions;
    if (!parseDatasetOptions(args, readOptions, error)) return usage(error);
    if (int rc = loadDataset(args.value("pairs"), readOptions, args.has("skip-invalid"), o.pairs); rc != 0) return rc;
    if (args.has("standard")) {
        // Any dataset file: its grammatical sentences (a text file: its lines).
        Dataset standard;
        DatasetReadOptions standardOptions;
        if (int rc = loadDataset(args.value("standard"), standardOptions, args.has("skip-invalid"), standard); rc != 0)
            return rc;
        for (const auto& item : standard.items)
            if (!item.good.text.empty()) o.standardSentences.push_back(item.good.text);
        if (o.standardSentences.empty()) return fail(Status::failed(args.value("standard") + ": no sentences"));
    }
    installInterruptHandler();
    StatusLine line;
    LocalizationReport r;
    const Status st = buildLocalizationReport(o, r, [&](const std::string& stage, std::int64_t done, std::int64_t total) {
        if (line.due()) {
            const std::string text = total > 0 ? stage + ": " + std::to_string(done) + "/" + std::to_string(total) : stage;
            line.show(text.c_str());
        }
        return !interrupted();
    });
    line.finish();
    if (st.isCancelled()) return 130;
    if (!st.isOk()) return fail(st);
    const std::string markdown = localizationReportMarkdown(r);
    if (args.has("markdown"))
        if (Status w = writeTextFile(args.value("markdown"), markdown); !w.isOk()) return fail(w);
    return writeOrPrintJson(args, localizationReportJson(r), [&] { std::fputs(markdown.c_str(), stdout); });
}

int runActivity(Args& args) {
    if (!args.has("model") || (!args.has("pairs") && !args.has("sentence")))
        return usage("localize activity needs --model DIR (the localized checkpoint) and --pairs FILE (or --sentence TEXT)");
    std::string parentDir = args.value("parent");
    LocalizedCheckpointInfo info;
    const bool hasInfo = readLocalizedCheckpointInfo(args.value("model"), info).isOk();
    if (parentDir.empty()) {
        if (!hasInfo)
            return usage(args.value("model") + " has no grammascope_localized.json naming its parent: give --parent DIR");
        parentDir = info.parentDir.string();
    }
    LocalizeActivityOptions o;
    o.phenomenon = args.value("phenomenon");
    o.ablation = !args.has("no-ablation");
    std::string error;
    double layer = -1, seed = 1;
    std::int64_t bootstrap = o.bootstrapSamples;
    if (!parseDouble(args, "layer", layer, error) || !parseCount(args, "max-pairs", o.maxPairs, error) ||
        !parseCount(args, "bootstrap", bootstrap, error) || !parseDouble(args, "seed", seed, error))
        return usage(error);
    if (layer != std::floor(layer) || layer < -1) return usage("--layer expects a layer index (0-based)");
    if (args.has("sentence") || args.has("pair")) {
        int l = static_cast<int>(layer);
        if (l < 0 && hasInfo) l = info.layer;
        if (l < 0) {
            CheckpointDiff diff;
            if (diffCheckpoints(parentDir, args.value("model"), diff).isOk()) l = diff.localizedLayer;
        }
        return runSingle(args, parentDir, l);
    }
    o.layer = static_cast<int>(layer);
    o.seed = static_cast<std::uint64_t>(std::max(0.0, seed));
    o.bootstrapSamples = static_cast<int>(bootstrap);
    ModelOptions mo;
    if (!parseModelOptions(args, mo, error)) return usage(error);
    DatasetReadOptions readOptions;
    if (!parseDatasetOptions(args, readOptions, error)) return usage(error);
    Dataset data;
    if (int rc = loadDataset(args.value("pairs"), readOptions, args.has("skip-invalid"), data); rc != 0) return rc;

    std::shared_ptr<const Model> parent, localized;
    if (Status st = Model::load(parentDir, mo, parent); !st.isOk()) return fail(st.withStage("the parent"));
    if (Status st = Model::load(args.value("model"), mo, localized); !st.isOk()) return fail(st.withStage("the localized model"));

    installInterruptHandler();
    StatusLine line;
    LocalizeActivityReport r;
    const Status st = measureLocalizedActivity(*parent, *localized, data, o, r, [&](std::int64_t done, std::int64_t total) {
        if (line.due()) {
            char text[128];
            std::snprintf(text, sizeof text, "activity: %lld/%lld", static_cast<long long>(done), static_cast<long long>(total));
            line.show(text);
        }
        return !interrupted();
    });
    line.finish();
    if (!st.isOk()) return fail(st);
    return writeOrPrintJson(args, localizeActivityJson(r), [&] { std::fputs(localizeActivityText(r).c_str(), stdout); });
}

} // namespace

int runLocalize(int argc, char** argv) {
    if (argc < 3 || !std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "-h") || !std::strcmp(argv[2], "help")) {
        std::fprintf(argc < 3 ? stderr : stdout, kLocalizeHelp, kDatasetOptionsHelp);
        return argc < 3 ? 2 : 0;
    }
    const std::string sub = argv[2];
    std::set<std::string> valued = kDatasetValuedOptions;
    valued.insert(kModelValuedOptions.begin(), kModelValuedOptions.end());
    valued.insert({"parent", "pairs", "out", "phenomenon", "layer", "steps", "lr", "warmup", "batch", "w-cos", "w-mlm",
                   "mlm-every", "pool", "mask-prob", "dropout", "clip", "max-length", "seed", "save-every", "summary",
                   "json", "factor", "max-pairs", "bootstrap", "sentence", "pair", "standard", "max-standard",
                   "tolerance", "markdown"});
    std::set<std::string> flags = kDatasetFlagOptions;
    flags.insert({"resume", "no-ablation", "no-probes", "help"});
    Args args(argc, argv, 3, valued, flags);
    if (args.has("help")) {
        std::printf(kLocalizeHelp, kDatasetOptionsHelp);
        return 0;
    }
    if (!args.ok()) return usage(args.error());
    if (sub != "diff" && !args.positional().empty())
        return usage("unexpected argument '" + args.positional().front() + "'");
    if (sub == "train") return runTrain(args);
    if (sub == "diff") return runDiff(args);
    if (sub == "activity") return runActivity(args);
    if (sub == "report") return runReport(args);
    return usage("unknown subcommand 'localize " + sub + "' (train, diff, activity, report)");
}

} // namespace gs::cli
