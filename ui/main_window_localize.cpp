// The main window's localized-layer parts: the "Localized layer" dock
// (LocalizePanel: train, compare, report) and the "Localized layer" view tab
// (LocalizeView: distance to the parent per token and layer), both over one
// LocalizeService. The loaded model is the parent of a training and the
// current dataset gives the pairs; the view follows the typed sentence or the
// pair chosen in the Datasets panel.

#include "main_window.h"

#include "dataset_browser.h"
#include "localize_panel.h"
#include "localize_service.h"
#include "localize_view.h"
#include "sentence_panel.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QMenu>
#include <QTabWidget>

namespace gs::ui {

void MainWindow::setUpLocalize() {
    m_localizeService = new LocalizeService(this);
    m_localizeView = new LocalizeView(m_localizeService, m_views);
    const int tab = m_views->addTab(m_localizeView, tr("Localized layer"));
    m_views->setTabToolTip(tab, tr("How far a localized model's hidden states are from its parent's, per token and "
                                   "layer, for the sentence or both sentences of the current pair"));

    m_localizePanel = new LocalizePanel(m_localizeService, this);
    m_localizeDock = new QDockWidget(tr("Localized layer"), this);
    m_localizeDock->setObjectName(QStringLiteral("localizeDock"));
    m_localizeDock->setWidget(m_localizePanel);
    addDockWidget(Qt::RightDockWidgetArea, m_localizeDock);
    tabifyDockWidget(m_saeDock, m_localizeDock);
    m_modelDock->raise();
}

void MainWindow::addLocalizeActions(QMenu* analysis) {
    analysis->addSeparator();
    QAction* train = analysis->addAction(tr("Train a locali&zed layer…"), this, [this] { showLocalizePanel(0); });
    train->setObjectName(QStringLiteral("trainLocalizedAction"));
    train->setToolTip(tr("Train one encoder layer of the loaded model on the current dataset's pairs so that a "
                         "grammatical category lives in that layer (cosine + MLM loss)"));
    QAction* compare = analysis->addAction(tr("Compare with the &parent…"), this, [this] { showLocalizePanel(1); });
    compare->setToolTip(tr("Which layers of a localized checkpoint differ from its parent, and the distance of "
                           "their hidden states on the sentence or pair"));
    QAction* report = analysis->addAction(tr("Localization r&eport…"), this, [this] { showLocalizePanel(2); });
    report->setToolTip(tr("Did the localization work? Standard language, activity on the category, ablation and "
                          "probes, with numbers"));
}

void MainWindow::showLocalizePanel(int tab) {
    m_localizeDock->show();
    m_localizeDock->raise();
    m_localizePanel->tabs()->setCurrentIndex(tab);
}

void MainWindow::connectLocalize() {
    connect(worker(), &AnalysisWorker::modelLoaded, this, [this](quint64, const ModelInfo& info) {
        m_localizePanel->setParentModel(QDir::cleanPath(QString::fromStdU16String(info.directory.u16string())),
                                        info.config.numLayers);
    });
    connect(m_datasetBrowser, &DatasetBrowser::currentDatasetChanged, this,
            [this] { m_localizePanel->setDataset(m_datasetBrowser->currentDataset()); });
    connect(m_datasetBrowser, &DatasetBrowser::currentItemChanged, this, [this] {
        if (m_localizeView->pairMode()) updateLocalizeView();
    });
    connect(m_views, &QTabWidget::currentChanged, this, &MainWindow::updateLocalizeView);
    connect(m_localizeView, &LocalizeView::pairModeChanged, this, &MainWindow::updateLocalizeView);
    connect(m_localizeView, &LocalizeView::message, this, [this](const QString& text) { showStatus(text, true); });
    connect(m_localizePanel, &LocalizePanel::message, this, [this](const QString& text) { showStatus(text); });
    connect(m_localizePanel, &LocalizePanel::comparisonRequested, this,
            [this](const QString& parentDir, const QString& localizedDir) {
                m_localizeView->setModels(parentDir, localizedDir);
                m_views->setCurrentWidget(m_localizeView);
                updateLocalizeView();
            });
}

void MainWindow::updateLocalizeView() {
    if (!m_localizeView || m_views->currentWidget() != m_localizeView) return;  // computed when shown
    if (m_localizeView->pairMode()) {
        const DatasetItem* item = m_datasetBrowser->item(m_datasetBrowser->currentPair());
        if (item && item->isPair()) {
            m_localizeView->setPair(*item);
            return;
        }
    }
    m_localizeView->setSentence(m_sentencePanel->sentence());
}

} // namespace gs::ui
