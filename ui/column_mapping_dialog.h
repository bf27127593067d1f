#pragma once
// The column-mapping step for delimited files Grammascope does not recognise
// (a CSV with other column names, any TSV): a preview of the first rows
// (gs::previewDelimited) and which column holds the grammatical sentence,
// the ungrammatical one (none: single sentences), the id and the
// phenomenon; the delimiter and whether the first row is a header. Columns
// whose names say what they hold (good, sentence_bad, pairID, UID, ...) are
// chosen up front.
//
// Thread affinity: GUI thread only. The preview reads at most kPreviewRows
// rows, so it is instant even on large files.

#include "grammascope/dataset.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace gs::ui {

class ColumnMappingDialog : public QDialog {
    Q_OBJECT
public:
    explicit ColumnMappingDialog(const QString& file, QWidget* parent = nullptr);

    QString file() const { return m_file; }
    // The mapping as chosen (valid when isValid()).
    ColumnMapping mapping() const;
    bool isValid() const;
    QString problem() const;  // why OK is disabled, or empty

    // The column names offered (header names, or "1", "2", ... without a header).
    QStringList columnNames() const { return m_names; }
    // Chooses a column for a role by name; false if there is no such column.
    enum class Role { Good, Bad, Id, Phenomenon };
    bool setColumn(Role role, const QString& name);
    void setDelimiter(char delimiter);  // 0: guess
    void setHasHeader(bool header);

    QTableWidget* preview() const { return m_preview; }

    static constexpr int kPreviewRows = 20;

private:
    void reloadPreview();
    void fillCombos();
    void updateState();
    QComboBox* combo(Role role) const;

    QString m_file;
    std::vector<std::vector<std::string>> m_rows;
    QStringList m_names;
    QString m_previewError;
    QComboBox* m_delimiter = nullptr;
    QCheckBox* m_header = nullptr;
    QComboBox* m_good = nullptr;
    QComboBox* m_bad = nullptr;
    QComboBox* m_id = nullptr;
    QComboBox* m_phenomenon = nullptr;
    QTableWidget* m_preview = nullptr;
    QLabel* m_problem = nullptr;
    QPushButton* m_ok = nullptr;
};

} // namespace gs::ui
