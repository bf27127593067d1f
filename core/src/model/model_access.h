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
#include "util/cpu_threads.h"

namespace gs::detail {

struct ModelAccess {
    static const BertEncoder& encoder(const Model& model);
    static torch::Device device(const Model& model);
};

// For the lifetime of a computation with `model` on the calling thread: the
// model's thread count split between LibTorch and the BLAS as
// util/cpu_threads.h plans for its precision (a per-thread setting, so
// models of different precision can run side by side).
struct ModelCpuThreads : ScopedCpuThreads {
    explicit ModelCpuThreads(const Model& model)
        : ScopedCpuThreads(model.info().threads,
                           model.info().device == "cpu" && model.info().precision == Precision::Float32) {}
};

} // namespace gs::detail
