#pragma once
// Helpers shared by the alignment tests (alignment_test.cpp and
// alignment_tokens_test.cpp).

#include "grammascope/alignment.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gs::alignment_test {

using Ints = std::vector<std::int32_t>;
using Strings = std::vector<std::string>;

inline std::vector<std::string> texts(const std::vector<SentenceWord>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(w.text);
    return out;
}

// Appends a word to a space-separated text.
inline void appendWord(std::string& text, const std::string& word) {
    if (!text.empty()) text += ' ';
    text += word;
}

} // namespace gs::alignment_test
