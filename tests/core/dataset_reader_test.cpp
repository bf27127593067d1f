// Dataset readers (dataset.h): every format on hand-written fixtures
// (tests/data/datasets), the catalogue of malformed inputs with the exact
// message each one gives, and the real RuBLiMP and UD files when present.

#include "grammascope/dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace gs;

namespace {

const std::filesystem::path kData = std::filesystem::path(GRAMMASCOPE_TEST_DATA_DIR) / "datasets";
const std::filesystem::path kMalformed = kData / "malformed";

Dataset readOk(const std::filesystem::path& file, const DatasetReadOptions& options = {}) {
    Dataset d;
    const Status st = readDataset(file, options, d);
    EXPECT_TRUE(st.isOk()) << st.message();
    return d;
}

Dataset parseOk(const std::string& text, const std::string& name, const DatasetReadOptions& options = {}) {
    Dataset d;
    const Status st = parseDataset(text, name, options, d);
    EXPECT_TRUE(st.isOk()) << st.message();
    return d;
}

std::string parseError(const std::string& text, const std::string& name, const DatasetReadOptions& options = {}) {
    Dataset d;
    const Status st = parseDataset(text, name, options, d);
    EXPECT_TRUE(st.isFailed()) << name;
    return st.message();
}

DatasetReadOptions delimited(ColumnMapping mapping) {
    DatasetReadOptions o;
    o.format = DatasetFormat::Delimited;
    o.mapping = std::move(mapping);
    return o;
}

using Meta = std::vector<std::pair<std::string, std::string>>;

struct ExpectedIssue {
    std::int64_t line;
    IssueSeverity severity;
    std::string message;
};

void expectIssues(const Dataset& d, const std::vector<ExpectedIssue>& expected) {
    ASSERT_EQ(d.issues.size(), expected.size()) << [&] {
        std::string all;
        for (const auto& i : d.issues) all += formatIssue(d.name, i) + "\n";
        return all;
    }();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(d.issues[i].line, expected[i].line) << i;
        EXPECT_EQ(d.issues[i].severity, expected[i].severity) << i;
        EXPECT_EQ(d.issues[i].message, expected[i].message) << i;
    }
}

// Every word's span must cut its own text out of the sentence.
void expectWordsMatchSpans(const AnnotatedSentence& s) {
    for (const auto& w : s.words) {
        ASSERT_LE(w.byteEnd, static_cast<std::int64_t>(s.text.size())) << s.text;
        EXPECT_EQ(s.text.substr(static_cast<std::size_t>(w.byteBegin), static_cast<std::size_t>(w.byteEnd - w.byteBegin)),
                  w.text)
            << s.text;
    }
}

std::vector<std::string> wordTexts(const AnnotatedSentence& s) {
    std::vector<std::string> out;
    for (const auto& w : s.words) out.push_back(w.text);
    return out;
}

} // namespace

TEST(DatasetFormats, NamesRoundTrip) {
    for (DatasetFormat f : {DatasetFormat::GrammascopeCsv, DatasetFormat::RublimpCsv, DatasetFormat::BlimpJsonl,
                            DatasetFormat::Delimited, DatasetFormat::PlainText, DatasetFormat::Conllu}) {
        EXPECT_EQ(datasetFormatFromName(datasetFormatName(f)), f) << datasetFormatName(f);
    }
    EXPECT_STREQ(datasetFormatName(DatasetFormat::PlainText), "text");
    EXPECT_EQ(datasetFormatFromName("TSV"), DatasetFormat::Delimited);
    EXPECT_EQ(datasetFormatFromName("jsonl"), DatasetFormat::BlimpJsonl);
    EXPECT_EQ(datasetFormatFromName("rublimp"), DatasetFormat::RublimpCsv);
    EXPECT_FALSE(datasetFormatFromName("xlsx"));
}

TEST(DatasetFormats, GuessesFromExtensionAndHeader) {
    EXPECT_EQ(guessDatasetFormat("a.jsonl", "{}"), DatasetFormat::BlimpJsonl);
    EXPECT_EQ(guessDatasetFormat("a.conllu", "# sent_id = 1"), DatasetFormat::Conllu);
    EXPECT_EQ(guessDatasetFormat("a.TXT", "Мама мыла раму."), DatasetFormat::PlainText);
    EXPECT_EQ(guessDatasetFormat("a.tsv", "good\tbad"), DatasetFormat::Delimited);
    EXPECT_EQ(guessDatasetFormat("a.csv", "id,phenomenon,good,bad,good_word,bad_word,word_index"),
              DatasetFormat::GrammascopeCsv);
    EXPECT_EQ(guessDatasetFormat("a.csv", "\xEF\xBB\xBFgood,bad\r\nx,y\r\n"), DatasetFormat::GrammascopeCsv);
    EXPECT_EQ(guessDatasetFormat("a.csv", "id,source_sentence,target_sentence,PID"), DatasetFormat::RublimpCsv);
    EXPECT_EQ(guessDatasetFormat("a.csv", "text,label"), DatasetFormat::Delimited);
    EXPECT_EQ(guessDatasetFormat("a.csv", "good\tbad"), DatasetFormat::Delimited);
    // No extension we know: the first line decides, or nothing does.
    EXPECT_EQ(guessDatasetFormat("data", "{\"sentence_good\": \"a\"}"), DatasetFormat::BlimpJsonl);
    EXPECT_EQ(guessDatasetFormat("data", "# sent_id = x"), DatasetFormat::Conllu);
    EXPECT_EQ(guessDatasetFormat("data", "1\tМама\tмама\tNOUN\t_\t_\t2\tnsubj\t_\t_"), DatasetFormat::Conllu);
    EXPECT_EQ(guessDatasetFormat("data", "good,bad"), DatasetFormat::GrammascopeCsv);
    EXPECT_FALSE(guessDatasetFormat("data", "Мама мыла раму."));
    EXPECT_FALSE(guessDatasetFormat("data", ""));
}

TEST(DatasetReader, GrammascopeCsvKeepsExtraColumnsAsMetadata) {
    const Dataset d = readOk(kData / "grammascope.csv");
    EXPECT_EQ(d.format, DatasetFormat::GrammascopeCsv);
    EXPECT_EQ(d.name, "grammascope.csv");
    EXPECT_EQ(d.source, kData / "grammascope.csv");
    EXPECT_TRUE(d.issues.empty());
    EXPECT_FALSE(d.singleSentences());
    EXPECT_EQ(d.columns, (std::vector<std::string>{"id", "phenomenon", "good", "bad", "good_word", "bad_word",
                                                   "word_index", "source", "note"}));
    ASSERT_EQ(d.items.size(), 3u);
    const DatasetItem& p2 = d.items[1];
    EXPECT_EQ(p2.id, "p2");
    EXPECT_EQ(p2.phenomenon, "poly");
    EXPECT_EQ(p2.good.text, "Мама мыла раму, а ёж спал.");
    EXPECT_EQ(p2.bad.text, "Мама мылает раму, а ёж спал.");
    EXPECT_EQ(p2.goodWord, "мыла");
    EXPECT_EQ(p2.badWord, "мылает");
    EXPECT_EQ(p2.wordIndex, 1);
    EXPECT_EQ(p2.line, 3);
    EXPECT_EQ(p2.metadata, (Meta{{"source", "demo"}, {"note", "with \"quotes\", commas"}}));
    EXPECT_EQ(d.items[0].metadata, (Meta{{"source", "demo"}, {"note", ""}}));
    EXPECT_EQ(d.items[2].wordIndex, -1);
    EXPECT_EQ(wordTexts(p2.good), (std::vector<std::string>{"Мама", "мыла", "раму", ",", "а", "ёж", "спал", "."}));
    for (const auto& item : d.items) {
        EXPECT_TRUE(item.isPair());
        EXPECT_FALSE(item.good.hasUd());
        expectWordsMatchSpans(item.good);
        expectWordsMatchSpans(item.bad);
    }
    const MinimalPair mp = toMinimalPair(p2);
    EXPECT_EQ(mp.id, "p2");
    EXPECT_EQ(mp.good, p2.good.text);
    EXPECT_EQ(mp.bad, p2.bad.text);
    EXPECT_EQ(mp.badWord, "мылает");
    EXPECT_EQ(mp.wordIndex, 1);
}

TEST(DatasetReader, RublimpCsvUsesPidAndKeepsTheRest) {
    const Dataset d = readOk(kData / "rublimp.csv");
    EXPECT_EQ(d.format, DatasetFormat::RublimpCsv);
    ASSERT_EQ(d.items.size(), 2u);
    const DatasetItem& a = d.items[0];
    EXPECT_EQ(a.id, "7662");
    EXPECT_EQ(a.phenomenon, "negative_concord");
    EXPECT_EQ(a.good.text, "Ушёл, не сказав нам ровно ничего.");
    EXPECT_EQ(a.bad.text, "Ушёл, сказав нам не ровно ничего.");
    EXPECT_EQ(a.goodWord, "не");
    EXPECT_EQ(a.metadata, (Meta{{"level", "Syntax"},
                                {"phenomenon", "Negation"},
                                {"subtype", "negative_concord"},
                                {"domain", "librusec"},
                                {"tree_depth", "3"}}));
    EXPECT_EQ(d.items[1].line, 3);  // CRLF line ends
    EXPECT_EQ(d.items[1].phenomenon, "change_verb_conjugation");
}

TEST(DatasetReader, BlimpJsonl) {
    const Dataset d = readOk(kData / "blimp.jsonl");
    EXPECT_EQ(d.format, DatasetFormat::BlimpJsonl);
    EXPECT_TRUE(d.issues.empty());
    ASSERT_EQ(d.items.size(), 3u);
    const DatasetItem& a = d.items[0];
    EXPECT_EQ(a.id, "0");
    EXPECT_EQ(a.phenomenon, "left_branch_island_simple_question");  // UID before linguistics_term
    EXPECT_EQ(a.good.text, "Whose hat should Tonya wear?");
    EXPECT_EQ(a.bad.text, "Whose should Tonya wear hat?");
    // In file order, values that are not strings as JSON.
    EXPECT_EQ(a.metadata, (Meta{{"field", "syntax"},
                                {"linguistics_term", "island_effects"},
                                {"simple_LM_method", "true"},
                                {"one_prefix_method", "false"},
                                {"two_prefix_method", "false"},
                                {"lexically_identical", "true"}}));
    const DatasetItem& b = d.items[1];
    EXPECT_EQ(b.line, 3);  // after a blank line
    EXPECT_EQ(b.id, "17");
    EXPECT_EQ(b.phenomenon, "gender");
    EXPECT_EQ(b.goodWord, "пришёл");
    EXPECT_EQ(b.badWord, "пришла");
    EXPECT_EQ(b.wordIndex, 1);
    EXPECT_TRUE(b.metadata.empty());
    EXPECT_EQ(d.items[2].phenomenon, "number");
    EXPECT_EQ(d.items[2].id, "line 4");
    EXPECT_EQ(wordTexts(d.items[2].bad), (std::vector<std::string>{"Кот", "спят", "."}));
}

TEST(DatasetReader, DelimitedByHeaderNames) {
    ColumnMapping m;
    m.good = "sent_ok";
    m.bad = "sent_bad";
    m.phenomenon = "kind";
    m.id = "num";
    const Dataset d = readOk(kData / "custom.tsv", delimited(m));
    EXPECT_EQ(d.format, DatasetFormat::Delimited);
    EXPECT_EQ(d.columns, (std::vector<std::string>{"sent_ok", "sent_bad", "kind", "num", "comment"}));
    ASSERT_EQ(d.items.size(), 2u);
    // Tab-separated text is not quoted: a leading quote is part of the sentence.
    EXPECT_EQ(d.items[0].good.text, "\"Да\", — сказал он.");
    EXPECT_EQ(d.items[0].bad.text, "\"Да\", — сказала он.");
    EXPECT_EQ(d.items[0].id, "1");
    EXPECT_EQ(d.items[0].phenomenon, "gender");
    EXPECT_EQ(d.items[0].metadata, (Meta{{"comment", "quote at the start"}}));
    EXPECT_EQ(d.items[1].id, "2");
    expectWordsMatchSpans(d.items[0].good);
}

TEST(DatasetReader, DelimitedWithoutHeaderByNumbers) {
    ColumnMapping m;
    m.hasHeader = false;
    m.good = "1";
    m.bad = "2";
    m.phenomenon = "3";
    const Dataset d = readOk(kData / "noheader.tsv", delimited(m));
    EXPECT_EQ(d.columns, (std::vector<std::string>{"1", "2", "3"}));
    ASSERT_EQ(d.items.size(), 2u);
    EXPECT_EQ(d.items[0].id, "line 1");
    EXPECT_EQ(d.items[0].line, 1);
    EXPECT_EQ(d.items[0].good.text, "Я видел кошку.");
    EXPECT_EQ(d.items[1].phenomenon, "number");
}

TEST(DatasetReader, DelimitedMapsKnownHeadersAndSingleColumns) {
    // A TSV in Grammascope's columns needs no mapping.
    Dataset d = parseOk("id\tgood\tbad\textra\na\tКот спал.\tКот спала.\tx\n", "pairs.tsv");
    EXPECT_EQ(d.format, DatasetFormat::Delimited);
    ASSERT_EQ(d.items.size(), 1u);
    EXPECT_EQ(d.items[0].id, "a");
    EXPECT_EQ(d.items[0].phenomenon, "pairs");  // the file stem
    EXPECT_EQ(d.items[0].metadata, (Meta{{"extra", "x"}}));
    // A "sentence" column: single sentences.
    d = parseOk("sentence,source\nМама мыла раму.,a\nОн спал.,b\n", "list.csv");
    ASSERT_EQ(d.items.size(), 2u);
    EXPECT_TRUE(d.singleSentences());
    EXPECT_EQ(d.items[1].good.text, "Он спал.");
    EXPECT_TRUE(d.items[1].bad.text.empty());
    EXPECT_TRUE(d.items[1].bad.words.empty());
    // A mapping without bad: single sentences, even when bad-looking columns exist.
    ColumnMapping m;
    m.good = "good";
    d = parseOk("good,bad\nКот спал.,\n", "x.csv", delimited(m));
    ASSERT_EQ(d.items.size(), 1u);
    EXPECT_FALSE(d.items[0].isPair());
    EXPECT_EQ(d.items[0].metadata, (Meta{{"bad", ""}}));
}

TEST(DatasetReader, DelimiterOptionReadsExcelSemicolons) {
    DatasetReadOptions o;
    o.mapping.delimiter = ';';
    const Dataset d = readOk(kData / "semicolon.csv", o);
    ASSERT_EQ(d.items.size(), 1u);
    EXPECT_EQ(d.items[0].good.text, "Она делала кашу.");
    EXPECT_EQ(d.items[0].phenomenon, "poly");
}

TEST(DatasetReader, PlainTextSkipsBlankAndCommentLines) {
    const Dataset d = readOk(kData / "sentences.txt");
    EXPECT_EQ(d.format, DatasetFormat::PlainText);
    EXPECT_TRUE(d.singleSentences());
    ASSERT_EQ(d.items.size(), 3u);
    EXPECT_EQ(d.items[0].line, 2);
    EXPECT_EQ(d.items[0].id, "line 2");
    EXPECT_EQ(d.items[0].phenomenon, "sentences");
    EXPECT_EQ(d.items[1].good.text, "Кто-то постучал в дверь.");  // trimmed
    EXPECT_EQ(d.items[1].line, 4);
    EXPECT_EQ(wordTexts(d.items[1].good), (std::vector<std::string>{"Кто-то", "постучал", "в", "дверь", "."}));
    EXPECT_EQ(wordTexts(d.items[2].good), (std::vector<std::string>{"Д'Артаньян", "улыбнулся", "."}));
    for (const auto& item : d.items) expectWordsMatchSpans(item.good);
}

TEST(DatasetReader, ConlluSentencesKeepTheirAnnotation) {
    const Dataset d = readOk(kData / "sample.conllu");
    EXPECT_EQ(d.format, DatasetFormat::Conllu);
    EXPECT_TRUE(d.singleSentences());
    ASSERT_EQ(d.items.size(), 2u);
    const DatasetItem& a = d.items[0];
    EXPECT_EQ(a.id, "demo-1");
    EXPECT_EQ(a.good.text, "Мама мыла раму.");
    EXPECT_EQ(a.line, 1);  // the block's first line (# newdoc)
    EXPECT_TRUE(a.good.hasUd());
    ASSERT_EQ(a.good.words.size(), 4u);
    ASSERT_TRUE(a.good.words[2].ud);
    EXPECT_EQ(a.good.words[2].text, "раму");
    EXPECT_EQ(a.good.words[2].ud->feature("Case"), "Acc");
    EXPECT_EQ(a.good.words[2].ud->head, 1);
    EXPECT_EQ(d.items[1].id, "demo-2");
    expectWordsMatchSpans(a.good);
    EXPECT_EQ(computeDatasetStats(d).withUd, 2);

    // The parser's issues come along with their lines.
    const std::string broken = "# sent_id = ok\n# text = Он спал.\n1\tОн\tон\tPRON\t_\t_\t2\tnsubj\t_\t_\n"
                               "2\tспал\tспать\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n"
                               "# sent_id = bad\n1\tслово\tслово\tNOUN\n\n";
    const Dataset b = parseOk(broken, "b.conllu");
    ASSERT_EQ(b.items.size(), 1u);
    ASSERT_EQ(b.errorCount(), 1u);
    EXPECT_EQ(b.issues[0].line, 8);
}

TEST(UdWord, Feature) {
    UdWord w;
    w.feats = "Animacy=Inan|Case=Acc|Number=Sing";
    EXPECT_EQ(w.feature("Case"), "Acc");
    EXPECT_EQ(w.feature("Number"), "Sing");
    EXPECT_EQ(w.feature("Animacy"), "Inan");
    EXPECT_EQ(w.feature("Num"), "");
    EXPECT_EQ(w.feature("Gender"), "");
    w.feats.clear();
    EXPECT_EQ(w.feature("Case"), "");
}

TEST(DatasetIssues, FormatIssue) {
    EXPECT_EQ(formatIssue("pairs.csv", {IssueSeverity::Error, 12, "field 3: empty sentence"}),
              "pairs.csv:12: error: field 3: empty sentence");
    EXPECT_EQ(formatIssue("pairs.csv", {IssueSeverity::Warning, 0, "whole file"}), "pairs.csv: warning: whole file");
}

TEST(DatasetValidation, MalformedCsvRecordsAreSkippedAndTheRestLoads) {
    const Dataset d = readOk(kMalformed / "bad_records.csv");
    expectIssues(d, {
                        {3, IssueSeverity::Error, "found 3 fields but the header has 7"},
                        {4, IssueSeverity::Error, "field 3 (good): empty sentence"},
                        {5, IssueSeverity::Error, "field 7 (word_index): word index must be an integer >= -1, got 'two'"},
                        {6, IssueSeverity::Error, "unexpected text after a closing quote in field 3"},
                        {7, IssueSeverity::Warning, "duplicate id 'a' (first on line 2)"},
                        {8, IssueSeverity::Warning, "duplicate pair: the same as on line 2"},
                        {9, IssueSeverity::Warning, "the good and bad sentences are identical"},
                        {10, IssueSeverity::Error, "field 4 (bad): empty sentence"},
                        {11, IssueSeverity::Error, "unterminated quoted field (the quote opened here is never closed)"},
                    });
    EXPECT_EQ(d.errorCount(), 6u);
    std::vector<std::string> ids;
    for (const auto& item : d.items) ids.push_back(item.id);
    // The record after the unterminated quote still loads.
    EXPECT_EQ(ids, (std::vector<std::string>{"a", "a", "f", "g", "j"}));

    const DatasetStats s = computeDatasetStats(d);
    EXPECT_EQ(s.items, 5);
    EXPECT_EQ(s.pairs, 5);
    EXPECT_EQ(s.singles, 0);
    EXPECT_EQ(s.perPhenomenon, (std::vector<std::pair<std::string, std::int64_t>>{{"x", 5}}));
    EXPECT_EQ(s.duplicateIds, 1);
    EXPECT_EQ(s.duplicatePairs, 1);
    EXPECT_EQ(s.identicalPairs, 1);
    EXPECT_EQ(s.errors, 6);
    EXPECT_EQ(s.warnings, 3);
    EXPECT_EQ(s.maxWords, 5);  // «Одно и то же.»
    EXPECT_NEAR(s.meanWords, (3 + 3 + 3 + 3 + 3 + 3 + 5 + 5 + 3 + 3) / 10.0, 1e-9);
}

TEST(DatasetValidation, MalformedJsonLinesAreSkippedAndTheRestLoads) {
    const Dataset d = readOk(kMalformed / "bad_lines.jsonl");
    expectIssues(d, {
                        {2, IssueSeverity::Error,
                         "invalid JSON at column 48: syntax error while parsing value - unexpected '}'; expected '[', "
                         "'{', or a literal"},
                        {3, IssueSeverity::Error, "expected a JSON object, got an array"},
                        {4, IssueSeverity::Error, "missing member \"sentence_bad\""},
                        {5, IssueSeverity::Error, "\"sentence_good\" must be a string, got a number"},
                        {6, IssueSeverity::Error, "\"sentence_good\": empty sentence"},
                        {7, IssueSeverity::Error, "\"word_index\" must be an integer >= -1, got \"1\""},
                    });
    ASSERT_EQ(d.items.size(), 2u);
    EXPECT_EQ(d.items[0].phenomenon, "gender");
    EXPECT_EQ(d.items[1].id, "3");
    EXPECT_EQ(d.items[1].line, 8);
}

// Inputs that leave nothing to load: the read fails with a message naming the
// file, and the line (and column) where that makes sense.
TEST(DatasetValidation, CatalogueOfFailures) {
    ColumnMapping unknownName, outOfRange, sameColumn, nameWithoutHeader;
    unknownName.good = "sentence";
    outOfRange.good = "9";
    sameColumn.good = "sent_ok";
    sameColumn.bad = "1";
    nameWithoutHeader.hasHeader = false;
    nameWithoutHeader.good = "sent_ok";
    struct Case {
        std::string file;
        DatasetReadOptions options;
        std::string message;  // after "reading dataset: <path>"
    };
    const std::vector<Case> cases = {
        {"cp1251.csv", {},
         ":2:6: the file is not UTF-8: byte 0xCC at line 2, column 6 is not valid UTF-8 (is it Windows-1251 or "
         "KOI8-R?); save it as UTF-8"},
        {"utf16.csv", {}, ": the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"},
        {"utf16_nobom.txt", {},
         ":1:10: a NUL byte at line 1, column 10: the file is not UTF-8 text (it looks like UTF-16 without a "
         "byte-order mark); save it as UTF-8"},
        {"missing_column.csv", {},
         ":1: missing required column 'bad' (Grammascope schema: id,phenomenon,good,bad,good_word,bad_word,"
         "word_index); the columns are: 'id', 'phenomenon', 'good', 'good_word'"},
        {"empty.csv", {}, ": no header row (the file is empty)"},
        {"header_only.csv", {}, ": no records to load (the file holds no pairs)"},
        {"all_invalid.csv", {},
         ": no valid record: 2 record(s) skipped, the first: " + (kMalformed / "all_invalid.csv").string() +
             ":2: error: found 2 fields but the header has 7"},
        {"bad_header.csv", {},
         ":1: header row: unterminated quoted field (the quote opened here is never closed)"},
        {"unknown_format.dat", {},
         ": cannot tell the format from the file name or its first line; name it (grammascope-csv, rublimp-csv, "
         "blimp-jsonl, delimited, text, conllu)"},
        {"bad_mapping.tsv", delimited(unknownName),
         ":1: column 'sentence' (for good) is not in the header; the columns are: 'sent_ok', 'sent_bad', 'kind'"},
        {"bad_mapping.tsv", delimited(outOfRange), ":1: column 9 (for good) does not exist: the header has 3 columns"},
        {"bad_mapping.tsv", delimited(sameColumn), ":1: good and bad are mapped to the same column 'sent_ok'"},
        {"bad_mapping.tsv", delimited(nameWithoutHeader),
         ":1: without a header row columns are named by number (1-3), got 'sent_ok' (for good)"},
        {"bad_mapping.tsv", delimited({}),
         ":1: which column holds the sentences? Give a column mapping (good=COLUMN[,bad=COLUMN]); the columns are: "
         "'sent_ok', 'sent_bad', 'kind'"},
        {"../semicolon.csv", {},
         ":1: which column holds the sentences? Give a column mapping (good=COLUMN[,bad=COLUMN]); the columns are: "
         "'id;phenomenon;good;bad' (the header is one column: is the delimiter ';'?)"},
    };
    for (const Case& c : cases) {
        const auto path = kMalformed / c.file;
        Dataset d;
        const Status st = readDataset(path, c.options, d);
        ASSERT_TRUE(st.isFailed()) << c.file;
        EXPECT_EQ(st.message(), "reading dataset: " + path.string() + c.message) << c.file;
    }
    Dataset d;
    const Status st = readDataset(kMalformed / "no_such_file.csv", {}, d);
    EXPECT_EQ(st.message(), "reading dataset: cannot open '" + (kMalformed / "no_such_file.csv").string() + "'");
}

TEST(DatasetValidation, FailedReadsStillReportColumnsAndIssues) {
    ColumnMapping m;
    m.good = "sentence";
    Dataset d;
    ASSERT_TRUE(readDataset(kMalformed / "bad_mapping.tsv", delimited(m), d).isFailed());
    EXPECT_EQ(d.columns, (std::vector<std::string>{"sent_ok", "sent_bad", "kind"}));
    ASSERT_TRUE(readDataset(kMalformed / "all_invalid.csv", {}, d).isFailed());
    EXPECT_EQ(d.errorCount(), 2u);
    EXPECT_EQ(d.issues[1].message, "field 3 (good): empty sentence");
}

TEST(DatasetValidation, Utf8EdgeCases) {
    // The byte-order mark is skipped; the column counts characters, not bytes.
    Dataset d = parseOk("\xEF\xBB\xBFМама мыла раму.\n", "a.txt");
    ASSERT_EQ(d.items.size(), 1u);
    EXPECT_EQ(d.items[0].good.text, "Мама мыла раму.");
    EXPECT_EQ(parseError("Мама\nмыла \xFF раму.\n", "a.txt").substr(0, 60),
              "a.txt:2:6: the file is not UTF-8: byte 0xFF at line 2, colum");
    EXPECT_EQ(parseError("ok\nобрезано\xD0", "a.txt").substr(0, 43), "a.txt:2:9: the file is not UTF-8: byte 0xD0");
    EXPECT_EQ(parseError("overlong \xC0\xAF", "a.txt").substr(0, 44), "a.txt:1:10: the file is not UTF-8: byte 0xC0");
    EXPECT_EQ(parseError("surrogate \xED\xA0\x80", "a.txt").substr(0, 44), "a.txt:1:11: the file is not UTF-8: byte 0xED");
    EXPECT_EQ(parseError("\xFE\xFFx", "a.txt"),
              "a.txt: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8");
    // Four-byte characters are fine.
    d = parseOk("Эмодзи 😀 тоже.\n", "a.txt");
    EXPECT_EQ(d.items.size(), 1u);
}

TEST(DatasetValidation, DuplicatesAcrossFormats) {
    const Dataset d = parseOk("Мама мыла раму.\nОн спал.\nМама мыла раму.\n", "s.txt");
    expectIssues(d, {{3, IssueSeverity::Warning, "duplicate sentence: the same as on line 1"}});
    EXPECT_EQ(computeDatasetStats(d).duplicatePairs, 1);
    const Dataset j = parseOk("{\"sentence_good\":\"A.\",\"sentence_bad\":\"A.\",\"id\":\"x\"}\n"
                              "{\"sentence_good\":\"B.\",\"sentence_bad\":\"C.\",\"id\":\"x\"}\n",
                              "d.jsonl");
    expectIssues(j, {{1, IssueSeverity::Warning, "the good and bad sentences are identical"},
                     {2, IssueSeverity::Warning, "duplicate id 'x' (first on line 1)"}});
}

TEST(DatasetValidation, CsvQuotingIsStrictTsvLenient) {
    // In a CSV a stray quote is an error for its record only.
    const Dataset c = parseOk("good,bad\n\"Да\" — сказал.,Нет.\nКот спал.,Кот спала.\n", "q.csv");
    ASSERT_EQ(c.items.size(), 1u);
    expectIssues(c, {{2, IssueSeverity::Error, "unexpected text after a closing quote in field 1"}});
    // Quoted TSV fields (as Python's csv module writes them) are still unquoted.
    const Dataset t = parseOk("good\tbad\n\"a\tb\"\t\"Он сказал \"\"да\"\".\"\n", "q.tsv");
    ASSERT_EQ(t.items.size(), 1u);
    EXPECT_EQ(t.items[0].good.text, "a\tb");
    EXPECT_EQ(t.items[0].bad.text, "Он сказал \"да\".");
}

TEST(DatasetPreview, HeaderAndFirstRows) {
    std::vector<std::vector<std::string>> rows;
    ASSERT_TRUE(previewDelimited(kData / "custom.tsv", 0, 1, rows).isOk());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"sent_ok", "sent_bad", "kind", "num", "comment"}));
    EXPECT_EQ(rows[1][0], "\"Да\", — сказал он.");
    ASSERT_TRUE(previewDelimited(kData / "grammascope.csv", ',', 10, rows).isOk());
    EXPECT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[2][8], "with \"quotes\", commas");
    const Status cp = previewDelimited(kMalformed / "cp1251.csv", 0, 5, rows);
    ASSERT_TRUE(cp.isFailed());
    EXPECT_NE(cp.message().find("line 2, column 6"), std::string::npos) << cp.message();
    EXPECT_TRUE(previewDelimited(kMalformed / "empty.csv", 0, 5, rows).isFailed());
}

// The real RuBLiMP files (12 phenomena, 1000 pairs each) read the same through
// the dataset reader as through the pairs reader, without a single issue.
TEST(DatasetRealData, RublimpDevFiles) {
    const auto dir = std::filesystem::path(GRAMMASCOPE_SHARED_DATA) / "rublimp-dev";
    if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no RuBLiMP data at " << dir;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".csv") continue;
        ++files;
        const Dataset d = readOk(entry.path());
        EXPECT_EQ(d.format, DatasetFormat::RublimpCsv) << entry.path();
        EXPECT_EQ(d.errorCount(), 0u) << entry.path();
        ASSERT_EQ(d.items.size(), 1000u) << entry.path();
        PairsFile pf;
        ASSERT_TRUE(readPairsCsv(entry.path(), pf).isOk());
        ASSERT_EQ(pf.pairs.size(), d.items.size());
        for (std::size_t i = 0; i < d.items.size(); ++i) {
            const DatasetItem& item = d.items[i];
            EXPECT_EQ(item.phenomenon, entry.path().stem().string());
            EXPECT_EQ(item.good.text, pf.pairs[i].good);
            EXPECT_EQ(item.bad.text, pf.pairs[i].bad);
            EXPECT_EQ(item.id, pf.pairs[i].id);
            EXPECT_EQ(item.line, pf.lines[i]);
            EXPECT_FALSE(item.good.words.empty());
            EXPECT_FALSE(item.bad.words.empty());
            ASSERT_EQ(item.metadata.size(), 5u);
            EXPECT_EQ(item.metadata[0].first, "level");
        }
        const DatasetStats s = computeDatasetStats(d);
        EXPECT_EQ(s.pairs, 1000);
        EXPECT_GT(s.meanWords, 3.0);
    }
    EXPECT_EQ(files, 12);
}

TEST(DatasetRealData, UdTreebankLoadsWithAnnotation) {
    const auto file = std::filesystem::path(GRAMMASCOPE_SHARED_DATA) / "ud" / "ru_pud-ud-test.conllu";
    if (!std::filesystem::exists(file)) GTEST_SKIP() << "no UD data at " << file;
    const Dataset d = readOk(file);
    EXPECT_EQ(d.format, DatasetFormat::Conllu);
    EXPECT_EQ(d.items.size(), 1000u);
    const DatasetStats s = computeDatasetStats(d);
    EXPECT_EQ(s.withUd, s.items);
    EXPECT_EQ(s.singles, s.items);
    EXPECT_EQ(s.duplicateIds, 0);
}
