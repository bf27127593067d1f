#pragma once
// The analysis engine: one entry point for a single sentence (interactive)
// and for a whole dataset (batch job), both going through the results store
// so that nothing is computed twice and a reopened project is instant.
//
// Thread-safety and ownership (read this first):
//  - An AnalysisEngine is used by ONE thread: the worker that owns the loaded
//    model and the writable ResultStore. It holds references to both; the
//    caller keeps them alive longer than the engine. Nothing in it is safe to
//    call from two threads at once.
//  - Every callback (progress, results) runs on that worker thread, between
//    forward passes. A GUI forwards them with queued signals; it never reads
//    the engine from the GUI thread. Other threads read results through their
//    own read-only ResultStore (WAL: they see whole committed batches only).
//  - Cancellation: the progress callback returning false, or `*cancelFlag`
//    becoming true (an std::atomic<bool> another thread may set at any time),
//    stops the job. The flag is checked between forward passes, the callback
//    after every committed batch. What was committed stays committed; the
//    batch in flight is dropped; the call returns Status::cancelled() and the
//    runs stay Running (as after a killed process). Calling again with the
//    same arguments resumes where it stopped.
//
// Analyses are the LayerQuantity ids of layer_view.h ("hidden-norm",
// "cosine-to-last", "change-from-previous", "surprisal"); "hidden_norm" with
// underscores is accepted too. Every per-sentence result is a token x layer
// ResultMatrix: columns are the model's tokens (specials included, labels
// displayTokenText()), rows "emb", "1" .. "L" ("MLM" for surprisal, one row,
// bits, 0 at special tokens). Word grouping is a display step
// (groupResultColumns()). Values equal computeLayerHeatmap(..., Tokens) on
// the same sentence (double precision reductions; padding masked out) and are
// stored as fp16 (result_store.h).
//
// Identity: one store run per analysis, keyed by the model fingerprint, the
// analysis id, its code version and a parameters JSON holding everything
// that changes the numbers: precision and device class of the loaded model,
// the effective maximum length. Batching settings do not change the numbers
// (beyond float rounding) and are not part of the key.
//
// Crash safety: each batch is one putResults() per analysis run; a killed
// process loses at most the batch in flight, and the next call computes only
// the sentences that have no result yet (ResultStore::missingSentences()).

#include "grammascope/dataset.h"
#include "grammascope/layer_view.h"
#include "grammascope/model.h"
#include "grammascope/result_store.h"
#include "grammascope/status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

struct AnalysisDescriptor {
    std::string id;           // "hidden-norm", ... (LayerQuantityInfo::id)
    LayerQuantity quantity;
    std::string label;        // for people
    std::string codeVersion;  // goes into the run key; bumped when the numbers change
    bool needsMlmHead = false;
};

// Every analysis the engine runs, in layerQuantities() order.
const std::vector<AnalysisDescriptor>& engineAnalyses();
// Parses "hidden-norm,surprisal" (underscores accepted, spaces ignored,
// duplicates dropped, order kept, "all" = every analysis) into canonical ids.
Status parseAnalysisIds(std::string_view commaList, std::vector<std::string>& ids);

struct AnalysisParameters {
    // Longest sequence fed to the model, special tokens included; longer
    // sentences are truncated (with a warning). 0 or more than the model
    // allows = the model's maximum. Part of the run key (effective value).
    std::int64_t maxLength = 0;
    // Batching: padded tokens per forward pass and sentences per batch. A
    // batch is also the unit committed to the store. Not part of the key.
    // batchTokens also bounds the masked copies of a surprisal pass, and it
    // sets the memory of a job: cosine-to-last keeps the L + 1 layers of one
    // batch ([batchTokens x hidden] each) until the last layer exists.
    std::int64_t batchTokens = 8192;
    int maxBatchSize = 128;
};

// The run key of one analysis under the loaded model and parameters (for
// readers that look results up in their own read-only store).
struct AnalysisRunRef {
    std::string analysis;
    std::int64_t runId = 0;
    AnalysisKey key;
};

// One analysis of one sentence.
struct SentenceAnalysis {
    std::string analysis;      // canonical id
    std::int64_t runId = 0;
    std::string sentenceHash;  // sentenceHash(text)
    ResultMatrix matrix;       // token x layer, labels filled
    bool fromCache = false;    // read from the store (fp16-rounded) vs computed now (full float)
};

// Progress of a dataset job. Items are the distinct sentences of the dataset
// (both sides of every pair, identical texts counted once).
struct EngineProgress {
    std::int64_t itemsDone = 0, itemsTotal = 0;
    std::int64_t cachedItems = 0;      // of itemsTotal, already in the store for every analysis
    std::int64_t tokensDone = 0;       // tokens computed by this call (padding excluded)
    std::int64_t tokensTotal = 0;      // tokens this call has to compute
    double elapsedSeconds = 0;
    double tokensPerSecond = 0;        // tokensDone / elapsed compute time
    double etaSeconds = -1;            // -1 while unknown
    std::int64_t batchesDone = 0;
};
using EngineProgressCallback = std::function<bool(const EngineProgress&)>;  // false = cancel

// One batch of results, in the order computed (not dataset order). Each
// SentenceAnalysis names its analysis and sentence.
using EngineResultsCallback = std::function<void(const std::vector<SentenceAnalysis>& batch)>;

struct DatasetRunCallbacks {
    EngineProgressCallback progress;   // after start, after every batch, at the end
    EngineResultsCallback onResults;   // after every committed batch
    // Also stream results already in the store (read back in batches before
    // computing), so that a viewer gets every item exactly once.
    bool streamCached = false;
    const std::atomic<bool>* cancelFlag = nullptr;  // may be set from any thread
};

struct TruncationNote {
    std::string itemId;        // DatasetItem::id ("line N" without one; "#N" for analyseSentences)
    std::int64_t tokens = 0;   // before truncation, specials included
    std::int64_t kept = 0;
};

struct DatasetRunSummary {
    std::vector<AnalysisRunRef> runs;  // in the requested order
    std::int64_t datasetId = 0;        // the dataset as registered in the store
    std::int64_t items = 0;            // dataset items
    std::int64_t sentences = 0;        // distinct sentences
    std::int64_t cachedSentences = 0;  // needed no computation
    std::int64_t computedSentences = 0;
    std::int64_t computedResults = 0;  // (sentence, analysis) results written
    std::int64_t tokens = 0;           // tokens computed (padding excluded)
    std::int64_t paddedTokens = 0;     // tokens fed to the hidden-state passes (with padding)
    std::int64_t batches = 0;
    double seconds = 0;                // wall time of the call
    double computeSeconds = 0;         // forward passes and reductions
    double storeSeconds = 0;           // putResults
    double tokensPerSecond = 0;        // tokens / (computeSeconds + storeSeconds)
    std::vector<TruncationNote> truncated;
    std::vector<std::string> warnings; // for people ("item 12: 600 tokens, truncated to 512")
    bool cancelled = false;
};

class AnalysisEngine {
public:
    // `model` and `store` are owned by the caller and must outlive the engine;
    // the store must be writable.
    AnalysisEngine(const Model& model, ResultStore& store);
    ~AnalysisEngine();
    AnalysisEngine(const AnalysisEngine&) = delete;
    AnalysisEngine& operator=(const AnalysisEngine&) = delete;

    // Fingerprints the model folder (fingerprintModelFiles(), reads every
    // weight byte once) and records the model in the store. Done lazily by
    // the first analysis; call it early to show its progress. Cached.
    Status registerModel(const ProgressCallback& progress = {});
    // For callers that already know the fingerprint (skips hashing).
    Status setModelFingerprint(const std::string& fingerprint);
    const std::string& modelFingerprint() const;  // empty before registration
    // maxLength as applied to the loaded model (0 or too large: the model's maximum).
    std::int64_t effectiveMaxLength(const AnalysisParameters& params) const;

    // The run keys for `analysisIds` under these parameters (registers the
    // model first if needed). Does not create runs.
    Status runKeys(const std::vector<std::string>& analysisIds, const AnalysisParameters& params,
                   std::vector<AnalysisKey>& keys);

    // One sentence, every analysis: from the store when there, else computed
    // in one forward pass (plus the surprisal passes) and stored. `fromCache`
    // is true when nothing had to be computed. `out` follows analysisIds.
    // `progress` gets (forward passes done, total) and may cancel. When
    // computing worked but saving failed (disk full, busy), `out` still holds
    // the results and the Status names the saving stage. A run that another
    // job left Running stays Running (that job completes it); otherwise the
    // run is marked Complete after the sentence is saved.
    Status analyseSentence(std::string_view text, const std::vector<std::string>& analysisIds,
                           const AnalysisParameters& params, std::vector<SentenceAnalysis>& out, bool& fromCache,
                           const ProgressCallback& progress = {}, std::vector<std::string>* warnings = nullptr);

    // Every distinct sentence of `dataset` (good and bad sides), every
    // analysis; only what the store lacks is computed, in length-bucketed,
    // padded batches; each batch is committed, then streamed. Registers the
    // dataset in the store (sentences in item order: good, bad) so that an
    // export can follow its order. Holds at most one batch of hidden states.
    Status analyseDataset(const Dataset& dataset, const std::vector<std::string>& analysisIds,
                          const AnalysisParameters& params, const DatasetRunCallbacks& callbacks,
                          DatasetRunSummary& summary);

    // The same on plain sentences (dataset id 0, not registered).
    Status analyseSentences(const std::vector<std::string>& sentences, const std::vector<std::string>& analysisIds,
                            const AnalysisParameters& params, const DatasetRunCallbacks& callbacks,
                            DatasetRunSummary& summary);

private:
    struct Impl;  // src/engine/engine_impl.h
    std::unique_ptr<Impl> m_impl;
};

// Merges token columns into words for display: consecutive non-special
// tokens with the same word index form one column; layer quantities take the
// mean of their pieces, surprisal the sum (as computeLayerHeatmap does).
// `tokens` is the sentence's Encoding (the columns of `matrix`): the
// tokenizer's encode(text, effectiveMaxLength(params)) gives it again; it is
// cheap and needs no forward pass. Fails when the column counts differ.
Status groupResultColumns(const ResultMatrix& matrix, const Encoding& tokens, LayerQuantity quantity,
                          TokenGrouping grouping, Heatmap& out);

} // namespace gs
