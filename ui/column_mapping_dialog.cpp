#include "column_mapping_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace gs::ui {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// Header names that say what a column holds (compared case-insensitively).
const QStringList& namesFor(ColumnMappingDialog::Role role) {
    static const QStringList good{QStringLiteral("good"), QStringLiteral("sentence_good"),
                                  QStringLiteral("grammatical"), QStringLiteral("source_sentence"),
                                  QStringLiteral("acceptable"), QStringLiteral("correct"), QStringLiteral("sentence"),
                                  QStringLiteral("text")};
    static const QStringList bad{QStringLiteral("bad"), QStringLiteral("sentence_bad"),
                                 QStringLiteral("ungrammatical"), QStringLiteral("target_sentence"),
                                 QStringLiteral("unacceptable"), QStringLiteral("incorrect")};
    static const QStringList id{QStringLiteral("id"), QStringLiteral("pairid"), QStringLiteral("pair_id"),
                                QStringLiteral("sent_id"), QStringLiteral("key")};
    static const QStringList phenomenon{QStringLiteral("phenomenon"), QStringLiteral("uid"), QStringLiteral("pid"),
                                        QStringLiteral("linguistics_term"), QStringLiteral("category"),
                                        QStringLiteral("type")};
    switch (role) {
    case ColumnMappingDialog::Role::Good: return good;
    case ColumnMappingDialog::Role::Bad: return bad;
    case ColumnMappingDialog::Role::Id: return id;
    case ColumnMappingDialog::Role::Phenomenon: return phenomenon;
    }
    return good;
}

// Words inside a column name that hint at a sentence side ("sent_ok", "wrong_sentence").
const QStringList& hintsFor(ColumnMappingDialog::Role role) {
    static const QStringList good{QStringLiteral("good"), QStringLiteral("ok"), QStringLiteral("correct"),
                                  QStringLiteral("grammatical"), QStringLiteral("acceptable"), QStringLiteral("source")};
    static const QStringList bad{QStringLiteral("bad"), QStringLiteral("wrong"), QStringLiteral("incorrect"),
                                 QStringLiteral("ungrammatical"), QStringLiteral("unacceptable"), QStringLiteral("target")};
    static const QStringList none;
    return role == ColumnMappingDialog::Role::Good ? good : role == ColumnMappingDialog::Role::Bad ? bad : none;
}

// The column a role most likely is: an exact known name first, then a name
// made of words that hint at it (and at nothing of the other side).
QString guessColumn(ColumnMappingDialog::Role role, const QStringList& names) {
    for (const QString& wanted : namesFor(role))
        for (const QString& n : names)
            if (n.compare(wanted, Qt::CaseInsensitive) == 0) return n;
    const QStringList& hints = hintsFor(role);
    const QStringList& against = hintsFor(role == ColumnMappingDialog::Role::Good ? ColumnMappingDialog::Role::Bad
                                                                                   : ColumnMappingDialog::Role::Good);
    for (const QString& n : names) {
        const QStringList words = n.toLower().split(QRegularExpression(QStringLiteral("[^\\p{L}\\p{N}]+")),
                                                    Qt::SkipEmptyParts);
        auto has = [&](const QStringList& list) {
            return std::any_of(words.begin(), words.end(), [&](const QString& w) { return list.contains(w); });
        };
        if (has(hints) && !has(against)) return n;
    }
    return {};
}

QString roleLabel(ColumnMappingDialog::Role role) {
    switch (role) {
    case ColumnMappingDialog::Role::Good: return ColumnMappingDialog::tr("grammatical");
    case ColumnMappingDialog::Role::Bad: return ColumnMappingDialog::tr("ungrammatical");
    case ColumnMappingDialog::Role::Id: return ColumnMappingDialog::tr("id");
    case ColumnMappingDialog::Role::Phenomenon: return ColumnMappingDialog::tr("phenomenon");
    }
    return {};
}

constexpr ColumnMappingDialog::Role kRoles[] = {ColumnMappingDialog::Role::Good, ColumnMappingDialog::Role::Bad,
                                                ColumnMappingDialog::Role::Id,
                                                ColumnMappingDialog::Role::Phenomenon};

} // namespace

ColumnMappingDialog::ColumnMappingDialog(const QString& file, QWidget* parent) : QDialog(parent), m_file(file) {
    setObjectName(QStringLiteral("columnMappingDialog"));
    setWindowTitle(tr("Columns of %1").arg(QFileInfo(file).fileName()));

    auto* intro = new QLabel(tr("Grammascope does not know the columns of <b>%1</b>. Choose the column that holds "
                                "each sentence of a pair (only the grammatical one for a file of single sentences); "
                                "id and phenomenon are optional.")
                                 .arg(QFileInfo(file).fileName().toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);

    m_delimiter = new QComboBox(this);
    m_delimiter->setObjectName(QStringLiteral("delimiterCombo"));
    m_delimiter->addItem(tr("Automatic"), 0);
    m_delimiter->addItem(tr("Comma ( , )"), int(','));
    m_delimiter->addItem(tr("Tab"), int('\t'));
    m_delimiter->addItem(tr("Semicolon ( ; )"), int(';'));
    m_delimiter->addItem(tr("Vertical bar ( | )"), int('|'));
    m_delimiter->setToolTip(tr("What separates the fields; Automatic takes a tab if the first line has one, else a comma"));
    m_header = new QCheckBox(tr("First row is a &header"), this);
    m_header->setObjectName(QStringLiteral("headerCheck"));
    m_header->setChecked(true);
    m_header->setToolTip(tr("The first row names the columns (otherwise columns are numbered from 1)"));

    auto makeCombo = [this](const char* name, const QString& tip) {
        auto* c = new QComboBox(this);
        c->setObjectName(QLatin1String(name));
        c->setToolTip(tip);
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        return c;
    };
    m_good = makeCombo("goodColumnCombo", tr("The column with the grammatical sentence (required)"));
    m_bad = makeCombo("badColumnCombo", tr("The column with the ungrammatical sentence; none for single sentences"));
    m_id = makeCombo("idColumnCombo", tr("The column with each record's id; none: the line number"));
    m_phenomenon = makeCombo("phenomenonColumnCombo", tr("The column naming the phenomenon; none: the file name"));

    auto* form = new QFormLayout;
    auto* delimiterRow = new QHBoxLayout;
    delimiterRow->addWidget(m_delimiter);
    delimiterRow->addWidget(m_header);
    delimiterRow->addStretch(1);
    auto* delimiterLabel = new QLabel(tr("&Delimiter:"), this);
    delimiterLabel->setBuddy(m_delimiter);
    form->addRow(delimiterLabel, delimiterRow);
    form->addRow(tr("G&rammatical sentence:"), m_good);
    form->addRow(tr("U&ngrammatical sentence:"), m_bad);
    form->addRow(tr("&Id:"), m_id);
    form->addRow(tr("&Phenomenon:"), m_phenomenon);

    m_preview = new QTableWidget(this);
    m_preview->setObjectName(QStringLiteral("mappingPreview"));
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setSelectionMode(QAbstractItemView::NoSelection);
    m_preview->setWordWrap(false);
    m_preview->verticalHeader()->hide();
    m_preview->verticalHeader()->setDefaultSectionSize(m_preview->fontMetrics().height() + 6);
    m_preview->setToolTip(tr("The first %1 records of the file as they will be read").arg(kPreviewRows));

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("mappingProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Open"));
    m_ok->setToolTip(tr("Read the file with these columns"));
    buttons->button(QDialogButtonBox::Cancel)->setToolTip(tr("Do not open the file (Esc)"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    connect(m_delimiter, &QComboBox::currentIndexChanged, this, [this] { reloadPreview(); });
    connect(m_header, &QCheckBox::toggled, this, [this] {
        fillCombos();
        updateState();
    });
    for (const Role role : kRoles)
        connect(combo(role), &QComboBox::currentIndexChanged, this, [this] { updateState(); });

    reloadPreview();
    resize(760, 520);
}

QComboBox* ColumnMappingDialog::combo(Role role) const {
    switch (role) {
    case Role::Good: return m_good;
    case Role::Bad: return m_bad;
    case Role::Id: return m_id;
    case Role::Phenomenon: return m_phenomenon;
    }
    return m_good;
}

void ColumnMappingDialog::reloadPreview() {
    m_rows.clear();
    m_previewError.clear();
    const char delimiter = static_cast<char>(m_delimiter->currentData().toInt());
    const Status status = previewDelimited(m_file.toStdString(), delimiter, kPreviewRows + 1, m_rows);
    if (!status.isOk()) m_previewError = QString::fromStdString(status.message());
    fillCombos();
    updateState();
}

void ColumnMappingDialog::fillCombos() {
    std::size_t columns = 0;
    for (const auto& row : m_rows) columns = std::max(columns, row.size());
    const bool header = m_header->isChecked() && !m_rows.empty();
    m_names.clear();
    for (std::size_t c = 0; c < columns; ++c) {
        QString name = header && c < m_rows.front().size() ? q(m_rows.front()[c]).trimmed() : QString();
        m_names << (name.isEmpty() || !header ? QString::number(c + 1) : name);
    }

    // Keep what the user chose if the column still exists, else guess again.
    for (const Role role : kRoles) {
        QComboBox* c = combo(role);
        const QString previous = c->currentData().toString();
        const QSignalBlocker block(c);
        c->clear();
        if (role != Role::Good)
            c->addItem(role == Role::Bad ? tr("(none: single sentences)")
                       : role == Role::Id ? tr("(none: the line number)")
                                          : tr("(none: the file name)"),
                       QString());
        for (int i = 0; i < m_names.size(); ++i) {
            const QString sample = m_rows.size() > (header ? 1u : 0u)
                ? q(m_rows[header ? 1 : 0].size() > std::size_t(i) ? m_rows[header ? 1 : 0][std::size_t(i)] : std::string())
                : QString();
            const QString label = header ? m_names[i] : tr("Column %1").arg(m_names[i]);
            c->addItem(sample.isEmpty() ? label : QStringLiteral("%1 — %2").arg(label, sample.left(40)), m_names[i]);
        }
        int index = c->findData(previous);
        if (index < 0 || previous.isEmpty()) {
            index = 0;  // the first column for the sentence, else none
            if (header) {
                const QString guess = guessColumn(role, m_names);
                if (!guess.isEmpty()) index = c->findData(guess);
            } else if (role == Role::Bad && m_names.size() >= 2) {
                index = c->findData(m_names[1]);  // without names: the first two columns
            }
        }
        c->setCurrentIndex(std::max(0, index));
    }

    // The preview, with the chosen roles marked in the column titles.
    m_preview->clear();
    m_preview->setColumnCount(int(columns));
    const std::size_t first = header ? 1 : 0;
    const int rows = int(std::min<std::size_t>(m_rows.size() > first ? m_rows.size() - first : 0, kPreviewRows));
    m_preview->setRowCount(rows);
    for (int r = 0; r < rows; ++r) {
        const auto& fields = m_rows[first + std::size_t(r)];
        for (std::size_t c = 0; c < fields.size(); ++c) {
            auto* item = new QTableWidgetItem(q(fields[c]));
            item->setToolTip(q(fields[c]));
            m_preview->setItem(r, int(c), item);
        }
    }
}

void ColumnMappingDialog::updateState() {
    for (int c = 0; c < m_names.size(); ++c) {
        QString title = m_names[c];
        QStringList roles;
        for (const Role role : kRoles)
            if (combo(role)->currentData().toString() == m_names[c]) roles << roleLabel(role);
        if (!roles.isEmpty()) title += QStringLiteral("\n[%1]").arg(roles.join(QStringLiteral(", ")));
        auto* item = new QTableWidgetItem(title);
        QFont f = item->font();
        f.setBold(!roles.isEmpty());
        item->setFont(f);
        m_preview->setHorizontalHeaderItem(c, item);
    }
    for (int c = 0; c < m_preview->columnCount(); ++c) m_preview->setColumnWidth(c, 180);
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_ok->setEnabled(why.isEmpty());
}

QString ColumnMappingDialog::problem() const {
    if (!m_previewError.isEmpty()) return m_previewError;
    if (m_names.isEmpty()) return tr("The file has no columns to map.");
    const QString good = m_good->currentData().toString();
    if (good.isEmpty()) return tr("Choose the column of the grammatical sentence.");
    if (good == m_bad->currentData().toString())
        return tr("The grammatical and the ungrammatical sentence must come from different columns.");
    return {};
}

bool ColumnMappingDialog::isValid() const { return problem().isEmpty(); }

ColumnMapping ColumnMappingDialog::mapping() const {
    ColumnMapping m;
    m.delimiter = static_cast<char>(m_delimiter->currentData().toInt());
    m.hasHeader = m_header->isChecked();
    m.good = m_good->currentData().toString().toStdString();
    m.bad = m_bad->currentData().toString().toStdString();
    m.id = m_id->currentData().toString().toStdString();
    m.phenomenon = m_phenomenon->currentData().toString().toStdString();
    return m;
}

bool ColumnMappingDialog::setColumn(Role role, const QString& name) {
    QComboBox* c = combo(role);
    const int index = c->findData(name);
    if (index < 0) return false;
    c->setCurrentIndex(index);
    return true;
}

void ColumnMappingDialog::setDelimiter(char delimiter) {
    const int index = m_delimiter->findData(int(delimiter));
    if (index >= 0) m_delimiter->setCurrentIndex(index);
}

void ColumnMappingDialog::setHasHeader(bool header) { m_header->setChecked(header); }

} // namespace gs::ui
