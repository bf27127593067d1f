#pragma once
// Reading (and writing) the weights of a Hugging Face checkpoint folder without
// exposing any LibTorch type:
//  - model.safetensors through a bounds-checked reader of the format (header
//    length, JSON header, dtypes, offsets inside the file, overlapping ranges);
//  - sharded checkpoints through model.safetensors.index.json /
//    pytorch_model.bin.index.json ("weight_map");
//  - pytorch_model.bin (torch.save zip) through an allow-list unpickler that
//    refuses anything but tensors in (Ordered)dicts, so a malicious pickle
//    cannot run code.
// A missing or corrupt tensor is an error that names the tensor and the file.
//
// Thread-safety: a WeightStore is immutable after open(); its methods may be
// called concurrently. Spans returned by rawData() stay valid while the store
// (or a copy of it: copies share the mapping) is alive.

#include "grammascope/status.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace gs {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

const char* dtypeName(DType t);          // safetensors spelling: "F32", "BF16", ...
std::size_t dtypeSize(DType t);
bool parseDTypeName(const std::string& name, DType& out);

struct WeightInfo {
    std::string name;                    // as stored in the file, prefix included
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::string file;                    // file the tensor lives in (for messages)
    std::int64_t numel() const;
};

class WeightStore {
public:
    WeightStore();
    ~WeightStore();
    WeightStore(const WeightStore&);
    WeightStore& operator=(const WeightStore&);

    // Opens the weights of a checkpoint folder: model.safetensors,
    // model.safetensors.index.json, pytorch_model.bin or
    // pytorch_model.bin.index.json, in that order of preference.
    static Status openDirectory(const std::filesystem::path& dir, WeightStore& out);
    // Opens one file (.safetensors or .bin) or one index (.index.json).
    static Status openFile(const std::filesystem::path& file, WeightStore& out);

    const std::vector<WeightInfo>& tensors() const;
    const WeightInfo* find(const std::string& name) const;  // nullptr if absent
    std::string formatDescription() const;   // e.g. "safetensors (1 file)", "pytorch_model.bin (zip)"
    const std::map<std::string, std::string>& metadata() const;  // safetensors __metadata__

    // Raw little-endian bytes of a tensor in its stored dtype, contiguous, row-major.
    Status rawData(const std::string& name, std::span<const std::byte>& out) const;
    // Converts any floating dtype (F32 / F16 / BF16 / F64) to float32.
    Status readFloat32(const std::string& name, std::vector<float>& out) const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

// A tensor to be written; `data` holds numel * dtypeSize bytes, little endian.
struct TensorToWrite {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::byte> data;
};

// Converts float32 values into the bytes of `dtype` (F32, F16 or BF16, round to
// nearest even, NaN and infinities kept; F64 too). Empty for integer dtypes.
std::vector<std::byte> encodeFloat32As(DType dtype, std::span<const float> values);

// Writes a safetensors file (tensors sorted by name, 8-byte aligned header).
// Written to a temporary file in the same folder and renamed into place, so an
// existing file is never left half-written.
Status writeSafetensors(const std::filesystem::path& file,
                        const std::vector<TensorToWrite>& tensors,
                        const std::map<std::string, std::string>& metadata = {});

} // namespace gs
