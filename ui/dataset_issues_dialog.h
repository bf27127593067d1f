#pragma once
// Shown when a dataset file had malformed records: every problem as
// "file:line: error: what is wrong" (gs::formatIssue), errors first, and the
// choice to load the valid rest ("Load N valid records") or not (Cancel).
// Warnings of the same file (duplicates, identical pairs) are listed below
// the errors; on their own they never bring this dialog up.
//
// Thread affinity: GUI thread only.

#include "grammascope/dataset.h"

#include <QDialog>
#include <QStringList>

#include <vector>

class QPlainTextEdit;
class QPushButton;

namespace gs::ui {

class DatasetIssuesDialog : public QDialog {
    Q_OBJECT
public:
    // `sourceName` is the file name used in the lines; `validCount` the
    // records that would load.
    DatasetIssuesDialog(const QString& sourceName, const std::vector<DatasetIssue>& issues, int validCount,
                        QWidget* parent = nullptr);

    // The listed lines (errors, then warnings), without the "… more" line.
    QStringList lines() const { return m_lines; }
    QPushButton* loadButton() const { return m_load; }
    QPushButton* cancelButton() const { return m_cancel; }

    // Longest list shown; the rest is counted.
    static constexpr int kMaxListed = 2000;

private:
    QStringList m_lines;
    QPlainTextEdit* m_list = nullptr;
    QPushButton* m_load = nullptr;
    QPushButton* m_cancel = nullptr;
};

} // namespace gs::ui
