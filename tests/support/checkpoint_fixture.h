#pragma once
// Builds small random checkpoints in the real Hugging Face layout (config.json,
// model.safetensors, vocab.txt, tokenizer_config.json) so tests never need a
// downloaded model. Weights are drawn from a seeded generator and returned so
// that a test can rebuild the network independently.

#include "grammascope/model_config.h"
#include "grammascope/status.h"
#include "grammascope/weights.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gs::testing {

struct FixtureOptions {
    Architecture architecture = Architecture::Bert;
    std::int64_t hiddenSize = 32;
    std::int64_t numLayers = 2;
    std::int64_t numHeads = 4;
    std::int64_t intermediateSize = 64;
    std::int64_t maxPositionEmbeddings = 64;
    std::int64_t typeVocabSize = 2;
    double layerNormEps = 1e-5;          // LibTorch's TransformerEncoderLayer uses 1e-5
    std::string hiddenAct = "gelu";
    DType dtype = DType::F32;            // stored dtype of the weights
    bool mlmHead = true;
    bool lowercase = false;              // written to tokenizer_config.json
    std::uint64_t seed = 1;
    float weightScale = 0.2f;            // std of the normal init
    std::string namePrefix = "<auto>";   // "<auto>": bert. / roberta. / distilbert.
};

struct FixtureWeights {
    std::map<std::string, std::vector<float>> values;          // as float32 (after dtype rounding)
    std::map<std::string, std::vector<std::int64_t>> shapes;
    const std::vector<float>& at(const std::string& name) const { return values.at(name); }
};

// The vocabulary written to vocab.txt: specials first, then Cyrillic and Latin
// letters, digits, punctuation, a few whole words and "##" continuations.
std::vector<std::string> fixtureVocabulary();

// Writes a complete checkpoint folder; `weights` (optional) receives the values.
Status writeRandomCheckpoint(const std::filesystem::path& dir, const FixtureOptions& options,
                             FixtureWeights* weights = nullptr);

// A fresh empty folder under the system temp dir, removed by the destructor.
class TempDir {
public:
    explicit TempDir(const std::string& tag = "gs-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
private:
    std::filesystem::path m_path;
};

} // namespace gs::testing
