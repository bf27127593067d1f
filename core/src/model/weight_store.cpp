#include "grammascope/weights.h"

#include "model/json_text.h"
#include "model/safetensors.h"
#include "model/torch_pickle.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <unordered_map>

namespace gs {

std::int64_t WeightInfo::numel() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

namespace {

namespace fs = std::filesystem;

// One tensor: its description and bytes kept alive by `owner` (a mapping or a buffer).
struct StoredTensor {
    WeightInfo info;
    std::span<const std::byte> bytes;
    std::shared_ptr<const void> owner;
};

enum class FileKind { Safetensors, TorchZip, Index, Unknown };

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

FileKind kindOf(const fs::path& file) {
    const std::string name = file.filename().string();
    if (endsWith(name, ".index.json")) return FileKind::Index;
    if (endsWith(name, ".safetensors")) return FileKind::Safetensors;
    if (endsWith(name, ".bin") || endsWith(name, ".pt") || endsWith(name, ".pth")) return FileKind::TorchZip;
    return FileKind::Unknown;
}

Status loadSafetensors(const fs::path& file, std::vector<StoredTensor>& out,
                       std::map<std::string, std::string>& metadata) {
    std::shared_ptr<const MappedFile> map;
    Status st = MappedFile::open(file, map);
    if (!st.isOk()) return st;
    SafetensorsFile parsed;
    st = parseSafetensors(map->bytes(), file.string(), parsed);
    if (!st.isOk()) return st;
    for (auto& e : parsed.entries) {
        StoredTensor t;
        t.info = std::move(e.info);
        t.bytes = parsed.data.subspan(e.begin, e.end - e.begin);
        t.owner = map;
        out.push_back(std::move(t));
    }
    metadata.insert(parsed.metadata.begin(), parsed.metadata.end());
    return Status::ok();
}

Status loadTorch(const fs::path& file, std::vector<StoredTensor>& out) {
    std::vector<TorchTensor> tensors;
    Status st = readTorchCheckpoint(file, tensors);
    if (!st.isOk()) return st;
    for (auto& t : tensors) out.push_back({std::move(t.info), t.bytes, std::move(t.owner)});
    return Status::ok();
}

Status loadSingle(const fs::path& file, FileKind kind, std::vector<StoredTensor>& out,
                  std::map<std::string, std::string>& metadata) {
    return kind == FileKind::Safetensors ? loadSafetensors(file, out, metadata) : loadTorch(file, out);
}

std::string countText(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// model.safetensors.index.json / pytorch_model.bin.index.json:
// {"metadata": {...}, "weight_map": {"tensor name": "shard file name"}}.
Status loadIndex(const fs::path& index, std::vector<StoredTensor>& out, std::map<std::string, std::string>& metadata,
                 std::string& format) {
    const std::string src = index.string();
    std::string text;
    Status st = readTextFile(index, text);
    if (!st.isOk()) return st;
    nlohmann::json j;
    st = parseJsonText(text, src, j);
    if (!st.isOk()) return st;
    if (!j.is_object()) return Status::failed(src + ": expected a JSON object");
    auto map = j.find("weight_map");
    if (map == j.end() || !map->is_object()) return Status::failed(src + ": required field 'weight_map' is missing");
    if (map->empty()) return Status::failed(src + ": 'weight_map' lists no tensors");

    // Shards in order of first mention.
    std::vector<std::string> shards;
    std::map<std::string, std::string> tensorShard;
    for (auto it = map->begin(); it != map->end(); ++it) {
        if (!it->is_string())
            return Status::failed(src + ": weight_map entry '" + it.key() + "' is not a file name");
        const std::string shard = it->get<std::string>();
        // Shards are siblings of the index: a path could point anywhere on disk.
        if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos ||
            shard == "." || shard == "..")
            return Status::failed(src + ": shard '" + shard + "' of tensor '" + it.key() +
                                  "' is not a file name in the checkpoint folder");
        const FileKind kind = kindOf(shard);
        if (kind != FileKind::Safetensors && kind != FileKind::TorchZip)
            return Status::failed(src + ": shard '" + shard + "' is neither .safetensors nor .bin");
        if (std::find(shards.begin(), shards.end(), shard) == shards.end())
            shards.push_back(shard);
        tensorShard[it.key()] = shard;
    }
    const fs::path dir = index.parent_path();
    for (const auto& shard : shards) {
        std::error_code ec;
        if (!fs::exists(dir / shard, ec)) {
            std::string example;
            for (const auto& [t, s] : tensorShard)
                if (s == shard) { example = t; break; }
            return Status::failed(src + ": shard '" + shard + "' (holding tensor '" + example +
                                  "') is missing: " + (dir / shard).string());
        }
    }

    std::map<std::string, std::string> shardMetadata;
    std::unordered_map<std::string, std::unordered_map<std::string, StoredTensor>> byShard;
    for (const auto& shard : shards) {
        std::vector<StoredTensor> tensors;
        st = loadSingle(dir / shard, kindOf(shard), tensors, shardMetadata);
        if (!st.isOk()) return st;
        auto& m = byShard[shard];
        for (auto& t : tensors) {
            std::string name = t.info.name;
            m.emplace(std::move(name), std::move(t));
        }
    }
    for (const auto& [name, shard] : tensorShard) {
        auto& m = byShard[shard];
        auto it = m.find(name);
        if (it == m.end())
            return Status::failed(src + ": tensor '" + name + "' is mapped to shard '" + shard +
                                  "', which does not hold it");
        out.push_back(it->second);
    }

    if (auto meta = j.find("metadata"); meta != j.end() && meta->is_object())
        for (auto it = meta->begin(); it != meta->end(); ++it)
            metadata[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
    metadata.insert(shardMetadata.begin(), shardMetadata.end());
    const bool safetensors = kindOf(shards.front()) == FileKind::Safetensors;
    format = std::string(safetensors ? "safetensors (" : "pytorch_model.bin (zip, ") +
             countText(shards.size(), "shard", "shards") + ")";
    return Status::ok();
}

} // namespace

struct WeightStore::Impl {
    std::string source;  // what was opened, for messages
    std::string format;
    std::vector<WeightInfo> infos;
    std::vector<StoredTensor> tensors;
    std::unordered_map<std::string, std::size_t> byName;
    std::map<std::string, std::string> metadata;

    const StoredTensor* lookup(const std::string& name) const {
        auto it = byName.find(name);
        return it == byName.end() ? nullptr : &tensors[it->second];
    }
};

WeightStore::WeightStore() : m_impl(std::make_shared<Impl>()) {}
WeightStore::~WeightStore() = default;
WeightStore::WeightStore(const WeightStore&) = default;
WeightStore& WeightStore::operator=(const WeightStore&) = default;

Status WeightStore::openFile(const fs::path& file, WeightStore& out) {
    const std::string src = file.string();
    std::error_code ec;
    if (!fs::exists(file, ec)) return Status::failed(src + ": no such file");
    if (fs::is_directory(file, ec)) return Status::failed(src + ": is a folder, not a weights file");

    auto impl = std::make_shared<Impl>();
    impl->source = src;
    FileKind kind = kindOf(file);
    if (kind == FileKind::Unknown) {
        // Recognise a torch.save zip by its signature whatever its name.
        std::ifstream in(file, std::ios::binary);
        char magic[4] = {};
        in.read(magic, 4);
        if (in.gcount() == 4 && std::string(magic, 2) == "PK") kind = FileKind::TorchZip;
        else return Status::failed(src + ": unrecognised weights file (expected .safetensors, .bin or .index.json)");
    }
    Status st;
    switch (kind) {
    case FileKind::Index:
        st = loadIndex(file, impl->tensors, impl->metadata, impl->format);
        break;
    case FileKind::Safetensors:
        st = loadSafetensors(file, impl->tensors, impl->metadata);
        impl->format = "safetensors (1 file)";
        break;
    default:
        st = loadTorch(file, impl->tensors);
        impl->format = "pytorch_model.bin (zip)";
        break;
    }
    if (!st.isOk()) return st;

    for (std::size_t i = 0; i < impl->tensors.size(); ++i) {
        const auto& info = impl->tensors[i].info;
        if (!impl->byName.emplace(info.name, i).second)
            return Status::failed(info.file + ": tensor '" + info.name + "' appears twice");
        impl->infos.push_back(info);
    }
    out.m_impl = std::move(impl);
    return Status::ok();
}

Status WeightStore::openDirectory(const fs::path& dir, WeightStore& out) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return Status::failed(dir.string() + ": not a folder");
    for (const char* name : {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                             "pytorch_model.bin.index.json"}) {
        if (fs::exists(dir / name, ec)) return openFile(dir / name, out);
    }
    std::string hint;
    for (const char* other : {"tf_model.h5", "flax_model.msgpack", "model.onnx"})
        if (fs::exists(dir / other, ec)) hint = std::string(" (found only ") + other + ": convert it to safetensors)";
    return Status::failed(dir.string() +
                          ": no weights found: looked for model.safetensors, model.safetensors.index.json, "
                          "pytorch_model.bin, pytorch_model.bin.index.json" + hint);
}

const std::vector<WeightInfo>& WeightStore::tensors() const { return m_impl->infos; }

const WeightInfo* WeightStore::find(const std::string& name) const {
    auto it = m_impl->byName.find(name);
    return it == m_impl->byName.end() ? nullptr : &m_impl->infos[it->second];
}

std::string WeightStore::formatDescription() const { return m_impl->format; }

const std::map<std::string, std::string>& WeightStore::metadata() const { return m_impl->metadata; }

Status WeightStore::rawData(const std::string& name, std::span<const std::byte>& out) const {
    const StoredTensor* t = m_impl->lookup(name);
    if (!t) return Status::failed((m_impl->source.empty() ? std::string("weights") : m_impl->source) +
                                  ": no tensor '" + name + "'");
    out = t->bytes;
    return Status::ok();
}

Status WeightStore::readFloat32(const std::string& name, std::vector<float>& out) const {
    const StoredTensor* t = m_impl->lookup(name);
    if (!t) return Status::failed((m_impl->source.empty() ? std::string("weights") : m_impl->source) +
                                  ": no tensor '" + name + "'");
    if (!isFloatingDType(t->info.dtype))
        return Status::failed(t->info.file + ": tensor '" + name + "' has dtype " + dtypeName(t->info.dtype) +
                              ", not a floating-point type");
    const std::size_t count = t->bytes.size() / dtypeSize(t->info.dtype);
    out.resize(count);
    convertToFloat32(t->info.dtype, t->bytes.data(), count, out.data());
    return Status::ok();
}

} // namespace gs
