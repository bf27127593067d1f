// Probes in the main window: Analysis › Train probes… (Ctrl+Shift+P) opens
// the probe dialog for the current dataset and runs the training on the
// worker thread (stage, progress and Cancel in the Probes dock; Esc cancels);
// the Probes dock lists the stored sets of the loaded model (listed again
// after a model load, a cache change, a training or a deletion) with their
// per-layer report, exports and deletes them; the "Probe confidence" tab
// draws the chosen set's P(class | h_l,t) for the sentence in the input or
// for both sentences of the current pair. Confidence requests carry an id;
// a newer one supersedes the older, whose result is dropped.

#include "main_window.h"

#include "dataset_browser.h"
#include "heatmap_widget.h"
#include "localize_view.h"
#include "model_info_panel.h"
#include "probe_dialog.h"
#include "probe_panel.h"
#include "probe_text.h"
#include "probe_view.h"
#include "sae_view.h"
#include "sentence_panel.h"
#include "settings.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>

#include <algorithm>

namespace gs::ui {

void MainWindow::setUpProbes() {
    m_probeView = new ProbeView(m_views);
    m_probeView->setGrouping(m_settings.grouping());
    m_views->addTab(m_probeView, tr("&Probe confidence"));
    m_views->setTabToolTip(0, tr("Layer quantities of the sentence (hidden-state norm, cosine to the last layer, "
                                 "change from the previous layer, surprisal)"));
    m_views->setTabToolTip(1, tr("P(class | hidden state) of a trained probe set for every token and layer: for the "
                                 "sentence, or for both sentences of the current pair side by side"));

    m_probePanel = new ProbePanel(this);
    m_probesDock = new QDockWidget(tr("Probes"), this);
    m_probesDock->setObjectName(QStringLiteral("probesDock"));
    m_probesDock->setWidget(m_probePanel);
    addDockWidget(Qt::RightDockWidgetArea, m_probesDock);
    tabifyDockWidget(m_modelDock, m_probesDock);
    m_modelDock->raise();
}

void MainWindow::addProbeActions(QMenu* analysis) {
    m_trainProbesAction = analysis->addAction(tr("&Train probes…"), this, [this] { showProbeDialog(); });
    m_trainProbesAction->setObjectName(QStringLiteral("trainProbesAction"));
    m_trainProbesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_trainProbesAction->setToolTip(tr("Train a probe on every layer to predict a label (changed words, a UD feature, "
                                       "grammaticality…) from the hidden states of the current dataset, in the "
                                       "background; the sets are kept in the results store (Ctrl+Shift+P)"));
    m_cancelProbesAction = analysis->addAction(tr("Cancel probe trainin&g") + QStringLiteral("\tEsc"), this,
                                               &MainWindow::cancelProbeTraining);
    m_cancelProbesAction->setObjectName(QStringLiteral("cancelProbesAction"));
    m_cancelProbesAction->setToolTip(tr("Stop the probe training (Esc); the hidden states already extracted stay "
                                        "cached for the next try"));
    QAction* show = analysis->addAction(tr("Show probe c&onfidence"), this, &MainWindow::showProbeConfidence);
    show->setToolTip(tr("Switch to the probe-confidence view of the sentence or pair"));
}

void MainWindow::connectProbes() {
    AnalysisWorker* w = worker();
    connect(w, &AnalysisWorker::probeSetsListed, this, &MainWindow::onProbeSetsListed);
    connect(w, &AnalysisWorker::probeSetTrained, this, &MainWindow::onProbeSetTrained);
    connect(w, &AnalysisWorker::probeConfidenceReady, this, &MainWindow::onProbeConfidence);
    connect(w, &AnalysisWorker::probeTrainProgress, this, [this](quint64 id, const ProbeTrainStatus& status) {
        if (id != 0 && id == m_probeTrain) m_probePanel->setTrainingStatus(status);
    });
    connect(w, &AnalysisWorker::probeSetDeleted, this, [this](quint64, const QString& name) {
        showStatus(tr("The probe set was deleted."));
        if (name == m_probeSetName) m_probeSetName.clear();
        refreshProbeSets();
    });
    connect(w, &AnalysisWorker::probeSetExported, this, [this](quint64, const QString&, const QString& directory) {
        showStatus(tr("Exported the probe set to %1 (probes.safetensors, probes.json).")
                       .arg(QDir::toNativeSeparators(directory)));
    });
    connect(w, &AnalysisWorker::failed, this, [this](quint64 id, const QString& message) {
        if (id == 0) return;
        if (id == m_probeTrain) {
            endProbeTraining();
            showStatus(tr("Probe training failed: %1").arg(message), true);
            auto* box = new QMessageBox(QMessageBox::Warning, tr("Probe training failed"),
                                        tr("The probes could not be trained."), QMessageBox::Ok, this);
            box->setObjectName(QStringLiteral("probeErrorBox"));
            box->setInformativeText(message);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        } else if (id == m_probeConfidenceRequest) {
            m_probeConfidenceRequest = 0;
            m_probeKey.clear();
            m_probeView->showMessage(tr("Could not compute the probe confidence: %1").arg(message));
        } else if (id == m_probeList) {
            m_probeList = 0;
            showStatus(tr("Could not list the probe sets: %1").arg(message), true);
        } else if (id == m_probeStoreJob) {
            m_probeStoreJob = 0;
            showStatus(message, true);
        }
    });
    connect(w, &AnalysisWorker::cancelled, this, [this](quint64 id) {
        if (id == 0) return;
        if (id == m_probeTrain) {
            endProbeTraining();
            showStatus(tr("Probe training cancelled; the hidden states already extracted stay cached."));
        } else if (id == m_probeConfidenceRequest) {
            m_probeConfidenceRequest = 0;
            m_probeKey.clear();
            m_probeView->setComputing(false);
        }
    });
    // Another model or store has other probe sets.
    connect(w, &AnalysisWorker::modelLoaded, this, [this] {
        refreshProbeSets();
        updateProbeActions();
    });
    connect(w, &AnalysisWorker::storeOpened, this, [this] { refreshProbeSets(); });

    connect(m_datasetBrowser, &DatasetBrowser::currentDatasetChanged, this, &MainWindow::updateProbeActions);
    connect(m_datasetBrowser, &DatasetBrowser::currentItemChanged, this, [this] {
        if (m_probeView->pairMode()) updateProbeConfidence();
    });
    connect(m_views, &QTabWidget::currentChanged, this, [this] {
        updateProbeConfidence();
        m_exportAction->setEnabled(exportTarget()->hasData());
    });
    connect(m_sentencePanel, &SentencePanel::groupingChanged, m_probeView, &ProbeView::setGrouping);
    connect(m_probeView, &ProbeView::currentSetChanged, this, &MainWindow::setCurrentProbeSet);
    connect(m_probeView, &ProbeView::pairModeChanged, this, &MainWindow::updateProbeConfidence);
    connect(m_probeView, &ProbeView::cellChosen, this, [this](const QString& text) { showStatus(text); });
    connect(m_probePanel, &ProbePanel::currentSetChanged, this, &MainWindow::setCurrentProbeSet);
    connect(m_probePanel, &ProbePanel::trainRequested, this, [this] { showProbeDialog(); });
    connect(m_probePanel, &ProbePanel::cancelRequested, this, &MainWindow::cancelProbeTraining);
    connect(m_probePanel, &ProbePanel::exportRequested, this, &MainWindow::exportProbeSetTo);
    connect(m_probePanel, &ProbePanel::deleteRequested, this, &MainWindow::confirmDeleteProbeSet);
    updateProbeActions();
}

// ---------------------------------------------------------------- training

ProbeDialog* MainWindow::showProbeDialog() {
    if (!m_modelReady || m_loadRequest != 0) {
        showStatus(tr("Open a model folder first (File › Open model folder…)."), true);
        return nullptr;
    }
    const OpenDatasetPtr dataset = m_datasetBrowser->currentDataset();
    if (!dataset) {
        showStatus(tr("Open a dataset first (File › Open dataset…, Ctrl+P): probes learn from its sentences."), true);
        return nullptr;
    }
    if (isTrainingProbes()) {
        showStatus(tr("Probes are being trained (Esc cancels)."), true);
        return nullptr;
    }
    if (m_probeDialog) {
        m_probeDialog->raise();
        return m_probeDialog;
    }
    auto* dialog = new ProbeDialog(probeDatasetFacts(*dataset), int(m_loadedInfo.config.numLayers), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    ProbeTrainRequest saved;
    if (probeRequestFromJson(m_settings.probeTrainingOptions(), saved)) dialog->setRequest(saved);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ProbeTrainRequest request = dialog->request();
        m_settings.setProbeTrainingOptions(probeRequestToJson(request));
        trainProbes(request);
    });
    m_probeDialog = dialog;
    dialog->open();
    return dialog;
}

quint64 MainWindow::trainProbes(const ProbeTrainRequest& request) {
    const OpenDatasetPtr dataset = m_datasetBrowser->currentDataset();
    if (!m_modelReady || m_loadRequest != 0 || !dataset || isTrainingProbes()) return 0;
    m_probeTrain = worker()->trainProbes(dataset, request);
    m_probePanel->setTraining(true);
    m_probesDock->show();
    m_probesDock->raise();
    // The per-layer plot and table need more room than the model information.
    if (!m_probesDock->isFloating() && m_probesDock->width() < 460)
        resizeDocks({m_probesDock}, {460}, Qt::Horizontal);
    showStatus(tr("Training probes for %1 on %2… (Esc cancels)")
                   .arg(probeTaskLabel(request.spec.task), dataset->displayName));
    updateProbeActions();
    return m_probeTrain;
}

void MainWindow::cancelProbeTraining() {
    if (!isTrainingProbes()) return;
    worker()->cancel(m_probeTrain);  // stops at the next step; the cancelled() signal ends it
    m_probePanel->setCancelling();
    showStatus(tr("Cancelling the probe training…"));
}

void MainWindow::endProbeTraining() {
    m_probeTrain = 0;
    m_probePanel->setTraining(false);
    updateProbeActions();
}

void MainWindow::onProbeSetTrained(quint64 requestId, const ProbeTrainReport& report) {
    if (requestId == 0 || requestId != m_probeTrain || !report.set) return;
    endProbeTraining();
    const ProbeSet& set = *report.set;
    QString message;
    if (report.reused) {
        message = tr("A probe set with the same settings was already stored: %1.").arg(probeSetTitle(set));
    } else {
        message = tr("Trained %1 in %2 s (%3 examples).")
                      .arg(probeSetTitle(set), probeNumber(set.seconds, 1), QLocale().toString(qint64(set.examples)));
    }
    const int best = bestProbeReport(set);
    if (best >= 0) {
        const LayerProbeReport& r = set.reports[std::size_t(best)];
        message += QLatin1Char(' ') + tr("Best accuracy %1 at layer %2 (majority %3).")
                                          .arg(probeNumber(r.accuracy, 3), probeLayerLabel(r.layer),
                                               probeNumber(r.majority, 3));
    }
    if (!set.warnings.empty()) message += QLatin1Char(' ') + tr("%n warning(s): hover the set in the Probes panel.", "",
                                                                int(set.warnings.size()));
    showStatus(message);
    // Minimal-pair tasks read best on both sentences of a pair.
    const ProbeTaskInfo* task = findProbeTask(set.spec.task);
    if (task && task->needsPairs) m_probeView->setPairMode(true);
    m_probeSelectAfterList = QString::fromStdString(set.name);
    refreshProbeSets();
}

void MainWindow::updateProbeActions() {
    if (!m_trainProbesAction || !m_probePanel) return;
    const bool ready = m_modelReady && m_loadRequest == 0;
    const bool dataset = m_datasetBrowser->currentDataset() != nullptr;
    m_trainProbesAction->setEnabled(ready && dataset && !isTrainingProbes());
    m_cancelProbesAction->setEnabled(isTrainingProbes());
    m_probePanel->setTrainEnabled(ready && dataset, !ready ? tr("Open a model first")
                                                   : !dataset ? tr("Open a dataset first: probes learn from its sentences")
                                                              : QString());
}

// ---------------------------------------------------------------- stored sets

void MainWindow::refreshProbeSets() {
    if (!m_modelReady) return;
    m_probeList = worker()->listProbeSets();
}

void MainWindow::onProbeSetsListed(quint64 requestId, const ProbeSetListPtr& sets) {
    if (requestId == 0 || requestId != m_probeList || !sets) return;  // an older listing
    m_probeList = 0;
    m_probePanel->setProbeSets(*sets);
    m_probeView->setProbeSets(*sets);
    const bool justTrained = !m_probeSelectAfterList.isEmpty();
    QString name = justTrained ? m_probeSelectAfterList : m_probeSetName;
    m_probeSelectAfterList.clear();
    const auto has = [&](const QString& n) {
        return std::any_of(sets->begin(), sets->end(), [&](const ProbeSet& s) { return QString::fromStdString(s.name) == n; });
    };
    if (!has(name)) name = sets->empty() ? QString() : QString::fromStdString(sets->front().name);
    m_probeKey.clear();  // the set's content may have changed (trained again)
    setCurrentProbeSet(name);
    if (justTrained) showProbeConfidence();
}

void MainWindow::setCurrentProbeSet(const QString& name) {
    if (name != m_probeSetName) m_probeKey.clear();
    m_probeSetName = name;
    if (m_probePanel->currentSetName() != name) m_probePanel->setCurrentSet(name);
    if (m_probeView->currentSetName() != name) m_probeView->setCurrentSet(name);
    updateProbeConfidence();
}

void MainWindow::exportProbeSetTo(const QString& name) {
    QString folder = m_settings.lastExportFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export probe set into folder"), folder);
    if (dir.isEmpty()) return;
    m_settings.setLastExportFolder(dir);
    auto start = [this, name, dir] {
        m_probeStoreJob = worker()->exportProbeSet(name, dir);
        showStatus(tr("Exporting the probe set to %1…").arg(QDir::toNativeSeparators(dir)));
    };
    if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("probes.json")))) {
        start();
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Question, tr("Replace the exported probe set?"),
                                tr("%1 already holds an exported probe set (probes.json, probes.safetensors).")
                                    .arg(QDir::toNativeSeparators(dir)),
                                QMessageBox::Cancel, this);
    QPushButton* replace = box->addButton(tr("&Replace"), QMessageBox::AcceptRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [replace, start](QAbstractButton* button) {
        if (button == replace) start();
    });
    box->open();
}

void MainWindow::confirmDeleteProbeSet(const QString& name) {
    const ProbeSet* set = m_probePanel->currentSet();
    const QString title = set && QString::fromStdString(set->name) == name ? probeSetTitle(*set) : name;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete probe set"),
                                tr("Delete the probe set “%1”?").arg(title), QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteProbeSetBox"));
    box->setInformativeText(tr("Its probes and per-layer report are removed from the results store; training them "
                               "again reuses the cached hidden states."));
    QPushButton* remove = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, remove, name](QAbstractButton* button) {
        if (button != remove) return;
        m_probeStoreJob = worker()->deleteProbeSet(name);
    });
    box->open();
}

// ---------------------------------------------------------------- confidence

void MainWindow::showProbeConfidence() {
    m_views->setCurrentWidget(m_probeView);  // currentChanged computes what is needed
    updateProbeConfidence();
}

void MainWindow::updateProbeConfidence() {
    if (!m_probeView || m_views->currentWidget() != m_probeView) return;  // computed when shown
    auto message = [this](const QString& text) {
        m_probeKey.clear();
        m_probeConfidenceRequest = 0;  // a pending result is stale now
        m_probeView->showMessage(text);
    };
    if (!m_modelReady || m_loadRequest != 0) return message(tr("Open a model folder first (File › Open model folder…)."));
    if (m_probeSetName.isEmpty())
        return message(m_probePanel->setCount() == 0
                           ? tr("No probe set for this model yet. Analysis › Train probes… (Ctrl+Shift+P) trains "
                                "probes on the current dataset; their confidence for every token and layer shows here.")
                           : tr("Choose a probe set."));
    QStringList sentences, titles;
    if (m_probeView->pairMode()) {
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
    const QString key = m_probeSetName + QChar(0x1f) + sentences.join(QChar(0x1f));
    if (key == m_probeKey) return;  // on screen or being computed
    m_probeKey = key;
    m_probeTitles = titles;
    m_probeConfidenceRequest = worker()->probeConfidence(m_probeSetName, sentences);  // supersedes the previous one
    m_probeView->setComputing(true);
}

void MainWindow::onProbeConfidence(quint64 requestId, const ProbeConfidencePtr& result) {
    if (requestId == 0 || requestId != m_probeConfidenceRequest || !result) return;  // superseded
    m_probeConfidenceRequest = 0;
    m_probeView->setConfidence(result, m_probeTitles);
    m_exportAction->setEnabled(exportTarget()->hasData());
}

HeatmapWidget* MainWindow::exportTarget() const {
    if (m_views && m_probeView && m_views->currentWidget() == m_probeView) return m_probeView->activeHeatmap();
    if (m_views && m_saeView && m_views->currentWidget() == m_saeView) return m_saeView->activeHeatmap();
    if (m_views && m_localizeView && m_views->currentWidget() == m_localizeView) return m_localizeView->activeHeatmap();
    return m_heatmap;
}

} // namespace gs::ui
