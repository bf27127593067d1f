#include "grammascope/layer_view.h"

#include <cmath>

namespace gs {

const std::vector<LayerQuantityInfo>& layerQuantities() {
    static const std::vector<LayerQuantityInfo> list = {
        {LayerQuantity::HiddenNorm, "hidden-norm", "Hidden-state norm",
         "Euclidean norm of each token's vector after each layer.", false},
        {LayerQuantity::CosineToLast, "cosine-to-last", "Cosine similarity to last layer",
         "How close each token's vector at a layer is to its final representation (1 = identical direction).", false},
        {LayerQuantity::ChangeFromPrevious, "change-from-previous", "Change from previous layer",
         "1 − cosine similarity between a token's vector at a layer and at the layer below: where the "
         "representation moves most.",
         false},
        {LayerQuantity::Surprisal, "surprisal", "Token surprisal (PLL, bits)",
         "−log₂ P(token | the sentence with that token masked): where the model finds the sentence "
         "unexpected. One row; merged words sum their pieces.", false},
    };
    return list;
}

bool parseLayerQuantity(const std::string& id, LayerQuantity& out) {
    for (const auto& q : layerQuantities()) {
        if (id == q.id) {
            out = q.quantity;
            return true;
        }
    }
    return false;
}

std::string layerRowLabel(int row) { return row == 0 ? std::string("emb") : std::to_string(row); }

std::string displayTokenText(const Token& token) {
    if (token.special) return token.text;
    std::string t = token.text;
    if (t.rfind("##", 0) == 0 && t.size() > 2) t = t.substr(2);
    static const std::string marker = "\xE2\x96\x81";  // U+2581, SentencePiece word start
    if (t.rfind(marker, 0) == 0) t = t.substr(marker.size());
    return t.empty() ? token.text : t;
}

namespace {

double dot(const float* a, const float* b, std::int64_t n) {
    double s = 0;
    for (std::int64_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

double cosine(const float* a, const float* b, std::int64_t n) {
    const double na = std::sqrt(dot(a, a, n)), nb = std::sqrt(dot(b, b, n));
    if (na == 0 || nb == 0) return 0;
    return dot(a, b, n) / (na * nb);
}

} // namespace

void setHeatmapColumns(const Encoding& encoding, TokenGrouping grouping, Heatmap& h) {
    h.colLabels.clear();
    h.colTokenBegin.clear();
    h.colTokenEnd.clear();
    const auto& tokens = encoding.tokens;
    const auto T = static_cast<std::int64_t>(tokens.size());
    for (std::int64_t t = 0; t < T; ++t) {
        const Token& tok = tokens[static_cast<std::size_t>(t)];
        const bool extend = grouping == TokenGrouping::Words && t > 0 && !tok.special && tok.wordIndex >= 0 &&
                            tokens[static_cast<std::size_t>(t - 1)].wordIndex == tok.wordIndex &&
                            !tokens[static_cast<std::size_t>(t - 1)].special;
        if (extend) {
            h.colTokenEnd.back() = t + 1;
            h.colLabels.back() += displayTokenText(tok);
        } else {
            h.colTokenBegin.push_back(t);
            h.colTokenEnd.push_back(t + 1);
            h.colLabels.push_back(displayTokenText(tok));
        }
    }
    h.cols = static_cast<int>(h.colLabels.size());
}

Heatmap computeLayerHeatmap(const EncodeResult& r, LayerQuantity quantity, TokenGrouping grouping) {
    Heatmap h;
    const std::int64_t T = r.numTokens, H = r.hiddenSize, L = r.numLayers;
    if (r.hidden.size() != static_cast<std::size_t>((L + 1) * T * H) || T == 0) return h;

    setHeatmapColumns(r.encoding, grouping, h);
    if (quantity == LayerQuantity::Surprisal) {
        if (r.tokenLogProbs.size() != static_cast<std::size_t>(T)) return Heatmap{};
        h.rows = 1;
        h.cols = static_cast<int>(h.colLabels.size());
        h.rowLabels = {"MLM"};
        h.title = "Token surprisal (PLL, bits)";
        h.values.assign(static_cast<std::size_t>(h.cols), 0.0f);
        for (int col = 0; col < h.cols; ++col) {
            double bits = 0;
            for (auto t = h.colTokenBegin[static_cast<std::size_t>(col)]; t < h.colTokenEnd[static_cast<std::size_t>(col)]; ++t) {
                const double lp = r.tokenLogProbs[static_cast<std::size_t>(t)];
                if (std::isfinite(lp)) bits += -lp / std::log(2.0);
            }
            h.values[static_cast<std::size_t>(col)] = static_cast<float>(bits);
        }
        return h;
    }
    h.rows = static_cast<int>(L + 1);
    h.cols = static_cast<int>(h.colLabels.size());
    h.values.assign(static_cast<std::size_t>(h.rows) * h.cols, 0.0f);
    for (std::int64_t l = 0; l <= L; ++l) h.rowLabels.push_back(layerRowLabel(static_cast<int>(l)));
    for (const auto& q : layerQuantities()) {
        if (q.quantity == quantity) {
            h.title = q.label;
            h.diverging = q.diverging;
        }
    }

    for (int row = 0; row < h.rows; ++row) {
        for (int col = 0; col < h.cols; ++col) {
            double sum = 0;
            const std::int64_t b = h.colTokenBegin[static_cast<std::size_t>(col)];
            const std::int64_t e = h.colTokenEnd[static_cast<std::size_t>(col)];
            for (std::int64_t t = b; t < e; ++t) {
                const float* v = r.hiddenAt(row, t);
                switch (quantity) {
                case LayerQuantity::HiddenNorm: sum += std::sqrt(dot(v, v, H)); break;
                case LayerQuantity::CosineToLast: sum += cosine(v, r.hiddenAt(L, t), H); break;
                case LayerQuantity::ChangeFromPrevious:
                    sum += row == 0 ? 0.0 : 1.0 - cosine(v, r.hiddenAt(row - 1, t), H);
                    break;
                case LayerQuantity::Surprisal: break;
                }
            }
            h.values[static_cast<std::size_t>(row) * h.cols + col] = static_cast<float>(sum / double(e - b));
        }
    }
    return h;
}

} // namespace gs
