#include "sae_dialog.h"


#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace gs::ui {

std::vector<int> SaeDialog::defaultLayers(int numLayers) {
    if (numLayers <= 0) return {0};
    if (numLayers % 2 == 0) return {numLayers / 2};
    return {numLayers / 2, numLayers / 2 + 1};
}

SaeDialog::SaeDialog(const QString& dataset, int numLayers, std::int64_t hiddenSize, QWidget* parent)
    : QDialog(parent), m_numLayers(std::max(0, numLayers)), m_hiddenSize(std::max<std::int64_t>(1, hiddenSize)) {
    setObjectName(QStringLiteral("saeDialog"));
    setWindowTitle(tr("Train sparse autoencoders"));
    const SaeTrainRequest defaults;
    const SaeOptions& o = defaults.options;

    m_layers = new QListWidget(this);
    m_layers->setObjectName(QStringLiteral("saeLayerList"));
    m_layers->setToolTip(tr("One sparse autoencoder is trained per checked layer, on the hidden states of that layer's "
                            "output (emb = the embedding output)"));
    for (int layer = 0; layer <= m_numLayers; ++layer) {
        auto* item = new QListWidgetItem(layer == 0 ? tr("emb (embeddings)") : tr("Layer %1").arg(layer), m_layers);
        item->setData(Qt::UserRole, layer);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    // Every layer visible up to 13 (a BERT-base), a scroll bar beyond.
    const int shown = std::min(m_layers->count(), 13);
    m_layers->setFixedHeight(std::max(1, m_layers->sizeHintForRow(0)) * shown + 2 * m_layers->frameWidth() + 4);
    setCheckedLayers(defaultLayers(m_numLayers));

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("saeKindCombo"));
    m_kind->addItem(tr("TopK (Gao et al. 2024)"), int(SaeKind::TopK));
    m_kind->addItem(tr("ReLU + L1 (Bricken et al. 2023)"), int(SaeKind::ReluL1));
    m_kind->setToolTip(tr("TopK keeps the k largest codes of every token (sparsity fixed, no shrinkage); ReLU + L1 "
                          "keeps every positive code and buys sparsity with an L1 penalty (sweep its coefficient)"));

    m_multiplier = new QSpinBox(this);
    m_multiplier->setObjectName(QStringLiteral("saeMultiplierSpin"));
    m_multiplier->setRange(1, 64);
    m_multiplier->setValue(8);
    m_multiplier->setPrefix(QStringLiteral("× "));
    m_multiplier->setToolTip(tr("Dictionary size (latents per autoencoder) as a multiple of the hidden size; larger "
                                "dictionaries split features finer and leave more latents dead"));
    m_dictionary = new QLabel(this);
    m_dictionary->setObjectName(QStringLiteral("saeDictionaryLabel"));

    m_k = new QSpinBox(this);
    m_k->setObjectName(QStringLiteral("saeKSpin"));
    m_k->setRange(1, 4096);
    m_k->setValue(o.k);
    m_k->setToolTip(tr("TopK: active latents per token (the L0 of every token)"));
    m_auxK = new QSpinBox(this);
    m_auxK->setObjectName(QStringLiteral("saeAuxKSpin"));
    m_auxK->setRange(0, 8192);
    m_auxK->setValue(o.auxK);
    m_auxK->setToolTip(tr("TopK: dead latents that reconstruct the residual in the auxiliary loss (AuxK, weight "
                          "1/32), which revives latents that stopped firing; 0 turns it off"));
    m_l1 = new QDoubleSpinBox(this);
    m_l1->setObjectName(QStringLiteral("saeL1Spin"));
    m_l1->setDecimals(4);
    m_l1->setRange(0.0001, 100);
    m_l1->setSingleStep(0.05);
    m_l1->setValue(o.l1Coefficient);
    m_l1->setToolTip(tr("ReLU + L1: the coefficient λ of the L1 penalty, for data scaled to unit variance (higher: "
                        "sparser codes, worse reconstruction)"));

    m_learningRate = new QDoubleSpinBox(this);
    m_learningRate->setObjectName(QStringLiteral("saeLearningRateSpin"));
    m_learningRate->setDecimals(6);
    m_learningRate->setRange(0.000001, 1.0);
    m_learningRate->setSingleStep(0.0001);
    m_learningRate->setValue(o.learningRate);
    m_learningRate->setToolTip(tr("Adam's learning rate; decoder rows are kept at unit norm after every step"));
    m_epochs = new QSpinBox(this);
    m_epochs->setObjectName(QStringLiteral("saeEpochsSpin"));
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(o.epochs);
    m_epochs->setToolTip(tr("Passes over the training tokens (each in a seeded random order)"));
    m_batch = new QSpinBox(this);
    m_batch->setObjectName(QStringLiteral("saeBatchSpin"));
    m_batch->setRange(8, 65536);
    m_batch->setValue(o.batchSize);
    m_batch->setToolTip(tr("Tokens per Adam step"));
    m_maxTokens = new QSpinBox(this);
    m_maxTokens->setObjectName(QStringLiteral("saeMaxTokensSpin"));
    m_maxTokens->setRange(0, 2000000000);
    m_maxTokens->setSingleStep(10000);
    m_maxTokens->setSpecialValueText(tr("all"));
    m_maxTokens->setValue(0);
    m_maxTokens->setGroupSeparatorShown(true);
    m_maxTokens->setToolTip(tr("Training tokens per layer at most (a seeded subset of the training sentences' tokens); "
                               "all = every token of 90% of the sentences (10% are held out for the metrics)"));
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("saeSeedSpin"));
    m_seed->setRange(0, 1000000);
    m_seed->setValue(int(o.seed));
    m_seed->setToolTip(tr("Seeds the initialisation, the token order, the held-out split and the masks of the "
                          "loss-recovered measure: the same seed gives the same weights"));
    m_specials = new QCheckBox(tr("Train on the special tokens ([CLS], [SEP]) too"), this);
    m_specials->setObjectName(QStringLiteral("saeSpecialsCheck"));
    m_specials->setToolTip(tr("Special tokens have large, atypical hidden states; left out by default, their columns "
                              "then show no activation"));
    m_reuse = new QCheckBox(tr("Reuse a stored set with the same settings"), this);
    m_reuse->setObjectName(QStringLiteral("saeReuseCheck"));
    m_reuse->setChecked(true);
    m_reuse->setToolTip(tr("Show the stored set instead of training again when one was trained with exactly these "
                           "settings on this dataset"));

    auto* what = new QGroupBox(tr("Layers"), this);
    auto* whatLayout = new QVBoxLayout(what);
    whatLayout->addWidget(m_layers);

    auto* how = new QGroupBox(tr("Autoencoder"), this);
    auto* howForm = new QFormLayout(how);
    howForm->addRow(tr("&Kind:"), m_kind);
    auto* dictRow = new QHBoxLayout;
    dictRow->addWidget(m_multiplier);
    dictRow->addWidget(m_dictionary, 1);
    auto* dictLabel = new QLabel(tr("&Dictionary size:"), how);
    dictLabel->setBuddy(m_multiplier);
    howForm->addRow(dictLabel, dictRow);
    howForm->addRow(tr("&k (active latents):"), m_k);
    howForm->addRow(tr("&AuxK:"), m_auxK);
    howForm->addRow(tr("L&1 coefficient:"), m_l1);

    auto* training = new QGroupBox(tr("Training"), this);
    auto* trainForm = new QFormLayout(training);
    trainForm->addRow(tr("&Learning rate:"), m_learningRate);
    trainForm->addRow(tr("&Epochs:"), m_epochs);
    trainForm->addRow(tr("&Batch size:"), m_batch);
    trainForm->addRow(tr("&Max training tokens:"), m_maxTokens);
    trainForm->addRow(tr("S&eed:"), m_seed);
    trainForm->addRow(m_specials);
    trainForm->addRow(m_reuse);
    trainForm->addRow(tr("Dataset:"), new QLabel(dataset, training));

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("saeProblemLabel"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton* train = m_buttons->button(QDialogButtonBox::Ok);
    train->setText(tr("&Train"));
    train->setObjectName(QStringLiteral("saeTrainButton"));
    train->setToolTip(tr("Train an autoencoder on every checked layer in the background (live loss in the Sparse "
                         "autoencoders panel; Esc cancels, training again resumes)"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setMinimumWidth(460);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(how);
    layout->addWidget(training);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_layers, &QListWidget::itemChanged, this, &SaeDialog::updateState);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &SaeDialog::updateState);
    for (QSpinBox* spin : {m_multiplier, m_k, m_auxK}) connect(spin, &QSpinBox::valueChanged, this, &SaeDialog::updateState);
    updateState();
}

std::vector<int> SaeDialog::checkedLayers() const {
    std::vector<int> layers;
    for (int i = 0; i < m_layers->count(); ++i)
        if (m_layers->item(i)->checkState() == Qt::Checked) layers.push_back(m_layers->item(i)->data(Qt::UserRole).toInt());
    return layers;
}

void SaeDialog::setCheckedLayers(const std::vector<int>& layers) {
    for (int i = 0; i < m_layers->count(); ++i) {
        QListWidgetItem* item = m_layers->item(i);
        const bool on = std::find(layers.begin(), layers.end(), item->data(Qt::UserRole).toInt()) != layers.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
}

SaeTrainRequest SaeDialog::request() const {
    SaeTrainRequest request;
    request.layers = checkedLayers();
    SaeOptions& o = request.options;
    o.kind = SaeKind(m_kind->currentData().toInt());
    o.dictionarySize = std::int64_t(m_multiplier->value()) * m_hiddenSize;
    o.k = m_k->value();
    o.auxK = m_auxK->value();
    if (o.auxK == 0) o.auxCoefficient = 0;
    o.l1Coefficient = m_l1->value();
    o.learningRate = m_learningRate->value();
    o.epochs = m_epochs->value();
    o.batchSize = m_batch->value();
    o.seed = std::uint64_t(m_seed->value());
    o.progressEvery = 1;  // every step feeds the live plot
    request.maxRows = m_maxTokens->value();
    request.includeSpecials = m_specials->isChecked();
    request.reuse = m_reuse->isChecked();
    return request;
}

void SaeDialog::setRequest(const SaeTrainRequest& request) {
    std::vector<int> layers;
    for (int layer : request.layers)
        if (layer >= 0 && layer <= m_numLayers) layers.push_back(layer);
    if (!layers.empty()) setCheckedLayers(layers);
    const SaeOptions& o = request.options;
    m_kind->setCurrentIndex(m_kind->findData(int(o.kind)));
    if (o.dictionarySize > 0) m_multiplier->setValue(int(std::clamp<std::int64_t>(o.dictionarySize / m_hiddenSize, 1, 64)));
    m_k->setValue(o.k);
    m_auxK->setValue(o.auxCoefficient == 0 ? 0 : o.auxK);
    m_l1->setValue(o.l1Coefficient);
    m_learningRate->setValue(o.learningRate);
    m_epochs->setValue(o.epochs);
    m_batch->setValue(o.batchSize);
    m_seed->setValue(int(o.seed));
    m_maxTokens->setValue(int(std::clamp<std::int64_t>(request.maxRows, 0, m_maxTokens->maximum())));
    m_specials->setChecked(request.includeSpecials);
    m_reuse->setChecked(request.reuse);
    updateState();
}

QString SaeDialog::problemText() const {
    if (checkedLayers().empty()) return tr("Check at least one layer.");
    const std::int64_t dictionary = std::int64_t(m_multiplier->value()) * m_hiddenSize;
    if (SaeKind(m_kind->currentData().toInt()) == SaeKind::TopK && m_k->value() > dictionary)
        return tr("k (%1) cannot exceed the dictionary size (%2).").arg(m_k->value()).arg(dictionary);
    return {};
}

bool SaeDialog::canTrain() const { return problemText().isEmpty(); }

QString saeRequestToJson(const SaeTrainRequest& r, std::int64_t hiddenSize) {
    QJsonObject o;
    QJsonArray layers;
    for (int l : r.layers) layers.append(l);
    o[QStringLiteral("layers")] = layers;
    o[QStringLiteral("kind")] = QLatin1String(saeKindName(r.options.kind));
    o[QStringLiteral("dictionaryMultiplier")] =
        hiddenSize > 0 && r.options.dictionarySize > 0 ? double(r.options.dictionarySize / hiddenSize) : 8.0;
    o[QStringLiteral("k")] = r.options.k;
    o[QStringLiteral("auxK")] = r.options.auxCoefficient == 0 ? 0 : r.options.auxK;
    o[QStringLiteral("l1")] = r.options.l1Coefficient;
    o[QStringLiteral("learningRate")] = r.options.learningRate;
    o[QStringLiteral("epochs")] = r.options.epochs;
    o[QStringLiteral("batch")] = r.options.batchSize;
    o[QStringLiteral("seed")] = double(r.options.seed);
    o[QStringLiteral("maxTokens")] = double(r.maxRows);
    o[QStringLiteral("includeSpecials")] = r.includeSpecials;
    o[QStringLiteral("reuse")] = r.reuse;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool saeRequestFromJson(const QString& json, std::int64_t hiddenSize, SaeTrainRequest& r) {
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    if (!doc.isObject()) return false;
    const QJsonObject o = doc.object();
    r.layers.clear();
    for (const QJsonValue& v : o.value(QStringLiteral("layers")).toArray()) r.layers.push_back(v.toInt());
    SaeOptions& s = r.options;
    SaeKind kind = s.kind;
    if (parseSaeKind(o.value(QStringLiteral("kind")).toString().toStdString(), kind)) s.kind = kind;
    const int multiplier = std::clamp(o.value(QStringLiteral("dictionaryMultiplier")).toInt(8), 1, 64);
    s.dictionarySize = hiddenSize > 0 ? multiplier * hiddenSize : 0;
    s.k = std::max(1, o.value(QStringLiteral("k")).toInt(s.k));
    s.auxK = std::max(0, o.value(QStringLiteral("auxK")).toInt(s.auxK));
    if (s.auxK == 0) s.auxCoefficient = 0;
    s.l1Coefficient = std::max(0.0, o.value(QStringLiteral("l1")).toDouble(s.l1Coefficient));
    const double lr = o.value(QStringLiteral("learningRate")).toDouble(s.learningRate);
    if (lr > 0) s.learningRate = lr;
    s.epochs = std::max(1, o.value(QStringLiteral("epochs")).toInt(s.epochs));
    s.batchSize = std::max(1, o.value(QStringLiteral("batch")).toInt(s.batchSize));
    s.seed = std::uint64_t(std::max(0.0, o.value(QStringLiteral("seed")).toDouble(double(s.seed))));
    r.maxRows = std::max<std::int64_t>(0, std::int64_t(o.value(QStringLiteral("maxTokens")).toDouble(0)));
    r.includeSpecials = o.value(QStringLiteral("includeSpecials")).toBool(false);
    r.reuse = o.value(QStringLiteral("reuse")).toBool(true);
    return true;
}

void SaeDialog::updateState() {
    const bool topk = SaeKind(m_kind->currentData().toInt()) == SaeKind::TopK;
    m_k->setEnabled(topk);
    m_auxK->setEnabled(topk);
    m_l1->setEnabled(!topk);
    const QLocale locale;
    m_dictionary->setText(tr("= %1 latents (hidden size %2)")
                              .arg(locale.toString(qint64(m_multiplier->value()) * m_hiddenSize),
                                   locale.toString(qint64(m_hiddenSize))));
    const QString problem = problemText();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace gs::ui
