// Sparse autoencoders in the main window on a tiny random checkpoint: the
// dialog's defaults and validation; a training on the worker thread whose
// every step reaches the live plot and which ends with the set listed in the
// panel with its per-layer metrics; the SAE features of a pair (the same
// feature rows for both sentences, activations >= 0, NaN on the specials, the
// features that differ most) and of a sentence; a feature's trace across the
// set's layers (its own row with cosine 1) and its profile over the dataset
// (contexts with the token highlighted); SAELens export and import; delete;
// cancelling a training with Esc and resuming it; and a screenshot on the
// built-in demo (sae.png).

#include "qt_test_app.h"

#include "analysis_worker.h"
#include "cache_test_support.h"
#include "checkpoint_fixture.h"
#include "dataset_browser.h"
#include "demo_assets.h"
#include "heatmap_widget.h"
#include "main_window.h"
#include "sae_dialog.h"
#include "sae_panel.h"
#include "sae_view.h"
#include "settings.h"

#include <qcustomplot.h>

#include <gtest/gtest.h>

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <chrono>
#include <cmath>
#include <future>
#include <set>

namespace {

using gs::testing::SignalLog;
using gs::ui::AnalysisWorker;
using gs::ui::MainWindow;

constexpr int kTimeoutMs = 180000;  // generous: the machine is shared
const QString kSentence = QStringLiteral("Мама видит кашу и кот.");

QString screenshotDir() {
    return qEnvironmentVariableIsSet("GRAMMASCOPE_SCREENSHOT_DIR") ? qEnvironmentVariable("GRAMMASCOPE_SCREENSHOT_DIR")
                                                                   : QStringLiteral(GRAMMASCOPE_SCREENSHOT_DIR);
}

bool isSpecial(const std::string& label) { return label == "[CLS]" || label == "[SEP]"; }

// Activations: >= 0 on every token, NaN on the special tokens (not trained on).
::testing::AssertionResult valuesAreActivations(const gs::Heatmap& heatmap) {
    bool anyPositive = false;
    for (int r = 0; r < heatmap.rows; ++r)
        for (int c = 0; c < heatmap.cols; ++c) {
            const float v = heatmap.at(r, c);
            const std::string& label = heatmap.colLabels.at(std::size_t(c));
            if (isSpecial(label) && !std::isnan(v)) return ::testing::AssertionFailure() << label << " has a value: " << v;
            if (!isSpecial(label) && !(v >= 0.f)) return ::testing::AssertionFailure() << "value " << v << " of " << label;
            anyPositive = anyPositive || v > 0.f;
        }
    if (!anyPositive) return ::testing::AssertionFailure() << "no feature fires";
    return ::testing::AssertionSuccess();
}

std::vector<std::string> rowLabels(const gs::Heatmap& heatmap) { return heatmap.rowLabels; }

// "#812", as the core labels a feature row.
std::string featureLabel(std::int32_t feature) {
    std::string label = std::to_string(feature);
    label.insert(label.begin(), '#');
    return label;
}

gs::SaeTrainRequest smallRequest() {
    gs::SaeTrainRequest request;
    request.layers = {1, 2};
    request.options.dictionarySize = 64;
    request.options.k = 4;
    request.options.auxK = 16;
    request.options.batchSize = 32;
    request.options.epochs = 2;
    request.options.learningRate = 1e-3;
    request.options.progressEvery = 1;
    request.spliceSentences = 8;
    return request;
}

class SaeWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        ASSERT_TRUE(dir.isValid());
        ASSERT_TRUE(gs::testing::writeRandomCheckpoint(modelDir.path(), gs::testing::FixtureOptions{}).isOk());
        settings = std::make_unique<gs::ui::Settings>(dir.filePath(QStringLiteral("settings.ini")));
        settings->setCacheLocation(dir.filePath(QStringLiteral("cache.sqlite")));  // never the user's cache
        window = std::make_unique<MainWindow>(*settings);
        window->resize(1400, 900);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }

    ::testing::AssertionResult loadModel() {
        window->openModel(QString::fromStdString(modelDir.path().string()));
        if (!QTest::qWaitFor([this] { return !window->isBusy(); }, kTimeoutMs) || !window->hasModel())
            return ::testing::AssertionFailure() << "no model: " << window->statusMessage().toStdString();
        return ::testing::AssertionSuccess();
    }

    ::testing::AssertionResult openPairs(int count) {
        const QString file = dir.filePath(QStringLiteral("pairs-%1.csv").arg(count));
        if (!gs::testing::writeGeneratedPairs(file, count)) return ::testing::AssertionFailure() << "cannot write";
        window->openDataset(file, true);
        if (!QTest::qWaitFor([this] { return window->datasetBrowser()->currentDataset() != nullptr; }, kTimeoutMs))
            return ::testing::AssertionFailure() << "no dataset: " << window->statusMessage().toStdString();
        return ::testing::AssertionSuccess();
    }

    gs::ui::SaePanel* panel() const { return window->saePanel(); }
    gs::ui::SaeView* view() const { return window->saeView(); }

    bool waitTrained() { return QTest::qWaitFor([this] { return !window->isTrainingSaes(); }, kTimeoutMs); }
    bool waitFeatures(int sides) {
        return QTest::qWaitFor([&] {
            if (window->isComputingSaeFeatures()) return false;
            for (int s = 0; s < sides; ++s)
                if (!view()->heatmap(s)->hasData()) return false;
            return view()->trace() != nullptr;
        }, kTimeoutMs);
    }
    bool waitIndex() {
        return QTest::qWaitFor([&] { return !window->isIndexingSaeFeatures() && view()->index() != nullptr; }, kTimeoutMs);
    }

    QTemporaryDir dir;
    gs::testing::TempDir modelDir{"gs-ui-sae"};
    std::unique_ptr<gs::ui::Settings> settings;
    std::unique_ptr<MainWindow> window;  // last: destroyed first
};

TEST(SaeDialogTest, DefaultsToTheMiddleLayerAndValidates) {
    gs::testing::testApplication();
    gs::ui::SaeDialog dialog(QStringLiteral("pairs.csv"), 4, 256);
    EXPECT_EQ(dialog.checkedLayers(), (std::vector<int>{2}));
    EXPECT_EQ(gs::ui::SaeDialog::defaultLayers(3), (std::vector<int>{1, 2}));
    EXPECT_EQ(dialog.layerList()->count(), 5);  // emb, 1..4
    ASSERT_TRUE(dialog.canTrain()) << dialog.problemText().toStdString();
    gs::SaeTrainRequest request = dialog.request();
    EXPECT_EQ(request.layers, (std::vector<int>{2}));
    EXPECT_EQ(request.options.kind, gs::SaeKind::TopK);
    EXPECT_EQ(request.options.dictionarySize, 8 * 256);
    EXPECT_EQ(request.options.k, gs::SaeOptions{}.k);
    EXPECT_EQ(request.maxRows, 0);
    EXPECT_FALSE(request.includeSpecials);
    EXPECT_TRUE(request.reuse);

    dialog.setCheckedLayers({});
    EXPECT_FALSE(dialog.canTrain());
    EXPECT_TRUE(dialog.problemText().contains(QStringLiteral("layer")));
    auto* train = dialog.findChild<QPushButton*>(QStringLiteral("saeTrainButton"));
    ASSERT_NE(train, nullptr);
    EXPECT_FALSE(train->isEnabled());
    dialog.setCheckedLayers({0, 4});
    dialog.findChild<QSpinBox*>(QStringLiteral("saeMultiplierSpin"))->setValue(1);
    dialog.findChild<QSpinBox*>(QStringLiteral("saeKSpin"))->setValue(300);  // more than 256 latents
    EXPECT_FALSE(dialog.canTrain());
    EXPECT_FALSE(train->isEnabled());
    dialog.findChild<QSpinBox*>(QStringLiteral("saeKSpin"))->setValue(16);
    EXPECT_TRUE(dialog.canTrain()) << dialog.problemText().toStdString();
    request = dialog.request();
    EXPECT_EQ(request.layers, (std::vector<int>{0, 4}));
    EXPECT_EQ(request.options.dictionarySize, 256);
    EXPECT_EQ(request.options.k, 16);
    // Choices come back.
    gs::ui::SaeDialog other(QStringLiteral("pairs.csv"), 4, 256);
    other.setRequest(request);
    EXPECT_EQ(other.request().layers, request.layers);
    EXPECT_EQ(other.request().options.dictionarySize, 256);
    // Through the settings' JSON, onto a model with another hidden size: the multiple is kept.
    request.options.kind = gs::SaeKind::ReluL1;
    request.options.l1Coefficient = 0.35;
    request.includeSpecials = true;
    const QString json = gs::ui::saeRequestToJson(request, 256);
    gs::SaeTrainRequest back;
    ASSERT_TRUE(gs::ui::saeRequestFromJson(json, 768, back));
    EXPECT_EQ(back.layers, request.layers);
    EXPECT_EQ(back.options.kind, gs::SaeKind::ReluL1);
    EXPECT_EQ(back.options.dictionarySize, 768);
    EXPECT_EQ(back.options.k, 16);
    EXPECT_DOUBLE_EQ(back.options.l1Coefficient, 0.35);
    EXPECT_TRUE(back.includeSpecials);
    EXPECT_FALSE(gs::ui::saeRequestFromJson(QStringLiteral("not json"), 768, back));
}

TEST_F(SaeWindowTest, TrainsWithALivePlotAndShowsFeaturesTracesAndContexts) {
    ASSERT_TRUE(loadModel());
    ASSERT_TRUE(openPairs(40));
    SignalLog progress(window->worker(), &AnalysisWorker::saeTrainProgress);
    ASSERT_NE(window->trainSaes(smallRequest()), 0u);
    EXPECT_TRUE(panel()->isTraining());
    ASSERT_TRUE(waitTrained());
    EXPECT_FALSE(window->statusMessage().contains(QStringLiteral("failed"))) << window->statusMessage().toStdString();
    EXPECT_GT(progress.count(), 1);

    // Every step of both layers reached the live plot.
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() == 1 && panel()->currentSet(); }, kTimeoutMs));
    const gs::SaeSet& set = *panel()->currentSet();
    ASSERT_EQ(set.layers.size(), 2u);
    const std::int64_t steps = set.layers[0].sae.trainedSteps + set.layers[1].sae.trainedSteps;
    EXPECT_GE(steps, 4);
    EXPECT_EQ(panel()->plottedSteps(), steps);
    // Each layer's curve starts after a mark with its name, and no line joins two layers.
    EXPECT_EQ(panel()->plotLayerMarks(), (QStringList{QStringLiteral("L1"), QStringLiteral("L2")}));
    QCustomPlot* plot = panel()->trainingPlot();
    ASSERT_EQ(plot->graphCount(), 4);
    EXPECT_EQ(plot->graph(0)->dataCount(), steps + 1);
    EXPECT_EQ(plot->graph(3)->valueAxis(), plot->yAxis2);  // L0 on the right
    EXPECT_DOUBLE_EQ(plot->yAxis->range().lower, 0.0);
    for (auto it = plot->graph(3)->data()->constBegin(); it != plot->graph(3)->data()->constEnd(); ++it)
        if (std::isfinite(it->value)) {
            EXPECT_LE(it->value, 4.0 + 1e-6);  // TopK: at most k active (NaN: a gap between layers)
        }
    // The metrics table: one row per layer, L0 <= k, FVU finite.
    EXPECT_EQ(panel()->metricsTable()->rowCount(), 2);
    const QString table = panel()->metricsTableText();
    EXPECT_TRUE(table.startsWith(QStringLiteral("Layer\tL0\tFVU\tMSE\tDead %\tLoss rec.\tTrain rows")))
        << table.toStdString();
    const QStringList row = table.split(QLatin1Char('\n')).at(1).split(QLatin1Char('\t'));
    ASSERT_EQ(row.size(), 7);
    EXPECT_EQ(row[0], QStringLiteral("1"));
    EXPECT_GT(row[1].toDouble(), 0.0);
    EXPECT_LE(row[1].toDouble(), 4.0 + 1e-6);
    bool ok = false;
    const double fvu = row[2].toDouble(&ok);
    EXPECT_TRUE(ok && fvu >= 0 && fvu < 2) << row[2].toStdString();
    panel()->copyMetricsTable();
    EXPECT_EQ(QApplication::clipboard()->text(), table);

    // The features of the current pair: the view is shown after the training.
    EXPECT_EQ(window->viewTabs()->currentWidget(), view());
    EXPECT_EQ(view()->layers(), (QList<int>{1, 2}));
    view()->setPairMode(true);
    ASSERT_TRUE(waitFeatures(2)) << window->statusMessage().toStdString();
    const gs::ui::SaeSentenceViewPtr result = view()->sentenceView();
    ASSERT_TRUE(result);
    ASSERT_EQ(result->sentences.size(), 2);
    const int rows = int(result->features.size());
    EXPECT_GT(rows, 0);
    EXPECT_LE(rows, 24);
    std::set<std::string> wanted;
    for (std::int32_t f : result->features) wanted.insert(featureLabel(f));
    for (int side = 0; side < 2; ++side) {
        const gs::Heatmap& heatmap = view()->heatmap(side)->heatmap();
        EXPECT_EQ(heatmap.rows, rows);
        EXPECT_TRUE(valuesAreActivations(heatmap)) << "side " << side;
        const std::vector<std::string> labels = rowLabels(heatmap);
        EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()), wanted);
        EXPECT_EQ(labels.back(), featureLabel(result->features.front()));  // strongest on top
        EXPECT_DOUBLE_EQ(view()->heatmap(side)->colorRange().lower, 0.0);
    }
    EXPECT_EQ(rowLabels(view()->heatmap(0)->heatmap()), rowLabels(view()->heatmap(1)->heatmap()));
    EXPECT_DOUBLE_EQ(view()->heatmap(0)->colorRange().upper, view()->heatmap(1)->colorRange().upper);
    EXPECT_TRUE(view()->heatmap(1)->title().startsWith(QStringLiteral("Ungrammatical: ")));
    ASSERT_FALSE(result->differences.empty());
    EXPECT_EQ(view()->differenceTable()->rowCount(), int(result->differences.size()));
    for (std::size_t i = 1; i < result->differences.size(); ++i)
        EXPECT_GE(std::abs(result->differences[i - 1].difference), std::abs(result->differences[i].difference));
    // The feature that differs most is chosen, and followed across the layers.
    EXPECT_EQ(view()->currentFeature(), result->differences.front().feature);
    ASSERT_TRUE(QTest::qWaitFor([&] { return view()->trace() && view()->trace()->feature == view()->currentFeature(); },
                                kTimeoutMs));
    const gs::SaeFeatureTrace& trace = view()->trace()->trace(gs::TokenGrouping::Tokens);
    EXPECT_EQ(trace.heatmap.rows, 2);  // the set's layers
    ASSERT_EQ(trace.rows.size(), 2u);
    EXPECT_EQ(trace.rows[std::size_t(trace.homeRow)].layer, 1);
    EXPECT_EQ(trace.rows[std::size_t(trace.homeRow)].feature, view()->currentFeature());
    EXPECT_NEAR(trace.rows[std::size_t(trace.homeRow)].cosine, 1.0f, 1e-5f);
    EXPECT_EQ(view()->traceHeatmap()->heatmap().rows, 2);
    EXPECT_FALSE(view()->trace()->nearest.empty());
    EXPECT_EQ(view()->nearestList()->count(), int(view()->trace()->nearest.size()));

    // Its profile over the dataset: contexts with the token highlighted.
    ASSERT_TRUE(waitIndex()) << view()->featureStatsText().toStdString();
    const gs::ui::SaeFeatureIndexPtr index = view()->index();
    EXPECT_EQ(index->layer, 1);
    EXPECT_GT(index->tokens, 0);
    const gs::SaeFeatureProfile& profile = index->features.at(std::size_t(view()->currentFeature()));
    EXPECT_TRUE(view()->featureStatsText().startsWith(QStringLiteral("Fires on"))) << view()->featureStatsText().toStdString();
    ASSERT_GT(profile.fireCount, 0);
    ASSERT_FALSE(view()->highlightedTokens().isEmpty());
    ASSERT_LE(view()->highlightedTokens().size(), int(profile.top.size()));
    for (int i = 0; i < view()->highlightedTokens().size(); ++i) {
        const gs::SaeContext& c = profile.top[std::size_t(i)];
        const std::string& sentence = index->sentences.at(std::size_t(c.sentence));
        const QString token = QString::fromStdString(sentence.substr(std::size_t(c.byteBegin), std::size_t(c.byteEnd - c.byteBegin)));
        EXPECT_EQ(view()->highlightedTokens()[i], token);
        EXPECT_FALSE(token.trimmed().isEmpty());
        EXPECT_FALSE(token.contains(QLatin1Char(' ')));
        EXPECT_TRUE(view()->contextsBrowser()->toHtml().contains(token.toHtmlEscaped()));
    }
    EXPECT_GT(panel()->findChild<QCustomPlot*>(QStringLiteral("saeTrainingPlot"))->graphCount(), 0);
    EXPECT_EQ(view()->histogramPlot()->plottableCount(), 1);

    // Another feature from the table: followed at once.
    if (result->differences.size() > 1) {
        const int next = result->differences[1].feature;
        view()->differenceTable()->cellClicked(1, 0);
        EXPECT_EQ(view()->currentFeature(), next);
        ASSERT_TRUE(QTest::qWaitFor([&] { return view()->trace() && view()->trace()->feature == next; }, kTimeoutMs));
    }

    // A row of the trace: that layer's feature is opened.
    {
        const gs::SaeFeatureTrace& now = view()->trace()->trace(gs::TokenGrouping::Tokens);
        const int other = now.homeRow == 0 ? 1 : 0;
        const gs::SaeNeighbour target = now.rows[std::size_t(other)];
        ASSERT_NE(target.layer, view()->layer());
        view()->jumpToTraceRow(other);
        ASSERT_TRUE(QTest::qWaitFor([&] {
            return view()->sentenceView() && view()->sentenceView()->layer == target.layer &&
                   view()->currentFeature() == target.feature && view()->trace() &&
                   view()->trace()->feature == target.feature;
        }, kTimeoutMs)) << view()->currentFeature();
        EXPECT_EQ(view()->layer(), target.layer);
        view()->setLayer(1);
        ASSERT_TRUE(QTest::qWaitFor([&] { return view()->sentenceView() && view()->sentenceView()->layer == 1; },
                                    kTimeoutMs));
    }

    // The sentence in the input, layer 2.
    view()->setPairMode(false);
    view()->setLayer(2);
    window->setSentence(kSentence);
    window->run();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return !window->isComputingSaeFeatures() && view()->heatmap(0)->title() == kSentence &&
               view()->sentenceView() && view()->sentenceView()->layer == 2;
    }, kTimeoutMs));
    EXPECT_TRUE(valuesAreActivations(view()->heatmap(0)->heatmap()));
    EXPECT_TRUE(view()->heatmap(0)->columnTickLabels().join(QString()).contains(QStringLiteral("М")));
    // Words instead of tokens: redrawn from the result at hand, the same feature rows.
    const int tokenColumns = view()->heatmap(0)->heatmap().cols;
    const int featureRows = view()->heatmap(0)->heatmap().rows;
    view()->setGrouping(gs::TokenGrouping::Words);
    EXPECT_FALSE(window->isComputingSaeFeatures());
    EXPECT_EQ(view()->heatmap(0)->heatmap().rows, featureRows);
    EXPECT_EQ(view()->heatmap(0)->heatmap().cols, view()->sentenceView()->heatmap(0, gs::TokenGrouping::Words)->cols);
    EXPECT_LE(view()->heatmap(0)->heatmap().cols, tokenColumns);
    EXPECT_TRUE(valuesAreActivations(view()->heatmap(0)->heatmap()));
    view()->setGrouping(gs::TokenGrouping::Tokens);

    // SAELens export, then import: a second set.
    const std::string name = set.name;
    SignalLog exported(window->worker(), &AnalysisWorker::saeSetExported);
    const QString folder = dir.filePath(QStringLiteral("saelens"));
    window->worker()->exportSaeSet(QString::fromStdString(name), folder);
    ASSERT_TRUE(exported.wait(kTimeoutMs)) << window->statusMessage().toStdString();
    EXPECT_TRUE(QFileInfo::exists(folder + QStringLiteral("/layer_1/cfg.json")));
    EXPECT_TRUE(QFileInfo::exists(folder + QStringLiteral("/layer_2/sae_weights.safetensors")));
    ASSERT_NE(window->importSaeLens({folder}), 0u);
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() == 2; }, kTimeoutMs)) << window->statusMessage().toStdString();
    ASSERT_TRUE(panel()->currentSet());
    EXPECT_TRUE(panel()->currentSet()->imported);
    EXPECT_EQ(panel()->currentSet()->layers.size(), 2u);

    // Delete asks, then removes the chosen (imported) set.
    panel()->findChild<QToolButton*>(QStringLiteral("saeDeleteButton"))->click();
    auto* box = window->findChild<QMessageBox*>(QStringLiteral("deleteSaeSetBox"));
    ASSERT_NE(box, nullptr);
    QAbstractButton* remove = nullptr;
    for (QAbstractButton* button : box->buttons())
        if (box->buttonRole(button) == QMessageBox::DestructiveRole) remove = button;
    ASSERT_NE(remove, nullptr);
    remove->click();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() == 1; }, kTimeoutMs));
    EXPECT_EQ(panel()->saeSets().front().name, name);
}

TEST_F(SaeWindowTest, EscCancelsATrainingAndTheSameRequestResumes) {
    ASSERT_TRUE(loadModel());
    ASSERT_TRUE(openPairs(200));
    gs::SaeTrainRequest request = smallRequest();
    request.options.batchSize = 8;  // many steps
    request.options.epochs = 3;
    SignalLog cancelled(window->worker(), &AnalysisWorker::cancelled);
    // The worker waits in its first training step until Esc was pressed, so
    // that the training cannot end before the cancel (on any machine).
    std::promise<void> escPressed;
    std::shared_future<void> released = escPressed.get_future().share();
    std::atomic<bool> training{false};
    QObject holder;
    QObject::connect(window->worker(), &AnalysisWorker::saeTrainProgress, &holder,
                     [released, &training](quint64, const gs::ui::SaeTrainStatus& status) {
                         if (status.points.empty()) return;
                         training = true;
                         released.wait_for(std::chrono::milliseconds(kTimeoutMs));
                     }, Qt::DirectConnection);
    const quint64 id = window->trainSaes(request);
    ASSERT_NE(id, 0u);
    ASSERT_TRUE(QTest::qWaitFor([&] { return training.load(); }, kTimeoutMs));
    EXPECT_TRUE(window->isTrainingSaes());
    QTest::keyClick(window.get(), Qt::Key_Escape);
    EXPECT_TRUE(panel()->trainingText().contains(QStringLiteral("Cancelling")));
    escPressed.set_value();
    ASSERT_TRUE(waitTrained());
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("cancelled"))) << window->statusMessage().toStdString();
    ASSERT_GE(cancelled.count(), 1);
    EXPECT_EQ(cancelled.last().at(0).toULongLong(), id);
    QTest::qWait(100);
    EXPECT_EQ(panel()->setCount(), 0);
    QObject::disconnect(window->worker(), &AnalysisWorker::saeTrainProgress, &holder, nullptr);

    // The same request again runs to the end.
    SignalLog trained(window->worker(), &AnalysisWorker::saeSetTrained);
    ASSERT_NE(window->trainSaes(request), 0u);
    ASSERT_TRUE(waitTrained());
    ASSERT_EQ(trained.count(), 1) << window->statusMessage().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() == 1; }, kTimeoutMs));
    EXPECT_EQ(panel()->metricsTable()->rowCount(), 2);
}

// The README's SAE screenshot: the demo model and pairs, an SAE on the middle
// layer, a polypersonal pair side by side and a feature with its browser.
TEST_F(SaeWindowTest, ScreenshotOfSaeFeaturesOnTheDemo) {
    if (!gs::ui::findDemoAssets().found()) GTEST_SKIP() << "the built-in demo is not there";
    ASSERT_TRUE(window->openDemo()) << window->statusMessage().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return window->hasModel() && !window->isBusy() && window->datasetBrowser()->currentDataset();
    }, kTimeoutMs));
    gs::ui::SaeDialog* dialog = window->showSaeDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(QDir().mkpath(screenshotDir()));
    EXPECT_TRUE(dialog->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("sae_dialog.png"))));
    dialog->reject();
    gs::SaeTrainRequest request;
    request.layers = {1, 2, 3};
    request.options.dictionarySize = 512;
    request.options.k = 16;
    request.options.batchSize = 256;
    request.options.learningRate = 1e-3;
    request.options.progressEvery = 1;
    request.maxRows = 20000;
    request.spliceSentences = 50;
    ASSERT_NE(window->trainSaes(request), 0u);
    ASSERT_TRUE(waitTrained());
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() >= 1 && panel()->currentSet(); }, kTimeoutMs));
    view()->setPairMode(true);
    gs::ui::DatasetBrowser* browser = window->datasetBrowser();
    browser->setPhenomenonFilter(QStringLiteral("polypersonal_agreement"));
    browser->selectPair(2402);
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return view()->sentenceView() && view()->sentenceView()->sentences.value(1).contains(QStringLiteral("готовятете")) &&
               waitFeatures(2);
    }, kTimeoutMs)) << view()->heatmap(1)->title().toStdString();
    view()->setLayer(2);
    ASSERT_TRUE(QTest::qWaitFor([&] { return view()->sentenceView()->layer == 2 && waitFeatures(2); }, kTimeoutMs));
    ASSERT_TRUE(waitIndex()) << view()->featureStatsText().toStdString();
    window->resize(1400, 900);
    // More room for the heatmaps: a narrower SAE dock, a lower dataset browser.
    auto* saeDock = window->findChild<QDockWidget*>(QStringLiteral("saeDock"));
    auto* datasetsDock = window->findChild<QDockWidget*>(QStringLiteral("datasetsDock"));
    ASSERT_NE(saeDock, nullptr);
    window->resizeDocks({saeDock}, {415}, Qt::Horizontal);
    if (datasetsDock) window->resizeDocks({datasetsDock}, {190}, Qt::Vertical);
    QTest::qWait(300);  // the queued relayout of the plots
    EXPECT_TRUE(window->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("sae.png"))));
}

} // namespace
