#pragma once
// Internal access to a loaded Model's LibTorch encoder, for core analyses that
// run their own batched forward passes (pseudo-log-likelihood scoring).
// Internal to the core: torch types allowed. The public model.h only
// befriends this struct, so it stays free of torch types.
//
// Thread-safety: as Model: the encoder is immutable, forward() may run on
// any thread inside its own c10::InferenceMode.

#include "grammascope/model.h"
#include "model/bert_encoder.h"

namespace gs::detail {

struct ModelAccess {
    static const BertEncoder& encoder(const Model& model);
    static torch::Device device(const Model& model);
};

} // namespace gs::detail
