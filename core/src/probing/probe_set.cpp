// Probe sets: a probe for every requested layer of one task, trained from
// hidden states extracted once (hidden_state_extract.cpp), evaluated with
// the per-layer report of probing.h, stored as an artefact of the results
// store (probe_set_io.cpp), and applied to one sentence to give the
// token x layer probe-confidence heatmap.

#include "grammascope/layer_view.h"
#include "grammascope/probe_data.h"

#include "cache/hashing.h"
#include "probing/probe_set_io.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

namespace gs {

namespace {

constexpr const char* kProbeCodeVersion = "probe-set-1";

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The hex part of a fingerprint or hash, shortened for a name.
std::string shortHash(const std::string& h, std::size_t n = 12) {
    const auto dash = h.rfind('-');
    const std::string hex = dash == std::string::npos ? h : h.substr(dash + 1);
    return hex.substr(0, n);
}


void hashField(cache::Sha256& h, std::string_view s) {
    const std::uint64_t n = s.size();
    h.update(&n, sizeof n);
    h.update(s);
}

} // namespace

// ---------------------------------------------------------------- identity

std::string probeSetName(const std::string& modelFingerprint, const std::string& datasetHash,
                         const ProbeTrainRequest& r) {
    const nlohmann::json options = nlohmann::json::parse(detail::layerProbeOptionsJson(r.options));
    nlohmann::json key = {{"code", kProbeCodeVersion},
                          {"task", nlohmann::json::parse(probeTaskJson(r.spec))},
                          {"options", options},
                          {"layers", r.layers},
                          {"dev_fraction", r.devFraction},
                          {"test_fraction", r.testFraction},
                          {"split_seed", r.splitSeed},
                          {"max_length", r.maxLength}};
    if (r.learningCurve)
        key["curve"] = {{"layer", r.curveLayer}, {"points", r.curvePoints}, {"repeats", r.curveRepeats}};
    const nlohmann::json task = nlohmann::json::parse(probeTaskJson(r.spec));
    std::string unit = task.value("unit", std::string("token"));
    if (task.contains("word_pooling")) unit += "-" + task["word_pooling"].get<std::string>();
    if (task.contains("sentence_pooling")) unit += "-" + task["sentence_pooling"].get<std::string>();
    return task.value("task", r.spec.task) + "/" + unit + "/" + probeKindName(r.options.probe.kind) + "/" +
           shortHash(modelFingerprint) + "/" + shortHash(datasetHash) + "/" + shortHash(contentHash(key.dump()));
}

std::string probeSetName(const std::string& modelFingerprint, const std::string& datasetHash,
                         const ProbeTaskSpec& spec, const LayerProbeOptions& options) {
    ProbeTrainRequest r;
    r.spec = spec;
    r.options = options;
    return probeSetName(modelFingerprint, datasetHash, r);
}

std::string datasetContentHash(const Dataset& dataset) {
    // Length-prefixed fields, so that no two datasets share a byte stream.
    // The UD annotation is part of it: the ud:* and upos labels come from it.
    cache::Sha256 h;
    hashField(h, "grammascope-dataset-1");
    for (const DatasetItem& item : dataset.items) {
        hashField(h, item.id);
        hashField(h, item.phenomenon);
        for (const AnnotatedSentence* side : {&item.good, &item.bad}) {
            hashField(h, side->text);
            if (!side->hasUd()) {
                hashField(h, "");
                continue;
            }
            hashField(h, "ud");
            for (const SentenceWord& w : side->words) {
                hashField(h, w.text);
                hashField(h, w.ud ? w.ud->upos + "\t" + w.ud->feats : std::string("\t-"));
            }
        }
    }
    return h.finishHex();
}

Status resolveModelLayers(const Model& model, const std::vector<int>& requested, std::vector<int>& out) {
    const int L = static_cast<int>(model.info().config.numLayers);
    std::vector<int> layers = requested;
    if (layers.empty())
        for (int l = 0; l <= L; ++l) layers.push_back(l);
    std::sort(layers.begin(), layers.end());
    layers.erase(std::unique(layers.begin(), layers.end()), layers.end());
    for (int l : layers)
        if (l < 0 || l > L)
            return Status::failed("layer " + std::to_string(l) + " does not exist (the model has layers 0 to " +
                                  std::to_string(L) + ", 0 = embeddings)");
    out = std::move(layers);
    return Status::ok();
}

std::int64_t effectiveMaxLength(const Model& model, std::int64_t requested) {
    const std::int64_t modelMax = model.info().config.maxSequenceLength();
    return requested <= 0 || requested > modelMax ? modelMax : requested;
}

// ---------------------------------------------------------------- training

Status trainProbeSet(const Model& model, const std::string& fingerprint, ResultStore& store, const Dataset& dataset,
                     const ProbeTrainRequest& request, ProbeSet& out, bool& reused,
                     const ProbeTrainProgressCallback& progress, const std::atomic<bool>* cancel) {
    reused = false;
    const auto start = std::chrono::steady_clock::now();
    if (fingerprint.empty()) return Status::failed("training probes: the model has no fingerprint (register it first)");
    if (!(request.devFraction >= 0 && request.testFraction > 0 && request.devFraction + request.testFraction < 1))
        return Status::failed("training probes: the dev and test fractions must be in [0, 1) with test > 0 and a sum below 1");

    const std::string datasetHash = datasetContentHash(dataset);
    const std::string name = probeSetName(fingerprint, datasetHash, request);
    if (request.reuse) {
        ProbeSet stored;
        bool found = false;
        // A stored set that cannot be read is trained again (and replaced).
        if (loadProbeSet(store, name, stored, found).isOk() && found) {
            out = std::move(stored);
            reused = true;
            return Status::ok();
        }
    }

    std::vector<int> layers;
    if (Status st = resolveModelLayers(model, request.layers, layers); !st.isOk()) return st.withStage("training probes");
    const std::int64_t maxLength = effectiveMaxLength(model, request.maxLength);

    // Progress and cancellation. The inner functions poll one flag: the
    // caller's when given, else ours, which a progress callback returning
    // false sets (also checked here between every step).
    std::atomic<bool> stop{false};
    const std::atomic<bool>* innerCancel = cancel ? cancel : &stop;
    auto stopped = [&] { return stop.load() || (cancel && cancel->load()); };
    ProbeTrainProgress pr;
    pr.steps = 4 + static_cast<int>(layers.size()) + (request.learningCurve ? 1 : 0);
    auto report = [&](const std::string& stage) {
        pr.stage = stage;
        if (progress && !progress(pr)) stop = true;
        return !stopped();
    };

    if (!report("examples")) return Status::cancelled();
    ProbeExampleSet set;
    if (Status st = buildProbeExamples(model.tokenizer(), dataset, request.spec, maxLength, set); !st.isOk()) return st;
    const int K = static_cast<int>(set.classes.size());
    ++pr.step;

    if (!report("hidden states")) return Status::cancelled();
    HiddenStateTable table;
    ExtractionProgressCallback extractionProgress = [&](const ExtractionProgress& e) {
        pr.extraction = e;
        return report("hidden states");
    };
    if (Status st = extractHiddenStates(model, fingerprint, store, set.sentences, maxLength, request.batchTokens, table,
                                        extractionProgress, innerCancel);
        !st.isOk())
        return st;
    if (stopped()) return Status::cancelled();
    ++pr.step;

    // Labels, control labels, the split by sentence group.
    std::vector<std::int32_t> y;
    std::vector<std::int64_t> groups;
    std::vector<std::string> wordTypes;
    for (const auto& e : set.examples) {
        y.push_back(e.label);
        groups.push_back(set.sentenceGroup[static_cast<std::size_t>(e.sentence)]);
        wordTypes.push_back(e.wordType);
    }
    std::vector<std::int32_t> control;
    if (request.options.control) control = controlLabels(wordTypes, y, K, request.spec.seed);
    const RowSplit split = splitByGroup(groups, request.devFraction, request.testFraction, request.splitSeed);
    if (split.train.empty() || split.test.empty())
        return Status::failed("training probes: " + std::to_string(std::set<std::int64_t>(groups.begin(), groups.end()).size()) +
                              " sentence groups are too few for a train and a test split; use a larger dataset");

    ProbeSet result;
    result.name = name;
    result.modelFingerprint = fingerprint;
    result.datasetHash = datasetHash;
    result.datasetName = dataset.name;
    result.spec = set.spec;
    result.options = request.options;
    result.classes = set.classes;
    result.classCounts = set.classCounts;
    result.layers = layers;
    result.examples = static_cast<std::int64_t>(set.examples.size());
    result.sentences = static_cast<std::int64_t>(set.sentences.size());
    result.warnings = set.warnings;
    result.devFraction = request.devFraction;
    result.testFraction = request.testFraction;
    result.splitSeed = request.splitSeed;
    result.maxLength = maxLength;

    // The random-representation baseline: the same for every layer (one width).
    if (!report("random representation")) return Status::cancelled();
    double randomAccuracy = 0;
    {
        const Status st = randomRepresentationAccuracy(model.info().config.hiddenSize, y, K, split, request.options.probe,
                                                       request.spec.seed, randomAccuracy, innerCancel);
        if (st.isCancelled() || stopped()) return Status::cancelled();
        if (!st.isOk()) return st.withStage("training probes");
    }
    ++pr.step;

    FeatureMatrix x;
    for (int layer : layers) {
        const std::string stage = "layer " + layerRowLabel(layer);
        if (!report(stage + ": probe")) return Status::cancelled();
        if (Status st = table.gather(layer, set, x); !st.isOk()) return st.withStage("training probes");
        LayerProbeReport rep;
        TrainedProbe probe;
        ProbeProgressCallback inner = [&](int, int, const std::string& what) { report(stage + ": " + what); };
        const Status st = evaluateLayerProbe(x, y, control, K, split, request.options, rep, probe, inner, innerCancel);
        if (st.isCancelled() || stopped()) return Status::cancelled();
        if (!st.isOk()) return st.withStage("training the probe of " + stage);
        rep.layer = layer;
        rep.randomAccuracy = randomAccuracy;
        result.reports.push_back(rep);
        result.probes.push_back(std::move(probe));
        ++pr.step;
    }

    if (request.learningCurve) {
        int curveLayer = request.curveLayer;
        if (curveLayer < 0) {
            double best = -1;
            for (const auto& r : result.reports)
                if (std::isfinite(r.accuracy) && r.accuracy > best) {
                    best = r.accuracy;
                    curveLayer = r.layer;
                }
        }
        if (curveLayer < 0 || curveLayer > static_cast<int>(model.info().config.numLayers))
            return Status::failed("training probes: no layer " + std::to_string(curveLayer) + " for the learning curve");
        if (!report("layer " + layerRowLabel(curveLayer) + ": learning curve")) return Status::cancelled();
        if (Status st = table.gather(curveLayer, set, x); !st.isOk()) return st.withStage("learning curve");
        ProbeProgressCallback inner = [&](int, int, const std::string& what) {
            report("layer " + layerRowLabel(curveLayer) + ": learning curve: " + what);
        };
        const Status st = bayesianMiLearningCurve(x, y, K, split, request.options.probe, request.curvePoints,
                                                  request.curveRepeats, result.learningCurve, inner, innerCancel);
        if (st.isCancelled() || stopped()) return Status::cancelled();
        if (!st.isOk()) return st.withStage("learning curve");
        result.curveLayer = curveLayer;
        ++pr.step;
    }

    if (!report("saving")) return Status::cancelled();
    result.createdMs = nowMs();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ArtefactRecord record;
    record.kind = "probe";
    record.name = name;
    record.modelFingerprint = fingerprint;
    record.metadataJson = probeSetJson(result);
    record.data = detail::probeWeightsSafetensors(result);
    std::int64_t id = 0;
    if (Status st = store.putArtefact(record, id); !st.isOk()) {
        out = std::move(result);  // trained all the same: the caller may still export it
        return st.withStage("saving probe set '" + name + "'");
    }
    ++pr.step;
    report("done");
    out = std::move(result);
    return Status::ok();
}

// ---------------------------------------------------------------- applying

namespace {

// The units of one sentence: the token positions pooled into each, and the
// unit of every token.
struct SentenceUnits {
    std::vector<std::vector<std::int64_t>> units;
    std::vector<std::int64_t> unitOf;
};

SentenceUnits unitsOf(const ProbeTaskSpec& spec, const Encoding& encoding) {
    SentenceUnits s;
    const auto& tokens = encoding.tokens;
    const auto T = static_cast<std::int64_t>(tokens.size());
    s.unitOf.assign(static_cast<std::size_t>(T), 0);
    if (spec.unit == ProbeUnit::Sentence) {
        std::vector<std::int64_t> all;
        for (std::int64_t t = 0; t < T; ++t)
            if (!tokens[static_cast<std::size_t>(t)].special) all.push_back(t);
        if (all.empty() || spec.sentencePooling == SentencePooling::First) all = {0};
        s.units.push_back(std::move(all));
        return s;
    }
    for (std::int64_t t = 0; t < T; ++t) {
        const Token& tok = tokens[static_cast<std::size_t>(t)];
        // Words as the heatmap's word columns: consecutive non-special pieces of one word.
        const bool extend = spec.unit == ProbeUnit::Word && t > 0 && !tok.special && tok.wordIndex >= 0 &&
                            !tokens[static_cast<std::size_t>(t - 1)].special &&
                            tokens[static_cast<std::size_t>(t - 1)].wordIndex == tok.wordIndex;
        if (extend) s.units.back().push_back(t);
        else s.units.push_back({t});
        s.unitOf[static_cast<std::size_t>(t)] = static_cast<std::int64_t>(s.units.size()) - 1;
    }
    return s;
}

} // namespace

Status applyProbeSet(const ProbeSet& set, const std::vector<const EncodeResult*>& hidden, int classIndex,
                     TokenGrouping grouping, std::vector<Heatmap>& out) {
    const std::string what = "applying probe set '" + set.name + "'";
    if (set.probes.size() != set.layers.size() || set.probes.empty())
        return Status::failed(what + ": it holds no probes (a listed set: load it with loadProbeSet)");
    if (classIndex < 0 || classIndex >= static_cast<int>(set.classes.size()))
        return Status::failed(what + ": class " + std::to_string(classIndex) + " out of range (" +
                              std::to_string(set.classes.size()) + " classes)");
    const bool firstPiece = set.spec.unit == ProbeUnit::Word && set.spec.wordPooling == WordPooling::First;
    std::vector<SentenceUnits> units;
    std::vector<std::int64_t> firstRow;  // per sentence: its first unit's row in the matrix
    std::int64_t rows = 0, H = -1;
    for (std::size_t i = 0; i < hidden.size(); ++i) {
        const EncodeResult* r = hidden[i];
        const std::string which = hidden.size() > 1 ? " (sentence " + std::to_string(i + 1) + ")" : std::string();
        if (!r || r->numTokens < 1 ||
            r->hidden.size() != static_cast<std::size_t>((r->numLayers + 1) * r->numTokens * r->hiddenSize))
            return Status::failed(what + which + ": the encoding holds no hidden states");
        if (static_cast<std::int64_t>(r->encoding.tokens.size()) != r->numTokens)
            return Status::failed(what + which + ": the encoding's tokens do not match its hidden states");
        if (H >= 0 && r->hiddenSize != H) return Status::failed(what + which + ": hidden sizes differ");
        H = r->hiddenSize;
        for (std::size_t k = 0; k < set.layers.size(); ++k) {
            if (set.layers[k] < 0 || set.layers[k] > r->numLayers)
                return Status::failed(what + which + ": layer " + std::to_string(set.layers[k]) +
                                      " is not in the encoding (" + std::to_string(r->numLayers) + " layers)");
            if (set.probes[k].inputDim != H)
                return Status::failed(what + ": the probes read " + std::to_string(set.probes[k].inputDim) +
                                      "-dimensional vectors, the model gives " + std::to_string(H) + " (another model?)");
        }
        units.push_back(unitsOf(set.spec, r->encoding));
        firstRow.push_back(rows);
        rows += static_cast<std::int64_t>(units.back().units.size());
    }
    std::vector<Heatmap> result(hidden.size());
    if (hidden.empty()) {
        out.clear();
        return Status::ok();
    }

    // One matrix per layer for every unit of every sentence: one probe call per layer.
    FeatureMatrix x;
    x.rows = rows;
    x.cols = H;
    x.data.resize(static_cast<std::size_t>(rows * H));
    std::vector<std::vector<float>> tokenValues(hidden.size());  // per sentence [layers x T]
    for (std::size_t i = 0; i < hidden.size(); ++i)
        tokenValues[i].resize(set.layers.size() * static_cast<std::size_t>(hidden[i]->numTokens));
    std::vector<float> probabilities;
    std::vector<double> sum(static_cast<std::size_t>(H));
    for (std::size_t k = 0; k < set.layers.size(); ++k) {
        const int layer = set.layers[k];
        for (std::size_t i = 0; i < hidden.size(); ++i) {
            for (std::size_t u = 0; u < units[i].units.size(); ++u) {
                const auto& members = units[i].units[u];
                const std::size_t n = firstPiece ? 1 : members.size();
                std::fill(sum.begin(), sum.end(), 0.0);
                for (std::size_t m = 0; m < n; ++m) {
                    const float* h = hidden[i]->hiddenAt(layer, members[m]);
                    for (std::int64_t d = 0; d < H; ++d) sum[static_cast<std::size_t>(d)] += h[d];
                }
                float* dst = x.row(firstRow[i] + static_cast<std::int64_t>(u));
                for (std::int64_t d = 0; d < H; ++d)
                    dst[d] = static_cast<float>(sum[static_cast<std::size_t>(d)] / static_cast<double>(n));
            }
        }
        if (Status st = predictProbabilities(set.probes[k], x, probabilities); !st.isOk()) return st.withStage(what);
        const auto C = static_cast<std::size_t>(set.probes[k].numClasses);
        for (std::size_t i = 0; i < hidden.size(); ++i) {
            const std::int64_t T = hidden[i]->numTokens;
            for (std::int64_t t = 0; t < T; ++t) {
                const auto row = static_cast<std::size_t>(firstRow[i] + units[i].unitOf[static_cast<std::size_t>(t)]);
                tokenValues[i][k * static_cast<std::size_t>(T) + static_cast<std::size_t>(t)] =
                    probabilities[row * C + static_cast<std::size_t>(classIndex)];
            }
        }
    }

    const ProbeTaskInfo* info = findProbeTask(set.spec.task);
    const std::string title = "P(" + set.classes[static_cast<std::size_t>(classIndex)] + ") · " +
                              (info ? (info->id == "ud:" ? set.spec.task : info->label) : set.spec.task) + " probe";
    for (std::size_t i = 0; i < hidden.size(); ++i) {
        Heatmap& h = result[i];
        const std::int64_t T = hidden[i]->numTokens;
        setHeatmapColumns(hidden[i]->encoding, grouping, h);
        h.rows = static_cast<int>(set.layers.size());
        h.values.assign(static_cast<std::size_t>(h.rows) * static_cast<std::size_t>(h.cols), 0.0f);
        for (int r = 0; r < h.rows; ++r) {
            h.rowLabels.push_back(layerRowLabel(set.layers[static_cast<std::size_t>(r)]));
            for (int c = 0; c < h.cols; ++c) {
                const auto b = h.colTokenBegin[static_cast<std::size_t>(c)], e = h.colTokenEnd[static_cast<std::size_t>(c)];
                double v = 0;
                for (auto t = b; t < e; ++t) v += tokenValues[i][static_cast<std::size_t>(r * T + t)];
                h.values[static_cast<std::size_t>(r) * static_cast<std::size_t>(h.cols) + static_cast<std::size_t>(c)] =
                    static_cast<float>(v / static_cast<double>(e - b));
            }
        }
        h.title = title;
        h.diverging = false;
    }
    out = std::move(result);
    return Status::ok();
}

Status applyProbeSet(const ProbeSet& set, const EncodeResult& hidden, int classIndex, TokenGrouping grouping,
                     Heatmap& out) {
    std::vector<Heatmap> maps;
    if (Status st = applyProbeSet(set, {&hidden}, classIndex, grouping, maps); !st.isOk()) return st;
    out = std::move(maps.front());
    return Status::ok();
}

} // namespace gs
