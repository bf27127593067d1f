// grammascope-cli encode: tokens and per-layer summaries of one sentence,
// optionally every layer's hidden states for comparison with another implementation.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "grammascope/layer_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace gs::cli {
namespace {

const char* kHelp =
    "usage: grammascope-cli encode --model DIR (--text TEXT | --text-file FILE) [options]\n"
    "\n"
    "Tokenizes one sentence, runs the encoder and prints the tokens (text, id,\n"
    "character offsets, word index) and per-layer summaries.\n"
    "\n"
    "options:\n"
    "%s"
    "  --text TEXT          the sentence (UTF-8)\n"
    "  --text-file FILE     read the sentence from a file ('-' for standard input)\n"
    "  --json               JSON instead of a table\n"
    "  --full               with --json: add every layer's hidden states [layer][token][dim]\n"
    "  --attentions         with --json --full: add attention probabilities [layer][head][query][key]\n"
    "  --logits             with --json: add the top-5 MLM predictions per token\n";

struct LayerSummary {
    double meanNorm = 0, meanCosineToLast = 0, meanChange = 0;
};

std::vector<LayerSummary> summarise(const EncodeResult& r) {
    std::vector<LayerSummary> out(static_cast<std::size_t>(r.numLayers + 1));
    auto rowMeans = [&](LayerQuantity q, double LayerSummary::*field) {
        const Heatmap h = computeLayerHeatmap(r, q);
        for (int row = 0; row < h.rows; ++row) {
            double s = 0;
            for (int col = 0; col < h.cols; ++col) s += h.at(row, col);
            out[static_cast<std::size_t>(row)].*field = h.cols ? s / h.cols : 0;
        }
    };
    rowMeans(LayerQuantity::HiddenNorm, &LayerSummary::meanNorm);
    rowMeans(LayerQuantity::CosineToLast, &LayerSummary::meanCosineToLast);
    rowMeans(LayerQuantity::ChangeFromPrevious, &LayerSummary::meanChange);
    return out;
}

nlohmann::json topPredictions(const EncodeResult& r, const Tokenizer& tok, std::int64_t t) {
    const float* row = r.logits.data() + t * r.vocabSize;
    std::vector<std::int64_t> idx(static_cast<std::size_t>(r.vocabSize));
    for (std::int64_t i = 0; i < r.vocabSize; ++i) idx[static_cast<std::size_t>(i)] = i;
    const auto k = std::min<std::int64_t>(5, r.vocabSize);
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](auto a, auto b) { return row[a] > row[b]; });
    double maxv = row[idx[0]], z = 0;
    for (std::int64_t i = 0; i < r.vocabSize; ++i) z += std::exp(static_cast<double>(row[i]) - maxv);
    nlohmann::json out = nlohmann::json::array();
    for (std::int64_t i = 0; i < k; ++i) {
        const auto id = idx[static_cast<std::size_t>(i)];
        out.push_back({{"id", id}, {"piece", tok.idToPiece(id)}, {"prob", std::exp(row[id] - maxv) / z}});
    }
    return out;
}

bool readText(Args& args, std::string& text, std::string& error) {
    if (args.has("text")) {
        text = args.value("text");
        return true;
    }
    if (!args.has("text-file")) {
        error = "give the sentence with --text or --text-file";
        return false;
    }
    const std::string file = args.value("text-file");
    std::stringstream ss;
    if (file == "-") {
        ss << std::cin.rdbuf();
    } else {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            error = "cannot read " + file;
            return false;
        }
        ss << in.rdbuf();
    }
    text = ss.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return true;
}

} // namespace

int runEncode(int argc, char** argv) {
    std::set<std::string> valued = kModelValuedOptions;
    valued.insert({"text", "text-file"});
    Args args(argc, argv, 2, valued, {"json", "full", "attentions", "logits", "help"});
    if (args.has("help")) {
        std::printf(kHelp, kModelOptionsHelp);
        return 0;
    }
    if (!args.ok()) {
        std::cerr << "error: " << args.error() << "\n";
        return 2;
    }
    std::string text, error;
    if (!readText(args, text, error)) {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    std::shared_ptr<const Model> model;
    if (int rc = openModel(args, model)) return rc;

    EncodeRequest request;
    request.attentions = args.has("attentions") && args.has("full");
    request.mlmLogits = args.has("logits");
    EncodeResult r;
    Status st = model->encode(text, request, r);
    if (!st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return st.isCancelled() ? 130 : 1;
    }
    for (const auto& w : r.encoding.warnings) std::cerr << "warning: " << w << "\n";
    const auto summary = summarise(r);

    if (args.has("json")) {
        nlohmann::json out;
        out["model"] = modelInfoJson(model->info());
        out["text"] = text;
        out["truncated"] = r.encoding.truncated;
        out["tokens"] = tokensJson(r.encoding);
        nlohmann::json layers = nlohmann::json::array();
        for (std::size_t l = 0; l < summary.size(); ++l) {
            layers.push_back({{"layer", l},
                              {"name", l == 0 ? "embeddings" : "layer " + std::to_string(l)},
                              {"mean_norm", summary[l].meanNorm},
                              {"mean_cosine_to_last", summary[l].meanCosineToLast},
                              {"mean_change_from_previous", summary[l].meanChange}});
        }
        out["layers"] = layers;
        if (args.has("full")) {
            nlohmann::json hidden = nlohmann::json::array();
            for (std::int64_t l = 0; l <= r.numLayers; ++l) {
                nlohmann::json rows = nlohmann::json::array();
                for (std::int64_t t = 0; t < r.numTokens; ++t)
                    rows.push_back(std::vector<float>(r.hiddenAt(l, t), r.hiddenAt(l, t) + r.hiddenSize));
                hidden.push_back(std::move(rows));
            }
            out["hidden_states"] = std::move(hidden);
            if (request.attentions) {
                nlohmann::json att = nlohmann::json::array();
                const std::int64_t T = r.numTokens;
                for (std::int64_t l = 0; l < r.numLayers; ++l) {
                    nlohmann::json heads = nlohmann::json::array();
                    for (std::int64_t h = 0; h < r.numHeads; ++h) {
                        nlohmann::json rows = nlohmann::json::array();
                        for (std::int64_t q = 0; q < T; ++q) {
                            const float* p = &r.attentions[static_cast<std::size_t>(((l * r.numHeads + h) * T + q) * T)];
                            rows.push_back(std::vector<float>(p, p + T));
                        }
                        heads.push_back(std::move(rows));
                    }
                    att.push_back(std::move(heads));
                }
                out["attentions"] = std::move(att);
            }
        }
        if (request.mlmLogits) {
            nlohmann::json preds = nlohmann::json::array();
            for (std::int64_t t = 0; t < r.numTokens; ++t) preds.push_back(topPredictions(r, model->tokenizer(), t));
            out["predictions"] = std::move(preds);
        }
        std::cout << out.dump(2) << "\n";
        return 0;
    }

    std::cout << "tokens (" << r.numTokens << (r.encoding.truncated ? ", truncated" : "") << "):\n";
    std::cout << "  #    id      word  chars        token\n";
    for (std::size_t i = 0; i < r.encoding.tokens.size(); ++i) {
        const Token& t = r.encoding.tokens[i];
        std::ostringstream span;
        span << '[' << t.begin << ',' << t.end << ')';
        std::cout << "  " << std::left << std::setw(4) << i << ' ' << std::setw(7) << t.id << ' ' << std::setw(5)
                  << t.wordIndex << ' ' << std::setw(12) << span.str() << ' ' << t.text << "\n";
    }
    std::cout << "\nlayer        mean norm   cos to last   change from prev\n";
    for (std::size_t l = 0; l < summary.size(); ++l) {
        std::cout << "  " << std::left << std::setw(10) << (l == 0 ? std::string("emb") : std::to_string(l))
                  << std::right << std::fixed << std::setprecision(4) << std::setw(10) << summary[l].meanNorm
                  << std::setw(14) << summary[l].meanCosineToLast << std::setw(19) << summary[l].meanChange << "\n";
    }
    return 0;
}

} // namespace gs::cli
