#pragma once
// The architecture hyper-parameters of a Hugging Face BERT-family checkpoint,
// read from its config.json. Supported model_type values: "bert" (BERT,
// RuBERT, multilingual BERT, LaBSE-like), "roberta", "xlm-roberta",
// "camembert" (RoBERTa family: position ids offset by pad_token_id + 1) and
// "distilbert" (its own key names: dim, n_layers, n_heads, hidden_dim, activation).
//
// Unknown keys are not an error (real configs carry many harmless ones) but are
// listed in `warnings`; keys whose values this encoder cannot honour
// (position_embedding_type other than "absolute", is_decoder, cross attention)
// are an error naming the key and the file.
//
// Thread-safety: plain value type.

#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gs {

enum class Architecture { Bert, Roberta, DistilBert };
enum class Activation { Gelu, GeluTanh, Relu };  // gelu (erf), gelu_new / gelu_pytorch_tanh / gelu_fast, relu

struct ModelConfig {
    Architecture architecture = Architecture::Bert;
    std::string modelType = "bert";      // as written in config.json
    std::int64_t hiddenSize = 768;
    std::int64_t numLayers = 12;
    std::int64_t numHeads = 12;
    std::int64_t intermediateSize = 3072;
    std::int64_t maxPositionEmbeddings = 512;
    std::int64_t typeVocabSize = 2;      // 0 when the model has no token-type embeddings (DistilBERT)
    std::int64_t vocabSize = 0;
    std::int64_t padTokenId = 0;
    double layerNormEps = 1e-12;
    Activation hiddenAct = Activation::Gelu;
    bool tieWordEmbeddings = true;

    // First position id used for real tokens: 0 for BERT / DistilBERT,
    // pad_token_id + 1 for the RoBERTa family.
    std::int64_t positionOffset() const {
        return architecture == Architecture::Roberta ? padTokenId + 1 : 0;
    }
    // Longest sequence (special tokens included) the position table allows.
    std::int64_t maxSequenceLength() const { return maxPositionEmbeddings - positionOffset(); }
    std::int64_t headDim() const { return numHeads > 0 ? hiddenSize / numHeads : 0; }

    std::vector<std::string> warnings;  // unknown keys etc., for the user to see
};

const char* architectureName(Architecture a);  // display name: "BERT", "RoBERTa", "DistilBERT"
const char* activationName(Activation a);      // config.json spelling: "gelu", "gelu_new", "relu"

// Parses config.json text; `sourceName` names the file in messages.
Status parseModelConfig(const std::string& jsonText, const std::string& sourceName, ModelConfig& out);
// Reads <dir>/config.json.
Status loadModelConfig(const std::filesystem::path& dir, ModelConfig& out);
// Serialises in the Hugging Face layout (for checkpoints Grammascope writes).
std::string modelConfigToJson(const ModelConfig& config);

} // namespace gs
