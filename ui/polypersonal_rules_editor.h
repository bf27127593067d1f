#pragma once
// An editable polypersonal rule table (pair_generator.h PolypersonalRules):
// the table's default kind (suffix / infix), the verb endings an infix goes
// before, and the ordered rules (object lemma, object number, marker, kind;
// the first rule that matches the object wins). Read from and written to the
// rule-table JSON ({"kind", "endings", "rules"}); every edit is validated by
// the core's own parser (gs::parsePolypersonalRules), so what the table
// accepts is exactly what the generator and the CLI accept.
//
// Thread affinity: GUI thread only.

#include "grammascope/conllu.h"
#include "grammascope/pair_generator.h"

#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;
class QToolButton;

namespace gs::ui {

class PolypersonalRulesEditor : public QWidget {
    Q_OBJECT
public:
    explicit PolypersonalRulesEditor(QWidget* parent = nullptr);

    void setRules(const PolypersonalRules& rules);
    // Loads a rule-table JSON file; false with the parser's message.
    bool loadFile(const QString& file, QString* error = nullptr);
    bool saveFile(const QString& file, QString* error = nullptr) const;
    QString sourceFile() const { return m_source; }

    // The table as rule-table JSON.
    QString toJson() const;
    bool isValid() const { return m_problem.isEmpty(); }
    QString problem() const { return m_problem; }
    // The validated rules (meaningful when isValid()).
    const PolypersonalRules& rules() const { return m_rules; }

    int ruleCount() const;
    // Edits for scripts and tests: row `row` gets these values.
    void setRule(int row, const QString& objectLemma, const QString& number, const QString& marker,
                 const QString& kind = QString());
    void addRule();
    void removeRule(int row);
    QTableWidget* table() const { return m_table; }

signals:
    void validityChanged(bool valid);
    void edited();

private:
    void insertRow(int row, const PolypersonalRule& rule);
    void moveRule(int step);
    void validate();

    QString m_source;
    PolypersonalRules m_rules;
    QString m_problem;
    bool m_filling = false;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_endings = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_state = nullptr;
};

} // namespace gs::ui
