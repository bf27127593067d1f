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
