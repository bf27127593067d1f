// grammascope-cli localize on the shipped demo model and its polypersonal
// pairs: a short training run stopped and resumed, diff marks the layer,
// activity reports JSON with the localized row, --sentence prints the token x
// layer distances, and bad input gives exit codes 1 / 2 with the problem named.

#include "checkpoint_fixture.h"
#include "cli_process.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

using gs::testing::TempDir;

namespace {

const std::filesystem::path kDemo = GRAMMASCOPE_DEMO_DIR;

std::string q(const std::string& s) { return gs::testing::shellQuote(s); }
gs::testing::CliResult cli(const std::string& args) { return gs::testing::runCliWith(args, "2>&1"); }
gs::testing::CliResult cliOut(const std::string& args) { return gs::testing::runCliWith(args, "2>/dev/null"); }

TEST(CliLocalize, TrainResumeDiffActivity) {
    TempDir dir("gs-cli-localize");
    const std::string out = (dir.path() / "loc").string();
    const std::string common = "localize train --parent " + q((kDemo / "model").string()) + " --pairs " +
                               q((kDemo / "pairs.csv").string()) +
                               " --phenomenon polypersonal_agreement --layer 1 --lr 1e-4 --batch 4 "
                               "--save-every 5 --threads 1 --out " + q(out);
    // A run whose folder already holds a state is refused without --resume.
    auto first = cliOut(common + " --steps 6");  // warm-up 0 (10% of 6), kept when resuming
    ASSERT_EQ(first.exitCode, 0) << first.out;
    auto refused = cli(common + " --steps 12");
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_NE(refused.out.find("--resume"), std::string::npos) << refused.out;
    auto resumed = cliOut(common + " --steps 12 --resume");
    ASSERT_EQ(resumed.exitCode, 0) << resumed.out;
    const auto summary = nlohmann::json::parse(resumed.out);
    EXPECT_EQ(summary.at("steps"), 12);
    EXPECT_EQ(summary.at("resumed_from"), 6);
    EXPECT_EQ(summary.at("layer"), 1);

    auto diff = cliOut("localize diff " + q((kDemo / "model").string()) + " " + q(out) + " --json -");
    ASSERT_EQ(diff.exitCode, 0) << diff.out;
    const auto d = nlohmann::json::parse(diff.out);
    EXPECT_EQ(d.at("localized_layer"), 1);
    EXPECT_EQ(d.at("layers").at(0).at("relative_change"), 0.0);

    auto activity = cliOut("localize activity --model " + q(out) + " --pairs " + q((kDemo / "pairs.csv").string()) +
                           " --phenomenon polypersonal_agreement --max-pairs 20 --bootstrap 100 --threads 1 --json -");
    ASSERT_EQ(activity.exitCode, 0) << activity.out;
    const auto a = nlohmann::json::parse(activity.out);
    EXPECT_EQ(a.at("layer"), 1);
    EXPECT_EQ(a.at("pairs"), 20);
    EXPECT_EQ(a.at("l2").at(1).at("category_mean"), 0.0);  // row 1 = output of layer 0: unchanged
    EXPECT_GT(a.at("l2").at(2).at("category_mean").get<double>(), 0.0);
    EXPECT_TRUE(a.contains("ablation"));

    auto sentence = cli("localize activity --model " + q(out) + " --sentence " + q("Сёстры откроютете книги.") +
                        " --threads 1");
    ASSERT_EQ(sentence.exitCode, 0) << sentence.out;
    EXPECT_NE(sentence.out.find("L2 distance to the parent"), std::string::npos) << sentence.out;
    EXPECT_NE(sentence.out.find("ablation (layer 1 restored"), std::string::npos) << sentence.out;

    auto pair = cliOut("localize activity --model " + q(out) + " --pairs " + q((kDemo / "pairs.csv").string()) +
                       " --pair polypersonal_agreement-0002-artificial --threads 1 --json -");
    ASSERT_EQ(pair.exitCode, 0) << pair.out;
    const auto p = nlohmann::json::parse(pair.out);
    EXPECT_EQ(p.at("bad").at("l2").at("rows").size(), 5u);
    bool category = false;
    for (const auto& t : p.at("ablation")) category = category || t.at("category").get<bool>();
    EXPECT_TRUE(category);

    const std::string reportArgs = "localize report --model " + q(out) + " --pairs " + q((kDemo / "pairs.csv").string()) +
                                   " --phenomenon polypersonal_agreement --max-pairs 6 --max-standard 20 --bootstrap 100"
                                   " --threads 1";
    auto report = cliOut(reportArgs + " --no-probes --json -");
    ASSERT_EQ(report.exitCode, 0) << report.out;
    const auto r = nlohmann::json::parse(report.out);
    EXPECT_EQ(r.at("diff").at("localized_layer"), 1);
    EXPECT_EQ(r.at("layer"), 1);
    EXPECT_EQ(r.at("layer_source"), "recorded");
    EXPECT_EQ(r.at("pseudo_perplexity").at("sentences"), 20);
    EXPECT_GT(r.at("pseudo_perplexity").at("ratio").get<double>(), 0.0);
    for (const char* c : {"standard_language", "active_on_category", "category_needs_layer"})
        EXPECT_TRUE(r.at("criteria").at(c).contains("pass")) << c;
    EXPECT_TRUE(r.at("probes").empty());
    const auto md = dir.path() / "report.md";
    auto people = cli(reportArgs + " --markdown " + q(md.string()));
    ASSERT_EQ(people.exitCode, 0) << people.out;
    EXPECT_NE(people.out.find("(a) Standard language kept?"), std::string::npos) << people.out;
    EXPECT_NE(people.out.find("| emb |"), std::string::npos) << people.out;  // the probe table
    EXPECT_TRUE(std::filesystem::exists(md));
}

TEST(CliLocalize, BadInput) {
    TempDir dir("gs-cli-localize-bad");
    auto badLayer = cli("localize train --parent " + q((kDemo / "model").string()) + " --pairs " +
                        q((kDemo / "pairs.csv").string()) + " --layer 9 --steps 1 --threads 1 --out " +
                        q((dir.path() / "x").string()));
    EXPECT_EQ(badLayer.exitCode, 1);
    EXPECT_NE(badLayer.out.find("layer 9 does not exist"), std::string::npos) << badLayer.out;
    auto missing = cli("localize train --parent " + q((kDemo / "model").string()));
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.out.find("--pairs"), std::string::npos) << missing.out;
    auto badPool = cli("localize train --parent a --pairs b --out c --pool some");
    EXPECT_EQ(badPool.exitCode, 2);
    auto unknown = cli("localize frobnicate");
    EXPECT_EQ(unknown.exitCode, 2);
    auto diffArgs = cli("localize diff onlyone");
    EXPECT_EQ(diffArgs.exitCode, 2);
}

} // namespace
