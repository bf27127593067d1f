// Pseudo-log-likelihood: masked copies of each sentence run in batched
// forward passes; only the masked position of each row goes through the MLM
// head, so the vocabulary projection costs B rows, not B x T.

#include "grammascope/scoring.h"

#include "model/model_access.h"

#include <algorithm>

namespace gs {
namespace {

// One masked copy: sentence `sentence` with positions `masked` replaced by
// the mask token; the log-probability of the original token at masked[0] is
// written to the metrics flagged.
struct MaskedCopy {
    std::size_t sentence = 0;
    std::size_t slot = 0;  // index among the sentence's scored tokens
    std::vector<std::int64_t> masked;
    bool pll = false, wordL2r = false;
};

struct PreparedSentence {
    Encoding encoding;
    std::vector<std::int64_t> scored;  // positions of the scored tokens
    bool skipped = false;
};

// Specials added around the text are context only; everything typed in the
// text (a "[MASK]" written by the user included) is scored.
bool isScored(const Token& t) { return !t.special; }

// The copies of one sentence, in token order. A word's last piece masks only
// itself under both metrics, so one copy serves both.
void buildCopies(const PreparedSentence& s, std::size_t index, const ScoringOptions& o, std::vector<MaskedCopy>& out) {
    const auto& tokens = s.encoding.tokens;
    for (std::size_t k = 0; k < s.scored.size(); ++k) {
        const std::int64_t t = s.scored[k];
        std::vector<std::int64_t> later;
        if (o.wordL2r) {
            const auto w = tokens[static_cast<std::size_t>(t)].wordIndex;
            for (std::size_t j = k + 1; j < s.scored.size(); ++j) {
                const auto u = s.scored[j];
                if (w >= 0 && tokens[static_cast<std::size_t>(u)].wordIndex == w) later.push_back(u);
            }
        }
        if (later.empty()) {
            out.push_back({index, k, {t}, o.pll, o.wordL2r});
            continue;
        }
        if (o.pll) out.push_back({index, k, {t}, true, false});
        std::vector<std::int64_t> masked{t};
        masked.insert(masked.end(), later.begin(), later.end());
        out.push_back({index, k, std::move(masked), false, true});
    }
}

} // namespace

Status scoreSentences(const Model& model, const std::vector<std::string>& sentences, const ScoringOptions& options,
                      std::vector<SentenceScore>& out, std::vector<std::string>* warnings,
                      const ProgressCallback& progress) {
    try {
        const ModelInfo& info = model.info();
        const Tokenizer& tokenizer = model.tokenizer();
        if (!info.hasMlmHead) return Status::failed("scoring: the checkpoint has no MLM head (PLL needs one)");
        if (!options.pll && !options.wordL2r) return Status::failed("scoring: no metric selected");
        if (options.batchSize < 1) return Status::failed("scoring: the batch size must be at least 1");
        const std::int64_t maskId = tokenizer.specialTokens().mask;
        if (maskId < 0 || maskId >= info.config.vocabSize)
            return Status::failed("scoring: the tokenizer has no mask token");
        const std::int64_t maxLength = info.config.maxSequenceLength();

        // Tokenize everything first: errors surface before any compute.
        std::vector<PreparedSentence> prepared(sentences.size());
        std::vector<std::string> skippedNotes;
        for (std::size_t i = 0; i < sentences.size(); ++i) {
            const std::string& text = sentences[i];
            if (text.find_first_not_of(" \t\r\n") == std::string::npos)
                return Status::failed("scoring: sentence " + std::to_string(i + 1) + " is empty");
            PreparedSentence& p = prepared[i];
            Status st = tokenizer.encode(text, 0, p.encoding);
            if (!st.isOk()) return st.withStage("scoring: tokenizing sentence " + std::to_string(i + 1));
            for (std::size_t t = 0; t < p.encoding.tokens.size(); ++t) {
                if (isScored(p.encoding.tokens[t])) p.scored.push_back(static_cast<std::int64_t>(t));
            }
            if (p.scored.empty())
                return Status::failed("scoring: sentence " + std::to_string(i + 1) + " has no token to score: '" + text + "'");
            const auto length = static_cast<std::int64_t>(p.encoding.tokens.size());
            if (length > maxLength) {
                std::string msg = "sentence " + std::to_string(i + 1) + " has " + std::to_string(length) +
                                  " tokens, more than the model maximum of " + std::to_string(maxLength);
                if (!options.skipTooLong) return Status::failed("scoring: " + msg);
                p.skipped = true;
                skippedNotes.push_back(msg + ": skipped");
            }
        }

        std::vector<SentenceScore> result(sentences.size());
        for (std::size_t i = 0; i < prepared.size(); ++i) {
            const PreparedSentence& p = prepared[i];
            SentenceScore& s = result[i];
            s.length = static_cast<std::int64_t>(p.encoding.tokens.size());
            s.skipped = p.skipped;
            if (p.skipped) continue;
            s.numTokens = static_cast<std::int64_t>(p.scored.size());
            if (options.pll) s.pll = 0;
            if (options.wordL2r) s.wordL2r = 0;
            if (options.perToken) {
                for (auto t : p.scored) {
                    const Token& tok = p.encoding.tokens[static_cast<std::size_t>(t)];
                    TokenScore ts;
                    ts.piece = tok.text;
                    ts.id = tok.id;
                    ts.position = t;
                    ts.wordIndex = tok.wordIndex;
                    ts.begin = tok.begin;
                    ts.end = tok.end;
                    s.tokens.push_back(std::move(ts));
                }
            }
        }

        // Copies are generated sentence by sentence so memory stays bounded by
        // one batch plus one sentence's copies.
        const detail::BertEncoder& encoder = detail::ModelAccess::encoder(model);
        const torch::Device device = detail::ModelAccess::device(model);
        const std::int64_t numLayers = info.config.numLayers;
        const std::int64_t padId = info.config.padTokenId;
        const auto total = static_cast<std::int64_t>(sentences.size());
        c10::InferenceMode guard;
        detail::ModelCpuThreads cpuThreads(model);

        std::size_t nextSentence = 0;
        std::vector<MaskedCopy> pending;  // copies not yet run, in sentence order
        std::size_t pendingStart = 0;
        auto sentencesDone = [&]() -> std::int64_t {
            // Every sentence before the first pending copy's sentence is complete.
            if (pendingStart < pending.size()) return static_cast<std::int64_t>(pending[pendingStart].sentence);
            return static_cast<std::int64_t>(nextSentence);
        };
        if (progress && !progress(0, total)) return Status::cancelled();

        const auto B = static_cast<std::size_t>(options.batchSize);
        for (;;) {
            while (pending.size() - pendingStart < B && nextSentence < prepared.size()) {
                if (pendingStart > 0) {
                    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(pendingStart));
                    pendingStart = 0;
                }
                if (!prepared[nextSentence].skipped) buildCopies(prepared[nextSentence], nextSentence, options, pending);
                ++nextSentence;
            }
            const std::size_t rows = std::min(B, pending.size() - pendingStart);
            if (rows == 0) break;

            std::int64_t T = 0;
            for (std::size_t r = 0; r < rows; ++r) {
                const auto& enc = prepared[pending[pendingStart + r].sentence].encoding;
                T = std::max<std::int64_t>(T, static_cast<std::int64_t>(enc.tokens.size()));
            }
            const auto R = static_cast<std::int64_t>(rows);
            std::vector<std::int64_t> ids(static_cast<std::size_t>(R * T), padId), attention(ids.size(), 0);
            std::vector<std::int64_t> targets(rows), gold(rows);
            for (std::size_t r = 0; r < rows; ++r) {
                const MaskedCopy& c = pending[pendingStart + r];
                const auto& tokens = prepared[c.sentence].encoding.tokens;
                const std::size_t base = r * static_cast<std::size_t>(T);
                for (std::size_t t = 0; t < tokens.size(); ++t) {
                    ids[base + t] = tokens[t].id;
                    attention[base + t] = 1;
                }
                for (auto m : c.masked) ids[base + static_cast<std::size_t>(m)] = maskId;
                targets[r] = c.masked.front();
                gold[r] = tokens[static_cast<std::size_t>(c.masked.front())].id;
            }
            auto longOpts = torch::TensorOptions().dtype(torch::kLong);
            auto idT = torch::from_blob(ids.data(), {R, T}, longOpts).to(device);
            auto maskT = torch::from_blob(attention.data(), {R, T}, longOpts).to(device);
            auto targetT = torch::from_blob(targets.data(), {R}, longOpts).to(device);
            auto goldT = torch::from_blob(gold.data(), {R, 1}, longOpts).to(device);

            torch::Tensor last;
            detail::LayerHook hook = [&](int layer, const torch::Tensor& hidden) {
                if (layer == numLayers) last = hidden;
                return torch::Tensor();
            };
            detail::ForwardCapture capture{false, false, false};
            encoder.forward(idT, maskT, torch::Tensor(), capture, {}, hook);
            auto rowsT = torch::arange(R, longOpts.device(device));
            auto atTargets = last.index({rowsT, targetT});  // [R, H]
            auto logProbs = torch::log_softmax(encoder.mlmLogits(atTargets).to(torch::kFloat32), -1);
            auto picked = logProbs.gather(1, goldT).squeeze(1).to(torch::kCPU, torch::kDouble).contiguous();
            const double* lp = picked.data_ptr<double>();

            for (std::size_t r = 0; r < rows; ++r) {
                const MaskedCopy& c = pending[pendingStart + r];
                SentenceScore& s = result[c.sentence];
                if (c.pll) s.pll += lp[r];
                if (c.wordL2r) s.wordL2r += lp[r];
                if (options.perToken) {
                    TokenScore& ts = s.tokens[c.slot];
                    if (c.pll) ts.pll = lp[r];
                    if (c.wordL2r) ts.wordL2r = lp[r];
                }
            }
            pendingStart += rows;
            if (progress && !progress(sentencesDone(), total)) return Status::cancelled();
        }
        if (progress) progress(total, total);
        if (warnings) warnings->insert(warnings->end(), skippedNotes.begin(), skippedNotes.end());
        out = std::move(result);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("scoring: ") + e.what());
    }
}

} // namespace gs
