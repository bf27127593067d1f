// Words and word alignment of minimal pairs (alignment.h). Expectations are
// computed by hand and, for random sentences, by a full Levenshtein table.
// The mapping of words onto tokens and the RuBLiMP check are in
// alignment_tokens_test.cpp; the helpers both use are in alignment_test_support.h.

#include "grammascope/alignment.h"

#include "alignment_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace gs {
namespace {

using alignment_test::appendWord;
using alignment_test::Ints;
using alignment_test::Strings;
using alignment_test::texts;

AnnotatedSentence sentence(std::string text) {
    AnnotatedSentence s;
    s.text = std::move(text);
    return s;
}

WordAlignment align(const std::string& good, const std::string& bad) {
    return alignWords(sentence(good), sentence(bad));
}

// ---------------------------------------------------------------------------
// splitWords
// ---------------------------------------------------------------------------

TEST(SplitWords, WordsPunctuationAndByteSpans) {
    const auto words = splitWords("Мама мыла раму.");
    EXPECT_EQ(texts(words), (Strings{"Мама", "мыла", "раму", "."}));
    ASSERT_EQ(words.size(), 4u);
    EXPECT_EQ(words[0].byteBegin, 0);
    EXPECT_EQ(words[0].byteEnd, 8);
    EXPECT_EQ(words[1].byteBegin, 9);
    EXPECT_EQ(words[2].byteEnd, 26);
    EXPECT_EQ(words[3].byteBegin, 26);
    EXPECT_EQ(words[3].byteEnd, 27);

    EXPECT_EQ(texts(splitWords("Ёжик нашёл 2024 iPhone'а")), (Strings{"Ёжик", "нашёл", "2024", "iPhone'а"}));
    EXPECT_EQ(texts(splitWords("«Да!» — сказал он...")),
              (Strings{"«", "Да", "!", "»", "—", "сказал", "он", ".", ".", "."}));
    EXPECT_EQ(texts(splitWords("Привет,мир!?")), (Strings{"Привет", ",", "мир", "!", "?"}));
    EXPECT_TRUE(splitWords("").empty());
    EXPECT_TRUE(splitWords(" \t\n\u00A0 ").empty());
}

TEST(SplitWords, InnerHyphensAndApostrophes) {
    EXPECT_EQ(texts(splitWords("кто-то из‐за какой‑нибудь")), (Strings{"кто-то", "из‐за", "какой‑нибудь"}));
    EXPECT_EQ(texts(splitWords("д'Артаньян д’Артаньян rock'n'roll")),
              (Strings{"д'Артаньян", "д’Артаньян", "rock'n'roll"}));
    EXPECT_EQ(texts(splitWords("Северо-Западный из-за-угла")), (Strings{"Северо-Западный", "из-за-угла"}));
    // Not between two word characters: a punctuation mark of its own.
    EXPECT_EQ(texts(splitWords("-то кто- --")), (Strings{"-", "то", "кто", "-", "-", "-"}));
    EXPECT_EQ(texts(splitWords("кто--то")), (Strings{"кто", "-", "-", "то"}));
    EXPECT_EQ(texts(splitWords("'Да' ’нет’")), (Strings{"'", "Да", "'", "’", "нет", "’"}));
    // An en dash or a minus sign is never inside a word.
    EXPECT_EQ(texts(splitWords("Москва–Петербург")), (Strings{"Москва", "–", "Петербург"}));
    // A hyphen joins a number to a letter (ordinals, case endings), not two numbers.
    EXPECT_EQ(texts(splitWords("3-й 1990-х 2-3 13-3")),
              (Strings{"3-й", "1990-х", "2", "-", "3", "13", "-", "3"}));
    // An apostrophe needs letters on both sides.
    EXPECT_EQ(texts(splitWords("90's")), (Strings{"90", "'", "s"}));
}

TEST(SplitWords, SymbolsMarksAndSpaces) {
    EXPECT_EQ(texts(splitWords("№5 стоит 100€ ±2°, 50%")),
              (Strings{"№", "5", "стоит", "100", "€", "±", "2", "°", ",", "50", "%"}));
    EXPECT_EQ(texts(splitWords("$+<=>^`|~")), (Strings{"$", "+", "<", "=", ">", "^", "`", "|", "~"}));
    // Emoji are words of their own; a variation selector stays on its emoji.
    EXPECT_EQ(texts(splitWords("да🙂🙂 ❤️!")), (Strings{"да", "🙂", "🙂", "❤️", "!"}));
    // A stress mark (U+0301) and a soft hyphen stay inside the word.
    const auto stressed = splitWords("замо\u0301к при\u00ADмер");
    EXPECT_EQ(texts(stressed), (Strings{"замо\u0301к", "при\u00ADмер"}));
    EXPECT_EQ(stressed[0].byteEnd, 12);
    // NBSP, narrow NBSP, tabs, line and paragraph separators separate words.
    EXPECT_EQ(texts(splitWords("10\u00A0000 5\u202Fкг\tа\nб\u2028в\u2029г\r\nд")),
              (Strings{"10", "000", "5", "кг", "а", "б", "в", "г", "д"}));
    // Controls and format characters are dropped, as BERT drops them.
    EXPECT_EQ(texts(splitWords("а\x01 \u200Eб")), (Strings{"а", "б"}));
    // Greek, Latin with diacritics and Cyrillic extensions are letters too.
    EXPECT_EQ(texts(splitWords("αβγ café Ґанок")), (Strings{"αβγ", "café", "Ґанок"}));
}

TEST(SplitWords, InvalidUtf8BecomesItsOwnWord) {
    const auto words = splitWords("да\xFFнет");
    EXPECT_EQ(texts(words), (Strings{"да", "\xFF", "нет"}));
    EXPECT_EQ(words[1].byteBegin, 4);
    EXPECT_EQ(words[1].byteEnd, 5);
}

TEST(SplitWords, EnsureWordsKeepsWordsTheSourceGave) {
    AnnotatedSentence s = sentence("Кто-то пришёл.");
    ensureWords(s);
    EXPECT_EQ(texts(s.words), (Strings{"Кто-то", "пришёл", "."}));
    AnnotatedSentence given = sentence("Кто-то пришёл.");
    given.words = {{"Кто", 0, 6, {}}, {"-то", 6, 11, {}}, {"пришёл.", 12, 25, {}}};
    ensureWords(given);
    EXPECT_EQ(texts(given.words), (Strings{"Кто", "-то", "пришёл."}));
}

// ---------------------------------------------------------------------------
// alignWords
// ---------------------------------------------------------------------------

TEST(AlignWords, SubstitutionInTheMiddle) {
    const auto a = align("Он желал нам большой удачи.", "Он желало нам большой удачи.");
    EXPECT_EQ(a.goodToBad, (Ints{0, -1, 2, 3, 4, 5}));
    EXPECT_EQ(a.badToGood, (Ints{0, -1, 2, 3, 4, 5}));
    EXPECT_EQ(a.changedGood, (Ints{1}));
    EXPECT_EQ(a.changedBad, (Ints{1}));
}

TEST(AlignWords, InsertionAndDeletion) {
    const auto ins = align("Я иду домой.", "Я не иду домой.");
    EXPECT_EQ(ins.goodToBad, (Ints{0, 2, 3, 4}));
    EXPECT_EQ(ins.badToGood, (Ints{0, -1, 1, 2, 3}));
    EXPECT_TRUE(ins.changedGood.empty());
    EXPECT_EQ(ins.changedBad, (Ints{1}));

    const auto del = align("Я не иду домой.", "Я иду домой.");
    EXPECT_EQ(del.goodToBad, (Ints{0, -1, 1, 2, 3}));
    EXPECT_EQ(del.changedGood, (Ints{1}));
    EXPECT_TRUE(del.changedBad.empty());

    // Substitution plus insertion: "b" -> "x y"; the diagonal is taken at the
    // end, so "b" is substituted by "y" and "x" is the insertion.
    const auto mixed = align("a b c", "a x y c");
    EXPECT_EQ(mixed.goodToBad, (Ints{0, -1, 3}));
    EXPECT_EQ(mixed.changedBad, (Ints{1, 2}));
}

TEST(AlignWords, WordOrder) {
    // A word moved over several others (as in RuBLiMP negative_concord):
    // deletion + insertion (cost 2) beats three substitutions.
    const auto moved = align("Иван не станет другом Пети никогда!", "Иван станет другом не Пети никогда!");
    EXPECT_EQ(moved.goodToBad, (Ints{0, -1, 1, 2, 4, 5, 6}));
    EXPECT_EQ(moved.badToGood, (Ints{0, 2, 3, -1, 4, 5, 6}));
    EXPECT_EQ(moved.changedGood, (Ints{1}));
    EXPECT_EQ(moved.changedBad, (Ints{3}));

    // Two neighbours swapped (as in RuBLiMP negative_concord): two
    // substitutions and deletion + insertion both cost 2; the tie goes to
    // substitution, so both words count as changed on both sides.
    const auto swapped = align("И не будем под этим понимать ничего плохого?",
                               "И будем не под этим понимать ничего плохого?");
    EXPECT_EQ(swapped.changedGood, (Ints{1, 2}));
    EXPECT_EQ(swapped.changedBad, (Ints{1, 2}));
    EXPECT_EQ(swapped.goodToBad, (Ints{0, -1, -1, 3, 4, 5, 6, 7, 8}));
}

TEST(AlignWords, TiesLeaveTheGapLeftmost) {
    // Which of two equal words was deleted is a tie: the leftmost one.
    EXPECT_EQ(align("очень очень хорошо", "очень хорошо").changedGood, (Ints{0}));
    EXPECT_EQ(align("очень хорошо", "очень очень хорошо").changedBad, (Ints{0}));
    EXPECT_EQ(align("хорошо очень очень", "хорошо очень").changedGood, (Ints{1}));
    EXPECT_EQ(align("a a a b", "a a b").changedGood, (Ints{0}));
    EXPECT_EQ(align("x a a b", "x a b").goodToBad, (Ints{0, -1, 1, 2}));
    // The prefix match does not move when moving it would cost more.
    const auto a = align("P a x a", "P a y");
    EXPECT_EQ(a.goodToBad, (Ints{0, 1, -1, -1}));
    EXPECT_EQ(a.changedBad, (Ints{2}));
}

TEST(AlignWords, PunctuationAndHyphenatedWords) {
    const auto comma = align("Привет, мир!", "Привет мир!");
    EXPECT_EQ(comma.changedGood, (Ints{1}));
    EXPECT_TRUE(comma.changedBad.empty());
    EXPECT_EQ(comma.goodToBad, (Ints{0, -1, 1, 2}));

    const auto hyphen = align("Он куда-то ушёл.", "Он куда-нибудь ушёл.");
    EXPECT_EQ(hyphen.changedGood, (Ints{1}));
    EXPECT_EQ(hyphen.changedBad, (Ints{1}));
}

TEST(AlignWords, IdenticalAndEmpty) {
    const auto same = align("Мама мыла раму.", "Мама мыла раму.");
    EXPECT_EQ(same.goodToBad, (Ints{0, 1, 2, 3}));
    EXPECT_EQ(same.badToGood, (Ints{0, 1, 2, 3}));
    EXPECT_TRUE(same.changedGood.empty());
    EXPECT_TRUE(same.changedBad.empty());

    const auto empty = align("", "");
    EXPECT_TRUE(empty.goodToBad.empty());
    EXPECT_TRUE(empty.badToGood.empty());
    EXPECT_TRUE(empty.changedGood.empty());

    const auto fromEmpty = align("", "Я иду.");
    EXPECT_TRUE(fromEmpty.goodToBad.empty());
    EXPECT_EQ(fromEmpty.badToGood, (Ints{-1, -1, -1}));
    EXPECT_EQ(fromEmpty.changedBad, (Ints{0, 1, 2}));
    EXPECT_EQ(align("Я иду.", "").changedGood, (Ints{0, 1, 2}));
}

TEST(AlignWords, UsesTheWordsTheSentenceHas) {
    // CoNLL-U-like words: the good side is aligned on its given words, the
    // bad side (no words) through splitWords.
    AnnotatedSentence good = sentence("Кто-то пришёл");
    good.words = {{"Кто", 0, 6, {}}, {"-", 6, 7, {}}, {"то", 7, 11, {}}, {"пришёл", 12, 24, {}}};
    const auto a = alignWords(good, sentence("Кто то пришла"));
    EXPECT_EQ(a.goodToBad, (Ints{0, -1, 1, -1}));
    EXPECT_EQ(a.changedGood, (Ints{1, 3}));
    EXPECT_EQ(a.changedBad, (Ints{2}));
}

// The cost of an alignment: per gap between consecutive matches, the larger
// of its two sides (substitutions first, then insertions or deletions).
std::int64_t alignmentCost(const WordAlignment& a) {
    std::int64_t cost = 0, lastG = -1, lastB = -1;
    for (std::size_t g = 0; g <= a.goodToBad.size(); ++g) {
        const bool end = g == a.goodToBad.size();
        if (!end && a.goodToBad[g] < 0) continue;
        const std::int64_t b = end ? static_cast<std::int64_t>(a.badToGood.size()) : a.goodToBad[g];
        cost += std::max(static_cast<std::int64_t>(g) - lastG - 1, b - lastB - 1);
        lastG = static_cast<std::int64_t>(g);
        lastB = b;
    }
    return cost;
}

// Full-table Levenshtein with the header's tie rule, no prefix / suffix trimming.
WordAlignment referenceAlignment(const Strings& a, const Strings& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j)
            d[i][j] = std::min({d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), d[i - 1][j] + 1, d[i][j - 1] + 1});
    WordAlignment out;
    out.goodToBad.assign(n, -1);
    out.badToGood.assign(m, -1);
    std::size_t i = n, j = m;
    while (i > 0 && j > 0) {
        if (d[i][j] == d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)) {
            if (a[i - 1] == b[j - 1]) {
                out.goodToBad[i - 1] = static_cast<std::int32_t>(j - 1);
                out.badToGood[j - 1] = static_cast<std::int32_t>(i - 1);
            }
            --i, --j;
        } else if (d[i][j] == d[i - 1][j] + 1) {
            --i;
        } else {
            --j;
        }
    }
    for (std::size_t k = 0; k < n; ++k)
        if (out.goodToBad[k] < 0) out.changedGood.push_back(static_cast<std::int32_t>(k));
    for (std::size_t k = 0; k < m; ++k)
        if (out.badToGood[k] < 0) out.changedBad.push_back(static_cast<std::int32_t>(k));
    out.changedGood.shrink_to_fit();
    return out;
}

TEST(AlignWords, AgreesWithTheFullTableOnRandomSentences) {
    // Small vocabularies make repeated words, where trimming the common
    // prefix could otherwise put a gap elsewhere than the full table does.
    std::mt19937 rng(7);
    int differentMatches = 0;
    for (int round = 0; round < 3000; ++round) {
        const int vocabulary = 2 + round % 4;
        auto randomSentence = [&](std::size_t length) {
            std::string text;
            for (std::size_t k = 0; k < length; ++k)
                appendWord(text, std::string(1, static_cast<char>('a' + rng() % vocabulary)));
            return text;
        };
        std::string good = randomSentence(rng() % 10);
        std::string bad = good;
        // Mostly small edits of the same sentence, like minimal pairs; sometimes unrelated.
        if (round % 5 == 0) {
            bad = randomSentence(rng() % 10);
        } else {
            auto words = texts(splitWords(good));
            for (int e = 0; e < 1 + round % 3; ++e) {
                const std::size_t at = words.empty() ? 0 : rng() % (words.size() + 1);
                const std::string w(1, static_cast<char>('a' + rng() % vocabulary));
                switch (rng() % 3) {
                case 0: words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), w); break;
                case 1: if (at < words.size()) words.erase(words.begin() + static_cast<std::ptrdiff_t>(at)); break;
                default: if (at < words.size()) words[at] = w; break;
                }
            }
            bad.clear();
            for (const auto& w : words) appendWord(bad, w);
        }
        const WordAlignment got = align(good, bad);
        const WordAlignment want = referenceAlignment(texts(splitWords(good)), texts(splitWords(bad)));
        ASSERT_EQ(alignmentCost(got), alignmentCost(want)) << "'" << good << "' vs '" << bad << "'";
        for (std::size_t g = 0; g < got.goodToBad.size(); ++g) {
            if (got.goodToBad[g] >= 0) {
                ASSERT_EQ(got.badToGood[static_cast<std::size_t>(got.goodToBad[g])], static_cast<std::int32_t>(g));
            }
        }
        if (got.goodToBad != want.goodToBad || got.badToGood != want.badToGood) {
            ++differentMatches;
            if (differentMatches <= 5) std::cout << "  differs: '" << good << "' vs '" << bad << "'\n";
        }
    }
    std::cout << "alignments differing from the full table (same cost): " << differentMatches << " of 3000\n";
    EXPECT_EQ(differentMatches, 0);
}

TEST(AlignWords, LongSentencesStayCheap) {
    // 2,000 words with one change in the middle: the common prefix and suffix
    // leave a 1 x 1 table.
    std::string good, bad;
    for (int k = 0; k < 2000; ++k) {
        const std::string w = "слово" + std::to_string(k % 97);
        appendWord(good, w);
        appendWord(bad, k == 1000 ? std::string("другое") : w);
    }
    const auto start = std::chrono::steady_clock::now();
    const auto a = align(good, bad);
    EXPECT_EQ(a.changedGood, (Ints{1000}));
    EXPECT_EQ(a.changedBad, (Ints{1000}));
    // Two unrelated 2,500-word texts: a full table (6.25 M cells, 1.6 MB of back-pointers).
    std::string x, y;
    for (int k = 0; k < 2500; ++k) {
        appendWord(x, "а" + std::to_string(k));
        appendWord(y, "б" + std::to_string(k));
    }
    const auto unrelated = align(x, y);
    EXPECT_EQ(unrelated.changedGood.size(), 2500u);
    EXPECT_EQ(unrelated.changedBad.size(), 2500u);
    // Beyond the table limit (9,000 x 9,000 words in the middle) the middle is reported as changed.
    std::string p = "начало", q = "начало";
    for (int k = 0; k < 9000; ++k) {
        p += " п" + std::to_string(k);
        q += " к" + std::to_string(k);
    }
    const auto huge = align(p + " конец", q + " конец");
    EXPECT_EQ(huge.changedGood.size(), 9000u);
    EXPECT_EQ(huge.goodToBad.front(), 0);
    EXPECT_EQ(huge.goodToBad.back(), 9001);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 10.0);
}

} // namespace
} // namespace gs
