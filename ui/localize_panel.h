#pragma once
// The Localized layer panel (a dock), three tabs over LocalizeService:
//  - Train: train one encoder layer of the loaded model (the parent) on the
//    current dataset's pairs with the cosine + MLM loss of methods.md §2
//    (phenomenon, layer, steps, learning rate, loss weights, batch, MLM
//    every N steps, pooling, output folder, resume); a live plot of the total,
//    cosine and MLM losses against the step, progress, Cancel (Esc). The
//    result is a normal checkpoint folder that records its parent.
//  - Compare: a localized checkpoint and its parent (the folder it records,
//    or the loaded model): which layers changed (relative norm of the change
//    per encoder layer as bars, the localized layer marked), and "Show in the
//    view" to draw the hidden-state distance of the current sentence or pair
//    in the "Localized layer" tab.
//  - Report: the localization report for the pair (parent, localized): the
//    three criteria of methods.md §0 with their numbers, shown as a document
//    and saved as Markdown or JSON.
// The panel calls the service itself; the main window gives it the loaded
// model and the current dataset.
//
// Thread affinity: GUI thread only.

#include "dataset_model.h"
#include "localize_service.h"

#include "grammascope/model.h"

#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTextBrowser;

namespace gs::ui {

class LocalizePanel : public QWidget {
    Q_OBJECT
public:
    explicit LocalizePanel(LocalizeService* service, QWidget* parent = nullptr);

    // The loaded model is the parent of a training (empty dir: none).
    void setParentModel(const QString& dir, std::int64_t numLayers);
    void setDataset(const OpenDatasetPtr& dataset);

    // --- Train
    LocalizeTrainOptions trainOptions() const;  // pairs from the current dataset
    QString validateTraining() const;           // empty when a training can start
    void startTraining();
    void cancelTraining();
    bool isTraining() const { return m_trainJob != 0; }
    QCustomPlot* lossPlot() const { return m_lossPlot; }
    QString trainStatusText() const;
    QLineEdit* outputEdit() const { return m_output; }
    QSpinBox* stepsBox() const { return m_steps; }
    QSpinBox* layerBox() const { return m_layer; }
    QComboBox* phenomenonBox() const { return m_phenomenon; }
    QLineEdit* learningRateEdit() const { return m_lr; }
    QComboBox* poolingBox() const { return m_pooling; }

    // --- Compare
    void setLocalizedDir(const QString& dir);  // also fills the parent it records
    QString localizedDir() const;
    QString comparedParentDir() const;         // the parent field, else the loaded model
    void compareCheckpoints();
    const CheckpointDiff* lastDiff() const { return m_diff.get(); }
    QCustomPlot* diffPlot() const { return m_diffPlot; }
    QString diffVerdictText() const;

    // --- Report
    void buildReport();
    void cancelReport();
    bool isReporting() const { return m_reportJob != 0; }
    const LocalizationReport* lastReport() const { return m_report.get(); }
    bool saveReport(const QString& file, QString* error = nullptr) const;  // .md or .json
    QTextBrowser* reportView() const { return m_reportView; }
    QSpinBox* maxPairsBox() const { return m_maxPairs; }

    QTabWidget* tabs() const { return m_tabs; }

signals:
    // "Show in the view": draw the distance between these two models.
    void comparisonRequested(const QString& parentDir, const QString& localizedDir);
    void message(const QString& text);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QWidget* buildTrainTab();
    QWidget* buildCompareTab();
    QWidget* buildReportTab();
    void updateButtons();
    void chooseOutput();
    void chooseLocalized();
    void chooseParent();
    void suggestOutput();
    void onTrainProgress(quint64 id, const LocalizeTrainProgress& p);
    void onTrainFinished(quint64 id, const LocalizeTrainSummary& s, const QString& outDir);
    void onDiff(quint64 id, CheckpointDiffPtr diff);
    void onReportProgress(quint64 id, const QString& stage, qint64 done, qint64 total);
    void onReport(quint64 id, LocalizationReportPtr report);
    void onFailed(quint64 id, const QString& text);
    void onCancelled(quint64 id);
    void saveReportAs();

    LocalizeService* m_service;
    QString m_parentDir;
    std::int64_t m_numLayers = 0;
    OpenDatasetPtr m_dataset;
    quint64 m_trainJob = 0, m_diffJob = 0, m_reportJob = 0;
    CheckpointDiffPtr m_diff;
    LocalizationReportPtr m_report;
    bool m_outputEdited = false;

    QTabWidget* m_tabs = nullptr;
    // Train
    QLabel* m_trainSource = nullptr;
    QComboBox* m_phenomenon = nullptr;
    QSpinBox* m_layer = nullptr;
    QSpinBox* m_steps = nullptr;
    QLineEdit* m_lr = nullptr;
    QDoubleSpinBox* m_wCos = nullptr;
    QDoubleSpinBox* m_wMlm = nullptr;
    QSpinBox* m_batch = nullptr;
    QSpinBox* m_mlmEvery = nullptr;
    QComboBox* m_pooling = nullptr;
    QLineEdit* m_output = nullptr;
    QCheckBox* m_resume = nullptr;
    QPushButton* m_train = nullptr;
    QPushButton* m_cancelTrain = nullptr;
    QProgressBar* m_trainProgress = nullptr;
    QLabel* m_trainStatus = nullptr;
    QCustomPlot* m_lossPlot = nullptr;
    // Compare
    QLineEdit* m_localized = nullptr;
    QLineEdit* m_parent = nullptr;
    QPushButton* m_compare = nullptr;
    QPushButton* m_show = nullptr;
    QLabel* m_verdict = nullptr;
    QCustomPlot* m_diffPlot = nullptr;
    // Report
    QSpinBox* m_maxPairs = nullptr;
    QPushButton* m_buildReport = nullptr;
    QPushButton* m_cancelReport = nullptr;
    QPushButton* m_saveReport = nullptr;
    QProgressBar* m_reportProgress = nullptr;
    QLabel* m_reportStatus = nullptr;
    QTextBrowser* m_reportView = nullptr;
};

} // namespace gs::ui
