#include "train/encoder_params.h"

#include <map>
#include <string>

namespace gs::detail {
namespace {

torch::Tensor normal(std::vector<std::int64_t> shape, torch::Generator& gen) {
    return at::normal(0.0, 0.02, shape, gen);
}

} // namespace

EncoderWeights initBertWeights(const ModelConfig& c, std::uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    const std::int64_t H = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
    EncoderWeights w;
    w.wordEmbeddings = normal({V, H}, gen);
    w.positionEmbeddings = normal({c.maxPositionEmbeddings, H}, gen);
    if (c.typeVocabSize > 0) w.tokenTypeEmbeddings = normal({c.typeVocabSize, H}, gen);
    w.embNormWeight = torch::ones({H});
    w.embNormBias = torch::zeros({H});
    for (std::int64_t l = 0; l < c.numLayers; ++l) {
        EncoderLayerWeights L;
        L.qkvWeight = normal({3 * H, H}, gen);
        L.qkvBias = torch::zeros({3 * H});
        L.outWeight = normal({H, H}, gen);
        L.outBias = torch::zeros({H});
        L.norm1Weight = torch::ones({H});
        L.norm1Bias = torch::zeros({H});
        L.ffnInWeight = normal({I, H}, gen);
        L.ffnInBias = torch::zeros({I});
        L.ffnOutWeight = normal({H, I}, gen);
        L.ffnOutBias = torch::zeros({H});
        L.norm2Weight = torch::ones({H});
        L.norm2Bias = torch::zeros({H});
        w.layers.push_back(std::move(L));
    }
    w.hasMlmHead = true;
    w.mlm.transformWeight = normal({H, H}, gen);
    w.mlm.transformBias = torch::zeros({H});
    w.mlm.normWeight = torch::ones({H});
    w.mlm.normBias = torch::zeros({H});
    w.mlm.decoderWeight = w.wordEmbeddings;
    w.mlm.decoderBias = torch::zeros({V});
    w.mlm.activation = c.hiddenAct;
    w.mlm.normEps = c.layerNormEps;
    return w;
}

void trainableParameters(EncoderWeights& w, std::vector<torch::Tensor>& decay, std::vector<torch::Tensor>& noDecay) {
    decay.clear();
    noDecay.clear();
    decay.push_back(w.wordEmbeddings);
    decay.push_back(w.positionEmbeddings);
    if (w.tokenTypeEmbeddings.defined()) decay.push_back(w.tokenTypeEmbeddings);
    noDecay.push_back(w.embNormWeight);
    noDecay.push_back(w.embNormBias);
    for (auto& L : w.layers) {
        for (auto* t : {&L.qkvWeight, &L.outWeight, &L.ffnInWeight, &L.ffnOutWeight}) decay.push_back(*t);
        for (auto* t : {&L.qkvBias, &L.outBias, &L.norm1Weight, &L.norm1Bias, &L.ffnInBias, &L.ffnOutBias,
                        &L.norm2Weight, &L.norm2Bias})
            noDecay.push_back(*t);
    }
    decay.push_back(w.mlm.transformWeight);
    for (auto* t : {&w.mlm.transformBias, &w.mlm.normWeight, &w.mlm.normBias, &w.mlm.decoderBias})
        noDecay.push_back(*t);
    for (auto& t : decay) t.set_requires_grad(true);
    for (auto& t : noDecay) t.set_requires_grad(true);
}

EncoderWeights castForCompute(const EncoderWeights& w, torch::ScalarType dtype) {
    EncoderWeights c = w;
    auto cast = [&](torch::Tensor& t) {
        if (t.defined() && t.scalar_type() != dtype) t = t.to(dtype);
    };
    const bool tied = w.mlm.decoderWeight.is_same(w.wordEmbeddings);
    cast(c.wordEmbeddings);
    cast(c.positionEmbeddings);
    cast(c.tokenTypeEmbeddings);
    cast(c.embNormWeight);
    cast(c.embNormBias);
    for (auto& L : c.layers) {
        for (auto* t : {&L.qkvWeight, &L.qkvBias, &L.outWeight, &L.outBias, &L.norm1Weight, &L.norm1Bias,
                        &L.ffnInWeight, &L.ffnInBias, &L.ffnOutWeight, &L.ffnOutBias, &L.norm2Weight, &L.norm2Bias})
            cast(*t);
    }
    for (auto* t : {&c.mlm.transformWeight, &c.mlm.transformBias, &c.mlm.normWeight, &c.mlm.normBias, &c.mlm.decoderBias})
        cast(*t);
    if (tied) c.mlm.decoderWeight = c.wordEmbeddings;
    else cast(c.mlm.decoderWeight);
    return c;
}

Status saveBertSafetensors(const EncoderWeights& w, const ModelConfig& c, const std::filesystem::path& file,
                           DType dtype) {
    try {
        std::vector<TensorToWrite> out;
        auto add = [&](const std::string& name, const torch::Tensor& t) {
            auto f = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
            TensorToWrite tw;
            tw.name = name;
            tw.dtype = dtype;
            tw.shape.assign(f.sizes().begin(), f.sizes().end());
            tw.data = encodeFloat32As(dtype, std::span<const float>(f.data_ptr<float>(), static_cast<std::size_t>(f.numel())));
            out.push_back(std::move(tw));
        };
        const std::string p = "bert.";
        add(p + "embeddings.word_embeddings.weight", w.wordEmbeddings);
        add(p + "embeddings.position_embeddings.weight", w.positionEmbeddings);
        if (w.tokenTypeEmbeddings.defined()) add(p + "embeddings.token_type_embeddings.weight", w.tokenTypeEmbeddings);
        add(p + "embeddings.LayerNorm.weight", w.embNormWeight);
        add(p + "embeddings.LayerNorm.bias", w.embNormBias);
        for (std::size_t l = 0; l < w.layers.size(); ++l) {
            const auto& L = w.layers[l];
            const std::string q = p + "encoder.layer." + std::to_string(l) + ".";
            auto qkvW = L.qkvWeight.chunk(3, 0);
            auto qkvB = L.qkvBias.chunk(3, 0);
            const char* names[] = {"attention.self.query", "attention.self.key", "attention.self.value"};
            for (int i = 0; i < 3; ++i) {
                add(q + names[i] + ".weight", qkvW[static_cast<std::size_t>(i)]);
                add(q + names[i] + ".bias", qkvB[static_cast<std::size_t>(i)]);
            }
            add(q + "attention.output.dense.weight", L.outWeight);
            add(q + "attention.output.dense.bias", L.outBias);
            add(q + "attention.output.LayerNorm.weight", L.norm1Weight);
            add(q + "attention.output.LayerNorm.bias", L.norm1Bias);
            add(q + "intermediate.dense.weight", L.ffnInWeight);
            add(q + "intermediate.dense.bias", L.ffnInBias);
            add(q + "output.dense.weight", L.ffnOutWeight);
            add(q + "output.dense.bias", L.ffnOutBias);
            add(q + "output.LayerNorm.weight", L.norm2Weight);
            add(q + "output.LayerNorm.bias", L.norm2Bias);
        }
        if (w.hasMlmHead) {
            add("cls.predictions.transform.dense.weight", w.mlm.transformWeight);
            add("cls.predictions.transform.dense.bias", w.mlm.transformBias);
            add("cls.predictions.transform.LayerNorm.weight", w.mlm.normWeight);
            add("cls.predictions.transform.LayerNorm.bias", w.mlm.normBias);
            add("cls.predictions.bias", w.mlm.decoderBias);
            if (!w.mlm.decoderWeight.is_same(w.wordEmbeddings) || !c.tieWordEmbeddings)
                add("cls.predictions.decoder.weight", w.mlm.decoderWeight);
        }
        return writeSafetensors(file, out, {{"format", "pt"}});
    } catch (const std::exception& e) {
        return Status::failed("saving " + file.string() + ": " + e.what());
    }
}

} // namespace gs::detail
