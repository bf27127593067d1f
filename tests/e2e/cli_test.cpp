// grammascope-cli run as a user runs it: a real process, its JSON parsed.

#include "checkpoint_fixture.h"
#include "cli_process.h"
#include "grammascope/model.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <map>

using gs::testing::FixtureOptions;
using gs::testing::TempDir;

namespace {

using RunResult = gs::testing::CliResult;
using gs::testing::runCliWith;

std::string quote(const std::string& s) { return gs::testing::shellQuote(s); }

RunResult runCli(const std::string& args) { return runCliWith(args, "2>&1"); }

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

// Help texts that are printf formats (their option blocks are filled in with %s) must
// spell a literal percent sign as %%: a lone one is read as a conversion and prints
// garbage from the stack.
TEST(Cli, EveryHelpTextPrintsItsPercentSigns) {
    std::map<std::string, std::string> help;
    for (const char* command : {"encode", "info", "make-pairs", "pairs", "score", "run", "cache", "probe", "sae",
                                "localize", "unigram", "train-mlm", "eval-mlm"}) {
        RunResult r = runCli(std::string(command) + " --help");
        EXPECT_EQ(r.exitCode, 0) << command;
        EXPECT_EQ(r.out.find("%%"), std::string::npos) << command;
        for (std::size_t at = r.out.find('%'); at != std::string::npos; at = r.out.find('%', at + 1))
            EXPECT_TRUE(at > 0 && std::isdigit(static_cast<unsigned char>(r.out[at - 1])))
                << command << ": a percent sign not after a number: ..." << r.out.substr(at > 20 ? at - 20 : 0, 40);
        help[command] = r.out;
    }
    const std::pair<const char*, const char*> phrases[] = {
        {"sae", "tokens of 90% of the sentences"}, {"sae", "on the other 10%: L0"},
        {"score", "95% Wilson interval"},          {"localize", "(10% of the steps)"},
        {"train-mlm", "(15% masking"},             {"eval-mlm", "15% masking"},
    };
    for (const auto& [command, phrase] : phrases)
        EXPECT_NE(help[command].find(phrase), std::string::npos) << command << "\n" << help[command];
}

} // namespace

// grammascope-cli pairs stats, and score on every dataset format.
namespace {

const std::filesystem::path kDatasets = std::filesystem::path(GRAMMASCOPE_TEST_DATA_DIR) / "datasets";

// Standard output only: reports are parsed while warnings go to stderr.
RunResult runCliStdout(const std::string& args) { return runCliWith(args, "2>/dev/null"); }

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

// The accuracy on the pairs where word frequency misleads, recounted here from
// the per-pair decisions of the same JSON.
TEST(CliScore, SplitsAccuracyByWhatFrequencyAloneSays) {
    const std::filesystem::path demo = GRAMMASCOPE_DEMO_DIR;
    const std::string args = "score --model " + quote((demo / "model").string()) + " --pairs " +
                             quote((demo / "pairs.csv").string()) + " --threads 2";
    RunResult r = runCliStdout(args + " --limit 40 --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* metric : {"pll", "pll_word_l2r"}) {
        std::int64_t misleads = 0, misleadsCorrect = 0, agrees = 0, agreesCorrect = 0;
        for (const auto& p : j["pairs"]) {
            const bool right = p["correct"][metric].get<bool>();
            if (p["correct"]["unigram"].get<bool>()) {
                ++agrees;
                agreesCorrect += right;
            } else {
                ++misleads;
                misleadsCorrect += right;
            }
        }
        const auto& overall = j["overall"][metric];
        EXPECT_EQ(overall["frequency_misleads"]["pairs"], misleads) << metric;
        EXPECT_EQ(overall["frequency_misleads"]["correct"], misleadsCorrect) << metric;
        EXPECT_EQ(overall["frequency_agrees"]["pairs"], agrees) << metric;
        EXPECT_EQ(overall["frequency_agrees"]["correct"], agreesCorrect) << metric;
        EXPECT_GT(misleads, 0) << "the first 40 demo pairs include pairs where frequency points the wrong way";
    }
    EXPECT_FALSE(j["overall"]["unigram"].contains("frequency_misleads"));

    r = runCliStdout(args + " --limit 10 --metric pll");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("where word frequency misleads"), std::string::npos) << r.out;
    r = runCliStdout(args + " --limit 10 --metric pll --no-unigram");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(r.out.find("where word frequency misleads"), std::string::npos) << r.out;
}

} // namespace

// grammascope-cli run and cache: the results store filled from the command
// line, served again, exported, and a killed run resumed.
#include "grammascope/result_store.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <fcntl.h>
#include <spawn.h>
#include <thread>

extern char** environ;

namespace {

// Pairs whose sentences all differ (numbers make them distinct), in
// Grammascope CSV; short, so that the fixture model runs many small batches.
std::filesystem::path writePairs(const std::filesystem::path& dir, int pairs) {
    const auto file = dir / "pairs.csv";
    std::ofstream out(file);
    out << "id,phenomenon,good,bad\n";
    for (int i = 0; i < pairs; ++i) {
        const std::string n = std::to_string(i);
        out << "p" << n << ",agreement,Мама мыла раму " << n << ".,Мама мыли раму " << n << ".\n";
    }
    return file;
}

// A minimal RFC 4180 reader for the exported CSV.
std::vector<std::vector<std::string>> readCsv(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            rows.back().push_back(std::move(field));
            field.clear();
            rows.emplace_back();
        } else if (c != '\r') {
            field += c;
        }
    }
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

// Every run of a store, read as the GUI reads it: a read-only connection
// (false when the file does not exist yet).
bool readRuns(const std::filesystem::path& db, std::vector<gs::RunInfo>& runs) {
    std::error_code ec;
    if (!std::filesystem::exists(db, ec)) return false;
    std::unique_ptr<gs::ResultStore> store;
    gs::ResultStoreOptions o;
    o.readOnly = true;
    return gs::ResultStore::open(db, o, store).isOk() && store->listRuns(runs).isOk();
}

pid_t spawnCli(const std::vector<std::string>& args, const std::filesystem::path& log) {
    std::vector<std::string> all = {GRAMMASCOPE_CLI};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// Waits (bounded) until some run of `db` has a committed result. False when
// the deadline passes or the child exits first; `exited` says which.
bool waitForFirstCommit(const std::filesystem::path& db, pid_t child, bool& exited) {
    exited = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        std::vector<gs::RunInfo> runs;
        if (readRuns(db, runs)) {
            for (const auto& r : runs)
                if (r.results > 0) return true;
        }
        int status = 0;
        if (waitpid(child, &status, WNOHANG) == child) {
            exited = true;
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

TEST(CliRun, SecondRunIsCachedAndTheStoreExports) {
    TempDir dir;
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(dir.path() / "model", FixtureOptions{}).isOk());
    const auto pairs = writePairs(dir.path(), 5);
    const auto db = dir.path() / "results.sqlite";
    const std::string common = "--model " + quote((dir.path() / "model").string()) + " --pairs " +
                               quote(pairs.string()) + " --db " + quote(db.string());
    RunResult r = runCliStdout("run " + common + " --analyses hidden_norm,surprisal --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["items"], 5);
    EXPECT_EQ(j["sentences"], 10);
    EXPECT_EQ(j["computed"], 10);
    EXPECT_EQ(j["cached"], 0);
    EXPECT_EQ(j["results_written"], 20);
    ASSERT_EQ(j["runs"].size(), 2u);
    EXPECT_EQ(j["runs"][0]["analysis"], "hidden-norm");
    const std::int64_t hiddenRun = j["runs"][0]["run"];

    r = runCliStdout("run " + common + " --analyses hidden-norm,surprisal --batch-tokens 64 --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["computed"], 0);
    EXPECT_EQ(j["cached"], 10);
    EXPECT_EQ(j["results_written"], 0);
    r = runCli("run " + common + " --analyses hidden-norm");  // the table says so too
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("10 sentences (5 items): 0 computed, 10 from the store"), std::string::npos) << r.out;

    r = runCliStdout("cache stats --db " + quote(db.string()) + " --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["runs"], 2);
    EXPECT_EQ(j["complete_runs"], 2);
    EXPECT_EQ(j["results"], 20);
    EXPECT_EQ(j["sentences"], 10);
    r = runCli("cache stats --db " + quote(db.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("results:    20"), std::string::npos) << r.out;
    r = runCliStdout("cache runs --db " + quote(db.string()) + " --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0]["state"], "complete");
    EXPECT_EQ(j[0]["parameters"]["precision"], "fp32");
    EXPECT_EQ(j[0]["model_path"], (dir.path() / "model").string());

    // CSV: one row per (sentence, token, layer), the stored values.
    const auto csv = dir.path() / "hidden.csv";
    r = runCli("cache export --run " + std::to_string(hiddenRun) + " --db " + quote(db.string()) + " --out " +
               quote(csv.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto rows = readCsv(csv);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"sentence", "token_index", "token", "layer_index", "layer", "value"}));
    std::unique_ptr<gs::ResultStore> store;
    gs::ResultStoreOptions ro;
    ro.readOnly = true;
    ASSERT_TRUE(gs::ResultStore::open(db, ro, store).isOk());
    gs::ResultMatrix m;
    bool found = false;
    const std::string first = "Мама мыла раму 0.";
    ASSERT_TRUE(store->getResult(hiddenRun, gs::sentenceHash(first), m, found).isOk());
    ASSERT_TRUE(found);
    EXPECT_EQ(m.rows, 3);  // emb + 2 layers
    std::size_t cells = 0, total = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 6u) << i;
        ++total;
        if (rows[i][0] != first) continue;
        const int t = std::stoi(rows[i][1]), l = std::stoi(rows[i][3]);
        EXPECT_EQ(rows[i][2], m.colLabels[std::size_t(t)]);
        EXPECT_EQ(rows[i][4], m.rowLabels[std::size_t(l)]);
        EXPECT_FLOAT_EQ(std::stof(rows[i][5]), m.at(l, t));
        ++cells;
    }
    EXPECT_EQ(cells, std::size_t(m.rows * m.cols));
    EXPECT_GT(total, 10 * cells / 2);

    // JSON: the latest surprisal run, one entry per sentence.
    const auto json = dir.path() / "surprisal.json";
    r = runCli("cache export --latest --analysis surprisal --db " + quote(db.string()) + " --out " + quote(json.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    std::ifstream in(json);
    j = nlohmann::json::parse(in);
    EXPECT_EQ(j["format"], "grammascope-results");
    EXPECT_EQ(j["run"]["analysis"], "surprisal");
    ASSERT_EQ(j["results"].size(), 10u);
    for (const auto& e : j["results"]) {
        EXPECT_EQ(e["layers"], (nlohmann::json{"MLM"}));
        EXPECT_EQ(e["values"][0].size(), e["tokens"].size());
        EXPECT_EQ(e["values"][0][0], 0.0);  // [CLS] has no surprisal
        EXPECT_GT(e["values"][0][1].get<double>(), 0.0);
    }

    EXPECT_EQ(runCli("cache export --latest --db " + quote(db.string())).exitCode, 2);           // no --out
    EXPECT_EQ(runCli("cache export --run 1 --latest --out x.csv").exitCode, 2);
    EXPECT_EQ(runCli("cache clear --db " + quote(db.string())).exitCode, 2);                    // no --yes
    EXPECT_EQ(runCli("cache frobnicate").exitCode, 2);
    EXPECT_EQ(runCli("run --model x --pairs y --analyses attention-entropy").exitCode, 2);
    r = runCliStdout("cache clear --yes --db " + quote(db.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(runCli("cache vacuum --db " + quote(db.string())).exitCode, 0);
    r = runCliStdout("cache stats --db " + quote(db.string()) + " --json");
    EXPECT_EQ(nlohmann::json::parse(r.out)["results"], 0);
}

TEST(CliRun, CorruptStoreGetsTheMoveAsideHint) {
    TempDir dir;
    const auto db = dir.path() / "results.sqlite";
    {
        std::ofstream out(db, std::ios::binary);
        out << std::string(8192, 'x');  // not a database
    }
    RunResult r = runCli("cache stats --db " + quote(db.string()));
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("cache move-aside"), std::string::npos) << r.out;
    r = runCli("cache move-aside --db " + quote(db.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_FALSE(std::filesystem::exists(db));
    EXPECT_NE(r.out.find(".corrupt-"), std::string::npos) << r.out;
}

// kill -9 mid-run: the committed batches stay, the rerun computes only the rest.
TEST(CliRun, KilledRunResumesWithOnlyTheRemainder) {
    TempDir dir;
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(dir.path() / "model", FixtureOptions{}).isOk());
    const auto pairs = writePairs(dir.path(), 600);
    const auto db = dir.path() / "results.sqlite";
    const std::vector<std::string> args = {"run", "--model", (dir.path() / "model").string(), "--pairs", pairs.string(),
                                           "--db", db.string(), "--analyses", "all", "--batch-size", "2"};
    const pid_t child = spawnCli(args, dir.path() / "killed.log");
    ASSERT_GT(child, 0);
    bool exited = false;
    const bool committed = waitForFirstCommit(db, child, exited);
    if (!exited) kill(child, SIGKILL);
    int status = 0;
    if (!exited) waitpid(child, &status, 0);
    ASSERT_TRUE(committed) << (exited ? "the run ended before a commit was seen" : "no commit within 120 s");
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the run finished before it was killed";

    std::vector<gs::RunInfo> before;
    ASSERT_TRUE(readRuns(db, before));
    std::int64_t complete = 1200, written = 0;  // sentences in every run; results present
    for (const auto& r : before) {
        EXPECT_EQ(r.state, gs::RunState::Running);
        complete = std::min(complete, r.results);
        written += r.results;
    }
    ASSERT_LT(complete, 1200);

    RunResult r = runCliStdout("run --model " + quote((dir.path() / "model").string()) + " --pairs " +
                               quote(pairs.string()) + " --db " + quote(db.string()) + " --analyses all --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["sentences"], 1200);
    EXPECT_EQ(j["cached"], complete);
    EXPECT_EQ(j["computed"], 1200 - complete);
    EXPECT_EQ(j["results_written"], 4 * 1200 - written);
    std::vector<gs::RunInfo> after;
    ASSERT_TRUE(readRuns(db, after));
    ASSERT_EQ(after.size(), 4u);
    for (const auto& run : after) {
        EXPECT_EQ(run.state, gs::RunState::Complete);
        EXPECT_EQ(run.results, 1200);
    }
}

// Ctrl+C: the batch in flight is saved, exit code 130, the rerun resumes.
TEST(CliRun, InterruptCancelsAfterTheBatchAndResumes) {
    TempDir dir;
    ASSERT_TRUE(gs::testing::writeRandomCheckpoint(dir.path() / "model", FixtureOptions{}).isOk());
    const auto pairs = writePairs(dir.path(), 600);
    const auto db = dir.path() / "results.sqlite";
    const auto log = dir.path() / "interrupted.log";
    const pid_t child = spawnCli({"run", "--model", (dir.path() / "model").string(), "--pairs", pairs.string(), "--db",
                                  db.string(), "--analyses", "hidden-norm,surprisal", "--batch-size", "2"},
                                 log);
    ASSERT_GT(child, 0);
    bool exited = false;
    const bool committed = waitForFirstCommit(db, child, exited);
    if (!exited) kill(child, SIGINT);
    int status = 0;
    if (!exited) waitpid(child, &status, 0);
    ASSERT_TRUE(committed && !exited);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("run the same command again to resume"), std::string::npos) << text;
    std::vector<gs::RunInfo> runs;
    ASSERT_TRUE(readRuns(db, runs));
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].results, runs[1].results);  // whole batches only: both runs got each one
    RunResult r = runCliStdout("run --model " + quote((dir.path() / "model").string()) + " --pairs " +
                               quote(pairs.string()) + " --db " + quote(db.string()) +
                               " --analyses hidden-norm,surprisal --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["cached"], runs[0].results);
    EXPECT_EQ(j["computed"], 1200 - runs[0].results);
}

} // namespace
