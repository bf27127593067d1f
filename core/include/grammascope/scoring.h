#pragma once
// Pseudo-log-likelihood scoring with a masked language model, and
// minimal-pair accuracy.
//
// PLL (Salazar et al. 2020): PLL(W) = Σ_t log P(w_t | W with t masked) over
// the non-special tokens of W. Every token gets one masked copy of the
// sentence; copies (of one or several sentences) are packed into [B, T]
// forward passes, padding masked out, B = ScoringOptions::batchSize.
// PLL-word-l2r (Kauf & Ivanova 2023): when a sub-token is scored, the later
// sub-tokens of the same word (same Token::wordIndex) are masked too, so a
// word is never predicted from its own right-hand pieces. The last piece of a
// word masks only itself, so that copy is shared with plain PLL.
// All log-probabilities are natural logarithms (nats).
//
// Pseudo-perplexity = exp(−ΣPLL / ΣN) over a set of sentences.
// Pair accuracy = share of pairs with score(good) > score(bad); a tie counts
// as wrong (and is counted separately). Score = the PLL sum, or with
// rublimpScore the RuBLiMP scorer's −exp(−PLL/N) (N = scored tokens). The
// unigram baseline always compares sums. Intervals are Wilson score intervals.
//
// Sentences longer than the model's maximum length (specials included) are
// skipped with a warning (ScoringOptions::skipTooLong) or fail the run; a
// pair with a skipped sentence is left out of every accuracy and counted as
// skipped. An empty sentence, or one without a scorable token, is an error.
//
// Thread-safety: free functions over a Model shared read-only; each call opens
// its own c10::InferenceMode. Concurrent calls share LibTorch's intra-op threads.
// Cancellation: `progress` is called before the first and after every forward
// batch; returning false stops the run, which returns Status::cancelled() and
// leaves `out` untouched.

#include "grammascope/model.h"
#include "grammascope/pairs.h"
#include "grammascope/status.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace gs {

struct UnigramModel;

struct ScoringOptions {
    bool pll = true;           // plain PLL
    bool wordL2r = false;      // PLL-word-l2r
    int batchSize = 32;        // masked copies per forward pass (>= 1)
    bool perToken = false;     // keep a TokenScore for every scored token
    bool skipTooLong = true;   // too long: skip with a warning (true) or fail (false)
};

inline constexpr double kNotComputed = std::numeric_limits<double>::quiet_NaN();

struct TokenScore {
    std::string piece;
    std::int64_t id = 0;
    std::int64_t position = 0;     // index in the encoding (specials included)
    std::int32_t wordIndex = -1;
    std::int64_t begin = -1, end = -1;  // code-point offsets in the sentence
    double pll = kNotComputed;     // log P(w_t | sentence with t masked)
    double wordL2r = kNotComputed; // log P(w_t | t and the later pieces of its word masked)
};

struct SentenceScore {
    std::int64_t numTokens = 0;    // N: scored tokens (specials excluded); 0 when skipped
    std::int64_t length = 0;       // tokens with specials, as fed to the model
    double pll = kNotComputed;     // Σ over tokens, when ScoringOptions::pll
    double wordL2r = kNotComputed; // Σ over tokens, when ScoringOptions::wordL2r
    bool skipped = false;          // longer than the model maximum
    std::vector<TokenScore> tokens;  // when ScoringOptions::perToken
};

// Scores every sentence. Needs a model with an MLM head. `warnings` (optional)
// receives one line per skipped sentence. Progress counts sentences.
Status scoreSentences(const Model& model, const std::vector<std::string>& sentences, const ScoringOptions& options,
                      std::vector<SentenceScore>& out, std::vector<std::string>* warnings = nullptr,
                      const ProgressCallback& progress = {});

// exp(−sumLogProb / tokens); NaN when tokens == 0.
// Fills result.tokenLogProbs with the PLL of every token of `text` (as encoded
// in `result`); special tokens get NaN.
Status scoreEncodedTokens(const Model& model, const std::string& text, EncodeResult& result,
                          const ProgressCallback& progress = {});

double pseudoPerplexity(double sumLogProb, std::int64_t tokens);
// The RuBLiMP scorer's sentence score: −exp(−PLL / N).
double rublimpScore(double pll, std::int64_t tokens);

// A binomial proportion with its Wilson score interval.
struct Proportion {
    std::int64_t successes = 0, trials = 0;
    double estimate = kNotComputed, low = kNotComputed, high = kNotComputed;  // NaN when trials == 0
};
// z = 1.959964 gives the 95% interval.
Proportion wilsonInterval(std::int64_t successes, std::int64_t trials, double z = 1.959963984540054);

enum class PairMetric { Pll, WordL2r, Unigram };
const char* pairMetricName(PairMetric metric);  // "pll", "pll-word-l2r", "unigram"

struct EvaluationOptions {
    ScoringOptions scoring;
    bool rublimpScore = false;  // compare −exp(−PLL/N) instead of PLL sums (PLL metrics)
    double z = 1.959963984540054;
};

struct PairScore {
    std::size_t index = 0;       // into the evaluated pairs
    SentenceScore good, bad;
    double goodUnigram = kNotComputed, badUnigram = kNotComputed;  // Σ log p(token)
    bool skipped = false;
};

struct MetricAccuracy {
    bool computed = false;
    std::int64_t ties = 0;                // counted as wrong
    Proportion accuracy;                  // correct / scored pairs, Wilson interval
    double goodPseudoPerplexity = kNotComputed, badPseudoPerplexity = kNotComputed;  // PLL metrics
    // PLL metrics, when the pairs carry unigram scores: the same accuracy split
    // by what word frequency alone says. `frequencyMisleads` covers the pairs
    // where the unigram baseline does not prefer the good sentence (it is
    // wrong or tied): a model that only tracked frequency gets 0 there, so
    // what it gets right on them comes from context. `frequencyAgrees` covers
    // the rest. Trials are 0 (estimate NaN) when there is no such pair.
    Proportion frequencyMisleads, frequencyAgrees;
};

struct PhenomenonAccuracy {
    std::string phenomenon;
    std::int64_t pairs = 0;    // scored pairs (n)
    std::int64_t skipped = 0;  // pairs left out (a sentence too long)
    MetricAccuracy pll, wordL2r, unigram;

    const MetricAccuracy& metric(PairMetric m) const {
        return m == PairMetric::Pll ? pll : m == PairMetric::WordL2r ? wordL2r : unigram;
    }
};

struct PairEvaluation {
    std::vector<PairScore> pairs;
    std::vector<PhenomenonAccuracy> phenomena;  // in order of first appearance
    PhenomenonAccuracy overall;                 // every pair; phenomenon "all"
    std::vector<std::string> warnings;
};

// The decision score of one sentence under a metric (NaN when not computed).
double pairDecisionScore(const SentenceScore& s, double unigram, PairMetric metric, bool rublimp);
// Scores both sentences of every pair (and the unigram baseline when `unigram`
// is given; it must match the model's vocabulary) and summarises. Progress
// counts pairs.
Status evaluatePairs(const Model& model, const std::vector<MinimalPair>& pairs, const EvaluationOptions& options,
                     const UnigramModel* unigram, PairEvaluation& out, const ProgressCallback& progress = {});
// Recomputes `phenomena` and `overall` from `evaluation.pairs` (exposed for
// tools that merge or filter scored pairs).
void summarisePairs(const std::vector<MinimalPair>& pairs, const EvaluationOptions& options, PairEvaluation& evaluation);

} // namespace gs
