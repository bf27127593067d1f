// forgetTrainerPaths: edits a SentencePiece ModelProto at the protobuf wire
// level (no protobuf dependency in core). ModelProto field 2 is the
// TrainerSpec; its field 1 is `input` (repeated string) and field 2
// `model_prefix`.

#include "grammascope/sentencepiece_trainer.h"

#include "util/atomic_file.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace gs {
namespace {

struct Field {
    std::uint64_t number = 0;
    std::string_view raw;      // the whole field, key included
    std::string_view payload;  // the bytes of a length-delimited field
    bool delimited = false;
};

std::optional<std::uint64_t> readVarint(std::string_view bytes, std::size_t& pos) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64 && pos < bytes.size(); shift += 7) {
        const auto b = static_cast<unsigned char>(bytes[pos++]);
        value |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return value;
    }
    return std::nullopt;
}

void writeVarint(std::uint64_t value, std::string& out) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

// Splits a message into its fields; false on malformed input.
bool splitFields(std::string_view bytes, std::vector<Field>& out) {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const std::size_t start = pos;
        const auto key = readVarint(bytes, pos);
        if (!key || (*key >> 3) == 0) return false;
        Field f;
        f.number = *key >> 3;
        switch (*key & 7) {
        case 0:
            if (!readVarint(bytes, pos)) return false;
            break;
        case 1:
            if (bytes.size() - pos < 8) return false;
            pos += 8;
            break;
        case 5:
            if (bytes.size() - pos < 4) return false;
            pos += 4;
            break;
        case 2: {
            const auto length = readVarint(bytes, pos);
            if (!length || *length > bytes.size() - pos) return false;
            f.payload = bytes.substr(pos, static_cast<std::size_t>(*length));
            f.delimited = true;
            pos += static_cast<std::size_t>(*length);
            break;
        }
        default:  // groups (3, 4) are not used by ModelProto
            return false;
        }
        f.raw = bytes.substr(start, pos - start);
        out.push_back(f);
    }
    return true;
}

} // namespace

Status forgetTrainerPaths(const std::filesystem::path& modelFile) {
    std::string bytes;
    {
        std::ifstream in(modelFile, std::ios::binary);
        if (!in) return Status::failed("cannot read " + modelFile.string());
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto malformed = [&] { return Status::failed(modelFile.string() + " is not a SentencePiece model"); };
    std::vector<Field> top;
    if (!splitFields(bytes, top)) return malformed();
    std::string out;
    out.reserve(bytes.size());
    bool sawSpec = false;
    for (const Field& f : top) {
        if (f.number != 2) {
            out.append(f.raw);
            continue;
        }
        std::vector<Field> spec;
        if (!f.delimited || !splitFields(f.payload, spec)) return malformed();
        std::string kept;
        for (const Field& s : spec)
            if (s.number != 1 && s.number != 2) kept.append(s.raw);
        writeVarint((2u << 3) | 2u, out);
        writeVarint(kept.size(), out);
        out.append(kept);
        sawSpec = true;
    }
    if (!sawSpec) return malformed();
    if (out == bytes) return Status::ok();
    return detail::writeFileAtomically(modelFile, std::as_bytes(std::span(out.data(), out.size())));
}

} // namespace gs
