#include "model/bert_encoder.h"

#include <cmath>
#include <set>
#include <sstream>

namespace gs::detail {
namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::ostringstream s;
    s << '[';
    for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
    s << ']';
    return s.str();
}

// Resolves Hugging Face tensor names: the family prefix is detected once, and
// the old TensorFlow-converted LayerNorm names (gamma / beta) are accepted.
class NameResolver {
public:
    NameResolver(const WeightStore& store, const ModelConfig& config) : m_store(store) {
        const std::string family = config.architecture == Architecture::Bert      ? "bert."
                                   : config.architecture == Architecture::Roberta ? "roberta."
                                                                                  : "distilbert.";
        for (const std::string& p : {family, std::string(), std::string("model."), std::string("bert."),
                                     std::string("roberta."), std::string("xlm-roberta."), std::string("distilbert.")}) {
            if (store.find(p + "embeddings.word_embeddings.weight")) {
                m_prefix = p;
                m_found = true;
                break;
            }
        }
    }
    bool found() const { return m_found; }
    const std::string& prefix() const { return m_prefix; }

    // Returns the stored name for a body tensor (with prefix) or a head tensor (without).
    const WeightInfo* lookup(const std::string& name, bool body) const {
        const std::string full = body ? m_prefix + name : name;
        if (auto* w = m_store.find(full)) return w;
        auto swapSuffix = [&](const std::string& from, const std::string& to) -> const WeightInfo* {
            if (full.size() > from.size() && full.compare(full.size() - from.size(), from.size(), from) == 0)
                return m_store.find(full.substr(0, full.size() - from.size()) + to);
            return nullptr;
        };
        if (full.find("LayerNorm") != std::string::npos || full.find("layer_norm") != std::string::npos) {
            if (auto* w = swapSuffix(".weight", ".gamma")) return w;
            if (auto* w = swapSuffix(".bias", ".beta")) return w;
        }
        return nullptr;
    }

private:
    const WeightStore& m_store;
    std::string m_prefix;
    bool m_found = false;
};

class Loader {
public:
    Loader(const WeightStore& store, const ModelConfig& config) : m_store(store), m_names(store, config) {}

    const NameResolver& names() const { return m_names; }

    // Reads a required tensor and checks its shape.
    torch::Tensor get(const std::string& name, std::vector<std::int64_t> shape, bool body = true) {
        const WeightInfo* info = m_names.lookup(name, body);
        if (!info) {
            throw std::runtime_error("missing tensor '" + (body ? m_names.prefix() : std::string()) + name +
                                     "' (expected shape " + shapeText(shape) + ")");
        }
        return read(*info, shape);
    }
    torch::Tensor optional(const std::string& name, std::vector<std::int64_t> shape, bool body = true) {
        const WeightInfo* info = m_names.lookup(name, body);
        return info ? read(*info, shape) : torch::Tensor();
    }
    bool has(const std::string& name, bool body = true) const { return m_names.lookup(name, body) != nullptr; }

    const std::set<std::string>& used() const { return m_used; }

private:
    torch::Tensor read(const WeightInfo& info, const std::vector<std::int64_t>& shape) {
        if (info.shape != shape) {
            throw std::runtime_error("tensor '" + info.name + "' in " + info.file + " has shape " +
                                     shapeText(info.shape) + ", config.json implies " + shapeText(shape));
        }
        std::vector<float> values;
        Status st = m_store.readFloat32(info.name, values);
        if (!st.isOk()) throw std::runtime_error(st.message());
        for (float v : values) {
            if (!std::isfinite(v))
                throw std::runtime_error("tensor '" + info.name + "' in " + info.file + " contains NaN or Inf");
        }
        m_used.insert(info.name);
        return torch::from_blob(values.data(), shape, torch::kFloat32).clone();
    }

    const WeightStore& m_store;
    NameResolver m_names;
    std::set<std::string> m_used;
};

} // namespace

Status loadEncoderWeights(const WeightStore& store, const ModelConfig& c, bool loadMlmHead, EncoderWeights& w,
                          std::vector<std::string>& unused, const ProgressCallback& progress) {
    try {
        Loader ld(store, c);
        if (!ld.names().found()) {
            return Status::failed("no word embeddings found: expected a tensor named "
                                  "'[bert.|roberta.|distilbert.]embeddings.word_embeddings.weight' in " +
                                  store.formatDescription());
        }
        const std::int64_t H = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
        const bool distil = c.architecture == Architecture::DistilBert;
        const std::int64_t total = c.numLayers + 2;
        auto report = [&](std::int64_t done) { return !progress || progress(done, total); };

        w.wordEmbeddings = ld.get("embeddings.word_embeddings.weight", {V, H});
        w.positionEmbeddings = ld.get("embeddings.position_embeddings.weight", {c.maxPositionEmbeddings, H});
        if (!distil && c.typeVocabSize > 0)
            w.tokenTypeEmbeddings = ld.get("embeddings.token_type_embeddings.weight", {c.typeVocabSize, H});
        w.embNormWeight = ld.get("embeddings.LayerNorm.weight", {H});
        w.embNormBias = ld.get("embeddings.LayerNorm.bias", {H});
        if (!report(1)) return Status::cancelled();

        w.layers.clear();
        for (std::int64_t l = 0; l < c.numLayers; ++l) {
            EncoderLayerWeights L;
            const std::string p = (distil ? "transformer.layer." : "encoder.layer.") + std::to_string(l) + ".";
            const char* q = distil ? "attention.q_lin" : "attention.self.query";
            const char* k = distil ? "attention.k_lin" : "attention.self.key";
            const char* v = distil ? "attention.v_lin" : "attention.self.value";
            L.qkvWeight = torch::cat({ld.get(p + q + ".weight", {H, H}), ld.get(p + k + ".weight", {H, H}),
                                      ld.get(p + v + ".weight", {H, H})}, 0);
            L.qkvBias = torch::cat({ld.get(p + q + ".bias", {H}), ld.get(p + k + ".bias", {H}),
                                    ld.get(p + v + ".bias", {H})}, 0);
            const std::string out = distil ? "attention.out_lin" : "attention.output.dense";
            const std::string n1 = distil ? "sa_layer_norm" : "attention.output.LayerNorm";
            const std::string f1 = distil ? "ffn.lin1" : "intermediate.dense";
            const std::string f2 = distil ? "ffn.lin2" : "output.dense";
            const std::string n2 = distil ? "output_layer_norm" : "output.LayerNorm";
            L.outWeight = ld.get(p + out + ".weight", {H, H});
            L.outBias = ld.get(p + out + ".bias", {H});
            L.norm1Weight = ld.get(p + n1 + ".weight", {H});
            L.norm1Bias = ld.get(p + n1 + ".bias", {H});
            L.ffnInWeight = ld.get(p + f1 + ".weight", {I, H});
            L.ffnInBias = ld.get(p + f1 + ".bias", {I});
            L.ffnOutWeight = ld.get(p + f2 + ".weight", {H, I});
            L.ffnOutBias = ld.get(p + f2 + ".bias", {H});
            L.norm2Weight = ld.get(p + n2 + ".weight", {H});
            L.norm2Bias = ld.get(p + n2 + ".bias", {H});
            w.layers.push_back(std::move(L));
            if (!report(2 + l)) return Status::cancelled();
        }

        // MLM head of each family (head tensors carry no body prefix).
        w.hasMlmHead = false;
        if (loadMlmHead) {
            MlmHeadWeights& m = w.mlm;
            std::string dense, norm, decoder, bias, altBias;
            if (c.architecture == Architecture::Bert) {
                dense = "cls.predictions.transform.dense";
                norm = "cls.predictions.transform.LayerNorm";
                decoder = "cls.predictions.decoder.weight";
                bias = "cls.predictions.bias";
                altBias = "cls.predictions.decoder.bias";
                m.activation = c.hiddenAct;
                m.normEps = c.layerNormEps;
            } else if (c.architecture == Architecture::Roberta) {
                dense = "lm_head.dense";
                norm = "lm_head.layer_norm";
                decoder = "lm_head.decoder.weight";
                bias = "lm_head.bias";
                altBias = "lm_head.decoder.bias";
                m.activation = Activation::Gelu;  // RobertaLMHead always uses exact GELU
                m.normEps = c.layerNormEps;
            } else {
                dense = "vocab_transform";
                norm = "vocab_layer_norm";
                decoder = "vocab_projector.weight";
                bias = "vocab_projector.bias";
                m.activation = c.hiddenAct;
                m.normEps = 1e-12;
            }
            if (ld.has(dense + ".weight", false)) {
                m.transformWeight = ld.get(dense + ".weight", {H, H}, false);
                m.transformBias = ld.get(dense + ".bias", {H}, false);
                m.normWeight = ld.get(norm + ".weight", {H}, false);
                m.normBias = ld.get(norm + ".bias", {H}, false);
                m.decoderWeight = ld.optional(decoder, {V, H}, false);
                if (!m.decoderWeight.defined()) {
                    if (!c.tieWordEmbeddings)
                        throw std::runtime_error("missing tensor '" + decoder +
                                                 "' (tie_word_embeddings is false in config.json)");
                    m.decoderWeight = w.wordEmbeddings;
                }
                m.decoderBias = ld.optional(bias, {V}, false);
                if (!m.decoderBias.defined() && !altBias.empty()) m.decoderBias = ld.optional(altBias, {V}, false);
                if (!m.decoderBias.defined()) m.decoderBias = torch::zeros({V});
                w.hasMlmHead = true;
            }
        }
        if (!report(total)) return Status::cancelled();

        unused.clear();
        for (const auto& info : store.tensors()) {
            if (!ld.used().count(info.name)) unused.push_back(info.name);
        }
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(e.what());
    }
}

void moveEncoderWeights(EncoderWeights& w, torch::Device device, torch::ScalarType dtype) {
    auto mv = [&](torch::Tensor& t) {
        if (t.defined()) t = t.to(device, dtype).contiguous();
    };
    mv(w.wordEmbeddings);
    mv(w.positionEmbeddings);
    mv(w.tokenTypeEmbeddings);
    mv(w.embNormWeight);
    mv(w.embNormBias);
    for (auto& L : w.layers) {
        for (torch::Tensor* t : {&L.qkvWeight, &L.qkvBias, &L.outWeight, &L.outBias, &L.norm1Weight, &L.norm1Bias,
                                 &L.ffnInWeight, &L.ffnInBias, &L.ffnOutWeight, &L.ffnOutBias, &L.norm2Weight,
                                 &L.norm2Bias})
            mv(*t);
    }
    auto& m = w.mlm;
    const bool tied = m.decoderWeight.defined() && m.decoderWeight.is_same(w.wordEmbeddings);
    for (torch::Tensor* t : {&m.transformWeight, &m.transformBias, &m.normWeight, &m.normBias, &m.decoderBias}) mv(*t);
    if (tied) m.decoderWeight = w.wordEmbeddings;
    else mv(m.decoderWeight);
}

BertEncoder::BertEncoder(ModelConfig config, EncoderWeights weights)
    : m_config(std::move(config)), m_weights(std::move(weights)) {}

torch::Tensor BertEncoder::activate(const torch::Tensor& x, Activation a) const {
    switch (a) {
    case Activation::Gelu: return torch::gelu(x);
    case Activation::GeluTanh: return torch::gelu(x, "tanh");
    case Activation::Relu: return torch::relu(x);
    }
    return x;
}

torch::Tensor BertEncoder::additiveMask(const torch::Tensor& attentionMask, torch::ScalarType dtype) const {
    // 0 for tokens, the most negative finite value for padding (as Hugging Face does).
    auto keep = attentionMask.to(torch::kBool).unsqueeze(1).unsqueeze(2);
    auto zeros = torch::zeros(keep.sizes(), torch::TensorOptions().dtype(dtype).device(attentionMask.device()));
    const double lowest = dtype == torch::kBFloat16 ? -3.38e38 : -3.4028234663852886e38;
    return zeros.masked_fill(keep.logical_not(), lowest);
}

torch::Tensor BertEncoder::embed(const torch::Tensor& ids, const torch::Tensor& attentionMask,
                                 const torch::Tensor& typeIds) const {
    const auto& w = m_weights;
    const std::int64_t T = ids.size(1);
    torch::Tensor positions;
    if (m_config.architecture == Architecture::Roberta) {
        // Hugging Face create_position_ids_from_input_ids: padding keeps pad_token_id,
        // real tokens count up from pad_token_id + 1.
        auto notPad = ids.ne(m_config.padTokenId).to(torch::kLong);
        positions = torch::cumsum(notPad, 1) * notPad + m_config.padTokenId;
    } else {
        positions = torch::arange(T, ids.options()).unsqueeze(0).expand_as(ids);
    }
    auto x = torch::embedding(w.wordEmbeddings, ids) + torch::embedding(w.positionEmbeddings, positions);
    if (w.tokenTypeEmbeddings.defined()) {
        auto types = typeIds.defined() ? typeIds : torch::zeros_like(ids);
        x = x + torch::embedding(w.tokenTypeEmbeddings, types);
    }
    const double eps = m_config.architecture == Architecture::DistilBert ? 1e-12 : m_config.layerNormEps;
    return torch::layer_norm(x, {m_config.hiddenSize}, w.embNormWeight, w.embNormBias, eps);
}

torch::Tensor BertEncoder::layer(int index, const torch::Tensor& x, const torch::Tensor& mask,
                                 torch::Tensor* attnProbs) const {
    const auto& L = m_weights.layers.at(static_cast<std::size_t>(index));
    const std::int64_t B = x.size(0), T = x.size(1), H = m_config.hiddenSize;
    const std::int64_t heads = m_config.numHeads, d = m_config.headDim();
    const double eps = m_config.architecture == Architecture::DistilBert ? 1e-12 : m_config.layerNormEps;

    auto qkv = torch::linear(x, L.qkvWeight, L.qkvBias).view({B, T, 3, heads, d}).permute({2, 0, 3, 1, 4});
    auto q = qkv[0], k = qkv[1], v = qkv[2];  // [B, heads, T, d]
    auto scores = torch::matmul(q, k.transpose(-1, -2)) * (1.0 / std::sqrt(static_cast<double>(d)));
    if (mask.defined()) scores = scores + mask;
    auto probs = torch::softmax(scores, -1);
    if (attnProbs) *attnProbs = probs;
    auto context = torch::matmul(probs, v).permute({0, 2, 1, 3}).reshape({B, T, H});
    auto attnOut = torch::linear(context, L.outWeight, L.outBias);
    auto x1 = torch::layer_norm(attnOut + x, {H}, L.norm1Weight, L.norm1Bias, eps);
    auto ff = activate(torch::linear(x1, L.ffnInWeight, L.ffnInBias), m_config.hiddenAct);
    auto ffOut = torch::linear(ff, L.ffnOutWeight, L.ffnOutBias);
    return torch::layer_norm(ffOut + x1, {H}, L.norm2Weight, L.norm2Bias, eps);
}

torch::Tensor BertEncoder::mlmLogits(const torch::Tensor& hidden) const {
    const auto& m = m_weights.mlm;
    if (!m_weights.hasMlmHead) throw std::runtime_error("this checkpoint has no MLM head");
    auto h = activate(torch::linear(hidden, m.transformWeight, m.transformBias), m.activation);
    h = torch::layer_norm(h, {m_config.hiddenSize}, m.normWeight, m.normBias, m.normEps);
    return torch::linear(h, m.decoderWeight, m.decoderBias);
}

ForwardOutput BertEncoder::forward(const torch::Tensor& ids, const torch::Tensor& attentionMask,
                                   const torch::Tensor& typeIds, const ForwardCapture& capture,
                                   const ProgressCallback& progress, const LayerHook& hook) const {
    ForwardOutput out;
    const auto dtype = m_weights.wordEmbeddings.scalar_type();
    const std::int64_t L = m_config.numLayers;
    auto x = embed(ids, attentionMask, typeIds);
    if (hook) {
        auto replaced = hook(0, x);
        if (replaced.defined()) x = replaced;
    }
    if (capture.hiddenStates) out.hidden.push_back(x);
    auto mask = additiveMask(attentionMask, dtype);
    for (std::int64_t l = 0; l < L; ++l) {
        if (progress && !progress(l, L)) {
            out.cancelled = true;
            return out;
        }
        torch::Tensor probs;
        x = layer(static_cast<int>(l), x, mask, capture.attentions ? &probs : nullptr);
        if (hook) {
            auto replaced = hook(static_cast<int>(l + 1), x);
            if (replaced.defined()) x = replaced;
        }
        if (capture.hiddenStates) out.hidden.push_back(x);
        if (capture.attentions) out.attentions.push_back(probs);
    }
    if (capture.mlmLogits) out.logits = mlmLogits(x);
    if (progress) progress(L, L);
    return out;
}

} // namespace gs::detail
