#include "util/utf8.h"

#include <algorithm>
#include <cstdio>

namespace gs::utf8 {

namespace {

std::string hexByte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

std::string failure(std::size_t offset, const std::string& what) {
    return "invalid UTF-8 at byte offset " + std::to_string(offset) + ": " + what;
}

// Decodes one code point at `pos`; on success advances `pos`. Returns the
// error text otherwise.
std::optional<std::string> decodeOne(std::string_view text, std::size_t& pos, char32_t& cp) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        cp = lead;
        ++pos;
        return std::nullopt;
    }
    std::size_t length = 0;
    char32_t min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, cp = lead & 0x1F, min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, cp = lead & 0x0F, min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, cp = lead & 0x07, min = 0x10000;
    } else if (lead >= 0x80 && lead <= 0xBF) {
        return failure(pos, "unexpected continuation byte " + hexByte(lead));
    } else {
        return failure(pos, "byte " + hexByte(lead) + " cannot start a sequence");
    }
    for (std::size_t k = 1; k < length; ++k) {
        if (pos + k >= text.size())
            return failure(pos, "sequence truncated by the end of the text");
        const auto b = static_cast<unsigned char>(text[pos + k]);
        if ((b & 0xC0) != 0x80)
            return failure(pos, "byte " + hexByte(b) + " at offset " + std::to_string(pos + k) +
                                    " is not a continuation byte");
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min) return failure(pos, "overlong encoding");
    if (cp >= 0xD800 && cp <= 0xDFFF) return failure(pos, "encoded surrogate");
    if (cp > 0x10FFFF) return failure(pos, "code point above U+10FFFF");
    pos += length;
    return std::nullopt;
}

} // namespace

std::size_t sequenceLength(unsigned char lead) {
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    return 1;
}

std::optional<std::string> findInvalid(std::string_view text) {
    std::size_t pos = 0;
    char32_t cp = 0;
    while (pos < text.size()) {
        if (auto error = decodeOne(text, pos, cp)) return error;
    }
    return std::nullopt;
}

Status decode(std::string_view text, DecodedText& out) {
    out.codePoints.clear();
    out.byteOffsets.clear();
    out.codePoints.reserve(text.size());
    out.byteOffsets.reserve(text.size() + 1);
    std::size_t pos = 0;
    char32_t cp = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        if (auto error = decodeOne(text, pos, cp)) return Status::failed(*error);
        out.codePoints.push_back(cp);
        out.byteOffsets.push_back(start);
    }
    out.byteOffsets.push_back(text.size());
    return Status::ok();
}

Status decode(std::string_view text, std::u32string& out) {
    out.clear();
    std::size_t pos = 0;
    char32_t cp = 0;
    while (pos < text.size()) {
        if (auto error = decodeOne(text, pos, cp)) return Status::failed(*error);
        out.push_back(cp);
    }
    return Status::ok();
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encode(std::u32string_view cps) {
    std::string out;
    out.reserve(cps.size() * 2);
    for (char32_t cp : cps) append(out, cp);
    return out;
}

std::size_t DecodedText::codePointAtByte(std::size_t byte) const {
    // upper_bound finds the first start after `byte`; the code point before it
    // contains `byte`. The trailing total-length entry makes byte == total map to size().
    auto it = std::upper_bound(byteOffsets.begin(), byteOffsets.end(), byte);
    if (it == byteOffsets.begin()) return 0;
    return std::min<std::size_t>(static_cast<std::size_t>(it - byteOffsets.begin()) - 1, size());
}

std::size_t DecodedText::codePointStartingAtOrAfter(std::size_t byte) const {
    auto it = std::lower_bound(byteOffsets.begin(), byteOffsets.end(), byte);
    if (it == byteOffsets.end()) return size();
    return static_cast<std::size_t>(it - byteOffsets.begin());
}

} // namespace gs::utf8
