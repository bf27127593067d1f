#pragma once
// Trainable BERT weights: random initialisation, the parameter lists the
// optimizer sees, and saving in the Hugging Face layout (query / key / value
// split back out of the fused projection). Internal to the core.

#include "grammascope/model_config.h"
#include "grammascope/status.h"
#include "grammascope/weights.h"
#include "model/bert_encoder.h"

#include <filesystem>
#include <vector>

namespace gs::detail {

// BERT's initialisation: N(0, 0.02) weights and embeddings, zero biases,
// LayerNorm weight 1 and bias 0; the MLM decoder is tied to the word embeddings.
EncoderWeights initBertWeights(const ModelConfig& config, std::uint64_t seed);

// Parameters in a fixed order (optimizer state depends on it): matrices and
// embeddings (weight decay) and biases / LayerNorm parameters (no decay).
// The tied decoder appears once, as the word embeddings.
void trainableParameters(EncoderWeights& w, std::vector<torch::Tensor>& decay, std::vector<torch::Tensor>& noDecay);

// A copy of `w` in `dtype` that stays on the autograd graph of `w`.
EncoderWeights castForCompute(const EncoderWeights& w, torch::ScalarType dtype);

// model.safetensors with "bert." body names and the "cls.predictions." head.
Status saveBertSafetensors(const EncoderWeights& w, const ModelConfig& config, const std::filesystem::path& file,
                           DType dtype);

} // namespace gs::detail
