// Minimal-pair evaluation: both sentences of every pair scored in one run,
// then accuracies per phenomenon with Wilson intervals.

#include "grammascope/scoring.h"
#include "grammascope/unigram.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace gs {
namespace {

struct MetricTally {
    std::int64_t correct = 0, trials = 0, ties = 0;
    double goodSum = 0, badSum = 0;
    std::int64_t goodTokens = 0, badTokens = 0;
    // [0]: pairs where the unigram baseline prefers the bad sentence or ties; [1]: the good one.
    std::int64_t byFrequencyCorrect[2] = {0, 0}, byFrequencyTrials[2] = {0, 0};

    void finish(MetricAccuracy& m, double z, bool perplexity) const {
        m.computed = trials > 0;
        m.ties = ties;
        m.accuracy = wilsonInterval(correct, trials, z);
        if (perplexity) {
            m.goodPseudoPerplexity = pseudoPerplexity(goodSum, goodTokens);
            m.badPseudoPerplexity = pseudoPerplexity(badSum, badTokens);
            m.frequencyMisleads = wilsonInterval(byFrequencyCorrect[0], byFrequencyTrials[0], z);
            m.frequencyAgrees = wilsonInterval(byFrequencyCorrect[1], byFrequencyTrials[1], z);
        }
    }
};

struct GroupTally {
    std::int64_t pairs = 0, skipped = 0;
    MetricTally metrics[3];

    void add(const PairScore& ps, bool rublimp) {
        if (ps.skipped) {
            ++skipped;
            return;
        }
        ++pairs;
        for (int i = 0; i < 3; ++i) {
            const auto metric = static_cast<PairMetric>(i);
            const double g = pairDecisionScore(ps.good, ps.goodUnigram, metric, rublimp);
            const double b = pairDecisionScore(ps.bad, ps.badUnigram, metric, rublimp);
            if (std::isnan(g) || std::isnan(b)) continue;
            MetricTally& t = metrics[i];
            ++t.trials;
            if (g > b) ++t.correct;
            else if (g == b) ++t.ties;
            if (metric != PairMetric::Unigram) {
                if (!std::isnan(ps.goodUnigram) && !std::isnan(ps.badUnigram)) {
                    const int agrees = ps.goodUnigram > ps.badUnigram ? 1 : 0;
                    ++t.byFrequencyTrials[agrees];
                    if (g > b) ++t.byFrequencyCorrect[agrees];
                }
                t.goodSum += metric == PairMetric::Pll ? ps.good.pll : ps.good.wordL2r;
                t.badSum += metric == PairMetric::Pll ? ps.bad.pll : ps.bad.wordL2r;
                t.goodTokens += ps.good.numTokens;
                t.badTokens += ps.bad.numTokens;
            }
        }
    }

    PhenomenonAccuracy finish(const std::string& name, double z) const {
        PhenomenonAccuracy a;
        a.phenomenon = name;
        a.pairs = pairs;
        a.skipped = skipped;
        metrics[0].finish(a.pll, z, true);
        metrics[1].finish(a.wordL2r, z, true);
        metrics[2].finish(a.unigram, z, false);
        return a;
    }
};

std::string pairLabel(const MinimalPair& p) { return "pair '" + p.id + "' (" + p.phenomenon + ")"; }

} // namespace

double pseudoPerplexity(double sumLogProb, std::int64_t tokens) {
    if (tokens <= 0) return kNotComputed;
    return std::exp(-sumLogProb / static_cast<double>(tokens));
}

double rublimpScore(double pll, std::int64_t tokens) {
    if (tokens <= 0) return kNotComputed;
    return -std::exp(-pll / static_cast<double>(tokens));
}

Proportion wilsonInterval(std::int64_t successes, std::int64_t trials, double z) {
    Proportion p;
    p.successes = successes;
    p.trials = trials;
    if (trials <= 0) return p;
    const double n = static_cast<double>(trials);
    const double phat = static_cast<double>(successes) / n;
    const double z2 = z * z;
    const double denom = 1.0 + z2 / n;
    const double center = (phat + z2 / (2.0 * n)) / denom;
    const double half = z * std::sqrt(phat * (1.0 - phat) / n + z2 / (4.0 * n * n)) / denom;
    p.estimate = phat;
    p.low = std::max(0.0, center - half);
    p.high = std::min(1.0, center + half);
    return p;
}

const char* pairMetricName(PairMetric metric) {
    switch (metric) {
    case PairMetric::Pll: return "pll";
    case PairMetric::WordL2r: return "pll-word-l2r";
    case PairMetric::Unigram: return "unigram";
    }
    return "?";
}

double pairDecisionScore(const SentenceScore& s, double unigram, PairMetric metric, bool rublimp) {
    if (s.skipped) return kNotComputed;
    switch (metric) {
    case PairMetric::Pll:
        if (std::isnan(s.pll)) return kNotComputed;
        return rublimp ? rublimpScore(s.pll, s.numTokens) : s.pll;
    case PairMetric::WordL2r:
        if (std::isnan(s.wordL2r)) return kNotComputed;
        return rublimp ? rublimpScore(s.wordL2r, s.numTokens) : s.wordL2r;
    case PairMetric::Unigram: return unigram;
    }
    return kNotComputed;
}

void summarisePairs(const std::vector<MinimalPair>& pairs, const EvaluationOptions& options, PairEvaluation& evaluation) {
    std::vector<std::string> order;
    std::map<std::string, GroupTally> groups;
    GroupTally all;
    for (const PairScore& ps : evaluation.pairs) {
        const std::string& name = pairs.at(ps.index).phenomenon;
        auto [it, inserted] = groups.try_emplace(name);
        if (inserted) order.push_back(name);
        it->second.add(ps, options.rublimpScore);
        all.add(ps, options.rublimpScore);
    }
    evaluation.phenomena.clear();
    for (const auto& name : order) evaluation.phenomena.push_back(groups.at(name).finish(name, options.z));
    evaluation.overall = all.finish("all", options.z);
}

Status evaluatePairs(const Model& model, const std::vector<MinimalPair>& pairs, const EvaluationOptions& options,
                     const UnigramModel* unigram, PairEvaluation& out, const ProgressCallback& progress) {
    const Tokenizer& tokenizer = model.tokenizer();
    if (unigram) {
        Status st = checkUnigramMatches(*unigram, tokenizer);
        if (!st.isOk()) return st.withStage("unigram baseline");
    }
    const std::int64_t maxLength = model.info().config.maxSequenceLength();

    // Checks and the unigram baseline first, so that errors name the pair.
    PairEvaluation ev;
    ev.pairs.resize(pairs.size());
    std::vector<std::string> sentences;
    sentences.reserve(pairs.size() * 2);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const MinimalPair& p = pairs[i];
        PairScore& ps = ev.pairs[i];
        ps.index = i;
        for (int side = 0; side < 2; ++side) {
            const std::string& text = side == 0 ? p.good : p.bad;
            const char* which = side == 0 ? "good" : "bad";
            if (text.find_first_not_of(" \t\r\n") == std::string::npos)
                return Status::failed("scoring: " + pairLabel(p) + ": the " + which + " sentence is empty");
            Encoding enc;
            Status st = tokenizer.encode(text, 0, enc);
            if (!st.isOk()) return st.withStage("scoring: " + pairLabel(p) + ": tokenizing the " + which + " sentence");
            if (std::none_of(enc.tokens.begin(), enc.tokens.end(), [](const Token& t) { return !t.special; }))
                return Status::failed("scoring: " + pairLabel(p) + ": the " + which + " sentence has no token to score");
            const auto length = static_cast<std::int64_t>(enc.tokens.size());
            if (length > maxLength) {
                const std::string msg = pairLabel(p) + ": the " + which + " sentence has " + std::to_string(length) +
                                        " tokens, more than the model maximum of " + std::to_string(maxLength);
                if (!options.scoring.skipTooLong) return Status::failed("scoring: " + msg);
                ev.warnings.push_back(msg + "; the pair is skipped");
            }
            if (unigram) (side == 0 ? ps.goodUnigram : ps.badUnigram) = unigramLogProb(*unigram, enc);
            sentences.push_back(text);
        }
    }

    std::vector<SentenceScore> scores;
    const auto total = static_cast<std::int64_t>(pairs.size());
    ProgressCallback perPair;
    if (progress) perPair = [&](std::int64_t done, std::int64_t) { return progress(done / 2, total); };
    Status st = scoreSentences(model, sentences, options.scoring, scores, nullptr, perPair);
    if (!st.isOk()) return st;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        PairScore& ps = ev.pairs[i];
        ps.good = std::move(scores[2 * i]);
        ps.bad = std::move(scores[2 * i + 1]);
        ps.skipped = ps.good.skipped || ps.bad.skipped;
    }
    summarisePairs(pairs, options, ev);
    out = std::move(ev);
    return Status::ok();
}

} // namespace gs
