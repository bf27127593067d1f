#pragma once
// The BERT-family encoder in LibTorch (internal to the core: torch types allowed).
// Post-norm transformer as in BERT / RoBERTa / DistilBERT:
//   x1 = LN(x + Attn(x)),  x2 = LN(x1 + W2 act(W1 x1))
// with the MLM head of each family. Weights are looked up by their Hugging Face
// names with the family prefix ("bert.", "roberta.", "distilbert.") or none.
//
// Thread-safety: immutable after construction; forward() may run concurrently.

#include "grammascope/model_config.h"
#include "grammascope/status.h"
#include "grammascope/weights.h"

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace gs::detail {

struct EncoderLayerWeights {
    torch::Tensor qkvWeight, qkvBias;      // [3H, H], [3H]: query, key, value stacked
    torch::Tensor outWeight, outBias;      // attention output projection
    torch::Tensor norm1Weight, norm1Bias;  // after attention
    torch::Tensor ffnInWeight, ffnInBias;  // [I, H]
    torch::Tensor ffnOutWeight, ffnOutBias;// [H, I]
    torch::Tensor norm2Weight, norm2Bias;  // after the feed-forward block
};

struct MlmHeadWeights {
    torch::Tensor transformWeight, transformBias, normWeight, normBias;
    torch::Tensor decoderWeight, decoderBias;  // decoder tied to word embeddings unless stored
    Activation activation = Activation::Gelu;
    double normEps = 1e-12;
};

struct EncoderWeights {
    torch::Tensor wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings;  // type may be undefined
    torch::Tensor embNormWeight, embNormBias;
    std::vector<EncoderLayerWeights> layers;
    bool hasMlmHead = false;
    MlmHeadWeights mlm;
};

// Reads and checks every tensor against the config. Names the tensor, the file,
// and the expected and found shapes on mismatch. `unused` receives the names of
// stored tensors the encoder does not use.
Status loadEncoderWeights(const WeightStore& store, const ModelConfig& config, bool loadMlmHead,
                          EncoderWeights& out, std::vector<std::string>& unused,
                          const ProgressCallback& progress);

// Converts every tensor to `dtype` on `device`.
void moveEncoderWeights(EncoderWeights& w, torch::Device device, torch::ScalarType dtype);

struct ForwardCapture {
    bool hiddenStates = true;
    bool attentions = false;
    bool mlmLogits = false;
};

struct ForwardOutput {
    std::vector<torch::Tensor> hidden;      // L + 1 tensors [B, T, H] (0 = embeddings)
    std::vector<torch::Tensor> attentions;  // L tensors [B, heads, T, T]
    torch::Tensor logits;                   // [B, T, V]
    bool cancelled = false;
};

// A hook called after the embeddings (layer 0) and after every layer l (1..L)
// with the hidden states [B, T, H]; it may return a replacement (for ablation
// and patching) or an undefined tensor to keep them. Returning false from
// `progress` stops the pass between layers.
using LayerHook = std::function<torch::Tensor(int layer, const torch::Tensor& hidden)>;

class BertEncoder {
public:
    BertEncoder(ModelConfig config, EncoderWeights weights);

    const ModelConfig& config() const { return m_config; }
    const EncoderWeights& weights() const { return m_weights; }

    // ids and attentionMask [B, T] int64 on the weights' device; mask 1 = token, 0 = padding.
    // typeIds may be undefined (all zeros).
    ForwardOutput forward(const torch::Tensor& ids, const torch::Tensor& attentionMask,
                          const torch::Tensor& typeIds, const ForwardCapture& capture,
                          const ProgressCallback& progress = {}, const LayerHook& hook = {}) const;

    torch::Tensor embed(const torch::Tensor& ids, const torch::Tensor& attentionMask,
                        const torch::Tensor& typeIds) const;
    // One layer; `attnProbs` (optional) receives the attention probabilities.
    torch::Tensor layer(int index, const torch::Tensor& x, const torch::Tensor& additiveMask,
                        torch::Tensor* attnProbs) const;
    torch::Tensor mlmLogits(const torch::Tensor& hidden) const;
    // [B, T] -> [B, 1, 1, T] additive mask in the compute dtype.
    torch::Tensor additiveMask(const torch::Tensor& attentionMask, torch::ScalarType dtype) const;

private:
    torch::Tensor activate(const torch::Tensor& x, Activation a) const;

    ModelConfig m_config;
    EncoderWeights m_weights;
};

} // namespace gs::detail
