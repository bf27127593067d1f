#include "dataset_opener.h"

#include "column_mapping_dialog.h"
#include "dataset_issues_dialog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace gs::ui {
namespace {

struct ReadOutcome {
    Status status;
    OpenDatasetPtr dataset;
};

// Runs on a pool thread: plain values in, plain values out.
ReadOutcome readAndPrepare(const QString& file, const DatasetReadOptions& options) {
    ReadOutcome out;
    try {
        Dataset dataset;
        out.status = readDataset(file.toStdString(), options, dataset);
        if (out.status.isOk())
            out.dataset = buildOpenDataset(std::move(dataset), QDir::toNativeSeparators(QFileInfo(file).absoluteFilePath()));
    } catch (const std::exception& e) {
        out.status = Status::failed(std::string("reading ") + file.toStdString() + ": " + e.what());
    } catch (...) {
        out.status = Status::failed("reading " + file.toStdString() + ": unknown error");
    }
    return out;
}

QString firstLineOf(const QString& file) {
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) return {};
    QByteArray line = in.readLine(1 << 16);
    if (line.startsWith("\xEF\xBB\xBF")) line.remove(0, 3);
    while (line.endsWith('\n') || line.endsWith('\r')) line.chop(1);
    return QString::fromUtf8(line);
}

} // namespace

DatasetOpener::DatasetOpener(QWidget* dialogParent) : QObject(dialogParent), m_dialogParent(dialogParent) {}

DatasetOpener::~DatasetOpener() = default;

ColumnMappingDialog* DatasetOpener::mappingDialog() const { return m_mappingDialog.data(); }
DatasetIssuesDialog* DatasetOpener::issuesDialog() const { return m_issuesDialog.data(); }

QStringList DatasetOpener::fileExtensions() {
    return {QStringLiteral("csv"), QStringLiteral("tsv"), QStringLiteral("jsonl"), QStringLiteral("txt"),
            QStringLiteral("conllu")};
}

QString DatasetOpener::fileDialogPattern() {
    QStringList patterns;
    for (const QString& ext : fileExtensions()) patterns << QStringLiteral("*.") + ext;
    return patterns.join(QLatin1Char(' '));
}

bool DatasetOpener::isDatasetFile(const QString& path) {
    const QFileInfo info(path);
    return info.isFile() && fileExtensions().contains(info.suffix().toLower());
}

bool DatasetOpener::needsColumnMapping(const QString& file) {
    const std::string line = firstLineOf(file).toStdString();
    const std::optional<DatasetFormat> format = guessDatasetFormat(file.toStdString(), line);
    if (format) return *format == DatasetFormat::Delimited;
    // Unknown extension: delimited if the first line has a tab or a comma.
    return line.find('\t') != std::string::npos || line.find(',') != std::string::npos;
}

bool DatasetOpener::open(const QString& file, bool selectFirst) {
    const QFileInfo info(file);
    if (!info.isFile() || !info.isReadable()) {
        emit failed(file, tr("%1: no such file, or it cannot be read.").arg(QDir::toNativeSeparators(file)));
        return false;
    }
    if (!needsColumnMapping(file)) {
        startRead(file, DatasetReadOptions{}, selectFirst);
        return true;
    }
    auto* dialog = new ColumnMappingDialog(file, m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    m_mappingDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog, file, selectFirst](int result) {
        if (result != QDialog::Accepted) {
            emit declined(file);
            return;
        }
        DatasetReadOptions options;
        options.format = DatasetFormat::Delimited;
        options.mapping = dialog->mapping();
        startRead(file, options, selectFirst);
    });
    dialog->open();
    return true;
}

bool DatasetOpener::openWith(const QString& file, const DatasetReadOptions& options, bool selectFirst) {
    if (!QFileInfo(file).isFile()) {
        emit failed(file, tr("%1: no such file.").arg(QDir::toNativeSeparators(file)));
        return false;
    }
    startRead(file, options, selectFirst);
    return true;
}

void DatasetOpener::startRead(const QString& file, const DatasetReadOptions& options, bool selectFirst) {
    auto* watcher = new QFutureWatcher<ReadOutcome>(this);
    connect(watcher, &QFutureWatcher<ReadOutcome>::finished, this, [this, watcher, file, selectFirst] {
        const ReadOutcome outcome = watcher->result();
        watcher->deleteLater();
        --m_pending;
        if (m_pending == 0) emit busyChanged(false);
        finishRead(file, outcome.status, outcome.dataset, selectFirst);
    });
    ++m_pending;
    if (m_pending == 1) emit busyChanged(true);
    emit readingStarted(file);
    watcher->setFuture(QtConcurrent::run(readAndPrepare, file, options));
}

void DatasetOpener::finishRead(const QString& file, const Status& status, const OpenDatasetPtr& dataset,
                               bool selectFirst) {
    if (!status.isOk() || !dataset) {
        emit failed(file, QString::fromStdString(status.message()));
        return;
    }
    const std::size_t errors = dataset->dataset.errorCount();
    if (errors == 0) {
        emit opened(dataset, selectFirst);
        return;
    }
    auto* dialog = new DatasetIssuesDialog(QFileInfo(file).fileName(), dataset->dataset.issues, dataset->size(),
                                           m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    m_issuesDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dataset, file, selectFirst](int result) {
        if (result == QDialog::Accepted) emit opened(dataset, selectFirst);
        else emit declined(file);
    });
    dialog->open();
}

} // namespace gs::ui
