// The dataset side of the main window: the Datasets dock, File › Open
// dataset… and its recent list, saving a dataset as CSV, Tools › Generate
// polypersonal pairs, and dataset files dropped on the window.

#include "main_window.h"

#include "dataset_browser.h"
#include "dataset_opener.h"
#include "polypersonal_dialog.h"
#include "settings.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QUrl>

namespace gs::ui {

void MainWindow::setUpDatasets() {
    m_datasetBrowser = new DatasetBrowser(this);
    m_datasetsDock = new QDockWidget(tr("Datasets"), this);
    m_datasetsDock->setObjectName(QStringLiteral("datasetsDock"));
    m_datasetsDock->setWidget(m_datasetBrowser);
    addDockWidget(Qt::BottomDockWidgetArea, m_datasetsDock);
    connect(m_datasetBrowser, &DatasetBrowser::sentenceChosen, this, [this](const QString& sentence) {
        setSentence(sentence);
        run();
    });
    connect(m_datasetBrowser, &DatasetBrowser::openRequested, this, &MainWindow::chooseDatasetFile);
    connect(m_datasetBrowser, &DatasetBrowser::saveAsCsvRequested, this, &MainWindow::saveCurrentDatasetAsCsv);
    connect(m_datasetBrowser, &DatasetBrowser::currentDatasetChanged, this, [this] {
        const OpenDatasetPtr current = m_datasetBrowser->currentDataset();
        if (m_saveDatasetAction) m_saveDatasetAction->setEnabled(current && !current->singleSentences());
    });

    m_datasetOpener = new DatasetOpener(this);
    connect(m_datasetOpener, &DatasetOpener::readingStarted, this, [this](const QString& file) {
        m_datasetBrowser->setReading(true, tr("Reading %1…").arg(QFileInfo(file).fileName()));
        m_datasetsDock->show();
    });
    connect(m_datasetOpener, &DatasetOpener::busyChanged, this, [this](bool busy) {
        if (!busy) m_datasetBrowser->setReading(false);
    });
    connect(m_datasetOpener, &DatasetOpener::opened, this, &MainWindow::onDatasetOpened);
    connect(m_datasetOpener, &DatasetOpener::failed, this, [this](const QString& file, const QString& message) {
        showStatus(message, true);
        if (!QFileInfo::exists(file) && m_settings.recentDatasets().contains(QDir::cleanPath(file))) {
            m_settings.removeRecentDataset(file);
            rebuildRecentDatasetsMenu();
        }
    });
    connect(m_datasetOpener, &DatasetOpener::declined, this, [this](const QString& file) {
        showStatus(tr("%1 was not opened.").arg(QFileInfo(file).fileName()));
    });
}

void MainWindow::addDatasetActions(QMenu* file) {
    file->addSeparator();
    QAction* open = file->addAction(tr("Open &dataset…"), this, &MainWindow::chooseDatasetFile);
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    open->setToolTip(tr("Open minimal pairs or sentences: Grammascope or RuBLiMP CSV, BLiMP JSONL, any CSV / TSV "
                        "(you choose the columns), plain text or CoNLL-U. Several can be open at once."));
    m_recentDatasetsMenu = file->addMenu(tr("Recent da&tasets"));
    m_recentDatasetsMenu->setToolTipsVisible(true);
    rebuildRecentDatasetsMenu();
    m_saveDatasetAction = file->addAction(tr("&Save dataset as CSV…"), this, &MainWindow::saveCurrentDatasetAsCsv);
    m_saveDatasetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_saveDatasetAction->setToolTip(tr("Write the pairs of the current dataset as a Grammascope CSV file"));
    m_saveDatasetAction->setEnabled(false);
}

void MainWindow::addToolsMenu() {
    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->setToolTipsVisible(true);
    QAction* poly = tools->addAction(tr("&Generate polypersonal pairs from CoNLL-U…"), this,
                                     [this] { showPolypersonalDialog(); });
    poly->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    poly->setToolTip(tr("Turn Universal Dependencies sentences into (standard, polypersonal) pairs with an editable "
                        "rule table; the result opens as a dataset"));
}

bool MainWindow::openDataset(const QString& file, bool selectFirst) {
    const QString path = QFileInfo(file).absoluteFilePath();
    const int open = m_datasetBrowser->indexOfFile(path);
    if (open >= 0) {
        m_datasetsDock->show();
        m_datasetBrowser->setCurrentDataset(open);
        if (selectFirst && m_datasetBrowser->currentPair() < 0) m_datasetBrowser->selectPair(0);
        showStatus(tr("%1 is already open.").arg(QFileInfo(path).fileName()));
        return true;
    }
    return m_datasetOpener->open(path, selectFirst);
}

void MainWindow::onDatasetOpened(const OpenDatasetPtr& dataset, bool selectFirst) {
    if (!dataset) return;
    QString message = dataset->singleSentences()
        ? tr("%n sentence(s) read from %1.", "", dataset->size()).arg(dataset->displayName)
        : tr("%n pair(s) read from %1.", "", dataset->size()).arg(dataset->displayName);
    const auto skipped = static_cast<int>(dataset->dataset.errorCount());
    if (skipped > 0) message += QLatin1Char(' ') + tr("%n malformed record(s) skipped.", "", skipped);
    if (!dataset->warnings.isEmpty())
        message += QLatin1Char(' ') + tr("%n warning(s): see the Datasets panel.", "", int(dataset->warnings.size()));
    showStatus(message);  // before the first item runs and reports its own status
    if (!dataset->filePath.isEmpty()) {
        m_settings.addRecentDataset(QDir::fromNativeSeparators(dataset->filePath));
        m_settings.setLastDatasetFolder(QFileInfo(dataset->filePath).absolutePath());
        rebuildRecentDatasetsMenu();
    }
    m_datasetsDock->show();
    m_datasetBrowser->addDataset(dataset, selectFirst);
    scanCachedItems(dataset);  // its Cached column, from what the cache already has
    updateRunActions();
}

void MainWindow::chooseDatasetFile() {
    QString folder = m_settings.lastDatasetFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
    const QString filters = QStringList{
        tr("Datasets (%1)").arg(DatasetOpener::fileDialogPattern()),
        tr("CSV and TSV (*.csv *.tsv)"), tr("BLiMP JSON Lines (*.jsonl)"),
        tr("Plain text, one sentence per line (*.txt)"), tr("CoNLL-U (*.conllu)"), tr("All files (*)"),
    }.join(QStringLiteral(";;"));
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open datasets"), folder, filters);
    for (int i = 0; i < files.size(); ++i) openDataset(files[i], i == 0);
}

void MainWindow::rebuildRecentDatasetsMenu() {
    if (!m_recentDatasetsMenu) return;
    m_recentDatasetsMenu->clear();
    const QStringList files = m_settings.recentDatasets();
    for (int i = 0; i < files.size(); ++i) {
        const QString& file = files[i];
        const QString shown = QDir::toNativeSeparators(file);
        const QString text = i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(shown) : shown;
        QAction* action = m_recentDatasetsMenu->addAction(text, this, [this, file] {
            if (!QFileInfo(file).isFile()) {
                showStatus(tr("%1 no longer exists; removed from the recent list.").arg(QDir::toNativeSeparators(file)), true);
                m_settings.removeRecentDataset(file);
                rebuildRecentDatasetsMenu();
                return;
            }
            openDataset(file, true);
        });
        action->setToolTip(tr("Open %1").arg(shown));
    }
    if (!files.isEmpty()) {
        m_recentDatasetsMenu->addSeparator();
        QAction* clear = m_recentDatasetsMenu->addAction(tr("&Clear list"), this, [this] {
            m_settings.clearRecentDatasets();
            rebuildRecentDatasetsMenu();
        });
        clear->setToolTip(tr("Forget the recently opened datasets"));
    }
    m_recentDatasetsMenu->setEnabled(!files.isEmpty());
}

void MainWindow::saveCurrentDatasetAsCsv() {
    const OpenDatasetPtr dataset = m_datasetBrowser->currentDataset();
    if (!dataset || dataset->singleSentences()) return;
    QString folder = m_settings.lastDatasetFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
    QString base = QFileInfo(dataset->filePath).completeBaseName();
    if (base.isEmpty()) base = QStringLiteral("pairs");
    const QString file = QFileDialog::getSaveFileName(this, tr("Save dataset as CSV"),
                                                      QDir(folder).filePath(base + QStringLiteral(".csv")),
                                                      tr("CSV files (*.csv)"));
    if (file.isEmpty()) return;
    const Status status = writeDatasetCsv(*dataset, file);
    if (status.isOk()) {
        m_settings.setLastDatasetFolder(QFileInfo(file).absolutePath());
        showStatus(tr("Saved %n pair(s) to %1.", "", dataset->pairCount).arg(QDir::toNativeSeparators(file)));
    } else {
        showStatus(QString::fromStdString(status.message()), true);
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not save the dataset"),
                                    QString::fromStdString(status.message()), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

PolypersonalDialog* MainWindow::polypersonalDialog() const { return m_polypersonalDialog.data(); }

PolypersonalDialog* MainWindow::showPolypersonalDialog() {
    if (!m_polypersonalDialog) {
        m_polypersonalDialog = new PolypersonalDialog(m_settings, this);
        connect(m_polypersonalDialog, &PolypersonalDialog::generated, this,
                [this](const OpenDatasetPtr& dataset) { onDatasetOpened(dataset, true); });
    }
    m_polypersonalDialog->show();
    m_polypersonalDialog->raise();
    m_polypersonalDialog->activateWindow();
    return m_polypersonalDialog;
}

QStringList MainWindow::datasetFilesFromMime(const QMimeData* mime) {
    QStringList files;
    if (!mime || !mime->hasUrls()) return files;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile()) continue;
        const QFileInfo info(url.toLocalFile());
        if (!DatasetOpener::isDatasetFile(info.absoluteFilePath())) continue;
        // vocab.txt, merges.txt and the like belong to a model folder: that opens as a model.
        const bool textInModel = info.suffix().compare(QStringLiteral("txt"), Qt::CaseInsensitive) == 0 &&
                                 QFileInfo::exists(info.dir().filePath(QStringLiteral("config.json")));
        if (!textInModel) files << info.absoluteFilePath();
    }
    return files;
}

bool MainWindow::openDroppedDatasets(const QMimeData* mime) {
    const QStringList files = datasetFilesFromMime(mime);
    for (int i = 0; i < files.size(); ++i) openDataset(files[i], i == 0);
    return !files.isEmpty();
}

} // namespace gs::ui
