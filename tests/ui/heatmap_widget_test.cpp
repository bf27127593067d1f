// The token x layer heatmap widget on synthetic data with Cyrillic labels:
// axis labels, colour range, the exact value under the mouse, selection,
// export to PNG / SVG / PDF, the empty state and long sentences.

#include "qt_test_app.h"

#include "color_maps.h"
#include "heatmap_widget.h"

#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <cmath>

namespace {

using gs::Heatmap;
using gs::ui::HeatmapWidget;

const std::vector<std::string> kTokens = {"[CLS]", "Мама", "мыла", "раму", ",", "а", "ёж", "спал", ".", "[SEP]"};

// A deterministic, non-separable pattern so that no two cells share a value.
Heatmap makeHeatmap(int layers, int cols, bool diverging = false) {
    Heatmap h;
    h.rows = layers + 1;
    h.cols = cols;
    h.title = diverging ? "Signed change" : "Hidden-state norm";
    h.diverging = diverging;
    h.rowLabels.push_back("emb");
    for (int l = 1; l <= layers; ++l) h.rowLabels.push_back(std::to_string(l));
    for (int c = 0; c < cols; ++c) {
        h.colLabels.push_back(kTokens[std::size_t(c) % kTokens.size()]);
        h.colTokenBegin.push_back(c);
        h.colTokenEnd.push_back(c + 1);
    }
    for (int r = 0; r < h.rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const float v = 0.37f * float(r) + 0.123456f * float(c) + 0.01f * float(r * c);
            h.values.push_back(diverging ? v - 1.5f : v + 2.0f);
        }
    return h;
}

class HeatmapWidgetTest : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        widget = std::make_unique<HeatmapWidget>();
        widget->resize(900, 520);
        widget->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(widget.get()));
    }

    void moveMouseTo(const QPointF& pos) {
        QCustomPlot* plot = widget->plot();
        QMouseEvent move(QEvent::MouseMove, pos, plot->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
    }

    void clickAt(const QPointF& pos) {
        QCustomPlot* plot = widget->plot();
        QMouseEvent press(QEvent::MouseButtonPress, pos, plot->mapToGlobal(pos), Qt::LeftButton, Qt::LeftButton,
                          Qt::NoModifier);
        QApplication::sendEvent(plot, &press);
        QMouseEvent release(QEvent::MouseButtonRelease, pos, plot->mapToGlobal(pos), Qt::LeftButton, Qt::NoButton,
                            Qt::NoModifier);
        QApplication::sendEvent(plot, &release);
    }

    std::unique_ptr<HeatmapWidget> widget;
};

TEST_F(HeatmapWidgetTest, AxisTickLabelsCarryTheCyrillicTokensAndLayers) {
    widget->setHeatmap(makeHeatmap(4, 10));
    ASSERT_TRUE(widget->hasData());

    QStringList expected;
    for (const auto& t : kTokens) expected << QString::fromStdString(t);
    EXPECT_EQ(widget->columnTickLabels(), expected);

    // The labels the x axis actually draws, in column order.
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(widget->plot()->xAxis->ticker());
    ASSERT_TRUE(ticker);
    ASSERT_EQ(ticker->ticks().size(), 10);
    EXPECT_EQ(ticker->ticks().value(1), QStringLiteral("Мама"));
    EXPECT_EQ(ticker->ticks().value(6), QStringLiteral("ёж"));

    EXPECT_EQ(widget->rowTickLabels(),
              (QStringList{QStringLiteral("emb"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                           QStringLiteral("4")}));
    EXPECT_EQ(widget->plot()->yAxis->label(), QStringLiteral("Layer"));
    // Embeddings at the bottom: row 0 is drawn below the last layer.
    EXPECT_GT(widget->plot()->yAxis->coordToPixel(0), widget->plot()->yAxis->coordToPixel(4));
}

TEST_F(HeatmapWidgetTest, ColourScaleRangeMatchesTheData) {
    const Heatmap h = makeHeatmap(3, 7);
    widget->setHeatmap(h);
    const auto [lo, hi] = std::minmax_element(h.values.begin(), h.values.end());
    EXPECT_NEAR(widget->colorRange().lower, *lo, 1e-6);
    EXPECT_NEAR(widget->colorRange().upper, *hi, 1e-6);
    EXPECT_EQ(widget->colorScaleLabel(), QStringLiteral("Hidden-state norm"));

    // Diverging data: symmetric around zero, drawn with the blue-white-red map.
    const Heatmap d = makeHeatmap(3, 7, true);
    widget->setHeatmap(d);
    const auto [dlo, dhi] = std::minmax_element(d.values.begin(), d.values.end());
    const double bound = std::max(std::abs(*dlo), std::abs(*dhi));
    EXPECT_NEAR(widget->colorRange().lower, -bound, 1e-6);
    EXPECT_NEAR(widget->colorRange().upper, bound, 1e-6);
    auto* map = qobject_cast<QCPColorMap*>(widget->plot()->plottable(0));
    ASSERT_NE(map, nullptr);
    const QColor zero = QColor::fromRgb(map->gradient().color(0.0, widget->colorRange()));
    EXPECT_GT(zero.red(), 230);
    EXPECT_GT(zero.green(), 230);
    EXPECT_GT(zero.blue(), 230);
    const QColor low = QColor::fromRgb(map->gradient().color(-bound, widget->colorRange()));
    const QColor high = QColor::fromRgb(map->gradient().color(bound, widget->colorRange()));
    EXPECT_GT(low.blue(), low.red());
    EXPECT_GT(high.red(), high.blue());
    EXPECT_EQ(widget->colorScaleLabel(), QStringLiteral("Signed change"));
}

TEST_F(HeatmapWidgetTest, SequentialColourMapsUseTheirPublishedEndpoints) {
    const QCPRange unit(0, 1);
    const QColor viridisLow = QColor::fromRgb(gs::ui::colorGradient(gs::ui::ColorMap::Viridis).color(0, unit));
    const QColor viridisHigh = QColor::fromRgb(gs::ui::colorGradient(gs::ui::ColorMap::Viridis).color(1, unit));
    EXPECT_EQ(viridisLow.name(), QStringLiteral("#440154"));
    EXPECT_EQ(viridisHigh.name(), QStringLiteral("#fde725"));
    const QColor cividisLow = QColor::fromRgb(gs::ui::colorGradient(gs::ui::ColorMap::Cividis).color(0, unit));
    EXPECT_EQ(cividisLow.name(), QStringLiteral("#00224e"));
    EXPECT_EQ(gs::ui::colorMapFromId(QStringLiteral("cividis")), gs::ui::ColorMap::Cividis);
    EXPECT_EQ(gs::ui::colorMapFromId(QStringLiteral("no-such-map")), gs::ui::ColorMap::Viridis);
}

TEST_F(HeatmapWidgetTest, HoverShowsTheExactValueOfTheCellUnderTheMouse) {
    const Heatmap h = makeHeatmap(4, 10);
    widget->setHeatmap(h);
    QSignalSpy hovered(widget.get(), &HeatmapWidget::cellHovered);

    const QPointF centre = widget->cellCenter(3, 2);  // "мыла", layer 3
    int row = -1, col = -1;
    ASSERT_TRUE(widget->cellAt(centre, row, col));
    EXPECT_EQ(row, 3);
    EXPECT_EQ(col, 2);

    moveMouseTo(centre);
    ASSERT_EQ(hovered.count(), 1);
    EXPECT_EQ(hovered.at(0).at(0).toInt(), 3);
    EXPECT_EQ(hovered.at(0).at(1).toInt(), 2);

    const QString value = QString::number(double(h.at(3, 2)), 'g', 4);
    EXPECT_EQ(value, QStringLiteral("3.417"));  // 0.37*3 + 0.123456*2 + 0.01*6 + 2 = 3.416912
    const QString status = widget->statusText();
    EXPECT_TRUE(status.contains(QStringLiteral("мыла"))) << status.toStdString();
    EXPECT_TRUE(status.contains(QStringLiteral("layer 3"))) << status.toStdString();
    EXPECT_TRUE(status.contains(value)) << status.toStdString();
    EXPECT_EQ(QToolTip::text(), status);

    // Embedding row is named as such.
    moveMouseTo(widget->cellCenter(0, 6));
    EXPECT_TRUE(widget->statusText().contains(QStringLiteral("ёж")));
    EXPECT_TRUE(widget->statusText().contains(QStringLiteral("embeddings")));

    // Outside the data: no cell.
    EXPECT_FALSE(widget->cellAt(QPointF(2, 2), row, col));
}

TEST_F(HeatmapWidgetTest, ClickSelectsACell) {
    widget->setHeatmap(makeHeatmap(4, 10));
    QSignalSpy selected(widget.get(), &HeatmapWidget::cellSelected);
    clickAt(widget->cellCenter(1, 7));
    ASSERT_EQ(selected.count(), 1);
    EXPECT_EQ(selected.at(0).at(0).toInt(), 1);
    EXPECT_EQ(selected.at(0).at(1).toInt(), 7);
    EXPECT_EQ(widget->selectedRow(), 1);
    EXPECT_EQ(widget->selectedColumn(), 7);
    EXPECT_TRUE(widget->statusText().contains(QStringLiteral("спал")));

    // Another quantity over the same tokens keeps the selection; another shape drops it.
    widget->setHeatmap(makeHeatmap(4, 10, true));
    EXPECT_EQ(widget->selectedRow(), 1);
    EXPECT_EQ(widget->selectedColumn(), 7);
    EXPECT_TRUE(widget->statusText().contains(QStringLiteral("Signed change")));
    widget->setHeatmap(makeHeatmap(4, 9));
    EXPECT_EQ(widget->selectedRow(), -1);
    EXPECT_EQ(widget->selectedColumn(), -1);
}

int countNonBackground(const QImage& image) {
    const QRgb background = image.pixel(0, 0);
    int count = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            if (image.pixel(x, y) != background) ++count;
    return count;
}

TEST_F(HeatmapWidgetTest, ExportsPngSvgAndPdf) {
    widget->setHeatmap(makeHeatmap(4, 10));
    widget->setTitle(QStringLiteral("Мама мыла раму, а ёж спал."));
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());

    QString error;
    const QString png = dir.filePath(QStringLiteral("map.png"));
    ASSERT_TRUE(widget->exportImage(png, &error)) << error.toStdString();
    QImage image(png);
    ASSERT_FALSE(image.isNull());
    EXPECT_GE(image.width(), widget->plot()->width());
    // Cells and text cover a good part of the picture.
    EXPECT_GT(countNonBackground(image), image.width() * image.height() / 4 / 5);

    const QString svg = dir.filePath(QStringLiteral("map.svg"));
    ASSERT_TRUE(widget->exportImage(svg, &error)) << error.toStdString();
    QSvgRenderer renderer(svg);
    ASSERT_TRUE(renderer.isValid());
    EXPECT_GT(renderer.defaultSize().width(), 0);
    QFile svgFile(svg);
    ASSERT_TRUE(svgFile.open(QIODevice::ReadOnly));
    const QString svgText = QString::fromUtf8(svgFile.readAll());
    EXPECT_TRUE(svgText.contains(QStringLiteral("мыла"))) << "labels stay text in the vector export";
    // The SVG renders to something visible, too.
    QImage rendered(renderer.defaultSize(), QImage::Format_ARGB32);
    rendered.fill(Qt::white);
    QPainter painter(&rendered);
    renderer.render(&painter);
    painter.end();
    EXPECT_GT(countNonBackground(rendered), 1000);

    const QString pdf = dir.filePath(QStringLiteral("map.pdf"));
    ASSERT_TRUE(widget->exportImage(pdf, &error)) << error.toStdString();
    QFile pdfFile(pdf);
    ASSERT_TRUE(pdfFile.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdfFile.readAll();
    EXPECT_TRUE(bytes.startsWith("%PDF-"));
    EXPECT_TRUE(bytes.trimmed().endsWith("%%EOF"));
    EXPECT_GT(bytes.size(), 2000);

    EXPECT_FALSE(widget->exportImage(dir.filePath(QStringLiteral("map.bmpx")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("bmpx")));
}

TEST_F(HeatmapWidgetTest, EmptyStateShowsAMessageAndRefusesExport) {
    EXPECT_FALSE(widget->hasData());
    EXPECT_FALSE(widget->emptyMessage().isEmpty());
    QString error;
    QTemporaryDir dir;
    EXPECT_FALSE(widget->exportImage(dir.filePath(QStringLiteral("none.png")), &error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_FALSE(QFile::exists(dir.filePath(QStringLiteral("none.png"))));

    widget->setHeatmap(makeHeatmap(2, 3));
    EXPECT_TRUE(widget->hasData());
    EXPECT_TRUE(widget->emptyMessage().isEmpty());
    widget->clear(QStringLiteral("Модель загружена."));
    EXPECT_FALSE(widget->hasData());
    EXPECT_EQ(widget->emptyMessage(), QStringLiteral("Модель загружена."));
    int row = -1, col = -1;
    EXPECT_FALSE(widget->cellAt(QPointF(400, 200), row, col));

    widget->setHeatmap(Heatmap{});
    EXPECT_FALSE(widget->hasData());
}

TEST_F(HeatmapWidgetTest, LongSentenceScrollsInsteadOfSqueezing) {
    const Heatmap h = makeHeatmap(12, 512);
    QElapsedTimer timer;
    timer.start();
    widget->setHeatmap(h);
    QApplication::processEvents();
    EXPECT_LT(timer.elapsed(), 2000) << "a 512-token sentence must not freeze the window";

    EXPECT_LT(widget->visibleColumnCount(), 512);
    EXPECT_GT(widget->visibleColumnCount(), 10);
    EXPECT_EQ(widget->columnLabelRotation(), -90.0);
    const int minWidth = QFontMetrics(widget->plot()->xAxis->tickLabelFont()).height();
    EXPECT_GE(widget->plot()->axisRect()->width() / widget->visibleColumnCount(), minWidth);

    // Hovering a far column scrolls it into view and reports it exactly.
    const QPointF centre = widget->cellCenter(5, 400);
    EXPECT_LE(widget->firstVisibleColumn(), 400);
    EXPECT_GT(widget->firstVisibleColumn() + widget->visibleColumnCount(), 400);
    moveMouseTo(centre);
    EXPECT_TRUE(widget->statusText().contains(QStringLiteral("#400")));
    EXPECT_TRUE(widget->statusText().contains(QString::number(double(h.at(5, 400)), 'g', 4)));

    // Export holds every column, not only the visible window.
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("long.png"));
    timer.restart();
    ASSERT_TRUE(widget->exportImage(png));
    EXPECT_LT(timer.elapsed(), 10000);
    const QImage image(png);
    ASSERT_FALSE(image.isNull());
    EXPECT_GE(image.width(), 512 * minWidth);
    // The on-screen window is restored afterwards.
    EXPECT_LT(widget->visibleColumnCount(), 512);
}

TEST_F(HeatmapWidgetTest, SingleColumnAndManyLayersStayUsable) {
    Heatmap h = makeHeatmap(48, 1);
    widget->setHeatmap(h);
    const QPointF centre = widget->cellCenter(48, 0);
    int row = -1, col = -1;
    ASSERT_TRUE(widget->cellAt(centre, row, col));
    EXPECT_EQ(row, 48);
    EXPECT_EQ(col, 0);
    // 49 rows do not fit one label each: labels are thinned but keep "emb".
    const QStringList rows = widget->rowTickLabels();
    EXPECT_LT(rows.size(), 49);
    EXPECT_EQ(rows.front(), QStringLiteral("emb"));
}

} // namespace
