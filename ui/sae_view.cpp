#include "sae_view.h"

#include "heatmap_widget.h"
#include "probe_text.h"
#include "sae_panel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace gs::ui {
namespace {

constexpr int kShownContexts = 12;

QString featureLabel(std::int32_t feature) { return QStringLiteral("#%1").arg(feature); }

// The largest finite value of some heatmaps (0 when none): the common top of their colour scale.
float largestValue(std::initializer_list<const Heatmap*> maps) {
    float top = 0;
    for (const Heatmap* map : maps)
        if (map)
            for (float v : map->values)
                if (std::isfinite(v)) top = std::max(top, v);
    return top;
}

// Rows upside down: HeatmapWidget draws row 0 at the bottom, the strongest feature belongs on top.
Heatmap flipped(const Heatmap& in) {
    Heatmap out = in;
    for (int r = 0; r < in.rows; ++r) {
        const int from = in.rows - 1 - r;
        std::copy_n(in.values.begin() + std::ptrdiff_t(from) * in.cols, in.cols,
                    out.values.begin() + std::ptrdiff_t(r) * in.cols);
        if (from < int(in.rowLabels.size()) && r < int(out.rowLabels.size()))
            out.rowLabels[std::size_t(r)] = in.rowLabels[std::size_t(from)];
    }
    return out;
}

QLabel* sectionLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

} // namespace

SaeView::SaeView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("saeView"));
    m_set = new QComboBox(this);
    m_set->setObjectName(QStringLiteral("saeSetCombo"));
    m_set->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_set->setMinimumContentsLength(28);
    m_set->setToolTip(tr("The SAE set whose features are drawn (Analysis › Train sparse autoencoders…)"));
    m_layer = new QComboBox(this);
    m_layer->setObjectName(QStringLiteral("saeLayerCombo"));
    m_layer->setToolTip(tr("The layer whose autoencoder reads the hidden states"));
    m_pair = new QCheckBox(tr("Current pair side by side"), this);
    m_pair->setObjectName(QStringLiteral("saePairCheck"));
    m_pair->setToolTip(tr("Show both sentences of the pair chosen in the Datasets panel with the same feature rows: "
                          "grammatical left, ungrammatical right"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("saeViewState"));
    m_state->setForegroundRole(QPalette::PlaceholderText);
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 2);
    controls->addWidget(new QLabel(tr("SAE set:"), this));
    controls->addWidget(m_set, 2);
    controls->addWidget(new QLabel(tr("Layer:"), this));
    controls->addWidget(m_layer);
    controls->addWidget(m_pair);
    controls->addWidget(m_state, 1);

    m_first = new HeatmapWidget(this);
    m_first->setObjectName(QStringLiteral("saeHeatmap"));
    m_second = new HeatmapWidget(this);
    m_second->setObjectName(QStringLiteral("saeHeatmapBad"));
    for (HeatmapWidget* widget : {m_first, m_second}) widget->plot()->yAxis->setLabel(tr("Feature"));
    m_differences = new QTableWidget(0, 4, this);
    m_differences->setObjectName(QStringLiteral("saeDifferenceTable"));
    m_differences->setHorizontalHeaderLabels({tr("Feature"), tr("Good"), tr("Bad"), tr("Difference")});
    m_differences->setToolTip(tr("Features whose largest activation differs most between the two sentences "
                                 "(good − bad); click a row to follow the feature"));
    m_differences->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_differences->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_differences->setSelectionMode(QAbstractItemView::SingleSelection);
    m_differences->verticalHeader()->hide();
    m_differences->verticalHeader()->setDefaultSectionSize(QFontMetrics(font()).height() + 4);
    m_differences->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* differences = m_differencesBox = new QWidget(this);
    auto* differencesLayout = new QVBoxLayout(differences);
    differencesLayout->setContentsMargins(0, 0, 0, 0);
    differencesLayout->addWidget(sectionLabel(tr("Features that differ most"), differences));
    differencesLayout->addWidget(m_differences, 1);
    auto* sentences = new QSplitter(Qt::Horizontal, this);
    sentences->setObjectName(QStringLiteral("saeSentenceSplitter"));
    sentences->addWidget(m_first);
    sentences->addWidget(m_second);
    sentences->addWidget(differences);
    sentences->setChildrenCollapsible(false);
    sentences->setStretchFactor(0, 3);
    sentences->setStretchFactor(1, 3);
    sentences->setStretchFactor(2, 1);
    m_second->hide();
    differences->hide();
    for (HeatmapWidget* heatmap : {m_first, m_second}) {
        const int side = heatmap == m_first ? 0 : 1;
        connect(heatmap, &HeatmapWidget::cellSelected, this, [this, heatmap, side](int row, int col) {
            m_activeSide = side;
            const int feature = featureOfRow(row);
            const Heatmap& map = heatmap->heatmap();
            if (col >= 0 && col < int(map.colLabels.size()))
                emit cellChosen(tr("Feature %1 on “%2”: %3")
                                    .arg(featureLabel(feature), QString::fromStdString(map.colLabels[std::size_t(col)]),
                                         probeNumber(map.at(row, col), 3)));
            if (feature >= 0) {
                m_feature = -1;  // the other side's trace may be wanted: ask again
                selectFeature(feature);
            }
        });
    }
    connect(m_differences, &QTableWidget::cellClicked, this, [this](int row) {
        if (!m_view || row < 0 || row >= int(m_view->differences.size())) return;
        const SaePairDifference& d = m_view->differences[std::size_t(row)];
        setTraceSide(d.bad > d.good ? 1 : 0);
        m_feature = -1;  // the side may have changed: ask again
        selectFeature(d.feature);
    });

    // The feature area: trace | profile (stats, histogram, nearest) | contexts.
    m_featureTitle = sectionLabel(tr("Feature"), this);
    m_featureTitle->setObjectName(QStringLiteral("saeFeatureTitle"));
    m_traceMap = new HeatmapWidget(this);
    m_traceMap->setObjectName(QStringLiteral("saeTraceHeatmap"));
    for (HeatmapWidget* widget : {m_first, m_second, m_traceMap}) {
        widget->installEventFilter(this);
        // Three heatmaps share the height: less than HeatmapWidget's own minimum each,
        // so that the view does not raise the main window's minimum height.
        widget->plot()->setMinimumSize(240, 150);
    }
    m_traceMap->setToolTip(tr("The feature across the layers of the set on this sentence: in its own layer the "
                              "feature itself, elsewhere the feature with the nearest decoder direction; click a "
                              "row to open that layer's feature"));
    connect(m_traceMap, &HeatmapWidget::cellSelected, this, [this](int row, int) { jumpToTraceRow(row); });
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("saeFeatureStats"));
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_indexProgress = new QProgressBar(this);
    m_indexProgress->setObjectName(QStringLiteral("saeIndexProgress"));
    m_indexProgress->setToolTip(tr("Every token of the current dataset is read by the layer's autoencoder once; the "
                                   "index is kept in the results store"));
    m_indexProgress->hide();
    m_histogram = new QCustomPlot(this);
    m_histogram->setObjectName(QStringLiteral("saeHistogramPlot"));
    m_histogram->setMinimumHeight(90);
    m_histogram->setToolTip(tr("How strongly the feature fires on the dataset's tokens where it fires (tokens per "
                               "activation bin)"));
    QFont small = font();
    small.setPointSizeF(std::max(7.5, small.pointSizeF() - 1));
    for (QCPAxis* axis : {m_histogram->xAxis, m_histogram->yAxis}) {
        axis->setTickLabelFont(small);
        axis->setLabelFont(small);
    }
    m_histogram->xAxis->setLabel(tr("Activation"));
    m_histogram->yAxis->setLabel(tr("Tokens"));
    m_nearest = new QListWidget(this);
    m_nearest->setObjectName(QStringLiteral("saeNearestList"));
    m_nearest->setToolTip(tr("Features of the same layer whose decoder directions are nearest (cosine); click one to "
                             "follow it"));
    connect(m_nearest, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        selectFeature(item->data(Qt::UserRole).toInt());
    });
    m_contexts = new QTextBrowser(this);
    m_contexts->setObjectName(QStringLiteral("saeContextsBrowser"));
    m_contexts->setOpenLinks(false);
    m_contexts->setToolTip(tr("The dataset's tokens on which the feature fires most, in their sentences"));

    auto* profile = new QWidget(this);
    profile->setMinimumWidth(230);
    auto* profileLayout = new QVBoxLayout(profile);
    profileLayout->setContentsMargins(0, 0, 0, 0);
    profileLayout->addWidget(m_stats);
    profileLayout->addWidget(m_indexProgress);
    profileLayout->addWidget(m_histogram, 2);
    profileLayout->addWidget(sectionLabel(tr("Nearest features"), profile));
    profileLayout->addWidget(m_nearest, 1);
    auto* contexts = new QWidget(this);
    auto* contextsLayout = new QVBoxLayout(contexts);
    contextsLayout->setContentsMargins(0, 0, 0, 0);
    contextsLayout->addWidget(sectionLabel(tr("Top-activating contexts"), contexts));
    contextsLayout->addWidget(m_contexts, 1);
    auto* featureRow = new QSplitter(Qt::Horizontal, this);
    featureRow->setObjectName(QStringLiteral("saeFeatureSplitter"));
    featureRow->addWidget(m_traceMap);
    featureRow->addWidget(profile);
    featureRow->addWidget(contexts);
    featureRow->setChildrenCollapsible(false);
    featureRow->setStretchFactor(0, 3);
    featureRow->setStretchFactor(1, 1);
    featureRow->setStretchFactor(2, 2);
    auto* feature = new QWidget(this);
    auto* featureLayout = new QVBoxLayout(feature);
    featureLayout->setContentsMargins(6, 0, 6, 0);
    featureLayout->addWidget(m_featureTitle);
    featureLayout->addWidget(featureRow, 1);

    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->setObjectName(QStringLiteral("saeViewSplitter"));
    vertical->addWidget(sentences);
    vertical->addWidget(feature);
    vertical->setChildrenCollapsible(false);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(controls);
    layout->addWidget(vertical, 1);

    connect(m_set, &QComboBox::currentIndexChanged, this, [this] {
        fillLayers();
        emit currentSetChanged(currentSetName());
    });
    connect(m_layer, &QComboBox::currentIndexChanged, this, [this] { emit layerChanged(layer()); });
    connect(m_pair, &QCheckBox::toggled, this, [this, differences](bool on) {
        m_second->setVisible(on);
        differences->setVisible(on);
        if (!on) m_activeSide = 0;
        emit pairModeChanged(on);
    });
    showMessage(tr("No SAE set yet. Analysis › Train sparse autoencoders… (Ctrl+Shift+A) learns a dictionary of "
                   "sparse features; the features of the sentence show here."));
}

// ---------------------------------------------------------------- choices

void SaeView::setSaeSets(const std::vector<SaeSet>& sets) {
    const QString chosen = currentSetName();
    m_sets = sets;
    const QSignalBlocker block(m_set);
    m_set->clear();
    for (const SaeSet& set : m_sets) {
        m_set->addItem(saeSetTitle(set), QString::fromStdString(set.name));
        m_set->setItemData(m_set->count() - 1, QString::fromStdString(set.name), Qt::ToolTipRole);
    }
    m_set->setEnabled(!m_sets.empty());
    setCurrentSet(chosen);
}

void SaeView::setCurrentSet(const QString& name) {
    {
        const QSignalBlocker block(m_set);
        m_set->setCurrentIndex(name.isEmpty() ? -1 : m_set->findData(name));
    }
    fillLayers();
}

QString SaeView::currentSetName() const { return m_set->currentData().toString(); }

void SaeView::fillLayers() {
    const int previous = layer();
    const int row = m_set->currentIndex();
    const SaeSet* set = row >= 0 && row < int(m_sets.size()) ? &m_sets[std::size_t(row)] : nullptr;
    const QSignalBlocker block(m_layer);
    m_layer->clear();
    if (!set) return;
    for (const SaeLayerResult& l : set->layers)
        m_layer->addItem(l.layer == 0 ? tr("emb") : QString::number(l.layer), l.layer);
    // The same layer in another set, else the middle one of the set.
    const int same = m_layer->findData(previous);
    m_layer->setCurrentIndex(same >= 0 ? same : (m_layer->count() - 1) / 2);
}

int SaeView::layer() const { return m_layer->currentIndex() >= 0 ? m_layer->currentData().toInt() : -1; }

QList<int> SaeView::layers() const {
    QList<int> out;
    for (int i = 0; i < m_layer->count(); ++i) out << m_layer->itemData(i).toInt();
    return out;
}

void SaeView::setLayer(int layer) {
    const int index = m_layer->findData(layer);
    if (index >= 0) m_layer->setCurrentIndex(index);
}

bool SaeView::pairMode() const { return m_pair->isChecked(); }
void SaeView::setPairMode(bool on) { m_pair->setChecked(on); }

void SaeView::setGrouping(TokenGrouping grouping) {
    if (grouping == m_grouping) return;
    m_grouping = grouping;
    redraw();
    redrawTrace();
}

// ---------------------------------------------------------------- the sentence

void SaeView::setSentenceView(const SaeSentenceViewPtr& view, const QStringList& titles) {
    const bool sameRows = m_view && view && m_view->setName == view->setName && m_view->layer == view->layer;
    m_view = view;
    m_titles = titles;
    setComputing(false);
    if (!sameRows) m_feature = -1;
    redraw();
}

void SaeView::showMessage(const QString& message) {
    m_view.reset();
    m_first->clear(message);
    m_second->clear(pairMode() ? message : QString());
    m_differences->setRowCount(0);
    m_feature = -1;
    m_trace.reset();
    clearFeatureArea(QString());
    setComputing(false);
}

void SaeView::setComputing(bool computing) {
    m_computing = computing;
    m_state->setText(computing ? tr("Computing…") : QString());
}

HeatmapWidget* SaeView::activeHeatmap() const {
    HeatmapWidget* side = heatmap(m_activeSide);
    return side->isVisible() && side->hasData() ? side : m_first;
}

int SaeView::featureOfRow(int row) const {
    if (!m_view) return -1;
    const int rows = int(m_view->features.size());
    const int index = rows - 1 - row;  // drawn upside down
    return index >= 0 && index < rows ? m_view->features[std::size_t(index)] : -1;
}

std::vector<std::int32_t> SaeView::rowFeatures() const { return m_view ? m_view->features : std::vector<std::int32_t>{}; }

void SaeView::redraw() {
    if (!m_view) return;
    const Heatmap* first = m_view->heatmap(0, m_grouping);
    const Heatmap* second = m_view->heatmap(1, m_grouping);
    // One scale from 0 for both sentences: equal colours, equal activations.
    const float top = largestValue({first, second});
    for (int side = 0; side < 2; ++side) {
        HeatmapWidget* widget = heatmap(side);
        const Heatmap* source = side == 0 ? first : second;
        if (!source || source->rows == 0) {
            widget->clear(side < int(m_view->sentences.size())
                              ? (m_view->features.empty() ? tr("No feature fires on this sentence.")
                                                          : tr("Nothing to show for this sentence."))
                              : QString());
            continue;
        }
        Heatmap map = flipped(*source);
        map.title = tr("Activation").toStdString();
        map.diverging = false;
        widget->setFixedColorRange(0.0, top > 0 ? double(top) : 1.0);
        const QString sentence = m_view->sentences.value(side);
        const QString title = m_titles.value(side);
        QString text = title.isEmpty() ? sentence : QStringLiteral("%1: %2").arg(title, sentence);
        if (side < int(m_view->truncated.size()) && m_view->truncated[std::size_t(side)])
            text += QLatin1Char(' ') + tr("[truncated]");
        widget->setColumnAxisLabel(m_grouping == TokenGrouping::Words ? tr("Word") : tr("Token"));
        widget->setHeatmap(map);
        setHeatmapTitle(widget, text);
    }
    m_differences->setRowCount(int(m_view->differences.size()));
    for (int i = 0; i < int(m_view->differences.size()); ++i) {
        const SaePairDifference& d = m_view->differences[std::size_t(i)];
        const QString cells[] = {featureLabel(d.feature), probeNumber(d.good, 3), probeNumber(d.bad, 3),
                                 probeNumber(d.difference, 3)};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 3) item->setForeground(d.difference >= 0 ? QColor(0, 114, 178) : QColor(213, 94, 0));
            m_differences->setItem(i, c, item);
        }
    }
    // Every column readable without scrolling sideways.
    m_differences->resizeColumnsToContents();
    int width = m_differences->frameWidth() * 2 + m_differences->verticalScrollBar()->sizeHint().width() + 4;
    for (int c = 0; c < m_differences->columnCount(); ++c) width += m_differences->columnWidth(c);
    m_differencesBox->setMinimumWidth(width);
}

void SaeView::setHeatmapTitle(HeatmapWidget* widget, const QString& title) {
    widget->setProperty("gsFullTitle", title);
    applyTitle(widget);
}

void SaeView::applyTitle(HeatmapWidget* widget) {
    const QString full = widget->property("gsFullTitle").toString();
    QFont font = widget->font();
    font.setPointSizeF(std::max(8.0, font.pointSizeF()) + 1);
    font.setBold(true);
    // The title is centred over the plot column (the colour scale takes the rest).
    const int room = std::max(60, widget->width() - 110);
    widget->setTitle(QFontMetrics(font).elidedText(full, Qt::ElideRight, room));
}

bool SaeView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize)
        for (HeatmapWidget* widget : {m_first, m_second, m_traceMap})
            if (watched == widget && !widget->property("gsFullTitle").toString().isEmpty()) applyTitle(widget);
    return QWidget::eventFilter(watched, event);
}

// ---------------------------------------------------------------- the feature

void SaeView::jumpToTraceRow(int row) {
    if (!m_trace) return;
    const SaeFeatureTrace& trace = m_trace->trace(m_grouping);
    if (row < 0 || row >= int(trace.rows.size())) return;
    const SaeNeighbour& target = trace.rows[std::size_t(row)];
    if (target.layer == layer()) {
        selectFeature(target.feature);
        return;
    }
    m_pendingFeature = target.feature;
    setLayer(target.layer);
}

int SaeView::takePendingFeature() {
    const int feature = m_pendingFeature;
    m_pendingFeature = -1;
    return feature;
}

void SaeView::selectFeature(int feature) {
    if (feature == m_feature) return;
    m_feature = feature;
    m_trace.reset();
    m_traceMap->clear(feature >= 0 ? tr("Following the feature…") : QString());
    m_featureTitle->setText(feature >= 0 ? tr("Feature %1 at layer %2").arg(featureLabel(feature), probeLayerLabel(layer()))
                                         : tr("Feature"));
    // The same feature in the table.
    if (m_view) {
        const QSignalBlocker block(m_differences);
        m_differences->clearSelection();
        for (int i = 0; i < int(m_view->differences.size()); ++i)
            if (m_view->differences[std::size_t(i)].feature == feature) m_differences->selectRow(i);
    }
    showProfile();
    if (feature >= 0) emit featureSelected(feature);
}

void SaeView::setTrace(const SaeFeatureTracePtr& trace) {
    m_trace = trace;
    {
        const QSignalBlocker block(m_nearest);
        m_nearest->clear();
        if (trace)
            for (const SaeNeighbour& n : trace->nearest) {
                auto* item = new QListWidgetItem(tr("%1 · cosine %2").arg(featureLabel(n.feature), probeNumber(n.cosine, 3)),
                                                 m_nearest);
                item->setData(Qt::UserRole, int(n.feature));
            }
    }
    redrawTrace();
}

void SaeView::redrawTrace() {
    if (!m_trace) return;
    const SaeFeatureTrace& trace = m_trace->trace(m_grouping);
    if (trace.heatmap.rows == 0) {
        m_traceMap->clear(tr("Type a sentence to follow the feature across layers."));
        return;
    }
    Heatmap map = trace.heatmap;
    map.title = tr("Activation").toStdString();
    map.diverging = false;
    const float top = largestValue({&map});
    m_traceMap->setFixedColorRange(0.0, top > 0 ? double(top) : 1.0);
    m_traceMap->setColumnAxisLabel(m_grouping == TokenGrouping::Words ? tr("Word") : tr("Token"));
    m_traceMap->setHeatmap(map);
    setHeatmapTitle(m_traceMap, tr("%1 across layers: %2").arg(featureLabel(m_trace->feature), m_trace->sentence));
}

void SaeView::setIndex(const SaeFeatureIndexPtr& index) {
    m_index = index;
    m_indexProgress->hide();
    showProfile();
}

void SaeView::setIndexStatus(const SaeIndexStatus& status) {
    m_indexProgress->show();
    QString stage = status.stage;
    if (!stage.isEmpty()) stage[0] = stage[0].toUpper();
    const ExtractionProgress& x = status.extraction;
    if (status.total > 0) {
        m_indexProgress->setRange(0, 1000);
        m_indexProgress->setValue(int(1000.0 * double(status.done) / double(status.total)));
    } else if (x.sentencesTotal > 0) {
        m_indexProgress->setRange(0, 1000);
        m_indexProgress->setValue(int(1000.0 * double(x.sentencesDone) / double(x.sentencesTotal)));
    } else {
        m_indexProgress->setRange(0, 0);
    }
    m_indexProgress->setFormat(stage + QStringLiteral(" %p%"));
    m_stats->setText(tr("Indexing the dataset's tokens…"));
}

void SaeView::setIndexMessage(const QString& message) {
    m_indexProgress->hide();
    m_stats->setText(message);
}

bool SaeView::isIndexing() const { return m_indexProgress->isVisible(); }

QString SaeView::featureStatsText() const { return m_stats->text(); }

void SaeView::clearFeatureArea(const QString& message) {
    m_featureTitle->setText(tr("Feature"));
    m_traceMap->clear(message.isEmpty() ? tr("Click a row of the heatmap to follow a feature.") : message);
    m_nearest->clear();
    m_contexts->clear();
    m_highlighted.clear();
    m_histogram->clearPlottables();
    m_histogram->replot(QCustomPlot::rpQueuedReplot);
    m_indexProgress->hide();
    m_stats->clear();
}

void SaeView::showProfile() {
    m_histogram->clearPlottables();
    m_contexts->clear();
    m_highlighted.clear();
    // Only an index of the set and layer on screen.
    const bool matches = m_index && m_view && m_index->layer == m_view->layer &&
                         QString::fromStdString(m_index->setName) == m_view->setName;
    const SaeFeatureProfile* profile = matches && m_feature >= 0 && m_feature < int(m_index->features.size())
                                           ? &m_index->features[std::size_t(m_feature)] : nullptr;
    if (!profile) {
        if (!isIndexing()) m_stats->setText(m_feature >= 0 ? tr("The dataset profile appears once the index is built.")
                                                           : QString());
        m_histogram->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const QLocale locale;
    m_stats->setText(tr("Fires on %1% of %2 tokens (%3) · mean %4 · max %5")
                         .arg(probeNumber(100.0 * m_index->firingFrequency(m_feature), 2),
                              locale.toString(qint64(m_index->tokens)), locale.toString(qint64(profile->fireCount)),
                              probeNumber(profile->meanActivation, 3), probeNumber(profile->maxActivation, 3)));
    // The histogram: bins of equal width over (0, max].
    const int bins = int(profile->histogram.size());
    if (bins > 0 && profile->maxActivation > 0) {
        auto* bars = new QCPBars(m_histogram->xAxis, m_histogram->yAxis);
        const double width = double(profile->maxActivation) / bins;
        QVector<double> x, y;
        double high = 1;
        for (int b = 0; b < bins; ++b) {
            x << (b + 0.5) * width;
            y << double(profile->histogram[std::size_t(b)]);
            high = std::max(high, y.back());
        }
        bars->setData(x, y, true);
        bars->setWidth(width * 0.9);
        bars->setPen(Qt::NoPen);
        bars->setBrush(QColor(0, 114, 178));
        m_histogram->xAxis->setRange(0, double(profile->maxActivation));
        m_histogram->yAxis->setRange(0, high * 1.1);
    }
    m_histogram->replot(QCustomPlot::rpQueuedReplot);
    // The contexts: the token in bold on a yellow background.
    QString html;
    const int shown = std::min(int(profile->top.size()), kShownContexts);
    for (int i = 0; i < shown; ++i) {
        const SaeContext& c = profile->top[std::size_t(i)];
        if (c.sentence < 0 || c.sentence >= std::int64_t(m_index->sentences.size())) continue;
        const QByteArray text = QByteArray::fromStdString(m_index->sentences[std::size_t(c.sentence)]);
        const qsizetype begin = qsizetype(std::clamp<std::int64_t>(c.byteBegin, 0, text.size()));
        const qsizetype end = qsizetype(std::clamp<std::int64_t>(c.byteEnd, begin, text.size()));
        const QString before = QString::fromUtf8(text.left(begin)), token = QString::fromUtf8(text.mid(begin, end - begin)),
                      after = QString::fromUtf8(text.mid(end));
        m_highlighted << token;
        html += QStringLiteral("<p style=\"margin:2px 0\"><span style=\"color:#666\">%1</span>&nbsp; %2"
                               "<b style=\"background-color:#ffd54f\">%3</b>%4</p>")
                    .arg(probeNumber(c.value, 2), before.toHtmlEscaped(), token.toHtmlEscaped(), after.toHtmlEscaped());
    }
    if (html.isEmpty()) html = tr("<p>The feature fires on no token of the dataset.</p>");
    m_contexts->setHtml(html);
}

} // namespace gs::ui
