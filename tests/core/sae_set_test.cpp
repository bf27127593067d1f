// SAE sets on a model's layers (sae_data.h), on a random tiny checkpoint and
// hand-written pairs: trained sets are stored and reloaded identically, reused,
// exported to SAELens folders and imported back equal, a cancelled run resumes
// to the weights of an uninterrupted one, and the splice gives CE_clean for a
// lossless autoencoder and CE_zero for one that reconstructs zeros.

#include "checkpoint_fixture.h"
#include "model_store_fixture.h"
#include "pair_fixtures.h"
#include "grammascope/sae_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

using namespace gs;
using gs::testing::FixtureOptions;
using gs::testing::TempDir;

namespace {

std::string pairsCsv(int count) { return gs::testing::smallPairsCsv(count); }

Dataset pairs(int count = 24) {
    return gs::testing::parseTestDataset(pairsCsv(count), DatasetFormat::GrammascopeCsv, "pairs.csv");
}

struct Fixture : gs::testing::ModelStoreFixture {
    Fixture() : ModelStoreFixture("gs-sae-set") {}
};

SaeTrainRequest quickRequest() {
    SaeTrainRequest r;
    r.layers = {1, 2};
    r.options.kind = SaeKind::TopK;
    r.options.dictionarySize = 64;
    r.options.k = 4;
    r.options.auxK = 16;
    r.options.batchSize = 32;
    r.options.steps = 60;
    r.options.learningRate = 3e-3;
    r.options.progressEvery = 5;
    r.batchTokens = 64;
    return r;
}

void expectSameWeights(const SaeSet& a, const SaeSet& b) {
    ASSERT_EQ(a.layers.size(), b.layers.size());
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
        const auto &x = a.layers[i].sae, &y = b.layers[i].sae;
        EXPECT_EQ(a.layers[i].layer, b.layers[i].layer);
        EXPECT_EQ(x.dIn, y.dIn);
        EXPECT_EQ(x.dSae, y.dSae);
        EXPECT_EQ(x.k, y.k);
        EXPECT_EQ(x.W_enc, y.W_enc);
        EXPECT_EQ(x.b_enc, y.b_enc);
        EXPECT_EQ(x.W_dec, y.W_dec);
        EXPECT_EQ(x.b_dec, y.b_dec);
    }
}

std::vector<std::string> someSentences() {
    return datasetSentences(pairs(12));
}

} // namespace

TEST(SaeSet, TrainStoreReloadReuse) {
    Fixture f;
    const Dataset d = pairs();
    SaeSet set;
    bool reused = true;
    Status st = trainSaeSet(*f.model, f.fingerprint, *f.store, d, quickRequest(), set, reused);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_FALSE(reused);
    ASSERT_EQ(set.layers.size(), 2u);
    EXPECT_EQ(set.sentences, 48);
    EXPECT_GE(set.heldOutSentences, 4);
    for (const auto& l : set.layers) {
        EXPECT_EQ(l.sae.dIn, 32);
        EXPECT_EQ(l.sae.dSae, 64);
        EXPECT_GT(l.trainRows, 100);
        EXPECT_GT(l.metrics.rows, 0);
        EXPECT_LE(l.metrics.l0, 4.0 + 1e-9);
        EXPECT_GT(l.metrics.fvu, 0.0);
        EXPECT_LT(l.metrics.fvu, 1.5);
        EXPECT_GE(l.metrics.deadFraction, 0.0);
        EXPECT_LE(l.metrics.deadFraction, 1.0);
        ASSERT_TRUE(l.hasSplice);
        EXPECT_GT(l.splice.maskedTokens, 0);
        EXPECT_TRUE(std::isfinite(l.splice.ceClean));
    }

    SaeSet loaded;
    bool found = false;
    st = loadSaeSet(*f.store, set.name, loaded, found);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_TRUE(found);
    expectSameWeights(set, loaded);
    EXPECT_EQ(saeSetJson(set), saeSetJson(loaded));

    std::vector<SaeSet> listed;
    ASSERT_TRUE(listSaeSets(*f.store, f.fingerprint, listed).isOk());
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, set.name);

    SaeSet again;
    st = trainSaeSet(*f.model, f.fingerprint, *f.store, d, quickRequest(), again, reused);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_TRUE(reused);
    expectSameWeights(set, again);

    // Retraining without reuse gives the same bits.
    SaeTrainRequest r = quickRequest();
    r.reuse = false;
    SaeSet fresh;
    st = trainSaeSet(*f.model, f.fingerprint, *f.store, d, r, fresh, reused);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_FALSE(reused);
    expectSameWeights(set, fresh);

    ASSERT_TRUE(deleteSaeSet(*f.store, set.name).isOk());
    ASSERT_TRUE(listSaeSets(*f.store, "", listed).isOk());
    EXPECT_TRUE(listed.empty());
    EXPECT_FALSE(deleteSaeSet(*f.store, set.name).isOk());
}

TEST(SaeSet, ExportImportRoundTrip) {
    Fixture f;
    SaeSet set;
    bool reused = false;
    SaeTrainRequest r = quickRequest();
    r.spliceSentences = 0;
    r.maxRows = 150;
    ASSERT_TRUE(trainSaeSet(*f.model, f.fingerprint, *f.store, pairs(), r, set, reused).isOk());
    EXPECT_EQ(set.layers[0].trainRows, 150);
    EXPECT_FALSE(set.layers[0].hasSplice);
    const auto dir = f.dir.path() / "export";
    Status st = exportSaeSet(set, dir);
    ASSERT_TRUE(st.isOk()) << st.message();
    for (int l : {1, 2}) {
        EXPECT_TRUE(std::filesystem::exists(dir / ("layer_" + std::to_string(l)) / "cfg.json"));
        EXPECT_TRUE(std::filesystem::exists(dir / ("layer_" + std::to_string(l)) / "sae_weights.safetensors"));
    }
    SaeSet imported;
    st = importSaeLensSet({dir}, f.fingerprint, 32, 2, *f.store, imported);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_TRUE(imported.imported);
    expectSameWeights(set, imported);
    SaeSet loaded;
    bool found = false;
    ASSERT_TRUE(loadSaeSet(*f.store, imported.name, loaded, found).isOk());
    ASSERT_TRUE(found);
    expectSameWeights(set, loaded);
    // One folder alone gives a one-layer set.
    SaeSet one;
    ASSERT_TRUE(importSaeLensSet({dir / "layer_2"}, f.fingerprint, 32, 2, *f.store, one).isOk());
    ASSERT_EQ(one.layers.size(), 1u);
    EXPECT_EQ(one.layers[0].layer, 2);
    // Shapes are checked against the model.
    EXPECT_FALSE(importSaeLensSet({dir}, f.fingerprint, 48, 2, *f.store, one).isOk());
    EXPECT_FALSE(importSaeLensSet({dir}, f.fingerprint, 32, 1, *f.store, one).isOk());
}

TEST(SaeSet, CancelThenResumeMatchesUninterrupted) {
    Fixture f;
    const Dataset d = pairs();
    SaeTrainRequest r = quickRequest();
    r.spliceSentences = 0;
    SaeSet whole;
    bool reused = false;
    ASSERT_TRUE(trainSaeSet(*f.model, f.fingerprint, *f.store, d, r, whole, reused).isOk());
    ASSERT_TRUE(deleteSaeSet(*f.store, whole.name).isOk());

    // Cancel in the second layer at step 30.
    std::atomic<bool> cancel{false};
    SaeSet part;
    int calls = 0;
    Status st = trainSaeSet(*f.model, f.fingerprint, *f.store, d, r, part, reused,
                            [&](const SaeSetProgress& p) {
                                ++calls;
                                if (p.stage == "layer 2: training" && p.training.step >= 30) cancel = true;
                                return true;
                            },
                            &cancel);
    EXPECT_TRUE(st.isCancelled()) << st.message();
    const auto states = f.dir.path() / "store" / "sae-states";
    ASSERT_TRUE(std::filesystem::exists(states));
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(states), std::filesystem::directory_iterator()), 2);
    std::vector<SaeSet> listed;
    ASSERT_TRUE(listSaeSets(*f.store, "", listed).isOk());
    EXPECT_TRUE(listed.empty());

    SaeSet resumed;
    st = trainSaeSet(*f.model, f.fingerprint, *f.store, d, r, resumed, reused);
    ASSERT_TRUE(st.isOk()) << st.message();
    expectSameWeights(whole, resumed);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(states), std::filesystem::directory_iterator()), 0);
}

TEST(SaeSplice, LosslessAutoencoderGivesCleanLoss) {
    Fixture f;
    const std::int64_t H = 32;
    // ReLU SAE with latents +e_i and −e_i: relu(x) − relu(−x) = x exactly.
    SparseAutoencoder sae;
    sae.kind = SaeKind::ReluL1;
    sae.dIn = H;
    sae.dSae = 2 * H;
    sae.W_enc.assign(static_cast<std::size_t>(H * 2 * H), 0.0f);
    sae.W_dec.assign(static_cast<std::size_t>(H * 2 * H), 0.0f);
    sae.b_enc.assign(static_cast<std::size_t>(2 * H), 0.0f);
    sae.b_dec.assign(static_cast<std::size_t>(H), 0.0f);
    for (std::int64_t i = 0; i < H; ++i) {
        sae.W_enc[static_cast<std::size_t>(i * 2 * H + i)] = 1.0f;       // W_enc [dIn x dSae]
        sae.W_enc[static_cast<std::size_t>(i * 2 * H + H + i)] = -1.0f;
        sae.W_dec[static_cast<std::size_t>(i * H + i)] = 1.0f;           // W_dec [dSae x dIn]
        sae.W_dec[static_cast<std::size_t>((H + i) * H + i)] = -1.0f;
    }
    const auto sentences = someSentences();
    for (int layer : {0, 1, 2}) {
        SaeSpliceMetrics m;
        Status st = evaluateSaeSplice(*f.model, sae, layer, sentences, 7, m);
        ASSERT_TRUE(st.isOk()) << st.message();
        EXPECT_NEAR(m.ceSae, m.ceClean, 1e-4) << layer;
        EXPECT_NEAR(m.lossRecovered, 1.0, 1e-3) << layer;
        EXPECT_GT(m.maskedTokens, static_cast<std::int64_t>(sentences.size()) - 1);
    }
    // An autoencoder that reconstructs zeros gives the zero-ablated loss.
    SparseAutoencoder zero = sae;
    std::fill(zero.W_dec.begin(), zero.W_dec.end(), 0.0f);
    SaeSpliceMetrics m;
    ASSERT_TRUE(evaluateSaeSplice(*f.model, zero, 1, sentences, 7, m).isOk());
    EXPECT_NEAR(m.ceSae, m.ceZero, 1e-4);
    EXPECT_NEAR(m.lossRecovered, 0.0, 1e-3);
    // Same seed, same masks, same numbers.
    SaeSpliceMetrics again;
    ASSERT_TRUE(evaluateSaeSplice(*f.model, zero, 1, sentences, 7, again).isOk());
    EXPECT_EQ(m.ceClean, again.ceClean);
    // Shape mismatch is an error.
    SparseAutoencoder wrong = sae;
    wrong.dIn = 16;
    EXPECT_FALSE(evaluateSaeSplice(*f.model, wrong, 1, sentences, 7, m).isOk());
}

TEST(SaeSplice, TrainedAutoencoderRecoversLoss) {
    Fixture f;
    SaeTrainRequest r = quickRequest();
    r.layers = {1};
    r.options.dictionarySize = 128;
    r.options.k = 8;
    r.options.steps = 200;
    SaeSet set;
    bool reused = false;
    Status st = trainSaeSet(*f.model, f.fingerprint, *f.store, pairs(48), r, set, reused);
    ASSERT_TRUE(st.isOk()) << st.message();
    const auto& s = set.layers[0].splice;
    std::printf("layer 1: FVU %.3f, L0 %.2f, CE clean %.4f zero %.4f sae %.4f, recovered %.3f\n",
                set.layers[0].metrics.fvu, set.layers[0].metrics.l0, s.ceClean, s.ceZero, s.ceSae, s.lossRecovered);
    EXPECT_GT(s.lossRecovered, 0.0);
    EXPECT_LE(s.lossRecovered, 1.0);
    // On a random model zero-ablation may even lower the loss; the SAE must
    // in any case land closer to the clean loss than the ablation does.
    EXPECT_LT(std::abs(s.ceSae - s.ceClean), std::abs(s.ceZero - s.ceClean));
}

TEST(SaeSet, PlainSentences) {
    Fixture f;
    std::string text;
    for (const auto& s : datasetSentences(pairs(24))) text += s + "\n";
    DatasetReadOptions o;
    o.format = DatasetFormat::PlainText;
    o.name = "plain.txt";
    Dataset d;
    ASSERT_TRUE(parseDataset(text, "plain.txt", o, d).isOk());
    EXPECT_EQ(datasetSentences(d).size(), 48u);
    SaeTrainRequest r = quickRequest();
    r.layers = {2};
    SaeSet set;
    bool reused = false;
    Status st = trainSaeSet(*f.model, f.fingerprint, *f.store, d, r, set, reused);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_EQ(set.layers.size(), 1u);
    EXPECT_EQ(set.sentences, 48);
    EXPECT_EQ(set.datasetName, "plain.txt");
    // Layers outside the model are refused.
    r.layers = {3};
    EXPECT_FALSE(trainSaeSet(*f.model, f.fingerprint, *f.store, d, r, set, reused).isOk());
}
