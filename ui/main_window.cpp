#include "main_window.h"

#include "color_maps.h"
#include "demo_assets.h"
#include "heatmap_widget.h"
#include "model_info_panel.h"
#include "model_options_menu.h"
#include "sentence_panel.h"
#include "settings.h"

#include "grammascope/layer_view.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QShortcut>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <exception>

namespace gs::ui {

MainWindow::MainWindow(Settings& settings, QWidget* parent) : QMainWindow(parent), m_settings(settings) {
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    m_analysis = new AnalysisThread(this);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_sentencePanel = new SentencePanel(central);
    // The views of the sentence: layer quantities, and probe confidence (setUpProbes()).
    m_views = new QTabWidget(central);
    m_views->setObjectName(QStringLiteral("viewTabs"));
    m_views->setDocumentMode(true);
    m_heatmap = new HeatmapWidget(m_views);
    m_heatmap->setObjectName(QStringLiteral("heatmapWidget"));
    m_heatmap->setSequentialColorMap(m_settings.colorMap());
    m_views->addTab(m_heatmap, tr("&Layer quantities"));
    layout->addWidget(m_sentencePanel);
    layout->addWidget(m_views, 1);
    setCentralWidget(central);

    m_modelInfo = new ModelInfoPanel(this);
    m_modelDock = new QDockWidget(tr("Model"), this);
    m_modelDock->setObjectName(QStringLiteral("modelDock"));
    m_modelDock->setWidget(m_modelInfo);
    addDockWidget(Qt::RightDockWidgetArea, m_modelDock);

    setUpDatasets();
    setUpProbes();
    setUpSae();
    setUpLocalize();

    m_sentencePanel->setQuantityId(m_settings.lastQuantity());
    m_sentencePanel->setGrouping(m_settings.grouping());
    connect(m_sentencePanel, &SentencePanel::runRequested, this, &MainWindow::run);
    connect(m_sentencePanel, &SentencePanel::cancelRequested, this, &MainWindow::cancel);
    connect(m_sentencePanel, &SentencePanel::quantityChanged, this, [this] {
        m_settings.setLastQuantity(m_sentencePanel->quantityId());
        // Surprisal needs one masked pass per token: computed on demand.
        if (m_result && m_sentencePanel->quantity() == LayerQuantity::Surprisal && !m_result->matrix(LayerQuantity::Surprisal) &&
            m_loadedInfo.hasMlmHead && m_sentencePanel->sentence() == m_resultText && !isBusy()) {
            run();
            return;
        }
        updateHeatmap();
    });
    connect(m_sentencePanel, &SentencePanel::groupingChanged, this, [this](TokenGrouping grouping) {
        m_settings.setGrouping(grouping);
        updateHeatmap();
    });
    connect(m_heatmap, &HeatmapWidget::cellSelected, this,
            [this](int row, int col) { showStatus(m_heatmap->cellDescription(row, col)); });

    auto* runShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(runShortcut, &QShortcut::activated, this, &MainWindow::run);
    // Esc stops what the user waits for first: the sentence, else the dataset run.
    auto* cancelShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(cancelShortcut, &QShortcut::activated, this, [this] {
        if (isBusy()) cancel();
        else if (isTrainingProbes()) cancelProbeTraining();
        else if (isTrainingSaes()) cancelSaeTraining();
        else if (isIndexingSaeFeatures()) worker()->cancel(m_saeIndexRequest);
        else if (isRunningDataset()) cancelDatasetRun();
    });

    buildMenus();
    buildStatusBar();
    connectWorker();
    connectAnalysis();
    connectCache();
    connectProbes();
    connectSae();
    connectLocalize();

    resize(1100, 680);
    resizeDocks({m_modelDock}, {300}, Qt::Horizontal);
    resizeDocks({m_datasetsDock}, {300}, Qt::Vertical);
    restoreGeometry(m_settings.windowGeometry());
    restoreState(m_settings.windowState());
    updateBusyState();
    updateRunActions();
    updateWindowTitle();
    m_sentencePanel->focusSentence();
    openCache();
}

MainWindow::~MainWindow() {
    // Stop the worker while the window is still whole (cancel -> quit -> wait).
    delete m_analysis;
    m_analysis = nullptr;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setToolTipsVisible(true);
    QAction* open = file->addAction(tr("&Open model folder…"), this, &MainWindow::chooseModelFolder);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a Hugging Face checkpoint folder (config.json, weights, tokenizer)"));
    QAction* demo = file->addAction(tr("Open de&mo"), this, [this] { openDemo(); });
    demo->setToolTip(tr("Open the built-in demo: a small Russian masked LM trained by Grammascope and generated minimal pairs"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setToolTipsVisible(true);
    rebuildRecentMenu();
    addDatasetActions(file);
    file->addSeparator();
    m_exportAction = file->addAction(tr("&Export heatmap…"), this, &MainWindow::exportHeatmap);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Save the whole heatmap as PNG, PDF or SVG (chosen by the file extension)"));
    m_exportAction->setEnabled(false);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setToolTip(tr("Close Grammascope"));

    m_modelMenu = new ModelOptionsMenu(m_settings, this);
    menuBar()->addMenu(m_modelMenu);
    connect(m_modelMenu, &ModelOptionsMenu::optionsChanged, this, [this] {
        if (m_modelReady) showStatus(tr("Model options changed: Model › Reload model applies them."));
    });
    connect(m_modelMenu, &ModelOptionsMenu::reloadRequested, this, [this] {
        if (!m_modelDir.isEmpty()) openModel(m_modelDir);
    });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setToolTipsVisible(true);
    QMenu* maps = view->addMenu(tr("&Colour map"));
    maps->setToolTipsVisible(true);
    auto* mapGroup = new QActionGroup(maps);
    for (const ColorMapInfo& info : colorMaps()) {
        if (info.diverging) continue;  // diverging quantities pick their map themselves
        QAction* action = maps->addAction(colorMapLabel(info.map));
        action->setCheckable(true);
        action->setChecked(m_settings.colorMap() == info.map);
        action->setToolTip(tr("Colour map of quantities that are not centred on zero"));
        mapGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, map = info.map] {
            m_settings.setColorMap(map);
            m_heatmap->setSequentialColorMap(map);
        });
    }
    QAction* dock = m_modelDock->toggleViewAction();
    dock->setText(tr("&Model information"));
    dock->setToolTip(tr("Show or hide the model information panel"));
    view->addAction(dock);
    QAction* datasets = m_datasetsDock->toggleViewAction();
    datasets->setText(tr("&Datasets panel"));
    datasets->setToolTip(tr("Show or hide the dataset browser"));
    view->addAction(datasets);
    QAction* probes = m_probesDock->toggleViewAction();
    probes->setText(tr("&Probes panel"));
    probes->setToolTip(tr("Show or hide the stored probe sets and their per-layer report"));
    view->addAction(probes);
    QAction* saes = m_saeDock->toggleViewAction();
    saes->setText(tr("&Sparse autoencoders panel"));
    saes->setToolTip(tr("Show or hide the stored SAE sets, their metrics and the live training plot"));
    view->addAction(saes);

    addAnalysisMenu();
    addToolsMenu();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Grammascope"), this, [this] {
        QMessageBox::about(this, tr("About Grammascope"),
            tr("<p><b>Grammascope %1</b></p><p>Shows where a BERT-style masked language model keeps "
               "grammar: how each token's representation changes from layer to layer.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::buildStatusBar() {
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusMessage"));
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setToolTip(tr("What Grammascope is doing, or the last error"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setMaximumWidth(220);
    m_progress->setToolTip(tr("Progress of the running job; Esc cancels it"));
    m_progress->hide();
    statusBar()->addWidget(m_statusLabel, 1);
    buildRunStatus();
    statusBar()->addPermanentWidget(m_progress);
    m_cacheLabel = new QLabel(this);
    m_cacheLabel->setObjectName(QStringLiteral("cacheLabel"));
    statusBar()->addPermanentWidget(m_cacheLabel);
}

void MainWindow::connectWorker() {
    AnalysisWorker* worker = m_analysis->worker();
    connect(worker, &AnalysisWorker::modelLoaded, this, &MainWindow::onModelLoaded);
    connect(worker, &AnalysisWorker::sentenceReady, this, &MainWindow::onSentenceReady);
    connect(worker, &AnalysisWorker::progress, this, &MainWindow::onProgress);
    connect(worker, &AnalysisWorker::failed, this, &MainWindow::onFailed);
    connect(worker, &AnalysisWorker::cancelled, this, &MainWindow::onCancelled);
}

void MainWindow::openModel(const QString& directory, bool runAfterLoad) {
    const QString dir = QDir::cleanPath(QDir(directory).absolutePath());
    // A new model supersedes whatever was running, a dataset run included.
    worker()->cancelAnalyses();
    m_sentenceRequest = 0;
    if (isRunningDataset()) endDatasetRun();
    m_runAfterLoad = runAfterLoad;
    m_loadingDir = dir;
    m_modelReady = false;
    m_loadRequest = worker()->loadModel(dir, m_settings.modelOptions());
    m_modelInfo->showLoading(dir);
    showStatus(tr("Loading %1…").arg(QDir::toNativeSeparators(dir)));
    updateBusyState();
}

bool MainWindow::openDemo(const QString& pairsFile) {
    const DemoAssets demo = findDemoAssets();
    if (!demo.found()) {
        showStatus(tr("The built-in demo was not found in: %1").arg(demoSearchPath().join(QStringLiteral(", "))), true);
        return false;
    }
    const QString pairs = pairsFile.isEmpty() ? demo.pairsFile : pairsFile;
    // The demo opens on the view that shows grammar at a glance: where the
    // model finds each sentence of a pair surprising.
    if (m_settings.lastQuantity().isEmpty())
        m_sentencePanel->setQuantityId(QStringLiteral("surprisal"));
    openModel(demo.modelDir);
    if (!pairs.isEmpty()) openDataset(pairs, true);
    return true;
}

void MainWindow::setSentence(const QString& text) {
    m_sentencePanel->setSentence(text);
}

void MainWindow::run() {
    if (m_loadRequest != 0) {
        m_runAfterLoad = true;  // runs as soon as the model is ready
        return;
    }
    if (!m_modelReady) {
        showStatus(tr("Open a model folder first (File › Open model folder…)."), true);
        return;
    }
    const QString text = m_sentencePanel->sentence();
    if (text.isEmpty()) {
        showStatus(tr("Type a sentence first."), true);
        m_sentencePanel->focusSentence();
        return;
    }
    // Every layer quantity at once (one forward pass, or none from the cache),
    // so that switching among them redraws at once; surprisal (one masked pass
    // per token) only when it is on screen.
    QStringList analyses = layerAnalysisIds();
    if (m_sentencePanel->quantity() == LayerQuantity::Surprisal && m_loadedInfo.hasMlmHead)
        analyses << QStringLiteral("surprisal");
    m_resultText = text;
    m_sentenceRequest = worker()->analyseSentence(text, analyses);  // supersedes the previous one
    showStatus(tr("Encoding…"));
    updateBusyState();
    updateProbeConfidence();  // when that view is on screen
    updateSaeView();          // likewise
    updateLocalizeView();
}

void MainWindow::cancel() {
    if (!isBusy()) return;
    if (m_loadRequest != 0) worker()->cancel(m_loadRequest);
    if (m_sentenceRequest != 0) worker()->cancel(m_sentenceRequest);
    const bool wasLoading = m_loadRequest != 0;
    m_loadRequest = m_sentenceRequest = 0;
    m_runAfterLoad = false;
    if (wasLoading) {
        // The previous model (if any) stays loaded in the worker.
        m_modelReady = !m_modelDir.isEmpty();
        if (m_modelReady) m_modelInfo->showInfo(m_loadedInfo);
        else m_modelInfo->showNoModel();
    }
    showStatus(tr("Cancelled."));
    updateBusyState();
}

QString MainWindow::statusMessage() const {
    return m_statusLabel->text();
}

void MainWindow::onModelLoaded(quint64 requestId, const ModelInfo& info) {
    // Whatever the request, the worker now holds this model: keep track of it
    // so that a later failed or cancelled load falls back to the right one.
    m_loadedInfo = info;
    m_modelDir = QDir::cleanPath(QString::fromStdU16String(info.directory.u16string()));
    if (requestId != m_loadRequest) {
        // A load that finished before it could be cancelled; a newer pending load replaces it.
        if (m_loadRequest == 0) {
            m_modelReady = true;
            m_modelInfo->showInfo(info);
            updateBusyState();
            updateRunActions();
            updateWindowTitle();
            m_cacheEpoch = requestId;
            resetCacheMarks();
            scanCachedItems();
        }
        return;
    }
    m_loadRequest = 0;
    m_modelReady = true;
    m_result.reset();
    m_modelInfo->showInfo(info);
    m_settings.addRecentModelFolder(m_modelDir);
    rebuildRecentMenu();
    m_heatmap->clear(tr("Model loaded. Type a sentence and press Run."));
    QString message = tr("Loaded %1 (%2 layers, hidden size %3).")
                          .arg(QFileInfo(m_modelDir).fileName())
                          .arg(info.config.numLayers)
                          .arg(info.config.hiddenSize);
    if (!info.warnings.empty()) message += QLatin1Char(' ') + tr("%n warning(s): see the Model panel.", "", int(info.warnings.size()));
    showStatus(message);
    updateBusyState();
    updateRunActions();
    updateWindowTitle();
    // Cached results belong to a model: mark what this one has.
    m_cacheEpoch = requestId;
    resetCacheMarks();
    scanCachedItems();
    if (m_runAfterLoad) {
        m_runAfterLoad = false;
        if (!m_sentencePanel->sentence().isEmpty()) run();
    }
}

void MainWindow::onSentenceReady(quint64 requestId, const SentenceResultPtr& result) {
    if (requestId != m_sentenceRequest || !result) return;  // superseded or cancelled
    m_sentenceRequest = 0;
    m_result = result;
    updateHeatmap();
    QString message = tr("%n token(s), %1 layers.", "", int(m_result->numTokens())).arg(m_result->numLayers);
    if (m_result->fromCache) message += QLatin1Char(' ') + tr("From cache.");
    for (const std::string& warning : m_result->encoding.warnings) message += QLatin1Char(' ') + QString::fromStdString(warning);
    for (const QString& warning : m_result->warnings) message += QLatin1Char(' ') + warning;
    showStatus(message, m_result->encoding.truncated || !m_result->saved);
    updateBusyState();
}

void MainWindow::onProgress(quint64 requestId, qint64 done, qint64 total) {
    if (requestId != m_loadRequest && requestId != m_sentenceRequest) return;
    // Fingerprinting reports bytes: scale into the bar's int range.
    const qint64 scale = std::max<qint64>(1, total / 1'000'000);
    m_progress->setRange(0, int(std::max<qint64>(total / scale, 1)));
    m_progress->setValue(int(std::min(done, total) / scale));
}

void MainWindow::onFailed(quint64 requestId, const QString& message) {
    if (requestId == m_loadRequest) {
        const QString dir = m_loadingDir;
        m_loadRequest = 0;
        m_runAfterLoad = false;
        m_modelReady = !m_modelDir.isEmpty();  // the previous model is still loaded
        if (m_modelReady) m_modelInfo->showInfo(m_loadedInfo);
        else m_modelInfo->showNoModel();
        showStatus(tr("Could not load %1.").arg(QDir::toNativeSeparators(dir)), true);
        updateBusyState();
        // Window-modal but not blocking: the window keeps running while it shows.
        auto* box = new QMessageBox(QMessageBox::Critical, tr("Could not load the model"),
                                    tr("Could not load the model in %1.").arg(QDir::toNativeSeparators(dir)),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("loadErrorBox"));
        box->setInformativeText(message);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    } else if (requestId == m_sentenceRequest) {
        m_sentenceRequest = 0;
        showStatus(tr("Encoding failed: %1").arg(message), true);
        updateBusyState();
    }
}

void MainWindow::onCancelled(quint64 requestId) {
    if (requestId != m_loadRequest && requestId != m_sentenceRequest) return;
    cancel();
}

void MainWindow::updateHeatmap() {
    if (!m_result) return;
    const TokenGrouping grouping = m_sentencePanel->grouping();
    const LayerQuantity quantity = m_sentencePanel->quantity();
    try {
        Heatmap heatmap;
        if (const ResultMatrix* matrix = m_result->matrix(quantity)) {
            const Status status = groupResultColumns(*matrix, m_result->encoding, quantity, grouping, heatmap);
            if (!status.isOk()) {
                m_heatmap->clear(tr("Could not compute the heatmap: %1").arg(QString::fromStdString(status.message())));
                m_exportAction->setEnabled(exportTarget()->hasData());
                return;
            }
        }
        if (heatmap.rows == 0) {
            m_heatmap->clear(m_loadedInfo.hasMlmHead
                                 ? tr("Press Run to compute the token surprisal of this sentence.")
                                 : tr("Token surprisal needs a checkpoint with an MLM head; this one has none."));
            m_exportAction->setEnabled(exportTarget()->hasData());
            return;
        }
        // A cut sentence says so where the eye is: on the heatmap itself.
        const Encoding& enc = m_result->encoding;
        m_heatmap->setTitle(enc.truncated ? tr("%1 [truncated: first %2 of %3 tokens]")
                                                .arg(m_resultText)
                                                .arg(qsizetype(enc.tokens.size()))
                                                .arg(qint64(enc.untruncatedLength))
                                          : m_resultText);
        m_heatmap->setColumnAxisLabel(grouping == TokenGrouping::Words ? tr("Word") : tr("Token"));
        m_heatmap->setHeatmap(heatmap);
    } catch (const std::exception& e) {
        m_heatmap->clear(tr("Could not compute the heatmap: %1").arg(QString::fromUtf8(e.what())));
    }
    m_exportAction->setEnabled(exportTarget()->hasData());
}

void MainWindow::updateBusyState() {
    const bool busy = isBusy();
    m_sentencePanel->setBusy(busy);
    m_sentencePanel->setModelReady(m_modelReady || m_loadRequest != 0);
    m_modelMenu->reloadAction()->setEnabled(!m_modelDir.isEmpty());
    m_exportAction->setEnabled(exportTarget()->hasData());
    m_progress->setVisible(busy);
    if (busy) {
        m_progress->setRange(0, 0);  // busy indicator until the first progress report
        m_progress->setFormat(m_loadRequest != 0 ? tr("Loading %p%") : tr("Encoding %p%"));
    }
}

void MainWindow::updateWindowTitle() {
    setWindowTitle(m_modelDir.isEmpty() ? tr("Grammascope")
                                        : tr("%1 — Grammascope").arg(QFileInfo(m_modelDir).fileName()));
}

void MainWindow::showStatus(const QString& text, bool error) {
    m_statusLabel->setText(text);
    m_statusLabel->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void MainWindow::chooseModelFolder() {
    const QStringList recent = m_settings.recentModelFolders();
    const QString start = recent.isEmpty() ? QDir::homePath() : QFileInfo(recent.front()).absolutePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open model folder"), start);
    if (!dir.isEmpty()) openModel(dir);
}

void MainWindow::openRecent(const QString& directory) {
    if (!QFileInfo(directory).isDir()) {
        showStatus(tr("%1 no longer exists; removed from the recent list.").arg(QDir::toNativeSeparators(directory)), true);
        m_settings.removeRecentModelFolder(directory);
        rebuildRecentMenu();
        return;
    }
    openModel(directory);
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList folders = m_settings.recentModelFolders();
    for (int i = 0; i < folders.size(); ++i) {
        const QString& folder = folders[i];
        const QString text = i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(QDir::toNativeSeparators(folder))
                                   : QDir::toNativeSeparators(folder);
        QAction* action = m_recentMenu->addAction(text, this, [this, folder] { openRecent(folder); });
        action->setToolTip(tr("Open %1").arg(QDir::toNativeSeparators(folder)));
    }
    if (!folders.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear list"), this, [this] {
            m_settings.clearRecentModelFolders();
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!folders.isEmpty());
}

void MainWindow::exportHeatmap() {
    HeatmapWidget* heatmap = exportTarget();
    if (!heatmap->hasData()) return;
    const QString pngFilter = tr("PNG image (*.png)");
    const QString pdfFilter = tr("PDF document (*.pdf)");
    const QString svgFilter = tr("SVG image (*.svg)");
    QString folder = m_settings.lastExportFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
    const QString view = heatmap == m_heatmap ? m_sentencePanel->quantityId() : QStringLiteral("probe-confidence");
    const QString suggested = QDir(folder).filePath(QStringLiteral("grammascope-%1.png").arg(view));
    QString selectedFilter = pngFilter;
    QString fileName = QFileDialog::getSaveFileName(this, tr("Export heatmap"), suggested,
        QStringList{pngFilter, pdfFilter, svgFilter}.join(QStringLiteral(";;")), &selectedFilter);
    if (fileName.isEmpty()) return;
    if (QFileInfo(fileName).suffix().isEmpty())
        fileName += selectedFilter == pdfFilter ? QStringLiteral(".pdf")
                  : selectedFilter == svgFilter ? QStringLiteral(".svg") : QStringLiteral(".png");
    m_settings.setLastExportFolder(QFileInfo(fileName).absolutePath());
    QString error;
    if (heatmap->exportImage(fileName, &error)) {
        showStatus(tr("Exported %1.").arg(QDir::toNativeSeparators(fileName)));
    } else {
        showStatus(error, true);
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Export failed"), error, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

QString MainWindow::modelFolderFromMime(const QMimeData* mime) {
    if (!mime || !mime->hasUrls() || mime->urls().isEmpty()) return {};
    const QUrl url = mime->urls().front();
    if (!url.isLocalFile()) return {};
    const QFileInfo info(url.toLocalFile());
    if (info.isDir()) return info.absoluteFilePath();
    if (info.isFile()) return info.absolutePath();  // e.g. config.json dropped: its folder
    return {};
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    // Dataset files open as datasets; folders (or other files inside one) as models.
    if (!datasetFilesFromMime(event->mimeData()).isEmpty() || !modelFolderFromMime(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    if (openDroppedDatasets(event->mimeData())) {
        event->acceptProposedAction();
        return;
    }
    const QString folder = modelFolderFromMime(event->mimeData());
    if (folder.isEmpty()) return;
    event->acceptProposedAction();
    openModel(folder);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    worker()->cancelAnalyses();
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    m_settings.sync();
    QMainWindow::closeEvent(event);
}

} // namespace gs::ui
