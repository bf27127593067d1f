#include "grammascope/layer_view.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace gs;

namespace {

// Two layers, three tokens ([CLS] ма ##ма), hidden size 2, hand-chosen vectors.
EncodeResult smallResult() {
    EncodeResult r;
    r.numTokens = 3;
    r.numLayers = 2;
    r.hiddenSize = 2;
    r.hidden = {
        3, 4, 1, 0, 0, 2,    // embeddings
        0, 1, 1, 1, 0, -2,   // layer 1
        0, 2, 2, 0, 0, 5,    // layer 2
    };
    Token cls{"[CLS]", 2, -1, -1, -1, -1, -1, true};
    Token a{"ма", 10, 0, 2, 0, 4, 0, false};
    Token b{"##ма", 11, 2, 4, 4, 8, 0, false};
    r.encoding.tokens = {cls, a, b};
    r.encoding.wordCount = 1;
    return r;
}

TEST(LayerView, HiddenNormByHand) {
    const Heatmap h = computeLayerHeatmap(smallResult(), LayerQuantity::HiddenNorm);
    ASSERT_EQ(h.rows, 3);
    ASSERT_EQ(h.cols, 3);
    EXPECT_FLOAT_EQ(h.at(0, 0), 5.0f);
    EXPECT_FLOAT_EQ(h.at(1, 1), std::sqrt(2.0f));
    EXPECT_FLOAT_EQ(h.at(2, 2), 5.0f);
    EXPECT_EQ(h.rowLabels.front(), "emb");
    EXPECT_EQ(h.rowLabels.back(), "2");
    EXPECT_EQ(h.colLabels[1], "ма");
    EXPECT_EQ(h.colLabels[2], "ма");
}

TEST(LayerView, CosineToLastAndChange) {
    const Heatmap c = computeLayerHeatmap(smallResult(), LayerQuantity::CosineToLast);
    EXPECT_NEAR(c.at(0, 0), 0.8, 1e-6);          // (3,4)·(0,2) / (5·2)
    EXPECT_NEAR(c.at(1, 2), -1.0, 1e-6);         // (0,-2) vs (0,5)
    EXPECT_NEAR(c.at(2, 1), 1.0, 1e-6);
    const Heatmap d = computeLayerHeatmap(smallResult(), LayerQuantity::ChangeFromPrevious);
    EXPECT_FLOAT_EQ(d.at(0, 1), 0.0f);
    EXPECT_NEAR(d.at(1, 2), 2.0, 1e-6);          // opposite directions
    EXPECT_NEAR(d.at(1, 1), 1.0 - 1.0 / std::sqrt(2.0), 1e-6);
}

TEST(LayerView, WordsMergeSubTokens) {
    const Heatmap h = computeLayerHeatmap(smallResult(), LayerQuantity::HiddenNorm, TokenGrouping::Words);
    ASSERT_EQ(h.cols, 2);
    EXPECT_EQ(h.colLabels[1], "мама");
    EXPECT_EQ(h.colTokenBegin[1], 1);
    EXPECT_EQ(h.colTokenEnd[1], 3);
    EXPECT_FLOAT_EQ(h.at(0, 1), 1.5f);           // mean of norms 1 and 2
}

TEST(LayerView, QuantityIdsRoundTrip) {
    for (const auto& q : layerQuantities()) {
        LayerQuantity parsed;
        ASSERT_TRUE(parseLayerQuantity(q.id, parsed));
        EXPECT_EQ(parsed, q.quantity);
    }
    LayerQuantity unused;
    EXPECT_FALSE(parseLayerQuantity("no-such-quantity", unused));
}

} // namespace

namespace {

TEST(LayerView, SurprisalInBitsSumsOverWords) {
    EncodeResult r = smallResult();
    EXPECT_EQ(computeLayerHeatmap(r, LayerQuantity::Surprisal).rows, 0);  // not computed yet
    r.tokenLogProbs = {std::nan(""), std::log(0.5), std::log(0.25)};
    const Heatmap tokens = computeLayerHeatmap(r, LayerQuantity::Surprisal);
    ASSERT_EQ(tokens.rows, 1);
    ASSERT_EQ(tokens.cols, 3);
    EXPECT_EQ(tokens.rowLabels, std::vector<std::string>{"MLM"});
    EXPECT_FLOAT_EQ(tokens.at(0, 0), 0.0f);  // [CLS]
    EXPECT_FLOAT_EQ(tokens.at(0, 1), 1.0f);  // -log2 0.5
    EXPECT_FLOAT_EQ(tokens.at(0, 2), 2.0f);  // -log2 0.25
    const Heatmap words = computeLayerHeatmap(r, LayerQuantity::Surprisal, TokenGrouping::Words);
    ASSERT_EQ(words.cols, 2);
    EXPECT_FLOAT_EQ(words.at(0, 1), 3.0f);   // a word's surprisal is the sum of its pieces'
}

} // namespace
