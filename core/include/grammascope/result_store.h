#pragma once
// The results store: what Grammascope computes and trains, kept in one SQLite
// file so that nothing is computed twice.
//
// Thread-safety and processes (read this first):
//  - A ResultStore object owns one SQLite connection and is used by one thread
//    at a time; it is not safe to call one object from two threads at once.
//  - The writer: one writable store per process, owned by the thread that
//    computes (the analysis worker). It alone writes results and runs.
//  - Readers: any other thread opens its own ResultStore with
//    ResultStoreOptions::readOnly = true. The journal is WAL, so readers never
//    block the writer and see whole committed batches only, never half of one.
//    A read-only store does not record reads for the LRU order.
//  - Several processes may open the same file. Writes serialise on SQLite's
//    lock; a writer waits at most busyTimeoutMs per attempt, a few attempts,
//    then fails with StoreProblem::Busy: it never waits forever.
//
// Identity: a result is found again only under exactly the same key:
//  - a model is its fingerprint (fingerprintModelFiles(): config, weights and
//    tokenizer files), so re-training or swapping the vocabulary is a new model;
//  - a run is an AnalysisKey: model fingerprint + analysis name + parameters
//    (JSON, canonicalised: key order and spacing do not matter) + the code
//    version of the analysis. Anything else that changes the numbers
//    (precision, device class, token grouping, ...) belongs in the parameters;
//  - a sentence is the SHA-256 of its exact UTF-8 bytes (no normalisation).
// A run collects per-sentence results; running it on new sentences adds to it.
//
// Precision: values are stored as IEEE 754 binary16 (fp16), rounded to
// nearest, ties to even. Round-trip error: relative <= 2^-11 (about 4.9e-4)
// for |x| in [6.1e-5, 65504]; absolute <= 2^-25 (about 3e-8) below that
// (subnormals); |x| >= 65520 becomes +-inf; NaN stays NaN; -0 stays -0.
//
// Crash safety: every putResults() call is one transaction (BEGIN IMMEDIATE …
// COMMIT) in WAL mode, so a process killed mid-run loses at most the batch in
// flight; the run stays Running and missingSentences() gives what is left to
// compute. With `durable` (the default) a commit also survives power loss.
//
// Size limit: when the pages in use exceed sizeLimitBytes, the least recently
// used results of Complete runs are deleted (reads through a writable store
// refresh a result's recency, at most once per lruTouchIntervalMs). Results
// of Running runs, artefacts, models, datasets and sentences are never
// evicted, so a store may stay above its limit (StoreStats::overLimit).
//
// Errors: every call returns a Status; when it failed, problem() says what
// kind of failure it was. A corrupt database or one written by a newer
// Grammascope is never deleted or rewritten: open() fails with
// StoreProblem::Corrupt / NewerSchema and the caller may offer
// moveAsideCorruptStore(). A full disk (or hardLimitBytes) rolls the failed
// transaction back; everything committed before stays.

#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

// Schema version this build writes (PRAGMA user_version).
inline constexpr int kResultStoreSchemaVersion = 1;

enum class StoreProblem : std::uint8_t {
    None,
    Corrupt,          // not a database, malformed pages, failed check, foreign file: offer moveAsideCorruptStore()
    NewerSchema,      // written by a newer Grammascope: use that version or move the file aside
    DiskFull,         // disk or hardLimitBytes full: the failed transaction was rolled back
    Busy,             // another connection held the write lock past the bounded wait
    ReadOnly,         // a read-only store asked to write, or the file / folder is not writable
    InvalidArgument,  // unknown run, malformed matrix, invalid parameters JSON, ...
    Io,               // any other I/O or SQLite failure
};

// "corrupt", "newer-schema", "disk-full", ...
const char* storeProblemName(StoreProblem problem);

struct ResultStoreOptions {
    bool readOnly = false;
    // Pages in use above this trigger LRU eviction (after each batch); 0 = no limit.
    std::int64_t sizeLimitBytes = std::int64_t{2} << 30;
    // Hard cap: the file never grows past it; a write that would is refused
    // like a full disk (StoreProblem::DiskFull). 0 = none.
    std::int64_t hardLimitBytes = 0;
    // SQLite busy timeout per attempt; a write gives up after a few attempts.
    int busyTimeoutMs = 5000;
    // A read refreshes a result's recency only if the last refresh is older.
    std::int64_t lruTouchIntervalMs = 60'000;
    // PRAGMA quick_check when a writable store opens a file up to this size
    // (it reads every page); -1 = always, 0 = never. Read-only opens skip it
    // (the writer checked). Damage found later still fails with Corrupt, and
    // verify() runs the full check on demand.
    std::int64_t quickCheckUpToBytes = std::int64_t{256} << 20;
    // fsync every commit (synchronous=FULL). false: synchronous=NORMAL, still
    // safe against a killed process, but a power loss may drop the last batches.
    bool durable = true;
};

struct ModelRecord {
    std::string fingerprint;   // fingerprintModelFiles()
    std::string path;          // where it was last opened from (informative)
    std::string description;
    std::int64_t createdMs = 0, lastUsedMs = 0;  // filled by the store (ms since the epoch)
};

struct DatasetRecord {
    std::int64_t id = 0;           // filled by the store
    std::string contentHash;       // e.g. contentHash(file bytes); identifies the dataset
    std::string name;
    std::string source;            // file path (informative)
    std::int64_t sentenceCount = 0;  // filled by the store
    std::int64_t createdMs = 0;
};

struct SentenceRecord {
    std::string hash;  // sentenceHash(text)
    std::string text;
};

struct AnalysisKey {
    std::string modelFingerprint;
    std::string analysis;              // "hidden-norm", "probe-confidence", ...
    std::string parametersJson = "{}"; // any JSON; canonicalised by the store
    std::string codeVersion;           // bump when the analysis code changes its numbers
};

enum class RunState : std::uint8_t { Running = 0, Complete = 1 };

struct RunInfo {
    std::int64_t id = 0;
    std::string keyHash;
    AnalysisKey key;                   // parametersJson canonical
    RunState state = RunState::Running;
    std::int64_t results = 0;          // stored per-sentence results
    std::int64_t resultBytes = 0;      // their blobs
    std::int64_t createdMs = 0, updatedMs = 0, lastUsedMs = 0;
};

// One sentence's token x layer matrix (mirrors gs::Heatmap).
struct ResultMatrix {
    int rows = 0;                        // layers (or any row axis)
    int cols = 0;                        // tokens
    std::vector<float> values;           // row-major [rows x cols]
    std::vector<std::string> rowLabels;  // empty or `rows` entries ("emb", "1", ...)
    std::vector<std::string> colLabels;  // empty or `cols` entries (token text)
    float at(int row, int col) const { return values[static_cast<std::size_t>(row) * cols + col]; }
};

struct ResultEntry {
    std::string sentenceText;  // hashed by the store (sentenceHash)
    ResultMatrix matrix;
};

// A trained artefact (probe, SAE, derived checkpoint): metadata plus either a
// blob (small: probes) or a file path (large: checkpoints). Unique by (kind,
// name); never evicted by the size limit. Kind "hidden-states" is a
// recomputable cache: clear(Results) removes those records, and deleting one
// (deleteArtefact, clear) also deletes its file when the file is inside the
// store's folder.
struct ArtefactRecord {
    std::int64_t id = 0;
    std::string kind;                  // "probe", "sae", "checkpoint", ...
    std::string name;
    std::string modelFingerprint;      // the model it belongs to, may be empty
    std::int64_t runId = 0;            // the run it was trained from, 0 = none
    std::string metadataJson = "{}";   // canonicalised by the store
    std::vector<std::uint8_t> data;    // listArtefacts() leaves it empty
    std::string filePath;
    std::int64_t dataBytes = 0;        // filled by the store
    std::int64_t createdMs = 0, updatedMs = 0;
};

struct StoreTableSize {
    std::string name;      // table or index
    std::int64_t bytes = 0;
};

struct StoreStats {
    std::filesystem::path path;
    int schemaVersion = 0;
    std::int64_t fileBytes = 0, walBytes = 0;
    std::int64_t usedBytes = 0;        // pages in use (what the size limit counts)
    std::int64_t freeBytes = 0;        // free pages inside the file
    std::int64_t sizeLimitBytes = 0;
    bool overLimit = false;            // nothing more may be evicted to get under it
    std::int64_t models = 0, datasets = 0, sentences = 0;
    std::int64_t runs = 0, runningRuns = 0, completeRuns = 0;
    std::int64_t results = 0, resultBytes = 0;
    std::int64_t artefacts = 0, artefactBytes = 0;
    std::int64_t evictedResults = 0;   // by this store object since it was opened
    std::vector<StoreTableSize> tables;  // per table and index (SQLite dbstat), largest first
};

enum class ClearScope {
    Results,     // runs, results and cached hidden states (the recomputable cache); models, datasets, other artefacts stay
    Everything,  // every row
};

struct ExportOptions {
    std::int64_t datasetId = 0;  // 0: every result of the run in insertion order; else the dataset's sentences in its order
};

// A folder for files kept beside the store by the code that uses it
// (hidden-state tables, SAE training states): <store dir>/<name>, or
// <system temp>/grammascope-<uid>/<name> for an in-memory store. Not created.
class ResultStore;
std::filesystem::path storeSideFolder(const ResultStore& store, const std::string& name);

class ResultStore {
public:
    ~ResultStore();
    ResultStore(const ResultStore&) = delete;
    ResultStore& operator=(const ResultStore&) = delete;

    // Opens or creates the store at `path` (":memory:" for a private
    // in-memory store), creating its folder, migrating an older schema. Fails
    // with `*problem` = Corrupt or NewerSchema without touching the file.
    static Status open(const std::filesystem::path& path, const ResultStoreOptions& options,
                       std::unique_ptr<ResultStore>& out, StoreProblem* problem = nullptr);

    const std::filesystem::path& path() const;
    bool readOnly() const;
    // The kind of the last failure of a call on this object (None after a success).
    StoreProblem problem() const;

    // Models: insert or update by fingerprint.
    Status registerModel(const ModelRecord& model);
    Status findModel(const std::string& fingerprint, ModelRecord& out, bool& found);
    Status listModels(std::vector<ModelRecord>& out);

    // Datasets: insert by content hash with their sentences in order (an
    // existing hash only updates name and source). One transaction.
    Status registerDataset(const DatasetRecord& dataset, const std::vector<std::string>& sentences,
                           std::int64_t& datasetId);
    Status listDatasets(std::vector<DatasetRecord>& out);
    Status datasetSentences(std::int64_t datasetId, std::vector<SentenceRecord>& out);
    Status findSentence(const std::string& hash, SentenceRecord& out, bool& found);

    // Runs. findRun() only looks; beginRun() finds or creates the run, marks
    // it Running and makes this store its writer (putResults needs that);
    // finishRun() marks it Complete (evictable) and releases it. A run left
    // Running by a killed process is resumed by calling beginRun() again.
    Status analysisKeyHash(const AnalysisKey& key, std::string& hash) const;
    Status findRun(const AnalysisKey& key, std::int64_t& runId, bool& found);
    Status beginRun(const AnalysisKey& key, std::int64_t& runId);
    Status finishRun(std::int64_t runId);
    Status runInfo(std::int64_t runId, RunInfo& out);
    Status listRuns(std::vector<RunInfo>& out);
    Status deleteRun(std::int64_t runId);  // with its results; not a run being written

    // Results. putResults() stores a batch in one transaction (replacing
    // results already there) and then applies the size limit. `progress` is
    // called per entry inside the transaction; returning false rolls the
    // whole batch back and returns Cancelled.
    Status putResults(std::int64_t runId, const std::vector<ResultEntry>& batch,
                      const ProgressCallback& progress = {});
    Status getResult(std::int64_t runId, const std::string& sentenceHash, ResultMatrix& out, bool& found);
    // The hashes (in input order) that have no result in the run yet.
    Status missingSentences(std::int64_t runId, const std::vector<std::string>& sentenceHashes,
                            std::vector<std::string>& missing);
    // Writes the recency refreshes collected by reads (also done before each
    // batch, eviction and on destruction).
    Status flushTouches();

    // Artefacts: insert or replace by (kind, name).
    Status putArtefact(const ArtefactRecord& artefact, std::int64_t& id);
    Status getArtefact(const std::string& kind, const std::string& name, ArtefactRecord& out, bool& found);
    Status listArtefacts(const std::string& kind, std::vector<ArtefactRecord>& out);  // "" = all kinds; no blobs
    Status deleteArtefact(std::int64_t id);

    // Maintenance. clear() refuses while this store writes a run.
    Status setSizeLimit(std::int64_t bytes);  // 0 = none; applied at once
    Status enforceSizeLimit(std::int64_t* evicted = nullptr);
    Status clear(ClearScope scope = ClearScope::Results);
    Status vacuum();   // rewrites the file to its smallest size (needs as much free disk)
    Status verify();   // PRAGMA integrity_check; Corrupt when it fails
    // Counts and sizes; the per-table sizes read every page (SQLite dbstat),
    // so call it for a settings / cache dialog, not per batch.
    Status stats(StoreStats& out);

    // Streams a run's results to `file` (written to file + ".part", renamed
    // when complete). `progress` gets (sentences done, total).
    //  CSV: header sentence,token_index,token,layer_index,layer,value, one row
    //       per cell; layer is the row label; NaN is an empty value.
    //  JSON: {"format":"grammascope-results","version":1,"run":{…},"results":[
    //        {"sentence","sentence_hash","layers":[…],"tokens":[…],
    //         "values":[[layer 0 per token…],…]}, …]}; non-finite values are null.
    Status exportRunCsv(std::int64_t runId, const std::filesystem::path& file, const ExportOptions& options = {},
                        const ProgressCallback& progress = {});
    Status exportRunJson(std::int64_t runId, const std::filesystem::path& file, const ExportOptions& options = {},
                         const ProgressCallback& progress = {});

private:
    struct Impl;  // src/cache/result_store_impl.h
    explicit ResultStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Lower-case hex SHA-256 of the exact bytes.
std::string sentenceHash(std::string_view text);
std::string contentHash(std::string_view bytes);

// JSON with sorted keys and no spaces (nlohmann's dump); fails on invalid JSON.
Status canonicalJson(std::string_view json, std::string& out);

// Identity of a checkpoint folder: SHA-256 over a manifest of the files that
// determine its outputs (config.json, *.safetensors, pytorch_model*.bin,
// *.index.json, vocab.txt, vocab.json, merges.txt, tokenizer.json,
// tokenizer_config.json, special_tokens_map.json, added_tokens.json, *.model;
// top level only), each as name, size and XXH64 of its whole content (read
// in 1 MiB chunks; several GB/s, so the disk sets the pace). Every byte
// counts: changing one weight changes the fingerprint. "gsfp1-<64 hex>".
// `progress` gets (bytes hashed, total bytes) and may cancel.
Status fingerprintModelFiles(const std::filesystem::path& modelDir, std::string& fingerprint,
                             const ProgressCallback& progress = {});

// $XDG_CACHE_HOME/grammascope/results.sqlite when XDG_CACHE_HOME is an
// absolute path, else ~/.cache/grammascope/results.sqlite.
std::filesystem::path defaultStorePath();

// Renames a store that cannot be used (and its -wal / -shm files, so that it
// stays readable with its last commits) to "<name>.<tag>-<YYYYmmdd-HHMMSS>"
// next to it; nothing is deleted. Call with no ResultStore open on it.
Status moveAsideCorruptStore(const std::filesystem::path& path, std::filesystem::path& newPath,
                             std::string_view tag = "corrupt");

} // namespace gs
