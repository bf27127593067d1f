#pragma once
// The probe-confidence view (a tab next to the layer-quantity heatmap):
// P(class | h_l,t) of the chosen probe set for every token (or word) and
// layer, as a heatmap with a fixed 0..1 colour bar: for the sentence in the
// input, or for both sentences of the dataset browser's current pair side by
// side (grammatical left, ungrammatical right). The probe set and the class
// are chosen above the heatmaps; switching the class or merging sub-tokens
// redraws from the result at hand (every class and grouping come in one
// result), switching the set asks for a new result through the main window.
//
// Thread affinity: GUI thread only.

#include "analysis_worker.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QSplitter;

namespace gs::ui {

class HeatmapWidget;

class ProbeView : public QWidget {
    Q_OBJECT
public:
    explicit ProbeView(QWidget* parent = nullptr);

    // The stored sets to choose from (metadata); keeps the chosen one when it is still there.
    void setProbeSets(const std::vector<ProbeSet>& sets);
    // Chooses a set by name (empty: none) and its classes; emits nothing.
    void setCurrentSet(const QString& name);
    QString currentSetName() const;
    int setCount() const;

    // The class whose probability is drawn (index into the set's classes).
    int classIndex() const;
    QString className() const;
    void setClassIndex(int index);
    QStringList classNames() const;

    // Both sentences of the current pair side by side, or the input's sentence.
    bool pairMode() const;
    void setPairMode(bool on);
    void setGrouping(TokenGrouping grouping);

    // Draws a result; `titles` name each sentence's side ("Grammatical", ...; empty for one sentence).
    void setConfidence(const ProbeConfidencePtr& result, const QStringList& titles);
    ProbeConfidencePtr confidence() const { return m_result; }
    // Empties the heatmaps and says why (no set, no sentence, an error).
    void showMessage(const QString& message);
    void setComputing(bool computing);
    bool isComputing() const { return m_computing; }

    HeatmapWidget* heatmap(int side) const { return side == 0 ? m_first : m_second; }
    // The heatmap last clicked or hovered (for export), the first by default.
    HeatmapWidget* activeHeatmap() const;

signals:
    void currentSetChanged(const QString& name);
    void pairModeChanged(bool on);
    // A cell was clicked: its description for the status line.
    void cellChosen(const QString& description);

private:
    void fillClasses();
    void redraw();

    std::vector<ProbeSet> m_sets;
    ProbeConfidencePtr m_result;
    QStringList m_titles;
    TokenGrouping m_grouping = TokenGrouping::Tokens;
    bool m_computing = false;
    int m_activeSide = 0;

    QComboBox* m_set = nullptr;
    QComboBox* m_class = nullptr;
    QCheckBox* m_pair = nullptr;
    QLabel* m_state = nullptr;
    QSplitter* m_splitter = nullptr;
    HeatmapWidget* m_first = nullptr;
    HeatmapWidget* m_second = nullptr;
};

} // namespace gs::ui
