#include "dataset_browser.h"

#include "pair_view.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTabBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace gs::ui {
namespace {

// Search as you type on small datasets; wait for a pause on large ones.
constexpr int kInstantSearchLimit = 5000;
constexpr int kSearchDelayMs = 200;
constexpr int kMaxWarningsInToolTip = 40;

QString number(qint64 n) { return QLocale().toString(n); }

} // namespace

struct DatasetBrowser::Entry {
    OpenDatasetPtr data;
    std::unique_ptr<DatasetModel> model;
    std::unique_ptr<DatasetFilterModel> proxy;  // declared after the model: destroyed first
    int currentItem = -1;
    bool showsBad = false;
};

DatasetBrowser::DatasetBrowser(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("datasetBrowser"));

    m_tabs = new QTabBar(this);
    m_tabs->setObjectName(QStringLiteral("datasetTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->setExpanding(false);
    m_tabs->setElideMode(Qt::ElideMiddle);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->setToolTip(tr("Open datasets: Ctrl+PgUp / Ctrl+PgDown switch, Ctrl+W closes the current one"));

    auto* phenomenonLabel = new QLabel(tr("Phe&nomenon:"), this);
    m_phenomenon = new QComboBox(this);
    m_phenomenon->setObjectName(QStringLiteral("phenomenonCombo"));
    m_phenomenon->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_phenomenon->setMinimumContentsLength(18);
    m_phenomenon->setToolTip(tr("Show the items of one phenomenon (with the number of items of each)"));
    phenomenonLabel->setBuddy(m_phenomenon);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("datasetSearch"));
    m_search->setPlaceholderText(tr("Search id or sentence (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    m_search->setToolTip(tr("Show the items whose id or sentences contain this text (case-insensitive; ё matches е)"));
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(kSearchDelayMs);

    m_open = new QToolButton(this);
    m_open->setObjectName(QStringLiteral("openDatasetButton"));
    m_open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    m_open->setToolTip(tr("Open another dataset: CSV, TSV, BLiMP JSONL, plain text or CoNLL-U (Ctrl+P)"));
    m_open->setAutoRaise(true);
    m_save = new QToolButton(this);
    m_save->setObjectName(QStringLiteral("saveDatasetButton"));
    m_save->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_save->setToolTip(tr("Save the pairs of this dataset as a Grammascope CSV file (Ctrl+Shift+S)"));
    m_save->setAutoRaise(true);
    m_run = new QToolButton(this);
    m_run->setObjectName(QStringLiteral("runDatasetButton"));
    m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_run->setText(tr("Run dataset"));
    m_run->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_run->setToolTip(tr("Compute the chosen analyses for every sentence of this dataset in the background and keep "
                         "them in the cache (Ctrl+R); a cancelled run continues where it stopped"));
    m_run->setAutoRaise(true);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_tabs, 1, Qt::AlignBottom);
    bar->addSpacing(8);
    bar->addWidget(phenomenonLabel);
    bar->addWidget(m_phenomenon);
    bar->addWidget(m_search);
    bar->addWidget(m_run);
    bar->addWidget(m_open);
    bar->addWidget(m_save);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("datasetTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setSortingEnabled(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSortIndicatorClearable(true);  // third click: file order
    m_table->horizontalHeader()->setSectionsClickable(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setResizeContentsPrecision(300);
    m_table->horizontalHeader()->setMinimumSectionSize(40);
    m_table->setToolTip(tr("Choose an item to see it below and its heatmap above; click a column title to sort "
                           "(a third click goes back to the file order). Alt+Up / Alt+Down step through the rows."));

    m_pairView = new PairView(this);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("datasetSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_pairView);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setChildrenCollapsible(false);

    m_placeholder = new QLabel(this);
    m_placeholder->setObjectName(QStringLiteral("datasetPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setText(tr("<p>No dataset open.</p><p><a href=\"open\">Open a dataset…</a> (Ctrl+P) or drop a "
                              "CSV, TSV, JSONL, text or CoNLL-U file on the window.</p>"));
    connect(m_placeholder, &QLabel::linkActivated, this, [this] { emit openRequested(); });

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_splitter);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("datasetStatus"));
    m_status->setToolTip(tr("Items shown after the phenomenon filter and the search, of all items in the dataset"));
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(QStringLiteral("datasetWarnings"));
    m_busyLabel = new QLabel(this);
    m_busyLabel->setObjectName(QStringLiteral("datasetBusyLabel"));
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("datasetBusy"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(m_status->sizeHint().height());
    m_busy->setTextVisible(false);
    m_busy->setToolTip(tr("A dataset is being read in the background; the window stays usable"));
    m_busy->hide();
    m_busyLabel->hide();
    auto* statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(2, 0, 2, 0);
    statusRow->addWidget(m_status);
    statusRow->addWidget(m_warnings);
    statusRow->addStretch(1);
    statusRow->addWidget(m_busyLabel);
    statusRow->addWidget(m_busy);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(3);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
    layout->addSpacing(2);
    layout->addLayout(statusRow);

    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) { showEntry(index); });
    connect(m_tabs, &QTabBar::tabCloseRequested, this, &DatasetBrowser::closeDataset);
    connect(m_phenomenon, &QComboBox::currentIndexChanged, this, [this] {
        if (m_switching || !current()) return;
        const QString phenomenon = m_phenomenon->currentData().toString();
        refilter([&] { current()->proxy->setPhenomenon(phenomenon); });
    });
    connect(m_search, &QLineEdit::textChanged, this, [this] {
        if (m_switching) return;
        if (current() && current()->data->size() > kInstantSearchLimit) m_searchTimer->start();
        else applySearch();
    });
    connect(m_searchTimer, &QTimer::timeout, this, &DatasetBrowser::applySearch);
    connect(m_pairView, &PairView::sideChanged, this, [this](bool bad) {
        if (m_switching || !current()) return;
        current()->showsBad = bad;
        if (currentPair() >= 0) emit sentenceChosen(m_pairView->chosenSentence());
    });
    connect(m_open, &QToolButton::clicked, this, &DatasetBrowser::openRequested);
    connect(m_save, &QToolButton::clicked, this, &DatasetBrowser::saveAsCsvRequested);
    connect(m_run, &QToolButton::clicked, this, &DatasetBrowser::runDatasetRequested);

    new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Down), this, [this] { selectNext(1); }, Qt::WindowShortcut);
    new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Up), this, [this] { selectNext(-1); }, Qt::WindowShortcut);
    new QShortcut(QKeySequence(QKeySequence::Find), this, [this] { focusSearch(); }, Qt::WindowShortcut);
    new QShortcut(QKeySequence(QKeySequence::Close), this, [this] { closeDataset(currentDatasetIndex()); }, Qt::WindowShortcut);
    new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown), this, [this] {
        if (datasetCount() > 1) setCurrentDataset((currentDatasetIndex() + 1) % datasetCount());
    }, Qt::WindowShortcut);
    new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp), this, [this] {
        if (datasetCount() > 1) setCurrentDataset((currentDatasetIndex() + datasetCount() - 1) % datasetCount());
    }, Qt::WindowShortcut);

    showEntry(-1);
}

DatasetBrowser::~DatasetBrowser() {
    // The view must let go of the proxies before the entries delete them.
    m_table->setModel(nullptr);
}

DatasetBrowser::Entry* DatasetBrowser::current() const {
    const int index = currentDatasetIndex();
    return index >= 0 ? m_entries[static_cast<std::size_t>(index)].get() : nullptr;
}

int DatasetBrowser::currentDatasetIndex() const {
    const int index = m_tabs->currentIndex();
    return index >= 0 && index < datasetCount() ? index : -1;
}

OpenDatasetPtr DatasetBrowser::dataset(int index) const {
    return index >= 0 && index < datasetCount() ? m_entries[static_cast<std::size_t>(index)]->data : nullptr;
}

int DatasetBrowser::indexOfFile(const QString& filePath) const {
    const QString wanted = QDir::toNativeSeparators(QDir::cleanPath(filePath));
    for (int i = 0; i < datasetCount(); ++i)
        if (!m_entries[std::size_t(i)]->data->filePath.isEmpty() &&
            QDir::toNativeSeparators(QDir::cleanPath(m_entries[std::size_t(i)]->data->filePath)) == wanted)
            return i;
    return -1;
}

int DatasetBrowser::addDataset(const OpenDatasetPtr& dataset, bool selectFirst) {
    if (!dataset) return -1;
    auto entry = std::make_unique<Entry>();
    entry->data = dataset;
    entry->model = std::make_unique<DatasetModel>(dataset);
    entry->proxy = std::make_unique<DatasetFilterModel>();
    entry->proxy->setSourceModel(entry->model.get());
    connect(entry->model.get(), &DatasetModel::cachedCountChanged, this, [this, data = entry->data.get()] {
        if (m_shown && m_shown->data.get() == data) updateStatus();
    });
    m_entries.push_back(std::move(entry));
    const int index = datasetCount() - 1;
    {
        const QSignalBlocker block(m_tabs);
        m_tabs->addTab(dataset->displayName);
        const QString where = dataset->filePath.isEmpty() ? tr("generated, not saved") : dataset->filePath;
        m_tabs->setTabToolTip(index, tr("%1\n%2 — %n item(s)", "", dataset->size())
                                         .arg(dataset->displayName, where));
        m_tabs->setCurrentIndex(index);
    }
    showEntry(index);
    updateTabTitles();
    if (selectFirst && dataset->size() > 0) selectPair(0);
    emit datasetsChanged();
    return index;
}

void DatasetBrowser::closeDataset(int index) {
    if (index < 0 || index >= datasetCount()) return;
    const bool wasShown = m_shown == m_entries[std::size_t(index)].get();
    if (wasShown) {
        QItemSelectionModel* old = m_table->selectionModel();
        m_table->setModel(nullptr);
        delete old;
        m_shown = nullptr;
    }
    {
        const QSignalBlocker block(m_tabs);
        m_tabs->removeTab(index);
    }
    m_entries.erase(m_entries.begin() + index);
    updateTabTitles();
    if (wasShown || !m_shown) showEntry(currentDatasetIndex());
    emit datasetsChanged();
}

// Two open files with one name (pairs.csv from two folders) get their folder added.
void DatasetBrowser::updateTabTitles() {
    for (int i = 0; i < datasetCount(); ++i) {
        const OpenDataset& data = *m_entries[std::size_t(i)]->data;
        const bool clash = std::any_of(m_entries.begin(), m_entries.end(), [&](const auto& other) {
            return other->data.get() != &data && other->data->displayName == data.displayName;
        });
        QString title = data.displayName;
        if (clash && !data.filePath.isEmpty())
            title += QStringLiteral(" (%1)").arg(QFileInfo(data.filePath).dir().dirName());
        else if (clash)
            title += QStringLiteral(" (%1)").arg(i + 1);
        m_tabs->setTabText(i, title);
    }
}

void DatasetBrowser::setCurrentDataset(int index) {
    if (index >= 0 && index < datasetCount()) m_tabs->setCurrentIndex(index);
}

void DatasetBrowser::showEntry(int index) {
    Entry* entry = index >= 0 && index < datasetCount() ? m_entries[std::size_t(index)].get() : nullptr;
    m_stack->setCurrentWidget(entry ? static_cast<QWidget*>(m_splitter) : m_placeholder);
    m_phenomenon->setEnabled(entry);
    m_search->setEnabled(entry);
    m_save->setEnabled(entry && !entry->data->singleSentences());
    updateRunButton();
    if (!entry) {
        m_shown = nullptr;
        {
            const QSignalBlocker blockCombo(m_phenomenon);
            const QSignalBlocker blockSearch(m_search);
            m_phenomenon->clear();
            m_search->clear();
        }
        m_pairView->clear();
        updateStatus();
        emit currentItemChanged(-1);
        emit currentDatasetChanged(-1);
        return;
    }
    if (entry == m_shown) return;

    m_switching = true;
    m_table->setSortingEnabled(false);  // re-enabled below: one sort, by the entry's own column
    QItemSelectionModel* old = m_table->selectionModel();
    m_table->setModel(entry->proxy.get());
    delete old;
    m_shown = entry;
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { emitCurrent(); });
    m_table->horizontalHeader()->setSortIndicator(entry->proxy->sortColumn(), entry->proxy->sortOrder());
    m_table->setSortingEnabled(true);
    updateColumns();
    fillPhenomena();
    {
        const QSignalBlocker block(m_search);
        m_search->setText(entry->proxy->searchText());
    }
    m_pairView->setShowsBadSentence(entry->showsBad);
    const int row = entry->proxy->proxyRow(entry->currentItem);
    if (row >= 0) {
        const QModelIndex at = entry->proxy->index(row, 0);
        m_table->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_table->scrollTo(at, QAbstractItemView::PositionAtCenter);
    } else {
        m_pairView->clear();  // nothing chosen in this dataset (yet)
    }
    m_switching = false;
    updateStatus();
    emit currentDatasetChanged(index);
    emitCurrent();
}

void DatasetBrowser::updateColumns() {
    const Entry* entry = m_shown;
    if (!entry) return;
    const bool single = entry->data->singleSentences();
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    m_table->setColumnHidden(DatasetModel::BadColumn, single);
    m_table->setColumnHidden(DatasetModel::ChangedColumn, single);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(DatasetModel::GoodColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(DatasetModel::BadColumn, QHeaderView::Stretch);
    // Fitted once to the first rows (never to all 45,000), then left to the user.
    const std::pair<int, int> limits[] = {{DatasetModel::IdColumn, 230},
                                          {DatasetModel::PhenomenonColumn, 240},
                                          {DatasetModel::ChangedColumn, 220}};
    for (const auto& [column, maxWidth] : limits) {
        m_table->resizeColumnToContents(column);
        m_table->setColumnWidth(column, std::clamp(m_table->columnWidth(column), 60, maxWidth));
    }
    header->setSectionResizeMode(DatasetModel::CachedColumn, QHeaderView::Fixed);
    m_table->setColumnWidth(DatasetModel::CachedColumn,
                            header->fontMetrics().horizontalAdvance(tr("Cached")) + 24);
}

void DatasetBrowser::fillPhenomena() {
    const QSignalBlocker block(m_phenomenon);
    m_phenomenon->clear();
    const Entry* entry = m_shown;
    if (!entry) return;
    const OpenDataset& data = *entry->data;
    m_phenomenon->addItem(tr("All phenomena (%1)").arg(number(data.size())), QString());
    for (const auto& [name, count] : data.phenomena) {
        const QString label = name.isEmpty() ? tr("(none)") : name;
        m_phenomenon->addItem(QStringLiteral("%1 (%2)").arg(label, number(count)), name);
        m_phenomenon->setItemData(m_phenomenon->count() - 1,
                                  tr("%n item(s) of %1", "", count).arg(label), Qt::ToolTipRole);
    }
    const int index = m_phenomenon->findData(entry->proxy->phenomenon());
    m_phenomenon->setCurrentIndex(std::max(0, index));
}

template <typename F>
void DatasetBrowser::refilter(F&& change) {
    Entry* entry = current();
    if (!entry) return;
    const int keep = currentPair();
    m_switching = true;
    change();
    const int row = entry->proxy->proxyRow(keep);
    if (row >= 0) {
        const QModelIndex at = entry->proxy->index(row, 0);
        m_table->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_table->scrollTo(at);
    } else {
        m_table->selectionModel()->clear();
    }
    m_switching = false;
    if (row < 0 && keep >= 0) {
        entry->currentItem = -1;
        m_pairView->clear(tr("The chosen item is filtered out: choose another."));
        emit currentItemChanged(-1);
    }
    updateStatus();
}

void DatasetBrowser::applySearch() {
    m_searchTimer->stop();
    const QString text = m_search->text();
    refilter([&] { current()->proxy->setSearchText(text); });
}

void DatasetBrowser::updateStatus() {
    const Entry* entry = m_shown;
    if (!entry) {
        m_status->clear();  // the placeholder page says it
        m_warnings->clear();
        m_warnings->setToolTip(QString());
        return;
    }
    const OpenDataset& data = *entry->data;
    const int visible = entry->proxy->visibleCount();
    const int total = entry->proxy->totalCount();
    m_status->setText(data.singleSentences() ? tr("%1 of %2 sentences").arg(number(visible), number(total))
                                             : tr("%1 of %2 pairs").arg(number(visible), number(total)));
    const int cached = entry->model->fullyCachedCount();
    if (cached > 0) m_status->setText(m_status->text() + QStringLiteral(" · ") + tr("%1 cached").arg(number(cached)));
    QStringList parts;
    const auto skipped = static_cast<qint64>(data.dataset.errorCount());
    if (skipped > 0) parts << tr("%n record(s) skipped", "", int(skipped));
    if (!data.warnings.isEmpty()) parts << tr("%n warning(s)", "", int(data.warnings.size()));
    m_warnings->setText(parts.isEmpty() ? QString() : QStringLiteral("· ⚠ ") + parts.join(QStringLiteral(", ")));
    m_warnings->setToolTip(warningsToolTip());
}

QString DatasetBrowser::warningsToolTip() const {
    const Entry* entry = m_shown;
    if (!entry) return {};
    const OpenDataset& data = *entry->data;
    QStringList lines;
    const std::string source = data.dataset.source.empty() ? data.dataset.name : data.dataset.source.filename().string();
    for (const DatasetIssue& issue : data.dataset.issues) {
        if (lines.size() >= kMaxWarningsInToolTip) break;
        if (issue.severity == IssueSeverity::Error) lines << QString::fromStdString(formatIssue(source, issue));
    }
    for (const QString& w : data.warnings) {
        if (lines.size() >= kMaxWarningsInToolTip) break;
        lines << w;
    }
    if (lines.isEmpty()) return {};
    const qsizetype total = qsizetype(data.dataset.errorCount()) + data.warnings.size();
    if (total > lines.size()) lines << tr("… and %n more", "", int(total - lines.size()));
    return lines.join(QLatin1Char('\n'));
}

QString DatasetBrowser::statusText() const {
    return m_warnings->text().isEmpty() ? m_status->text() : m_status->text() + QLatin1Char(' ') + m_warnings->text();
}

void DatasetBrowser::applyCacheUpdate(const OpenDatasetPtr& dataset, const std::vector<int>& items,
                                      const std::vector<quint8>& sides, bool reset) {
    for (const auto& entry : m_entries)
        if (entry->data == dataset) entry->model->setCachedSides(items, sides, reset);
}

void DatasetBrowser::clearCacheMarks() {
    for (const auto& entry : m_entries) entry->model->clearCached();
}

int DatasetBrowser::cachedCount() const {
    const Entry* entry = current();
    return entry ? entry->model->fullyCachedCount() : 0;
}

int DatasetBrowser::cachedCount(const OpenDatasetPtr& dataset) const {
    for (const auto& entry : m_entries)
        if (entry->data == dataset) return entry->model->fullyCachedCount();
    return 0;
}

DatasetModel* DatasetBrowser::datasetModel(int index) const {
    return index >= 0 && index < datasetCount() ? m_entries[std::size_t(index)]->model.get() : nullptr;
}

void DatasetBrowser::setRunningDataset(const OpenDatasetPtr& dataset) {
    m_runningDataset = dataset;
    updateRunButton();
}

void DatasetBrowser::setRunEnabled(bool enabled) {
    m_runEnabled = enabled;
    updateRunButton();
}

void DatasetBrowser::updateRunButton() {
    const Entry* entry = current();
    m_run->setEnabled(m_runEnabled && entry && !m_runningDataset);
}

void DatasetBrowser::setReading(bool reading, const QString& what) {
    m_busy->setVisible(reading);
    m_busyLabel->setVisible(reading);
    m_busyLabel->setText(what);
}

int DatasetBrowser::pairCount() const {
    const Entry* entry = current();
    return entry ? entry->data->size() : 0;
}

int DatasetBrowser::visibleCount() const {
    const Entry* entry = current();
    return entry ? entry->proxy->visibleCount() : 0;
}

int DatasetBrowser::currentPair() const {
    const Entry* entry = m_shown;
    if (!entry || !m_table->selectionModel()) return -1;
    const QModelIndex at = m_table->selectionModel()->currentIndex();
    return at.isValid() ? entry->proxy->itemIndex(at.row()) : -1;
}

const DatasetItem* DatasetBrowser::item(int index) const {
    const Entry* entry = current();
    if (!entry || index < 0 || index >= entry->data->size()) return nullptr;
    return &entry->data->dataset.items[static_cast<std::size_t>(index)];
}

void DatasetBrowser::selectPair(int index) {
    Entry* entry = current();
    if (!entry || index < 0 || index >= entry->data->size()) return;
    if (entry->proxy->proxyRow(index) < 0) {
        // Asked for an item that is filtered out: show everything again.
        setSearchText(QString());
        setPhenomenonFilter(QString());
    }
    const int row = entry->proxy->proxyRow(index);
    if (row < 0) return;
    const QModelIndex at = entry->proxy->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(at);
}

void DatasetBrowser::selectNext(int step) {
    const Entry* entry = current();
    if (!entry) return;
    const int count = entry->proxy->visibleCount();
    if (count == 0) return;
    const QModelIndex at = m_table->selectionModel()->currentIndex();
    const int next = at.isValid() ? std::clamp(at.row() + step, 0, count - 1) : (step > 0 ? 0 : count - 1);
    const QModelIndex target = entry->proxy->index(next, 0);
    m_table->selectionModel()->setCurrentIndex(target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(target);
}

bool DatasetBrowser::showsBadSentence() const { return m_pairView->showsBadSentence(); }

void DatasetBrowser::setShowsBadSentence(bool bad) { m_pairView->setShowsBadSentence(bad); }

void DatasetBrowser::setPhenomenonFilter(const QString& phenomenon) {
    const int index = m_phenomenon->findData(phenomenon);
    if (index >= 0) m_phenomenon->setCurrentIndex(index);
}

QString DatasetBrowser::phenomenonFilter() const {
    const Entry* entry = current();
    return entry ? entry->proxy->phenomenon() : QString();
}

QStringList DatasetBrowser::phenomenonChoices() const {
    QStringList out;
    for (int i = 0; i < m_phenomenon->count(); ++i) out << m_phenomenon->itemText(i);
    return out;
}

void DatasetBrowser::setSearchText(const QString& text) {
    {
        const QSignalBlocker block(m_search);
        m_search->setText(text);
    }
    applySearch();
}

QString DatasetBrowser::searchText() const { return m_search->text(); }

void DatasetBrowser::focusSearch() {
    if (!m_search->isEnabled()) return;
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void DatasetBrowser::emitCurrent() {
    if (m_switching) return;
    Entry* entry = current();
    const int index = currentPair();
    if (!entry || index < 0) return;
    entry->currentItem = index;
    m_pairView->setItem(entry->data, index);
    emit currentItemChanged(index);
    emit sentenceChosen(m_pairView->chosenSentence());
}

} // namespace gs::ui
