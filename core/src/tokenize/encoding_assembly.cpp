#include "tokenize/encoding_assembly.h"

#include <algorithm>
#include <set>

namespace gs {

void SpecialPieceMatcher::add(const std::string& text, std::int64_t id) {
    if (text.empty()) return;
    Entry entry;
    if (!utf8::decode(text, entry.codePoints).isOk()) return;
    for (const auto& e : m_entries)
        if (e.codePoints == entry.codePoints) return;
    entry.text = text;
    entry.id = id;
    m_entries.push_back(std::move(entry));
    std::stable_sort(m_entries.begin(), m_entries.end(),
                     [](const Entry& a, const Entry& b) { return a.codePoints.size() > b.codePoints.size(); });
}

std::vector<TextSegment> SpecialPieceMatcher::split(std::u32string_view text, std::size_t begin,
                                                    std::size_t end) const {
    std::vector<TextSegment> segments;
    std::size_t plainStart = begin;
    std::size_t i = begin;
    while (i < end) {
        int matched = -1;
        for (std::size_t k = 0; k < m_entries.size() && matched < 0; ++k) {
            const auto& piece = m_entries[k].codePoints;
            if (piece.size() <= end - i && text.compare(i, piece.size(), piece) == 0) matched = static_cast<int>(k);
        }
        if (matched < 0) {
            ++i;
            continue;
        }
        if (plainStart < i) segments.push_back({plainStart, i, -1});
        const std::size_t pieceEnd = i + m_entries[static_cast<std::size_t>(matched)].codePoints.size();
        segments.push_back({i, pieceEnd, matched});
        i = plainStart = pieceEnd;
    }
    if (plainStart < end) segments.push_back({plainStart, end, -1});
    return segments;
}

Token makeSpecialToken(const std::string& text, std::int64_t id) {
    Token t;
    t.text = text;
    t.id = id;
    t.special = true;
    return t;
}

Token makeTextToken(std::string piece, std::int64_t id, std::size_t begin, std::size_t end,
                    const utf8::DecodedText& text, std::int32_t wordIndex) {
    Token t;
    t.text = std::move(piece);
    t.id = id;
    t.begin = static_cast<std::int64_t>(begin);
    t.end = static_cast<std::int64_t>(end);
    t.byteBegin = static_cast<std::int64_t>(text.byteOffsets[begin]);
    t.byteEnd = static_cast<std::int64_t>(text.byteOffsets[end]);
    t.wordIndex = wordIndex;
    return t;
}

Status finishEncoding(std::vector<Token> content, const Token& first, const Token& last,
                      std::int64_t maxLength, Encoding& out) {
    if (maxLength > 0 && maxLength < 2)
        return Status::failed("maximum length " + std::to_string(maxLength) +
                              " cannot hold the two special tokens");
    out.untruncatedLength = static_cast<std::int64_t>(content.size()) + 2;
    out.truncated = maxLength > 0 && out.untruncatedLength > maxLength;
    if (out.truncated) {
        content.resize(static_cast<std::size_t>(maxLength - 2));
        out.warnings.push_back("sentence has " + std::to_string(out.untruncatedLength) + " tokens; truncated to " +
                               std::to_string(maxLength) + " (model maximum)");
    }
    std::set<std::int32_t> words;
    for (const auto& t : content)
        if (t.wordIndex >= 0) words.insert(t.wordIndex);
    out.wordCount = static_cast<std::int32_t>(words.size());
    out.tokens.clear();
    out.tokens.reserve(content.size() + 2);
    out.tokens.push_back(first);
    for (auto& t : content) out.tokens.push_back(std::move(t));
    out.tokens.push_back(last);
    return Status::ok();
}

std::vector<std::int64_t> Encoding::ids() const {
    std::vector<std::int64_t> result;
    result.reserve(tokens.size());
    for (const auto& t : tokens) result.push_back(t.id);
    return result;
}

const char* tokenizerKindName(TokenizerKind kind) {
    switch (kind) {
    case TokenizerKind::WordPiece: return "WordPiece";
    case TokenizerKind::SentencePiece: return "SentencePiece";
    case TokenizerKind::TokenizerJsonWordPiece: return "WordPiece (tokenizer.json)";
    case TokenizerKind::TokenizerJsonUnigram: return "Unigram (tokenizer.json)";
    }
    return "unknown";
}

} // namespace gs
