// The analysis worker on its own thread with a real results store (a temp
// file): cache hits without a forward pass, a dataset run that streams its
// results, a sentence served between the batches of a run, a store change
// that stops a run which then resumes, cancel and continue, the scan of what
// is cached, and a damaged store moved aside (renamed, never deleted).

#include "qt_test_app.h"

#include "analysis_worker.h"
#include "cache_test_support.h"
#include "checkpoint_fixture.h"

#include "grammascope/dataset.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <set>

namespace {

using gs::testing::SignalLog;
using gs::ui::AnalysisWorker;
using gs::ui::DatasetCacheUpdate;
using gs::ui::DatasetRunProgress;
using gs::ui::DatasetRunReport;

constexpr int kTimeoutMs = 120000;  // generous: the machine is shared
constexpr int kPairs = 120;

class AnalysisWorkerCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        ASSERT_TRUE(tmp.isValid());
        ASSERT_TRUE(gs::testing::writeRandomCheckpoint(modelDir.path(), gs::testing::FixtureOptions{}).isOk());
        thread = std::make_unique<gs::ui::AnalysisThread>();
        SignalLog opened(worker(), &AnalysisWorker::storeOpened);
        worker()->openStore(storePath(), 0);
        ASSERT_TRUE(opened.wait(kTimeoutMs));
        ASSERT_TRUE(opened.at(0).at(1).value<gs::ui::StoreState>().persistent);
        SignalLog loaded(worker(), &AnalysisWorker::modelLoaded);
        worker()->loadModel(QString::fromStdString(modelDir.path().string()), gs::ModelOptions{});
        ASSERT_TRUE(loaded.wait(kTimeoutMs));
    }

    AnalysisWorker* worker() const { return thread->worker(); }
    QString storePath() const { return tmp.filePath(QStringLiteral("cache.sqlite")); }

    gs::ui::OpenDatasetPtr pairs(int count) const {
        const QString file = tmp.filePath(QStringLiteral("pairs-%1.csv").arg(count));
        EXPECT_TRUE(gs::testing::writeGeneratedPairs(file, count));
        gs::Dataset dataset;
        EXPECT_TRUE(gs::readDataset(file.toStdString(), gs::DatasetReadOptions{}, dataset).isOk());
        return gs::ui::buildOpenDataset(std::move(dataset), file);
    }

    // Items with both sentences cached according to the updates received.
    static int fullyCached(const SignalLog& updates, const gs::ui::OpenDatasetPtr& dataset) {
        std::map<int, int> sides;
        for (const QList<QVariant>& args : updates.calls) {
            const auto update = args.at(1).value<DatasetCacheUpdate>();
            if (update.dataset != dataset) continue;
            if (update.reset) sides.clear();
            for (std::size_t k = 0; k < update.items.size(); ++k) sides[update.items[k]] |= update.sides[k];
        }
        int full = 0;
        for (const auto& [item, mask] : sides) full += mask == 3 ? 1 : 0;
        return full;
    }

    QTemporaryDir tmp;
    gs::testing::TempDir modelDir{"gs-ui-worker-cache"};
    std::unique_ptr<gs::ui::AnalysisThread> thread;
};

TEST_F(AnalysisWorkerCacheTest, ASentenceSeenBeforeComesFromTheCacheWithoutAForwardPass) {
    SignalLog ready(worker(), &AnalysisWorker::sentenceReady);
    SignalLog computed(worker(), &AnalysisWorker::sentenceComputed);
    const QString text = QStringLiteral("Мама мыла раму, а ёж спал.");
    worker()->analyseSentence(text, gs::ui::layerAnalysisIds());
    ASSERT_TRUE(QTest::qWaitFor([&] { return ready.count() == 1; }, kTimeoutMs));
    EXPECT_EQ(computed.count(), 1);
    const auto first = ready.at(0).at(1).value<gs::ui::SentenceResultPtr>();
    EXPECT_FALSE(first->fromCache);

    worker()->analyseSentence(text, gs::ui::layerAnalysisIds());
    ASSERT_TRUE(QTest::qWaitFor([&] { return ready.count() == 2; }, kTimeoutMs));
    EXPECT_EQ(computed.count(), 1);  // no forward pass
    const auto second = ready.at(1).at(1).value<gs::ui::SentenceResultPtr>();
    EXPECT_TRUE(second->fromCache);
    ASSERT_EQ(second->analyses.size(), first->analyses.size());
    EXPECT_EQ(second->encoding.tokens.size(), first->encoding.tokens.size());
    const gs::ResultMatrix& a = first->analyses[0].matrix;
    const gs::ResultMatrix& b = second->analyses[0].matrix;
    ASSERT_EQ(a.values.size(), b.values.size());
    for (std::size_t i = 0; i < a.values.size(); ++i)
        EXPECT_NEAR(a.values[i], b.values[i], 1e-3 * std::max(1.0f, std::abs(a.values[i])));  // fp16 in the store

    // A new analysis on the same sentence is computed; the others are read.
    worker()->analyseSentence(text, gs::ui::layerAnalysisIds() << QStringLiteral("surprisal"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return ready.count() == 3; }, kTimeoutMs));
    EXPECT_EQ(computed.count(), 2);
    EXPECT_NE(ready.at(2).at(1).value<gs::ui::SentenceResultPtr>()->matrix(gs::LayerQuantity::Surprisal), nullptr);
}

TEST_F(AnalysisWorkerCacheTest, ADatasetRunStreamsResultsAndServesASentenceBetweenBatches) {
    const gs::ui::OpenDatasetPtr dataset = pairs(kPairs);
    const QStringList analyses = gs::ui::allAnalysisIds();  // surprisal too: many batches
    SignalLog progress(worker(), &AnalysisWorker::datasetProgress);
    SignalLog updates(worker(), &AnalysisWorker::itemsCached);
    SignalLog finished(worker(), &AnalysisWorker::datasetFinished);
    SignalLog ready(worker(), &AnalysisWorker::sentenceReady);
    QStringList order;
    QObject receiver;
    QObject::connect(worker(), &AnalysisWorker::sentenceReady, &receiver, [&] { order << QStringLiteral("sentence"); });
    QObject::connect(worker(), &AnalysisWorker::datasetFinished, &receiver, [&] { order << QStringLiteral("dataset"); });
    // A click on a pair while the run computes: submitted from the worker
    // thread at the first report, so it is waiting when the first batch ends.
    std::atomic<quint64> sentenceId{0};
    const QString clicked = QString::fromStdString(dataset->dataset.items[7].bad.text);
    QObject::connect(worker(), &AnalysisWorker::datasetProgress, worker(), [&](quint64, const DatasetRunProgress&) {
        if (sentenceId == 0) sentenceId = worker()->analyseSentence(clicked, gs::ui::layerAnalysisIds());
    }, Qt::DirectConnection);

    const quint64 run = worker()->runDataset(dataset, analyses);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kTimeoutMs));
    const auto report = finished.at(0).at(1).value<DatasetRunReport>();
    EXPECT_EQ(finished.at(0).at(0).toULongLong(), run);
    EXPECT_FALSE(report.cancelled);
    EXPECT_EQ(report.summary.sentences, 2 * kPairs);
    EXPECT_EQ(report.summary.computedSentences + report.summary.cachedSentences, 2 * kPairs);
    EXPECT_GT(report.summary.batches, 2);

    // Progress: monotonic, ends at the total, with a rate once something was computed.
    ASSERT_GE(progress.count(), 3);
    qint64 last = -1;
    bool rate = false;
    for (const QList<QVariant>& args : progress.calls) {
        const auto p = args.at(1).value<DatasetRunProgress>();
        EXPECT_EQ(p.itemsTotal, 2 * kPairs);
        EXPECT_GE(p.itemsDone, last);
        last = p.itemsDone;
        rate = rate || p.tokensPerSecond > 0;
    }
    EXPECT_EQ(last, 2 * kPairs);
    EXPECT_TRUE(rate);

    // Streamed: several updates as batches were committed, every pair complete at the end.
    EXPECT_GT(updates.count(), 2);
    EXPECT_EQ(fullyCached(updates, dataset), kPairs);

    // The clicked sentence was answered between batches, before the run ended.
    ASSERT_EQ(ready.count(), 1);
    EXPECT_EQ(ready.at(0).at(0).toULongLong(), sentenceId.load());
    EXPECT_EQ(order.value(0), QStringLiteral("sentence")) << order.join(QLatin1Char(' ')).toStdString();

    // A scan now finds every item cached; a second run computes nothing.
    SignalLog scanned(worker(), &AnalysisWorker::itemsCached);
    worker()->scanDataset(dataset, analyses);
    ASSERT_TRUE(scanned.wait(kTimeoutMs));
    EXPECT_TRUE(scanned.at(0).at(1).value<DatasetCacheUpdate>().reset);
    EXPECT_EQ(fullyCached(scanned, dataset), kPairs);
    worker()->runDataset(dataset, analyses);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 2; }, kTimeoutMs));
    const auto again = finished.at(1).at(1).value<DatasetRunReport>();
    EXPECT_EQ(again.summary.computedSentences, 0);
    EXPECT_EQ(again.summary.cachedSentences, 2 * kPairs);
}

TEST_F(AnalysisWorkerCacheTest, ACancelledRunKeepsItsResultsAndARerunContinues) {
    const gs::ui::OpenDatasetPtr dataset = pairs(kPairs);
    const QStringList analyses = gs::ui::allAnalysisIds();
    SignalLog finished(worker(), &AnalysisWorker::datasetFinished);
    std::atomic<quint64> run{0};
    std::atomic<qint64> doneAtCancel{-1};
    // Cancelled from the worker thread right after the first computed batch:
    // the same direct call the window's Cancel button makes.
    QObject::connect(worker(), &AnalysisWorker::datasetProgress, worker(), [&](quint64 id, const DatasetRunProgress& p) {
        if (id == run && doneAtCancel < 0 && p.itemsDone > p.cachedItems) {
            doneAtCancel = p.itemsDone;
            worker()->cancel(id);
        }
    }, Qt::DirectConnection);
    run = worker()->runDataset(dataset, analyses);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kTimeoutMs));
    const auto cancelled = finished.at(0).at(1).value<DatasetRunReport>();
    EXPECT_TRUE(cancelled.cancelled);
    ASSERT_GT(doneAtCancel.load(), 0);
    EXPECT_LT(doneAtCancel.load(), 2 * kPairs);
    EXPECT_EQ(cancelled.summary.computedSentences, doneAtCancel.load());

    SignalLog progress(worker(), &AnalysisWorker::datasetProgress);
    run = worker()->runDataset(dataset, analyses);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 2; }, kTimeoutMs));
    const auto resumed = finished.at(1).at(1).value<DatasetRunReport>();
    EXPECT_FALSE(resumed.cancelled);
    EXPECT_EQ(resumed.summary.cachedSentences, doneAtCancel.load());  // nothing computed twice
    EXPECT_EQ(resumed.summary.computedSentences, 2 * kPairs - doneAtCancel.load());
    ASSERT_GE(progress.count(), 1);
    EXPECT_EQ(progress.at(0).at(1).value<DatasetRunProgress>().cachedItems, doneAtCancel.load());
}

TEST_F(AnalysisWorkerCacheTest, AStoreChangeStopsARunWhichResumesAfterIt) {
    const gs::ui::OpenDatasetPtr dataset = pairs(kPairs);
    const QStringList analyses = gs::ui::allAnalysisIds();
    SignalLog finished(worker(), &AnalysisWorker::datasetFinished);
    SignalLog opened(worker(), &AnalysisWorker::storeOpened);
    std::atomic<bool> asked{false};
    QObject::connect(worker(), &AnalysisWorker::datasetProgress, worker(), [&](quint64, const DatasetRunProgress& p) {
        if (!asked && p.itemsDone > p.cachedItems) {
            asked = true;
            worker()->openStore(storePath(), 0);  // a control job: cannot wait for the whole run
        }
    }, Qt::DirectConnection);
    worker()->runDataset(dataset, analyses);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kTimeoutMs));
    EXPECT_EQ(opened.count(), 1);
    const auto report = finished.at(0).at(1).value<DatasetRunReport>();
    EXPECT_FALSE(report.cancelled);
    // The report is the resumed call's: what the first part committed came from the store.
    EXPECT_GT(report.summary.cachedSentences, 0);
    EXPECT_EQ(report.summary.cachedSentences + report.summary.computedSentences, 2 * kPairs);
}

TEST_F(AnalysisWorkerCacheTest, ADamagedStoreIsReportedAndMovedAsideNeverDeleted) {
    const QString damaged = tmp.filePath(QStringLiteral("damaged.sqlite"));
    const QByteArray garbage = QByteArray("this is not a database ").repeated(400);
    ASSERT_TRUE(gs::testing::writeAll(damaged, garbage));
    SignalLog problems(worker(), &AnalysisWorker::storeProblem);
    SignalLog opened(worker(), &AnalysisWorker::storeOpened);
    worker()->openStore(damaged, 0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return opened.count() == 1; }, kTimeoutMs));
    ASSERT_EQ(problems.count(), 1);
    const auto problem = problems.at(0).at(1).value<gs::ui::StoreProblemInfo>();
    EXPECT_EQ(problem.problem, gs::StoreProblem::Corrupt);
    EXPECT_EQ(problem.path, damaged);
    const auto fallback = opened.at(0).at(1).value<gs::ui::StoreState>();
    EXPECT_FALSE(fallback.persistent);
    EXPECT_EQ(fallback.requestedPath, damaged);
    EXPECT_EQ(gs::testing::readAll(damaged), garbage);  // untouched

    // Sentences still work, in memory.
    SignalLog ready(worker(), &AnalysisWorker::sentenceReady);
    worker()->analyseSentence(QStringLiteral("Кот спал."), gs::ui::layerAnalysisIds());
    ASSERT_TRUE(ready.wait(kTimeoutMs));

    SignalLog moved(worker(), &AnalysisWorker::storeMovedAside);
    worker()->moveStoreAside(damaged, 0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return opened.count() == 2; }, kTimeoutMs));
    ASSERT_EQ(moved.count(), 1);
    const QString to = moved.at(0).at(2).toString();
    EXPECT_EQ(gs::testing::readAll(to), garbage);  // renamed, byte for byte
    EXPECT_EQ(gs::testing::movedAside(damaged).size(), 1);
    EXPECT_TRUE(opened.at(1).at(1).value<gs::ui::StoreState>().persistent);
}

} // namespace
