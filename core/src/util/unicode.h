#pragma once
// The character properties BERT's BasicTokenizer relies on, with exactly its
// definitions (transformers' _is_whitespace, _is_control, _is_punctuation,
// _is_chinese_char), plus lower-casing and canonical decomposition for accent
// stripping. Tables are generated from Python's unicodedata by
// scripts/gen_unicode_tables.py, so they agree with what the reference Python
// tokenizer sees (see unicodeVersion()).
//
// Thread-safety: pure functions over constant tables.

#include <cstdint>
#include <string>
#include <vector>

namespace gs::unicode {

const char* unicodeVersion();

// ' ', '\t', '\n', '\r' and category Zs.
bool isBertWhitespace(char32_t cp);
// Category C* except '\t', '\n', '\r' (which BERT counts as whitespace).
bool isBertControl(char32_t cp);
// ASCII 33-47, 58-64, 91-96, 123-126 (so "$", "+", "^", "`" split words even
// though Unicode does not call them punctuation) and category P*.
bool isBertPunctuation(char32_t cp);
// The CJK Unified Ideographs blocks BERT surrounds with spaces.
bool isCjkIdeograph(char32_t cp);
// Category Mn: what BERT's accent stripping drops after NFD.
bool isNonspacingMark(char32_t cp);
int combiningClass(char32_t cp);

// Appends the lower case of one code point as Python's str.lower() gives it
// (one code point, except U+0130 which becomes "i" + U+0307). The contextual
// final-sigma rule of str.lower() on whole strings is not applied.
void appendLower(char32_t cp, std::u32string& out);
char32_t simpleLower(char32_t cp);  // first code point of the lower case
bool hasLowerMapping(char32_t cp);  // cp is changed by lower-casing

// Appends the full canonical decomposition of `cp` (itself when it has none;
// Hangul syllables are decomposed algorithmically into conjoining jamo).
void appendCanonicalDecomposition(char32_t cp, std::u32string& out);

// Canonical ordering of combining marks (the last step of NFD), applied in
// place; `tags` (same length as `cps`) is permuted alongside so that each code
// point keeps whatever it was tagged with (its origin in the original text).
void canonicalOrder(std::u32string& cps, std::vector<std::int32_t>& tags);

} // namespace gs::unicode
