// The results cache in the main window: opening it where Settings says (the
// per-user default is gs::defaultStorePath()), Analysis › Cache (location,
// size limit, clear with a confirmation that says what and how much, and
// statistics), the status bar's cache label, and the dialog for a cache that
// is damaged or from a newer version: move it aside (renamed, never deleted)
// or continue without a cache.

#include "main_window.h"

#include "cache_dialogs.h"
#include "dataset_browser.h"
#include "settings.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>

namespace gs::ui {
namespace {

QString native(const QString& path) { return QDir::toNativeSeparators(path); }

QString problemText(StoreProblem problem) {
    switch (problem) {
    case StoreProblem::Corrupt: return MainWindow::tr("damaged or not a Grammascope cache");
    case StoreProblem::NewerSchema: return MainWindow::tr("written by a newer Grammascope");
    case StoreProblem::DiskFull: return MainWindow::tr("the disk is full");
    case StoreProblem::Busy: return MainWindow::tr("another program holds it locked");
    case StoreProblem::ReadOnly: return MainWindow::tr("it cannot be written");
    default: return MainWindow::tr("it cannot be opened");
    }
}

} // namespace

void MainWindow::addCacheMenu(QMenu* parent) {
    QMenu* cache = parent->addMenu(tr("C&ache"));
    cache->setObjectName(QStringLiteral("cacheMenu"));
    cache->setToolTipsVisible(true);
    QAction* location = cache->addAction(tr("Cache &location…"), this, &MainWindow::chooseCacheLocation);
    location->setObjectName(QStringLiteral("cacheLocationAction"));
    QAction* byDefault = cache->addAction(tr("Use the &default location"), this, [this] { setCacheLocation(QString()); });
    byDefault->setToolTip(tr("Keep results in %1").arg(native(Settings::defaultCacheLocation())));
    QAction* limit = cache->addAction(tr("Cache size &limit…"), this, &MainWindow::chooseCacheSizeLimit);
    limit->setToolTip(tr("Above this size the least recently used results are deleted"));
    cache->addSeparator();
    QAction* clear = cache->addAction(tr("&Clear cache…"), this, &MainWindow::clearCache);
    clear->setObjectName(QStringLiteral("clearCacheAction"));
    clear->setToolTip(tr("Delete every cached result (asks first, saying how much); they are computed again when "
                         "needed"));
    QAction* stats = cache->addAction(tr("Cache &statistics…"), this, &MainWindow::showCacheStatistics);
    stats->setObjectName(QStringLiteral("cacheStatisticsAction"));
    stats->setToolTip(tr("Size, limit and contents of the results cache"));
    connect(cache, &QMenu::aboutToShow, this, [this, location, byDefault, limit] {
        location->setToolTip(tr("Choose the database file that keeps computed results (now %1)")
                                 .arg(native(m_settings.cacheLocation())));
        byDefault->setEnabled(!m_settings.cacheLocationIsDefault());
        const int mib = m_settings.cacheSizeLimitMiB();
        limit->setText(mib == 0 ? tr("Cache size &limit: none…")
                                : tr("Cache size &limit: %1…").arg(formatBytes(qint64(mib) << 20)));
    });
}

void MainWindow::connectCache() {
    AnalysisWorker* w = worker();
    connect(w, &AnalysisWorker::storeOpened, this, &MainWindow::onStoreOpened);
    connect(w, &AnalysisWorker::storeProblem, this, &MainWindow::onStoreProblem);
    connect(w, &AnalysisWorker::cacheStats, this, &MainWindow::onCacheStats);
    connect(w, &AnalysisWorker::storeMovedAside, this, [this](quint64, const QString& from, const QString& to) {
        const QString text = tr("The unusable cache was moved to %1; a new cache was started at %2.")
                                 .arg(native(to), native(from));
        showStatus(text);
        auto* box = new QMessageBox(QMessageBox::Information, tr("Cache moved aside"), text, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("storeMovedBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setTextInteractionFlags(Qt::TextSelectableByMouse);
        box->open();
    });
    connect(w, &AnalysisWorker::cacheCleared, this, [this](quint64 id, const CacheClearReport& report) {
        if (id != m_clearRequest) return;
        m_clearRequest = 0;
        showStatus(tr("Cache cleared: %n result(s) deleted; its file went from %1 to %2.", "",
                      int(std::min<qint64>(report.removedResults, INT32_MAX)))
                       .arg(formatBytes(report.bytesBefore), formatBytes(report.bytesAfter)));
    });
    connect(w, &AnalysisWorker::failed, this, [this](quint64 id, const QString& message) {
        if (id == 0) {
            showStatus(message, true);
        } else if (id == m_clearRequest || id == m_clearStatsRequest || id == m_statsRequest) {
            if (id == m_clearRequest) m_clearRequest = 0;
            if (id == m_clearStatsRequest) m_clearStatsRequest = 0;
            if (id == m_statsRequest) m_statsRequest = 0;
            showStatus(tr("Cache: %1").arg(message), true);
        }
    });
}

void MainWindow::openCache() {
    m_cacheEpoch = worker()->nextRequestId();
    worker()->openStore(m_settings.cacheLocation(), m_settings.cacheSizeLimitBytes());
    m_cacheLabel->setText(tr("Cache: opening…"));
}

void MainWindow::setCacheLocation(const QString& file) {
    m_settings.setCacheLocation(file);
    if (isRunningDataset()) cancelDatasetRun();
    resetCacheMarks();
    openCache();
}

void MainWindow::chooseCacheLocation() {
    const QString current = m_settings.cacheLocation();
    const QString file = QFileDialog::getSaveFileName(this, tr("Cache location"), current,
                                                      tr("Grammascope results cache (*.sqlite);;All files (*)"),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (file.isEmpty() || QDir::cleanPath(file) == QDir::cleanPath(current)) return;
    if (QFileInfo(file).isDir()) {
        showStatus(tr("%1 is a folder: choose a file name for the cache.").arg(native(file)), true);
        return;
    }
    setCacheLocation(file);
    showStatus(tr("Results are now kept in %1.").arg(native(m_settings.cacheLocation())));
}

void MainWindow::chooseCacheSizeLimit() {
    auto* dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("cacheSizeLimitDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Cache size limit"));
    dialog->setLabelText(tr("Largest size of the cache in MiB (0 = no limit).\nAbove it the least recently used "
                            "results of finished runs are deleted."));
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(0, 1 << 22);
    dialog->setIntStep(256);
    dialog->setIntValue(m_settings.cacheSizeLimitMiB());
    connect(dialog, &QInputDialog::intValueSelected, this, [this](int mib) {
        m_settings.setCacheSizeLimitMiB(mib);
        worker()->setCacheSizeLimit(m_settings.cacheSizeLimitBytes());
        showStatus(mib == 0 ? tr("The cache has no size limit now.")
                            : tr("Cache size limit: %1.").arg(formatBytes(m_settings.cacheSizeLimitBytes())));
    });
    dialog->open();
}

void MainWindow::clearCache() {
    // The confirmation says how much goes: ask the worker first.
    m_clearStatsRequest = worker()->requestCacheStats();
    showStatus(tr("Reading the size of the cache…"));
}

void MainWindow::showCacheStatistics() {
    m_statsRequest = worker()->requestCacheStats();
}

void MainWindow::onCacheStats(quint64 requestId, const StoreStats& stats) {
    if (requestId == 0) return;
    if (requestId == m_statsRequest) {
        m_statsRequest = 0;
        auto* dialog = new CacheStatsDialog(stats, m_storeState.persistent, this);
        dialog->open();
        return;
    }
    if (requestId != m_clearStatsRequest) return;
    m_clearStatsRequest = 0;
    showStatus(QString());
    QMessageBox* box = createClearCacheBox(stats, m_storeState.persistent, isRunningDataset(), this);
    connect(box, &QMessageBox::buttonClicked, this, [this, box](QAbstractButton* button) {
        if (box->buttonRole(button) != QMessageBox::DestructiveRole) {
            showStatus(tr("The cache was not cleared."));
            return;
        }
        if (isRunningDataset()) cancelDatasetRun();
        m_clearRequest = worker()->clearCache();
        m_cacheEpoch = m_clearRequest;
        resetCacheMarks();
        showStatus(tr("Clearing the cache…"));
    });
    box->open();
}

void MainWindow::onStoreOpened(quint64 requestId, const StoreState& state) {
    m_storeState = state;
    updateCacheLabel();
    // Another store knows other results: mark the datasets again.
    m_cacheEpoch = std::max(m_cacheEpoch, requestId);
    resetCacheMarks();
    scanCachedItems();
}

void MainWindow::updateCacheLabel() {
    if (m_storeState.persistent) {
        m_cacheLabel->setText(tr("Cache: %1").arg(QFileInfo(m_storeState.path).fileName()));
        m_cacheLabel->setToolTip(tr("Computed results are kept in %1 and never computed twice (Analysis › Cache)")
                                     .arg(native(m_storeState.path)));
        m_cacheLabel->setStyleSheet(QString());
    } else {
        m_cacheLabel->setText(tr("Cache: this session only"));
        m_cacheLabel->setToolTip(m_storeState.requestedPath.isEmpty()
                                     ? tr("Results are kept in memory until Grammascope closes")
                                     : tr("%1 could not be used: results are kept in memory until Grammascope closes "
                                          "(Analysis › Cache › Cache location… chooses another file)")
                                           .arg(native(m_storeState.requestedPath)));
        m_cacheLabel->setStyleSheet(QStringLiteral("color: #9a6700;"));
    }
}

void MainWindow::onStoreProblem(quint64, const StoreProblemInfo& problem) {
    const QString file = native(problem.path);
    if (problem.problem != StoreProblem::Corrupt && problem.problem != StoreProblem::NewerSchema) {
        showStatus(tr("The results cache %1 cannot be used (%2); results are kept for this session only. %3")
                       .arg(file, problemText(problem.problem), problem.message), true);
        return;
    }
    showStatus(tr("The results cache %1 is unusable: %2.").arg(file, problemText(problem.problem)), true);
    if (m_storeProblemBox) return;  // one question at a time
    QMessageBox* box = createStoreProblemBox(problem, this);
    m_storeProblemBox = box;
    connect(box, &QMessageBox::buttonClicked, this, [this, box, path = problem.path](QAbstractButton* button) {
        if (button == storeProblemMoveAsideButton(box)) {
            if (isRunningDataset()) cancelDatasetRun();
            resetCacheMarks();
            worker()->moveStoreAside(path, m_settings.cacheSizeLimitBytes());
            showStatus(tr("Moving %1 aside…").arg(native(path)));
        } else {
            showStatus(tr("Continuing without a cache: results are kept until Grammascope closes; %1 is left as it "
                          "is.").arg(native(path)));
        }
    });
    box->open();
}

} // namespace gs::ui
