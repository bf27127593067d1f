// grammascope-cli sae on the shipped demo model and a slice of the demo pairs:
// train two layers with few steps (the JSON has per-layer L0, FVU, dead
// fraction and loss recovered in range, the SAELens folders are written), a
// second run comes from the store, list / export / import / eval / features /
// delete work, and a
// bad option is a usage error.

#include "checkpoint_fixture.h"
#include "cli_process.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using gs::testing::TempDir;

namespace {

const std::filesystem::path kDemo = GRAMMASCOPE_DEMO_DIR;

std::string q(const std::string& s) { return gs::testing::shellQuote(s); }

gs::testing::CliResult cli(const std::string& args) { return gs::testing::runCliWith(args, "2>&1"); }

void writeSlice(const std::filesystem::path& file, int step, int count) {
    std::ifstream in(kDemo / "pairs.csv", std::ios::binary);
    std::ofstream out(file, std::ios::binary);
    std::string line;
    std::getline(in, line);
    out << line << "\n";
    int i = 0, kept = 0;
    while (kept < count && std::getline(in, line))
        if (i++ % step == 0) {
            out << line << "\n";
            ++kept;
        }
}

nlohmann::json readJson(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return nlohmann::json::parse(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

} // namespace

TEST(CliSae, TrainTwoLayersOnTheDemoModel) {
    if (!std::filesystem::exists(kDemo / "model" / "model.safetensors")) GTEST_SKIP() << "no demo model";
    TempDir dir("gs-cli-sae");
    const auto pairs = dir.path() / "slice.csv";
    writeSlice(pairs, 18, 150);
    const std::string db = " --db " + q((dir.path() / "r.sqlite").string());
    const std::string model = " --model " + q((kDemo / "model").string());
    const std::string train = "sae train" + model + " --pairs " + q(pairs.string()) + db +
                              " --threads 1 --layers 1,3 --dict 512 --k 16 --steps 60 --batch 256 --lr 1e-3"
                              " --splice-sentences 30";
    const auto report = dir.path() / "m.json";
    const auto exported = dir.path() / "export";
    auto r = cli(train + " --out " + q(report.string()) + " --export " + q(exported.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("recovered"), std::string::npos) << r.out;

    const auto j = readJson(report);
    EXPECT_EQ(j["reused"], false);
    ASSERT_EQ(j["layers"].size(), 2u);
    const int hidden = readJson(kDemo / "model" / "config.json")["hidden_size"].get<int>();
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& l = j["layers"][i];
        EXPECT_EQ(l["layer"], i == 0 ? 1 : 3);
        EXPECT_EQ(l["sae"]["d_in"], hidden);
        EXPECT_EQ(l["sae"]["d_sae"], 512);
        const auto& m = l["metrics"];
        EXPECT_GT(m["rows"].get<int>(), 0);
        EXPECT_GT(m["l0"].get<double>(), 0);
        EXPECT_LE(m["l0"].get<double>(), 16.0 + 1e-9);
        EXPECT_GT(m["fvu"].get<double>(), 0);
        EXPECT_LT(m["fvu"].get<double>(), 1);
        EXPECT_GE(m["dead_fraction"].get<double>(), 0);
        EXPECT_LE(m["dead_fraction"].get<double>(), 1);
        const auto& s = l["splice"];
        EXPECT_GT(s["ce_zero"].get<double>(), s["ce_clean"].get<double>());
        EXPECT_GT(s["loss_recovered"].get<double>(), 0);
        EXPECT_LE(s["loss_recovered"].get<double>(), 1.05);
        EXPECT_TRUE(std::filesystem::exists(exported / ("layer_" + std::to_string(l["layer"].get<int>())) / "cfg.json"));
        EXPECT_TRUE(std::filesystem::exists(exported / ("layer_" + std::to_string(l["layer"].get<int>())) /
                                            "sae_weights.safetensors"));
    }

    r = cli(train + " --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("\"reused\": true"), std::string::npos) << r.out;

    r = cli("sae list" + db);
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find(j["name"].get<std::string>()), std::string::npos) << r.out;

    const auto again = dir.path() / "again";
    r = cli("sae export --latest " + q(again.string()) + db);
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(std::filesystem::exists(again / "layer_3" / "sae_weights.safetensors"));

    r = cli("sae import " + q(exported.string()) + model + db + " --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("\"imported\": true"), std::string::npos) << r.out;

    const auto eval = dir.path() / "eval.json";
    r = cli("sae eval" + model + " --pairs " + q(pairs.string()) + db + " --threads 1 --splice-sentences 20 --name " +
            q(j["name"].get<std::string>()) + " --out " + q(eval.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto e = readJson(eval);
    ASSERT_EQ(e["layers"].size(), 2u);
    EXPECT_GT(e["layers"][0]["splice"]["loss_recovered"].get<double>(), 0);

    // The feature browser: the most frequent features with their contexts.
    const auto feats = dir.path() / "features.json";
    const std::string name = " --name " + q(j["name"].get<std::string>());
    r = cli("sae features" + model + " --pairs " + q(pairs.string()) + db + name +
            " --threads 1 --layer 3 --top 4 --contexts 3 --out " + q(feats.string()));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("nearest:"), std::string::npos) << r.out;
    const auto fj = readJson(feats);
    ASSERT_EQ(fj["features"].size(), 4u);
    std::int64_t previous = -1;
    for (const auto& f : fj["features"]) {
        const auto fires = f["fire_count"].get<std::int64_t>();
        if (previous >= 0) {
            EXPECT_LE(fires, previous);
        }
        previous = fires;
        EXPECT_GT(fires, 0);
        ASSERT_EQ(f["top_contexts"].size(), 3u);
        for (const auto& c : f["top_contexts"]) {
            const auto sentence = c["sentence"].get<std::string>();
            const auto token = c["token"].get<std::string>();
            EXPECT_FALSE(token.empty());
            EXPECT_EQ(sentence.substr(c["byte_begin"].get<std::size_t>(), token.size()), token);
            EXPECT_LE(c["activation"].get<double>(), f["max_activation"].get<double>() + 1e-6);
        }
        EXPECT_EQ(f["nearest_by_decoder_cosine"].size(), 5u);
    }
    EXPECT_EQ(cli("sae features" + model + " --pairs " + q(pairs.string()) + db + name + " --layer 2").exitCode, 1);
    EXPECT_EQ(cli("sae features" + model + " --pairs " + q(pairs.string()) + db + name + " --layer 3 --features 600").exitCode, 2);

    // Deleting: the set is gone from the list.
    r = cli("sae delete" + name + db);
    ASSERT_EQ(r.exitCode, 0) << r.out;
    r = cli("sae list --json" + db);
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(r.out.find(j["name"].get<std::string>()), std::string::npos) << r.out;
    EXPECT_EQ(cli("sae delete" + name + db).exitCode, 1);

    EXPECT_EQ(cli("sae train" + model + " --pairs " + q(pairs.string()) + db + " --kind nope").exitCode, 2);
    EXPECT_EQ(cli("sae frobnicate").exitCode, 2);
}
