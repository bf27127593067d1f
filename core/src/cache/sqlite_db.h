#pragma once
// RAII over the SQLite C API for the results store: a connection (Db), a
// prepared statement (Stmt), a transaction (Transaction). Errors are thrown
// as StoreError inside the core and turned into a Status at the ResultStore
// API; every SQLite result code is mapped to a StoreProblem on the way.
//
// Busy handling is bounded: sqlite3_busy_timeout() waits up to the timeout
// per attempt, and BEGIN IMMEDIATE / autocommit statements retry only
// kBusyAttempts times, so a stuck peer gives an error, never a hang.

#include "grammascope/result_store.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace gs::cache {

inline constexpr int kBusyAttempts = 3;

struct StoreError {
    StoreProblem problem = StoreProblem::Io;
    std::string message;
    std::string sqliteMessage;  // SQLite's own words, when it reported the error
};

// Thrown when a progress callback returns false.
struct StoreCancelled {};

[[noreturn]] void throwStoreError(StoreProblem problem, std::string message);
StoreProblem problemFromSqlite(int resultCode);

class Db {
public:
    Db() = default;
    ~Db();
    Db(Db&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }
    Db& operator=(Db&& other) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    // Opens with SQLITE_OPEN_NOMUTEX (the store is used by one thread at a
    // time) and extended result codes.
    void open(const std::string& path, bool readOnly, int busyTimeoutMs);
    void close();
    sqlite3* get() const { return m_db; }

    // Runs SQL without results; `what` names the step in messages.
    void exec(const char* sql, const char* what);
    // The single value of a pragma / scalar query (0 / "" when no row).
    std::int64_t queryInt(const char* sql);
    std::string queryText(const char* sql);
    bool inTransaction() const;
    std::int64_t changes() const;
    std::int64_t lastInsertId() const;

    [[noreturn]] void fail(int rc, std::string_view what) const;

private:
    sqlite3* m_db = nullptr;
};

class Stmt {
public:
    Stmt() = default;
    Stmt(Db& db, const char* sql);
    ~Stmt();
    Stmt(Stmt&& other) noexcept;
    Stmt& operator=(Stmt&& other) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    // Parameters are 1-based as in SQLite. Text and blobs are copied unless
    // bound with the *Static variants, whose data must outlive the step.
    Stmt& bind(int index, std::int64_t value);
    Stmt& bind(int index, std::string_view text);
    Stmt& bindNull(int index);
    Stmt& bindBlobStatic(int index, const void* data, std::size_t size);

    // true: a row is available; false: done. Throws on errors; retries
    // SQLITE_BUSY a bounded number of times outside explicit transactions.
    bool step();
    // Steps a statement that returns no row (or ignores it), then resets.
    void run();
    void reset();

    std::int64_t int64At(int column) const;
    std::string textAt(int column) const;
    std::span<const std::uint8_t> blobAt(int column) const;
    bool isNull(int column) const;

private:
    Db* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    const char* m_sql = "";
};

// Resets a statement at scope exit so that an early return or an exception
// never leaves it holding a read snapshot.
class StmtScope {
public:
    explicit StmtScope(Stmt& s) : m_s(s) {}
    ~StmtScope() { m_s.reset(); }
    StmtScope(const StmtScope&) = delete;
    StmtScope& operator=(const StmtScope&) = delete;

private:
    Stmt& m_s;
};

// BEGIN IMMEDIATE (writes: takes the write lock up front, so no deadlock on
// upgrade) or BEGIN DEFERRED (reads: one consistent snapshot). Rolls back in
// the destructor unless commit() succeeded.
class Transaction {
public:
    enum class Kind { Read, Write };
    Transaction(Db& db, Kind kind);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& m_db;
    bool m_open = false;
};

} // namespace gs::cache
