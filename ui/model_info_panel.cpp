#include "model_info_panel.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

namespace gs::ui {
namespace {

QString fromStd(const std::string& text) { return QString::fromStdString(text); }

QString row(const QString& name, const QString& value) {
    return QStringLiteral("<tr><td style='padding-right:8px'><b>%1</b></td><td>%2</td></tr>")
        .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
}

QString precisionName(Precision precision) {
    return precision == Precision::BFloat16 ? QStringLiteral("bf16") : QStringLiteral("fp32");
}

} // namespace

ModelInfoPanel::ModelInfoPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("modelInfoPanel"));
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("modelInfoLabel"));
    m_label->setTextFormat(Qt::RichText);
    m_label->setWordWrap(true);
    m_label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setMargin(6);
    setToolTip(tr("The loaded model: architecture, sizes, tokenizer, device, precision and loader warnings"));

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_label);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // wrap instead
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    showNoModel();
}

void ModelInfoPanel::showInfo(const ModelInfo& info) {
    const ModelConfig& config = info.config;
    const QLocale locale;
    QString html = QStringLiteral("<table>");
    // Only the folder's name: a full path has no break opportunities and
    // would force the panel wide; the tooltip carries the full path.
    const QString folder = QDir::toNativeSeparators(QString::fromStdU16String(info.directory.u16string()));
    html += row(tr("Folder"), QFileInfo(folder).fileName());
    m_label->setToolTip(folder);
    html += row(tr("Architecture"), QStringLiteral("%1 (%2)").arg(QString::fromUtf8(architectureName(config.architecture)),
                                                                   fromStd(config.modelType)));
    html += row(tr("Layers"), QString::number(config.numLayers));
    html += row(tr("Hidden size"), QString::number(config.hiddenSize));
    html += row(tr("Attention heads"), QString::number(config.numHeads));
    html += row(tr("Feed-forward size"), QString::number(config.intermediateSize));
    html += row(tr("Max. length"), tr("%1 tokens").arg(config.maxSequenceLength()));
    html += row(tr("Vocabulary"), locale.toString(qlonglong(config.vocabSize)));
    html += row(tr("Parameters"), locale.toString(qlonglong(info.parameterCount)));
    html += row(tr("Weights"), fromStd(info.weightsFormat));
    html += row(tr("Tokenizer"), fromStd(info.tokenizerDescription));
    html += row(tr("MLM head"), info.hasMlmHead ? tr("yes") : tr("no"));
    html += row(tr("Device"), fromStd(info.device));
    html += row(tr("Precision"), precisionName(info.precision));
    html += row(tr("Threads"), QString::number(info.threads));
    html += QStringLiteral("</table>");
    if (!info.warnings.empty()) {
        html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Warnings").toHtmlEscaped());
        for (const std::string& warning : info.warnings)
            html += QStringLiteral("<li>%1</li>").arg(fromStd(warning).toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    m_label->setText(html);
}

void ModelInfoPanel::showLoading(const QString& directory) {
    m_label->setToolTip(directory);
    m_label->setText(QStringLiteral("<p>%1</p>")
                         .arg(tr("Loading %1…").arg(QFileInfo(directory).fileName()).toHtmlEscaped()));
}

void ModelInfoPanel::showNoModel() {
    m_label->setToolTip(QString());
    m_label->setText(QStringLiteral("<p>%1</p>")
                         .arg(tr("No model loaded. Open a Hugging Face checkpoint folder (config.json, weights and "
                                 "tokenizer files) with File › Open model folder…, or drop the folder onto the window.")
                                  .toHtmlEscaped()));
}

QString ModelInfoPanel::plainText() const {
    return QTextDocumentFragment::fromHtml(m_label->text()).toPlainText();
}

} // namespace gs::ui
