#include "pairs_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QShortcut>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <set>

namespace gs::ui {
namespace {

constexpr int kIndexRole = Qt::UserRole + 1;

QString q(const std::string& s) { return QString::fromStdString(s); }

// The sentence with its word number `index` (whitespace-separated) in bold, as rich text.
QString emphasised(const std::string& sentence, int index, const std::string& word) {
    const QStringList words = q(sentence).split(QLatin1Char(' '));
    QStringList out;
    for (int i = 0; i < words.size(); ++i) {
        const bool hit = index >= 0 ? i == index
                                    : !word.empty() && words[i].contains(q(word));
        out << (hit ? QStringLiteral("<b>%1</b>").arg(words[i].toHtmlEscaped()) : words[i].toHtmlEscaped());
    }
    return out.join(QLatin1Char(' '));
}

} // namespace

PairsPanel::PairsPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_header = new QLabel(tr("No pair file open. File › Open pairs… (Ctrl+P)"), this);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);

    auto* filters = new QHBoxLayout;
    m_phenomenon = new QComboBox(this);
    m_phenomenon->setToolTip(tr("Show the pairs of one phenomenon"));
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Show the pairs whose sentences contain this text"));
    filters->addWidget(m_phenomenon, 1);
    filters->addWidget(m_filter, 1);
    layout->addLayout(filters);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("pairList"));
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({tr("Phenomenon"), tr("Grammatical"), tr("Ungrammatical")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_list->setToolTip(tr("Choose a pair to see the heatmap of its grammatical or ungrammatical sentence"));
    layout->addWidget(m_list, 1);

    auto* sides = new QHBoxLayout;
    m_good = new QRadioButton(tr("&Grammatical"), this);
    m_bad = new QRadioButton(tr("&Ungrammatical"), this);
    m_good->setChecked(true);
    m_good->setToolTip(tr("Show the grammatical sentence of the pair (Alt+G)"));
    m_bad->setToolTip(tr("Show the ungrammatical sentence of the pair (Alt+U)"));
    sides->addWidget(m_good);
    sides->addWidget(m_bad);
    sides->addStretch(1);
    layout->addLayout(sides);

    connect(m_phenomenon, &QComboBox::currentIndexChanged, this, [this] { rebuildRows(); });
    connect(m_filter, &QLineEdit::textChanged, this, [this] { rebuildRows(); });
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] { emitCurrent(); });
    connect(m_good, &QRadioButton::toggled, this, [this](bool) { emitCurrent(); });
    new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Down), this, [this] { selectNext(1); }, Qt::WindowShortcut);
    new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Up), this, [this] { selectNext(-1); }, Qt::WindowShortcut);
}

void PairsPanel::setPairs(std::vector<MinimalPair> pairs, const QString& source) {
    m_pairs = std::move(pairs);
    std::set<std::string> phenomena;
    for (const auto& p : m_pairs) phenomena.insert(p.phenomenon);
    const QSignalBlocker block(m_phenomenon);
    m_phenomenon->clear();
    m_phenomenon->addItem(tr("All phenomena (%1)").arg(m_pairs.size()), QString());
    for (const auto& name : phenomena) m_phenomenon->addItem(q(name), q(name));
    m_header->setText(tr("%n pair(s) from %1", nullptr, static_cast<int>(m_pairs.size())).arg(source));
    m_header->setToolTip(source);
    rebuildRows();
}

void PairsPanel::rebuildRows() {
    const QString phenomenon = m_phenomenon->currentData().toString();
    const QString filter = m_filter->text().trimmed();
    const int keep = currentPair();
    const QSignalBlocker block(m_list);
    m_list->clear();
    QList<QTreeWidgetItem*> items;
    QTreeWidgetItem* selected = nullptr;
    for (std::size_t i = 0; i < m_pairs.size(); ++i) {
        const MinimalPair& p = m_pairs[i];
        if (!phenomenon.isEmpty() && q(p.phenomenon) != phenomenon) continue;
        if (!filter.isEmpty() && !q(p.good).contains(filter, Qt::CaseInsensitive) &&
            !q(p.bad).contains(filter, Qt::CaseInsensitive))
            continue;
        auto* item = new QTreeWidgetItem({q(p.phenomenon), q(p.good), q(p.bad)});
        item->setData(0, kIndexRole, static_cast<int>(i));
        const QString tip = tr("<p>%1</p><p>✓ %2<br>✗ %3</p>")
                                .arg(q(p.phenomenon).toHtmlEscaped(), emphasised(p.good, p.wordIndex, p.goodWord),
                                     emphasised(p.bad, p.wordIndex, p.badWord));
        for (int c = 0; c < 3; ++c) item->setToolTip(c, tip);
        items << item;
        if (static_cast<int>(i) == keep) selected = item;
    }
    m_list->addTopLevelItems(items);
    if (selected) m_list->setCurrentItem(selected);
}

int PairsPanel::currentPair() const {
    const QTreeWidgetItem* item = m_list->currentItem();
    return item ? item->data(0, kIndexRole).toInt() : -1;
}

const MinimalPair* PairsPanel::pair(int index) const {
    return index >= 0 && index < pairCount() ? &m_pairs[static_cast<std::size_t>(index)] : nullptr;
}

void PairsPanel::selectPair(int index) {
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = m_list->topLevelItem(row);
        if (item->data(0, kIndexRole).toInt() == index) {
            m_list->setCurrentItem(item);
            m_list->scrollToItem(item);
            return;
        }
    }
}

void PairsPanel::selectNext(int step) {
    const int count = m_list->topLevelItemCount();
    if (count == 0) return;
    const int row = m_list->currentItem() ? m_list->indexOfTopLevelItem(m_list->currentItem()) : -1;
    const int next = std::clamp(row + step, 0, count - 1);
    m_list->setCurrentItem(m_list->topLevelItem(next));
}

bool PairsPanel::showsBadSentence() const { return m_bad->isChecked(); }

void PairsPanel::setShowsBadSentence(bool bad) { (bad ? m_bad : m_good)->setChecked(true); }

void PairsPanel::emitCurrent() {
    const MinimalPair* p = pair(currentPair());
    if (!p) return;
    emit sentenceChosen(q(showsBadSentence() ? p->bad : p->good));
}

} // namespace gs::ui
