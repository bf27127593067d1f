#include "dataset_model.h"

#include "grammascope/conllu.h"
#include "grammascope/pair_generator.h"

#include <QApplication>
#include <QFileInfo>
#include <QFont>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

#include <algorithm>
#include <map>

namespace gs::ui {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString joinWords(const std::vector<SentenceWord>& words, const std::vector<std::int32_t>& indices) {
    QStringList out;
    for (const std::int32_t i : indices)
        if (i >= 0 && static_cast<std::size_t>(i) < words.size()) out << q(words[static_cast<std::size_t>(i)].text);
    return out.join(QLatin1Char(' '));
}

// A small rounded "UD" label for items with Universal Dependencies annotation.
// Drawn in the palette's link colour so that it reads on light and dark bases.
QIcon makeUdBadge() {
    const qreal dpr = qApp ? qApp->devicePixelRatio() : 1.0;
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * 0.72);
    font.setBold(true);
    const QFontMetrics metrics(font);
    const QString text = QStringLiteral("UD");
    const QSize size(metrics.horizontalAdvance(text) + 6, metrics.height() + 1);
    QPixmap pixmap(size * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette palette = QApplication::palette();
    const QColor accent = palette.color(QPalette::Link);
    painter.setPen(QPen(accent, 1.0));
    QColor fill = accent;
    fill.setAlphaF(0.15);
    painter.setBrush(fill);
    painter.drawRoundedRect(QRectF(0.5, 0.5, size.width() - 1.0, size.height() - 1.0), 3, 3);
    painter.setFont(font);
    painter.setPen(accent);
    painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, text);
    painter.end();
    return QIcon(pixmap);
}

} // namespace

QString foldForSearch(const QString& text) {
    QString folded = text.toCaseFolded();
    folded.replace(QChar(0x0451), QChar(0x0435));  // ё → е: people type either
    return folded;
}

int compareNatural(const QString& a, const QString& b) {
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            // Compare the digit runs by value: skip leading zeros, then length, then digits.
            qsizetype si = i, sj = j;
            while (si < a.size() && a[si] == QLatin1Char('0')) ++si;
            while (sj < b.size() && b[sj] == QLatin1Char('0')) ++sj;
            qsizetype ei = si, ej = sj;
            while (ei < a.size() && a[ei].isDigit()) ++ei;
            while (ej < b.size() && b[ej].isDigit()) ++ej;
            if (ei - si != ej - sj) return ei - si < ej - sj ? -1 : 1;
            for (qsizetype k = 0; k < ei - si; ++k)
                if (a[si + k] != b[sj + k]) return a[si + k] < b[sj + k] ? -1 : 1;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a[i].toCaseFolded(), cb = b[j].toCaseFolded();
        if (ca != cb) return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size()) return 1;
    if (j < b.size()) return -1;
    return 0;
}

QString changedWordsText(const DatasetItem& item, const WordAlignment& alignment) {
    if (!item.isPair()) return {};
    const QString good = joinWords(item.good.words, alignment.changedGood);
    const QString bad = joinWords(item.bad.words, alignment.changedBad);
    if (good.isEmpty() && bad.isEmpty()) return QStringLiteral("=");
    const QString none = QStringLiteral("—");
    return (good.isEmpty() ? none : good) + QStringLiteral(" → ") + (bad.isEmpty() ? none : bad);
}

OpenDatasetPtr buildOpenDataset(Dataset dataset, const QString& filePath) {
    auto open = std::make_shared<OpenDataset>();
    open->filePath = filePath;
    open->displayName = !dataset.name.empty() ? q(dataset.name)
                        : !filePath.isEmpty() ? QFileInfo(filePath).fileName()
                                              : QStringLiteral("dataset");
    const std::string sourceName = dataset.source.empty() ? dataset.name : dataset.source.filename().string();
    for (const DatasetIssue& issue : dataset.issues)
        if (issue.severity == IssueSeverity::Warning) open->warnings << q(formatIssue(sourceName, issue));

    std::map<QString, int> counts;
    open->rows.reserve(dataset.items.size());
    open->alignments.reserve(dataset.items.size());
    for (DatasetItem& item : dataset.items) {
        ensureWords(item.good);
        if (item.isPair()) ensureWords(item.bad);
        DatasetRow row;
        row.id = q(item.id);
        row.phenomenon = q(item.phenomenon);
        row.good = q(item.good.text);
        row.bad = q(item.bad.text);
        row.hasUd = item.good.hasUd() || item.bad.hasUd();
        WordAlignment alignment;
        if (item.isPair()) {
            alignment = alignWords(item.good, item.bad);
            row.changed = changedWordsText(item, alignment);
            ++open->pairCount;
        }
        row.searchKey = foldForSearch(row.id + QLatin1Char('\n') + row.good + QLatin1Char('\n') + row.bad);
        ++counts[row.phenomenon];
        open->rows.push_back(std::move(row));
        open->alignments.push_back(std::move(alignment));
    }
    open->phenomena.assign(counts.begin(), counts.end());
    open->dataset = std::move(dataset);
    return open;
}

Status writeDatasetCsv(const OpenDataset& dataset, const QString& file) {
    std::vector<MinimalPair> pairs;
    std::vector<std::string> extraColumns;  // metadata keys, in order of first appearance
    std::vector<std::vector<std::string>> extraValues;
    pairs.reserve(dataset.dataset.items.size());
    for (const DatasetItem& item : dataset.dataset.items) {
        if (!item.isPair()) continue;
        pairs.push_back(toMinimalPair(item));
        std::vector<std::string> values(extraColumns.size());
        for (const auto& [key, value] : item.metadata) {
            auto it = std::find(extraColumns.begin(), extraColumns.end(), key);
            if (it == extraColumns.end()) {
                extraColumns.push_back(key);
                values.emplace_back();
                it = extraColumns.end() - 1;
            }
            values[std::size_t(it - extraColumns.begin())] = value;
        }
        extraValues.push_back(std::move(values));
    }
    if (extraColumns.empty()) return writeMinimalPairsCsv(file.toStdString(), pairs);
    return writeMinimalPairsCsv(file.toStdString(), pairs, extraColumns, extraValues);
}

// ---------------------------------------------------------------------------

DatasetModel::DatasetModel(OpenDatasetPtr dataset, QObject* parent)
    : QAbstractTableModel(parent), m_dataset(std::move(dataset)) {
    Q_ASSERT(m_dataset);
    m_cached.assign(static_cast<std::size_t>(m_dataset->size()), 0);
    for (const DatasetRow& row : m_dataset->rows)
        if (row.hasUd) {
            m_udBadge = makeUdBadge();
            break;
        }
}

int DatasetModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_dataset->size();
}

int DatasetModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags DatasetModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant DatasetModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this) return {};
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid));
    if (index.column() == CachedColumn) return cachedData(index.row(), role);
    const DatasetRow& r = row(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn: return r.id;
        case PhenomenonColumn: return r.phenomenon;
        case GoodColumn: return r.good;
        case BadColumn: return r.bad;
        case ChangedColumn: return r.changed;
        default: return {};
        }
    case Qt::DecorationRole:
        if (index.column() == IdColumn && r.hasUd) return m_udBadge;
        return {};
    case Qt::ToolTipRole: return toolTip(index.row());
    case Qt::TextAlignmentRole:
        return index.column() == ChangedColumn ? QVariant(Qt::AlignCenter) : QVariant(Qt::AlignVCenter | Qt::AlignLeft);
    case ItemIndexRole: return index.row();
    case PhenomenonRole: return r.phenomenon;
    case HasUdRole: return r.hasUd;
    case CachedSidesRole: return cachedSides(index.row());
    default: return {};
    }
}

QVariant DatasetModel::cachedData(int row, int role) const {
    const int sides = cachedSides(row);
    const bool full = isFullyCached(row);
    switch (role) {
    // A glyph rather than an icon: centred, and drawn in the highlighted-text
    // colour on a selected row. ● both sentences, ◐ one of the two.
    case Qt::DisplayRole:
        if (full) return QStringLiteral("●");
        return sides != 0 ? QStringLiteral("◐") : QString();
    case Qt::ForegroundRole: {
        const QColor base = QApplication::palette().color(QPalette::Base);
        return QColor(base.lightness() < 128 ? QStringLiteral("#7bc88f") : QStringLiteral("#2e7d32"));
    }
    case Qt::ToolTipRole:
        if (full) return fullMask(row) == 1 ? tr("In the cache: its heatmaps show at once")
                                            : tr("Both sentences are in the cache: their heatmaps show at once");
        if (sides == 1) return tr("The grammatical sentence is in the cache; the other is not yet");
        if (sides == 2) return tr("The ungrammatical sentence is in the cache; the other is not yet");
        return tr("Not in the cache yet: Analysis › Run dataset (Ctrl+R) computes it");
    case Qt::TextAlignmentRole: return QVariant(Qt::AlignCenter);
    case ItemIndexRole: return row;
    case CachedSidesRole: return sides;
    case PhenomenonRole: return m_dataset->rows[std::size_t(row)].phenomenon;
    case HasUdRole: return m_dataset->rows[std::size_t(row)].hasUd;
    default: return {};
    }
}

quint8 DatasetModel::fullMask(int item) const {
    return m_dataset->dataset.items[static_cast<std::size_t>(item)].isPair() ? 3 : 1;
}

int DatasetModel::cachedSides(int item) const {
    return item >= 0 && item < int(m_cached.size()) ? m_cached[static_cast<std::size_t>(item)] : 0;
}

bool DatasetModel::isFullyCached(int item) const {
    return item >= 0 && item < int(m_cached.size()) && m_cached[std::size_t(item)] == fullMask(item);
}

void DatasetModel::setCachedSides(const std::vector<int>& items, const std::vector<quint8>& sides, bool reset) {
    const int before = m_fullyCached;
    int first = rowCount(), last = -1;
    if (reset) {
        std::fill(m_cached.begin(), m_cached.end(), quint8(0));
        m_fullyCached = 0;
        first = 0;
        last = rowCount() - 1;
    }
    for (std::size_t k = 0; k < items.size() && k < sides.size(); ++k) {
        const int item = items[k];
        if (item < 0 || item >= int(m_cached.size())) continue;
        const bool wasFull = isFullyCached(item);
        m_cached[std::size_t(item)] |= sides[k] & fullMask(item);
        m_fullyCached += isFullyCached(item) && !wasFull ? 1 : 0;
        first = std::min(first, item);
        last = std::max(last, item);
    }
    if (first <= last) emit dataChanged(index(first, CachedColumn), index(last, CachedColumn));
    if (m_fullyCached != before) emit cachedCountChanged(m_fullyCached);
}

void DatasetModel::clearCached() { setCachedSides({}, {}, true); }

QString DatasetModel::toolTip(int index) const {
    const DatasetRow& r = row(index);
    const DatasetItem& item = m_dataset->dataset.items[static_cast<std::size_t>(index)];
    QString tip = QStringLiteral("<p><b>%1</b> · %2</p>").arg(r.id.toHtmlEscaped(), r.phenomenon.toHtmlEscaped());
    if (item.isPair()) {
        tip += tr("<p>✓ %1<br>✗ %2</p>").arg(r.good.toHtmlEscaped(), r.bad.toHtmlEscaped());
        if (!r.changed.isEmpty()) tip += tr("<p>Changed: %1</p>").arg(r.changed.toHtmlEscaped());
    } else {
        tip += QStringLiteral("<p>%1</p>").arg(r.good.toHtmlEscaped());
    }
    if (item.line > 0) tip += tr("<p>Line %1 of the file.</p>").arg(item.line);
    if (r.hasUd) tip += tr("<p>UD: the words carry Universal Dependencies annotation.</p>");
    return tip;
}

QVariant DatasetModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    const bool single = m_dataset->singleSentences();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn: return tr("Id");
        case PhenomenonColumn: return tr("Phenomenon");
        case GoodColumn: return single ? tr("Sentence") : tr("Grammatical");
        case BadColumn: return tr("Ungrammatical");
        case ChangedColumn: return tr("Changed");
        case CachedColumn: return tr("Cached");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case IdColumn: return tr("The item's id in the file (sorted in natural order; UD marks annotated items)");
        case PhenomenonColumn: return tr("The grammatical phenomenon the pair tests");
        case GoodColumn: return single ? tr("The sentence") : tr("The acceptable sentence of the pair");
        case BadColumn: return tr("The minimally different unacceptable sentence");
        case ChangedColumn: return tr("The words that differ between the two sentences (grammatical → ungrammatical)");
        case CachedColumn:
            return tr("Whether the results of a dataset run are in the cache: ● both sentences, ◐ one of them");
        default: return {};
        }
    }
    return {};
}

// ---------------------------------------------------------------------------

DatasetFilterModel::DatasetFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setDynamicSortFilter(false);  // the source never changes; filters re-run explicitly
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void DatasetFilterModel::setSourceModel(QAbstractItemModel* model) {
    m_model = qobject_cast<DatasetModel*>(model);
    Q_ASSERT(!model || m_model);
    QSortFilterProxyModel::setSourceModel(model);
    emit countsChanged(visibleCount(), totalCount());
}

void DatasetFilterModel::setPhenomenon(const QString& phenomenon) {
    if (phenomenon == m_phenomenon) return;
    m_phenomenon = phenomenon;
    refilter();
}

void DatasetFilterModel::setSearchText(const QString& text) {
    if (text == m_searchText) return;
    m_searchText = text;
    m_foldedSearch = foldForSearch(text.trimmed());
    refilter();
}

void DatasetFilterModel::refilter() {
    invalidateFilter();
    emit countsChanged(visibleCount(), totalCount());
}

int DatasetFilterModel::totalCount() const {
    return m_model ? m_model->rowCount() : 0;
}

int DatasetFilterModel::itemIndex(int row) const {
    if (row < 0 || row >= rowCount()) return -1;
    return mapToSource(index(row, 0)).row();
}

int DatasetFilterModel::proxyRow(int item) const {
    if (!m_model || item < 0 || item >= m_model->rowCount()) return -1;
    const QModelIndex mapped = mapFromSource(m_model->index(item, 0));
    return mapped.isValid() ? mapped.row() : -1;
}

bool DatasetFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (!m_model || sourceParent.isValid()) return false;
    const DatasetRow& r = m_model->row(sourceRow);
    if (!m_phenomenon.isEmpty() && r.phenomenon != m_phenomenon) return false;
    return m_foldedSearch.isEmpty() || r.searchKey.contains(m_foldedSearch);
}

bool DatasetFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (!m_model) return false;
    const DatasetRow& a = m_model->row(left.row());
    const DatasetRow& b = m_model->row(right.row());
    int c = 0;
    switch (left.column()) {
    case DatasetModel::IdColumn: c = compareNatural(a.id, b.id); break;
    case DatasetModel::PhenomenonColumn: c = a.phenomenon.compare(b.phenomenon, Qt::CaseInsensitive); break;
    case DatasetModel::GoodColumn: c = a.good.compare(b.good, Qt::CaseInsensitive); break;
    case DatasetModel::BadColumn: c = a.bad.compare(b.bad, Qt::CaseInsensitive); break;
    case DatasetModel::ChangedColumn: c = a.changed.compare(b.changed, Qt::CaseInsensitive); break;
    case DatasetModel::CachedColumn: c = m_model->cachedSides(left.row()) - m_model->cachedSides(right.row()); break;
    default: break;
    }
    // Ties keep the file order, so that a sort is stable and predictable.
    return c != 0 ? c < 0 : left.row() < right.row();
}

} // namespace gs::ui
