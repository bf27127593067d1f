#pragma once
// The Sparse autoencoders panel (a dock, next to the Probes panel): the SAE
// sets stored for the loaded model (newest first; trained here or imported
// from SAELens folders), Train… / Import… / Export… / Delete, the progress of
// a running training (stage, bar, Cancel; Esc cancels too) with a live plot
// of every step's loss, FVU and dead fraction (left axis, from 0) and L0
// (right axis) against the step, and for the chosen set a table of its
// per-layer metrics on the held-out sentences (L0, FVU, MSE, dead latents,
// MLM loss recovered, training tokens) that copies as tab-separated text.
//
// The panel only shows what it is given and asks through signals: the main
// window talks to the worker.
//
// Thread affinity: GUI thread only.

#include "analysis_worker.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QLabel;
class QListWidget;
class QProgressBar;
class QTableWidget;
class QToolButton;

namespace gs::ui {

// Texts of a set shared by the panel, the view and the main window.
QString saeSetTitle(const SaeSet& set);     // "TopK k=32 · 2 048 latents · layers 2, 3"
QString saeSetSubtitle(const SaeSet& set);  // dataset, sentences, date
QString saeSetDetails(const SaeSet& set);   // tooltip: everything above and the request

class SaePanel : public QWidget {
    Q_OBJECT
public:
    explicit SaePanel(QWidget* parent = nullptr);

    // The stored sets (metadata; newest first); the chosen set stays chosen when it is still there.
    void setSaeSets(const std::vector<SaeSet>& sets);
    const std::vector<SaeSet>& saeSets() const { return m_sets; }
    int setCount() const { return int(m_sets.size()); }
    // Chooses a set by name (empty: none); emits nothing.
    void setCurrentSet(const QString& name);
    QString currentSetName() const;
    const SaeSet* currentSet() const;

    // Train… is enabled when a model and a dataset are there; `why` says what is missing.
    void setTrainEnabled(bool enabled, const QString& why = QString());
    void setImportEnabled(bool enabled);
    // The progress row and the live plot (cleared when a training starts).
    void setTraining(bool training);
    bool isTraining() const { return m_training; }
    void setTrainingStatus(const SaeTrainStatus& status);
    void setCancelling();
    QString trainingText() const;
    // Points of the live plot so far.
    int plottedSteps() const;

    QCustomPlot* trainingPlot() const { return m_plot; }
    // The labels of the layer marks on the training plot, in the order the layers trained.
    QStringList plotLayerMarks() const;
    QTableWidget* metricsTable() const { return m_table; }
    QListWidget* setList() const { return m_list; }
    // The table as tab-separated text with its header (what Copy puts on the clipboard).
    QString metricsTableText() const;
    void copyMetricsTable();

signals:
    void currentSetChanged(const QString& name);
    void trainRequested();
    void importRequested();
    void cancelRequested();
    void exportRequested(const QString& name);
    void deleteRequested(const QString& name);

private:
    void buildPlot();
    void clearPlot();
    void markLayerStart(double x, int layer);
    void showSet(const SaeSet* set);
    void updateButtons();

    std::vector<SaeSet> m_sets;
    bool m_training = false;
    bool m_trainEnabled = false;
    bool m_importEnabled = false;
    QString m_trainWhy;
    // Steps of the live plot: each layer's steps follow the previous layer's.
    double m_stepOffset = 0, m_lastStep = -1, m_lastTotal = 0;
    int m_lastLayer = -1;
    double m_maxLeft = 0, m_maxRight = 0;
    QListWidget* m_list = nullptr;
    QToolButton* m_train = nullptr;
    QToolButton* m_import = nullptr;
    QToolButton* m_export = nullptr;
    QToolButton* m_delete = nullptr;
    QWidget* m_progressRow = nullptr;
    QLabel* m_stage = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    QLabel* m_summary = nullptr;
    QCustomPlot* m_plot = nullptr;
    QTableWidget* m_table = nullptr;
};

} // namespace gs::ui
