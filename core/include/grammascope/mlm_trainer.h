#pragma once
// Masked-language-model pretraining of a BERT-architecture encoder in LibTorch.
//
// The trainer reads a corpus (one sentence per line), trains a SentencePiece
// tokenizer on it (or reuses a given tokenizer folder), and trains a BERT
// encoder with an MLM head from scratch: 15% of the tokens are selected, of
// which 80% become [MASK], 10% a random token and 10% stay unchanged; AdamW
// with linear warm-up and linear decay, gradient-norm clipping, optional bf16
// compute with float32 master weights. Batches hold sentences of similar
// length up to a token budget.
//
// The output folder is a Hugging Face checkpoint (config.json,
// model.safetensors, spm.model, tokenizer_config.json) that Model::load()
// opens like any other, plus `training/` with what a resumed run needs
// (float32 master weights, optimizer state, step counter, options). A run is
// deterministic for a given seed and thread count, and a resumed run takes
// the same batches and masks as an uninterrupted one.
//
// Thread-safety: one call trains one model; the callback runs on the calling
// thread between steps. Returning false from it stops training after saving a
// checkpoint, and the call returns Status::cancelled().

#include "grammascope/model.h"
#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace gs {

struct MlmTrainOptions {
    std::filesystem::path corpus;      // training sentences, one per line
    std::filesystem::path validation;  // held-out sentences (optional)
    std::filesystem::path outDir;
    std::filesystem::path tokenizerDir;  // reuse this tokenizer instead of training one (optional)
    bool resume = false;

    // Architecture (BERT, post-norm, GELU).
    std::int64_t vocabSize = 8000;     // SentencePiece vocabulary when the tokenizer is trained here
    std::int64_t hiddenSize = 256;
    std::int64_t numLayers = 4;
    std::int64_t numHeads = 4;
    std::int64_t intermediateSize = 1024;
    std::int64_t maxLength = 128;      // tokens per sequence, specials included; longer lines are cut
    double dropout = 0.1;              // on the embeddings and every layer's output while training

    // Optimisation.
    std::int64_t steps = 10000;        // total optimizer steps (the schedule decays to 0 at the end)
    std::int64_t batchTokens = 4096;   // token budget per batch, padding included
    double learningRate = 1e-3;
    std::int64_t warmupSteps = 500;
    double weightDecay = 0.01;
    double clipNorm = 1.0;
    double maskProbability = 0.15;
    Precision precision = Precision::Float32;  // compute dtype; master weights stay float32
    int threads = 0;                   // 0 = hardware concurrency
    std::uint64_t seed = 1;

    std::int64_t evalEvery = 1000;     // steps between held-out evaluations (0 = only at the end)
    std::int64_t saveEvery = 1000;     // steps between checkpoints
    std::int64_t evalSentences = 2000; // held-out sentences used by periodic evaluations
    double timeLimitSeconds = 0;       // stop (with a checkpoint) after this wall time; 0 = none
};

struct MlmTrainProgress {
    std::int64_t step = 0, totalSteps = 0;
    std::int64_t epoch = 0;
    double loss = 0;              // moving average of the training loss (nats per masked token)
    double learningRate = 0;
    double tokensPerSecond = 0;   // real (non-padding) tokens
    double elapsedSeconds = 0, etaSeconds = 0;
    // Set on the steps where a held-out evaluation ran.
    bool evaluated = false;
    double validLoss = 0, validAccuracy = 0;
    std::string message;          // stage text ("training tokenizer", "saved checkpoint", ...)
    // Between reports the callback is still called after every step with
    // heartbeat = true (only step is set), so that a stop request is seen at once.
    bool heartbeat = false;
};

// Return false to stop (a checkpoint is saved first).
using MlmTrainCallback = std::function<bool(const MlmTrainProgress&)>;

struct MlmEvaluation {
    double loss = 0;          // mean cross-entropy per masked token, nats
    double accuracy = 0;      // argmax == original token at the masked positions
    std::int64_t maskedTokens = 0;
    std::int64_t sentences = 0;
};

struct MlmTrainSummary {
    std::int64_t steps = 0;
    std::int64_t trainTokens = 0;      // tokens seen by the optimizer in this call
    double wallSeconds = 0;
    MlmEvaluation validation;          // at the end (sentences = 0 when no validation file)
    std::int64_t parameterCount = 0;
};

Status trainMaskedLm(const MlmTrainOptions& options, const MlmTrainCallback& callback, MlmTrainSummary& out);

// Held-out masked-LM loss and accuracy of a checkpoint on a sentence file,
// with masks drawn from `seed` (the same seed gives the same masks).
// `maxSentences` = 0 uses every line.
Status evaluateMaskedLm(const std::filesystem::path& modelDir, const std::filesystem::path& sentences,
                        std::uint64_t seed, std::int64_t maxSentences, const ModelOptions& options,
                        MlmEvaluation& out, const ProgressCallback& progress = {});

} // namespace gs
