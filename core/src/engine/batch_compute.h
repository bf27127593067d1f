#pragma once
// The compute side of the analysis engine: one padded batch of already
// tokenised sentences in, one token x layer ResultMatrix per (sentence,
// quantity) out. Internal to the core; the header has no torch types so that
// the orchestration (analysis_engine.cpp, dataset_job.cpp) compiles without
// LibTorch.
//
// Numbers: hidden-state quantities are reduced in double precision from the
// model's hidden states exactly as computeLayerHeatmap() does (same
// formulas, zero-norm cosine = 0); surprisal uses masked copies as the PLL
// scorer does (only the masked position goes through the MLM head,
// log-softmax in float32), in bits, 0 at special tokens.
//
// Thread-safety: a free function over a Model shared read-only; opens its own
// c10::InferenceMode. Cancellation: `progress` (forward passes done, total)
// is called before every forward pass; returning false stops the batch and
// the function returns Status::cancelled() with `out` untouched.

#include "grammascope/layer_view.h"
#include "grammascope/model.h"
#include "grammascope/result_store.h"
#include "grammascope/status.h"

#include <cstdint>
#include <vector>

namespace gs::detail {

struct BatchSentence {
    const Encoding* encoding = nullptr;  // specials included, already truncated
    bool hidden = false;                 // compute the hidden-state quantities
    bool surprisal = false;              // compute the surprisal row
};

struct BatchComputeStats {
    std::int64_t tokens = 0;        // real tokens of the sentences (padding excluded)
    std::int64_t paddedTokens = 0;  // tokens of the hidden-state pass, padding included
    std::int64_t copyTokens = 0;    // tokens of the masked-copy passes, padding included
    std::int64_t forwardPasses = 0;
};

// Forward passes this batch will take (for progress), given the per-pass budget.
std::int64_t countForwardPasses(const std::vector<BatchSentence>& sentences, std::int64_t passTokens);

// Masked-copy tokens (padding included at the copy's own length) of one sentence.
std::int64_t surprisalCopyTokens(const Encoding& encoding);

// out[i][q] is the matrix of sentences[i] for quantities[q]; rows == 0 when
// that sentence did not ask for that kind of quantity. Row and column labels
// are filled. `passTokens` bounds the padded tokens of a masked-copy pass
// (the hidden-state pass takes the whole batch at once).
Status computeBatch(const Model& model, const std::vector<BatchSentence>& sentences,
                    const std::vector<LayerQuantity>& quantities, std::int64_t passTokens,
                    std::vector<std::vector<ResultMatrix>>& out, BatchComputeStats& stats,
                    const ProgressCallback& progress = {});

// The hidden states of every layer for a padded batch of tokenised
// sentences (specials included, already truncated), in one forward pass:
// perSentenceHidden[i] is [(L + 1) x T_i x H] floats, layer-major, padding
// removed (what Model::encodeEncoding() gives in EncodeResult::hidden, up to
// float rounding). `progress` is passed to the encoder (layers done, total)
// and may cancel; `out` is then untouched.
Status computeHiddenBatch(const Model& model, const std::vector<const Encoding*>& sentences,
                          std::vector<std::vector<float>>& perSentenceHidden, const ProgressCallback& progress = {});

} // namespace gs::detail
