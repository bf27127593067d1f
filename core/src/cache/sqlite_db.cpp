#include "cache/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace gs::cache {

void throwStoreError(StoreProblem problem, std::string message) {
    throw StoreError{problem, std::move(message), {}};
}

StoreProblem problemFromSqlite(int resultCode) {
    switch (resultCode & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return StoreProblem::Corrupt;
    case SQLITE_FULL:
        return StoreProblem::DiskFull;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return StoreProblem::Busy;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return StoreProblem::ReadOnly;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
        return StoreProblem::InvalidArgument;
    default:
        return StoreProblem::Io;
    }
}

namespace {

// What the user should know beyond SQLite's own words.
std::string explain(int rc, const std::string& sqliteMessage) {
    switch (problemFromSqlite(rc)) {
    case StoreProblem::Corrupt:
        return "the database file is damaged (" + sqliteMessage + ")";
    case StoreProblem::DiskFull:
        return "the disk is full or the store reached its hard size limit (" + sqliteMessage +
               "); this transaction was rolled back, everything saved before it is intact";
    case StoreProblem::Busy:
        return "the store stayed locked by another connection (" + sqliteMessage + "), gave up after " +
               std::to_string(kBusyAttempts) + " attempts";
    case StoreProblem::ReadOnly:
        return "the store cannot be written (" + sqliteMessage + ")";
    default:
        return sqliteMessage;
    }
}

bool isBusy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

} // namespace

Db::~Db() { close(); }

Db& Db::operator=(Db&& other) noexcept {
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

void Db::open(const std::string& path, bool readOnly, int busyTimeoutMs) {
    close();
    const int flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX;
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close_v2(db);
        throwStoreError(problemFromSqlite(rc) == StoreProblem::Corrupt ? StoreProblem::Corrupt : StoreProblem::Io,
                        "cannot open " + path + ": " + explain(rc, message));
    }
    m_db = db;
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
}

void Db::close() {
    // close_v2 defers the close until the last statement is finalised, so
    // member order in the owner cannot leak the connection.
    if (m_db) sqlite3_close_v2(std::exchange(m_db, nullptr));
}

void Db::fail(int rc, std::string_view what) const {
    const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    const StoreProblem problem = problemFromSqlite(rc);
    // Which statement failed helps with bugs, not with a full disk or a
    // damaged file: those messages speak to the user only.
    const bool userFacing = problem == StoreProblem::Corrupt || problem == StoreProblem::DiskFull ||
                            problem == StoreProblem::Busy || problem == StoreProblem::ReadOnly;
    throw StoreError{problem, userFacing ? explain(rc, message) : std::string(what) + ": " + explain(rc, message),
                     message};
}

void Db::exec(const char* sql, const char* what) {
    for (int attempt = 1;; ++attempt) {
        const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK) return;
        // Retrying is only sound when no transaction of ours was left open.
        if (isBusy(rc) && attempt < kBusyAttempts && sqlite3_get_autocommit(m_db)) continue;
        fail(rc, what);
    }
}

std::int64_t Db::queryInt(const char* sql) {
    Stmt s(*this, sql);
    return s.step() ? s.int64At(0) : 0;
}

std::string Db::queryText(const char* sql) {
    Stmt s(*this, sql);
    return s.step() ? s.textAt(0) : std::string();
}

bool Db::inTransaction() const { return m_db && !sqlite3_get_autocommit(m_db); }
std::int64_t Db::changes() const { return sqlite3_changes64(m_db); }
std::int64_t Db::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }

Stmt::Stmt(Db& db, const char* sql) : m_db(&db), m_sql(sql) {
    const int rc = sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, std::string("preparing \"") + sql + "\"");
}

Stmt::~Stmt() { sqlite3_finalize(m_stmt); }

Stmt::Stmt(Stmt&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)), m_sql(other.m_sql) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_sql = other.m_sql;
    }
    return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK) m_db->fail(rc, "binding a parameter");
    return *this;
}

Stmt& Stmt::bind(int index, std::string_view text) {
    const int rc = sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) m_db->fail(rc, "binding a parameter");
    return *this;
}

Stmt& Stmt::bindNull(int index) {
    const int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK) m_db->fail(rc, "binding a parameter");
    return *this;
}

Stmt& Stmt::bindBlobStatic(int index, const void* data, std::size_t size) {
    // A zero-length blob with a null pointer would bind NULL: keep it a blob.
    static const std::uint8_t empty = 0;
    const int rc = sqlite3_bind_blob64(m_stmt, index, size ? data : &empty, size, SQLITE_STATIC);
    if (rc != SQLITE_OK) m_db->fail(rc, "binding a parameter");
    return *this;
}

bool Stmt::step() {
    for (int attempt = 1;; ++attempt) {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        // Outside an explicit transaction a busy statement can be reset and
        // stepped again; inside one the caller's transaction must roll back.
        if (isBusy(rc) && attempt < kBusyAttempts && sqlite3_get_autocommit(m_db->get())) {
            sqlite3_reset(m_stmt);
            continue;
        }
        sqlite3_reset(m_stmt);
        m_db->fail(rc, "running \"" + std::string(m_sql).substr(0, 60) + "\"");
    }
}

void Stmt::run() {
    StmtScope scope(*this);
    step();
}

void Stmt::reset() {
    if (!m_stmt) return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Stmt::int64At(int column) const { return sqlite3_column_int64(m_stmt, column); }

std::string Stmt::textAt(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p ? std::string(p, std::size_t(n)) : std::string();
}

std::span<const std::uint8_t> Stmt::blobAt(int column) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p ? std::span<const std::uint8_t>(p, std::size_t(n)) : std::span<const std::uint8_t>();
}

bool Stmt::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

Transaction::Transaction(Db& db, Kind kind) : m_db(db) {
    db.exec(kind == Kind::Write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED",
            kind == Kind::Write ? "starting a write transaction" : "starting a read transaction");
    m_open = true;
}

Transaction::~Transaction() {
    // SQLite may already have rolled back by itself (SQLITE_FULL, IOERR):
    // only roll back what is still open.
    if (m_open && m_db.inTransaction()) sqlite3_exec(m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_db.exec("COMMIT", "committing");
    m_open = false;
}

} // namespace gs::cache
