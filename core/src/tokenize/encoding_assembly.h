#pragma once
// Steps every tokenizer shares: matching special tokens the user typed in the
// text ("Я [MASK] домой"), building tokens with code point and byte offsets,
// wrapping the content in [CLS] ... [SEP] and truncating to the model maximum.
//
// Thread-safety: SpecialPieceMatcher is immutable once filled; the functions
// are reentrant.

#include "grammascope/tokenizer.h"
#include "util/utf8.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gs {

// piece -> id, searchable with a string_view (no allocation per lookup).
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using PieceIndex = std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>>;

struct TextSegment {
    std::size_t begin = 0, end = 0;  // code points of the original text
    int special = -1;                // index of the matched special piece, -1 for ordinary text
};

// Literal pieces matched in the raw text before any normalisation, the way
// Hugging Face extracts added and special tokens: leftmost match first, the
// longest piece when several start at the same place.
class SpecialPieceMatcher {
public:
    struct Entry {
        std::u32string codePoints;
        std::string text;
        std::int64_t id = -1;
    };

    void add(const std::string& text, std::int64_t id);  // ignores empty and repeated pieces
    bool empty() const { return m_entries.empty(); }
    const Entry& entry(int index) const { return m_entries[static_cast<std::size_t>(index)]; }

    // Splits text[begin, end) into ordinary and special segments, in order.
    std::vector<TextSegment> split(std::u32string_view text, std::size_t begin, std::size_t end) const;

private:
    std::vector<Entry> m_entries;  // longest first
};

Token makeSpecialToken(const std::string& text, std::int64_t id);
// A token covering original code points [begin, end).
Token makeTextToken(std::string piece, std::int64_t id, std::size_t begin, std::size_t end,
                    const utf8::DecodedText& text, std::int32_t wordIndex);

// Wraps `content` in first ... last, truncates to `maxLength` (specials kept,
// a warning added) and fills the word count. maxLength <= 0 means no limit; a
// positive limit below 2 cannot hold the specials and is an error.
Status finishEncoding(std::vector<Token> content, const Token& first, const Token& last,
                      std::int64_t maxLength, Encoding& out);

} // namespace gs
