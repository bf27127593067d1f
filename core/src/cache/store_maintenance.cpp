// ResultStore maintenance: the size limit and LRU eviction, clearing,
// vacuuming, integrity checks, statistics; and trained artefacts.

#include "cache/result_store_impl.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace gs {

using cache::Stmt;
using cache::StmtScope;
using cache::Transaction;
using cache::throwStoreError;

namespace {

// With auto_vacuum = INCREMENTAL this truncates freed pages off the file.
// `truncateWal` also checkpoints and empties the WAL: it waits for readers
// (bounded by the busy timeout), so only explicit actions ask for it; after
// eviction the automatic checkpoints suffice.
void returnFreePages(cache::Db& db, bool memory, bool truncateWal) {
    db.exec("PRAGMA incremental_vacuum", "returning free pages");
    if (truncateWal && !memory) db.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing");
}

// Artefacts of this kind are recomputable caches whose data lives in a file
// the store's owner wrote next to the store (probe_data.h: hidden states).
// Clearing the results or deleting such an artefact also deletes its file,
// but only when the file is inside the store's folder; a file elsewhere was
// put there by someone else and stays.
constexpr const char* kCacheFileKind = "hidden-states";

// file_path of the cache artefacts `where` selects ("" = all of them).
std::vector<std::string> cacheFiles(cache::Db& db, const std::string& where) {
    std::vector<std::string> out;
    const std::string sql = std::string("SELECT file_path FROM artefacts WHERE kind = '") + kCacheFileKind +
                            "' AND file_path <> ''" + (where.empty() ? "" : " AND " + where);
    Stmt s(db, sql.c_str());
    while (s.step()) out.push_back(s.textAt(0));
    return out;
}

void removeOwnedFiles(const std::filesystem::path& storePath, const std::vector<std::string>& files) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (storePath.empty() || files.empty()) return;
    const fs::path folder = fs::weakly_canonical(fs::absolute(storePath, ec).parent_path(), ec);
    for (const auto& f : files) {
        const fs::path file = fs::weakly_canonical(fs::path(f), ec);
        const auto rel = file.lexically_relative(folder);
        if (ec || rel.empty() || *rel.begin() == "..") continue;
        fs::remove(file, ec);  // a file already gone is fine
    }
}

} // namespace

std::int64_t ResultStore::Impl::usedBytes() {
    const auto scalar = [](Stmt& s) {
        StmtScope scope(s);
        return s.step() ? s.int64At(0) : 0;
    };
    return m_pageSize * (scalar(m_st->pageCount) - scalar(m_st->freelistCount));
}

std::int64_t ResultStore::Impl::evictToLimit() {
    const std::int64_t limit = m_options.sizeLimitBytes;
    if (m_options.readOnly || limit <= 0 || usedBytes() <= limit) {
        m_overLimit = false;
        return 0;
    }
    // Evict to 90% of the limit, so that the next batches do not each pay
    // for a small eviction.
    const std::int64_t lowWater = limit - limit / 10;
    std::int64_t evicted = 0;
    m_overLimit = false;
    bool more = true;
    while (more) {
        Transaction tx(m_db, Transaction::Kind::Write);
        writeTouches();  // reads since the last batch count as recent
        std::vector<std::int64_t> candidates;
        {
            Stmt& s = m_st->evictCandidates;
            StmtScope scope(s);
            while (s.step()) {
                // Runs of this store are Running in the file too; the check
                // also covers a run another process marked Complete meanwhile.
                if (!m_activeRuns.count(s.int64At(1))) candidates.push_back(s.int64At(0));
            }
        }
        // Freed pages are counted, not blob sizes: a blob's overflow pages
        // and index entries make its real footprint larger than its bytes.
        bool under = false;
        for (const std::int64_t id : candidates) {
            m_st->resultDelete.bind(1, id).run();
            ++evicted;
            if (usedBytes() <= lowWater) {
                under = true;
                break;
            }
        }
        tx.commit();
        if (candidates.empty() && usedBytes() > limit) m_overLimit = true;  // the rest is protected
        more = !under && !candidates.empty();
    }
    if (evicted > 0) returnFreePages(m_db, m_memory, false);
    m_evicted += evicted;
    return evicted;
}

Status ResultStore::setSizeLimit(std::int64_t bytes) {
    return m_impl->guard("setting the size limit", [&] {
        m_impl->m_options.sizeLimitBytes = std::max<std::int64_t>(0, bytes);
        m_impl->evictToLimit();
    });
}

Status ResultStore::enforceSizeLimit(std::int64_t* evicted) {
    if (evicted) *evicted = 0;
    return m_impl->guard("applying the size limit", [&] {
        m_impl->requireWritable("evict results");
        const std::int64_t n = m_impl->evictToLimit();
        if (evicted) *evicted = n;
    });
}

Status ResultStore::clear(ClearScope scope) {
    return m_impl->guard("clearing the results store", [&] {
        m_impl->requireWritable("be cleared");
        if (!m_impl->m_activeRuns.empty())
            throwStoreError(StoreProblem::InvalidArgument, "a run is being written; finish it before clearing");
        m_impl->m_pendingTouches.clear();
        cache::Db& db = m_impl->m_db;
        std::vector<std::string> files;
        {
            Transaction tx(db, Transaction::Kind::Write);
            files = cacheFiles(db, "");
            db.exec("DELETE FROM results; DELETE FROM runs;", "deleting results");
            db.exec((std::string("DELETE FROM artefacts WHERE kind = '") + kCacheFileKind + "'").c_str(),
                    "deleting cached hidden states");
            if (scope == ClearScope::Everything) {
                db.exec("DELETE FROM artefacts; DELETE FROM dataset_sentences; DELETE FROM datasets; "
                        "DELETE FROM sentences; DELETE FROM models;",
                        "deleting everything");
            } else {
                // Sentences only results referred to; datasets keep theirs.
                db.exec("DELETE FROM sentences WHERE id NOT IN (SELECT sentence_id FROM dataset_sentences)",
                        "deleting unused sentences");
            }
            tx.commit();
        }
        removeOwnedFiles(m_impl->m_path, files);
        returnFreePages(db, m_impl->m_memory, true);
        m_impl->m_overLimit = false;
    });
}

Status ResultStore::vacuum() {
    return m_impl->guard("vacuuming the results store", [&] {
        m_impl->requireWritable("be vacuumed");
        m_impl->flushTouchesNow();
        m_impl->m_db.exec("VACUUM", "vacuuming");
        if (!m_impl->m_memory) m_impl->m_db.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing");
    });
}

Status ResultStore::verify() {
    return m_impl->guard("checking the results store", [&] {
        std::string problems;
        try {
            Stmt s(m_impl->m_db, "PRAGMA integrity_check(20)");
            while (s.step()) {
                const std::string line = s.textAt(0);
                if (line == "ok") continue;
                if (!problems.empty()) problems += "; ";
                problems += line;
            }
        } catch (const cache::StoreError& e) {
            if (e.problem != StoreProblem::Corrupt) throw;
            problems = e.sqliteMessage;
        }
        std::replace(problems.begin(), problems.end(), '\n', ' ');
        if (!problems.empty())
            throwStoreError(StoreProblem::Corrupt, m_impl->m_path.string() + " is damaged (integrity_check: " +
                                                       problems + "); it can be moved aside and a new store created");
    });
}

Status ResultStore::stats(StoreStats& out) {
    out = {};
    return m_impl->guard("reading store statistics", [&] {
        Impl& d = *m_impl;
        out.path = d.m_path;
        out.schemaVersion = d.m_schemaVersion;
        out.sizeLimitBytes = d.m_options.sizeLimitBytes;
        out.evictedResults = d.m_evicted;
        out.overLimit = d.m_overLimit;
        if (!d.m_memory) {
            std::error_code ec;
            const auto fileBytes = std::filesystem::file_size(d.m_path, ec);
            out.fileBytes = ec ? 0 : std::int64_t(fileBytes);
            const auto walBytes = std::filesystem::file_size(d.m_path.string() + "-wal", ec);
            out.walBytes = ec ? 0 : std::int64_t(walBytes);
        }
        Transaction tx(d.m_db, Transaction::Kind::Read);
        out.usedBytes = d.usedBytes();
        out.freeBytes = d.m_pageSize * d.m_db.queryInt("PRAGMA freelist_count");
        out.models = d.m_db.queryInt("SELECT count(*) FROM models");
        out.datasets = d.m_db.queryInt("SELECT count(*) FROM datasets");
        out.sentences = d.m_db.queryInt("SELECT count(*) FROM sentences");
        out.runs = d.m_db.queryInt("SELECT count(*) FROM runs");
        out.completeRuns = d.m_db.queryInt("SELECT count(*) FROM runs WHERE state = 1");
        out.runningRuns = out.runs - out.completeRuns;
        {
            Stmt s(d.m_db, "SELECT count(*), coalesce(sum(bytes), 0) FROM results");
            if (s.step()) out.results = s.int64At(0), out.resultBytes = s.int64At(1);
        }
        {
            Stmt s(d.m_db, "SELECT count(*), coalesce(sum(bytes), 0) FROM artefacts");
            if (s.step()) out.artefacts = s.int64At(0), out.artefactBytes = s.int64At(1);
        }
        // dbstat is optional in SQLite builds: without it the table list stays empty.
        try {
            Stmt s(d.m_db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC, 1");
            while (s.step()) out.tables.push_back({s.textAt(0), s.int64At(1)});
        } catch (const cache::StoreError&) {
            out.tables.clear();
        }
        tx.commit();
    });
}

// ---------------------------------------------------------------- artefacts

namespace {
void readArtefact(Stmt& s, ArtefactRecord& out, bool withData) {
    out.id = s.int64At(0);
    out.kind = s.textAt(1);
    out.name = s.textAt(2);
    out.modelFingerprint = s.textAt(3);
    out.runId = s.int64At(4);
    out.metadataJson = s.textAt(5);
    out.filePath = s.textAt(6);
    out.dataBytes = s.int64At(7);
    out.createdMs = s.int64At(8);
    out.updatedMs = s.int64At(9);
    out.data.clear();
    if (withData) {
        const auto blob = s.blobAt(10);
        out.data.assign(blob.begin(), blob.end());
    }
}
} // namespace

Status ResultStore::putArtefact(const ArtefactRecord& artefact, std::int64_t& id) {
    return m_impl->guard("saving an artefact", [&] {
        m_impl->requireWritable("save artefacts");
        if (artefact.kind.empty() || artefact.name.empty())
            throwStoreError(StoreProblem::InvalidArgument, "an artefact needs a kind and a name");
        std::string metadata;
        if (Status st = canonicalJson(artefact.metadataJson.empty() ? "{}" : artefact.metadataJson, metadata);
            !st.isOk())
            throwStoreError(StoreProblem::InvalidArgument, "artefact metadata: " + st.message());
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        Stmt& s = m_impl->m_st->artefactUpsert;
        StmtScope scope(s);
        s.bind(1, artefact.kind).bind(2, artefact.name).bind(3, artefact.modelFingerprint);
        if (artefact.runId > 0) s.bind(4, artefact.runId);
        else s.bindNull(4);
        s.bind(5, metadata).bind(6, artefact.filePath).bind(7, std::int64_t(artefact.data.size()));
        s.bind(8, m_impl->stamp());
        if (artefact.data.empty()) s.bindNull(9);
        else s.bindBlobStatic(9, artefact.data.data(), artefact.data.size());
        if (!s.step()) throwStoreError(StoreProblem::Io, "the artefact was not saved");
        id = s.int64At(0);
        m_impl->m_st->artefactUpsert.reset();
        tx.commit();
    });
}

Status ResultStore::getArtefact(const std::string& kind, const std::string& name, ArtefactRecord& out, bool& found) {
    found = false;
    return m_impl->guard("reading an artefact", [&] {
        Stmt& s = m_impl->m_st->artefactGet;
        StmtScope scope(s);
        if (!s.bind(1, kind).bind(2, name).step()) return;
        readArtefact(s, out, true);
        found = true;
    });
}

Status ResultStore::listArtefacts(const std::string& kind, std::vector<ArtefactRecord>& out) {
    out.clear();
    return m_impl->guard("listing artefacts", [&] {
        Stmt& s = m_impl->m_st->artefactList;
        StmtScope scope(s);
        s.bind(1, kind);
        while (s.step()) readArtefact(s, out.emplace_back(), false);
    });
}

Status ResultStore::deleteArtefact(std::int64_t id) {
    return m_impl->guard("deleting an artefact", [&] {
        m_impl->requireWritable("delete artefacts");
        Transaction tx(m_impl->m_db, Transaction::Kind::Write);
        const auto files = cacheFiles(m_impl->m_db, "id = " + std::to_string(id));
        Stmt s(m_impl->m_db, "DELETE FROM artefacts WHERE id = ?1");
        s.bind(1, id).run();
        if (m_impl->m_db.changes() == 0)
            throwStoreError(StoreProblem::InvalidArgument, "no artefact " + std::to_string(id) + " in this store");
        tx.commit();
        removeOwnedFiles(m_impl->m_path, files);
    });
}

} // namespace gs
