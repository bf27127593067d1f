#include "dataset_issues_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace gs::ui {

DatasetIssuesDialog::DatasetIssuesDialog(const QString& sourceName, const std::vector<DatasetIssue>& issues,
                                         int validCount, QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("datasetIssuesDialog"));
    setWindowTitle(tr("Problems in %1").arg(sourceName));
    const std::string source = sourceName.toStdString();
    int errors = 0, warnings = 0;
    for (const IssueSeverity severity : {IssueSeverity::Error, IssueSeverity::Warning})
        for (const DatasetIssue& issue : issues) {
            if (issue.severity != severity) continue;
            (severity == IssueSeverity::Error ? errors : warnings) += 1;
            if (m_lines.size() < kMaxListed) m_lines << QString::fromStdString(formatIssue(source, issue));
        }

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
    auto* text = new QLabel(this);
    text->setObjectName(QStringLiteral("issuesSummary"));
    text->setWordWrap(true);
    QString summary = tr("%n record(s) of %1 could not be read and will be skipped.", "", errors).arg(sourceName);
    if (warnings > 0) summary += QLatin1Char(' ') + tr("%n warning(s).", "", warnings);
    summary += QLatin1Char(' ') + tr("The %n valid record(s) can still be loaded.", "", validCount);
    text->setText(summary);

    m_list = new QPlainTextEdit(this);
    m_list->setObjectName(QStringLiteral("issuesList"));
    m_list->setReadOnly(true);
    m_list->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_list->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_list->setToolTip(tr("Every problem found, as file:line: severity: message (select and copy as you like)"));
    QStringList shown = m_lines;
    const int total = errors + warnings;
    if (total > m_lines.size()) shown << tr("… and %n more", "", total - int(m_lines.size()));
    m_list->setPlainText(shown.join(QLatin1Char('\n')));

    auto* buttons = new QDialogButtonBox(this);
    m_load = buttons->addButton(tr("&Load %n valid record(s)", "", validCount), QDialogButtonBox::AcceptRole);
    m_load->setObjectName(QStringLiteral("loadValidButton"));
    m_load->setToolTip(tr("Open the dataset without the records listed as errors"));
    m_load->setEnabled(validCount > 0);
    m_load->setDefault(validCount > 0);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setToolTip(tr("Do not open the file (Esc)"));
    QPushButton* copy = buttons->addButton(tr("&Copy list"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy every listed problem to the clipboard"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_list->toPlainText()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addWidget(text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(720, 380);
}

} // namespace gs::ui
