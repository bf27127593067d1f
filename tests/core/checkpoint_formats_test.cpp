// One small BERT in every weight format the loader reads, checked against
// hidden states computed independently in Python (scripts/make_bin_model_fixture.py).

#include "checkpoint_fixture.h"
#include "grammascope/model.h"
#include "grammascope/weights.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace gs;
using gs::testing::TempDir;

namespace {

const std::filesystem::path kBinModel = std::filesystem::path(GRAMMASCOPE_TEST_DATA_DIR) / "checkpoints" / "tiny-bert-bin";

nlohmann::json reference() {
    std::ifstream in(kBinModel / "reference.json");
    return nlohmann::json::parse(in);
}

void copyTokenizerAndConfig(const std::filesystem::path& to) {
    for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json"})
        std::filesystem::copy_file(kBinModel / f, to / f);
}

// Largest |ours - theirs| / max |theirs| over every layer.
double compareToReference(const Model& model, const nlohmann::json& ref) {
    EncodeResult r;
    EncodeRequest req;
    req.mlmLogits = true;
    Status st = model.encode(ref["text"].get<std::string>(), req, r);
    EXPECT_TRUE(st.isOk()) << st.message();
    if (!st.isOk()) return 1e9;
    EXPECT_EQ(r.encoding.ids(), ref["ids"].get<std::vector<std::int64_t>>());
    double worst = 0;
    const auto& hs = ref["hidden_states"];
    EXPECT_EQ(static_cast<std::int64_t>(hs.size()), r.numLayers + 1);
    for (std::int64_t l = 0; l <= r.numLayers; ++l) {
        double maxRef = 0, maxDiff = 0;
        for (std::int64_t t = 0; t < r.numTokens; ++t)
            for (std::int64_t d = 0; d < r.hiddenSize; ++d) {
                const double want = hs[l][t][d].get<double>();
                maxRef = std::max(maxRef, std::abs(want));
                maxDiff = std::max(maxDiff, std::abs(want - r.hiddenAt(l, t)[d]));
            }
        worst = std::max(worst, maxDiff / maxRef);
    }
    double maxRef = 0, maxDiff = 0;
    for (std::int64_t t = 0; t < r.numTokens; ++t)
        for (std::int64_t v = 0; v < r.vocabSize; ++v) {
            const double want = ref["logits"][t][v].get<double>();
            maxRef = std::max(maxRef, std::abs(want));
            maxDiff = std::max(maxDiff, std::abs(want - r.logits[static_cast<std::size_t>(t * r.vocabSize + v)]));
        }
    return std::max(worst, maxDiff / maxRef);
}

std::vector<TensorToWrite> allTensors(const WeightStore& store) {
    std::vector<TensorToWrite> out;
    for (const auto& info : store.tensors()) {
        std::span<const std::byte> raw;
        EXPECT_TRUE(store.rawData(info.name, raw).isOk());
        out.push_back({info.name, info.dtype, info.shape, std::vector<std::byte>(raw.begin(), raw.end())});
    }
    return out;
}

TEST(CheckpointFormats, PytorchBinMatchesPythonReference) {
    std::shared_ptr<const Model> model;
    Status st = Model::load(kBinModel, ModelOptions{}, model);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_NE(model->info().weightsFormat.find("bin"), std::string::npos) << model->info().weightsFormat;
    EXPECT_TRUE(model->info().hasMlmHead);
    EXPECT_LT(compareToReference(*model, reference()), 1e-4);
}

TEST(CheckpointFormats, SafetensorsAndShardsGiveTheSameModel) {
    WeightStore bin;
    ASSERT_TRUE(WeightStore::openFile(kBinModel / "pytorch_model.bin", bin).isOk());
    auto tensors = allTensors(bin);
    ASSERT_GT(tensors.size(), 20u);
    const auto ref = reference();

    TempDir single;
    copyTokenizerAndConfig(single.path());
    ASSERT_TRUE(writeSafetensors(single.path() / "model.safetensors", tensors).isOk());
    std::shared_ptr<const Model> a;
    Status st = Model::load(single.path(), ModelOptions{}, a);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_LT(compareToReference(*a, ref), 1e-4);

    // Two shards with a Hugging Face index.
    TempDir sharded;
    copyTokenizerAndConfig(sharded.path());
    std::vector<TensorToWrite> first(tensors.begin(), tensors.begin() + tensors.size() / 2);
    std::vector<TensorToWrite> second(tensors.begin() + tensors.size() / 2, tensors.end());
    const char* n1 = "model-00001-of-00002.safetensors";
    const char* n2 = "model-00002-of-00002.safetensors";
    ASSERT_TRUE(writeSafetensors(sharded.path() / n1, first).isOk());
    ASSERT_TRUE(writeSafetensors(sharded.path() / n2, second).isOk());
    nlohmann::json index;
    index["metadata"] = {{"total_size", 0}};
    for (const auto& t : first) index["weight_map"][t.name] = n1;
    for (const auto& t : second) index["weight_map"][t.name] = n2;
    std::ofstream(sharded.path() / "model.safetensors.index.json") << index.dump(2);
    std::shared_ptr<const Model> b;
    st = Model::load(sharded.path(), ModelOptions{}, b);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_LT(compareToReference(*b, ref), 1e-4);
}

TEST(CheckpointFormats, HalfPrecisionWeightsStayClose) {
    WeightStore bin;
    ASSERT_TRUE(WeightStore::openFile(kBinModel / "pytorch_model.bin", bin).isOk());
    for (DType dtype : {DType::F16, DType::BF16}) {
        std::vector<TensorToWrite> tensors;
        for (const auto& info : bin.tensors()) {
            std::vector<float> v;
            if (info.dtype == DType::I64) continue;
            ASSERT_TRUE(bin.readFloat32(info.name, v).isOk());
            tensors.push_back({info.name, dtype, info.shape, encodeFloat32As(dtype, v)});
        }
        TempDir dir;
        copyTokenizerAndConfig(dir.path());
        ASSERT_TRUE(writeSafetensors(dir.path() / "model.safetensors", tensors).isOk());
        std::shared_ptr<const Model> m;
        Status st = Model::load(dir.path(), ModelOptions{}, m);
        ASSERT_TRUE(st.isOk()) << st.message();
        const double err = compareToReference(*m, reference());
        EXPECT_LT(err, dtype == DType::F16 ? 5e-3 : 5e-2) << dtypeName(dtype);
        EXPECT_GT(err, 1e-7) << dtypeName(dtype) << " weights were not rounded";
    }
}

} // namespace
