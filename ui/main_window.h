#pragma once
// Grammascope's main window: open a checkpoint folder, type a sentence, see a
// token x layer heatmap of how the representations change. All model work
// runs on the AnalysisThread; the window only issues requests, shows
// progress and draws results, so it never freezes. Results of requests that
// were superseded or cancelled are dropped by id.
//
// Sentences go through the results cache (AnalysisWorker): a sentence shown
// before, here or in an earlier session, is drawn from the cache without a
// forward pass ("from cache" in the status line). The last SentenceResult
// holds every layer quantity: changing the quantity or the token / word
// grouping redraws from it without asking the worker again.
//
// Analysis › Run dataset (Ctrl+R) runs the chosen analyses over the current
// dataset in the background, with progress, tokens/s and ETA in the status
// bar and the browser's Cached column filling in as results arrive
// (main_window_analysis.cpp). Analysis › Cache: location, size limit, clear,
// statistics, and the dialog for a cache that cannot be opened
// (main_window_cache.cpp).
//
// Probes (main_window_probes.cpp): Analysis › Train probes… (Ctrl+Shift+P)
// trains a probe set on the current dataset in the background (progress and
// Cancel in the Probes dock, Esc cancels); the Probes dock lists the stored
// sets of the model with their per-layer report, and the "Probe confidence"
// tab next to the layer heatmap draws P(class | h_l,t) for the sentence or
// for both sentences of the current pair.
//
// Sparse autoencoders (main_window_sae.cpp): Analysis › Train sparse
// autoencoders… (Ctrl+Shift+A) trains an SAE set on the current dataset in
// the background (live loss plot, progress and Cancel in the Sparse
// autoencoders dock, Esc cancels, training again resumes); the dock lists,
// exports, imports and deletes the stored sets; the "SAE features" tab draws
// the features of the sentence or of the current pair and, for a chosen
// feature, its trace across layers and its profile over the dataset.
//
// Datasets (minimal pairs, sentences) open in the Datasets dock
// (DatasetBrowser), read in the background by a DatasetOpener; the
// dataset-related parts of the window live in main_window_datasets.cpp.
//
// Thread affinity: GUI thread only.

#include "dataset_model.h"
#include "analysis_worker.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;
class QMimeData;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace gs::ui {

class DatasetBrowser;
class DatasetOpener;
class HeatmapWidget;
class ModelInfoPanel;
class ModelOptionsMenu;
class PolypersonalDialog;
class ProbeDialog;
class ProbePanel;
class ProbeView;
class LocalizePanel;
class LocalizeService;
class LocalizeView;
class SaeDialog;
class SaePanel;
class SaeView;
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
    // Shows the sentence in the input (superseding a running one): from the
    // cache when it is there, else computed.
    void run();
    // Cancels the model load or sentence in progress (not a dataset run).
    void cancel();

    // --- dataset runs (main_window_analysis.cpp)
    // Runs the chosen analyses (Analysis › Analyses to run) over the current
    // dataset in the background; a rerun continues where a cancelled one stopped.
    void runDataset();
    void cancelDatasetRun();
    bool isRunningDataset() const { return m_datasetRun != 0; }
    QString datasetRunText() const;  // items, tokens/s, ETA as in the status bar
    QProgressBar* datasetRunProgressBar() const { return m_runProgress; }

    // --- the results cache (main_window_cache.cpp)
    // Opens the cache at the location in Settings (done on start).
    void openCache();
    void setCacheLocation(const QString& file);  // empty: the default
    // Asks (with what will be deleted and its size), then clears.
    void clearCache();
    void showCacheStatistics();
    const StoreState& cacheState() const { return m_storeState; }

    // --- probes (main_window_probes.cpp)
    // Analysis › Train probes…: the dialog for the current dataset
    // (window-modal, not blocking); null, with the reason in the status
    // line, when there is no model or dataset or a training runs.
    ProbeDialog* showProbeDialog();
    // Trains probes on the current dataset in the background; the job id, or 0 when it cannot start.
    quint64 trainProbes(const ProbeTrainRequest& request);
    void cancelProbeTraining();
    bool isTrainingProbes() const { return m_probeTrain != 0; }
    // Shows the probe-confidence tab (computing what it needs).
    void showProbeConfidence();
    bool isComputingProbeConfidence() const { return m_probeConfidenceRequest != 0; }
    ProbePanel* probePanel() const { return m_probePanel; }
    ProbeView* probeView() const { return m_probeView; }
    QTabWidget* viewTabs() const { return m_views; }

    // --- sparse autoencoders (main_window_sae.cpp)
    // Analysis › Train sparse autoencoders…: the dialog for the current
    // dataset (window-modal, not blocking); null, with the reason in the
    // status line, when there is no model or dataset or a training runs.
    SaeDialog* showSaeDialog();
    // Trains SAEs on the current dataset in the background; the job id, or 0 when it cannot start.
    quint64 trainSaes(const SaeTrainRequest& request);
    void cancelSaeTraining();
    bool isTrainingSaes() const { return m_saeTrain != 0; }
    // Stores SAELens folders as a set of the loaded model; the job id, or 0.
    quint64 importSaeLens(const QStringList& directories);
    // Shows the SAE features tab (computing what it needs).
    void showSaeFeatures();
    bool isComputingSaeFeatures() const { return m_saeViewRequest != 0 || m_saeTraceRequest != 0; }
    bool isIndexingSaeFeatures() const { return m_saeIndexRequest != 0; }
    SaePanel* saePanel() const { return m_saePanel; }
    SaeView* saeView() const { return m_saeView; }

    // --- localized layers (main_window_localize.cpp)
    // Shows the Localized layer dock on a tab: 0 Train, 1 Compare, 2 Report.
    void showLocalizePanel(int tab);
    LocalizePanel* localizePanel() const { return m_localizePanel; }
    LocalizeView* localizeView() const { return m_localizeView; }
    LocalizeService* localizeService() const { return m_localizeService; }

    bool isBusy() const { return m_loadRequest != 0 || m_sentenceRequest != 0; }
    bool hasModel() const { return m_modelReady; }
    QString modelDirectory() const { return m_modelDir; }
    SentenceResultPtr currentResult() const { return m_result; }
    QString statusMessage() const;

    HeatmapWidget* heatmapWidget() const { return m_heatmap; }
    SentencePanel* sentencePanel() const { return m_sentencePanel; }
    ModelInfoPanel* modelInfoPanel() const { return m_modelInfo; }
    DatasetBrowser* datasetBrowser() const { return m_datasetBrowser; }
    DatasetOpener* datasetOpener() const { return m_datasetOpener; }
    PolypersonalDialog* polypersonalDialog() const;
    AnalysisWorker* worker() const { return m_analysis->worker(); }

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
    // main_window_analysis.cpp
    void addAnalysisMenu();
    void buildRunStatus();
    void connectAnalysis();
    QStringList datasetRunAnalyses() const;
    // Asks the worker which items of the open datasets are cached (after a
    // model load, a dataset opened, a cache change).
    void scanCachedItems(const OpenDatasetPtr& only = nullptr);
    void resetCacheMarks();
    void updateRunActions();
    void onDatasetProgress(quint64 requestId, const DatasetRunProgress& progress);
    void onItemsCached(quint64 requestId, const DatasetCacheUpdate& update);
    void onDatasetFinished(quint64 requestId, const DatasetRunReport& report);
    void endDatasetRun();
    // main_window_cache.cpp
    void addCacheMenu(QMenu* parent);
    void connectCache();
    void chooseCacheLocation();
    void chooseCacheSizeLimit();
    void updateCacheLabel();
    void onStoreOpened(quint64 requestId, const StoreState& state);
    void onStoreProblem(quint64 requestId, const StoreProblemInfo& problem);
    void onCacheStats(quint64 requestId, const StoreStats& stats);
    // main_window_probes.cpp
    void setUpProbes();
    void addProbeActions(QMenu* analysis);
    void connectProbes();
    void refreshProbeSets();
    void setCurrentProbeSet(const QString& name);
    void updateProbeConfidence();
    void updateProbeActions();
    void endProbeTraining();
    void exportProbeSetTo(const QString& name);
    void confirmDeleteProbeSet(const QString& name);
    // main_window_localize.cpp
    void setUpLocalize();
    void addLocalizeActions(QMenu* analysis);
    void connectLocalize();
    void updateLocalizeView();
    // main_window_sae.cpp
    void setUpSae();
    void addSaeActions(QMenu* analysis);
    void connectSae();
    void refreshSaeSets();
    void setCurrentSaeSet(const QString& name);
    void updateSaeView();
    void updateSaeActions();
    void endSaeTraining();
    void chooseSaeLensFolders();
    void exportSaeSetTo(const QString& name);
    void confirmDeleteSaeSet(const QString& name);
    void requestSaeFeature(int feature);
    void onSaeSetsListed(quint64 requestId, const SaeSetListPtr& sets);
    void onSaeSetTrained(quint64 requestId, const SaeTrainReport& report);
    void onSaeSentenceView(quint64 requestId, const SaeSentenceViewPtr& view);
    // The heatmap File › Export heatmap writes: the one of the tab on screen.
    HeatmapWidget* exportTarget() const;
    void onProbeSetsListed(quint64 requestId, const ProbeSetListPtr& sets);
    void onProbeSetTrained(quint64 requestId, const ProbeTrainReport& report);
    void onProbeConfidence(quint64 requestId, const ProbeConfidencePtr& result);

    void openRecent(const QString& directory);
    void rebuildRecentMenu();
    void exportHeatmap();
    void updateHeatmap();
    void updateBusyState();
    void updateWindowTitle();
    void showStatus(const QString& text, bool error = false);

    void onModelLoaded(quint64 requestId, const ModelInfo& info);
    void onSentenceReady(quint64 requestId, const SentenceResultPtr& result);
    void onProgress(quint64 requestId, qint64 done, qint64 total);
    void onFailed(quint64 requestId, const QString& message);
    void onCancelled(quint64 requestId);

    // The model folder a drag carries (a folder, or a file inside one), or empty.
    static QString modelFolderFromMime(const QMimeData* mime);

    Settings& m_settings;
    AnalysisThread* m_analysis = nullptr;

    SentencePanel* m_sentencePanel = nullptr;
    QTabWidget* m_views = nullptr;  // the layer heatmap and the probe-confidence view
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

    quint64 m_loadRequest = 0;      // pending load, 0 if none
    quint64 m_sentenceRequest = 0;  // pending sentence, 0 if none
    QString m_loadingDir;
    QString m_modelDir;
    ModelInfo m_loadedInfo;
    bool m_modelReady = false;
    bool m_runAfterLoad = false;
    SentenceResultPtr m_result;
    QString m_resultText;

    // Dataset run
    quint64 m_datasetRun = 0;  // running dataset job, 0 if none
    OpenDatasetPtr m_runDataset;
    QAction* m_runDatasetAction = nullptr;
    QAction* m_cancelRunAction = nullptr;
    QMenu* m_analysesMenu = nullptr;
    QProgressBar* m_runProgress = nullptr;
    QLabel* m_runRate = nullptr;
    QToolButton* m_runCancel = nullptr;
    // Cache marks from requests older than this are stale (cache cleared, model changed).
    quint64 m_cacheEpoch = 0;

    // Cache
    StoreState m_storeState;
    QLabel* m_cacheLabel = nullptr;
    QPointer<QMessageBox> m_storeProblemBox;
    quint64 m_clearStatsRequest = 0;  // statistics asked for by Clear cache…
    quint64 m_statsRequest = 0;       // statistics asked for by Cache statistics…
    quint64 m_clearRequest = 0;

    // Probes
    ProbeView* m_probeView = nullptr;
    ProbePanel* m_probePanel = nullptr;
    QDockWidget* m_probesDock = nullptr;
    QAction* m_trainProbesAction = nullptr;
    QAction* m_cancelProbesAction = nullptr;
    QPointer<ProbeDialog> m_probeDialog;
    quint64 m_probeTrain = 0;              // running training, 0 if none
    quint64 m_probeList = 0;               // latest listing of the stored sets
    quint64 m_probeConfidenceRequest = 0;  // pending confidence, 0 if none
    quint64 m_probeStoreJob = 0;           // latest export or delete
    QString m_probeSetName;                // the chosen set
    QString m_probeSelectAfterList;        // a set just trained: chosen (and shown) once listed
    QString m_probeKey;                    // set and sentences shown or being computed
    QStringList m_probeTitles;             // the sides of the pending confidence

    // Sparse autoencoders
    LocalizeService* m_localizeService = nullptr;
    LocalizeView* m_localizeView = nullptr;
    LocalizePanel* m_localizePanel = nullptr;
    QDockWidget* m_localizeDock = nullptr;
    SaeView* m_saeView = nullptr;
    SaePanel* m_saePanel = nullptr;
    QDockWidget* m_saeDock = nullptr;
    QAction* m_trainSaesAction = nullptr;
    QAction* m_cancelSaesAction = nullptr;
    QAction* m_importSaesAction = nullptr;
    QPointer<SaeDialog> m_saeDialog;
    quint64 m_saeTrain = 0;         // running training, 0 if none
    quint64 m_saeList = 0;          // latest listing of the stored sets
    quint64 m_saeStoreJob = 0;      // latest export, import or delete
    quint64 m_saeViewRequest = 0;   // pending sentence view, 0 if none
    quint64 m_saeTraceRequest = 0;  // pending feature trace, 0 if none
    quint64 m_saeIndexRequest = 0;  // pending feature index, 0 if none
    QString m_saeSetName;           // the chosen set
    QString m_saeSelectAfterList;   // a set just trained or imported: chosen (and shown) once listed
    QString m_saeKey;               // set, layer and sentences shown or being computed
    QString m_saeIndexKey;          // set, layer and dataset of the index shown or being built
    QStringList m_saeTitles;        // the sides of the pending sentence view
};

} // namespace gs::ui
