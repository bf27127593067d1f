#pragma once
// The "Localized layer" tab: how far a localized model's hidden states are
// from its parent's, per token and per layer (rows emb, 1 … L: the output of
// each layer), for the sentence on screen or for both sentences of the
// current pair side by side. L2 distance ‖h_loc − h_par‖ or cosine distance
// 1 − cos(h_loc, h_par); below the localized layer the two models compute
// the same states, so those rows are exactly 0. Or, per token, the change of
// its surprisal (PLL, bits) when the localized layer is restored to the
// parent's weights (ablation; one row, blue = lower, red = higher). The tokens of the words a
// pair changes (the category's tokens) are marked "▸" in the column labels,
// and the title names the localized layer. Values on hover, colour bar and
// export come from HeatmapWidget.
//
// The view asks LocalizeService for the comparison when the sentence, the
// pair or the models change; a newer request supersedes an older one.
//
// Thread affinity: GUI thread only.

#include "localize_service.h"

#include <QString>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QSplitter;

namespace gs::ui {

class HeatmapWidget;

class LocalizeView : public QWidget {
    Q_OBJECT
public:
    explicit LocalizeView(LocalizeService* service, QWidget* parent = nullptr);

    // The two models compared (empty: none, the view says how to choose them).
    void setModels(const QString& parentDir, const QString& localizedDir);
    // What to show: one sentence, or a pair (then `sentence` is ignored).
    void setSentence(const QString& sentence);
    void setPair(const DatasetItem& pair);
    bool hasModels() const { return !m_parentDir.isEmpty() && !m_localizedDir.isEmpty(); }
    bool isComputing() const { return m_request != 0; }
    LocalizeComparisonPtr comparison() const { return m_comparison; }
    // 0 = L2, 1 = cosine distance, 2 = surprisal change on ablation.
    void setMetric(int metric);
    bool ablationMode() const;
    // Both sentences of the current pair (checked) or the typed sentence.
    bool pairMode() const;
    void setPairMode(bool on);
    HeatmapWidget* heatmap(int side) const;
    // The heatmap File › Export heatmap writes (the first one).
    HeatmapWidget* activeHeatmap() const { return m_heatmaps[0]; }
    QString statusText() const;

signals:
    void message(const QString& text);
    void pairModeChanged(bool on);

private:
    void request();
    void redraw();
    void onReady(quint64 id, LocalizeComparisonPtr comparison);
    void onFailed(quint64 id, const QString& text);

    LocalizeService* m_service;
    QString m_parentDir, m_localizedDir;
    QString m_sentence;
    std::optional<DatasetItem> m_pair;
    quint64 m_request = 0;
    QString m_key;  // what is on screen or being computed
    LocalizeComparisonPtr m_comparison;
    QComboBox* m_metric = nullptr;
    QCheckBox* m_pairMode = nullptr;
    QSplitter* m_split = nullptr;
    QLabel* m_status = nullptr;
    HeatmapWidget* m_heatmaps[2] = {nullptr, nullptr};
};

} // namespace gs::ui
