#pragma once
// Opening a dataset file, step by step, without ever blocking the window:
//  1. a generic CSV / TSV (not Grammascope's, RuBLiMP's or BLiMP's columns)
//     first goes through the column-mapping dialog;
//  2. the file is read and prepared for the browser (gs::readDataset,
//     buildOpenDataset) on a thread-pool thread: a RuBLiMP-size file of
//     45,000 rows takes a moment, and the window keeps running;
//  3. when records were skipped as malformed, the issues dialog lists them
//     and the user accepts the valid rest or cancels.
// Several files may be in flight at once; each reports on its own.
//
// Dialogs are window-modal and opened with open(), never exec(). Results of
// reads still running when the opener is destroyed are dropped (the read
// itself finishes on the pool; it holds only its own values).
//
// Thread affinity: GUI thread; the read runs on QThreadPool::globalInstance().

#include "dataset_model.h"

#include "grammascope/dataset.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

class QWidget;

namespace gs::ui {

class ColumnMappingDialog;
class DatasetIssuesDialog;

class DatasetOpener : public QObject {
    Q_OBJECT
public:
    explicit DatasetOpener(QWidget* dialogParent);
    ~DatasetOpener() override;

    // Starts opening `file` (format guessed from the extension and the first
    // line). False, with failed() emitted, when the file cannot be read at all.
    bool open(const QString& file, bool selectFirst = false);
    // The same with the format and mapping given: no mapping dialog.
    bool openWith(const QString& file, const DatasetReadOptions& options, bool selectFirst = false);

    int pendingReads() const { return m_pending; }
    bool isBusy() const { return m_pending > 0; }
    // The dialogs currently up (for tests and for raising them), or null.
    ColumnMappingDialog* mappingDialog() const;
    DatasetIssuesDialog* issuesDialog() const;

    // Lower-case extensions Grammascope opens as datasets ("csv", "tsv", ...).
    static QStringList fileExtensions();
    // "*.csv *.tsv *.jsonl *.txt *.conllu" for file dialogs.
    static QString fileDialogPattern();
    static bool isDatasetFile(const QString& path);
    // True when the file is delimited text in columns Grammascope does not know.
    static bool needsColumnMapping(const QString& file);

signals:
    void readingStarted(const QString& file);
    void busyChanged(bool busy);
    void opened(const gs::ui::OpenDatasetPtr& dataset, bool selectFirst);
    void failed(const QString& file, const QString& message);
    // The user cancelled the mapping or the issues dialog.
    void declined(const QString& file);

private:
    void startRead(const QString& file, const DatasetReadOptions& options, bool selectFirst);
    void finishRead(const QString& file, const Status& status, const OpenDatasetPtr& dataset, bool selectFirst);

    QWidget* m_dialogParent = nullptr;
    int m_pending = 0;
    QPointer<ColumnMappingDialog> m_mappingDialog;
    QPointer<DatasetIssuesDialog> m_issuesDialog;
};

} // namespace gs::ui
