#pragma once
// The Probes panel (a dock): the probe sets stored for the loaded model
// (newest first; they come back in the next session without retraining),
// Train… / Export… / Delete, the progress of a running training (stage,
// bar, Cancel), and for the chosen set its per-layer report: a plot of
// accuracy, control accuracy, the majority baseline and the probe on random
// vectors (left axis, 0..1),
// selectivity as bars, and mutual information in bits (right axis), with a
// legend and the exact numbers on hover; a table of every number per layer
// (accuracy, macro-F1, majority, random, control, selectivity, MI, MDL, compression,
// SMI) that copies as tab-separated text; and the Bayesian-MI learning curve
// when the set has one.
//
// The panel only shows what it is given and asks through signals: the main
// window talks to the worker.
//
// Thread affinity: GUI thread only.

#include "analysis_worker.h"

#include <QString>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QLabel;
class QListWidget;
class QProgressBar;
class QTabWidget;
class QTableWidget;
class QToolButton;

namespace gs::ui {

class ProbePanel : public QWidget {
    Q_OBJECT
public:
    explicit ProbePanel(QWidget* parent = nullptr);

    // The stored sets (metadata; newest first). The chosen set stays chosen
    // when it is still there; else none is chosen.
    void setProbeSets(const std::vector<ProbeSet>& sets);
    const std::vector<ProbeSet>& probeSets() const { return m_sets; }
    int setCount() const { return int(m_sets.size()); }
    // Chooses a set by name (empty: none); emits nothing.
    void setCurrentSet(const QString& name);
    QString currentSetName() const;
    const ProbeSet* currentSet() const;

    // Train… is enabled when a model and a dataset are there; `why` says what is missing.
    void setTrainEnabled(bool enabled, const QString& why = QString());
    // The progress row.
    void setTraining(bool training);
    bool isTraining() const { return m_training; }
    void setTrainingStatus(const ProbeTrainStatus& status);
    void setCancelling();
    QString trainingText() const;

    QCustomPlot* layerPlot() const { return m_layerPlot; }
    QCustomPlot* curvePlot() const { return m_curvePlot; }
    QTableWidget* layerTable() const { return m_table; }
    QListWidget* setList() const { return m_list; }
    QTabWidget* plotTabs() const { return m_plotTabs; }
    // The table as tab-separated text with its header (what Copy puts on the clipboard).
    QString layerTableText() const;
    void copyLayerTable();
    // The numbers of one layer's row, for the plot's tooltip.
    QString layerToolTip(int reportIndex) const;

signals:
    void currentSetChanged(const QString& name);
    void trainRequested();
    void cancelRequested();
    void exportRequested(const QString& name);
    void deleteRequested(const QString& name);

private:
    void buildPlots();
    void showSet(const ProbeSet* set);
    void fillLayerPlot(const ProbeSet* set);
    void fillCurvePlot(const ProbeSet* set);
    void fillTable(const ProbeSet* set);
    void updateButtons();
    void onPlotHover(QMouseEvent* event);

    std::vector<ProbeSet> m_sets;
    bool m_training = false;
    bool m_trainEnabled = false;
    QString m_trainWhy;
    QListWidget* m_list = nullptr;
    QToolButton* m_train = nullptr;
    QToolButton* m_export = nullptr;
    QToolButton* m_delete = nullptr;
    QWidget* m_progressRow = nullptr;
    QLabel* m_stage = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    QLabel* m_summary = nullptr;
    QTabWidget* m_plotTabs = nullptr;
    QCustomPlot* m_layerPlot = nullptr;
    QCustomPlot* m_curvePlot = nullptr;
    QTableWidget* m_table = nullptr;
    int m_hoverReport = -1;
};

} // namespace gs::ui
