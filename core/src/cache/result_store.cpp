// ResultStore: opening, models, datasets and sentences, runs, results.
// Maintenance (eviction, clear, stats, artefacts) is in store_maintenance.cpp,
// export in result_export.cpp.

#include "cache/result_store_impl.h"

#include "cache/hashing.h"
#include "cache/result_codec.h"
#include "cache/schema.h"

#include <chrono>
#include <map>

namespace gs {

using cache::Stmt;
using cache::StmtScope;
using cache::StoreError;
using cache::Transaction;
using cache::throwStoreError;

namespace {

constexpr std::size_t kTouchFlushThreshold = 256;

// A run's SELECT columns, shared by runGet and runList.
#define GS_RUN_COLUMNS                                                                                       \
    "u.id, u.key_hash, u.model_fingerprint, u.analysis, u.parameters, u.code_version, u.state, u.created_ms, " \
    "u.updated_ms, u.last_used_ms, (SELECT count(*) FROM results r WHERE r.run_id = u.id), "                   \
    "(SELECT coalesce(sum(r.bytes), 0) FROM results r WHERE r.run_id = u.id)"

} // namespace

StoreStatements::StoreStatements(cache::Db& db)
    : modelUpsert(db, "INSERT INTO models(fingerprint, path, description, created_ms, last_used_ms) "
                      "VALUES(?1, ?2, ?3, ?4, ?4) ON CONFLICT(fingerprint) DO UPDATE SET path = excluded.path, "
                      "description = excluded.description, last_used_ms = excluded.last_used_ms"),
      modelFind(db, "SELECT fingerprint, path, description, created_ms, last_used_ms FROM models WHERE fingerprint = ?1"),
      modelList(db, "SELECT fingerprint, path, description, created_ms, last_used_ms FROM models "
                    "ORDER BY last_used_ms DESC, id"),
      sentenceFind(db, "SELECT id FROM sentences WHERE hash = ?1"),
      sentenceInsert(db, "INSERT INTO sentences(hash, text) VALUES(?1, ?2)"),
      sentenceGet(db, "SELECT hash, text FROM sentences WHERE hash = ?1"),
      datasetFind(db, "SELECT id FROM datasets WHERE content_hash = ?1"),
      datasetInsert(db, "INSERT INTO datasets(content_hash, name, source, sentence_count, created_ms) "
                        "VALUES(?1, ?2, ?3, ?4, ?5)"),
      datasetUpdate(db, "UPDATE datasets SET name = ?2, source = ?3 WHERE id = ?1"),
      datasetLink(db, "INSERT INTO dataset_sentences(dataset_id, position, sentence_id) VALUES(?1, ?2, ?3)"),
      datasetList(db, "SELECT id, content_hash, name, source, sentence_count, created_ms FROM datasets ORDER BY id"),
      datasetSentences(db, "SELECT s.hash, s.text FROM dataset_sentences d JOIN sentences s ON s.id = d.sentence_id "
                           "WHERE d.dataset_id = ?1 ORDER BY d.position"),
      runFind(db, "SELECT id FROM runs WHERE key_hash = ?1"),
      runInsert(db, "INSERT INTO runs(key_hash, model_fingerprint, analysis, parameters, code_version, state, "
                    "created_ms, updated_ms, last_used_ms) VALUES(?1, ?2, ?3, ?4, ?5, 0, ?6, ?6, ?6) "
                    "ON CONFLICT(key_hash) DO UPDATE SET state = 0, updated_ms = excluded.updated_ms, "
                    "last_used_ms = excluded.last_used_ms RETURNING id"),
      runSetState(db, "UPDATE runs SET state = ?2, updated_ms = ?3, last_used_ms = ?3 WHERE id = ?1"),
      runExists(db, "SELECT state FROM runs WHERE id = ?1"),
      runUpdated(db, "UPDATE runs SET updated_ms = ?2, last_used_ms = max(last_used_ms, ?2) WHERE id = ?1"),
      runGet(db, "SELECT " GS_RUN_COLUMNS " FROM runs u WHERE u.id = ?1"),
      runList(db, "SELECT " GS_RUN_COLUMNS " FROM runs u ORDER BY u.id"),
      resultUpsert(db, "INSERT INTO results(run_id, sentence_id, bytes, created_ms, last_used_ms, data) "
                       "VALUES(?1, ?2, ?3, ?4, ?4, ?5) ON CONFLICT(run_id, sentence_id) DO UPDATE SET "
                       "bytes = excluded.bytes, created_ms = excluded.created_ms, "
                       "last_used_ms = excluded.last_used_ms, data = excluded.data"),
      resultGet(db, "SELECT r.id, r.last_used_ms, r.data FROM results r JOIN sentences s ON s.id = r.sentence_id "
                    "WHERE r.run_id = ?1 AND s.hash = ?2"),
      resultHas(db, "SELECT 1 FROM results r JOIN sentences s ON s.id = r.sentence_id "
                    "WHERE r.run_id = ?1 AND s.hash = ?2"),
      resultTouch(db, "UPDATE results SET last_used_ms = max(last_used_ms, ?2) WHERE id = ?1"),
      runTouch(db, "UPDATE runs SET last_used_ms = max(last_used_ms, ?2) WHERE id = ?1"),
      // Oldest first over the LRU index; only complete runs are evictable.
      evictCandidates(db, "SELECT r.id, r.run_id, r.bytes FROM results r JOIN runs u ON u.id = r.run_id "
                          "WHERE u.state = 1 ORDER BY r.last_used_ms, r.id LIMIT 1024"),
      resultDelete(db, "DELETE FROM results WHERE id = ?1"),
      artefactUpsert(db, "INSERT INTO artefacts(kind, name, model_fingerprint, run_id, metadata, file_path, bytes, "
                         "created_ms, updated_ms, data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) "
                         "ON CONFLICT(kind, name) DO UPDATE SET model_fingerprint = excluded.model_fingerprint, "
                         "run_id = excluded.run_id, metadata = excluded.metadata, file_path = excluded.file_path, "
                         "bytes = excluded.bytes, updated_ms = excluded.updated_ms, data = excluded.data "
                         "RETURNING id"),
      artefactGet(db, "SELECT id, kind, name, model_fingerprint, coalesce(run_id, 0), metadata, file_path, bytes, "
                      "created_ms, updated_ms, data FROM artefacts WHERE kind = ?1 AND name = ?2"),
      artefactList(db, "SELECT id, kind, name, model_fingerprint, coalesce(run_id, 0), metadata, file_path, bytes, "
                       "created_ms, updated_ms FROM artefacts WHERE ?1 = '' OR kind = ?1 ORDER BY kind, name"),
      pageCount(db, "PRAGMA page_count"),
      freelistCount(db, "PRAGMA freelist_count") {}

#undef GS_RUN_COLUMNS

// ---------------------------------------------------------------- Impl helpers

std::int64_t ResultStore::Impl::stamp() {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    m_lastStamp = std::max(now, m_lastStamp + 1);
    return m_lastStamp;
}

void ResultStore::Impl::requireWritable(const char* what) const {
    if (m_options.readOnly)
        throwStoreError(StoreProblem::ReadOnly, std::string("this store is open read-only and cannot ") + what);
}

void ResultStore::Impl::requireRun(std::int64_t runId) {
    StmtScope scope(m_st->runExists);
    if (!m_st->runExists.bind(1, runId).step())
        throwStoreError(StoreProblem::InvalidArgument, "no run " + std::to_string(runId) + " in this store");
}

std::int64_t ResultStore::Impl::sentenceId(std::string_view text, const std::string& hash) {
    {
        StmtScope scope(m_st->sentenceFind);
        if (m_st->sentenceFind.bind(1, hash).step()) return m_st->sentenceFind.int64At(0);
    }
    m_st->sentenceInsert.bind(1, hash).bind(2, text).run();
    return m_db.lastInsertId();
}

void ResultStore::Impl::writeTouches() {
    if (m_pendingTouches.empty()) return;
    std::map<std::int64_t, std::int64_t> runs;  // run -> latest stamp
    for (const Touch& t : m_pendingTouches) {
        m_st->resultTouch.bind(1, t.resultId).bind(2, t.stamp).run();
        auto& latest = runs[t.runId];
        latest = std::max(latest, t.stamp);
    }
    for (const auto& [run, latest] : runs) m_st->runTouch.bind(1, run).bind(2, latest).run();
    m_pendingTouches.clear();
}

void ResultStore::Impl::flushTouchesNow() {
    if (m_options.readOnly || m_pendingTouches.empty()) return;
    Transaction tx(m_db, Transaction::Kind::Write);
    writeTouches();
    tx.commit();
}

void ResultStore::Impl::readRun(Stmt& s, RunInfo& out) const {
    out.id = s.int64At(0);
    out.keyHash = s.textAt(1);
    out.key.modelFingerprint = s.textAt(2);
    out.key.analysis = s.textAt(3);
    out.key.parametersJson = s.textAt(4);
    out.key.codeVersion = s.textAt(5);
    out.state = s.int64At(6) == 1 ? RunState::Complete : RunState::Running;
    out.createdMs = s.int64At(7);
    out.updatedMs = s.int64At(8);
    out.lastUsedMs = s.int64At(9);
    out.results = s.int64At(10);
    out.resultBytes = s.int64At(11);
}

std::string ResultStore::Impl::keyHash(const AnalysisKey& key, std::string& canonicalParameters) const {
    if (key.modelFingerprint.empty() || key.analysis.empty() || key.codeVersion.empty())
        throwStoreError(StoreProblem::InvalidArgument,
                        "an analysis key needs a model fingerprint, an analysis name and a code version");
    if (Status st = canonicalJson(key.parametersJson.empty() ? "{}" : key.parametersJson, canonicalParameters);
        !st.isOk())
        throwStoreError(StoreProblem::InvalidArgument, "analysis parameters: " + st.message());
    // Length-prefixed fields: no choice of separators can make two keys meet.
    cache::Sha256 sha;
    sha.update("grammascope-analysis-key-v1\n");
    for (const std::string* field : std::initializer_list<const std::string*>{&key.modelFingerprint, &key.analysis, &canonicalParameters, &key.codeVersion}) {
        sha.update(std::to_string(field->size()) + ":");
        sha.update(*field);
        sha.update("\n");
    }
    return sha.finishHex();
}

// ---------------------------------------------------------------- open

ResultStore::ResultStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

ResultStore::~ResultStore() {
    // Recency is a hint: losing it on a failing disk is acceptable.
    try {
        m_impl->flushTouchesNow();
    } catch (...) {
    }
}

Status ResultStore::open(const std::filesystem::path& path, const ResultStoreOptions& options,
                         std::unique_ptr<ResultStore>& out, StoreProblem* problem) {
    auto impl = std::make_unique<Impl>();
    impl->m_path = path;
    impl->m_memory = path == ":memory:";
    impl->m_options = options;
    Status st = impl->guard("opening the results store", [&] {
        if (impl->m_memory && options.readOnly)
            throwStoreError(StoreProblem::InvalidArgument, "an in-memory store cannot be opened read-only");
        if (!impl->m_memory) {
            std::error_code ec;
            if (options.readOnly) {
                if (!std::filesystem::exists(path, ec))
                    throwStoreError(StoreProblem::Io, path.string() + " does not exist");
            } else if (path.has_parent_path()) {
                std::filesystem::create_directories(path.parent_path(), ec);
                if (ec)
                    throwStoreError(StoreProblem::ReadOnly,
                                    "cannot create " + path.parent_path().string() + ": " + ec.message());
            }
            cache::checkFileHeader(path);
        }
        impl->m_db.open(path.string(), options.readOnly, std::max(0, options.busyTimeoutMs));
        const cache::SchemaOpenResult schema = cache::openSchema(impl->m_db, path, impl->m_memory, options);
        impl->m_schemaVersion = schema.version;
        impl->m_st = std::make_unique<StoreStatements>(impl->m_db);
        impl->m_pageSize = impl->m_db.queryInt("PRAGMA page_size");
        impl->m_lastStamp = impl->m_db.queryInt("SELECT coalesce(max(last_used_ms), 0) FROM results");
    });
    if (problem) *problem = impl->m_problem;
    if (!st.isOk()) return st;
    out.reset(new ResultStore(std::move(impl)));
    return Status::ok();
}

const std::filesystem::path& ResultStore::path() const { return m_impl->m_path; }
bool ResultStore::readOnly() const { return m_impl->m_options.readOnly; }
StoreProblem ResultStore::problem() const { return m_impl->m_problem; }

// ---------------------------------------------------------------- models

namespace {
void readModel(Stmt& s, ModelRecord& out) {
    out.fingerprint = s.textAt(0);
    out.path = s.textAt(1);
    out.description = s.textAt(2);
    out.createdMs = s.int64At(3);
    out.lastUsedMs = s.int64At(4);
}
} // namespace

Status ResultStore::registerModel(const ModelRecord& model) {
    return m_impl->guard("registering a model", [&] {
        m_impl->requireWritable("register models");
        if (model.fingerprint.empty()) throwStoreError(StoreProblem::InvalidArgument, "empty model fingerprint");
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        m_impl->m_st->modelUpsert.bind(1, model.fingerprint)
            .bind(2, model.path)
            .bind(3, model.description)
            .bind(4, m_impl->stamp())
            .run();
        tx.commit();
    });
}

Status ResultStore::findModel(const std::string& fingerprint, ModelRecord& out, bool& found) {
    found = false;
    return m_impl->guard("looking up a model", [&] {
        Stmt& s = m_impl->m_st->modelFind;
        StmtScope scope(s);
        if (!s.bind(1, fingerprint).step()) return;
        readModel(s, out);
        found = true;
    });
}

Status ResultStore::listModels(std::vector<ModelRecord>& out) {
    out.clear();
    return m_impl->guard("listing models", [&] {
        Stmt& s = m_impl->m_st->modelList;
        StmtScope scope(s);
        while (s.step()) readModel(s, out.emplace_back());
    });
}

// ---------------------------------------------------------------- datasets, sentences

Status ResultStore::registerDataset(const DatasetRecord& dataset, const std::vector<std::string>& sentences,
                                    std::int64_t& datasetId) {
    return m_impl->guard("registering a dataset", [&] {
        m_impl->requireWritable("register datasets");
        if (dataset.contentHash.empty()) throwStoreError(StoreProblem::InvalidArgument, "empty dataset content hash");
        std::vector<std::string> hashes;
        hashes.reserve(sentences.size());
        for (const std::string& s : sentences) hashes.push_back(sentenceHash(s));

        StoreStatements& st = *m_impl->m_st;
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        const std::int64_t now = m_impl->stamp();
        std::int64_t id = 0;
        {
            StmtScope scope(st.datasetFind);
            if (st.datasetFind.bind(1, dataset.contentHash).step()) id = st.datasetFind.int64At(0);
        }
        if (id != 0) {
            // Same content, same sentences: only the display fields change.
            st.datasetUpdate.bind(1, id).bind(2, dataset.name).bind(3, dataset.source).run();
        } else {
            st.datasetInsert.bind(1, dataset.contentHash)
                .bind(2, dataset.name)
                .bind(3, dataset.source)
                .bind(4, std::int64_t(sentences.size()))
                .bind(5, now)
                .run();
            id = m_impl->m_db.lastInsertId();
            for (std::size_t i = 0; i < sentences.size(); ++i) {
                const std::int64_t sid = m_impl->sentenceId(sentences[i], hashes[i]);
                st.datasetLink.bind(1, id).bind(2, std::int64_t(i)).bind(3, sid).run();
            }
        }
        tx.commit();
        datasetId = id;
    });
}

Status ResultStore::listDatasets(std::vector<DatasetRecord>& out) {
    out.clear();
    return m_impl->guard("listing datasets", [&] {
        Stmt& s = m_impl->m_st->datasetList;
        StmtScope scope(s);
        while (s.step()) {
            DatasetRecord& d = out.emplace_back();
            d.id = s.int64At(0);
            d.contentHash = s.textAt(1);
            d.name = s.textAt(2);
            d.source = s.textAt(3);
            d.sentenceCount = s.int64At(4);
            d.createdMs = s.int64At(5);
        }
    });
}

Status ResultStore::datasetSentences(std::int64_t datasetId, std::vector<SentenceRecord>& out) {
    out.clear();
    return m_impl->guard("reading a dataset's sentences", [&] {
        Stmt& s = m_impl->m_st->datasetSentences;
        StmtScope scope(s);
        s.bind(1, datasetId);
        while (s.step()) out.push_back({s.textAt(0), s.textAt(1)});
    });
}

Status ResultStore::findSentence(const std::string& hash, SentenceRecord& out, bool& found) {
    found = false;
    return m_impl->guard("looking up a sentence", [&] {
        Stmt& s = m_impl->m_st->sentenceGet;
        StmtScope scope(s);
        if (!s.bind(1, hash).step()) return;
        out = {s.textAt(0), s.textAt(1)};
        found = true;
    });
}

// ---------------------------------------------------------------- runs

Status ResultStore::analysisKeyHash(const AnalysisKey& key, std::string& hash) const {
    std::string canonical;
    return m_impl->guard("hashing an analysis key", [&] { hash = m_impl->keyHash(key, canonical); });
}

Status ResultStore::findRun(const AnalysisKey& key, std::int64_t& runId, bool& found) {
    found = false;
    runId = 0;
    return m_impl->guard("looking up a run", [&] {
        std::string canonical;
        const std::string hash = m_impl->keyHash(key, canonical);
        Stmt& s = m_impl->m_st->runFind;
        StmtScope scope(s);
        if (!s.bind(1, hash).step()) return;
        runId = s.int64At(0);
        found = true;
    });
}

Status ResultStore::beginRun(const AnalysisKey& key, std::int64_t& runId) {
    return m_impl->guard("starting a run", [&] {
        m_impl->requireWritable("write runs");
        std::string canonical;
        const std::string hash = m_impl->keyHash(key, canonical);
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        Stmt& s = m_impl->m_st->runInsert;
        std::int64_t id = 0;
        {
            StmtScope scope(s);
            s.bind(1, hash)
                .bind(2, key.modelFingerprint)
                .bind(3, key.analysis)
                .bind(4, canonical)
                .bind(5, key.codeVersion)
                .bind(6, m_impl->stamp());
            if (s.step()) id = s.int64At(0);
        }
        if (id == 0) throwStoreError(StoreProblem::Io, "the run was not created");
        tx.commit();
        m_impl->m_activeRuns.insert(id);
        runId = id;
    });
}

Status ResultStore::finishRun(std::int64_t runId) {
    return m_impl->guard("finishing a run", [&] {
        m_impl->requireWritable("write runs");
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        m_impl->m_st->runSetState.bind(1, runId).bind(2, std::int64_t(RunState::Complete)).bind(3, m_impl->stamp()).run();
        if (m_impl->m_db.changes() == 0)
            throwStoreError(StoreProblem::InvalidArgument, "no run " + std::to_string(runId) + " in this store");
        tx.commit();
        m_impl->m_activeRuns.erase(runId);
    });
}

Status ResultStore::runInfo(std::int64_t runId, RunInfo& out) {
    return m_impl->guard("reading a run", [&] {
        Stmt& s = m_impl->m_st->runGet;
        StmtScope scope(s);
        if (!s.bind(1, runId).step())
            throwStoreError(StoreProblem::InvalidArgument, "no run " + std::to_string(runId) + " in this store");
        m_impl->readRun(s, out);
    });
}

Status ResultStore::listRuns(std::vector<RunInfo>& out) {
    out.clear();
    return m_impl->guard("listing runs", [&] {
        Stmt& s = m_impl->m_st->runList;
        StmtScope scope(s);
        while (s.step()) m_impl->readRun(s, out.emplace_back());
    });
}

Status ResultStore::deleteRun(std::int64_t runId) {
    return m_impl->guard("deleting a run", [&] {
        m_impl->requireWritable("delete runs");
        if (m_impl->m_activeRuns.count(runId))
            throwStoreError(StoreProblem::InvalidArgument,
                            "run " + std::to_string(runId) + " is being written; finish it first");
        std::erase_if(m_impl->m_pendingTouches, [&](const Impl::Touch& t) { return t.runId == runId; });
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        Stmt s(m_impl->m_db, "DELETE FROM runs WHERE id = ?1");  // results go with it (ON DELETE CASCADE)
        s.bind(1, runId).run();
        if (m_impl->m_db.changes() == 0)
            throwStoreError(StoreProblem::InvalidArgument, "no run " + std::to_string(runId) + " in this store");
        tx.commit();
    });
}

// ---------------------------------------------------------------- results

Status ResultStore::putResults(std::int64_t runId, const std::vector<ResultEntry>& batch,
                               const ProgressCallback& progress) {
    return m_impl->guard("saving results", [&] {
        m_impl->requireWritable("save results");
        if (!m_impl->m_activeRuns.count(runId))
            throwStoreError(StoreProblem::InvalidArgument,
                            "run " + std::to_string(runId) + " is not being written by this store (call beginRun first)");
        // Encode before taking the write lock, so that readers in other
        // processes and the lock itself wait as little as possible.
        std::vector<std::vector<std::uint8_t>> blobs(batch.size());
        std::vector<std::string> hashes(batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            std::string error;
            if (!cache::validateMatrix(batch[i].matrix, error))
                throwStoreError(StoreProblem::InvalidArgument, "entry " + std::to_string(i) + ": " + error);
            cache::encodeMatrix(batch[i].matrix, blobs[i]);
            hashes[i] = sentenceHash(batch[i].sentenceText);
        }

        StoreStatements& st = *m_impl->m_st;
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        const std::int64_t now = m_impl->stamp();
        m_impl->writeTouches();
        const auto total = std::int64_t(batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (progress && !progress(std::int64_t(i), total)) throw cache::StoreCancelled{};
            const std::int64_t sid = m_impl->sentenceId(batch[i].sentenceText, hashes[i]);
            st.resultUpsert.bind(1, runId)
                .bind(2, sid)
                .bind(3, std::int64_t(blobs[i].size()))
                .bind(4, now)
                .bindBlobStatic(5, blobs[i].data(), blobs[i].size())
                .run();
        }
        st.runUpdated.bind(1, runId).bind(2, now).run();
        tx.commit();

        // The batch is saved whatever happens now; a busy peer only delays
        // eviction to the next batch.
        try {
            m_impl->evictToLimit();
        } catch (const StoreError& e) {
            if (e.problem == StoreProblem::Busy) return;
            throwStoreError(e.problem, "the batch was saved, but applying the size limit failed: " + e.message);
        }
    });
}

Status ResultStore::getResult(std::int64_t runId, const std::string& sentenceHash, ResultMatrix& out, bool& found) {
    found = false;
    return m_impl->guard("reading a result", [&] {
        Stmt& s = m_impl->m_st->resultGet;
        std::int64_t resultId = 0, lastUsed = 0;
        {
            StmtScope scope(s);
            if (!s.bind(1, runId).bind(2, sentenceHash).step()) return;
            resultId = s.int64At(0);
            lastUsed = s.int64At(1);
            const auto blob = s.blobAt(2);
            std::string error;
            if (!cache::decodeMatrix(blob.data(), blob.size(), out, error))
                throwStoreError(StoreProblem::Corrupt, "the result of sentence " + sentenceHash + " in run " +
                                                           std::to_string(runId) + " is damaged: " + error);
        }
        found = true;
        if (m_impl->m_options.readOnly) return;
        const std::int64_t now = m_impl->stamp();
        if (now - lastUsed < m_impl->m_options.lruTouchIntervalMs) return;
        m_impl->m_pendingTouches.push_back({resultId, runId, now});
        if (m_impl->m_pendingTouches.size() < kTouchFlushThreshold) return;
        // Recency is a hint: a busy lock must not fail a read that succeeded.
        try {
            m_impl->flushTouchesNow();
        } catch (const StoreError&) {
            if (m_impl->m_pendingTouches.size() > 16 * kTouchFlushThreshold)
                m_impl->m_pendingTouches.erase(m_impl->m_pendingTouches.begin(),
                                               m_impl->m_pendingTouches.begin() + kTouchFlushThreshold);
        }
    });
}

Status ResultStore::missingSentences(std::int64_t runId, const std::vector<std::string>& sentenceHashes,
                                     std::vector<std::string>& missing) {
    missing.clear();
    return m_impl->guard("looking for missing results", [&] {
        // One snapshot for the whole list, and no per-lookup transaction cost.
        Transaction tx(m_impl->m_db, Transaction::Kind::Read);
        m_impl->requireRun(runId);
        Stmt& s = m_impl->m_st->resultHas;
        for (const std::string& hash : sentenceHashes) {
            StmtScope scope(s);
            if (!s.bind(1, runId).bind(2, hash).step()) missing.push_back(hash);
        }
        tx.commit();
    });
}

Status ResultStore::flushTouches() {
    return m_impl->guard("recording recent use", [&] { m_impl->flushTouchesNow(); });
}

} // namespace gs
