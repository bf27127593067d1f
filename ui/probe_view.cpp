#include "probe_view.h"

#include "heatmap_widget.h"
#include "probe_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QVBoxLayout>

namespace gs::ui {

ProbeView::ProbeView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("probeView"));
    m_set = new QComboBox(this);
    m_set->setObjectName(QStringLiteral("probeSetCombo"));
    m_set->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_set->setMinimumContentsLength(28);
    m_set->setToolTip(tr("The probe set whose confidence is drawn (trained with Analysis › Train probes…)"));
    m_class = new QComboBox(this);
    m_class->setObjectName(QStringLiteral("probeClassCombo"));
    m_class->setToolTip(tr("The class whose probability P(class | hidden state) each cell shows"));
    m_pair = new QCheckBox(tr("Current pair side &by side"), this);
    m_pair->setObjectName(QStringLiteral("probePairCheck"));
    m_pair->setToolTip(tr("Show both sentences of the pair chosen in the Datasets panel: grammatical left, "
                          "ungrammatical right"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("probeViewState"));
    m_state->setForegroundRole(QPalette::PlaceholderText);

    auto* setLabel = new QLabel(tr("Probe s&et:"), this);
    setLabel->setBuddy(m_set);
    auto* classLabel = new QLabel(tr("&Class:"), this);
    classLabel->setBuddy(m_class);
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 2);
    controls->addWidget(setLabel);
    controls->addWidget(m_set, 2);
    controls->addWidget(classLabel);
    controls->addWidget(m_class, 1);
    controls->addWidget(m_pair);
    controls->addWidget(m_state, 1);

    m_first = new HeatmapWidget(this);
    m_first->setObjectName(QStringLiteral("probeHeatmap"));
    m_second = new HeatmapWidget(this);
    m_second->setObjectName(QStringLiteral("probeHeatmapBad"));
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(m_first);
    m_splitter->addWidget(m_second);
    m_splitter->setChildrenCollapsible(false);
    m_second->hide();
    for (HeatmapWidget* heatmap : {m_first, m_second}) {
        heatmap->setFixedColorRange(0.0, 1.0);
        const int side = heatmap == m_first ? 0 : 1;
        connect(heatmap, &HeatmapWidget::cellSelected, this, [this, heatmap, side](int row, int col) {
            m_activeSide = side;
            emit cellChosen(heatmap->cellDescription(row, col));
        });
        connect(heatmap, &HeatmapWidget::cellHovered, this, [this, side](int row, int) {
            if (row >= 0) m_activeSide = side;
        });
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(controls);
    layout->addWidget(m_splitter, 1);

    connect(m_set, &QComboBox::currentIndexChanged, this, [this] {
        fillClasses();
        emit currentSetChanged(currentSetName());
    });
    connect(m_class, &QComboBox::currentIndexChanged, this, &ProbeView::redraw);
    connect(m_pair, &QCheckBox::toggled, this, [this](bool on) {
        m_second->setVisible(on);
        emit pairModeChanged(on);
    });
    showMessage(tr("No probe set yet. Analysis › Train probes… (Ctrl+Shift+P) trains probes on the current dataset; "
                   "their confidence for every token and layer shows here."));
}

void ProbeView::setProbeSets(const std::vector<ProbeSet>& sets) {
    const QString chosen = currentSetName();
    m_sets = sets;
    const QSignalBlocker block(m_set);
    m_set->clear();
    for (const ProbeSet& set : m_sets) {
        m_set->addItem(probeSetTitle(set), QString::fromStdString(set.name));
        m_set->setItemData(m_set->count() - 1, probeSetDetails(set), Qt::ToolTipRole);
    }
    m_set->setEnabled(!m_sets.empty());
    setCurrentSet(chosen);
}

void ProbeView::setCurrentSet(const QString& name) {
    {
        const QSignalBlocker block(m_set);
        m_set->setCurrentIndex(name.isEmpty() ? -1 : m_set->findData(name));
    }
    fillClasses();
    // The classes may have come in after the result (a set just trained).
    if (m_result && m_result->setName == name) redraw();
}

QString ProbeView::currentSetName() const { return m_set->currentData().toString(); }

int ProbeView::setCount() const { return int(m_sets.size()); }

void ProbeView::fillClasses() {
    const QString previous = m_class->currentData().toString();
    const int row = m_set->currentIndex();
    const ProbeSet* set = row >= 0 && row < int(m_sets.size()) ? &m_sets[std::size_t(row)] : nullptr;
    const QSignalBlocker block(m_class);
    m_class->clear();
    if (!set) return;
    const QLocale locale;
    QStringList names;
    for (std::size_t c = 0; c < set->classes.size(); ++c) {
        const QString name = QString::fromStdString(set->classes[c]);
        names << name;
        const qint64 count = c < set->classCounts.size() ? qint64(set->classCounts[c]) : 0;
        m_class->addItem(QStringLiteral("P(%1)").arg(name), name);
        m_class->setItemData(int(c), tr("%1 training examples of class %2").arg(locale.toString(count), name),
                             Qt::ToolTipRole);
    }
    // The same class on another set of the task; else the one a binary task is about.
    const int same = int(names.indexOf(previous));
    m_class->setCurrentIndex(same >= 0 ? same : defaultProbeClass(names));
}

int ProbeView::classIndex() const { return m_class->currentIndex(); }
QString ProbeView::className() const { return m_class->currentData().toString(); }

void ProbeView::setClassIndex(int index) { m_class->setCurrentIndex(index); }

QStringList ProbeView::classNames() const {
    QStringList names;
    for (int i = 0; i < m_class->count(); ++i) names << m_class->itemData(i).toString();
    return names;
}

bool ProbeView::pairMode() const { return m_pair->isChecked(); }
void ProbeView::setPairMode(bool on) { m_pair->setChecked(on); }

void ProbeView::setGrouping(TokenGrouping grouping) {
    if (grouping == m_grouping) return;
    m_grouping = grouping;
    redraw();
}

void ProbeView::setConfidence(const ProbeConfidencePtr& result, const QStringList& titles) {
    m_result = result;
    m_titles = titles;
    setComputing(false);
    redraw();
}

void ProbeView::showMessage(const QString& message) {
    m_result.reset();
    m_first->clear(message);
    m_second->clear(pairMode() ? message : QString());
    setComputing(false);
}

void ProbeView::setComputing(bool computing) {
    m_computing = computing;
    m_state->setText(computing ? tr("Computing…") : QString());
}

HeatmapWidget* ProbeView::activeHeatmap() const {
    HeatmapWidget* side = heatmap(m_activeSide);
    return side->isVisible() && side->hasData() ? side : m_first;
}

void ProbeView::redraw() {
    if (!m_result) return;
    const int cls = classIndex();
    const QString name = cls >= 0 && cls < m_result->classes.size() ? m_result->classes.at(cls) : QString();
    for (int side = 0; side < 2; ++side) {
        HeatmapWidget* widget = heatmap(side);
        const Heatmap* source = m_result->heatmap(side, m_grouping, cls);
        if (!source || source->rows == 0) {
            widget->clear(side < int(m_result->sentences.size()) ? tr("Nothing to show for this sentence.") : QString());
            continue;
        }
        Heatmap heatmap = *source;
        heatmap.title = QStringLiteral("P(%1)").arg(name).toStdString();
        heatmap.diverging = false;
        const QString sentence = m_result->sentences.value(side);
        const QString title = m_titles.value(side);
        QString text = title.isEmpty() ? sentence : QStringLiteral("%1: %2").arg(title, sentence);
        if (side < int(m_result->truncated.size()) && m_result->truncated[std::size_t(side)])
            text += QLatin1Char(' ') + tr("[truncated]");
        widget->setTitle(text);
        widget->setColumnAxisLabel(m_grouping == TokenGrouping::Words ? tr("Word") : tr("Token"));
        widget->setHeatmap(heatmap);
    }
}

} // namespace gs::ui
