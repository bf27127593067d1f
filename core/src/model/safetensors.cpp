#include "model/safetensors.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

namespace gs {

static_assert(std::endian::native == std::endian::little,
              "tensor bytes are read and written in place as little endian");

// ---------------------------------------------------------------- dtypes

const char* dtypeName(DType t) {
    switch (t) {
    case DType::F64: return "F64";
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::I64: return "I64";
    case DType::I32: return "I32";
    case DType::I16: return "I16";
    case DType::I8: return "I8";
    case DType::U8: return "U8";
    case DType::Bool: return "BOOL";
    }
    return "?";
}

std::size_t dtypeSize(DType t) {
    switch (t) {
    case DType::F64: case DType::I64: return 8;
    case DType::F32: case DType::I32: return 4;
    case DType::F16: case DType::BF16: case DType::I16: return 2;
    case DType::I8: case DType::U8: case DType::Bool: return 1;
    }
    return 0;
}

bool parseDTypeName(const std::string& name, DType& out) {
    static const std::pair<const char*, DType> kNames[] = {
        {"F64", DType::F64}, {"F32", DType::F32}, {"F16", DType::F16}, {"BF16", DType::BF16},
        {"I64", DType::I64}, {"I32", DType::I32}, {"I16", DType::I16}, {"I8", DType::I8},
        {"U8", DType::U8},   {"BOOL", DType::Bool}};
    for (const auto& [n, t] : kNames) {
        if (name == n) {
            out = t;
            return true;
        }
    }
    return false;
}

bool isFloatingDType(DType t) {
    return t == DType::F64 || t == DType::F32 || t == DType::F16 || t == DType::BF16;
}

bool checkedNumel(const std::vector<std::int64_t>& shape, std::int64_t& numel) {
    // Bound the element count so that numel * 8 bytes still fits in int64.
    constexpr std::int64_t kMaxNumel = std::numeric_limits<std::int64_t>::max() / 8;
    std::int64_t n = 1;
    for (std::int64_t d : shape) {
        if (d < 0) return false;
        if (__builtin_mul_overflow(n, d, &n) || n > kMaxNumel) return false;
    }
    numel = n;
    return true;
}

// ---------------------------------------------------------------- float formats

float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1Fu;
    const std::uint32_t mant = h & 0x3FFu;
    if (exp == 0) {
        // Zero or subnormal: mant * 2^-24 is exact in float32.
        const float v = static_cast<float>(mant) * 0x1p-24f;
        return sign ? -v : v;
    }
    if (exp == 31) return std::bit_cast<float>(sign | 0x7F800000u | (mant << 13));
    return std::bit_cast<float>(sign | ((exp + 112) << 23) | (mant << 13));
}

float bfloat16ToFloat(std::uint16_t b) {
    return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

std::uint16_t floatToHalf(float value) {
    // Round to nearest even, after F. Giesen's float_to_half_fast3_rtne: the
    // subnormal range is rounded by the FPU itself through a magic addend.
    std::uint32_t f = std::bit_cast<std::uint32_t>(value);
    const std::uint32_t sign = f & 0x80000000u;
    f ^= sign;
    constexpr std::uint32_t kF32Infinity = 255u << 23;
    constexpr std::uint32_t kF16Overflow = (127u + 16u) << 23;  // 65536: rounds to infinity
    constexpr std::uint32_t kDenormMagic = ((127u - 15u) + (23u - 10u) + 1u) << 23;
    std::uint16_t o;
    if (f >= kF16Overflow) {
        // NaN stays NaN (quiet, top payload bits kept); everything else is infinity.
        o = f > kF32Infinity ? static_cast<std::uint16_t>(0x7E00u | ((f >> 13) & 0x3FFu)) : 0x7C00u;
    } else if (f < (113u << 23)) {
        const float t = std::bit_cast<float>(f) + std::bit_cast<float>(kDenormMagic);
        o = static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(t) - kDenormMagic);
    } else {
        const std::uint32_t mantOdd = (f >> 13) & 1u;
        f += (static_cast<std::uint32_t>(15 - 127) << 23) + 0xFFFu;
        f += mantOdd;
        o = static_cast<std::uint16_t>(f >> 13);
    }
    return static_cast<std::uint16_t>(o | (sign >> 16));
}

std::uint16_t floatToBFloat16(float value) {
    std::uint32_t x = std::bit_cast<std::uint32_t>(value);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u)
        return static_cast<std::uint16_t>((x >> 16) | 0x0040u);  // keep NaN a (quiet) NaN
    x += 0x7FFFu + ((x >> 16) & 1u);
    return static_cast<std::uint16_t>(x >> 16);
}

bool convertToFloat32(DType dtype, const std::byte* src, std::size_t count, float* dst) {
    switch (dtype) {
    case DType::F32:
        if (count) std::memcpy(dst, src, count * sizeof(float));
        return true;
    case DType::F16:
    case DType::BF16:
        for (std::size_t i = 0; i < count; ++i) {
            std::uint16_t v;
            std::memcpy(&v, src + 2 * i, 2);
            dst[i] = dtype == DType::F16 ? halfToFloat(v) : bfloat16ToFloat(v);
        }
        return true;
    case DType::F64:
        for (std::size_t i = 0; i < count; ++i) {
            double v;
            std::memcpy(&v, src + 8 * i, 8);
            dst[i] = static_cast<float>(v);
        }
        return true;
    default:
        return false;
    }
}

std::vector<std::byte> encodeFloat32As(DType dtype, std::span<const float> values) {
    std::vector<std::byte> out;
    switch (dtype) {
    case DType::F32:
        out.resize(values.size() * 4);
        if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
        break;
    case DType::F16:
    case DType::BF16:
        out.resize(values.size() * 2);
        for (std::size_t i = 0; i < values.size(); ++i) {
            const std::uint16_t v = dtype == DType::F16 ? floatToHalf(values[i]) : floatToBFloat16(values[i]);
            std::memcpy(out.data() + 2 * i, &v, 2);
        }
        break;
    case DType::F64:
        out.resize(values.size() * 8);
        for (std::size_t i = 0; i < values.size(); ++i) {
            const double v = values[i];
            std::memcpy(out.data() + 8 * i, &v, 8);
        }
        break;
    default:
        break;  // integer dtypes: not a float encoding, nothing to produce
    }
    return out;
}

// ---------------------------------------------------------------- mapping

MappedFile::~MappedFile() {
    if (m_mapping) ::munmap(m_mapping, m_size);
}

Status MappedFile::open(const std::filesystem::path& file, std::shared_ptr<const MappedFile>& out) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::failed(file.string() + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Status::failed(file.string() + ": cannot stat: " + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return Status::failed(file.string() + ": not a regular file");
    }
    std::shared_ptr<MappedFile> m(new MappedFile());
    m->m_path = file;
    m->m_size = static_cast<std::size_t>(st.st_size);
    if (m->m_size > 0) {
        void* p = ::mmap(nullptr, m->m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            return Status::failed(file.string() + ": cannot map: " + std::strerror(err));
        }
        m->m_mapping = p;
        m->m_data = static_cast<const std::byte*>(p);
    }
    ::close(fd);
    out = std::move(m);
    return Status::ok();
}

// ---------------------------------------------------------------- reader

namespace {

std::string rangeText(std::uint64_t b, std::uint64_t e) {
    std::string s = "[";
    s += std::to_string(b);
    s += ", ";
    s += std::to_string(e);
    s += ")";
    return s;
}

Status parseEntry(const std::string& name, const nlohmann::json& v, const std::string& src,
                  std::uint64_t dataSize, SafetensorsEntry& e) {
    const std::string where = src + ": tensor '" + name + "': ";
    if (!v.is_object()) return Status::failed(where + "entry is not a JSON object");

    auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) return Status::failed(where + "missing or non-string 'dtype'");
    if (!parseDTypeName(dt->get<std::string>(), e.info.dtype))
        return Status::failed(where + "unsupported dtype '" + dt->get<std::string>() + "'");

    auto sh = v.find("shape");
    if (sh == v.end() || !sh->is_array()) return Status::failed(where + "missing or non-array 'shape'");
    for (const auto& d : *sh) {
        if (!d.is_number_integer()) return Status::failed(where + "shape " + sh->dump() + " holds a non-integer");
        if (d.is_number_unsigned() && d.get<std::uint64_t>() > static_cast<std::uint64_t>(
                                                                   std::numeric_limits<std::int64_t>::max()))
            return Status::failed(where + "shape " + sh->dump() + " holds a dimension too large");
        const std::int64_t dim = d.get<std::int64_t>();
        if (dim < 0) return Status::failed(where + "shape " + sh->dump() + " has a negative dimension");
        e.info.shape.push_back(dim);
    }
    std::int64_t numel = 0;
    if (!checkedNumel(e.info.shape, numel))
        return Status::failed(where + "shape " + sh->dump() + " has too many elements");

    auto off = v.find("data_offsets");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
        !(*off)[1].is_number_unsigned())
        return Status::failed(where + "'data_offsets' must be two non-negative integers");
    e.begin = (*off)[0].get<std::uint64_t>();
    e.end = (*off)[1].get<std::uint64_t>();
    if (e.begin > e.end)
        return Status::failed(where + "data_offsets " + rangeText(e.begin, e.end) + " begin after they end");
    if (e.end > dataSize)
        return Status::failed(where + "data_offsets " + rangeText(e.begin, e.end) +
                              " run outside the data section (" + std::to_string(dataSize) + " bytes)");
    const std::uint64_t expected = static_cast<std::uint64_t>(numel) * dtypeSize(e.info.dtype);
    if (e.end - e.begin != expected)
        return Status::failed(where + "holds " + std::to_string(e.end - e.begin) + " bytes but shape " +
                              sh->dump() + " of " + dtypeName(e.info.dtype) + " needs " + std::to_string(expected));
    e.info.name = name;
    e.info.file = src;
    return Status::ok();
}

} // namespace

Status parseSafetensors(std::span<const std::byte> bytes, const std::string& src, SafetensorsFile& out) {
    out = SafetensorsFile{};
    if (bytes.empty()) return Status::failed(src + ": empty file (no safetensors header)");
    if (bytes.size() < 8)
        return Status::failed(src + ": truncated: " + std::to_string(bytes.size()) +
                              " bytes cannot hold the 8-byte header length");
    std::uint64_t headerLen = 0;
    std::memcpy(&headerLen, bytes.data(), 8);
    if (headerLen > kSafetensorsMaxHeaderBytes)
        return Status::failed(src + ": header length " + std::to_string(headerLen) + " exceeds the 100 MB limit");
    if (headerLen > bytes.size() - 8)
        return Status::failed(src + ": header length " + std::to_string(headerLen) +
                              " runs past the end of the file (" + std::to_string(bytes.size()) + " bytes)");

    const char* text = reinterpret_cast<const char*>(bytes.data() + 8);
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(text, text + headerLen);
    } catch (const nlohmann::json::exception& e) {
        return Status::failed(src + ": header is not valid JSON: " + e.what());
    }
    if (!header.is_object()) return Status::failed(src + ": header is not a JSON object");

    out.data = bytes.subspan(8 + headerLen);
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it->is_object()) return Status::failed(src + ": __metadata__ is not a JSON object");
            for (auto m = it->begin(); m != it->end(); ++m) {
                if (!m->is_string())
                    return Status::failed(src + ": __metadata__ value of '" + m.key() + "' is not a string");
                out.metadata[m.key()] = m->get<std::string>();
            }
            continue;
        }
        SafetensorsEntry e;
        Status st = parseEntry(it.key(), *it, src, out.data.size(), e);
        if (!st.isOk()) return st;
        out.entries.push_back(std::move(e));
    }

    std::sort(out.entries.begin(), out.entries.end(), [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    for (std::size_t i = 1; i < out.entries.size(); ++i) {
        const auto& p = out.entries[i - 1];
        const auto& c = out.entries[i];
        if (c.begin < p.end)
            return Status::failed(src + ": tensors '" + p.info.name + "' " + rangeText(p.begin, p.end) + " and '" +
                                  c.info.name + "' " + rangeText(c.begin, c.end) + " overlap in the data section");
    }
    return Status::ok();
}

// ---------------------------------------------------------------- writer

namespace {

class TempFile {
public:
    explicit TempFile(std::filesystem::path path) : m_path(std::move(path)) {}
    ~TempFile() {
        if (m_file) std::fclose(m_file);
        if (!m_kept) {
            std::error_code ec;
            std::filesystem::remove(m_path, ec);
        }
    }
    bool open() {
        m_file = std::fopen(m_path.c_str(), "wb");
        return m_file != nullptr;
    }
    bool write(const void* p, std::size_t n) { return n == 0 || std::fwrite(p, 1, n, m_file) == n; }
    bool commit() {
        // Flushed to disk before the rename so a crash leaves the old file or the new one.
        const bool ok = std::fflush(m_file) == 0 && ::fsync(::fileno(m_file)) == 0;
        const bool closed = std::fclose(m_file) == 0;
        m_file = nullptr;
        return ok && closed;
    }
    void keep() { m_kept = true; }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    std::FILE* m_file = nullptr;
    bool m_kept = false;
};

} // namespace

Status writeSafetensors(const std::filesystem::path& file, const std::vector<TensorToWrite>& tensors,
                        const std::map<std::string, std::string>& metadata) {
    const std::string src = file.string();
    std::vector<const TensorToWrite*> sorted;
    for (const auto& t : tensors) sorted.push_back(&t);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });

    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const TensorToWrite& t = *sorted[i];
        const std::string where = "writing " + src + ": tensor '" + t.name + "': ";
        if (t.name.empty() || t.name == "__metadata__")
            return Status::failed("writing " + src + ": invalid tensor name '" + t.name + "'");
        if (i > 0 && sorted[i - 1]->name == t.name) return Status::failed(where + "name used twice");
        std::int64_t numel = 0;
        if (!checkedNumel(t.shape, numel)) return Status::failed(where + "invalid shape");
        const std::uint64_t need = static_cast<std::uint64_t>(numel) * dtypeSize(t.dtype);
        if (t.data.size() != need)
            return Status::failed(where + "has " + std::to_string(t.data.size()) + " bytes, its shape and " +
                                  dtypeName(t.dtype) + " need " + std::to_string(need));
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + need}}};
        offset += need;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    const std::uint64_t headerLen = text.size();

    static std::atomic<unsigned> counter{0};
    const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    std::string tmpName = ".";
    tmpName += file.filename().string();
    tmpName += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    TempFile tmp(dir / tmpName);
    if (!tmp.open()) return Status::failed("writing " + src + ": cannot create " + tmp.path().string() + ": " +
                                           std::strerror(errno));
    bool ok = tmp.write(&headerLen, 8) && tmp.write(text.data(), text.size());
    for (const auto* t : sorted) ok = ok && tmp.write(t->data.data(), t->data.size());
    if (!ok || !tmp.commit())
        return Status::failed("writing " + src + ": write failed: " + std::strerror(errno));
    std::error_code ec;
    std::filesystem::rename(tmp.path(), file, ec);
    if (ec) return Status::failed("writing " + src + ": cannot rename the temporary file into place: " + ec.message());
    tmp.keep();
    return Status::ok();
}

std::vector<std::uint8_t> safetensorsImageF32(const std::vector<F32TensorRef>& tensors,
                                              const std::map<std::string, std::string>& metadata) {
    std::map<std::string, const F32TensorRef*> sorted;
    for (const auto& t : tensors) sorted[t.name] = &t;
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    header["__metadata__"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : metadata) header["__metadata__"][k] = v;
    std::uint64_t offset = 0;
    for (const auto& [name, t] : sorted) {
        const std::uint64_t bytes = t->values->size() * 4;
        header[name] = {{"dtype", "F32"}, {"shape", t->shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    while (text.size() % 8 != 0) text += ' ';
    std::vector<std::uint8_t> out(8 + text.size() + offset);
    const std::uint64_t len = text.size();
    std::memcpy(out.data(), &len, 8);
    std::memcpy(out.data() + 8, text.data(), text.size());
    std::size_t at = 8 + text.size();
    for (const auto& [name, t] : sorted) {
        if (!t->values->empty()) std::memcpy(out.data() + at, t->values->data(), t->values->size() * 4);
        at += t->values->size() * 4;
    }
    return out;
}

Status readSafetensorsImageF32(std::span<const std::byte> bytes, const std::string& source,
                               const std::vector<F32TensorRef>& tensors) {
    SafetensorsFile file;
    if (Status st = parseSafetensors(bytes, source, file); !st.isOk()) return st;
    std::map<std::string, const SafetensorsEntry*> byName;
    for (const auto& e : file.entries) byName[e.info.name] = &e;
    for (const auto& t : tensors) {
        auto it = byName.find(t.name);
        if (it == byName.end()) return Status::failed(source + ": tensor '" + t.name + "' is missing");
        const SafetensorsEntry& e = *it->second;
        if (e.info.dtype != DType::F32 || e.info.shape != t.shape)
            return Status::failed(source + ": tensor '" + t.name + "' has the wrong dtype or shape");
        std::int64_t n = 0;
        if (!checkedNumel(t.shape, n)) return Status::failed(source + ": tensor '" + t.name + "' is too large");
        t.values->resize(static_cast<std::size_t>(n));
        if (n > 0) std::memcpy(t.values->data(), file.data.data() + e.begin, static_cast<std::size_t>(n) * 4);
    }
    return Status::ok();
}

} // namespace gs
