#pragma once
// The item models of the dataset browser.
//
// OpenDataset is a dataset read by the core (gs::Dataset) together with what
// the browser shows of every item, computed once when the file is read (on
// the loader thread, see dataset_loader.h): the display strings, the changed
// words of each pair (gs::alignWords), a case-folded search key and the
// per-phenomenon counts. It is immutable once built and shared read-only
// (OpenDatasetPtr), so that filtering and sorting 45,000 RuBLiMP rows never
// converts a std::string on the GUI thread.
//
// DatasetModel: a read-only table over one OpenDataset, one row per item in
// file order (columns: id, phenomenon, grammatical / sentence, ungrammatical,
// changed words; the id carries a "UD" badge when the item has Universal
// Dependencies annotation; the last column marks the items whose sentences
// have every analysis of a dataset run in the results cache, filled in as a
// run streams its results). DatasetFilterModel: the phenomenon filter, a
// case-insensitive text search over both sentences and the id, and sorting
// (ids in natural order: "pair-2" before "pair-10").
//
// Thread-safety: buildOpenDataset() is a free function on plain values, safe
// on any thread. The models are GUI-thread objects.

#include "grammascope/alignment.h"
#include "grammascope/dataset.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QMetaType>
#include <QSortFilterProxyModel>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace gs::ui {

// What the browser shows of one item (parallel to Dataset::items).
struct DatasetRow {
    QString id, phenomenon, good, bad;
    QString changed;       // "мыла → мыли", the changed words of a pair; empty for single sentences
    QString searchKey;     // case-folded id, good and bad, for the text search
    bool hasUd = false;
};

struct OpenDataset {
    Dataset dataset;
    std::vector<DatasetRow> rows;
    std::vector<WordAlignment> alignments;               // per item; empty alignment for single sentences
    std::vector<std::pair<QString, int>> phenomena;      // sorted by name, with item counts
    QString displayName;                                 // shown in the dataset combo
    QString filePath;                                    // absolute, native separators; empty if generated
    QStringList warnings;                                // formatted ("file:line: warning: ...")
    int pairCount = 0;                                   // items that are pairs

    bool singleSentences() const { return pairCount == 0; }
    int size() const { return static_cast<int>(rows.size()); }
};
using OpenDatasetPtr = std::shared_ptr<const OpenDataset>;

// Builds the browser's view of a dataset (aligns every pair). `filePath`
// empty for generated datasets. Thread-safe.
OpenDatasetPtr buildOpenDataset(Dataset dataset, const QString& filePath);

// Writes the pairs of a dataset as a Grammascope CSV (gs::writeMinimalPairsCsv),
// the items' metadata as extra columns after the standard seven; single
// sentences are skipped. Thread-safe.
Status writeDatasetCsv(const OpenDataset& dataset, const QString& file);

// The changed words of a pair as one string: "мыла → мыли", "— → же".
QString changedWordsText(const DatasetItem& item, const WordAlignment& alignment);

// Case folding used by the search (both for the keys and the typed text):
// lower case, and ё searched as е.
QString foldForSearch(const QString& text);

// Natural order of ids: digit runs compare by value ("p2" < "p10").
int compareNatural(const QString& a, const QString& b);

class DatasetModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, PhenomenonColumn, GoodColumn, BadColumn, ChangedColumn, CachedColumn, ColumnCount };
    enum Role {
        ItemIndexRole = Qt::UserRole + 1,  // int: index into Dataset::items
        PhenomenonRole,                    // QString
        HasUdRole,                         // bool
        CachedSidesRole,                   // int: bit 0 grammatical (or only) sentence cached, bit 1 the other
    };

    explicit DatasetModel(OpenDatasetPtr dataset, QObject* parent = nullptr);

    const OpenDatasetPtr& dataset() const { return m_dataset; }
    const DatasetRow& row(int index) const { return m_dataset->rows[static_cast<std::size_t>(index)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    // --- which sentences are in the results cache (for the analyses of a run)
    // Adds the sides given per item (bits as CachedSidesRole); with `reset`,
    // every other item is marked not cached.
    void setCachedSides(const std::vector<int>& items, const std::vector<quint8>& sides, bool reset = false);
    void clearCached();
    int cachedSides(int item) const;
    bool isFullyCached(int item) const;
    int fullyCachedCount() const { return m_fullyCached; }

signals:
    void cachedCountChanged(int fullyCached);

private:
    QString toolTip(int row) const;
    QVariant cachedData(int row, int role) const;
    quint8 fullMask(int item) const;

    OpenDatasetPtr m_dataset;
    QIcon m_udBadge;
    std::vector<quint8> m_cached;  // per item
    int m_fullyCached = 0;
};

class DatasetFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit DatasetFilterModel(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* model) override;

    // Empty: every phenomenon.
    void setPhenomenon(const QString& phenomenon);
    QString phenomenon() const { return m_phenomenon; }
    // Case-insensitive substring of the id or either sentence; empty: no search.
    void setSearchText(const QString& text);
    QString searchText() const { return m_searchText; }

    int visibleCount() const { return rowCount(); }
    int totalCount() const;
    // Source item index of a proxy row, or -1.
    int itemIndex(int proxyRow) const;
    // Proxy row of a source item, or -1 when it is filtered out.
    int proxyRow(int itemIndex) const;

signals:
    void countsChanged(int visible, int total);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();

    DatasetModel* m_model = nullptr;
    QString m_phenomenon;
    QString m_searchText;
    QString m_foldedSearch;
};

} // namespace gs::ui

Q_DECLARE_METATYPE(gs::ui::OpenDatasetPtr)
