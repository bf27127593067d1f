// The analysis engine's identity side: which analyses exist, the run key of
// each (everything that changes the numbers), the single-sentence path
// (store first, then one forward pass) and the display-time word grouping.

#include "grammascope/analysis_engine.h"

#include "engine/batch_compute.h"
#include "engine/engine_impl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace gs {

// ---------------------------------------------------------------- analyses

const std::vector<AnalysisDescriptor>& engineAnalyses() {
    // Code versions go into the run key: bump one when its numbers change, so
    // that results of the old code are never served as the new ones.
    static const std::vector<AnalysisDescriptor> list = [] {
        std::vector<AnalysisDescriptor> out;
        for (const LayerQuantityInfo& q : layerQuantities()) {
            AnalysisDescriptor d;
            d.id = q.id;
            d.quantity = q.quantity;
            d.label = q.label;
            d.codeVersion = q.quantity == LayerQuantity::Surprisal ? "engine-1/pll-bits-1" : "engine-1/double-1";
            d.needsMlmHead = q.quantity == LayerQuantity::Surprisal;
            out.push_back(std::move(d));
        }
        return out;
    }();
    return list;
}

Status parseAnalysisIds(std::string_view commaList, std::vector<std::string>& ids) {
    std::vector<std::string> result;
    std::string known;
    for (const auto& a : engineAnalyses()) known += (known.empty() ? "" : ", ") + a.id;
    std::size_t start = 0;
    while (start <= commaList.size()) {
        const std::size_t comma = std::min(commaList.find(',', start), commaList.size());
        std::string id;
        for (char c : commaList.substr(start, comma - start)) {
            if (c == ' ' || c == '\t') continue;
            id += c == '_' ? '-' : c;
        }
        start = comma + 1;
        if (id.empty()) continue;
        if (id == "all") {
            for (const auto& a : engineAnalyses())
                if (std::find(result.begin(), result.end(), a.id) == result.end()) result.push_back(a.id);
            continue;
        }
        const auto& list = engineAnalyses();
        if (std::none_of(list.begin(), list.end(), [&](const AnalysisDescriptor& a) { return a.id == id; }))
            return Status::failed("unknown analysis '" + id + "' (known: " + known + ", all)");
        if (std::find(result.begin(), result.end(), id) == result.end()) result.push_back(id);
    }
    if (result.empty()) return Status::failed("no analysis given (known: " + known + ", all)");
    ids = std::move(result);
    return Status::ok();
}

// ---------------------------------------------------------------- identity and keys

Status EngineCore::ensureModel(const ProgressCallback& progress) {
    if (!m_fingerprint.empty()) return Status::ok();
    std::string fingerprint;
    if (Status st = fingerprintModelFiles(m_model.info().directory, fingerprint, progress); !st.isOk()) return st;
    ModelRecord record;
    record.fingerprint = fingerprint;
    record.path = m_model.info().directory.string();
    const ModelConfig& c = m_model.info().config;
    record.description = std::string(architectureName(c.architecture)) + " " + std::to_string(c.numLayers) + "x" +
                         std::to_string(c.hiddenSize) + ", " + m_model.info().tokenizerDescription;
    if (Status st = m_store.registerModel(record); !st.isOk()) return st;
    m_fingerprint = fingerprint;
    return Status::ok();
}

Status EngineCore::resolve(const std::vector<std::string>& ids,
                                     std::vector<const AnalysisDescriptor*>& out) const {
    out.clear();
    if (ids.empty()) return Status::failed("no analysis requested");
    for (const std::string& raw : ids) {
        std::vector<std::string> one;
        if (Status st = parseAnalysisIds(raw, one); !st.isOk()) return st;
        for (const std::string& id : one) {
            const auto& list = engineAnalyses();
            const auto it = std::find_if(list.begin(), list.end(), [&](const AnalysisDescriptor& a) { return a.id == id; });
            if (std::find(out.begin(), out.end(), &*it) != out.end()) continue;
            if (it->needsMlmHead && !m_model.info().hasMlmHead)
                return Status::failed(it->id + " needs an MLM head; " + m_model.info().directory.string() + " has none");
            out.push_back(&*it);
        }
    }
    return Status::ok();
}

std::int64_t EngineCore::maxLength(const AnalysisParameters& params) const {
    const std::int64_t modelMax = m_model.info().config.maxSequenceLength();
    return params.maxLength <= 0 || params.maxLength > modelMax ? modelMax : params.maxLength;
}

AnalysisKey EngineCore::key(const AnalysisDescriptor& analysis, const AnalysisParameters& params) const {
    // Everything here changes the numbers; batch sizes do not (beyond float
    // rounding far below fp16 storage), so they stay out and a rerun with
    // other batching still hits the cache.
    const ModelInfo& info = m_model.info();
    nlohmann::json p;
    p["precision"] = info.precision == Precision::BFloat16 ? "bf16" : "fp32";
    p["device"] = info.device.rfind("cuda", 0) == 0 ? "cuda" : "cpu";
    p["max_length"] = maxLength(params);
    p["columns"] = "tokens";
    AnalysisKey k;
    k.modelFingerprint = m_fingerprint;
    k.analysis = analysis.id;
    k.parametersJson = p.dump();
    k.codeVersion = analysis.codeVersion;
    return k;
}

Status EngineCore::beginRuns(const std::vector<const AnalysisDescriptor*>& analyses,
                                       const AnalysisParameters& params, std::vector<AnalysisRunRef>& runs,
                                       std::vector<bool>* wasRunning) {
    runs.clear();
    if (wasRunning) wasRunning->clear();
    for (const AnalysisDescriptor* a : analyses) {
        AnalysisRunRef ref;
        ref.analysis = a->id;
        ref.key = key(*a, params);
        if (wasRunning) {
            std::int64_t id = 0;
            bool found = false;
            if (Status st = m_store.findRun(ref.key, id, found); !st.isOk()) return st;
            RunInfo info;
            if (found) {
                if (Status st = m_store.runInfo(id, info); !st.isOk()) return st;
            }
            wasRunning->push_back(found && info.state == RunState::Running);
        }
        if (Status st = m_store.beginRun(ref.key, ref.runId); !st.isOk()) return st;
        runs.push_back(std::move(ref));
    }
    return Status::ok();
}

// ---------------------------------------------------------------- the engine

AnalysisEngine::AnalysisEngine(const Model& model, ResultStore& store)
    : m_impl(std::make_unique<Impl>(model, store)) {}
AnalysisEngine::~AnalysisEngine() = default;

Status AnalysisEngine::registerModel(const ProgressCallback& progress) {
    return m_impl->ensureModel(progress).withStage("registering the model");
}

Status AnalysisEngine::setModelFingerprint(const std::string& fingerprint) {
    if (fingerprint.rfind("gsfp1-", 0) != 0) return Status::failed("not a model fingerprint: '" + fingerprint + "'");
    ModelRecord record;
    record.fingerprint = fingerprint;
    record.path = m_impl->m_model.info().directory.string();
    if (Status st = m_impl->m_store.registerModel(record); !st.isOk()) return st.withStage("registering the model");
    m_impl->m_fingerprint = fingerprint;
    return Status::ok();
}

const std::string& AnalysisEngine::modelFingerprint() const { return m_impl->m_fingerprint; }

std::int64_t AnalysisEngine::effectiveMaxLength(const AnalysisParameters& params) const {
    return m_impl->maxLength(params);
}

Status AnalysisEngine::runKeys(const std::vector<std::string>& analysisIds, const AnalysisParameters& params,
                               std::vector<AnalysisKey>& keys) {
    if (Status st = m_impl->ensureModel(); !st.isOk()) return st.withStage("registering the model");
    std::vector<const AnalysisDescriptor*> analyses;
    if (Status st = m_impl->resolve(analysisIds, analyses); !st.isOk()) return st;
    keys.clear();
    for (const AnalysisDescriptor* a : analyses) keys.push_back(m_impl->key(*a, params));
    return Status::ok();
}

Status AnalysisEngine::analyseSentence(std::string_view text, const std::vector<std::string>& analysisIds,
                                       const AnalysisParameters& params, std::vector<SentenceAnalysis>& out,
                                       bool& fromCache, const ProgressCallback& progress,
                                       std::vector<std::string>* warnings) {
    try {
        Impl& d = *m_impl;
        fromCache = false;
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return Status::failed("analysing a sentence: the sentence is empty");
        if (Status st = d.ensureModel(); !st.isOk()) return st.withStage("registering the model");
        std::vector<const AnalysisDescriptor*> analyses;
        if (Status st = d.resolve(analysisIds, analyses); !st.isOk()) return st.withStage("analysing a sentence");

        // The store first: a sentence seen before costs no forward pass.
        const std::string hash = sentenceHash(text);
        std::vector<SentenceAnalysis> result(analyses.size());
        std::vector<std::size_t> missing;
        for (std::size_t a = 0; a < analyses.size(); ++a) {
            SentenceAnalysis& r = result[a];
            r.analysis = analyses[a]->id;
            r.sentenceHash = hash;
            std::int64_t runId = 0;
            bool found = false;
            if (Status st = d.m_store.findRun(d.key(*analyses[a], params), runId, found); !st.isOk()) return st;
            if (found) {
                r.runId = runId;
                if (Status st = d.m_store.getResult(runId, hash, r.matrix, found); !st.isOk()) return st;
            }
            r.fromCache = found;
            if (!found) missing.push_back(a);
        }
        if (missing.empty()) {
            fromCache = true;
            out = std::move(result);
            return Status::ok();
        }

        Encoding encoding;
        if (Status st = d.m_model.tokenizer().encode(text, d.maxLength(params), encoding); !st.isOk())
            return st.withStage("tokenizing");
        if (warnings && encoding.truncated) {
            warnings->push_back("the sentence has " + std::to_string(encoding.untruncatedLength) +
                                " tokens; only the first " + std::to_string(encoding.tokens.size()) + " are analysed");
        }
        std::vector<LayerQuantity> quantities;
        for (std::size_t a : missing) quantities.push_back(analyses[a]->quantity);
        detail::BatchSentence sentence{&encoding, false, false};
        for (LayerQuantity q : quantities) (q == LayerQuantity::Surprisal ? sentence.surprisal : sentence.hidden) = true;
        std::vector<std::vector<ResultMatrix>> matrices;
        detail::BatchComputeStats stats;
        Status st = detail::computeBatch(d.m_model, {sentence}, quantities, std::max<std::int64_t>(1, params.batchTokens),
                                         matrices, stats, progress);
        if (st.isCancelled()) return st;
        if (!st.isOk()) return st.withStage("analysing a sentence");
        if (progress) progress(1, 1);

        // The results are handed out even when saving them fails: the caller
        // still shows the heatmap, and learns that the store did not keep it.
        std::vector<const AnalysisDescriptor*> toStore;
        for (std::size_t a : missing) toStore.push_back(analyses[a]);
        for (std::size_t k = 0; k < missing.size(); ++k) result[missing[k]].matrix = std::move(matrices[0][k]);
        out = result;

        std::vector<AnalysisRunRef> runs;
        std::vector<bool> wasRunning;
        if (Status s = d.beginRuns(toStore, params, runs, &wasRunning); !s.isOk()) return s.withStage("saving results");
        for (std::size_t k = 0; k < runs.size(); ++k) {
            out[missing[k]].runId = runs[k].runId;
            if (Status s = d.m_store.putResults(runs[k].runId, {ResultEntry{std::string(text), out[missing[k]].matrix}});
                !s.isOk())
                return s.withStage("saving results");
            // A run another job left Running stays Running: that job (or its
            // resumption) completes it.
            if (!wasRunning[k]) {
                if (Status s = d.m_store.finishRun(runs[k].runId); !s.isOk()) return s.withStage("saving results");
            }
        }
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("analysing a sentence: ") + e.what());
    }
}

Status AnalysisEngine::analyseDataset(const Dataset& dataset, const std::vector<std::string>& analysisIds,
                                      const AnalysisParameters& params, const DatasetRunCallbacks& callbacks,
                                      DatasetRunSummary& summary) {
    try {
        summary = DatasetRunSummary{};
        std::vector<JobSentence> sentences;
        std::vector<std::string> texts;
        sentences.reserve(dataset.items.size() * 2);
        texts.reserve(dataset.items.size() * 2);
        // The content hash follows the sentences in order, so the same
        // sentences read from another file are the same dataset.
        std::string content = "grammascope-dataset-1\n";
        for (std::size_t i = 0; i < dataset.items.size(); ++i) {
            const DatasetItem& item = dataset.items[i];
            const std::string id = item.id.empty() ? "line " + std::to_string(item.line) : item.id;
            sentences.push_back({item.good.text, id});
            texts.push_back(item.good.text);
            content += item.good.text;
            content += '\x1f';
            if (item.isPair()) {
                sentences.push_back({item.bad.text, id});
                texts.push_back(item.bad.text);
                content += item.bad.text;
            }
            content += '\x1e';
        }
        if (m_impl->m_store.readOnly()) return Status::failed("analysing a dataset: the results store is read-only");
        DatasetRecord record;
        record.contentHash = contentHash(content);
        record.name = dataset.name;
        record.source = dataset.source.string();
        std::int64_t datasetId = 0;
        if (Status st = m_impl->m_store.registerDataset(record, texts, datasetId); !st.isOk())
            return st.withStage("analysing a dataset");
        Status st = m_impl->runJob(sentences, analysisIds, params, callbacks, summary);
        summary.datasetId = datasetId;
        summary.items = static_cast<std::int64_t>(dataset.items.size());
        return st;
    } catch (const std::exception& e) {
        return Status::failed(std::string("analysing a dataset: ") + e.what());
    }
}

Status AnalysisEngine::analyseSentences(const std::vector<std::string>& sentences,
                                        const std::vector<std::string>& analysisIds, const AnalysisParameters& params,
                                        const DatasetRunCallbacks& callbacks, DatasetRunSummary& summary) {
    try {
        summary = DatasetRunSummary{};
        std::vector<JobSentence> job;
        job.reserve(sentences.size());
        for (std::size_t i = 0; i < sentences.size(); ++i) job.push_back({sentences[i], "#" + std::to_string(i + 1)});
        Status st = m_impl->runJob(job, analysisIds, params, callbacks, summary);
        summary.items = static_cast<std::int64_t>(sentences.size());
        return st;
    } catch (const std::exception& e) {
        return Status::failed(std::string("analysing sentences: ") + e.what());
    }
}

// ---------------------------------------------------------------- display grouping

Status groupResultColumns(const ResultMatrix& matrix, const Encoding& tokens, LayerQuantity quantity,
                          TokenGrouping grouping, Heatmap& out) {
    const auto T = static_cast<int>(tokens.tokens.size());
    if (matrix.cols != T || matrix.values.size() != static_cast<std::size_t>(matrix.rows) * static_cast<std::size_t>(T))
        return Status::failed("grouping columns: the matrix has " + std::to_string(matrix.cols) +
                              " columns but the sentence has " + std::to_string(T) + " tokens");
    Heatmap h;
    setHeatmapColumns(tokens, grouping, h);
    const bool sum = quantity == LayerQuantity::Surprisal;
    h.rows = matrix.rows;
    h.cols = static_cast<int>(h.colLabels.size());
    h.rowLabels = matrix.rowLabels;
    for (const auto& q : layerQuantities()) {
        if (q.quantity == quantity) {
            h.title = q.label;
            h.diverging = q.diverging;
        }
    }
    h.values.assign(static_cast<std::size_t>(h.rows) * static_cast<std::size_t>(h.cols), 0.0f);
    for (int row = 0; row < h.rows; ++row) {
        for (int col = 0; col < h.cols; ++col) {
            const auto b = h.colTokenBegin[static_cast<std::size_t>(col)];
            const auto e = h.colTokenEnd[static_cast<std::size_t>(col)];
            double acc = 0;
            for (auto t = b; t < e; ++t) acc += matrix.at(row, static_cast<int>(t));
            h.values[static_cast<std::size_t>(row) * static_cast<std::size_t>(h.cols) + static_cast<std::size_t>(col)] =
                static_cast<float>(sum ? acc : acc / double(e - b));
        }
    }
    out = std::move(h);
    return Status::ok();
}

} // namespace gs
