#include "probe_panel.h"
#include "set_list.h"

#include "report_table.h"

#include "probe_text.h"

#include <qcustomplot.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gs::ui {
namespace {

// Colours that stay apart for colour-blind readers (Okabe & Ito).
const QColor kBlue(0, 114, 178);
const QColor kOrange(230, 159, 0);
const QColor kGreen(0, 158, 115);
const QColor kSky(86, 180, 233);
const QColor kGrey(110, 110, 110);
const QColor kPurple(204, 121, 167);

struct Column {
    const char* title;
    const char* toolTip;
};
// The per-layer table, left to right.
constexpr Column kColumns[] = {
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Layer"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "emb = the embedding output")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Accuracy"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Probe accuracy on the test split (sentences never seen in training)")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Macro-F1"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Mean F1 over the classes: low when a rare class is missed")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Majority"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Accuracy of always answering the most frequent training class")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Random"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Accuracy of the same probe on random vectors of the layer's width instead of the hidden states: what the label distribution alone gives")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Control"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Accuracy of the same probe on the control task (random labels per word type)")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Selectivity"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Accuracy − control accuracy: what the probe reads from the representation rather than memorises")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "MI (bits)"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Bayesian mutual information H(T) − H_q(T|R) on the test split, in bits")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "MDL (kbits)"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Online codelength of the labels given the representations (lower: easier to extract)")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Compression"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Uniform codelength / online codelength (higher: easier to extract)")},
    {QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "SMI (bits)"), QT_TRANSLATE_NOOP("gs::ui::ProbePanel", "Sliced mutual information: mean MI over random 1-D projections (not MI)")},
};
constexpr int kColumnCount = int(std::size(kColumns));

bool anyFinite(const QVector<double>& values) {
    return std::any_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

QCPGraph* addGraph(QCustomPlot* plot, QCPAxis* valueAxis, const QString& name, const QColor& color,
                   Qt::PenStyle style, QCPScatterStyle::ScatterShape shape, const QVector<double>& x,
                   const QVector<double>& y, double width = 1.6) {
    QCPGraph* graph = plot->addGraph(plot->xAxis, valueAxis);
    graph->setName(name);
    graph->setPen(QPen(color, width, style));
    graph->setScatterStyle(QCPScatterStyle(shape, color, shape == QCPScatterStyle::ssNone ? 0 : 6));
    graph->setData(x, y, true);
    return graph;
}

void styleAxes(QCustomPlot* plot, const QFont& font) {
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis, plot->yAxis2}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    plot->legend->setFont(font);
}

} // namespace

ProbePanel::ProbePanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("probePanel"));
    auto makeButton = [this](const QString& text, const QString& tip, const char* name) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setToolTip(tip);
        button->setObjectName(QLatin1String(name));
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        return button;
    };
    m_train = makeButton(tr("Tra&in…"), tr("Train probes on the current dataset (Analysis › Train probes…, "
                                           "Ctrl+Shift+P)"), "probeTrainButton");
    m_export = makeButton(tr("E&xport…"), tr("Write the chosen probe set (weights as safetensors, report as JSON) "
                                             "into a folder"), "probeExportButton");
    m_delete = makeButton(tr("&Delete"), tr("Delete the chosen probe set from the results store"),
                          "probeDeleteButton");
    connect(m_train, &QToolButton::clicked, this, &ProbePanel::trainRequested);
    connect(m_export, &QToolButton::clicked, this, [this] {
        if (!currentSetName().isEmpty()) emit exportRequested(currentSetName());
    });
    connect(m_delete, &QToolButton::clicked, this, [this] {
        if (!currentSetName().isEmpty()) emit deleteRequested(currentSetName());
    });
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    auto* title = new QLabel(tr("Probe sets of this model:"), this);
    buttons->addWidget(title, 1);
    buttons->addWidget(m_train);
    buttons->addWidget(m_export);
    buttons->addWidget(m_delete);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("probeSetList"));
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(false);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setMinimumHeight(QFontMetrics(font()).height() * 2 + 8);
    m_list->setToolTip(tr("Probe sets trained for the loaded model, newest first; they are kept in the results "
                          "store"));
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        showSet(currentSet());
        updateButtons();
        emit currentSetChanged(currentSetName());
    });

    m_progressRow = new QWidget(this);
    auto* progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    m_stage = new QLabel(m_progressRow);
    m_stage->setObjectName(QStringLiteral("probeStageLabel"));
    m_stage->setMinimumWidth(60);
    m_stage->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName(QStringLiteral("probeProgressBar"));
    m_progress->setMaximumWidth(160);
    m_progress->setToolTip(tr("Steps of the training done (hidden states, then each layer's probe and measures)"));
    m_cancel = makeButton(QString(), tr("Cancel the training (Esc)"), "probeCancelButton");
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_cancel->setAutoRaise(true);
    connect(m_cancel, &QToolButton::clicked, this, &ProbePanel::cancelRequested);
    progressLayout->addWidget(m_stage, 1);
    progressLayout->addWidget(m_progress);
    progressLayout->addWidget(m_cancel);
    m_progressRow->hide();

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("probeSummaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    buildPlots();
    QStringList titles, tips;
    for (const Column& column : kColumns) {
        titles << tr(column.title);
        tips << tr(column.toolTip);
    }
    m_table = makeReportTable(this, QStringLiteral("probeLayerTable"), titles, tips,
                              tr("Every number per layer; Ctrl+C or the context menu copies the table"));

    // The sets, the plot and the table share the height; the plot gets most.
    auto* sets = new QWidget(this);
    auto* setsLayout = new QVBoxLayout(sets);
    setsLayout->setContentsMargins(0, 0, 0, 0);
    setsLayout->addWidget(m_list, 1);
    setsLayout->addWidget(m_summary);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("probePanelSplitter"));
    splitter->addWidget(sets);
    splitter->addWidget(m_plotTabs);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setStretchFactor(2, 3);
    splitter->setChildrenCollapsible(false);
    const int line = QFontMetrics(font()).height();
    splitter->setSizes({line * 5, line * 14, line * 7});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_progressRow);
    layout->addWidget(splitter, 1);
    showSet(nullptr);
    updateButtons();
}

void ProbePanel::buildPlots() {
    QFont font = this->font();
    font.setPointSizeF(std::max(8.0, font.pointSizeF() - 0.5));

    m_layerPlot = new QCustomPlot(this);
    m_layerPlot->setObjectName(QStringLiteral("probeLayerPlot"));
    m_layerPlot->setMinimumHeight(150);
    m_layerPlot->setMouseTracking(true);
    styleAxes(m_layerPlot, font);
    m_layerPlot->xAxis->setLabel(tr("Layer"));
    m_layerPlot->yAxis->setLabel(tr("Accuracy"));
    m_layerPlot->yAxis2->setLabel(tr("Information (bits)"));
    m_layerPlot->yAxis2->setVisible(true);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    m_layerPlot->xAxis->setTicker(ticker);
    m_layerPlot->xAxis->grid()->setVisible(false);
    // The legend goes below the axes, where it hides no point.
    auto* legendRow = new QCPLayoutGrid;
    m_layerPlot->plotLayout()->addElement(1, 0, legendRow);
    legendRow->setMargins(QMargins(4, 0, 4, 4));
    legendRow->addElement(0, 0, m_layerPlot->legend);
    m_layerPlot->legend->setVisible(true);
    m_layerPlot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_layerPlot->legend->setWrap(3);
    m_layerPlot->legend->setBorderPen(Qt::NoPen);
    m_layerPlot->legend->setIconSize(18, 10);
    m_layerPlot->plotLayout()->setRowStretchFactor(1, 0.001);
    connect(m_layerPlot, &QCustomPlot::mouseMove, this, &ProbePanel::onPlotHover);

    m_curvePlot = new QCustomPlot(this);
    m_curvePlot->setObjectName(QStringLiteral("probeCurvePlot"));
    m_curvePlot->setMinimumHeight(150);
    styleAxes(m_curvePlot, font);
    m_curvePlot->xAxis->setLabel(tr("Training examples"));
    m_curvePlot->yAxis->setLabel(tr("Bayesian MI (bits)"));
    m_curvePlot->xAxis->setScaleType(QCPAxis::stLogarithmic);
    m_curvePlot->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    m_curvePlot->legend->setVisible(false);

    m_plotTabs = new QTabWidget(this);
    m_plotTabs->setObjectName(QStringLiteral("probePlotTabs"));
    m_plotTabs->setDocumentMode(true);
    m_plotTabs->addTab(m_layerPlot, tr("Per layer"));
    m_plotTabs->addTab(m_curvePlot, tr("Learning curve"));
}

void ProbePanel::setProbeSets(const std::vector<ProbeSet>& sets) {
    const QString chosen = currentSetName();
    m_sets = sets;
    setlist::fill(m_list, m_sets, probeSetTitle, probeSetSubtitle, probeSetDetails);
    setCurrentSet(chosen);
    if (m_sets.empty()) showSet(nullptr);
    updateButtons();
}

void ProbePanel::setCurrentSet(const QString& name) {
    setlist::select(m_list, name);
    showSet(currentSet());
    updateButtons();
}

QString ProbePanel::currentSetName() const { return setlist::currentName(m_list); }

const ProbeSet* ProbePanel::currentSet() const { return setlist::current(m_list, m_sets); }

void ProbePanel::setTrainEnabled(bool enabled, const QString& why) {
    m_trainEnabled = enabled;
    m_trainWhy = why;
    updateButtons();
}

void ProbePanel::updateButtons() {
    m_train->setEnabled(m_trainEnabled && !m_training);
    m_train->setToolTip(m_trainEnabled || m_trainWhy.isEmpty()
                            ? tr("Train probes on the current dataset (Analysis › Train probes…, Ctrl+Shift+P)")
                            : m_trainWhy);
    const bool chosen = currentSet() != nullptr;
    m_export->setEnabled(chosen);
    m_delete->setEnabled(chosen);
}

void ProbePanel::setTraining(bool training) {
    m_training = training;
    m_progressRow->setVisible(training);
    m_cancel->setEnabled(true);
    if (training) {
        m_stage->setText(tr("Starting…"));
        m_progress->setRange(0, 0);
    }
    updateButtons();
}

void ProbePanel::setTrainingStatus(const ProbeTrainStatus& status) {
    if (!m_training || !m_cancel->isEnabled()) return;
    const QLocale locale;
    QString stage = status.stage;
    if (!stage.isEmpty()) stage[0] = stage[0].toUpper();
    const ExtractionProgress& x = status.extraction;
    if (x.sentencesTotal > 0 && x.sentencesDone < x.sentencesTotal && !x.fromCache) {
        stage += QStringLiteral(": ") + tr("%1 / %2 sentences").arg(locale.toString(qint64(x.sentencesDone)),
                                                                   locale.toString(qint64(x.sentencesTotal)));
        if (x.tokensPerSecond > 0)
            stage += QStringLiteral(" · ") + tr("%1 tokens/s").arg(locale.toString(qint64(std::llround(x.tokensPerSecond))));
    }
    m_stage->setText(stage);
    m_stage->setToolTip(stage);
    if (status.steps > 0) {
        m_progress->setRange(0, status.steps);
        m_progress->setValue(std::clamp(status.step, 0, status.steps));
    }
}

void ProbePanel::setCancelling() {
    m_stage->setText(tr("Cancelling…"));
    m_cancel->setEnabled(false);
}

QString ProbePanel::trainingText() const { return m_training ? m_stage->text() : QString(); }

// ---------------------------------------------------------------- the chosen set

void ProbePanel::showSet(const ProbeSet* set) {
    m_hoverReport = -1;
    if (!set) {
        m_summary->setText(m_sets.empty() ? tr("No probe set for this model yet: Train… probes a task on every "
                                               "layer of the current dataset.")
                                          : tr("Choose a probe set to see its report."));
    } else {
        const QLocale locale;
        QStringList classes;
        for (std::size_t c = 0; c < set->classes.size(); ++c)
            classes << QStringLiteral("%1 %2").arg(QString::fromStdString(set->classes[c]),
                                                   locale.toString(qint64(c < set->classCounts.size() ? set->classCounts[c] : 0)));
        QString text = tr("%1 examples from %2 sentences · classes: %3")
                           .arg(locale.toString(qint64(set->examples)), locale.toString(qint64(set->sentences)),
                                classes.join(QStringLiteral(", ")));
        if (!set->warnings.empty()) text += QLatin1Char('\n') + tr("%n warning(s) (hover the set)", "", int(set->warnings.size()));
        m_summary->setText(text);
    }
    fillLayerPlot(set);
    fillCurvePlot(set);
    fillTable(set);
}

void ProbePanel::fillLayerPlot(const ProbeSet* set) {
    QCustomPlot* plot = m_layerPlot;
    plot->clearPlottables();
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(plot->xAxis->ticker());
    ticker->clear();
    if (!set || set->reports.empty()) {
        plot->xAxis->setRange(-0.5, 0.5);
        plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    QVector<double> x, acc, control, majority, random, selectivity, mi, smi;
    for (const LayerProbeReport& r : set->reports) {
        x << r.layer;
        acc << r.accuracy;
        control << (set->options.control ? r.controlAccuracy : qQNaN());
        majority << r.majority;
        random << r.randomAccuracy;
        selectivity << (set->options.control ? r.selectivity : qQNaN());
        mi << r.informationBits;
        smi << (set->options.slicedMi ? r.slicedMiBits : qQNaN());
        ticker->addTick(r.layer, probeLayerLabel(r.layer));
    }
    double low = 0;
    if (anyFinite(selectivity)) {
        auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
        bars->setName(tr("Selectivity"));
        bars->setWidth(0.45);
        bars->setPen(Qt::NoPen);
        bars->setBrush(QColor(kSky.red(), kSky.green(), kSky.blue(), 120));
        QVector<double> bx, by;
        for (int i = 0; i < selectivity.size(); ++i)
            if (std::isfinite(selectivity[i])) {
                bx << x[i];
                by << selectivity[i];
                low = std::min(low, selectivity[i]);
            }
        bars->setData(bx, by, true);
    }
    addGraph(plot, plot->yAxis, tr("Majority"), kGrey, Qt::DotLine, QCPScatterStyle::ssNone, x, majority);
    if (anyFinite(random))
        addGraph(plot, plot->yAxis, tr("Random vectors"), kGrey, Qt::DashLine, QCPScatterStyle::ssCross, x, random);
    if (anyFinite(control))
        addGraph(plot, plot->yAxis, tr("Control"), kOrange, Qt::DashLine, QCPScatterStyle::ssTriangle, x, control);
    addGraph(plot, plot->yAxis, tr("Accuracy"), kBlue, Qt::SolidLine, QCPScatterStyle::ssDisc, x, acc, 2.2);
    double bitsLow = 0, bitsHigh = 0;
    for (const QVector<double>* bits : {&mi, &smi})
        for (double v : *bits)
            if (std::isfinite(v)) {
                bitsLow = std::min(bitsLow, v);
                bitsHigh = std::max(bitsHigh, v);
            }
    if (anyFinite(mi))
        addGraph(plot, plot->yAxis2, tr("MI, bits ▸"), kGreen, Qt::SolidLine, QCPScatterStyle::ssSquare, x, mi);
    if (anyFinite(smi))
        addGraph(plot, plot->yAxis2, tr("SMI, bits ▸"), kPurple, Qt::DashDotLine, QCPScatterStyle::ssDiamond, x, smi);
    plot->yAxis2->setVisible(anyFinite(mi) || anyFinite(smi));
    plot->yAxis2->setRange(bitsLow * 1.1, bitsHigh > 0 ? bitsHigh * 1.15 : 1.0);
    plot->yAxis->setRange(low < 0 ? low - 0.05 : 0.0, 1.04);
    plot->xAxis->setRange(x.front() - 0.5, x.back() + 0.5);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void ProbePanel::fillCurvePlot(const ProbeSet* set) {
    QCustomPlot* plot = m_curvePlot;
    plot->clearPlottables();
    plot->clearItems();
    const bool has = set && !set->learningCurve.empty();
    m_plotTabs->setTabEnabled(1, has);
    m_plotTabs->setTabToolTip(1, has ? tr("Bayesian MI against the number of training examples, at layer %1")
                                           .arg(probeLayerLabel(set->curveLayer))
                                     : tr("This set has no learning curve (Train… › Learning curve)"));
    if (!has) {
        if (m_plotTabs->currentIndex() == 1) m_plotTabs->setCurrentIndex(0);
        plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    QVector<double> x, y, low, high;
    double lo = 0, hi = 0;
    for (const LearningCurvePoint& p : set->learningCurve) {
        if (p.trainRows <= 0) continue;
        x << double(p.trainRows);
        y << p.informationBits;
        low << std::max(0.0, p.informationBits - p.minBits);
        high << std::max(0.0, p.maxBits - p.informationBits);
        lo = std::min(lo, p.minBits);
        hi = std::max(hi, p.maxBits);
    }
    QCPGraph* graph = addGraph(plot, plot->yAxis, tr("Bayesian MI"), kGreen, Qt::SolidLine, QCPScatterStyle::ssDisc, x, y);
    auto* bars = new QCPErrorBars(plot->xAxis, plot->yAxis);
    bars->setDataPlottable(graph);
    bars->setData(low, high);
    bars->setPen(QPen(kGreen, 1));
    auto* zero = new QCPItemStraightLine(plot);
    zero->point1->setCoords(1, 0);
    zero->point2->setCoords(10, 0);
    zero->setPen(QPen(kGrey, 1, Qt::DotLine));
    if (!x.isEmpty()) plot->xAxis->setRange(x.front() / 1.5, x.back() * 1.5);
    plot->yAxis->setRange(std::min(0.0, lo) - 0.05 * std::max(1.0, hi - lo), hi + 0.1 * std::max(0.1, hi - lo));
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void ProbePanel::fillTable(const ProbeSet* set) {
    m_table->setRowCount(0);
    if (!set) return;
    const int best = bestProbeReport(*set);
    m_table->setRowCount(int(set->reports.size()));
    for (int i = 0; i < int(set->reports.size()); ++i) {
        const LayerProbeReport& r = set->reports[std::size_t(i)];
        const QString cells[kColumnCount] = {
            probeLayerLabel(r.layer),
            probeNumber(r.accuracy, 3),
            probeNumber(r.macroF1, 3),
            probeNumber(r.majority, 3),
            probeNumber(r.randomAccuracy, 3),
            probeNumber(set->options.control ? r.controlAccuracy : qQNaN(), 3),
            probeNumber(set->options.control ? r.selectivity : qQNaN(), 3),
            probeNumber(r.informationBits, 3),
            probeNumber(set->options.mdl ? r.mdlBits / 1000.0 : qQNaN(), 2),
            probeNumber(set->options.mdl ? r.mdlCompression : qQNaN(), 2),
            probeNumber(set->options.slicedMi ? r.slicedMiBits : qQNaN(), 4),
        };
        for (int c = 0; c < kColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(c == 0 ? Qt::Alignment(Qt::AlignCenter) : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
            if (i == best) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            item->setToolTip(layerToolTip(i));
            m_table->setItem(i, c, item);
        }
    }
}

QString ProbePanel::layerTableText() const { return reportTableText(m_table); }

void ProbePanel::copyLayerTable() { QApplication::clipboard()->setText(layerTableText()); }

QString ProbePanel::layerToolTip(int index) const {
    const ProbeSet* set = currentSet();
    if (!set || index < 0 || index >= int(set->reports.size())) return {};
    const LayerProbeReport& r = set->reports[std::size_t(index)];
    const QLocale locale;
    QString out = tr("<b>Layer %1</b>").arg(probeLayerLabel(r.layer));
    auto line = [&out](const QString& name, const QString& value) {
        out += QStringLiteral("<br>%1: %2").arg(name, value);
    };
    line(tr("Accuracy"), probeNumber(r.accuracy, 3));
    line(tr("Macro-F1"), probeNumber(r.macroF1, 3));
    line(tr("Majority baseline"), probeNumber(r.majority, 3));
    line(tr("Random representation"), probeNumber(r.randomAccuracy, 3));
    if (set->options.control) {
        line(tr("Control accuracy"), probeNumber(r.controlAccuracy, 3));
        line(tr("Selectivity"), probeNumber(r.selectivity, 3));
    }
    line(tr("MI"), tr("%1 bits (H(T) %2 − H_q(T|R) %3)")
                       .arg(probeNumber(r.informationBits, 3), probeNumber(r.labelEntropyBits, 3),
                            probeNumber(r.probeCrossEntropyBits, 3)));
    if (set->options.mdl)
        line(tr("MDL"), tr("%1 kbits, compression %2").arg(probeNumber(r.mdlBits / 1000.0, 2),
                                                          probeNumber(r.mdlCompression, 2)));
    if (set->options.slicedMi) line(tr("SMI"), tr("%1 bits").arg(probeNumber(r.slicedMiBits, 4)));
    line(tr("Rows"), tr("%1 train · %2 dev · %3 test").arg(locale.toString(qint64(r.trainRows)),
                                                        locale.toString(qint64(r.devRows)),
                                                        locale.toString(qint64(r.testRows))));
    line(tr("Epochs"), QString::number(r.epochs));
    return out;
}

void ProbePanel::onPlotHover(QMouseEvent* event) {
    const ProbeSet* set = currentSet();
    if (!set || set->reports.empty() || !m_layerPlot->axisRect()->rect().contains(event->pos())) {
        if (m_hoverReport != -1) QToolTip::hideText();
        m_hoverReport = -1;
        return;
    }
    const double layer = m_layerPlot->xAxis->pixelToCoord(event->position().x());
    int nearest = 0;
    for (int i = 1; i < int(set->reports.size()); ++i)
        if (std::abs(set->reports[std::size_t(i)].layer - layer) < std::abs(set->reports[std::size_t(nearest)].layer - layer))
            nearest = i;
    if (nearest == m_hoverReport) return;
    m_hoverReport = nearest;
    QToolTip::showText(m_layerPlot->mapToGlobal(event->position().toPoint()), layerToolTip(nearest), m_layerPlot);
}

} // namespace gs::ui
