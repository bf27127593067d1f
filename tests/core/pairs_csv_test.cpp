// The minimal-pair CSV reader: RFC 4180 quoting, both schemas, and error
// messages that point at the right line.

#include "grammascope/pairs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace gs;

namespace {

const char* kHeader = "id,phenomenon,good,bad,good_word,bad_word,word_index\n";

PairsFile parseOk(const std::string& text, const std::string& name = "pairs.csv") {
    PairsFile f;
    Status st = parsePairsCsv(text, name, f);
    EXPECT_TRUE(st.isOk()) << st.message();
    return f;
}

std::string parseError(const std::string& text, const std::string& name = "pairs.csv") {
    PairsFile f;
    Status st = parsePairsCsv(text, name, f);
    EXPECT_TRUE(st.isFailed());
    return st.message();
}

} // namespace

TEST(PairsCsv, ReadsGrammascopeSchema) {
    const auto f = parseOk(std::string(kHeader) +
                           "p1,poly,Она делала кашу.,Она делалает кашу.,делала,делалает,1\n"
                           "p2,poly,Мама мыла раму.,Мама мылаet раму.,мыла,мылаet,\n");
    EXPECT_EQ(f.schema, PairsSchema::Grammascope);
    ASSERT_EQ(f.pairs.size(), 2u);
    EXPECT_EQ(f.pairs[0].id, "p1");
    EXPECT_EQ(f.pairs[0].phenomenon, "poly");
    EXPECT_EQ(f.pairs[0].good, "Она делала кашу.");
    EXPECT_EQ(f.pairs[0].bad, "Она делалает кашу.");
    EXPECT_EQ(f.pairs[0].goodWord, "делала");
    EXPECT_EQ(f.pairs[0].badWord, "делалает");
    EXPECT_EQ(f.pairs[0].wordIndex, 1);
    EXPECT_EQ(f.pairs[1].wordIndex, -1);  // empty field
    EXPECT_EQ(f.lines, (std::vector<std::int64_t>{2, 3}));
    EXPECT_TRUE(f.warnings.empty());
}

TEST(PairsCsv, QuotesCommasNewlinesBomAndCrlf) {
    const std::string text = "\xEF\xBB\xBF" + std::string("id,phenomenon,good,bad,good_word,bad_word,word_index\r\n") +
                             "a,x,\"Ушёл, не сказав.\",\"Ушёл, сказав не.\",не,не,2\r\n"
                             "b,x,\"Он сказал: \"\"да\"\".\",\"first\r\nsecond\",w,v,0\r\n"
                             "\r\n"
                             "c,x,Last one.,Last two.,,,\r\n";
    const auto f = parseOk(text);
    ASSERT_EQ(f.pairs.size(), 3u);
    EXPECT_EQ(f.pairs[0].id, "a");  // the BOM is not part of the first column name
    EXPECT_EQ(f.pairs[0].good, "Ушёл, не сказав.");
    EXPECT_EQ(f.pairs[0].bad, "Ушёл, сказав не.");
    EXPECT_EQ(f.pairs[1].good, "Он сказал: \"да\".");
    EXPECT_EQ(f.pairs[1].bad, "first\nsecond");  // CRLF inside quotes becomes LF
    EXPECT_EQ(f.pairs[2].good, "Last one.");
    // Record c starts on line 6: record b spans lines 3-4, line 5 is blank.
    EXPECT_EQ(f.lines, (std::vector<std::int64_t>{2, 3, 6}));
}

TEST(PairsCsv, LastRecordWithoutLineEnd) {
    const auto f = parseOk(std::string(kHeader) + "a,x,Good.,Bad.,,,3");
    ASSERT_EQ(f.pairs.size(), 1u);
    EXPECT_EQ(f.pairs[0].wordIndex, 3);
}

TEST(PairsCsv, OptionalColumnsGetDefaults) {
    const auto f = parseOk("good,bad\nХорошо.,Плохо.\n", "/data/my_phenomenon.csv");
    ASSERT_EQ(f.pairs.size(), 1u);
    EXPECT_EQ(f.pairs[0].phenomenon, "my_phenomenon");
    EXPECT_EQ(f.pairs[0].id, "line 2");
    EXPECT_EQ(f.pairs[0].wordIndex, -1);
}

TEST(PairsCsv, ReadsRublimpSchema) {
    const auto f = parseOk(
        "id,source_sentence,target_sentence,source_word,target_word,level,phenomenon,PID,subtype,domain,tree_depth\n"
        "7662,\"Ушёл, не сказав нам ровно ничего.\",\"Ушёл, сказав нам не ровно ничего.\",не,не,Syntax,"
        "Negation,negative_concord,negative_concord,librusec,3\n");
    EXPECT_EQ(f.schema, PairsSchema::Rublimp);
    ASSERT_EQ(f.pairs.size(), 1u);
    const MinimalPair& p = f.pairs[0];
    EXPECT_EQ(p.id, "7662");
    EXPECT_EQ(p.phenomenon, "negative_concord");  // PID, not the coarse "phenomenon" column
    EXPECT_EQ(p.good, "Ушёл, не сказав нам ровно ничего.");
    EXPECT_EQ(p.bad, "Ушёл, сказав нам не ровно ничего.");
    EXPECT_EQ(p.goodWord, "не");
    EXPECT_EQ(p.wordIndex, -1);
}

TEST(PairsCsv, ErrorsNameFileAndLine) {
    EXPECT_EQ(parseError(std::string(kHeader) + "a,x,Good.,Bad.,,,\nb,x,\"Good,Bad.,,,\nc,x,G.,B.,,,\n"),
              "pairs.csv:3: unterminated quoted field (the quote opened here is never closed)");
    EXPECT_EQ(parseError(std::string(kHeader) + "a,x,Good.,Bad.,,,\nb,x,Good.\n"),
              "pairs.csv:3: found 3 fields but the header has 7");
    EXPECT_EQ(parseError(std::string(kHeader) + "a,x,Good.,Bad.,,,1,extra\n"),
              "pairs.csv:2: found 8 fields but the header has 7");
    EXPECT_EQ(parseError(std::string(kHeader) + "a,x,\"Good.\r\nstill good\",Bad.,,,\nb,x,  ,Bad.,,,\n"),
              "pairs.csv:4: empty sentence in column 'good'");
    EXPECT_EQ(parseError(std::string(kHeader) + "a,x,Good.,,,,\n"), "pairs.csv:2: empty sentence in column 'bad'");
    EXPECT_EQ(parseError(std::string(kHeader) + "a,x,Good.,Bad.,,,two\n"),
              "pairs.csv:2: word_index must be an integer >= -1, got 'two'");
    EXPECT_EQ(parseError(std::string(kHeader) + "a,x,\"Good.\"x,Bad.,,,\n"),
              "pairs.csv:2: unexpected text after a closing quote in field 3");
    const std::string missing = parseError("id,phenomenon,good,good_word\na,x,Good.,w\n");
    EXPECT_EQ(missing.rfind("pairs.csv:1: missing required column 'bad'", 0), 0u) << missing;
    const std::string missingRublimp = parseError("id,source_sentence,PID\n1,Good.,x\n");
    EXPECT_EQ(missingRublimp.rfind("pairs.csv:1: missing required column 'target_sentence'", 0), 0u) << missingRublimp;
    EXPECT_EQ(parseError(""), "pairs.csv: no header row (the file is empty)");
}

TEST(PairsCsv, WarnsAboutDuplicateIdsAndEmptyFiles) {
    auto f = parseOk(std::string(kHeader) + "a,x,G1.,B1.,,,\na,x,G2.,B2.,,,\n");
    ASSERT_EQ(f.warnings.size(), 1u);
    EXPECT_NE(f.warnings[0].find("pairs.csv:3: duplicate id 'a'"), std::string::npos);
    f = parseOk(kHeader);
    EXPECT_TRUE(f.pairs.empty());
    ASSERT_EQ(f.warnings.size(), 1u);
}

TEST(PairsCsv, RecordWriterRoundTrips) {
    const std::vector<std::string> fields = {"id 1", "x", "Он сказал: \"да\", и ушёл.", "line\nbreak", "", "w", "-1"};
    const std::string text = std::string(kHeader) + csvRecord(fields) + "\n";
    EXPECT_EQ(csvRecord({"a", "b,c", "d\"e"}), "a,\"b,c\",\"d\"\"e\"");
    const auto f = parseOk(text);
    ASSERT_EQ(f.pairs.size(), 1u);
    EXPECT_EQ(f.pairs[0].id, "id 1");
    EXPECT_EQ(f.pairs[0].good, fields[2]);
    EXPECT_EQ(f.pairs[0].bad, fields[3]);
    EXPECT_EQ(f.pairs[0].badWord, "w");
}

TEST(PairsCsv, ReadFileErrorsNameTheFile) {
    PairsFile f;
    Status st = readPairsCsv("/nonexistent/pairs.csv", f);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("/nonexistent/pairs.csv"), std::string::npos);

    const auto path = std::filesystem::temp_directory_path() / "gs_pairs_csv_test.csv";
    {
        std::ofstream o(path, std::ios::binary);
        o << kHeader << "a,x,Good.,\"Bad.\n";
    }
    st = readPairsCsv(path, f);
    std::filesystem::remove(path);
    ASSERT_TRUE(st.isFailed());
    EXPECT_EQ(st.message(), "reading pairs: " + path.string() + ":2: unterminated quoted field (the quote opened here is never closed)");
}

TEST(PairsCsv, ReadsARealRublimpFile) {
    const std::filesystem::path file =
        std::filesystem::path(GRAMMASCOPE_SHARED_DIR) / "data" / "rublimp-dev" / "negative_concord.csv";
    if (!std::filesystem::exists(file)) GTEST_SKIP() << "no RuBLiMP data at " << file;
    PairsFile f;
    Status st = readPairsCsv(file, f);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(f.schema, PairsSchema::Rublimp);
    ASSERT_EQ(f.pairs.size(), 1000u);
    bool sawQuoted = false;
    for (const auto& p : f.pairs) {
        EXPECT_EQ(p.phenomenon, "negative_concord");
        EXPECT_FALSE(p.good.empty());
        EXPECT_NE(p.good, p.bad) << p.id;
        // Record 7662 holds commas inside quoted fields.
        if (p.id == "7662") {
            sawQuoted = true;
            EXPECT_NE(p.good.find(", не "), std::string::npos) << p.good;
            EXPECT_NE(p.bad.find(", "), std::string::npos) << p.bad;
        }
    }
    EXPECT_TRUE(sawQuoted);
}
