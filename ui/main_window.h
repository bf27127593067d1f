#pragma once
// Grammascope's main window: open a checkpoint folder, type a sentence, see a
// token x layer heatmap of how the representations change. All model work
// runs on the InferenceThread; the window only issues requests, shows
// progress and draws results, so it never freezes. Results of requests that
// were superseded or cancelled are dropped by id.
//
// The last EncodeResult is cached: changing the quantity or the token / word
// grouping recomputes the heatmap from it without running the model again.
//
// Datasets (minimal pairs, sentences) open in the Datasets dock
// (DatasetBrowser), read in the background by a DatasetOpener; the
// dataset-related parts of the window live in main_window_datasets.cpp.
//
// Thread affinity: GUI thread only.

#include "dataset_model.h"
#include "inference_worker.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QMimeData;
class QProgressBar;

namespace gs::ui {

class DatasetBrowser;
class DatasetOpener;
class HeatmapWidget;
class ModelInfoPanel;
class ModelOptionsMenu;
class PolypersonalDialog;
class SentencePanel;
class Settings;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Settings& settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a checkpoint folder in the background. With runAfterLoad, the
    // sentence in the input runs as soon as the model is ready.
    void openModel(const QString& directory, bool runAfterLoad = false);
    void setSentence(const QString& text);
    // Opens a dataset file (CSV, TSV, BLiMP JSONL, text, CoNLL-U) in the
    // Datasets panel, in the background: a generic CSV / TSV asks for its
    // columns first, malformed records are listed and the user chooses
    // whether to load the rest; errors are shown in the status line (file and
    // line) and leave the open datasets in place. With selectFirst, the first
    // item is chosen once read (and runs once a model is ready). False when
    // the file cannot be read at all; a file already open is shown again.
    bool openDataset(const QString& file, bool selectFirst = false);
    // Opens the built-in demo (model + pairs, see demo_assets.h) and shows the
    // first pair once the model is ready. `pairsFile` replaces the demo pairs.
    // False (with a message naming the folders searched) when it is missing.
    bool openDemo(const QString& pairsFile = QString());
    // Tools › Generate polypersonal pairs from CoNLL-U (modeless; kept while the window lives).
    PolypersonalDialog* showPolypersonalDialog();
    // Encodes the sentence in the input (superseding a running encode).
    void run();
    // Cancels every running or queued job.
    void cancel();

    bool isBusy() const { return m_loadRequest != 0 || m_encodeRequest != 0; }
    bool hasModel() const { return m_modelReady; }
    QString modelDirectory() const { return m_modelDir; }
    EncodeResultPtr currentResult() const { return m_result; }
    QString statusMessage() const;

    HeatmapWidget* heatmapWidget() const { return m_heatmap; }
    SentencePanel* sentencePanel() const { return m_sentencePanel; }
    ModelInfoPanel* modelInfoPanel() const { return m_modelInfo; }
    DatasetBrowser* datasetBrowser() const { return m_datasetBrowser; }
    DatasetOpener* datasetOpener() const { return m_datasetOpener; }
    PolypersonalDialog* polypersonalDialog() const;
    InferenceWorker* worker() const { return m_inference->worker(); }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void connectWorker();
    void chooseModelFolder();
    // main_window_datasets.cpp
    void setUpDatasets();
    void addDatasetActions(QMenu* file);
    void addToolsMenu();
    void chooseDatasetFile();
    void rebuildRecentDatasetsMenu();
    void saveCurrentDatasetAsCsv();
    void onDatasetOpened(const OpenDatasetPtr& dataset, bool selectFirst);
    bool openDroppedDatasets(const QMimeData* mime);
    // Dataset files a drag carries (not files of a model folder such as vocab.txt).
    static QStringList datasetFilesFromMime(const QMimeData* mime);

    void openRecent(const QString& directory);
    void rebuildRecentMenu();
    void exportHeatmap();
    void updateHeatmap();
    void updateBusyState();
    void updateWindowTitle();
    void showStatus(const QString& text, bool error = false);

    void onModelLoaded(quint64 requestId, const ModelInfo& info);
    void onEncoded(quint64 requestId, EncodeResultPtr result);
    void onProgress(quint64 requestId, qint64 done, qint64 total);
    void onFailed(quint64 requestId, const QString& message);
    void onCancelled(quint64 requestId);

    // The model folder a drag carries (a folder, or a file inside one), or empty.
    static QString modelFolderFromMime(const QMimeData* mime);

    Settings& m_settings;
    InferenceThread* m_inference = nullptr;

    SentencePanel* m_sentencePanel = nullptr;
    HeatmapWidget* m_heatmap = nullptr;
    ModelInfoPanel* m_modelInfo = nullptr;
    QDockWidget* m_modelDock = nullptr;
    DatasetBrowser* m_datasetBrowser = nullptr;
    QDockWidget* m_datasetsDock = nullptr;
    DatasetOpener* m_datasetOpener = nullptr;
    QPointer<PolypersonalDialog> m_polypersonalDialog;
    QMenu* m_recentDatasetsMenu = nullptr;
    QAction* m_saveDatasetAction = nullptr;
    QLabel* m_statusLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_exportAction = nullptr;
    ModelOptionsMenu* m_modelMenu = nullptr;

    quint64 m_loadRequest = 0;    // pending load, 0 if none
    quint64 m_encodeRequest = 0;  // pending encode, 0 if none
    QString m_loadingDir;
    QString m_modelDir;
    ModelInfo m_loadedInfo;
    bool m_modelReady = false;
    bool m_runAfterLoad = false;
    EncodeResultPtr m_result;
    QString m_resultText;
};

} // namespace gs::ui
