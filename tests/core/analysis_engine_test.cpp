// The analysis engine: padded batches give the numbers of one sentence at a
// time (and of computeLayerHeatmap), the store serves a second run, a
// parameter change computes anew, a cancelled job resumes, streaming hands
// out every result once.

#include "checkpoint_fixture.h"
#include "grammascope/analysis_engine.h"
#include "grammascope/scoring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <set>

using namespace gs;
using gs::testing::FixtureOptions;
using gs::testing::TempDir;

namespace {

const std::vector<std::string> kAll = {"hidden-norm", "cosine-to-last", "change-from-previous", "surprisal"};

// Different lengths on purpose, so that batches pad; one repeated sentence.
const std::vector<std::string> kSentences = {
    "Мама мыла раму.",
    "Она делала кашу, а кот спал.",
    "ёж",
    "Мальчик читает книгу.",
    "Девочка видела дом, кот видел ежа, мама мыла раму.",
    "Мама мыла раму.",
    "the cat",
    "Кот спал.",
    "Она читает.",
    "Дом, кот, ёж, мама: все спали.",
};

std::shared_ptr<const Model> loadFixture(const TempDir& dir, FixtureOptions o = {}, Precision p = Precision::Float32) {
    Status st = gs::testing::writeRandomCheckpoint(dir.path(), o);
    EXPECT_TRUE(st.isOk()) << st.message();
    std::shared_ptr<const Model> model;
    ModelOptions mo;
    mo.device = DevicePreference::Cpu;
    mo.precision = p;
    st = Model::load(dir.path(), mo, model);
    EXPECT_TRUE(st.isOk()) << st.message();
    return model;
}

std::unique_ptr<ResultStore> openStore(const std::filesystem::path& path) {
    std::unique_ptr<ResultStore> store;
    Status st = ResultStore::open(path, ResultStoreOptions{}, store);
    EXPECT_TRUE(st.isOk()) << st.message();
    return store;
}

// The single-sentence reference: one unpadded forward pass and the layer view.
Heatmap reference(const Model& model, const std::string& text, LayerQuantity q) {
    EncodeResult r;
    Status st = model.encode(text, {}, r);
    EXPECT_TRUE(st.isOk()) << st.message();
    if (q == LayerQuantity::Surprisal) {
        st = scoreEncodedTokens(model, text, r);
        EXPECT_TRUE(st.isOk()) << st.message();
    }
    return computeLayerHeatmap(r, q);
}

// Relative 1e-4, with an absolute floor for values that are 0 in exact
// arithmetic (change from the previous layer at the embeddings, ...).
void expectClose(const std::vector<float>& a, const std::vector<float>& b, double rel, const std::string& what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double tol = rel * std::max(std::abs(double(a[i])), std::abs(double(b[i]))) + 1e-6;
        EXPECT_NEAR(a[i], b[i], tol) << what << " cell " << i;
    }
}

// fp16 storage: relative 2^-11 plus the subnormal step.
void expectFp16(const std::vector<float>& stored, const std::vector<float>& exact, const std::string& what) {
    ASSERT_EQ(stored.size(), exact.size()) << what;
    for (std::size_t i = 0; i < exact.size(); ++i)
        EXPECT_NEAR(stored[i], exact[i], std::abs(exact[i]) * 4.9e-4 + 3e-8) << what << " cell " << i;
}

using Collected = std::map<std::pair<std::string, std::string>, SentenceAnalysis>;  // (analysis, hash)

struct Collector {
    Collected results;
    int duplicates = 0;
    std::int64_t batches = 0;
    EngineResultsCallback callback() {
        return [this](const std::vector<SentenceAnalysis>& batch) {
            ++batches;
            for (const auto& r : batch) {
                if (!results.emplace(std::make_pair(r.analysis, r.sentenceHash), r).second) ++duplicates;
            }
        };
    }
};

std::size_t distinctCount(const std::vector<std::string>& sentences) {
    return std::set<std::string>(sentences.begin(), sentences.end()).size();
}

TEST(AnalysisEngine, BatchedEqualsOneSentenceAtATimeOnEveryArchitecture) {
    for (Architecture arch : {Architecture::Bert, Architecture::Roberta, Architecture::DistilBert}) {
        SCOPED_TRACE(architectureName(arch));
        TempDir dir;
        FixtureOptions o;
        o.architecture = arch;
        auto model = loadFixture(dir, o);
        ASSERT_TRUE(model);
        auto store = openStore(":memory:");
        AnalysisEngine engine(*model, *store);
        Collector got;
        DatasetRunCallbacks cb;
        cb.onResults = got.callback();
        AnalysisParameters params;
        params.batchTokens = 160;  // several padded batches
        DatasetRunSummary summary;
        Status st = engine.analyseSentences(kSentences, kAll, params, cb, summary);
        ASSERT_TRUE(st.isOk()) << st.message();
        EXPECT_GT(summary.batches, 2);
        EXPECT_GT(summary.paddedTokens, summary.tokens);  // padding was there
        ASSERT_EQ(got.results.size(), distinctCount(kSentences) * kAll.size());

        for (const std::string& text : kSentences) {
            for (const AnalysisDescriptor& a : engineAnalyses()) {
                const SentenceAnalysis& r = got.results.at({a.id, sentenceHash(text)});
                const Heatmap ref = reference(*model, text, a.quantity);
                ASSERT_EQ(r.matrix.rows, ref.rows) << a.id;
                ASSERT_EQ(r.matrix.cols, ref.cols) << a.id;
                EXPECT_EQ(r.matrix.rowLabels, ref.rowLabels);
                EXPECT_EQ(r.matrix.colLabels, ref.colLabels);
                EXPECT_FALSE(r.fromCache);
                expectClose(r.matrix.values, ref.values, 1e-4, a.id + " '" + text + "'");

                ResultMatrix stored;
                bool found = false;
                ASSERT_TRUE(store->getResult(r.runId, sentenceHash(text), stored, found).isOk());
                ASSERT_TRUE(found);
                expectFp16(stored.values, r.matrix.values, a.id + " stored");
            }
        }
    }
}

TEST(AnalysisEngine, SingleSentenceMatchesTheLayerViewAndThenComesFromTheStore) {
    TempDir dir, db;
    auto model = loadFixture(dir);
    auto store = openStore(db.path() / "r.sqlite");
    AnalysisEngine engine(*model, *store);
    const std::string text = "Она делала кашу, а кот спал.";
    std::vector<SentenceAnalysis> first, second;
    bool cached = true;
    Status st = engine.analyseSentence(text, {"hidden_norm", "surprisal,cosine-to-last"}, {}, first, cached);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_FALSE(cached);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0].analysis, "hidden-norm");
    EXPECT_EQ(first[1].analysis, "surprisal");
    for (const auto& r : first) {
        LayerQuantity q;
        ASSERT_TRUE(parseLayerQuantity(r.analysis, q));
        expectClose(r.matrix.values, reference(*model, text, q).values, 1e-4, r.analysis);
    }
    ASSERT_TRUE(engine.analyseSentence(text, {"hidden-norm", "surprisal", "cosine-to-last"}, {}, second, cached).isOk());
    EXPECT_TRUE(cached);
    for (std::size_t i = 0; i < second.size(); ++i) {
        EXPECT_TRUE(second[i].fromCache);
        EXPECT_EQ(second[i].runId, first[i].runId);
        expectFp16(second[i].matrix.values, first[i].matrix.values, second[i].analysis);
    }
    // A single sentence completes its run (evictable); nothing stays Running.
    std::vector<RunInfo> runs;
    ASSERT_TRUE(store->listRuns(runs).isOk());
    for (const auto& r : runs) EXPECT_EQ(r.state, RunState::Complete);
}

TEST(AnalysisEngine, SecondRunIsAllCacheHitsWithIdenticalValues) {
    TempDir dir, db;
    auto model = loadFixture(dir);
    const auto path = db.path() / "r.sqlite";
    Collector firstRun;
    DatasetRunSummary a, b;
    {
        auto store = openStore(path);
        AnalysisEngine engine(*model, *store);
        ASSERT_TRUE(engine.analyseSentences(kSentences, kAll, {}, {}, a).isOk());
        EXPECT_EQ(a.computedSentences, static_cast<std::int64_t>(distinctCount(kSentences)));
        EXPECT_EQ(a.cachedSentences, 0);
    }
    // A reopened store (as a reopened project) serves everything.
    auto store = openStore(path);
    AnalysisEngine engine(*model, *store);
    Collector again;
    DatasetRunCallbacks cb;
    cb.onResults = again.callback();
    cb.streamCached = true;
    AnalysisParameters other;
    other.batchTokens = 64;  // batching is not part of the key
    ASSERT_TRUE(engine.analyseSentences(kSentences, kAll, other, cb, b).isOk());
    EXPECT_EQ(b.computedSentences, 0);
    EXPECT_EQ(b.computedResults, 0);
    EXPECT_EQ(b.cachedSentences, static_cast<std::int64_t>(distinctCount(kSentences)));
    EXPECT_EQ(b.tokens, 0);
    ASSERT_EQ(b.runs.size(), a.runs.size());
    for (std::size_t i = 0; i < a.runs.size(); ++i) EXPECT_EQ(b.runs[i].runId, a.runs[i].runId);
    ASSERT_EQ(again.results.size(), distinctCount(kSentences) * kAll.size());
    for (const auto& [k, r] : again.results) {
        EXPECT_TRUE(r.fromCache);
        ResultMatrix m;
        bool found = false;
        ASSERT_TRUE(store->getResult(r.runId, r.sentenceHash, m, found).isOk());
        EXPECT_EQ(m.values, r.matrix.values);  // bit for bit: both are the stored fp16 values
    }
    std::vector<RunInfo> runs;
    ASSERT_TRUE(store->listRuns(runs).isOk());
    ASSERT_EQ(runs.size(), kAll.size());
    for (const auto& r : runs) {
        EXPECT_EQ(r.state, RunState::Complete);
        EXPECT_EQ(r.results, static_cast<std::int64_t>(distinctCount(kSentences)));
    }
}

TEST(AnalysisEngine, ParameterChangesComputeAnew) {
    TempDir dir, db;
    auto fp32 = loadFixture(dir);
    auto store = openStore(db.path() / "r.sqlite");
    const std::vector<std::string> ids = {"hidden-norm", "surprisal"};
    DatasetRunSummary base, shorter, bf16, same;
    {
        AnalysisEngine engine(*fp32, *store);
        ASSERT_TRUE(engine.analyseSentences(kSentences, ids, {}, {}, base).isOk());
        AnalysisParameters p;
        p.maxLength = 12;  // truncates the long sentences: other numbers, another run
        ASSERT_TRUE(engine.analyseSentences(kSentences, ids, p, {}, shorter).isOk());
        EXPECT_EQ(shorter.computedSentences, shorter.sentences);
        EXPECT_NE(shorter.runs[0].runId, base.runs[0].runId);
        EXPECT_FALSE(shorter.truncated.empty());
        EXPECT_EQ(shorter.truncated.front().kept, 12);
        AnalysisParameters modelMax;
        modelMax.maxLength = 100000;  // clamped to the model maximum: the same key as 0
        ASSERT_TRUE(engine.analyseSentences(kSentences, ids, modelMax, {}, same).isOk());
        EXPECT_EQ(same.computedSentences, 0);
        EXPECT_EQ(same.runs[0].runId, base.runs[0].runId);
    }
    std::shared_ptr<const Model> half;
    ModelOptions mo;
    mo.device = DevicePreference::Cpu;
    mo.precision = Precision::BFloat16;
    ASSERT_TRUE(Model::load(dir.path(), mo, half).isOk());
    AnalysisEngine engine(*half, *store);
    ASSERT_TRUE(engine.analyseSentences(kSentences, ids, {}, {}, bf16).isOk());
    EXPECT_EQ(bf16.computedSentences, bf16.sentences);
    EXPECT_NE(bf16.runs[0].runId, base.runs[0].runId);
    EXPECT_EQ(engine.modelFingerprint(), bf16.runs[0].key.modelFingerprint);
    EXPECT_NE(bf16.runs[0].key.parametersJson.find("bf16"), std::string::npos);

    // Another model (one weight differs: another seed) is another key too.
    TempDir dir2;
    FixtureOptions o;
    o.seed = 2;
    auto other = loadFixture(dir2, o);
    AnalysisEngine engine2(*other, *store);
    DatasetRunSummary s2;
    ASSERT_TRUE(engine2.analyseSentences(kSentences, ids, {}, {}, s2).isOk());
    EXPECT_EQ(s2.computedSentences, s2.sentences);
}

TEST(AnalysisEngine, CancelledJobResumesWithOnlyTheRest) {
    TempDir dir, db;
    auto model = loadFixture(dir);
    auto store = openStore(db.path() / "r.sqlite");
    AnalysisEngine engine(*model, *store);
    AnalysisParameters params;
    params.batchTokens = 64;
    params.maxBatchSize = 2;
    std::atomic<bool> stop{false};
    Collector first;
    DatasetRunCallbacks cb;
    cb.cancelFlag = &stop;
    cb.onResults = [&](const std::vector<SentenceAnalysis>& batch) {
        first.callback()(batch);
        stop = true;  // as another thread would, right after the first commit
    };
    DatasetRunSummary a;
    Status st = engine.analyseSentences(kSentences, kAll, params, cb, a);
    ASSERT_TRUE(st.isCancelled()) << st.message();
    EXPECT_TRUE(a.cancelled);
    EXPECT_EQ(a.batches, 1);
    const std::int64_t total = static_cast<std::int64_t>(distinctCount(kSentences));
    ASSERT_GT(a.computedSentences, 0);
    ASSERT_LT(a.computedSentences, total);
    std::vector<RunInfo> runs;
    ASSERT_TRUE(store->listRuns(runs).isOk());
    for (const auto& r : runs) EXPECT_EQ(r.state, RunState::Running);

    // Cancel through the progress callback as well: stops before computing.
    DatasetRunCallbacks refuse;
    refuse.progress = [](const EngineProgress&) { return false; };
    DatasetRunSummary none;
    EXPECT_TRUE(engine.analyseSentences(kSentences, kAll, params, refuse, none).isCancelled());
    EXPECT_EQ(none.computedSentences, 0);

    Collector rest;
    DatasetRunCallbacks cb2;
    cb2.onResults = rest.callback();
    std::vector<EngineProgress> reports;
    cb2.progress = [&](const EngineProgress& p) {
        reports.push_back(p);
        return true;
    };
    DatasetRunSummary b;
    ASSERT_TRUE(engine.analyseSentences(kSentences, kAll, params, cb2, b).isOk());
    EXPECT_EQ(b.cachedSentences, a.computedSentences);
    EXPECT_EQ(b.computedSentences, total - a.computedSentences);
    EXPECT_EQ(rest.duplicates, 0);
    for (const auto& [k, r] : rest.results) EXPECT_FALSE(first.results.count(k)) << k.first;
    EXPECT_EQ(first.results.size() + rest.results.size(), static_cast<std::size_t>(total) * kAll.size());
    ASSERT_FALSE(reports.empty());
    EXPECT_EQ(reports.front().itemsDone, a.computedSentences);
    EXPECT_EQ(reports.back().itemsDone, total);
    EXPECT_EQ(reports.back().itemsTotal, total);
    EXPECT_EQ(reports.back().cachedItems, a.computedSentences);
    EXPECT_GT(reports.back().tokensPerSecond, 0);
    EXPECT_EQ(reports.back().etaSeconds, 0);
    ASSERT_TRUE(store->listRuns(runs).isOk());
    for (const auto& r : runs) EXPECT_EQ(r.state, RunState::Complete);
}

TEST(AnalysisEngine, DatasetStreamsEveryItemOnceAndRegistersTheDataset) {
    TempDir dir;
    auto model = loadFixture(dir);
    auto store = openStore(":memory:");
    AnalysisEngine engine(*model, *store);
    Dataset ds;
    ds.name = "tiny";
    for (int i = 0; i < 6; ++i) {
        DatasetItem item;
        item.id = "p" + std::to_string(i);
        item.good.text = kSentences[static_cast<std::size_t>(i)];
        item.bad.text = kSentences[static_cast<std::size_t>(i + 3)];  // overlaps other items: deduplicated
        ds.items.push_back(item);
    }
    DatasetItem single;
    single.id = "s";
    single.good.text = "Кот спал.";  // already a bad side above
    ds.items.push_back(single);
    std::set<std::string> texts;
    for (const auto& it : ds.items) {
        texts.insert(it.good.text);
        if (it.isPair()) texts.insert(it.bad.text);
    }

    // Half of it first, through a single sentence, so that streaming mixes
    // cached and computed results.
    std::vector<SentenceAnalysis> one;
    bool cached = false;
    ASSERT_TRUE(engine.analyseSentence(ds.items[0].good.text, {"hidden-norm", "change-from-previous"}, {}, one, cached).isOk());

    Collector got;
    DatasetRunCallbacks cb;
    cb.onResults = got.callback();
    cb.streamCached = true;
    DatasetRunSummary s;
    AnalysisParameters params;
    params.maxBatchSize = 3;
    Status st = engine.analyseDataset(ds, {"hidden-norm", "change-from-previous"}, params, cb, s);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(s.items, 7);
    EXPECT_EQ(s.sentences, static_cast<std::int64_t>(texts.size()));
    EXPECT_EQ(s.cachedSentences, 1);
    EXPECT_EQ(got.duplicates, 0);
    EXPECT_EQ(got.results.size(), texts.size() * 2);
    for (const auto& t : texts) {
        EXPECT_TRUE(got.results.count({"hidden-norm", sentenceHash(t)})) << t;
        EXPECT_TRUE(got.results.count({"change-from-previous", sentenceHash(t)})) << t;
    }
    ASSERT_GT(s.datasetId, 0);
    std::vector<SentenceRecord> order;
    ASSERT_TRUE(store->datasetSentences(s.datasetId, order).isOk());
    ASSERT_EQ(order.size(), 13u);  // good, bad per pair, then the single
    EXPECT_EQ(order[0].text, ds.items[0].good.text);
    EXPECT_EQ(order[1].text, ds.items[0].bad.text);
}

TEST(AnalysisEngine, TruncationNamesTheItem) {
    TempDir dir;
    auto model = loadFixture(dir);  // 64 positions
    auto store = openStore(":memory:");
    AnalysisEngine engine(*model, *store);
    Dataset ds;
    DatasetItem item;
    item.id = "long-one";
    std::string text;
    for (int i = 0; i < 30; ++i) text += "мама мыла раму ";
    item.good.text = text;
    item.bad.text = "Кот спал.";
    ds.items.push_back(item);
    DatasetRunSummary s;
    ASSERT_TRUE(engine.analyseDataset(ds, {"surprisal", "cosine_to_last"}, {}, {}, s).isOk());
    ASSERT_EQ(s.truncated.size(), 1u);
    EXPECT_EQ(s.truncated[0].itemId, "long-one");
    EXPECT_EQ(s.truncated[0].kept, 64);
    EXPECT_GT(s.truncated[0].tokens, 64);
    ASSERT_FALSE(s.warnings.empty());
    EXPECT_NE(s.warnings[0].find("long-one"), std::string::npos);
}

TEST(AnalysisEngine, WordGroupingMatchesTheLayerView) {
    TempDir dir;
    auto model = loadFixture(dir);
    auto store = openStore(":memory:");
    AnalysisEngine engine(*model, *store);
    const std::string text = "Девочка видела дом, мальчик читает книгу.";
    std::vector<SentenceAnalysis> got;
    bool cached = false;
    ASSERT_TRUE(engine.analyseSentence(text, {"all"}, {}, got, cached).isOk());
    ASSERT_EQ(got.size(), 4u);
    Encoding enc;
    ASSERT_TRUE(model->tokenizer().encode(text, 0, enc).isOk());
    for (const auto& r : got) {
        LayerQuantity q;
        ASSERT_TRUE(parseLayerQuantity(r.analysis, q));
        EncodeResult er;
        ASSERT_TRUE(model->encode(text, {}, er).isOk());
        if (q == LayerQuantity::Surprisal) {
            ASSERT_TRUE(scoreEncodedTokens(*model, text, er).isOk());
        }
        const Heatmap ref = computeLayerHeatmap(er, q, TokenGrouping::Words);
        Heatmap h;
        ASSERT_TRUE(groupResultColumns(r.matrix, enc, q, TokenGrouping::Words, h).isOk());
        EXPECT_EQ(h.colLabels, ref.colLabels);
        EXPECT_EQ(h.colTokenBegin, ref.colTokenBegin);
        expectClose(h.values, ref.values, 1e-4, r.analysis + " words");
    }
}

TEST(AnalysisEngine, ErrorsAreStatuses) {
    TempDir dir;
    FixtureOptions o;
    o.mlmHead = false;
    auto model = loadFixture(dir, o);
    auto store = openStore(":memory:");
    AnalysisEngine engine(*model, *store);
    std::vector<SentenceAnalysis> out;
    bool cached = false;
    Status st = engine.analyseSentence("Кот спал.", {"surprisal"}, {}, out, cached);
    EXPECT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("MLM head"), std::string::npos) << st.message();
    st = engine.analyseSentence("Кот спал.", {"attention-entropy"}, {}, out, cached);
    EXPECT_NE(st.message().find("unknown analysis"), std::string::npos) << st.message();
    EXPECT_TRUE(engine.analyseSentence("  ", {"hidden-norm"}, {}, out, cached).isFailed());
    std::vector<std::string> ids;
    EXPECT_TRUE(parseAnalysisIds("hidden_norm, surprisal,hidden-norm", ids).isOk());
    EXPECT_EQ(ids, (std::vector<std::string>{"hidden-norm", "surprisal"}));
    EXPECT_TRUE(parseAnalysisIds(",", ids).isFailed());

    std::unique_ptr<ResultStore> readOnly;
    TempDir db;
    {
        auto w = openStore(db.path() / "r.sqlite");
    }
    ResultStoreOptions ro;
    ro.readOnly = true;
    ASSERT_TRUE(ResultStore::open(db.path() / "r.sqlite", ro, readOnly).isOk());
    AnalysisEngine reader(*model, *readOnly);
    DatasetRunSummary s;
    EXPECT_TRUE(reader.analyseSentences({"Кот спал."}, {"hidden-norm"}, {}, {}, s).isFailed());
}

} // namespace
