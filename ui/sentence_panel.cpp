#include "sentence_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace gs::ui {

SentencePanel::SentencePanel(QWidget* parent) : QWidget(parent) {
    m_sentence = new QLineEdit(this);
    m_sentence->setObjectName(QStringLiteral("sentenceEdit"));
    m_sentence->setPlaceholderText(tr("Type or paste a sentence, e.g. Мама мыла раму, а ёж спал."));
    m_sentence->setClearButtonEnabled(true);
    m_sentence->setToolTip(tr("The sentence to encode. Enter or Ctrl+Return runs the model."));

    m_run = new QPushButton(tr("&Run"), this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setToolTip(tr("Encode the sentence and show how each token changes across layers (Enter, Ctrl+Return)"));

    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(tr("Stop the running job (Esc)"));

    m_quantity = new QComboBox(this);
    m_quantity->setObjectName(QStringLiteral("quantityCombo"));
    for (const LayerQuantityInfo& info : layerQuantities()) {
        m_quantity->addItem(QCoreApplication::translate("LayerQuantity", info.label), QLatin1String(info.id));
        m_quantity->setItemData(m_quantity->count() - 1,
                                QCoreApplication::translate("LayerQuantity", info.description), Qt::ToolTipRole);
    }
    auto updateQuantityTip = [this] {
        m_quantity->setToolTip(tr("Quantity drawn for every token and layer: %1")
                                   .arg(m_quantity->currentData(Qt::ToolTipRole).toString()));
    };
    updateQuantityTip();

    m_words = new QCheckBox(tr("Merge sub-tokens into &words"), this);
    m_words->setObjectName(QStringLiteral("groupingCheck"));
    m_words->setToolTip(tr("Show one column per word (the mean over its sub-tokens) instead of one per token"));

    auto* quantityLabel = new QLabel(tr("&Quantity:"), this);
    quantityLabel->setBuddy(m_quantity);
    auto* sentenceLabel = new QLabel(tr("&Sentence:"), this);
    sentenceLabel->setBuddy(m_sentence);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(sentenceLabel, 0, 0);
    layout->addWidget(m_sentence, 0, 1, 1, 3);
    layout->addWidget(m_run, 0, 4);
    layout->addWidget(m_cancel, 0, 5);
    layout->addWidget(quantityLabel, 1, 0);
    layout->addWidget(m_quantity, 1, 1);
    layout->addWidget(m_words, 1, 2);
    layout->setColumnStretch(3, 1);

    connect(m_sentence, &QLineEdit::returnPressed, this, &SentencePanel::runRequested);
    connect(m_run, &QPushButton::clicked, this, &SentencePanel::runRequested);
    connect(m_cancel, &QPushButton::clicked, this, &SentencePanel::cancelRequested);
    connect(m_quantity, &QComboBox::currentIndexChanged, this, [this, updateQuantityTip] {
        updateQuantityTip();
        emit quantityChanged(quantity());
    });
    connect(m_words, &QCheckBox::toggled, this, [this] { emit groupingChanged(grouping()); });
    updateButtons();
}

// Pasted text may span lines or carry tabs: the model sees one sentence.
QString SentencePanel::sentence() const { return m_sentence->text().simplified(); }
void SentencePanel::setSentence(const QString& text) { m_sentence->setText(text); }
void SentencePanel::focusSentence() { m_sentence->setFocus(); }

LayerQuantity SentencePanel::quantity() const {
    LayerQuantity q = layerQuantities().front().quantity;
    parseLayerQuantity(m_quantity->currentData().toString().toStdString(), q);
    return q;
}

void SentencePanel::setQuantity(LayerQuantity quantity) {
    for (const LayerQuantityInfo& info : layerQuantities())
        if (info.quantity == quantity) setQuantityId(QLatin1String(info.id));
}

bool SentencePanel::setQuantityId(const QString& id) {
    const int index = m_quantity->findData(id);
    if (index < 0) return false;
    m_quantity->setCurrentIndex(index);
    return true;
}

QString SentencePanel::quantityId() const { return m_quantity->currentData().toString(); }

TokenGrouping SentencePanel::grouping() const {
    return m_words->isChecked() ? TokenGrouping::Words : TokenGrouping::Tokens;
}

void SentencePanel::setGrouping(TokenGrouping grouping) { m_words->setChecked(grouping == TokenGrouping::Words); }

void SentencePanel::setModelReady(bool ready) {
    m_modelReady = ready;
    updateButtons();
}

void SentencePanel::setBusy(bool busy) {
    m_busy = busy;
    updateButtons();
}

void SentencePanel::updateButtons() {
    m_run->setEnabled(m_modelReady);
    m_cancel->setEnabled(m_busy);
}

} // namespace gs::ui
