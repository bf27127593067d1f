// Dataset runs in the main window: Analysis › Run dataset (Ctrl+R, also the
// browser's Run dataset button) runs the chosen analyses over the current
// dataset on the worker thread; the status bar shows sentences done / total,
// tokens/s and the ETA with a Cancel button (Esc), and the browser's Cached
// column fills in as batches are committed. A cancelled run keeps what it
// computed: running it again continues where it stopped.

#include "main_window.h"

#include "dataset_browser.h"
#include "settings.h"

#include <QAction>
#include <QCoreApplication>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QStatusBar>
#include <QStyle>
#include <QToolButton>

#include <cmath>

namespace gs::ui {
namespace {

QString analysisLabel(const QString& id) {
    for (const LayerQuantityInfo& info : layerQuantities())
        if (id == QLatin1String(info.id)) return QCoreApplication::translate("LayerQuantity", info.label);
    return id;
}

QString duration(double seconds) {
    const auto s = static_cast<qint64>(std::llround(std::max(0.0, seconds)));
    if (s < 60) return MainWindow::tr("%1 s").arg(s);
    if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

void MainWindow::addAnalysisMenu() {
    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    analysis->setToolTipsVisible(true);
    m_runDatasetAction = analysis->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Run dataset"), this,
                                             &MainWindow::runDataset);
    m_runDatasetAction->setObjectName(QStringLiteral("runDatasetAction"));
    m_runDatasetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runDatasetAction->setToolTip(tr("Compute the chosen analyses for every sentence of the current dataset in the "
                                      "background and keep them in the cache; a cancelled run continues where it "
                                      "stopped (Ctrl+R)"));
    // Esc is the window's cancel shortcut; the text only shows it.
    m_cancelRunAction = analysis->addAction(tr("&Cancel dataset run") + QStringLiteral("\tEsc"), this,
                                            &MainWindow::cancelDatasetRun);
    m_cancelRunAction->setObjectName(QStringLiteral("cancelDatasetRunAction"));
    m_cancelRunAction->setToolTip(tr("Stop the dataset run; what was computed stays in the cache (Esc)"));

    m_analysesMenu = analysis->addMenu(tr("&Analyses to run"));
    m_analysesMenu->setToolTipsVisible(true);
    const QStringList chosen = m_settings.datasetAnalyses();
    for (const AnalysisDescriptor& descriptor : engineAnalyses()) {
        const QString id = QString::fromStdString(descriptor.id);
        QAction* action = m_analysesMenu->addAction(analysisLabel(id));
        action->setObjectName(QStringLiteral("analysis-") + id);
        action->setData(id);
        action->setCheckable(true);
        action->setChecked(chosen.contains(id));
        action->setToolTip(descriptor.needsMlmHead
                               ? tr("Computed by Run dataset; needs a checkpoint with an MLM head and one masked "
                                    "forward pass per token, so it costs far more than the layer quantities")
                               : tr("Computed by Run dataset (one forward pass per batch gives every layer quantity)"));
        connect(action, &QAction::toggled, this, [this] {
            QStringList ids;
            for (QAction* a : m_analysesMenu->actions())
                if (a->isChecked()) ids << a->data().toString();
            m_settings.setDatasetAnalyses(ids);
            // The Cached column is about these analyses: mark again.
            m_cacheEpoch = worker()->nextRequestId();  // marks of scans in flight are stale
            resetCacheMarks();
            scanCachedItems();
        });
    }
    analysis->addSeparator();
    addProbeActions(analysis);
    addSaeActions(analysis);
    addLocalizeActions(analysis);
    analysis->addSeparator();
    addCacheMenu(analysis);
}

void MainWindow::buildRunStatus() {
    m_runRate = new QLabel(this);
    m_runRate->setObjectName(QStringLiteral("datasetRunRate"));
    m_runRate->setToolTip(tr("Speed of the dataset run (tokens computed per second) and the time it still needs"));
    m_runProgress = new QProgressBar(this);
    m_runProgress->setObjectName(QStringLiteral("datasetRunProgress"));
    m_runProgress->setMaximumWidth(240);
    m_runProgress->setMinimumWidth(170);
    m_runProgress->setFormat(tr("%v / %m sentences"));
    m_runProgress->setToolTip(tr("Distinct sentences of the dataset with every chosen analysis in the cache"));
    m_runCancel = new QToolButton(this);
    m_runCancel->setObjectName(QStringLiteral("cancelDatasetRunButton"));
    m_runCancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_runCancel->setAutoRaise(true);
    m_runCancel->setToolTip(tr("Cancel the dataset run (Esc); what was computed stays in the cache and Run dataset "
                               "continues from there"));
    connect(m_runCancel, &QToolButton::clicked, this, &MainWindow::cancelDatasetRun);
    statusBar()->addPermanentWidget(m_runRate);
    statusBar()->addPermanentWidget(m_runProgress);
    statusBar()->addPermanentWidget(m_runCancel);
    m_runRate->hide();
    m_runProgress->hide();
    m_runCancel->hide();
}

void MainWindow::connectAnalysis() {
    AnalysisWorker* w = worker();
    connect(w, &AnalysisWorker::datasetProgress, this, &MainWindow::onDatasetProgress);
    connect(w, &AnalysisWorker::itemsCached, this, &MainWindow::onItemsCached);
    connect(w, &AnalysisWorker::datasetFinished, this, &MainWindow::onDatasetFinished);
    connect(w, &AnalysisWorker::failed, this, [this](quint64 id, const QString& message) {
        if (id != m_datasetRun || id == 0) return;
        endDatasetRun();
        showStatus(tr("The dataset run failed: %1").arg(message), true);
    });
    connect(w, &AnalysisWorker::cancelled, this, [this](quint64 id) {
        if (id != m_datasetRun || id == 0) return;  // cancelled before it started
        endDatasetRun();
        showStatus(tr("Dataset run cancelled."));
    });
    connect(m_datasetBrowser, &DatasetBrowser::runDatasetRequested, this, &MainWindow::runDataset);
    connect(m_datasetBrowser, &DatasetBrowser::currentDatasetChanged, this, &MainWindow::updateRunActions);
}

QStringList MainWindow::datasetRunAnalyses() const {
    QStringList ids = m_settings.datasetAnalyses();
    if (!m_loadedInfo.hasMlmHead) ids.removeAll(QStringLiteral("surprisal"));
    return ids;
}

void MainWindow::runDataset() {
    if (!m_modelReady || m_loadRequest != 0) {
        showStatus(tr("Open a model folder first (File › Open model folder…)."), true);
        return;
    }
    const OpenDatasetPtr dataset = m_datasetBrowser->currentDataset();
    if (!dataset) {
        showStatus(tr("Open a dataset first (File › Open dataset…, Ctrl+P)."), true);
        return;
    }
    if (isRunningDataset()) {
        showStatus(tr("A dataset run is in progress (Esc cancels it)."), true);
        return;
    }
    const QStringList ids = datasetRunAnalyses();
    if (ids.isEmpty()) {
        showStatus(m_settings.datasetAnalyses().isEmpty()
                       ? tr("Choose at least one analysis in Analysis › Analyses to run.")
                       : tr("Token surprisal needs a checkpoint with an MLM head; this one has none."), true);
        return;
    }
    m_runDataset = dataset;
    m_datasetRun = worker()->runDataset(dataset, ids);
    m_datasetBrowser->setRunningDataset(dataset);
    m_runProgress->setRange(0, 0);  // busy until the first report
    m_runRate->setText(tr("Starting…"));
    m_runRate->show();
    m_runProgress->show();
    m_runCancel->show();
    QStringList labels;
    for (const QString& id : ids) labels << analysisLabel(id);
    QString message = tr("Running %1 over %2…").arg(labels.join(QStringLiteral(", ")), dataset->displayName);
    if (m_settings.datasetAnalyses().contains(QStringLiteral("surprisal")) && !ids.contains(QStringLiteral("surprisal")))
        message += QLatin1Char(' ') + tr("(Token surprisal skipped: the model has no MLM head.)");
    showStatus(message);
    updateRunActions();
}

void MainWindow::cancelDatasetRun() {
    if (!isRunningDataset()) return;
    // The job stops at its next forward pass and reports what it kept.
    worker()->cancel(m_datasetRun);
    m_runRate->setText(tr("Cancelling…"));
    m_runCancel->setEnabled(false);
}

QString MainWindow::datasetRunText() const {
    if (!isRunningDataset()) return {};
    return m_runProgress->text() + QStringLiteral(" · ") + m_runRate->text();
}

void MainWindow::onDatasetProgress(quint64 requestId, const DatasetRunProgress& progress) {
    if (requestId != m_datasetRun || requestId == 0) return;
    m_runProgress->setRange(0, int(std::clamp<qint64>(progress.itemsTotal, 1, INT32_MAX)));
    m_runProgress->setValue(int(std::clamp<qint64>(progress.itemsDone, 0, INT32_MAX)));
    if (!m_runCancel->isEnabled()) return;  // says "Cancelling…" until it ends
    const QLocale locale;
    QString rate;
    if (progress.itemsDone >= progress.itemsTotal) rate = tr("finishing…");
    else if (progress.tokensDone == 0) rate = tr("%1 cached, computing…").arg(locale.toString(progress.cachedItems));
    else
        rate = tr("%1 tokens/s · ETA %2")
                   .arg(locale.toString(qint64(std::llround(progress.tokensPerSecond))),
                        progress.etaSeconds < 0 ? tr("…") : duration(progress.etaSeconds));
    m_runRate->setText(rate);
    m_runProgress->setToolTip(tr("%1 of %2 distinct sentences have every chosen analysis in the cache (%3 were "
                                 "there before this run); %4 tokens computed, %5 elapsed")
                                  .arg(locale.toString(progress.itemsDone), locale.toString(progress.itemsTotal),
                                       locale.toString(progress.cachedItems), locale.toString(progress.tokensDone),
                                       duration(progress.elapsedSeconds)));
}

void MainWindow::onItemsCached(quint64 requestId, const DatasetCacheUpdate& update) {
    if (requestId < m_cacheEpoch || !update.dataset) return;  // from before the cache or model changed
    m_datasetBrowser->applyCacheUpdate(update.dataset, update.items, update.sides, update.reset);
}

void MainWindow::onDatasetFinished(quint64 requestId, const DatasetRunReport& report) {
    if (requestId != m_datasetRun || requestId == 0) return;
    endDatasetRun();
    const DatasetRunSummary& s = report.summary;
    const QLocale locale;
    const QString name = report.dataset ? report.dataset->displayName : QString();
    QString message;
    if (report.cancelled) {
        message = tr("Dataset run over %1 cancelled: %2 of %3 sentences are in the cache. Run dataset (Ctrl+R) "
                     "continues from there.")
                      .arg(name, locale.toString(s.cachedSentences + s.computedSentences), locale.toString(s.sentences));
    } else {
        message = tr("Dataset run over %1 finished: %2 sentences, %3 computed, %4 were in the cache.")
                      .arg(name, locale.toString(s.sentences), locale.toString(s.computedSentences),
                           locale.toString(s.cachedSentences));
        if (s.tokens > 0)
            message += QLatin1Char(' ') + tr("%1 tokens/s.").arg(locale.toString(qint64(std::llround(s.tokensPerSecond))));
    }
    if (!s.truncated.empty())
        message += QLatin1Char(' ') + tr("%n sentence(s) were longer than the model allows and were truncated.", "",
                                         int(s.truncated.size()));
    showStatus(message);
}

void MainWindow::endDatasetRun() {
    m_datasetRun = 0;
    m_runDataset.reset();
    m_runRate->hide();
    m_runProgress->hide();
    m_runCancel->hide();
    m_runCancel->setEnabled(true);
    m_datasetBrowser->setRunningDataset(nullptr);
    updateRunActions();
}

void MainWindow::scanCachedItems(const OpenDatasetPtr& only) {
    if (!m_modelReady || m_loadRequest != 0) return;
    const QStringList ids = datasetRunAnalyses();
    if (ids.isEmpty()) return;
    for (int i = 0; i < m_datasetBrowser->datasetCount(); ++i) {
        const OpenDatasetPtr dataset = m_datasetBrowser->dataset(i);
        if (dataset && (!only || dataset == only)) worker()->scanDataset(dataset, ids);
    }
}

void MainWindow::resetCacheMarks() { m_datasetBrowser->clearCacheMarks(); }

void MainWindow::updateRunActions() {
    if (!m_runDatasetAction || !m_datasetBrowser) return;
    const bool ready = m_modelReady && m_loadRequest == 0;
    m_runDatasetAction->setEnabled(ready && m_datasetBrowser->currentDataset() && !isRunningDataset());
    m_cancelRunAction->setEnabled(isRunningDataset());
    m_datasetBrowser->setRunEnabled(ready);
    for (QAction* action : m_analysesMenu->actions()) {
        if (action->data().toString() != QLatin1String("surprisal")) continue;
        action->setEnabled(!m_modelReady || m_loadedInfo.hasMlmHead);
    }
}

} // namespace gs::ui
