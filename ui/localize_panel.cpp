// LocalizePanel: training, comparing and reporting on localized layers (see the header).

#include "localize_panel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <cmath>
#include <filesystem>

namespace gs::ui {
namespace {

const QColor kBlue(31, 119, 180), kOrange(255, 127, 14), kGreen(44, 160, 44), kGrey(150, 150, 150), kRed(214, 39, 40);

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }
QString fromPath(const std::filesystem::path& p) { return QString::fromStdU16String(p.u16string()); }

QPushButton* button(const QString& text, const QString& tip, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setToolTip(tip);
    return b;
}

QCustomPlot* makePlot(QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumHeight(180);
    QFont font = parent->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis, plot->yAxis2}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    plot->legend->setFont(font);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(QColor(255, 255, 255, 200));
    return plot;
}

} // namespace

LocalizePanel::LocalizePanel(LocalizeService* service, QWidget* parent) : QWidget(parent), m_service(service) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildTrainTab(), tr("Train"));
    m_tabs->addTab(buildCompareTab(), tr("Compare"));
    m_tabs->addTab(buildReportTab(), tr("Report"));
    layout->addWidget(m_tabs);

    connect(m_service, &LocalizeService::trainProgress, this, &LocalizePanel::onTrainProgress);
    connect(m_service, &LocalizeService::trainFinished, this, &LocalizePanel::onTrainFinished);
    connect(m_service, &LocalizeService::diffReady, this, &LocalizePanel::onDiff);
    connect(m_service, &LocalizeService::reportProgress, this, &LocalizePanel::onReportProgress);
    connect(m_service, &LocalizeService::reportReady, this, &LocalizePanel::onReport);
    connect(m_service, &LocalizeService::failed, this, &LocalizePanel::onFailed);
    connect(m_service, &LocalizeService::cancelled, this, &LocalizePanel::onCancelled);
    updateButtons();
}

// ---------------------------------------------------------------- Train tab

QWidget* LocalizePanel::buildTrainTab() {
    auto* page = new QWidget(this);
    auto* v = new QVBoxLayout(page);
    m_trainSource = new QLabel(page);
    m_trainSource->setWordWrap(true);
    v->addWidget(m_trainSource);
    auto* form = new QFormLayout;
    m_phenomenon = new QComboBox(page);
    m_phenomenon->setToolTip(tr("The pairs to train on: the category's pairs (grammatical sentence, then its twin with the category)."));
    form->addRow(tr("Pairs:"), m_phenomenon);
    m_layer = new QSpinBox(page);
    m_layer->setToolTip(tr("The encoder layer that is trained (0-based); every other parameter stays frozen. "
                           "The reference run trains layer 3 of 12."));
    form->addRow(tr("Layer:"), m_layer);
    m_steps = new QSpinBox(page);
    m_steps->setRange(1, 1000000);
    m_steps->setValue(1000);
    m_steps->setToolTip(tr("Optimizer steps (linear warm-up over the first 10%, then linear decay)."));
    form->addRow(tr("Steps:"), m_steps);
    m_lr = new QLineEdit(QStringLiteral("1e-5"), page);
    auto* lrValidator = new QDoubleValidator(1e-9, 1.0, 12, m_lr);
    lrValidator->setNotation(QDoubleValidator::ScientificNotation);
    lrValidator->setLocale(QLocale::c());
    m_lr->setValidator(lrValidator);
    m_lr->setToolTip(tr("Adam's peak learning rate (reference: 1e-5)."));
    form->addRow(tr("Learning rate:"), m_lr);
    auto* weights = new QHBoxLayout;
    m_wCos = new QDoubleSpinBox(page);
    m_wMlm = new QDoubleSpinBox(page);
    for (QDoubleSpinBox* w : {m_wCos, m_wMlm}) {
        w->setRange(0, 10);
        w->setDecimals(3);
        w->setSingleStep(0.05);
        w->setValue(0.1);
        weights->addWidget(w);
    }
    m_wCos->setToolTip(tr("Weight of the cosine loss mean(max(0, cos(h_good, h_bad))) at the layer's output, "
                          "which pushes the two sentences of a pair apart (reference: 0.1)."));
    m_wMlm->setToolTip(tr("Weight of the masked-LM loss on the grammatical sentence, which keeps the standard "
                          "language (reference: 0.1)."));
    form->addRow(tr("Weights cos / MLM:"), weights);
    m_batch = new QSpinBox(page);
    m_batch->setRange(1, 1024);
    m_batch->setValue(16);
    m_batch->setToolTip(tr("Pairs per step (reference: 16)."));
    form->addRow(tr("Batch:"), m_batch);
    m_mlmEvery = new QSpinBox(page);
    m_mlmEvery->setRange(1, 1000);
    m_mlmEvery->setValue(10);
    m_mlmEvery->setToolTip(tr("The MLM gradient is computed every N steps and reused in between (reference: 10)."));
    form->addRow(tr("MLM every:"), m_mlmEvery);
    m_pooling = new QComboBox(page);
    m_pooling->addItem(tr("All tokens"), int(LocalizePooling::AllTokens));
    m_pooling->addItem(tr("Changed tokens"), int(LocalizePooling::ChangedTokens));
    m_pooling->setToolTip(tr("h = the mean of the layer's output over all tokens, or over the tokens of the words "
                             "the pair changes."));
    form->addRow(tr("Pooling:"), m_pooling);
    auto* out = new QHBoxLayout;
    m_output = new QLineEdit(page);
    m_output->setToolTip(tr("The folder the localized checkpoint is written to (a normal Hugging Face folder "
                            "that records its parent)."));
    connect(m_output, &QLineEdit::textEdited, this, [this] { m_outputEdited = true; });
    auto* browse = button(tr("…"), tr("Choose the output folder"), page);
    connect(browse, &QPushButton::clicked, this, &LocalizePanel::chooseOutput);
    out->addWidget(m_output, 1);
    out->addWidget(browse);
    form->addRow(tr("Output:"), out);
    m_resume = new QCheckBox(tr("Resume the run saved in the output folder"), page);
    m_resume->setToolTip(tr("Continue a cancelled training where it stopped (same options); the result equals an "
                            "uninterrupted run."));
    form->addRow(QString(), m_resume);
    v->addLayout(form);
    connect(m_layer, &QSpinBox::valueChanged, this, [this] { suggestOutput(); });

    auto* row = new QHBoxLayout;
    m_train = button(tr("Train layer"), tr("Train the layer in the background (Ctrl+Shift+L)"), page);
    m_train->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    m_cancelTrain = button(tr("Cancel"), tr("Stop after saving the state (Esc); Resume continues it"), page);
    connect(m_train, &QPushButton::clicked, this, &LocalizePanel::startTraining);
    connect(m_cancelTrain, &QPushButton::clicked, this, &LocalizePanel::cancelTraining);
    m_trainProgress = new QProgressBar(page);
    m_trainProgress->setTextVisible(true);
    row->addWidget(m_train);
    row->addWidget(m_cancelTrain);
    row->addWidget(m_trainProgress, 1);
    v->addLayout(row);
    m_trainStatus = new QLabel(page);
    m_trainStatus->setWordWrap(true);
    m_trainStatus->setMinimumHeight(3 * m_trainStatus->fontMetrics().lineSpacing());
    m_trainStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_trainStatus);

    m_lossPlot = makePlot(page);
    m_lossPlot->xAxis->setLabel(tr("Step"));
    m_lossPlot->yAxis->setLabel(tr("Loss"));
    m_lossPlot->yAxis2->setLabel(tr("MLM loss (nats)"));
    m_lossPlot->yAxis2->setVisible(true);
    const struct { QString name; QColor color; QCPAxis* axis; } graphs[] = {
        {tr("Total"), kBlue, m_lossPlot->yAxis},
        {tr("Cosine"), kOrange, m_lossPlot->yAxis},
        {tr("MLM ▸"), kGreen, m_lossPlot->yAxis2}};
    for (const auto& g : graphs) {
        QCPGraph* graph = m_lossPlot->addGraph(m_lossPlot->xAxis, g.axis);
        graph->setName(g.name);
        graph->setPen(QPen(g.color, 1.6));
    }
    // The legend goes below the axes, where it hides no point.
    auto* legendRow = new QCPLayoutGrid;
    m_lossPlot->plotLayout()->addElement(1, 0, legendRow);
    legendRow->setMargins(QMargins(4, 0, 4, 4));
    legendRow->addElement(0, 0, m_lossPlot->legend);
    m_lossPlot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_lossPlot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_lossPlot->legend->setVisible(true);
    m_lossPlot->setToolTip(tr("Losses of every step: the total, the cosine loss (left axis) and the last computed "
                              "MLM loss (right axis)."));
    v->addWidget(m_lossPlot, 1);
    return page;
}

void LocalizePanel::setParentModel(const QString& dir, std::int64_t numLayers) {
    m_parentDir = dir;
    m_numLayers = numLayers;
    m_layer->setRange(0, int(std::max<std::int64_t>(0, numLayers - 1)));
    m_layer->setValue(numLayers > 0 ? defaultLocalizedLayer(numLayers) : 0);
    suggestOutput();
    updateButtons();
}

void LocalizePanel::setDataset(const OpenDatasetPtr& dataset) {
    m_dataset = dataset;
    const QString previous = m_phenomenon->currentData().toString();
    m_phenomenon->clear();
    if (dataset && dataset->pairCount > 0) {
        m_phenomenon->addItem(tr("All pairs (%1)").arg(dataset->pairCount), QString());
        int polypersonal = -1;
        for (const auto& [name, count] : dataset->phenomena) {
            m_phenomenon->addItem(QStringLiteral("%1 (%2)").arg(name).arg(count), name);
            if (polypersonal < 0 && name.contains(QStringLiteral("polypersonal"))) polypersonal = m_phenomenon->count() - 1;
        }
        const int kept = m_phenomenon->findData(previous);
        m_phenomenon->setCurrentIndex(kept > 0 ? kept : std::max(0, polypersonal));
    }
    updateButtons();
}

LocalizeTrainOptions LocalizePanel::trainOptions() const {
    LocalizeTrainOptions o;
    o.parentDir = toPath(m_parentDir);
    if (m_dataset) o.pairs = m_dataset->dataset;
    o.phenomenon = m_phenomenon->currentData().toString().toStdString();
    o.outDir = toPath(m_output->text().trimmed());
    o.resume = m_resume->isChecked();
    o.layer = m_layer->value();
    o.steps = m_steps->value();
    o.learningRate = QLocale::c().toDouble(m_lr->text());
    o.wCos = m_wCos->value();
    o.wMlm = m_wMlm->value();
    o.batchPairs = m_batch->value();
    o.mlmEvery = m_mlmEvery->value();
    o.pooling = LocalizePooling(m_pooling->currentData().toInt());
    return o;
}

QString LocalizePanel::validateTraining() const {
    if (m_parentDir.isEmpty()) return tr("Open a model first: it is the parent of the localized layer.");
    if (!m_dataset || m_dataset->pairCount == 0) return tr("Open a dataset of minimal pairs first.");
    if (m_output->text().trimmed().isEmpty()) return tr("Choose an output folder.");
    bool ok = false;
    const double lr = QLocale::c().toDouble(m_lr->text(), &ok);
    if (!ok || !(lr > 0)) return tr("The learning rate must be a positive number (e.g. 1e-5).");
    if (m_wCos->value() == 0 && m_wMlm->value() == 0) return tr("At least one loss weight must be positive.");
    return QString();
}

void LocalizePanel::suggestOutput() {
    if (m_outputEdited || m_parentDir.isEmpty()) return;
    const QFileInfo parent(m_parentDir);
    m_output->setText(QDir(parent.absolutePath()).filePath(parent.fileName() + QStringLiteral("-localized-L%1").arg(m_layer->value())));
}

void LocalizePanel::chooseOutput() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder of the localized checkpoint"), m_output->text());
    if (dir.isEmpty()) return;
    m_output->setText(dir);
    m_outputEdited = true;
}

void LocalizePanel::startTraining() {
    if (isTraining()) return;
    if (const QString why = validateTraining(); !why.isEmpty()) {
        m_trainStatus->setText(why);
        emit message(why);
        return;
    }
    for (int i = 0; i < m_lossPlot->graphCount(); ++i) m_lossPlot->graph(i)->data()->clear();
    m_lossPlot->replot();
    m_trainProgress->setRange(0, m_steps->value());
    m_trainProgress->setValue(0);
    m_trainStatus->setText(tr("Starting…"));
    m_trainJob = m_service->train(trainOptions());
    updateButtons();
}

void LocalizePanel::cancelTraining() {
    if (!isTraining()) return;
    m_service->cancel(m_trainJob);
    m_trainStatus->setText(tr("Cancelling: saving the state…"));
}

QString LocalizePanel::trainStatusText() const { return m_trainStatus->text(); }

void LocalizePanel::onTrainProgress(quint64 id, const LocalizeTrainProgress& p) {
    if (id != m_trainJob) return;
    if (!p.message.empty()) {
        m_trainStatus->setText(QString::fromStdString(p.message));
        return;
    }
    m_trainProgress->setRange(0, int(p.totalSteps));
    m_trainProgress->setValue(int(p.step));
    m_lossPlot->graph(0)->addData(double(p.step), p.loss);
    m_lossPlot->graph(1)->addData(double(p.step), p.cosLoss);
    m_lossPlot->graph(2)->addData(double(p.step), p.mlmLoss);
    m_lossPlot->xAxis->setRange(0, std::max<double>(1.0, double(p.totalSteps)));
    bool found = false;
    m_lossPlot->yAxis->setRange(QCPRange(0, std::max(0.05, m_lossPlot->graph(1)->data()->valueRange(found).upper * 1.1)));
    const QCPRange mlm = m_lossPlot->graph(2)->data()->valueRange(found);
    if (found) m_lossPlot->yAxis2->setRange(QCPRange(0, std::max(0.5, mlm.upper * 1.1)));
    m_lossPlot->replot(QCustomPlot::rpQueuedReplot);
    m_trainStatus->setText(tr("Step %1 of %2: loss %3 (cosine %4, MLM %5); %6 tokens/s, %7 s left")
                               .arg(p.step)
                               .arg(p.totalSteps)
                               .arg(p.loss, 0, 'f', 4)
                               .arg(p.cosLoss, 0, 'f', 4)
                               .arg(p.mlmLoss, 0, 'f', 3)
                               .arg(p.tokensPerSecond, 0, 'f', 0)
                               .arg(p.etaSeconds, 0, 'f', 0));
}

void LocalizePanel::onTrainFinished(quint64 id, const LocalizeTrainSummary& s, const QString& outDir) {
    if (id != m_trainJob) return;
    m_trainJob = 0;
    m_trainProgress->setValue(m_trainProgress->maximum());
    m_trainStatus->setText(tr("Layer %1 trained for %2 steps in %3 s: cosine loss %4 → %5, MLM %6. Saved to %7.")
                               .arg(s.layer)
                               .arg(s.steps)
                               .arg(s.wallSeconds, 0, 'f', 1)
                               .arg(s.firstCosLoss, 0, 'f', 4)
                               .arg(s.meanCosLossLast, 0, 'f', 4)
                               .arg(s.finalMlmLoss, 0, 'f', 3)
                               .arg(outDir));
    emit message(tr("Localized layer saved to %1").arg(outDir));
    setLocalizedDir(outDir);
    updateButtons();
}

// ---------------------------------------------------------------- Compare tab

QWidget* LocalizePanel::buildCompareTab() {
    auto* page = new QWidget(this);
    auto* v = new QVBoxLayout(page);
    auto* form = new QFormLayout;
    auto pathRow = [&](QLineEdit*& edit, const QString& tip, void (LocalizePanel::*choose)()) {
        auto* row = new QHBoxLayout;
        edit = new QLineEdit(page);
        edit->setToolTip(tip);
        auto* b = button(tr("…"), tr("Choose a checkpoint folder"), page);
        connect(b, &QPushButton::clicked, this, choose);
        row->addWidget(edit, 1);
        row->addWidget(b);
        return row;
    };
    form->addRow(tr("Localized:"), pathRow(m_localized, tr("A checkpoint where one layer was trained"),
                                            &LocalizePanel::chooseLocalized));
    form->addRow(tr("Parent:"), pathRow(m_parent, tr("Its parent; empty: the folder the localized checkpoint "
                                                      "records, else the loaded model"),
                                         &LocalizePanel::chooseParent));
    v->addLayout(form);
    connect(m_localized, &QLineEdit::textChanged, this, [this] { updateButtons(); });
    auto* row = new QHBoxLayout;
    m_compare = button(tr("Compare checkpoints"), tr("Which layers differ: relative norm of the change per layer"), page);
    m_show = button(tr("Show in the view"), tr("Draw the hidden-state distance to the parent for the current "
                                               "sentence or pair in the Localized layer tab"), page);
    connect(m_compare, &QPushButton::clicked, this, &LocalizePanel::compareCheckpoints);
    connect(m_show, &QPushButton::clicked, this, [this] { emit comparisonRequested(comparedParentDir(), localizedDir()); });
    row->addWidget(m_compare);
    row->addWidget(m_show);
    row->addStretch(1);
    v->addLayout(row);
    m_verdict = new QLabel(page);
    m_verdict->setWordWrap(true);
    m_verdict->setMinimumHeight(3 * m_verdict->fontMetrics().lineSpacing());
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_verdict);
    m_diffPlot = makePlot(page);
    m_diffPlot->xAxis->setLabel(tr("Encoder layer (0-based)"));
    m_diffPlot->yAxis->setLabel(tr("‖B − A‖ / ‖A‖"));
    m_diffPlot->setToolTip(tr("Relative change of each encoder layer's weights; the localized layer in red."));
    v->addWidget(m_diffPlot, 1);
    return page;
}

void LocalizePanel::setLocalizedDir(const QString& dir) {
    m_localized->setText(dir);
    LocalizedCheckpointInfo info;
    if (readLocalizedCheckpointInfo(toPath(dir), info).isOk() && !info.parentDir.empty())
        m_parent->setText(fromPath(info.parentDir));
    updateButtons();
}

QString LocalizePanel::localizedDir() const { return m_localized->text().trimmed(); }

QString LocalizePanel::comparedParentDir() const {
    const QString p = m_parent->text().trimmed();
    return p.isEmpty() ? m_parentDir : p;
}

void LocalizePanel::chooseLocalized() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Localized checkpoint"), localizedDir());
    if (!dir.isEmpty()) setLocalizedDir(dir);
}

void LocalizePanel::chooseParent() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Parent checkpoint"), comparedParentDir());
    if (!dir.isEmpty()) m_parent->setText(dir);
}

void LocalizePanel::compareCheckpoints() {
    if (localizedDir().isEmpty() || comparedParentDir().isEmpty()) return;
    m_verdict->setText(tr("Comparing…"));
    m_diffJob = m_service->diff(comparedParentDir(), localizedDir());
}

QString LocalizePanel::diffVerdictText() const { return m_verdict->text(); }

void LocalizePanel::onDiff(quint64 id, CheckpointDiffPtr diff) {
    if (id != m_diffJob) return;
    m_diffJob = 0;
    m_diff = diff;
    m_verdict->setText(QString::fromStdString(diff->verdict));
    m_diffPlot->clearPlottables();
    auto* normal = new QCPBars(m_diffPlot->xAxis, m_diffPlot->yAxis);
    auto* marked = new QCPBars(m_diffPlot->xAxis, m_diffPlot->yAxis);
    normal->setBrush(kGrey);
    normal->setPen(Qt::NoPen);
    marked->setBrush(kRed);
    marked->setPen(Qt::NoPen);
    double top = 0;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (const auto& g : diff->layers) {
        (g.layer == diff->localizedLayer ? marked : normal)->addData(g.layer, g.relative);
        top = std::max(top, g.relative);
        ticker->addTick(g.layer, QString::number(g.layer));
    }
    m_diffPlot->xAxis->setTicker(ticker);
    m_diffPlot->xAxis->setRange(-0.6, double(diff->layers.size()) - 0.4);
    m_diffPlot->yAxis->setRange(0, top > 0 ? top * 1.15 : 1.0);
    m_diffPlot->replot();
    updateButtons();
}

// ---------------------------------------------------------------- Report tab

QWidget* LocalizePanel::buildReportTab() {
    auto* page = new QWidget(this);
    auto* v = new QVBoxLayout(page);
    auto* form = new QFormLayout;
    m_maxPairs = new QSpinBox(page);
    m_maxPairs->setRange(0, 1000000);
    m_maxPairs->setValue(300);
    m_maxPairs->setSpecialValueText(tr("all"));
    m_maxPairs->setToolTip(tr("Category pairs used for the activity, the ablation and the probes (0 = all)."));
    form->addRow(tr("Pairs (max):"), m_maxPairs);
    v->addLayout(form);
    auto* row = new QHBoxLayout;
    m_buildReport = button(tr("Build report"), tr("Answer the three localization questions for the compared "
                                                  "checkpoints on the current dataset's pairs"), page);
    m_cancelReport = button(tr("Cancel"), tr("Stop building the report (Esc)"), page);
    m_saveReport = button(tr("Save…"), tr("Save the report as Markdown (.md) or JSON (.json)"), page);
    connect(m_buildReport, &QPushButton::clicked, this, &LocalizePanel::buildReport);
    connect(m_cancelReport, &QPushButton::clicked, this, &LocalizePanel::cancelReport);
    connect(m_saveReport, &QPushButton::clicked, this, &LocalizePanel::saveReportAs);
    m_reportProgress = new QProgressBar(page);
    row->addWidget(m_buildReport);
    row->addWidget(m_cancelReport);
    row->addWidget(m_saveReport);
    row->addWidget(m_reportProgress, 1);
    v->addLayout(row);
    m_reportStatus = new QLabel(page);
    m_reportStatus->setWordWrap(true);
    m_reportStatus->setMinimumHeight(2 * m_reportStatus->fontMetrics().lineSpacing());
    v->addWidget(m_reportStatus);
    m_reportView = new QTextBrowser(page);
    m_reportView->setOpenLinks(false);
    v->addWidget(m_reportView, 1);
    return page;
}

void LocalizePanel::buildReport() {
    if (isReporting()) return;
    if (localizedDir().isEmpty() || comparedParentDir().isEmpty()) {
        m_reportStatus->setText(tr("Choose a localized checkpoint in the Compare tab first."));
        return;
    }
    if (!m_dataset || m_dataset->pairCount == 0) {
        m_reportStatus->setText(tr("Open a dataset of minimal pairs first."));
        return;
    }
    LocalizationReportOptions o;
    o.parentDir = toPath(comparedParentDir());
    o.localizedDir = toPath(localizedDir());
    o.pairs = m_dataset->dataset;
    o.phenomenon = m_phenomenon->currentData().toString().toStdString();
    o.maxPairs = m_maxPairs->value();
    o.modelOptions.device = DevicePreference::Cpu;
    m_reportStatus->setText(tr("Starting…"));
    m_reportProgress->setRange(0, 0);
    m_reportJob = m_service->report(o);
    updateButtons();
}

void LocalizePanel::cancelReport() {
    if (isReporting()) m_service->cancel(m_reportJob);
}

void LocalizePanel::onReportProgress(quint64 id, const QString& stage, qint64 done, qint64 total) {
    if (id != m_reportJob) return;
    m_reportStatus->setText(stage);
    if (total > 0) {
        m_reportProgress->setRange(0, int(std::min<qint64>(total, 1 << 30)));
        m_reportProgress->setValue(int(std::min<qint64>(done, 1 << 30)));
    } else {
        m_reportProgress->setRange(0, 0);
    }
}

void LocalizePanel::onReport(quint64 id, LocalizationReportPtr report) {
    if (id != m_reportJob) return;
    m_reportJob = 0;
    m_report = report;
    m_reportProgress->setRange(0, 1);
    m_reportProgress->setValue(1);
    m_reportStatus->setText(tr("Report built in %1 s.").arg(report->seconds, 0, 'f', 1));
    m_reportView->setMarkdown(QString::fromStdString(localizationReportMarkdown(*report)));
    updateButtons();
}

bool LocalizePanel::saveReport(const QString& file, QString* error) const {
    if (!m_report) {
        if (error) *error = tr("There is no report to save.");
        return false;
    }
    const bool json = file.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
    const std::string text = json ? localizationReportJson(*m_report) : localizationReportMarkdown(*m_report);
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
        !out.commit()) {
        if (error) *error = tr("Cannot write %1: %2").arg(file, out.errorString());
        return false;
    }
    return true;
}

void LocalizePanel::saveReportAs() {
    const QString file = QFileDialog::getSaveFileName(this, tr("Save the localization report"),
                                                      QStringLiteral("localization-report.md"),
                                                      tr("Markdown (*.md);;JSON (*.json)"));
    if (file.isEmpty()) return;
    QString error;
    if (!saveReport(file, &error)) m_reportStatus->setText(error);
    else emit message(tr("Report saved to %1").arg(file));
}

// ---------------------------------------------------------------- shared

void LocalizePanel::onFailed(quint64 id, const QString& text) {
    if (id == m_trainJob) {
        m_trainJob = 0;
        m_trainStatus->setText(tr("Training failed: %1").arg(text));
    } else if (id == m_diffJob) {
        m_diffJob = 0;
        m_verdict->setText(tr("Cannot compare: %1").arg(text));
    } else if (id == m_reportJob) {
        m_reportJob = 0;
        m_reportProgress->setRange(0, 1);
        m_reportProgress->setValue(0);
        m_reportStatus->setText(tr("The report failed: %1").arg(text));
    } else {
        return;
    }
    emit message(text);
    updateButtons();
}

void LocalizePanel::onCancelled(quint64 id) {
    if (id == m_trainJob) {
        m_trainJob = 0;
        m_trainStatus->setText(tr("Cancelled; the state is saved in the output folder: tick Resume to continue."));
        m_resume->setChecked(true);
    } else if (id == m_reportJob) {
        m_reportJob = 0;
        m_reportProgress->setRange(0, 1);
        m_reportProgress->setValue(0);
        m_reportStatus->setText(tr("Cancelled."));
    } else {
        return;
    }
    updateButtons();
}

void LocalizePanel::updateButtons() {
    const QString why = validateTraining();
    m_train->setEnabled(!isTraining() && why.isEmpty());
    m_train->setToolTip(why.isEmpty() ? tr("Train the layer in the background (Ctrl+Shift+L)") : why);
    m_cancelTrain->setEnabled(isTraining());
    m_trainSource->setText(tr("Parent: %1\nPairs: %2")
                               .arg(m_parentDir.isEmpty() ? tr("(no model)") : m_parentDir,
                                    m_dataset ? m_dataset->displayName : tr("(no dataset)")));
    const bool haveModels = !localizedDir().isEmpty() && !comparedParentDir().isEmpty();
    m_compare->setEnabled(haveModels);
    m_show->setEnabled(haveModels);
    m_buildReport->setEnabled(haveModels && !isReporting());
    m_cancelReport->setEnabled(isReporting());
    m_saveReport->setEnabled(m_report != nullptr);
}

void LocalizePanel::keyPressEvent(QKeyEvent* event) {
    // Esc stops the job of the tab on screen, else the one running.
    if (event->key() == Qt::Key_Escape && (isTraining() || isReporting())) {
        const bool reportTab = m_tabs->currentIndex() == 2;
        if (isReporting() && (reportTab || !isTraining())) cancelReport();
        else cancelTraining();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace gs::ui
