// Word alignment mapped onto tokens (alignment.h): tokenWordIndices,
// alignPairTokens on the test tokenizers and the demo model, and the RuBLiMP
// check, which runs over every row of the shared dev files and compares the
// changed words with the files' own source_word / target_word columns.
// Words and word alignment themselves are in alignment_test.cpp.

#include "grammascope/alignment.h"
#include "grammascope/pairs.h"
#include "grammascope/tokenizer.h"

#include "util/unicode.h"
#include "util/utf8.h"

#include "alignment_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace gs {
namespace {

namespace fs = std::filesystem;
using alignment_test::appendWord;
using alignment_test::Ints;
using alignment_test::Strings;
using alignment_test::texts;

const fs::path kTokenizers = fs::path(GRAMMASCOPE_TEST_DATA_DIR) / "tokenizers";
const fs::path kDemoModel = fs::path(GRAMMASCOPE_DEMO_DIR) / "model";
const fs::path kRublimp = fs::path(GRAMMASCOPE_SHARED_DATA) / "rublimp-dev";

DatasetItem pairItem(std::string id, std::string good, std::string bad) {
    DatasetItem item;
    item.id = std::move(id);
    item.good.text = std::move(good);
    item.bad.text = std::move(bad);
    return item;
}

std::unique_ptr<Tokenizer> load(const fs::path& dir) {
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(dir, nullptr, t);
    EXPECT_TRUE(st.isOk()) << st.message();
    return t;
}

std::string lower(const std::string& s) {
    std::u32string cps, out;
    if (!utf8::decode(s, cps).isOk()) return s;
    for (char32_t cp : cps) unicode::appendLower(cp, out);
    return utf8::encode(out);
}

std::string join(const std::vector<SentenceWord>& words, const Ints& indices) {
    std::string out;
    for (std::int32_t i : indices) appendWord(out, words[static_cast<std::size_t>(i)].text);
    return out;
}

// ---------------------------------------------------------------------------
// tokenWordIndices
// ---------------------------------------------------------------------------

Token special(const char* text) {
    Token t;
    t.text = text;
    t.special = true;
    return t;
}
Token piece(const char* text, std::int64_t byteBegin, std::int64_t byteEnd) {
    Token t;
    t.text = text;
    t.byteBegin = byteBegin;
    t.byteEnd = byteEnd;
    return t;
}

TEST(TokenWordIndices, ByteOverlapFirstWordAndSpaceMarks) {
    // "Дом. Кот": words Дом [0, 6), "." [6, 7), Кот [8, 14).
    const auto words = splitWords("Дом. Кот");
    ASSERT_EQ(texts(words), (Strings{"Дом", ".", "Кот"}));
    Encoding e;
    e.tokens = {special("[CLS]"),
                piece("▁", 0, 0),    // the dummy prefix: zero-length where "Дом" starts
                piece("До", 0, 4),
                piece("м.", 4, 7),   // overlaps "Дом" and "." -> the first
                piece("▁", 7, 8),    // only the space -> the word after it
                piece("Ко", 8, 12),
                piece("т", 12, 14),
                special("[SEP]")};
    EXPECT_EQ(tokenWordIndices(e, words), (Ints{-1, 0, 0, 0, 2, 2, 2, -1}));

    // A piece whose span starts with the space it stands for.
    e.tokens = {special("<s>"), piece("▁Дом", 0, 6), piece(".", 6, 7), piece("▁Кот", 7, 14), special("</s>")};
    EXPECT_EQ(tokenWordIndices(e, words), (Ints{-1, 0, 1, 2, -1}));

    // NFKC makes "№" "No": "▁N" gets the space before it, "o" the sign's bytes.
    const auto sign = splitWords("шахты № 5");
    e.tokens = {special("[CLS]"), piece("▁шахты", 0, 10), piece("▁N", 10, 11), piece("o", 11, 14),
                piece("▁5", 14, 16), special("[SEP]")};
    EXPECT_EQ(tokenWordIndices(e, sign), (Ints{-1, 0, 1, 1, 2, -1}));

    // A token over nothing but a space that is not a space mark maps to no word;
    // a special typed in the text (special == false) maps by its span.
    e.tokens = {special("[CLS]"), piece("x", 7, 8), piece("[MASK]", 8, 14), special("[SEP]")};
    EXPECT_EQ(tokenWordIndices(e, words), (Ints{-1, -1, 2, -1}));

    // Words not in text order are searched linearly, with the same answers.
    std::vector<SentenceWord> shuffled = {words[2], words[0], words[1]};
    e.tokens = {special("[CLS]"), piece("▁Дом", 0, 6), piece(".", 6, 7), piece("▁", 7, 8), piece("Кот", 8, 14),
                special("[SEP]")};
    EXPECT_EQ(tokenWordIndices(e, shuffled), (Ints{-1, 1, 2, 0, 0, -1}));
    EXPECT_EQ(tokenWordIndices(e, {}), (Ints{-1, -1, -1, -1, -1, -1}));
}

TEST(TokenWordIndices, WordPieceFixture) {
    auto t = load(kTokenizers / "wordpiece");
    ASSERT_TRUE(t);
    Encoding e;
    ASSERT_TRUE(t->encode("мой ёлка-дом, и кот", 0, e).isOk());
    Strings pieces;
    for (const auto& token : e.tokens) pieces.push_back(token.text);
    ASSERT_EQ(pieces, (Strings{"[CLS]", "мой", "ёлка", "-", "дом", ",", "и", "кот", "[SEP]"}));
    // The tokenizer splits at the hyphen; the word does not.
    EXPECT_EQ(tokenWordIndices(e, splitWords("мой ёлка-дом, и кот")), (Ints{-1, 0, 1, 1, 1, 2, 3, 4, -1}));
}

TEST(TokenWordIndices, SentencePieceFixture) {
    // Pieces and code point spans from tests/data/tokenizers/sentencepiece/ru.offsets, line 1:
    // ▁ 0:0, К о ш ка, ▁ 5:6 (the space alone), л ов и т, ▁м 11:13 (space included), ы ш ей, . 17:18.
    auto t = load(kTokenizers / "sentencepiece");
    ASSERT_TRUE(t);
    Encoding e;
    const std::string text = "Кошка ловит мышей.";
    ASSERT_TRUE(t->encode(text, 0, e).isOk());
    ASSERT_EQ(e.tokens.size(), 17u);
    EXPECT_EQ(e.tokens[6].text, "▁");
    EXPECT_EQ(e.tokens[11].text, "▁м");
    EXPECT_EQ(tokenWordIndices(e, splitWords(text)), (Ints{-1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, -1}));
}

// ---------------------------------------------------------------------------
// alignPairTokens
// ---------------------------------------------------------------------------

TEST(AlignPairTokens, WordPieceSubstitution) {
    auto t = load(kTokenizers / "wordpiece");
    ASSERT_TRUE(t);
    PairTokenAlignment a;
    ASSERT_TRUE(alignPairTokens(*t, pairItem("p1", "Я дом.", "Я домик."), 0, a).isOk());
    // good: [CLS] Я дом . [SEP]; bad: [CLS] Я дом ##ик . [SEP]
    ASSERT_EQ(a.good.encoding.tokens.size(), 5u);
    ASSERT_EQ(a.bad.encoding.tokens.size(), 6u);
    EXPECT_EQ(a.bad.encoding.tokens[3].text, "##ик");
    EXPECT_EQ(a.words.changedGood, (Ints{1}));
    EXPECT_EQ(a.words.changedBad, (Ints{1}));
    EXPECT_EQ(a.good.tokenWords, (Ints{-1, 0, 1, 2, -1}));
    EXPECT_EQ(a.bad.tokenWords, (Ints{-1, 0, 1, 1, 2, -1}));
    EXPECT_EQ(a.good.changed, (std::vector<std::uint8_t>{0, 0, 1, 0, 0}));
    EXPECT_EQ(a.bad.changed, (std::vector<std::uint8_t>{0, 0, 1, 1, 0, 0}));
    EXPECT_EQ(a.goodToBadToken, (Ints{0, 1, -1, 4, 5}));
    EXPECT_TRUE(a.warnings.empty());
    EXPECT_EQ(texts(a.good.words), (Strings{"Я", "дом", "."}));
}

TEST(AlignPairTokens, DemoModelSentencePiece) {
    auto t = load(kDemoModel);
    ASSERT_TRUE(t);
    PairTokenAlignment a;
    ASSERT_TRUE(alignPairTokens(*t, pairItem("p1", "Он желал нам большой удачи.", "Он желало нам большой удачи."),
                                128, a)
                    .isOk());
    EXPECT_EQ(a.words.changedGood, (Ints{1}));
    EXPECT_EQ(a.words.changedBad, (Ints{1}));
    // The changed tokens spell the changed word (less the space marks).
    auto spell = [](const SideTokens& side) {
        std::string s;
        for (std::size_t k = 0; k < side.changed.size(); ++k)
            if (side.changed[k]) s += side.encoding.tokens[k].text;
        for (std::size_t at; (at = s.find("▁")) != std::string::npos;) s.erase(at, std::string("▁").size());
        return s;
    };
    EXPECT_EQ(spell(a.good), "желал");
    EXPECT_EQ(spell(a.bad), "желало");
    // Every token is in a word except [CLS] / [SEP]; every unchanged token is
    // paired with the same piece in the other sentence.
    const auto& gt = a.good.encoding.tokens;
    for (std::size_t k = 0; k < gt.size(); ++k) {
        EXPECT_EQ(a.good.tokenWords[k] < 0, gt[k].special) << k;
        if (a.good.changed[k]) {
            EXPECT_EQ(a.goodToBadToken[k], -1);
            continue;
        }
        ASSERT_GE(a.goodToBadToken[k], 0) << k << " " << gt[k].text;
        EXPECT_EQ(a.bad.encoding.tokens[static_cast<std::size_t>(a.goodToBadToken[k])].text, gt[k].text);
    }
    EXPECT_EQ(a.goodToBadToken.front(), 0);
    EXPECT_EQ(a.goodToBadToken.back(), static_cast<std::int32_t>(a.bad.encoding.tokens.size()) - 1);
}

TEST(AlignPairTokens, OnlyMatchedWordsWithTheSamePiecesArePaired) {
    auto t = load(kTokenizers / "wordpiece");
    ASSERT_TRUE(t);
    PairTokenAlignment a;
    // good: [CLS] дом и кот [SEP]; bad: [CLS] дом и кот ##ы [SEP]
    ASSERT_TRUE(alignPairTokens(*t, pairItem("p2", "дом и кот", "дом и коты"), 0, a).isOk());
    EXPECT_EQ(a.goodToBadToken, (Ints{0, 1, 2, -1, 5}));
    EXPECT_EQ(a.bad.changed, (std::vector<std::uint8_t>{0, 0, 0, 1, 1, 0}));

    // Words given by the source: both sides call their last word "кот", so
    // the words match, but the bad one covers "коты" and has one piece more:
    // no position of one corresponds to a position of the other.
    DatasetItem item = pairItem("p3", "Я кот", "Я коты");
    item.good.words = {{"Я", 0, 2, {}}, {"кот", 3, 9, {}}};
    item.bad.words = {{"Я", 0, 2, {}}, {"кот", 3, 11, {}}};
    ASSERT_TRUE(alignPairTokens(*t, item, 0, a).isOk());
    EXPECT_TRUE(a.words.changedGood.empty());
    EXPECT_EQ(a.bad.tokenWords, (Ints{-1, 0, 1, 1, -1}));
    EXPECT_EQ(a.goodToBadToken, (Ints{0, 1, -1, 4}));

    // Words that do not match at all leave only the specials paired.
    item = pairItem("p4", "дом и кот", "дом и коты");
    item.bad.words = {{"дом и", 0, 9, {}}, {"коты", 10, 18, {}}};
    ASSERT_TRUE(alignPairTokens(*t, item, 0, a).isOk());
    EXPECT_EQ(a.words.changedGood, (Ints{0, 1, 2}));
    EXPECT_EQ(a.words.changedBad, (Ints{0, 1}));
    EXPECT_EQ(a.goodToBadToken, (Ints{0, -1, -1, -1, 5}));
}

TEST(AlignPairTokens, SingleSentenceFillsOnlyGood) {
    auto t = load(kTokenizers / "wordpiece");
    ASSERT_TRUE(t);
    DatasetItem item;
    item.id = "s1";
    item.good.text = "Я дом.";
    PairTokenAlignment a;
    ASSERT_TRUE(alignPairTokens(*t, item, 0, a).isOk());
    EXPECT_EQ(a.good.tokenWords, (Ints{-1, 0, 1, 2, -1}));
    EXPECT_EQ(a.good.changed, (std::vector<std::uint8_t>(5, 0)));
    EXPECT_TRUE(a.bad.encoding.tokens.empty());
    EXPECT_TRUE(a.bad.words.empty());
    EXPECT_TRUE(a.goodToBadToken.empty());
    EXPECT_TRUE(a.words.goodToBad.empty());
    EXPECT_TRUE(a.warnings.empty());
}

TEST(AlignPairTokens, InvalidUtf8FailsNamingTheItem) {
    auto t = load(kTokenizers / "wordpiece");
    ASSERT_TRUE(t);
    PairTokenAlignment a;
    const Status st = alignPairTokens(*t, pairItem("bad-utf8", "Я дом.", "Я \xFF."), 0, a);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("'bad-utf8'"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("ungrammatical"), std::string::npos) << st.message();
    EXPECT_TRUE(a.good.encoding.tokens.empty());
}

TEST(AlignPairTokens, TruncationOfALongSentence) {
    auto t = load(kDemoModel);
    ASSERT_TRUE(t);
    // 2,000 words (500 × "мама мыла раму ."): words 10 and 1,501 change.
    std::string good, bad;
    for (int k = 0; k < 500; ++k) {
        good += "мама мыла раму . ";
        bad += k == 2 ? "мама мыло раму . " : k == 375 ? "папа мыла раму . " : "мама мыла раму . ";
    }
    PairTokenAlignment a;
    ASSERT_TRUE(alignPairTokens(*t, pairItem("long-1", good, bad), 128, a).isOk());
    EXPECT_EQ(a.good.words.size(), 2000u);
    EXPECT_EQ(a.words.changedGood, (Ints{9, 1500}));
    EXPECT_EQ(a.words.changedBad, (Ints{9, 1500}));
    EXPECT_EQ(a.good.encoding.tokens.size(), 128u);
    EXPECT_TRUE(a.good.encoding.truncated);
    // The first change survives truncation, the second does not.
    EXPECT_GT(std::count(a.good.changed.begin(), a.good.changed.end(), 1), 0);
    ASSERT_EQ(a.warnings.size(), 4u);
    const std::string goodLength = std::to_string(a.good.encoding.untruncatedLength);
    EXPECT_NE(a.warnings[0].find("'long-1'"), std::string::npos) << a.warnings[0];
    EXPECT_NE(a.warnings[0].find(goodLength), std::string::npos) << a.warnings[0];
    EXPECT_NE(a.warnings[0].find("grammatical"), std::string::npos) << a.warnings[0];
    EXPECT_NE(a.warnings[1].find("'мама'"), std::string::npos) << a.warnings[1];
    EXPECT_NE(a.warnings[1].find("truncation"), std::string::npos) << a.warnings[1];
    EXPECT_NE(a.warnings[2].find("ungrammatical"), std::string::npos) << a.warnings[2];
    EXPECT_NE(a.warnings[3].find("'папа'"), std::string::npos) << a.warnings[3];
    for (const auto& w : a.warnings) std::cout << "  " << w << "\n";
    // Without a limit nothing is lost and nothing is said.
    ASSERT_TRUE(alignPairTokens(*t, pairItem("long-1", good, bad), 0, a).isOk());
    EXPECT_TRUE(a.warnings.empty());
    EXPECT_GT(a.good.encoding.tokens.size(), 2000u);
}

// ---------------------------------------------------------------------------
// RuBLiMP: the changed words against the files' source_word / target_word
// ---------------------------------------------------------------------------

TEST(Rublimp, ChangedWordsAgreeWithTheFiles) {
    if (!fs::exists(kRublimp)) GTEST_SKIP() << "no RuBLiMP data at " << kRublimp;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(kRublimp))
        if (entry.path().extension() == ".csv") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 12u);
    auto demo = load(kDemoModel);
    ASSERT_TRUE(demo);

    std::int64_t rows = 0, exact = 0, caseless = 0, swaps = 0, recapitalized = 0;
    std::int64_t tokensWithoutWord = 0, lostTokens = 0, unpairedTokens = 0, truncatedPairs = 0;
    std::vector<std::string> unexplained;
    for (const auto& file : files) {
        PairsFile pairs;
        ASSERT_TRUE(readPairsCsv(file, pairs).isOk()) << file;
        std::int64_t fileExact = 0;
        for (const auto& p : pairs.pairs) {
            ++rows;
            PairTokenAlignment a;
            ASSERT_TRUE(alignPairTokens(*demo, pairItem(p.id, p.good, p.bad), 128, a).isOk()) << p.id;
            const WordAlignment& w = a.words;
            const std::string cg = join(a.good.words, w.changedGood), cb = join(a.bad.words, w.changedBad);
            if (cg == p.goodWord && cb == p.badWord) {
                ++exact;
                ++fileExact;
            }
            if (lower(cg) == lower(p.goodWord) && lower(cb) == lower(p.badWord)) {
                ++caseless;
            } else if (w.changedGood.size() == 2 && w.changedBad.size() == 2) {
                const auto& gw = a.good.words;
                const auto& bw = a.bad.words;
                auto text = [](const std::vector<SentenceWord>& ws, std::int32_t i) {
                    return ws[static_cast<std::size_t>(i)].text;
                };
                const std::string g0 = text(gw, w.changedGood[0]), g1 = text(gw, w.changedGood[1]);
                const std::string b0 = text(bw, w.changedBad[0]), b1 = text(bw, w.changedBad[1]);
                // Neighbours swapped: the tie goes to two substitutions (see WordOrder).
                const bool swap = w.changedGood[1] == w.changedGood[0] + 1 && w.changedBad == w.changedGood &&
                                  g0 == b1 && g1 == b0 && (g0 == p.goodWord || g1 == p.goodWord);
                // The word moved away from the start of the sentence and the
                // next word lost its capital: «Не было … Некраса» / «было … Не некраса».
                const bool recap = g0 == p.goodWord && b0 == p.badWord && g1 != b1 && lower(g1) == lower(b1);
                if (swap) ++swaps;
                else if (recap) ++recapitalized;
                else unexplained.push_back(p.id + ": " + cg + " / " + cb);
            } else {
                unexplained.push_back(p.id + ": '" + cg + "' / '" + cb + "' vs file '" + p.goodWord + "' / '" +
                                      p.badWord + "'");
            }
            // Tokens: every text token is in a word, and every changed word
            // keeps at least one token (the changes all lie within the first
            // 128 tokens).
            for (const SideTokens* side : {&a.good, &a.bad}) {
                for (std::size_t k = 0; k < side->tokenWords.size(); ++k)
                    if (side->tokenWords[k] < 0 && !side->encoding.tokens[k].special) ++tokensWithoutWord;
                const auto& changedWords = side == &a.good ? w.changedGood : w.changedBad;
                for (std::int32_t cw : changedWords)
                    if (std::find(side->tokenWords.begin(), side->tokenWords.end(), cw) == side->tokenWords.end())
                        ++lostTokens;
            }
            // The demo model takes 128 tokens; a few long sentences are cut, and say so.
            const bool truncated = a.good.encoding.truncated || a.bad.encoding.truncated;
            if (truncated) ++truncatedPairs;
            EXPECT_EQ(a.warnings.empty(), !truncated) << p.id;
            // SentencePiece cuts each space-separated word on its own, so
            // unchanged words keep their pieces unless truncation cut them.
            for (std::size_t k = 0; k < a.goodToBadToken.size() && !truncated; ++k)
                if (!a.good.changed[k] && a.goodToBadToken[k] < 0) ++unpairedTokens;
        }
        std::cout << "  " << file.filename().string() << ": " << fileExact << " of " << pairs.pairs.size()
                  << " exact\n";
    }
    std::cout << "RuBLiMP dev, " << rows << " rows: changed words equal source_word/target_word exactly in "
              << exact << ", ignoring case in " << caseless << "; adjacent swaps " << swaps
              << ", capital moved with the word " << recapitalized << ", unexplained " << unexplained.size()
              << "; demo tokens outside every word " << tokensWithoutWord << ", changed words without tokens " << lostTokens << ", unchanged good tokens not paired "
              << unpairedTokens << "; pairs truncated to 128 tokens " << truncatedPairs << "\n";
    for (const auto& u : unexplained) std::cout << "    " << u << "\n";
    EXPECT_EQ(rows, 12000);
    EXPECT_TRUE(unexplained.empty());
    EXPECT_EQ(caseless + swaps + recapitalized, rows);
    EXPECT_GE(caseless, rows * 999 / 1000);  // the rest are the two explained kinds above
    EXPECT_EQ(tokensWithoutWord, 0);
    EXPECT_EQ(lostTokens, 0);
    EXPECT_EQ(unpairedTokens, 0);
}

} // namespace
} // namespace gs
