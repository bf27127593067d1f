#include "cache_dialogs.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace gs::ui {
namespace {

QString native(const QString& path) { return QDir::toNativeSeparators(path); }

QString number(qint64 n) { return QLocale().toString(n); }

} // namespace

QString formatBytes(qint64 bytes) {
    return QLocale().formattedDataSize(std::max<qint64>(0, bytes), 1, QLocale::DataSizeIecFormat);
}

QMessageBox* createStoreProblemBox(const StoreProblemInfo& problem, QWidget* parent) {
    const QString file = native(problem.path);
    QString what;
    switch (problem.problem) {
    case StoreProblem::Corrupt:
        what = QObject::tr("The results cache %1 is damaged or is not a Grammascope results cache.").arg(file);
        break;
    case StoreProblem::NewerSchema:
        what = QObject::tr("The results cache %1 was written by a newer version of Grammascope; this version cannot "
                           "read it.")
                   .arg(file);
        break;
    default:
        what = QObject::tr("The results cache %1 cannot be used.").arg(file);
        break;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, QObject::tr("Results cache unusable"), what,
                                QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("storeProblemBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setInformativeText(
        QObject::tr("<p>Grammascope can rename it (with its -wal and -shm files) to <i>%1.corrupt-&lt;date&gt;</i> "
                    "next to it and start a new, empty cache. Nothing is deleted: the old file stays readable.</p>"
                    "<p>Or continue without a cache: results are kept only until Grammascope closes, and the file "
                    "is left as it is.</p>")
            .arg(native(problem.path).toHtmlEscaped()));
    box->setDetailedText(problem.message);
    QPushButton* move = box->addButton(QObject::tr("Move aside and start a new cache"), QMessageBox::AcceptRole);
    move->setObjectName(QStringLiteral("moveAsideButton"));
    move->setToolTip(QObject::tr("Rename %1 to a dated name next to it and create a new cache in its place").arg(file));
    QPushButton* cont = box->addButton(QObject::tr("Continue without cache"), QMessageBox::RejectRole);
    cont->setObjectName(QStringLiteral("continueWithoutCacheButton"));
    cont->setToolTip(QObject::tr("Keep results in memory for this session only; %1 is not touched").arg(file));
    box->setDefaultButton(move);
    box->setEscapeButton(cont);
    return box;
}

QAbstractButton* storeProblemMoveAsideButton(QMessageBox* box) {
    return box ? box->findChild<QAbstractButton*>(QStringLiteral("moveAsideButton")) : nullptr;
}

QMessageBox* createClearCacheBox(const StoreStats& stats, bool persistent, bool stopsRun, QWidget* parent) {
    const QString where = persistent ? native(QString::fromStdU16String(stats.path.u16string()))
                                     : QObject::tr("memory (this session only)");
    auto* box = new QMessageBox(QMessageBox::Question, QObject::tr("Clear cache"),
                                QObject::tr("Delete %n cached result(s) from %1?", "", int(std::min<qint64>(stats.results, INT32_MAX)))
                                    .arg(where),
                                QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("clearCacheBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    QString details = QObject::tr("<p>%1 of results in %2 analysis run(s) will be deleted; the file is %3 now. "
                                  "They are computed again when needed.</p>")
                          .arg(formatBytes(stats.resultBytes), number(stats.runs),
                               formatBytes(stats.fileBytes + stats.walBytes));
    details += stats.artefacts > 0
        ? QObject::tr("<p>Kept: the models and datasets it knows, and %n trained artefact(s).</p>", "",
                      int(stats.artefacts))
        : QObject::tr("<p>Kept: the models and datasets it knows.</p>");
    if (stopsRun) details += QObject::tr("<p>The running dataset job is stopped first.</p>");
    box->setInformativeText(details);
    QPushButton* clear = box->addButton(QObject::tr("Delete results"), QMessageBox::DestructiveRole);
    clear->setObjectName(QStringLiteral("confirmClearButton"));
    clear->setToolTip(QObject::tr("Delete every cached result now"));
    box->setDefaultButton(QMessageBox::Cancel);
    return box;
}

CacheStatsDialog::CacheStatsDialog(const StoreStats& stats, bool persistent, QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("cacheStatsDialog"));
    setWindowTitle(tr("Cache statistics"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    QStringList lines;
    auto row = [&](const QString& label, const QString& value, const QString& tip = QString()) {
        auto* v = new QLabel(value, this);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        if (!tip.isEmpty()) v->setToolTip(tip);
        form->addRow(label, v);
        lines << label + QLatin1Char(' ') + value;
    };
    row(tr("File:"), persistent ? native(QString::fromStdU16String(stats.path.u16string()))
                                : tr("none: in memory for this session only"));
    if (persistent) {
        row(tr("Size on disk:"), formatBytes(stats.fileBytes + stats.walBytes),
            tr("The database file and its write-ahead log"));
        row(tr("In use:"), formatBytes(stats.usedBytes), tr("Pages holding data; this is what the size limit counts"));
    }
    row(tr("Size limit:"), stats.sizeLimitBytes > 0 ? formatBytes(stats.sizeLimitBytes) : tr("none"),
        tr("Above it the least recently used results of finished runs are deleted"));
    if (stats.overLimit) row(tr("Over the limit:"), tr("yes: only results of unfinished runs and artefacts remain"));
    row(tr("Results:"), tr("%1 (%2)").arg(number(stats.results), formatBytes(stats.resultBytes)));
    row(tr("Analysis runs:"), tr("%1 (%2 finished, %3 in progress or stopped)")
                                  .arg(number(stats.runs), number(stats.completeRuns), number(stats.runningRuns)));
    row(tr("Sentences:"), number(stats.sentences));
    row(tr("Models:"), number(stats.models));
    row(tr("Datasets:"), number(stats.datasets));
    row(tr("Artefacts:"), tr("%1 (%2)").arg(number(stats.artefacts), formatBytes(stats.artefactBytes)));
    row(tr("Evicted this session:"), number(stats.evictedResults));
    row(tr("Schema version:"), QString::number(stats.schemaVersion));
    m_text = lines.join(QLatin1Char('\n'));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy these figures as text"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_text); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

} // namespace gs::ui
