// Checkpoints with one encoder layer replaced (localize_internal.h), the
// ablated model of methods.md §8, and reading grammascope_localized.json.

#include "grammascope/localize.h"
#include "grammascope/model_config.h"
#include "localize/localize_internal.h"
#include "model/json_text.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <random>
#include <cctype>

namespace gs {
namespace fs = std::filesystem;

namespace detail {

int tensorLayerIndex(const std::string& name, std::string* suffix) {
    for (const char* marker : {"encoder.layer.", "transformer.layer."}) {
        const std::size_t at = name.find(marker);
        if (at == std::string::npos) continue;
        std::size_t i = at + std::char_traits<char>::length(marker);
        std::size_t j = i;
        while (j < name.size() && std::isdigit(static_cast<unsigned char>(name[j]))) ++j;
        if (j == i || j >= name.size() || name[j] != '.') continue;
        if (suffix) *suffix = name.substr(j + 1);
        return std::stoi(name.substr(i, j - i));
    }
    return -1;
}

const std::vector<std::string>& canonicalLayerSuffixes() {
    static const std::vector<std::string> s = {
        "attention.self.query.weight",      "attention.self.query.bias",      "attention.self.key.weight",
        "attention.self.key.bias",          "attention.self.value.weight",    "attention.self.value.bias",
        "attention.output.dense.weight",    "attention.output.dense.bias",    "attention.output.LayerNorm.weight",
        "attention.output.LayerNorm.bias",  "intermediate.dense.weight",      "intermediate.dense.bias",
        "output.dense.weight",              "output.dense.bias",              "output.LayerNorm.weight",
        "output.LayerNorm.bias"};
    return s;
}

std::string canonicalLayerSuffix(const std::string& suffixIn) {
    std::string s = suffixIn;
    auto replaceEnd = [&](const std::string& from, const std::string& to) {
        if (s.size() > from.size() && s.compare(s.size() - from.size(), from.size(), from) == 0)
            s = s.substr(0, s.size() - from.size()) + to;
    };
    replaceEnd(".gamma", ".weight");
    replaceEnd(".beta", ".bias");
    static const std::pair<const char*, const char*> distil[] = {
        {"attention.q_lin.", "attention.self.query."}, {"attention.k_lin.", "attention.self.key."},
        {"attention.v_lin.", "attention.self.value."}, {"attention.out_lin.", "attention.output.dense."},
        {"sa_layer_norm.", "attention.output.LayerNorm."}, {"ffn.lin1.", "intermediate.dense."},
        {"ffn.lin2.", "output.dense."}, {"output_layer_norm.", "output.LayerNorm."}};
    for (const auto& [from, to] : distil) {
        const std::string f = from;
        if (s.rfind(f, 0) == 0) {
            s = std::string(to) + s.substr(f.size());
            break;
        }
    }
    const auto& known = canonicalLayerSuffixes();
    return std::find(known.begin(), known.end(), s) != known.end() ? s : std::string();
}

namespace {

bool isWeightFile(const std::string& name) {
    auto ends = [&](const char* suf) {
        const std::string s = suf;
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return ends(".safetensors") || ends(".bin") || ends(".index.json") || ends(".pt") || ends(".pth") ||
           ends(".h5") || ends(".msgpack") || ends(".onnx") || ends(".ckpt");
}

} // namespace

Status copyCheckpointSideFiles(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_directories(to, ec);
    if (ec) return Status::failed("cannot create " + to.string() + ": " + ec.message());
    for (const auto& e : fs::directory_iterator(from, ec)) {
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file() || isWeightFile(name) || name == "grammascope_localized.json" ||
            name.rfind("README", 0) == 0 || name.rfind(".", 0) == 0)
            continue;
        fs::copy_file(e.path(), to / name, fs::copy_options::overwrite_existing, ec);
        if (ec) return Status::failed("cannot copy " + e.path().string() + " to " + to.string() + ": " + ec.message());
    }
    if (ec) return Status::failed("cannot list " + from.string() + ": " + ec.message());
    return Status::ok();
}

Status readLayerTensors(const WeightStore& store, int layer, std::map<std::string, TensorToWrite>& out) {
    out.clear();
    for (const auto& info : store.tensors()) {
        std::string suffix;
        if (tensorLayerIndex(info.name, &suffix) != layer) continue;
        const std::string canon = canonicalLayerSuffix(suffix);
        if (canon.empty()) return Status::failed("tensor '" + info.name + "' of layer " + std::to_string(layer) + " is not one the encoder knows");
        std::span<const std::byte> bytes;
        if (auto st = store.rawData(info.name, bytes); !st.isOk()) return st;
        TensorToWrite t;
        t.name = info.name;
        t.dtype = info.dtype;
        t.shape = info.shape;
        t.data.assign(bytes.begin(), bytes.end());
        out[canon] = std::move(t);
    }
    if (out.size() != canonicalLayerSuffixes().size())
        return Status::failed("encoder layer " + std::to_string(layer) + " has " + std::to_string(out.size()) +
                              " stored tensors, expected " + std::to_string(canonicalLayerSuffixes().size()));
    return Status::ok();
}

Status writeCheckpointWithLayer(const fs::path& baseDir, const WeightStore& base, int layer,
                                const std::map<std::string, TensorToWrite>& layerTensors, const fs::path& outDir) {
    if (auto st = copyCheckpointSideFiles(baseDir, outDir); !st.isOk()) return st;
    std::vector<TensorToWrite> tensors;
    std::size_t replaced = 0;
    for (const auto& info : base.tensors()) {
        std::string suffix;
        TensorToWrite t;
        if (tensorLayerIndex(info.name, &suffix) == layer) {
            const std::string canon = canonicalLayerSuffix(suffix);
            auto it = layerTensors.find(canon);
            if (canon.empty() || it == layerTensors.end())
                return Status::failed("no replacement for tensor '" + info.name + "' of layer " + std::to_string(layer));
            const TensorToWrite& r = it->second;
            std::int64_t n = 1;
            for (auto d : r.shape) n *= d;
            if (n != info.numel() || r.data.size() != static_cast<std::size_t>(n) * dtypeSize(r.dtype))
                return Status::failed("replacement for tensor '" + info.name + "' has " + std::to_string(n) +
                                      " values, the stored one " + std::to_string(info.numel()));
            t.dtype = r.dtype;
            t.data = r.data;
            ++replaced;
        } else {
            std::span<const std::byte> bytes;
            if (auto st = base.rawData(info.name, bytes); !st.isOk()) return st;
            t.dtype = info.dtype;
            t.data.assign(bytes.begin(), bytes.end());
        }
        t.name = info.name;
        t.shape = info.shape;
        tensors.push_back(std::move(t));
    }
    if (replaced != layerTensors.size())
        return Status::failed(baseDir.string() + ": encoder layer " + std::to_string(layer) + " has " +
                              std::to_string(replaced) + " stored tensors, expected " +
                              std::to_string(layerTensors.size()));
    std::error_code ec;
    // A folder that held another weights format would shadow nothing (model.safetensors
    // is read first), but an index left over from a sharded parent would confuse readers.
    fs::remove(outDir / "model.safetensors.index.json", ec);
    return writeSafetensors(outDir / "model.safetensors", tensors, {{"format", "pt"}});
}

ScratchFolder::ScratchFolder(const std::string& prefix) {
    static std::atomic<std::uint64_t> counter{0};
    std::random_device rd;
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    if (ec) return;
    for (int attempt = 0; attempt < 8; ++attempt) {
        char tail[64];
        std::snprintf(tail, sizeof tail, "%d-%llu-%08x", static_cast<int>(::getpid()),
                      static_cast<unsigned long long>(counter++), static_cast<unsigned>(rd()));
        const fs::path candidate = base / (prefix + tail);
        if (fs::create_directory(candidate, ec) && !ec) {
            m_path = candidate;
            return;
        }
    }
}

ScratchFolder::~ScratchFolder() {
    std::error_code ec;
    if (!m_path.empty()) fs::remove_all(m_path, ec);
}

bool sameFolder(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

} // namespace detail

Status writeLayerSwappedCheckpoint(const fs::path& modelDir, const fs::path& donorDir, int layer, const fs::path& outDir) {
    const std::string stage = "restoring layer " + std::to_string(layer) + " from " + donorDir.string();
    if (detail::sameFolder(modelDir, outDir) || detail::sameFolder(donorDir, outDir))
        return Status::failed(stage + ": the output folder must differ from both inputs");
    ModelConfig a, b;
    if (auto st = loadModelConfig(modelDir, a); !st.isOk()) return st.withStage(stage);
    if (auto st = loadModelConfig(donorDir, b); !st.isOk()) return st.withStage(stage);
    if (a.hiddenSize != b.hiddenSize || a.intermediateSize != b.intermediateSize || a.numLayers != b.numLayers)
        return Status::failed(stage + ": the two checkpoints have different architectures");
    if (layer < 0 || layer >= a.numLayers)
        return Status::failed(stage + ": layer " + std::to_string(layer) + " does not exist (the model has " +
                              std::to_string(a.numLayers) + " encoder layers, 0 .. " + std::to_string(a.numLayers - 1) + ")");
    WeightStore model, donor;
    if (auto st = WeightStore::openDirectory(modelDir, model); !st.isOk()) return st.withStage(stage);
    if (auto st = WeightStore::openDirectory(donorDir, donor); !st.isOk()) return st.withStage(stage);
    std::map<std::string, TensorToWrite> layerTensors;
    if (auto st = detail::readLayerTensors(donor, layer, layerTensors); !st.isOk()) return st.withStage(stage);
    return detail::writeCheckpointWithLayer(modelDir, model, layer, layerTensors, outDir).withStage(stage);
}

Status readLocalizedCheckpointInfo(const fs::path& dir, LocalizedCheckpointInfo& out) {
    out = {};
    const fs::path file = dir / "grammascope_localized.json";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return Status::failed(dir.string() + " is not a localized checkpoint (no grammascope_localized.json)");
    std::string text;
    if (auto st = readTextFile(file, text); !st.isOk()) return st;
    nlohmann::json j;
    if (auto st = parseJsonText(text, file.string(), j); !st.isOk()) return st;
    try {
        out.parentDir = j.at("parent").get<std::string>();
        out.parentFingerprint = j.value("parent_fingerprint", std::string());
        out.layer = j.at("layer").get<int>();
        out.steps = j.value("steps", std::int64_t{0});
        out.json = text;
    } catch (const std::exception& e) {
        return Status::failed(file.string() + ": " + e.what());
    }
    return Status::ok();
}

} // namespace gs
