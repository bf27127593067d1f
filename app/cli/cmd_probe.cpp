// grammascope-cli probe: diagnostic probes on every layer of a model for one
// task of a dataset (methods.md §4–5), with the per-layer table people read
// (accuracy, F1, baselines, control task, MI, MDL, SMI) and the JSON behind
// it. Hidden states and trained probe sets are kept in the results store, so
// the same command again prints the stored set at once.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/dataset_options.h"
#include "cli/dataset_session.h"
#include "cli/interrupt.h"
#include "cli/status_line.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "cli/store_options.h"
#include "grammascope/analysis_engine.h"
#include "grammascope/probe_data.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>
#include <unordered_set>

namespace gs::cli {
namespace {

const char* kProbeHelp =
    "usage: grammascope-cli probe --model DIR --pairs FILE --task TASK [options]\n"
    "\n"
    "Trains a probe (logistic regression or a one-hidden-layer MLP) on the hidden states of\n"
    "every layer for one labelling of a dataset, and prints per layer: test accuracy and\n"
    "macro-F1, the majority-class baseline, the control task (each word type a random label)\n"
    "and selectivity (accuracy - control), V-information (Bayesian MI) in bits, the MDL\n"
    "online codelength in kbits with its compression, and sliced MI (SMI) in bits. Splits\n"
    "are by sentence (both sentences of a pair on the same side). The hidden states are\n"
    "extracted once and kept next to the results store; the trained set is stored too, and\n"
    "the same command prints it again without training (--retrain trains anew). Ctrl+C\n"
    "cancels (exit code 130).\n"
    "\n"
    "tasks:\n"
    "  changed                1 for the tokens of the words a pair changes, 0 for the others\n"
    "  polypersonal           1 for the polypersonal verb form of polypersonal pairs, 0 for\n"
    "                         every other word of those pairs\n"
    "  ud:FEATURE             a UD feature of annotated words (ud:Number, ud:Case, ...; CoNLL-U)\n"
    "  upos                   the UD part of speech (CoNLL-U)\n"
    "  grammatical            sentence level: good = 1, bad = 0\n"
    "  polypersonal-sentence  sentence level: polypersonal side = 1, standard side = 0\n"
    "\n"
    "options:\n"
    "%s"
    "  --pairs FILE         the dataset (any format 'pairs stats' reads)\n"
    "%s"
    "  --task TASK          what to probe (required)\n"
    "  --unit U             token (default) or word, for token-level tasks\n"
    "  --pooling P          mean (default) or first: a word's pieces, or a sentence's tokens\n"
    "                       (first = the [CLS] / <s> token)\n"
    "  --layers LIST        layers to probe, e.g. 0,2-4 (0 = embeddings; default: all)\n"
    "  --probe KIND         linear (default) or mlp\n"
    "  --hidden-units N     MLP hidden units (default 128)\n"
    "  --no-control         skip the control task\n"
    "  --no-mdl             skip the MDL online code\n"
    "  --no-smi             skip sliced mutual information\n"
    "  --slices N           SMI random directions (default 1000)\n"
    "  --learning-curve     Bayesian-MI learning curve on the best layer (or --curve-layer N)\n"
    "  --curve-layer N      the layer of the learning curve\n"
    "  --max-examples N     a seeded subset of sentences giving about N examples\n"
    "  --min-class-count N  drop classes with fewer examples (default 5)\n"
    "  --seed N             seed of the split, the subset, the control task and the probes\n"
    "                       (default 1)\n"
    "  --max-length N       truncate sentences to N tokens (default: the model maximum)\n"
    "  --batch-tokens N     padded tokens per forward pass when extracting (default 8192)\n"
    "  --retrain            train even when the store holds this probe set\n"
    "%s"
    "  --out FILE           write the report as JSON\n"
    "  --json               print the JSON report instead of the table\n"
    "  --export DIR         write the probe set as DIR/probes.safetensors + DIR/probes.json\n"
    "  --confidence-out F   per-token, per-layer probe confidence P(class) for every sentence\n"
    "                       of the dataset (or --sentence TEXT) as JSON\n"
    "  --sentence TEXT      with --confidence-out: this sentence only\n"
    "  --class NAME         with --confidence-out: this class only (default: 'yes' for\n"
    "                       two-class tasks, every class otherwise)\n";

int usage(const std::string& message) { return usageError("probe", message); }

std::string layerName(int l) { return l == 0 ? std::string("emb") : std::to_string(l); }

// The progress line on stderr, rewritten in place on a terminal, every 10 s in a log.
class ProbeMeter {
public:
    bool update(const ProbeTrainProgress& p) {
        if (interrupted()) return false;
        const auto now = Clock::now();
        if (p.stage == "hidden states" && m_extractionStart == Clock::time_point{}) m_extractionStart = now;
        if (p.stage == "hidden states") m_extraction = p.extraction;
        if (m_stage == "hidden states" && p.stage != m_stage) reportExtraction(now);
        if (!m_line.due(p.stage != m_stage)) return true;
        m_stage = p.stage;
        char line[256];
        if (p.stage == "hidden states" && p.extraction.sentencesTotal > 0)
            std::snprintf(line, sizeof line, "probe [%d/%d] hidden states: %lld/%lld sentences%s, %.0f tokens/s", p.step,
                          p.steps, static_cast<long long>(p.extraction.sentencesDone),
                          static_cast<long long>(p.extraction.sentencesTotal),
                          p.extraction.fromCache ? " (from the store)" : "", p.extraction.tokensPerSecond);
        else
            std::snprintf(line, sizeof line, "probe [%d/%d] %s", p.step, p.steps, p.stage.c_str());
        m_line.show(line);
        return true;
    }
    void finish() { m_line.finish(); }

private:
    using Clock = std::chrono::steady_clock;

    // One line when the extraction is over, in a log too.
    void reportExtraction(Clock::time_point now) {
        const ExtractionProgress& e = m_extraction;
        char line[256];
        if (e.fromCache)
            std::snprintf(line, sizeof line, "hidden states of %lld sentences: from the store",
                          static_cast<long long>(e.sentencesTotal));
        else
            std::snprintf(line, sizeof line, "hidden states of %lld sentences (%lld tokens) extracted in %.1f s, %.0f tokens/s",
                          static_cast<long long>(e.sentencesDone), static_cast<long long>(e.tokensDone),
                          std::chrono::duration<double>(now - m_extractionStart).count(), e.tokensPerSecond);
        m_line.showLasting(line);
    }

    StatusLine m_line;
    std::string m_stage;
    Clock::time_point m_extractionStart{};
    ExtractionProgress m_extraction;
};

std::string fixed(double v, int decimals, bool sign = false) {
    if (!std::isfinite(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v);
    return buf;
}

void printTable(const ProbeSet& set, bool reused, double wallSeconds) {
    std::printf("probe set %s%s\n", set.name.c_str(), reused ? " (from the store)" : "");
    std::printf("task %s, unit %s, %s probe; %lld examples from %lld sentences\n", set.spec.task.c_str(),
                probeUnitName(set.spec.unit), probeKindName(set.options.probe.kind),
                static_cast<long long>(set.examples), static_cast<long long>(set.sentences));
    std::printf("classes:");
    for (std::size_t k = 0; k < set.classes.size(); ++k)
        std::printf(" %s %lld", set.classes[k].c_str(),
                    static_cast<long long>(k < set.classCounts.size() ? set.classCounts[k] : 0));
    std::printf("\n");
    if (!set.reports.empty())
        std::printf("rows: train %lld, dev %lld, test %lld\n", static_cast<long long>(set.reports[0].trainRows),
                    static_cast<long long>(set.reports[0].devRows), static_cast<long long>(set.reports[0].testRows));
    std::printf("\n%-5s %6s %6s %6s %6s %6s %7s %7s %9s %6s %7s %6s\n", "layer", "acc", "F1", "major", "random", "ctrl",
                "select", "MI bit", "MDL kbit", "compr", "SMI bit", "epochs");
    for (const auto& r : set.reports)
        std::printf("%-5s %6s %6s %6s %6s %6s %7s %7s %9s %6s %7s %6d\n", layerName(r.layer).c_str(),
                    fixed(r.accuracy, 3).c_str(), fixed(r.macroF1, 3).c_str(), fixed(r.majority, 3).c_str(),
                    fixed(r.randomAccuracy, 3).c_str(), fixed(r.controlAccuracy, 3).c_str(), fixed(r.selectivity, 3, true).c_str(),
                    fixed(r.informationBits, 3).c_str(), fixed(r.mdlBits / 1000.0, 2).c_str(),
                    fixed(r.mdlCompression, 2).c_str(), fixed(r.slicedMiBits, 3).c_str(), r.epochs);
    if (!set.reports.empty())
        std::printf("H(T) = %s bits (test split); random = the same probe on random vectors of the hidden width "
                    "(no information: its accuracy is what the label distribution alone gives)\n",
                    fixed(set.reports[0].labelEntropyBits, 3).c_str());
    if (!set.learningCurve.empty()) {
        std::printf("\nlearning curve, layer %s (V-information in bits, mean [min, max]):\n",
                    layerName(set.curveLayer).c_str());
        for (const auto& p : set.learningCurve)
            std::printf("  %7lld rows  %7s [%s, %s]\n", static_cast<long long>(p.trainRows),
                        fixed(p.informationBits, 3).c_str(), fixed(p.minBits, 3).c_str(), fixed(p.maxBits, 3).c_str());
    }
    std::printf("\ntraining %.1f s; this command %.1f s\n", set.seconds, wallSeconds);
}

double rounded(float v) { return std::isfinite(v) ? std::round(static_cast<double>(v) * 1e5) / 1e5 : 0.0; }

// Per-token, per-layer confidences of every sentence. Dataset sentences are
// read from the hidden-state table (extracted once, batched); a sentence of
// --sentence runs through the model.
int writeConfidences(const Model& model, const std::string& fingerprint, ResultStore& store, const ProbeSet& set,
                     const std::vector<std::string>& sentences, bool fromTable, std::int64_t batchTokens,
                     const std::vector<int>& classIndices, const std::filesystem::path& file) {
    auto fail = [](const Status& st) {
        std::cerr << "error: " << st.message() << "\n";
        return st.isCancelled() ? 130 : 1;
    };
    const std::int64_t maxLength = set.maxLength > 0 ? set.maxLength : model.info().config.maxSequenceLength();
    HiddenStateTable table;
    if (fromTable) {
        if (Status st = extractHiddenStates(model, fingerprint, store, sentences, maxLength, batchTokens, table,
                                            [](const ExtractionProgress&) { return !interrupted(); });
            !st.isOk())
            return fail(st.withStage("confidences"));
    }
    nlohmann::json list = nlohmann::json::array();
    constexpr std::size_t kChunk = 512;  // sentences per batched probe evaluation
    for (std::size_t begin = 0; begin < sentences.size(); begin += kChunk) {
        if (interrupted()) return 130;
        const std::size_t end = std::min(sentences.size(), begin + kChunk);
        std::vector<EncodeResult> results(end - begin);
        for (std::size_t i = begin; i < end; ++i) {
            EncodeResult& r = results[i - begin];
            if (!fromTable) {
                if (Status st = model.encode(sentences[i], EncodeRequest{}, r); !st.isOk())
                    return fail(st.withStage("confidences of '" + sentences[i] + "'"));
                continue;
            }
            if (Status st = model.tokenizer().encode(sentences[i], maxLength, r.encoding); !st.isOk())
                return fail(st.withStage("confidences of '" + sentences[i] + "'"));
            const std::int64_t row = table.findSentence(sentences[i]);
            if (Status st = table.hiddenStates(row, r.hidden); !st.isOk()) return fail(st);
            r.numTokens = static_cast<std::int64_t>(r.encoding.tokens.size());
            r.numLayers = table.layers() - 1;
            r.hiddenSize = table.hiddenSize();
            if (table.tokens(row) != r.numTokens)
                return fail(Status::failed(table.file().string() + " does not match the tokenizer"));
        }
        std::vector<const EncodeResult*> pointers;
        for (const auto& r : results) pointers.push_back(&r);
        std::vector<nlohmann::json> values(results.size(), nlohmann::json::object());
        std::vector<Heatmap> maps;
        for (int k : classIndices) {
            if (Status st = applyProbeSet(set, pointers, k, TokenGrouping::Tokens, maps); !st.isOk()) return fail(st);
            for (std::size_t i = 0; i < maps.size(); ++i) {
                nlohmann::json rows = nlohmann::json::array();
                for (int row = 0; row < maps[i].rows; ++row) {
                    nlohmann::json cells = nlohmann::json::array();
                    for (int c = 0; c < maps[i].cols; ++c) cells.push_back(rounded(maps[i].at(row, c)));
                    rows.push_back(std::move(cells));
                }
                values[i][set.classes[static_cast<std::size_t>(k)]] = std::move(rows);
            }
        }
        for (std::size_t i = 0; i < results.size(); ++i) {
            std::vector<std::string> tokens;
            for (const Token& t : results[i].encoding.tokens) tokens.push_back(displayTokenText(t));
            list.push_back({{"text", sentences[begin + i]}, {"tokens", tokens}, {"confidence", std::move(values[i])}});
        }
    }
    nlohmann::json layers = nlohmann::json::array();
    for (int l : set.layers) layers.push_back(layerName(l));
    std::vector<std::string> classes;
    for (int k : classIndices) classes.push_back(set.classes[static_cast<std::size_t>(k)]);
    nlohmann::json j = {{"format", "grammascope-probe-confidence"},
                        {"version", 1},
                        {"probe_set", set.name},
                        {"task", set.spec.task},
                        {"unit", probeUnitName(set.spec.unit)},
                        {"classes", classes},
                        {"layers", layers},
                        {"sentences", std::move(list)}};
    if (Status st = writeTextFile(file, j.dump() + "\n"); !st.isOk()) return fail(st);
    return 0;
}

} // namespace

int runProbe(int argc, char** argv) {
    std::set<std::string> valued = kModelValuedOptions;
    valued.insert({"pairs", "task", "unit", "pooling", "layers", "probe", "hidden-units", "slices", "curve-layer",
                   "max-examples", "min-class-count", "seed", "max-length", "batch-tokens", "db", "out", "export",
                   "confidence-out", "sentence", "class"});
    valued.insert(kDatasetValuedOptions.begin(), kDatasetValuedOptions.end());
    std::set<std::string> flags = kDatasetFlagOptions;
    flags.insert({"no-control", "no-mdl", "no-smi", "learning-curve", "retrain", "json", "help"});
    Args args(argc, argv, 2, valued, flags);
    if (args.has("help")) {
        std::printf(kProbeHelp, kModelOptionsHelp, kDatasetOptionsHelp, kStoreOptionsHelp);
        return 0;
    }
    const auto started = std::chrono::steady_clock::now();
    if (!args.ok()) return usage(args.error());
    if (!args.positional().empty()) return usage("unexpected argument '" + args.positional().front() + "'");
    if (!args.has("model")) return usage("--model DIR is required");
    if (!args.has("pairs")) return usage("--pairs FILE is required");
    if (!args.has("task")) return usage("--task TASK is required (changed, polypersonal, ud:FEATURE, upos, grammatical, polypersonal-sentence)");
    DatasetReadOptions readOptions;
    if (std::string error; !parseDatasetOptions(args, readOptions, error)) return usage(error);
    ModelOptions modelOptions;
    if (std::string error; !parseModelOptions(args, modelOptions, error)) return usage(error);

    ProbeTrainRequest request;
    if (Status st = parseProbeTask(args.value("task"), request.spec); !st.isOk()) return usage(st.message());
    const std::string unit = args.value("unit", "token");
    if (unit == "word") request.spec.unit = ProbeUnit::Word;
    else if (unit != "token") return usage("--unit must be token or word, not '" + unit + "'");
    const std::string pooling = args.value("pooling", "mean");
    if (pooling != "mean" && pooling != "first") return usage("--pooling must be mean or first, not '" + pooling + "'");
    request.spec.wordPooling = pooling == "first" ? WordPooling::First : WordPooling::Mean;
    request.spec.sentencePooling = pooling == "first" ? SentencePooling::First : SentencePooling::Mean;
    const std::string kind = args.value("probe", "linear");
    if (kind != "linear" && kind != "mlp") return usage("--probe must be linear or mlp, not '" + kind + "'");
    request.options.probe.kind = kind == "mlp" ? ProbeKind::Mlp : ProbeKind::Linear;
    request.options.probe.hiddenUnits = args.intValue("hidden-units", request.options.probe.hiddenUnits);
    request.options.control = !args.has("no-control");
    request.options.mdl = !args.has("no-mdl");
    request.options.slicedMi = !args.has("no-smi");
    request.options.slicedMiOptions.slices = args.intValue("slices", request.options.slicedMiOptions.slices);
    request.learningCurve = args.has("learning-curve") || args.has("curve-layer");
    request.curveLayer = args.intValue("curve-layer", -1);
    request.spec.maxExamples = args.intValue("max-examples", 0);
    request.spec.minClassCount = args.intValue("min-class-count", 5);
    const int seed = args.intValue("seed", 1);
    request.maxLength = args.intValue("max-length", 0);
    request.batchTokens = args.intValue("batch-tokens", 8192);
    request.reuse = !args.has("retrain");
    if (!args.ok()) return usage(args.error());
    if (args.has("layers")) {
        if (std::string error; !parseLayerList(args.value("layers"), request.layers, error)) return usage(error);
    }
    if (seed < 0) return usage("--seed must not be negative");
    request.spec.seed = request.splitSeed = request.options.probe.seed = static_cast<std::uint64_t>(seed);
    request.options.slicedMiOptions.seed = static_cast<std::uint64_t>(seed);
    if (request.options.slicedMiOptions.slices < 1) return usage("--slices must be at least 1");
    if (request.options.probe.hiddenUnits < 1) return usage("--hidden-units must be at least 1");
    if (request.spec.maxExamples < 0 || request.maxLength < 0) return usage("--max-examples and --max-length must not be negative");
    if (request.batchTokens < 1) return usage("--batch-tokens must be at least 1");
    if (args.has("sentence") && !args.has("confidence-out")) return usage("--sentence needs --confidence-out FILE");

    DatasetSession session;
    if (int rc = openDatasetSession(args, readOptions, session)) return rc;
    const Dataset& dataset = session.dataset;
    std::unique_ptr<ResultStore>& store = session.store;
    const std::filesystem::path db = store->path();
    std::shared_ptr<const Model>& model = session.model;
    AnalysisEngine& engine = *session.engine;
    ProbeMeter meter;
    ProbeSet set;
    bool reused = false;
    // Ctrl+C reaches the inner loops (epochs, MDL blocks, slices) through a
    // flag they poll; the signal handler only sets a sig_atomic_t, so a
    // small watcher turns it into that flag.
    std::atomic<bool> cancel{false}, finished{false};
    std::thread watcher([&] {
        while (!finished.load()) {
            if (interrupted()) {
                cancel = true;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    const Status st = trainProbeSet(*model, engine.modelFingerprint(), *store, dataset, request, set, reused,
                                    [&](const ProbeTrainProgress& p) { return meter.update(p); }, &cancel);
    finished = true;
    watcher.join();
    meter.finish();
    if (st.isCancelled()) {
        std::cerr << "cancelled; hidden states already extracted stay in the store\n";
        return 130;
    }
    if (!st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        if (set.probes.empty()) return 1;  // else trained but not saved: still report and export
    }
    for (std::size_t i = 0; i < set.warnings.size() && i < kPrintedIssues; ++i)
        std::cerr << "warning: " << set.warnings[i] << "\n";
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    nlohmann::json report = nlohmann::json::parse(probeSetJson(set));
    report["reused"] = reused;
    report["db"] = db.string();
    report["wall_seconds"] = wall;
    if (args.has("json")) std::cout << report.dump(2) << "\n";
    else printTable(set, reused, wall);
    int rc = st.isOk() ? 0 : 1;
    if (args.has("out")) {
        if (Status w = writeTextFile(args.value("out"), report.dump(2) + "\n"); !w.isOk()) {
            std::cerr << "error: " << w.message() << "\n";
            rc = 1;
        }
    }
    if (args.has("export")) {
        if (Status e = exportProbeSet(set, args.value("export")); !e.isOk()) {
            std::cerr << "error: " << e.message() << "\n";
            rc = 1;
        } else if (!args.has("json")) {
            std::printf("exported to %s\n", args.value("export").c_str());
        }
    }
    if (args.has("confidence-out")) {
        std::vector<int> classIndices;
        if (args.has("class")) {
            const auto it = std::find(set.classes.begin(), set.classes.end(), args.value("class"));
            if (it == set.classes.end()) {
                std::cerr << "error: --class '" << args.value("class") << "' is not a class of this task\n";
                return 1;
            }
            classIndices.push_back(static_cast<int>(it - set.classes.begin()));
        } else if (set.classes.size() == 2 && set.classes[1] == "yes") {
            classIndices.push_back(1);
        } else {
            for (std::size_t k = 0; k < set.classes.size(); ++k) classIndices.push_back(static_cast<int>(k));
        }
        std::vector<std::string> sentences;
        if (args.has("sentence")) {
            sentences.push_back(args.value("sentence"));
        } else {
            std::unordered_set<std::string> seen;
            for (const auto& item : dataset.items)
                for (const std::string* s : {&item.good.text, &item.bad.text})
                    if (!s->empty() && seen.insert(*s).second) sentences.push_back(*s);
        }
        if (int c = writeConfidences(*model, engine.modelFingerprint(), *store, set, sentences, !args.has("sentence"),
                                     request.batchTokens, classIndices, args.value("confidence-out"));
            c != 0)
            return c;
        if (!args.has("json"))
            std::printf("confidences of %zu sentences written to %s\n", sentences.size(),
                        args.value("confidence-out").c_str());
    }
    return rc;
}

} // namespace gs::cli
