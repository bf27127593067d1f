#include "cache/schema.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <string>

namespace gs::cache {
namespace {

// Version 1: models, datasets and their sentences, runs, per-sentence
// results, artefacts. Blobs are the last column so that reading a row's
// small columns never pulls its overflow pages.
void migrateTo1(Db& db) {
    db.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str(), "marking the file");
    db.exec(R"sql(
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL,
  last_used_ms INTEGER NOT NULL
);
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  sentence_count INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL
);
CREATE TABLE sentences (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL
);
CREATE TABLE dataset_sentences (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sentence_id INTEGER NOT NULL REFERENCES sentences(id),
  PRIMARY KEY (dataset_id, position)
) WITHOUT ROWID;
CREATE INDEX dataset_sentences_sentence ON dataset_sentences(sentence_id);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  model_fingerprint TEXT NOT NULL,
  analysis TEXT NOT NULL,
  parameters TEXT NOT NULL,
  code_version TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  last_used_ms INTEGER NOT NULL
);
CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  sentence_id INTEGER NOT NULL REFERENCES sentences(id),
  bytes INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  last_used_ms INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (run_id, sentence_id)
);
CREATE INDEX results_lru ON results(last_used_ms, id);
CREATE INDEX results_sentence ON results(sentence_id);
CREATE TABLE artefacts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  model_fingerprint TEXT NOT NULL DEFAULT '',
  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  file_path TEXT NOT NULL DEFAULT '',
  bytes INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  data BLOB,
  UNIQUE (kind, name)
);
CREATE INDEX artefacts_run ON artefacts(run_id);
)sql",
            "creating the schema (version 1)");
}

// kMigrations[v] takes the schema from version v to v + 1. A new version adds
// one function here; an existing one is never edited.
using Migration = void (*)(Db&);
constexpr std::array<Migration, kResultStoreSchemaVersion> kMigrations = {&migrateTo1};

std::string describeFile(const std::filesystem::path& path) { return path.string(); }

} // namespace

void checkFileHeader(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size == 0) return;  // missing or empty: SQLite creates a new database
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    if (!in || std::memcmp(header, "SQLite format 3", 16) != 0 || size < 512) {
        throwStoreError(StoreProblem::Corrupt,
                        describeFile(path) + " is not a SQLite database (damaged or overwritten, " +
                            std::to_string(size) + " bytes); it can be moved aside and a new store created");
    }
}

SchemaOpenResult openSchema(Db& db, const std::filesystem::path& path, bool memory,
                            const ResultStoreOptions& options) {
    SchemaOpenResult result;
    const std::string name = describeFile(path);

    // The first reads touch page 1 only; damage there shows up as
    // SQLITE_NOTADB / SQLITE_CORRUPT, mapped to StoreProblem::Corrupt.
    std::int64_t applicationId = 0, version = 0, tables = 0;
    try {
        applicationId = db.queryInt("PRAGMA application_id");
        version = db.queryInt("PRAGMA user_version");
        tables = db.queryInt("SELECT count(*) FROM sqlite_master");
    } catch (const StoreError& e) {
        if (e.problem != StoreProblem::Corrupt) throw;
        throwStoreError(StoreProblem::Corrupt, name + " is damaged (" + e.sqliteMessage +
                                                   "); it can be moved aside and a new store created");
    }
    if (applicationId != kApplicationId && (applicationId != 0 || version != 0 || tables != 0)) {
        throwStoreError(StoreProblem::Corrupt, name + " is a SQLite database but not a Grammascope results store "
                                                      "(application_id " + std::to_string(applicationId) +
                                                   "); it can be moved aside and a new store created");
    }
    if (version > kResultStoreSchemaVersion) {
        throwStoreError(StoreProblem::NewerSchema,
                        name + " was written by a newer Grammascope (schema " + std::to_string(version) + " > " +
                            std::to_string(kResultStoreSchemaVersion) +
                            "); open it with that version, or move it aside to start a new store here");
    }

    if (!memory && !options.readOnly && version > 0) {
        std::error_code ec;
        const auto bytes = std::int64_t(std::filesystem::file_size(path, ec));
        const bool check = !ec && options.quickCheckUpToBytes != 0 &&
                           (options.quickCheckUpToBytes < 0 || bytes <= options.quickCheckUpToBytes);
        if (check) {
            std::string verdict;
            try {
                verdict = db.queryText("PRAGMA quick_check(1)");
            } catch (const StoreError& e) {
                if (e.problem != StoreProblem::Corrupt) throw;
                verdict = e.sqliteMessage;
            }
            std::replace(verdict.begin(), verdict.end(), '\n', ' ');
            if (verdict != "ok")
                throwStoreError(StoreProblem::Corrupt, name + " is damaged (quick_check: " + verdict +
                                                           "); it can be moved aside and a new store created");
        }
    }

    if (options.readOnly) {
        if (version == 0)
            throwStoreError(StoreProblem::Io, name + " is not initialised yet (open it writable first)");
        if (version < kResultStoreSchemaVersion)
            throwStoreError(StoreProblem::Io, name + " has schema " + std::to_string(version) +
                                                  " and needs a migration (open it writable first)");
        result.version = int(version);
        return result;
    }

    // Before the first table exists: freed pages can then be returned to the
    // file system after eviction (PRAGMA incremental_vacuum).
    if (version == 0 && tables == 0) db.exec("PRAGMA auto_vacuum = INCREMENTAL", "setting auto_vacuum");
    if (!memory) {
        const std::string mode = db.queryText("PRAGMA journal_mode = WAL");
        if (mode != "wal")
            throwStoreError(StoreProblem::Io, name + ": cannot use write-ahead logging (journal mode " + mode + ")");
    }
    db.exec(options.durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", "setting synchronous");
    db.exec("PRAGMA foreign_keys = ON", "enabling foreign keys");
    // The WAL is reset after checkpoints; keep its file from staying huge.
    db.exec("PRAGMA journal_size_limit = 67108864", "limiting the journal");
    if (options.hardLimitBytes > 0) {
        const std::int64_t pageSize = db.queryInt("PRAGMA page_size");
        const std::int64_t pages = std::max<std::int64_t>(1, options.hardLimitBytes / std::max<std::int64_t>(pageSize, 512));
        db.exec(("PRAGMA max_page_count = " + std::to_string(pages)).c_str(), "setting the hard limit");
    }

    if (version < kResultStoreSchemaVersion) {
        Transaction tx(db, Transaction::Kind::Write);
        // Another process may have migrated while we waited for the lock.
        const std::int64_t current = db.queryInt("PRAGMA user_version");
        if (current > kResultStoreSchemaVersion)
            throwStoreError(StoreProblem::NewerSchema, name + " was written by a newer Grammascope (schema " +
                                                           std::to_string(current) + " > " +
                                                           std::to_string(kResultStoreSchemaVersion) + ")");
        for (std::int64_t v = current; v < kResultStoreSchemaVersion; ++v) kMigrations[std::size_t(v)](db);
        db.exec(("PRAGMA user_version = " + std::to_string(kResultStoreSchemaVersion)).c_str(),
                "recording the schema version");
        tx.commit();
        result.created = current == 0;
        result.migrated = current > 0 && current < kResultStoreSchemaVersion;
    }
    result.version = kResultStoreSchemaVersion;
    return result;
}

} // namespace gs::cache
