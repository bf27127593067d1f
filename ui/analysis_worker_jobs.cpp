// The bodies of AnalysisWorker's jobs, on the worker thread: loading a
// model, a sentence through the engine's cache, a dataset run with its
// streamed "cached" marks, the scan of what a dataset already has in the
// store, and the store's life cycle (open, move aside, clear, statistics).

#include "analysis_worker.h"
#include "analysis_worker_job.h"

#include <QDir>

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

namespace gs::ui {
namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

QString fromPath(const std::filesystem::path& path) { return QString::fromStdU16String(path.u16string()); }

QString message(const Status& status) { return QString::fromStdString(status.message()); }

DatasetRunProgress toProgress(const EngineProgress& p) {
    DatasetRunProgress out;
    out.itemsDone = p.itemsDone;
    out.itemsTotal = p.itemsTotal;
    out.cachedItems = p.cachedItems;
    out.tokensDone = p.tokensDone;
    out.tokensTotal = p.tokensTotal;
    out.tokensPerSecond = p.tokensPerSecond;
    out.etaSeconds = p.etaSeconds;
    out.elapsedSeconds = p.elapsedSeconds;
    return out;
}

// Where each distinct sentence of a dataset sits: item and side.
struct DatasetIndex {
    std::vector<std::string> hashes;  // distinct, in dataset order
    std::unordered_map<std::string, std::vector<std::pair<int, quint8>>> places;

    explicit DatasetIndex(const Dataset& dataset) {
        auto add = [this](const std::string& text, int item, quint8 side) {
            if (text.find_first_not_of(" \t\r\n") == std::string::npos) return;
            const std::string hash = sentenceHash(text);
            auto [it, inserted] = places.try_emplace(hash);
            if (inserted) hashes.push_back(hash);
            it->second.emplace_back(item, side);
        };
        for (std::size_t i = 0; i < dataset.items.size(); ++i) {
            const DatasetItem& item = dataset.items[i];
            add(item.good.text, int(i), 1);
            if (item.isPair()) add(item.bad.text, int(i), 2);
        }
    }

    // The items (and sides) of these sentences, one entry per item.
    template <typename Hashes>
    void placesOf(const Hashes& sentenceHashes, DatasetCacheUpdate& update) const {
        std::unordered_map<int, quint8> sides;
        for (const std::string& hash : sentenceHashes) {
            const auto it = places.find(hash);
            if (it == places.end()) continue;
            for (const auto& [item, side] : it->second) sides[item] |= side;
        }
        std::vector<std::pair<int, quint8>> sorted(sides.begin(), sides.end());
        std::sort(sorted.begin(), sorted.end());
        for (const auto& [item, side] : sorted) {
            update.items.push_back(item);
            update.sides.push_back(side);
        }
    }
};

} // namespace

AnalysisParameters AnalysisWorker::parameters() const {
    AnalysisParameters params;
    params.batchTokens = kBatchTokens;
    params.maxBatchSize = kMaxBatchSize;
    return params;
}

std::vector<std::string> AnalysisWorker::analysisIds(const QStringList& analyses) const {
    std::vector<std::string> ids;
    const bool head = m_model && m_model->info().hasMlmHead;
    for (const QString& id : analyses) {
        const std::string name = id.toStdString();
        const auto& list = engineAnalyses();
        const auto it = std::find_if(list.begin(), list.end(), [&](const AnalysisDescriptor& a) { return a.id == name; });
        if (it == list.end() || (it->needsMlmHead && !head)) continue;
        if (std::find(ids.begin(), ids.end(), name) == ids.end()) ids.push_back(name);
    }
    return ids;
}

// ---------------------------------------------------------------- model

void AnalysisWorker::runLoadModel(Job& job) {
    std::shared_ptr<const Model> model;
    Status status = Model::load(toPath(job.text), job.options, model, progressFor(job));
    if (status.isCancelled()) {
        emit cancelled(job.id);
        return;
    }
    if (!status.isOk() || !model) {
        emit failed(job.id, message(status));
        return;
    }
    // The model's identity in the store: every weight byte, hashed once here
    // so that the first sentence does not pay for it.
    std::string fingerprint;
    status = fingerprintModelFiles(model->info().directory, fingerprint, progressFor(job));
    if (status.isCancelled() || job.stop.load()) {
        emit cancelled(job.id);  // the previous model stays in use
        return;
    }
    m_engine.reset();
    m_model = std::move(model);
    m_fingerprint = status.isOk() ? fingerprint : std::string();  // else the engine tries again lazily
    rebuildEngine();
    emit modelLoaded(job.id, m_model->info());
}

// ---------------------------------------------------------------- one sentence

void AnalysisWorker::runSentence(Job& job) {
    if (!m_model) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    ensureEngine();
    const std::vector<std::string> ids = analysisIds(job.analyses);
    if (ids.empty()) {
        emit failed(job.id, tr("no analysis to run"));
        return;
    }
    const std::string text = job.text.toStdString();
    const AnalysisParameters params = parameters();
    auto result = std::make_shared<SentenceResult>();
    bool fromCache = false;
    std::vector<std::string> warnings;
    Status status = m_engine->analyseSentence(text, ids, params, result->analyses, fromCache, progressFor(job), &warnings);
    if (status.isCancelled()) {
        emit cancelled(job.id);
        return;
    }
    if (!status.isOk()) {
        // Computed but not saved: still shown, with a note; otherwise a failure.
        const bool complete = result->analyses.size() == ids.size() &&
            std::all_of(result->analyses.begin(), result->analyses.end(),
                        [](const SentenceAnalysis& a) { return a.matrix.rows > 0; });
        reportStoreFailure(job.id, status);
        if (!complete) {
            emit failed(job.id, message(status));
            return;
        }
        result->saved = false;
        result->warnings << tr("Not saved in the cache: %1").arg(message(status));
    }
    status = m_model->tokenizer().encode(text, m_engine->effectiveMaxLength(params), result->encoding);
    if (!status.isOk()) {
        emit failed(job.id, message(status.withStage("tokenizing")));
        return;
    }
    result->text = job.text;
    result->numLayers = m_model->info().config.numLayers;
    result->fromCache = fromCache;
    if (!fromCache) emit sentenceComputed(job.id);
    emit sentenceReady(job.id, std::move(result));
}

// ---------------------------------------------------------------- datasets

namespace {

// Sentences of the index that have every analysis of `keys` in the store.
Status cachedSentences(ResultStore& store, const std::vector<AnalysisKey>& keys, const DatasetIndex& index,
                       std::vector<std::string>& cached) {
    std::unordered_set<std::string> missing;
    for (const AnalysisKey& key : keys) {
        std::int64_t runId = 0;
        bool found = false;
        if (Status st = store.findRun(key, runId, found); !st.isOk()) return st;
        if (!found) {
            cached.clear();
            return Status::ok();
        }
        std::vector<std::string> lacking;
        if (Status st = store.missingSentences(runId, index.hashes, lacking); !st.isOk()) return st;
        missing.insert(lacking.begin(), lacking.end());
    }
    cached.clear();
    for (const std::string& hash : index.hashes)
        if (!missing.count(hash)) cached.push_back(hash);
    return Status::ok();
}

} // namespace

void AnalysisWorker::runScan(Job& job) {
    if (!m_model || !job.dataset) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    ensureEngine();
    const std::vector<std::string> ids = analysisIds(job.analyses);
    DatasetCacheUpdate update;
    update.dataset = job.dataset;
    update.reset = true;
    if (!ids.empty()) {
        std::vector<AnalysisKey> keys;
        Status status = m_engine->runKeys(ids, parameters(), keys);
        const DatasetIndex index(job.dataset->dataset);
        std::vector<std::string> cached;
        if (status.isOk()) status = cachedSentences(*m_store, keys, index, cached);
        if (!status.isOk()) {
            reportStoreFailure(job.id, status);
            emit failed(job.id, message(status));
            return;
        }
        index.placesOf(cached, update);
    }
    emit itemsCached(job.id, update);
}

void AnalysisWorker::runDatasetJob(Job& job) {
    if (!m_model || !job.dataset) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    ensureEngine();
    const std::vector<std::string> ids = analysisIds(job.analyses);
    if (ids.empty()) {
        emit failed(job.id, tr("no analysis to run"));
        return;
    }
    const AnalysisParameters params = parameters();
    const DatasetIndex index(job.dataset->dataset);
    if (!job.resumed) {
        // What is already there is marked at once; the rest streams in.
        std::vector<AnalysisKey> keys;
        std::vector<std::string> cached;
        Status status = m_engine->runKeys(ids, params, keys);
        if (status.isOk()) status = cachedSentences(*m_store, keys, index, cached);
        if (status.isOk()) {
            DatasetCacheUpdate update;
            update.dataset = job.dataset;
            update.reset = true;
            index.placesOf(cached, update);
            emit itemsCached(job.id, update);
        }
    }

    DatasetRunCallbacks callbacks;
    callbacks.cancelFlag = &job.stop;
    callbacks.progress = [this, &job](const EngineProgress& p) {
        emit datasetProgress(job.id, toProgress(p));
        return betweenBatches(job);
    };
    callbacks.onResults = [this, &job, &index](const std::vector<SentenceAnalysis>& batch) {
        // A batch brings every missing analysis of its sentences: they are complete now.
        std::unordered_set<std::string> hashes;
        for (const SentenceAnalysis& result : batch) hashes.insert(result.sentenceHash);
        DatasetCacheUpdate update;
        update.dataset = job.dataset;
        index.placesOf(hashes, update);
        if (!update.items.empty()) emit itemsCached(job.id, update);
    };
    DatasetRunReport report;
    report.dataset = job.dataset;
    m_datasetJobDepth++;
    const Status status = m_engine->analyseDataset(job.dataset->dataset, ids, params, callbacks, report.summary);
    m_datasetJobDepth--;
    if (status.isCancelled()) {
        if (job.preempted.load() && !job.userCancelled.load()) {
            job.requeue = true;  // continues after the job that stopped it
            return;
        }
        report.cancelled = true;
        emit datasetFinished(job.id, report);
        return;
    }
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status));
        return;
    }
    emit datasetFinished(job.id, report);
}

// ---------------------------------------------------------------- the store

void AnalysisWorker::closeStore() {
    m_engine.reset();
    m_store.reset();
    m_storeState = StoreState{};
}

void AnalysisWorker::rebuildEngine() {
    m_engine.reset();
    resetProbeCaches();  // another model or store: other probe sets and hidden states
    if (!m_model || !m_store) return;
    m_engine = std::make_unique<AnalysisEngine>(*m_model, *m_store);
    // Known already: no second pass over the weights. If the store refuses
    // the record, the engine registers the model again on first use.
    if (!m_fingerprint.empty()) (void)m_engine->setModelFingerprint(m_fingerprint);
}

void AnalysisWorker::ensureEngine() {
    if (!m_store) openStoreAt(0, QString(), 0);
    if (!m_engine) rebuildEngine();
}

void AnalysisWorker::openStoreAt(quint64 requestId, const QString& path, qint64 sizeLimitBytes) {
    closeStore();
    m_sizeLimitBytes = sizeLimitBytes;
    ResultStoreOptions options;
    options.sizeLimitBytes = std::max<qint64>(0, sizeLimitBytes);
    StoreState state;
    state.requestedPath = path;
    if (!path.isEmpty()) {
        StoreProblem problem = StoreProblem::None;
        const Status status = ResultStore::open(toPath(path), options, m_store, &problem);
        if (status.isOk()) {
            state.path = path;
            state.persistent = true;
        } else {
            m_store.reset();
            StoreProblemInfo info;
            info.path = path;
            info.problem = problem == StoreProblem::None ? StoreProblem::Io : problem;
            info.message = message(status);
            emit storeProblem(requestId, info);
        }
    }
    if (!m_store) {
        // Results are kept for this session only; nothing on disk is touched.
        options.sizeLimitBytes = 0;
        const Status status = ResultStore::open(":memory:", options, m_store);
        if (!status.isOk()) {
            m_store.reset();
            emit failed(requestId, message(status));
        }
    }
    m_storeState = state;
    emit storeOpened(requestId, state);
}

void AnalysisWorker::reportStoreFailure(quint64 requestId, const Status& status) {
    if (!m_store || !m_storeState.persistent) return;
    const StoreProblem problem = m_store->problem();
    if (problem != StoreProblem::Corrupt && problem != StoreProblem::NewerSchema) return;
    StoreProblemInfo info;
    info.path = m_storeState.path;
    info.problem = problem;
    info.message = message(status);
    info.atOpen = false;
    emit storeProblem(requestId, info);
    // Keep working in memory; the damaged file is left as it is for the user
    // to move aside. Not while a dataset job still holds the engine.
    if (m_datasetJobDepth == 0) {
        const QString path = m_storeState.path;
        openStoreAt(requestId, QString(), 0);
        m_storeState.requestedPath = path;
        rebuildEngine();
    }
}

void AnalysisWorker::runOpenStore(Job& job) {
    openStoreAt(job.id, job.text, job.bytes);
    rebuildEngine();
}

void AnalysisWorker::runMoveAside(Job& job) {
    if (m_storeState.path == job.text) closeStore();  // a store found damaged while in use
    std::filesystem::path moved;
    const Status status = moveAsideCorruptStore(toPath(job.text), moved);
    if (!status.isOk()) {
        emit failed(job.id, message(status));
        if (!m_store) {
            openStoreAt(job.id, QString(), 0);
            rebuildEngine();
        }
        return;
    }
    emit storeMovedAside(job.id, job.text, fromPath(moved));
    openStoreAt(job.id, job.text, job.bytes);
    rebuildEngine();
}

void AnalysisWorker::runClearCache(Job& job) {
    if (!m_store) {
        emit failed(job.id, tr("no cache is open"));
        return;
    }
    StoreStats before;
    if (Status st = m_store->stats(before); !st.isOk()) {
        reportStoreFailure(job.id, st);
        emit failed(job.id, message(st));
        return;
    }
    // A fresh connection: runs left open by a cancelled dataset job belong to
    // the old one, which would refuse to clear while it "writes" them.
    const StoreState state = m_storeState;
    openStoreAt(job.id, state.persistent ? state.path : QString(), m_sizeLimitBytes);
    if (!state.persistent) m_storeState.requestedPath = state.requestedPath;
    rebuildEngine();
    if (!m_store) return;
    CacheClearReport report;
    report.removedResults = before.results;
    report.removedRuns = before.runs;
    report.bytesBefore = before.fileBytes + before.walBytes;
    Status status = m_store->clear(ClearScope::Results);
    if (status.isOk()) status = m_store->vacuum();
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status));
        return;
    }
    StoreStats after;
    if (m_store->stats(after).isOk()) report.bytesAfter = after.fileBytes + after.walBytes;
    emit cacheCleared(job.id, report);
}

void AnalysisWorker::runStats(Job& job) {
    if (!m_store) {
        emit failed(job.id, tr("no cache is open"));
        return;
    }
    StoreStats stats;
    const Status status = m_store->stats(stats);
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status));
        return;
    }
    if (!m_storeState.persistent) stats.path.clear();
    emit cacheStats(job.id, stats);
}

void AnalysisWorker::runSetSizeLimit(Job& job) {
    m_sizeLimitBytes = std::max<qint64>(0, job.bytes);
    if (!m_store || !m_storeState.persistent) return;
    const Status status = m_store->setSizeLimit(m_sizeLimitBytes);
    if (!status.isOk()) emit failed(job.id, message(status));
}

} // namespace gs::ui
