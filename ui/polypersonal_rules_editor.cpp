#include "polypersonal_rules_editor.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace gs::ui {
namespace {

enum Column { LemmaColumn, NumberColumn, MarkerColumn, KindColumn, ColumnCount };

QString q(const std::string& s) { return QString::fromStdString(s); }

QComboBox* makeChoice(const QList<std::pair<QString, QString>>& items, const QString& value, const QString& tip) {
    auto* combo = new QComboBox;
    for (const auto& [label, data] : items) combo->addItem(label, data);
    combo->setCurrentIndex(std::max(0, combo->findData(value)));
    combo->setToolTip(tip);
    combo->setFrame(false);
    return combo;
}

QList<std::pair<QString, QString>> numberItems() {
    return {{PolypersonalRulesEditor::tr("any"), QString()},
            {PolypersonalRulesEditor::tr("singular"), QStringLiteral("sg")},
            {PolypersonalRulesEditor::tr("plural"), QStringLiteral("pl")}};
}

QList<std::pair<QString, QString>> kindItems(bool withDefault) {
    QList<std::pair<QString, QString>> items;
    if (withDefault) items.append({PolypersonalRulesEditor::tr("table default"), QString()});
    items.append({PolypersonalRulesEditor::tr("suffix"), QStringLiteral("suffix")});
    items.append({PolypersonalRulesEditor::tr("infix"), QStringLiteral("infix")});
    return items;
}

QString kindId(PolypersonalKind kind) {
    return kind == PolypersonalKind::Infix ? QStringLiteral("infix") : QStringLiteral("suffix");
}

} // namespace

PolypersonalRulesEditor::PolypersonalRulesEditor(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("polypersonalRulesEditor"));
    m_kind = makeChoice(kindItems(false), QStringLiteral("suffix"),
                        tr("Suffix: the marker goes after the verb form; infix: before its inflectional ending"));
    m_kind->setObjectName(QStringLiteral("defaultKindCombo"));
    m_kind->setFrame(true);
    m_endings = new QLineEdit(this);
    m_endings->setObjectName(QStringLiteral("endingsEdit"));
    m_endings->setToolTip(tr("Verb endings an infix marker goes before, separated by spaces (the longest that "
                             "matches is used); needed by infix rules only"));

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("rulesTable"));
    m_table->setHorizontalHeaderLabels({tr("Object lemma"), tr("Object number"), tr("Marker"), tr("Kind")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setToolTip(tr("The first rule that matches the verb's direct object decides the marker. An empty lemma "
                           "and number 'any' match every object. Double-click a cell to edit it."));

    auto button = [this](const QString& text, const QString& tip, const char* name) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setObjectName(QLatin1String(name));
        return b;
    };
    QToolButton* add = button(tr("Add rule"), tr("Add a rule below the chosen one"), "addRuleButton");
    QToolButton* remove = button(tr("Remove"), tr("Remove the chosen rule"), "removeRuleButton");
    QToolButton* up = button(tr("▲"), tr("Move the chosen rule up: earlier rules win"), "ruleUpButton");
    QToolButton* down = button(tr("▼"), tr("Move the chosen rule down"), "ruleDownButton");
    connect(add, &QToolButton::clicked, this, &PolypersonalRulesEditor::addRule);
    connect(remove, &QToolButton::clicked, this, [this] { removeRule(m_table->currentRow()); });
    connect(up, &QToolButton::clicked, this, [this] { moveRule(-1); });
    connect(down, &QToolButton::clicked, this, [this] { moveRule(1); });

    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("rulesState"));
    m_state->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Default &kind:"), m_kind);
    form->addRow(tr("&Endings:"), m_endings);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(up);
    buttons->addWidget(down);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_state);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &PolypersonalRulesEditor::validate);
    connect(m_endings, &QLineEdit::textChanged, this, &PolypersonalRulesEditor::validate);
    connect(m_table, &QTableWidget::itemChanged, this, &PolypersonalRulesEditor::validate);
}

void PolypersonalRulesEditor::insertRow(int row, const PolypersonalRule& rule) {
    m_table->insertRow(row);
    auto* lemma = new QTableWidgetItem(q(rule.objectLemma));
    lemma->setToolTip(tr("The object's lemma (я, мы, ты, вы, ...); empty: any object"));
    m_table->setItem(row, LemmaColumn, lemma);
    auto* marker = new QTableWidgetItem(q(rule.marker));
    marker->setToolTip(tr("What is added to the verb form"));
    m_table->setItem(row, MarkerColumn, marker);
    QString number;
    if (rule.objectNumber) number = *rule.objectNumber == GramNumber::Pl ? QStringLiteral("pl") : QStringLiteral("sg");
    QComboBox* numberCombo = makeChoice(numberItems(), number, tr("The object's grammatical number; any: either"));
    QComboBox* kindCombo = makeChoice(kindItems(true), rule.kind ? kindId(*rule.kind) : QString(),
                                      tr("Where this rule's marker goes; table default: the default kind above"));
    connect(numberCombo, &QComboBox::currentIndexChanged, this, &PolypersonalRulesEditor::validate);
    connect(kindCombo, &QComboBox::currentIndexChanged, this, &PolypersonalRulesEditor::validate);
    m_table->setCellWidget(row, NumberColumn, numberCombo);
    m_table->setCellWidget(row, KindColumn, kindCombo);
}

void PolypersonalRulesEditor::setRules(const PolypersonalRules& rules) {
    m_filling = true;
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(kindId(rules.kind))));
    QStringList endings;
    for (const std::string& e : rules.endings) endings << q(e);
    m_endings->setText(endings.join(QLatin1Char(' ')));
    m_table->setRowCount(0);
    for (const PolypersonalRule& rule : rules.rules) insertRow(m_table->rowCount(), rule);
    m_filling = false;
    validate();
}

bool PolypersonalRulesEditor::loadFile(const QString& file, QString* error) {
    PolypersonalRules rules;
    const Status status = loadPolypersonalRules(file.toStdString(), rules);
    if (!status.isOk()) {
        if (error) *error = QString::fromStdString(status.message());
        return false;
    }
    m_source = file;
    setRules(rules);
    return true;
}

bool PolypersonalRulesEditor::saveFile(const QString& file, QString* error) const {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(toJson().toUtf8()) < 0 || !out.commit()) {
        if (error) *error = tr("Could not write %1: %2").arg(file, out.errorString());
        return false;
    }
    return true;
}

int PolypersonalRulesEditor::ruleCount() const { return m_table->rowCount(); }

QString PolypersonalRulesEditor::toJson() const {
    QJsonObject root;
    root.insert(QStringLiteral("kind"), m_kind->currentData().toString());
    QJsonArray endings;
    for (const QString& e : m_endings->text().split(QRegularExpression(QStringLiteral("[\\s,;]+")), Qt::SkipEmptyParts))
        endings.append(e);
    root.insert(QStringLiteral("endings"), endings);
    QJsonArray rules;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        QJsonObject rule;
        const QString lemma = m_table->item(row, LemmaColumn) ? m_table->item(row, LemmaColumn)->text().trimmed() : QString();
        if (!lemma.isEmpty()) rule.insert(QStringLiteral("object_lemma"), lemma);
        const auto* number = qobject_cast<QComboBox*>(m_table->cellWidget(row, NumberColumn));
        if (number && !number->currentData().toString().isEmpty())
            rule.insert(QStringLiteral("object_number"), number->currentData().toString());
        rule.insert(QStringLiteral("marker"),
                    m_table->item(row, MarkerColumn) ? m_table->item(row, MarkerColumn)->text().trimmed() : QString());
        const auto* kind = qobject_cast<QComboBox*>(m_table->cellWidget(row, KindColumn));
        if (kind && !kind->currentData().toString().isEmpty())
            rule.insert(QStringLiteral("kind"), kind->currentData().toString());
        rules.append(rule);
    }
    root.insert(QStringLiteral("rules"), rules);
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

void PolypersonalRulesEditor::validate() {
    if (m_filling) return;
    const bool wasValid = isValid();
    m_problem.clear();
    for (int row = 0; row < m_table->rowCount() && m_problem.isEmpty(); ++row) {
        const QTableWidgetItem* marker = m_table->item(row, MarkerColumn);
        if (!marker || marker->text().trimmed().isEmpty()) m_problem = tr("Rule %1 has no marker.").arg(row + 1);
    }
    if (m_problem.isEmpty()) {
        PolypersonalRules parsed;
        const Status status = parsePolypersonalRules(toJson().toStdString(), "rule table", parsed);
        if (status.isOk()) m_rules = std::move(parsed);
        else m_problem = QString::fromStdString(status.message());
    }
    m_state->setText(m_problem.isEmpty() ? tr("✓ %n rule(s), checked by the generator's parser.", "", ruleCount())
                                         : tr("✗ %1").arg(m_problem));
    m_state->setStyleSheet(m_problem.isEmpty() ? QString() : QStringLiteral("color: #c62828;"));
    emit edited();
    if (wasValid != isValid()) emit validityChanged(isValid());
}

void PolypersonalRulesEditor::setRule(int row, const QString& objectLemma, const QString& number,
                                      const QString& marker, const QString& kind) {
    if (row < 0 || row >= m_table->rowCount()) return;
    m_filling = true;
    m_table->item(row, LemmaColumn)->setText(objectLemma);
    m_table->item(row, MarkerColumn)->setText(marker);
    if (auto* c = qobject_cast<QComboBox*>(m_table->cellWidget(row, NumberColumn))) c->setCurrentIndex(std::max(0, c->findData(number)));
    if (auto* c = qobject_cast<QComboBox*>(m_table->cellWidget(row, KindColumn))) c->setCurrentIndex(std::max(0, c->findData(kind)));
    m_filling = false;
    validate();
}

void PolypersonalRulesEditor::addRule() {
    const int row = m_table->currentRow() >= 0 ? m_table->currentRow() + 1 : m_table->rowCount();
    m_filling = true;
    insertRow(row, PolypersonalRule{});
    m_filling = false;
    m_table->setCurrentCell(row, MarkerColumn);
    validate();
}

void PolypersonalRulesEditor::removeRule(int row) {
    if (row < 0 || row >= m_table->rowCount()) return;
    m_table->removeRow(row);
    validate();
}

void PolypersonalRulesEditor::moveRule(int step) {
    const int row = m_table->currentRow();
    const int target = row + step;
    if (row < 0 || target < 0 || target >= m_table->rowCount()) return;
    // Rebuild the two rows from the JSON of the table (cell widgets cannot be moved).
    PolypersonalRules rules = m_rules;
    if (!isValid() || rules.rules.size() != std::size_t(m_table->rowCount())) return;
    std::swap(rules.rules[std::size_t(row)], rules.rules[std::size_t(target)]);
    // The parser sorted the endings longest first; keep the user's order instead.
    const QString endings = m_endings->text();
    setRules(rules);
    m_endings->setText(endings);
    m_table->setCurrentCell(target, MarkerColumn);
}

} // namespace gs::ui
