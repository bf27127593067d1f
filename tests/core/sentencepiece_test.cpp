// SentencePiece through the grammascope_spm module, checked against goldens
// computed by Python's sentencepiece (scripts/make_tokenizer_fixtures.py):
// ru.inp (one sentence a line), ru.out (spm ids), ru.offsets (code point spans).

#include "grammascope/model_config.h"
#include "grammascope/sentencepiece_trainer.h"
#include "grammascope/tokenizer.h"
#include "tokenize/spm_library.h"
#include "util/utf8.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace gs {
namespace {

namespace fs = std::filesystem;
const fs::path kSpmDir = fs::path(GRAMMASCOPE_TEST_DATA_DIR) / "tokenizers" / "sentencepiece";

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "gs_spm_XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

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

struct Golden {
    std::vector<std::string> inputs;
    std::vector<std::vector<std::int64_t>> ids;
    std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> offsets;
};

Golden readGolden(const fs::path& stem) {
    Golden g;
    g.inputs = readLines(stem.string() + ".inp");
    for (const auto& line : readLines(stem.string() + ".out")) {
        std::istringstream in(line);
        std::vector<std::int64_t> ids;
        for (std::int64_t id; in >> id;) ids.push_back(id);
        g.ids.push_back(ids);
    }
    for (const auto& line : readLines(stem.string() + ".offsets")) {
        std::istringstream in(line);
        std::vector<std::pair<std::int64_t, std::int64_t>> spans;
        for (std::string span; in >> span;) {
            const auto colon = span.find(':');
            spans.emplace_back(std::stoll(span.substr(0, colon)), std::stoll(span.substr(colon + 1)));
        }
        g.offsets.push_back(spans);
    }
    return g;
}

// A checkpoint-like folder holding only the fixture model.
std::unique_ptr<Tokenizer> loadFixture(const ModelConfig* config, Status* status = nullptr) {
    TempDir dir;
    fs::copy_file(kSpmDir / "ru.model", dir.path() / "ru.model");
    std::unique_ptr<Tokenizer> t;
    const Status st = loadTokenizer(dir.path(), config, t);
    if (status)
        *status = st;
    else
        EXPECT_TRUE(st.isOk()) << st.message();
    return t;
}

Encoding encodeOk(const Tokenizer& t, std::string_view text, std::int64_t maxLength = 0) {
    Encoding e;
    const Status st = t.encode(text, maxLength, e);
    EXPECT_TRUE(st.isOk()) << st.message();
    return e;
}

TEST(SpmModule, LoadsAndExportsTheInterface) {
    const SpmLibrary* lib = nullptr;
    const Status st = SpmLibrary::get(lib);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_NE(lib, nullptr);
    EXPECT_NE(lib->path().find("libgrammascope_spm.so"), std::string::npos);
    std::unique_ptr<SpmModel> model;
    ASSERT_TRUE(SpmModel::open(kSpmDir / "ru.model", model).isOk());
    EXPECT_EQ(model->size(), 400);
    EXPECT_EQ(model->unkId(), 0);
    EXPECT_EQ(model->idToPiece(3), "[CLS]");
    EXPECT_EQ(model->findPiece("[MASK]"), 6);
    EXPECT_EQ(model->findPiece("никогда-такого-нет"), -1);
    EXPECT_EQ(model->pieceType(0), GS_SPM_PIECE_UNKNOWN);
    EXPECT_EQ(model->pieceType(1), GS_SPM_PIECE_CONTROL);
    EXPECT_EQ(model->pieceType(9), GS_SPM_PIECE_NORMAL);
    const Status missing = SpmModel::open(kSpmDir / "missing.model", model);
    ASSERT_FALSE(missing.isOk());
    EXPECT_NE(missing.message().find("missing.model"), std::string::npos) << missing.message();
}

TEST(SpmModule, SearchOrder) {
    const char* previous = std::getenv("GRAMMASCOPE_SPM_MODULE");
    const std::string saved = previous ? previous : "";
    setenv("GRAMMASCOPE_SPM_MODULE", "/opt/custom/libgrammascope_spm.so", 1);
    const auto paths = SpmLibrary::candidatePaths();
    if (previous)
        setenv("GRAMMASCOPE_SPM_MODULE", saved.c_str(), 1);
    else
        unsetenv("GRAMMASCOPE_SPM_MODULE");
    ASSERT_GE(paths.size(), 5u);
    EXPECT_EQ(paths[0], "/opt/custom/libgrammascope_spm.so");
    const fs::path exeDir = fs::read_symlink("/proc/self/exe").parent_path();
    EXPECT_EQ(fs::path(paths[1]), exeDir.parent_path() / "lib" / "libgrammascope_spm.so");
    EXPECT_EQ(fs::path(paths[2]), exeDir.parent_path() / "lib" / "grammascope" / "libgrammascope_spm.so");
    EXPECT_NE(paths[3].find("grammascope/libgrammascope_spm.so"), std::string::npos);  // install dir
    EXPECT_TRUE(fs::exists(paths[4])) << paths[4];  // the build tree's module
}

TEST(SentencePiece, MatchesPythonSentencepieceIdsAndOffsets) {
    auto t = loadFixture(nullptr);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->kind(), TokenizerKind::SentencePiece);
    EXPECT_EQ(t->vocabSize(), 400);
    const auto& s = t->specialTokens();
    EXPECT_EQ(s.cls, 3);
    EXPECT_EQ(s.sep, 4);
    EXPECT_EQ(s.pad, 5);
    EXPECT_EQ(s.mask, 6);
    EXPECT_EQ(s.unk, 0);
    EXPECT_EQ(s.clsText, "[CLS]");

    const Golden g = readGolden(kSpmDir / "ru");
    ASSERT_EQ(g.inputs.size(), 22u);
    ASSERT_EQ(g.ids.size(), g.inputs.size());
    ASSERT_EQ(g.offsets.size(), g.inputs.size());
    for (std::size_t line = 0; line < g.inputs.size(); ++line) {
        SCOPED_TRACE("ru.inp line " + std::to_string(line + 1) + ": " + g.inputs[line]);
        const Encoding e = encodeOk(*t, g.inputs[line]);
        std::vector<std::int64_t> expected = {3};
        expected.insert(expected.end(), g.ids[line].begin(), g.ids[line].end());
        expected.push_back(4);
        EXPECT_EQ(e.ids(), expected);
        if (e.tokens.size() != expected.size()) continue;
        utf8::DecodedText decoded;
        ASSERT_TRUE(utf8::decode(g.inputs[line], decoded).isOk());
        for (std::size_t i = 0; i < g.offsets[line].size(); ++i) {
            const Token& token = e.tokens[i + 1];
            EXPECT_EQ(token.begin, g.offsets[line][i].first) << "piece " << i << " " << token.text;
            EXPECT_EQ(token.end, g.offsets[line][i].second) << "piece " << i << " " << token.text;
            EXPECT_EQ(token.byteBegin, static_cast<std::int64_t>(decoded.byteOffsets[token.begin]));
            EXPECT_EQ(token.byteEnd, static_cast<std::int64_t>(decoded.byteOffsets[token.end]));
            EXPECT_EQ(token.text, t->idToPiece(token.id));
        }
    }
}

TEST(SentencePiece, WordsStartAtTheWhitespaceMark) {
    auto t = loadFixture(nullptr);
    // Pieces: "▁Я" | "▁" "[MASK]" | "▁до" "м" "ой" "."
    const Encoding e = encodeOk(*t, "Я [MASK] домой.");
    std::vector<std::int32_t> words;
    for (const auto& token : e.tokens) words.push_back(token.wordIndex);
    EXPECT_EQ(words, (std::vector<std::int32_t>{-1, 0, 1, 1, 2, 2, 2, 2, -1}));
    EXPECT_EQ(e.wordCount, 3);
    EXPECT_EQ(e.tokens[3].text, "[MASK]");
    EXPECT_EQ(e.tokens[3].id, 6);

    // The dummy "▁" before the text has no surface: a zero-length span where the next piece starts.
    const Encoding ru = encodeOk(*t, "Кошка ловит мышей.");
    EXPECT_EQ(ru.tokens[1].text, "\xE2\x96\x81");
    EXPECT_EQ(ru.tokens[1].begin, 0);
    EXPECT_EQ(ru.tokens[1].end, 0);
    EXPECT_EQ(ru.tokens[1].wordIndex, 0);
    EXPECT_EQ(ru.tokens[2].wordIndex, 0);  // "К" continues the word the "▁" opened
    EXPECT_EQ(ru.wordCount, 3);
    // An unknown piece ("Ё" is not in the model) is reported by its vocabulary text.
    const Encoding yo = encodeOk(*t, "Ёлка");
    ASSERT_GE(yo.tokens.size(), 3u);
    EXPECT_EQ(yo.tokens[2].text, "<unk>");
    EXPECT_EQ(yo.tokens[2].id, 0);
    EXPECT_EQ(yo.tokens[2].begin, 0);
    EXPECT_EQ(yo.tokens[2].end, 1);
    EXPECT_EQ(yo.tokens[2].byteEnd, 2);
}

TEST(SentencePiece, EmptyInputTruncationAndInvalidUtf8) {
    auto t = loadFixture(nullptr);
    for (const char* text : {"", "   "}) {
        const Encoding e = encodeOk(*t, text);
        EXPECT_EQ(e.ids(), (std::vector<std::int64_t>{3, 4})) << "'" << text << "'";
        EXPECT_EQ(e.wordCount, 0);
    }
    const Encoding e = encodeOk(*t, "Кошка ловит мышей.", 6);
    EXPECT_TRUE(e.truncated);
    EXPECT_EQ(e.untruncatedLength, 17);
    EXPECT_EQ(e.ids(), (std::vector<std::int64_t>{3, 8, 388, 13, 26, 4}));
    ASSERT_EQ(e.warnings.size(), 1u);
    EXPECT_EQ(e.warnings[0], "sentence has 17 tokens; truncated to 6 (model maximum)");
    Encoding bad;
    const Status st = t->encode("мир\xC0", 0, bad);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("byte offset 6"), std::string::npos) << st.message();
}

TEST(SentencePiece, ConcurrentEncodingGivesTheSameResults) {
    auto t = loadFixture(nullptr);
    const Golden g = readGolden(kSpmDir / "ru");
    std::vector<std::vector<std::int64_t>> reference;
    for (const auto& line : g.inputs) reference.push_back(encodeOk(*t, line).ids());
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k)
        threads.emplace_back([&] {
            for (int round = 0; round < 20; ++round)
                for (std::size_t i = 0; i < g.inputs.size(); ++i) {
                    Encoding e;
                    if (!t->encode(g.inputs[i], 0, e).isOk() || e.ids() != reference[i]) ++mismatches;
                }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(SentencePiece, XlmRobertaFairseqIds) {
    ModelConfig config;
    config.architecture = Architecture::Roberta;
    config.modelType = "xlm-roberta";
    config.vocabSize = 402;  // 400 spm pieces + fairseq shift 1 + <mask>
    auto t = loadFixture(&config);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->vocabSize(), 402);
    const auto& s = t->specialTokens();
    EXPECT_EQ(s.cls, 0);
    EXPECT_EQ(s.pad, 1);
    EXPECT_EQ(s.sep, 2);
    EXPECT_EQ(s.unk, 3);
    EXPECT_EQ(s.mask, 401);
    EXPECT_EQ(s.clsText, "<s>");
    EXPECT_EQ(t->idToPiece(0), "<s>");
    EXPECT_EQ(t->idToPiece(401), "<mask>");
    EXPECT_EQ(t->idToPiece(4), "[CLS]");  // spm id 3 shifted by one
    EXPECT_EQ(t->pieceToId("<unk>"), 3);
    EXPECT_EQ(t->pieceToId("\xE2\x96\x81"), 9);

    const Golden g = readGolden(kSpmDir / "ru");
    for (std::size_t line = 0; line < g.inputs.size(); ++line) {
        std::vector<std::int64_t> expected = {0};
        for (std::int64_t id : g.ids[line]) expected.push_back(id == 0 ? 3 : id + 1);
        expected.push_back(2);
        EXPECT_EQ(encodeOk(*t, g.inputs[line]).ids(), expected) << g.inputs[line];
    }
    // <mask> typed in the text is the fairseq mask, not spm pieces of "<mask>";
    // the text around it is encoded piece by piece ("Я " loses its trailing space).
    const Encoding e = encodeOk(*t, "Я <mask> домой.");
    ASSERT_GE(e.tokens.size(), 4u);
    EXPECT_EQ(e.tokens[1].text, "\xE2\x96\x81Я");
    EXPECT_EQ(e.tokens[2].id, 401);
    EXPECT_EQ(e.tokens[2].text, "<mask>");
    EXPECT_EQ(e.tokens[2].begin, 2);
    EXPECT_EQ(e.tokens[2].end, 8);
    EXPECT_EQ(e.tokens[2].wordIndex, 1);
    EXPECT_EQ(e.tokens[3].wordIndex, 2);
}

TEST(SentencePiece, RobertaVocabSizeMismatchIsAnError) {
    ModelConfig config;
    config.architecture = Architecture::Roberta;
    config.vocabSize = 500;
    Status st;
    auto t = loadFixture(&config, &st);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("400 pieces"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("vocab_size 500"), std::string::npos) << st.message();
}

TEST(SentencePieceTrainer, TrainsAModelThatLoads) {
    TempDir dir;
    const fs::path corpus = dir.path() / "corpus.txt";
    {
        // A small synthetic corpus: every subject with every predicate.
        const char* subjects[] = {"Кошка", "Собака", "Мальчик", "Девочка", "Бабушка", "Учитель", "Птица", "Ёжик"};
        const char* predicates[] = {"спит на диване.", "читает книгу.", "идёт домой.", "пьёт молоко.",
                                    "смотрит в окно.", "ловит мышей.", "поёт песню.", "ждёт весну."};
        std::ofstream out(corpus);
        for (const char* s : subjects)
            for (const char* p : predicates) out << s << ' ' << p << '\n';
    }
    const fs::path prefix = dir.path() / "model" / "spm";
    fs::create_directories(prefix.parent_path());
    const Status st = trainSentencePiece("--input=" + corpus.string() + " --model_prefix=" + prefix.string() +
                                         " --vocab_size=50 --model_type=unigram --character_coverage=1.0"
                                         " --user_defined_symbols=[CLS],[SEP],[PAD],[MASK] --minloglevel=2");
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_TRUE(fs::exists(prefix.string() + ".model"));
    fs::remove(prefix.string() + ".vocab");

    std::unique_ptr<Tokenizer> t;
    const Status loaded = loadTokenizer(prefix.parent_path(), nullptr, t);
    ASSERT_TRUE(loaded.isOk()) << loaded.message();
    EXPECT_EQ(t->vocabSize(), 50);
    EXPECT_EQ(t->specialTokens().clsText, "[CLS]");
    EXPECT_EQ(t->specialTokens().maskText, "[MASK]");
    // Every character was seen in training: the pieces spell the text back.
    const std::string text = "Кошка пьёт молоко.";
    const Encoding e = encodeOk(*t, text);
    std::string spelled;
    for (std::size_t i = 1; i + 1 < e.tokens.size(); ++i) {
        EXPECT_NE(e.tokens[i].id, t->specialTokens().unk);
        spelled += e.tokens[i].text;
    }
    EXPECT_EQ(spelled, "\xE2\x96\x81Кошка\xE2\x96\x81пьёт\xE2\x96\x81молоко.");
    EXPECT_EQ(e.wordCount, 3);
    EXPECT_EQ(e.tokens[e.tokens.size() - 2].end, 18);

    const Status bad = trainSentencePiece("--input=" + (dir.path() / "missing.txt").string() +
                                          " --model_prefix=" + prefix.string() + " --vocab_size=50 --minloglevel=2");
    ASSERT_FALSE(bad.isOk());
    EXPECT_NE(bad.message().find("missing.txt"), std::string::npos) << bad.message();
}

// The trainer records its input and output paths in the model; with them
// removed, the same corpus gives the same bytes in any folder.
TEST(SentencePieceTrainer, ForgettingTrainerPathsMakesModelsFolderIndependent) {
    TempDir dir;
    std::string corpusText;
    for (const char* s : {"Кошка спит.", "Собака лает.", "Птица поёт.", "Ёжик бежит домой.", "Мама мыла раму."})
        for (int i = 0; i < 4; ++i) corpusText += std::string(s) + "\n";
    std::vector<std::string> models;
    for (const char* sub : {"first", "second/deeper"}) {
        const fs::path folder = dir.path() / sub;
        fs::create_directories(folder);
        std::ofstream(folder / "corpus.txt") << corpusText;
        const fs::path prefix = folder / "spm";
        ASSERT_TRUE(trainSentencePiece("--input=" + (folder / "corpus.txt").string() + " --model_prefix=" +
                                       prefix.string() + " --vocab_size=30 --model_type=unigram"
                                       " --character_coverage=1.0 --num_threads=1 --minloglevel=2")
                        .isOk());
        const fs::path model = prefix.string() + ".model";
        fs::remove(prefix.string() + ".vocab");
        auto idsOf = [&](const std::string& text) {
            std::unique_ptr<Tokenizer> t;
            EXPECT_TRUE(loadTokenizer(folder, nullptr, t).isOk());
            return t ? encodeOk(*t, text).ids() : std::vector<std::int64_t>{};
        };
        const auto idsBefore = idsOf("Кошка мыла раму домой.");
        ASSERT_GT(idsBefore.size(), 2u);
        const std::string before = readFile(model);
        ASSERT_NE(before.find(folder.string()), std::string::npos) << "the trainer records its paths";
        ASSERT_TRUE(forgetTrainerPaths(model).isOk());
        const std::string after = readFile(model);
        EXPECT_EQ(after.find(dir.path().string()), std::string::npos);
        EXPECT_LT(after.size(), before.size());
        EXPECT_TRUE(forgetTrainerPaths(model).isOk());  // idempotent
        EXPECT_EQ(readFile(model), after);
        models.push_back(after);

        // Still a model that loads and encodes as before.
        EXPECT_EQ(idsOf("Кошка мыла раму домой."), idsBefore);
    }
    EXPECT_EQ(models[0], models[1]);

    // Not a model: an error naming the file, and the file left as it was.
    const fs::path bogus = dir.path() / "bogus.model";
    std::ofstream(bogus, std::ios::binary) << std::string("\x12\xff\xff\xff\x0f", 5);
    const Status bad = forgetTrainerPaths(bogus);
    ASSERT_FALSE(bad.isOk());
    EXPECT_NE(bad.message().find("bogus.model"), std::string::npos) << bad.message();
    EXPECT_EQ(readFile(bogus), std::string("\x12\xff\xff\xff\x0f", 5));
    EXPECT_FALSE(forgetTrainerPaths(dir.path() / "absent.model").isOk());
}

} // namespace
} // namespace gs
