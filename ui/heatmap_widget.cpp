#include "heatmap_widget.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QFileInfo>
#include <QLabel>
#include <QScrollBar>
#include <QStackedWidget>
#include <QSvgGenerator>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gs::ui {
namespace {

constexpr int kMaxLabelPixels = 100;     // longer token labels are elided ("…")
constexpr int kMaxExportWidth = 30000;   // keeps a PNG of a very long sentence within memory
constexpr int kHiDpiExportLimit = 3000;  // narrower PNGs are written at twice the resolution

QString formatValue(float value) {
    if (!std::isfinite(value)) return QCoreApplication::translate("gs::ui::HeatmapWidget", "n/a");
    return QString::number(double(value), 'g', 4);
}

QSharedPointer<QCPAxisTickerText> textTicker(QCPAxis* axis) {
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(axis->ticker());
    if (!ticker) {
        ticker = QSharedPointer<QCPAxisTickerText>::create();
        ticker->setSubTickCount(0);
        axis->setTicker(ticker);
    }
    return ticker;
}

void styleAxis(QCPAxis* axis, const QFont& font) {
    axis->setTickLabelFont(font);
    axis->setLabelFont(font);
    axis->grid()->setVisible(false);
    axis->setSubTicks(false);
    axis->setTickLength(0, 4);
    axis->setBasePen(QPen(Qt::black, 1));
}

// Places the cells of one data dimension at integer coordinates. A single
// cell is stored twice: QCPColorMap needs two samples to give a cell a width.
void setDimension(int n, int& storedSize, QCPRange& range) {
    if (n == 1) {
        storedSize = 2;
        range = QCPRange(-0.25, 0.25);
    } else {
        storedSize = n;
        range = QCPRange(0, n - 1);
    }
}

} // namespace

// Lays the plot out as if it were `size` large with every column visible, for
// the duration of an export.
class HeatmapWidget::ExportView {
public:
    ExportView(HeatmapWidget& widget, QSize size) : m_widget(widget), m_first(widget.m_firstColumn) {
        widget.relayout();
        QCustomPlot* plot = widget.m_plot;
        const int extraWidth = plot->width() - plot->axisRect()->width();
        const int extraHeight = plot->height() - plot->axisRect()->height();
        m_selectionVisible = widget.m_selectionOuter->visible();
        widget.setSelectionVisible(false);
        widget.m_firstColumn = 0;
        widget.applyColumnWindow(size.width() - extraWidth, true);
        widget.applyRowThinning(size.height() - extraHeight);
        widget.m_colorScale->setMargins(QMargins());  // see relayout()
    }
    ~ExportView() {
        m_widget.setSelectionVisible(m_selectionVisible);
        m_widget.m_firstColumn = m_first;
        m_widget.relayout();
    }
    ExportView(const ExportView&) = delete;
    ExportView& operator=(const ExportView&) = delete;

private:
    HeatmapWidget& m_widget;
    int m_first;
    bool m_selectionVisible = false;
};

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent) {
    m_stack = new QStackedWidget(this);
    m_emptyLabel = new QLabel(m_stack);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setMargin(24);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_emptyLabel);

    auto* plotPage = new QWidget(m_stack);
    auto* plotLayout = new QVBoxLayout(plotPage);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->setSpacing(0);
    buildPlot();
    m_plot->setParent(plotPage);
    plotLayout->addWidget(m_plot, 1);
    m_scrollBar = new QScrollBar(Qt::Horizontal, plotPage);
    m_scrollBar->setToolTip(tr("Scroll through the tokens of a long sentence (the mouse wheel over the plot works too)"));
    m_scrollBar->hide();
    plotLayout->addWidget(m_scrollBar);
    m_stack->addWidget(plotPage);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int value) {
        if (value == m_firstColumn) return;
        m_firstColumn = value;
        setColumnRange(m_firstColumn, m_visibleColumns);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });

    m_statusLabel = new QLabel(this);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setToolTip(tr("Value of the cell under the mouse, or of the selected cell"));

    m_statusLabel->setContentsMargins(6, 2, 6, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_statusLabel);

    setColumnAxisLabel(tr("Token"));
    clear();
}

HeatmapWidget::~HeatmapWidget() = default;

void HeatmapWidget::buildPlot() {
    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("heatmapPlot"));
    m_plot->setMouseTracking(true);
    m_plot->setMinimumSize(320, 220);
    m_plot->setToolTip(QString());  // tooltips are shown per cell while hovering
    m_plot->installEventFilter(this);

    QFont tickFont = font();
    tickFont.setPointSizeF(std::max(8.0, tickFont.pointSizeF()));
    QFont titleFont = tickFont;
    titleFont.setBold(true);
    titleFont.setPointSizeF(tickFont.pointSizeF() + 1);

    m_plot->plotLayout()->insertRow(0);
    m_titleElement = new QCPTextElement(m_plot, QString(), titleFont);
    m_plot->plotLayout()->addElement(0, 0, m_titleElement);

    styleAxis(m_plot->xAxis, tickFont);
    styleAxis(m_plot->yAxis, tickFont);
    m_plot->yAxis->setLabel(tr("Layer"));
    textTicker(m_plot->xAxis);
    textTicker(m_plot->yAxis);

    m_colorScale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(1, 1, m_colorScale);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setBarWidth(14);
    m_colorScale->axis()->setTickLabelFont(tickFont);
    m_colorScale->axis()->setLabelFont(tickFont);
    auto* group = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    m_colorMap = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_colorMap->setInterpolate(false);
    m_colorMap->setTightBoundary(false);
    m_colorMap->setColorScale(m_colorScale);

    // Two outlines so that the selection shows on both dark and light cells.
    m_selectionOuter = new QCPItemRect(m_plot);
    m_selectionOuter->setPen(QPen(Qt::white, 3));
    m_selectionInner = new QCPItemRect(m_plot);
    m_selectionInner->setPen(QPen(Qt::black, 1));
    for (QCPItemRect* item : {m_selectionOuter, m_selectionInner}) {
        item->setBrush(Qt::NoBrush);
        item->setSelectable(false);
    }
    setSelectionVisible(false);

    connect(m_plot, &QCustomPlot::mouseMove, this, &HeatmapWidget::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &HeatmapWidget::onMousePress);
    connect(m_plot, &QCustomPlot::mouseWheel, this, &HeatmapWidget::onWheel);
}

bool HeatmapWidget::hasData() const {
    return m_heatmap.rows > 0 && m_heatmap.cols > 0 &&
           m_heatmap.values.size() == std::size_t(m_heatmap.rows) * std::size_t(m_heatmap.cols);
}

QString HeatmapWidget::emptyMessage() const {
    return hasData() ? QString() : m_emptyLabel->text();
}

void HeatmapWidget::clear(const QString& message) {
    m_heatmap = Heatmap{};
    m_columnLabels.clear();
    m_selectedRow = m_selectedCol = m_hoverRow = m_hoverCol = -1;
    m_colorMap->data()->clear();
    m_emptyLabel->setText(message.isEmpty()
        ? tr("No heatmap yet.\nOpen a model folder (File › Open model folder…), type a sentence and press Run.")
        : message);
    m_stack->setCurrentWidget(m_emptyLabel);
    m_scrollBar->hide();
    setStatus(QString());
}

void HeatmapWidget::setTitle(const QString& title) {
    m_title = title;
    m_titleElement->setText(title);
    if (hasData()) relayout();
}

void HeatmapWidget::setColumnAxisLabel(const QString& label) {
    m_plot->xAxis->setLabel(label);
    if (hasData()) relayout();
}

void HeatmapWidget::setSequentialColorMap(ColorMap map) {
    m_sequentialMap = colorMapInfo(map).diverging ? ColorMap::Viridis : map;
    if (hasData()) {
        applyColorRange();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void HeatmapWidget::setHeatmap(const Heatmap& heatmap) {
    // Same shape: most likely the same sentence under another quantity, so
    // the selected cell and the scroll position stay where they were.
    const bool sameShape = hasData() && heatmap.rows == m_heatmap.rows && heatmap.cols == m_heatmap.cols;
    m_heatmap = heatmap;
    if (!hasData()) {
        clear();
        return;
    }
    m_hoverRow = m_hoverCol = -1;
    if (!sameShape) {
        m_selectedRow = m_selectedCol = -1;
        m_firstColumn = 0;
    }

    const QFontMetrics metrics(m_plot->xAxis->tickLabelFont());
    m_columnLabels.clear();
    m_columnLabelWidth = 0;
    for (int c = 0; c < m_heatmap.cols; ++c) {
        const QString full = c < int(m_heatmap.colLabels.size())
            ? QString::fromStdString(m_heatmap.colLabels[std::size_t(c)]) : QString::number(c);
        const QString label = metrics.elidedText(full, Qt::ElideRight, kMaxLabelPixels);
        m_columnLabelWidth = std::max(m_columnLabelWidth, metrics.horizontalAdvance(label));
        m_columnLabels.push_back(label);
    }

    int keySize = 0, valueSize = 0;
    QCPRange keyRange, valueRange;
    setDimension(m_heatmap.cols, keySize, keyRange);
    setDimension(m_heatmap.rows, valueSize, valueRange);
    auto* data = m_colorMap->data();
    data->setSize(keySize, valueSize);
    data->setRange(keyRange, valueRange);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int k = 0; k < keySize; ++k) {
        const int c = std::min(k, m_heatmap.cols - 1);
        for (int v = 0; v < valueSize; ++v) {
            const int r = std::min(v, m_heatmap.rows - 1);
            const float value = m_heatmap.at(r, c);
            data->setCell(k, v, std::isfinite(value) ? double(value) : nan);
        }
    }

    rebuildTickers();
    applyColorRange();
    m_stack->setCurrentIndex(1);
    setStatus(m_selectedRow >= 0 ? cellDescription(m_selectedRow, m_selectedCol)
                                 : tr("Hover a cell to see its value; click to select it."));
    relayout();
}

void HeatmapWidget::rebuildTickers() {
    auto ticker = textTicker(m_plot->xAxis);
    ticker->clear();
    for (int c = 0; c < m_columnLabels.size(); ++c) ticker->addTick(c, m_columnLabels[c]);
    m_plot->yAxis->setRange(-0.5, m_heatmap.rows - 0.5);
}

void HeatmapWidget::applyColorRange() {
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (float v : m_heatmap.values) {
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (!(lo <= hi)) lo = hi = 0.f;  // no finite value at all
    QCPRange range(lo, hi);
    if (m_heatmap.diverging) {
        // Centred on 0 so that white means "no change" whatever the data span.
        const double bound = std::max(std::abs(double(lo)), std::abs(double(hi)));
        range = bound > 0 ? QCPRange(-bound, bound) : QCPRange(-1, 1);
    } else if (hi <= lo) {
        range = QCPRange(lo - 0.5, hi + 0.5);
    }
    if (m_fixedUpper > m_fixedLower) range = QCPRange(m_fixedLower, m_fixedUpper);
    m_colorMap->setGradient(colorGradient(m_heatmap.diverging ? ColorMap::Diverging : m_sequentialMap));
    m_colorMap->setDataRange(range);
    // Layer-quantity titles come from the core in English; other titles pass unchanged.
    m_colorScale->axis()->setLabel(QCoreApplication::translate("LayerQuantity", m_heatmap.title.c_str()));
}

void HeatmapWidget::setFixedColorRange(double lower, double upper) {
    m_fixedLower = lower;
    m_fixedUpper = upper < lower ? lower : upper;
    if (hasData()) {
        applyColorRange();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

int HeatmapWidget::minimumColumnWidth() const {
    return QFontMetrics(m_plot->xAxis->tickLabelFont()).height() + 3;
}

void HeatmapWidget::scheduleRelayout() {
    if (m_relayoutPending) return;
    m_relayoutPending = true;
    QMetaObject::invokeMethod(this, [this] { relayout(); }, Qt::QueuedConnection);
}

void HeatmapWidget::relayout() {
    m_relayoutPending = false;
    if (!hasData()) return;
    // Runs QCustomPlot's layout phases without drawing, so that the size of
    // the axis rect (which depends on tick labels) is known before choosing
    // how many columns fit.
    auto layoutNow = [this] {
        // The colour scale reports its current margin as its wish, so a
        // margin shared through the margin group never shrinks by itself
        // (e.g. after vertical labels turn horizontal again): reset it.
        m_colorScale->setMargins(QMargins());
        m_plot->plotLayout()->setOuterRect(m_plot->rect());
        for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout})
            m_plot->plotLayout()->update(phase);
    };
    layoutNow();
    applyColumnWindow(m_plot->axisRect()->width(), false);
    layoutNow();
    applyRowThinning(m_plot->axisRect()->height());
    layoutNow();
    updateSelectionItem();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapWidget::applyColumnWindow(int areaWidth, bool showAll) {
    const int cols = m_heatmap.cols;
    const int flatWidth = m_columnLabelWidth + 8;
    const int minWidth = minimumColumnWidth();
    int count = cols;
    double rotation = 0;
    if (cols * flatWidth > areaWidth) {
        // Slanted labels read more easily than vertical ones but need about
        // 1.5 line heights per column; vertical ones need only one.
        const double slantedWidth = 1.5 * minWidth;
        rotation = cols * slantedWidth <= areaWidth ? -45.0 : -90.0;
        if (!showAll && cols * minWidth > areaWidth) count = std::max(1, areaWidth / minWidth);
    }
    m_plot->xAxis->setTickLabelRotation(rotation);
    m_visibleColumns = count;
    m_firstColumn = std::clamp(m_firstColumn, 0, cols - count);

    const bool scrolling = count < cols;
    {
        const QSignalBlocker block(m_scrollBar);
        m_scrollBar->setRange(0, cols - count);
        m_scrollBar->setPageStep(count);
        m_scrollBar->setSingleStep(1);
        m_scrollBar->setValue(m_firstColumn);
    }
    if (!showAll) m_scrollBar->setVisible(scrolling);
    setColumnRange(m_firstColumn, count);
}

void HeatmapWidget::applyRowThinning(int areaHeight) {
    const int rows = m_heatmap.rows;
    const int need = QFontMetrics(m_plot->yAxis->tickLabelFont()).height() + 1;
    const double rowHeight = double(std::max(areaHeight, 1)) / rows;
    const int step = std::max(1, int(std::ceil(need / rowHeight)));
    auto ticker = textTicker(m_plot->yAxis);
    ticker->clear();
    int last = -1;
    for (int r = 0; r < rows; ++r) {
        const bool topRow = r == rows - 1 && (r - last) * rowHeight >= need;
        if (r % step != 0 && !topRow) continue;
        const QString label = r < int(m_heatmap.rowLabels.size())
            ? QString::fromStdString(m_heatmap.rowLabels[std::size_t(r)]) : QString::number(r);
        ticker->addTick(r, label);
        last = r;
    }
}

void HeatmapWidget::setColumnRange(int first, int count) {
    m_plot->xAxis->setRange(first - 0.5, first + count - 0.5);
}

void HeatmapWidget::scrollToColumn(int col) {
    if (!hasData()) return;
    col = std::clamp(col, 0, m_heatmap.cols - 1);
    if (col >= m_firstColumn && col < m_firstColumn + m_visibleColumns) return;
    const int first = col < m_firstColumn ? col : col - m_visibleColumns + 1;
    m_scrollBar->setValue(first);  // updates the range through valueChanged
}

QString HeatmapWidget::rowName(int row) const {
    if (row == 0) return tr("embeddings");
    if (row < int(m_heatmap.rowLabels.size())) return QString::fromStdString(m_heatmap.rowLabels[std::size_t(row)]);
    return QString::number(row);
}

QString HeatmapWidget::cellDescription(int row, int col) const {
    if (!hasData() || row < 0 || col < 0 || row >= m_heatmap.rows || col >= m_heatmap.cols) return {};
    const QString token = col < int(m_heatmap.colLabels.size())
        ? QString::fromStdString(m_heatmap.colLabels[std::size_t(col)]) : QString::number(col);
    return tr("%1 (#%2) · layer %3 · %4 = %5")
        .arg(token)
        .arg(col)
        .arg(rowName(row), QString::fromStdString(m_heatmap.title), formatValue(m_heatmap.at(row, col)));
}

bool HeatmapWidget::cellAt(const QPointF& pos, int& row, int& col) const {
    if (!hasData() || m_stack->currentIndex() != 1) return false;
    if (!m_plot->axisRect()->rect().contains(pos.toPoint())) return false;
    const int c = int(std::floor(m_plot->xAxis->pixelToCoord(pos.x()) + 0.5));
    const int r = int(std::floor(m_plot->yAxis->pixelToCoord(pos.y()) + 0.5));
    if (r < 0 || c < 0 || r >= m_heatmap.rows || c >= m_heatmap.cols) return false;
    row = r;
    col = c;
    return true;
}

QPointF HeatmapWidget::cellCenter(int row, int col) {
    scrollToColumn(col);
    relayout();
    return {m_plot->xAxis->coordToPixel(col), m_plot->yAxis->coordToPixel(row)};
}

void HeatmapWidget::selectCell(int row, int col) {
    if (!hasData() || row < 0 || col < 0 || row >= m_heatmap.rows || col >= m_heatmap.cols) return;
    m_selectedRow = row;
    m_selectedCol = col;
    updateSelectionItem();
    setStatus(cellDescription(row, col));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    emit cellSelected(row, col);
}

void HeatmapWidget::updateSelectionItem() {
    const bool shown = m_selectedRow >= 0 && m_selectedCol >= 0;
    setSelectionVisible(shown);
    if (!shown) return;
    for (QCPItemRect* item : {m_selectionOuter, m_selectionInner}) {
        item->topLeft->setCoords(m_selectedCol - 0.5, m_selectedRow + 0.5);
        item->bottomRight->setCoords(m_selectedCol + 0.5, m_selectedRow - 0.5);
    }
}

void HeatmapWidget::setSelectionVisible(bool visible) {
    m_selectionOuter->setVisible(visible);
    m_selectionInner->setVisible(visible);
}

void HeatmapWidget::onMouseMove(QMouseEvent* event) {
    int row = -1, col = -1;
    if (!cellAt(event->position(), row, col)) {
        if (m_hoverRow != -1) {
            m_hoverRow = m_hoverCol = -1;
            QToolTip::hideText();
            setStatus(m_selectedRow >= 0 ? cellDescription(m_selectedRow, m_selectedCol) : QString());
            emit cellHovered(-1, -1);
        }
        return;
    }
    if (row == m_hoverRow && col == m_hoverCol) return;
    m_hoverRow = row;
    m_hoverCol = col;
    const QString text = cellDescription(row, col);
    setStatus(text);
    const QPoint global = m_plot->mapToGlobal(event->position().toPoint());
    QToolTip::showText(global, text, m_plot);
    emit cellHovered(row, col);
}

void HeatmapWidget::onMousePress(QMouseEvent* event) {
    int row = -1, col = -1;
    if (event->button() == Qt::LeftButton && cellAt(event->position(), row, col)) selectCell(row, col);
}

void HeatmapWidget::onWheel(QWheelEvent* event) {
    if (!m_scrollBar->isVisible()) return;
    const QPoint delta = event->angleDelta();
    const int steps = (std::abs(delta.x()) > std::abs(delta.y()) ? delta.x() : delta.y()) / 40;
    m_scrollBar->setValue(m_scrollBar->value() - steps);
}

void HeatmapWidget::setStatus(const QString& text) {
    m_statusLabel->setText(text);
    m_statusLabel->setVisible(hasData());
}

bool HeatmapWidget::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_plot) {
        if (event->type() == QEvent::Resize) scheduleRelayout();
        if (event->type() == QEvent::Leave && m_hoverRow != -1) {
            m_hoverRow = m_hoverCol = -1;
            setStatus(m_selectedRow >= 0 ? cellDescription(m_selectedRow, m_selectedCol) : QString());
            emit cellHovered(-1, -1);
        }
    }
    return QWidget::eventFilter(watched, event);
}

QStringList HeatmapWidget::columnTickLabels() const {
    return m_columnLabels;
}

QStringList HeatmapWidget::rowTickLabels() const {
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(m_plot->yAxis->ticker());
    return ticker ? QStringList(ticker->ticks().values()) : QStringList();
}

QCPRange HeatmapWidget::colorRange() const {
    return m_colorMap->dataRange();
}

QString HeatmapWidget::colorScaleLabel() const {
    return m_colorScale->axis()->label();
}

QString HeatmapWidget::statusText() const {
    return m_statusLabel->text();
}

double HeatmapWidget::columnLabelRotation() const {
    return m_plot->xAxis->tickLabelRotation();
}

QSize HeatmapWidget::exportSize() const {
    const QSize current = m_plot->size();
    const int extraWidth = current.width() - m_plot->axisRect()->width();
    const int flat = m_heatmap.cols * (m_columnLabelWidth + 8);
    const int needed = std::min(kMaxExportWidth,
        extraWidth + (flat <= current.width() - extraWidth ? flat : m_heatmap.cols * minimumColumnWidth()));
    return {std::max(current.width(), needed), std::max(current.height(), 360)};
}

bool HeatmapWidget::exportImage(const QString& fileName, QString* error) {
    auto fail = [error](const QString& message) {
        if (error) *error = message;
        return false;
    };
    if (!hasData()) return fail(tr("There is no heatmap to export yet."));
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png")) ok = savePng(fileName);
    else if (suffix == QLatin1String("pdf")) ok = savePdf(fileName);
    else if (suffix == QLatin1String("svg")) ok = saveSvg(fileName);
    else return fail(tr("Unknown export format \"%1\": use .png, .pdf or .svg.").arg(suffix));
    if (!ok) return fail(tr("Could not write %1.").arg(QDir::toNativeSeparators(fileName)));
    return true;
}

bool HeatmapWidget::savePng(const QString& fileName) {
    if (!hasData()) return false;
    const QSize size = exportSize();
    const ExportView view(*this, size);
    const double scale = size.width() <= kHiDpiExportLimit ? 2.0 : 1.0;
    return m_plot->savePng(fileName, size.width(), size.height(), scale);
}

bool HeatmapWidget::savePdf(const QString& fileName) {
    if (!hasData()) return false;
    const QSize size = exportSize();
    const ExportView view(*this, size);
    return m_plot->savePdf(fileName, size.width(), size.height(), QCP::epNoCosmetic,
                           QStringLiteral("Grammascope"), m_title);
}

bool HeatmapWidget::saveSvg(const QString& fileName) {
    if (!hasData()) return false;
    const QSize size = exportSize();
    const ExportView view(*this, size);
    QSvgGenerator generator;
    generator.setFileName(fileName);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(m_title.isEmpty() ? QString::fromStdString(m_heatmap.title) : m_title);
    generator.setDescription(tr("Token x layer heatmap exported by Grammascope"));
    QCPPainter painter;
    if (!painter.begin(&generator)) return false;
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    m_plot->toPainter(&painter, size.width(), size.height());
    return painter.end() && QFileInfo(fileName).size() > 0;
}

} // namespace gs::ui
