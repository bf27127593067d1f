// LocalizeService: localized-layer jobs on Qt's thread pool (see the header).

#include "localize_service.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
#include <filesystem>
#include <limits>

namespace gs::ui {
namespace {

namespace fs = std::filesystem;

fs::path toPath(const QString& path) { return fs::path(path.toStdU16String()); }
QString message(const Status& st) { return QString::fromStdString(st.message()); }

qint64 weightsStamp(const QString& dir) {
    std::error_code ec;
    for (const char* name : {"model.safetensors", "pytorch_model.bin"}) {
        const auto t = fs::last_write_time(toPath(dir) / name, ec);
        if (!ec) return qint64(t.time_since_epoch().count());
    }
    return 0;
}

// At most one report every 100 ms (the first and the forced ones always).
class Throttle {
public:
    bool due(bool force = false) {
        const auto now = std::chrono::steady_clock::now();
        if (!force && m_started && now - m_last < std::chrono::milliseconds(100)) return false;
        m_started = true;
        m_last = now;
        return true;
    }

private:
    bool m_started = false;
    std::chrono::steady_clock::time_point m_last;
};

} // namespace

void registerLocalizeMetaTypes() {
    qRegisterMetaType<gs::LocalizeTrainProgress>();
    qRegisterMetaType<gs::LocalizeTrainSummary>();
    qRegisterMetaType<gs::ui::CheckpointDiffPtr>();
    qRegisterMetaType<gs::ui::LocalizeComparisonPtr>();
    qRegisterMetaType<gs::ui::LocalizationReportPtr>();
}

LocalizeService::LocalizeService(QObject* parent) : QObject(parent) {
    registerLocalizeMetaTypes();
    m_pool.setMaxThreadCount(4);
}

LocalizeService::~LocalizeService() {
    cancelAll();
    for (auto& job : m_jobs) job->future.waitForFinished();
}

bool LocalizeService::isIdle() const { return m_jobs.empty(); }

std::shared_ptr<LocalizeService::Job> LocalizeService::start(quint64& slot) {
    auto job = std::make_shared<Job>();
    job->id = m_nextId++;
    slot = job->id;
    m_jobs.push_back(job);
    return job;
}

void LocalizeService::end(const std::shared_ptr<Job>& job, quint64* slot) {
    std::erase(m_jobs, job);
    if (slot && *slot == job->id) *slot = 0;
}

void LocalizeService::cancel(quint64 id) {
    for (auto& job : m_jobs)
        if (job->id == id) job->cancel = true;
}

void LocalizeService::cancelAll() {
    for (auto& job : m_jobs) job->cancel = true;
}

Status LocalizeService::modelFor(const QString& dir, std::shared_ptr<const Model>& out) {
    const qint64 stamp = weightsStamp(dir);
    {
        std::lock_guard lock(m_modelsMutex);
        auto it = m_models.find(dir);
        if (it != m_models.end() && it->second.stamp == stamp) {
            out = it->second.model;
            return Status::ok();
        }
    }
    ModelOptions o;
    o.device = DevicePreference::Cpu;
    std::shared_ptr<const Model> model;
    if (Status st = Model::load(toPath(dir), o, model); !st.isOk()) return st;
    std::lock_guard lock(m_modelsMutex);
    if (m_models.size() >= 4) m_models.clear();  // a parent, a few localized models
    m_models[dir] = {model, stamp};
    out = std::move(model);
    return Status::ok();
}

Status LocalizeService::ablatedFor(const QString& parentDir, const QString& localizedDir, int layer,
                                   std::shared_ptr<const Model>& out) {
    const QString key = QStringLiteral("ablated:%1:%2:%3").arg(localizedDir, parentDir).arg(layer);
    const qint64 stamp = weightsStamp(localizedDir) ^ weightsStamp(parentDir);
    {
        std::lock_guard lock(m_modelsMutex);
        auto it = m_models.find(key);
        if (it != m_models.end() && it->second.stamp == stamp) {
            out = it->second.model;
            return Status::ok();
        }
    }
    std::shared_ptr<const Model> parent, localized, ablated;
    if (Status st = modelFor(parentDir, parent); !st.isOk()) return st;
    if (Status st = modelFor(localizedDir, localized); !st.isOk()) return st;
    if (Status st = loadAblatedModel(*parent, *localized, layer, ablated); !st.isOk()) return st;
    std::lock_guard lock(m_modelsMutex);
    m_models[key] = {ablated, stamp};
    out = std::move(ablated);
    return Status::ok();
}

namespace {

// One row: the surprisal change of every token (NaN where none was scored).
Heatmap ablationRow(const Encoding& encoding, const std::vector<AblationToken>& tokens) {
    Heatmap h;
    setHeatmapColumns(encoding, TokenGrouping::Tokens, h);
    h.rows = 1;
    h.values.assign(std::size_t(h.cols), std::numeric_limits<float>::quiet_NaN());
    for (const auto& t : tokens)
        for (int c = 0; c < h.cols; ++c)
            if (h.colTokenBegin[std::size_t(c)] <= t.position && t.position < h.colTokenEnd[std::size_t(c)])
                h.values[std::size_t(c)] = float(t.change);
    h.rowLabels = {"Δ bits"};
    h.diverging = true;
    return h;
}

} // namespace

// ---------------------------------------------------------------- jobs

quint64 LocalizeService::train(const LocalizeTrainOptions& options) {
    if (m_trainId != 0) {
        const quint64 id = m_nextId++;
        QMetaObject::invokeMethod(this, [this, id] { emit failed(id, tr("A localized layer is already training.")); },
                                  Qt::QueuedConnection);
        return id;
    }
    auto job = start(m_trainId);
    job->future = QtConcurrent::run(&m_pool, [this, job, options] {
        Throttle throttle;
        LocalizeTrainSummary summary;
        const Status st = trainLocalizedLayer(
            options,
            [&](const LocalizeTrainProgress& p) {
                const bool last = p.step == p.totalSteps && p.totalSteps > 0;
                if (throttle.due(last || !p.message.empty()))
                    QMetaObject::invokeMethod(this, [this, id = job->id, p] { emit trainProgress(id, p); },
                                              Qt::QueuedConnection);
                return !job->cancel.load();
            },
            summary);
        const QString outDir = QString::fromStdU16String(options.outDir.u16string());
        QMetaObject::invokeMethod(
            this,
            [this, job, st, summary, outDir] {
                end(job, &m_trainId);
                if (st.isCancelled()) emit cancelled(job->id);
                else if (!st.isOk()) emit failed(job->id, message(st));
                else emit trainFinished(job->id, summary, outDir);
            },
            Qt::QueuedConnection);
    });
    return job->id;
}

quint64 LocalizeService::diff(const QString& dirA, const QString& dirB) {
    quint64 unused = 0;
    auto job = start(unused);
    job->future = QtConcurrent::run(&m_pool, [this, job, dirA, dirB] {
        auto d = std::make_shared<CheckpointDiff>();
        const Status st = diffCheckpoints(toPath(dirA), toPath(dirB), *d);
        QMetaObject::invokeMethod(
            this,
            [this, job, st, d] {
                end(job, nullptr);
                if (!st.isOk()) emit failed(job->id, message(st));
                else emit diffReady(job->id, d);
            },
            Qt::QueuedConnection);
    });
    return job->id;
}

quint64 LocalizeService::compare(const QString& parentDir, const QString& localizedDir, const QString& sentence,
                                 const std::optional<DatasetItem>& pair, bool ablation) {
    if (m_compareId != 0) cancel(m_compareId);
    auto job = start(m_compareId);
    job->future = QtConcurrent::run(&m_pool, [this, job, parentDir, localizedDir, sentence, pair, ablation] {
        auto result = std::make_shared<LocalizeComparison>();
        result->parentDir = parentDir;
        result->localizedDir = localizedDir;
        Status st;
        std::shared_ptr<const Model> parent, localized;
        if (st = modelFor(parentDir, parent); !st.isOk()) st = st.withStage("loading the parent " + parentDir.toStdString());
        else if (st = modelFor(localizedDir, localized); !st.isOk())
            st = st.withStage("loading the localized model " + localizedDir.toStdString());
        if (st.isOk() && job->cancel.load()) st = Status::cancelled();
        if (st.isOk()) {
            LocalizedCheckpointInfo info;
            if (readLocalizedCheckpointInfo(toPath(localizedDir), info).isOk()) result->layer = info.layer;
            if (pair) {
                PairHiddenStateDistance d;
                st = comparePairHiddenStates(*parent, *localized, *pair, d);
                if (st.isOk()) {
                    result->sentences = {QString::fromStdString(pair->good.text), QString::fromStdString(pair->bad.text)};
                    result->distances = {std::move(d.good), std::move(d.bad)};
                    result->changed = {std::move(d.goodChanged), std::move(d.badChanged)};
                }
            } else {
                HiddenStateDistance d;
                st = compareHiddenStates(*parent, *localized, sentence.toStdString(), d);
                if (st.isOk()) {
                    result->sentences = {sentence};
                    result->distances = {std::move(d)};
                    result->changed = {{}};
                }
            }
        }
        if (st.isOk() && ablation && !job->cancel.load()) {
            int layer = result->layer;
            if (layer < 0) {
                CheckpointDiff diff;
                if (diffCheckpoints(toPath(parentDir), toPath(localizedDir), diff).isOk()) layer = diff.localizedLayer;
            }
            std::shared_ptr<const Model> ablated;
            if (layer < 0)
                st = Status::failed("no localized layer: the checkpoint records none and the diff marks none");
            else if (!localized->info().hasMlmHead)
                st = Status::failed("the localized model has no MLM head: surprisal needs one");
            else
                st = ablatedFor(parentDir, localizedDir, layer, ablated);
            for (std::size_t i = 0; st.isOk() && i < std::size_t(result->sentences.size()) && !job->cancel.load(); ++i) {
                std::vector<AblationToken> tokens;
                st = pair && i == 1 ? ablationTokenChanges(*localized, *ablated, *pair, tokens)
                                    : ablationTokenChanges(*localized, *ablated, result->sentences[int(i)].toStdString(), tokens);
                if (st.isOk()) result->ablation.push_back(ablationRow(result->distances[i].encoding, tokens));
            }
            if (st.isOk() && result->layer < 0) result->layer = layer;
        }
        QMetaObject::invokeMethod(
            this,
            [this, job, st, result] {
                end(job, &m_compareId);
                if (job->cancel.load() || st.isCancelled()) emit cancelled(job->id);
                else if (!st.isOk()) emit failed(job->id, message(st));
                else emit compareReady(job->id, result);
            },
            Qt::QueuedConnection);
    });
    return job->id;
}

quint64 LocalizeService::report(const LocalizationReportOptions& options) {
    if (m_reportId != 0) {
        const quint64 id = m_nextId++;
        QMetaObject::invokeMethod(this, [this, id] { emit failed(id, tr("A localization report is already running.")); },
                                  Qt::QueuedConnection);
        return id;
    }
    auto job = start(m_reportId);
    job->future = QtConcurrent::run(&m_pool, [this, job, options] {
        Throttle throttle;
        auto result = std::make_shared<LocalizationReport>();
        std::string lastStage;
        const Status st = buildLocalizationReport(options, *result, [&](const std::string& stage, std::int64_t done,
                                                                        std::int64_t total) {
            const bool changed = stage != lastStage;
            lastStage = stage;
            if (throttle.due(changed))
                QMetaObject::invokeMethod(
                    this,
                    [this, id = job->id, s = QString::fromStdString(stage), done, total] {
                        emit reportProgress(id, s, done, total);
                    },
                    Qt::QueuedConnection);
            return !job->cancel.load();
        });
        QMetaObject::invokeMethod(
            this,
            [this, job, st, result] {
                end(job, &m_reportId);
                if (st.isCancelled()) emit cancelled(job->id);
                else if (!st.isOk()) emit failed(job->id, message(st));
                else emit reportReady(job->id, result);
            },
            Qt::QueuedConnection);
    });
    return job->id;
}

} // namespace gs::ui
