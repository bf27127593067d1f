// Words of a sentence, word alignment of a minimal pair and the mapping of
// both onto model tokens (see alignment.h for the contract).

#include "grammascope/alignment.h"

#include "util/unicode.h"
#include "util/utf8.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gs {

namespace {

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

struct CodePointRange {
    char32_t first, last;
};

// Unicode general category S* (Sm, Sc, Sk, So), generated from Python's
// unicodedata 14.0.0 (the version of util/unicode_tables.inc) with
//   [c for c in range(0x110000) if unicodedata.category(chr(c))[0] == 'S'], as ranges.
// The util tables only have BERT's punctuation, which covers the ASCII
// symbols but not "№", "€", "°", "×" or emoji, all of which must stand alone.
constexpr CodePointRange kSymbols[] = {
    {0x0024, 0x0024}, {0x002B, 0x002B}, {0x003C, 0x003E}, {0x005E, 0x005E}, {0x0060, 0x0060}, {0x007C, 0x007C},
    {0x007E, 0x007E}, {0x00A2, 0x00A6}, {0x00A8, 0x00A9}, {0x00AC, 0x00AC}, {0x00AE, 0x00B1}, {0x00B4, 0x00B4},
    {0x00B8, 0x00B8}, {0x00D7, 0x00D7}, {0x00F7, 0x00F7}, {0x02C2, 0x02C5}, {0x02D2, 0x02DF}, {0x02E5, 0x02EB},
    {0x02ED, 0x02ED}, {0x02EF, 0x02FF}, {0x0375, 0x0375}, {0x0384, 0x0385}, {0x03F6, 0x03F6}, {0x0482, 0x0482},
    {0x058D, 0x058F}, {0x0606, 0x0608}, {0x060B, 0x060B}, {0x060E, 0x060F}, {0x06DE, 0x06DE}, {0x06E9, 0x06E9},
    {0x06FD, 0x06FE}, {0x07F6, 0x07F6}, {0x07FE, 0x07FF}, {0x0888, 0x0888}, {0x09F2, 0x09F3}, {0x09FA, 0x09FB},
    {0x0AF1, 0x0AF1}, {0x0B70, 0x0B70}, {0x0BF3, 0x0BFA}, {0x0C7F, 0x0C7F}, {0x0D4F, 0x0D4F}, {0x0D79, 0x0D79},
    {0x0E3F, 0x0E3F}, {0x0F01, 0x0F03}, {0x0F13, 0x0F13}, {0x0F15, 0x0F17}, {0x0F1A, 0x0F1F}, {0x0F34, 0x0F34},
    {0x0F36, 0x0F36}, {0x0F38, 0x0F38}, {0x0FBE, 0x0FC5}, {0x0FC7, 0x0FCC}, {0x0FCE, 0x0FCF}, {0x0FD5, 0x0FD8},
    {0x109E, 0x109F}, {0x1390, 0x1399}, {0x166D, 0x166D}, {0x17DB, 0x17DB}, {0x1940, 0x1940}, {0x19DE, 0x19FF},
    {0x1B61, 0x1B6A}, {0x1B74, 0x1B7C}, {0x1FBD, 0x1FBD}, {0x1FBF, 0x1FC1}, {0x1FCD, 0x1FCF}, {0x1FDD, 0x1FDF},
    {0x1FED, 0x1FEF}, {0x1FFD, 0x1FFE}, {0x2044, 0x2044}, {0x2052, 0x2052}, {0x207A, 0x207C}, {0x208A, 0x208C},
    {0x20A0, 0x20C0}, {0x2100, 0x2101}, {0x2103, 0x2106}, {0x2108, 0x2109}, {0x2114, 0x2114}, {0x2116, 0x2118},
    {0x211E, 0x2123}, {0x2125, 0x2125}, {0x2127, 0x2127}, {0x2129, 0x2129}, {0x212E, 0x212E}, {0x213A, 0x213B},
    {0x2140, 0x2144}, {0x214A, 0x214D}, {0x214F, 0x214F}, {0x218A, 0x218B}, {0x2190, 0x2307}, {0x230C, 0x2328},
    {0x232B, 0x2426}, {0x2440, 0x244A}, {0x249C, 0x24E9}, {0x2500, 0x2767}, {0x2794, 0x27C4}, {0x27C7, 0x27E5},
    {0x27F0, 0x2982}, {0x2999, 0x29D7}, {0x29DC, 0x29FB}, {0x29FE, 0x2B73}, {0x2B76, 0x2B95}, {0x2B97, 0x2BFF},
    {0x2CE5, 0x2CEA}, {0x2E50, 0x2E51}, {0x2E80, 0x2E99}, {0x2E9B, 0x2EF3}, {0x2F00, 0x2FD5}, {0x2FF0, 0x2FFB},
    {0x3004, 0x3004}, {0x3012, 0x3013}, {0x3020, 0x3020}, {0x3036, 0x3037}, {0x303E, 0x303F}, {0x309B, 0x309C},
    {0x3190, 0x3191}, {0x3196, 0x319F}, {0x31C0, 0x31E3}, {0x3200, 0x321E}, {0x322A, 0x3247}, {0x3250, 0x3250},
    {0x3260, 0x327F}, {0x328A, 0x32B0}, {0x32C0, 0x33FF}, {0x4DC0, 0x4DFF}, {0xA490, 0xA4C6}, {0xA700, 0xA716},
    {0xA720, 0xA721}, {0xA789, 0xA78A}, {0xA828, 0xA82B}, {0xA836, 0xA839}, {0xAA77, 0xAA79}, {0xAB5B, 0xAB5B},
    {0xAB6A, 0xAB6B}, {0xFB29, 0xFB29}, {0xFBB2, 0xFBC2}, {0xFD40, 0xFD4F}, {0xFDCF, 0xFDCF}, {0xFDFC, 0xFDFF},
    {0xFE62, 0xFE62}, {0xFE64, 0xFE66}, {0xFE69, 0xFE69}, {0xFF04, 0xFF04}, {0xFF0B, 0xFF0B}, {0xFF1C, 0xFF1E},
    {0xFF3E, 0xFF3E}, {0xFF40, 0xFF40}, {0xFF5C, 0xFF5C}, {0xFF5E, 0xFF5E}, {0xFFE0, 0xFFE6}, {0xFFE8, 0xFFEE},
    {0xFFFC, 0xFFFD}, {0x10137, 0x1013F}, {0x10179, 0x10189}, {0x1018C, 0x1018E}, {0x10190, 0x1019C}, {0x101A0, 0x101A0},
    {0x101D0, 0x101FC}, {0x10877, 0x10878}, {0x10AC8, 0x10AC8}, {0x1173F, 0x1173F}, {0x11FD5, 0x11FF1}, {0x16B3C, 0x16B3F},
    {0x16B45, 0x16B45}, {0x1BC9C, 0x1BC9C}, {0x1CF50, 0x1CFC3}, {0x1D000, 0x1D0F5}, {0x1D100, 0x1D126}, {0x1D129, 0x1D164},
    {0x1D16A, 0x1D16C}, {0x1D183, 0x1D184}, {0x1D18C, 0x1D1A9}, {0x1D1AE, 0x1D1EA}, {0x1D200, 0x1D241}, {0x1D245, 0x1D245},
    {0x1D300, 0x1D356}, {0x1D6C1, 0x1D6C1}, {0x1D6DB, 0x1D6DB}, {0x1D6FB, 0x1D6FB}, {0x1D715, 0x1D715}, {0x1D735, 0x1D735},
    {0x1D74F, 0x1D74F}, {0x1D76F, 0x1D76F}, {0x1D789, 0x1D789}, {0x1D7A9, 0x1D7A9}, {0x1D7C3, 0x1D7C3}, {0x1D800, 0x1D9FF},
    {0x1DA37, 0x1DA3A}, {0x1DA6D, 0x1DA74}, {0x1DA76, 0x1DA83}, {0x1DA85, 0x1DA86}, {0x1E14F, 0x1E14F}, {0x1E2FF, 0x1E2FF},
    {0x1ECAC, 0x1ECAC}, {0x1ECB0, 0x1ECB0}, {0x1ED2E, 0x1ED2E}, {0x1EEF0, 0x1EEF1}, {0x1F000, 0x1F02B}, {0x1F030, 0x1F093},
    {0x1F0A0, 0x1F0AE}, {0x1F0B1, 0x1F0BF}, {0x1F0C1, 0x1F0CF}, {0x1F0D1, 0x1F0F5}, {0x1F10D, 0x1F1AD}, {0x1F1E6, 0x1F202},
    {0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F260, 0x1F265}, {0x1F300, 0x1F6D7}, {0x1F6DD, 0x1F6EC},
    {0x1F6F0, 0x1F6FC}, {0x1F700, 0x1F773}, {0x1F780, 0x1F7D8}, {0x1F7E0, 0x1F7EB}, {0x1F7F0, 0x1F7F0}, {0x1F800, 0x1F80B},
    {0x1F810, 0x1F847}, {0x1F850, 0x1F859}, {0x1F860, 0x1F887}, {0x1F890, 0x1F8AD}, {0x1F8B0, 0x1F8B1}, {0x1F900, 0x1FA53},
    {0x1FA60, 0x1FA6D}, {0x1FA70, 0x1FA74}, {0x1FA78, 0x1FA7C}, {0x1FA80, 0x1FA86}, {0x1FA90, 0x1FAAC}, {0x1FAB0, 0x1FABA},
    {0x1FAC0, 0x1FAC5}, {0x1FAD0, 0x1FAD9}, {0x1FAE0, 0x1FAE7}, {0x1FAF0, 0x1FAF6}, {0x1FB00, 0x1FB92}, {0x1FB94, 0x1FBCA},
};

bool isSymbol(char32_t cp) {
    auto it = std::upper_bound(std::begin(kSymbols), std::end(kSymbols), cp,
                               [](char32_t v, const CodePointRange& r) { return v < r.first; });
    return it != std::begin(kSymbols) && cp <= std::prev(it)->last;
}

enum class CharClass : std::uint8_t {
    Space,    // separates words
    Ignored,  // invisible: controls, format characters, unassigned and private use (BERT drops them too)
    Joiner,   // soft hyphen, ZWNJ, ZWJ, word joiner: inside a word when a word character follows
    Word,     // letters, digits, combining marks (everything not classified otherwise)
    Single,   // punctuation and symbols: one word each
};

constexpr char32_t kZeroWidthJoiner = 0x200D;

CharClass classify(char32_t cp) {
    // BERT's whitespace is ' ', \t, \n, \r and Zs (NBSP and U+202F included);
    // the other line breaks are controls or Zl / Zp there, but separate words all the same.
    if (unicode::isBertWhitespace(cp) || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 || cp == 0x2029 ||
        cp == 0x200B)
        return CharClass::Space;
    if (cp == 0x00AD || cp == 0x200C || cp == kZeroWidthJoiner || cp == 0x2060) return CharClass::Joiner;
    if (unicode::isBertControl(cp)) return CharClass::Ignored;
    if (unicode::isBertPunctuation(cp) || isSymbol(cp)) return CharClass::Single;
    return CharClass::Word;
}

// Marks that belong to the character before them even when it is a symbol
// (a variation selector or a keycap after an emoji): Mn and Me.
bool isCombiningMark(char32_t cp) {
    return unicode::isNonspacingMark(cp) || (cp >= 0x0488 && cp <= 0x0489) || cp == 0x1ABE ||
           (cp >= 0x20DD && cp <= 0x20E4) || (cp >= 0xA670 && cp <= 0xA672);
}

// Digits and other numerals, only to tell a letter from a number around a
// hyphen: the scripts a Russian text mixes in, not every Nd block.
bool isNumeral(char32_t cp) {
    return (cp >= '0' && cp <= '9') || cp == 0xB2 || cp == 0xB3 || cp == 0xB9 || (cp >= 0xBC && cp <= 0xBE) ||
           (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9) || (cp >= 0x0966 && cp <= 0x096F) ||
           (cp >= 0x2070 && cp <= 0x2089) || (cp >= 0x2150 && cp <= 0x2189) || (cp >= 0x2460 && cp <= 0x249B) ||
           (cp >= 0xFF10 && cp <= 0xFF19);
}

bool isHyphen(char32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }
bool isApostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019; }

// Whether the hyphen or apostrophe `mid` between word characters `before` and
// `after` keeps them in one word. The header asks for letters on both sides
// («кто-то», «д'Артаньян»); a hyphen also joins a number to a letter, because
// Russian writes ordinals and case endings that way («3-й», «1990-х») and UD
// treats them as one token; between two numbers («2-3», «13-3») it is a range
// or a score and splits.
bool joinsWord(char32_t before, char32_t mid, char32_t after) {
    const bool letterBefore = !isNumeral(before), letterAfter = !isNumeral(after);
    if (isHyphen(mid)) return letterBefore || letterAfter;
    if (isApostrophe(mid)) return letterBefore && letterAfter;
    return false;
}

// Decodes `text`, replacing each invalid byte by U+FFFD (a symbol, so it
// becomes a word of its own): splitWords has no way to report an error, and
// the tokenizer rejects such text anyway.
utf8::DecodedText decodeLeniently(std::string_view text) {
    utf8::DecodedText out;
    if (utf8::decode(text, out).isOk()) return out;
    out = {};
    std::size_t pos = 0;
    std::u32string one;
    while (pos < text.size()) {
        std::size_t len = std::min(utf8::sequenceLength(static_cast<unsigned char>(text[pos])), text.size() - pos);
        one.clear();
        if (!utf8::decode(text.substr(pos, len), one).isOk() || one.size() != 1) {
            one.assign(1, U'\uFFFD');
            len = 1;
        }
        out.codePoints.push_back(one[0]);
        out.byteOffsets.push_back(pos);
        pos += len;
    }
    out.byteOffsets.push_back(text.size());
    return out;
}

// ---------------------------------------------------------------------------
// Word alignment
// ---------------------------------------------------------------------------

// Above this many cells (rows × columns of the part the common prefix and
// suffix leave) the edit-distance table is not built: 2^26 cells is 16 MiB of
// 2-bit back-pointers and a fraction of a second. Minimal pairs differ in a
// few words, so only two long, unrelated texts get there; their middle parts
// are then reported as changed as a whole.
constexpr std::size_t kMaxAlignmentCells = std::size_t{1} << 26;

enum Step : std::uint8_t { kDiagonal = 0, kDeletion = 1, kInsertion = 2 };

// Back-pointers at 2 bits per cell.
class StepTable {
public:
    StepTable(std::size_t rows, std::size_t cols) : m_cols(cols), m_bits((rows * cols + 3) / 4, 0) {}
    void set(std::size_t i, std::size_t j, Step s) {
        const std::size_t cell = i * m_cols + j;
        m_bits[cell / 4] = static_cast<std::uint8_t>(m_bits[cell / 4] | (s << (2 * (cell % 4))));
    }
    Step get(std::size_t i, std::size_t j) const {
        const std::size_t cell = i * m_cols + j;
        return static_cast<Step>((m_bits[cell / 4] >> (2 * (cell % 4))) & 3);
    }

private:
    std::size_t m_cols;
    std::vector<std::uint8_t> m_bits;
};

// Levenshtein alignment of a[0, n) and b[0, m) (word ids), filling the
// matches into goodToBad / badToGood (offset by `base`). Ties: the trace-back
// from the end takes the diagonal (match or substitution) whenever it is
// optimal, then a deletion, then an insertion; taking the diagonal late in
// the sentence leaves the gaps as far left as they can go.
void alignMiddle(const std::int32_t* a, std::size_t n, const std::int32_t* b, std::size_t m, std::size_t base,
                 WordAlignment& out) {
    if (n == 0 || m == 0 || n > kMaxAlignmentCells || m > kMaxAlignmentCells || n * m > kMaxAlignmentCells) return;
    StepTable steps(n, m);  // cell (i, j) is the step into D[i + 1][j + 1]
    std::vector<std::int32_t> prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<std::int32_t>(j);
    for (std::size_t i = 0; i < n; ++i) {
        cur[0] = static_cast<std::int32_t>(i + 1);
        for (std::size_t j = 0; j < m; ++j) {
            std::int32_t best = prev[j] + (a[i] == b[j] ? 0 : 1);
            Step step = kDiagonal;
            if (prev[j + 1] + 1 < best) {
                best = prev[j + 1] + 1;
                step = kDeletion;
            }
            if (cur[j] + 1 < best) {
                best = cur[j] + 1;
                step = kInsertion;
            }
            cur[j + 1] = best;
            if (step != kDiagonal) steps.set(i, j, step);
        }
        std::swap(prev, cur);
    }
    std::size_t i = n, j = m;
    while (i > 0 && j > 0) {
        switch (steps.get(i - 1, j - 1)) {
        case kDiagonal:
            if (a[i - 1] == b[j - 1]) {
                out.goodToBad[base + i - 1] = static_cast<std::int32_t>(base + j - 1);
                out.badToGood[base + j - 1] = static_cast<std::int32_t>(base + i - 1);
            }
            --i;
            --j;
            break;
        case kDeletion: --i; break;
        default: --j; break;
        }
    }
}

// The common prefix is matched from the left, which would leave a gap next
// to it on the right ("a a b" against "a b" would delete the second "a");
// the table's trace-back would have put it on the left. So each prefix match,
// from the last one back, moves right onto the last equal word of the
// unmatched run after it when that costs nothing (the sum of
// max(good gap, bad gap) over the gaps around it stays the same).
// forward / backward: this side's matches and the other side's; ids: this side's words.
void slideGapsLeft(std::vector<std::int32_t>& forward, std::vector<std::int32_t>& backward,
                   const std::vector<std::int32_t>& ids, std::size_t prefix) {
    using Index = std::int64_t;
    const Index n = static_cast<Index>(forward.size()), m = static_cast<Index>(backward.size());
    for (Index i = static_cast<Index>(prefix) - 1; i >= 0; --i) {
        const Index k = forward[static_cast<std::size_t>(i)];
        if (k < 0) break;
        const Index before = i - 1;  // the prefix is matched up to here
        const Index beforePartner = before >= 0 ? forward[static_cast<std::size_t>(before)] : -1;
        Index next = i + 1;
        while (next < n && forward[static_cast<std::size_t>(next)] < 0) ++next;
        const Index nextPartner = next < n ? forward[static_cast<std::size_t>(next)] : m;
        const Index g1 = i - before - 1, h1 = k - beforePartner - 1, g2 = next - i - 1, h2 = nextPartner - k - 1;
        const Index cost = std::max(g1, h1) + std::max(g2, h2);
        Index target = i;
        for (Index t = next - 1; t > i; --t) {
            const Index d = t - i;
            if (ids[static_cast<std::size_t>(t)] == ids[static_cast<std::size_t>(i)] &&
                std::max(g1 + d, h1) + std::max(g2 - d, h2) == cost) {
                target = t;
                break;
            }
        }
        if (target == i) break;  // then the matches before it have no room either
        forward[static_cast<std::size_t>(i)] = -1;
        forward[static_cast<std::size_t>(target)] = static_cast<std::int32_t>(k);
        backward[static_cast<std::size_t>(k)] = static_cast<std::int32_t>(target);
    }
}

WordAlignment alignWordLists(const std::vector<SentenceWord>& good, const std::vector<SentenceWord>& bad) {
    // Words become small integers first, so the table compares ints.
    std::unordered_map<std::string_view, std::int32_t> idOf;
    auto intern = [&](const std::vector<SentenceWord>& words) {
        std::vector<std::int32_t> ids;
        ids.reserve(words.size());
        for (const auto& w : words)
            ids.push_back(idOf.emplace(w.text, static_cast<std::int32_t>(idOf.size())).first->second);
        return ids;
    };
    const std::vector<std::int32_t> a = intern(good), b = intern(bad);
    const std::size_t n = a.size(), m = b.size();

    WordAlignment out;
    out.goodToBad.assign(n, -1);
    out.badToGood.assign(m, -1);
    // Common prefix and suffix are matched without the table, so a long
    // sentence with a local change costs only the size of the change.
    std::size_t prefix = 0;
    while (prefix < n && prefix < m && a[prefix] == b[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix]) ++suffix;
    for (std::size_t k = 0; k < prefix; ++k) out.goodToBad[k] = out.badToGood[k] = static_cast<std::int32_t>(k);
    for (std::size_t k = 0; k < suffix; ++k) {
        out.goodToBad[n - 1 - k] = static_cast<std::int32_t>(m - 1 - k);
        out.badToGood[m - 1 - k] = static_cast<std::int32_t>(n - 1 - k);
    }
    alignMiddle(a.data() + prefix, n - prefix - suffix, b.data() + prefix, m - prefix - suffix, prefix, out);
    slideGapsLeft(out.goodToBad, out.badToGood, a, prefix);
    slideGapsLeft(out.badToGood, out.goodToBad, b, prefix);

    for (std::size_t k = 0; k < n; ++k)
        if (out.goodToBad[k] < 0) out.changedGood.push_back(static_cast<std::int32_t>(k));
    for (std::size_t k = 0; k < m; ++k)
        if (out.badToGood[k] < 0) out.changedBad.push_back(static_cast<std::int32_t>(k));
    return out;
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

constexpr std::string_view kWordStartMark = "\xE2\x96\x81";  // U+2581, SentencePiece's space

// A piece opening a word with SentencePiece's space mark that overlaps no
// word: "▁" alone over the space, or "▁N" over the space when NFKC turned
// "№" into "No" and the "o" got the sign's bytes. It belongs to the word after it.
bool opensWord(std::string_view piece) { return piece.starts_with(kWordStartMark); }

const std::vector<SentenceWord>& wordsOf(const AnnotatedSentence& sentence, std::vector<SentenceWord>& storage) {
    if (!sentence.words.empty()) return sentence.words;
    storage = splitWords(sentence.text);
    return storage;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string itemName(const DatasetItem& item) {
    if (!item.id.empty()) return "item " + quoted(item.id);
    return item.line > 0 ? "item on line " + std::to_string(item.line) : std::string("item");
}

// Encodes one sentence and maps its tokens to its words.
Status encodeSide(const Tokenizer& tokenizer, const AnnotatedSentence& sentence, std::int64_t maxLength,
                  SideTokens& side) {
    std::vector<SentenceWord> storage;
    side.words = wordsOf(sentence, storage);
    if (auto st = tokenizer.encode(sentence.text, maxLength, side.encoding); !st.isOk()) return st;
    side.tokenWords = tokenWordIndices(side.encoding, side.words);
    side.changed.assign(side.encoding.tokens.size(), 0);
    return Status::ok();
}

void markChanged(SideTokens& side, const std::vector<std::int32_t>& changedWords) {
    std::vector<std::uint8_t> isChanged(side.words.size(), 0);
    for (std::int32_t w : changedWords) isChanged[static_cast<std::size_t>(w)] = 1;
    for (std::size_t t = 0; t < side.tokenWords.size(); ++t)
        if (side.tokenWords[t] >= 0) side.changed[t] = isChanged[static_cast<std::size_t>(side.tokenWords[t])];
}

// Token indices of every word, in token order.
std::vector<std::vector<std::int32_t>> tokensPerWord(const SideTokens& side) {
    std::vector<std::vector<std::int32_t>> out(side.words.size());
    for (std::size_t t = 0; t < side.tokenWords.size(); ++t)
        if (side.tokenWords[t] >= 0)
            out[static_cast<std::size_t>(side.tokenWords[t])].push_back(static_cast<std::int32_t>(t));
    return out;
}

std::vector<std::int32_t> specialTokenIndices(const Encoding& encoding) {
    std::vector<std::int32_t> out;
    for (std::size_t t = 0; t < encoding.tokens.size(); ++t)
        if (encoding.tokens[t].special) out.push_back(static_cast<std::int32_t>(t));
    return out;
}

std::vector<std::int32_t> pairTokens(const PairTokenAlignment& a) {
    std::vector<std::int32_t> out(a.good.encoding.tokens.size(), -1);
    // [CLS] with [CLS], [SEP] with [SEP]: the specials in order. Truncation
    // keeps both, so the counts agree.
    const auto goodSpecials = specialTokenIndices(a.good.encoding), badSpecials = specialTokenIndices(a.bad.encoding);
    for (std::size_t s = 0; s < std::min(goodSpecials.size(), badSpecials.size()); ++s)
        out[static_cast<std::size_t>(goodSpecials[s])] = badSpecials[s];

    // A matched word pairs its tokens only when both sides cut it into the
    // same pieces: a word after a changed one can be split differently (a
    // SentencePiece "▁" of its own, or truncation), and then no position of
    // one corresponds to a position of the other.
    const auto goodTokens = tokensPerWord(a.good), badTokens = tokensPerWord(a.bad);
    const auto& gt = a.good.encoding.tokens;
    const auto& bt = a.bad.encoding.tokens;
    for (std::size_t g = 0; g < a.words.goodToBad.size() && g < goodTokens.size(); ++g) {
        const std::int32_t b = a.words.goodToBad[g];
        if (b < 0 || static_cast<std::size_t>(b) >= badTokens.size()) continue;
        const auto& gs = goodTokens[g];
        const auto& bs = badTokens[static_cast<std::size_t>(b)];
        if (gs.size() != bs.size()) continue;
        bool same = true;
        for (std::size_t k = 0; k < gs.size() && same; ++k) {
            const Token& x = gt[static_cast<std::size_t>(gs[k])];
            const Token& y = bt[static_cast<std::size_t>(bs[k])];
            same = x.id == y.id && x.text == y.text;
        }
        if (!same) continue;
        for (std::size_t k = 0; k < gs.size(); ++k) out[static_cast<std::size_t>(gs[k])] = bs[k];
    }
    return out;
}

// End of the text the encoding still covers, in bytes.
std::int64_t coveredBytes(const Encoding& encoding) {
    std::int64_t end = 0;
    for (const auto& token : encoding.tokens)
        if (!token.special) end = std::max(end, token.byteEnd);
    return end;
}

void warnAboutTruncation(const std::string& item, const char* sideName, const SideTokens& side,
                         const std::vector<std::int32_t>& changedWords, std::vector<std::string>& warnings) {
    const Encoding& e = side.encoding;
    if (!e.truncated) return;
    warnings.push_back(item + ": the " + sideName + " sentence has " + std::to_string(e.untruncatedLength) +
                       " tokens; truncated to " + std::to_string(e.tokens.size()));
    const std::int64_t covered = coveredBytes(e);
    std::vector<std::uint8_t> hasToken(side.words.size(), 0);
    for (std::int32_t w : side.tokenWords)
        if (w >= 0) hasToken[static_cast<std::size_t>(w)] = 1;
    for (std::int32_t w : changedWords) {
        const SentenceWord& word = side.words[static_cast<std::size_t>(w)];
        if (hasToken[static_cast<std::size_t>(w)] || word.byteBegin < covered) continue;
        warnings.push_back(item + ": the changed word " + quoted(word.text) + " (word " + std::to_string(w + 1) +
                           " of the " + sideName + " sentence) lost all of its tokens to truncation");
    }
}

} // namespace

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

std::vector<SentenceWord> splitWords(std::string_view text) {
    const utf8::DecodedText decoded = decodeLeniently(text);
    const std::u32string& cps = decoded.codePoints;
    const std::size_t n = cps.size();
    std::vector<SentenceWord> words;
    auto emit = [&](std::size_t begin, std::size_t end) {
        SentenceWord w;
        w.byteBegin = static_cast<std::int64_t>(decoded.byteOffsets[begin]);
        w.byteEnd = static_cast<std::int64_t>(decoded.byteOffsets[end]);
        w.text.assign(text.substr(decoded.byteOffsets[begin], decoded.byteOffsets[end] - decoded.byteOffsets[begin]));
        words.push_back(std::move(w));
    };
    auto classAt = [&](std::size_t i) { return i < n ? classify(cps[i]) : CharClass::Space; };

    std::size_t i = 0;
    while (i < n) {
        const CharClass c = classify(cps[i]);
        if (c == CharClass::Space || c == CharClass::Ignored || c == CharClass::Joiner) {
            ++i;  // a joiner outside a word joins nothing
            continue;
        }
        std::size_t j = i + 1;
        if (c == CharClass::Word) {
            while (j < n) {
                const CharClass k = classify(cps[j]);
                if (k == CharClass::Word) {
                    ++j;
                } else if (k == CharClass::Joiner && classAt(j + 1) == CharClass::Word) {
                    j += 2;
                } else if (classAt(j + 1) == CharClass::Word && joinsWord(cps[j - 1], cps[j], cps[j + 1])) {
                    j += 2;
                } else {
                    break;
                }
            }
        } else {
            // Punctuation or a symbol, with the marks on it (an emoji's
            // variation selector) and, through ZWJ, the rest of an emoji sequence.
            while (j < n) {
                if (isCombiningMark(cps[j])) {
                    ++j;
                } else if (cps[j] == kZeroWidthJoiner && j + 1 < n && isSymbol(cps[j + 1])) {
                    j += 2;
                } else {
                    break;
                }
            }
        }
        emit(i, j);
        i = j;
    }
    return words;
}

void ensureWords(AnnotatedSentence& sentence) {
    if (sentence.words.empty()) sentence.words = splitWords(sentence.text);
}

WordAlignment alignWords(const AnnotatedSentence& good, const AnnotatedSentence& bad) {
    std::vector<SentenceWord> goodStorage, badStorage;
    return alignWordLists(wordsOf(good, goodStorage), wordsOf(bad, badStorage));
}

std::vector<std::int32_t> tokenWordIndices(const Encoding& encoding, const std::vector<SentenceWord>& words) {
    const auto& tokens = encoding.tokens;
    std::vector<std::int32_t> out(tokens.size(), -1);
    // Words from splitWords or CoNLL-U are in text order and disjoint, which
    // allows a binary search; anything else is searched linearly.
    bool ordered = true;
    for (std::size_t w = 0; w < words.size() && ordered; ++w)
        ordered = words[w].byteBegin <= words[w].byteEnd && (w == 0 || words[w - 1].byteEnd <= words[w].byteBegin);
    auto firstOverlapping = [&](std::int64_t begin, std::int64_t end) -> std::int32_t {
        if (ordered) {
            auto it = std::upper_bound(words.begin(), words.end(), begin,
                                       [](std::int64_t b, const SentenceWord& w) { return b < w.byteEnd; });
            for (; it != words.end() && it->byteBegin < end; ++it)
                if (it->byteBegin < it->byteEnd) return static_cast<std::int32_t>(it - words.begin());
            return -1;
        }
        for (std::size_t w = 0; w < words.size(); ++w)
            if (std::max(begin, words[w].byteBegin) < std::min(end, words[w].byteEnd)) return static_cast<std::int32_t>(w);
        return -1;
    };
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const Token& token = tokens[t];
        if (token.special || token.byteBegin < 0) continue;
        // A zero-length span (SentencePiece's dummy "▁" before the text, the
        // extra pieces of an expanded character) sits where its word starts:
        // it belongs to the word containing that byte.
        if (token.byteEnd > token.byteBegin) {
            out[t] = firstOverlapping(token.byteBegin, token.byteEnd);
        } else {
            const std::int32_t w = firstOverlapping(token.byteBegin, token.byteBegin + 1);
            if (w >= 0 && words[static_cast<std::size_t>(w)].byteBegin <= token.byteBegin) out[t] = w;
        }
    }
    // A "▁" piece over nothing but a space opens the word the next token is in.
    std::int32_t next = -1;
    for (std::size_t t = tokens.size(); t-- > 0;) {
        const Token& token = tokens[t];
        if (out[t] < 0 && !token.special && next >= 0 && opensWord(token.text) &&
            words[static_cast<std::size_t>(next)].byteBegin >= token.byteBegin)
            out[t] = next;
        next = out[t];
    }
    return out;
}

Status alignPairTokens(const Tokenizer& tokenizer, const DatasetItem& item, std::int64_t maxLength,
                       PairTokenAlignment& out) {
    out = PairTokenAlignment{};
    const std::string name = itemName(item);
    if (auto st = encodeSide(tokenizer, item.good, maxLength, out.good); !st.isOk()) {
        out = PairTokenAlignment{};
        return st.withStage("aligning " + name + ": encoding the grammatical sentence");
    }
    if (!item.isPair()) {
        warnAboutTruncation(name, "grammatical", out.good, {}, out.warnings);
        return Status::ok();
    }
    if (auto st = encodeSide(tokenizer, item.bad, maxLength, out.bad); !st.isOk()) {
        out = PairTokenAlignment{};
        return st.withStage("aligning " + name + ": encoding the ungrammatical sentence");
    }
    out.words = alignWordLists(out.good.words, out.bad.words);
    markChanged(out.good, out.words.changedGood);
    markChanged(out.bad, out.words.changedBad);
    out.goodToBadToken = pairTokens(out);
    warnAboutTruncation(name, "grammatical", out.good, out.words.changedGood, out.warnings);
    warnAboutTruncation(name, "ungrammatical", out.bad, out.words.changedBad, out.warnings);
    return Status::ok();
}

} // namespace gs
