#pragma once
// Token x layer matrices derived from an EncodeResult, ready to draw: rows are
// the embedding output and each layer, columns are tokens (or words, when
// sub-tokens are merged).
//
// Thread-safety: pure functions on value types.

#include "grammascope/model.h"

#include <string>
#include <vector>

namespace gs {

enum class LayerQuantity {
    HiddenNorm,          // ||h_l,t||_2
    CosineToLast,        // cos(h_l,t, h_L,t)
    ChangeFromPrevious,  // 1 - cos(h_l,t, h_l-1,t); row 0 (embeddings) is 0
    Surprisal,           // -log2 P(token | sentence with it masked), one row; needs tokenLogProbs
};

// Words: mean over a word's sub-tokens (sum for Surprisal: a word's surprisal).
enum class TokenGrouping { Tokens, Words };

struct LayerQuantityInfo {
    LayerQuantity quantity;
    const char* id;          // stable identifier: "hidden-norm", "cosine-to-last", ...
    const char* label;       // for people: "Hidden-state norm"
    const char* description; // one sentence for tooltips
    bool diverging;          // values centred on 0 (draw with a diverging map)
};

const std::vector<LayerQuantityInfo>& layerQuantities();
bool parseLayerQuantity(const std::string& id, LayerQuantity& out);

struct Heatmap {
    int rows = 0;                        // layers + 1
    int cols = 0;                        // tokens or words
    std::vector<float> values;           // row-major [rows x cols]
    std::vector<std::string> rowLabels;  // "emb", "1", ..., "L"
    std::vector<std::string> colLabels;  // token or word text (Cyrillic as is)
    std::vector<std::int64_t> colTokenBegin, colTokenEnd;  // token span of each column
    std::string title;                   // quantity label
    bool diverging = false;
    float at(int row, int col) const { return values[static_cast<std::size_t>(row) * cols + col]; }
};

// Fills out's columns (colLabels, colTokenBegin, colTokenEnd; cols) for
// `tokens`: one column per token, or per word (consecutive non-special
// tokens sharing a word index) with the pieces' display texts joined.
void setHeatmapColumns(const Encoding& tokens, TokenGrouping grouping, Heatmap& out);

// Computes a quantity from hidden states. Special tokens are kept as columns.
// Surprisal gives one row ("MLM") in bits, 0 at special tokens, and an empty
// heatmap (rows = 0) when the result holds no tokenLogProbs.
Heatmap computeLayerHeatmap(const EncodeResult& result, LayerQuantity quantity,
                            TokenGrouping grouping = TokenGrouping::Tokens);

// The label of a hidden-state row: "emb" for 0 (the embeddings), else the
// layer's number ("1" = the output of the first encoder layer).
std::string layerRowLabel(int row);

// Display label of a token: WordPiece "##" and SentencePiece "▁" markers
// removed, special tokens kept as written.
std::string displayTokenText(const Token& token);

} // namespace gs
