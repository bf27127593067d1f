// WordPiece from vocab.txt against hand-computed expectations (tests/data/
// tokenizers/wordpiece: a 41-piece vocabulary with Cyrillic incl. ё, Latin,
// digits, punctuation and ## pieces). Ids are line numbers from 0; offsets
// are code points and UTF-8 bytes of the original text.

#include "grammascope/model_config.h"
#include "grammascope/tokenizer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace gs {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(GRAMMASCOPE_TEST_DATA_DIR) / "tokenizers";

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "gs_tok_XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }
    void write(const std::string& name, const std::string& content) const {
        std::ofstream(m_path / name, std::ios::binary) << content;
    }

private:
    fs::path m_path;
};

// Loads the fixture vocabulary with the given tokenizer_config.json text
// (nullptr: no tokenizer_config.json at all).
std::unique_ptr<Tokenizer> loadWithConfig(const char* tokenizerConfig, const ModelConfig* config = nullptr) {
    TempDir dir;
    fs::copy_file(kData / "wordpiece" / "vocab.txt", dir.path() / "vocab.txt");
    if (tokenizerConfig) dir.write("tokenizer_config.json", tokenizerConfig);
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(dir.path(), config, t);
    EXPECT_TRUE(st.isOk()) << st.message();
    return t;
}

std::unique_ptr<Tokenizer> cased() {
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(kData / "wordpiece", nullptr, t);
    EXPECT_TRUE(st.isOk()) << st.message();
    return t;
}
std::unique_ptr<Tokenizer> uncased() { return loadWithConfig(R"({"do_lower_case": true})"); }

struct Expected {
    std::string text;
    std::int64_t id, begin, end, byteBegin, byteEnd;
    std::int32_t word;
};

Encoding encodeOk(const Tokenizer& t, std::string_view text, std::int64_t maxLength = 0) {
    Encoding e;
    const Status st = t.encode(text, maxLength, e);
    EXPECT_TRUE(st.isOk()) << st.message();
    return e;
}

// Checks [CLS] expected... [SEP] token by token.
void expectTokens(const Encoding& e, const std::vector<Expected>& expected) {
    ASSERT_EQ(e.tokens.size(), expected.size() + 2);
    const Token& cls = e.tokens.front();
    const Token& sep = e.tokens.back();
    EXPECT_EQ(cls.text, "[CLS]");
    EXPECT_EQ(cls.id, 2);
    EXPECT_TRUE(cls.special);
    EXPECT_EQ(cls.begin, -1);
    EXPECT_EQ(cls.wordIndex, -1);
    EXPECT_EQ(sep.text, "[SEP]");
    EXPECT_EQ(sep.id, 3);
    EXPECT_TRUE(sep.special);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Token& t = e.tokens[i + 1];
        const Expected& x = expected[i];
        SCOPED_TRACE("token " + std::to_string(i) + " '" + x.text + "'");
        EXPECT_EQ(t.text, x.text);
        EXPECT_EQ(t.id, x.id);
        EXPECT_EQ(t.begin, x.begin);
        EXPECT_EQ(t.end, x.end);
        EXPECT_EQ(t.byteBegin, x.byteBegin);
        EXPECT_EQ(t.byteEnd, x.byteEnd);
        EXPECT_EQ(t.wordIndex, x.word);
        EXPECT_FALSE(t.special);
    }
}

TEST(WordPiece, LoadsCasedFixture) {
    auto t = cased();
    ASSERT_TRUE(t);
    EXPECT_EQ(t->kind(), TokenizerKind::WordPiece);
    EXPECT_EQ(t->vocabSize(), 41);
    EXPECT_EQ(t->pieceToId("Ёлка"), 10);
    EXPECT_EQ(t->pieceToId("##ик"), 16);
    EXPECT_EQ(t->pieceToId("нет"), -1);
    EXPECT_EQ(t->idToPiece(15), "дом");
    EXPECT_EQ(t->describe(), "WordPiece (vocab.txt, 41 pieces, cased)");
    const auto& s = t->specialTokens();
    EXPECT_EQ(s.pad, 0);
    EXPECT_EQ(s.unk, 1);
    EXPECT_EQ(s.cls, 2);
    EXPECT_EQ(s.sep, 3);
    EXPECT_EQ(s.mask, 4);
    EXPECT_EQ(s.maskText, "[MASK]");
    EXPECT_TRUE(t->loadWarnings().empty());
}

TEST(WordPiece, CyrillicWordsAndPunctuation) {
    auto t = cased();
    const Encoding e = encodeOk(*t, "Ёлка и дом.");
    expectTokens(e, {{"Ёлка", 10, 0, 4, 0, 8, 0},
                     {"и", 20, 5, 6, 9, 11, 1},
                     {"дом", 15, 7, 10, 12, 18, 2},
                     {".", 5, 10, 11, 18, 19, 3}});
    EXPECT_EQ(e.wordCount, 4);
    EXPECT_FALSE(e.truncated);
    EXPECT_EQ(e.untruncatedLength, 6);
    EXPECT_EQ(e.ids(), (std::vector<std::int64_t>{2, 10, 20, 15, 5, 3}));
}

TEST(WordPiece, ContinuationPiecesShareTheWord) {
    auto t = cased();
    // "Мой" has no piece in cased form: the whole word is one [UNK].
    const Encoding e = encodeOk(*t, "Мой домик, котом!");
    expectTokens(e, {{"[UNK]", 1, 0, 3, 0, 6, 0},
                     {"дом", 15, 4, 7, 7, 13, 1},
                     {"##ик", 16, 7, 9, 13, 17, 1},
                     {",", 6, 9, 10, 17, 18, 2},
                     {"кот", 18, 11, 14, 19, 25, 3},
                     {"##ом", 17, 14, 16, 25, 29, 3},
                     {"!", 7, 16, 17, 29, 30, 4}});
    EXPECT_EQ(e.wordCount, 5);
}

TEST(WordPiece, LowerCasingFoldsYoAndShortI) {
    auto t = uncased();
    EXPECT_EQ(t->describe(), "WordPiece (vocab.txt, 41 pieces, uncased)");
    // "Мой" -> "мой" -> NFD drops the breve: "мои" (id 14), offsets still on the original.
    expectTokens(encodeOk(*t, "Мой домик"), {{"мои", 14, 0, 3, 0, 6, 0},
                                             {"дом", 15, 4, 7, 7, 13, 1},
                                             {"##ик", 16, 7, 9, 13, 17, 1}});
    // "Ёлка" -> "ёлка" -> "елка".
    expectTokens(encodeOk(*t, "Ёлка"), {{"елка", 12, 0, 4, 0, 8, 0}});
}

TEST(WordPiece, YoKeptWhenCased) {
    auto t = cased();
    expectTokens(encodeOk(*t, "Ёлка ёлка"), {{"Ёлка", 10, 0, 4, 0, 8, 0}, {"ёлка", 11, 5, 9, 9, 17, 1}});
    expectTokens(encodeOk(*t, "мой"), {{"мой", 13, 0, 3, 0, 6, 0}});
}

TEST(WordPiece, LowerCaseWithoutAccentStripping) {
    auto t = loadWithConfig(R"({"do_lower_case": true, "strip_accents": false})");
    expectTokens(encodeOk(*t, "Ёлка Мой"), {{"ёлка", 11, 0, 4, 0, 8, 0}, {"мой", 13, 5, 8, 9, 15, 1}});
    EXPECT_EQ(t->describe(), "WordPiece (vocab.txt, 41 pieces, uncased, accents kept)");
}

TEST(WordPiece, Digits) {
    auto t = cased();
    expectTokens(encodeOk(*t, "В 2025 году"), {{"В", 22, 0, 1, 0, 2, 0},
                                               {"20", 23, 2, 4, 3, 5, 1},
                                               {"##2", 24, 4, 5, 5, 6, 1},
                                               {"##5", 25, 5, 6, 6, 7, 1},
                                               {"год", 26, 7, 10, 8, 14, 2},
                                               {"##у", 27, 10, 11, 14, 16, 2}});
}

TEST(WordPiece, UnknownCharacters) {
    auto t = cased();
    // The emoji is not punctuation: "дом🙂" is one word and, with no "##🙂", one [UNK] for all of it.
    expectTokens(encodeOk(*t, "дом🙂"), {{"[UNK]", 1, 0, 4, 0, 10, 0}});
    // CJK ideographs are isolated; guillemets are punctuation: each is a word of its own.
    expectTokens(encodeOk(*t, "дом中кот"), {{"дом", 15, 0, 3, 0, 6, 0},
                                           {"[UNK]", 1, 3, 4, 6, 9, 1},
                                           {"кот", 18, 4, 7, 9, 15, 2}});
    expectTokens(encodeOk(*t, "«дом»$-"), {{"[UNK]", 1, 0, 1, 0, 2, 0},
                                          {"дом", 15, 1, 4, 2, 8, 1},
                                          {"[UNK]", 1, 4, 5, 8, 10, 2},
                                          {"$", 9, 5, 6, 10, 11, 3},
                                          {"-", 8, 6, 7, 11, 12, 4}});
}

TEST(WordPiece, LatinCasedAndUncased) {
    expectTokens(encodeOk(*cased(), "The bigger cats"), {{"The", 33, 0, 3, 0, 3, 0},
                                                         {"big", 34, 4, 7, 4, 7, 1},
                                                         {"##ger", 35, 7, 10, 7, 10, 1},
                                                         {"cat", 36, 11, 14, 11, 14, 2},
                                                         {"##s", 37, 14, 15, 14, 15, 2}});
    const Encoding e = encodeOk(*uncased(), "The bigger cats");
    ASSERT_EQ(e.tokens.size(), 7u);
    EXPECT_EQ(e.tokens[1].text, "the");
    EXPECT_EQ(e.tokens[1].id, 32);
}

TEST(WordPiece, PiecesInsideOneExpandedCharacterCoverIt) {
    // Accent stripping decomposes the Hangul syllable into three jamo; each
    // piece points at the one original character.
    expectTokens(encodeOk(*uncased(), "한"), {{"ᄒ", 38, 0, 1, 0, 3, 0},
                                             {"##ᅡ", 39, 0, 1, 0, 3, 0},
                                             {"##ᆫ", 40, 0, 1, 0, 3, 0}});
    expectTokens(encodeOk(*cased(), "한"), {{"[UNK]", 1, 0, 1, 0, 3, 0}});
}

TEST(WordPiece, OverlongWordIsUnknown) {
    auto t = cased();
    std::string word100, word101;
    for (int i = 0; i < 100; ++i) word100 += "а";
    word101 = word100 + "а";
    const Encoding e100 = encodeOk(*t, word100);
    ASSERT_EQ(e100.tokens.size(), 102u);
    EXPECT_EQ(e100.tokens[1].text, "а");
    EXPECT_EQ(e100.tokens[100].text, "##а");
    EXPECT_EQ(e100.tokens[100].begin, 99);
    EXPECT_EQ(e100.wordCount, 1);
    expectTokens(encodeOk(*t, word101), {{"[UNK]", 1, 0, 101, 0, 202, 0}});
}

TEST(WordPiece, EmptyAndWhitespaceOnlyInput) {
    auto t = cased();
    for (const char* text : {"", "   ", " \t\n\r ", "\xC2\xA0\xE3\x80\x80", "\x01\x02"}) {
        const Encoding e = encodeOk(*t, text);
        EXPECT_EQ(e.ids(), (std::vector<std::int64_t>{2, 3})) << text;
        EXPECT_EQ(e.wordCount, 0);
        EXPECT_FALSE(e.truncated);
    }
}

TEST(WordPiece, ControlCharactersAreDroppedButOffsetsKept) {
    auto t = cased();
    // д о ZWSP(U+200B, format) м NUL и к: cleaned to "домик"; bytes: ZWSP is 3, NUL 1.
    expectTokens(encodeOk(*t, std::string("до\u200Bм\0ик", 14)),
                 {{"дом", 15, 0, 4, 0, 9, 0}, {"##ик", 16, 5, 7, 10, 14, 0}});
    // Tab and newline separate words; U+FFFD disappears.
    expectTokens(encodeOk(*t, "дом\tкот\nи\xEF\xBF\xBD"),
                 {{"дом", 15, 0, 3, 0, 6, 0}, {"кот", 18, 4, 7, 7, 13, 1}, {"и", 20, 8, 9, 14, 16, 2}});
}

TEST(WordPiece, SpecialTokensTypedInTheText) {
    // Matched before normalisation: not lower-cased into "[mask]", not split at the brackets.
    expectTokens(encodeOk(*cased(), "Я [MASK] дом."), {{"Я", 28, 0, 1, 0, 2, 0},
                                                       {"[MASK]", 4, 2, 8, 3, 9, 1},
                                                       {"дом", 15, 9, 12, 10, 16, 2},
                                                       {".", 5, 12, 13, 16, 17, 3}});
    expectTokens(encodeOk(*uncased(), "Я [MASK]дом"), {{"я", 29, 0, 1, 0, 2, 0},
                                                       {"[MASK]", 4, 2, 8, 3, 9, 1},
                                                       {"дом", 15, 8, 11, 9, 15, 2}});
}

TEST(WordPiece, NeverSplitKeepsTheWordAsWritten) {
    auto t = loadWithConfig(R"({"do_lower_case": true, "never_split": ["Ёлка"]})");
    expectTokens(encodeOk(*t, "Ёлка ёлка"), {{"Ёлка", 10, 0, 4, 0, 8, 0}, {"елка", 12, 5, 9, 9, 17, 1}});
}

TEST(WordPiece, TruncationKeepsTheSpecials) {
    auto t = cased();
    const Encoding e = encodeOk(*t, "Мой домик, котом!", 5);
    EXPECT_EQ(e.ids(), (std::vector<std::int64_t>{2, 1, 15, 16, 3}));
    EXPECT_TRUE(e.truncated);
    EXPECT_EQ(e.untruncatedLength, 9);
    EXPECT_EQ(e.wordCount, 2);
    ASSERT_EQ(e.warnings.size(), 1u);
    EXPECT_EQ(e.warnings[0], "sentence has 9 tokens; truncated to 5 (model maximum)");
    // Exactly at the limit: nothing cut.
    const Encoding exact = encodeOk(*t, "Мой домик, котом!", 9);
    EXPECT_FALSE(exact.truncated);
    EXPECT_TRUE(exact.warnings.empty());
    Encoding tooSmall;
    EXPECT_FALSE(t->encode("дом", 1, tooSmall).isOk());
}

TEST(WordPiece, InvalidUtf8IsAnErrorNamingTheOffset) {
    auto t = cased();
    Encoding e;
    const Status st = t->encode("дом\xFF", 0, e);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("byte offset 6"), std::string::npos) << st.message();
}

TEST(WordPiece, MissingTokenizerConfigMeansLowerCaseWithAWarning) {
    auto t = loadWithConfig(nullptr);
    EXPECT_EQ(t->describe(), "WordPiece (vocab.txt, 41 pieces, uncased)");
    expectTokens(encodeOk(*t, "Ёлка"), {{"елка", 12, 0, 4, 0, 8, 0}});
    const auto warnings = t->loadWarnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("tokenizer_config.json not found"), std::string::npos);
    EXPECT_NE(warnings[0].find("looks cased"), std::string::npos) << warnings[0];
}

TEST(WordPiece, RobertaConfigUsesAngleBracketSpecials) {
    TempDir dir;
    dir.write("vocab.txt", "<s>\n<pad>\n</s>\n<unk>\n[CLS]\n[SEP]\nдом\n");
    dir.write("tokenizer_config.json", R"({"do_lower_case": false})");
    ModelConfig config;
    config.architecture = Architecture::Roberta;
    config.vocabSize = 7;
    std::unique_ptr<Tokenizer> t;
    ASSERT_TRUE(loadTokenizer(dir.path(), &config, t).isOk());
    Encoding e = encodeOk(*t, "дом");
    EXPECT_EQ(e.ids(), (std::vector<std::int64_t>{0, 6, 2}));
    EXPECT_EQ(e.tokens.front().text, "<s>");
    EXPECT_EQ(t->specialTokens().unk, 3);
    EXPECT_EQ(t->specialTokens().pad, 1);
    // The same vocabulary for a BERT model: [CLS] ... [SEP].
    ASSERT_FALSE(loadTokenizer(dir.path(), nullptr, t).isOk());  // no [UNK]
}

TEST(WordPieceVocab, DuplicatesAreWarningsAndTheLastLineWins) {
    TempDir dir;
    dir.write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nдом\nкот\r\nдом\n");
    dir.write("tokenizer_config.json", R"({"do_lower_case": false})");
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(dir.path(), nullptr, t);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(t->pieceToId("дом"), 6);
    EXPECT_EQ(t->pieceToId("кот"), 5);  // "\r\n" ends a line too
    EXPECT_EQ(t->vocabSize(), 7);
    const auto warnings = t->loadWarnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].rfind("vocab.txt:7: duplicate piece 'дом' (first on line 5)", 0), 0u) << warnings[0];
    EXPECT_EQ(encodeOk(*t, "дом").ids(), (std::vector<std::int64_t>{2, 6, 3}));
}

TEST(WordPieceVocab, ErrorsNameTheFileAndLine) {
    TempDir dir;
    std::unique_ptr<Tokenizer> t;
    dir.write("vocab.txt", "");
    Status st = loadTokenizer(dir.path(), nullptr, t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("vocab.txt: the vocabulary is empty"), std::string::npos) << st.message();

    dir.write("vocab.txt", "[CLS]\n[SEP]\nдом\n");
    st = loadTokenizer(dir.path(), nullptr, t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("no '[UNK]' piece"), std::string::npos) << st.message();

    dir.write("vocab.txt", "[UNK]\n[CLS]\nд\xD0\n[SEP]\n");
    st = loadTokenizer(dir.path(), nullptr, t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("vocab.txt:3: invalid UTF-8 at byte offset 2"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("loading tokenizer from"), std::string::npos);

    dir.write("vocab.txt", "[UNK]\n[CLS]\n[SEP]\n");
    dir.write("tokenizer_config.json", "{\n  \"do_lower_case\": fals\n}");
    st = loadTokenizer(dir.path(), nullptr, t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("tokenizer_config.json:2:"), std::string::npos) << st.message();

    dir.write("tokenizer_config.json", R"({"do_lower_case": "yes"})");
    st = loadTokenizer(dir.path(), nullptr, t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("do_lower_case"), std::string::npos) << st.message();
}

TEST(TokenizerLoader, EmptyFolderIsAClearError) {
    TempDir dir;
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(dir.path(), nullptr, t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("no tokenizer found"), std::string::npos) << st.message();
    EXPECT_FALSE(loadTokenizer(dir.path() / "missing", nullptr, t).isOk());
    EXPECT_STREQ(tokenizerKindName(TokenizerKind::SentencePiece), "SentencePiece");
}

} // namespace
} // namespace gs
