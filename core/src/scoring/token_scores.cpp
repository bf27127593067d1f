// Per-token pseudo-log-likelihoods attached to an EncodeResult (the surprisal
// row of the layer view).

#include "grammascope/scoring.h"

#include <cmath>

namespace gs {

Status scoreEncodedTokens(const Model& model, const std::string& text, EncodeResult& result,
                          const ProgressCallback& progress) {
    if (!model.info().hasMlmHead)
        return Status::failed("token surprisal needs an MLM head; " + model.info().directory.string() + " has none");
    ScoringOptions options;
    options.perToken = true;
    options.skipTooLong = false;
    std::vector<SentenceScore> scores;
    if (Status st = scoreSentences(model, {text}, options, scores, nullptr, progress); !st.isOk()) return st;
    result.tokenLogProbs.assign(static_cast<std::size_t>(result.numTokens), std::nan(""));
    if (scores.empty()) return Status::failed("no score for the sentence");
    for (const TokenScore& t : scores.front().tokens) {
        if (t.position < 0 || t.position >= result.numTokens) continue;
        if (result.encoding.tokens[static_cast<std::size_t>(t.position)].id != t.id)
            return Status::failed("token surprisal: the scored tokens differ from the encoded ones");
        result.tokenLogProbs[static_cast<std::size_t>(t.position)] = t.pll;
    }
    return Status::ok();
}

} // namespace gs
