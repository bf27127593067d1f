// The localization report (localize_report.h) on random checkpoints: a
// "localized" model that is the parent with encoder layer 1 taken from
// another random checkpoint is found by the diff (layer 1), and every number
// is in range; a model identical to its parent answers (a) yes with a ratio
// of exactly 1, (b) and (c) no with zero activity and zero ablation change,
// and equal probe accuracies with and without the layer; bad input is named.

#include "checkpoint_fixture.h"
#include "pair_fixtures.h"
#include "grammascope/localize_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

using namespace gs;
using gs::testing::FixtureOptions;
using gs::testing::TempDir;

namespace {

namespace fs = std::filesystem;

struct Checkpoints {
    TempDir dir{"gs-localize-report"};
    fs::path parent, donor;
    Checkpoints() {
        FixtureOptions o;
        o.numLayers = 3;
        parent = dir.path() / "parent";
        donor = dir.path() / "donor";
        EXPECT_TRUE(gs::testing::writeRandomCheckpoint(parent, o).isOk());
        o.seed = 99;
        EXPECT_TRUE(gs::testing::writeRandomCheckpoint(donor, o).isOk());
    }
};

LocalizationReportOptions optionsFor(const fs::path& parent, const fs::path& localized) {
    LocalizationReportOptions o;
    o.parentDir = parent;
    o.localizedDir = localized;
    o.pairs = gs::testing::parseTestDataset(gs::testing::smallPairsCsv(48, 2), DatasetFormat::GrammascopeCsv, "p.csv");
    o.phenomenon = "polypersonal_agreement";
    o.maxStandardSentences = 24;
    o.bootstrapSamples = 200;
    o.modelOptions.device = DevicePreference::Cpu;
    o.modelOptions.threads = 1;
    return o;
}

} // namespace

TEST(LocalizationReport, FindsTheSwappedLayerAndReportsEveryCriterion) {
    Checkpoints c;
    const fs::path localized = c.dir.path() / "localized";
    ASSERT_TRUE(writeLayerSwappedCheckpoint(c.parent, c.donor, 1, localized).isOk());
    LocalizationReport r;
    std::vector<std::string> stages;
    const Status st = buildLocalizationReport(optionsFor(c.parent, localized), r,
                                              [&](const std::string& stage, std::int64_t, std::int64_t) {
                                                  if (stages.empty() || stages.back() != stage) stages.push_back(stage);
                                                  return true;
                                              });
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(r.layer, 1);
    EXPECT_EQ(r.layerSource, "diff");
    EXPECT_GT(r.parentPppl, 1.0);
    EXPECT_GT(r.localizedPppl, 1.0);
    EXPECT_DOUBLE_EQ(r.pppLRatio, r.localizedPppl / r.parentPppl);
    EXPECT_EQ(r.standardSentences, 24);
    EXPECT_EQ(r.probeTask, "polypersonal");
    ASSERT_EQ(r.probes.size(), 4u);  // embeddings + 3 layers
    // Below the swapped layer the two models are the same: equal probes.
    for (const auto& p : r.probes) {
        EXPECT_GE(p.localizedAccuracy, 0.0);
        EXPECT_LE(p.localizedAccuracy, 1.0);
        if (p.row <= 1) {
            EXPECT_DOUBLE_EQ(p.localizedAccuracy, p.ablatedAccuracy) << p.row;
        }
    }
    ASSERT_EQ(r.activity.l2.size(), 4u);
    EXPECT_EQ(r.activity.l2[1].categoryMean, 0.0);  // row 1 = output of layer 0: unchanged
    EXPECT_GT(r.activity.l2[2].categoryMean, 0.0);  // row 2 = output of layer 1: changed
    EXPECT_TRUE(r.activity.ablation.computed);
    EXPECT_FALSE(r.standardLanguage.summary.empty());
    EXPECT_FALSE(r.activeOnCategory.summary.empty());
    EXPECT_FALSE(r.categoryNeedsLayer.summary.empty());
    // The probe sentence names the direction of the change, never a negative loss.
    double drop = 0;
    for (const auto& p : r.probes)
        if (p.row >= 2) drop += (p.localizedAccuracy - p.ablatedAccuracy) / 2;
    const std::string said = std::fabs(100 * drop) < 0.05 ? "keeps its accuracy" : drop > 0 ? "loses " : "gains ";
    EXPECT_NE(r.categoryNeedsLayer.summary.find(said), std::string::npos) << r.categoryNeedsLayer.summary;
    EXPECT_EQ(r.categoryNeedsLayer.summary.find("loses -"), std::string::npos) << r.categoryNeedsLayer.summary;
    EXPECT_EQ(r.categoryNeedsLayer.summary.find("gains -"), std::string::npos) << r.categoryNeedsLayer.summary;
    EXPECT_EQ(r.categoryNeedsLayer.summary.find("rises by -"), std::string::npos) << r.categoryNeedsLayer.summary;
    EXPECT_NE(std::find(stages.begin(), stages.end(), "probes, ablated model"), stages.end());

    const auto j = nlohmann::json::parse(localizationReportJson(r));
    EXPECT_EQ(j["layer"], 1);
    EXPECT_EQ(j["probes"].size(), 4u);
    EXPECT_TRUE(j["criteria"]["standard_language"].contains("pass"));
    const std::string md = localizationReportMarkdown(r);
    EXPECT_NE(md.find("(a) Standard language kept?"), std::string::npos);
    EXPECT_NE(md.find("| emb |"), std::string::npos);
}

TEST(LocalizationReport, AnUnchangedModelIsNotLocalized) {
    Checkpoints c;
    const fs::path copy = c.dir.path() / "copy";
    // Layer 1 of the parent into the parent: the same weights.
    ASSERT_TRUE(writeLayerSwappedCheckpoint(c.parent, c.parent, 1, copy).isOk());
    LocalizationReport r;
    auto o = optionsFor(c.parent, copy);
    const Status noLayer = buildLocalizationReport(o, r);
    ASSERT_FALSE(noLayer.isOk());
    EXPECT_NE(noLayer.message().find("give the layer"), std::string::npos) << noLayer.message();

    o.layer = 1;
    const Status st = buildLocalizationReport(o, r);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(r.layerSource, "option");
    EXPECT_DOUBLE_EQ(r.pppLRatio, 1.0);
    EXPECT_TRUE(r.standardLanguage.pass);
    EXPECT_FALSE(r.activeOnCategory.pass);
    EXPECT_FALSE(r.categoryNeedsLayer.pass);
    for (const auto& s : r.activity.l2) EXPECT_EQ(s.categoryMean, 0.0);
    EXPECT_EQ(r.activity.ablation.categoryChange.estimate, 0.0);
    for (const auto& p : r.probes) EXPECT_DOUBLE_EQ(p.localizedAccuracy, p.ablatedAccuracy) << p.row;
}

TEST(LocalizationReport, BadInputIsNamed) {
    Checkpoints c;
    const fs::path localized = c.dir.path() / "localized";
    ASSERT_TRUE(writeLayerSwappedCheckpoint(c.parent, c.donor, 1, localized).isOk());
    LocalizationReport r;
    auto o = optionsFor(c.parent, localized);
    o.phenomenon = "no_such_phenomenon";
    Status st = buildLocalizationReport(o, r);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("no_such_phenomenon"), std::string::npos) << st.message();
    o = optionsFor(c.parent, c.dir.path() / "missing");
    st = buildLocalizationReport(o, r);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("missing"), std::string::npos) << st.message();
    // Cancelled from the progress callback.
    o = optionsFor(c.parent, localized);
    st = buildLocalizationReport(o, r, [](const std::string& stage, std::int64_t, std::int64_t) {
        return stage != "activity and ablation";
    });
    EXPECT_TRUE(st.isCancelled()) << st.message();
}
