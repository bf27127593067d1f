#include "util/unicode.h"

#include <algorithm>
#include <iterator>

namespace gs::unicode {

namespace {

struct CodePointRange {
    char32_t first, last;
};
struct CombiningClassRange {
    char32_t first, last;
    int value;
};
struct LowerRun {
    char32_t first, last;
    int stride, delta;
};
struct LowerSpecial {
    char32_t cp;
    int length;
    char32_t lower[3];
};
struct Decomposition {
    char32_t cp;
    std::uint16_t offset;
    std::uint8_t length;
};

#include "util/unicode_tables.inc"

template <typename Range, std::size_t N>
const Range* findRange(const Range (&table)[N], char32_t cp) {
    // Ranges are sorted and disjoint: the candidate is the last one starting at or before cp.
    auto it = std::upper_bound(std::begin(table), std::end(table), cp,
                               [](char32_t v, const Range& r) { return v < r.first; });
    if (it == std::begin(table)) return nullptr;
    --it;
    return cp <= it->last ? &*it : nullptr;
}

constexpr char32_t kHangulFirst = 0xAC00, kJamoL = 0x1100, kJamoV = 0x1161, kJamoT = 0x11A7;
constexpr char32_t kJamoVCount = 21, kJamoTCount = 28, kHangulCount = 11172;

} // namespace

const char* unicodeVersion() { return kUnicodeVersion; }

bool isBertWhitespace(char32_t cp) { return findRange(kBertWhitespace, cp) != nullptr; }
bool isBertControl(char32_t cp) { return findRange(kBertControl, cp) != nullptr; }
bool isBertPunctuation(char32_t cp) { return findRange(kBertPunctuation, cp) != nullptr; }
bool isNonspacingMark(char32_t cp) { return findRange(kNonspacingMark, cp) != nullptr; }

int combiningClass(char32_t cp) {
    const auto* r = findRange(kCombiningClass, cp);
    return r ? r->value : 0;
}

bool isCjkIdeograph(char32_t cp) {
    // BERT's _is_chinese_char: the CJK Unified Ideographs blocks only; Hangul,
    // kana and CJK punctuation are not included.
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
           (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

namespace {
const LowerSpecial* findLowerSpecial(char32_t cp) {
    for (const auto& s : kLowerSpecial)
        if (s.cp == cp) return &s;
    return nullptr;
}
const LowerRun* findLowerRun(char32_t cp) {
    const auto* run = findRange(kLowerRuns, cp);
    if (!run || (cp - run->first) % static_cast<char32_t>(run->stride) != 0) return nullptr;
    return run;
}
} // namespace

void appendLower(char32_t cp, std::u32string& out) {
    if (const auto* special = findLowerSpecial(cp)) {
        out.append(special->lower, static_cast<std::size_t>(special->length));
        return;
    }
    out.push_back(simpleLower(cp));
}

char32_t simpleLower(char32_t cp) {
    if (const auto* special = findLowerSpecial(cp)) return special->lower[0];
    if (const auto* run = findLowerRun(cp)) return static_cast<char32_t>(static_cast<std::int64_t>(cp) + run->delta);
    return cp;
}

bool hasLowerMapping(char32_t cp) { return findLowerSpecial(cp) || findLowerRun(cp); }

void appendCanonicalDecomposition(char32_t cp, std::u32string& out) {
    if (cp >= kHangulFirst && cp < kHangulFirst + kHangulCount) {
        const char32_t index = cp - kHangulFirst;
        out.push_back(kJamoL + index / (kJamoVCount * kJamoTCount));
        out.push_back(kJamoV + (index % (kJamoVCount * kJamoTCount)) / kJamoTCount);
        if (const char32_t t = index % kJamoTCount) out.push_back(kJamoT + t);
        return;
    }
    auto it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), cp,
                               [](const Decomposition& d, char32_t v) { return d.cp < v; });
    if (it == std::end(kDecompositions) || it->cp != cp) {
        out.push_back(cp);
        return;
    }
    out.append(kDecompositionPool + it->offset, it->length);
}

void canonicalOrder(std::u32string& cps, std::vector<std::int32_t>& tags) {
    // Stable sort of each run of non-starters by combining class (Unicode's
    // canonical ordering algorithm); runs are short, so insertion sort.
    const std::size_t n = cps.size();
    std::size_t i = 0;
    while (i < n) {
        if (combiningClass(cps[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < n && combiningClass(cps[end]) != 0) ++end;
        for (std::size_t a = i + 1; a < end; ++a) {
            const char32_t cp = cps[a];
            const std::int32_t tag = tags[a];
            const int cls = combiningClass(cp);
            std::size_t b = a;
            while (b > i && combiningClass(cps[b - 1]) > cls) {
                cps[b] = cps[b - 1];
                tags[b] = tags[b - 1];
                --b;
            }
            cps[b] = cp;
            tags[b] = tag;
        }
        i = end;
    }
}

} // namespace gs::unicode
