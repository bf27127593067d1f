// Pseudo-log-likelihood scoring checked against an independent computation:
// one Model::encodeEncoding call per masked copy with the MLM logits, and the
// log-softmax done here by hand. Also the pair statistics (Wilson interval,
// RuBLiMP's score, ties) and the unigram baseline, by hand.

#include "checkpoint_fixture.h"
#include "grammascope/model.h"
#include "grammascope/scoring.h"
#include "grammascope/unigram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace gs;
using gs::testing::FixtureOptions;
using gs::testing::TempDir;

namespace {

std::shared_ptr<const Model> loadFixture(const TempDir& dir, FixtureOptions o = {}) {
    Status st = gs::testing::writeRandomCheckpoint(dir.path(), o);
    EXPECT_TRUE(st.isOk()) << st.message();
    std::shared_ptr<const Model> model;
    ModelOptions mo;
    mo.device = DevicePreference::Cpu;
    st = Model::load(dir.path(), mo, model);
    EXPECT_TRUE(st.isOk()) << st.message();
    return model;
}

Encoding tokenize(const Model& m, const std::string& text) {
    Encoding enc;
    Status st = m.tokenizer().encode(text, 0, enc);
    EXPECT_TRUE(st.isOk()) << st.message();
    return enc;
}

std::vector<std::int64_t> scoredPositions(const Encoding& enc) {
    std::vector<std::int64_t> out;
    for (std::size_t t = 0; t < enc.tokens.size(); ++t)
        if (!enc.tokens[t].special) out.push_back(static_cast<std::int64_t>(t));
    return out;
}

// log P(original token at `target` | `enc` with the `masked` positions replaced
// by the mask token): one forward pass of one sequence, log-softmax by hand.
double referenceLogProb(const Model& m, const Encoding& enc, std::int64_t target, const std::vector<std::int64_t>& masked) {
    const SpecialTokens& sp = m.tokenizer().specialTokens();
    Encoding copy = enc;
    for (auto p : masked) {
        copy.tokens[static_cast<std::size_t>(p)].id = sp.mask;
        copy.tokens[static_cast<std::size_t>(p)].text = sp.maskText;
    }
    EncodeRequest req;
    req.hiddenStates = false;
    req.mlmLogits = true;
    EncodeResult r;
    Status st = m.encodeEncoding(copy, req, r);
    EXPECT_TRUE(st.isOk()) << st.message();
    if (!st.isOk()) return 0;
    const float* row = r.logits.data() + target * r.vocabSize;
    double mx = row[0];
    for (std::int64_t v = 1; v < r.vocabSize; ++v) mx = std::max(mx, static_cast<double>(row[v]));
    double z = 0;
    for (std::int64_t v = 0; v < r.vocabSize; ++v) z += std::exp(static_cast<double>(row[v]) - mx);
    const auto gold = enc.tokens[static_cast<std::size_t>(target)].id;
    return static_cast<double>(row[gold]) - mx - std::log(z);
}

// Positions masked by PLL-word-l2r when scoring `target`: itself and the later
// pieces of its word.
std::vector<std::int64_t> l2rMask(const Encoding& enc, std::int64_t target) {
    std::vector<std::int64_t> masked{target};
    const auto w = enc.tokens[static_cast<std::size_t>(target)].wordIndex;
    for (std::size_t u = static_cast<std::size_t>(target) + 1; u < enc.tokens.size(); ++u)
        if (!enc.tokens[u].special && enc.tokens[u].wordIndex == w) masked.push_back(static_cast<std::int64_t>(u));
    return masked;
}

PairScore syntheticPair(std::size_t index, double goodPll, std::int64_t goodN, double badPll, std::int64_t badN) {
    PairScore ps;
    ps.index = index;
    ps.good.pll = goodPll;
    ps.good.numTokens = goodN;
    ps.bad.pll = badPll;
    ps.bad.numTokens = badN;
    return ps;
}

class PllMatchesReference : public ::testing::TestWithParam<Architecture> {};

} // namespace

TEST_P(PllMatchesReference, BatchedCopiesEqualOneForwardPassPerCopy) {
    TempDir dir;
    FixtureOptions o;
    o.architecture = GetParam();
    o.seed = 11;
    auto model = loadFixture(dir, o);
    ASSERT_TRUE(model);
    // Different lengths: batches of 3 copies mix sentences and need padding.
    const std::vector<std::string> sentences = {"Мама мыла раму.", "кот спал", "Она делала кашу, а ёж спал."};
    ScoringOptions so;
    so.batchSize = 3;
    so.perToken = true;
    std::vector<SentenceScore> scores;
    std::vector<std::string> warnings;
    Status st = scoreSentences(*model, sentences, so, scores, &warnings);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_EQ(scores.size(), sentences.size());
    EXPECT_TRUE(warnings.empty());
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        const Encoding enc = tokenize(*model, sentences[i]);
        const auto positions = scoredPositions(enc);
        const SentenceScore& s = scores[i];
        EXPECT_FALSE(s.skipped);
        EXPECT_EQ(s.length, static_cast<std::int64_t>(enc.tokens.size()));
        ASSERT_EQ(s.numTokens, static_cast<std::int64_t>(positions.size()));
        ASSERT_EQ(s.tokens.size(), positions.size());
        EXPECT_TRUE(std::isnan(s.wordL2r));  // not requested
        double sum = 0;
        for (std::size_t k = 0; k < positions.size(); ++k) {
            const double want = referenceLogProb(*model, enc, positions[k], {positions[k]});
            const TokenScore& ts = s.tokens[k];
            EXPECT_EQ(ts.position, positions[k]);
            EXPECT_EQ(ts.id, enc.tokens[static_cast<std::size_t>(positions[k])].id);
            EXPECT_NEAR(ts.pll, want, 1e-4) << sentences[i] << " token " << ts.piece;
            EXPECT_LT(ts.pll, 0.0);
            sum += want;
        }
        EXPECT_NEAR(s.pll, sum, 1e-4) << sentences[i];
    }
}

INSTANTIATE_TEST_SUITE_P(Families, PllMatchesReference,
                         ::testing::Values(Architecture::Bert, Architecture::Roberta, Architecture::DistilBert),
                         [](const auto& info) { return std::string(architectureName(info.param)); });

TEST(PllScoring, ResultDoesNotDependOnBatchSize) {
    TempDir dir;
    auto model = loadFixture(dir);
    ASSERT_TRUE(model);
    const std::vector<std::string> sentences = {"Она делала кашу.", "мальчик читает книгу", "ёж", "дом и кот."};
    std::vector<double> first;
    for (int b : {1, 7, 100}) {
        ScoringOptions so;
        so.batchSize = b;
        so.wordL2r = true;
        std::vector<SentenceScore> scores;
        ASSERT_TRUE(scoreSentences(*model, sentences, so, scores).isOk());
        std::vector<double> flat;
        for (const auto& s : scores) flat.insert(flat.end(), {s.pll, s.wordL2r});
        if (first.empty()) first = flat;
        for (std::size_t i = 0; i < flat.size(); ++i) EXPECT_NEAR(flat[i], first[i], 1e-4) << "batch " << b;
    }
}

TEST(PllScoring, WordL2rMasksExactlyTheLaterPiecesOfTheWord) {
    TempDir dir;
    auto model = loadFixture(dir);
    ASSERT_TRUE(model);
    const std::string text = "мамами спал дома.";
    const Encoding enc = tokenize(*model, text);
    // [CLS] мама ##м ##и спал дом ##а . [SEP]: a three-piece word and a two-piece one.
    ASSERT_GE(enc.tokens.size(), 8u);
    ASSERT_EQ(enc.tokens[1].text, "мама");
    ASSERT_EQ(enc.tokens[2].text, "##м");
    ASSERT_EQ(enc.tokens[3].text, "##и");
    ASSERT_EQ(enc.tokens[1].wordIndex, enc.tokens[3].wordIndex);
    ASSERT_NE(enc.tokens[3].wordIndex, enc.tokens[4].wordIndex);

    ScoringOptions so;
    so.wordL2r = true;
    so.perToken = true;
    so.batchSize = 4;
    std::vector<SentenceScore> scores;
    Status st = scoreSentences(*model, {text}, so, scores);
    ASSERT_TRUE(st.isOk()) << st.message();
    const SentenceScore& s = scores[0];
    const auto positions = scoredPositions(enc);
    ASSERT_EQ(s.tokens.size(), positions.size());
    double sum = 0;
    for (std::size_t k = 0; k < positions.size(); ++k) {
        const auto t = positions[k];
        const double want = referenceLogProb(*model, enc, t, l2rMask(enc, t));
        EXPECT_NEAR(s.tokens[k].wordL2r, want, 1e-4) << "token " << enc.tokens[static_cast<std::size_t>(t)].text;
        EXPECT_NEAR(s.tokens[k].pll, referenceLogProb(*model, enc, t, {t}), 1e-4);
        sum += want;
    }
    EXPECT_NEAR(s.wordL2r, sum, 1e-4);

    // The reference really tells the masks apart: "мама" with ##м ##и masked
    // differs from plain PLL; "##м" must not mask the earlier "мама" (whole-word
    // masking) nor anything after its word.
    EXPECT_GT(std::abs(s.tokens[0].wordL2r - s.tokens[0].pll), 1e-4);
    EXPECT_GT(std::abs(s.tokens[1].wordL2r - referenceLogProb(*model, enc, 2, {1, 2, 3})), 1e-4);
    EXPECT_GT(std::abs(s.tokens[1].wordL2r - referenceLogProb(*model, enc, 2, {2, 3, 4})), 1e-4);
    // A word's last piece masks only itself under both metrics.
    EXPECT_DOUBLE_EQ(s.tokens[2].wordL2r, s.tokens[2].pll);
    EXPECT_DOUBLE_EQ(s.tokens[3].wordL2r, s.tokens[3].pll);  // "спал", one piece
}

TEST(PllScoring, LongEmptyAndUnscorableInput) {
    TempDir dir;
    auto model = loadFixture(dir);  // max_position_embeddings 64
    ASSERT_TRUE(model);
    std::string longText;
    for (int i = 0; i < 70; ++i) longText += "кот ";
    ScoringOptions so;
    std::vector<SentenceScore> scores;
    std::vector<std::string> warnings;
    Status st = scoreSentences(*model, {"кот спал", longText}, so, scores, &warnings);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_FALSE(scores[0].skipped);
    EXPECT_TRUE(scores[1].skipped);
    EXPECT_EQ(scores[1].numTokens, 0);
    EXPECT_EQ(scores[1].length, 72);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], "sentence 2 has 72 tokens, more than the model maximum of 64: skipped");

    so.skipTooLong = false;
    st = scoreSentences(*model, {"кот спал", longText}, so, scores);
    ASSERT_TRUE(st.isFailed());
    EXPECT_EQ(st.message(), "scoring: sentence 2 has 72 tokens, more than the model maximum of 64");

    st = scoreSentences(*model, {"кот", "  "}, ScoringOptions{}, scores);
    ASSERT_TRUE(st.isFailed());
    EXPECT_EQ(st.message(), "scoring: sentence 2 is empty");

    so = {};
    so.batchSize = 0;
    EXPECT_TRUE(scoreSentences(*model, {"кот"}, so, scores).isFailed());
}

TEST(PllScoring, NeedsAnMlmHead) {
    TempDir dir;
    FixtureOptions o;
    o.mlmHead = false;
    auto model = loadFixture(dir, o);
    ASSERT_TRUE(model);
    std::vector<SentenceScore> scores;
    Status st = scoreSentences(*model, {"кот"}, ScoringOptions{}, scores);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("no MLM head"), std::string::npos);
}

TEST(PllScoring, CancelsBetweenBatchesAndLeavesOutputUntouched) {
    TempDir dir;
    auto model = loadFixture(dir);
    ASSERT_TRUE(model);
    ScoringOptions so;
    so.batchSize = 2;
    std::vector<SentenceScore> scores(1);
    scores[0].pll = 42;
    int calls = 0;
    Status st = scoreSentences(*model, {"Мама мыла раму.", "кот спал"}, so, scores, nullptr,
                               [&](std::int64_t, std::int64_t) { return ++calls < 3; });
    EXPECT_TRUE(st.isCancelled());
    EXPECT_EQ(calls, 3);
    ASSERT_EQ(scores.size(), 1u);
    EXPECT_EQ(scores[0].pll, 42);
}

TEST(PairStatistics, WilsonIntervalMatchesHandValues) {
    auto p = wilsonInterval(8, 10);
    EXPECT_DOUBLE_EQ(p.estimate, 0.8);
    EXPECT_NEAR(p.low, 0.4902, 5e-5);
    EXPECT_NEAR(p.high, 0.9433, 5e-5);
    p = wilsonInterval(0, 10);
    EXPECT_DOUBLE_EQ(p.low, 0.0);
    EXPECT_NEAR(p.high, 0.2775, 5e-5);
    p = wilsonInterval(10, 10);
    EXPECT_NEAR(p.low, 0.7225, 5e-5);
    EXPECT_DOUBLE_EQ(p.high, 1.0);
    p = wilsonInterval(50, 100);
    EXPECT_NEAR(p.low, 0.4038, 5e-5);
    EXPECT_NEAR(p.high, 0.5962, 5e-5);
    p = wilsonInterval(0, 0);
    EXPECT_TRUE(std::isnan(p.estimate) && std::isnan(p.low) && std::isnan(p.high));
}

TEST(PairStatistics, RublimpScoreAndPseudoPerplexity) {
    EXPECT_DOUBLE_EQ(rublimpScore(-6.0, 3), -std::exp(2.0));
    EXPECT_DOUBLE_EQ(pseudoPerplexity(-6.0, 3), std::exp(2.0));
    EXPECT_TRUE(std::isnan(rublimpScore(-1.0, 0)));

    // good: sum -10 over 5 tokens (mean -2); bad: sum -9 over 3 tokens (mean -3).
    // Sums prefer the bad sentence; RuBLiMP's −exp(−PLL/N) prefers the good one.
    const std::vector<MinimalPair> pairs = {{"1", "x", "g", "b", "", "", -1}};
    PairEvaluation ev;
    ev.pairs = {syntheticPair(0, -10, 5, -9, 3)};
    EvaluationOptions eo;
    summarisePairs(pairs, eo, ev);
    EXPECT_EQ(ev.phenomena[0].pll.accuracy.successes, 0);
    EXPECT_DOUBLE_EQ(pairDecisionScore(ev.pairs[0].good, kNotComputed, PairMetric::Pll, true), -std::exp(2.0));
    eo.rublimpScore = true;
    summarisePairs(pairs, eo, ev);
    EXPECT_EQ(ev.phenomena[0].pll.accuracy.successes, 1);
    EXPECT_EQ(ev.phenomena[0].pll.accuracy.trials, 1);
}

TEST(PairStatistics, TiesCountAsWrongAndSkippedPairsAreLeftOut) {
    std::vector<MinimalPair> pairs;
    for (const char* ph : {"a", "b", "a", "a", "b"}) pairs.push_back({"", ph, "g", "b", "", "", -1});
    PairEvaluation ev;
    ev.pairs = {syntheticPair(0, -5, 3, -6, 3),   // a: correct
                syntheticPair(1, -5, 3, -5, 3),   // b: tie -> wrong
                syntheticPair(2, -7, 3, -6, 3),   // a: wrong
                syntheticPair(3, -1, 3, -9, 3),   // a: skipped
                syntheticPair(4, -2, 2, -4, 2)};  // b: correct
    ev.pairs[3].skipped = true;
    ev.pairs[0].goodUnigram = -3;
    ev.pairs[0].badUnigram = -3;
    summarisePairs(pairs, EvaluationOptions{}, ev);
    ASSERT_EQ(ev.phenomena.size(), 2u);
    const auto& a = ev.phenomena[0];
    EXPECT_EQ(a.phenomenon, "a");
    EXPECT_EQ(a.pairs, 2);
    EXPECT_EQ(a.skipped, 1);
    EXPECT_EQ(a.pll.accuracy.successes, 1);
    EXPECT_EQ(a.pll.accuracy.trials, 2);
    EXPECT_FALSE(a.wordL2r.computed);
    EXPECT_TRUE(a.unigram.computed);  // one pair carries unigram scores: a tie
    EXPECT_EQ(a.unigram.accuracy.trials, 1);
    EXPECT_EQ(a.unigram.ties, 1);
    EXPECT_EQ(a.unigram.accuracy.successes, 0);
    EXPECT_NEAR(a.pll.goodPseudoPerplexity, std::exp(12.0 / 6.0), 1e-12);
    EXPECT_NEAR(a.pll.badPseudoPerplexity, std::exp(12.0 / 6.0), 1e-12);
    const auto& b = ev.phenomena[1];
    EXPECT_EQ(b.pairs, 2);
    EXPECT_EQ(b.pll.ties, 1);
    EXPECT_EQ(b.pll.accuracy.successes, 1);
    EXPECT_EQ(ev.overall.phenomenon, "all");
    EXPECT_EQ(ev.overall.pairs, 4);
    EXPECT_EQ(ev.overall.skipped, 1);
    EXPECT_EQ(ev.overall.pll.accuracy.successes, 2);
    EXPECT_EQ(ev.overall.pll.ties, 1);
}

TEST(PairStatistics, AccuracySplitByWhatFrequencyAloneSays) {
    // PLL (good, bad) and unigram (good, bad) per pair, all of phenomenon "a":
    //   0: unigram prefers good, PLL correct     -> agrees, correct
    //   1: unigram prefers good, PLL wrong       -> agrees, wrong
    //   2: unigram prefers bad,  PLL correct     -> misleads, correct
    //   3: unigram tie,          PLL correct     -> misleads, correct
    //   4: unigram prefers bad,  PLL tie (wrong) -> misleads, wrong
    //   5: no unigram scores                     -> in neither part
    std::vector<MinimalPair> pairs(6, MinimalPair{"", "a", "g", "b", "", "", -1});
    PairEvaluation ev;
    ev.pairs = {syntheticPair(0, -1, 2, -2, 2), syntheticPair(1, -3, 2, -2, 2), syntheticPair(2, -1, 2, -2, 2),
                syntheticPair(3, -1, 2, -2, 2), syntheticPair(4, -2, 2, -2, 2), syntheticPair(5, -1, 2, -2, 2)};
    const double uni[5][2] = {{-4, -5}, {-4, -5}, {-6, -5}, {-5, -5}, {-6, -5}};
    for (int i = 0; i < 5; ++i) {
        ev.pairs[i].goodUnigram = uni[i][0];
        ev.pairs[i].badUnigram = uni[i][1];
    }
    summarisePairs(pairs, EvaluationOptions{}, ev);
    const MetricAccuracy& pll = ev.overall.pll;
    EXPECT_EQ(pll.accuracy.trials, 6);
    EXPECT_EQ(pll.accuracy.successes, 4);
    EXPECT_EQ(pll.frequencyMisleads.trials, 3);
    EXPECT_EQ(pll.frequencyMisleads.successes, 2);
    EXPECT_EQ(pll.frequencyAgrees.trials, 2);
    EXPECT_EQ(pll.frequencyAgrees.successes, 1);
    EXPECT_DOUBLE_EQ(pll.frequencyMisleads.estimate, 2.0 / 3.0);
    // The unigram baseline itself: 2 of its 5 pairs right, 1 tie.
    EXPECT_EQ(ev.overall.unigram.accuracy.successes, 2);
    EXPECT_EQ(ev.overall.unigram.ties, 1);
    EXPECT_EQ(ev.overall.unigram.frequencyMisleads.trials, 0);  // not split: it is the split
    // Without unigram scores there is no split at all.
    for (auto& ps : ev.pairs) ps.goodUnigram = ps.badUnigram = kNotComputed;
    summarisePairs(pairs, EvaluationOptions{}, ev);
    EXPECT_EQ(ev.overall.pll.frequencyMisleads.trials, 0);
    EXPECT_EQ(ev.overall.pll.frequencyAgrees.trials, 0);
    EXPECT_TRUE(std::isnan(ev.overall.pll.frequencyMisleads.estimate));
}

TEST(UnigramBaseline, CountsAndSmoothingByHand) {
    TempDir dir;
    auto model = loadFixture(dir);
    ASSERT_TRUE(model);
    const Tokenizer& tok = model->tokenizer();
    UnigramModel u;
    Status st = estimateUnigram(tok, "мама мыла раму\r\n\nкот спал\nмама спал\n", "corpus.txt", u);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(u.sentences, 3);
    EXPECT_EQ(u.totalTokens, 7);  // specials are not counted
    // [PAD] 0, [CLS] 2, [SEP] 3, [MASK] 4 are outside the support; [UNK] 1 stays.
    EXPECT_EQ(u.excludedIds, (std::vector<std::int64_t>{0, 2, 3, 4}));
    const std::int64_t V = tok.vocabSize() - 4;
    EXPECT_EQ(u.supportSize(), V);
    const auto id = [&](const char* piece) { return tok.pieceToId(piece); };
    EXPECT_EQ(u.counts[static_cast<std::size_t>(id("мама"))], 2);
    EXPECT_EQ(u.counts[static_cast<std::size_t>(id("спал"))], 2);
    EXPECT_EQ(u.counts[static_cast<std::size_t>(id("кот"))], 1);
    EXPECT_DOUBLE_EQ(u.logProb(id("мама")), std::log(3.0 / static_cast<double>(7 + V)));
    EXPECT_DOUBLE_EQ(u.logProb(id("дом")), std::log(1.0 / static_cast<double>(7 + V)));
    EXPECT_TRUE(std::isinf(u.logProb(tok.specialTokens().cls)));

    std::int64_t n = 0;
    const double score = unigramLogProb(u, tokenize(*model, "мама спал дом"), &n);
    EXPECT_EQ(n, 3);
    EXPECT_NEAR(score, 2 * std::log(3.0 / (7 + V)) + std::log(1.0 / (7 + V)), 1e-12);
    // A word-order pair ties exactly (a tie counts as wrong), not by rounding.
    EXPECT_EQ(unigramLogProb(u, tokenize(*model, "мама мыла раму, кот спал дома.")),
              unigramLogProb(u, tokenize(*model, "дома кот спал, раму мыла мама.")));

    // Round trip through the file format.
    const auto file = dir.path() / "unigram.json";
    ASSERT_TRUE(saveUnigram(u, file).isOk());
    UnigramModel back;
    st = loadUnigram(file, back);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(back.counts, u.counts);
    EXPECT_EQ(back.totalTokens, 7);
    EXPECT_EQ(back.vocabFingerprint, u.vocabFingerprint);
    EXPECT_EQ(back.corpus, "corpus.txt");
    EXPECT_TRUE(checkUnigramMatches(back, tok).isOk());
    back.vocabFingerprint ^= 1;
    st = checkUnigramMatches(back, tok);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("another vocabulary"), std::string::npos);

    EXPECT_TRUE(estimateUnigram(tok, "\n \n", "empty.txt", u).isFailed());
    EXPECT_TRUE(loadUnigram(dir.path() / "missing.json", u).isFailed());
}

TEST(PairEvaluation, ScoresPairsWithEveryMetric) {
    TempDir dir;
    auto model = loadFixture(dir);
    ASSERT_TRUE(model);
    std::string longText;
    for (int i = 0; i < 70; ++i) longText += "кот ";
    const std::vector<MinimalPair> pairs = {
        {"1", "poly", "Она делала кашу.", "Она делалает кашу.", "делала", "делалает", 1},
        {"2", "poly", "мальчик видел кота", "мальчик видела кота", "", "", -1},
        {"3", "other", "кот спал", "кот спали", "", "", -1},
        {"4", "other", longText, "кот", "", "", -1}};
    UnigramModel u;
    ASSERT_TRUE(estimateUnigram(model->tokenizer(), "кот спал\nОна делала кашу.\nмальчик видел\n", "c.txt", u).isOk());
    EvaluationOptions eo;
    eo.scoring.wordL2r = true;
    eo.scoring.batchSize = 5;
    PairEvaluation ev;
    std::vector<std::int64_t> seen;
    Status st = evaluatePairs(*model, pairs, eo, &u, ev, [&](std::int64_t done, std::int64_t total) {
        EXPECT_EQ(total, 4);
        seen.push_back(done);
        return true;
    });
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_FALSE(seen.empty());
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(seen.back(), 4);
    ASSERT_EQ(ev.pairs.size(), 4u);
    EXPECT_TRUE(ev.pairs[3].skipped);
    ASSERT_EQ(ev.warnings.size(), 1u);
    EXPECT_EQ(ev.warnings[0].rfind("pair '4' (other): the good sentence has 72 tokens", 0), 0u) << ev.warnings[0];

    // Same numbers as scoring the sentences directly.
    std::vector<SentenceScore> direct;
    ASSERT_TRUE(scoreSentences(*model, {pairs[0].good, pairs[0].bad}, eo.scoring, direct).isOk());
    EXPECT_NEAR(ev.pairs[0].good.pll, direct[0].pll, 1e-5);
    EXPECT_NEAR(ev.pairs[0].bad.wordL2r, direct[1].wordL2r, 1e-5);
    EXPECT_NEAR(ev.pairs[0].goodUnigram, unigramLogProb(u, tokenize(*model, pairs[0].good)), 1e-12);

    ASSERT_EQ(ev.phenomena.size(), 2u);
    EXPECT_EQ(ev.phenomena[0].phenomenon, "poly");
    EXPECT_EQ(ev.phenomena[1].pairs, 1);
    EXPECT_EQ(ev.phenomena[1].skipped, 1);
    std::int64_t correct = 0;
    for (std::size_t i = 0; i < 3; ++i) correct += ev.pairs[i].good.pll > ev.pairs[i].bad.pll;
    EXPECT_EQ(ev.overall.pll.accuracy.successes, correct);
    EXPECT_EQ(ev.overall.pll.accuracy.trials, 3);
    EXPECT_EQ(ev.overall.wordL2r.accuracy.trials, 3);
    EXPECT_EQ(ev.overall.unigram.accuracy.trials, 3);

    // Errors name the pair; a unigram file of another vocabulary is refused.
    std::vector<MinimalPair> bad = {{"7", "poly", "кот", " ", "", "", -1}};
    st = evaluatePairs(*model, bad, eo, nullptr, ev);
    ASSERT_TRUE(st.isFailed());
    EXPECT_EQ(st.message(), "scoring: pair '7' (poly): the bad sentence is empty");
    u.vocabSize += 1;
    EXPECT_TRUE(evaluatePairs(*model, pairs, eo, &u, ev).isFailed());
    st = evaluatePairs(*model, pairs, eo, nullptr, ev, [](std::int64_t, std::int64_t) { return false; });
    EXPECT_TRUE(st.isCancelled());
}
