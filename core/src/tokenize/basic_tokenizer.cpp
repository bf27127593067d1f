#include "tokenize/basic_tokenizer.h"

#include "util/unicode.h"

#include <algorithm>

namespace gs {

namespace {

// Python's str.split() (used by BERT's whitespace_tokenize) also splits on the
// line and paragraph separators, which are neither BERT whitespace nor control.
bool splitsWords(char32_t cp) {
    return unicode::isBertWhitespace(cp) || cp == 0x2028 || cp == 0x2029;
}

BasicWord makeWord(std::u32string text, std::vector<std::int32_t> origin, bool neverSplit) {
    BasicWord word;
    word.begin = *std::min_element(origin.begin(), origin.end());
    word.end = *std::max_element(origin.begin(), origin.end()) + 1;
    word.text = std::move(text);
    word.origin = std::move(origin);
    word.neverSplit = neverSplit;
    return word;
}

} // namespace

BasicTokenizer::BasicTokenizer(BasicTokenizerOptions options) : m_options(std::move(options)) {}

bool BasicTokenizer::isNeverSplit(std::u32string_view word) const {
    return std::find(m_options.neverSplit.begin(), m_options.neverSplit.end(), word) !=
           m_options.neverSplit.end();
}

void BasicTokenizer::tokenize(std::u32string_view text, std::size_t begin, std::size_t end,
                              std::vector<BasicWord>& out) const {
    std::u32string chunk;
    std::vector<std::int32_t> chunkOrigin;
    auto flush = [&] {
        if (!chunk.empty()) normalizeAndSplit(chunk, chunkOrigin, out);
        chunk.clear();
        chunkOrigin.clear();
    };
    for (std::size_t i = begin; i < end; ++i) {
        const char32_t cp = text[i];
        if (m_options.cleanText && (cp == 0 || cp == 0xFFFD || unicode::isBertControl(cp))) continue;
        if (splitsWords(cp)) {
            flush();
            continue;
        }
        if (m_options.tokenizeChineseChars && unicode::isCjkIdeograph(cp)) {
            // BERT surrounds each ideograph with spaces: it becomes a word of its own.
            flush();
            chunk.push_back(cp);
            chunkOrigin.push_back(static_cast<std::int32_t>(i));
            flush();
            continue;
        }
        chunk.push_back(cp);
        chunkOrigin.push_back(static_cast<std::int32_t>(i));
    }
    flush();
}

void BasicTokenizer::normalizeAndSplit(std::u32string_view chunk, const std::vector<std::int32_t>& chunkOrigin,
                                       std::vector<BasicWord>& out) const {
    if (isNeverSplit(chunk)) {
        out.push_back(makeWord(std::u32string(chunk), chunkOrigin, true));
        return;
    }
    std::u32string text;
    std::vector<std::int32_t> origin;
    if (m_options.lowerCase) {
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            unicode::appendLower(chunk[i], text);
            origin.resize(text.size(), chunkOrigin[i]);
        }
    } else {
        text = std::u32string(chunk.begin(), chunk.end());
        origin = chunkOrigin;
    }
    if (m_options.stripAccents) {
        // _run_strip_accents: NFD, then drop the nonspacing marks.
        std::u32string decomposed;
        std::vector<std::int32_t> decomposedOrigin;
        for (std::size_t i = 0; i < text.size(); ++i) {
            unicode::appendCanonicalDecomposition(text[i], decomposed);
            decomposedOrigin.resize(decomposed.size(), origin[i]);
        }
        unicode::canonicalOrder(decomposed, decomposedOrigin);
        text.clear();
        origin.clear();
        for (std::size_t i = 0; i < decomposed.size(); ++i) {
            if (unicode::isNonspacingMark(decomposed[i])) continue;
            text.push_back(decomposed[i]);
            origin.push_back(decomposedOrigin[i]);
        }
    }
    if (text.empty()) return;  // e.g. a lone combining accent: nothing is left of the word
    // transformers checks never_split again after lower-casing (_run_split_on_punc).
    if (isNeverSplit(text)) {
        out.push_back(makeWord(std::move(text), std::move(origin), true));
        return;
    }
    // _run_split_on_punc: every punctuation character is a word of its own.
    std::size_t start = 0;
    auto emit = [&](std::size_t from, std::size_t to) {
        if (from >= to) return;
        out.push_back(makeWord(text.substr(from, to - from),
                               std::vector<std::int32_t>(origin.begin() + static_cast<std::ptrdiff_t>(from),
                                                         origin.begin() + static_cast<std::ptrdiff_t>(to)),
                               false));
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (unicode::isBertPunctuation(text[i])) {
            emit(start, i);
            emit(i, i + 1);
            start = i + 1;
        }
    }
    emit(start, text.size());
}

} // namespace gs
