// SAE sets (sae_data.h): one sparse autoencoder per layer of a model, trained
// on the hidden states of a dataset (extracted once, probe_data.h), evaluated
// on held-out sentences and by splicing, stored as an artefact of the results
// store, exported to and imported from SAELens folders.

#include "grammascope/sae_data.h"

#include "grammascope/layer_view.h"

#include "model/safetensors.h"
#include "probing/probe_set_io.h"

#include <nlohmann/json.hpp>


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <cctype>

namespace gs {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kArtefactKind = "sae";
constexpr const char* kCodeVersion = "sae-set-1";

// One layer's rows of a hidden-state table, read from the mapped file on
// demand: training never holds more than a batch of them in memory.
class TableRowSource final : public SaeRowSource {
public:
    TableRowSource(const HiddenStateTable& table, int layer, std::vector<std::int64_t> rows)
        : m_table(table), m_layer(layer), m_rows(std::move(rows)) {}
    std::int64_t rows() const override { return static_cast<std::int64_t>(m_rows.size()); }
    std::int64_t cols() const override { return m_table.hiddenSize(); }
    Status read(const std::int64_t* indices, std::int64_t n, float* out) const override {
        m_mapped.resize(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
            if (indices[i] < 0 || indices[i] >= rows())
                return Status::failed("reading rows: row " + std::to_string(indices[i]) + " out of range");
            m_mapped[static_cast<std::size_t>(i)] = m_rows[static_cast<std::size_t>(indices[i])];
        }
        return m_table.readRows(m_layer, m_mapped.data(), n, out);
    }

private:
    const HiddenStateTable& m_table;
    int m_layer;
    std::vector<std::int64_t> m_rows;            // table rows
    mutable std::vector<std::int64_t> m_mapped;  // scratch
};

// Held-out rows used for the metrics at most (a seeded subset beyond).
constexpr std::int64_t kMaxHeldOutRows = 262144;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string shortHash(const std::string& h, std::size_t n = 12) {
    const auto dash = h.rfind('-');
    const std::string hex = dash == std::string::npos ? h : h.substr(dash + 1);
    return hex.substr(0, n);
}

json optionsJson(const SaeOptions& o) {
    return {{"kind", saeKindName(o.kind)},     {"dictionary_size", o.dictionarySize},
            {"k", o.k},                        {"aux_k", o.auxK},
            {"aux_coefficient", o.auxCoefficient}, {"dead_after_tokens", o.deadAfterTokens},
            {"l1_coefficient", o.l1Coefficient}, {"learning_rate", o.learningRate},
            {"batch_size", o.batchSize},       {"epochs", o.epochs},
            {"steps", o.steps},                {"seed", o.seed},
            {"geometric_median_sample", o.geometricMedianSample}, {"threads", o.threads}};
}

void optionsFromJson(const json& j, SaeOptions& o) {
    parseSaeKind(j.value("kind", std::string("topk")), o.kind);
    o.dictionarySize = j.value("dictionary_size", o.dictionarySize);
    o.k = j.value("k", o.k);
    o.auxK = j.value("aux_k", o.auxK);
    o.auxCoefficient = j.value("aux_coefficient", o.auxCoefficient);
    o.deadAfterTokens = j.value("dead_after_tokens", o.deadAfterTokens);
    o.l1Coefficient = j.value("l1_coefficient", o.l1Coefficient);
    o.learningRate = j.value("learning_rate", o.learningRate);
    o.batchSize = j.value("batch_size", o.batchSize);
    o.epochs = j.value("epochs", o.epochs);
    o.steps = j.value("steps", o.steps);
    o.seed = j.value("seed", o.seed);
    o.geometricMedianSample = j.value("geometric_median_sample", o.geometricMedianSample);
    o.threads = j.value("threads", o.threads);
}

json requestJson(const SaeTrainRequest& r) {
    return {{"layers", r.layers},
            {"options", optionsJson(r.options)},
            {"max_length", r.maxLength},
            {"max_rows", r.maxRows},
            {"include_specials", r.includeSpecials},
            {"held_out_fraction", r.heldOutFraction},
            {"splice_sentences", r.spliceSentences}};
}

void requestFromJson(const json& j, SaeTrainRequest& r) {
    r.layers = j.value("layers", std::vector<int>{});
    optionsFromJson(j.value("options", json::object()), r.options);
    r.maxLength = j.value("max_length", r.maxLength);
    r.maxRows = j.value("max_rows", r.maxRows);
    r.includeSpecials = j.value("include_specials", r.includeSpecials);
    r.heldOutFraction = j.value("held_out_fraction", r.heldOutFraction);
    r.spliceSentences = j.value("splice_sentences", r.spliceSentences);
}

double num(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::numeric_limits<double>::quiet_NaN();
    return it->get<double>();
}
json finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json layerJson(const SaeLayerResult& r) {
    const SparseAutoencoder& s = r.sae;
    json j = {{"layer", r.layer},
              {"sae",
               {{"kind", saeKindName(s.kind)},
                {"k", s.k},
                {"d_in", s.dIn},
                {"d_sae", s.dSae},
                {"model_name", s.modelName},
                {"model_fingerprint", s.modelFingerprint},
                {"hook_name", s.hookName},
                {"trained_steps", s.trainedSteps},
                {"l1_coefficient", s.l1Coefficient}}},
              {"train_rows", r.trainRows},
              {"metrics",
               {{"rows", r.metrics.rows},
                {"l0", finite(r.metrics.l0)},
                {"mse", finite(r.metrics.mse)},
                {"fvu", finite(r.metrics.fvu)},
                {"dead_fraction", finite(r.metrics.deadFraction)}}}};
    if (r.hasSplice)
        j["splice"] = {{"sentences", r.splice.sentences},     {"masked_tokens", r.splice.maskedTokens},
                       {"ce_clean", finite(r.splice.ceClean)}, {"ce_zero", finite(r.splice.ceZero)},
                       {"ce_sae", finite(r.splice.ceSae)},     {"loss_recovered", finite(r.splice.lossRecovered)}};
    return j;
}

void layerFromJson(const json& j, SaeLayerResult& r) {
    r.layer = j.at("layer").get<int>();
    const json& s = j.at("sae");
    parseSaeKind(s.value("kind", std::string("topk")), r.sae.kind);
    r.sae.k = s.value("k", 0);
    r.sae.dIn = s.value("d_in", std::int64_t{0});
    r.sae.dSae = s.value("d_sae", std::int64_t{0});
    r.sae.layer = r.layer;
    r.sae.modelName = s.value("model_name", std::string());
    r.sae.modelFingerprint = s.value("model_fingerprint", std::string());
    r.sae.hookName = s.value("hook_name", std::string());
    r.sae.trainedSteps = s.value("trained_steps", std::int64_t{0});
    r.sae.l1Coefficient = s.value("l1_coefficient", 0.0);
    r.trainRows = j.value("train_rows", std::int64_t{0});
    const json m = j.value("metrics", json::object());
    r.metrics.rows = m.value("rows", std::int64_t{0});
    r.metrics.l0 = num(m, "l0");
    r.metrics.mse = num(m, "mse");
    r.metrics.fvu = num(m, "fvu");
    r.metrics.deadFraction = num(m, "dead_fraction");
    r.hasSplice = j.contains("splice");
    if (r.hasSplice) {
        const json& p = j["splice"];
        r.splice.sentences = p.value("sentences", std::int64_t{0});
        r.splice.maskedTokens = p.value("masked_tokens", std::int64_t{0});
        r.splice.ceClean = num(p, "ce_clean");
        r.splice.ceZero = num(p, "ce_zero");
        r.splice.ceSae = num(p, "ce_sae");
        r.splice.lossRecovered = num(p, "loss_recovered");
    }
}

Status setFromJson(const std::string& text, const std::string& source, SaeSet& out) {
    try {
        const json j = json::parse(text);
        if (j.value("format", std::string()) != "grammascope-sae-set")
            return Status::failed(source + ": not a Grammascope SAE set");
        SaeSet s;
        s.name = j.value("name", std::string());
        s.modelFingerprint = j.value("model_fingerprint", std::string());
        s.datasetHash = j.value("dataset_hash", std::string());
        s.datasetName = j.value("dataset_name", std::string());
        requestFromJson(j.value("request", json::object()), s.request);
        s.sentences = j.value("sentences", std::int64_t{0});
        s.heldOutSentences = j.value("held_out_sentences", std::int64_t{0});
        s.createdMs = j.value("created_ms", std::int64_t{0});
        s.seconds = j.value("seconds", 0.0);
        s.imported = j.value("imported", false);
        for (const auto& l : j.at("layers")) {
            SaeLayerResult r;
            layerFromJson(l, r);
            s.layers.push_back(std::move(r));
        }
        out = std::move(s);
        return Status::ok();
    } catch (const json::exception& e) {
        return Status::failed(source + ": malformed SAE set: " + e.what());
    }
}

// Every layer's tensors, pointing into `set` (writing reads them, reading fills them).
std::vector<F32TensorRef> setTensors(SaeSet& set) {
    std::vector<F32TensorRef> refs;
    for (auto& r : set.layers) {
        const std::string p = "layer." + std::to_string(r.layer) + ".";
        SparseAutoencoder& s = r.sae;
        refs.push_back({p + "W_enc", {s.dIn, s.dSae}, &s.W_enc});
        refs.push_back({p + "b_enc", {s.dSae}, &s.b_enc});
        refs.push_back({p + "W_dec", {s.dSae, s.dIn}, &s.W_dec});
        refs.push_back({p + "b_dec", {s.dIn}, &s.b_dec});
    }
    return refs;
}

std::vector<std::uint8_t> weightsBlob(const SaeSet& set) {
    return safetensorsImageF32(setTensors(const_cast<SaeSet&>(set)), {{"format", "grammascope-sae"}, {"name", set.name}});
}

Status readWeights(std::span<const std::byte> bytes, const std::string& source, SaeSet& set) {
    return readSafetensorsImageF32(bytes, source, setTensors(set));
}

std::string sanitised(const std::string& name) {
    std::string s = name;
    for (char& c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
    return s;
}


} // namespace

// ---------------------------------------------------------------- identity

std::string saeSetName(const std::string& modelFingerprint, const std::string& datasetHash, const SaeTrainRequest& r) {
    json key = {{"code", kCodeVersion}, {"request", requestJson(r)}};
    key["request"]["options"].erase("threads");  // the thread count changes the bits, not what was asked
    return std::string("sae/") + saeKindName(r.options.kind) + "/" + shortHash(modelFingerprint) + "/" +
           shortHash(datasetHash) + "/" + shortHash(contentHash(key.dump()));
}

std::vector<std::string> datasetSentences(const Dataset& dataset) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& item : dataset.items)
        for (const AnnotatedSentence* s : {&item.good, &item.bad})
            if (!s->text.empty() && seen.insert(s->text).second) out.push_back(s->text);
    return out;
}

std::string saeSetJson(const SaeSet& set) {
    json j = {{"format", "grammascope-sae-set"},
              {"name", set.name},
              {"model_fingerprint", set.modelFingerprint},
              {"dataset_hash", set.datasetHash},
              {"dataset_name", set.datasetName},
              {"request", requestJson(set.request)},
              {"sentences", set.sentences},
              {"held_out_sentences", set.heldOutSentences},
              {"created_ms", set.createdMs},
              {"seconds", set.seconds},
              {"imported", set.imported},
              {"layers", json::array()}};
    for (const auto& r : set.layers) j["layers"].push_back(layerJson(r));
    return j.dump();
}

// ---------------------------------------------------------------- store

Status storeSaeSet(ResultStore& store, const SaeSet& set) {
    ArtefactRecord r;
    r.kind = kArtefactKind;
    r.name = set.name;
    r.modelFingerprint = set.modelFingerprint;
    r.metadataJson = saeSetJson(set);
    r.data = weightsBlob(set);
    std::int64_t id = 0;
    if (Status st = store.putArtefact(r, id); !st.isOk()) return st.withStage("storing SAE set '" + set.name + "'");
    return Status::ok();
}

Status listSaeSets(ResultStore& store, const std::string& modelFingerprint, std::vector<SaeSet>& out) {
    out.clear();
    std::vector<ArtefactRecord> records;
    if (Status st = store.listArtefacts(kArtefactKind, records); !st.isOk()) return st.withStage("listing SAE sets");
    for (const auto& r : records) {
        if (!modelFingerprint.empty() && r.modelFingerprint != modelFingerprint) continue;
        SaeSet s;
        if (!setFromJson(r.metadataJson, "SAE set '" + r.name + "'", s).isOk()) continue;
        s.name = r.name;
        out.push_back(std::move(s));
    }
    return Status::ok();
}

Status loadSaeSet(ResultStore& store, const std::string& name, SaeSet& out, bool& found) {
    found = false;
    ArtefactRecord r;
    if (Status st = store.getArtefact(kArtefactKind, name, r, found); !st.isOk())
        return st.withStage("loading SAE set '" + name + "'");
    if (!found) return Status::ok();
    const std::string source = "SAE set '" + name + "' in " + store.path().string();
    SaeSet s;
    if (Status st = setFromJson(r.metadataJson, source, s); !st.isOk()) return st;
    if (Status st = readWeights({reinterpret_cast<const std::byte*>(r.data.data()), r.data.size()}, source, s);
        !st.isOk())
        return st;
    s.name = r.name;
    out = std::move(s);
    return Status::ok();
}

Status deleteSaeSet(ResultStore& store, const std::string& name) {
    ArtefactRecord r;
    bool found = false;
    if (Status st = store.getArtefact(kArtefactKind, name, r, found); !st.isOk())
        return st.withStage("deleting SAE set '" + name + "'");
    if (!found) return Status::failed("there is no stored SAE set '" + name + "' in " + store.path().string());
    if (Status st = store.deleteArtefact(r.id); !st.isOk()) return st.withStage("deleting SAE set '" + name + "'");
    // Its feature indices (sae_features.h) go with it.
    std::vector<ArtefactRecord> indices;
    if (Status st = store.listArtefacts("sae-index", indices); !st.isOk()) return st.withStage("deleting SAE set '" + name + "'");
    for (const auto& i : indices)
        if (i.name.rfind(name + "|", 0) == 0)
            if (Status st = store.deleteArtefact(i.id); !st.isOk()) return st.withStage("deleting SAE set '" + name + "'");
    return Status::ok();
}

// ---------------------------------------------------------------- training

Status trainSaeSet(const Model& model, const std::string& fingerprint, ResultStore& store, const Dataset& dataset,
                   const SaeTrainRequest& request, SaeSet& out, bool& reused, const SaeSetProgressCallback& progress,
                   const std::atomic<bool>* cancel) {
    reused = false;
    const auto start = std::chrono::steady_clock::now();
    if (fingerprint.empty()) return Status::failed("training SAEs: the model has no fingerprint (register it first)");
    if (!(request.heldOutFraction > 0 && request.heldOutFraction < 1))
        return Status::failed("training SAEs: the held-out fraction must be in (0, 1)");
    const std::string datasetHash = datasetContentHash(dataset);
    const std::string name = saeSetName(fingerprint, datasetHash, request);
    if (request.reuse) {
        SaeSet stored;
        bool found = false;
        if (loadSaeSet(store, name, stored, found).isOk() && found) {
            out = std::move(stored);
            reused = true;
            return Status::ok();
        }
    }

    std::vector<int> layers;
    if (Status st = resolveModelLayers(model, request.layers, layers); !st.isOk()) return st.withStage("training SAEs");
    const std::int64_t maxLength = effectiveMaxLength(model, request.maxLength);

    std::atomic<bool> stop{false};
    const std::atomic<bool>* innerCancel = cancel ? cancel : &stop;
    auto stopped = [&] { return stop.load() || (cancel && cancel->load()); };
    SaeSetProgress pr;
    pr.steps = 1 + 2 * static_cast<int>(layers.size());
    auto report = [&](const std::string& stage) {
        pr.stage = stage;
        if (progress && !progress(pr)) stop = true;
        return !stopped();
    };

    const std::vector<std::string> sentences = datasetSentences(dataset);
    if (sentences.size() < 4) return Status::failed("training SAEs: the dataset has fewer than 4 distinct sentences");
    // Held-out split of the sentences (seeded).
    std::vector<std::size_t> order(sentences.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(request.options.seed * 0x9e3779b97f4a7c15ull + 17);
    std::shuffle(order.begin(), order.end(), rng);
    const auto nHeld = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::llround(request.heldOutFraction * static_cast<double>(sentences.size()))));
    std::vector<std::size_t> heldOut(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(nHeld));
    std::vector<std::size_t> train(order.begin() + static_cast<std::ptrdiff_t>(nHeld), order.end());
    std::sort(heldOut.begin(), heldOut.end());
    std::sort(train.begin(), train.end());

    if (!report("hidden states")) return Status::cancelled();
    HiddenStateTable table;
    ExtractionProgressCallback extractionProgress = [&](const ExtractionProgress& e) {
        pr.extraction = e;
        return report("hidden states");
    };
    if (Status st = extractHiddenStates(model, fingerprint, store, sentences, maxLength, request.batchTokens, table,
                                        extractionProgress, innerCancel);
        !st.isOk())
        return st;
    if (stopped()) return Status::cancelled();
    ++pr.step;

    // Which tokens of every sentence are rows (non-special unless asked).
    std::vector<std::int64_t> tableIndex(sentences.size());
    std::vector<std::vector<std::uint8_t>> useToken(sentences.size());
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        Encoding e;
        if (Status st = model.tokenizer().encode(sentences[s], maxLength, e); !st.isOk())
            return st.withStage("training SAEs");
        tableIndex[s] = table.findSentence(sentences[s]);
        if (tableIndex[s] < 0 || table.tokens(tableIndex[s]) != static_cast<std::int64_t>(e.tokens.size()))
            return Status::failed("training SAEs: the hidden-state table " + table.file().string() +
                                  " does not match the sentence '" + sentences[s] + "'");
        for (const auto& t : e.tokens) useToken[s].push_back(request.includeSpecials || !t.special ? 1 : 0);
    }
    const std::int64_t H = table.hiddenSize();
    // The table rows of the used tokens of `which`, in order.
    auto tableRows = [&](const std::vector<std::size_t>& which) {
        std::vector<std::int64_t> rows;
        for (std::size_t s : which) {
            const std::int64_t first = table.firstToken(tableIndex[s]);
            for (std::size_t t = 0; t < useToken[s].size(); ++t)
                if (useToken[s][t]) rows.push_back(first + static_cast<std::int64_t>(t));
        }
        return rows;
    };
    // A seeded subset of `limit` rows (kept in order).
    auto subset = [](std::vector<std::int64_t>& rows, std::int64_t limit, std::uint64_t seed) {
        if (limit <= 0 || static_cast<std::int64_t>(rows.size()) <= limit) return;
        std::vector<std::int64_t> idx(rows.size());
        std::iota(idx.begin(), idx.end(), 0);
        std::mt19937_64 rowRng(seed);
        std::shuffle(idx.begin(), idx.end(), rowRng);
        idx.resize(static_cast<std::size_t>(limit));
        std::sort(idx.begin(), idx.end());
        std::vector<std::int64_t> kept;
        kept.reserve(idx.size());
        for (auto i : idx) kept.push_back(rows[static_cast<std::size_t>(i)]);
        rows = std::move(kept);
    };
    const std::vector<std::int64_t> trainRowsAll = tableRows(train), heldRowsAll = tableRows(heldOut);

    SaeSet result;
    result.name = name;
    result.modelFingerprint = fingerprint;
    result.datasetHash = datasetHash;
    result.datasetName = dataset.name;
    result.request = request;
    result.request.layers = layers;
    result.request.maxLength = maxLength;
    result.sentences = static_cast<std::int64_t>(sentences.size());
    result.heldOutSentences = static_cast<std::int64_t>(heldOut.size());

    std::vector<std::string> spliceSentences;
    for (std::size_t i = 0; i < heldOut.size() && static_cast<std::int64_t>(i) < request.spliceSentences; ++i)
        spliceSentences.push_back(sentences[heldOut[i]]);

    const fs::path states = storeSideFolder(store, "sae-states");
    std::vector<fs::path> stateFiles;
    for (int layer : layers) {
        const std::string label = "layer " + layerRowLabel(layer);
        pr.training = SaeTrainProgress{};
        if (!report(label + ": training")) return Status::cancelled();
        std::vector<std::int64_t> rows = trainRowsAll;
        subset(rows, request.maxRows, request.options.seed * 1000003ull + static_cast<std::uint64_t>(layer));
        const TableRowSource x(table, layer, std::move(rows));
        if (x.rows() < 2) return Status::failed("training SAEs: fewer than 2 training rows on " + label);

        SaeLayerResult lr;
        lr.layer = layer;
        lr.trainRows = x.rows();
        lr.sae.layer = layer;
        lr.sae.modelName = model.info().config.modelType;
        lr.sae.modelFingerprint = fingerprint;
        lr.sae.hookName = "blocks." + std::to_string(layer) + ".hook_resid_post";
        const fs::path stateFile = states / (sanitised(name) + ".layer" + std::to_string(layer) + ".safetensors");
        stateFiles.push_back(stateFile);
        SaeTrainState state;
        std::error_code ec;
        if (fs::exists(stateFile, ec) && !loadSaeTrainState(stateFile, state).isOk()) state = SaeTrainState{};
        SaeTrainProgressCallback trainProgress = [&](const SaeTrainProgress& p) {
            pr.training = p;
            return report(label + ": training");
        };
        Status st = trainSae(x, request.options, lr.sae, &state, trainProgress, innerCancel);
        if (st.isCancelled() || (st.isOk() && stopped())) {
            if (state.step > 0) {
                fs::create_directories(states, ec);
                if (Status s2 = saveSaeTrainState(stateFile, state); !s2.isOk())
                    return s2.withStage("training SAEs: saving the state to resume");
            }
            return Status::cancelled();
        }
        if (!st.isOk()) {
            // A stale state (other data or options) is dropped and training starts afresh.
            if (state.step > 0 && fs::exists(stateFile, ec)) {
                fs::remove(stateFile, ec);
                state = SaeTrainState{};
                st = trainSae(x, request.options, lr.sae, &state, trainProgress, innerCancel);
                if (st.isCancelled()) return Status::cancelled();
            }
            if (!st.isOk()) return st.withStage("training SAEs on " + label);
        }
        // The finished layer's state is kept until the set is stored, so a
        // later cancel does not train it again.
        fs::create_directories(states, ec);
        (void)saveSaeTrainState(stateFile, state);
        ++pr.step;

        if (!report(label + ": evaluation")) return Status::cancelled();
        std::vector<std::int64_t> heldRows = heldRowsAll;
        subset(heldRows, kMaxHeldOutRows, request.options.seed * 1000003ull + 7 + static_cast<std::uint64_t>(layer));
        FeatureMatrix held;
        held.cols = H;
        held.rows = static_cast<std::int64_t>(heldRows.size());
        held.data.resize(static_cast<std::size_t>(held.rows * H));
        if (Status s2 = table.readRows(layer, heldRows.data(), held.rows, held.data.data()); !s2.isOk())
            return s2.withStage("training SAEs");
        if (held.rows > 0)
            if (Status s2 = evaluateSae(lr.sae, held, lr.metrics); !s2.isOk())
                return s2.withStage("evaluating the SAE of " + label);
        if (!spliceSentences.empty() && model.info().hasMlmHead) {
            SaeSpliceMetrics sm;
            Status s2 = evaluateSaeSplice(model, lr.sae, layer, spliceSentences, request.options.seed, sm,
                                          [&](const SaeSpliceProgress&) { return report(label + ": splice"); },
                                          innerCancel);
            if (s2.isCancelled()) return Status::cancelled();
            if (!s2.isOk()) return s2.withStage("training SAEs");
            lr.splice = sm;
            lr.hasSplice = true;
        }
        ++pr.step;
        result.layers.push_back(std::move(lr));
    }
    result.createdMs = nowMs();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const Status saved = storeSaeSet(store, result);
    if (saved.isOk()) {
        std::error_code ec;
        for (const auto& f : stateFiles) fs::remove(f, ec);
    }
    out = std::move(result);
    return saved;
}

// ---------------------------------------------------------------- SAELens

Status exportSaeSet(const SaeSet& set, const fs::path& dir) {
    if (set.layers.empty()) return Status::failed("exporting SAE set '" + set.name + "': it holds no layers");
    for (const auto& r : set.layers) {
        if (r.sae.W_enc.empty())
            return Status::failed("exporting SAE set '" + set.name + "': the weights are not loaded");
        if (Status st = exportSaeLens(r.sae, dir / ("layer_" + std::to_string(r.layer))); !st.isOk())
            return st.withStage("exporting SAE set '" + set.name + "'");
    }
    return Status::ok();
}

Status importSaeLensSet(const std::vector<fs::path>& dirs, const std::string& modelFingerprint,
                        std::int64_t hiddenSize, std::int64_t numLayers, ResultStore& store, SaeSet& out) {
    std::vector<fs::path> folders;
    for (const auto& d : dirs) {
        std::error_code ec;
        if (fs::exists(d / "cfg.json", ec)) {
            folders.push_back(d);
            continue;
        }
        std::vector<fs::path> sub;
        for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_directory() && fs::exists(it->path() / "cfg.json")) sub.push_back(it->path());
        if (sub.empty())
            return Status::failed("importing SAEs: " + d.string() + " holds no cfg.json and no folder with one");
        std::sort(sub.begin(), sub.end());
        folders.insert(folders.end(), sub.begin(), sub.end());
    }
    if (folders.empty()) return Status::failed("importing SAEs: no folder given");
    SaeSet set;
    set.modelFingerprint = modelFingerprint;
    set.imported = true;
    std::string digest;
    for (const auto& f : folders) {
        SaeLayerResult r;
        if (Status st = importSaeLens(f, r.sae); !st.isOk()) return st;
        if (r.sae.layer < 0 || r.sae.layer > numLayers)
            return Status::failed("importing SAEs: " + f.string() + ": hook_layer " + std::to_string(r.sae.layer) +
                                  " is not a layer of the model (0 .. " + std::to_string(numLayers) + ")");
        if (r.sae.dIn != hiddenSize)
            return Status::failed("importing SAEs: " + f.string() + ": d_in " + std::to_string(r.sae.dIn) +
                                  " differs from the model's hidden size " + std::to_string(hiddenSize));
        for (const auto& other : set.layers)
            if (other.layer == r.sae.layer)
                return Status::failed("importing SAEs: two folders hold an SAE for layer " + std::to_string(r.sae.layer));
        r.layer = r.sae.layer;
        r.sae.modelFingerprint = modelFingerprint;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        r.metrics.l0 = r.metrics.mse = r.metrics.fvu = r.metrics.deadFraction = nan;  // not evaluated
        set.layers.push_back(std::move(r));
    }
    std::sort(set.layers.begin(), set.layers.end(),
              [](const SaeLayerResult& a, const SaeLayerResult& b) { return a.layer < b.layer; });
    for (const auto& r : set.layers) set.request.layers.push_back(r.layer);
    set.request.options.kind = set.layers.front().sae.kind;
    const auto blob = weightsBlob(set);
    set.name = std::string("sae/imported/") + shortHash(modelFingerprint) + "/" +
               shortHash(contentHash({reinterpret_cast<const char*>(blob.data()), blob.size()}));
    set.createdMs = nowMs();
    if (Status st = storeSaeSet(store, set); !st.isOk()) return st;
    out = std::move(set);
    return Status::ok();
}

} // namespace gs
