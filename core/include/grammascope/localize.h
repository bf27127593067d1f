#pragma once
// Localized layers (methods.md §2 and §8, issue 8): train one encoder layer of
// an MLM checkpoint on minimal pairs so that a grammatical category lives in
// that layer, find which layer two checkpoints differ in, and measure where
// the localized layer is active and what restoring it to the parent does.
//
//  - trainLocalizedLayer: from a parent checkpoint and a dataset of pairs
//    (good = standard sentence, bad = its polypersonal twin), trains only
//    encoder layer L with  w_cos * mean(max(0, cos(h_good, h_bad)))  +
//    w_mlm * MLM(good)  where h is the mean over the tokens of layer L's
//    output (all non-padding tokens, specials included, or only the tokens of
//    the words the pair changes). Adam with linear warm-up and linear decay.
//    The MLM gradient is computed every `mlmEvery` steps and reused in
//    between (as in the reference run). Every other parameter is frozen: no
//    gradient, no optimizer state, and its stored bytes are copied unchanged.
//    The output folder is a normal Hugging Face checkpoint (config.json,
//    model.safetensors, the parent's tokenizer files) plus
//    grammascope_localized.json (parent, its fingerprint, layer, options,
//    final losses) and training/ (what a resumed run needs). Deterministic for
//    a seed and thread count; a resumed run gives the same weights as an
//    uninterrupted one.
//  - diffCheckpoints: per-tensor relative change ||B - A|| / ||A|| of two
//    checkpoints of one architecture, aggregated per encoder layer, and the
//    localized layer marked when one layer changed clearly more than the rest.
//  - compareHiddenStates / measureLocalizedActivity: token x layer distances
//    between the hidden states of the localized model and its parent, and the
//    localized layer's activity on the changed (category) tokens against all
//    other tokens, with bootstrap confidence intervals over sentences; layer
//    ablation (layer L restored to the parent's weights): the change of
//    per-token surprisal on category tokens against the others.
//
// Layers: `layer` options and fields are 0-based encoder layers. Hidden-state
// rows (heatmaps, per-row statistics) are 0 = embeddings, r = output of
// encoder layer r - 1, so encoder layer L's output is row L + 1.
//
// Thread-safety: free functions; Models are shared read-only (see model.h).
// Training runs on the calling thread and sets LibTorch's intra-op thread
// count. Cancellation: callbacks return false to stop; training first saves
// its state, then returns Status::cancelled().

#include "grammascope/dataset.h"
#include "grammascope/layer_view.h"
#include "grammascope/model.h"
#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

// ---------------------------------------------------------------- training

enum class LocalizePooling { AllTokens, ChangedTokens };
const char* localizePoolingName(LocalizePooling p);  // "all", "changed"

// The default localized layer of a model with `numLayers` encoder layers:
// 3 (the reference's 4th of 12) when the model has at least 6 layers, else
// numLayers / 2, so that a small model gets a middle layer, not its last.
int defaultLocalizedLayer(std::int64_t numLayers);

struct LocalizeTrainOptions {
    std::filesystem::path parentDir;   // MLM checkpoint to start from (needs the MLM head unless wMlm = 0)
    Dataset pairs;                     // used when it holds items; otherwise pairsFile is read
    std::filesystem::path pairsFile;   // any format readDataset() reads
    std::string phenomenon;            // keep only the pairs of this phenomenon (empty: all pairs)
    std::filesystem::path outDir;
    bool resume = false;               // continue the run saved in outDir/training (a fresh start when there is none)

    int layer = -1;                    // encoder layer to train, 0-based; -1: defaultLocalizedLayer()
    double wCos = 0.1, wMlm = 0.1;     // loss weights
    double learningRate = 1e-5;        // Adam peak learning rate
    std::int64_t warmupSteps = -1;     // linear warm-up; -1: 10% of the steps (of the first run when resuming)
    std::int64_t batchPairs = 16;      // pairs per step
    std::int64_t steps = 1000;         // optimizer steps (the schedule decays to 0 at the end)
    std::int64_t mlmEvery = 10;        // MLM gradient computed every N steps, reused in between
    LocalizePooling pooling = LocalizePooling::AllTokens;
    double maskProbability = 0.15;     // MLM on the good sentence: 80/10/10 as in BERT
    double dropout = 0.1;              // on the embeddings and every layer's output while training
    double clipNorm = 0;               // gradient-norm clipping; 0 = none
    std::int64_t maxLength = 0;        // tokens per sentence with specials; 0 = the model maximum
    std::uint64_t seed = 1;
    int threads = 0;                   // 0 = hardware concurrency
    std::int64_t saveEvery = 200;      // steps between saved states (and exported checkpoints)
};

struct LocalizeTrainProgress {
    std::int64_t step = 0, totalSteps = 0;
    double loss = 0;                   // w_cos * cos + w_mlm * mlm of this step
    double cosLoss = 0;                // mean(max(0, cos)) of this step's batch
    double mlmLoss = 0;                // the last computed MLM loss (nats per masked token)
    double learningRate = 0;
    double tokensPerSecond = 0;        // real tokens through the encoder
    double elapsedSeconds = 0, etaSeconds = 0;
    std::string message;               // stage text ("tokenizing pairs", "saved state at step 200"); no step data then
};

// Called after every step and with stage messages. Return false to stop
// (the state is saved first).
using LocalizeTrainCallback = std::function<bool(const LocalizeTrainProgress&)>;

struct LocalizeTrainSummary {
    int layer = -1;
    std::int64_t steps = 0;            // total steps done (the run's counter)
    std::int64_t stepsThisCall = 0;
    std::int64_t startStep = 0;        // > 0 when resumed
    std::int64_t pairs = 0;            // training pairs after filtering
    std::int64_t trainableParameters = 0;
    double firstCosLoss = 0;           // of the first step of this call
    double finalLoss = 0, finalCosLoss = 0, finalMlmLoss = 0;
    double meanCosLossLast = 0;        // mean cos loss over the last min(50, steps) steps of this call
    double wallSeconds = 0;
    std::string parentFingerprint;
    std::vector<std::string> warnings;
};

Status trainLocalizedLayer(const LocalizeTrainOptions& options, const LocalizeTrainCallback& callback,
                           LocalizeTrainSummary& out);

// What grammascope_localized.json of a localized checkpoint says.
struct LocalizedCheckpointInfo {
    std::filesystem::path parentDir;
    std::string parentFingerprint;
    int layer = -1;
    std::int64_t steps = 0;
    std::string json;                  // the whole file
};
// Fails when `dir` has no readable grammascope_localized.json.
Status readLocalizedCheckpointInfo(const std::filesystem::path& dir, LocalizedCheckpointInfo& out);

// Writes to `outDir` the checkpoint `modelDir` with encoder layer `layer`
// replaced by the one of `donorDir` (same architecture): the ablated model of
// methods.md §8 when donor = parent. Non-weight files are copied from
// modelDir; every other tensor keeps its stored bytes.
Status writeLayerSwappedCheckpoint(const std::filesystem::path& modelDir, const std::filesystem::path& donorDir,
                                   int layer, const std::filesystem::path& outDir);

// ---------------------------------------------------------------- diff

struct TensorChange {
    std::string name;                  // as stored in B
    std::string group;                 // "embeddings", "layer", "head", "other"
    int layer = -1;                    // encoder layer (0-based) when group == "layer"
    std::int64_t numel = 0;
    double normA = 0, normDiff = 0;    // ||A||, ||B - A||
    double relative = 0;               // ||B - A|| / ||A|| (||B - A|| when ||A|| = 0)
    bool identical = false;            // the same values, bit for bit
};

struct GroupChange {
    std::string name;                  // "embeddings", "layer 0", ..., "head", "other"
    int layer = -1;
    int tensors = 0, identicalTensors = 0;
    double normA = 0, normDiff = 0;    // sqrt of the sums of squares over the group's tensors
    double relative = 0;               // normDiff / normA
};

struct CheckpointDiff {
    std::filesystem::path dirA, dirB;
    std::vector<TensorChange> tensors; // in B's stored order
    std::vector<GroupChange> layers;   // one per encoder layer
    GroupChange embeddings, head, other;
    int localizedLayer = -1;           // the one layer that changed clearly most, or -1
    double dominance = 0;              // largest / second largest group change (inf when the rest is unchanged)
    std::string verdict;               // "layer 2 (0-based) is localized: ..." or "no single layer: ..."
    int recordedLayer = -1;            // B's grammascope_localized.json says (-1: none)
};

// Checkpoints must share config.json's architecture fields and tensor names
// (family prefixes such as "bert." are matched loosely) and shapes; the error
// names the first field, tensor or shape that differs. A layer is marked as
// localized when its relative change exceeds `dominanceFactor` times the
// second largest among layers, embeddings, head and other tensors.
Status diffCheckpoints(const std::filesystem::path& dirA, const std::filesystem::path& dirB, CheckpointDiff& out,
                       double dominanceFactor = 10.0);
std::string checkpointDiffJson(const CheckpointDiff& diff);  // JSON text
std::string checkpointDiffText(const CheckpointDiff& diff);  // a table for people

// ---------------------------------------------------------------- activity

struct HiddenStateDistance {
    Encoding encoding;
    Heatmap l2;                        // ||h_loc - h_par|| per (row, token)
    Heatmap cosine;                    // 1 - cos(h_loc, h_par); exactly 0 where the states are identical
};

// Both models must have the same tokenizer and architecture; `text` is
// tokenized by the localized model's tokenizer. Rows = embeddings + layers.
Status compareHiddenStates(const Model& parent, const Model& localized, std::string_view text,
                           HiddenStateDistance& out);

struct PairHiddenStateDistance {
    HiddenStateDistance good, bad;
    std::vector<std::uint8_t> goodChanged, badChanged;  // per token: 1 = a token of a changed word
};
Status comparePairHiddenStates(const Model& parent, const Model& localized, const DatasetItem& pair,
                               PairHiddenStateDistance& out);

struct ConfidenceInterval {
    double estimate = 0, low = 0, high = 0;  // NaN when undefined
};

// Per hidden-state row: mean distance on category tokens vs the other
// non-special tokens of the polypersonal (bad) sentences, token-weighted,
// and the bootstrap interval over sentences of the difference and the ratio.
struct ActivityRowStats {
    int row = 0;                       // 0 = embeddings, r = output of encoder layer r - 1
    double categoryMean = 0, otherMean = 0;
    ConfidenceInterval difference;     // category - other
    ConfidenceInterval ratio;          // category / other
};

struct AblationStats {
    bool computed = false;
    // Surprisal, bits: -log2 P(token | sentence with it masked) (plain PLL).
    double categoryLocalized = 0, categoryAblated = 0;  // mean surprisal on category tokens
    double otherLocalized = 0, otherAblated = 0;
    ConfidenceInterval categoryChange; // mean (ablated - localized) on category tokens
    ConfidenceInterval otherChange;    // the same on the other tokens
    ConfidenceInterval difference;     // categoryChange - otherChange
    std::int64_t sentences = 0, categoryTokens = 0, otherTokens = 0;
};

struct LocalizeActivityOptions {
    int layer = -1;                    // localized layer (0-based); -1: from grammascope_localized.json, else diff
    std::string phenomenon;            // only pairs of this phenomenon (empty: all)
    std::int64_t maxPairs = 0;         // the first N pairs (0: all)
    int bootstrapSamples = 1000;
    double confidence = 0.95;
    std::uint64_t seed = 1;
    bool ablation = true;              // also score with layer L restored to the parent (PLL: slower)
    int scoringBatch = 32;
    // The ablated model when the caller has it already (the localization
    // report probes it too); otherwise it is written to a temporary folder
    // and loaded.
    std::shared_ptr<const Model> ablatedModel;
};

struct LocalizeActivityReport {
    int layer = -1;                    // the localized encoder layer; its output is row layer + 1
    std::int64_t pairs = 0;            // pairs used (sentences = their bad sides)
    std::int64_t categoryTokens = 0, otherTokens = 0;
    std::vector<ActivityRowStats> l2, cosine;  // one per row (numLayers + 1)
    AblationStats ablation;
    std::vector<std::string> warnings;
};

// Progress counts pairs (then sentences while scoring for the ablation).
Status measureLocalizedActivity(const Model& parent, const Model& localized, const Dataset& pairs,
                                const LocalizeActivityOptions& options, LocalizeActivityReport& out,
                                const ProgressCallback& progress = {});
std::string localizeActivityJson(const LocalizeActivityReport& report);

// The ablated model: `localized` with encoder layer `layer` restored to the
// parent's weights, loaded with the localized model's device, precision and
// threads (written to a temporary folder that is removed before returning).
Status loadAblatedModel(const Model& parent, const Model& localized, int layer, std::shared_ptr<const Model>& out);

// Per-token surprisal (bits, plain PLL) under the localized and the ablated model.
struct AblationToken {
    std::string piece;
    std::int64_t position = 0;         // index in the encoding (specials included)
    bool category = false;             // a token of a changed word (pairs only)
    double localized = 0, ablated = 0; // surprisal, bits
    double change = 0;                 // ablated - localized
};
// Every non-special token of `text`.
Status ablationTokenChanges(const Model& localized, const Model& ablated, std::string_view text,
                            std::vector<AblationToken>& out);
// The polypersonal (bad) sentence of `pair`, category tokens marked.
Status ablationTokenChanges(const Model& localized, const Model& ablated, const DatasetItem& pair,
                            std::vector<AblationToken>& out);
std::string localizeActivityText(const LocalizeActivityReport& report);

} // namespace gs
