#pragma once
// A token x layer heatmap: rows are the embedding output ("emb", drawn at the
// bottom) and each encoder layer above it, columns are tokens or words. The
// widget shows the exact value of the cell under the mouse (tooltip and a
// status line), selects a cell on click, and exports the whole heatmap (not
// only the visible window) to PNG, PDF or SVG.
//
// Long sentences stay readable: every column keeps at least the height of
// one line of text, token labels turn vertical when they no longer fit side
// by side, and when the columns do not fit the width a horizontal scroll bar
// moves a window over them (only the visible columns are drawn, so a
// 512-token sentence costs no more than a short one).
//
// Thread affinity: GUI thread only.

#include "color_maps.h"

#include "grammascope/layer_view.h"

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QCPTextElement;
class QLabel;
class QScrollBar;
class QStackedWidget;
class QMouseEvent;
class QWheelEvent;
class QCPRange;

namespace gs::ui {

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);
    ~HeatmapWidget() override;

    // Shows `heatmap` (copied). An empty heatmap shows the empty-state message.
    void setHeatmap(const Heatmap& heatmap);
    // Removes the data and shows `message` (or the default hint when empty).
    void clear(const QString& message = {});
    bool hasData() const;
    const Heatmap& heatmap() const { return m_heatmap; }
    QString emptyMessage() const;

    // Title drawn above the plot and into exports (e.g. the sentence); may be empty.
    void setTitle(const QString& title);
    QString title() const { return m_title; }
    // Name of the column axis: "Token" or "Word".
    void setColumnAxisLabel(const QString& label);
    // Colour map for sequential quantities; diverging quantities always use
    // the blue-white-red map centred on 0.
    void setSequentialColorMap(ColorMap map);
    ColorMap sequentialColorMap() const { return m_sequentialMap; }
    // Colours span [lower, upper] whatever the data (e.g. 0..1 for
    // probabilities); lower >= upper goes back to the data's own range.
    void setFixedColorRange(double lower, double upper);

    // Writes the whole heatmap; the format follows the suffix (.png, .pdf, .svg).
    bool exportImage(const QString& fileName, QString* error = nullptr);
    bool savePng(const QString& fileName);
    bool savePdf(const QString& fileName);
    bool saveSvg(const QString& fileName);

    // Token text, layer and value (4 significant digits) of a cell.
    QString cellDescription(int row, int col) const;
    // Cell under a point in plot() coordinates; false outside the data.
    bool cellAt(const QPointF& pos, int& row, int& col) const;
    // Centre of a cell in plot() coordinates (scrolls it into view first).
    QPointF cellCenter(int row, int col);
    int selectedRow() const { return m_selectedRow; }
    int selectedColumn() const { return m_selectedCol; }
    void selectCell(int row, int col);

    QStringList columnTickLabels() const;  // one per column, as drawn (long tokens elided)
    QStringList rowTickLabels() const;     // the labels drawn on the layer axis (may be thinned)
    QCPRange colorRange() const;
    QString colorScaleLabel() const;
    QString statusText() const;            // the hover / selection status line
    double columnLabelRotation() const;
    int firstVisibleColumn() const { return m_firstColumn; }
    int visibleColumnCount() const { return m_visibleColumns; }
    void scrollToColumn(int col);
    QCustomPlot* plot() const { return m_plot; }

signals:
    void cellHovered(int row, int col);   // -1, -1 when the mouse leaves the data
    void cellSelected(int row, int col);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildPlot();
    void rebuildTickers();
    void applyColorRange();
    void scheduleRelayout();
    void relayout();
    // Chooses the visible column window and label rotation for a plot area of `areaWidth` pixels.
    void applyColumnWindow(int areaWidth, bool showAll);
    void applyRowThinning(int areaHeight);
    void setColumnRange(int first, int count);
    void updateSelectionItem();
    void setSelectionVisible(bool visible);
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void onWheel(QWheelEvent* event);
    void setStatus(const QString& text);
    int minimumColumnWidth() const;
    QString rowName(int row) const;

    // Full-width rendering for exports; restores the on-screen view afterwards.
    class ExportView;
    QSize exportSize() const;

    Heatmap m_heatmap;
    QStringList m_columnLabels;
    int m_columnLabelWidth = 0;  // widest elided column label in pixels
    ColorMap m_sequentialMap = ColorMap::Viridis;
    double m_fixedLower = 0, m_fixedUpper = 0;  // equal: no fixed range
    QString m_title;
    QString m_emptyMessage;
    int m_firstColumn = 0;
    int m_visibleColumns = 0;
    int m_selectedRow = -1, m_selectedCol = -1;
    int m_hoverRow = -1, m_hoverCol = -1;
    bool m_relayoutPending = false;

    QStackedWidget* m_stack = nullptr;
    QLabel* m_emptyLabel = nullptr;
    QCustomPlot* m_plot = nullptr;
    QScrollBar* m_scrollBar = nullptr;
    QLabel* m_statusLabel = nullptr;
    QCPColorMap* m_colorMap = nullptr;
    QCPColorScale* m_colorScale = nullptr;
    QCPItemRect* m_selectionOuter = nullptr;
    QCPItemRect* m_selectionInner = nullptr;
    QCPTextElement* m_titleElement = nullptr;
};

} // namespace gs::ui
