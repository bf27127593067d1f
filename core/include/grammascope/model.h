#pragma once
// A loaded BERT-family masked language model (BERT, RoBERTa / XLM-R, DistilBERT)
// running in LibTorch, behind an API with no torch types.
//
// Load once, run many: Model::load() builds an immutable model; encode() is
// const and may be called from any thread (each call opens its own
// c10::InferenceMode), but a GUI should keep one worker thread owning the
// model so that calls are serialised and the thread count stays as set.
// Results are copied to host memory as plain float arrays.
//
// Cancellation: the ProgressCallback is called between stages (tensors while
// loading, layers while encoding); returning false stops the operation and
// it returns Status::cancelled().

#include "grammascope/model_config.h"
#include "grammascope/status.h"
#include "grammascope/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

namespace detail {
struct ModelAccess;  // core-internal access to the encoder (src/model/model_access.h)
}

enum class DevicePreference { Auto, Cpu, Cuda };
enum class Precision { Float32, BFloat16 };

struct ModelOptions {
    DevicePreference device = DevicePreference::Auto;  // Auto: CUDA when LibTorch has it, else CPU
    Precision precision = Precision::Float32;
    int threads = 0;              // intra-op threads; 0 = hardware concurrency
    bool loadMlmHead = true;      // load the MLM head when the checkpoint has one
};

struct ModelInfo {
    std::filesystem::path directory;
    ModelConfig config;
    std::string weightsFormat;    // WeightStore::formatDescription()
    std::string tokenizerDescription;
    std::string device;           // "cpu", "cuda:0"
    Precision precision = Precision::Float32;
    int threads = 1;
    bool hasMlmHead = false;
    std::int64_t parameterCount = 0;
    std::vector<std::string> warnings;  // unknown config keys, unused tensors, ...
};

struct EncodeRequest {
    bool hiddenStates = true;     // embedding output + every layer's output
    bool attentions = false;      // attention probabilities per layer and head
    bool mlmLogits = false;       // MLM logits over the vocabulary (needs the head)
    // Pseudo-log-likelihood of every token (one masked copy per token, needs
    // the head). Model::encode() ignores it: scoreEncodedTokens() (scoring.h)
    // fills EncodeResult::tokenLogProbs for callers that ask for it.
    bool tokenLogProbs = false;
};

// Host copies of what one forward pass produced, for one sequence of T tokens.
struct EncodeResult {
    Encoding encoding;
    std::int64_t numTokens = 0;   // T
    std::int64_t numLayers = 0;   // L (hidden has L + 1 rows: 0 = embeddings)
    std::int64_t hiddenSize = 0;  // H
    std::int64_t numHeads = 0;
    std::int64_t vocabSize = 0;
    std::vector<float> hidden;      // [(L + 1) x T x H]
    std::vector<float> attentions;  // [L x heads x T x T], rows = query, sums to 1
    std::vector<float> logits;      // [T x V]
    std::vector<double> tokenLogProbs;  // [T] log P(token | sentence with it masked), nats; NaN for specials

    const float* hiddenAt(std::int64_t layer, std::int64_t token) const {
        return hidden.data() + (layer * numTokens + token) * hiddenSize;
    }
    float attentionAt(std::int64_t layer, std::int64_t head, std::int64_t query, std::int64_t key) const {
        return attentions[((layer * numHeads + head) * numTokens + query) * numTokens + key];
    }
};

class Model {
public:
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    // Loads config.json, the tokenizer and the weights of a checkpoint folder.
    static Status load(const std::filesystem::path& dir, const ModelOptions& options,
                       std::shared_ptr<const Model>& out, const ProgressCallback& progress = {});

    const ModelInfo& info() const;
    const Tokenizer& tokenizer() const;

    // Tokenizes `text` (truncated to the model's maximum length with a warning)
    // and runs the encoder.
    Status encode(std::string_view text, const EncodeRequest& request, EncodeResult& out,
                  const ProgressCallback& progress = {}) const;
    // Runs the encoder on an already tokenized sequence (specials included).
    Status encodeEncoding(const Encoding& encoding, const EncodeRequest& request, EncodeResult& out,
                          const ProgressCallback& progress = {}) const;

    // Whether this LibTorch build can use CUDA on this machine.
    static bool cudaAvailable();

private:
    friend struct detail::ModelAccess;
    Model();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace gs
