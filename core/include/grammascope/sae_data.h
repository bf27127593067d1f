#pragma once
// Sparse autoencoders on a model's layers for a dataset (methods.md §6): the
// hidden states come from extractHiddenStates (kept next to the results
// store, so a second run does not run the model again), one SAE per layer is
// trained on the non-special tokens of 90% of the sentences, streamed from
// that memory-mapped file one batch at a time (a corpus larger than memory
// trains as well), evaluated on the held-out 10% (L0, MSE, FVU, dead
// fraction; at most 262,144 held-out rows, a seeded subset beyond) and spliced into the model
// (MLM loss recovered), and the set is stored in the results store as an
// artefact (kind "sae"). SAELens folders go out and come in.
//
// Thread-safety: as probe_data.h: the calls use the model and the store of
// the calling thread. Cancellation: `*cancel` is polled inside every step,
// the progress callback returning false is seen at the next report.

#include "grammascope/dataset.h"
#include "grammascope/model.h"
#include "grammascope/probe_data.h"
#include "grammascope/result_store.h"
#include "grammascope/sae.h"
#include "grammascope/status.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gs {

// MLM loss recovered with an SAE spliced into one layer (methods.md §6).
// A fixed seeded 15% of the non-special tokens of every sentence (at least
// one) are replaced by [MASK]; the cross-entropy (nats, mean over the masked
// tokens) of the original ids is taken (a) clean, (b) with the layer's
// output (hidden state row `layer`, 0 = embeddings) zeroed, (c) replaced by
// the SAE reconstruction. Only the non-special positions are replaced (the
// SAE is trained on those); specials and padding keep their states.
struct SaeSpliceMetrics {
    std::int64_t sentences = 0, maskedTokens = 0;
    double ceClean = 0, ceZero = 0, ceSae = 0;  // nats per masked token
    double lossRecovered = 0;                     // (ceZero − ceSae) / (ceZero − ceClean); NaN when ceZero == ceClean
};
struct SaeSpliceProgress {
    std::int64_t sentencesDone = 0, sentencesTotal = 0;
};
using SaeSpliceProgressCallback = std::function<bool(const SaeSpliceProgress&)>;  // false = cancel

// Needs a model with an MLM head and sae.dIn == hidden size. Deterministic
// for a seed; sentences are truncated to the model's maximum length.
Status evaluateSaeSplice(const Model& model, const SparseAutoencoder& sae, int layer,
                         const std::vector<std::string>& sentences, std::uint64_t seed, SaeSpliceMetrics& out,
                         const SaeSpliceProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

struct SaeTrainRequest {
    std::vector<int> layers;          // empty = every layer 0 .. L
    SaeOptions options;               // options.seed also seeds the split, the row subset and the masks
    std::int64_t maxLength = 0;       // 0 = the model's maximum
    std::int64_t batchTokens = 8192;  // extraction
    std::int64_t maxRows = 0;         // 0 = all training rows; else a seeded subset of this many per layer
    bool includeSpecials = false;     // train on the specials ([CLS], [SEP]) too
    double heldOutFraction = 0.1;     // sentences held out for the metrics and the splice
    std::int64_t spliceSentences = 200;  // held-out sentences used for loss recovered (0 = none, skip the splice)
    bool reuse = true;                // return a stored set with the same name instead of training
};

struct SaeLayerResult {
    int layer = 0;
    SparseAutoencoder sae;            // empty weights in listSaeSets()
    SaeMetrics metrics;               // on the held-out rows (fireCounts kept)
    SaeSpliceMetrics splice;          // spliceSentences == 0: all zero
    bool hasSplice = false;
    std::int64_t trainRows = 0;
};

struct SaeSet {
    std::string name;                 // artefact name (saeSetName())
    std::string modelFingerprint;
    std::string datasetHash, datasetName;
    SaeTrainRequest request;
    std::int64_t sentences = 0, heldOutSentences = 0;
    std::vector<SaeLayerResult> layers;  // ascending layer
    std::int64_t createdMs = 0;
    double seconds = 0;
    bool imported = false;            // made from SAELens folders
};

std::string saeSetName(const std::string& modelFingerprint, const std::string& datasetHash,
                       const SaeTrainRequest& request);

struct SaeSetProgress {
    std::string stage;                // "hidden states", "layer 2: training", "layer 2: splice", ...
    int step = 0, steps = 0;
    ExtractionProgress extraction;    // during extraction (probe_data.h)
    SaeTrainProgress training;        // during training
};
using SaeSetProgressCallback = std::function<bool(const SaeSetProgress&)>;  // false = cancel

// The distinct sentences of a dataset (both sides of pairs), in order.
std::vector<std::string> datasetSentences(const Dataset& dataset);

// Trains (or reuses) the set and stores it (artefact kind "sae", blob =
// safetensors of every layer's "layer.<l>.W_enc" ..., metadata = the set's
// JSON). A cancelled call saves the training state of the layer in progress
// to <store dir>/sae-states/<sanitised name>.layer<l>.safetensors (layers
// already finished are kept there too) and returns Status::cancelled(); the
// same call then resumes and ends with the weights of an uninterrupted run.
Status trainSaeSet(const Model& model, const std::string& fingerprint, ResultStore& store, const Dataset& dataset,
                   const SaeTrainRequest& request, SaeSet& out, bool& reused,
                   const SaeSetProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Stored sets (without weights) and one with its weights.
Status listSaeSets(ResultStore& store, const std::string& modelFingerprint, std::vector<SaeSet>& out);  // "" = all
Status loadSaeSet(ResultStore& store, const std::string& name, SaeSet& out, bool& found);
Status deleteSaeSet(ResultStore& store, const std::string& name);
// Stores a set (replacing one of the same name).
Status storeSaeSet(ResultStore& store, const SaeSet& set);

// The set as JSON: metadata, request, per-layer metrics (no weights).
std::string saeSetJson(const SaeSet& set);

// One SAELens folder per layer: dir/layer_<l>/cfg.json + sae_weights.safetensors.
Status exportSaeSet(const SaeSet& set, const std::filesystem::path& dir);
// From SAELens folders: each of `dirs` is one SAE folder (with cfg.json), or
// a folder holding such folders (as written by exportSaeSet). hook_layer
// gives the layer; d_in must equal the model's hidden size and the layer
// must exist (numLayers given). The set is stored under a name made from
// the weights, and returned.
Status importSaeLensSet(const std::vector<std::filesystem::path>& dirs, const std::string& modelFingerprint,
                        std::int64_t hiddenSize, std::int64_t numLayers, ResultStore& store, SaeSet& out);

} // namespace gs
