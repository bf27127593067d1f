#include "probe_dialog.h"

#include "probe_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace gs::ui {
namespace {

// Unit choices (the combo's data).
const QString kToken = QStringLiteral("token");
const QString kWordMean = QStringLiteral("word-mean");
const QString kWordFirst = QStringLiteral("word-first");
const QString kSentenceMean = QStringLiteral("sentence-mean");
const QString kSentenceFirst = QStringLiteral("sentence-first");

bool isPolypersonalTask(const std::string& id) { return id.find("polypersonal") != std::string::npos; }

QString unitCode(const ProbeTaskSpec& spec, bool sentenceLevel) {
    if (sentenceLevel) return spec.sentencePooling == SentencePooling::First ? kSentenceFirst : kSentenceMean;
    if (spec.unit == ProbeUnit::Word) return spec.wordPooling == WordPooling::First ? kWordFirst : kWordMean;
    return kToken;
}

void applyUnitCode(const QString& code, ProbeTaskSpec& spec) {
    spec.unit = code == kToken ? ProbeUnit::Token
              : code.startsWith(QLatin1String("word")) ? ProbeUnit::Word : ProbeUnit::Sentence;
    spec.wordPooling = code == kWordFirst ? WordPooling::First : WordPooling::Mean;
    spec.sentencePooling = code == kSentenceFirst ? SentencePooling::First : SentencePooling::Mean;
}

} // namespace

// ---------------------------------------------------------------- helpers

ProbeDatasetFacts probeDatasetFacts(const OpenDataset& data) {
    ProbeDatasetFacts facts;
    facts.name = data.displayName;
    facts.items = data.size();
    facts.pairs = data.pairCount;
    std::set<std::string> features;
    for (std::size_t i = 0; i < data.dataset.items.size(); ++i) {
        const DatasetItem& item = data.dataset.items[i];
        if (item.isPair() && QString::fromStdString(item.phenomenon).contains(QLatin1String("polypersonal"), Qt::CaseInsensitive))
            ++facts.polypersonalPairs;
        if (i >= data.rows.size() || !data.rows[i].hasUd) continue;
        ++facts.udItems;
        for (const AnnotatedSentence* sentence : {&item.good, &item.bad})
            for (const SentenceWord& word : sentence->words) {
                if (!word.ud || word.ud->feats.empty()) continue;
                std::size_t begin = 0;
                while (begin < word.ud->feats.size()) {
                    std::size_t end = word.ud->feats.find('|', begin);
                    if (end == std::string::npos) end = word.ud->feats.size();
                    const std::string pair = word.ud->feats.substr(begin, end - begin);
                    const std::size_t eq = pair.find('=');
                    if (eq != std::string::npos && eq > 0) features.insert(pair.substr(0, eq));
                    begin = end + 1;
                }
            }
    }
    for (const std::string& name : features) facts.udFeatures << QString::fromStdString(name);
    return facts;
}

QString probeTaskUnavailableReason(const ProbeTaskInfo& task, const ProbeDatasetFacts& facts) {
    if (task.needsPairs && facts.pairs == 0)
        return ProbeDialog::tr("Needs minimal pairs: %1 has single sentences only.").arg(facts.name);
    if (task.needsUd && facts.udItems == 0)
        return ProbeDialog::tr("Needs Universal Dependencies annotation (a CoNLL-U dataset): %1 has none.").arg(facts.name);
    if (isPolypersonalTask(task.id) && facts.polypersonalPairs == 0)
        return ProbeDialog::tr("Needs pairs whose phenomenon names polypersonal agreement (Tools › Generate "
                               "polypersonal pairs…): %1 has none.").arg(facts.name);
    return {};
}

bool parseProbeLayers(const QString& text, int maxLayer, std::vector<int>& layers) {
    layers.clear();
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.compare(QLatin1String("all"), Qt::CaseInsensitive) == 0) return true;
    std::set<int> chosen;
    for (QString part : trimmed.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        part = part.trimmed();
        if (part.compare(QLatin1String("emb"), Qt::CaseInsensitive) == 0) part = QStringLiteral("0");
        const QStringList ends = part.split(QRegularExpression(QStringLiteral("\\s*[-–]\\s*")));
        bool ok1 = false, ok2 = true;
        const int from = ends.value(0).toInt(&ok1);
        const int to = ends.size() == 2 ? ends.value(1).toInt(&ok2) : from;
        if (!ok1 || !ok2 || ends.size() > 2 || from < 0 || to > maxLayer || from > to) return false;
        for (int l = from; l <= to; ++l) chosen.insert(l);
    }
    layers.assign(chosen.begin(), chosen.end());
    return !layers.empty();
}

QString probeLayersText(const std::vector<int>& layers) {
    QStringList parts;
    for (std::size_t i = 0; i < layers.size();) {
        std::size_t j = i;
        while (j + 1 < layers.size() && layers[j + 1] == layers[j] + 1) ++j;
        parts << (j > i + 1 ? QStringLiteral("%1-%2").arg(layers[i]).arg(layers[j]) : QString::number(layers[i]));
        if (j == i + 1) parts << QString::number(layers[j]);
        i = j + 1;
    }
    return parts.join(QStringLiteral(", "));
}

QString probeRequestToJson(const ProbeTrainRequest& r) {
    QJsonObject o;
    o[QStringLiteral("task")] = QString::fromStdString(r.spec.task);
    o[QStringLiteral("unit")] = unitCode(r.spec, false);
    o[QStringLiteral("sentencePooling")] = unitCode(r.spec, true);
    o[QStringLiteral("maxExamples")] = double(r.spec.maxExamples);
    o[QStringLiteral("seed")] = double(r.spec.seed);
    o[QStringLiteral("kind")] = QLatin1String(probeKindName(r.options.probe.kind));
    o[QStringLiteral("hiddenUnits")] = r.options.probe.hiddenUnits;
    o[QStringLiteral("l2")] = r.options.probe.l2;
    QJsonArray layers;
    for (int l : r.layers) layers.append(l);
    o[QStringLiteral("layers")] = layers;
    o[QStringLiteral("control")] = r.options.control;
    o[QStringLiteral("mdl")] = r.options.mdl;
    o[QStringLiteral("slicedMi")] = r.options.slicedMi;
    o[QStringLiteral("learningCurve")] = r.learningCurve;
    o[QStringLiteral("curveLayer")] = r.curveLayer;
    o[QStringLiteral("reuse")] = r.reuse;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool probeRequestFromJson(const QString& json, ProbeTrainRequest& r) {
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    if (!doc.isObject()) return false;
    const QJsonObject o = doc.object();
    r.spec.task = o.value(QStringLiteral("task")).toString(QString::fromStdString(r.spec.task)).toStdString();
    applyUnitCode(o.value(QStringLiteral("unit")).toString(kToken), r.spec);
    const ProbeUnit unit = r.spec.unit;
    const WordPooling word = r.spec.wordPooling;
    applyUnitCode(o.value(QStringLiteral("sentencePooling")).toString(kSentenceMean), r.spec);
    r.spec.unit = unit;
    r.spec.wordPooling = word;
    r.spec.maxExamples = std::max<std::int64_t>(0, std::int64_t(o.value(QStringLiteral("maxExamples")).toDouble(0)));
    const auto seed = std::uint64_t(std::max(1.0, o.value(QStringLiteral("seed")).toDouble(1)));
    r.spec.seed = r.splitSeed = r.options.probe.seed = r.options.slicedMiOptions.seed = seed;
    r.options.probe.kind = o.value(QStringLiteral("kind")).toString() == QLatin1String("mlp") ? ProbeKind::Mlp
                                                                                              : ProbeKind::Linear;
    r.options.probe.hiddenUnits = std::clamp(o.value(QStringLiteral("hiddenUnits")).toInt(128), 4, 4096);
    r.options.probe.l2 = std::max(0.0, o.value(QStringLiteral("l2")).toDouble(r.options.probe.l2));
    r.layers.clear();
    for (const QJsonValue& v : o.value(QStringLiteral("layers")).toArray()) r.layers.push_back(v.toInt());
    r.options.control = o.value(QStringLiteral("control")).toBool(true);
    r.options.mdl = o.value(QStringLiteral("mdl")).toBool(true);
    r.options.slicedMi = o.value(QStringLiteral("slicedMi")).toBool(true);
    r.learningCurve = o.value(QStringLiteral("learningCurve")).toBool(false);
    r.curveLayer = o.value(QStringLiteral("curveLayer")).toInt(-1);
    r.reuse = o.value(QStringLiteral("reuse")).toBool(true);
    return true;
}

// ---------------------------------------------------------------- the dialog

ProbeDialog::ProbeDialog(const ProbeDatasetFacts& facts, int numLayers, QWidget* parent)
    : QDialog(parent), m_facts(facts), m_numLayers(std::max(0, numLayers)) {
    setObjectName(QStringLiteral("probeDialog"));
    setWindowTitle(tr("Train probes"));

    m_task = new QComboBox(this);
    m_task->setObjectName(QStringLiteral("probeTaskCombo"));
    auto* model = new QStandardItemModel(m_task);
    for (const ProbeTaskInfo& info : probeTasks()) {
        auto* item = new QStandardItem(info.id == "ud:" ? tr("UD feature…")
                                                        : QCoreApplication::translate("ProbeTask", info.label.c_str()));
        item->setData(QString::fromStdString(info.id), Qt::UserRole);
        const QString reason = probeTaskUnavailableReason(info, m_facts);
        QString tip = QCoreApplication::translate("ProbeTask", info.description.c_str());
        if (info.sentenceLevel) tip += QLatin1Char(' ') + tr("(one vector per sentence)");
        if (!reason.isEmpty()) {
            item->setEnabled(false);
            tip = reason + QStringLiteral("\n\n") + tip;
        }
        item->setToolTip(tip);
        model->appendRow(item);
    }
    m_task->setModel(model);

    m_featureLabel = new QLabel(tr("&Feature:"), this);
    m_feature = new QComboBox(this);
    m_feature->setObjectName(QStringLiteral("probeFeatureCombo"));
    m_feature->setEditable(true);
    m_feature->addItems(m_facts.udFeatures.isEmpty()
                            ? QStringList{QStringLiteral("Number"), QStringLiteral("Gender"), QStringLiteral("Case"),
                                          QStringLiteral("Person"), QStringLiteral("Tense")}
                            : m_facts.udFeatures);
    m_feature->setToolTip(tr("The Universal Dependencies feature whose value the probe predicts (words without it "
                             "are not used)"));
    m_featureLabel->setBuddy(m_feature);

    m_unit = new QComboBox(this);
    m_unit->setObjectName(QStringLiteral("probeUnitCombo"));
    m_unit->setToolTip(tr("What one example is: a token, a word (its sub-token vectors pooled) or a sentence"));

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("probeKindCombo"));
    m_kind->addItem(tr("Linear (logistic regression)"), int(ProbeKind::Linear));
    m_kind->addItem(tr("MLP (one hidden layer)"), int(ProbeKind::Mlp));
    m_kind->setToolTip(tr("A linear probe shows what is linearly readable; an MLP finds more but says less about "
                          "the representation (compare the control task)"));
    m_hidden = new QSpinBox(this);
    m_hidden->setRange(4, 4096);
    m_hidden->setValue(128);
    m_hidden->setSuffix(tr(" hidden units"));
    m_hidden->setToolTip(tr("Width of the MLP's hidden layer"));
    m_l2 = new QDoubleSpinBox(this);
    m_l2->setDecimals(5);
    m_l2->setRange(0, 10);
    m_l2->setSingleStep(0.0005);
    m_l2->setValue(ProbeOptions{}.l2);
    m_l2->setToolTip(tr("L2 weight decay λ of the probe's weights"));

    m_layers = new QLineEdit(this);
    m_layers->setObjectName(QStringLiteral("probeLayersEdit"));
    m_layers->setPlaceholderText(tr("all (emb, 1–%1)").arg(m_numLayers));
    m_layers->setToolTip(tr("Layers to probe: empty for every layer, or a list such as \"0-3, 6\" (0 = embeddings)"));
    m_layers->setClearButtonEnabled(true);

    m_control = new QCheckBox(tr("&Control task (selectivity)"), this);
    m_control->setObjectName(QStringLiteral("probeControlCheck"));
    m_control->setToolTip(tr("Hewitt & Liang: the same probe on random labels per word type; selectivity = "
                             "accuracy − control accuracy"));
    m_mdl = new QCheckBox(tr("&MDL online code"), this);
    m_mdl->setObjectName(QStringLiteral("probeMdlCheck"));
    m_mdl->setToolTip(tr("Voita & Titov: codelength of the labels given the representations, in kbits, and the "
                         "compression over a uniform code; trains a probe per block"));
    m_slicedMi = new QCheckBox(tr("&Sliced mutual information (SMI)"), this);
    m_slicedMi->setObjectName(QStringLiteral("probeSmiCheck"));
    m_slicedMi->setToolTip(tr("Goldfeld & Greenewald: mean mutual information over random 1-D projections, in bits"));
    m_curve = new QCheckBox(tr("Learning curve at la&yer"), this);
    m_curve->setObjectName(QStringLiteral("probeCurveCheck"));
    m_curve->setToolTip(tr("Bayesian mutual information against the number of training examples (several probes "
                           "per size: takes longer)"));
    m_curveLayer = new QComboBox(this);
    m_curveLayer->addItem(tr("most accurate"), -1);
    for (int l = 0; l <= m_numLayers; ++l) m_curveLayer->addItem(probeLayerLabel(l), l);

    m_maxExamples = new QSpinBox(this);
    m_maxExamples->setObjectName(QStringLiteral("probeMaxExamplesSpin"));
    m_maxExamples->setRange(0, 100'000'000);
    m_maxExamples->setSingleStep(1000);
    m_maxExamples->setSpecialValueText(tr("all"));
    m_maxExamples->setGroupSeparatorShown(true);
    m_maxExamples->setToolTip(tr("Use a random subset of sentences with about this many examples (0 = all): "
                                 "faster on a large dataset"));
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("probeSeedSpin"));
    m_seed->setRange(1, 1'000'000);
    m_seed->setToolTip(tr("Seed of the split, the subset, the control labels and the probes' initialisation: the "
                          "same seed gives the same result"));
    m_reuse = new QCheckBox(tr("&Reuse a stored set trained with the same settings"), this);
    m_reuse->setChecked(true);
    m_reuse->setToolTip(tr("Show the stored probe set instead of training again when nothing changed"));

    m_taskInfo = new QLabel(this);
    m_taskInfo->setWordWrap(true);
    m_taskInfo->setForegroundRole(QPalette::PlaceholderText);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("probeProblemLabel"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));

    auto* what = new QGroupBox(tr("What to probe"), this);
    auto* whatLayout = new QVBoxLayout(what);
    auto* whatForm = new QFormLayout;
    whatForm->addRow(tr("T&ask:"), m_task);
    whatForm->addRow(m_featureLabel, m_feature);
    whatForm->addRow(tr("&Unit:"), m_unit);
    whatLayout->addLayout(whatForm);
    whatLayout->addWidget(m_taskInfo);  // outside the form: a wrapped label there gets too little height

    auto* how = new QGroupBox(tr("Probe"), this);
    auto* howForm = new QFormLayout(how);
    auto* kindRow = new QHBoxLayout;
    kindRow->addWidget(m_kind, 1);
    kindRow->addWidget(m_hidden);
    auto* kindLabel = new QLabel(tr("&Kind:"), how);
    kindLabel->setBuddy(m_kind);
    howForm->addRow(kindLabel, kindRow);
    howForm->addRow(tr("&Weight decay λ:"), m_l2);
    howForm->addRow(tr("&Layers:"), m_layers);

    auto* measures = new QGroupBox(tr("Also measure"), this);
    auto* measuresLayout = new QVBoxLayout(measures);
    measuresLayout->addWidget(m_control);
    measuresLayout->addWidget(m_mdl);
    measuresLayout->addWidget(m_slicedMi);
    auto* curveRow = new QHBoxLayout;
    curveRow->addWidget(m_curve);
    curveRow->addWidget(m_curveLayer);
    curveRow->addStretch(1);
    measuresLayout->addLayout(curveRow);

    auto* data = new QGroupBox(tr("Data"), this);
    auto* dataForm = new QFormLayout(data);
    const QLocale locale;
    const QString size = m_facts.pairs == m_facts.items
        ? tr("%1 pairs").arg(locale.toString(m_facts.pairs))
        : tr("%1 items, %2 pairs").arg(locale.toString(m_facts.items), locale.toString(m_facts.pairs));
    QString about = QStringLiteral("%1 (%2)").arg(m_facts.name, size);
    if (m_facts.udItems > 0) about += QLatin1Char(' ') + tr("· %1 with UD annotation").arg(locale.toString(m_facts.udItems));
    dataForm->addRow(tr("Dataset:"), new QLabel(about, data));
    dataForm->addRow(tr("E&xamples at most:"), m_maxExamples);
    dataForm->addRow(tr("S&eed:"), m_seed);
    dataForm->addRow(m_reuse);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Train"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("probeTrainButton"));
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(
        tr("Train a probe on every chosen layer in the background (progress in the Probes panel; Esc cancels)"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setMinimumWidth(460);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(how);
    layout->addWidget(measures);
    layout->addWidget(data);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    const ProbeTrainRequest defaults;
    m_control->setChecked(defaults.options.control);
    m_mdl->setChecked(defaults.options.mdl);
    m_slicedMi->setChecked(defaults.options.slicedMi);
    m_seed->setValue(int(defaults.spec.seed));
    // The first task this dataset can give.
    for (int row = 0; row < m_task->count(); ++row)
        if (model->item(row)->isEnabled()) {
            m_task->setCurrentIndex(row);
            break;
        }

    for (QComboBox* combo : {m_task, m_unit, m_kind, m_curveLayer})
        connect(combo, &QComboBox::currentIndexChanged, this, &ProbeDialog::updateState);
    connect(m_feature, &QComboBox::currentTextChanged, this, &ProbeDialog::updateState);
    connect(m_layers, &QLineEdit::textChanged, this, &ProbeDialog::updateState);
    connect(m_curve, &QCheckBox::toggled, this, &ProbeDialog::updateState);
    updateState();
}

int ProbeDialog::taskRow(const QString& taskId) const {
    const QString id = taskId.startsWith(QLatin1String("ud:")) ? QStringLiteral("ud:") : taskId;
    return m_task->findData(id, Qt::UserRole);
}

const ProbeTaskInfo* ProbeDialog::currentTask() const {
    return findProbeTask(m_task->currentData(Qt::UserRole).toString().toStdString());
}

bool ProbeDialog::isTaskEnabled(const QString& taskId) const {
    const int row = taskRow(taskId);
    auto* model = qobject_cast<QStandardItemModel*>(m_task->model());
    return row >= 0 && model && model->item(row)->isEnabled();
}

QString ProbeDialog::taskToolTip(const QString& taskId) const {
    const int row = taskRow(taskId);
    return row >= 0 ? m_task->itemData(row, Qt::ToolTipRole).toString() : QString();
}

bool ProbeDialog::setTask(const QString& taskId) {
    if (!isTaskEnabled(taskId)) return false;
    m_task->setCurrentIndex(taskRow(taskId));
    if (taskId.startsWith(QLatin1String("ud:")) && taskId.size() > 3) m_feature->setCurrentText(taskId.mid(3));
    updateState();
    return true;
}

QString ProbeDialog::task() const {
    const QString id = m_task->currentData(Qt::UserRole).toString();
    return id == QLatin1String("ud:") ? id + m_feature->currentText().trimmed() : id;
}

void ProbeDialog::updateState() {
    const ProbeTaskInfo* info = currentTask();
    const bool ud = info && info->id == "ud:";
    m_featureLabel->setVisible(ud);
    m_feature->setVisible(ud);
    const bool sentenceLevel = info && info->sentenceLevel;

    // The unit choices follow the task's level; a choice that fits stays.
    const QString previous = m_unit->currentData().toString();
    const bool wasSentence = previous.startsWith(QLatin1String("sentence"));
    if (m_unit->count() == 0 || wasSentence != sentenceLevel) {
        const QSignalBlocker block(m_unit);
        m_unit->clear();
        if (sentenceLevel) {
            m_unit->addItem(tr("Sentence: mean of its tokens"), kSentenceMean);
            m_unit->addItem(tr("Sentence: first token ([CLS])"), kSentenceFirst);
        } else {
            m_unit->addItem(tr("Token"), kToken);
            m_unit->addItem(tr("Word: mean of its sub-tokens"), kWordMean);
            m_unit->addItem(tr("Word: first sub-token"), kWordFirst);
        }
    }
    m_taskInfo->setText(info ? QCoreApplication::translate("ProbeTask", info->description.c_str()) : QString());
    m_hidden->setEnabled(m_kind->currentData().toInt() == int(ProbeKind::Mlp));
    m_curveLayer->setEnabled(m_curve->isChecked());

    const QString problem = problemText();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

QString ProbeDialog::problemText() const {
    const ProbeTaskInfo* info = currentTask();
    if (!info) return tr("Choose a task.");
    const QString reason = probeTaskUnavailableReason(*info, m_facts);
    if (!reason.isEmpty()) return reason;
    if (info->id == "ud:" && m_feature->currentText().trimmed().isEmpty()) return tr("Name the UD feature to probe.");
    std::vector<int> layers;
    if (!parseProbeLayers(m_layers->text(), m_numLayers, layers))
        return tr("Layers: a list of numbers and ranges between 0 and %1, such as \"0-3, 6\".").arg(m_numLayers);
    if (m_curve->isChecked() && !layers.empty()) {
        const int curve = m_curveLayer->currentData().toInt();
        if (curve >= 0 && std::find(layers.begin(), layers.end(), curve) == layers.end())
            return tr("The learning curve's layer %1 is not among the probed layers.").arg(probeLayerLabel(curve));
    }
    return {};
}

bool ProbeDialog::canTrain() const { return problemText().isEmpty(); }

ProbeTrainRequest ProbeDialog::request() const {
    ProbeTrainRequest r;
    r.spec.task = task().toStdString();
    applyUnitCode(m_unit->currentData().toString(), r.spec);
    r.spec.maxExamples = m_maxExamples->value();
    const auto seed = std::uint64_t(m_seed->value());
    r.spec.seed = r.splitSeed = r.options.probe.seed = r.options.slicedMiOptions.seed = seed;
    r.options.probe.kind = ProbeKind(m_kind->currentData().toInt());
    r.options.probe.hiddenUnits = m_hidden->value();
    r.options.probe.l2 = m_l2->value();
    r.options.control = m_control->isChecked();
    r.options.mdl = m_mdl->isChecked();
    r.options.slicedMi = m_slicedMi->isChecked();
    parseProbeLayers(m_layers->text(), m_numLayers, r.layers);
    r.learningCurve = m_curve->isChecked();
    r.curveLayer = m_curveLayer->currentData().toInt();
    r.reuse = m_reuse->isChecked();
    return r;
}

void ProbeDialog::setRequest(const ProbeTrainRequest& r) {
    setTask(QString::fromStdString(r.spec.task));  // stays on the default when unavailable
    const ProbeTaskInfo* info = currentTask();
    const int unit = m_unit->findData(unitCode(r.spec, info && info->sentenceLevel));
    if (unit >= 0) m_unit->setCurrentIndex(unit);
    m_maxExamples->setValue(int(std::min<std::int64_t>(r.spec.maxExamples, m_maxExamples->maximum())));
    m_seed->setValue(int(std::clamp<std::uint64_t>(r.spec.seed, 1, std::uint64_t(m_seed->maximum()))));
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(int(r.options.probe.kind))));
    m_hidden->setValue(r.options.probe.hiddenUnits);
    m_l2->setValue(r.options.probe.l2);
    m_control->setChecked(r.options.control);
    m_mdl->setChecked(r.options.mdl);
    m_slicedMi->setChecked(r.options.slicedMi);
    std::vector<int> layers;
    for (int l : r.layers)
        if (l >= 0 && l <= m_numLayers) layers.push_back(l);
    m_layers->setText(probeLayersText(layers));
    m_curve->setChecked(r.learningCurve);
    m_curveLayer->setCurrentIndex(std::max(0, m_curveLayer->findData(r.curveLayer)));
    m_reuse->setChecked(r.reuse);
    updateState();
}

} // namespace gs::ui
