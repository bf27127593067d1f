// grammascope-cli sae: sparse autoencoders on a model's layers for a dataset
// (methods.md §6): train (stored in the results store; the same command again
// prints the stored set, Ctrl+C saves the state and a rerun resumes), eval on
// another dataset, export / import SAELens folders, list.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/dataset_options.h"
#include "cli/dataset_session.h"
#include "cli/interrupt.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "cli/status_line.h"
#include "cli/store_options.h"
#include "grammascope/analysis_engine.h"
#include "grammascope/sae_data.h"
#include "grammascope/sae_features.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <iostream>
#include <thread>

namespace gs::cli {
namespace {

const char* kSaeHelp =
    "usage: grammascope-cli sae train --model DIR --pairs FILE [options]\n"
    "       grammascope-cli sae eval --model DIR --pairs FILE (--name NAME | --latest) [options]\n"
    "       grammascope-cli sae export (--name NAME | --latest) DIR [--db FILE]\n"
    "       grammascope-cli sae import DIR... --model DIR [--db FILE]\n"
    "       grammascope-cli sae list [--db FILE] [--json]\n"
    "       grammascope-cli sae delete (--name NAME | --latest) [--db FILE]\n"
    "       grammascope-cli sae features --model DIR --pairs FILE (--name NAME | --latest) --layer L\n"
    "                                    [--features LIST | --top N] [--contexts N] [options]\n"
    "\n"
    "Sparse autoencoders (TopK or ReLU+L1) on the hidden states of a model's layers. train\n"
    "extracts the hidden states of the dataset's sentences once (kept next to the results\n"
    "store), trains one SAE per layer on the non-special tokens of 90%% of the sentences and\n"
    "reports on the other 10%%: L0, MSE, FVU, dead latents, and the MLM loss recovered with\n"
    "the SAE spliced into the layer, (CE_zero - CE_sae) / (CE_zero - CE_clean). The set is\n"
    "stored; the same command prints it again (--retrain trains anew). Ctrl+C saves the\n"
    "layer in progress (exit code 130) and the same command resumes it. export writes one\n"
    "SAELens folder per layer (DIR/layer_<l>/cfg.json + sae_weights.safetensors); import\n"
    "reads such folders (or their parent) and stores them as a set for the model.\n"
    "features scans every token of the dataset with the layer's SAE (the scan is stored)\n"
    "and prints, per feature, its firing frequency, mean / largest activation, the\n"
    "contexts where it fires most (the token in [brackets]) and its nearest features\n"
    "by decoder cosine; --top N shows the N most frequent features.\n"
    "\n"
    "options:\n"
    "%s"
    "  --pairs FILE         the dataset (any format 'pairs stats' reads)\n"
    "%s"
    "  --layers LIST        layers, e.g. 0,2-4 (0 = embeddings; default: all)\n"
    "  --kind K             topk (default) or relu-l1\n"
    "  --dict N             latents per SAE (default 8 x hidden size)\n"
    "  --k N                TopK: active latents per token (default 32)\n"
    "  --l1 X               ReLU+L1: the L1 coefficient (default 0.2)\n"
    "  --resamplings N      ReLU+L1: dead-latent resamplings in the first half (default 4)\n"
    "  --steps N            Adam steps per layer (default: --epochs passes over the rows)\n"
    "  --epochs N           passes over the training rows (default 1)\n"
    "  --batch N            rows per step (default 1024)\n"
    "  --lr X               Adam learning rate (default 1e-4)\n"
    "  --seed N             seed of the split, the subset, the init and the masks (default 1)\n"
    "  --max-rows N         a seeded subset of N training tokens per layer (default: all)\n"
    "  --include-specials   train on [CLS] / [SEP] too\n"
    "  --splice-sentences N held-out sentences for the loss recovered (default 200; 0 = skip)\n"
    "  --max-length N       truncate sentences to N tokens (default: the model maximum)\n"
    "  --batch-tokens N     padded tokens per forward pass when extracting (default 8192)\n"
    "  --retrain            train even when the store holds this set\n"
    "  --name NAME          eval / export: the stored set\n"
    "  --latest             eval / export: the newest stored set\n"
    "%s"
    "  --out FILE           write the report as JSON\n"
    "  --json               print the JSON report instead of the table\n"
    "  --export DIR         train: also write the SAELens folders to DIR\n"
    "  --layer L            features: the layer (0 = embeddings)\n"
    "  --features LIST      features: these features, e.g. 3,17-20\n"
    "  --top N              features: the N most frequent features (default 10)\n"
    "  --contexts N         features: top contexts per feature (default 10)\n";

int usage(const std::string& message) { return usageError("sae", message); }

int fail(const Status& st) {
    std::cerr << "error: " << st.message() << "\n";
    return st.isCancelled() ? 130 : 1;
}

bool parseDouble(const std::string& s, double& v) {
    try {
        std::size_t n = 0;
        v = std::stod(s, &n);
        return n == s.size() && std::isfinite(v);
    } catch (...) {
        return false;
    }
}

std::string layerName(int l) { return l == 0 ? std::string("emb") : std::to_string(l); }

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

void printTable(const SaeSet& set, bool reused, double wall) {
    std::printf("SAE set %s%s\n", set.name.c_str(), reused ? " (from the store)" : "");
    if (!set.layers.empty()) {
        const auto& s = set.layers.front().sae;
        std::printf("%s, d_in %lld, d_sae %lld", saeKindName(s.kind), static_cast<long long>(s.dIn),
                    static_cast<long long>(s.dSae));
        if (s.kind == SaeKind::TopK) std::printf(", k %d", s.k);
        std::printf("; %lld sentences, %lld held out\n", static_cast<long long>(set.sentences),
                    static_cast<long long>(set.heldOutSentences));
    }
    std::printf("\n%-5s %8s %7s %6s %9s %6s %7s %8s %8s %8s %9s\n", "layer", "train", "steps", "L0", "MSE", "FVU",
                "dead", "CE clean", "CE zero", "CE SAE", "recovered");
    for (const auto& r : set.layers)
        std::printf("%-5s %8lld %7lld %6s %9s %6s %7s %8s %8s %8s %9s\n", layerName(r.layer).c_str(),
                    static_cast<long long>(r.trainRows), static_cast<long long>(r.sae.trainedSteps),
                    fixed(r.metrics.l0, 2).c_str(), fixed(r.metrics.mse, 5).c_str(), fixed(r.metrics.fvu, 3).c_str(),
                    fixed(r.metrics.deadFraction, 3).c_str(), r.hasSplice ? fixed(r.splice.ceClean, 3).c_str() : "-",
                    r.hasSplice ? fixed(r.splice.ceZero, 3).c_str() : "-",
                    r.hasSplice ? fixed(r.splice.ceSae, 3).c_str() : "-",
                    r.hasSplice ? fixed(r.splice.lossRecovered, 3).c_str() : "-");
    std::printf("\ntraining %.1f s; this command %.1f s\n", set.seconds, wall);
}

class SaeMeter {
public:
    bool update(const SaeSetProgress& p) {
        if (interrupted()) return false;
        if (!m_line.due(p.stage != m_stage)) return true;
        m_stage = p.stage;
        char line[256];
        if (p.stage == "hidden states" && p.extraction.sentencesTotal > 0)
            std::snprintf(line, sizeof line, "sae [%d/%d] hidden states: %lld/%lld sentences%s, %.0f tokens/s", p.step,
                          p.steps, static_cast<long long>(p.extraction.sentencesDone),
                          static_cast<long long>(p.extraction.sentencesTotal),
                          p.extraction.fromCache ? " (from the store)" : "", p.extraction.tokensPerSecond);
        else if (p.training.totalSteps > 0 && p.stage.find("training") != std::string::npos)
            std::snprintf(line, sizeof line, "sae [%d/%d] %s: step %lld/%lld, FVU %.3f, L0 %.1f, dead %.3f", p.step,
                          p.steps, p.stage.c_str(), static_cast<long long>(p.training.step),
                          static_cast<long long>(p.training.totalSteps), p.training.fvu, p.training.l0,
                          p.training.deadFraction);
        else
            std::snprintf(line, sizeof line, "sae [%d/%d] %s", p.step, p.steps, p.stage.c_str());
        m_line.show(line);
        return true;
    }
    void finish() { m_line.finish(); }

private:
    StatusLine m_line;
    std::string m_stage;
};

// Runs `work` with a watcher thread that turns Ctrl+C into the cancel flag.
template <class F>
Status withInterrupt(std::atomic<bool>& cancel, F&& work) {
    std::atomic<bool> finished{false};
    std::thread watcher([&] {
        while (!finished.load()) {
            if (interrupted()) {
                cancel = true;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    Status st = work();
    finished = true;
    watcher.join();
    return st;
}

int emitReport(Args& args, const nlohmann::json& report, const std::function<void()>& table) {
    if (args.has("json")) std::cout << report.dump(2) << "\n";
    else table();
    if (args.has("out"))
        if (Status w = writeTextFile(args.value("out"), report.dump(2) + "\n"); !w.isOk()) return fail(w);
    return 0;
}

Status findSet(ResultStore& store, Args& args, const std::string& fingerprint, SaeSet& out) {
    std::string name = args.value("name");
    if (name.empty()) {
        if (!args.has("latest")) return Status::failed("give --name NAME or --latest ('sae list' shows the names)");
        std::vector<SaeSet> sets;
        if (Status st = listSaeSets(store, fingerprint, sets); !st.isOk()) return st;
        if (sets.empty()) return Status::failed("there is no stored SAE set" + std::string(fingerprint.empty() ? "" : " for this model"));
        name = std::max_element(sets.begin(), sets.end(), [](const SaeSet& a, const SaeSet& b) {
                   return a.createdMs < b.createdMs;
               })->name;
    }
    bool found = false;
    if (Status st = loadSaeSet(store, name, out, found); !st.isOk()) return st;
    if (!found) return Status::failed("there is no stored SAE set '" + name + "' in " + store.path().string());
    return Status::ok();
}

std::set<std::string> trainValued() {
    std::set<std::string> valued = kModelValuedOptions;
    valued.insert({"pairs", "layers", "kind", "dict", "k", "l1", "steps", "epochs", "batch", "lr", "seed", "max-rows",
                   "splice-sentences", "max-length", "batch-tokens", "db", "out", "export", "name", "resamplings",
                   "layer", "features", "top", "contexts"});
    valued.insert(kDatasetValuedOptions.begin(), kDatasetValuedOptions.end());
    return valued;
}

int runTrainOrEval(Args& args, bool eval) {
    const auto started = std::chrono::steady_clock::now();
    if (!args.positional().empty()) return usage("unexpected argument '" + args.positional().front() + "'");
    if (!args.has("model")) return usage("--model DIR is required");
    if (!args.has("pairs")) return usage("--pairs FILE is required");
    DatasetReadOptions readOptions;
    if (std::string error; !parseDatasetOptions(args, readOptions, error)) return usage(error);
    ModelOptions modelOptions;
    if (std::string error; !parseModelOptions(args, modelOptions, error)) return usage(error);

    SaeTrainRequest request;
    SaeOptions& o = request.options;
    const std::string kind = args.value("kind", "topk");
    if (kind == "topk") o.kind = SaeKind::TopK;
    else if (kind == "relu-l1" || kind == "relu_l1") o.kind = SaeKind::ReluL1;
    else return usage("--kind must be topk or relu-l1, not '" + kind + "'");
    o.dictionarySize = args.intValue("dict", 0);
    o.k = args.intValue("k", o.k);
    o.steps = args.intValue("steps", 0);
    o.epochs = args.intValue("epochs", 1);
    o.batchSize = args.intValue("batch", o.batchSize);
    o.resamplings = args.intValue("resamplings", o.resamplings);
    const int seed = args.intValue("seed", 1);
    request.maxRows = args.intValue("max-rows", 0);
    request.spliceSentences = args.intValue("splice-sentences", 200);
    request.maxLength = args.intValue("max-length", 0);
    request.batchTokens = args.intValue("batch-tokens", 8192);
    request.includeSpecials = args.has("include-specials");
    request.reuse = !args.has("retrain");
    if (!args.ok()) return usage(args.error());
    if (args.has("lr") && !parseDouble(args.value("lr"), o.learningRate)) return usage("--lr must be a number");
    if (args.has("l1") && !parseDouble(args.value("l1"), o.l1Coefficient)) return usage("--l1 must be a number");
    if (args.has("layers"))
        if (std::string error; !parseLayerList(args.value("layers"), request.layers, error)) return usage(error);
    if (seed < 0) return usage("--seed must not be negative");
    o.seed = static_cast<std::uint64_t>(seed);
    if (o.resamplings < 0) return usage("--resamplings must not be negative");
    if (o.dictionarySize < 0 || o.k < 1 || o.steps < 0 || o.epochs < 1 || o.batchSize < 1 || !(o.learningRate > 0))
        return usage("--dict, --k, --steps, --epochs, --batch and --lr must be positive");
    if (request.maxRows < 0 || request.spliceSentences < 0 || request.maxLength < 0 || request.batchTokens < 1)
        return usage("--max-rows, --splice-sentences, --max-length and --batch-tokens must not be negative");
    if (args.has("threads")) o.threads = std::max(1, modelOptions.threads);
    if (eval && !args.has("name") && !args.has("latest")) return usage("eval needs --name NAME or --latest");

    DatasetSession session;
    if (int rc = openDatasetSession(args, readOptions, session)) return rc;
    ResultStore& store = *session.store;
    const Model& model = *session.model;
    const std::string fingerprint = session.engine->modelFingerprint();
    std::atomic<bool> cancel{false};

    if (!eval) {
        SaeMeter meter;
        SaeSet set;
        bool reused = false;
        const Status st = withInterrupt(cancel, [&] {
            return trainSaeSet(model, fingerprint, store, session.dataset, request, set, reused,
                               [&](const SaeSetProgress& p) { return meter.update(p); }, &cancel);
        });
        meter.finish();
        if (st.isCancelled()) {
            std::cerr << "cancelled; the layer in progress is saved and the same command resumes it\n";
            return 130;
        }
        if (!st.isOk()) {
            std::cerr << "error: " << st.message() << "\n";
            if (set.layers.empty()) return 1;
        }
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        nlohmann::json report = nlohmann::json::parse(saeSetJson(set));
        report["reused"] = reused;
        report["db"] = store.path().string();
        report["wall_seconds"] = wall;
        int rc = emitReport(args, report, [&] { printTable(set, reused, wall); });
        if (args.has("export")) {
            if (Status e = exportSaeSet(set, args.value("export")); !e.isOk()) rc = fail(e);
            else if (!args.has("json")) std::printf("exported to %s\n", args.value("export").c_str());
        }
        return st.isOk() ? rc : 1;
    }

    // eval: the stored set's metrics and splice on this dataset (all its sentences).
    SaeSet set;
    if (Status st = findSet(store, args, fingerprint, set); !st.isOk()) return fail(st);
    const std::int64_t maxLength = request.maxLength > 0 ? request.maxLength : model.info().config.maxSequenceLength();
    const std::vector<std::string> sentences = datasetSentences(session.dataset);
    HiddenStateTable table;
    Status st = withInterrupt(cancel, [&] {
        return extractHiddenStates(model, fingerprint, store, sentences, maxLength, request.batchTokens, table,
                                   [](const ExtractionProgress&) { return !interrupted(); }, &cancel);
    });
    if (!st.isOk()) return fail(st.withStage("sae eval"));
    nlohmann::json layers = nlohmann::json::array();
    for (auto& r : set.layers) {
        if (r.sae.dIn != table.hiddenSize())
            return fail(Status::failed("sae eval: the set's d_in differs from the model's hidden size"));
        FeatureMatrix x;
        x.cols = table.hiddenSize();
        std::vector<float> all;
        for (const auto& s : sentences) {
            Encoding e;
            if (Status s2 = model.tokenizer().encode(s, maxLength, e); !s2.isOk()) return fail(s2);
            const std::int64_t row = table.findSentence(s);
            if (Status s2 = table.hiddenStates(row, all); !s2.isOk()) return fail(s2);
            const auto T = static_cast<std::int64_t>(e.tokens.size());
            for (std::int64_t t = 0; t < T; ++t)
                if (!e.tokens[static_cast<std::size_t>(t)].special) {
                    const float* p = all.data() + (r.layer * T + t) * x.cols;
                    x.data.insert(x.data.end(), p, p + x.cols);
                    ++x.rows;
                }
        }
        if (Status s2 = evaluateSae(r.sae, x, r.metrics); !s2.isOk()) return fail(s2);
        std::vector<std::string> splice(sentences.begin(),
                                        sentences.begin() + std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(sentences.size()),
                                                                                      request.spliceSentences));
        r.hasSplice = false;
        if (!splice.empty() && model.info().hasMlmHead) {
            st = withInterrupt(cancel, [&] {
                return evaluateSaeSplice(model, r.sae, r.layer, splice, o.seed, r.splice, {}, &cancel);
            });
            if (!st.isOk()) return fail(st);
            r.hasSplice = true;
        }
    }
    nlohmann::json report = nlohmann::json::parse(saeSetJson(set));
    report["evaluated_on"] = {{"dataset", session.dataset.name}, {"sentences", sentences.size()}};
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return emitReport(args, report, [&] {
        std::printf("evaluated on %s (%zu sentences, all tokens but the specials)\n", session.dataset.name.c_str(),
                    sentences.size());
        printTable(set, true, wall);
    });
}

int runExport(Args& args) {
    if (args.positional().size() != 1) return usage("export needs one folder: sae export --name NAME DIR");
    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), true, store)) return rc;
    SaeSet set;
    if (Status st = findSet(*store, args, "", set); !st.isOk()) return fail(st);
    if (Status st = exportSaeSet(set, args.positional().front()); !st.isOk()) return fail(st);
    std::printf("exported %s (%zu layers) to %s\n", set.name.c_str(), set.layers.size(),
                args.positional().front().c_str());
    return 0;
}

int runImport(Args& args) {
    if (args.positional().empty()) return usage("import needs at least one SAELens folder");
    if (!args.has("model")) return usage("--model DIR is required (the SAEs are checked against it)");
    std::shared_ptr<const Model> model;
    if (int rc = openModel(args, model)) return rc;
    std::string fingerprint;
    if (Status st = fingerprintModelFiles(args.value("model"), fingerprint); !st.isOk()) return fail(st);
    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), false, store)) return rc;
    std::vector<std::filesystem::path> dirs(args.positional().begin(), args.positional().end());
    SaeSet set;
    const ModelConfig& c = model->info().config;
    if (Status st = importSaeLensSet(dirs, fingerprint, c.hiddenSize, c.numLayers, *store, set); !st.isOk())
        return fail(st);
    nlohmann::json report = nlohmann::json::parse(saeSetJson(set));
    return emitReport(args, report, [&] {
        std::printf("imported %s:", set.name.c_str());
        for (const auto& r : set.layers) std::printf(" layer %s", layerName(r.layer).c_str());
        std::printf("\n");
    });
}

int runDelete(Args& args) {
    if (!args.positional().empty()) return usage("unexpected argument '" + args.positional().front() + "'");
    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), false, store)) return rc;
    SaeSet set;
    if (Status st = findSet(*store, args, "", set); !st.isOk()) return fail(st);
    if (Status st = deleteSaeSet(*store, set.name); !st.isOk()) return fail(st);
    std::printf("deleted %s (%zu layers)\n", set.name.c_str(), set.layers.size());
    return 0;
}

// Shows a context with its token in brackets.
std::string bracketed(const std::string& text, const SaeContext& c) {
    if (c.byteBegin < 0 || c.byteEnd > static_cast<std::int64_t>(text.size()) || c.byteBegin >= c.byteEnd) return text;
    const auto b = static_cast<std::size_t>(c.byteBegin), e = static_cast<std::size_t>(c.byteEnd);
    return text.substr(0, b) + "[" + text.substr(b, e - b) + "]" + text.substr(e);
}

int runFeatures(Args& args) {
    if (!args.positional().empty()) return usage("unexpected argument '" + args.positional().front() + "'");
    if (!args.has("model")) return usage("--model DIR is required");
    if (!args.has("pairs")) return usage("--pairs FILE is required");
    if (!args.has("layer")) return usage("--layer L is required");
    if (!args.has("name") && !args.has("latest")) return usage("features needs --name NAME or --latest");
    DatasetReadOptions readOptions;
    if (std::string error; !parseDatasetOptions(args, readOptions, error)) return usage(error);
    const int layer = args.intValue("layer", -1);
    const int top = args.intValue("top", 10);
    SaeFeatureIndexOptions io;
    io.topContexts = args.intValue("contexts", 10);
    if (!args.ok()) return usage(args.error());
    if (layer < 0 || top < 1 || io.topContexts < 1) return usage("--layer must be >= 0, --top and --contexts positive");
    std::vector<int> chosen;
    if (args.has("features"))
        if (std::string error; !parseLayerList(args.value("features"), chosen, error))
            return usage("--features: " + error);

    DatasetSession session;
    if (int rc = openDatasetSession(args, readOptions, session)) return rc;
    const std::string fingerprint = session.engine->modelFingerprint();
    SaeSet set;
    if (Status st = findSet(*session.store, args, fingerprint, set); !st.isOk()) return fail(st);
    const SaeLayerResult* lr = saeLayer(set, layer);
    if (!lr) return fail(Status::failed("the SAE set '" + set.name + "' has no layer " + layerName(layer)));
    for (int f : chosen)
        if (f >= lr->sae.dSae)
            return usage("--features: the SAE of layer " + layerName(layer) + " has " + std::to_string(lr->sae.dSae) +
                         " features (0 .. " + std::to_string(lr->sae.dSae - 1) + ")");
    SaeFeatureIndex index;
    std::atomic<bool> cancel{false};
    StatusLine line;
    const Status st = withInterrupt(cancel, [&] {
        return buildSaeFeatureIndex(*session.model, fingerprint, *session.store, session.dataset, set, layer, io, index,
                                    [&](const SaeIndexProgress& p) {
                                        if (!line.due()) return true;
                                        const std::string text =
                                            p.stage == "scanning" && p.total > 0
                                                ? "scanning " + std::to_string(p.done) + " / " + std::to_string(p.total) + " token rows"
                                                : p.stage;
                                        line.show(text.c_str());
                                        return true;
                                    },
                                    &cancel);
    });
    line.finish();
    if (st.isCancelled()) return 130;
    if (!st.isOk()) return fail(st);

    std::vector<std::int32_t> features(chosen.begin(), chosen.end());
    if (features.empty()) {
        std::vector<std::int32_t> all(index.features.size());
        std::iota(all.begin(), all.end(), 0);
        std::stable_sort(all.begin(), all.end(), [&](std::int32_t a, std::int32_t b) {
            return index.features[static_cast<std::size_t>(a)].fireCount > index.features[static_cast<std::size_t>(b)].fireCount;
        });
        all.resize(std::min<std::size_t>(all.size(), static_cast<std::size_t>(top)));
        features = std::move(all);
    }
    nlohmann::json report = nlohmann::json::parse(saeFeatureIndexJson(index, features));
    std::vector<std::vector<SaeNeighbour>> neighbours;
    for (std::size_t i = 0; i < features.size(); ++i) {
        std::vector<SaeNeighbour> n;
        if (Status s2 = saeNearestFeatures(lr->sae, features[i], lr->sae, 5, n); !s2.isOk()) return fail(s2);
        nlohmann::json jn = nlohmann::json::array();
        for (const auto& x : n) jn.push_back({{"feature", x.feature}, {"cosine", x.cosine}});
        report["features"][i]["nearest_by_decoder_cosine"] = jn;
        neighbours.push_back(std::move(n));
    }
    return emitReport(args, report, [&] {
        std::printf("SAE %s, layer %s, on %s: %lld token rows\n", set.name.c_str(), layerName(layer).c_str(),
                    index.datasetName.c_str(), static_cast<long long>(index.tokens));
        for (std::size_t i = 0; i < features.size(); ++i) {
            const auto& p = index.features[static_cast<std::size_t>(features[i])];
            std::printf("\n#%d  fires on %lld tokens (%s %%), mean %s, max %s\n", features[i],
                        static_cast<long long>(p.fireCount), fixed(100 * index.firingFrequency(features[i]), 2).c_str(),
                        fixed(p.meanActivation, 3).c_str(), fixed(p.maxActivation, 3).c_str());
            std::printf("    nearest:");
            for (const auto& n : neighbours[i]) std::printf(" #%d (%s)", n.feature, fixed(n.cosine, 2).c_str());
            std::printf("\n");
            for (const auto& c : p.top)
                std::printf("    %8s  %s\n", fixed(c.value, 3).c_str(),
                            bracketed(index.sentences[static_cast<std::size_t>(c.sentence)], c).c_str());
        }
    });
}

int runList(Args& args) {
    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), true, store)) return rc;
    std::vector<SaeSet> sets;
    if (Status st = listSaeSets(*store, "", sets); !st.isOk()) return fail(st);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : sets) list.push_back(nlohmann::json::parse(saeSetJson(s)));
    return emitReport(args, list, [&] {
        if (sets.empty()) std::printf("no stored SAE set in %s\n", store->path().string().c_str());
        for (const auto& s : sets) {
            std::printf("%s  %s, %zu layers:", s.name.c_str(), s.imported ? "imported" : s.datasetName.c_str(),
                        s.layers.size());
            for (const auto& r : s.layers)
                std::printf(" %s (FVU %s)", layerName(r.layer).c_str(), fixed(r.metrics.fvu, 3).c_str());
            std::printf("\n");
        }
    });
}

} // namespace

int runSae(int argc, char** argv) {
    if (argc < 3 || !std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "-h") || !std::strcmp(argv[2], "help")) {
        std::fprintf(argc < 3 ? stderr : stdout, kSaeHelp, kModelOptionsHelp, kDatasetOptionsHelp, kStoreOptionsHelp);
        return argc < 3 ? 2 : 0;
    }
    const std::string sub = argv[2];
    std::set<std::string> flags = kDatasetFlagOptions;
    flags.insert({"include-specials", "retrain", "json", "latest", "help"});
    Args args(argc, argv, 3, trainValued(), flags);
    if (args.has("help")) {
        std::printf(kSaeHelp, kModelOptionsHelp, kDatasetOptionsHelp, kStoreOptionsHelp);
        return 0;
    }
    if (!args.ok()) return usage(args.error());
    if (sub == "train") return runTrainOrEval(args, false);
    if (sub == "eval") return runTrainOrEval(args, true);
    if (sub == "export") return runExport(args);
    if (sub == "import") return runImport(args);
    if (sub == "list") return runList(args);
    if (sub == "delete") return runDelete(args);
    if (sub == "features") return runFeatures(args);
    std::cerr << "error: unknown subcommand 'sae " << sub << "'\n\n";
    std::fprintf(stderr, kSaeHelp, kModelOptionsHelp, kDatasetOptionsHelp, kStoreOptionsHelp);
    return 2;
}

} // namespace gs::cli
