// One padded batch through the encoder: the hidden-state quantities from a
// single forward pass whose layers are reduced as they come out (only
// cosine-to-last has to keep every layer until the last one exists), and the
// surprisal row from masked copies packed into passes of bounded size.

#include "engine/batch_compute.h"

#include "model/model_access.h"

#include <algorithm>
#include <cmath>

namespace gs::detail {
namespace {

// Logit floats per slice of the MLM head (4M floats = 16 MB).
constexpr std::int64_t kLogitFloatsPerSlice = std::int64_t{4} << 20;

struct Chunk {
    std::size_t begin = 0, end = 0;  // into the copy list
    std::int64_t length = 0;         // padded length of the pass
};

struct Copy {
    std::size_t sentence = 0;   // into the batch
    std::int64_t position = 0;  // the masked token
};

bool needsHidden(LayerQuantity q) { return q != LayerQuantity::Surprisal; }

std::int64_t length(const BatchSentence& s) { return static_cast<std::int64_t>(s.encoding->tokens.size()); }

// Every non-special token gets one masked copy, as in the PLL scorer: the
// specials added around the text are context, not scored.
std::vector<Copy> buildCopies(const std::vector<BatchSentence>& sentences) {
    std::vector<Copy> copies;
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        if (!sentences[i].surprisal) continue;
        const auto& tokens = sentences[i].encoding->tokens;
        for (std::size_t t = 0; t < tokens.size(); ++t) {
            if (!tokens[t].special) copies.push_back({i, static_cast<std::int64_t>(t)});
        }
    }
    return copies;
}

// Consecutive copies while the padded pass stays within the budget; a pass
// always takes at least one copy, so a sentence longer than the budget still runs.
std::vector<Chunk> chunkCopies(const std::vector<BatchSentence>& sentences, const std::vector<Copy>& copies,
                               std::int64_t passTokens) {
    std::vector<Chunk> chunks;
    std::size_t i = 0;
    while (i < copies.size()) {
        Chunk c;
        c.begin = i;
        while (i < copies.size()) {
            const std::int64_t len = std::max(c.length, length(sentences[copies[i].sentence]));
            const auto rows = static_cast<std::int64_t>(i - c.begin + 1);
            if (i > c.begin && rows * len > passTokens) break;
            c.length = len;
            ++i;
        }
        c.end = i;
        chunks.push_back(c);
    }
    return chunks;
}

std::vector<std::string> layerLabels(std::int64_t layers) {
    std::vector<std::string> labels{"emb"};
    for (std::int64_t l = 1; l <= layers; ++l) labels.push_back(std::to_string(l));
    return labels;
}

std::vector<std::string> tokenLabels(const Encoding& encoding) {
    std::vector<std::string> labels;
    labels.reserve(encoding.tokens.size());
    for (const Token& t : encoding.tokens) labels.push_back(displayTokenText(t));
    return labels;
}

// cos(a, b) along the last axis from precomputed norms; 0 where either norm
// is 0, as computeLayerHeatmap() defines it.
torch::Tensor cosine(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& na, const torch::Tensor& nb) {
    auto denominator = na * nb;
    auto dot = (a * b).sum(-1);
    return torch::where(denominator == 0, torch::zeros_like(dot), dot / denominator);
}

torch::Tensor norms(const torch::Tensor& hd) { return hd.pow(2).sum(-1).sqrt(); }

struct PaddedIds {
    std::vector<std::int64_t> ids, mask;
};

PaddedIds padIds(const std::vector<const Encoding*>& rows, std::int64_t T, std::int64_t padId) {
    PaddedIds p;
    p.ids.assign(rows.size() * static_cast<std::size_t>(T), padId);
    p.mask.assign(p.ids.size(), 0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& tokens = rows[r]->tokens;
        const std::size_t base = r * static_cast<std::size_t>(T);
        for (std::size_t t = 0; t < tokens.size(); ++t) {
            p.ids[base + t] = tokens[t].id;
            p.mask[base + t] = 1;
        }
    }
    return p;
}

class BatchRunner {
public:
    BatchRunner(const Model& model, const std::vector<BatchSentence>& sentences,
                const std::vector<LayerQuantity>& quantities, std::int64_t passTokens, BatchComputeStats& stats,
                const ProgressCallback& progress)
        : m_model(model), m_encoder(ModelAccess::encoder(model)), m_device(ModelAccess::device(model)),
          m_sentences(sentences), m_quantities(quantities), m_passTokens(std::max<std::int64_t>(1, passTokens)),
          m_stats(stats), m_progress(progress) {}

    Status run(std::vector<std::vector<ResultMatrix>>& out) {
        const std::int64_t L = m_model.info().config.numLayers;
        std::vector<std::vector<ResultMatrix>> result(m_sentences.size(),
                                                      std::vector<ResultMatrix>(m_quantities.size()));
        m_total = countForwardPasses(m_sentences, m_passTokens);
        for (const auto& s : m_sentences) m_stats.tokens += length(s);

        const bool anyHiddenQuantity = std::any_of(m_quantities.begin(), m_quantities.end(), needsHidden);
        const bool anySurprisal =
            std::find(m_quantities.begin(), m_quantities.end(), LayerQuantity::Surprisal) != m_quantities.end();
        if (anyHiddenQuantity) {
            if (Status st = hiddenPass(L, result); !st.isOk()) return st;
        }
        if (anySurprisal) {
            if (Status st = surprisalPasses(result); !st.isOk()) return st;
        }
        out = std::move(result);
        return Status::ok();
    }

private:
    bool step() {
        const bool goOn = !m_progress || m_progress(m_done, m_total);
        ++m_done;
        return goOn;
    }

    bool wants(LayerQuantity q) const {
        return std::find(m_quantities.begin(), m_quantities.end(), q) != m_quantities.end();
    }

    Status hiddenPass(std::int64_t L, std::vector<std::vector<ResultMatrix>>& result) {
        std::vector<std::size_t> members;
        std::vector<const Encoding*> rows;
        std::int64_t T = 0;
        for (std::size_t i = 0; i < m_sentences.size(); ++i) {
            if (!m_sentences[i].hidden) continue;
            members.push_back(i);
            rows.push_back(m_sentences[i].encoding);
            T = std::max(T, length(m_sentences[i]));
        }
        if (members.empty()) return Status::ok();
        if (!step()) return Status::cancelled();
        const auto B = static_cast<std::int64_t>(members.size());
        m_stats.paddedTokens += B * T;
        ++m_stats.forwardPasses;

        PaddedIds padded = padIds(rows, T, m_model.info().config.padTokenId);
        const auto longs = torch::TensorOptions().dtype(torch::kLong);
        auto ids = torch::from_blob(padded.ids.data(), {B, T}, longs).to(m_device);
        auto mask = torch::from_blob(padded.mask.data(), {B, T}, longs).to(m_device);

        const bool wantNorm = wants(LayerQuantity::HiddenNorm);
        const bool wantChange = wants(LayerQuantity::ChangeFromPrevious);
        const bool wantLast = wants(LayerQuantity::CosineToLast);
        // Reduced layer by layer, so that only cosine-to-last keeps the layers.
        std::vector<torch::Tensor> normRows, changeRows, kept;
        torch::Tensor previous, previousNorm;
        LayerHook hook = [&](int, const torch::Tensor& h) {
            auto hd = h.to(torch::kDouble);
            auto n = norms(hd);
            if (wantNorm) normRows.push_back(n);
            if (wantChange) {
                changeRows.push_back(previous.defined() ? 1.0 - cosine(hd, previous, n, previousNorm)
                                                        : torch::zeros_like(n));
                previous = hd;
                previousNorm = n;
            }
            if (wantLast) kept.push_back(h);
            return torch::Tensor();
        };
        m_encoder.forward(ids, mask, torch::Tensor(), ForwardCapture{false, false, false}, {}, hook);
        previous = torch::Tensor();
        previousNorm = torch::Tensor();

        std::vector<torch::Tensor> lastRows;
        if (wantLast) {
            auto last = kept.back().to(torch::kDouble);
            auto lastNorm = norms(last);
            for (auto& layer : kept) {
                auto hd = layer.to(torch::kDouble);
                lastRows.push_back(cosine(hd, last, norms(hd), lastNorm));
                layer = torch::Tensor();  // free as we go
            }
        }

        const auto rowLabels = layerLabels(L);
        for (std::size_t q = 0; q < m_quantities.size(); ++q) {
            const std::vector<torch::Tensor>* source = nullptr;
            switch (m_quantities[q]) {
            case LayerQuantity::HiddenNorm: source = &normRows; break;
            case LayerQuantity::CosineToLast: source = &lastRows; break;
            case LayerQuantity::ChangeFromPrevious: source = &changeRows; break;
            case LayerQuantity::Surprisal: break;
            }
            if (!source) continue;
            auto host = torch::stack(*source, 0).to(torch::kCPU).contiguous();  // [L + 1, B, T] double
            const double* v = host.data_ptr<double>();
            for (std::size_t b = 0; b < members.size(); ++b) {
                const BatchSentence& s = m_sentences[members[b]];
                const auto cols = length(s);
                ResultMatrix& m = result[members[b]][q];
                m.rows = static_cast<int>(L + 1);
                m.cols = static_cast<int>(cols);
                m.values.resize(static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols));
                for (std::int64_t l = 0; l <= L; ++l) {
                    const double* row = v + (l * B + static_cast<std::int64_t>(b)) * T;
                    for (std::int64_t t = 0; t < cols; ++t)
                        m.values[static_cast<std::size_t>(l * cols + t)] = static_cast<float>(row[t]);
                }
                m.rowLabels = rowLabels;
                m.colLabels = tokenLabels(*s.encoding);
            }
        }
        return Status::ok();
    }

    Status surprisalPasses(std::vector<std::vector<ResultMatrix>>& result) {
        const std::vector<Copy> copies = buildCopies(m_sentences);
        const std::int64_t maskId = m_model.tokenizer().specialTokens().mask;
        const std::int64_t padId = m_model.info().config.padTokenId;
        const std::int64_t numLayers = m_model.info().config.numLayers;
        // Natural-log probabilities per sentence and position; NaN = not scored.
        std::vector<std::vector<double>> logProbs(m_sentences.size());
        for (std::size_t i = 0; i < m_sentences.size(); ++i) {
            if (m_sentences[i].surprisal)
                logProbs[i].assign(m_sentences[i].encoding->tokens.size(), std::nan(""));
        }
        const auto longs = torch::TensorOptions().dtype(torch::kLong);
        for (const Chunk& c : chunkCopies(m_sentences, copies, m_passTokens)) {
            if (!step()) return Status::cancelled();
            const auto R = static_cast<std::int64_t>(c.end - c.begin);
            const std::int64_t T = c.length;
            std::vector<const Encoding*> rows;
            for (std::size_t k = c.begin; k < c.end; ++k) rows.push_back(m_sentences[copies[k].sentence].encoding);
            PaddedIds padded = padIds(rows, T, padId);
            std::vector<std::int64_t> targets(static_cast<std::size_t>(R)), gold(static_cast<std::size_t>(R));
            for (std::int64_t r = 0; r < R; ++r) {
                const Copy& copy = copies[c.begin + static_cast<std::size_t>(r)];
                const auto at = static_cast<std::size_t>(r * T + copy.position);
                gold[static_cast<std::size_t>(r)] = padded.ids[at];
                padded.ids[at] = maskId;
                targets[static_cast<std::size_t>(r)] = copy.position;
            }
            m_stats.copyTokens += R * T;
            ++m_stats.forwardPasses;
            auto ids = torch::from_blob(padded.ids.data(), {R, T}, longs).to(m_device);
            auto mask = torch::from_blob(padded.mask.data(), {R, T}, longs).to(m_device);
            auto targetT = torch::from_blob(targets.data(), {R}, longs).to(m_device);
            auto goldT = torch::from_blob(gold.data(), {R, 1}, longs).to(m_device);
            torch::Tensor last;
            LayerHook hook = [&](int layer, const torch::Tensor& hidden) {
                if (layer == numLayers) last = hidden;
                return torch::Tensor();
            };
            m_encoder.forward(ids, mask, torch::Tensor(), ForwardCapture{false, false, false}, {}, hook);
            auto atTargets = last.index({torch::arange(R, longs.device(m_device)), targetT});  // [R, H]
            // The vocabulary projection in slices of rows: [R, V] logits of a
            // 120k-piece vocabulary would cost hundreds of MB per pass.
            const std::int64_t V = m_model.info().config.vocabSize;
            const std::int64_t slice = std::max<std::int64_t>(1, kLogitFloatsPerSlice / std::max<std::int64_t>(1, V));
            std::vector<torch::Tensor> parts;
            for (std::int64_t r0 = 0; r0 < R; r0 += slice) {
                const std::int64_t r1 = std::min(R, r0 + slice);
                auto lp = torch::log_softmax(m_encoder.mlmLogits(atTargets.slice(0, r0, r1)).to(torch::kFloat32), -1);
                parts.push_back(lp.gather(1, goldT.slice(0, r0, r1)).squeeze(1));
            }
            auto picked = torch::cat(parts).to(torch::kCPU, torch::kDouble).contiguous();
            const double* p = picked.data_ptr<double>();
            for (std::int64_t r = 0; r < R; ++r) {
                const Copy& copy = copies[c.begin + static_cast<std::size_t>(r)];
                logProbs[copy.sentence][static_cast<std::size_t>(copy.position)] = p[r];
            }
        }

        const auto q = static_cast<std::size_t>(
            std::find(m_quantities.begin(), m_quantities.end(), LayerQuantity::Surprisal) - m_quantities.begin());
        const double ln2 = std::log(2.0);
        for (std::size_t i = 0; i < m_sentences.size(); ++i) {
            if (!m_sentences[i].surprisal) continue;
            ResultMatrix& m = result[i][q];
            m.rows = 1;
            m.cols = static_cast<int>(logProbs[i].size());
            m.values.assign(logProbs[i].size(), 0.0f);
            for (std::size_t t = 0; t < logProbs[i].size(); ++t) {
                const double lp = logProbs[i][t];
                // The same expression as computeLayerHeatmap(), so the floats agree.
                double bits = 0;
                if (std::isfinite(lp)) bits += -lp / ln2;
                m.values[t] = static_cast<float>(bits);
            }
            m.rowLabels = {"MLM"};
            m.colLabels = tokenLabels(*m_sentences[i].encoding);
        }
        return Status::ok();
    }

    const Model& m_model;
    const BertEncoder& m_encoder;
    torch::Device m_device;
    const std::vector<BatchSentence>& m_sentences;
    const std::vector<LayerQuantity>& m_quantities;
    std::int64_t m_passTokens;
    BatchComputeStats& m_stats;
    const ProgressCallback& m_progress;
    std::int64_t m_done = 0, m_total = 0;
};

} // namespace

std::int64_t surprisalCopyTokens(const Encoding& encoding) {
    std::int64_t scored = 0;
    for (const Token& t : encoding.tokens) scored += t.special ? 0 : 1;
    return scored * static_cast<std::int64_t>(encoding.tokens.size());
}

std::int64_t countForwardPasses(const std::vector<BatchSentence>& sentences, std::int64_t passTokens) {
    const bool hidden = std::any_of(sentences.begin(), sentences.end(), [](const BatchSentence& s) { return s.hidden; });
    const auto copies = buildCopies(sentences);
    return (hidden ? 1 : 0) +
           static_cast<std::int64_t>(chunkCopies(sentences, copies, std::max<std::int64_t>(1, passTokens)).size());
}

Status computeBatch(const Model& model, const std::vector<BatchSentence>& sentences,
                    const std::vector<LayerQuantity>& quantities, std::int64_t passTokens,
                    std::vector<std::vector<ResultMatrix>>& out, BatchComputeStats& stats,
                    const ProgressCallback& progress) {
    try {
        for (const BatchSentence& s : sentences) {
            if (!s.encoding || s.encoding->tokens.empty()) return Status::failed("computing a batch: empty sentence");
            if (length(s) > model.info().config.maxSequenceLength())
                return Status::failed("computing a batch: " + std::to_string(length(s)) +
                                      " tokens exceed the model maximum of " +
                                      std::to_string(model.info().config.maxSequenceLength()));
        }
        const bool surprisal =
            std::find(quantities.begin(), quantities.end(), LayerQuantity::Surprisal) != quantities.end();
        if (surprisal) {
            if (!model.info().hasMlmHead)
                return Status::failed("token surprisal needs an MLM head; " + model.info().directory.string() +
                                      " has none");
            const std::int64_t maskId = model.tokenizer().specialTokens().mask;
            if (maskId < 0 || maskId >= model.info().config.vocabSize)
                return Status::failed("token surprisal: the tokenizer has no mask token");
        }
        c10::InferenceMode guard;
        ModelCpuThreads cpuThreads(model);
        BatchRunner runner(model, sentences, quantities, passTokens, stats, progress);
        return runner.run(out);
    } catch (const std::exception& e) {
        return Status::failed(std::string("computing a batch: ") + e.what());
    }
}

Status computeHiddenBatch(const Model& model, const std::vector<const Encoding*>& sentences,
                          std::vector<std::vector<float>>& perSentenceHidden, const ProgressCallback& progress) {
    try {
        const ModelConfig& config = model.info().config;
        std::int64_t T = 0;
        for (const Encoding* e : sentences) {
            if (!e || e->tokens.empty()) return Status::failed("computing hidden states: empty sentence");
            const auto n = static_cast<std::int64_t>(e->tokens.size());
            if (n > config.maxSequenceLength())
                return Status::failed("computing hidden states: " + std::to_string(n) +
                                      " tokens exceed the model maximum of " +
                                      std::to_string(config.maxSequenceLength()));
            T = std::max(T, n);
        }
        if (sentences.empty()) {
            perSentenceHidden.clear();
            return Status::ok();
        }
        c10::InferenceMode guard;
        ModelCpuThreads cpuThreads(model);
        const BertEncoder& encoder = ModelAccess::encoder(model);
        const torch::Device device = ModelAccess::device(model);
        const auto B = static_cast<std::int64_t>(sentences.size());
        const std::int64_t H = config.hiddenSize, layers = config.numLayers + 1;
        PaddedIds padded = padIds(sentences, T, config.padTokenId);
        const auto longs = torch::TensorOptions().dtype(torch::kLong);
        auto ids = torch::from_blob(padded.ids.data(), {B, T}, longs).to(device);
        auto mask = torch::from_blob(padded.mask.data(), {B, T}, longs).to(device);

        std::vector<std::vector<float>> result(sentences.size());
        for (std::size_t b = 0; b < sentences.size(); ++b)
            result[b].resize(static_cast<std::size_t>(layers * static_cast<std::int64_t>(sentences[b]->tokens.size()) * H));
        // Each layer is copied out as it comes, so only one is alive at a time.
        LayerHook hook = [&](int layer, const torch::Tensor& h) {
            auto host = h.to(torch::kCPU, torch::kFloat32).contiguous();  // [B, T, H]
            const float* p = host.data_ptr<float>();
            for (std::int64_t b = 0; b < B; ++b) {
                const auto n = static_cast<std::int64_t>(sentences[static_cast<std::size_t>(b)]->tokens.size());
                std::copy_n(p + b * T * H, n * H,
                            result[static_cast<std::size_t>(b)].begin() + static_cast<std::ptrdiff_t>(layer * n * H));
            }
            return torch::Tensor();
        };
        auto fwd = encoder.forward(ids, mask, torch::Tensor(), ForwardCapture{false, false, false}, progress, hook);
        if (fwd.cancelled) return Status::cancelled();
        perSentenceHidden = std::move(result);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("computing hidden states: ") + e.what());
    }
}

} // namespace gs::detail
