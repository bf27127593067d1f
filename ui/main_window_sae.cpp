// Sparse autoencoders in the main window: Analysis › Train sparse
// autoencoders… (Ctrl+Shift+A) opens the SAE dialog for the current dataset
// and runs the training on the worker thread (stage, live loss plot and
// Cancel in the Sparse autoencoders dock; Esc cancels; the same request
// again resumes); the dock lists the stored sets of the loaded model (listed
// again after a model load, a cache change, a training, an import or a
// deletion), exports them as SAELens folders, imports such folders and
// deletes sets; the "SAE features" tab draws the features of the sentence in
// the input or of both sentences of the current pair, and for a chosen
// feature its trace across layers (on the sentence) and its profile over the
// current dataset (an index built on demand, kept per set, layer and
// dataset). Every request carries an id; a newer one supersedes the older,
// whose result is dropped.

#include "main_window.h"

#include "dataset_browser.h"
#include "heatmap_widget.h"
#include "sae_dialog.h"
#include "sae_panel.h"
#include "sae_view.h"
#include "sentence_panel.h"
#include "settings.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>

#include <algorithm>

namespace gs::ui {
namespace {

constexpr int kFeaturesPerToken = 3;
constexpr int kMaxFeatureRows = 24;

} // namespace

void MainWindow::setUpSae() {
    m_saeView = new SaeView(m_views);
    m_saeView->setGrouping(m_settings.grouping());
    const int tab = m_views->addTab(m_saeView, tr("SAE features"));
    m_views->setTabToolTip(tab, tr("Sparse-autoencoder features of the sentence or of the current pair: which feature "
                                   "fires on which token, a feature across layers, and its profile over the dataset"));

    m_saePanel = new SaePanel(this);
    m_saeDock = new QDockWidget(tr("Sparse autoencoders"), this);
    m_saeDock->setObjectName(QStringLiteral("saeDock"));
    m_saeDock->setWidget(m_saePanel);
    addDockWidget(Qt::RightDockWidgetArea, m_saeDock);
    tabifyDockWidget(m_probesDock, m_saeDock);
    m_modelDock->raise();
}

void MainWindow::addSaeActions(QMenu* analysis) {
    analysis->addSeparator();
    m_trainSaesAction = analysis->addAction(tr("Train sparse a&utoencoders…"), this, [this] { showSaeDialog(); });
    m_trainSaesAction->setObjectName(QStringLiteral("trainSaesAction"));
    m_trainSaesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_trainSaesAction->setToolTip(tr("Learn a dictionary of sparse features (TopK or ReLU + L1 autoencoders) for "
                                     "chosen layers from the hidden states of the current dataset, in the "
                                     "background; the sets are kept in the results store (Ctrl+Shift+A)"));
    m_cancelSaesAction = analysis->addAction(tr("Cancel SAE trai&ning") + QStringLiteral("\tEsc"), this,
                                             &MainWindow::cancelSaeTraining);
    m_cancelSaesAction->setObjectName(QStringLiteral("cancelSaesAction"));
    m_cancelSaesAction->setToolTip(tr("Stop the SAE training (Esc); its state is saved and training again resumes"));
    m_importSaesAction = analysis->addAction(tr("&Import SAELens folders…"), this, &MainWindow::chooseSaeLensFolders);
    m_importSaesAction->setToolTip(tr("Store SAELens folders (cfg.json + sae_weights.safetensors) as an SAE set of "
                                      "the loaded model"));
    QAction* show = analysis->addAction(tr("Show SAE &features"), this, &MainWindow::showSaeFeatures);
    show->setToolTip(tr("Switch to the SAE features view of the sentence or pair"));
}

void MainWindow::connectSae() {
    AnalysisWorker* w = worker();
    connect(w, &AnalysisWorker::saeSetsListed, this, &MainWindow::onSaeSetsListed);
    connect(w, &AnalysisWorker::saeSetTrained, this, &MainWindow::onSaeSetTrained);
    connect(w, &AnalysisWorker::saeSentenceViewReady, this, &MainWindow::onSaeSentenceView);
    connect(w, &AnalysisWorker::saeTrainProgress, this, [this](quint64 id, const SaeTrainStatus& status) {
        if (id != 0 && id == m_saeTrain) m_saePanel->setTrainingStatus(status);
    });
    connect(w, &AnalysisWorker::saeFeatureTraceReady, this, [this](quint64 id, const SaeFeatureTracePtr& trace) {
        if (id == 0 || id != m_saeTraceRequest || !trace) return;
        m_saeTraceRequest = 0;
        m_saeView->setTrace(trace);
    });
    connect(w, &AnalysisWorker::saeIndexProgress, this, [this](quint64 id, const SaeIndexStatus& status) {
        if (id != 0 && id == m_saeIndexRequest) m_saeView->setIndexStatus(status);
    });
    connect(w, &AnalysisWorker::saeFeatureIndexReady, this, [this](quint64 id, const SaeFeatureIndexPtr& index) {
        if (id == 0 || id != m_saeIndexRequest || !index) return;
        m_saeIndexRequest = 0;
        m_saeView->setIndex(index);
    });
    connect(w, &AnalysisWorker::saeSetDeleted, this, [this](quint64, const QString& name) {
        showStatus(tr("The SAE set was deleted."));
        if (name == m_saeSetName) m_saeSetName.clear();
        refreshSaeSets();
    });
    connect(w, &AnalysisWorker::saeSetExported, this, [this](quint64, const QString&, const QString& directory) {
        showStatus(tr("Exported the SAE set to %1 (one SAELens folder per layer).").arg(QDir::toNativeSeparators(directory)));
    });
    connect(w, &AnalysisWorker::saeSetImported, this, [this](quint64 id, const QString& name) {
        if (id == m_saeStoreJob) m_saeStoreJob = 0;
        showStatus(tr("Imported the SAELens folders as an SAE set."));
        m_saeSelectAfterList = name;
        refreshSaeSets();
    });
    connect(w, &AnalysisWorker::failed, this, [this](quint64 id, const QString& message) {
        if (id == 0) return;
        if (id == m_saeTrain) {
            endSaeTraining();
            showStatus(tr("SAE training failed: %1").arg(message), true);
            auto* box = new QMessageBox(QMessageBox::Warning, tr("SAE training failed"),
                                        tr("The sparse autoencoders could not be trained."), QMessageBox::Ok, this);
            box->setObjectName(QStringLiteral("saeErrorBox"));
            box->setInformativeText(message);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        } else if (id == m_saeViewRequest) {
            m_saeViewRequest = 0;
            m_saeKey.clear();
            m_saeView->showMessage(tr("Could not compute the SAE features: %1").arg(message));
        } else if (id == m_saeTraceRequest) {
            m_saeTraceRequest = 0;
            showStatus(tr("Could not follow the feature: %1").arg(message), true);
        } else if (id == m_saeIndexRequest) {
            m_saeIndexRequest = 0;
            m_saeIndexKey.clear();
            m_saeView->setIndexMessage(tr("Could not index the dataset: %1").arg(message));
        } else if (id == m_saeList) {
            m_saeList = 0;
            showStatus(tr("Could not list the SAE sets: %1").arg(message), true);
        } else if (id == m_saeStoreJob) {
            m_saeStoreJob = 0;
            showStatus(message, true);
        }
    });
    connect(w, &AnalysisWorker::cancelled, this, [this](quint64 id) {
        if (id == 0) return;
        if (id == m_saeTrain) {
            endSaeTraining();
            showStatus(tr("SAE training cancelled; its state is saved and training again resumes it."));
        } else if (id == m_saeViewRequest) {
            m_saeViewRequest = 0;
            m_saeKey.clear();
            m_saeView->setComputing(false);
        } else if (id == m_saeTraceRequest) {
            m_saeTraceRequest = 0;
        } else if (id == m_saeIndexRequest) {
            m_saeIndexRequest = 0;
            m_saeIndexKey.clear();
            m_saeView->setIndexMessage(tr("Indexing cancelled."));
        }
    });
    connect(w, &AnalysisWorker::modelLoaded, this, [this] {
        m_saeIndexKey.clear();
        refreshSaeSets();
        updateSaeActions();
    });
    connect(w, &AnalysisWorker::storeOpened, this, [this] { refreshSaeSets(); });

    connect(m_datasetBrowser, &DatasetBrowser::currentDatasetChanged, this, &MainWindow::updateSaeActions);
    connect(m_datasetBrowser, &DatasetBrowser::currentItemChanged, this, [this] {
        if (m_saeView->pairMode()) updateSaeView();
    });
    connect(m_views, &QTabWidget::currentChanged, this, &MainWindow::updateSaeView);
    connect(m_sentencePanel, &SentencePanel::groupingChanged, m_saeView, &SaeView::setGrouping);
    connect(m_saeView, &SaeView::currentSetChanged, this, &MainWindow::setCurrentSaeSet);
    connect(m_saeView, &SaeView::layerChanged, this, &MainWindow::updateSaeView);
    connect(m_saeView, &SaeView::pairModeChanged, this, &MainWindow::updateSaeView);
    connect(m_saeView, &SaeView::featureSelected, this, &MainWindow::requestSaeFeature);
    connect(m_saeView, &SaeView::cellChosen, this, [this](const QString& text) { showStatus(text); });
    connect(m_saePanel, &SaePanel::currentSetChanged, this, &MainWindow::setCurrentSaeSet);
    connect(m_saePanel, &SaePanel::trainRequested, this, [this] { showSaeDialog(); });
    connect(m_saePanel, &SaePanel::importRequested, this, &MainWindow::chooseSaeLensFolders);
    connect(m_saePanel, &SaePanel::cancelRequested, this, &MainWindow::cancelSaeTraining);
    connect(m_saePanel, &SaePanel::exportRequested, this, &MainWindow::exportSaeSetTo);
    connect(m_saePanel, &SaePanel::deleteRequested, this, &MainWindow::confirmDeleteSaeSet);
    updateSaeActions();
}

// ---------------------------------------------------------------- training

SaeDialog* MainWindow::showSaeDialog() {
    if (!m_modelReady || m_loadRequest != 0) {
        showStatus(tr("Open a model folder first (File › Open model folder…)."), true);
        return nullptr;
    }
    const OpenDatasetPtr dataset = m_datasetBrowser->currentDataset();
    if (!dataset) {
        showStatus(tr("Open a dataset first (File › Open dataset…, Ctrl+P): autoencoders learn from its sentences."),
                   true);
        return nullptr;
    }
    if (isTrainingSaes()) {
        showStatus(tr("Sparse autoencoders are being trained (Esc cancels)."), true);
        return nullptr;
    }
    if (m_saeDialog) {
        m_saeDialog->raise();
        return m_saeDialog;
    }
    auto* dialog = new SaeDialog(dataset->displayName, int(m_loadedInfo.config.numLayers),
                                 m_loadedInfo.config.hiddenSize, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    SaeTrainRequest saved;
    if (saeRequestFromJson(m_settings.saeTrainingOptions(), m_loadedInfo.config.hiddenSize, saved)) dialog->setRequest(saved);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const SaeTrainRequest request = dialog->request();
        m_settings.setSaeTrainingOptions(saeRequestToJson(request, m_loadedInfo.config.hiddenSize));
        trainSaes(request);
    });
    m_saeDialog = dialog;
    dialog->open();
    return dialog;
}

quint64 MainWindow::trainSaes(const SaeTrainRequest& request) {
    const OpenDatasetPtr dataset = m_datasetBrowser->currentDataset();
    if (!m_modelReady || m_loadRequest != 0 || !dataset || isTrainingSaes()) return 0;
    m_saeTrain = worker()->trainSaes(dataset, request);
    m_saePanel->setTraining(true);
    m_saeDock->show();
    m_saeDock->raise();
    if (!m_saeDock->isFloating() && m_saeDock->width() < 460) resizeDocks({m_saeDock}, {460}, Qt::Horizontal);
    showStatus(tr("Training sparse autoencoders on %1… (Esc cancels)").arg(dataset->displayName));
    updateSaeActions();
    return m_saeTrain;
}

void MainWindow::cancelSaeTraining() {
    if (!isTrainingSaes()) return;
    worker()->cancel(m_saeTrain);  // stops within the step; the cancelled() signal ends it
    m_saePanel->setCancelling();
    showStatus(tr("Cancelling the SAE training…"));
}

void MainWindow::endSaeTraining() {
    m_saeTrain = 0;
    m_saePanel->setTraining(false);
    updateSaeActions();
}

void MainWindow::onSaeSetTrained(quint64 requestId, const SaeTrainReport& report) {
    if (requestId == 0 || requestId != m_saeTrain || !report.set) return;
    endSaeTraining();
    const SaeSet& set = *report.set;
    showStatus(report.reused ? tr("An SAE set with the same settings was already stored: %1.").arg(saeSetTitle(set))
                             : tr("Trained %1 in %2 s.").arg(saeSetTitle(set)).arg(set.seconds, 0, 'f', 1));
    m_saeSelectAfterList = QString::fromStdString(set.name);
    refreshSaeSets();
}

void MainWindow::updateSaeActions() {
    if (!m_trainSaesAction || !m_saePanel) return;
    const bool ready = m_modelReady && m_loadRequest == 0;
    const bool dataset = m_datasetBrowser->currentDataset() != nullptr;
    m_trainSaesAction->setEnabled(ready && dataset && !isTrainingSaes());
    m_cancelSaesAction->setEnabled(isTrainingSaes());
    m_importSaesAction->setEnabled(ready);
    m_saePanel->setImportEnabled(ready);
    m_saePanel->setTrainEnabled(ready && dataset, !ready ? tr("Open a model first")
                                                 : !dataset ? tr("Open a dataset first: autoencoders learn from its "
                                                                 "sentences")
                                                            : QString());
}

// ---------------------------------------------------------------- stored sets

void MainWindow::refreshSaeSets() {
    if (!m_modelReady) return;
    m_saeList = worker()->listSaeSets();
}

void MainWindow::onSaeSetsListed(quint64 requestId, const SaeSetListPtr& sets) {
    if (requestId == 0 || requestId != m_saeList || !sets) return;  // an older listing
    m_saeList = 0;
    m_saePanel->setSaeSets(*sets);
    m_saeView->setSaeSets(*sets);
    const bool justMade = !m_saeSelectAfterList.isEmpty();
    QString name = justMade ? m_saeSelectAfterList : m_saeSetName;
    m_saeSelectAfterList.clear();
    const auto has = [&](const QString& n) {
        return std::any_of(sets->begin(), sets->end(), [&](const SaeSet& s) { return QString::fromStdString(s.name) == n; });
    };
    if (!has(name)) name = sets->empty() ? QString() : QString::fromStdString(sets->front().name);
    m_saeKey.clear();  // the set's content may have changed (trained again)
    m_saeIndexKey.clear();
    setCurrentSaeSet(name);
    if (justMade) showSaeFeatures();
}

void MainWindow::setCurrentSaeSet(const QString& name) {
    if (name != m_saeSetName) {
        m_saeKey.clear();
        m_saeIndexKey.clear();
    }
    m_saeSetName = name;
    if (m_saePanel->currentSetName() != name) m_saePanel->setCurrentSet(name);
    if (m_saeView->currentSetName() != name) m_saeView->setCurrentSet(name);
    updateSaeView();
}

void MainWindow::chooseSaeLensFolders() {
    if (!m_modelReady) {
        showStatus(tr("Open a model folder first (File › Open model folder…)."), true);
        return;
    }
    QString folder = m_settings.lastExportFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Import SAELens folder (one SAE, or a folder of layer_<l> folders)"), folder);
    if (dir.isEmpty()) return;
    m_settings.setLastExportFolder(dir);
    importSaeLens({dir});
}

quint64 MainWindow::importSaeLens(const QStringList& directories) {
    if (!m_modelReady || directories.isEmpty()) return 0;
    m_saeStoreJob = worker()->importSaeLens(directories);
    showStatus(tr("Importing SAELens folders…"));
    return m_saeStoreJob;
}

void MainWindow::exportSaeSetTo(const QString& name) {
    QString folder = m_settings.lastExportFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export SAE set as SAELens folders into"), folder);
    if (dir.isEmpty()) return;
    m_settings.setLastExportFolder(dir);
    m_saeStoreJob = worker()->exportSaeSet(name, dir);
    showStatus(tr("Exporting the SAE set to %1…").arg(QDir::toNativeSeparators(dir)));
}

void MainWindow::confirmDeleteSaeSet(const QString& name) {
    const SaeSet* set = m_saePanel->currentSet();
    const QString title = set && QString::fromStdString(set->name) == name ? saeSetTitle(*set) : name;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete SAE set"), tr("Delete the SAE set “%1”?").arg(title),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteSaeSetBox"));
    box->setInformativeText(tr("Its autoencoders and metrics are removed from the results store; training them again "
                               "reuses the cached hidden states."));
    QPushButton* remove = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, remove, name](QAbstractButton* button) {
        if (button == remove) m_saeStoreJob = worker()->deleteSaeSet(name);
    });
    box->open();
}

// ---------------------------------------------------------------- the features view

void MainWindow::showSaeFeatures() {
    m_views->setCurrentWidget(m_saeView);  // currentChanged computes what is needed
    updateSaeView();
}

void MainWindow::updateSaeView() {
    if (!m_saeView || m_views->currentWidget() != m_saeView) return;  // computed when shown
    auto message = [this](const QString& text) {
        m_saeKey.clear();
        m_saeIndexKey.clear();
        m_saeViewRequest = m_saeTraceRequest = 0;  // pending results are stale now
        m_saeView->showMessage(text);
    };
    if (!m_modelReady || m_loadRequest != 0) return message(tr("Open a model folder first (File › Open model folder…)."));
    if (m_saeSetName.isEmpty() || m_saeView->layer() < 0)
        return message(m_saePanel->setCount() == 0
                           ? tr("No SAE set for this model yet. Analysis › Train sparse autoencoders… (Ctrl+Shift+A) "
                                "learns sparse features from the current dataset; the features of the sentence show "
                                "here.")
                           : tr("Choose an SAE set."));
    QStringList sentences, titles;
    if (m_saeView->pairMode()) {
        const DatasetItem* item = m_datasetBrowser->item(m_datasetBrowser->currentPair());
        if (!item) return message(tr("Choose a pair in the Datasets panel."));
        sentences << QString::fromStdString(item->good.text);
        if (item->isPair()) {
            sentences << QString::fromStdString(item->bad.text);
            titles << tr("Grammatical") << tr("Ungrammatical");
        }
    } else {
        const QString text = m_sentencePanel->sentence();
        if (text.isEmpty()) return message(tr("Type a sentence and press Run."));
        sentences << text;
    }
    const QString key = m_saeSetName + QChar(0x1f) + QString::number(m_saeView->layer()) + QChar(0x1f) +
                        sentences.join(QChar(0x1f));
    if (key == m_saeKey) return;  // on screen or being computed
    m_saeKey = key;
    m_saeTitles = titles;
    m_saeViewRequest = worker()->saeSentenceView(m_saeSetName, m_saeView->layer(), sentences, kFeaturesPerToken,
                                                 kMaxFeatureRows);  // supersedes the previous one
    m_saeView->setComputing(true);
}

void MainWindow::onSaeSentenceView(quint64 requestId, const SaeSentenceViewPtr& view) {
    if (requestId == 0 || requestId != m_saeViewRequest || !view) return;  // superseded
    m_saeViewRequest = 0;
    const int previous = m_saeView->currentFeature();
    const bool sameLayer = m_saeView->sentenceView() && m_saeView->sentenceView()->setName == view->setName &&
                           m_saeView->sentenceView()->layer == view->layer;
    m_saeView->setSentenceView(view, m_saeTitles);
    m_exportAction->setEnabled(exportTarget()->hasData());
    // The feature followed stays (on the new sentence); else the one that differs most, or the strongest.
    const int pending = m_saeView->takePendingFeature();  // a row of the trace clicked
    int feature = sameLayer ? previous : pending;
    if (feature < 0 && !view->differences.empty()) {
        const SaePairDifference& d = view->differences.front();
        feature = d.feature;
        m_saeView->setTraceSide(d.bad > d.good ? 1 : 0);  // the sentence it fires on
    }
    if (feature < 0 && !view->features.empty()) feature = view->features.front();
    if (feature < 0) return;
    if (feature == m_saeView->currentFeature()) requestSaeFeature(feature);
    else m_saeView->selectFeature(feature);  // featureSelected asks for the trace and the index
}

void MainWindow::requestSaeFeature(int feature) {
    const SaeSentenceViewPtr view = m_saeView->sentenceView();
    if (!view || feature < 0) return;
    const QString sentence = view->sentences.value(std::min(m_saeView->traceSide(), int(view->sentences.size()) - 1));
    m_saeTraceRequest = worker()->saeFeatureTrace(view->setName, view->layer, feature, sentence);
    // The dataset profile: one index per set, layer and dataset, built once.
    const OpenDatasetPtr dataset = m_datasetBrowser->currentDataset();
    if (!dataset) {
        m_saeView->setIndexMessage(tr("Open a dataset to see where the feature fires in it."));
        return;
    }
    const QString key = view->setName + QChar(0x1f) + QString::number(view->layer) + QChar(0x1f) +
                        QString::number(quintptr(dataset.get()));
    if (key == m_saeIndexKey) return;  // shown or being built
    m_saeIndexKey = key;
    if (m_saeIndexRequest != 0) worker()->cancel(m_saeIndexRequest);
    m_saeIndexRequest = worker()->saeFeatureIndex(view->setName, view->layer, dataset);
    m_saeView->setIndexStatus(SaeIndexStatus{});
}

} // namespace gs::ui
