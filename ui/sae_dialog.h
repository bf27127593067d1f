#pragma once
// Analysis › Train sparse autoencoders…: the layers (a checkable list, the
// middle layer by default), the kind (TopK or ReLU + L1), the dictionary size
// as a multiple of the hidden size, k and AuxK (TopK), the L1 coefficient
// (ReLU + L1), learning rate, epochs, batch size, the cap on training tokens,
// the seed and whether the special tokens are trained on. Every field says in
// its tooltip what it does (methods §6); what cannot be trained is named
// below the fields and disables Train. The dialog only builds a
// gs::SaeTrainRequest: the main window runs it on the worker thread.
//
// Thread affinity: GUI thread only.

#include "grammascope/sae_data.h"

#include <QDialog>
#include <QString>

#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QSpinBox;

namespace gs::ui {

class SaeDialog : public QDialog {
    Q_OBJECT
public:
    // `numLayers`: encoder layers of the model (layers 0..numLayers, 0 = the
    // embedding output); `hiddenSize`: its width; `dataset`: what it trains on.
    SaeDialog(const QString& dataset, int numLayers, std::int64_t hiddenSize, QWidget* parent = nullptr);

    SaeTrainRequest request() const;
    // Restores choices (layers outside the model are left out).
    void setRequest(const SaeTrainRequest& request);

    std::vector<int> checkedLayers() const;
    void setCheckedLayers(const std::vector<int>& layers);
    // The layers checked when the dialog opens: the middle one(s).
    static std::vector<int> defaultLayers(int numLayers);

    bool canTrain() const;
    QString problemText() const;  // why Train is disabled, or empty

    QListWidget* layerList() const { return m_layers; }

private:
    void updateState();

    int m_numLayers = 0;
    std::int64_t m_hiddenSize = 0;
    QListWidget* m_layers = nullptr;
    QComboBox* m_kind = nullptr;
    QSpinBox* m_multiplier = nullptr;
    QLabel* m_dictionary = nullptr;
    QSpinBox* m_k = nullptr;
    QSpinBox* m_auxK = nullptr;
    QDoubleSpinBox* m_l1 = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_batch = nullptr;
    QSpinBox* m_maxTokens = nullptr;
    QSpinBox* m_seed = nullptr;
    QCheckBox* m_specials = nullptr;
    QCheckBox* m_reuse = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

// The dialog's choices as JSON for the settings (the dictionary as a multiple
// of the hidden size, so that they fit another model), and back; false when
// `json` is not such an object (the request is left as it was).
QString saeRequestToJson(const SaeTrainRequest& request, std::int64_t hiddenSize);
bool saeRequestFromJson(const QString& json, std::int64_t hiddenSize, SaeTrainRequest& request);

} // namespace gs::ui
