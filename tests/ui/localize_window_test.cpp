// The localized-layer panel and view on a tiny random checkpoint and
// hand-written pairs: a training from the panel on the thread pool with a
// live loss plot, ending in a checkpoint that records its parent; the Compare
// tab marks the trained layer; the view draws the distance of both sentences
// of a pair (zero below the trained layer, the changed words marked); the
// report answers the three questions and saves as Markdown and JSON;
// cancelling a training (Esc) keeps its state and Resume finishes it.

#include "qt_test_app.h"
#include "checkpoint_fixture.h"
#include "heatmap_widget.h"
#include "localize_panel.h"
#include "localize_service.h"
#include "localize_view.h"
#include "pair_fixtures.h"

#include <qcustomplot.h>

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <cmath>

namespace {

using gs::ui::LocalizePanel;
using gs::ui::LocalizeService;
using gs::ui::LocalizeView;

constexpr int kTimeoutMs = 120000;

struct Fixture {
    QTemporaryDir dir;
    QString parent;
    gs::ui::OpenDatasetPtr dataset;
    Fixture() {
        gs::testing::testApplication();
        gs::testing::FixtureOptions o;
        o.numLayers = 3;
        parent = dir.filePath(QStringLiteral("parent"));
        EXPECT_TRUE(gs::testing::writeRandomCheckpoint(parent.toStdString(), o).isOk());
        gs::Dataset d = gs::testing::parseTestDataset(gs::testing::smallPairsCsv(40, 2), gs::DatasetFormat::GrammascopeCsv,
                                                      "pairs.csv");
        dataset = gs::ui::buildOpenDataset(std::move(d), QString());
    }
};

void configure(LocalizePanel& panel, const Fixture& f, int steps, const QString& out) {
    panel.setParentModel(f.parent, 3);
    panel.setDataset(f.dataset);
    panel.stepsBox()->setValue(steps);
    panel.outputEdit()->setText(out);
}

} // namespace

TEST(LocalizeWindow, TrainCompareShowAndReport) {
    Fixture f;
    LocalizeService service;
    LocalizePanel panel(&service);
    panel.resize(500, 700);
    const QString out = f.dir.filePath(QStringLiteral("localized"));
    configure(panel, f, 12, out);
    EXPECT_EQ(panel.layerBox()->value(), 1);  // a 3-layer model: the middle layer
    EXPECT_TRUE(panel.phenomenonBox()->currentData().toString().contains(QStringLiteral("polypersonal")));
    EXPECT_TRUE(panel.validateTraining().isEmpty()) << panel.validateTraining().toStdString();

    panel.startTraining();
    ASSERT_TRUE(panel.isTraining());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel.isTraining(); }, kTimeoutMs));
    EXPECT_TRUE(panel.trainStatusText().contains(QStringLiteral("Saved to"))) << panel.trainStatusText().toStdString();
    EXPECT_GT(panel.lossPlot()->graph(1)->dataCount(), 0);
    EXPECT_TRUE(QFile::exists(out + QStringLiteral("/model.safetensors")));
    EXPECT_TRUE(QFile::exists(out + QStringLiteral("/grammascope_localized.json")));
    EXPECT_EQ(panel.localizedDir(), out);
    EXPECT_EQ(QDir(panel.comparedParentDir()).canonicalPath(), QDir(f.parent).canonicalPath());

    // Compare: the trained layer is the one marked.
    panel.compareCheckpoints();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel.lastDiff() != nullptr; }, kTimeoutMs));
    EXPECT_EQ(panel.lastDiff()->localizedLayer, 1) << panel.diffVerdictText().toStdString();
    EXPECT_EQ(panel.diffPlot()->plottableCount(), 2);

    // The view: a pair, both sentences, rows emb + 3 layers.
    LocalizeView view(&service);
    view.resize(1000, 500);
    view.setModels(panel.comparedParentDir(), panel.localizedDir());
    const gs::DatasetItem& polypersonal = f.dataset->dataset.items.at(1);  // every 2nd pair is polypersonal
    ASSERT_EQ(polypersonal.phenomenon, "polypersonal_agreement");
    view.setPair(polypersonal);
    ASSERT_TRUE(QTest::qWaitFor([&] { return view.comparison() != nullptr && !view.isComputing(); }, kTimeoutMs));
    ASSERT_EQ(view.comparison()->distances.size(), 2u);
    for (int side = 0; side < 2; ++side) {
        const gs::Heatmap& h = view.heatmap(side)->heatmap();
        ASSERT_EQ(h.rows, 4);
        for (int row = 0; row < h.rows; ++row)
            for (int col = 0; col < h.cols; ++col) {
                const float v = h.at(row, col);
                if (row <= 1) EXPECT_EQ(v, 0.0f) << "row " << row;  // emb and layer 0: the same weights
                else EXPECT_GE(v, 0.0f);
            }
        bool positive = false;
        for (int col = 0; col < h.cols; ++col) positive = positive || h.at(2, col) > 0;
        EXPECT_TRUE(positive) << "layer 1's output moved";
    }
    bool marked = false;
    for (const auto& label : view.heatmap(1)->heatmap().colLabels) marked = marked || label.rfind("▸", 0) == 0;
    EXPECT_TRUE(marked);
    view.setMetric(1);
    EXPECT_LE(view.heatmap(1)->heatmap().at(3, 1), 2.0f);  // a cosine distance
    view.setSentence(QStringLiteral("Мама мыла раму."));
    ASSERT_TRUE(QTest::qWaitFor([&] { return view.comparison() && view.comparison()->distances.size() == 1; }, kTimeoutMs));
    EXPECT_FALSE(view.heatmap(1)->isVisible());

    // Report.
    panel.buildReport();
    ASSERT_TRUE(panel.isReporting());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel.isReporting(); }, kTimeoutMs));
    ASSERT_NE(panel.lastReport(), nullptr);
    EXPECT_EQ(panel.lastReport()->layer, 1);
    EXPECT_TRUE(panel.reportView()->toPlainText().contains(QStringLiteral("Standard language kept?")));
    const QString md = f.dir.filePath(QStringLiteral("report.md")), json = f.dir.filePath(QStringLiteral("report.json"));
    QString error;
    ASSERT_TRUE(panel.saveReport(md, &error)) << error.toStdString();
    ASSERT_TRUE(panel.saveReport(json, &error)) << error.toStdString();
    QFile j(json);
    ASSERT_TRUE(j.open(QIODevice::ReadOnly));
    EXPECT_TRUE(j.readAll().contains("\"criteria\""));
}

TEST(LocalizeWindow, EscCancelsAndResumeFinishes) {
    Fixture f;
    LocalizeService service;
    LocalizePanel panel(&service);
    const QString out = f.dir.filePath(QStringLiteral("localized"));
    configure(panel, f, 150, out);
    panel.startTraining();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel.lossPlot()->graph(1)->dataCount() > 0; }, kTimeoutMs));
    QTest::keyClick(&panel, Qt::Key_Escape);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel.isTraining(); }, kTimeoutMs));
    ASSERT_TRUE(panel.trainStatusText().contains(QStringLiteral("Resume"))) << panel.trainStatusText().toStdString();
    EXPECT_TRUE(QDir(out + QStringLiteral("/training")).exists());
    auto* resume = panel.findChild<QCheckBox*>();
    ASSERT_NE(resume, nullptr);
    EXPECT_TRUE(resume->isChecked());

    // Resume: the same options, continued to the end.
    panel.startTraining();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel.isTraining(); }, kTimeoutMs));
    EXPECT_TRUE(panel.trainStatusText().contains(QStringLiteral("for 150 steps"))) << panel.trainStatusText().toStdString();
    EXPECT_TRUE(QFile::exists(out + QStringLiteral("/grammascope_localized.json")));
}
