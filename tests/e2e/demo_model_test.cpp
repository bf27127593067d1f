// The shipped demo (resources/demo): the model Grammascope trained on its own
// corpus recipe opens through the ordinary loader, covers the demo pairs'
// vocabulary, and still prefers the grammatical sentence of agreement pairs
// well above chance and above the frequency-only baseline. The thresholds sit
// below the accuracies recorded in the model card (resources/demo/model/README.md),
// so that a broken loader, tokenizer or scorer fails here.

#include "grammascope/model.h"
#include "grammascope/pairs.h"
#include "grammascope/scoring.h"
#include "grammascope/unigram.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace {

namespace fs = std::filesystem;
const fs::path kDemo = GRAMMASCOPE_DEMO_DIR;

std::vector<gs::MinimalPair> firstPairs(const std::vector<gs::MinimalPair>& all, const std::string& phenomenon,
                                        std::size_t count) {
    std::vector<gs::MinimalPair> out;
    for (const auto& p : all)
        if (p.phenomenon == phenomenon && out.size() < count) out.push_back(p);
    return out;
}

TEST(DemoModel, OpensCoversTheDemoVocabularyAndPrefersGrammaticalSentences) {
    std::shared_ptr<const gs::Model> model;
    gs::ModelOptions options;
    options.threads = 2;
    const gs::Status loaded = gs::Model::load(kDemo / "model", options, model);
    ASSERT_TRUE(loaded.isOk()) << loaded.message();
    EXPECT_TRUE(model->info().hasMlmHead);
    EXPECT_TRUE(model->info().warnings.empty());

    gs::PairsFile file;
    const gs::Status read = gs::readPairsCsv(kDemo / "pairs.csv", file);
    ASSERT_TRUE(read.isOk()) << read.message();
    ASSERT_EQ(file.pairs.size(), 2700u);

    // Every word of the demo set is spelled with known pieces.
    const auto unk = model->tokenizer().specialTokens().unk;
    for (std::size_t i = 0; i < file.pairs.size(); i += 27) {
        gs::Encoding e;
        ASSERT_TRUE(model->tokenizer().encode(file.pairs[i].good, 128, e).isOk());
        for (const auto& t : e.tokens) EXPECT_NE(t.id, unk) << file.pairs[i].good;
    }

    gs::UnigramModel unigram;
    const gs::Status u = gs::loadUnigram(kDemo / "model" / "unigram.json", unigram);
    ASSERT_TRUE(u.isOk()) << u.message();
    ASSERT_TRUE(gs::checkUnigramMatches(unigram, model->tokenizer()).isOk());

    // Case agreement and government, person agreement of the verb and gender
    // agreement of the adjective, where the model card records 96%, 99%, 81%
    // and 85% (unigram baseline 47%, 48%, 53% and 47%) on the whole demo set.
    const std::map<std::string, double> thresholds = {{"adjective_noun_case", 0.75},
                                                      {"preposition_case_government", 0.85},
                                                      {"subject_verb_person", 0.65},
                                                      {"adjective_noun_gender", 0.65}};
    for (const auto& [phenomenon, minimum] : thresholds) {
        const auto pairs = firstPairs(file.pairs, phenomenon, 60);
        ASSERT_EQ(pairs.size(), 60u);
        gs::EvaluationOptions eo;
        eo.scoring.pll = true;
        eo.scoring.wordL2r = false;
        eo.scoring.batchSize = 64;
        gs::PairEvaluation ev;
        const gs::Status st = gs::evaluatePairs(*model, pairs, eo, &unigram, ev);
        ASSERT_TRUE(st.isOk()) << st.message();
        const double pll = ev.overall.pll.accuracy.estimate;
        const double freq = ev.overall.unigram.accuracy.estimate;
        EXPECT_GE(pll, minimum) << phenomenon;
        EXPECT_GT(pll, freq + 0.1) << phenomenon << ": PLL " << pll << " vs unigram " << freq;
    }
}

} // namespace
