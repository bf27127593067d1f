// tokenizer.json: WordPiece (hand-written fixture, hand-computed expectations)
// and Unigram (generated from the sentencepiece fixture; expectations from
// Python's sentencepiece on lines whose segmentation tokenizers shares).

#include "grammascope/tokenizer.h"
#include "tokenize/tokenizer_json.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gs {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(GRAMMASCOPE_TEST_DATA_DIR) / "tokenizers";

std::vector<std::string> readLines(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (!text.empty() && text.back() == '\n') text.pop_back();
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (true) {
        const std::size_t end = text.find('\n', pos);
        lines.push_back(text.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    return lines;
}

Encoding encodeOk(const Tokenizer& t, std::string_view text) {
    Encoding e;
    const Status st = t.encode(text, 0, e);
    EXPECT_TRUE(st.isOk()) << st.message();
    return e;
}

struct Span {
    std::int64_t id, begin, end;
    std::int32_t word;
};

void expectSpans(const Encoding& e, const std::vector<Span>& expected) {
    ASSERT_EQ(e.tokens.size(), expected.size() + 2);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Token& t = e.tokens[i + 1];
        SCOPED_TRACE("token " + std::to_string(i) + " " + t.text);
        EXPECT_EQ(t.id, expected[i].id);
        EXPECT_EQ(t.begin, expected[i].begin);
        EXPECT_EQ(t.end, expected[i].end);
        EXPECT_EQ(t.wordIndex, expected[i].word);
    }
}

TEST(TokenizerJson, WordPieceWithBertNormalizer) {
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(kData / "wordpiece_json", nullptr, t);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(t->kind(), TokenizerKind::TokenizerJsonWordPiece);
    EXPECT_EQ(t->vocabSize(), 17);
    EXPECT_EQ(t->describe(), "WordPiece (tokenizer.json, 17 pieces, uncased)");
    EXPECT_EQ(t->specialTokens().mask, 4);
    EXPECT_TRUE(t->loadWarnings().empty());
    // lowercase + strip_accents (null follows lowercase): "Ёлка" -> "елка", "мой" -> "мои".
    const Encoding e = encodeOk(*t, "Ёлка и Домик, мой КОТЫ.");
    expectSpans(e, {{7, 0, 4, 0},
                    {8, 5, 6, 1},
                    {9, 7, 10, 2},
                    {10, 10, 12, 2},
                    {6, 12, 13, 3},
                    {11, 14, 17, 4},
                    {12, 18, 21, 5},
                    {13, 21, 22, 5},
                    {5, 22, 23, 6}});
    EXPECT_EQ(e.tokens.front().id, 2);
    EXPECT_EQ(e.tokens.back().id, 3);
    EXPECT_EQ(e.tokens[4].text, "##ик");
    EXPECT_EQ(e.tokens[4].byteBegin, 18);
    EXPECT_EQ(e.wordCount, 7);
    // The added [MASK] is matched in the raw text.
    expectSpans(encodeOk(*t, "дом [MASK]"), {{9, 0, 3, 0}, {4, 4, 10, 1}});
}

TEST(TokenizerJson, WordPieceWithoutNormalizerKeepsCase) {
    const std::string json = R"({"normalizer": null, "pre_tokenizer": {"type": "BertPreTokenizer"},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "дом": 3}}})";
    std::unique_ptr<Tokenizer> t;
    ASSERT_TRUE(parseTokenizerJson(json, "tokenizer.json", t).isOk());
    expectSpans(encodeOk(*t, "дом Дом"), {{3, 0, 3, 0}, {0, 4, 7, 1}});
}

TEST(TokenizerJson, UnigramMatchesSentencepieceReference) {
    const fs::path dir = kData / "unigram_json";
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(dir, nullptr, t);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(t->kind(), TokenizerKind::TokenizerJsonUnigram);
    EXPECT_EQ(t->vocabSize(), 400);
    EXPECT_EQ(t->specialTokens().cls, 3);
    EXPECT_EQ(t->specialTokens().sep, 4);
    EXPECT_EQ(t->specialTokens().mask, 6);
    EXPECT_EQ(t->specialTokens().unk, 0);
    const auto warnings = t->loadWarnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("Precompiled"), std::string::npos) << warnings[0];

    const auto inputs = readLines(dir / "ru.inp");
    const auto ids = readLines(dir / "ru.out");
    const auto offsets = readLines(dir / "ru.offsets");
    ASSERT_GE(inputs.size(), 15u);
    ASSERT_EQ(ids.size(), inputs.size());
    ASSERT_EQ(offsets.size(), inputs.size());
    for (std::size_t line = 0; line < inputs.size(); ++line) {
        SCOPED_TRACE("ru.inp line " + std::to_string(line + 1) + ": " + inputs[line]);
        const Encoding e = encodeOk(*t, inputs[line]);
        std::vector<std::int64_t> expected = {3};
        std::istringstream idStream(ids[line]);
        for (std::int64_t id; idStream >> id;) expected.push_back(id);
        expected.push_back(4);
        EXPECT_EQ(e.ids(), expected);
        if (e.ids() != expected) continue;
        std::istringstream spanStream(offsets[line]);
        std::size_t i = 1;
        for (std::string span; spanStream >> span; ++i) {
            const auto colon = span.find(':');
            EXPECT_EQ(e.tokens[i].begin, std::stoll(span.substr(0, colon))) << e.tokens[i].text;
            EXPECT_EQ(e.tokens[i].end, std::stoll(span.substr(colon + 1))) << e.tokens[i].text;
        }
    }
}

TEST(TokenizerJson, UnigramViterbiAndFusedUnknowns) {
    // Scores chosen so that "▁ab" (-3.5) beats "▁" + "ab" (-4) and "▁" + "a" + "b" (-5).
    const std::string json = R"({
      "added_tokens": [{"id": 8, "content": "<mask>", "special": true}],
      "normalizer": null,
      "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": true},
      "post_processor": null,
      "model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["<s>", 0.0], ["</s>", 0.0],
                ["▁", -1.0], ["a", -2.0], ["b", -2.0], ["ab", -3.0], ["▁ab", -3.5]]}})";
    std::unique_ptr<Tokenizer> t;
    const Status st = parseTokenizerJson(json, "tokenizer.json", t);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(t->vocabSize(), 9);
    EXPECT_EQ(t->idToPiece(8), "<mask>");
    // "ab abc cd": ▁ab | ▁ab <unk:c> | ▁ <unk:cd> (the two unknown characters fused).
    const Encoding e = encodeOk(*t, "ab abc cd");
    EXPECT_EQ(e.ids(), (std::vector<std::int64_t>{1, 7, 7, 0, 3, 0, 2}));
    expectSpans(e, {{7, 0, 2, 0}, {7, 2, 5, 1}, {0, 5, 6, 1}, {3, 6, 7, 2}, {0, 7, 9, 2}});
    EXPECT_EQ(e.tokens[3].text, "<unk>");
    EXPECT_EQ(e.wordCount, 3);
    // An added token beyond the vocabulary, typed in the text.
    EXPECT_EQ(encodeOk(*t, "ab <mask>").ids(), (std::vector<std::int64_t>{1, 7, 3, 8, 2}));
}

TEST(TokenizerJson, UnsupportedModelTypesAndBrokenFilesAreClearErrors) {
    std::unique_ptr<Tokenizer> t;
    Status st = parseTokenizerJson(R"({"model": {"type": "BPE", "vocab": {}, "merges": []}})", "tokenizer.json", t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("tokenizer.json: model type 'BPE' is not supported"), std::string::npos)
        << st.message();
    st = parseTokenizerJson(R"({"model": {"type": "WordLevel", "vocab": {}}})", "tokenizer.json", t);
    EXPECT_NE(st.message().find("'WordLevel'"), std::string::npos) << st.message();

    st = parseTokenizerJson("{\n  \"model\": {\n    \"type\": \"Unigram\",,\n}", "tokenizer.json", t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("tokenizer.json:3:"), std::string::npos) << st.message();

    st = parseTokenizerJson(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a"]]}})", "tokenizer.json", t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("model.vocab[0]"), std::string::npos) << st.message();

    st = parseTokenizerJson(R"({"model": {"type": "WordPiece", "vocab": {"[CLS]": 0, "[SEP]": 1}}})", "tokenizer.json", t);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("[UNK]"), std::string::npos) << st.message();

    // Through the loader, the message names the folder and the file.
    std::string pattern = (fs::temp_directory_path() / "gs_tokjson_XXXXXX").string();
    ASSERT_TRUE(mkdtemp(pattern.data()));
    const fs::path dir = pattern;
    std::ofstream(dir / "tokenizer.json") << R"({"model": {"type": "BPE", "vocab": {}, "merges": []}})";
    st = loadTokenizer(dir, nullptr, t);
    fs::remove_all(dir);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find(dir.string()), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("tokenizer.json: model type 'BPE'"), std::string::npos) << st.message();
}

} // namespace
} // namespace gs
