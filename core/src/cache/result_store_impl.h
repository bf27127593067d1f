#pragma once
// Internals of ResultStore shared by its translation units
// (result_store.cpp: open, models, datasets, runs, results;
// store_maintenance.cpp: eviction, clear, stats, artefacts;
// result_export.cpp: CSV / JSON export).

#include "grammascope/result_store.h"

#include "cache/sqlite_db.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gs {

// The format side of an export (result_export.cpp): the store streams rows
// of one read snapshot into it.
struct ExportSink {
    virtual ~ExportSink() = default;
    virtual void header(std::ostream& out, const RunInfo& run) = 0;
    virtual void row(std::ostream& out, const std::string& hash, const std::string& text, const ResultMatrix& m,
                     bool first) = 0;
    virtual void footer(std::ostream& out) = 0;
};

// Statements of the hot paths, prepared once per connection.
struct StoreStatements {
    explicit StoreStatements(cache::Db& db);

    cache::Stmt modelUpsert, modelFind, modelList;
    cache::Stmt sentenceFind, sentenceInsert, sentenceGet;
    cache::Stmt datasetFind, datasetInsert, datasetUpdate, datasetLink, datasetList, datasetSentences;
    cache::Stmt runFind, runInsert, runSetState, runExists, runUpdated, runGet, runList;
    cache::Stmt resultUpsert, resultGet, resultHas, resultTouch, runTouch;
    cache::Stmt evictCandidates, resultDelete;
    cache::Stmt artefactUpsert, artefactGet, artefactList;
    cache::Stmt pageCount, freelistCount;  // for the size limit, checked after every batch
};

struct ResultStore::Impl {
    std::filesystem::path m_path;
    bool m_memory = false;
    ResultStoreOptions m_options;
    cache::Db m_db;
    std::unique_ptr<StoreStatements> m_st;  // after m_db: destroyed first
    StoreProblem m_problem = StoreProblem::None;
    int m_schemaVersion = 0;
    std::int64_t m_pageSize = 4096;

    std::set<std::int64_t> m_activeRuns;  // runs this store is writing (beginRun .. finishRun)
    // Recency refreshes collected by reads: (result id, run id, stamp),
    // written in batches instead of one transaction per read.
    struct Touch {
        std::int64_t resultId, runId, stamp;
    };
    std::vector<Touch> m_pendingTouches;
    std::int64_t m_lastStamp = 0;
    std::int64_t m_evicted = 0;
    bool m_overLimit = false;

    // Milliseconds since the epoch, strictly increasing within this store so
    // that the LRU order of its own operations never ties.
    std::int64_t stamp();

    // Runs `body`, turning internal errors into a Status whose message starts
    // with `stage` and recording the problem kind.
    template <class F>
    Status guard(const char* stage, F&& body);

    void requireWritable(const char* what) const;
    void requireRun(std::int64_t runId);
    // Inside a write transaction: the id of the sentence, inserted if new.
    std::int64_t sentenceId(std::string_view text, const std::string& hash);
    // Inside a write transaction.
    void writeTouches();
    void flushTouchesNow();
    std::int64_t usedBytes();
    // Deletes LRU results of complete runs until under the limit; returns how many.
    std::int64_t evictToLimit();
    void readRun(cache::Stmt& s, RunInfo& out) const;
    std::string keyHash(const AnalysisKey& key, std::string& canonicalParameters) const;
    void exportRun(std::int64_t runId, const std::filesystem::path& file, const ExportOptions& options,
                   const ProgressCallback& progress, ExportSink& sink);
};

template <class F>
Status ResultStore::Impl::guard(const char* stage, F&& body) {
    m_problem = StoreProblem::None;
    try {
        body();
        return Status::ok();
    } catch (const cache::StoreCancelled&) {
        return Status::cancelled(std::string(stage) + ": cancelled");
    } catch (const cache::StoreError& e) {
        m_problem = e.problem;
        return Status::failed(std::string(stage) + ": " + e.message);
    } catch (const std::exception& e) {
        // Allocation failures, file system errors, JSON errors: nothing may cross the API.
        m_problem = StoreProblem::Io;
        return Status::failed(std::string(stage) + ": " + e.what());
    } catch (...) {
        m_problem = StoreProblem::Io;
        return Status::failed(std::string(stage) + ": unknown error");
    }
}

} // namespace gs
