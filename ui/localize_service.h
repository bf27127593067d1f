#pragma once
// Localized-layer work off the GUI thread (localize.h, localize_report.h):
// training one layer of a checkpoint on pairs, comparing two checkpoints,
// the hidden-state distance of a sentence or pair between a localized model
// and its parent, and the localization report. Unlike AnalysisWorker's jobs
// these work on checkpoint folders, not on the loaded model, so they run on
// Qt's thread pool, each with its own cancel flag, and the window stays free
// to explore sentences while a layer trains:
//  - at most one training and one report run at a time (a second request
//    fails with a message);
//  - a comparison supersedes the comparison before it (cancelled());
//  - the models compared are loaded once and kept (by folder, reloaded when
//    the folder's weights change), shared read-only between jobs.
// Every request returns an id repeated by its signals; the signals are
// emitted on the GUI thread. Progress is throttled to ten reports a second.
// The destructor cancels every job and waits for them.
//
// Thread affinity: create, call and destroy on the GUI thread.

#include "grammascope/dataset.h"
#include "grammascope/localize.h"
#include "grammascope/localize_report.h"
#include "grammascope/model.h"

#include <QFuture>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace gs::ui {

// The distance between a localized model's hidden states and its parent's,
// for one sentence or the two sentences of a pair.
struct LocalizeComparison {
    QString parentDir, localizedDir;
    int layer = -1;                          // localized layer (0-based) when known, else -1
    QStringList sentences;                   // 1 or 2 (a pair: grammatical, then the other)
    std::vector<HiddenStateDistance> distances;
    std::vector<std::vector<std::uint8_t>> changed;  // per sentence, per token: 1 = a changed word (pairs only)
    // With ablation: per sentence one row, the surprisal change (bits) of each
    // token when the localized layer is restored to the parent's weights
    // (ablated − localized; NaN on the specials). Empty when not asked for.
    std::vector<Heatmap> ablation;
};
using LocalizeComparisonPtr = std::shared_ptr<const LocalizeComparison>;
using CheckpointDiffPtr = std::shared_ptr<const CheckpointDiff>;
using LocalizationReportPtr = std::shared_ptr<const LocalizationReport>;

class LocalizeService : public QObject {
    Q_OBJECT
public:
    explicit LocalizeService(QObject* parent = nullptr);
    ~LocalizeService() override;

    // Trains a localized layer (options.pairs filled by the caller).
    quint64 train(const LocalizeTrainOptions& options);
    quint64 diff(const QString& dirA, const QString& dirB);
    // One sentence, or a pair when `pair` is given (sentences ignored then);
    // with `ablation`, also the per-token surprisal change on ablation (needs
    // the layer: recorded in the checkpoint, or marked by the diff).
    quint64 compare(const QString& parentDir, const QString& localizedDir, const QString& sentence,
                    const std::optional<DatasetItem>& pair = std::nullopt, bool ablation = false);
    quint64 report(const LocalizationReportOptions& options);
    void cancel(quint64 id);
    void cancelAll();
    bool isTraining() const { return m_trainId != 0; }
    bool isReporting() const { return m_reportId != 0; }
    bool isIdle() const;

signals:
    void trainProgress(quint64 id, const gs::LocalizeTrainProgress& progress);
    void trainFinished(quint64 id, const gs::LocalizeTrainSummary& summary, const QString& outDir);
    void diffReady(quint64 id, gs::ui::CheckpointDiffPtr diff);
    void compareReady(quint64 id, gs::ui::LocalizeComparisonPtr comparison);
    void reportProgress(quint64 id, const QString& stage, qint64 done, qint64 total);
    void reportReady(quint64 id, gs::ui::LocalizationReportPtr report);
    void failed(quint64 id, const QString& message);
    void cancelled(quint64 id);

private:
    struct Job {
        quint64 id = 0;
        std::atomic<bool> cancel{false};
        QFuture<void> future;
    };
    std::shared_ptr<Job> start(quint64& slot);
    void end(const std::shared_ptr<Job>& job, quint64* slot);
    // Loads (or returns the kept) model of a folder; any thread.
    Status modelFor(const QString& dir, std::shared_ptr<const Model>& out);
    // The localized model with `layer` restored to the parent's (kept too).
    Status ablatedFor(const QString& parentDir, const QString& localizedDir, int layer,
                      std::shared_ptr<const Model>& out);

    QThreadPool m_pool;                        // its own threads: a training does not hold up a comparison
    std::vector<std::shared_ptr<Job>> m_jobs;  // running (GUI thread)
    quint64 m_nextId = 1;
    quint64 m_trainId = 0, m_reportId = 0, m_compareId = 0;
    std::mutex m_modelsMutex;
    struct KeptModel {
        std::shared_ptr<const Model> model;
        qint64 stamp = 0;  // the weights file's modification time
    };
    std::map<QString, KeptModel> m_models;
};

void registerLocalizeMetaTypes();

} // namespace gs::ui

Q_DECLARE_METATYPE(gs::LocalizeTrainProgress)
Q_DECLARE_METATYPE(gs::LocalizeTrainSummary)
Q_DECLARE_METATYPE(gs::ui::CheckpointDiffPtr)
Q_DECLARE_METATYPE(gs::ui::LocalizeComparisonPtr)
Q_DECLARE_METATYPE(gs::ui::LocalizationReportPtr)
