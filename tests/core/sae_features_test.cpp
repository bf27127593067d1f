// Reading SAE sets (sae_features.h). Hand-built autoencoders on hand-written
// hidden states give values computed by hand (codes = ReLU(x) with an
// identity encoder); the dataset index on a random checkpoint is checked
// against a brute-force count over every sentence's dense activations, read
// back from the store, and deleted with its set.

#include "cache/fp16.h"
#include "model_store_fixture.h"
#include "pair_fixtures.h"
#include "grammascope/sae_features.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

using namespace gs;

namespace {

constexpr int kD = 4;

// ReLU + L1 autoencoder with W_enc = W_dec = identity and zero biases: the
// codes of x are ReLU(x).
SparseAutoencoder identitySae(int layer) {
    SparseAutoencoder s;
    s.dIn = s.dSae = kD;
    s.kind = SaeKind::ReluL1;
    s.layer = layer;
    s.W_enc.assign(kD * kD, 0.0f);
    for (int i = 0; i < kD; ++i) s.W_enc[static_cast<std::size_t>(i * kD + i)] = 1.0f;
    s.W_dec = s.W_enc;
    s.b_enc.assign(kD, 0.0f);
    s.b_dec.assign(kD, 0.0f);
    return s;
}

SaeSet handSet() {
    SaeSet set;
    set.name = "hand";
    SaeLayerResult a, b;
    a.layer = 1;
    a.sae = identitySae(1);
    b.layer = 2;
    b.sae = identitySae(2);
    // Layer 2's decoder: feature 0 = (e0 + e1)/√2, 1 = e1, 2 = e2, 3 = e3.
    const float r = static_cast<float>(1.0 / std::sqrt(2.0));
    b.sae.W_dec[0] = r;
    b.sae.W_dec[1] = r;
    set.layers = {a, b};
    return set;
}

Token token(const std::string& text, bool special, int word, std::int64_t byteBegin = -1, std::int64_t byteEnd = -1) {
    Token t;
    t.text = text;
    t.special = special;
    t.wordIndex = word;
    t.byteBegin = byteBegin;
    t.byteEnd = byteEnd;
    return t;
}

// [CLS] дом ##а [SEP]; hidden rows per layer (0, 1, 2) and token.
EncodeResult handSentence(const std::vector<std::array<float, kD>>& layer1, const std::vector<std::array<float, kD>>& layer2) {
    EncodeResult r;
    r.encoding.tokens = {token("[CLS]", true, -1), token("дом", false, 0, 0, 6), token("##а", false, 0, 6, 8),
                         token("[SEP]", true, -1)};
    r.encoding.wordCount = 1;
    r.numTokens = 4;
    r.numLayers = 2;
    r.hiddenSize = kD;
    r.hidden.assign(static_cast<std::size_t>(3 * 4 * kD), 0.0f);
    for (int l = 1; l <= 2; ++l)
        for (int t = 0; t < 4; ++t)
            for (int j = 0; j < kD; ++j)
                r.hidden[static_cast<std::size_t>(((l * 4) + t) * kD + j)] =
                    (l == 1 ? layer1 : layer2)[static_cast<std::size_t>(t)][static_cast<std::size_t>(j)];
    return r;
}

EncodeResult sentenceA() {
    return handSentence({{{9, 9, 9, 9}}, {{0.5f, -1, 2, 0}}, {{3, 0.25f, -2, 0}}, {{9, 9, 9, 9}}},
                        {{{0, 0, 0, 0}}, {{1, 0, 0, 0}}, {{0, 2, 0, 0}}, {{0, 0, 0, 0}}});
}
EncodeResult sentenceB() {
    return handSentence({{{9, 9, 9, 9}}, {{0.5f, 0, 0, 1}}, {{1, 0.25f, 0, 0}}, {{9, 9, 9, 9}}},
                        {{{0, 0, 0, 0}}, {{1, 0, 0, 0}}, {{0, 2, 0, 0}}, {{0, 0, 0, 0}}});
}

} // namespace

TEST(SaeFeatures, TokenActivationsAreTheCodes) {
    const SaeSet set = handSet();
    std::vector<float> acts;
    ASSERT_TRUE(saeTokenActivations(set, 1, sentenceA(), acts).isOk());
    ASSERT_EQ(acts.size(), 16u);
    const std::vector<float> token1 = {0.5f, 0, 2, 0}, token2 = {3, 0.25f, 0, 0};
    EXPECT_EQ(std::vector<float>(acts.begin() + 4, acts.begin() + 8), token1);
    EXPECT_EQ(std::vector<float>(acts.begin() + 8, acts.begin() + 12), token2);
    EXPECT_FALSE(saeTokenActivations(set, 0, sentenceA(), acts).isOk());  // no SAE for the embeddings
}

TEST(SaeFeatures, HeatmapRowsAreFeaturesAndSpecialsAreBlank) {
    const SaeSet set = handSet();
    Heatmap h;
    ASSERT_TRUE(saeFeatureHeatmap(set, 1, {2, 0}, sentenceA(), TokenGrouping::Tokens, h).isOk());
    ASSERT_EQ(h.rows, 2);
    ASSERT_EQ(h.cols, 4);
    EXPECT_EQ(h.rowLabels, (std::vector<std::string>{"#2", "#0"}));
    EXPECT_TRUE(std::isnan(h.at(0, 0)));
    EXPECT_TRUE(std::isnan(h.at(1, 3)));
    EXPECT_FLOAT_EQ(h.at(0, 1), 2.0f);
    EXPECT_FLOAT_EQ(h.at(0, 2), 0.0f);
    EXPECT_FLOAT_EQ(h.at(1, 1), 0.5f);
    EXPECT_FLOAT_EQ(h.at(1, 2), 3.0f);
    // Words: the largest over the pieces.
    ASSERT_TRUE(saeFeatureHeatmap(set, 1, {2, 0}, sentenceA(), TokenGrouping::Words, h).isOk());
    ASSERT_EQ(h.cols, 3);
    EXPECT_FLOAT_EQ(h.at(0, 1), 2.0f);
    EXPECT_FLOAT_EQ(h.at(1, 1), 3.0f);
    EXPECT_FALSE(saeFeatureHeatmap(set, 1, {4}, sentenceA(), TokenGrouping::Tokens, h).isOk());
}

TEST(SaeFeatures, TopFeaturesPerTokenByLargestActivation) {
    const SaeSet set = handSet();
    std::vector<std::int32_t> top;
    // Token 1's strongest is #2 (2.0), token 2's is #0 (3.0); specials ignored.
    ASSERT_TRUE(saeSentenceTopFeatures(set, 1, sentenceA(), 1, 10, top).isOk());
    EXPECT_EQ(top, (std::vector<std::int32_t>{0, 2}));
    ASSERT_TRUE(saeSentenceTopFeatures(set, 1, sentenceA(), 2, 10, top).isOk());
    EXPECT_EQ(top, (std::vector<std::int32_t>{0, 2, 1}));  // + #0 on token 1 (0.5) and #1 on token 2 (0.25)
    ASSERT_TRUE(saeSentenceTopFeatures(set, 1, sentenceA(), 2, 2, top).isOk());
    EXPECT_EQ(top, (std::vector<std::int32_t>{0, 2}));
}

TEST(SaeFeatures, NearestFeaturesByDecoderCosine) {
    const SaeSet set = handSet();
    std::vector<SaeNeighbour> n;
    ASSERT_TRUE(saeNearestFeatures(set.layers[0].sae, 0, set.layers[1].sae, 2, n).isOk());
    ASSERT_EQ(n.size(), 2u);
    EXPECT_EQ(n[0].feature, 0);
    EXPECT_NEAR(n[0].cosine, 1.0 / std::sqrt(2.0), 1e-6);
    EXPECT_EQ(n[1].feature, 1);  // orthogonal ties broken by index
    EXPECT_NEAR(n[1].cosine, 0.0, 1e-6);
    // Within one SAE the feature itself is left out.
    ASSERT_TRUE(saeNearestFeatures(set.layers[1].sae, 1, set.layers[1].sae, 1, n).isOk());
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].feature, 0);
    EXPECT_NEAR(n[0].cosine, 1.0 / std::sqrt(2.0), 1e-6);
}

TEST(SaeFeatures, TraceFollowsTheFeatureAcrossLayers) {
    const SaeSet set = handSet();
    SaeFeatureTrace tr;
    ASSERT_TRUE(saeFeatureTrace(set, 2, 1, sentenceA(), TokenGrouping::Tokens, tr).isOk());
    ASSERT_EQ(tr.heatmap.rows, 2);
    EXPECT_EQ(tr.homeRow, 1);
    EXPECT_EQ(tr.rows[1].feature, 1);
    EXPECT_FLOAT_EQ(tr.rows[1].cosine, 1.0f);
    // Layer 1's nearest to layer 2's e1 is its own e1.
    EXPECT_EQ(tr.rows[0].layer, 1);
    EXPECT_EQ(tr.rows[0].feature, 1);
    EXPECT_NEAR(tr.rows[0].cosine, 1.0, 1e-6);
    EXPECT_EQ(tr.heatmap.rowLabels[0], "L1 #1 (cos 1.00)");
    EXPECT_EQ(tr.heatmap.rowLabels[1], "L2 #1");
    EXPECT_FLOAT_EQ(tr.heatmap.at(0, 2), 0.25f);  // layer 1, token 2, feature 1
    EXPECT_FLOAT_EQ(tr.heatmap.at(1, 2), 2.0f);   // layer 2, token 2, feature 1
    EXPECT_TRUE(std::isnan(tr.heatmap.at(1, 0)));
}

TEST(SaeFeatures, PairDifferencesRankByAbsoluteDifference) {
    const SaeSet set = handSet();
    std::vector<SaePairDifference> d;
    ASSERT_TRUE(saePairDifferences(set, 1, sentenceA(), sentenceB(), 10, d).isOk());
    // Peaks A: #0 3 (token 2), #1 0.25, #2 2 (token 1), #3 0; B: #0 1, #1 0.25, #2 0, #3 1 (token 1).
    ASSERT_EQ(d.size(), 4u);
    EXPECT_EQ(d[0].feature, 0);
    EXPECT_FLOAT_EQ(d[0].difference, 2.0f);
    EXPECT_EQ(d[0].goodToken, 2);
    EXPECT_EQ(d[1].feature, 2);
    EXPECT_FLOAT_EQ(d[1].difference, 2.0f);
    EXPECT_EQ(d[1].badToken, -1);
    EXPECT_EQ(d[2].feature, 3);
    EXPECT_FLOAT_EQ(d[2].difference, -1.0f);
    EXPECT_EQ(d[3].feature, 1);
    EXPECT_FLOAT_EQ(d[3].difference, 0.0f);
    ASSERT_TRUE(saePairDifferences(set, 1, sentenceA(), sentenceB(), 1, d).isOk());
    EXPECT_EQ(d.size(), 1u);
}

// ------------------------------------------------------------ dataset index

namespace {

struct Fixture : gs::testing::ModelStoreFixture {
    Fixture() : ModelStoreFixture("gs-sae-features") {}
};

SaeTrainRequest quickRequest() {
    SaeTrainRequest r;
    r.layers = {1, 2};
    r.options.dictionarySize = 64;
    r.options.k = 4;
    r.options.auxK = 16;
    r.options.batchSize = 32;
    r.options.steps = 40;
    r.options.learningRate = 3e-3;
    r.batchTokens = 64;
    r.spliceSentences = 0;
    return r;
}

} // namespace

TEST(SaeFeatureIndex, MatchesABruteForceCountAndIsStored) {
    Fixture f;
    const Dataset d = gs::testing::parseTestDataset(gs::testing::smallPairsCsv(16), DatasetFormat::GrammascopeCsv, "p.csv");
    SaeSet set;
    bool reused = false;
    ASSERT_TRUE(trainSaeSet(*f.model, f.fingerprint, *f.store, d, quickRequest(), set, reused).isOk());

    SaeFeatureIndexOptions o;
    o.topContexts = 5;
    o.histogramBins = 8;
    SaeFeatureIndex index;
    int reports = 0;
    const Status st = buildSaeFeatureIndex(*f.model, f.fingerprint, *f.store, d, set, 1, o, index,
                                           [&](const SaeIndexProgress&) { return ++reports > 0; });
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_GT(reports, 1);
    ASSERT_EQ(index.features.size(), 64u);

    // Brute force: dense activations of every sentence, non-special tokens,
    // from hidden states rounded to float16 as the stored table holds them.
    // The table was extracted in padded batches, this one sentence at a time:
    // the states agree to ~1e-5 before rounding, so a value may land one
    // float16 step away (activations within 2e-4) and a latent on the TopK
    // threshold may swap (counts within 1).
    std::vector<std::int64_t> fires(64, 0);
    std::vector<float> maxima(64, 0.0f);
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<float>> acts;  // (sentence, token) -> activations
    std::int64_t tokens = 0;
    for (std::size_t s = 0; s < index.sentences.size(); ++s) {
        EncodeResult h;
        ASSERT_TRUE(f.model->encode(index.sentences[s], EncodeRequest{}, h).isOk());
        std::vector<std::uint16_t> halves(h.hidden.size());
        cache::floatsToHalves(h.hidden.data(), h.hidden.size(), halves.data());
        cache::halvesToFloats(halves.data(), halves.size(), h.hidden.data());
        std::vector<float> dense;
        ASSERT_TRUE(saeTokenActivations(set, 1, h, dense).isOk());
        for (std::int64_t t = 0; t < h.numTokens; ++t) {
            if (h.encoding.tokens[static_cast<std::size_t>(t)].special) continue;
            ++tokens;
            std::vector<float> row(dense.begin() + t * 64, dense.begin() + (t + 1) * 64);
            for (int j = 0; j < 64; ++j)
                if (row[static_cast<std::size_t>(j)] > 0) {
                    ++fires[static_cast<std::size_t>(j)];
                    maxima[static_cast<std::size_t>(j)] = std::max(maxima[static_cast<std::size_t>(j)], row[static_cast<std::size_t>(j)]);
                }
            acts[{static_cast<std::int64_t>(s), t}] = std::move(row);
        }
    }
    EXPECT_EQ(index.tokens, tokens);
    int firing = 0;
    for (int j = 0; j < 64; ++j) {
        const auto& p = index.features[static_cast<std::size_t>(j)];
        EXPECT_NEAR(static_cast<double>(p.fireCount), static_cast<double>(fires[static_cast<std::size_t>(j)]), 1.0) << j;
        EXPECT_NEAR(p.maxActivation, maxima[static_cast<std::size_t>(j)], 2e-4) << j;
        std::int64_t histTotal = 0;
        for (auto c : p.histogram) histTotal += c;
        EXPECT_EQ(histTotal, p.fireCount);
        ASSERT_LE(p.top.size(), 5u);
        if (p.fireCount == 0) continue;
        ++firing;
        EXPECT_EQ(p.top.size(), std::min<std::size_t>(5, static_cast<std::size_t>(p.fireCount)));
        EXPECT_NEAR(p.top.front().value, p.maxActivation, 1e-6);
        for (std::size_t i = 0; i < p.top.size(); ++i) {
            const auto& c = p.top[i];
            if (i > 0) {
                EXPECT_LE(c.value, p.top[i - 1].value);
            }
            const auto it = acts.find({c.sentence, c.token});
            ASSERT_NE(it, acts.end());
            EXPECT_NEAR(it->second[static_cast<std::size_t>(j)], c.value, 2e-4);
            const std::string& text = index.sentences[static_cast<std::size_t>(c.sentence)];
            ASSERT_GE(c.byteBegin, 0);
            ASSERT_LE(c.byteEnd, static_cast<std::int64_t>(text.size()));
            EXPECT_LT(c.byteBegin, c.byteEnd);
        }
    }
    EXPECT_GT(firing, 8);

    // Read back from the store: the same profile, no scan.
    SaeFeatureIndex again;
    reports = 0;
    ASSERT_TRUE(buildSaeFeatureIndex(*f.model, f.fingerprint, *f.store, d, set, 1, o, again,
                                     [&](const SaeIndexProgress& p) { return p.stage != "scanning"; })
                    .isOk());
    ASSERT_EQ(again.features.size(), 64u);
    EXPECT_EQ(again.tokens, index.tokens);
    for (int j = 0; j < 64; ++j) {
        const auto &a = index.features[static_cast<std::size_t>(j)], &b = again.features[static_cast<std::size_t>(j)];
        EXPECT_EQ(a.fireCount, b.fireCount);
        EXPECT_EQ(a.histogram, b.histogram);
        ASSERT_EQ(a.top.size(), b.top.size());
        for (std::size_t i = 0; i < a.top.size(); ++i) {
            EXPECT_EQ(a.top[i].sentence, b.top[i].sentence);
            EXPECT_EQ(a.top[i].token, b.top[i].token);
            EXPECT_EQ(a.top[i].byteEnd, b.top[i].byteEnd);
        }
    }
    const auto j = nlohmann::json::parse(saeFeatureIndexJson(again, {0, 1}));
    EXPECT_EQ(j["features"].size(), 2u);

    // Deleting the set deletes its indices.
    std::vector<ArtefactRecord> records;
    ASSERT_TRUE(f.store->listArtefacts("sae-index", records).isOk());
    EXPECT_EQ(records.size(), 1u);
    ASSERT_TRUE(deleteSaeSet(*f.store, set.name).isOk());
    ASSERT_TRUE(f.store->listArtefacts("sae-index", records).isOk());
    EXPECT_TRUE(records.empty());
}

TEST(SaeFeatureIndex, CancelAndBadInput) {
    Fixture f;
    const Dataset d = gs::testing::parseTestDataset(gs::testing::smallPairsCsv(8), DatasetFormat::GrammascopeCsv, "p.csv");
    SaeSet set;
    bool reused = false;
    ASSERT_TRUE(trainSaeSet(*f.model, f.fingerprint, *f.store, d, quickRequest(), set, reused).isOk());
    SaeFeatureIndex index;
    const Status cancelled = buildSaeFeatureIndex(*f.model, f.fingerprint, *f.store, d, set, 1, {}, index,
                                                  [](const SaeIndexProgress& p) { return p.stage != "scanning"; });
    EXPECT_TRUE(cancelled.isCancelled()) << cancelled.message();
    std::vector<ArtefactRecord> records;
    ASSERT_TRUE(f.store->listArtefacts("sae-index", records).isOk());
    EXPECT_TRUE(records.empty());
    const Status noLayer = buildSaeFeatureIndex(*f.model, f.fingerprint, *f.store, d, set, 3, {}, index);
    ASSERT_FALSE(noLayer.isOk());
    EXPECT_NE(noLayer.message().find("layer 3"), std::string::npos) << noLayer.message();
}
