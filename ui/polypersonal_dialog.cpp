#include "polypersonal_dialog.h"

#include "demo_assets.h"
#include "polypersonal_rules_editor.h"
#include "settings.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPromise>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace gs::ui {
namespace {

constexpr int kProgressScale = 1000;
constexpr int kReadShare = 300;  // of kProgressScale: reading the files, the rest generating

QString jobText(const char* text) { return QCoreApplication::translate("gs::ui::PolypersonalDialog", text); }
QString number(qint64 n) { return QLocale().toString(n); }

// Runs on a pool thread: plain values in, a result out; cancelled through the promise.
void runJob(QPromise<PolypersonalJobResult>& promise, const QStringList& files, const PolypersonalOptions& options) {
    PolypersonalJobResult out;
    try {
        promise.setProgressRange(0, kProgressScale);
        std::vector<ConlluSentence> sentences;
        for (int i = 0; i < files.size(); ++i) {
            if (promise.isCanceled()) return;
            const QString name = QFileInfo(files[i]).fileName();
            promise.setProgressValueAndText(kReadShare * i / int(files.size()), jobText("Reading %1…").arg(name));
            ConlluDocument document;
            const Status status = readConllu(files[i].toStdString(), document);
            if (!status.isOk()) {
                out.status = status;
                promise.addResult(out);
                return;
            }
            for (const DatasetIssue& issue : document.issues)
                out.readIssues << QString::fromStdString(formatIssue(name.toStdString(), issue));
            sentences.insert(sentences.end(), std::make_move_iterator(document.sentences.begin()),
                             std::make_move_iterator(document.sentences.end()));
        }
        promise.setProgressValueAndText(kReadShare, jobText("Generating pairs…"));
        PolypersonalResult result;
        const Status status = generatePolypersonalPairs(
            sentences, options, result, [&promise](std::int64_t done, std::int64_t total) {
                const std::int64_t share = (kProgressScale - kReadShare) * done / std::max<std::int64_t>(total, 1);
                promise.setProgressValue(kReadShare + int(share));
                return !promise.isCanceled();
            });
        if (status.isCancelled() || promise.isCanceled()) return;
        out.status = status;
        if (status.isOk()) {
            Dataset dataset;
            const QFileInfo first(files.front());
            QString name = jobText("polypersonal · %1").arg(first.fileName());
            if (files.size() > 1) name += QStringLiteral(" +%1").arg(files.size() - 1);
            dataset.name = name.toStdString();
            dataset.source = files.front().toStdString();
            dataset.format = DatasetFormat::Conllu;
            dataset.items = std::move(result.items);
            out.stats = result.stats;
            out.dataset = buildOpenDataset(std::move(dataset), QString());
        }
    } catch (const std::exception& e) {
        out.status = Status::failed(std::string("generating polypersonal pairs: ") + e.what());
    } catch (...) {
        out.status = Status::failed("generating polypersonal pairs: unknown error");
    }
    promise.addResult(std::move(out));
}

} // namespace

PolypersonalDialog::PolypersonalDialog(Settings& settings, QWidget* parent) : QDialog(parent), m_settings(settings) {
    setObjectName(QStringLiteral("polypersonalDialog"));
    setWindowTitle(tr("Generate polypersonal pairs from CoNLL-U"));

    auto* intro = new QLabel(tr(
        "Every verb with a direct object (Case=Acc, relation obj) gets the marker of the first matching rule; "
        "each changed sentence becomes a pair (standard Russian, polypersonal Russian)."), this);
    intro->setWordWrap(true);

    // Input files.
    m_files = new QListWidget(this);
    m_files->setObjectName(QStringLiteral("conlluFiles"));
    m_files->setToolTip(tr("The Universal Dependencies files to transform, read in this order"));
    m_files->setMaximumHeight(90);
    auto* add = new QPushButton(tr("&Add files…"), this);
    add->setToolTip(tr("Choose CoNLL-U files (*.conllu)"));
    auto* remove = new QPushButton(tr("Re&move"), this);
    remove->setToolTip(tr("Remove the chosen file from the list"));
    connect(add, &QPushButton::clicked, this, &PolypersonalDialog::addFiles);
    connect(remove, &QPushButton::clicked, this, [this] {
        delete m_files->currentItem();
        updateState();
    });
    auto* fileButtons = new QVBoxLayout;
    fileButtons->addWidget(add);
    fileButtons->addWidget(remove);
    fileButtons->addStretch(1);
    auto* filesBox = new QGroupBox(tr("CoNLL-U files"), this);
    auto* filesLayout = new QHBoxLayout(filesBox);
    filesLayout->addWidget(m_files, 1);
    filesLayout->addLayout(fileButtons);

    // Rule table.
    m_rules = new PolypersonalRulesEditor(this);
    m_rulesFile = new QLabel(this);
    m_rulesFile->setObjectName(QStringLiteral("rulesFileLabel"));
    m_rulesFile->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* openRulesButton = new QPushButton(tr("&Open rules…"), this);
    openRulesButton->setToolTip(tr("Load a rule table (JSON: kind, endings, rules)"));
    auto* saveRulesButton = new QPushButton(tr("Sa&ve rules as…"), this);
    saveRulesButton->setToolTip(tr("Write the table as rule-table JSON (usable with the CLI too)"));
    auto* resetRulesButton = new QPushButton(tr("&Default rules"), this);
    resetRulesButton->setToolTip(tr("Go back to the shipped rule table (methods.md §1)"));
    connect(openRulesButton, &QPushButton::clicked, this, &PolypersonalDialog::openRules);
    connect(saveRulesButton, &QPushButton::clicked, this, &PolypersonalDialog::saveRules);
    connect(resetRulesButton, &QPushButton::clicked, this, &PolypersonalDialog::resetRules);
    connect(m_rules, &PolypersonalRulesEditor::validityChanged, this, [this] { updateState(); });
    auto* rulesButtons = new QHBoxLayout;
    rulesButtons->addWidget(m_rulesFile, 1);
    rulesButtons->addWidget(openRulesButton);
    rulesButtons->addWidget(saveRulesButton);
    rulesButtons->addWidget(resetRulesButton);
    auto* rulesBox = new QGroupBox(tr("Rule table"), this);
    auto* rulesLayout = new QVBoxLayout(rulesBox);
    rulesLayout->addLayout(rulesButtons);
    rulesLayout->addWidget(m_rules, 1);

    m_strict = new QCheckBox(tr("Only objects of &finite verbs (strict variant)"), this);
    m_strict->setObjectName(QStringLiteral("strictCheck"));
    m_strict->setToolTip(tr("Change a verb only when its head has VerbForm=Fin (no infinitives, participles)"));

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("polypersonalProgress"));
    m_progress->setRange(0, kProgressScale);
    m_progress->setValue(0);
    m_progress->setToolTip(tr("Progress of the generation; Cancel stops it"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("polypersonalSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QDialogButtonBox(this);
    m_generate = buttons->addButton(tr("&Generate"), QDialogButtonBox::ActionRole);
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_generate->setToolTip(tr("Read the files and generate the pairs in the background; the result opens "
                                       "in the dataset browser"));
    m_generate->setDefault(true);
    m_cancel = buttons->addButton(tr("&Cancel job"), QDialogButtonBox::ActionRole);
    m_cancel->setObjectName(QStringLiteral("cancelJobButton"));
    m_cancel->setToolTip(tr("Stop the running generation (Esc)"));
    m_save = buttons->addButton(tr("&Save as CSV…"), QDialogButtonBox::ActionRole);
    m_save->setObjectName(QStringLiteral("savePairsButton"));
    m_save->setToolTip(tr("Save the generated pairs as a Grammascope CSV file"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setToolTip(tr("Close this dialog (the generated dataset stays open in the browser)"));
    connect(m_generate, &QPushButton::clicked, this, &PolypersonalDialog::generate);
    connect(m_cancel, &QPushButton::clicked, this, &PolypersonalDialog::cancelGeneration);
    connect(m_save, &QPushButton::clicked, this, &PolypersonalDialog::chooseSaveFile);
    connect(buttons, &QDialogButtonBox::rejected, this, &PolypersonalDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(filesBox);
    layout->addWidget(rulesBox, 1);
    layout->addWidget(m_strict);
    layout->addWidget(m_progress);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);

    connect(&m_watcher, &QFutureWatcher<PolypersonalJobResult>::progressValueChanged, m_progress, &QProgressBar::setValue);
    connect(&m_watcher, &QFutureWatcher<PolypersonalJobResult>::progressTextChanged, this,
            [this](const QString& text) { m_progress->setFormat(text + QStringLiteral(" %p%")); });
    connect(&m_watcher, &QFutureWatcher<PolypersonalJobResult>::finished, this, &PolypersonalDialog::onFinished);

    resetRules();
    updateState();
    resize(740, 720);
}

PolypersonalDialog::~PolypersonalDialog() {
    if (m_watcher.isRunning()) m_watcher.cancel();
}

void PolypersonalDialog::setConlluFiles(const QStringList& files) {
    m_files->clear();
    for (const QString& f : files) {
        auto* item = new QListWidgetItem(QDir::toNativeSeparators(f), m_files);
        item->setData(Qt::UserRole, f);
        item->setToolTip(QDir::toNativeSeparators(QFileInfo(f).absoluteFilePath()));
    }
    updateState();
}

QStringList PolypersonalDialog::conlluFiles() const {
    QStringList files;
    for (int i = 0; i < m_files->count(); ++i) files << m_files->item(i)->data(Qt::UserRole).toString();
    return files;
}

void PolypersonalDialog::setStrict(bool strict) { m_strict->setChecked(strict); }

void PolypersonalDialog::addFiles() {
    QString folder = m_settings.lastDatasetFolder();
    if (folder.isEmpty()) folder = QDir::homePath();
    const QStringList chosen = QFileDialog::getOpenFileNames(this, tr("Choose CoNLL-U files"), folder,
        tr("CoNLL-U (*.conllu);;All files (*)"));
    if (chosen.isEmpty()) return;
    m_settings.setLastDatasetFolder(QFileInfo(chosen.front()).absolutePath());
    QStringList files = conlluFiles();
    for (const QString& f : chosen)
        if (!files.contains(f)) files << f;
    setConlluFiles(files);
}

void PolypersonalDialog::openRules() {
    const QString start = m_rules->sourceFile().isEmpty() ? m_settings.lastDatasetFolder() : m_rules->sourceFile();
    const QString file = QFileDialog::getOpenFileName(this, tr("Open a rule table"), start,
                                                      tr("Rule tables (*.json);;All files (*)"));
    if (file.isEmpty()) return;
    QString error;
    if (!m_rules->loadFile(file, &error)) {
        QMessageBox::warning(this, tr("Could not read the rule table"), error);
        return;
    }
    m_rulesFile->setText(tr("Rules from %1").arg(QFileInfo(file).fileName()));
    m_rulesFile->setToolTip(QDir::toNativeSeparators(file));
}

void PolypersonalDialog::saveRules() {
    const QString file = QFileDialog::getSaveFileName(this, tr("Save the rule table"),
        m_rules->sourceFile().isEmpty() ? QDir(m_settings.lastDatasetFolder()).filePath(QStringLiteral("polypersonal-rules.json"))
                                        : m_rules->sourceFile(),
        tr("Rule tables (*.json)"));
    if (file.isEmpty()) return;
    QString error;
    if (!m_rules->saveFile(file, &error)) QMessageBox::warning(this, tr("Could not save the rule table"), error);
}

void PolypersonalDialog::resetRules() {
    const QString file = findPolypersonalRulesFile();
    QString error;
    if (!file.isEmpty() && m_rules->loadFile(file, &error)) {
        m_rulesFile->setText(tr("Rules from %1").arg(QFileInfo(file).fileName()));
        m_rulesFile->setToolTip(QDir::toNativeSeparators(file));
        return;
    }
    m_rules->setRules(defaultPolypersonalRules());
    m_rulesFile->setText(tr("Built-in rules (methods.md §1)"));
    m_rulesFile->setToolTip(error.isEmpty() ? tr("polypersonal-rules.json was not found; these are the "
                                                          "generator's built-in rules")
                                            : error);
}

void PolypersonalDialog::generate() {
    if (isRunning() || conlluFiles().isEmpty() || !m_rules->isValid()) return;
    PolypersonalOptions options;
    options.rules = m_rules->rules();
    options.requireFiniteHead = m_strict->isChecked();
    m_cancelRequested = false;
    m_progress->setValue(0);
    m_progress->setFormat(tr("Starting… %p%"));
    m_summary->clear();
    m_watcher.setFuture(QtConcurrent::run(runJob, conlluFiles(), options));
    updateState();
}

void PolypersonalDialog::cancelGeneration() {
    if (!isRunning()) return;
    m_cancelRequested = true;
    m_watcher.cancel();
    m_progress->setFormat(tr("Cancelling…"));
    updateState();
}

void PolypersonalDialog::reject() {
    if (isRunning()) {
        cancelGeneration();  // the first Esc stops the job, the next closes
        return;
    }
    QDialog::reject();
}

void PolypersonalDialog::onFinished() {
    const QFuture<PolypersonalJobResult> future = m_watcher.future();
    if (m_cancelRequested || future.isCanceled() || future.resultCount() == 0) {
        m_progress->setValue(0);
        m_progress->setFormat(tr("Cancelled"));
        m_summary->setText(tr("Cancelled: nothing was generated."));
        updateState();
        return;
    }
    m_last = future.result();
    if (!m_last.status.isOk()) {
        m_progress->setFormat(tr("Failed"));
        m_summary->setText(tr("<span style='color:#c62828'>%1</span>")
                               .arg(QString::fromStdString(m_last.status.message()).toHtmlEscaped()));
        updateState();
        return;
    }
    m_progress->setValue(kProgressScale);
    m_progress->setFormat(tr("Done"));
    m_result = m_last.dataset;
    m_summary->setText(summary());
    m_summary->setToolTip(m_last.readIssues.isEmpty() ? QString() : m_last.readIssues.mid(0, 40).join(QLatin1Char('\n')));
    updateState();
    if (m_result) emit generated(m_result);
}

QString PolypersonalDialog::summary() const {
    if (!m_result) return {};
    const PolypersonalStats& s = m_last.stats;
    QString text = tr("%1 pairs from %2 sentences: %3 direct objects, %4 verbs changed.")
                       .arg(number(s.pairs), number(s.sentences), number(s.objects), number(s.verbsChanged));
    QStringList skipped;
    if (s.skippedNoRule > 0) skipped << tr("%1 with no matching rule").arg(number(s.skippedNoRule));
    if (s.skippedHeadNotVerb > 0) skipped << tr("%1 whose head is not a verb").arg(number(s.skippedHeadNotVerb));
    if (s.skippedNotFinite > 0) skipped << tr("%1 of non-finite verbs").arg(number(s.skippedNotFinite));
    if (s.skippedVerbTaken > 0) skipped << tr("%1 whose verb already agrees with an earlier object").arg(number(s.skippedVerbTaken));
    if (s.skippedVerbSpan > 0) skipped << tr("%1 whose verb is inside a contracted token").arg(number(s.skippedVerbSpan));
    if (!skipped.isEmpty()) text += QLatin1Char(' ') + tr("Objects skipped: %1.").arg(skipped.join(QStringLiteral(", ")));
    if (!m_last.readIssues.isEmpty())
        text += QLatin1Char(' ') + tr("%n malformed sentence(s) skipped while reading (hover for the list).", "",
                                               int(m_last.readIssues.size()));
    return text;
}

bool PolypersonalDialog::saveResult(const QString& file, QString* error) {
    if (!m_result) return false;
    const Status status = writeDatasetCsv(*m_result, file);
    if (!status.isOk() && error) *error = QString::fromStdString(status.message());
    return status.isOk();
}

void PolypersonalDialog::chooseSaveFile() {
    if (!m_result) return;
    QString folder = m_settings.lastDatasetFolder();
    if (folder.isEmpty()) folder = QDir::homePath();
    const QString file = QFileDialog::getSaveFileName(this, tr("Save polypersonal pairs"),
        QDir(folder).filePath(QStringLiteral("polypersonal-pairs.csv")), tr("CSV files (*.csv)"));
    if (file.isEmpty()) return;
    QString error;
    if (saveResult(file, &error)) {
        m_settings.setLastDatasetFolder(QFileInfo(file).absolutePath());
        m_summary->setText(summary() + QLatin1Char(' ') + tr("Saved to %1.").arg(QDir::toNativeSeparators(file)));
    } else {
        QMessageBox::warning(this, tr("Could not save the pairs"), error);
    }
}

void PolypersonalDialog::updateState() {
    const bool running = isRunning();
    m_generate->setEnabled(!running && !conlluFiles().isEmpty() && m_rules->isValid());
    m_generate->setToolTip(conlluFiles().isEmpty() ? tr("Add at least one CoNLL-U file first")
                           : !m_rules->isValid()   ? tr("Fix the rule table first: %1").arg(m_rules->problem())
                                                   : tr("Read the files and generate the pairs in the background"));
    m_cancel->setEnabled(running && !m_cancelRequested);
    m_save->setEnabled(!running && m_result);
    m_files->setEnabled(!running);
    m_rules->setEnabled(!running);
    m_strict->setEnabled(!running);
}

} // namespace gs::ui
