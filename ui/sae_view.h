#pragma once
// The "SAE features" view (a tab next to "Probe confidence"): which sparse-
// autoencoder features fire on which token. Above: the SAE set, the layer
// (one of the set's layers) and whether the current pair is shown. The
// feature heatmap has one row per feature (the strongest on the sentence at
// the top; for a pair the features that differ most first, then the
// strongest, the same rows for both sentences, grammatical left and
// ungrammatical right) and one column per token or word (the main window's
// grouping), coloured from 0 on a common scale; special tokens are grey when
// the SAEs were not trained on them. For a pair, a table lists the features
// that differ most (largest activation on each side and the difference).
//
// Clicking a heatmap row, a table row or a nearest feature selects a feature;
// the Feature area below then shows its trace across the set's layers on the
// sentence (rows = layers: the feature itself in its layer, the nearest
// feature by decoder cosine elsewhere) and its profile over the current
// dataset (built on demand by the worker, with a progress bar): firing
// frequency, mean and largest activation, an activation histogram, the
// nearest features by decoder cosine, and the top-activating contexts with
// the token in bold on a coloured background.
//
// The view only shows what it is given and asks through signals: the main
// window talks to the worker.
//
// Thread affinity: GUI thread only.

#include "analysis_worker.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QListWidget;
class QProgressBar;
class QSplitter;
class QTableWidget;
class QTextBrowser;

namespace gs::ui {

class HeatmapWidget;

class SaeView : public QWidget {
    Q_OBJECT
public:
    explicit SaeView(QWidget* parent = nullptr);

    // The stored sets to choose from (metadata); keeps the chosen one when it is still there.
    void setSaeSets(const std::vector<SaeSet>& sets);
    // Chooses a set by name (empty: none) and fills its layers; emits nothing.
    void setCurrentSet(const QString& name);
    QString currentSetName() const;
    int setCount() const { return int(m_sets.size()); }
    // The layer whose SAE is read (-1: none).
    int layer() const;
    QList<int> layers() const;
    void setLayer(int layer);

    bool pairMode() const;
    void setPairMode(bool on);
    void setGrouping(TokenGrouping grouping);

    // Draws a result; `titles` name each sentence's side ("Grammatical", ...; empty for one sentence).
    void setSentenceView(const SaeSentenceViewPtr& view, const QStringList& titles);
    SaeSentenceViewPtr sentenceView() const { return m_view; }
    // Empties the heatmaps and the feature area and says why.
    void showMessage(const QString& message);
    void setComputing(bool computing);
    bool isComputing() const { return m_computing; }

    // The chosen feature (-1: none); selectFeature emits featureSelected when it changes.
    int currentFeature() const { return m_feature; }
    void selectFeature(int feature);
    // The side (0 good / only, 1 bad) whose sentence the trace follows: the
    // side clicked last, or for a feature of the difference table the side
    // where it fires more.
    int traceSide() const { return m_activeSide; }
    void setTraceSide(int side) { m_activeSide = side == 1 && pairMode() ? 1 : 0; }
    void setTrace(const SaeFeatureTracePtr& trace);
    SaeFeatureTracePtr trace() const { return m_trace; }
    // A row of the trace (clicked): its layer's feature becomes the chosen
    // one; for another layer the view switches layer and the feature is
    // chosen when that layer's result arrives (takePendingFeature()).
    void jumpToTraceRow(int row);
    int takePendingFeature();
    // The dataset profile of the features (null: none yet).
    void setIndex(const SaeFeatureIndexPtr& index);
    SaeFeatureIndexPtr index() const { return m_index; }
    void setIndexStatus(const SaeIndexStatus& status);
    void setIndexMessage(const QString& message);
    bool isIndexing() const;

    HeatmapWidget* heatmap(int side) const { return side == 0 ? m_first : m_second; }
    HeatmapWidget* traceHeatmap() const { return m_traceMap; }
    HeatmapWidget* activeHeatmap() const;
    QTableWidget* differenceTable() const { return m_differences; }
    QListWidget* nearestList() const { return m_nearest; }
    QTextBrowser* contextsBrowser() const { return m_contexts; }
    QCustomPlot* histogramPlot() const { return m_histogram; }
    QString featureStatsText() const;
    // The tokens highlighted in the contexts shown, in order (their text in the sentence).
    QStringList highlightedTokens() const { return m_highlighted; }
    // The features of the heatmap rows, top to bottom.
    std::vector<std::int32_t> rowFeatures() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

signals:
    void currentSetChanged(const QString& name);
    void layerChanged(int layer);
    void pairModeChanged(bool on);
    void featureSelected(int feature);
    // A cell was clicked: its description for the status line.
    void cellChosen(const QString& description);

private:
    void fillLayers();
    void redraw();
    void redrawTrace();
    void showProfile();
    void clearFeatureArea(const QString& message);
    int featureOfRow(int row) const;
    // Titles elided to the width of their heatmap (HeatmapWidget centres and clips them).
    void setHeatmapTitle(HeatmapWidget* widget, const QString& title);
    void applyTitle(HeatmapWidget* widget);

    std::vector<SaeSet> m_sets;
    SaeSentenceViewPtr m_view;
    SaeFeatureTracePtr m_trace;
    int m_pendingFeature = -1;
    SaeFeatureIndexPtr m_index;
    QStringList m_titles;
    QStringList m_highlighted;
    TokenGrouping m_grouping = TokenGrouping::Tokens;
    bool m_computing = false;
    int m_activeSide = 0;
    int m_feature = -1;

    QComboBox* m_set = nullptr;
    QComboBox* m_layer = nullptr;
    QCheckBox* m_pair = nullptr;
    QLabel* m_state = nullptr;
    HeatmapWidget* m_first = nullptr;
    HeatmapWidget* m_second = nullptr;
    QTableWidget* m_differences = nullptr;
    QWidget* m_differencesBox = nullptr;
    QLabel* m_featureTitle = nullptr;
    HeatmapWidget* m_traceMap = nullptr;
    QLabel* m_stats = nullptr;
    QProgressBar* m_indexProgress = nullptr;
    QCustomPlot* m_histogram = nullptr;
    QListWidget* m_nearest = nullptr;
    QTextBrowser* m_contexts = nullptr;
};

} // namespace gs::ui
