// grammascope-cli run as a user runs it: a real process, its JSON parsed.

#include "checkpoint_fixture.h"
#include "grammascope/model.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <sys/wait.h>

using gs::testing::FixtureOptions;
using gs::testing::TempDir;

namespace {

struct RunResult {
    int exitCode = -1;
    std::string out;
};

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

RunResult runCli(const std::string& args) {
    RunResult r;
    const std::string cmd = std::string(GRAMMASCOPE_CLI) + " " + args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

TEST(Cli, EncodeJsonFullMatchesTheCore) {
    TempDir dir;
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(dir.path(), FixtureOptions{}).isOk());
    const std::string text = "Мама мыла раму, а ёж спал.";
    RunResult r = runCli("encode --model " + quote(dir.path().string()) + " --text " + quote(text) + " --json --full");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);

    std::shared_ptr<const gs::Model> model;
    ASSERT_TRUE(gs::Model::load(dir.path(), gs::ModelOptions{}, model).isOk());
    gs::EncodeResult direct;
    ASSERT_TRUE(model->encode(text, {}, direct).isOk());

    ASSERT_EQ(j["tokens"].size(), direct.encoding.tokens.size());
    for (std::size_t i = 0; i < direct.encoding.tokens.size(); ++i) {
        const auto& t = direct.encoding.tokens[i];
        EXPECT_EQ(j["tokens"][i]["text"], t.text);
        EXPECT_EQ(j["tokens"][i]["id"], t.id);
        EXPECT_EQ(j["tokens"][i]["offsets"][0], t.begin);
        EXPECT_EQ(j["tokens"][i]["word"], t.wordIndex);
    }
    EXPECT_EQ(j["tokens"][1]["text"], "Мама");
    EXPECT_EQ(j["layers"].size(), 3u);
    ASSERT_EQ(j["hidden_states"].size(), 3u);
    const auto& h = j["hidden_states"];
    for (std::int64_t l = 0; l <= direct.numLayers; ++l)
        for (std::int64_t t = 0; t < direct.numTokens; ++t)
            for (std::int64_t d = 0; d < direct.hiddenSize; d += 7)
                EXPECT_FLOAT_EQ(h[l][t][d].get<float>(), direct.hiddenAt(l, t)[d]);
}

TEST(Cli, TableOutputListsTokensAndLayers) {
    TempDir dir;
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(dir.path(), FixtureOptions{}).isOk());
    RunResult r = runCli("encode --model " + quote(dir.path().string()) + " --text " + quote("Она делала кашу."));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("делала"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("emb"), std::string::npos) << r.out;
}

TEST(Cli, MissingModelIsAClearError) {
    RunResult r = runCli("encode --model /nonexistent/model-dir --text x --json");
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("/nonexistent/model-dir"), std::string::npos) << r.out;
}

TEST(Cli, UsageErrors) {
    EXPECT_EQ(runCli("encode --model . --bogus").exitCode, 2);
    EXPECT_EQ(runCli("no-such-command").exitCode, 2);
    RunResult r = runCli("encode --model . --text x --precision fp8");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.out.find("fp8"), std::string::npos);
    EXPECT_EQ(runCli("encode --help").exitCode, 0);
}

} // namespace

// grammascope-cli pairs stats, and score on every dataset format.
namespace {

const std::filesystem::path kDatasets = std::filesystem::path(GRAMMASCOPE_TEST_DATA_DIR) / "datasets";

// Standard output only: reports are parsed while warnings go to stderr.
RunResult runCliStdout(const std::string& args) {
    RunResult r;
    const std::string cmd = std::string(GRAMMASCOPE_CLI) + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string fixture(const std::string& name) { return quote((kDatasets / name).string()); }

TEST(CliPairs, StatsJsonCountsAndListsIssues) {
    RunResult r = runCliStdout("pairs stats " + fixture("malformed/bad_records.csv") + " --json --skip-invalid");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format"], "grammascope-csv");
    EXPECT_EQ(j["items"], 5);
    EXPECT_EQ(j["pairs"], 5);
    EXPECT_EQ(j["errors"], 6);
    EXPECT_EQ(j["warnings"], 3);
    EXPECT_EQ(j["duplicate_ids"], 1);
    EXPECT_EQ(j["duplicate_pairs"], 1);
    EXPECT_EQ(j["identical_pairs"], 1);
    ASSERT_EQ(j["issues"].size(), 9u);
    EXPECT_EQ(j["issues"][0]["line"], 3);
    EXPECT_EQ(j["issues"][0]["severity"], "error");
    EXPECT_EQ(j["issues"][0]["message"], "found 3 fields but the header has 7");
    EXPECT_EQ(j["phenomena"][0]["phenomenon"], "x");
    EXPECT_EQ(j["words"]["max"], 5);

    // Without --skip-invalid the report is printed and the exit code says invalid.
    r = runCli("pairs stats " + fixture("malformed/bad_records.csv"));
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("bad_records.csv:11: error: unterminated quoted field"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("6 invalid record(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--skip-invalid"), std::string::npos) << r.out;
}

TEST(CliPairs, StatsTableForEveryFormat) {
    RunResult r = runCli("pairs stats " + fixture("rublimp.csv"));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("(rublimp-csv)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("items: 2 (2 pairs, 0 single sentences)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("negative_concord"), std::string::npos) << r.out;

    r = runCli("pairs stats " + fixture("sentences.txt"));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("items: 3 (0 pairs, 3 single sentences)"), std::string::npos) << r.out;

    r = runCliStdout("pairs stats " + fixture("sample.conllu") + " --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["with_ud"], 2);

    r = runCliStdout("pairs stats " + fixture("custom.tsv") +
                     " --columns good=sent_ok,bad=sent_bad,phenomenon=kind,id=num --delimiter tab --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format"], "delimited");
    ASSERT_EQ(j["phenomena"].size(), 2u);
    EXPECT_EQ(j["phenomena"][0]["phenomenon"], "gender");

    r = runCliStdout("pairs stats " + fixture("noheader.tsv") + " --no-header --columns good=1,bad=2 --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["pairs"], 2);

    r = runCliStdout("pairs stats " + fixture("semicolon.csv") + " --delimiter ';' --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["items"], 1);

    r = runCliStdout("pairs stats " + fixture("blimp.jsonl") + " --format blimp-jsonl --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["pairs"], 3);
}

TEST(CliPairs, StatsFailuresAndUsageErrors) {
    RunResult r = runCli("pairs stats " + fixture("malformed/cp1251.csv"));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("not UTF-8: byte 0xCC at line 2, column 6"), std::string::npos) << r.out;
    r = runCli("pairs stats " + fixture("malformed/utf16.csv"));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("UTF-16"), std::string::npos) << r.out;
    r = runCli("pairs stats " + fixture("custom.tsv") + " --columns good=nope");
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("column 'nope' (for good) is not in the header; the columns are: 'sent_ok'"),
              std::string::npos)
        << r.out;
    r = runCli("pairs stats /nonexistent/pairs.csv");
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("/nonexistent/pairs.csv"), std::string::npos) << r.out;

    EXPECT_EQ(runCli("pairs").exitCode, 2);
    EXPECT_EQ(runCli("pairs bogus").exitCode, 2);
    EXPECT_EQ(runCli("pairs stats").exitCode, 2);
    EXPECT_EQ(runCli("pairs stats a.csv b.csv").exitCode, 2);
    r = runCli("pairs stats a.csv --format xlsx");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.out.find("xlsx"), std::string::npos) << r.out;
    EXPECT_EQ(runCli("pairs stats a.csv --columns bad=x").exitCode, 2);
    EXPECT_EQ(runCli("pairs stats a.csv --columns good=x --format text").exitCode, 2);
    EXPECT_EQ(runCli("pairs stats a.csv --delimiter tabs").exitCode, 2);
    EXPECT_EQ(runCli("pairs stats --help").exitCode, 0);
    EXPECT_EQ(runCli("pairs --help").exitCode, 0);
}

TEST(CliScore, ReadsEveryPairFormat) {
    TempDir dir;
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(dir.path(), FixtureOptions{}).isOk());
    const std::string model = "score --model " + quote(dir.path().string()) + " --no-unigram --json --pairs ";
    RunResult r = runCliStdout(model + fixture("blimp.jsonl"));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["files"][0]["format"], "blimp-jsonl");
    EXPECT_FALSE(j["files"][0].contains("schema"));
    ASSERT_EQ(j["pairs"].size(), 3u);
    EXPECT_EQ(j["pairs"][1]["line"], 3);
    EXPECT_EQ(j["pairs"][1]["phenomenon"], "gender");

    r = runCliStdout(model + fixture("custom.tsv") + " --columns good=sent_ok,bad=sent_bad,phenomenon=kind");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["files"][0]["format"], "delimited");
    EXPECT_EQ(j["pairs"].size(), 2u);

    r = runCliStdout(model + fixture("rublimp.csv"));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["files"][0]["schema"], "rublimp");

    // Invalid records: an error listing them, unless --skip-invalid.
    r = runCli(model + fixture("malformed/bad_records.csv"));
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("bad_records.csv:3: error: found 3 fields but the header has 7"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--skip-invalid"), std::string::npos) << r.out;
    r = runCliStdout(model + fixture("malformed/bad_records.csv") + " --skip-invalid");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["pairs"].size(), 5u);

    r = runCli(model + fixture("sentences.txt"));
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("single sentences"), std::string::npos) << r.out;
}

} // namespace
