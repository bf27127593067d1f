#pragma once
// The dataset browser (the Datasets dock): every open dataset in a tab
// (several at once, each with a close button), a phenomenon filter with
// counts, a text search over the id and both sentences (Ctrl+F), a sortable
// table, "N of M pairs" with the file's warnings, and the chosen pair in full
// below (PairView: the differing words highlighted).
//
// Choosing a row emits sentenceChosen() with the chosen side of the pair,
// which the main window shows as a heatmap. Grammatical / Ungrammatical
// switch sides (Alt+G / Alt+U); Alt+Up / Alt+Down step through the visible
// rows; Ctrl+PgUp / Ctrl+PgDown switch datasets; Ctrl+W closes one.
//
// The Cached column marks the items whose sentences are in the results
// cache (applyCacheUpdate(), streamed by a dataset run); the run button asks
// for a dataset run over the current dataset (Ctrl+R in the main window).
//
// Each dataset keeps its own filter, search, sort order and chosen item when
// another is shown. Datasets are read elsewhere (DatasetOpener) and handed
// over complete, so nothing here blocks on a file.
//
// Thread affinity: GUI thread only.

#include "dataset_model.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QTabBar;
class QTableView;
class QTimer;
class QToolButton;

namespace gs::ui {

class PairView;

class DatasetBrowser : public QWidget {
    Q_OBJECT
public:
    explicit DatasetBrowser(QWidget* parent = nullptr);
    ~DatasetBrowser() override;

    // --- open datasets
    // Adds a dataset as a new tab and shows it; returns its index. With
    // selectFirst the first item is chosen (and emitted).
    int addDataset(const OpenDatasetPtr& dataset, bool selectFirst = false);
    void closeDataset(int index);
    int datasetCount() const { return static_cast<int>(m_entries.size()); }
    int currentDatasetIndex() const;
    void setCurrentDataset(int index);
    OpenDatasetPtr dataset(int index) const;
    OpenDatasetPtr currentDataset() const { return dataset(currentDatasetIndex()); }
    // Index of the open dataset read from `filePath` (native or not), or -1.
    int indexOfFile(const QString& filePath) const;

    // --- items of the current dataset (indices into Dataset::items)
    int pairCount() const;     // all items of the current dataset
    int visibleCount() const;  // after the phenomenon filter and the search
    int currentPair() const;   // -1 if none
    void selectPair(int index);
    void selectNext(int step);
    const DatasetItem* item(int index) const;

    bool showsBadSentence() const;
    void setShowsBadSentence(bool bad);

    // --- filters of the current dataset
    void setPhenomenonFilter(const QString& phenomenon);  // empty: all
    QString phenomenonFilter() const;
    QStringList phenomenonChoices() const;                // combo texts, with counts
    void setSearchText(const QString& text);              // applied at once
    QString searchText() const;
    void focusSearch();

    // --- reading state (the opener's busy indicator)
    void setReading(bool reading, const QString& what = QString());

    // --- the results cache
    // Marks cached sides of items of `dataset` (any open tab; ignored when it is not open).
    void applyCacheUpdate(const OpenDatasetPtr& dataset, const std::vector<int>& items,
                          const std::vector<quint8>& sides, bool reset);
    void clearCacheMarks();
    // Items of the current dataset with every sentence cached, or of `dataset`.
    int cachedCount() const;
    int cachedCount(const OpenDatasetPtr& dataset) const;
    DatasetModel* datasetModel(int index) const;
    // While a run is in progress over `dataset` (null: none) its run button is disabled.
    void setRunningDataset(const OpenDatasetPtr& dataset);
    void setRunEnabled(bool enabled);

    QString statusText() const;
    QString warningsToolTip() const;
    PairView* pairView() const { return m_pairView; }
    QTableView* tableView() const { return m_table; }

signals:
    // The sentence of the chosen side of the current item.
    void sentenceChosen(const QString& sentence);
    void currentItemChanged(int index);
    void datasetsChanged();
    void currentDatasetChanged(int index);
    void openRequested();
    void saveAsCsvRequested();
    void runDatasetRequested();

private:
    struct Entry;
    Entry* current() const;
    void showEntry(int index);
    void fillPhenomena();
    void updateStatus();
    void updateColumns();
    void updateTabTitles();
    void updateRunButton();
    void emitCurrent();
    void applySearch();
    // Runs a filter change keeping the chosen item when it stays visible.
    template <typename F>
    void refilter(F&& change);

    std::vector<std::unique_ptr<Entry>> m_entries;
    Entry* m_shown = nullptr;  // the entry whose models the table shows
    QTabBar* m_tabs = nullptr;
    QComboBox* m_phenomenon = nullptr;
    QLineEdit* m_search = nullptr;
    QTimer* m_searchTimer = nullptr;
    QToolButton* m_open = nullptr;
    QToolButton* m_save = nullptr;
    QToolButton* m_run = nullptr;
    OpenDatasetPtr m_runningDataset;
    bool m_runEnabled = false;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QSplitter* m_splitter = nullptr;
    QTableView* m_table = nullptr;
    PairView* m_pairView = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_warnings = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_busyLabel = nullptr;
    bool m_switching = false;
};

} // namespace gs::ui
