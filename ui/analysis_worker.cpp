// The worker's job queue, its thread and the registration of the types its
// signals carry. The job bodies are in analysis_worker_jobs.cpp.

#include "analysis_worker.h"
#include "analysis_worker_job.h"

#include <QThread>

#include <algorithm>
#include <exception>

namespace gs::ui {

void registerAnalysisMetaTypes() {
    qRegisterMetaType<gs::ModelOptions>();
    qRegisterMetaType<gs::ModelInfo>();
    qRegisterMetaType<gs::StoreStats>();
    qRegisterMetaType<gs::ui::SentenceResultPtr>();
    qRegisterMetaType<gs::ui::DatasetRunProgress>();
    qRegisterMetaType<gs::ui::DatasetCacheUpdate>();
    qRegisterMetaType<gs::ui::DatasetRunReport>();
    qRegisterMetaType<gs::ui::StoreState>();
    qRegisterMetaType<gs::ui::StoreProblemInfo>();
    qRegisterMetaType<gs::ui::CacheClearReport>();
    qRegisterMetaType<gs::ui::ProbeTrainStatus>();
    qRegisterMetaType<gs::ui::ProbeTrainReport>();
    qRegisterMetaType<gs::ui::ProbeSetListPtr>();
    qRegisterMetaType<gs::ui::ProbeConfidencePtr>();
    qRegisterMetaType<gs::ui::SaeTrainStatus>();
    qRegisterMetaType<gs::ui::SaeTrainReport>();
    qRegisterMetaType<gs::ui::SaeSetListPtr>();
    qRegisterMetaType<gs::ui::SaeSentenceViewPtr>();
    qRegisterMetaType<gs::ui::SaeFeatureTracePtr>();
    qRegisterMetaType<gs::ui::SaeIndexStatus>();
    qRegisterMetaType<gs::ui::SaeFeatureIndexPtr>();
}

QStringList layerAnalysisIds() {
    QStringList ids;
    for (const LayerQuantityInfo& info : layerQuantities())
        if (info.quantity != LayerQuantity::Surprisal) ids << QLatin1String(info.id);
    return ids;
}

QStringList allAnalysisIds() {
    QStringList ids;
    for (const AnalysisDescriptor& analysis : engineAnalyses()) ids << QString::fromStdString(analysis.id);
    return ids;
}

const ResultMatrix* SentenceResult::matrix(LayerQuantity quantity) const {
    for (const LayerQuantityInfo& info : layerQuantities()) {
        if (info.quantity != quantity) continue;
        for (const SentenceAnalysis& analysis : analyses)
            if (analysis.analysis == info.id && analysis.matrix.rows > 0) return &analysis.matrix;
    }
    return nullptr;
}

// ---------------------------------------------------------------- the queue

AnalysisWorker::AnalysisWorker(QObject* parent) : QObject(parent) {}

AnalysisWorker::~AnalysisWorker() {
    // The engine refers to the model and the store: it goes first.
    m_engine.reset();
    m_store.reset();
    m_model.reset();
}

quint64 AnalysisWorker::submit(JobPtr job) {
    job->id = m_nextId.fetch_add(1);
    {
        const std::lock_guard lock(m_mutex);
        if (job->kind == JobKind::Sentence || job->kind == JobKind::ProbeConfidence ||
            job->kind == JobKind::SaeSentenceView || job->kind == JobKind::SaeTrace) {
            // The newest sentence is the one on screen: older ones are stale.
            auto supersede = [kind = job->kind](const JobPtr& other) {
                if (other->kind == kind) other->cancel();
            };
            std::for_each(m_pending.begin(), m_pending.end(), supersede);
            std::for_each(m_running.begin(), m_running.end(), supersede);
        }
        if (job->priority() == 0 && !job->servedBetweenBatches()) {
            // A model or store change cannot wait for a whole dataset: stop it
            // at the next forward pass; it resumes after this job.
            for (const JobPtr& running : m_running)
                if (running->preemptible()) running->preempt();
        }
        m_pending.push_back(job);
    }
    QMetaObject::invokeMethod(this, &AnalysisWorker::processNext, Qt::QueuedConnection);
    return job->id;
}

AnalysisWorker::JobPtr AnalysisWorker::takeNext(bool inlineOnly) {
    const std::lock_guard lock(m_mutex);
    auto best = m_pending.end();
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it)
        if (best == m_pending.end() || (*it)->priority() < (*best)->priority()) best = it;
    if (best == m_pending.end()) return nullptr;
    const bool cancelledAlready = (*best)->stop.load();
    if (inlineOnly && !cancelledAlready && !(*best)->servedBetweenBatches()) return nullptr;
    JobPtr job = *best;
    m_pending.erase(best);
    m_running.push_back(job);
    return job;
}

void AnalysisWorker::finish(const JobPtr& job) {
    const std::lock_guard lock(m_mutex);
    m_running.erase(std::remove(m_running.begin(), m_running.end(), job), m_running.end());
    if (job->requeue) {
        // A preempted dataset job goes first among the background jobs.
        job->requeue = false;
        job->resetForResume();
        m_pending.push_front(job);
    }
}

void AnalysisWorker::processNext() {
    const JobPtr job = takeNext(false);
    if (!job) return;
    execute(*job);
    finish(job);
    bool more = false;
    {
        const std::lock_guard lock(m_mutex);
        more = !m_pending.empty();
    }
    if (more) QMetaObject::invokeMethod(this, &AnalysisWorker::processNext, Qt::QueuedConnection);
}

bool AnalysisWorker::betweenBatches(Job& datasetJob) {
    while (!datasetJob.stop.load()) {
        const JobPtr job = takeNext(true);
        if (!job) break;
        execute(*job);
        finish(job);
    }
    return !datasetJob.stop.load();
}

void AnalysisWorker::execute(Job& job) {
    if (job.cancellable() && job.stop.load()) {
        emit cancelled(job.id);
        return;
    }
    try {
        switch (job.kind) {
        case JobKind::LoadModel: runLoadModel(job); break;
        case JobKind::Sentence: runSentence(job); break;
        case JobKind::Dataset: runDatasetJob(job); break;
        case JobKind::Scan: runScan(job); break;
        case JobKind::OpenStore: runOpenStore(job); break;
        case JobKind::MoveAside: runMoveAside(job); break;
        case JobKind::ClearCache: runClearCache(job); break;
        case JobKind::Stats: runStats(job); break;
        case JobKind::SizeLimit: runSetSizeLimit(job); break;
        case JobKind::TrainProbes: runTrainProbes(job); break;
        case JobKind::ListProbes: runListProbes(job); break;
        case JobKind::ProbeConfidence: runProbeConfidence(job); break;
        case JobKind::DeleteProbes: runDeleteProbes(job); break;
        case JobKind::ExportProbes: runExportProbes(job); break;
        case JobKind::TrainSaes: runTrainSaes(job); break;
        case JobKind::ListSaes: runListSaes(job); break;
        case JobKind::DeleteSaes: runDeleteSaes(job); break;
        case JobKind::ExportSaes: runExportSaes(job); break;
        case JobKind::ImportSaes: runImportSaes(job); break;
        case JobKind::SaeSentenceView: runSaeSentenceView(job); break;
        case JobKind::SaeTrace: runSaeTrace(job); break;
        case JobKind::SaeIndex: runSaeIndex(job); break;
        }
    } catch (const std::exception& e) {
        emit failed(job.id, QString::fromUtf8(e.what()));
    } catch (...) {
        emit failed(job.id, tr("unknown error"));
    }
}

ProgressCallback AnalysisWorker::progressFor(Job& job) {
    return [this, &job](std::int64_t done, std::int64_t total) {
        emit progress(job.id, qint64(done), qint64(total));
        return !job.stop.load();
    };
}

void AnalysisWorker::cancel(quint64 requestId) {
    const std::lock_guard lock(m_mutex);
    for (const JobPtr& job : m_running)
        if (job->id == requestId && job->cancellable()) job->cancel();
    for (const JobPtr& job : m_pending)
        if (job->id == requestId && job->cancellable()) job->cancel();
}

void AnalysisWorker::cancelAnalyses() {
    const std::lock_guard lock(m_mutex);
    for (const JobPtr& job : m_running)
        if (job->cancellable()) job->cancel();
    for (const JobPtr& job : m_pending)
        if (job->cancellable()) job->cancel();
}

bool AnalysisWorker::isIdle() const {
    const std::lock_guard lock(m_mutex);
    return m_pending.empty() && m_running.empty();
}

// ---------------------------------------------------------------- submitting

quint64 AnalysisWorker::loadModel(const QString& directory, const ModelOptions& options) {
    auto job = std::make_shared<Job>(JobKind::LoadModel);
    job->text = directory;
    job->options = options;
    return submit(std::move(job));
}

quint64 AnalysisWorker::analyseSentence(const QString& text, const QStringList& analyses) {
    auto job = std::make_shared<Job>(JobKind::Sentence);
    job->text = text;
    job->analyses = analyses;
    return submit(std::move(job));
}

quint64 AnalysisWorker::runDataset(const OpenDatasetPtr& dataset, const QStringList& analyses) {
    auto job = std::make_shared<Job>(JobKind::Dataset);
    job->dataset = dataset;
    job->analyses = analyses;
    return submit(std::move(job));
}

quint64 AnalysisWorker::scanDataset(const OpenDatasetPtr& dataset, const QStringList& analyses) {
    auto job = std::make_shared<Job>(JobKind::Scan);
    job->dataset = dataset;
    job->analyses = analyses;
    return submit(std::move(job));
}

quint64 AnalysisWorker::openStore(const QString& path, qint64 sizeLimitBytes) {
    auto job = std::make_shared<Job>(JobKind::OpenStore);
    job->text = path;
    job->bytes = sizeLimitBytes;
    return submit(std::move(job));
}

quint64 AnalysisWorker::moveStoreAside(const QString& path, qint64 sizeLimitBytes) {
    auto job = std::make_shared<Job>(JobKind::MoveAside);
    job->text = path;
    job->bytes = sizeLimitBytes;
    return submit(std::move(job));
}

quint64 AnalysisWorker::clearCache() { return submit(std::make_shared<Job>(JobKind::ClearCache)); }

quint64 AnalysisWorker::requestCacheStats() { return submit(std::make_shared<Job>(JobKind::Stats)); }

quint64 AnalysisWorker::setCacheSizeLimit(qint64 bytes) {
    auto job = std::make_shared<Job>(JobKind::SizeLimit);
    job->bytes = bytes;
    return submit(std::move(job));
}

// ---------------------------------------------------------------- the thread

AnalysisThread::AnalysisThread(QObject* parent) : QObject(parent) {
    registerAnalysisMetaTypes();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("GrammascopeAnalysis"));
    m_worker = new AnalysisWorker;  // no parent: it moves to the thread
    m_worker->moveToThread(m_thread);
    // The worker (model, store, engine) is destroyed on its own thread.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

AnalysisThread::~AnalysisThread() {
    m_worker->cancelAnalyses();
    m_thread->quit();
    m_thread->wait();
}

} // namespace gs::ui
