#include "sae_panel.h"
#include "set_list.h"

#include "report_table.h"

#include "probe_text.h"

#include "grammascope/layer_view.h"

#include <qcustomplot.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QStyle>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace gs::ui {
namespace {

// Okabe & Ito colours, as in the Probes panel.
const QColor kBlue(0, 114, 178);
const QColor kOrange(230, 159, 0);
const QColor kGreen(0, 158, 115);
const QColor kGrey(110, 110, 110);

struct Column {
    const char* title;
    const char* toolTip;
};
constexpr Column kColumns[] = {
    {QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Layer"), QT_TRANSLATE_NOOP("gs::ui::SaePanel", "emb = the embedding output")},
    {QT_TRANSLATE_NOOP("gs::ui::SaePanel", "L0"), QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Mean active latents per held-out token")},
    {QT_TRANSLATE_NOOP("gs::ui::SaePanel", "FVU"), QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Fraction of variance unexplained on the held-out tokens: Σ‖x − x̂‖² / Σ‖x − x̄‖² (0 = perfect)")},
    {QT_TRANSLATE_NOOP("gs::ui::SaePanel", "MSE"), QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Mean squared reconstruction error per coordinate")},
    {QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Dead %"), QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Latents that fire on none of the held-out tokens")},
    {QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Loss rec."), QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Loss recovered: MLM loss with the reconstruction spliced into the layer: (CE_zero − CE_sae) / (CE_zero − CE_clean); 1 = as good as the model")},
    {QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Train rows"), QT_TRANSLATE_NOOP("gs::ui::SaePanel", "Token rows the autoencoder was trained on")},
};
constexpr int kColumnCount = int(std::size(kColumns));

std::int64_t dictionarySize(const SaeSet& set) {
    for (const SaeLayerResult& layer : set.layers)
        if (layer.sae.dSae > 0) return layer.sae.dSae;
    return set.request.options.dictionarySize;
}

} // namespace

QString saeSetTitle(const SaeSet& set) {
    const QLocale locale;
    const SaeOptions& o = set.request.options;
    const SaeKind kind = set.layers.empty() ? o.kind : set.layers.front().sae.kind;
    QString title = kind == SaeKind::TopK
        ? SaePanel::tr("TopK k=%1").arg(set.layers.empty() || set.layers.front().sae.k <= 0 ? o.k : set.layers.front().sae.k)
        : SaePanel::tr("ReLU + L1");
    title += QStringLiteral(" · ") + SaePanel::tr("%1 latents").arg(locale.toString(qint64(dictionarySize(set))));
    QStringList layers;
    for (const SaeLayerResult& layer : set.layers) layers << probeLayerLabel(layer.layer);
    title += QStringLiteral(" · ") + SaePanel::tr("layers %1").arg(layers.join(QStringLiteral(", ")));
    return title;
}

QString saeSetSubtitle(const SaeSet& set) {
    const QLocale locale;
    QStringList parts;
    if (set.imported) parts << SaePanel::tr("imported from SAELens");
    else if (!set.datasetName.empty()) parts << QString::fromStdString(set.datasetName);
    if (set.sentences > 0) parts << SaePanel::tr("%1 sentences").arg(locale.toString(qint64(set.sentences)));
    if (set.createdMs > 0)
        parts << locale.toString(QDateTime::fromMSecsSinceEpoch(set.createdMs), QLocale::ShortFormat);
    return parts.join(QStringLiteral(" · "));
}

QString saeSetDetails(const SaeSet& set) {
    const QLocale locale;
    const SaeOptions& o = set.request.options;
    QStringList lines;
    lines << saeSetTitle(set) << saeSetSubtitle(set);
    if (!set.imported) {
        lines << SaePanel::tr("Learning rate %1 · %2 epoch(s) · batch %3 · seed %4")
                     .arg(QLocale::c().toString(o.learningRate, 'g', 3))
                     .arg(o.epochs)
                     .arg(o.batchSize)
                     .arg(qulonglong(o.seed));
        lines << SaePanel::tr("%1 held-out sentences for the metrics; %2 s")
                     .arg(locale.toString(qint64(set.heldOutSentences)), probeNumber(set.seconds, 1));
    }
    lines << SaePanel::tr("Stored as %1").arg(QString::fromStdString(set.name));
    return lines.join(QLatin1Char('\n'));
}

SaePanel::SaePanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("saePanel"));
    auto makeButton = [this](const QString& text, const QString& tip, const char* name) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setToolTip(tip);
        button->setObjectName(QLatin1String(name));
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        return button;
    };
    // No mnemonics here: the Probes panel and the main window have taken the letters.
    m_train = makeButton(tr("Train…"), QString(), "saeTrainButton");
    m_import = makeButton(tr("Import…"), tr("Store SAELens folders (cfg.json + sae_weights.safetensors) as a set for "
                                            "the loaded model"), "saeImportButton");
    m_export = makeButton(tr("Export…"), tr("Write the chosen set as SAELens folders, one per layer"),
                          "saeExportButton");
    m_delete = makeButton(tr("Delete"), tr("Delete the chosen set from the results store"), "saeDeleteButton");
    connect(m_train, &QToolButton::clicked, this, &SaePanel::trainRequested);
    connect(m_import, &QToolButton::clicked, this, &SaePanel::importRequested);
    connect(m_export, &QToolButton::clicked, this, [this] {
        if (!currentSetName().isEmpty()) emit exportRequested(currentSetName());
    });
    connect(m_delete, &QToolButton::clicked, this, [this] {
        if (!currentSetName().isEmpty()) emit deleteRequested(currentSetName());
    });
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(new QLabel(tr("SAE sets of this model:"), this), 1);
    for (QToolButton* button : {m_train, m_import, m_export, m_delete}) buttons->addWidget(button);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("saeSetList"));
    m_list->setAlternatingRowColors(true);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setMinimumHeight(QFontMetrics(font()).height() * 2 + 8);
    m_list->setToolTip(tr("Sparse autoencoder sets of the loaded model, newest first; they are kept in the results "
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
    m_stage->setObjectName(QStringLiteral("saeStageLabel"));
    m_stage->setMinimumWidth(60);
    m_stage->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName(QStringLiteral("saeProgressBar"));
    m_progress->setMaximumWidth(160);
    m_progress->setToolTip(tr("Steps of the job done (hidden states, then each layer's training and measures)"));
    m_cancel = makeButton(QString(), tr("Cancel the training (Esc); training again resumes where it stopped"),
                          "saeCancelButton");
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_cancel->setAutoRaise(true);
    connect(m_cancel, &QToolButton::clicked, this, &SaePanel::cancelRequested);
    progressLayout->addWidget(m_stage, 1);
    progressLayout->addWidget(m_progress);
    progressLayout->addWidget(m_cancel);
    m_progressRow->hide();

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("saeSummaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    buildPlot();
    QStringList titles, tips;
    for (const Column& column : kColumns) {
        titles << tr(column.title);
        tips << tr(column.toolTip);
    }
    m_table = makeReportTable(this, QStringLiteral("saeMetricsTable"), titles, tips,
                              tr("Per-layer metrics on the held-out sentences; Ctrl+C or the context menu copies the table"));

    auto* sets = new QWidget(this);
    auto* setsLayout = new QVBoxLayout(sets);
    setsLayout->setContentsMargins(0, 0, 0, 0);
    setsLayout->addWidget(m_list, 1);
    setsLayout->addWidget(m_summary);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("saePanelSplitter"));
    splitter->addWidget(sets);
    splitter->addWidget(m_plot);
    splitter->addWidget(m_table);
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

void SaePanel::buildPlot() {
    QFont font = this->font();
    font.setPointSizeF(std::max(8.0, font.pointSizeF() - 0.5));
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("saeTrainingPlot"));
    m_plot->setMinimumHeight(150);
    m_plot->setToolTip(tr("Every training step of the last training: loss, FVU and dead fraction on the left axis, "
                          "L0 (active latents per token) on the right; each layer's SAE follows the previous one, "
                          "after a dotted line with the layer's name"));
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis, m_plot->yAxis2}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    m_plot->legend->setFont(font);
    m_plot->xAxis->setLabel(tr("Step"));
    m_plot->yAxis->setLabel(tr("Loss, FVU, dead fraction"));
    m_plot->yAxis2->setLabel(tr("L0"));
    m_plot->yAxis2->setVisible(true);
    auto* legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendRow);
    legendRow->setMargins(QMargins(4, 0, 4, 4));
    legendRow->addElement(0, 0, m_plot->legend);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(4);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setIconSize(18, 10);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    const struct {
        const char* name;
        QColor color;
        Qt::PenStyle style;
        bool right;
    } graphs[] = {
        {QT_TR_NOOP("Loss"), kBlue, Qt::SolidLine, false},
        {QT_TR_NOOP("FVU"), kGreen, Qt::SolidLine, false},
        {QT_TR_NOOP("Dead fraction"), kGrey, Qt::DashLine, false},
        {QT_TR_NOOP("L0 ▸"), kOrange, Qt::SolidLine, true},
    };
    for (const auto& g : graphs) {
        QCPGraph* graph = m_plot->addGraph(m_plot->xAxis, g.right ? m_plot->yAxis2 : m_plot->yAxis);
        graph->setName(tr(g.name));
        graph->setPen(QPen(g.color, 1.6, g.style));
    }
    clearPlot();
}

void SaePanel::clearPlot() {
    for (int g = 0; g < m_plot->graphCount(); ++g) m_plot->graph(g)->data()->clear();
    m_plot->clearItems();
    m_stepOffset = 0;
    m_lastStep = -1;
    m_lastTotal = 0;
    m_lastLayer = -1;
    m_maxLeft = 1;
    m_maxRight = 1;
    m_plot->xAxis->setRange(0, 1);
    m_plot->yAxis->setRange(0, 1);
    m_plot->yAxis2->setRange(0, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int SaePanel::plottedSteps() const {
    if (m_plot->graphCount() == 0) return 0;
    int n = 0;  // the gaps between layers are NaN points
    for (auto it = m_plot->graph(0)->data()->constBegin(); it != m_plot->graph(0)->data()->constEnd(); ++it)
        if (std::isfinite(it->value)) ++n;
    return n;
}

QStringList SaePanel::plotLayerMarks() const {
    QStringList marks;
    for (int i = 0; i < m_plot->itemCount(); ++i)
        if (const auto* text = qobject_cast<QCPItemText*>(m_plot->item(i))) marks << text->text();
    return marks;
}

void SaePanel::markLayerStart(double x, int layer) {
    auto* line = new QCPItemStraightLine(m_plot);
    line->setPen(QPen(QColor(120, 120, 120), 1, Qt::DotLine));
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
    auto* label = new QCPItemText(m_plot);
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(x, 0.0);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setPadding(QMargins(3, 2, 3, 2));
    QFont font = m_plot->xAxis->tickLabelFont();
    label->setFont(font);
    label->setColor(QColor(90, 90, 90));
    const std::string row = layerRowLabel(layer);
    label->setText(row == "emb" ? tr("emb") : tr("L%1").arg(QString::fromStdString(row)));
}

void SaePanel::setSaeSets(const std::vector<SaeSet>& sets) {
    const QString chosen = currentSetName();
    m_sets = sets;
    setlist::fill(m_list, m_sets, saeSetTitle, saeSetSubtitle, saeSetDetails);
    setCurrentSet(chosen);
    if (m_sets.empty()) showSet(nullptr);
    updateButtons();
}

void SaePanel::setCurrentSet(const QString& name) {
    setlist::select(m_list, name);
    showSet(currentSet());
    updateButtons();
}

QString SaePanel::currentSetName() const { return setlist::currentName(m_list); }

const SaeSet* SaePanel::currentSet() const { return setlist::current(m_list, m_sets); }

void SaePanel::setTrainEnabled(bool enabled, const QString& why) {
    m_trainEnabled = enabled;
    m_trainWhy = why;
    updateButtons();
}

void SaePanel::setImportEnabled(bool enabled) {
    m_importEnabled = enabled;
    updateButtons();
}

void SaePanel::updateButtons() {
    m_train->setEnabled(m_trainEnabled && !m_training);
    m_train->setToolTip(m_trainEnabled || m_trainWhy.isEmpty()
                            ? tr("Train sparse autoencoders on the current dataset (Analysis › Train sparse "
                                 "autoencoders…, Ctrl+Shift+A)")
                            : m_trainWhy);
    m_import->setEnabled(m_importEnabled && !m_training);
    const bool chosen = currentSet() != nullptr;
    m_export->setEnabled(chosen);
    m_delete->setEnabled(chosen && !m_training);
}

void SaePanel::setTraining(bool training) {
    m_training = training;
    m_progressRow->setVisible(training);
    m_cancel->setEnabled(true);
    if (training) {
        m_stage->setText(tr("Starting…"));
        m_progress->setRange(0, 0);
        clearPlot();
    }
    updateButtons();
}

void SaePanel::setTrainingStatus(const SaeTrainStatus& status) {
    if (!m_training) return;
    if (m_cancel->isEnabled()) {
        const QLocale locale;
        QString stage = status.stage;
        if (!stage.isEmpty()) stage[0] = stage[0].toUpper();
        const ExtractionProgress& x = status.extraction;
        if (x.sentencesTotal > 0 && x.sentencesDone < x.sentencesTotal && !x.fromCache) {
            stage += QStringLiteral(": ") + tr("%1 / %2 sentences").arg(locale.toString(qint64(x.sentencesDone)),
                                                                       locale.toString(qint64(x.sentencesTotal)));
        } else if (!status.points.empty()) {
            const SaeTrainProgress& p = status.points.back();
            stage += QStringLiteral(": ") + tr("step %1 / %2 · FVU %3 · L0 %4")
                                                .arg(locale.toString(qint64(p.step)), locale.toString(qint64(p.totalSteps)),
                                                     probeNumber(p.fvu, 3), probeNumber(p.l0, 1));
        }
        m_stage->setText(stage);
        m_stage->setToolTip(stage);
        if (status.steps > 0) {
            m_progress->setRange(0, status.steps);
            m_progress->setValue(std::clamp(status.step, 0, status.steps));
        }
    }
    if (status.points.empty()) return;
    for (const SaeTrainProgress& p : status.points) {
        // A new layer (or a restart) continues the x axis after the previous one.
        if (status.layer != m_lastLayer || double(p.step) < m_lastStep) {
            if (m_lastStep >= 0) {
                m_stepOffset += std::max(m_lastStep, m_lastTotal);
                // A gap, so that no line joins the end of one SAE to the start of the next.
                for (int g = 0; g < 4; ++g) m_plot->graph(g)->addData(m_stepOffset, qQNaN());
            }
            if (status.layer != m_lastLayer) markLayerStart(m_stepOffset, status.layer);
            m_lastLayer = status.layer;
        }
        m_lastStep = double(p.step);
        m_lastTotal = double(p.totalSteps);
        const double x = m_stepOffset + double(p.step);
        const double values[] = {p.loss, p.fvu, p.deadFraction, p.l0};
        for (int g = 0; g < 4; ++g) {
            if (!std::isfinite(values[g])) continue;
            m_plot->graph(g)->addData(x, values[g]);
            if (g < 3) m_maxLeft = std::max(m_maxLeft, values[g]);
            else m_maxRight = std::max(m_maxRight, values[g]);
        }
    }
    m_plot->xAxis->setRange(0, std::max(1.0, m_stepOffset + std::max(m_lastStep, m_lastTotal)));
    m_plot->yAxis->setRange(0, m_maxLeft * 1.08);
    m_plot->yAxis2->setRange(0, m_maxRight * 1.08);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SaePanel::setCancelling() {
    m_stage->setText(tr("Cancelling…"));
    m_cancel->setEnabled(false);
}

QString SaePanel::trainingText() const { return m_training ? m_stage->text() : QString(); }

// ---------------------------------------------------------------- the chosen set

void SaePanel::showSet(const SaeSet* set) {
    if (!set) {
        m_summary->setText(m_sets.empty() ? tr("No SAE set for this model yet: Train… learns a dictionary of "
                                               "sparse features for chosen layers of the current dataset.")
                                          : tr("Choose a set to see its metrics."));
    } else {
        m_summary->setText(saeSetSubtitle(*set));
        m_summary->setToolTip(saeSetDetails(*set));
    }
    m_table->setRowCount(0);
    if (!set) return;
    const QLocale locale;
    m_table->setRowCount(int(set->layers.size()));
    for (int i = 0; i < int(set->layers.size()); ++i) {
        const SaeLayerResult& r = set->layers[std::size_t(i)];
        const QString cells[kColumnCount] = {
            probeLayerLabel(r.layer),
            probeNumber(r.metrics.rows > 0 ? r.metrics.l0 : qQNaN(), 2),
            probeNumber(r.metrics.rows > 0 ? r.metrics.fvu : qQNaN(), 4),
            probeNumber(r.metrics.rows > 0 ? r.metrics.mse : qQNaN(), 4),
            probeNumber(r.metrics.rows > 0 ? 100.0 * r.metrics.deadFraction : qQNaN(), 1),
            probeNumber(r.hasSplice ? r.splice.lossRecovered : qQNaN(), 3),
            r.trainRows > 0 ? locale.toString(qint64(r.trainRows)) : QStringLiteral("—"),
        };
        for (int c = 0; c < kColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(c == 0 ? Qt::Alignment(Qt::AlignCenter) : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
            if (c == 5 && r.hasSplice)
                item->setToolTip(tr("Cross-entropy per masked token: clean %1, layer zeroed %2, with the SAE %3 (%4 "
                                    "masked tokens)")
                                     .arg(probeNumber(r.splice.ceClean, 3), probeNumber(r.splice.ceZero, 3),
                                          probeNumber(r.splice.ceSae, 3), locale.toString(qint64(r.splice.maskedTokens))));
            m_table->setItem(i, c, item);
        }
    }
}

QString SaePanel::metricsTableText() const { return reportTableText(m_table); }

void SaePanel::copyMetricsTable() { QApplication::clipboard()->setText(metricsTableText()); }

} // namespace gs::ui
