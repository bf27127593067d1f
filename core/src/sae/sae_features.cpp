// Reading SAE sets (sae_features.h): sentence heatmaps, feature traces across
// layers, decoder neighbours, pair differences, and the dataset index of each
// feature's firing frequency, histogram and top contexts. Codes come from
// encodeSae (sae_train.cpp), so this file needs no LibTorch.

#include "grammascope/sae_features.h"

#include "model/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>

namespace gs {

namespace {

using json = nlohmann::json;

constexpr const char* kIndexKind = "sae-index";
constexpr const char* kIndexVersion = "sae-index-1";
constexpr std::int64_t kScanChunkRows = 4096;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();


// Latents a row of codes can hold: TopK keeps k, ReLU + L1 every positive
// code (capped: an L0 beyond this is not a sparse code any more).
int codesPerRow(const SparseAutoencoder& sae) {
    if (sae.kind == SaeKind::TopK) return std::max(1, sae.k);
    return static_cast<int>(std::min<std::int64_t>(sae.dSae, 256));
}

Status checkLayerInput(const SaeSet& set, int layer, const EncodeResult& hidden, const SaeLayerResult*& out) {
    out = saeLayer(set, layer);
    if (!out) return Status::failed("SAE set '" + set.name + "' has no autoencoder for layer " + layerRowLabel(layer));
    if (out->sae.W_enc.empty()) return Status::failed("SAE set '" + set.name + "' was listed without its weights");
    if (layer < 0 || layer > hidden.numLayers)
        return Status::failed("the sentence's hidden states have no layer " + layerRowLabel(layer));
    if (out->sae.dIn != hidden.hiddenSize)
        return Status::failed("the SAE of layer " + layerRowLabel(layer) + " reads vectors of size " +
                              std::to_string(out->sae.dIn) + ", the model's are " + std::to_string(hidden.hiddenSize));
    if (hidden.hidden.size() != static_cast<std::size_t>((hidden.numLayers + 1) * hidden.numTokens * hidden.hiddenSize))
        return Status::failed("the sentence was encoded without hidden states");
    return Status::ok();
}

// Token columns an SAE did not see in training read NaN.
std::vector<std::uint8_t> usedTokens(const SaeSet& set, const Encoding& encoding) {
    std::vector<std::uint8_t> used;
    used.reserve(encoding.tokens.size());
    for (const auto& t : encoding.tokens) used.push_back(set.request.includeSpecials || !t.special ? 1 : 0);
    return used;
}

Status denseActivations(const SparseAutoencoder& sae, int layer, const EncodeResult& hidden, std::vector<float>& out) {
    FeatureMatrix x;
    x.rows = hidden.numTokens;
    x.cols = hidden.hiddenSize;
    x.data.assign(hidden.hidden.begin() + layer * hidden.numTokens * hidden.hiddenSize,
                  hidden.hidden.begin() + (layer + 1) * hidden.numTokens * hidden.hiddenSize);
    SaeCodes codes;
    if (Status st = encodeSae(sae, x, codes, codesPerRow(sae)); !st.isOk()) return st;
    out.assign(static_cast<std::size_t>(x.rows * sae.dSae), 0.0f);
    for (std::int64_t r = 0; r < codes.rows; ++r)
        for (int j = 0; j < codes.perRow; ++j) {
            const auto i = static_cast<std::size_t>(r * codes.perRow + j);
            if (codes.indices[i] >= 0 && codes.values[i] > 0)
                out[static_cast<std::size_t>(r * sae.dSae + codes.indices[i])] = codes.values[i];
        }
    return Status::ok();
}

// Fills row `row` of `out` (columns already set) with one feature's
// activations: the largest over each column's tokens, NaN when none was used.
void fillRow(const std::vector<float>& dense, std::int64_t dSae, std::int32_t feature,
             const std::vector<std::uint8_t>& used, int row, Heatmap& out) {
    for (int c = 0; c < out.cols; ++c) {
        float v = kNaN;
        for (std::int64_t t = out.colTokenBegin[static_cast<std::size_t>(c)];
             t < out.colTokenEnd[static_cast<std::size_t>(c)]; ++t) {
            if (t < 0 || t >= static_cast<std::int64_t>(used.size()) || !used[static_cast<std::size_t>(t)]) continue;
            const float a = dense[static_cast<std::size_t>(t * dSae + feature)];
            v = std::isnan(v) ? a : std::max(v, a);
        }
        out.values[static_cast<std::size_t>(row) * static_cast<std::size_t>(out.cols) + static_cast<std::size_t>(c)] = v;
    }
}

std::string traceLabel(const SaeNeighbour& n, bool home) {
    char buf[96];
    if (home) std::snprintf(buf, sizeof buf, "L%s #%d", layerRowLabel(n.layer).c_str(), n.feature);
    else std::snprintf(buf, sizeof buf, "L%s #%d (cos %.2f)", layerRowLabel(n.layer).c_str(), n.feature, n.cosine);
    return buf;
}

// ------------------------------------------------------------- index I/O

std::string indexName(const SaeSet& set, int layer, const std::string& datasetHash, const SaeFeatureIndexOptions& o) {
    return set.name + "|layer" + std::to_string(layer) + "|" + datasetHash + "|top" + std::to_string(o.topContexts) +
           "|bins" + std::to_string(o.histogramBins);
}

// Counts beyond float's exact integers are kept as two floats (high and low 24 bits).
constexpr double kSplit = 16777216.0;

struct IndexTensors {
    std::vector<float> fireHi, fireLo, mean, max, hist, topValue, topSentence, topToken, topBegin, topEnd;
};

std::vector<F32TensorRef> indexRefs(IndexTensors& t, std::int64_t S, int top, int bins) {
    return {{"fire_hi", {S}, &t.fireHi},
            {"fire_lo", {S}, &t.fireLo},
            {"mean", {S}, &t.mean},
            {"max", {S}, &t.max},
            {"histogram", {S, bins}, &t.hist},
            {"top_value", {S, top}, &t.topValue},
            {"top_sentence", {S, top}, &t.topSentence},
            {"top_token", {S, top}, &t.topToken},
            {"top_byte_begin", {S, top}, &t.topBegin},
            {"top_byte_end", {S, top}, &t.topEnd}};
}

Status storeIndex(ResultStore& store, const std::string& name, const SaeFeatureIndex& index, int top,
                  const std::string& fingerprint) {
    const auto S = static_cast<std::int64_t>(index.features.size());
    const int bins = index.histogramBins;
    IndexTensors t;
    for (auto* v : {&t.fireHi, &t.fireLo, &t.mean, &t.max}) v->assign(static_cast<std::size_t>(S), 0.0f);
    t.hist.assign(static_cast<std::size_t>(S * bins), 0.0f);
    for (auto* v : {&t.topValue, &t.topSentence, &t.topToken, &t.topBegin, &t.topEnd})
        v->assign(static_cast<std::size_t>(S * top), -1.0f);
    for (std::int64_t f = 0; f < S; ++f) {
        const auto& p = index.features[static_cast<std::size_t>(f)];
        const auto fz = static_cast<std::size_t>(f);
        t.fireHi[fz] = static_cast<float>(std::floor(static_cast<double>(p.fireCount) / kSplit));
        t.fireLo[fz] = static_cast<float>(std::fmod(static_cast<double>(p.fireCount), kSplit));
        t.mean[fz] = static_cast<float>(p.meanActivation);
        t.max[fz] = p.maxActivation;
        for (int b = 0; b < bins && b < static_cast<int>(p.histogram.size()); ++b)
            t.hist[fz * static_cast<std::size_t>(bins) + static_cast<std::size_t>(b)] =
                static_cast<float>(p.histogram[static_cast<std::size_t>(b)]);
        for (int i = 0; i < top && i < static_cast<int>(p.top.size()); ++i) {
            const auto& c = p.top[static_cast<std::size_t>(i)];
            const auto at = fz * static_cast<std::size_t>(top) + static_cast<std::size_t>(i);
            t.topValue[at] = c.value;
            t.topSentence[at] = static_cast<float>(c.sentence);
            t.topToken[at] = static_cast<float>(c.token);
            t.topBegin[at] = static_cast<float>(c.byteBegin);
            t.topEnd[at] = static_cast<float>(c.byteEnd);
        }
    }
    ArtefactRecord r;
    r.kind = kIndexKind;
    r.name = name;
    r.modelFingerprint = fingerprint;
    r.metadataJson = json{{"format", kIndexVersion},   {"set", index.setName},
                          {"layer", index.layer},      {"dataset_hash", index.datasetHash},
                          {"dataset_name", index.datasetName}, {"tokens", index.tokens},
                          {"sentences", index.sentences.size()}, {"features", S},
                          {"top_contexts", top},       {"histogram_bins", bins}}
                         .dump();
    r.data = safetensorsImageF32(indexRefs(t, S, top, bins), {{"format", kIndexVersion}});
    std::int64_t id = 0;
    return store.putArtefact(r, id);
}

// False (and nothing changed) when the record is not a readable index of this shape.
bool readIndex(const ArtefactRecord& r, std::int64_t S, SaeFeatureIndex& index) {
    const json meta = json::parse(r.metadataJson, nullptr, false);
    if (meta.is_discarded() || meta.value("format", std::string()) != kIndexVersion) return false;
    if (meta.value("features", std::int64_t{-1}) != S) return false;
    const int top = meta.value("top_contexts", 0), bins = meta.value("histogram_bins", 0);
    if (top < 0 || bins < 1) return false;
    IndexTensors t;
    if (!readSafetensorsImageF32({reinterpret_cast<const std::byte*>(r.data.data()), r.data.size()}, r.name,
                                 indexRefs(t, S, top, bins))
             .isOk())
        return false;
    index.tokens = meta.value("tokens", std::int64_t{0});
    index.histogramBins = bins;
    index.features.assign(static_cast<std::size_t>(S), SaeFeatureProfile{});
    for (std::int64_t f = 0; f < S; ++f) {
        const auto fz = static_cast<std::size_t>(f);
        auto& p = index.features[fz];
        p.fireCount = static_cast<std::int64_t>(t.fireHi[fz]) * static_cast<std::int64_t>(kSplit) +
                      static_cast<std::int64_t>(t.fireLo[fz]);
        p.meanActivation = t.mean[fz];
        p.maxActivation = t.max[fz];
        p.histogram.resize(static_cast<std::size_t>(bins));
        for (int b = 0; b < bins; ++b)
            p.histogram[static_cast<std::size_t>(b)] =
                static_cast<std::int64_t>(t.hist[fz * static_cast<std::size_t>(bins) + static_cast<std::size_t>(b)]);
        for (int i = 0; i < top; ++i) {
            const auto at = fz * static_cast<std::size_t>(top) + static_cast<std::size_t>(i);
            if (t.topSentence[at] < 0) break;
            const auto sentence = static_cast<std::int64_t>(t.topSentence[at]);
            if (sentence >= static_cast<std::int64_t>(index.sentences.size())) return false;
            p.top.push_back({sentence, static_cast<std::int64_t>(t.topToken[at]), t.topValue[at],
                             static_cast<std::int64_t>(t.topBegin[at]), static_cast<std::int64_t>(t.topEnd[at])});
        }
    }
    return true;
}

} // namespace

// ---------------------------------------------------------------- sentences

const SaeLayerResult* saeLayer(const SaeSet& set, int layer) {
    for (const auto& l : set.layers)
        if (l.layer == layer) return &l;
    return nullptr;
}

Status saeTokenActivations(const SaeSet& set, int layer, const EncodeResult& hidden, std::vector<float>& out) {
    const SaeLayerResult* lr = nullptr;
    if (Status st = checkLayerInput(set, layer, hidden, lr); !st.isOk()) return st;
    return denseActivations(lr->sae, layer, hidden, out);
}

Status saeSentenceTopFeatures(const SaeSet& set, int layer, const EncodeResult& hidden, int perToken, int maxFeatures,
                              std::vector<std::int32_t>& out) {
    if (perToken < 1 || maxFeatures < 1) return Status::failed("top SAE features: the counts must be positive");
    const SaeLayerResult* lr = nullptr;
    if (Status st = checkLayerInput(set, layer, hidden, lr); !st.isOk()) return st;
    std::vector<float> dense;
    if (Status st = denseActivations(lr->sae, layer, hidden, dense); !st.isOk()) return st;
    const std::int64_t S = lr->sae.dSae;
    const auto used = usedTokens(set, hidden.encoding);
    std::map<std::int32_t, float> best;  // feature -> largest activation on the sentence
    std::vector<std::int32_t> order(static_cast<std::size_t>(S));
    for (std::int64_t t = 0; t < hidden.numTokens; ++t) {
        if (!used[static_cast<std::size_t>(t)]) continue;
        const float* row = dense.data() + t * S;
        std::iota(order.begin(), order.end(), 0);
        const auto n = std::min<std::int64_t>(perToken, S);
        std::partial_sort(order.begin(), order.begin() + n, order.end(), [&](std::int32_t a, std::int32_t b) {
            return row[a] != row[b] ? row[a] > row[b] : a < b;
        });
        for (std::int64_t i = 0; i < n; ++i) {
            const std::int32_t f = order[static_cast<std::size_t>(i)];
            if (!(row[f] > 0)) break;
            float& b = best[f];
            b = std::max(b, row[f]);
        }
    }
    std::vector<std::pair<std::int32_t, float>> ranked(best.begin(), best.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    out.clear();
    for (std::size_t i = 0; i < ranked.size() && static_cast<int>(i) < maxFeatures; ++i) out.push_back(ranked[i].first);
    return Status::ok();
}

Status saeFeatureHeatmap(const SaeSet& set, int layer, const std::vector<std::int32_t>& features,
                         const EncodeResult& hidden, TokenGrouping grouping, Heatmap& out) {
    const SaeLayerResult* lr = nullptr;
    if (Status st = checkLayerInput(set, layer, hidden, lr); !st.isOk()) return st;
    for (auto f : features)
        if (f < 0 || f >= lr->sae.dSae)
            return Status::failed("the SAE of layer " + layerRowLabel(layer) + " has no feature " + std::to_string(f) +
                                  " (it has " + std::to_string(lr->sae.dSae) + ")");
    std::vector<float> dense;
    if (Status st = denseActivations(lr->sae, layer, hidden, dense); !st.isOk()) return st;
    Heatmap h;
    setHeatmapColumns(hidden.encoding, grouping, h);
    h.rows = static_cast<int>(features.size());
    h.values.assign(static_cast<std::size_t>(h.rows) * static_cast<std::size_t>(h.cols), kNaN);
    const auto used = usedTokens(set, hidden.encoding);
    for (int r = 0; r < h.rows; ++r) {
        h.rowLabels.push_back("#" + std::to_string(features[static_cast<std::size_t>(r)]));
        fillRow(dense, lr->sae.dSae, features[static_cast<std::size_t>(r)], used, r, h);
    }
    h.title = "SAE features, layer " + layerRowLabel(layer);
    h.diverging = false;
    out = std::move(h);
    return Status::ok();
}

Status saeNearestFeatures(const SparseAutoencoder& sae, std::int32_t feature, const SparseAutoencoder& other, int count,
                          std::vector<SaeNeighbour>& out) {
    if (feature < 0 || feature >= sae.dSae)
        return Status::failed("nearest SAE features: no feature " + std::to_string(feature) + " (the SAE has " +
                              std::to_string(sae.dSae) + ")");
    if (other.dIn != sae.dIn) return Status::failed("nearest SAE features: the two autoencoders read different vectors");
    if (sae.W_dec.size() != static_cast<std::size_t>(sae.dSae * sae.dIn) ||
        other.W_dec.size() != static_cast<std::size_t>(other.dSae * other.dIn))
        return Status::failed("nearest SAE features: an autoencoder has no weights");
    const std::int64_t D = sae.dIn;
    auto norm = [D](const float* w) {
        double n = 0;
        for (std::int64_t j = 0; j < D; ++j) n += static_cast<double>(w[j]) * w[j];
        return std::sqrt(n);
    };
    const float* q = sae.W_dec.data() + feature * D;
    const double qn = norm(q);
    std::vector<SaeNeighbour> all;
    all.reserve(static_cast<std::size_t>(other.dSae));
    for (std::int64_t f = 0; f < other.dSae; ++f) {
        if (&other == &sae && f == feature) continue;
        const float* w = other.W_dec.data() + f * D;
        double dot = 0;
        for (std::int64_t j = 0; j < D; ++j) dot += static_cast<double>(q[j]) * w[j];
        const double n = qn * norm(w);
        all.push_back({other.layer, static_cast<std::int32_t>(f), n > 0 ? static_cast<float>(dot / n) : 0.0f});
    }
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(std::max(0, count)), all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                      [](const SaeNeighbour& a, const SaeNeighbour& b) {
                          return a.cosine != b.cosine ? a.cosine > b.cosine : a.feature < b.feature;
                      });
    all.resize(n);
    out = std::move(all);
    return Status::ok();
}

Status saeFeatureTrace(const SaeSet& set, int layer, std::int32_t feature, const EncodeResult& hidden,
                       TokenGrouping grouping, SaeFeatureTrace& out) {
    const SaeLayerResult* home = nullptr;
    if (Status st = checkLayerInput(set, layer, hidden, home); !st.isOk()) return st;
    if (feature < 0 || feature >= home->sae.dSae)
        return Status::failed("the SAE of layer " + layerRowLabel(layer) + " has no feature " + std::to_string(feature));
    SaeFeatureTrace trace;
    setHeatmapColumns(hidden.encoding, grouping, trace.heatmap);
    const auto used = usedTokens(set, hidden.encoding);
    std::vector<float> dense;
    for (const auto& lr : set.layers) {
        if (lr.layer > hidden.numLayers || lr.sae.dIn != hidden.hiddenSize || lr.sae.W_enc.empty()) continue;
        SaeNeighbour row{lr.layer, feature, 1.0f};
        const bool isHome = lr.layer == layer;
        if (!isHome) {
            std::vector<SaeNeighbour> nearest;
            if (Status st = saeNearestFeatures(home->sae, feature, lr.sae, 1, nearest); !st.isOk()) return st;
            if (nearest.empty()) continue;
            row = nearest.front();
            row.layer = lr.layer;
        }
        if (Status st = denseActivations(lr.sae, lr.layer, hidden, dense); !st.isOk()) return st;
        Heatmap& h = trace.heatmap;
        ++h.rows;
        h.values.resize(static_cast<std::size_t>(h.rows) * static_cast<std::size_t>(h.cols), kNaN);
        fillRow(dense, lr.sae.dSae, row.feature, used, h.rows - 1, h);
        h.rowLabels.push_back(traceLabel(row, isHome));
        if (isHome) trace.homeRow = h.rows - 1;
        trace.rows.push_back(row);
    }
    trace.heatmap.title = "SAE feature #" + std::to_string(feature) + " of layer " + layerRowLabel(layer) + " across layers";
    out = std::move(trace);
    return Status::ok();
}

Status saePairDifferences(const SaeSet& set, int layer, const EncodeResult& good, const EncodeResult& bad, int count,
                          std::vector<SaePairDifference>& out) {
    const SaeLayerResult* lr = nullptr;
    if (Status st = checkLayerInput(set, layer, good, lr); !st.isOk()) return st.withStage("grammatical sentence");
    if (Status st = checkLayerInput(set, layer, bad, lr); !st.isOk()) return st.withStage("ungrammatical sentence");
    const std::int64_t S = lr->sae.dSae;
    // Per feature: the largest activation over the used tokens and where it is.
    auto peaks = [&](const EncodeResult& h, std::vector<float>& value, std::vector<std::int64_t>& at) -> Status {
        std::vector<float> dense;
        if (Status st = denseActivations(lr->sae, layer, h, dense); !st.isOk()) return st;
        const auto used = usedTokens(set, h.encoding);
        value.assign(static_cast<std::size_t>(S), 0.0f);
        at.assign(static_cast<std::size_t>(S), -1);
        for (std::int64_t t = 0; t < h.numTokens; ++t) {
            if (!used[static_cast<std::size_t>(t)]) continue;
            for (std::int64_t f = 0; f < S; ++f) {
                const float v = dense[static_cast<std::size_t>(t * S + f)];
                if (v > value[static_cast<std::size_t>(f)]) {
                    value[static_cast<std::size_t>(f)] = v;
                    at[static_cast<std::size_t>(f)] = t;
                }
            }
        }
        return Status::ok();
    };
    std::vector<float> g, b;
    std::vector<std::int64_t> gAt, bAt;
    if (Status st = peaks(good, g, gAt); !st.isOk()) return st;
    if (Status st = peaks(bad, b, bAt); !st.isOk()) return st;
    std::vector<SaePairDifference> all;
    for (std::int64_t f = 0; f < S; ++f) {
        const auto fz = static_cast<std::size_t>(f);
        if (!(g[fz] > 0) && !(b[fz] > 0)) continue;
        all.push_back({static_cast<std::int32_t>(f), g[fz], b[fz], g[fz] - b[fz], gAt[fz], bAt[fz]});
    }
    std::stable_sort(all.begin(), all.end(), [](const SaePairDifference& x, const SaePairDifference& y) {
        const float ax = std::fabs(x.difference), ay = std::fabs(y.difference);
        return ax != ay ? ax > ay : x.feature < y.feature;
    });
    if (count >= 0 && all.size() > static_cast<std::size_t>(count)) all.resize(static_cast<std::size_t>(count));
    out = std::move(all);
    return Status::ok();
}

// ---------------------------------------------------------------- dataset index

double SaeFeatureIndex::firingFrequency(std::int32_t feature) const {
    if (feature < 0 || feature >= static_cast<std::int32_t>(features.size()) || tokens <= 0) return 0;
    return static_cast<double>(features[static_cast<std::size_t>(feature)].fireCount) / static_cast<double>(tokens);
}

Status buildSaeFeatureIndex(const Model& model, const std::string& fingerprint, ResultStore& store,
                            const Dataset& dataset, const SaeSet& set, int layer, const SaeFeatureIndexOptions& options,
                            SaeFeatureIndex& out, const SaeIndexProgressCallback& progress,
                            const std::atomic<bool>* cancel) {
    const std::string what = "SAE feature index of layer " + layerRowLabel(layer);
    const SaeLayerResult* lr = saeLayer(set, layer);
    if (!lr || lr->sae.W_enc.empty())
        return Status::failed(what + ": the SAE set '" + set.name + "' has no weights for this layer");
    if (options.topContexts < 0 || options.histogramBins < 1)
        return Status::failed(what + ": top contexts must be >= 0 and histogram bins >= 1");
    if (lr->sae.dIn != model.info().config.hiddenSize)
        return Status::failed(what + ": the SAE reads vectors of size " + std::to_string(lr->sae.dIn) +
                              ", the model's are " + std::to_string(model.info().config.hiddenSize));
    if (layer < 0 || layer > model.info().config.numLayers)
        return Status::failed(what + ": the model has no layer " + layerRowLabel(layer));
    const SparseAutoencoder& sae = lr->sae;
    const std::int64_t S = sae.dSae, H = sae.dIn;

    SaeFeatureIndex index;
    index.setName = set.name;
    index.layer = layer;
    index.datasetHash = datasetContentHash(dataset);
    index.datasetName = dataset.name;
    index.sentences = datasetSentences(dataset);
    index.histogramBins = options.histogramBins;
    if (index.sentences.empty()) return Status::failed(what + ": the dataset has no sentences");
    const std::string name = indexName(set, layer, index.datasetHash, options);
    if (options.reuse) {
        ArtefactRecord r;
        bool found = false;
        if (store.getArtefact(kIndexKind, name, r, found).isOk() && found && readIndex(r, S, index)) {
            out = std::move(index);
            return Status::ok();
        }
    }

    auto stopped = [&] { return cancel && cancel->load(); };
    SaeIndexProgress pr;
    bool stop = false;
    auto report = [&] {
        if (progress && !progress(pr)) stop = true;
        return !stop && !stopped();
    };
    pr.stage = "hidden states";
    if (!report()) return Status::cancelled();
    const std::int64_t maxLength = effectiveMaxLength(model, set.request.maxLength);
    HiddenStateTable table;
    std::atomic<bool> innerStop{false};
    const std::atomic<bool>* innerCancel = cancel ? cancel : &innerStop;
    if (Status st = extractHiddenStates(model, fingerprint, store, index.sentences, maxLength, options.batchTokens, table,
                                        [&](const ExtractionProgress& e) {
                                            pr.extraction = e;
                                            return report();
                                        },
                                        innerCancel);
        !st.isOk())
        return st.isCancelled() ? st : st.withStage(what);
    if (stop || stopped()) return Status::cancelled();

    // The rows: used tokens of every sentence, and where they are.
    struct RowRef {
        std::int32_t sentence, token;
        std::int64_t byteBegin, byteEnd;
    };
    std::vector<RowRef> refs;
    std::vector<std::int64_t> tableRows;
    for (std::size_t s = 0; s < index.sentences.size(); ++s) {
        Encoding e;
        if (Status st = model.tokenizer().encode(index.sentences[s], maxLength, e); !st.isOk()) return st.withStage(what);
        const std::int64_t ts = table.findSentence(index.sentences[s]);
        if (ts < 0 || table.tokens(ts) != static_cast<std::int64_t>(e.tokens.size()))
            return Status::failed(what + ": the hidden-state table " + table.file().string() +
                                  " does not match the sentence '" + index.sentences[s] + "'");
        const auto used = usedTokens(set, e);
        for (std::size_t t = 0; t < e.tokens.size(); ++t)
            if (used[t]) {
                refs.push_back({static_cast<std::int32_t>(s), static_cast<std::int32_t>(t), e.tokens[t].byteBegin,
                                e.tokens[t].byteEnd});
                tableRows.push_back(table.firstToken(ts) + static_cast<std::int64_t>(t));
            }
    }
    const auto N = static_cast<std::int64_t>(tableRows.size());
    index.tokens = N;
    index.features.assign(static_cast<std::size_t>(S), SaeFeatureProfile{});

    // Two passes over the rows in chunks: counts, sums, maxima and the top
    // contexts (a min-heap per feature), then the histograms.
    const int perRow = codesPerRow(sae);
    const int top = options.topContexts;
    using Entry = std::pair<float, std::int64_t>;  // (value, row): the heap's top is the weakest kept
    auto weaker = [](const Entry& a, const Entry& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
    std::vector<std::vector<Entry>> heaps(static_cast<std::size_t>(S));
    std::vector<double> sums(static_cast<std::size_t>(S), 0.0);
    pr.stage = "scanning";
    pr.total = 2 * N;
    for (int pass = 0; pass < 2; ++pass) {
        for (std::int64_t b = 0; b < N; b += kScanChunkRows) {
            pr.done = pass * N + b;
            if (!report()) return Status::cancelled();
            const std::int64_t n = std::min(kScanChunkRows, N - b);
            FeatureMatrix x;
            x.rows = n;
            x.cols = H;
            x.data.resize(static_cast<std::size_t>(n * H));
            if (Status st = table.readRows(layer, tableRows.data() + b, n, x.data.data()); !st.isOk())
                return st.withStage(what);
            SaeCodes codes;
            if (Status st = encodeSae(sae, x, codes, perRow); !st.isOk()) return st.withStage(what);
            for (std::int64_t r = 0; r < n; ++r)
                for (int j = 0; j < codes.perRow; ++j) {
                    const auto i = static_cast<std::size_t>(r * codes.perRow + j);
                    const std::int32_t f = codes.indices[i];
                    const float v = codes.values[i];
                    if (f < 0 || !(v > 0)) continue;
                    auto& p = index.features[static_cast<std::size_t>(f)];
                    if (pass == 0) {
                        ++p.fireCount;
                        sums[static_cast<std::size_t>(f)] += v;
                        p.maxActivation = std::max(p.maxActivation, v);
                        if (top == 0) continue;
                        auto& heap = heaps[static_cast<std::size_t>(f)];
                        const Entry e{v, b + r};
                        if (static_cast<int>(heap.size()) < top) {
                            heap.push_back(e);
                            std::push_heap(heap.begin(), heap.end(), weaker);
                        } else if (weaker(e, heap.front())) {
                            std::pop_heap(heap.begin(), heap.end(), weaker);
                            heap.back() = e;
                            std::push_heap(heap.begin(), heap.end(), weaker);
                        }
                    } else {
                        const int bins = options.histogramBins;
                        const int bin = p.maxActivation > 0
                                            ? std::min(bins - 1, static_cast<int>(static_cast<double>(v) /
                                                                                  p.maxActivation * bins))
                                            : 0;
                        ++p.histogram[static_cast<std::size_t>(bin)];
                    }
                }
        }
        if (pass == 0)
            for (std::int64_t f = 0; f < S; ++f) {
                auto& p = index.features[static_cast<std::size_t>(f)];
                p.meanActivation = p.fireCount > 0 ? sums[static_cast<std::size_t>(f)] / static_cast<double>(p.fireCount) : 0;
                p.histogram.assign(static_cast<std::size_t>(options.histogramBins), 0);
                auto& heap = heaps[static_cast<std::size_t>(f)];
                std::sort(heap.begin(), heap.end(), weaker);  // strongest first
                for (const auto& [v, row] : heap) {
                    const RowRef& ref = refs[static_cast<std::size_t>(row)];
                    p.top.push_back({ref.sentence, ref.token, v, ref.byteBegin, ref.byteEnd});
                }
                std::vector<Entry>().swap(heap);
            }
    }
    pr.done = pr.total;
    if (!report()) return Status::cancelled();
    if (Status st = storeIndex(store, name, index, top, fingerprint); !st.isOk()) return st.withStage("storing the " + what);
    out = std::move(index);
    return Status::ok();
}

std::string saeFeatureIndexJson(const SaeFeatureIndex& index, const std::vector<std::int32_t>& features) {
    json j = {{"set", index.setName},
              {"layer", index.layer},
              {"dataset", index.datasetName},
              {"dataset_hash", index.datasetHash},
              {"tokens", index.tokens},
              {"histogram_bins", index.histogramBins},
              {"features", json::array()}};
    std::vector<std::int32_t> which = features;
    if (which.empty()) {
        which.resize(index.features.size());
        std::iota(which.begin(), which.end(), 0);
    }
    for (std::int32_t f : which) {
        if (f < 0 || f >= static_cast<std::int32_t>(index.features.size())) continue;
        const auto& p = index.features[static_cast<std::size_t>(f)];
        json contexts = json::array();
        for (const auto& c : p.top) {
            const std::string& text = index.sentences[static_cast<std::size_t>(c.sentence)];
            std::string token;
            if (c.byteBegin >= 0 && c.byteEnd <= static_cast<std::int64_t>(text.size()) && c.byteBegin < c.byteEnd)
                token = text.substr(static_cast<std::size_t>(c.byteBegin), static_cast<std::size_t>(c.byteEnd - c.byteBegin));
            contexts.push_back({{"sentence", text}, {"token_index", c.token}, {"token", token}, {"activation", c.value},
                                {"byte_begin", c.byteBegin}, {"byte_end", c.byteEnd}});
        }
        j["features"].push_back({{"feature", f},
                                 {"fire_count", p.fireCount},
                                 {"firing_frequency", index.firingFrequency(f)},
                                 {"mean_activation", p.meanActivation},
                                 {"max_activation", p.maxActivation},
                                 {"histogram", p.histogram},
                                 {"top_contexts", contexts}});
    }
    return j.dump(2);
}

} // namespace gs
