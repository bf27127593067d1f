// MLM loss recovered with an SAE spliced into one layer (sae_data.h): the
// encoder runs with a LayerHook that replaces the hidden state of the chosen
// layer at the non-special positions by zeros or by the SAE reconstruction.

#include "grammascope/sae_data.h"

#include "model/model_access.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace gs {

using detail::BertEncoder;
using detail::ForwardCapture;
using detail::LayerHook;
using detail::ModelAccess;

namespace {

struct MaskedSentence {
    std::vector<std::int64_t> ids, masked;   // original ids, ids with [MASK] at the chosen positions
    std::vector<std::uint8_t> special;       // 1 = added special
    std::vector<std::int64_t> chosen;        // masked positions
};

torch::Tensor floatTensor(const std::vector<float>& v, std::vector<std::int64_t> shape) {
    return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat32).clone();
}

} // namespace

Status evaluateSaeSplice(const Model& model, const SparseAutoencoder& sae, int layer,
                         const std::vector<std::string>& sentences, std::uint64_t seed, SaeSpliceMetrics& out,
                         const SaeSpliceProgressCallback& progress, const std::atomic<bool>* cancel) {
    const std::string stage = "MLM loss recovered";
    if (Status st = checkSae(sae); !st.isOk()) return st.withStage(stage);
    const ModelConfig& config = model.info().config;
    if (sae.dIn != config.hiddenSize)
        return Status::failed(stage + ": the autoencoder has d_in " + std::to_string(sae.dIn) +
                              ", the model's hidden size is " + std::to_string(config.hiddenSize));
    if (layer < 0 || layer > config.numLayers)
        return Status::failed(stage + ": layer " + std::to_string(layer) + " does not exist (0 .. " +
                              std::to_string(config.numLayers) + ")");
    const Tokenizer& tokenizer = model.tokenizer();
    const std::int64_t maskId = tokenizer.specialTokens().mask;
    if (maskId < 0) return Status::failed(stage + ": the tokenizer has no mask token");

    // Masks: a fixed seeded 15% of the non-special tokens, at least one.
    std::mt19937_64 rng(seed ^ 0x5ae5911ceull);
    std::vector<MaskedSentence> items;
    for (const auto& text : sentences) {
        Encoding e;
        if (Status st = tokenizer.encode(text, config.maxSequenceLength(), e); !st.isOk()) return st.withStage(stage);
        MaskedSentence m;
        std::vector<std::int64_t> candidates;
        for (std::size_t t = 0; t < e.tokens.size(); ++t) {
            m.ids.push_back(e.tokens[t].id);
            m.special.push_back(e.tokens[t].special ? 1 : 0);
            if (!e.tokens[t].special) candidates.push_back(static_cast<std::int64_t>(t));
        }
        if (candidates.empty()) continue;
        std::shuffle(candidates.begin(), candidates.end(), rng);
        const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(0.15 * candidates.size())));
        m.chosen.assign(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(n));
        std::sort(m.chosen.begin(), m.chosen.end());
        m.masked = m.ids;
        for (auto t : m.chosen) m.masked[static_cast<std::size_t>(t)] = maskId;
        items.push_back(std::move(m));
    }
    if (items.empty()) return Status::failed(stage + ": no sentence with a token to mask");

    try {
        c10::InferenceMode guard;
        detail::ModelCpuThreads cpuThreads(model);
        const BertEncoder& encoder = ModelAccess::encoder(model);
        if (!encoder.weights().hasMlmHead) return Status::failed(stage + ": the model has no MLM head");
        const torch::Device device = ModelAccess::device(model);
        const auto dtype = encoder.weights().wordEmbeddings.scalar_type();
        const std::int64_t H = sae.dIn, D = sae.dSae;
        const auto Wenc = floatTensor(sae.W_enc, {H, D}).to(device);
        const auto benc = floatTensor(sae.b_enc, {D}).to(device);
        const auto Wdec = floatTensor(sae.W_dec, {D, H}).to(device);
        const auto bdec = floatTensor(sae.b_dec, {H}).to(device);
        auto reconstruct = [&](const torch::Tensor& x) {  // [N, H] float32
            auto pre = torch::matmul(x - bdec, Wenc) + benc;
            torch::Tensor z;
            if (sae.kind == SaeKind::TopK) {
                auto [vals, idx] = pre.topk(std::min<std::int64_t>(sae.k, D), -1);
                z = torch::zeros_like(pre).scatter(-1, idx, torch::relu(vals));
            } else {
                z = torch::relu(pre);
            }
            return torch::matmul(z, Wdec) + bdec;
        };

        double sums[3] = {0, 0, 0};
        std::int64_t maskedTotal = 0;
        const std::size_t batch = 32;
        SaeSpliceProgress pr;
        pr.sentencesTotal = static_cast<std::int64_t>(items.size());
        for (std::size_t b0 = 0; b0 < items.size(); b0 += batch) {
            if (cancel && cancel->load()) return Status::cancelled();
            const std::size_t b1 = std::min(items.size(), b0 + batch);
            const auto B = static_cast<std::int64_t>(b1 - b0);
            std::int64_t T = 0;
            for (std::size_t i = b0; i < b1; ++i) T = std::max<std::int64_t>(T, static_cast<std::int64_t>(items[i].ids.size()));
            std::vector<std::int64_t> ids(static_cast<std::size_t>(B * T), config.padTokenId), mask(ids.size(), 0),
                targets(ids.size(), -100);
            std::vector<float> replace(ids.size(), 0.0f);
            for (std::size_t i = b0; i < b1; ++i) {
                const auto& m = items[i];
                const auto row = static_cast<std::size_t>((static_cast<std::int64_t>(i - b0)) * T);
                for (std::size_t t = 0; t < m.ids.size(); ++t) {
                    ids[row + t] = m.masked[t];
                    mask[row + t] = 1;
                    replace[row + t] = m.special[t] ? 0.0f : 1.0f;
                }
                for (auto t : m.chosen) targets[row + static_cast<std::size_t>(t)] = m.ids[static_cast<std::size_t>(t)];
            }
            const auto longs = torch::TensorOptions().dtype(torch::kLong);
            auto idT = torch::from_blob(ids.data(), {B, T}, longs).clone().to(device);
            auto maskT = torch::from_blob(mask.data(), {B, T}, longs).clone().to(device);
            auto targetT = torch::from_blob(targets.data(), {B * T}, longs).clone().to(device);
            auto replaceT = torch::from_blob(replace.data(), {B, T, 1}, torch::kFloat32).clone().to(device);
            for (int mode = 0; mode < 3; ++mode) {
                LayerHook hook = [&](int l, const torch::Tensor& h) -> torch::Tensor {
                    if (mode == 0 || l != layer) return {};
                    auto x = h.to(torch::kFloat32);
                    torch::Tensor y;
                    if (mode == 1) y = torch::zeros_like(x);
                    else y = reconstruct(x.reshape({-1, H})).reshape(x.sizes());
                    return (replaceT * y + (1 - replaceT) * x).to(dtype);
                };
                auto fwd = encoder.forward(idT, maskT, torch::Tensor(), ForwardCapture{false, false, true}, {}, hook);
                auto logits = fwd.logits.to(torch::kFloat32).reshape({B * T, -1});
                auto ce = torch::nn::functional::cross_entropy(
                    logits, targetT,
                    torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100).reduction(torch::kSum));
                sums[mode] += ce.item<double>();
            }
            for (std::size_t i = b0; i < b1; ++i) maskedTotal += static_cast<std::int64_t>(items[i].chosen.size());
            pr.sentencesDone = static_cast<std::int64_t>(b1);
            if (progress && !progress(pr)) return Status::cancelled();
        }
        SaeSpliceMetrics m;
        m.sentences = static_cast<std::int64_t>(items.size());
        m.maskedTokens = maskedTotal;
        m.ceClean = sums[0] / static_cast<double>(maskedTotal);
        m.ceZero = sums[1] / static_cast<double>(maskedTotal);
        m.ceSae = sums[2] / static_cast<double>(maskedTotal);
        const double denom = m.ceZero - m.ceClean;
        m.lossRecovered = denom == 0 ? std::numeric_limits<double>::quiet_NaN() : (m.ceZero - m.ceSae) / denom;
        out = m;
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
}

} // namespace gs
