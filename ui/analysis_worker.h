#pragma once
// All model work off the GUI thread. One long-lived AnalysisWorker lives on
// its own QThread (AnalysisThread) and owns the loaded Model, the writable
// ResultStore (opened on that thread) and the AnalysisEngine over both; the
// GUI only submits jobs and receives queued signals, so it never blocks on
// LibTorch or SQLite.
//
// The job queue. Submitting is thread-safe and returns the job's id
// (increasing); every signal repeats it, so that the caller can drop results
// of stale requests. Jobs run one at a time in three classes:
//   1. control: load a model, open / move aside / clear the store, statistics,
//      size limit;
//   2. interactive: one sentence, a scan of which dataset items are cached;
//   3. background: a whole dataset.
// A pending job of a higher class runs before any pending job of a lower one
// (first in, first out within a class). A new sentence request supersedes
// older sentence requests, pending or running (they report cancelled()).
// While a dataset job runs, interactive jobs (and statistics / size limit)
// are served between its batches, so clicking a pair during a long run shows
// its heatmap after at most one batch; other control jobs stop the dataset
// job at the next forward pass and it resumes after them where it stopped.
//
// Cancellation is a direct, thread-safe call that sets the job's
// std::atomic<bool> (not a queued slot, which would only run after the job it
// should stop); the engine checks it between forward passes. A cancelled
// dataset job keeps what it committed: running it again continues.
//
// Caching: sentences go through AnalysisEngine::analyseSentence(), so a
// sentence computed before (here, by a dataset run, or in an earlier session)
// is read from the store without a forward pass (SentenceResult::fromCache;
// sentenceComputed() is emitted only when a forward pass ran). When the
// store cannot be opened (corrupt, newer schema, unwritable), storeProblem()
// says why and the worker carries on with an in-memory store (results kept
// for the session only) until told otherwise; the file is never deleted.
//
// Probes (analysis_worker_probes.cpp): training a probe set on a dataset is a
// background job like a dataset run (interactive jobs are served between its
// steps; a model or store change stops it and it starts again after, reusing
// the hidden states already extracted); listing, deleting and exporting the
// stored sets are short store jobs; the probe confidence of a few sentences
// is an interactive job that supersedes older confidence requests.
//
// Thread affinity: submission and cancel functions may be called from any
// thread; signals are emitted on the worker thread. Every job body catches
// everything and reports failed().

#include "dataset_model.h"

#include "grammascope/analysis_engine.h"
#include "grammascope/model.h"
#include "grammascope/probe_data.h"
#include "grammascope/result_store.h"
#include "grammascope/sae_data.h"
#include "grammascope/sae_features.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

class QThread;

namespace gs::ui {

// One sentence, analysed for display: a token x layer matrix per analysis.
struct SentenceResult {
    QString text;
    Encoding encoding;                       // the columns (tokens), truncated as analysed
    std::int64_t numLayers = 0;
    std::vector<SentenceAnalysis> analyses;  // in the requested order
    bool fromCache = false;                  // nothing had to be computed
    bool saved = true;                       // false: computed but the store could not keep it
    QStringList warnings;

    // The matrix of a quantity, or null when it was not requested.
    const ResultMatrix* matrix(LayerQuantity quantity) const;
    qint64 numTokens() const { return qint64(encoding.tokens.size()); }
};
using SentenceResultPtr = std::shared_ptr<const SentenceResult>;

// Progress of a dataset job; items are the distinct sentences of the dataset.
struct DatasetRunProgress {
    qint64 itemsDone = 0, itemsTotal = 0, cachedItems = 0;
    qint64 tokensDone = 0, tokensTotal = 0;
    double tokensPerSecond = 0;
    double etaSeconds = -1;  // -1: not known yet
    double elapsedSeconds = 0;
};

// Which sides of which items of a dataset have every analysis of a run in the
// store: bit 0 the grammatical sentence (or the only one), bit 1 the other.
struct DatasetCacheUpdate {
    OpenDatasetPtr dataset;
    std::vector<int> items;
    std::vector<quint8> sides;
    bool reset = false;  // a scan: replaces what was known, instead of adding to it
};

struct DatasetRunReport {
    OpenDatasetPtr dataset;
    DatasetRunSummary summary;
    bool cancelled = false;
};

// The store the worker uses.
struct StoreState {
    QString path;             // the file, or empty for the in-memory fallback
    QString requestedPath;    // the file that was asked for
    bool persistent = false;  // false: results are kept for this session only
};

// A store that cannot be used.
struct StoreProblemInfo {
    QString path;
    StoreProblem problem = StoreProblem::None;
    QString message;
    bool atOpen = true;  // found when opening (else: while writing)
};

struct CacheClearReport {
    qint64 removedResults = 0, removedRuns = 0;
    qint64 bytesBefore = 0, bytesAfter = 0;  // file size
};

// Progress of a probe training job (see gs::ProbeTrainProgress).
struct ProbeTrainStatus {
    QString stage;                 // "hidden states", "layer 3: probe", ...
    int step = 0, steps = 0;       // over the whole job
    ExtractionProgress extraction; // while the hidden states are extracted
};

using ProbeSetPtr = std::shared_ptr<const ProbeSet>;
using ProbeSetListPtr = std::shared_ptr<const std::vector<ProbeSet>>;  // metadata only (no weights)

struct ProbeTrainReport {
    ProbeSetPtr set;               // with its weights
    bool reused = false;           // a stored set with the same name was returned
    OpenDatasetPtr dataset;
};

// Probe confidence P(class | h_l,t) of a few sentences under one probe set,
// for every class and both column groupings, so that switching the class or
// merging sub-tokens redraws without asking the worker again.
struct ProbeConfidence {
    QString setName;
    QStringList sentences;
    QStringList classes;
    // Per sentence: [0] tokens, [1] words; each one heatmap per class.
    std::vector<std::array<std::vector<Heatmap>, 2>> heatmaps;
    std::vector<bool> truncated;   // per sentence: cut to the model's maximum length

    const Heatmap* heatmap(int sentence, TokenGrouping grouping, int classIndex) const;
};
using ProbeConfidencePtr = std::shared_ptr<const ProbeConfidence>;

// Progress of an SAE training job (see gs::SaeSetProgress). `points` holds
// every training step reported since the previous status (so that a live
// plot misses none); `layer` is the layer being trained (-1 otherwise).
struct SaeTrainStatus {
    QString stage;                  // "hidden states", "layer 2: training", ...
    int step = 0, steps = 0;        // over the whole job
    int layer = -1;
    ExtractionProgress extraction;  // while the hidden states are extracted
    std::vector<SaeTrainProgress> points;
};

using SaeSetPtr = std::shared_ptr<const SaeSet>;
using SaeSetListPtr = std::shared_ptr<const std::vector<SaeSet>>;  // metadata only (no weights)

struct SaeTrainReport {
    SaeSetPtr set;                  // with its weights
    bool reused = false;            // a stored set with the same name was returned
    OpenDatasetPtr dataset;
};

// The SAE features of one sentence or of both sentences of a pair at one
// layer: the same feature rows for every sentence, both column groupings.
struct SaeSentenceView {
    QString setName;
    int layer = 0;
    QStringList sentences;
    std::vector<std::int32_t> features;  // the heatmap rows, top to bottom
    // Per sentence: [0] tokens, [1] words.
    std::vector<std::array<Heatmap, 2>> heatmaps;
    std::vector<bool> truncated;
    std::vector<SaePairDifference> differences;  // two sentences: features that differ most

    const Heatmap* heatmap(int sentence, TokenGrouping grouping) const;
};
using SaeSentenceViewPtr = std::shared_ptr<const SaeSentenceView>;

// One feature followed across the layers of a set on a sentence, and its
// nearest features in its own layer by decoder cosine.
struct SaeFeatureTraceResult {
    QString setName;
    int layer = 0;
    std::int32_t feature = -1;
    QString sentence;
    std::array<SaeFeatureTrace, 2> traces;  // [0] tokens, [1] words
    std::vector<SaeNeighbour> nearest;

    const SaeFeatureTrace& trace(TokenGrouping grouping) const { return traces[grouping == TokenGrouping::Words ? 1 : 0]; }
};
using SaeFeatureTracePtr = std::shared_ptr<const SaeFeatureTraceResult>;

using SaeFeatureIndexPtr = std::shared_ptr<const SaeFeatureIndex>;

// Progress of a feature index job (see gs::SaeIndexProgress).
struct SaeIndexStatus {
    QString stage;
    qint64 done = 0, total = 0;
    ExtractionProgress extraction;
};

class AnalysisWorker : public QObject {
    Q_OBJECT
public:
    // Padded tokens per forward pass of a dataset job. Small enough that a
    // sentence clicked during a run (served between batches) waits well under
    // a second on BERT-base, large enough for full matrix-product speed.
    static constexpr std::int64_t kBatchTokens = 1024;
    static constexpr int kMaxBatchSize = 64;

    explicit AnalysisWorker(QObject* parent = nullptr);
    ~AnalysisWorker() override;

    // --- submitting jobs (thread-safe; each returns the job id)
    // Loads a checkpoint folder (and fingerprints it for the store); the
    // previous model stays in use if this fails or is cancelled.
    quint64 loadModel(const QString& directory, const ModelOptions& options);
    // One sentence, these analyses (LayerQuantity ids); supersedes older sentence requests.
    quint64 analyseSentence(const QString& text, const QStringList& analyses);
    // Every sentence of the dataset, these analyses, in the background.
    quint64 runDataset(const OpenDatasetPtr& dataset, const QStringList& analyses);
    // Which items already have every analysis in the store (no computation).
    quint64 scanDataset(const OpenDatasetPtr& dataset, const QStringList& analyses);
    // Opens the store at `path` (empty: in memory), replacing the current one.
    quint64 openStore(const QString& path, qint64 sizeLimitBytes);
    // Renames an unusable store aside (never deletes it), then opens a new one at `path`.
    quint64 moveStoreAside(const QString& path, qint64 sizeLimitBytes);
    // Deletes every cached result (models, datasets and artefacts stay).
    quint64 clearCache();
    quint64 requestCacheStats();
    quint64 setCacheSizeLimit(qint64 bytes);

    // --- probes (analysis_worker_probes.cpp)
    // Trains (or, with request.reuse, finds) a probe set on the dataset, in the background.
    quint64 trainProbes(const OpenDatasetPtr& dataset, const ProbeTrainRequest& request);
    // The stored probe sets of the loaded model (probeSetsListed).
    quint64 listProbeSets();
    // Probe confidence of `sentences` under the stored set `name`; supersedes
    // older confidence requests.
    quint64 probeConfidence(const QString& name, const QStringList& sentences);
    quint64 deleteProbeSet(const QString& name);
    // Writes probes.safetensors and probes.json into `directory`.
    quint64 exportProbeSet(const QString& name, const QString& directory);

    // --- sparse autoencoders (analysis_worker_sae.cpp)
    // Trains (or, with request.reuse, finds) an SAE set on the dataset, in
    // the background; the same request after a cancel resumes the training.
    quint64 trainSaes(const OpenDatasetPtr& dataset, const SaeTrainRequest& request);
    // The stored SAE sets of the loaded model (saeSetsListed).
    quint64 listSaeSets();
    quint64 deleteSaeSet(const QString& name);
    // One SAELens folder per layer under `directory`.
    quint64 exportSaeSet(const QString& name, const QString& directory);
    // SAELens folders (or folders of them) stored as a set for the loaded model.
    quint64 importSaeLens(const QStringList& directories);
    // Feature heatmaps of 1 sentence or of a pair (2) at `layer`: each token's
    // `perToken` strongest features, at most `maxFeatures` rows; for a pair the
    // rows come from the features that differ most, then the top ones.
    // Supersedes older sentence-view requests.
    quint64 saeSentenceView(const QString& name, int layer, const QStringList& sentences, int perToken,
                            int maxFeatures);
    // One feature across the set's layers on a sentence; supersedes older trace requests.
    quint64 saeFeatureTrace(const QString& name, int layer, int feature, const QString& sentence);
    // Every feature's profile over the dataset at `layer` (built once, then kept).
    quint64 saeFeatureIndex(const QString& name, int layer, const OpenDatasetPtr& dataset);

    // --- cancelling (thread-safe, takes effect at the next forward pass)
    void cancel(quint64 requestId);
    // Every load, sentence, scan and dataset job (store jobs are not cancelled).
    void cancelAnalyses();
    // Jobs waiting or running (for tests and shutdown).
    bool isIdle() const;
    // The id the next submitted job will get: results of jobs below it are
    // from before "now" (a caller's epoch).
    quint64 nextRequestId() const { return m_nextId.load(); }

public slots:
    // Runs the next pending job; posted to the worker thread on submission.
    void processNext();

signals:
    void modelLoaded(quint64 requestId, const gs::ModelInfo& info);
    void sentenceReady(quint64 requestId, gs::ui::SentenceResultPtr result);
    // A sentence request needed a forward pass (not emitted for a cache hit).
    void sentenceComputed(quint64 requestId);
    // Loading and sentence jobs: (done, total) in the core's units.
    void progress(quint64 requestId, qint64 done, qint64 total);
    void datasetProgress(quint64 requestId, const gs::ui::DatasetRunProgress& progress);
    // Streamed by dataset jobs as batches are committed, and by scans.
    void itemsCached(quint64 requestId, const gs::ui::DatasetCacheUpdate& update);
    // A dataset job ended, complete or cancelled (failures go to failed()).
    void datasetFinished(quint64 requestId, const gs::ui::DatasetRunReport& report);
    void storeOpened(quint64 requestId, const gs::ui::StoreState& state);
    void storeProblem(quint64 requestId, const gs::ui::StoreProblemInfo& problem);
    void storeMovedAside(quint64 requestId, const QString& from, const QString& to);
    void cacheCleared(quint64 requestId, const gs::ui::CacheClearReport& report);
    void cacheStats(quint64 requestId, const gs::StoreStats& stats);
    void probeTrainProgress(quint64 requestId, const gs::ui::ProbeTrainStatus& status);
    void probeSetTrained(quint64 requestId, const gs::ui::ProbeTrainReport& report);
    void probeSetsListed(quint64 requestId, gs::ui::ProbeSetListPtr sets);
    void probeConfidenceReady(quint64 requestId, gs::ui::ProbeConfidencePtr result);
    void probeSetDeleted(quint64 requestId, const QString& name);
    void probeSetExported(quint64 requestId, const QString& name, const QString& directory);
    void saeTrainProgress(quint64 requestId, const gs::ui::SaeTrainStatus& status);
    void saeSetTrained(quint64 requestId, const gs::ui::SaeTrainReport& report);
    void saeSetsListed(quint64 requestId, gs::ui::SaeSetListPtr sets);
    void saeSetDeleted(quint64 requestId, const QString& name);
    void saeSetExported(quint64 requestId, const QString& name, const QString& directory);
    void saeSetImported(quint64 requestId, const QString& name);
    void saeSentenceViewReady(quint64 requestId, gs::ui::SaeSentenceViewPtr view);
    void saeFeatureTraceReady(quint64 requestId, gs::ui::SaeFeatureTracePtr trace);
    void saeIndexProgress(quint64 requestId, const gs::ui::SaeIndexStatus& status);
    void saeFeatureIndexReady(quint64 requestId, gs::ui::SaeFeatureIndexPtr index);
    void failed(quint64 requestId, const QString& message);
    void cancelled(quint64 requestId);

private:
    struct Job;
    using JobPtr = std::shared_ptr<Job>;

    quint64 submit(JobPtr job);
    // The next pending job to run; with `inlineOnly`, only one that may run
    // between the batches of a dataset job (null when a control job must
    // stop it first). Registers it as running.
    JobPtr takeNext(bool inlineOnly);
    void finish(const JobPtr& job);
    void execute(Job& job);
    // Between two batches of a dataset job: serves waiting jobs; false stops it.
    bool betweenBatches(Job& datasetJob);
    ProgressCallback progressFor(Job& job);

    // Job bodies (analysis_worker_jobs.cpp).
    void runLoadModel(Job& job);
    void runSentence(Job& job);
    void runDatasetJob(Job& job);
    void runScan(Job& job);
    void runOpenStore(Job& job);
    void runMoveAside(Job& job);
    void runClearCache(Job& job);
    void runStats(Job& job);
    void runSetSizeLimit(Job& job);
    // Probe job bodies (analysis_worker_probes.cpp).
    void runTrainProbes(Job& job);
    void runListProbes(Job& job);
    void runProbeConfidence(Job& job);
    void runDeleteProbes(Job& job);
    void runExportProbes(Job& job);
    Status probeFingerprint(std::string& out);
    // Before a probe or SAE training: a model, a dataset, the same model as
    // when the job started (`otherModel` says otherwise), the engine and
    // store, and the model's fingerprint; false after reporting failed().
    bool beginTrainingJob(Job& job, bool hasRequest, const QString& otherModel, std::string& fingerprint);
    // A stored set with its weights (recently used ones are kept).
    Status probeSetNamed(const std::string& name, ProbeSetPtr& out);
    // Hidden states of a sentence (the last few are kept).
    Status hiddenStatesOf(Job& job, const std::string& text, std::shared_ptr<const EncodeResult>& out);
    void resetProbeCaches();
    // SAE job bodies (analysis_worker_sae.cpp).
    void runTrainSaes(Job& job);
    void runListSaes(Job& job);
    void runDeleteSaes(Job& job);
    void runExportSaes(Job& job);
    void runImportSaes(Job& job);
    void runSaeSentenceView(Job& job);
    void runSaeTrace(Job& job);
    void runSaeIndex(Job& job);
    // A stored SAE set with its weights (recently used ones are kept).
    Status saeSetNamed(const std::string& name, SaeSetPtr& out);
    void keepSaeSet(const SaeSetPtr& set);
    // Opens `path` (empty: memory); on failure reports it and falls back to memory.
    void openStoreAt(quint64 requestId, const QString& path, qint64 sizeLimitBytes);
    void closeStore();
    void rebuildEngine();
    // Before a job that needs the engine: the in-memory store when none is
    // open, then the engine over the model and the store when there is none.
    void ensureEngine();
    // Reports a store that turned out unusable while working.
    void reportStoreFailure(quint64 requestId, const Status& status);
    std::vector<std::string> analysisIds(const QStringList& analyses) const;
    AnalysisParameters parameters() const;

    // Shared with submitting threads.
    mutable std::mutex m_mutex;
    std::deque<JobPtr> m_pending;
    std::vector<JobPtr> m_running;  // the job in progress, and one served between its batches
    std::atomic<quint64> m_nextId{1};

    // Worker-thread state.
    std::shared_ptr<const Model> m_model;
    std::string m_fingerprint;  // of m_model
    std::unique_ptr<ResultStore> m_store;
    StoreState m_storeState;
    qint64 m_sizeLimitBytes = 0;
    std::unique_ptr<AnalysisEngine> m_engine;
    int m_datasetJobDepth = 0;  // > 0 while a dataset job holds the engine
    std::vector<ProbeSetPtr> m_probeSets;  // recently used probe sets, with weights
    std::deque<std::pair<std::string, std::shared_ptr<const EncodeResult>>> m_hiddenStates;  // recent sentences
    std::vector<SaeSetPtr> m_saeSets;                // recently used SAE sets, with weights
    std::vector<SaeFeatureIndexPtr> m_saeIndexes;    // recently built feature indexes
};

// Owns the worker's thread; the destructor cancels, quits and waits, so no
// job outlives the window. GUI thread.
class AnalysisThread : public QObject {
    Q_OBJECT
public:
    explicit AnalysisThread(QObject* parent = nullptr);
    ~AnalysisThread() override;

    AnalysisWorker* worker() const { return m_worker; }

private:
    QThread* m_thread = nullptr;
    AnalysisWorker* m_worker = nullptr;
};

// Registers the types carried by queued signals; called by AnalysisThread.
void registerAnalysisMetaTypes();

// The LayerQuantity ids of the analyses that fill the heatmap views, and the
// ones a dataset run may compute (surprisal needs an MLM head).
QStringList layerAnalysisIds();
QStringList allAnalysisIds();

} // namespace gs::ui

Q_DECLARE_METATYPE(gs::ModelOptions)
Q_DECLARE_METATYPE(gs::ModelInfo)
Q_DECLARE_METATYPE(gs::StoreStats)
Q_DECLARE_METATYPE(gs::ui::SentenceResultPtr)
Q_DECLARE_METATYPE(gs::ui::DatasetRunProgress)
Q_DECLARE_METATYPE(gs::ui::DatasetCacheUpdate)
Q_DECLARE_METATYPE(gs::ui::DatasetRunReport)
Q_DECLARE_METATYPE(gs::ui::StoreState)
Q_DECLARE_METATYPE(gs::ui::StoreProblemInfo)
Q_DECLARE_METATYPE(gs::ui::CacheClearReport)
Q_DECLARE_METATYPE(gs::ui::ProbeTrainStatus)
Q_DECLARE_METATYPE(gs::ui::ProbeTrainReport)
Q_DECLARE_METATYPE(gs::ui::ProbeSetListPtr)
Q_DECLARE_METATYPE(gs::ui::ProbeConfidencePtr)
Q_DECLARE_METATYPE(gs::ui::SaeTrainStatus)
Q_DECLARE_METATYPE(gs::ui::SaeTrainReport)
Q_DECLARE_METATYPE(gs::ui::SaeSetListPtr)
Q_DECLARE_METATYPE(gs::ui::SaeSentenceViewPtr)
Q_DECLARE_METATYPE(gs::ui::SaeFeatureTracePtr)
Q_DECLARE_METATYPE(gs::ui::SaeIndexStatus)
Q_DECLARE_METATYPE(gs::ui::SaeFeatureIndexPtr)
