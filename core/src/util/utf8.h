#pragma once
// UTF-8 decoding with validation, encoding, and the bookkeeping between code
// point indices and byte offsets that token offsets need.
//
// Thread-safety: free functions over caller-owned data.

#include "grammascope/status.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::utf8 {

// A decoded text: its code points and, for each code point i, the byte offset
// where it starts; byteOffsets has one extra entry, the total byte length, so
// that code point range [b, e) is bytes [byteOffsets[b], byteOffsets[e]).
struct DecodedText {
    std::u32string codePoints;
    std::vector<std::size_t> byteOffsets;

    std::size_t size() const { return codePoints.size(); }
    // Index of the code point containing byte `byte` (byte == total length maps
    // to size()). Used to turn byte spans reported by other libraries into
    // code point spans.
    std::size_t codePointAtByte(std::size_t byte) const;
    // Index of the first code point starting at or after `byte`.
    std::size_t codePointStartingAtOrAfter(std::size_t byte) const;
};

// Describes the first invalid sequence, or nothing when `text` is valid UTF-8
// (shortest form, no surrogates, at most U+10FFFF). The message names the byte
// offset, e.g. "invalid UTF-8 at byte offset 5: unexpected continuation byte 0x80".
std::optional<std::string> findInvalid(std::string_view text);

Status decode(std::string_view text, DecodedText& out);
Status decode(std::string_view text, std::u32string& out);

void append(std::string& out, char32_t cp);
std::string encode(std::u32string_view cps);
inline std::string encode(char32_t cp) {
    std::string s;
    append(s, cp);
    return s;
}

// Byte length of the sequence introduced by lead byte `lead` (1 for bytes that
// cannot start a sequence, so that callers always advance).
std::size_t sequenceLength(unsigned char lead);

} // namespace gs::utf8
