#pragma once
// Analysis › Train probes…: what to probe for and how. The task list comes
// from gs::probeTasks(); tasks the current dataset cannot give (no pairs, no
// UD annotation, no polypersonal pairs) are disabled with the reason as
// their tooltip; "UD feature" asks for the feature, offering those the
// dataset's annotation has. Unit (token / word with mean or first-piece
// pooling; sentence tasks: mean or first token), probe kind (linear / MLP),
// layers, the control task, MDL, sliced MI, the Bayesian-MI learning curve,
// a cap on the examples and the seed. The dialog only builds a
// gs::ProbeTrainRequest: the main window runs it on the worker thread.
//
// Thread affinity: GUI thread only.

#include "dataset_model.h"

#include "grammascope/probe_data.h"

#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace gs::ui {

// What a dataset can give probes (computed once when the dialog opens).
struct ProbeDatasetFacts {
    QString name;
    int items = 0, pairs = 0, polypersonalPairs = 0, udItems = 0;
    QStringList udFeatures;  // feature names of the annotated words, sorted
};
ProbeDatasetFacts probeDatasetFacts(const OpenDataset& dataset);
// Why the dataset cannot give `task`, or empty when it can.
QString probeTaskUnavailableReason(const ProbeTaskInfo& task, const ProbeDatasetFacts& facts);

// "0-3, 6" → {0, 1, 2, 3, 6}; empty text: every layer (empty list). False on
// anything else or a layer outside 0..maxLayer.
bool parseProbeLayers(const QString& text, int maxLayer, std::vector<int>& layers);
QString probeLayersText(const std::vector<int>& layers);

// The choices of a request as JSON (kept in Settings between sessions), and back.
QString probeRequestToJson(const ProbeTrainRequest& request);
bool probeRequestFromJson(const QString& json, ProbeTrainRequest& request);

class ProbeDialog : public QDialog {
    Q_OBJECT
public:
    // `numLayers`: encoder layers of the loaded model (layers 0..numLayers).
    ProbeDialog(const ProbeDatasetFacts& facts, int numLayers, QWidget* parent = nullptr);

    ProbeTrainRequest request() const;
    // Restores earlier choices (a task the dataset cannot give is not chosen).
    void setRequest(const ProbeTrainRequest& request);

    // Chooses a task by id ("changed", "ud:Case"); false when unknown or unavailable.
    bool setTask(const QString& task);
    QString task() const;  // "ud:Case" for a UD feature
    bool isTaskEnabled(const QString& taskId) const;
    QString taskToolTip(const QString& taskId) const;
    bool canTrain() const;
    QString problemText() const;  // why Train is disabled, or empty

    QComboBox* taskCombo() const { return m_task; }

private:
    void updateState();
    int taskRow(const QString& taskId) const;
    const ProbeTaskInfo* currentTask() const;

    ProbeDatasetFacts m_facts;
    int m_numLayers = 0;
    QComboBox* m_task = nullptr;
    QLabel* m_featureLabel = nullptr;
    QComboBox* m_feature = nullptr;
    QComboBox* m_unit = nullptr;
    QComboBox* m_kind = nullptr;
    QSpinBox* m_hidden = nullptr;
    QDoubleSpinBox* m_l2 = nullptr;
    QLineEdit* m_layers = nullptr;
    QCheckBox* m_control = nullptr;
    QCheckBox* m_mdl = nullptr;
    QCheckBox* m_slicedMi = nullptr;
    QCheckBox* m_curve = nullptr;
    QComboBox* m_curveLayer = nullptr;
    QSpinBox* m_maxExamples = nullptr;
    QSpinBox* m_seed = nullptr;
    QCheckBox* m_reuse = nullptr;
    QLabel* m_taskInfo = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace gs::ui
