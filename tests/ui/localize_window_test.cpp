// The localized-layer panel and view on a tiny random checkpoint and
// hand-written pairs: a training from the panel on the thread pool with a
// live loss plot, ending in a checkpoint that records its parent; the Compare
// tab marks the trained layer; the view draws the distance of both sentences
// of a pair (zero below the trained layer, the changed words marked); the
// report answers the three questions and saves as Markdown and JSON;
// cancelling a training (Esc) keeps its state and Resume finishes it; in the
// main window on the built-in demo: the loaded model is the parent, the
// dataset gives the pairs, "Show in the view" draws the current pair
// (screenshot localize.png).

#include "qt_test_app.h"
#include "checkpoint_fixture.h"
#include "dataset_browser.h"
#include "demo_assets.h"
#include "heatmap_widget.h"
#include "localize_panel.h"
#include "localize_service.h"
#include "localize_view.h"
#include "main_window.h"
#include "pair_fixtures.h"
#include "settings.h"

#include <qcustomplot.h>

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QTabWidget>
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

QString screenshotDir() {
    return qEnvironmentVariableIsSet("GRAMMASCOPE_SCREENSHOT_DIR") ? qEnvironmentVariable("GRAMMASCOPE_SCREENSHOT_DIR")
                                                                   : QStringLiteral(GRAMMASCOPE_SCREENSHOT_DIR);
}

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
    // The surprisal change on ablation: one row, a value on every word token, none on the specials.
    view.setMetric(2);
    ASSERT_TRUE(QTest::qWaitFor([&] { return view.comparison() && !view.comparison()->ablation.empty(); }, kTimeoutMs))
        << view.statusText().toStdString();
    const gs::Heatmap& change = view.heatmap(0)->heatmap();
    ASSERT_EQ(change.rows, 1);
    EXPECT_TRUE(std::isnan(change.at(0, 0)));                // [CLS]
    EXPECT_TRUE(std::isnan(change.at(0, change.cols - 1)));  // [SEP]
    bool nonzero = false;
    for (int col = 1; col + 1 < change.cols; ++col) {
        EXPECT_TRUE(std::isfinite(change.at(0, col))) << col;
        nonzero = nonzero || change.at(0, col) != 0.0f;
    }
    EXPECT_TRUE(nonzero);
    view.setMetric(0);

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

// The main window on the demo: train layer 2 for a few steps from the
// panel, compare, show the current polypersonal pair, build the report.
TEST(LocalizeWindow, MainWindowOnTheDemo) {
    gs::testing::testApplication();
    if (!gs::ui::findDemoAssets().found()) GTEST_SKIP() << "the built-in demo is not there";
    QTemporaryDir dir;
    gs::ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    settings.setCacheLocation(dir.filePath(QStringLiteral("cache.sqlite")));
    gs::ui::MainWindow window(settings);
    window.resize(1400, 900);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.openDemo()) << window.statusMessage().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return window.hasModel() && !window.isBusy() && window.datasetBrowser()->currentDataset();
    }, kTimeoutMs));
    LocalizePanel* panel = window.localizePanel();
    window.showLocalizePanel(0);
    EXPECT_EQ(panel->tabs()->currentIndex(), 0);
    EXPECT_EQ(panel->layerBox()->value(), 2);  // 4 layers: the middle one
    EXPECT_EQ(panel->phenomenonBox()->currentData().toString(), QStringLiteral("polypersonal_agreement"));
    const QString out = dir.filePath(QStringLiteral("demo-localized"));
    panel->outputEdit()->setText(out);
    // The recipe's settings for the small demo model (scripts/recipes/localize-demo.sh), fewer steps.
    panel->stepsBox()->setValue(200);
    panel->learningRateEdit()->setText(QStringLiteral("1e-4"));
    panel->poolingBox()->setCurrentIndex(1);  // changed tokens
    panel->startTraining();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel->isTraining(); }, kTimeoutMs));
    ASSERT_TRUE(panel->trainStatusText().contains(QStringLiteral("Saved to"))) << panel->trainStatusText().toStdString();
    ASSERT_TRUE(QDir().mkpath(screenshotDir()));
    EXPECT_TRUE(panel->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("localize_train.png"))));

    // Compare, then show the current pair in the view.
    window.showLocalizePanel(1);
    panel->compareCheckpoints();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel->lastDiff() != nullptr; }, kTimeoutMs));
    EXPECT_EQ(panel->lastDiff()->localizedLayer, 2);
    EXPECT_TRUE(panel->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("localize_compare.png"))));
    gs::ui::DatasetBrowser* browser = window.datasetBrowser();
    browser->setPhenomenonFilter(QStringLiteral("polypersonal_agreement"));
    browser->selectPair(2402);
    emit panel->comparisonRequested(panel->comparedParentDir(), panel->localizedDir());
    LocalizeView* view = window.localizeView();
    EXPECT_EQ(window.viewTabs()->currentWidget(), view);
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return view->comparison() && view->comparison()->distances.size() == 2 && !view->isComputing();
    }, kTimeoutMs)) << view->statusText().toStdString();
    EXPECT_TRUE(view->comparison()->sentences.value(1).contains(QStringLiteral("готовятете")));
    const gs::Heatmap& bad = view->heatmap(1)->heatmap();
    ASSERT_EQ(bad.rows, 5);
    for (int col = 0; col < bad.cols; ++col) EXPECT_EQ(bad.at(2, col), 0.0f);  // output of layer 1: unchanged
    // Another pair follows the browser.
    browser->selectPair(2405);
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return view->comparison() && !view->comparison()->sentences.value(0).contains(QStringLiteral("готовят")) &&
               !view->isComputing();
    }, kTimeoutMs));

    // The report on a few pairs, then the screenshot with the report on screen.
    browser->selectPair(2402);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !view->isComputing(); }, kTimeoutMs));
    window.showLocalizePanel(2);
    panel->maxPairsBox()->setValue(30);
    panel->buildReport();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel->isReporting(); }, 4 * kTimeoutMs));
    ASSERT_NE(panel->lastReport(), nullptr);
    EXPECT_EQ(panel->lastReport()->layer, 2);
    auto* dock = window.findChild<QDockWidget*>(QStringLiteral("localizeDock"));
    ASSERT_NE(dock, nullptr);
    window.resizeDocks({dock}, {470}, Qt::Horizontal);
    QTest::qWait(300);
    EXPECT_TRUE(window.grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("localize.png"))));
}
