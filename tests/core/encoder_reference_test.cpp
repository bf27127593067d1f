// The encoder checked against an independent implementation: LibTorch's own
// torch::nn::TransformerEncoderLayer / MultiheadAttention given the same weights,
// with embeddings and the MLM head recomputed by hand.

#include "checkpoint_fixture.h"
#include "grammascope/model.h"
#include "grammascope/weights.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

using namespace gs;
using gs::testing::FixtureOptions;
using gs::testing::FixtureWeights;
using gs::testing::TempDir;

namespace {

torch::Tensor tensorOf(const FixtureWeights& w, const std::string& name) {
    const auto& v = w.at(name);
    return torch::from_blob(const_cast<float*>(v.data()), w.shapes.at(name), torch::kFloat32).clone();
}

torch::Tensor hiddenOf(const EncodeResult& r, std::int64_t layer) {
    std::vector<float> v(r.hiddenAt(layer, 0), r.hiddenAt(layer, 0) + r.numTokens * r.hiddenSize);
    return torch::from_blob(v.data(), {r.numTokens, r.hiddenSize}, torch::kFloat32).clone();
}

double relativeError(const torch::Tensor& got, const torch::Tensor& want) {
    return (got - want).norm().item<double>() / std::max(want.norm().item<double>(), 1e-12);
}

// Reference embeddings: word + position + token type 0, then LayerNorm.
torch::Tensor referenceEmbeddings(const FixtureWeights& w, const std::string& pre, const std::vector<std::int64_t>& ids,
                                  std::int64_t positionStart, bool tokenTypes, double eps) {
    const auto T = static_cast<std::int64_t>(ids.size());
    auto idT = torch::tensor(ids, torch::kLong);
    auto pos = torch::arange(positionStart, positionStart + T, torch::kLong);
    auto x = tensorOf(w, pre + "embeddings.word_embeddings.weight").index_select(0, idT) +
             tensorOf(w, pre + "embeddings.position_embeddings.weight").index_select(0, pos);
    if (tokenTypes) x = x + tensorOf(w, pre + "embeddings.token_type_embeddings.weight")[0];
    auto mean = x.mean(-1, true);
    auto var = (x - mean).pow(2).mean(-1, true);
    return (x - mean) / torch::sqrt(var + eps) * tensorOf(w, pre + "embeddings.LayerNorm.weight") +
           tensorOf(w, pre + "embeddings.LayerNorm.bias");
}

// LibTorch's post-norm encoder layer loaded with one layer of the checkpoint.
torch::nn::TransformerEncoderLayer referenceLayer(const FixtureWeights& w, const FixtureOptions& o,
                                                  const std::string& p, bool distil) {
    auto opts = torch::nn::TransformerEncoderLayerOptions(o.hiddenSize, o.numHeads)
                    .dim_feedforward(o.intermediateSize)
                    .dropout(0.0)
                    .activation(o.hiddenAct == "relu" ? torch::nn::activation_t(torch::kReLU)
                                                      : torch::nn::activation_t(torch::kGELU));
    torch::nn::TransformerEncoderLayer layer(opts);
    layer->eval();
    const double eps = distil ? 1e-12 : o.layerNormEps;
    layer->replace_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.hiddenSize}).eps(eps)));
    layer->replace_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.hiddenSize}).eps(eps)));
    torch::NoGradGuard ng;
    auto n = [&](const char* bert, const char* db) { return p + (distil ? db : bert); };
    auto& attn = layer->self_attn;
    attn->in_proj_weight.copy_(torch::cat({tensorOf(w, n("attention.self.query.weight", "attention.q_lin.weight")),
                                           tensorOf(w, n("attention.self.key.weight", "attention.k_lin.weight")),
                                           tensorOf(w, n("attention.self.value.weight", "attention.v_lin.weight"))}));
    attn->in_proj_bias.copy_(torch::cat({tensorOf(w, n("attention.self.query.bias", "attention.q_lin.bias")),
                                         tensorOf(w, n("attention.self.key.bias", "attention.k_lin.bias")),
                                         tensorOf(w, n("attention.self.value.bias", "attention.v_lin.bias"))}));
    attn->out_proj->weight.copy_(tensorOf(w, n("attention.output.dense.weight", "attention.out_lin.weight")));
    attn->out_proj->bias.copy_(tensorOf(w, n("attention.output.dense.bias", "attention.out_lin.bias")));
    layer->norm1->weight.copy_(tensorOf(w, n("attention.output.LayerNorm.weight", "sa_layer_norm.weight")));
    layer->norm1->bias.copy_(tensorOf(w, n("attention.output.LayerNorm.bias", "sa_layer_norm.bias")));
    layer->linear1->weight.copy_(tensorOf(w, n("intermediate.dense.weight", "ffn.lin1.weight")));
    layer->linear1->bias.copy_(tensorOf(w, n("intermediate.dense.bias", "ffn.lin1.bias")));
    layer->linear2->weight.copy_(tensorOf(w, n("output.dense.weight", "ffn.lin2.weight")));
    layer->linear2->bias.copy_(tensorOf(w, n("output.dense.bias", "ffn.lin2.bias")));
    layer->norm2->weight.copy_(tensorOf(w, n("output.LayerNorm.weight", "output_layer_norm.weight")));
    layer->norm2->bias.copy_(tensorOf(w, n("output.LayerNorm.bias", "output_layer_norm.bias")));
    return layer;
}

struct Case {
    const char* name;
    Architecture architecture;
    DType dtype;
    std::string act;
};

class EncoderReference : public ::testing::TestWithParam<Case> {};

TEST_P(EncoderReference, EveryLayerMatchesTransformerEncoderLayer) {
    const Case c = GetParam();
    TempDir dir;
    FixtureOptions o;
    o.architecture = c.architecture;
    o.dtype = c.dtype;
    o.hiddenAct = c.act;
    o.numLayers = 3;
    o.seed = 7;
    FixtureWeights w;
    ASSERT_TRUE(writeRandomCheckpoint(dir.path(), o, &w).isOk());

    std::shared_ptr<const Model> model;
    Status st = Model::load(dir.path(), ModelOptions{}, model);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_TRUE(model->info().hasMlmHead);

    EncodeRequest req;
    req.attentions = true;
    req.mlmLogits = true;
    EncodeResult r;
    st = model->encode("Мама мыла раму, а ёж спал.", req, r);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_GT(r.numTokens, 8);
    ASSERT_EQ(r.numLayers, o.numLayers);

    const bool roberta = c.architecture == Architecture::Roberta;
    const bool distil = c.architecture == Architecture::DistilBert;
    const std::string pre = roberta ? "roberta." : distil ? "distilbert." : "bert.";
    const std::int64_t positionStart = roberta ? 6 + 1 : 0;  // pad_token_id + 1
    torch::NoGradGuard ng;
    auto x = referenceEmbeddings(w, pre, r.encoding.ids(), positionStart, !distil, distil ? 1e-12 : o.layerNormEps);
    EXPECT_LT(relativeError(hiddenOf(r, 0), x), 1e-4) << "embeddings";

    for (std::int64_t l = 0; l < o.numLayers; ++l) {
        const std::string p = pre + (distil ? "transformer.layer." : "encoder.layer.") + std::to_string(l) + ".";
        auto layer = referenceLayer(w, o, p, distil);
        // Attention probabilities per head from LibTorch's MultiheadAttention.
        auto in = x.unsqueeze(1);  // (seq, batch, dim)
        auto [unused, probs] = layer->self_attn->forward(in, in, in, {}, true, {}, false);
        (void)unused;
        const std::int64_t T = r.numTokens;
        std::vector<float> ours(r.attentions.begin() + l * o.numHeads * T * T,
                                r.attentions.begin() + (l + 1) * o.numHeads * T * T);
        auto oursT = torch::from_blob(ours.data(), {o.numHeads, T, T}, torch::kFloat32).clone();
        EXPECT_LT(relativeError(oursT, probs.squeeze(0)), 1e-4) << "attention of layer " << l + 1;

        x = layer->forward(in).squeeze(1);
        EXPECT_LT(relativeError(hiddenOf(r, l + 1), x), 1e-4) << "layer " << l + 1;
    }

    // MLM head by hand: transform, activation, LayerNorm, tied decoder + bias.
    std::string dense, norm, bias;
    if (roberta) dense = "lm_head.dense", norm = "lm_head.layer_norm", bias = "lm_head.bias";
    else if (distil) dense = "vocab_transform", norm = "vocab_layer_norm", bias = "vocab_projector.bias";
    else dense = "cls.predictions.transform.dense", norm = "cls.predictions.transform.LayerNorm", bias = "cls.predictions.bias";
    auto h = torch::linear(x, tensorOf(w, dense + ".weight"), tensorOf(w, dense + ".bias"));
    h = (c.act == "relu" && !roberta) ? torch::relu(h) : torch::gelu(h);
    h = torch::layer_norm(h, {o.hiddenSize}, tensorOf(w, norm + ".weight"), tensorOf(w, norm + ".bias"),
                          distil ? 1e-12 : o.layerNormEps);
    auto logits = torch::linear(h, tensorOf(w, pre + "embeddings.word_embeddings.weight"), tensorOf(w, bias));
    auto ourLogits = torch::from_blob(r.logits.data(), {r.numTokens, r.vocabSize}, torch::kFloat32).clone();
    EXPECT_LT(relativeError(ourLogits, logits), 1e-4) << "MLM logits";
}

INSTANTIATE_TEST_SUITE_P(Families, EncoderReference,
                         ::testing::Values(Case{"BertF32", Architecture::Bert, DType::F32, "gelu"},
                                           Case{"BertF16Relu", Architecture::Bert, DType::F16, "relu"},
                                           Case{"BertBF16", Architecture::Bert, DType::BF16, "gelu"},
                                           Case{"Roberta", Architecture::Roberta, DType::F32, "gelu"},
                                           Case{"DistilBert", Architecture::DistilBert, DType::F32, "gelu"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Encoder, Bfloat16StaysCloseToFloat32) {
    TempDir dir;
    FixtureOptions o;
    ASSERT_TRUE(writeRandomCheckpoint(dir.path(), o).isOk());
    std::shared_ptr<const Model> f32, bf16;
    ASSERT_TRUE(Model::load(dir.path(), ModelOptions{}, f32).isOk());
    ModelOptions ob;
    ob.precision = Precision::BFloat16;
    Status st = Model::load(dir.path(), ob, bf16);
    ASSERT_TRUE(st.isOk()) << st.message();
    EncodeResult a, b;
    ASSERT_TRUE(f32->encode("Она делала кашу.", {}, a).isOk());
    ASSERT_TRUE(bf16->encode("Она делала кашу.", {}, b).isOk());
    ASSERT_EQ(a.hidden.size(), b.hidden.size());
    auto ta = torch::tensor(a.hidden), tb = torch::tensor(b.hidden);
    const double err = relativeError(tb, ta);
    EXPECT_LT(err, 0.05);   // bf16 keeps ~3 significant digits
    EXPECT_GT(err, 1e-7);   // and really ran in reduced precision
}

TEST(Encoder, RobertaMaximumLengthHonoursPositionOffset) {
    // Positions count from pad_token_id + 1, so the usable length is max_position_embeddings - 7.
    TempDir dir;
    FixtureOptions o;
    o.architecture = Architecture::Roberta;
    o.maxPositionEmbeddings = 20;
    ASSERT_TRUE(writeRandomCheckpoint(dir.path(), o).isOk());
    std::shared_ptr<const Model> m;
    ASSERT_TRUE(Model::load(dir.path(), ModelOptions{}, m).isOk());
    EXPECT_EQ(m->info().config.maxSequenceLength(), 20 - 7);
    EncodeResult r;
    Status st = m->encode(std::string("дом ") + std::string(40, ' ') + "кот кот кот кот кот кот кот кот кот кот кот кот кот", {}, r);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(r.numTokens, 13);
    EXPECT_TRUE(r.encoding.truncated);
}

TEST(Encoder, CancelBetweenLayers) {
    TempDir dir;
    FixtureOptions o;
    o.numLayers = 4;
    ASSERT_TRUE(writeRandomCheckpoint(dir.path(), o).isOk());
    std::shared_ptr<const Model> m;
    ASSERT_TRUE(Model::load(dir.path(), ModelOptions{}, m).isOk());
    EncodeResult r;
    int calls = 0;
    Status st = m->encode("дом", {}, r, [&](std::int64_t done, std::int64_t) {
        ++calls;
        return done < 2;
    });
    EXPECT_TRUE(st.isCancelled());
    EXPECT_EQ(calls, 3);
    EXPECT_TRUE(r.hidden.empty());
}

TEST(Encoder, CancelWhileLoading) {
    TempDir dir;
    ASSERT_TRUE(writeRandomCheckpoint(dir.path(), FixtureOptions{}).isOk());
    std::shared_ptr<const Model> m;
    Status st = Model::load(dir.path(), ModelOptions{}, m, [](std::int64_t, std::int64_t) { return false; });
    EXPECT_TRUE(st.isCancelled());
    EXPECT_EQ(m, nullptr);
}

TEST(ModelLoad, MissingTensorIsNamed) {
    TempDir dir;
    ASSERT_TRUE(writeRandomCheckpoint(dir.path(), FixtureOptions{}).isOk());
    WeightStore store;
    ASSERT_TRUE(WeightStore::openFile(dir.path() / "model.safetensors", store).isOk());
    std::vector<TensorToWrite> kept;
    for (const auto& info : store.tensors()) {
        if (info.name == "bert.encoder.layer.1.output.dense.weight") continue;
        std::span<const std::byte> raw;
        ASSERT_TRUE(store.rawData(info.name, raw).isOk());
        kept.push_back({info.name, info.dtype, info.shape, std::vector<std::byte>(raw.begin(), raw.end())});
    }
    store = WeightStore();
    ASSERT_TRUE(writeSafetensors(dir.path() / "model.safetensors", kept).isOk());
    std::shared_ptr<const Model> m;
    Status st = Model::load(dir.path(), ModelOptions{}, m);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("bert.encoder.layer.1.output.dense.weight"), std::string::npos) << st.message();
}

TEST(ModelLoad, ShapeMismatchNamesTensorAndFile) {
    TempDir dir;
    FixtureOptions o;
    ASSERT_TRUE(writeRandomCheckpoint(dir.path(), o).isOk());
    // Claim a larger FFN than the weights have.
    std::ifstream in(dir.path() / "config.json");
    std::string cfg((std::istreambuf_iterator<char>(in)), {});
    in.close();
    const auto at = cfg.find("\"intermediate_size\": 64");
    ASSERT_NE(at, std::string::npos);
    cfg.replace(at, 23, "\"intermediate_size\": 80");
    std::ofstream(dir.path() / "config.json") << cfg;
    std::shared_ptr<const Model> m;
    Status st = Model::load(dir.path(), ModelOptions{}, m);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("intermediate.dense.weight"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("model.safetensors"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("[80, 32]"), std::string::npos) << st.message();
}

TEST(ModelLoad, NotAFolder) {
    std::shared_ptr<const Model> m;
    Status st = Model::load("/nonexistent/grammascope-model", ModelOptions{}, m);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("/nonexistent/grammascope-model"), std::string::npos);
}

} // namespace
