#pragma once
// Internal helpers of the localized-layer tools (localize.h): the stored names
// of one encoder layer's tensors, and writing a checkpoint that is another
// one with a single layer replaced, every other tensor keeping its bytes.
// No torch types: the trainer converts its tensors to float vectors.

#include "grammascope/status.h"
#include "grammascope/weights.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gs::detail {

// The encoder layer a stored tensor belongs to ("bert.encoder.layer.2.x" -> 2,
// "distilbert.transformer.layer.0.x" -> 0), -1 for the others; `suffix`
// receives the part after "layer.N.".
int tensorLayerIndex(const std::string& name, std::string* suffix = nullptr);

// The BERT spelling of a layer tensor suffix (DistilBERT's q_lin / sa_layer_norm /
// ffn.lin1 ... and TensorFlow's gamma / beta mapped), or "" when unknown.
std::string canonicalLayerSuffix(const std::string& suffix);

// The 16 BERT suffixes of one layer in a fixed order:
// attention.self.{query,key,value}.{weight,bias}, attention.output.dense.{weight,bias},
// attention.output.LayerNorm.{weight,bias}, intermediate.dense.{weight,bias},
// output.dense.{weight,bias}, output.LayerNorm.{weight,bias}.
const std::vector<std::string>& canonicalLayerSuffixes();

// Files of a checkpoint folder that are not weights (config, tokenizer, unigram
// counts, ...); not README, not grammascope_localized.json, not subfolders.
Status copyCheckpointSideFiles(const std::filesystem::path& from, const std::filesystem::path& to);

// Reads the tensors of encoder layer `layer` of `store`, keyed by canonical suffix,
// with their stored dtype and bytes.
Status readLayerTensors(const WeightStore& store, int layer, std::map<std::string, TensorToWrite>& out);

// Writes `outDir`/model.safetensors: every tensor of `base` with its stored
// bytes, except those of encoder layer `layer`, taken from `layerTensors`
// (keyed by canonical suffix; element counts must match). Also copies the
// side files of `baseDir`.
Status writeCheckpointWithLayer(const std::filesystem::path& baseDir, const WeightStore& base, int layer,
                                const std::map<std::string, TensorToWrite>& layerTensors,
                                const std::filesystem::path& outDir);

// A new, uniquely named folder in the system's temporary folder, removed
// with everything in it when the object goes (ablated checkpoints, scratch
// stores). path() is empty when it could not be created.
class ScratchFolder {
public:
    explicit ScratchFolder(const std::string& prefix);
    ~ScratchFolder();
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Same folder? (both exist and are equivalent, or the same path text)
bool sameFolder(const std::filesystem::path& a, const std::filesystem::path& b);

} // namespace gs::detail
