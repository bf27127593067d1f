// The results store under stress: LRU eviction, a reader thread during
// writes, kill -9 during a run and its resume, corrupt / truncated / foreign /
// newer files and moving them aside, a full disk, and many results streamed
// in batches. Keys, results, export and the rest are in result_store_test.cpp.
// Cross-thread and cross-process steps wait on conditions and pipes, never
// on sleeps; nothing asserts timings.

#include "grammascope/result_store.h"

#include "result_store_test_support.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

using namespace gs;
using namespace gs::result_store_test;
namespace fs = std::filesystem;

// ------------------------------------------------------------------ eviction

TEST(ResultStoreEviction, LeastRecentlyUsedOfCompleteRunsFirst) {
    ResultStoreOptions options = fastOptions();
    options.sizeLimitBytes = 0;
    options.lruTouchIntervalMs = 0;  // every read counts
    std::unique_ptr<ResultStore> store;
    ASSERT_TRUE(ResultStore::open(":memory:", options, store).isOk());

    // A running run written first (oldest) must survive any limit.
    AnalysisKey runningKey = makeKey("{\"running\":true}");
    std::int64_t running = 0;
    ASSERT_TRUE(store->beginRun(runningKey, running).isOk());
    ASSERT_TRUE(store->putResults(running, makeBatch(100, 10, 13, 300)).isOk());

    std::int64_t done = 0;
    ASSERT_TRUE(store->beginRun(makeKey(), done).isOk());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(store->putResults(done, makeBatch(i, 1, 13, 300)).isOk());
    ASSERT_TRUE(store->finishRun(done).isOk());

    // Read some: they become the most recent, in this order.
    ResultMatrix out;
    bool found = false;
    const std::vector<int> reads = {5, 2, 17, 0};
    for (int i : reads) {
        ASSERT_TRUE(store->getResult(done, sentenceHash(sentenceText(i)), out, found).isOk());
        ASSERT_TRUE(found);
    }
    std::vector<int> lruOrder;
    for (int i = 0; i < 20; ++i)
        if (std::find(reads.begin(), reads.end(), i) == reads.end()) lruOrder.push_back(i);
    lruOrder.insert(lruOrder.end(), reads.begin(), reads.end());

    StoreStats stats;
    ASSERT_TRUE(store->stats(stats).isOk());
    ASSERT_TRUE(store->setSizeLimit(stats.usedBytes * 8 / 10).isOk());

    std::vector<std::string> all;
    for (int i : lruOrder) all.push_back(sentenceHash(sentenceText(i)));
    std::vector<std::string> missing;
    ASSERT_TRUE(store->missingSentences(done, all, missing).isOk());
    // What was evicted is a prefix of the LRU order, and not all of it.
    ASSERT_GT(missing.size(), 0u);
    ASSERT_LT(missing.size(), all.size() - reads.size());
    EXPECT_EQ(missing, std::vector<std::string>(all.begin(), all.begin() + std::ptrdiff_t(missing.size())));
    ASSERT_TRUE(store->stats(stats).isOk());
    EXPECT_LE(stats.usedBytes, stats.sizeLimitBytes);
    EXPECT_EQ(stats.evictedResults, std::int64_t(missing.size()));
    EXPECT_FALSE(stats.overLimit);

    // A tiny limit empties the complete run but never touches the running one.
    ASSERT_TRUE(store->setSizeLimit(1).isOk());
    ASSERT_TRUE(store->missingSentences(done, all, missing).isOk());
    EXPECT_EQ(missing.size(), all.size());
    RunInfo info;
    ASSERT_TRUE(store->runInfo(running, info).isOk());
    EXPECT_EQ(info.results, 10);
    ASSERT_TRUE(store->stats(stats).isOk());
    EXPECT_TRUE(stats.overLimit);
    // The evicted run is still known: running it again computes only what is missing.
    ASSERT_TRUE(store->runInfo(done, info).isOk());
    EXPECT_EQ(info.results, 0);
}

// ------------------------------------------------------------------ a reader thread while the writer commits

TEST(ResultStoreConcurrency, ReaderSeesWholeBatchesWhileWriterCommits) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    constexpr int kBatches = 8, kBatchSize = 25;

    std::mutex mutex;
    std::condition_variable cv;
    std::int64_t runId = 0;
    bool ready = false, writerDone = false;
    int inFlight = -1;    // batch whose transaction is open, waiting for the reader
    int acknowledged = -1;
    std::string writerError;

    std::thread writer([&] {
        std::unique_ptr<ResultStore> store;  // the writer's own connection, on its own thread
        std::int64_t run = 0;
        Status st = ResultStore::open(path, fastOptions(), store);
        if (st.isOk()) st = store->beginRun(makeKey(), run);
        {
            std::lock_guard lock(mutex);
            runId = run;
            ready = true;
            if (!st.isOk()) writerError = st.message(), writerDone = true;
        }
        cv.notify_all();
        if (!st.isOk()) return;
        for (int b = 0; b < kBatches && st.isOk(); ++b) {
            // Halfway through the batch, with the write transaction open, let
            // the reader look and wait until it has.
            st = store->putResults(run, makeBatch(b * kBatchSize, kBatchSize), [&](std::int64_t i, std::int64_t) {
                if (i != kBatchSize / 2) return true;
                std::unique_lock lock(mutex);
                inFlight = b;
                cv.notify_all();
                return cv.wait_for(lock, std::chrono::seconds(60), [&] { return acknowledged == b; });
            });
        }
        if (st.isOk()) st = store->finishRun(run);
        std::lock_guard lock(mutex);
        if (!st.isOk()) writerError = st.message();
        writerDone = true;
        cv.notify_all();
    });

    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return ready; }));
    }
    ResultStoreOptions ro = fastOptions();
    ro.readOnly = true;
    std::unique_ptr<ResultStore> reader;
    Status opened = ResultStore::open(path, ro, reader);
    std::vector<std::string> all;
    for (int i = 0; i < kBatches * kBatchSize; ++i) all.push_back(sentenceHash(sentenceText(i)));

    for (int b = 0; b < kBatches && opened.isOk(); ++b) {
        {
            std::unique_lock lock(mutex);
            const bool seen = cv.wait_for(lock, std::chrono::seconds(60), [&] { return inFlight == b || writerDone; });
            ASSERT_TRUE(seen && inFlight == b) << writerError;
        }
        // The writer holds its transaction open: the reader is not blocked
        // and sees exactly the batches committed before it.
        RunInfo info;
        ASSERT_TRUE(reader->runInfo(runId, info).isOk());
        EXPECT_EQ(info.results, b * kBatchSize);
        std::vector<std::string> missing;
        ASSERT_TRUE(reader->missingSentences(runId, all, missing).isOk());
        EXPECT_EQ(missing, std::vector<std::string>(all.begin() + b * kBatchSize, all.end()));
        if (b > 0) {
            ResultMatrix out;
            bool found = false;
            const int last = b * kBatchSize - 1;
            ASSERT_TRUE(reader->getResult(runId, all[std::size_t(last)], out, found).isOk());
            ASSERT_TRUE(found);
            expectStoredEqual(makeMatrix(5, 7, std::uint32_t(last)), out);
        }
        // A read-only store refuses to write.
        EXPECT_TRUE(reader->putResults(runId, makeBatch(0, 1)).isFailed());
        EXPECT_EQ(reader->problem(), StoreProblem::ReadOnly);
        {
            std::lock_guard lock(mutex);
            acknowledged = b;
        }
        cv.notify_all();
    }
    {
        std::unique_lock lock(mutex);
        cv.wait_for(lock, std::chrono::seconds(120), [&] { return writerDone; });
    }
    writer.join();
    ASSERT_TRUE(opened.isOk()) << opened.message();
    EXPECT_TRUE(writerError.empty()) << writerError;
    RunInfo info;
    ASSERT_TRUE(reader->runInfo(runId, info).isOk());
    EXPECT_EQ(info.results, kBatches * kBatchSize);
    EXPECT_EQ(info.state, RunState::Complete);
}

TEST(ResultStoreConcurrency, BusyWriterGivesUpAfterABoundedWait) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    std::mutex mutex;
    std::condition_variable cv;
    bool holding = false, release = false, done = false;
    Status holderStatus;

    std::thread holder([&] {
        std::unique_ptr<ResultStore> store;
        std::int64_t run = 0;
        Status st = ResultStore::open(path, fastOptions(), store);
        if (st.isOk()) st = store->beginRun(makeKey(), run);
        if (st.isOk())
            // Keeps the write transaction open until told to let go.
            st = store->putResults(run, makeBatch(0, 2), [&](std::int64_t i, std::int64_t) {
                if (i != 0) return true;
                std::unique_lock lock(mutex);
                holding = true;
                cv.notify_all();
                return cv.wait_for(lock, std::chrono::seconds(60), [&] { return release; });
            });
        std::lock_guard lock(mutex);
        holderStatus = st;
        holding = true;  // also when it failed early: never leave the main thread waiting
        done = true;
        cv.notify_all();
    });
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return holding; }));
    }

    ResultStoreOptions options = fastOptions();
    options.busyTimeoutMs = 20;
    std::unique_ptr<ResultStore> other;
    const Status opened = ResultStore::open(path, options, other);  // reading is not blocked
    Status busy;
    if (opened.isOk()) busy = other->registerModel({"gsfp1-x", "/x", ""});
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    cv.notify_all();
    holder.join();
    ASSERT_TRUE(holderStatus.isOk()) << holderStatus.message();
    ASSERT_TRUE(opened.isOk()) << opened.message();
    EXPECT_TRUE(busy.isFailed());
    EXPECT_EQ(other->problem(), StoreProblem::Busy) << busy.message();
    EXPECT_NE(busy.message().find("locked"), std::string::npos) << busy.message();
    // Once the lock is free the same call goes through.
    EXPECT_TRUE(other->registerModel({"gsfp1-x", "/x", ""}).isOk());
}

// ------------------------------------------------------------------ kill -9 during a run, then resume

namespace {

constexpr int kCrashBatches = 10, kCrashBatchSize = 20, kCrashCommitted = 4;

// The child: commits kCrashCommitted batches, reporting each on the pipe,
// then starts a large batch and stops inside its transaction (after writing
// megabytes, so that uncommitted pages have spilled into the WAL) to be killed.
[[noreturn]] void crashChild(const fs::path& path, int fd) {
    const auto say = [fd](char c) {
        if (::write(fd, &c, 1) != 1) _exit(3);
    };
    std::unique_ptr<ResultStore> store;
    ResultStoreOptions options;  // durable, as in production
    std::int64_t run = 0;
    if (!ResultStore::open(path, options, store).isOk() || !store->beginRun(makeKey(), run).isOk()) {
        say('e');
        _exit(1);
    }
    for (int b = 0; b < kCrashBatches; ++b) {
        if (b < kCrashCommitted) {
            if (!store->putResults(run, makeBatch(b * kCrashBatchSize, kCrashBatchSize)).isOk()) {
                say('e');
                _exit(1);
            }
            say('c');
            continue;
        }
        // The batch in flight: bigger matrices, same sentences as batch b.
        std::vector<ResultEntry> big = makeBatch(b * kCrashBatchSize, kCrashBatchSize, 13, 8192);  // about 4 MB
        store->putResults(run, big, [&](std::int64_t i, std::int64_t n) {
            if (i == n - 1) {
                say('f');
                for (;;) ::pause();  // until SIGKILL
            }
            return true;
        });
        say('e');  // not reached
        _exit(1);
    }
    _exit(0);
}

} // namespace

TEST(ResultStoreCrash, KilledDuringARunLosesOnlyTheBatchInFlightAndResumes) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        crashChild(path, fds[1]);
    }
    ::close(fds[1]);

    int committed = 0;
    bool inFlight = false;
    char c = 0;
    while (!inFlight && ::read(fds[0], &c, 1) == 1) {
        if (c == 'c') ++committed;
        else if (c == 'f') inFlight = true;
        else break;
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(fds[0]);
    ASSERT_TRUE(inFlight) << "child reported '" << c << "'";
    ASSERT_EQ(committed, kCrashCommitted);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    EXPECT_TRUE(fs::exists(path.string() + "-wal"));  // killed: no clean close

    std::unique_ptr<ResultStore> store;
    ASSERT_TRUE(ResultStore::open(path, fastOptions(), store).isOk());
    ASSERT_TRUE(store->verify().isOk());
    std::int64_t run = 0;
    bool found = false;
    ASSERT_TRUE(store->findRun(makeKey(), run, found).isOk());
    ASSERT_TRUE(found);
    RunInfo info;
    ASSERT_TRUE(store->runInfo(run, info).isOk());
    EXPECT_EQ(info.state, RunState::Running);
    EXPECT_EQ(info.results, kCrashCommitted * kCrashBatchSize);

    std::vector<std::string> all;
    for (int i = 0; i < kCrashBatches * kCrashBatchSize; ++i) all.push_back(sentenceHash(sentenceText(i)));
    std::vector<std::string> missing;
    ASSERT_TRUE(store->missingSentences(run, all, missing).isOk());
    EXPECT_EQ(missing, std::vector<std::string>(all.begin() + kCrashCommitted * kCrashBatchSize, all.end()));
    ResultMatrix out;
    for (int i = 0; i < kCrashCommitted * kCrashBatchSize; ++i) {
        ASSERT_TRUE(store->getResult(run, all[std::size_t(i)], out, found).isOk());
        ASSERT_TRUE(found);
        expectStoredEqual(makeMatrix(5, 7, std::uint32_t(i)), out);
    }

    // Resume: same run, only the missing sentences.
    std::int64_t resumed = 0;
    ASSERT_TRUE(store->beginRun(makeKey(), resumed).isOk());
    EXPECT_EQ(resumed, run);
    for (std::size_t i = 0; i < missing.size(); i += kCrashBatchSize) {
        const int first = kCrashCommitted * kCrashBatchSize + int(i);
        ASSERT_TRUE(store->putResults(run, makeBatch(first, kCrashBatchSize)).isOk());
    }
    ASSERT_TRUE(store->finishRun(run).isOk());
    ASSERT_TRUE(store->missingSentences(run, all, missing).isOk());
    EXPECT_TRUE(missing.empty());
    ASSERT_TRUE(store->runInfo(run, info).isOk());
    EXPECT_EQ(info.state, RunState::Complete);
    EXPECT_EQ(info.results, kCrashBatches * kCrashBatchSize);
}

// ------------------------------------------------------------------ damaged, foreign and newer files

namespace {

// Creates a closed store file holding a few hundred kilobytes of results.
void makeStoreFile(const fs::path& path) {
    std::unique_ptr<ResultStore> store;
    ASSERT_TRUE(ResultStore::open(path, fastOptions(), store).isOk());
    fillStore(*store, 60, 13, 200);
    store.reset();
    ASSERT_FALSE(fs::exists(path.string() + "-wal"));  // checkpointed on close
}

// Opening must fail with `problem` and leave the file byte for byte as it was.
void expectRefused(const fs::path& path, StoreProblem problem, const std::string& messagePart) {
    const auto before = readBytes(path);
    std::unique_ptr<ResultStore> store;
    StoreProblem got = StoreProblem::None;
    const Status st = ResultStore::open(path, fastOptions(), store, &got);
    EXPECT_TRUE(st.isFailed());
    EXPECT_EQ(got, problem) << st.message();
    EXPECT_NE(st.message().find(messagePart), std::string::npos) << st.message();
    EXPECT_EQ(store, nullptr);
    EXPECT_EQ(readBytes(path), before) << "a refused store must not be touched";
}

void expectMovedAsideAndRecreated(const fs::path& path) {
    fs::path moved;
    ASSERT_TRUE(moveAsideCorruptStore(path, moved).isOk());
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(fs::exists(moved));
    EXPECT_EQ(moved.parent_path(), path.parent_path());
    EXPECT_NE(moved.filename().string().find("results.sqlite.corrupt-"), std::string::npos) << moved;
    std::unique_ptr<ResultStore> fresh;
    ASSERT_TRUE(ResultStore::open(path, fastOptions(), fresh).isOk());
    StoreStats stats;
    ASSERT_TRUE(fresh->stats(stats).isOk());
    EXPECT_EQ(stats.results, 0);
}

} // namespace

TEST(ResultStoreDamage, GarbageFileIsCorruptAndCanBeMovedAside) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    std::vector<char> garbage(8192);
    std::mt19937 rng(1);
    for (char& c : garbage) c = char(rng());
    std::ofstream(path, std::ios::binary).write(garbage.data(), std::streamsize(garbage.size()));
    expectRefused(path, StoreProblem::Corrupt, "is not a SQLite database");
    expectMovedAsideAndRecreated(path);
}

TEST(ResultStoreDamage, TruncatedFileIsCorrupt) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    makeStoreFile(path);
    fs::resize_file(path, fs::file_size(path) / 2);
    expectRefused(path, StoreProblem::Corrupt, "damaged");
    expectMovedAsideAndRecreated(path);
}

TEST(ResultStoreDamage, GarbageOverPagesIsCorrupt) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    makeStoreFile(path);
    // Keep page 1 (header and schema), overwrite the b-tree pages after it.
    std::vector<char> garbage(4096 * 12);
    std::mt19937 rng(2);
    for (char& c : garbage) c = char(rng());
    writeBytesAt(path, 4096, garbage);
    expectRefused(path, StoreProblem::Corrupt, "damaged");

    // The same damage in a file above the quick-check size opens, and verify() finds it.
    ResultStoreOptions options = fastOptions();
    options.quickCheckUpToBytes = 0;
    std::unique_ptr<ResultStore> store;
    if (ResultStore::open(path, options, store).isOk()) {
        EXPECT_TRUE(store->verify().isFailed());
        EXPECT_EQ(store->problem(), StoreProblem::Corrupt);
        store.reset();
    }
    expectMovedAsideAndRecreated(path);
}

TEST(ResultStoreDamage, NewerSchemaIsRefusedWithAClearMessage) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    makeStoreFile(path);
    writeBytesAt(path, 60, {0, 0, 0, 7});  // PRAGMA user_version lives at offset 60, big-endian
    expectRefused(path, StoreProblem::NewerSchema, "results.sqlite was written by a newer Grammascope (schema 7 > 1)");
    fs::path moved;
    ASSERT_TRUE(moveAsideCorruptStore(path, moved, "newer").isOk());
    EXPECT_NE(moved.filename().string().find("results.sqlite.newer-"), std::string::npos);
}

TEST(ResultStoreDamage, ForeignSqliteDatabaseIsNotTaken) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    makeStoreFile(path);
    writeBytesAt(path, 68, {0x12, 0x34, 0x56, 0x78});  // PRAGMA application_id
    expectRefused(path, StoreProblem::Corrupt, "not a Grammascope results store");
}

TEST(ResultStoreDamage, MoveAsideTakesTheJournalsAlong) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    std::ofstream(path) << "not a database";
    std::ofstream(path.string() + "-wal") << "wal";
    std::ofstream(path.string() + "-shm") << "shm";
    fs::path moved;
    ASSERT_TRUE(moveAsideCorruptStore(path, moved).isOk());
    EXPECT_TRUE(fs::exists(moved));
    EXPECT_EQ(readText(moved.string() + "-wal"), "wal");
    EXPECT_TRUE(fs::exists(moved.string() + "-shm"));
    EXPECT_FALSE(fs::exists(path.string() + "-wal"));
    EXPECT_FALSE(fs::exists(path.string() + "-shm"));
    // A second one in the same second gets its own name.
    std::ofstream(path) << "again";
    fs::path second;
    ASSERT_TRUE(moveAsideCorruptStore(path, second).isOk());
    EXPECT_NE(second, moved);
    EXPECT_TRUE(moveAsideCorruptStore(path, second).isFailed());  // nothing left to move
}

TEST(ResultStoreDamage, ReadOnlyOpenOfAMissingFileFails) {
    TempDir dir;
    ResultStoreOptions ro = fastOptions();
    ro.readOnly = true;
    std::unique_ptr<ResultStore> store;
    EXPECT_TRUE(ResultStore::open(dir / "absent.sqlite", ro, store).isFailed());
    EXPECT_FALSE(fs::exists(dir / "absent.sqlite"));
}

// ------------------------------------------------------------------ a full disk

TEST(ResultStoreDiskFull, FailedBatchRollsBackAndEarlierOnesStay) {
    TempDir dir;
    ResultStoreOptions options = fastOptions();
    options.hardLimitBytes = 1 << 20;  // SQLite answers SQLITE_FULL past this, as on a full disk
    std::unique_ptr<ResultStore> store;
    ASSERT_TRUE(ResultStore::open(dir / "results.sqlite", options, store).isOk());
    std::int64_t run = 0;
    ASSERT_TRUE(store->beginRun(makeKey(), run).isOk());
    int committed = 0;
    Status st;
    for (int b = 0; b < 100; ++b) {
        st = store->putResults(run, makeBatch(b * 10, 10, 13, 400));  // about 100 KB per batch
        if (!st.isOk()) break;
        ++committed;
    }
    ASSERT_TRUE(st.isFailed());
    EXPECT_EQ(store->problem(), StoreProblem::DiskFull);
    EXPECT_NE(st.message().find("disk is full"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("rolled back"), std::string::npos) << st.message();
    ASSERT_GT(committed, 2);

    RunInfo info;
    ASSERT_TRUE(store->runInfo(run, info).isOk());
    EXPECT_EQ(info.results, committed * 10);
    ResultMatrix out;
    bool found = false;
    ASSERT_TRUE(store->getResult(run, sentenceHash(sentenceText(committed * 10 - 1)), out, found).isOk());
    EXPECT_TRUE(found);
    ASSERT_TRUE(store->getResult(run, sentenceHash(sentenceText(committed * 10)), out, found).isOk());
    EXPECT_FALSE(found);
    // Still usable: space freed by deleting a run can be written again.
    ASSERT_TRUE(store->finishRun(run).isOk());
    ASSERT_TRUE(store->deleteRun(run).isOk());
    ASSERT_TRUE(store->beginRun(makeKey("{\"again\":1}"), run).isOk());
    EXPECT_TRUE(store->putResults(run, makeBatch(0, 10, 13, 400)).isOk());
    EXPECT_TRUE(store->verify().isOk());
}

// ------------------------------------------------------------------ streaming many results

TEST(ResultStoreVolume, TenThousandResultsInBatches) {
    TempDir dir;
    const fs::path path = dir / "results.sqlite";
    constexpr int kTotal = 10000, kBatch = 250;
    {
        std::unique_ptr<ResultStore> store;
        ASSERT_TRUE(ResultStore::open(path, ResultStoreOptions{}, store).isOk());  // durable: one fsync per batch
        std::int64_t run = 0;
        ASSERT_TRUE(store->beginRun(makeKey(), run).isOk());
        for (int first = 0; first < kTotal; first += kBatch)
            ASSERT_TRUE(store->putResults(run, makeBatch(first, kBatch, 13, 24)).isOk());
        ASSERT_TRUE(store->finishRun(run).isOk());
    }
    std::unique_ptr<ResultStore> store;
    ASSERT_TRUE(ResultStore::open(path, fastOptions(), store).isOk());
    std::int64_t run = 0;
    bool found = false;
    ASSERT_TRUE(store->findRun(makeKey(), run, found).isOk());
    ASSERT_TRUE(found);
    std::vector<std::string> all, missing;
    for (int i = 0; i < kTotal; ++i) all.push_back(sentenceHash(sentenceText(i)));
    ASSERT_TRUE(store->missingSentences(run, all, missing).isOk());
    EXPECT_TRUE(missing.empty());
    ResultMatrix out;
    ASSERT_TRUE(store->getResult(run, all[7777], out, found).isOk());
    ASSERT_TRUE(found);
    expectStoredEqual(makeMatrix(13, 24, 7777), out);
}
