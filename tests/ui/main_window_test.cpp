// The main window end to end on a tiny random checkpoint: load through the
// worker thread, type a Russian sentence, run, read the heatmap, switch the
// quantity without re-running; failing loads, cancellation, stale results,
// drag and drop, the worker's queue on its own, and the settings registry.

#include "qt_test_app.h"

#include "checkpoint_fixture.h"
#include "heatmap_widget.h"
#include "analysis_worker.h"
#include "cache_test_support.h"
#include "main_window.h"
#include "model_info_panel.h"
#include "dataset_browser.h"
#include "sentence_panel.h"
#include "settings.h"

#include "grammascope/layer_view.h"

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

namespace {

using gs::ui::AnalysisWorker;
using gs::ui::MainWindow;
using gs::ui::Settings;

constexpr int kTimeoutMs = 60000;  // generous: the machine is shared
const QString kSentence = QStringLiteral("Мама мыла раму, а ёж спал.");

QString toQString(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

QStringList displayTokens(const gs::ui::SentenceResult& result) {
    QStringList tokens;
    for (const gs::Token& token : result.encoding.tokens) tokens << QString::fromStdString(gs::displayTokenText(token));
    return tokens;
}

// QTest::keyClicks() only knows Latin-1 keys; type any text as real key events.
void typeText(QWidget* widget, const QString& text) {
    for (const QChar ch : text)
        QTest::sendKeyEvent(QTest::Click, widget, Qt::Key(ch.toUpper().unicode()), QString(ch), Qt::NoModifier);
}

class MainWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        ASSERT_TRUE(settingsDir.isValid());
        const gs::Status status = gs::testing::writeRandomCheckpoint(modelDir.path(), gs::testing::FixtureOptions{});
        ASSERT_TRUE(status.isOk()) << status.message();
        settings = std::make_unique<Settings>(settingsDir.filePath(QStringLiteral("settings.ini")));
        settings->setCacheLocation(settingsDir.filePath(QStringLiteral("cache.sqlite")));  // never the user's cache
        window = std::make_unique<MainWindow>(*settings);
        window->resize(1200, 720);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }

    QString modelPath() const { return toQString(modelDir.path()); }

    bool waitIdle() {
        return QTest::qWaitFor([this] { return !window->isBusy(); }, kTimeoutMs);
    }

    ::testing::AssertionResult loadModel() {
        window->openModel(modelPath());
        if (!waitIdle()) return ::testing::AssertionFailure() << "model load did not finish";
        if (!window->hasModel())
            return ::testing::AssertionFailure() << "no model: " << window->statusMessage().toStdString();
        return ::testing::AssertionSuccess();
    }

    ::testing::AssertionResult runSentence(const QString& text) {
        window->setSentence(text);
        window->run();
        if (!QTest::qWaitFor([this] { return !window->isBusy() && window->heatmapWidget()->hasData(); }, kTimeoutMs))
            return ::testing::AssertionFailure() << "no heatmap: " << window->statusMessage().toStdString();
        return ::testing::AssertionSuccess();
    }

    template <typename T>
    T* child(const char* name) const {
        return window->findChild<T*>(QString::fromLatin1(name));
    }

    gs::testing::TempDir modelDir{"gs-ui-model"};
    QTemporaryDir settingsDir;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<MainWindow> window;  // last: destroyed first
};

TEST_F(MainWindowTest, LoadsTypesRunsAndSwitchesQuantityWithoutRerunning) {
    ASSERT_TRUE(loadModel());
    const QString info = window->modelInfoPanel()->plainText();
    EXPECT_TRUE(info.contains(QStringLiteral("Hidden size"))) << info.toStdString();
    EXPECT_TRUE(info.contains(QStringLiteral("32"))) << info.toStdString();
    EXPECT_EQ(settings->recentModelFolders().value(0), QDir::cleanPath(modelPath()));

    gs::testing::SignalLog encoded(window->worker(), &AnalysisWorker::sentenceReady);
    auto* edit = child<QLineEdit>("sentenceEdit");
    ASSERT_NE(edit, nullptr);
    edit->setFocus();
    typeText(edit, kSentence);
    ASSERT_EQ(edit->text(), kSentence);
    QTest::keyClick(edit, Qt::Key_Return);
    EXPECT_TRUE(window->isBusy());
    ASSERT_TRUE(QTest::qWaitFor([this] { return !window->isBusy() && window->heatmapWidget()->hasData(); }, kTimeoutMs))
        << window->statusMessage().toStdString();
    EXPECT_EQ(encoded.count(), 1);

    gs::ui::HeatmapWidget* heatmap = window->heatmapWidget();
    const gs::ui::SentenceResultPtr result = window->currentResult();
    ASSERT_TRUE(result);
    const QStringList tokens = displayTokens(*result);
    EXPECT_EQ(heatmap->columnTickLabels(), tokens);
    EXPECT_EQ(tokens.front(), QStringLiteral("[CLS]"));
    EXPECT_EQ(tokens.back(), QStringLiteral("[SEP]"));
    EXPECT_TRUE(tokens.contains(QStringLiteral("ёж"))) << tokens.join(QLatin1Char(' ')).toStdString();
    EXPECT_EQ(heatmap->heatmap().rows, 3);  // embeddings + 2 layers
    EXPECT_EQ(heatmap->rowTickLabels().front(), QStringLiteral("emb"));
    EXPECT_EQ(heatmap->title(), kSentence);

    // Another quantity is computed from the cached result: no second forward pass.
    auto* combo = child<QComboBox>("quantityCombo");
    ASSERT_NE(combo, nullptr);
    ASSERT_GE(combo->count(), 2);
    const std::vector<float> before = heatmap->heatmap().values;
    const int next = (combo->currentIndex() + 1) % combo->count();
    combo->setCurrentIndex(next);
    const gs::LayerQuantityInfo& quantity = gs::layerQuantities()[std::size_t(next)];
    EXPECT_EQ(heatmap->colorScaleLabel(), QString::fromUtf8(quantity.label));
    EXPECT_NE(heatmap->heatmap().values, before);
    EXPECT_EQ(heatmap->columnTickLabels(), tokens);
    EXPECT_EQ(settings->lastQuantity(), QLatin1String(quantity.id));

    // Words instead of tokens: also without running the model again.
    auto* words = child<QCheckBox>("groupingCheck");
    ASSERT_NE(words, nullptr);
    words->setChecked(true);
    EXPECT_LE(heatmap->heatmap().cols, int(result->numTokens()));
    EXPECT_EQ(heatmap->plot()->xAxis->label(), QStringLiteral("Word"));
    EXPECT_EQ(settings->grouping(), gs::TokenGrouping::Words);
    words->setChecked(false);
    EXPECT_EQ(heatmap->columnTickLabels(), tokens);
    QApplication::processEvents();
    EXPECT_EQ(encoded.count(), 1);

    const QString shots = qEnvironmentVariableIsSet("GRAMMASCOPE_SCREENSHOT_DIR")
        ? qEnvironmentVariable("GRAMMASCOPE_SCREENSHOT_DIR") : QStringLiteral(GRAMMASCOPE_SCREENSHOT_DIR);
    ASSERT_TRUE(QDir().mkpath(shots));
    const QImage shot = window->grab().toImage();
    ASSERT_FALSE(shot.isNull());
    EXPECT_TRUE(shot.save(QDir(shots).filePath(QStringLiteral("main_window.png"))));
}

TEST_F(MainWindowTest, FailingLoadShowsAnErrorNamingTheFileAndTheWindowStaysUsable) {
    ASSERT_TRUE(loadModel());
    gs::testing::TempDir broken("gs-ui-broken");  // no config.json
    const QString brokenPath = toQString(broken.path());
    window->openModel(brokenPath);
    ASSERT_TRUE(waitIdle());
    QMessageBox* box = nullptr;
    ASSERT_TRUE(QTest::qWaitFor([&] { return (box = child<QMessageBox>("loadErrorBox")) && box->isVisible(); }, kTimeoutMs));
    EXPECT_TRUE(box->text().contains(QDir::toNativeSeparators(QDir::cleanPath(brokenPath)))) << box->text().toStdString();
    EXPECT_TRUE(box->informativeText().contains(QStringLiteral("config.json"))) << box->informativeText().toStdString();
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("Could not load")));
    box->accept();

    // The model loaded before is still there and runs.
    EXPECT_TRUE(window->hasModel());
    EXPECT_EQ(window->modelDirectory(), QDir::cleanPath(modelPath()));
    ASSERT_TRUE(runSentence(kSentence));
    EXPECT_FALSE(settings->recentModelFolders().contains(QDir::cleanPath(brokenPath)));
}

TEST_F(MainWindowTest, CancelLeavesTheWindowIdleAndTheNextRunWorks) {
    ASSERT_TRUE(loadModel());
    // Counted on the GUI thread (queued), after the window has seen the same signal.
    int finished = 0;
    QObject counter;
    QObject::connect(window->worker(), &AnalysisWorker::sentenceReady, &counter, [&finished] { ++finished; });
    QObject::connect(window->worker(), &AnalysisWorker::cancelled, &counter, [&finished] { ++finished; });

    window->setSentence(kSentence);
    window->run();
    ASSERT_TRUE(window->isBusy());
    auto* cancel = child<QPushButton>("cancelButton");
    ASSERT_NE(cancel, nullptr);
    ASSERT_TRUE(cancel->isEnabled());
    cancel->click();
    EXPECT_FALSE(window->isBusy());
    EXPECT_FALSE(cancel->isEnabled());
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("Cancelled")));

    // Whether the worker stopped the job or finished it first, its result is dropped.
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished == 1; }, kTimeoutMs));
    EXPECT_FALSE(window->heatmapWidget()->hasData());
    EXPECT_FALSE(window->currentResult());

    // A cancel does not leak into the next request.
    ASSERT_TRUE(runSentence(kSentence));
    EXPECT_EQ(window->heatmapWidget()->columnTickLabels(), displayTokens(*window->currentResult()));

    // Esc cancels too (a window shortcut: the window must be active).
    window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
    auto* edit = child<QLineEdit>("sentenceEdit");
    edit->setFocus();
    finished = 0;
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);  // Ctrl+Return runs
    ASSERT_TRUE(window->isBusy());
    QTest::keyClick(edit, Qt::Key_Escape);
    EXPECT_FALSE(window->isBusy());
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("Cancelled")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished == 1; }, kTimeoutMs));
}

TEST_F(MainWindowTest, PastedTextOverSeveralLinesBecomesOneSentence) {
    auto* edit = child<QLineEdit>("sentenceEdit");
    ASSERT_NE(edit, nullptr);
    QGuiApplication::clipboard()->setText(QStringLiteral("Мама мыла\nраму,\tа ёж спал."));
    edit->setFocus();
    edit->paste();
    EXPECT_EQ(window->sentencePanel()->sentence(), kSentence);
}

TEST_F(MainWindowTest, A2000WordSentenceIsTruncatedWithAVisibleWarning) {
    ASSERT_TRUE(loadModel());
    QStringList words;
    for (int i = 0; i < 2000; ++i) words << QStringLiteral("мама");
    ASSERT_TRUE(runSentence(words.join(QLatin1Char(' '))));
    const QString title = window->heatmapWidget()->title();
    EXPECT_TRUE(title.contains(QStringLiteral("[truncated: first "))) << title.toStdString();
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("truncated"))) << window->statusMessage().toStdString();
}

TEST_F(MainWindowTest, OnlyTheLatestRunIsShown) {
    ASSERT_TRUE(loadModel());
    window->setSentence(QStringLiteral("Мама мыла раму."));
    window->run();
    const QString second = QStringLiteral("Кот спал, а она делала кашу.");
    ASSERT_TRUE(runSentence(second));
    EXPECT_EQ(window->heatmapWidget()->title(), second);
    EXPECT_TRUE(window->heatmapWidget()->columnTickLabels().contains(QStringLiteral("кашу")));
}

TEST_F(MainWindowTest, CommandLineStyleOpenRunsTheSentenceOnceLoaded) {
    window->setSentence(kSentence);
    window->openModel(modelPath(), true);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !window->isBusy() && window->heatmapWidget()->hasData(); }, kTimeoutMs))
        << window->statusMessage().toStdString();
    EXPECT_EQ(window->heatmapWidget()->title(), kSentence);
}

TEST_F(MainWindowTest, PairsFileShowsTheFirstPairOnceLoadedAndSwitchesSides) {
    const QString file = settingsDir.filePath(QStringLiteral("pairs.csv"));
    {
        QFile out(file);
        ASSERT_TRUE(out.open(QIODevice::WriteOnly));
        out.write("id,phenomenon,good,bad,good_word,bad_word,word_index\n"
                  "1,agreement,\"Мама мыла раму, а ёж спал.\",\"Мама мыли раму, а ёж спал.\",мыла,мыли,1\n"
                  "2,case,Кот видит мышь.,Кот видит мыши.,мышь,мыши,2\n");
    }
    window->openModel(modelPath());
    ASSERT_TRUE(window->openDataset(file, true)) << window->statusMessage().toStdString();
    gs::ui::DatasetBrowser* panel = window->datasetBrowser();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel->datasetCount() == 1; }, kTimeoutMs)) << window->statusMessage().toStdString();
    EXPECT_EQ(panel->pairCount(), 2);
    auto shows = [this](const QString& sentence) {
        return QTest::qWaitFor([&] {
            return !window->isBusy() && window->heatmapWidget()->hasData() &&
                   window->heatmapWidget()->title() == sentence;
        }, kTimeoutMs);
    };
    ASSERT_TRUE(shows(QStringLiteral("Мама мыла раму, а ёж спал."))) << window->statusMessage().toStdString();
    panel->setShowsBadSentence(true);
    ASSERT_TRUE(shows(QStringLiteral("Мама мыли раму, а ёж спал.")));
    panel->selectNext(1);
    EXPECT_EQ(panel->currentPair(), 1);
    ASSERT_TRUE(shows(QStringLiteral("Кот видит мыши.")));

    // A malformed file names itself and the line, and the list stays.
    const QString broken = settingsDir.filePath(QStringLiteral("broken.csv"));
    {
        QFile out(broken);
        ASSERT_TRUE(out.open(QIODevice::WriteOnly));
        out.write("id,phenomenon,good,bad\n1,x,\"unterminated,bad\n");
    }
    ASSERT_TRUE(window->openDataset(broken));  // read in the background
    ASSERT_TRUE(QTest::qWaitFor([&] { return window->statusMessage().contains(QStringLiteral("broken.csv")); }, kTimeoutMs));
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("broken.csv:2"))) << window->statusMessage().toStdString();
    EXPECT_EQ(panel->datasetCount(), 1);
    EXPECT_EQ(panel->pairCount(), 2);
}

// The shipped demo (resources/demo): the model Grammascope trained and the
// generated pairs; the first pair is on screen without any user action.
TEST_F(MainWindowTest, DemoOpensWithTheFirstPairOnScreen) {
    ASSERT_TRUE(window->openDemo()) << window->statusMessage().toStdString();
    gs::ui::DatasetBrowser* panel = window->datasetBrowser();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel->datasetCount() == 1; }, kTimeoutMs)) << window->statusMessage().toStdString();
    ASSERT_GT(panel->pairCount(), 0);
    const gs::DatasetItem* first = panel->item(0);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(panel->currentPair(), 0);
    const QString good = QString::fromStdString(first->good.text);
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return !window->isBusy() && window->heatmapWidget()->hasData() && window->heatmapWidget()->title() == good;
    }, kTimeoutMs)) << window->statusMessage().toStdString();
    EXPECT_EQ(window->currentResult()->numLayers, 4);
    // Every token of the demo pair is in the vocabulary (no <unk>).
    for (const gs::Token& t : window->currentResult()->encoding.tokens) EXPECT_NE(t.text, "<unk>");
    const QString shots = qEnvironmentVariableIsSet("GRAMMASCOPE_SCREENSHOT_DIR")
        ? qEnvironmentVariable("GRAMMASCOPE_SCREENSHOT_DIR") : QStringLiteral(GRAMMASCOPE_SCREENSHOT_DIR);
    ASSERT_TRUE(QDir().mkpath(shots));
    QTest::qWait(100);  // the queued relayout of the plot
    EXPECT_TRUE(window->grab().toImage().save(QDir(shots).filePath(QStringLiteral("demo.png"))));
}

TEST_F(MainWindowTest, DroppingAModelFolderOpensIt) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(modelPath())});
    const QPoint pos(200, 200);
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &drop);
    ASSERT_TRUE(waitIdle());
    EXPECT_TRUE(window->hasModel()) << window->statusMessage().toStdString();
    EXPECT_EQ(window->modelDirectory(), QDir::cleanPath(modelPath()));

    QMimeData text;
    text.setText(QStringLiteral("not a folder"));
    QDragEnterEvent refused(pos, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(window.get(), &refused);
    EXPECT_FALSE(refused.isAccepted());
}

// The worker on its own, living on the test thread (its jobs run as the
// event loop turns), cancelled from inside its progress reports: the core
// must stop between stages, and later requests must still run.
TEST(AnalysisWorkerTest, CancelsBetweenStagesAndLaterRequestsRun) {
    gs::testing::testApplication();
    gs::ui::registerAnalysisMetaTypes();
    gs::testing::TempDir dir("gs-ui-worker");
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(dir.path(), gs::testing::FixtureOptions{}).isOk());

    AnalysisWorker worker;  // no store opened: it keeps results in memory
    QSignalSpy loaded(&worker, &AnalysisWorker::modelLoaded);
    QSignalSpy ready(&worker, &AnalysisWorker::sentenceReady);
    QSignalSpy cancelled(&worker, &AnalysisWorker::cancelled);
    QSignalSpy failed(&worker, &AnalysisWorker::failed);
    QList<quint64> cancelAtFirstReport;
    QObject::connect(&worker, &AnalysisWorker::progress, [&](quint64 id, qint64, qint64) {
        if (cancelAtFirstReport.contains(id)) worker.cancel(id);
    });
    const QStringList analyses = gs::ui::layerAnalysisIds();
    auto settle = [&worker] { return QTest::qWaitFor([&worker] { return worker.isIdle(); }, kTimeoutMs); };

    const quint64 noModel = worker.analyseSentence(kSentence, analyses);
    ASSERT_TRUE(settle());
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(failed.at(0).at(0).toULongLong(), noModel);

    const quint64 firstLoad = worker.loadModel(toQString(dir.path()), gs::ModelOptions{});
    cancelAtFirstReport << firstLoad;
    ASSERT_TRUE(settle());
    ASSERT_EQ(cancelled.count(), 1);
    EXPECT_EQ(cancelled.at(0).at(0).toULongLong(), firstLoad);
    EXPECT_EQ(loaded.count(), 0);

    const quint64 secondLoad = worker.loadModel(toQString(dir.path()), gs::ModelOptions{});
    ASSERT_TRUE(settle());
    ASSERT_EQ(loaded.count(), 1) << (failed.count() > 1 ? failed.last().at(1).toString().toStdString() : "");
    EXPECT_EQ(loaded.at(0).at(0).toULongLong(), secondLoad);
    EXPECT_EQ(loaded.at(0).at(1).value<gs::ModelInfo>().config.numLayers, 2);

    const quint64 stopped = worker.analyseSentence(kSentence, analyses);
    cancelAtFirstReport << stopped;
    ASSERT_TRUE(settle());
    ASSERT_EQ(cancelled.count(), 2);
    EXPECT_EQ(cancelled.at(1).at(0).toULongLong(), stopped);
    EXPECT_EQ(ready.count(), 0);

    const quint64 shown = worker.analyseSentence(kSentence, analyses);
    ASSERT_TRUE(settle());
    ASSERT_EQ(ready.count(), 1);
    EXPECT_EQ(ready.at(0).at(0).toULongLong(), shown);
    const auto result = ready.at(0).at(1).value<gs::ui::SentenceResultPtr>();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->numLayers, 2);
    EXPECT_FALSE(result->fromCache);
    ASSERT_EQ(result->analyses.size(), std::size_t(3));
    for (const gs::SentenceAnalysis& analysis : result->analyses) {
        EXPECT_EQ(analysis.matrix.rows, 3);  // embeddings + 2 layers
        EXPECT_EQ(analysis.matrix.cols, int(result->numTokens()));
    }

    const quint64 early = worker.analyseSentence(kSentence, analyses);
    worker.cancel(early);  // before it starts
    ASSERT_TRUE(settle());
    EXPECT_EQ(cancelled.count(), 3);
    EXPECT_EQ(ready.count(), 1);

    // A newer sentence supersedes one still waiting: only the newest is answered.
    const quint64 older = worker.analyseSentence(QStringLiteral("Мама мыла раму."), analyses);
    const quint64 newer = worker.analyseSentence(QStringLiteral("Кот спал."), analyses);
    ASSERT_TRUE(settle());
    EXPECT_EQ(cancelled.last().at(0).toULongLong(), older);
    ASSERT_EQ(ready.count(), 2);
    EXPECT_EQ(ready.last().at(0).toULongLong(), newer);
}

TEST(SettingsTest, TypedValuesRoundTripAndRecentFoldersStayBounded) {
    gs::testing::testApplication();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    {
        Settings settings(file);
        EXPECT_EQ(settings.precision(), gs::Precision::Float32);
        EXPECT_EQ(settings.grouping(), gs::TokenGrouping::Tokens);
        EXPECT_EQ(settings.threadCount(), 0);
        for (int i = 0; i < 12; ++i) settings.addRecentModelFolder(QStringLiteral("/models/m%1").arg(i));
        settings.addRecentModelFolder(QStringLiteral("/models/m5/"));  // again, spelled differently
        settings.setPrecision(gs::Precision::BFloat16);
        settings.setDevicePreference(gs::DevicePreference::Cpu);
        settings.setThreadCount(3);
        settings.setGrouping(gs::TokenGrouping::Words);
        settings.setColorMap(gs::ui::ColorMap::Cividis);
        settings.setLastQuantity(QStringLiteral("cosine-to-last"));
        settings.sync();
    }
    Settings settings(file);
    const QStringList recent = settings.recentModelFolders();
    ASSERT_EQ(recent.size(), Settings::kMaxRecentModelFolders);
    EXPECT_EQ(recent.front(), QStringLiteral("/models/m5"));
    EXPECT_EQ(recent.at(1), QStringLiteral("/models/m11"));
    EXPECT_EQ(recent.count(QStringLiteral("/models/m5")), 1);
    EXPECT_FALSE(recent.contains(QStringLiteral("/models/m0")));
    EXPECT_EQ(settings.precision(), gs::Precision::BFloat16);
    EXPECT_EQ(settings.devicePreference(), gs::DevicePreference::Cpu);
    EXPECT_EQ(settings.threadCount(), 3);
    EXPECT_EQ(settings.grouping(), gs::TokenGrouping::Words);
    EXPECT_EQ(settings.colorMap(), gs::ui::ColorMap::Cividis);
    EXPECT_EQ(settings.lastQuantity(), QStringLiteral("cosine-to-last"));
    const gs::ModelOptions options = settings.modelOptions();
    EXPECT_EQ(options.precision, gs::Precision::BFloat16);
    EXPECT_EQ(options.threads, 3);

    // Words written by hand (or by a newer version) that are not understood fall back.
    {
        QSettings raw(file, QSettings::IniFormat);
        raw.setValue(QStringLiteral("model/precision"), QStringLiteral("fp8"));
        raw.setValue(QStringLiteral("model/threads"), -4);
    }
    Settings reread(file);
    EXPECT_EQ(reread.precision(), gs::Precision::Float32);
    EXPECT_EQ(reread.threadCount(), 0);
}

} // namespace
