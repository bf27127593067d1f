// Masked-LM training: masking statistics, batch planning, a short run that
// learns, loads through Model::load, and resumes to the same weights as an
// uninterrupted run.

#include "checkpoint_fixture.h"
#include "grammascope/mlm_trainer.h"
#include "grammascope/model.h"
#include "grammascope/weights.h"
#include "train/mlm_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

namespace gs {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

detail::TokenizedCorpus syntheticCorpus(std::size_t sentences, std::size_t maxLen) {
    detail::TokenizedCorpus c;
    for (std::size_t i = 0; i < sentences; ++i) {
        std::vector<std::int32_t> s{2};  // [CLS]
        const std::size_t len = 1 + (i * 7) % maxLen;
        for (std::size_t t = 0; t < len; ++t) s.push_back(static_cast<std::int32_t>(10 + (i + t) % 90));
        s.push_back(3);  // [SEP]
        c.tokens += static_cast<std::int64_t>(s.size());
        c.sequences.push_back(std::move(s));
    }
    return c;
}

TEST(MlmData, MaskingFollowsThe801010Rule) {
    const auto corpus = syntheticCorpus(4000, 40);
    std::vector<std::int32_t> rows(corpus.sequences.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::int32_t>(i);
    detail::MaskingSpec spec;
    spec.maskId = 4;
    spec.padId = 0;
    spec.vocabSize = 100;
    spec.specialIds = {0, 1, 2, 3, 4};
    const auto b = detail::maskBatch(corpus, rows, spec, 7, 0);
    std::int64_t candidates = 0;
    for (const auto& s : corpus.sequences) candidates += static_cast<std::int64_t>(s.size()) - 2;
    const double selected = static_cast<double>(b.maskedPositions.size()) / static_cast<double>(candidates);
    EXPECT_NEAR(selected, 0.15, 0.01);
    std::int64_t masked = 0, kept = 0, random = 0;
    for (std::size_t i = 0; i < b.maskedPositions.size(); ++i) {
        const auto pos = static_cast<std::size_t>(b.maskedPositions[i]);
        const auto now = b.inputIds[pos];
        EXPECT_NE(corpus.sequences[pos / static_cast<std::size_t>(b.width)][pos % static_cast<std::size_t>(b.width)], 2);
        if (now == spec.maskId) ++masked;
        else if (now == b.labels[i]) ++kept;
        else {
            ++random;
            EXPECT_GE(now, 5);  // never a special token
        }
    }
    const double n = static_cast<double>(b.labels.size());
    EXPECT_NEAR(masked / n, 0.8, 0.02);
    // A random replacement equals the original 1% of the time: kept ~ 10% + 0.1%.
    EXPECT_NEAR(kept / n, 0.1, 0.02);
    EXPECT_NEAR(random / n, 0.1, 0.02);
    // Padding and attention mask.
    for (std::int64_t r = 0; r < b.rows; ++r) {
        const auto len = static_cast<std::int64_t>(corpus.sequences[static_cast<std::size_t>(r)].size());
        for (std::int64_t t = 0; t < b.width; ++t) {
            EXPECT_EQ(b.attentionMask[static_cast<std::size_t>(r * b.width + t)], t < len ? 1 : 0);
            if (t >= len) {
                EXPECT_EQ(b.inputIds[static_cast<std::size_t>(r * b.width + t)], 0);
            }
        }
    }
    // Same seed and stream, same masks; another stream, other masks.
    EXPECT_EQ(detail::maskBatch(corpus, rows, spec, 7, 0).inputIds, b.inputIds);
    EXPECT_NE(detail::maskBatch(corpus, rows, spec, 7, 1).inputIds, b.inputIds);
}

TEST(MlmData, EveryShortSentenceGetsAtLeastOneMask) {
    detail::TokenizedCorpus c;
    for (int i = 0; i < 200; ++i) c.sequences.push_back({2, 50, 3});
    std::vector<std::int32_t> rows(200);
    for (int i = 0; i < 200; ++i) rows[static_cast<std::size_t>(i)] = i;
    detail::MaskingSpec spec;
    spec.maskId = 4;
    spec.vocabSize = 100;
    spec.specialIds = {0, 1, 2, 3, 4};
    const auto b = detail::maskBatch(c, rows, spec, 1, 0);
    EXPECT_EQ(b.labels.size(), 200u);
}

TEST(MlmData, EpochPlanCoversEverySentenceOnceWithinTheBudget) {
    const auto corpus = syntheticCorpus(3000, 60);
    const auto plan = detail::planEpoch(corpus, 512, 3, 0);
    std::multiset<std::int32_t> seen;
    for (const auto& batch : plan) {
        std::size_t longest = 0;
        for (auto i : batch) {
            seen.insert(i);
            longest = std::max(longest, corpus.sequences[static_cast<std::size_t>(i)].size());
        }
        EXPECT_LE(longest * batch.size(), 512u);
    }
    ASSERT_EQ(seen.size(), corpus.sequences.size());
    for (std::int32_t i = 0; i < static_cast<std::int32_t>(corpus.sequences.size()); ++i) EXPECT_EQ(seen.count(i), 1u);
    EXPECT_EQ(detail::planEpoch(corpus, 512, 3, 0), plan);
    EXPECT_NE(detail::planEpoch(corpus, 512, 3, 1), plan);
}

fs::path writeCorpus(const fs::path& dir, int copies) {
    const char* subjects[] = {"Мама", "Папа", "Кошка", "Мальчик", "Девочка", "Бабушка"};
    const char* predicates[] = {"мыла раму.", "читает книгу.", "идёт домой.", "пьёт молоко.", "спит."};
    const fs::path file = dir / "corpus.txt";
    std::ofstream out(file);
    for (int c = 0; c < copies; ++c)
        for (const char* s : subjects)
            for (const char* p : predicates) out << s << ' ' << p << '\n';
    return file;
}

MlmTrainOptions tinyOptions(const fs::path& corpus, const fs::path& out) {
    MlmTrainOptions o;
    o.corpus = corpus;
    o.validation = corpus;
    o.outDir = out;
    o.vocabSize = 60;  // a SentencePiece model trained on the corpus
    o.hiddenSize = 32;
    o.numLayers = 2;
    o.numHeads = 4;
    o.intermediateSize = 64;
    o.maxLength = 32;
    o.batchTokens = 256;
    o.steps = 24;
    o.warmupSteps = 4;
    o.learningRate = 3e-3;
    o.threads = 1;
    o.evalEvery = 0;
    o.saveEvery = 0;
    return o;
}

std::vector<float> readTensor(const fs::path& dir, const std::string& name) {
    WeightStore store;
    EXPECT_TRUE(WeightStore::openFile(dir / "model.safetensors", store).isOk());
    std::vector<float> v;
    EXPECT_TRUE(store.readFloat32(name, v).isOk()) << name;
    return v;
}

TEST(MlmTrainer, LearnsSavesAndLoads) {
    TempDir dir;
    const fs::path corpus = writeCorpus(dir.path(), 4);
    auto o = tinyOptions(corpus, dir.path() / "model");
    o.steps = 1;
    MlmTrainSummary first;
    ASSERT_TRUE(trainMaskedLm(o, {}, first).isOk());
    const double initialLoss = first.validation.loss;
    EXPECT_NEAR(initialLoss, std::log(43.0), 0.5);

    auto longer = tinyOptions(corpus, dir.path() / "model2");
    longer.steps = 120;
    std::vector<double> losses;
    MlmTrainSummary summary;
    const Status st = trainMaskedLm(longer, [&](const MlmTrainProgress& p) {
        if (p.message.empty() && !p.heartbeat) losses.push_back(p.loss);
        return true;
    }, summary);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(summary.steps, 120);
    EXPECT_FALSE(losses.empty());
    EXPECT_LT(summary.validation.loss, initialLoss - 1.0);
    EXPECT_GT(summary.validation.accuracy, 0.2);  // chance is about 1/43

    // The output is an ordinary checkpoint.
    std::shared_ptr<const Model> model;
    ModelOptions mo;
    mo.threads = 1;
    const Status loaded = Model::load(dir.path() / "model2", mo, model);
    ASSERT_TRUE(loaded.isOk()) << loaded.message();
    EXPECT_TRUE(model->info().hasMlmHead);
    EXPECT_EQ(model->info().config.numLayers, 2);
    EncodeRequest req;
    req.mlmLogits = true;
    EncodeResult r;
    ASSERT_TRUE(model->encode("Мама мыла раму.", req, r).isOk());
    EXPECT_EQ(r.logits.size(), static_cast<std::size_t>(r.numTokens * r.vocabSize));

    // Held-out evaluation through the public entry point agrees in kind.
    MlmEvaluation ev;
    ASSERT_TRUE(evaluateMaskedLm(dir.path() / "model2", corpus, 1, 0, mo, ev).isOk());
    EXPECT_GT(ev.maskedTokens, 0);
    EXPECT_LT(ev.loss, initialLoss - 1.0);
}

TEST(MlmTrainer, ResumedRunEqualsUninterruptedRun) {
    TempDir dir;
    const fs::path corpus = writeCorpus(dir.path(), 3);
    auto straight = tinyOptions(corpus, dir.path() / "straight");
    MlmTrainSummary s;
    ASSERT_TRUE(trainMaskedLm(straight, {}, s).isOk());

    auto interrupted = tinyOptions(corpus, dir.path() / "resumed");
    int heartbeats = 0;
    const Status stopped = trainMaskedLm(interrupted, [&](const MlmTrainProgress& p) {
        if (p.heartbeat) ++heartbeats;
        return !(p.message.empty() && p.step >= 13);  // stops after step 13, between reports
    }, s);
    ASSERT_TRUE(stopped.isCancelled()) << stopped.message();
    EXPECT_EQ(s.steps, 13);
    EXPECT_EQ(heartbeats, 13);

    // Without --resume the folder is refused, naming the state file.
    const Status refused = trainMaskedLm(interrupted, {}, s);
    ASSERT_TRUE(refused.isFailed());
    EXPECT_NE(refused.message().find("--resume"), std::string::npos) << refused.message();

    interrupted.resume = true;
    ASSERT_TRUE(trainMaskedLm(interrupted, {}, s).isOk());
    EXPECT_EQ(s.steps, 11);
    for (const char* name : {"bert.encoder.layer.1.output.dense.weight", "bert.embeddings.word_embeddings.weight",
                             "cls.predictions.bias"}) {
        const auto a = readTensor(dir.path() / "straight", name);
        const auto b = readTensor(dir.path() / "resumed", name);
        ASSERT_EQ(a.size(), b.size());
        double maxDiff = 0;
        for (std::size_t i = 0; i < a.size(); ++i) maxDiff = std::max(maxDiff, std::abs(double(a[i]) - double(b[i])));
        EXPECT_LT(maxDiff, 1e-6) << name;
    }
}

TEST(MlmTrainer, BadOptionsAreNamed) {
    TempDir dir;
    const fs::path corpus = writeCorpus(dir.path(), 1);
    MlmTrainSummary s;
    auto o = tinyOptions(corpus, dir.path() / "m");
    o.numHeads = 5;
    EXPECT_NE(trainMaskedLm(o, {}, s).message().find("divisible"), std::string::npos);
    o = tinyOptions(dir.path() / "missing.txt", dir.path() / "m");
    EXPECT_NE(trainMaskedLm(o, {}, s).message().find("missing.txt"), std::string::npos);
    o = tinyOptions(corpus, dir.path() / "m");
    o.batchTokens = 8;
    EXPECT_NE(trainMaskedLm(o, {}, s).message().find("batch token budget"), std::string::npos);
}

} // namespace
} // namespace gs
