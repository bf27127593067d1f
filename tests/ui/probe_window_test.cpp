// Probes in the main window on a tiny random checkpoint: the dialog (tasks
// the dataset cannot give are disabled with their reason), a training from
// the dialog on the worker thread that ends in the Probes panel (the set
// listed, one plot point and one table row per layer, the learning curve),
// the probe-confidence heatmaps of a pair and of a sentence (tokens x layers,
// values in [0, 1], a fixed 0..1 colour bar, class switch without the worker),
// the sets listed again by a new window without retraining, cancelling a
// training (Esc), and a screenshot on the built-in demo (probes.png).

#include "qt_test_app.h"

#include "analysis_worker.h"
#include "cache_test_support.h"
#include "checkpoint_fixture.h"
#include "dataset_browser.h"
#include "demo_assets.h"
#include "heatmap_widget.h"
#include "main_window.h"
#include "probe_dialog.h"
#include "probe_panel.h"
#include "probe_view.h"
#include "settings.h"

#include <qcustomplot.h>

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMessageBox>
#include <QToolButton>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <future>

namespace {

using gs::testing::SignalLog;
using gs::ui::AnalysisWorker;
using gs::ui::MainWindow;

constexpr int kTimeoutMs = 120000;  // generous: the machine is shared
const QString kSentence = QStringLiteral("Мама видит кашу и кот.");

QString screenshotDir() {
    return qEnvironmentVariableIsSet("GRAMMASCOPE_SCREENSHOT_DIR") ? qEnvironmentVariable("GRAMMASCOPE_SCREENSHOT_DIR")
                                                                   : QStringLiteral(GRAMMASCOPE_SCREENSHOT_DIR);
}

// Probabilities in every cell but those of the special tokens ([CLS], [SEP]:
// never probe examples, shown as n/a).
::testing::AssertionResult valuesAreProbabilities(const gs::Heatmap& heatmap) {
    for (int r = 0; r < heatmap.rows; ++r)
        for (int c = 0; c < heatmap.cols; ++c) {
            const float v = heatmap.at(r, c);
            const std::string& label = heatmap.colLabels.at(std::size_t(c));
            const bool special = label == "[CLS]" || label == "[SEP]";
            if (special && !std::isnan(v)) return ::testing::AssertionFailure() << label << " has a value: " << v;
            if (!special && !(v >= 0.f && v <= 1.f))
                return ::testing::AssertionFailure() << "value " << v << " of " << label << " outside [0, 1]";
        }
    return ::testing::AssertionSuccess();
}

class ProbeWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        ASSERT_TRUE(dir.isValid());
        ASSERT_TRUE(gs::testing::writeRandomCheckpoint(modelDir.path(), gs::testing::FixtureOptions{}).isOk());
        settings = std::make_unique<gs::ui::Settings>(dir.filePath(QStringLiteral("settings.ini")));
        settings->setCacheLocation(dir.filePath(QStringLiteral("cache.sqlite")));  // never the user's cache
        openWindow();
    }

    void openWindow() {
        window = std::make_unique<MainWindow>(*settings);
        window->resize(1400, 860);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }

    ::testing::AssertionResult loadModel(const QString& folder = {}) {
        window->openModel(folder.isEmpty() ? QString::fromStdString(modelDir.path().string()) : folder);
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

    gs::ui::ProbePanel* panel() const { return window->probePanel(); }
    gs::ui::ProbeView* view() const { return window->probeView(); }

    bool waitTrained() {
        return QTest::qWaitFor([this] { return !window->isTrainingProbes(); }, kTimeoutMs);
    }
    bool waitConfidence(int sides) {
        return QTest::qWaitFor([&] {
            if (window->isComputingProbeConfidence()) return false;
            for (int s = 0; s < sides; ++s)
                if (!view()->heatmap(s)->hasData()) return false;
            return true;
        }, kTimeoutMs);
    }

    QTemporaryDir dir;
    gs::testing::TempDir modelDir{"gs-ui-probes"};
    std::unique_ptr<gs::ui::Settings> settings;
    std::unique_ptr<MainWindow> window;  // last: destroyed first
};

TEST_F(ProbeWindowTest, TrainsFromTheDialogAndShowsTheSetItsReportAndItsConfidence) {
    ASSERT_TRUE(loadModel());
    ASSERT_TRUE(openPairs(24));
    const int layers = 3;  // embeddings + the fixture's 2 layers

    gs::ui::ProbeDialog* dialog = window->showProbeDialog();
    ASSERT_NE(dialog, nullptr) << window->statusMessage().toStdString();
    EXPECT_TRUE(dialog->isTaskEnabled(QStringLiteral("changed")));
    EXPECT_TRUE(dialog->isTaskEnabled(QStringLiteral("grammatical")));
    EXPECT_FALSE(dialog->isTaskEnabled(QStringLiteral("upos")));
    EXPECT_TRUE(dialog->taskToolTip(QStringLiteral("upos")).contains(QStringLiteral("Universal Dependencies")));
    EXPECT_FALSE(dialog->isTaskEnabled(QStringLiteral("polypersonal")));
    ASSERT_TRUE(dialog->setTask(QStringLiteral("changed")));
    dialog->findChild<QCheckBox*>(QStringLiteral("probeCurveCheck"))->setChecked(true);
    ASSERT_TRUE(dialog->canTrain()) << dialog->problemText().toStdString();
    auto* train = dialog->findChild<QPushButton*>(QStringLiteral("probeTrainButton"));
    ASSERT_NE(train, nullptr);
    SignalLog progress(window->worker(), &AnalysisWorker::probeTrainProgress);
    train->click();
    ASSERT_TRUE(window->isTrainingProbes());
    EXPECT_TRUE(panel()->isTraining());
    ASSERT_TRUE(waitTrained());
    EXPECT_FALSE(window->statusMessage().contains(QStringLiteral("failed"))) << window->statusMessage().toStdString();
    EXPECT_GT(progress.count(), 0);
    EXPECT_FALSE(panel()->isTraining());

    // Listed, chosen, and its report drawn: one point and one row per layer.
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() == 1 && panel()->currentSet(); }, kTimeoutMs));
    const gs::ProbeSet& set = *panel()->currentSet();
    EXPECT_EQ(set.spec.task, "changed");
    ASSERT_EQ(int(set.reports.size()), layers);
    QCustomPlot* plot = panel()->layerPlot();
    QCPGraph* accuracy = nullptr;
    for (int g = 0; g < plot->graphCount(); ++g)
        if (plot->graph(g)->name() == QStringLiteral("Accuracy")) accuracy = plot->graph(g);
    ASSERT_NE(accuracy, nullptr);
    EXPECT_EQ(accuracy->dataCount(), layers);
    EXPECT_TRUE(plot->yAxis2->visible());  // MI in bits on the right
    EXPECT_GE(plot->legend->itemCount(), 4);
    EXPECT_EQ(panel()->layerTable()->rowCount(), layers);
    const QString table = panel()->layerTableText();
    EXPECT_TRUE(table.startsWith(QStringLiteral("Layer\tAccuracy\tMacro-F1\tMajority\tRandom\tControl")))
        << table.toStdString();
    // The random-representation baseline: one value, drawn and in every row's tooltip.
    ASSERT_TRUE(std::isfinite(set.reports[0].randomAccuracy));
    QCPGraph* random = nullptr;
    for (int g = 0; g < plot->graphCount(); ++g)
        if (plot->graph(g)->name() == QStringLiteral("Random vectors")) random = plot->graph(g);
    ASSERT_NE(random, nullptr);
    EXPECT_EQ(random->dataCount(), layers);
    EXPECT_TRUE(panel()->layerToolTip(0).contains(QStringLiteral("Random representation")));
    EXPECT_EQ(table.count(QLatin1Char('\n')), layers + 1);
    panel()->copyLayerTable();
    EXPECT_EQ(QApplication::clipboard()->text(), table);
    EXPECT_TRUE(panel()->layerToolTip(1).contains(QStringLiteral("Selectivity")));
    EXPECT_TRUE(panel()->plotTabs()->isTabEnabled(1));  // the learning curve
    ASSERT_GT(panel()->curvePlot()->graphCount(), 0);
    EXPECT_GT(panel()->curvePlot()->graph(0)->dataCount(), 1);

    // The confidence of the current pair, side by side (the task is about pairs).
    EXPECT_EQ(window->viewTabs()->currentWidget(), view());
    EXPECT_TRUE(view()->pairMode());
    ASSERT_TRUE(waitConfidence(2)) << window->statusMessage().toStdString();
    EXPECT_EQ(view()->className(), QStringLiteral("yes"));
    for (int side = 0; side < 2; ++side) {
        const gs::Heatmap& heatmap = view()->heatmap(side)->heatmap();
        EXPECT_EQ(heatmap.rows, layers);
        EXPECT_GT(heatmap.cols, 3);
        EXPECT_TRUE(valuesAreProbabilities(heatmap));
        EXPECT_DOUBLE_EQ(view()->heatmap(side)->colorRange().lower, 0.0);
        EXPECT_DOUBLE_EQ(view()->heatmap(side)->colorRange().upper, 1.0);
    }
    EXPECT_TRUE(view()->heatmap(1)->title().startsWith(QStringLiteral("Ungrammatical: Мама видят")))
        << view()->heatmap(1)->title().toStdString();

    // The sentence in the input: tokens x layers, Cyrillic labels.
    view()->setPairMode(false);
    window->setSentence(kSentence);
    window->run();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return !window->isComputingProbeConfidence() && view()->heatmap(0)->title() == kSentence;
    }, kTimeoutMs));
    const gs::Heatmap yes = view()->heatmap(0)->heatmap();
    EXPECT_EQ(yes.rows, layers);
    EXPECT_TRUE(valuesAreProbabilities(yes));
    EXPECT_TRUE(view()->heatmap(0)->columnTickLabels().join(QString()).contains(QStringLiteral("М")));
    EXPECT_EQ(view()->heatmap(0)->colorScaleLabel(), QStringLiteral("P(yes)"));
    // Another class redraws at once, from the result at hand.
    view()->setClassIndex(0);
    EXPECT_FALSE(window->isComputingProbeConfidence());
    const gs::Heatmap& no = view()->heatmap(0)->heatmap();
    ASSERT_EQ(no.values.size(), yes.values.size());
    for (std::size_t i = 0; i < no.values.size(); ++i)
        if (!std::isnan(no.values[i])) {
            EXPECT_NEAR(no.values[i] + yes.values[i], 1.0f, 1e-4f);
        }
    EXPECT_EQ(view()->heatmap(0)->colorScaleLabel(), QStringLiteral("P(no)"));

    // A new session lists the stored set without training.
    const std::string name = set.name;
    window.reset();
    openWindow();
    ASSERT_TRUE(loadModel());
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() == 1; }, kTimeoutMs));
    EXPECT_EQ(panel()->probeSets().front().name, name);
    EXPECT_EQ(int(panel()->probeSets().front().reports.size()), layers);

    // Export writes the weights and the report; Delete asks, then removes the set.
    SignalLog exported(window->worker(), &AnalysisWorker::probeSetExported);
    const QString folder = dir.filePath(QStringLiteral("exported"));
    window->worker()->exportProbeSet(QString::fromStdString(name), folder);
    ASSERT_TRUE(exported.wait(kTimeoutMs)) << window->statusMessage().toStdString();
    EXPECT_TRUE(QFileInfo::exists(folder + QStringLiteral("/probes.safetensors")));
    EXPECT_TRUE(QFileInfo::exists(folder + QStringLiteral("/probes.json")));
    panel()->findChild<QToolButton*>(QStringLiteral("probeDeleteButton"))->click();
    auto* box = window->findChild<QMessageBox*>(QStringLiteral("deleteProbeSetBox"));
    ASSERT_NE(box, nullptr);
    QAbstractButton* remove = nullptr;
    for (QAbstractButton* button : box->buttons())
        if (box->buttonRole(button) == QMessageBox::DestructiveRole) remove = button;
    ASSERT_NE(remove, nullptr);
    remove->click();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() == 0; }, kTimeoutMs));
    window->showProbeConfidence();
    EXPECT_TRUE(view()->heatmap(0)->emptyMessage().contains(QStringLiteral("Train probes")));
}

TEST_F(ProbeWindowTest, TheDialogOffersTheFeaturesOfAnAnnotatedDataset) {
    gs::Dataset dataset;
    ASSERT_TRUE(gs::readDataset(GRAMMASCOPE_TEST_DATA_DIR "/ui/ud.conllu", gs::DatasetReadOptions{}, dataset).isOk());
    const auto open = gs::ui::buildOpenDataset(std::move(dataset), QStringLiteral("ud.conllu"));
    const gs::ui::ProbeDatasetFacts facts = gs::ui::probeDatasetFacts(*open);
    EXPECT_GT(facts.udItems, 0);
    EXPECT_TRUE(facts.udFeatures.contains(QStringLiteral("Case"))) << facts.udFeatures.join(QLatin1Char(',')).toStdString();
    gs::ui::ProbeDialog dialog(facts, 2);
    EXPECT_FALSE(dialog.isTaskEnabled(QStringLiteral("changed")));  // single sentences
    EXPECT_TRUE(dialog.taskToolTip(QStringLiteral("changed")).contains(QStringLiteral("pairs")));
    EXPECT_TRUE(dialog.isTaskEnabled(QStringLiteral("upos")));
    ASSERT_TRUE(dialog.setTask(QStringLiteral("ud:Case")));
    EXPECT_EQ(dialog.task(), QStringLiteral("ud:Case"));
    dialog.findChild<QLineEdit*>(QStringLiteral("probeLayersEdit"))->setText(QStringLiteral("0-1, 7"));
    EXPECT_FALSE(dialog.canTrain());  // layer 7 does not exist
    dialog.findChild<QLineEdit*>(QStringLiteral("probeLayersEdit"))->setText(QStringLiteral("emb, 2"));
    EXPECT_TRUE(dialog.canTrain()) << dialog.problemText().toStdString();
    const gs::ProbeTrainRequest request = dialog.request();
    EXPECT_EQ(request.spec.task, "ud:Case");
    EXPECT_EQ(request.layers, (std::vector<int>{0, 2}));
    // The choices survive a round trip through the settings.
    gs::ProbeTrainRequest back;
    ASSERT_TRUE(gs::ui::probeRequestFromJson(gs::ui::probeRequestToJson(request), back));
    EXPECT_EQ(back.spec.task, request.spec.task);
    EXPECT_EQ(back.layers, request.layers);
    EXPECT_EQ(back.options.mdl, request.options.mdl);
}

TEST_F(ProbeWindowTest, EscCancelsATrainingAndNothingIsStored) {
    ASSERT_TRUE(loadModel());
    ASSERT_TRUE(openPairs(400));
    gs::ProbeTrainRequest request;
    request.spec.task = "changed";
    request.learningCurve = true;  // long enough to be cancelled on the way
    request.reuse = false;
    SignalLog progress(window->worker(), &AnalysisWorker::probeTrainProgress);
    SignalLog cancelled(window->worker(), &AnalysisWorker::cancelled);
    // The worker waits in its first progress report until Esc was pressed,
    // so that the training cannot end before the cancel (on any machine).
    std::promise<void> escPressed;
    std::shared_future<void> released = escPressed.get_future().share();
    QObject holder;
    QObject::connect(window->worker(), &AnalysisWorker::probeTrainProgress, &holder, [released] {
        released.wait_for(std::chrono::milliseconds(kTimeoutMs));
    }, Qt::DirectConnection);
    const quint64 id = window->trainProbes(request);
    ASSERT_NE(id, 0u);
    ASSERT_TRUE(progress.wait(kTimeoutMs));
    EXPECT_TRUE(window->isTrainingProbes());
    QTest::keyClick(window.get(), Qt::Key_Escape);
    EXPECT_TRUE(panel()->trainingText().contains(QStringLiteral("Cancelling")));
    escPressed.set_value();
    ASSERT_TRUE(waitTrained());
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("cancelled"))) << window->statusMessage().toStdString();
    ASSERT_GE(cancelled.count(), 1);
    EXPECT_EQ(cancelled.last().at(0).toULongLong(), id);
    EXPECT_EQ(panel()->setCount(), 0);
    // The worker is free again: a sentence runs.
    window->setSentence(kSentence);
    window->run();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !window->isBusy() && window->heatmapWidget()->hasData(); }, kTimeoutMs));
}

// On the worker alone: a sentence asked for during a training is served
// between its steps, and a store change stops the training, which then starts
// again on the new store and ends normally under the same id.
TEST(ProbeWorkerTest, ServesSentencesBetweenStepsAndRestartsAfterAStoreChange) {
    gs::testing::testApplication();
    QTemporaryDir tmp;
    gs::testing::TempDir model{"gs-ui-probe-worker"};
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(model.path(), gs::testing::FixtureOptions{}).isOk());
    gs::ui::AnalysisThread thread;
    AnalysisWorker* worker = thread.worker();
    const QString store = tmp.filePath(QStringLiteral("cache.sqlite"));
    SignalLog opened(worker, &AnalysisWorker::storeOpened);
    worker->openStore(store, 0);
    ASSERT_TRUE(opened.wait(kTimeoutMs));
    SignalLog loaded(worker, &AnalysisWorker::modelLoaded);
    worker->loadModel(QString::fromStdString(model.path().string()), gs::ModelOptions{});
    ASSERT_TRUE(loaded.wait(kTimeoutMs));
    const QString file = tmp.filePath(QStringLiteral("pairs.csv"));
    ASSERT_TRUE(gs::testing::writeGeneratedPairs(file, 30));
    gs::Dataset dataset;
    ASSERT_TRUE(gs::readDataset(file.toStdString(), gs::DatasetReadOptions{}, dataset).isOk());
    const auto pairs = gs::ui::buildOpenDataset(std::move(dataset), file);

    SignalLog ready(worker, &AnalysisWorker::sentenceReady);
    SignalLog trained(worker, &AnalysisWorker::probeSetTrained);
    SignalLog cancelled(worker, &AnalysisWorker::cancelled);
    QStringList order;
    QObject receiver;
    QObject::connect(worker, &AnalysisWorker::sentenceReady, &receiver, [&] { order << QStringLiteral("sentence"); });
    QObject::connect(worker, &AnalysisWorker::probeSetTrained, &receiver, [&] { order << QStringLiteral("probes"); });
    // On the worker thread: a click on a sentence at the first report, a store change at the second.
    std::atomic<int> reports{0};
    std::atomic<int> sentenceAt{-1};  // reports seen when the sentence was ready
    QObject::connect(worker, &AnalysisWorker::probeTrainProgress, worker, [&](quint64, const gs::ui::ProbeTrainStatus&) {
        const int n = reports.fetch_add(1);
        if (n == 0) worker->analyseSentence(kSentence, gs::ui::layerAnalysisIds());
        if (n == 1) worker->openStore(store, 0);
    }, Qt::DirectConnection);
    QObject::connect(worker, &AnalysisWorker::sentenceReady, worker, [&] { sentenceAt = reports.load(); },
                     Qt::DirectConnection);
    gs::ProbeTrainRequest request;
    request.spec.task = "changed";
    request.options.mdl = request.options.slicedMi = false;
    const quint64 id = worker->trainProbes(pairs, request);
    ASSERT_TRUE(trained.wait(kTimeoutMs));
    EXPECT_EQ(trained.last().at(0).toULongLong(), id);
    EXPECT_EQ(cancelled.count(), 0);
    ASSERT_EQ(ready.count(), 1);
    EXPECT_EQ(order, (QStringList{QStringLiteral("sentence"), QStringLiteral("probes")}));
    EXPECT_EQ(sentenceAt.load(), 1);  // served right after the first step, not after the training
    EXPECT_GE(opened.count(), 2);  // the store was opened again while the training waited
    const auto report = trained.last().at(1).value<gs::ui::ProbeTrainReport>();
    ASSERT_TRUE(report.set);
    EXPECT_EQ(report.set->reports.size(), 3u);
    EXPECT_FALSE(report.reused);
    QObject::disconnect(worker, &AnalysisWorker::probeTrainProgress, worker, nullptr);
    QObject::disconnect(worker, &AnalysisWorker::sentenceReady, worker, nullptr);
}

// The README's probe screenshot: the demo model and pairs, probes for the
// polypersonal verb form, the confidence of a polypersonal pair side by side
// and the per-layer plot.
TEST_F(ProbeWindowTest, ScreenshotOfProbesOnTheDemo) {
    if (!gs::ui::findDemoAssets().found()) GTEST_SKIP() << "the built-in demo is not there";
    ASSERT_TRUE(window->openDemo()) << window->statusMessage().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return window->hasModel() && !window->isBusy() && window->datasetBrowser()->currentDataset();
    }, kTimeoutMs));
    gs::ui::ProbeDialog* dialog = window->showProbeDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(dialog->setTask(QStringLiteral("polypersonal")));
    dialog->findChild<QCheckBox*>(QStringLiteral("probeCurveCheck"))->setChecked(true);
    ASSERT_TRUE(QDir().mkpath(screenshotDir()));
    EXPECT_TRUE(dialog->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("probe_dialog.png"))));
    dialog->accept();
    ASSERT_TRUE(window->isTrainingProbes());
    ASSERT_TRUE(waitTrained());
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel()->setCount() >= 1 && panel()->currentSet(); }, kTimeoutMs));
    ASSERT_TRUE(waitConfidence(2)) << window->statusMessage().toStdString();
    // A polypersonal pair: «Сейчас братья готовят / готовятете пироги.»
    gs::ui::DatasetBrowser* browser = window->datasetBrowser();
    browser->setPhenomenonFilter(QStringLiteral("polypersonal_agreement"));
    browser->selectPair(2402);
    ASSERT_EQ(browser->item(2402)->phenomenon, "polypersonal_agreement");
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return view()->heatmap(1)->title().contains(QStringLiteral("готовятете")) && waitConfidence(2);
    }, kTimeoutMs)) << view()->heatmap(1)->title().toStdString();
    QTest::qWait(200);  // the queued relayout of the plots
    EXPECT_TRUE(window->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("probes.png"))));
    panel()->plotTabs()->setCurrentIndex(1);
    QTest::qWait(100);
    EXPECT_TRUE(panel()->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("probes_curve.png"))));
}

} // namespace
