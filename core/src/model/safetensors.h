#pragma once
// Internal pieces of the weights reader: a read-only memory mapping, the
// bounds-checked safetensors parser and the float format converters.
//
// Format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON {"name": {"dtype", "shape", "data_offsets"},
// "__metadata__": {string: string}}, then the data section; data_offsets are
// [begin, end) relative to the start of the data section.
//
// Thread-safety: MappedFile and SafetensorsFile are immutable after creation.

#include "grammascope/status.h"
#include "grammascope/weights.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace gs {

// A whole file mapped read-only. An empty file maps to an empty span.
class MappedFile {
public:
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    static Status open(const std::filesystem::path& file, std::shared_ptr<const MappedFile>& out);

    std::span<const std::byte> bytes() const { return {m_data, m_size}; }
    const std::filesystem::path& path() const { return m_path; }

private:
    MappedFile() = default;
    std::filesystem::path m_path;
    const std::byte* m_data = nullptr;
    std::size_t m_size = 0;
    void* m_mapping = nullptr;
};

// Headers larger than this are refused before parsing (the reference
// implementation uses the same limit), so a hostile length cannot make the
// reader allocate gigabytes.
inline constexpr std::uint64_t kSafetensorsMaxHeaderBytes = 100ull * 1000 * 1000;

struct SafetensorsEntry {
    WeightInfo info;
    std::uint64_t begin = 0;  // offsets inside the data section
    std::uint64_t end = 0;
};

struct SafetensorsFile {
    std::vector<SafetensorsEntry> entries;       // in data-offset order
    std::map<std::string, std::string> metadata; // "__metadata__"
    std::span<const std::byte> data;             // the data section
};

// Parses and validates a safetensors image held in memory; `sourceName`
// names the file in messages. Spans in `out` point into `bytes`.
Status parseSafetensors(std::span<const std::byte> bytes, const std::string& sourceName, SafetensorsFile& out);

// Multiplies the dimensions, refusing negative ones and products that would
// not fit a signed 64-bit count of bytes of the widest dtype.
bool checkedNumel(const std::vector<std::int64_t>& shape, std::int64_t& numel);

float halfToFloat(std::uint16_t h);
float bfloat16ToFloat(std::uint16_t b);
std::uint16_t floatToHalf(float f);      // round to nearest even
std::uint16_t floatToBFloat16(float f);  // round to nearest even

// Converts `count` values of a floating dtype, stored little endian at `src`
// (no alignment assumed), to float32. Returns false for non-floating dtypes.
bool convertToFloat32(DType dtype, const std::byte* src, std::size_t count, float* dst);

bool isFloatingDType(DType t);

// Float32 tensors kept in memory as a safetensors image (artefact blobs of
// the results store: probe sets, SAE sets). `values` points at the caller's
// vector: read from when writing, resized and filled when reading.
struct F32TensorRef {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float>* values = nullptr;
};
// The image: tensors sorted by name (so that equal content gives equal
// bytes), F32, 8-byte aligned header, `metadata` under "__metadata__".
std::vector<std::uint8_t> safetensorsImageF32(const std::vector<F32TensorRef>& tensors,
                                              const std::map<std::string, std::string>& metadata);
// Fills every tensor of `tensors` from an image; each must be there as F32
// with exactly its shape. Errors start with `source`.
Status readSafetensorsImageF32(std::span<const std::byte> bytes, const std::string& source,
                               const std::vector<F32TensorRef>& tensors);

} // namespace gs
