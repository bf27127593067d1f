#pragma once
// Sparse autoencoders on plain feature matrices (methods.md §6). No model and
// no torch types here: probe_data.h turns a model and a dataset into rows.
//
//  - SaeKind::TopK (Gao et al. 2024): z = ReLU(TopK_k(W_encᵀ(x − b_dec) + b_enc)),
//    x̂ = W_decᵀ z + b_dec; loss = ‖x − x̂‖²/V + auxCoefficient · AuxK, where
//    V = mean over the training rows of ‖x − x̄‖² and AuxK reconstructs the
//    residual x − x̂ (stop-grad) from the top auxK pre-activations of the dead
//    latents, normalised by the residual's own variance.
//  - SaeKind::ReluL1 (Cunningham et al. 2023; Bricken et al. 2023):
//    f = ReLU(W_encᵀ(x − b_dec) + b_enc), loss = (‖x − x̂‖² + λ·√V·‖f‖₁)/V,
//    i.e. ‖x − x̂‖² + λ‖f‖₁ for data scaled so that V = 1 (λ is dimensionless).
//    Dead latents are resampled (Bricken et al. 2023) `resamplings` times
//    over the first half of the run: each dead latent's decoder row is set to
//    a row of the batch drawn with probability ∝ its squared reconstruction
//    error (minus b_dec, normalised), its encoder column to the same
//    direction scaled to 0.2 × the mean encoder norm of the live latents, its
//    bias to 0, and its Adam moments are reset.
//  - Both: b_dec starts at the geometric median of a sample of rows
//    (Weiszfeld), decoder rows start unit-norm and random with W_enc = W_decᵀ,
//    b_enc = 0; before every Adam step the decoder-row gradient component
//    parallel to the row is removed, after it the rows are renormalised.
//  - Metrics: L0, MSE, FVU = Σ‖x − x̂‖²/Σ‖x − x̄‖², dead fraction.
//  - Interchange: SAELens folder (cfg.json + sae_weights.safetensors).
//
// Layout (SAELens): W_enc [dIn x dSae], W_dec [dSae x dIn] (one unit-norm row
// per latent), row-major float32.
//
// Determinism: every random choice (decoder init, geometric-median sample,
// the row order of each epoch) comes from seeded generators owned by the call;
// the order of epoch e is a function of (seed, e), so a resumed run needs no
// generator state beyond the step. With the same options (thread count
// included) the weights are bitwise repeatable, and a run cancelled at step N
// and resumed from its SaeTrainState ends with exactly the weights of an
// uninterrupted run.
//
// Thread-safety: free functions on plain values, safe to call concurrently.
// SaeOptions::threads sets the calling thread's OpenMP team size for the call
// (restored afterwards; the global intra-op setting is left alone).
// Cancellation: `cancel` is polled before every step and the progress callback
// may return false; the call then returns Status::cancelled(). Failed and
// cancelled calls leave `out` unchanged; a cancelled call updates `state`
// (when given) so that training can resume.

#include "grammascope/probing.h"
#include "grammascope/status.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gs {

enum class SaeKind : std::uint8_t { TopK, ReluL1 };
const char* saeKindName(SaeKind k);                       // "topk", "relu_l1"
bool parseSaeKind(const std::string& name, SaeKind& out);  // inverse of saeKindName

struct SaeOptions {
    SaeKind kind = SaeKind::TopK;
    std::int64_t dictionarySize = 0;   // d_sae; 0 = 8 x d_in
    int k = 32;                        // TopK: active latents per row (clamped to d_sae)
    int auxK = 256;                    // TopK: dead latents used by AuxK (clamped to the dead count)
    double auxCoefficient = 1.0 / 32;  // TopK: 0 disables AuxK
    // A latent is dead when it has not fired on any of the last N training
    // rows. Gao et al. use 10M tokens of a multi-billion-token run; on smaller
    // data the window is min(deadAfterTokens, rows of x) (one pass over the
    // data), and never less than one batch.
    std::int64_t deadAfterTokens = 10'000'000;
    double l1Coefficient = 0.2;        // ReluL1: λ (see above; 0.2 gives L0 ≈ 8 on the unit tests' planted data: sweep it)
    double learningRate = 1e-4;        // Adam (β = 0.9, 0.999, ε = 1e-8)
    int batchSize = 1024;
    int epochs = 1;                    // used when steps == 0
    std::int64_t steps = 0;            // total Adam steps; 0 = epochs x ceil(rows / batchSize)
    std::uint64_t seed = 1;
    std::int64_t geometricMedianSample = 4096;  // rows sampled for the b_dec init (0 = all)
    int resamplings = 4;               // ReluL1: dead-latent resamplings over the first half (0 = none)
    int progressEvery = 50;            // steps between progress reports (the last step is always reported)
    int threads = 1;                   // OpenMP team size of the calling thread during the call; 0 = leave as is
};

struct SparseAutoencoder {
    std::int64_t dIn = 0, dSae = 0;
    SaeKind kind = SaeKind::TopK;
    int k = 0;                         // TopK only (0 for ReluL1)
    std::vector<float> W_enc;          // [dIn x dSae]
    std::vector<float> b_enc;          // [dSae]
    std::vector<float> W_dec;          // [dSae x dIn]
    std::vector<float> b_dec;          // [dIn]
    // Metadata (carried through export / import).
    int layer = -1;
    std::string modelName;             // SAELens model_name
    std::string modelFingerprint;
    std::string hookName;              // SAELens hook_name, e.g. "blocks.6.hook_resid_post"
    std::int64_t trainedSteps = 0;
    double l1Coefficient = 0;          // ReluL1: λ it was trained with
};

// Everything a cancelled run needs to resume: the current weights, Adam's
// moments, the per-latent counters of rows since the latent last fired, and
// the step. The batch order is a function of (seed, step). `signature`
// records the options and data shape; resuming with others fails.
struct SaeTrainState {
    std::int64_t step = 0;             // Adam steps done (0 = fresh start)
    std::int64_t totalSteps = 0;
    std::string signature;
    SparseAutoencoder sae;
    std::vector<float> mW_enc, vW_enc, mB_enc, vB_enc, mW_dec, vW_dec, mB_dec, vB_dec;
    std::vector<std::int64_t> rowsSinceFired;  // [dSae]
};

Status saveSaeTrainState(const std::filesystem::path& file, const SaeTrainState& state);
Status loadSaeTrainState(const std::filesystem::path& file, SaeTrainState& out);

struct SaeTrainProgress {
    std::int64_t step = 0, totalSteps = 0;
    double loss = 0;                   // this step's batch
    double fvu = 0;                    // this step's batch (‖x − x̂‖² / V)
    double l0 = 0;                     // mean active latents per row in this batch
    double deadFraction = 0;           // latents not fired within the dead window
};
using SaeTrainProgressCallback = std::function<bool(const SaeTrainProgress&)>;  // false = cancel

// Training rows read on demand: a memory-mapped table on disk serves as well
// as a matrix in memory, so the rows of a large corpus never have to be in
// memory at once (one batch at a time is). read() is called from the calling
// thread of trainSae only; it must give the same values every time.
class SaeRowSource {
public:
    virtual ~SaeRowSource() = default;
    virtual std::int64_t rows() const = 0;
    virtual std::int64_t cols() const = 0;
    // The rows indices[0 .. n) in that order into out [n x cols].
    virtual Status read(const std::int64_t* indices, std::int64_t n, float* out) const = 0;
};

// The rows of a matrix in memory (not copied; the matrix must outlive it).
class MatrixRowSource final : public SaeRowSource {
public:
    explicit MatrixRowSource(const FeatureMatrix& x) : m_x(x) {}
    std::int64_t rows() const override { return m_x.rows; }
    std::int64_t cols() const override { return m_x.cols; }
    Status read(const std::int64_t* indices, std::int64_t n, float* out) const override;

private:
    const FeatureMatrix& m_x;
};

// Trains on the rows of x (at least 2 rows, finite values). The metadata
// fields of `out` (layer, modelName, modelFingerprint, hookName) are kept:
// fill them before the call. With `state` non-null and state->step > 0 the
// run resumes from it (same options, thread count and data shape required);
// the state is kept current on return (finished or cancelled), so a caller
// saves it with saveSaeTrainState after a cancel. A run cancelled before its
// first step leaves state->step at 0 (a resume then starts afresh).
// Observed on synthetic data (tests/core/sae_test.cpp): AuxK revives latents
// when the dictionary is not larger than the number of true features; with a
// much larger dictionary the extra latents are redundant, the residual is
// interference noise, and AuxK does not lower the never-firing count.
Status trainSae(const FeatureMatrix& x, const SaeOptions& options, SparseAutoencoder& out,
                SaeTrainState* state = nullptr, const SaeTrainProgressCallback& progress = {},
                const std::atomic<bool>* cancel = nullptr);
// The same from rows read on demand (two passes for the variance, one sample
// for the geometric median, then one batch per step); the weights equal
// those trained on the same rows as a matrix.
Status trainSae(const SaeRowSource& x, const SaeOptions& options, SparseAutoencoder& out,
                SaeTrainState* state = nullptr, const SaeTrainProgressCallback& progress = {},
                const std::atomic<bool>* cancel = nullptr);

// Geometric median of the rows (Weiszfeld iterations in double precision,
// started at the mean; stops when the point moves less than `tolerance`
// relative to the data's scale).
Status geometricMedian(const FeatureMatrix& x, std::vector<float>& out, int maxIterations = 200,
                       double tolerance = 1e-7);

// Checks the shapes of an autoencoder (sizes of the vectors, k in range, finite values).
Status checkSae(const SparseAutoencoder& sae);

// Per row, the `perRow` largest activations (index, value), descending;
// slots beyond the active latents hold index -1 and value 0.
struct SaeCodes {
    std::int64_t rows = 0;
    int perRow = 0;
    std::vector<std::int32_t> indices;  // [rows x perRow]
    std::vector<float> values;          // [rows x perRow]
};
// perRow 0 = k for TopK, 32 for ReluL1.
Status encodeSae(const SparseAutoencoder& sae, const FeatureMatrix& x, SaeCodes& out, int perRow = 0);
Status reconstructSae(const SparseAutoencoder& sae, const FeatureMatrix& x, FeatureMatrix& out);

struct SaeMetrics {
    std::int64_t rows = 0;
    double l0 = 0;                     // mean active latents per row
    double mse = 0;                    // mean over rows and columns of (x − x̂)²
    double fvu = 0;                    // Σ‖x − x̂‖² / Σ‖x − x̄‖² (NaN when x has no spread)
    double deadFraction = 0;           // latents that fire on none of the rows
    std::vector<std::int64_t> fireCounts;  // [dSae] rows on which each latent fires
};
Status evaluateSae(const SparseAutoencoder& sae, const FeatureMatrix& x, SaeMetrics& out);

// SAELens folder: cfg.json (d_in, d_sae, architecture "topk" / "standard",
// activation_fn_kwargs {k}, hook_name, hook_layer, model_name, dtype
// "float32", apply_b_dec_to_input true, normalize_activations "none", plus a
// "grammascope" object) and sae_weights.safetensors (W_enc [d_in, d_sae],
// b_enc, W_dec [d_sae, d_in], b_dec). The folder is created if needed.
Status exportSaeLens(const SparseAutoencoder& sae, const std::filesystem::path& dir);
// Reads such a folder (any float dtype). Rejects missing files, wrong shapes,
// "jumprelu" and other architectures, apply_b_dec_to_input false and
// normalize_activations other than "none", naming the file in the message.
Status importSaeLens(const std::filesystem::path& dir, SparseAutoencoder& out);

} // namespace gs
