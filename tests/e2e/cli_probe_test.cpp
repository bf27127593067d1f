// grammascope-cli probe on the shipped demo model and a slice of the demo
// pairs, as a user runs it: the JSON report has a row per layer with values
// in range, a second run comes from the store, the export and the
// confidences are written, and a task the dataset cannot give is an error.

#include "checkpoint_fixture.h"
#include "cli_process.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using gs::testing::TempDir;

namespace {

const std::filesystem::path kDemo = GRAMMASCOPE_DEMO_DIR;

using CliRun = gs::testing::CliResult;

std::string quoted(const std::string& s) { return gs::testing::shellQuote(s); }

CliRun cli(const std::string& args, const char* redirect = "2>/dev/null") {
    return gs::testing::runCliWith(args, redirect);
}

// The header and every `step`-th pair of the demo file (all phenomena, the
// polypersonal ones among them), written to `file`.
void writeSlice(const std::filesystem::path& file, int step, int count) {
    std::ifstream in(kDemo / "pairs.csv", std::ios::binary);
    std::ofstream out(file, std::ios::binary);
    std::string line;
    std::getline(in, line);
    out << line << "\n";
    int i = 0, kept = 0;
    while (kept < count && std::getline(in, line)) {
        if (i++ % step == 0) {
            out << line << "\n";
            ++kept;
        }
    }
}

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool inUnit(const nlohmann::json& v) { return v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 1; }

TEST(CliProbe, DemoModelReportHasARowPerLayerInRange) {
    if (!std::filesystem::exists(kDemo / "model" / "model.safetensors")) GTEST_SKIP() << "no demo model";
    TempDir dir("gs-cli-probe");
    const auto pairs = dir.path() / "slice.csv";
    writeSlice(pairs, 18, 150);  // 9 phenomena in blocks of 300: every 18th pair walks through all of them
    const std::string common = "probe --model " + quoted((kDemo / "model").string()) + " --pairs " +
                               quoted(pairs.string()) + " --db " + quoted((dir.path() / "r.sqlite").string()) +
                               " --threads 1 --slices 50";
    const auto report = dir.path() / "report.json";
    CliRun r = cli(common + " --task changed --out " + quoted(report.string()) + " --export " +
                   quoted((dir.path() / "export").string()) + " --confidence-out " +
                   quoted((dir.path() / "conf.json").string()) + " --sentence " + quoted("Мама любит меня."));
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("layer"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("emb"), std::string::npos) << r.out;

    const auto j = nlohmann::json::parse(readText(report));
    EXPECT_EQ(j["task"]["task"], "changed");
    EXPECT_EQ(j["classes"], nlohmann::json({"no", "yes"}));
    EXPECT_EQ(j["reused"], false);
    ASSERT_EQ(j["reports"].size(), 5u);  // embeddings + 4 layers
    for (std::size_t l = 0; l < 5; ++l) {
        const auto& row = j["reports"][l];
        EXPECT_EQ(row["layer"], static_cast<int>(l));
        for (const char* key : {"accuracy", "macro_f1", "majority", "random_accuracy", "control_accuracy"})
            EXPECT_TRUE(inUnit(row[key])) << key << " layer " << l << ": " << row[key];
        EXPECT_GE(row["accuracy"].get<double>(), row["majority"].get<double>() - 0.05) << l;
        // Random vectors carry nothing but the label distribution: about majority at best.
        EXPECT_LE(row["random_accuracy"].get<double>(), row["majority"].get<double>() + 0.02) << l;
        EXPECT_EQ(row["random_accuracy"], j["reports"][0]["random_accuracy"]) << l;
        EXPECT_NEAR(row["selectivity"].get<double>(),
                    row["accuracy"].get<double>() - row["control_accuracy"].get<double>(), 1e-9);
        EXPECT_LE(row["information_bits"].get<double>(), row["label_entropy_bits"].get<double>() + 1e-9);
        EXPECT_GT(row["mdl_bits"].get<double>(), 0);
        EXPECT_GT(row["mdl_compression"].get<double>(), 0);
        EXPECT_TRUE(row["sliced_mi_bits"].is_number());
        EXPECT_GT(row["test_rows"].get<int>(), 0);
    }
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "export" / "probes.safetensors"));
    const auto conf = nlohmann::json::parse(readText(dir.path() / "conf.json"));
    ASSERT_EQ(conf["sentences"].size(), 1u);
    const auto& values = conf["sentences"][0]["confidence"]["yes"];
    ASSERT_EQ(values.size(), 5u);
    EXPECT_EQ(values[0].size(), conf["sentences"][0]["tokens"].size());
    for (const auto& row : values)
        for (const auto& v : row) EXPECT_TRUE(inUnit(v)) << v;

    // The same command again: the stored set, nothing trained.
    r = cli(common + " --task changed --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto again = nlohmann::json::parse(r.out);
    EXPECT_EQ(again["reused"], true);
    EXPECT_EQ(again["reports"], j["reports"]);

    // The polypersonal verb forms, on two layers only, as word units.
    r = cli(common + " --task polypersonal --unit word --layers 0,3-4 --json");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto poly = nlohmann::json::parse(r.out);
    ASSERT_EQ(poly["reports"].size(), 3u);
    EXPECT_EQ(poly["reports"][1]["layer"], 3);
    EXPECT_EQ(poly["task"]["unit"], "word");
    for (const auto& row : poly["reports"]) EXPECT_TRUE(inUnit(row["accuracy"]));
}

TEST(CliProbe, UsageAndDatasetErrors) {
    TempDir dir("gs-cli-probe");
    EXPECT_EQ(cli("probe --help").exitCode, 0);
    EXPECT_EQ(cli("probe --model x --pairs y").exitCode, 2);                 // no task
    EXPECT_EQ(cli("probe --model x --pairs y --task nonsense").exitCode, 2);
    EXPECT_EQ(cli("probe --model x --pairs y --task changed --layers 3-1").exitCode, 2);
    EXPECT_EQ(cli("probe --model x --pairs y --task changed --unit phrase").exitCode, 2);
    if (!std::filesystem::exists(kDemo / "model" / "model.safetensors")) return;
    const auto text = dir.path() / "lines.txt";
    std::ofstream(text) << "Мама мыла раму.\nКот спал.\n";
    const CliRun r = cli("probe --model " + quoted((kDemo / "model").string()) + " --pairs " + quoted(text.string()) +
                             " --db " + quoted((dir.path() / "r.sqlite").string()) + " --task changed --threads 1",
                         "2>&1");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("needs minimal pairs"), std::string::npos) << r.out;
}

} // namespace
