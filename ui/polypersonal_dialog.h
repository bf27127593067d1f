#pragma once
// Tools › Generate polypersonal pairs from CoNLL-U: choose Universal
// Dependencies files, edit the rule table (PolypersonalRulesEditor; the
// shipped resources/polypersonal-rules.json by default), choose the strict
// variant, and generate (gs::readConllu + gs::generatePolypersonalPairs).
// The result opens as a new dataset in the browser (generated()) and can be
// saved as a Grammascope CSV.
//
// The job runs on a thread-pool thread (QtConcurrent with a QPromise): the
// dialog shows its progress and Cancel stops it through the core's progress
// callback (between files while reading, every 1,000 sentences while
// generating). Esc or Close while a job runs cancels it; a dialog destroyed
// mid-job cancels it and drops its result (the job holds only its own values,
// so it can finish on the pool unattended). Never processEvents().
//
// Thread affinity: GUI thread; the job touches no widget.

#include "dataset_model.h"

#include "grammascope/conllu.h"
#include "grammascope/pair_generator.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QString>
#include <QStringList>

class QCheckBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace gs::ui {

class PolypersonalRulesEditor;
class Settings;

struct PolypersonalJobResult {
    Status status;
    OpenDatasetPtr dataset;
    PolypersonalStats stats;
    QStringList readIssues;  // "file:line: ..." of sentences skipped while reading
};

class PolypersonalDialog : public QDialog {
    Q_OBJECT
public:
    explicit PolypersonalDialog(Settings& settings, QWidget* parent = nullptr);
    ~PolypersonalDialog() override;  // cancels a running job

    void setConlluFiles(const QStringList& files);
    QStringList conlluFiles() const;
    PolypersonalRulesEditor* rulesEditor() const { return m_rules; }
    void setStrict(bool strict);

    // Starts the job (no-op while one runs or the input is incomplete).
    void generate();
    void cancelGeneration();
    bool isRunning() const { return m_watcher.isRunning(); }
    // The last result (null until a job succeeded).
    OpenDatasetPtr result() const { return m_result; }
    QString summary() const;
    // Writes the last result as a Grammascope CSV.
    bool saveResult(const QString& file, QString* error = nullptr);

signals:
    void generated(const gs::ui::OpenDatasetPtr& dataset);

protected:
    void reject() override;

private:
    void addFiles();
    void openRules();
    void saveRules();
    void resetRules();
    void chooseSaveFile();
    void onFinished();
    void updateState();

    Settings& m_settings;
    QListWidget* m_files = nullptr;
    PolypersonalRulesEditor* m_rules = nullptr;
    QLabel* m_rulesFile = nullptr;
    QCheckBox* m_strict = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_generate = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_close = nullptr;
    QFutureWatcher<PolypersonalJobResult> m_watcher;
    OpenDatasetPtr m_result;
    PolypersonalJobResult m_last;
    bool m_cancelRequested = false;
};

} // namespace gs::ui
