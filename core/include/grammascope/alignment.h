#pragma once
// Which words differ between the two sentences of a minimal pair, and which
// model tokens those words became: the labels that probes, pair differences
// and localization use.
//
//  - splitWords: the words of a sentence when the source does not give them:
//    maximal runs of letters, digits and combining marks (a hyphen or an
//    apostrophe between two letters stays inside: «кто-то», «д'Артаньян»),
//    and every other non-space character on its own (punctuation).
//  - alignWords: a word-level alignment of the two sentences, by edit
//    distance over words (equal text = match; substitution, insertion and
//    deletion cost 1; ties broken towards substitution, then leftmost), and
//    the words on each side that are not matched: the changed words.
//  - alignPairTokens: the same mapped onto the tokens of any tokenizer, by
//    byte-span overlap between tokens and words (so it does not depend on how
//    the tokenizer numbers words); tokens of matched words with identical
//    pieces are paired across the two sentences. UD annotation of each word is
//    reachable through the word index.
//
// Thread-safety: free functions on plain values; alignPairTokens only calls
// Tokenizer::encode, which is safe to call concurrently.

#include "grammascope/dataset.h"
#include "grammascope/status.h"
#include "grammascope/tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

std::vector<SentenceWord> splitWords(std::string_view text);

// Fills sentence.words with splitWords(text) when it has none.
void ensureWords(AnnotatedSentence& sentence);

struct WordAlignment {
    std::vector<std::int32_t> goodToBad;   // per good word: the matched bad word, or -1
    std::vector<std::int32_t> badToGood;   // per bad word: the matched good word, or -1
    std::vector<std::int32_t> changedGood; // good words with no match, ascending
    std::vector<std::int32_t> changedBad;  // bad words with no match, ascending
};

// Words are taken from the sentences (splitWords() when they have none).
WordAlignment alignWords(const AnnotatedSentence& good, const AnnotatedSentence& bad);

// Word index (into `words`) of every token of `encoding`, by byte-span
// overlap; -1 for special tokens and tokens that overlap no word.
std::vector<std::int32_t> tokenWordIndices(const Encoding& encoding, const std::vector<SentenceWord>& words);

struct SideTokens {
    Encoding encoding;
    std::vector<SentenceWord> words;
    std::vector<std::int32_t> tokenWords;  // per token: word index or -1
    std::vector<std::uint8_t> changed;     // per token: 1 when its word is a changed word
};

struct PairTokenAlignment {
    WordAlignment words;
    SideTokens good, bad;                  // bad is empty for single sentences
    // Per good token: the bad token it corresponds to (same piece, matched
    // word, same position within the word), or -1. Specials pair with specials.
    std::vector<std::int32_t> goodToBadToken;
    // A changed word that lost all of its tokens to truncation is named here.
    std::vector<std::string> warnings;
};

// Encodes both sentences of `item` (at most maxLength tokens each, <= 0: no
// limit; a truncated sentence gives a warning naming the item) and aligns
// them. Single-sentence items fill only `good`.
Status alignPairTokens(const Tokenizer& tokenizer, const DatasetItem& item, std::int64_t maxLength,
                       PairTokenAlignment& out);

} // namespace gs
