#pragma once
// BERT's BasicTokenizer (Hugging Face transformers, BertTokenizer): text
// cleaning, CJK isolation, whitespace split, optional lower-casing and accent
// stripping, punctuation split. Unlike the Python original it never loses track
// of where a character came from: every normalised code point carries the
// index of the original code point it was derived from, so token offsets point
// into the user's text even after NFD changed lengths.
//
// Deliberate difference from transformers' slow tokenizer, shared with its
// fast one (tokenizers' BertNormalizer): the text is not NFC-composed first, so
// an input already in decomposed form (e.g. "и" + U+0306) is tokenized as is.
//
// Thread-safety: immutable after construction; tokenize() is const and reentrant.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

struct BasicTokenizerOptions {
    bool lowerCase = true;
    // Resolved value: tokenizer_config.json's strip_accents, or lowerCase when it is null.
    bool stripAccents = true;
    bool tokenizeChineseChars = true;
    // Drop U+0000, U+FFFD and control characters, map whitespace to spaces
    // (always on in transformers; an option of tokenizers' BertNormalizer).
    bool cleanText = true;
    // Words kept whole: neither lower-cased, accent-stripped nor split.
    std::vector<std::u32string> neverSplit;
};

struct BasicWord {
    std::u32string text;               // normalised (lower-cased / accent-stripped if configured)
    std::vector<std::int32_t> origin;  // for each code point of `text`: index of its original code point
    std::int64_t begin = 0, end = 0;   // span of original code points
    bool neverSplit = false;           // matched a never_split entry
};

class BasicTokenizer {
public:
    explicit BasicTokenizer(BasicTokenizerOptions options);

    // Appends the words of text[begin, end); origins are indices into `text`.
    void tokenize(std::u32string_view text, std::size_t begin, std::size_t end,
                  std::vector<BasicWord>& out) const;

    const BasicTokenizerOptions& options() const { return m_options; }

private:
    bool isNeverSplit(std::u32string_view word) const;
    void normalizeAndSplit(std::u32string_view text, const std::vector<std::int32_t>& origin,
                           std::vector<BasicWord>& out) const;

    BasicTokenizerOptions m_options;
};

} // namespace gs
