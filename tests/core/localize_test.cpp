// Localized layers (localize.h): training changes only layer L and pushes the
// pairs apart, a resumed run equals an uninterrupted one, diff finds the
// layer, hidden states agree exactly below it, the ablated model is the
// parent, and bad input is named.

#include "checkpoint_fixture.h"
#include "grammascope/localize.h"
#include "grammascope/model.h"
#include "grammascope/weights.h"
#include "localize/localize_internal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

namespace gs {
namespace {

namespace fs = std::filesystem;
using testing::FixtureOptions;
using testing::TempDir;

constexpr int kLayer = 1;

const char* kPairsCsv =
    "id,phenomenon,good,bad,good_word,bad_word,word_index\n"
    "p1,polypersonal,мама мыла раму.,мама мылает раму.,мыла,мылает,1\n"
    "p2,polypersonal,она делала кашу.,она делалает кашу.,делала,делалает,1\n"
    "p3,polypersonal,мальчик читает книгу.,мальчик читаетет книгу.,читает,читаетет,1\n"
    "p4,polypersonal,девочка видела дом.,девочка виделает дом.,видела,виделает,1\n"
    "p5,polypersonal,кот видел ёж.,кот виделет ёж.,видел,виделет,1\n"
    "p6,polypersonal,мама видела кота.,мама виделает кота.,видела,виделает,1\n"
    "p7,polypersonal,она читает книгу.,она читаетет книгу.,читает,читаетет,1\n"
    "p8,polypersonal,мальчик видел маму.,мальчик виделет маму.,видел,виделет,1\n"
    "n1,other,кот спал.,кот спала.,спал,спала,1\n";

Dataset pairsDataset() {
    Dataset d;
    const Status st = parseDataset(kPairsCsv, "pairs.csv", {}, d);
    EXPECT_TRUE(st.isOk()) << st.message();
    return d;
}

LocalizeTrainOptions baseOptions(const fs::path& parent, const fs::path& out) {
    LocalizeTrainOptions o;
    o.parentDir = parent;
    o.outDir = out;
    o.pairs = pairsDataset();
    o.phenomenon = "polypersonal";
    o.layer = kLayer;
    o.steps = 30;
    o.batchPairs = 4;
    o.learningRate = 1e-3;
    o.wCos = 1.0;
    o.wMlm = 0.1;
    o.mlmEvery = 5;
    o.warmupSteps = 2;
    o.dropout = 0;
    o.threads = 1;
    o.saveEvery = 0;
    o.seed = 7;
    return o;
}

std::shared_ptr<const Model> load(const fs::path& dir) {
    ModelOptions mo;
    mo.device = DevicePreference::Cpu;
    mo.threads = 1;
    std::shared_ptr<const Model> m;
    const Status st = Model::load(dir, mo, m);
    EXPECT_TRUE(st.isOk()) << st.message();
    return m;
}

// mean(max(0, cos(h_good, h_bad))) with h = mean over the tokens of row `row`.
double cosLoss(const Model& m, const Dataset& d, int row) {
    double sum = 0;
    int n = 0;
    for (const auto& it : d.items) {
        if (it.phenomenon != "polypersonal") continue;
        EncodeResult g, b;
        EXPECT_TRUE(m.encode(it.good.text, {}, g).isOk());
        EXPECT_TRUE(m.encode(it.bad.text, {}, b).isOk());
        std::vector<double> hg(static_cast<std::size_t>(g.hiddenSize), 0), hb(hg.size(), 0);
        for (std::int64_t t = 0; t < g.numTokens; ++t)
            for (std::int64_t k = 0; k < g.hiddenSize; ++k) hg[static_cast<std::size_t>(k)] += g.hiddenAt(row, t)[k] / static_cast<double>(g.numTokens);
        for (std::int64_t t = 0; t < b.numTokens; ++t)
            for (std::int64_t k = 0; k < b.hiddenSize; ++k) hb[static_cast<std::size_t>(k)] += b.hiddenAt(row, t)[k] / static_cast<double>(b.numTokens);
        double ab = 0, aa = 0, bb = 0;
        for (std::size_t k = 0; k < hg.size(); ++k) {
            ab += hg[k] * hb[k];
            aa += hg[k] * hg[k];
            bb += hb[k] * hb[k];
        }
        sum += std::max(0.0, ab / std::sqrt(aa * bb));
        ++n;
    }
    return sum / n;
}

bool sameBytes(const WeightStore& a, const WeightStore& b, const std::string& name) {
    std::span<const std::byte> x, y;
    if (!a.rawData(name, x).isOk() || !b.rawData(name, y).isOk()) return false;
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size()) == 0;
}

class LocalizeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new TempDir("gs-localize");
        FixtureOptions fo;
        fo.numLayers = 3;
        fo.seed = 11;
        ASSERT_TRUE(testing::writeRandomCheckpoint(parentDir(), fo).isOk());
        LocalizeTrainSummary summary;
        const Status st = trainLocalizedLayer(baseOptions(parentDir(), localizedDir()), {}, summary);
        ASSERT_TRUE(st.isOk()) << st.message();
        s_summary = summary;
    }
    static void TearDownTestSuite() {
        delete s_dir;
        s_dir = nullptr;
    }
    static fs::path parentDir() { return s_dir->path() / "parent"; }
    static fs::path localizedDir() { return s_dir->path() / "localized"; }
    static TempDir* s_dir;
    static LocalizeTrainSummary s_summary;
};
TempDir* LocalizeTest::s_dir = nullptr;
LocalizeTrainSummary LocalizeTest::s_summary;

TEST_F(LocalizeTest, OnlyLayerLChangesAndTheCheckpointLoads) {
    EXPECT_EQ(s_summary.layer, kLayer);
    EXPECT_EQ(s_summary.steps, 30);
    EXPECT_EQ(s_summary.pairs, 8);  // the "other" pair filtered out
    WeightStore parent, child;
    ASSERT_TRUE(WeightStore::openDirectory(parentDir(), parent).isOk());
    ASSERT_TRUE(WeightStore::openDirectory(localizedDir(), child).isOk());
    ASSERT_EQ(parent.tensors().size(), child.tensors().size());
    int changedInLayer = 0;
    for (const auto& info : parent.tensors()) {
        ASSERT_NE(child.find(info.name), nullptr) << info.name;
        const bool same = sameBytes(parent, child, info.name);
        if (detail::tensorLayerIndex(info.name) == kLayer) changedInLayer += same ? 0 : 1;
        else EXPECT_TRUE(same) << info.name << " changed outside layer " << kLayer;
    }
    EXPECT_GE(changedInLayer, 12);  // weights, biases, LayerNorms of the layer all move
    auto model = load(localizedDir());
    ASSERT_TRUE(model);
    EXPECT_TRUE(model->info().hasMlmHead);
    LocalizedCheckpointInfo info;
    ASSERT_TRUE(readLocalizedCheckpointInfo(localizedDir(), info).isOk());
    EXPECT_EQ(info.layer, kLayer);
    EXPECT_EQ(info.steps, 30);
    EXPECT_EQ(fs::weakly_canonical(info.parentDir), fs::weakly_canonical(parentDir()));
    EXPECT_FALSE(info.parentFingerprint.empty());
    EXPECT_TRUE(fs::exists(localizedDir() / "vocab.txt"));
}

TEST_F(LocalizeTest, CosineLossOnTheTrainingPairsDecreases) {
    const Dataset d = pairsDataset();
    const double before = cosLoss(*load(parentDir()), d, kLayer + 1);
    const double after = cosLoss(*load(localizedDir()), d, kLayer + 1);
    EXPECT_LT(after, before - 0.01) << "before " << before << ", after " << after;
    EXPECT_LT(s_summary.meanCosLossLast, s_summary.firstCosLoss);
}

TEST_F(LocalizeTest, ResumedRunEqualsUninterruptedRun) {
    TempDir dir("gs-localize-resume");
    auto o = baseOptions(parentDir(), dir.path() / "a");
    o.steps = 16;
    o.dropout = 0.1;  // the dropout masks must repeat too
    LocalizeTrainSummary sa, sb;
    ASSERT_TRUE(trainLocalizedLayer(o, {}, sa).isOk());

    o.outDir = dir.path() / "b";
    const Status stopped = trainLocalizedLayer(o, [](const LocalizeTrainProgress& p) { return p.step != 7; }, sb);
    ASSERT_TRUE(stopped.isCancelled()) << stopped.message();
    EXPECT_EQ(sb.steps, 7);
    // Without resume the folder is refused.
    const Status refused = trainLocalizedLayer(o, {}, sb);
    EXPECT_TRUE(refused.isFailed());
    EXPECT_NE(refused.message().find("already holds"), std::string::npos) << refused.message();
    o.resume = true;
    const Status resumed = trainLocalizedLayer(o, {}, sb);
    ASSERT_TRUE(resumed.isOk()) << resumed.message();
    EXPECT_EQ(sb.startStep, 7);
    EXPECT_EQ(sb.steps, 16);

    WeightStore a, b;
    ASSERT_TRUE(WeightStore::openDirectory(dir.path() / "a", a).isOk());
    ASSERT_TRUE(WeightStore::openDirectory(dir.path() / "b", b).isOk());
    double maxDiff = 0;
    for (const auto& info : a.tensors()) {
        std::vector<float> x, y;
        ASSERT_TRUE(a.readFloat32(info.name, x).isOk());
        ASSERT_TRUE(b.readFloat32(info.name, y).isOk());
        ASSERT_EQ(x.size(), y.size());
        for (std::size_t i = 0; i < x.size(); ++i) maxDiff = std::max(maxDiff, static_cast<double>(std::fabs(x[i] - y[i])));
    }
    EXPECT_LE(maxDiff, 1e-6);
    EXPECT_NEAR(sa.finalLoss, sb.finalLoss, 1e-6);
}

TEST_F(LocalizeTest, DiffMarksTheTrainedLayer) {
    CheckpointDiff diff;
    const Status st = diffCheckpoints(parentDir(), localizedDir(), diff);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(diff.localizedLayer, kLayer) << diff.verdict;
    EXPECT_EQ(diff.recordedLayer, kLayer);
    ASSERT_EQ(diff.layers.size(), 3u);
    EXPECT_GT(diff.layers[kLayer].relative, 0);
    EXPECT_EQ(diff.layers[0].relative, 0);
    EXPECT_EQ(diff.layers[2].relative, 0);
    EXPECT_EQ(diff.embeddings.relative, 0);
    EXPECT_EQ(diff.head.relative, 0);
    EXPECT_NE(checkpointDiffJson(diff).find("\"localized_layer\": 1"), std::string::npos);
    EXPECT_NE(checkpointDiffText(diff).find("<- localized"), std::string::npos);

    CheckpointDiff self;
    ASSERT_TRUE(diffCheckpoints(parentDir(), parentDir(), self).isOk());
    EXPECT_EQ(self.localizedLayer, -1);
    EXPECT_NE(self.verdict.find("identical"), std::string::npos);

    TempDir other("gs-localize-other");
    FixtureOptions fo;
    fo.numLayers = 3;
    fo.hiddenSize = 48;
    ASSERT_TRUE(testing::writeRandomCheckpoint(other.path(), fo).isOk());
    CheckpointDiff bad;
    const Status mismatch = diffCheckpoints(parentDir(), other.path(), bad);
    ASSERT_TRUE(mismatch.isFailed());
    EXPECT_NE(mismatch.message().find("hidden_size"), std::string::npos) << mismatch.message();
}

TEST_F(LocalizeTest, HiddenStatesAgreeExactlyBelowTheLocalizedLayer) {
    auto parent = load(parentDir());
    auto localized = load(localizedDir());
    HiddenStateDistance d;
    const Status st = compareHiddenStates(*parent, *localized, "мама мылает раму.", d);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_EQ(d.l2.rows, 4);
    ASSERT_EQ(d.l2.cols, static_cast<int>(d.encoding.tokens.size()));
    EXPECT_EQ(d.l2.rowLabels.front(), "emb");
    for (int r = 0; r < d.l2.rows; ++r) {
        double maxL2 = 0, maxCos = 0, minL2 = 1e30;
        for (int c = 0; c < d.l2.cols; ++c) {
            maxL2 = std::max(maxL2, static_cast<double>(d.l2.at(r, c)));
            minL2 = std::min(minL2, static_cast<double>(d.l2.at(r, c)));
            maxCos = std::max(maxCos, static_cast<double>(d.cosine.at(r, c)));
        }
        if (r <= kLayer) {  // embeddings and the outputs of layers 0 .. L-1
            EXPECT_EQ(maxL2, 0.0) << "row " << r;
            EXPECT_EQ(maxCos, 0.0) << "row " << r;
        } else {            // layer L's output and above
            EXPECT_GT(minL2, 0.0) << "row " << r;
            EXPECT_GT(maxCos, 0.0) << "row " << r;
        }
    }

    PairHiddenStateDistance pd;
    ASSERT_TRUE(comparePairHiddenStates(*parent, *localized, pairsDataset().items[0], pd).isOk());
    EXPECT_EQ(pd.bad.l2.rows, 4);
    int changed = 0;
    for (auto c : pd.badChanged) changed += c;
    EXPECT_GT(changed, 0);
}

TEST_F(LocalizeTest, ActivityReportAndAblation) {
    auto parent = load(parentDir());
    auto localized = load(localizedDir());
    LocalizeActivityOptions o;
    o.phenomenon = "polypersonal";
    o.bootstrapSamples = 200;
    LocalizeActivityReport r;
    const Status st = measureLocalizedActivity(*parent, *localized, pairsDataset(), o, r);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(r.layer, kLayer);  // from grammascope_localized.json
    EXPECT_EQ(r.pairs, 8);
    EXPECT_GT(r.categoryTokens, 0);
    EXPECT_GT(r.otherTokens, 0);
    ASSERT_EQ(r.l2.size(), 4u);
    for (int row = 0; row <= kLayer; ++row) {
        EXPECT_EQ(r.l2[static_cast<std::size_t>(row)].categoryMean, 0.0);
        EXPECT_EQ(r.l2[static_cast<std::size_t>(row)].otherMean, 0.0);
    }
    const auto& at = r.l2[kLayer + 1];
    EXPECT_GT(at.categoryMean, 0.0);
    EXPECT_LE(at.difference.low, at.difference.estimate);
    EXPECT_GE(at.difference.high, at.difference.estimate);
    EXPECT_LE(at.ratio.low, at.ratio.high);
    ASSERT_TRUE(r.ablation.computed);
    EXPECT_EQ(r.ablation.sentences, 8);
    EXPECT_TRUE(std::isfinite(r.ablation.categoryChange.estimate));
    EXPECT_LE(r.ablation.difference.low, r.ablation.difference.high);
    EXPECT_NE(localizeActivityJson(r).find("\"ablation\""), std::string::npos);
    EXPECT_NE(localizeActivityText(r).find("<- localized layer"), std::string::npos);

    // The same seed gives the same intervals.
    LocalizeActivityReport again;
    o.ablation = false;
    ASSERT_TRUE(measureLocalizedActivity(*parent, *localized, pairsDataset(), o, again).isOk());
    EXPECT_EQ(again.l2[kLayer + 1].difference.low, at.difference.low);
    EXPECT_FALSE(again.ablation.computed);
}

TEST_F(LocalizeTest, AblatedModelEqualsTheParent) {
    TempDir dir("gs-localize-ablated");
    const fs::path ablated = dir.path() / "ablated";
    const Status st = writeLayerSwappedCheckpoint(localizedDir(), parentDir(), kLayer, ablated);
    ASSERT_TRUE(st.isOk()) << st.message();
    WeightStore parent, a;
    ASSERT_TRUE(WeightStore::openDirectory(parentDir(), parent).isOk());
    ASSERT_TRUE(WeightStore::openDirectory(ablated, a).isOk());
    ASSERT_EQ(parent.tensors().size(), a.tensors().size());
    for (const auto& info : parent.tensors()) EXPECT_TRUE(sameBytes(parent, a, info.name)) << info.name;

    auto pm = load(parentDir());
    auto am = load(ablated);
    EncodeResult x, y;
    EncodeRequest req;
    req.mlmLogits = true;
    ASSERT_TRUE(pm->encode("мама мылает раму.", req, x).isOk());
    ASSERT_TRUE(am->encode("мама мылает раму.", req, y).isOk());
    EXPECT_EQ(x.hidden, y.hidden);
    EXPECT_EQ(x.logits, y.logits);

    // The same through loadAblatedModel, and per-token surprisal changes.
    auto localized = load(localizedDir());
    std::shared_ptr<const Model> loaded;
    ASSERT_TRUE(loadAblatedModel(*pm, *localized, kLayer, loaded).isOk());
    EncodeResult z;
    ASSERT_TRUE(loaded->encode("мама мылает раму.", req, z).isOk());
    EXPECT_EQ(x.logits, z.logits);
    std::vector<AblationToken> same, changes;
    ASSERT_TRUE(ablationTokenChanges(*pm, *loaded, "мама мылает раму.", same).isOk());
    ASSERT_FALSE(same.empty());
    for (const auto& t : same) EXPECT_EQ(t.change, 0.0) << t.piece;
    ASSERT_TRUE(ablationTokenChanges(*localized, *loaded, pairsDataset().items[0], changes).isOk());
    int category = 0;
    double total = 0;
    for (const auto& t : changes) {
        category += t.category ? 1 : 0;
        total += std::fabs(t.change);
        EXPECT_NEAR(t.change, t.ablated - t.localized, 1e-12);
    }
    EXPECT_GT(category, 0);
    EXPECT_GT(total, 0.0);

    const Status badLayer = writeLayerSwappedCheckpoint(localizedDir(), parentDir(), 9, dir.path() / "x");
    EXPECT_NE(badLayer.message().find("layer 9 does not exist"), std::string::npos) << badLayer.message();
}

TEST_F(LocalizeTest, BadInputIsNamed) {
    TempDir dir("gs-localize-bad");
    LocalizeTrainSummary s;
    auto expectMessage = [&](LocalizeTrainOptions o, const std::string& needle) {
        const Status st = trainLocalizedLayer(o, {}, s);
        EXPECT_TRUE(st.isFailed());
        EXPECT_NE(st.message().find(needle), std::string::npos) << "expected '" << needle << "' in: " << st.message();
    };
    auto o = baseOptions(parentDir(), dir.path() / "out");
    o.layer = 5;
    expectMessage(o, "layer 5 does not exist");

    o = baseOptions(parentDir(), dir.path() / "out");
    o.phenomenon = "nonexistent";
    expectMessage(o, "no pair of phenomenon 'nonexistent'");

    o = baseOptions(parentDir(), dir.path() / "out");
    o.pairs = {};
    DatasetReadOptions text;
    text.format = DatasetFormat::PlainText;
    ASSERT_TRUE(parseDataset("мама мыла раму.\nкот спал.\n", "sentences.txt", text, o.pairs).isOk());
    o.phenomenon.clear();
    expectMessage(o, "holds no pairs");

    o = baseOptions(parentDir(), parentDir());
    expectMessage(o, "must differ from the parent");

    o = baseOptions(parentDir(), dir.path() / "out");
    o.steps = 0;
    expectMessage(o, "step count");

    o = baseOptions(dir.path() / "missing", dir.path() / "out");
    expectMessage(o, "config.json");

    FixtureOptions fo;
    fo.numLayers = 3;
    fo.mlmHead = false;
    ASSERT_TRUE(testing::writeRandomCheckpoint(dir.path() / "headless", fo).isOk());
    o = baseOptions(dir.path() / "headless", dir.path() / "out");
    expectMessage(o, "no MLM head");
    o.wMlm = 0;  // the cosine loss alone needs no head
    o.steps = 2;
    const Status st = trainLocalizedLayer(o, {}, s);
    EXPECT_TRUE(st.isOk()) << st.message();
}

} // namespace
} // namespace gs
