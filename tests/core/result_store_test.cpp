// The results store: fp16 and hashes, the blob format, cache hits and misses,
// key invalidation, models / datasets / artefacts, clearing and statistics,
// export, fingerprints and the default path. The store under stress (a reader
// thread, kill -9, damaged files, a full disk, eviction, volume) is tested in
// result_store_robustness_test.cpp; the helpers both use are in
// result_store_test_support.h.

#include "grammascope/result_store.h"

#include "cache/fp16.h"
#include "cache/hashing.h"
#include "cache/result_codec.h"

#include "result_store_test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <set>

using namespace gs;
using namespace gs::result_store_test;
namespace fs = std::filesystem;

// ------------------------------------------------------------------ fp16

TEST(Fp16, EveryHalfRoundTripsExactly) {
    for (std::uint32_t h = 0; h <= 0xffff; ++h) {
        const auto half = std::uint16_t(h);
        const float f = cache::halfToFloat(half);
        if (std::isnan(f)) {
            EXPECT_TRUE(std::isnan(cache::halfToFloat(cache::floatToHalf(f)))) << h;
            continue;
        }
        ASSERT_EQ(cache::floatToHalf(f), half) << "half 0x" << std::hex << h;
    }
}

TEST(Fp16, RoundsToNearestTiesToEven) {
    // Between every pair of neighbouring positive finite halves (subnormals
    // included): the midpoint goes to the even one, anything above / below it
    // to the upper / lower neighbour.
    for (std::uint16_t a = 0; a < 0x7bff; ++a) {
        const std::uint16_t b = a + 1;
        const float fa = cache::halfToFloat(a), fb = cache::halfToFloat(b);
        const float mid = fa + (fb - fa) / 2;  // exact in float
        ASSERT_EQ(cache::floatToHalf(mid), (a % 2 == 0) ? a : b) << a;
        ASSERT_EQ(cache::floatToHalf(std::nextafter(mid, 0.0f)), a) << a;
        ASSERT_EQ(cache::floatToHalf(std::nextafter(mid, 1e9f)), b) << a;
        ASSERT_EQ(cache::floatToHalf(-mid), std::uint16_t(0x8000 | ((a % 2 == 0) ? a : b))) << a;
    }
}

TEST(Fp16, SpecialValues) {
    EXPECT_EQ(cache::floatToHalf(1.0f), 0x3c00);
    EXPECT_EQ(cache::floatToHalf(-2.0f), 0xc000);
    EXPECT_EQ(cache::floatToHalf(0.0f), 0x0000);
    EXPECT_EQ(cache::floatToHalf(-0.0f), 0x8000);
    EXPECT_EQ(cache::floatToHalf(65504.0f), 0x7bff);
    EXPECT_EQ(cache::floatToHalf(65519.99f), 0x7bff);
    EXPECT_EQ(cache::floatToHalf(65520.0f), 0x7c00);  // the tie goes up to infinity
    EXPECT_EQ(cache::floatToHalf(1e10f), 0x7c00);
    EXPECT_EQ(cache::floatToHalf(-std::numeric_limits<float>::infinity()), 0xfc00);
    EXPECT_EQ(cache::floatToHalf(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
    EXPECT_EQ(cache::floatToHalf(std::ldexp(1.0f, -25)), 0x0000);  // tie to even: zero
    EXPECT_EQ(cache::floatToHalf(std::ldexp(1.5f, -25)), 0x0001);
    EXPECT_EQ(cache::floatToHalf(std::ldexp(1.0f, -14)), 0x0400);  // smallest normal
    EXPECT_EQ(cache::floatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
    EXPECT_TRUE(std::isnan(cache::halfToFloat(cache::floatToHalf(std::nanf("")))));
    // A NaN whose payload sits only in low bits must stay NaN, not become inf.
    EXPECT_TRUE(std::isnan(cache::halfToFloat(cache::floatToHalf(std::bit_cast<float>(0x7f800001u)))));
    EXPECT_TRUE(std::signbit(cache::halfToFloat(0x8000)));
    EXPECT_EQ(cache::halfToFloat(0x3555), 0.333251953125f);
}

TEST(Fp16, RoundTripErrorWithinDocumentedBound) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> exponent(-30.0f, 15.9f);
    for (int i = 0; i < 200000; ++i) {
        const float x = std::exp2(exponent(rng)) * (i % 2 ? -1.0f : 1.0f);
        const float y = cache::halfToFloat(cache::floatToHalf(x));
        const float bound = std::max(std::fabs(x) * std::ldexp(1.0f, -11), std::ldexp(1.0f, -25));
        ASSERT_LE(std::fabs(x - y), bound) << x;
    }
}

// ------------------------------------------------------------------ hashes

TEST(Hashing, Sha256KnownVectors) {
    EXPECT_EQ(sentenceHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sentenceHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sentenceHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(contentHash(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // Fed in uneven pieces it is the same hash.
    cache::Sha256 sha;
    const std::string text(1000, 'x');
    for (std::size_t i = 0, step = 1; i < text.size(); i += step, step = step % 97 + 13)
        sha.update(text.data() + i, std::min(step, text.size() - i));
    EXPECT_EQ(sha.finishHex(), contentHash(text));
}

TEST(Hashing, Xxh64KnownVectorsAndStreaming) {
    // Reference values from libxxhash 0.8.1.
    EXPECT_EQ(cache::xxh64("", 0), 0xEF46DB3751D8E999ULL);
    EXPECT_EQ(cache::xxh64("a", 1), 0xD24EC4F1A98C6E5BULL);
    EXPECT_EQ(cache::xxh64("abc", 3), 0x44BC2CF5AD770999ULL);
    std::string data(1000, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = char(i * 7 + 3);
    const std::uint64_t whole = cache::xxh64(data.data(), data.size());
    for (std::size_t step : {1u, 3u, 31u, 32u, 33u, 100u}) {
        cache::Xxh64 h;
        for (std::size_t i = 0; i < data.size(); i += step) h.update(data.data() + i, std::min(step, data.size() - i));
        EXPECT_EQ(h.digest(), whole) << step;
    }
}

// ------------------------------------------------------------------ blob format

TEST(ResultCodec, RoundTripAndDamage) {
    ResultMatrix m = makeMatrix(13, 9, 1);
    m.values[3] = std::numeric_limits<float>::quiet_NaN();
    m.values[4] = -std::numeric_limits<float>::infinity();
    std::vector<std::uint8_t> blob;
    cache::encodeMatrix(m, blob);
    EXPECT_EQ(blob.size() % 2, 0u);
    ResultMatrix back;
    std::string error;
    ASSERT_TRUE(cache::decodeMatrix(blob.data(), blob.size(), back, error)) << error;
    expectStoredEqual(m, back);

    // Without labels: read back as empty lists.
    ResultMatrix bare = m;
    bare.rowLabels.clear();
    bare.colLabels.clear();
    cache::encodeMatrix(bare, blob);
    ASSERT_TRUE(cache::decodeMatrix(blob.data(), blob.size(), back, error)) << error;
    EXPECT_TRUE(back.rowLabels.empty());
    EXPECT_TRUE(back.colLabels.empty());

    // A flipped bit in the values is caught by the checksum, a cut blob by the shape.
    blob[blob.size() - 5] ^= 0x10;
    EXPECT_FALSE(cache::decodeMatrix(blob.data(), blob.size(), back, error));
    EXPECT_NE(error.find("checksum"), std::string::npos);
    EXPECT_FALSE(cache::decodeMatrix(blob.data(), blob.size() - 2, back, error));

    ResultMatrix bad = m;
    bad.values.pop_back();
    EXPECT_FALSE(cache::validateMatrix(bad, error));
    bad = m;
    bad.colLabels.pop_back();
    EXPECT_FALSE(cache::validateMatrix(bad, error));
}

// ------------------------------------------------------------------ the store, on :memory: and on a file

class StoreTest : public ::testing::TestWithParam<bool> {
protected:
    void SetUp() override {
        const fs::path path = GetParam() ? m_dir / "sub" / "results.sqlite" : fs::path(":memory:");
        ASSERT_TRUE(ResultStore::open(path, fastOptions(), m_store).isOk());
    }
    TempDir m_dir;
    std::unique_ptr<ResultStore> m_store;
};

INSTANTIATE_TEST_SUITE_P(MemoryAndFile, StoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "File" : "Memory"; });

TEST_P(StoreTest, HitAndMiss) {
    ResultStore& store = *m_store;
    std::int64_t run = 0;
    bool found = true;
    ASSERT_TRUE(store.findRun(makeKey(), run, found).isOk());
    EXPECT_FALSE(found);
    ASSERT_TRUE(store.beginRun(makeKey(), run).isOk());

    const auto batch = makeBatch(0, 10);
    ASSERT_TRUE(store.putResults(run, batch).isOk());

    ResultMatrix out;
    for (const ResultEntry& e : batch) {
        ASSERT_TRUE(store.getResult(run, sentenceHash(e.sentenceText), out, found).isOk());
        ASSERT_TRUE(found);
        expectStoredEqual(e.matrix, out);
    }
    ASSERT_TRUE(store.getResult(run, sentenceHash(sentenceText(99)), out, found).isOk());
    EXPECT_FALSE(found);

    std::vector<std::string> hashes, missing;
    for (int i = 0; i < 15; ++i) hashes.push_back(sentenceHash(sentenceText(i)));
    ASSERT_TRUE(store.missingSentences(run, hashes, missing).isOk());
    EXPECT_EQ(missing, std::vector<std::string>(hashes.begin() + 10, hashes.end()));

    RunInfo info;
    ASSERT_TRUE(store.runInfo(run, info).isOk());
    EXPECT_EQ(info.state, RunState::Running);
    EXPECT_EQ(info.results, 10);
    EXPECT_GT(info.resultBytes, 0);
    ASSERT_TRUE(store.finishRun(run).isOk());
    ASSERT_TRUE(store.runInfo(run, info).isOk());
    EXPECT_EQ(info.state, RunState::Complete);

    // Found again under the same key; the sentence row keeps its text.
    std::int64_t again = 0;
    ASSERT_TRUE(store.findRun(makeKey(), again, found).isOk());
    EXPECT_TRUE(found);
    EXPECT_EQ(again, run);
    SentenceRecord sentence;
    ASSERT_TRUE(store.findSentence(hashes[3], sentence, found).isOk());
    EXPECT_TRUE(found);
    EXPECT_EQ(sentence.text, sentenceText(3));
}

TEST_P(StoreTest, AnythingThatChangesAResultChangesTheKey) {
    ResultStore& store = *m_store;
    std::int64_t base = 0;
    ASSERT_TRUE(store.beginRun(makeKey(), base).isOk());
    ASSERT_TRUE(store.putResults(base, makeBatch(0, 3)).isOk());
    ASSERT_TRUE(store.finishRun(base).isOk());

    // Key order and spacing of the parameters do not matter...
    std::int64_t same = 0;
    bool found = false;
    ASSERT_TRUE(store.findRun(makeKey(R"({ "precision" : "fp32", "quantity" : "hidden-norm" })"), same, found).isOk());
    EXPECT_TRUE(found);
    EXPECT_EQ(same, base);

    // ...but their values, the code version and the model do.
    std::vector<AnalysisKey> changed;
    changed.push_back(makeKey(R"({"quantity":"hidden-norm","precision":"bf16"})"));
    changed.push_back(makeKey(R"({"quantity":"hidden-norm","precision":"fp32","grouping":"words"})"));
    AnalysisKey k = makeKey();
    k.codeVersion = "2";
    changed.push_back(k);
    k = makeKey();
    k.modelFingerprint = "gsfp1-model-b";
    changed.push_back(k);
    k = makeKey();
    k.analysis = "cosine-to-last";
    changed.push_back(k);
    std::set<std::string> hashes;
    std::string h;
    ASSERT_TRUE(store.analysisKeyHash(makeKey(), h).isOk());
    hashes.insert(h);
    for (const AnalysisKey& key : changed) {
        std::int64_t run = 0;
        ASSERT_TRUE(store.findRun(key, run, found).isOk());
        EXPECT_FALSE(found) << key.parametersJson << " " << key.codeVersion;
        ASSERT_TRUE(store.beginRun(key, run).isOk());
        EXPECT_NE(run, base);
        std::vector<std::string> missing;
        ASSERT_TRUE(store.missingSentences(run, {sentenceHash(sentenceText(0))}, missing).isOk());
        EXPECT_EQ(missing.size(), 1u) << "a changed key must compute anew";
        ASSERT_TRUE(store.finishRun(run).isOk());
        ASSERT_TRUE(store.analysisKeyHash(key, h).isOk());
        hashes.insert(h);
    }
    EXPECT_EQ(hashes.size(), changed.size() + 1);

    std::int64_t run = 0;
    EXPECT_TRUE(store.beginRun(makeKey("{not json"), run).isFailed());
    EXPECT_EQ(store.problem(), StoreProblem::InvalidArgument);
    AnalysisKey noVersion = makeKey();
    noVersion.codeVersion.clear();
    EXPECT_TRUE(store.beginRun(noVersion, run).isFailed());
}

TEST_P(StoreTest, WritesNeedAnOpenRunAndValidMatrices) {
    ResultStore& store = *m_store;
    std::int64_t run = fillStore(store, 2);
    Status st = store.putResults(run, makeBatch(5, 1));  // finished: no longer being written
    EXPECT_TRUE(st.isFailed());
    EXPECT_EQ(store.problem(), StoreProblem::InvalidArgument);
    EXPECT_NE(st.message().find("beginRun"), std::string::npos);

    ASSERT_TRUE(store.beginRun(makeKey(), run).isOk());
    auto batch = makeBatch(5, 2);
    batch[1].matrix.values.pop_back();
    EXPECT_TRUE(store.putResults(run, batch).isFailed());
    EXPECT_EQ(store.problem(), StoreProblem::InvalidArgument);
    // Nothing of a refused batch is stored.
    std::vector<std::string> missing;
    ASSERT_TRUE(store.missingSentences(run, {sentenceHash(sentenceText(5))}, missing).isOk());
    EXPECT_EQ(missing.size(), 1u);

    // A cancelled batch rolls back as a whole.
    st = store.putResults(run, makeBatch(5, 4), [](std::int64_t done, std::int64_t) { return done < 2; });
    EXPECT_TRUE(st.isCancelled());
    ASSERT_TRUE(store.missingSentences(run, {sentenceHash(sentenceText(5)), sentenceHash(sentenceText(6))}, missing).isOk());
    EXPECT_EQ(missing.size(), 2u);

    // Replacing a result keeps one row.
    auto replacement = makeBatch(0, 1);
    replacement[0].matrix = makeMatrix(2, 2, 1234);
    ASSERT_TRUE(store.putResults(run, replacement).isOk());
    ResultMatrix out;
    bool found = false;
    ASSERT_TRUE(store.getResult(run, sentenceHash(sentenceText(0)), out, found).isOk());
    ASSERT_TRUE(found);
    expectStoredEqual(replacement[0].matrix, out);
    RunInfo info;
    ASSERT_TRUE(store.runInfo(run, info).isOk());
    EXPECT_EQ(info.results, 2);

    EXPECT_TRUE(store.runInfo(run + 100, info).isFailed());
    EXPECT_TRUE(store.missingSentences(run + 100, {}, missing).isFailed());
}

TEST_P(StoreTest, ModelsDatasetsAndArtefacts) {
    ResultStore& store = *m_store;
    ASSERT_TRUE(store.registerModel({"gsfp1-a", "/models/a", "RuBERT"}).isOk());
    ASSERT_TRUE(store.registerModel({"gsfp1-a", "/elsewhere/a", "RuBERT base"}).isOk());
    ModelRecord model;
    bool found = false;
    ASSERT_TRUE(store.findModel("gsfp1-a", model, found).isOk());
    ASSERT_TRUE(found);
    EXPECT_EQ(model.path, "/elsewhere/a");
    std::vector<ModelRecord> models;
    ASSERT_TRUE(store.listModels(models).isOk());
    EXPECT_EQ(models.size(), 1u);

    const std::vector<std::string> sentences = {"Мама мыла раму.", "Мама мыли раму.", "Мама мыла раму."};
    DatasetRecord ds;
    ds.contentHash = contentHash("pairs.csv bytes");
    ds.name = "pairs";
    std::int64_t id = 0, again = 0;
    ASSERT_TRUE(store.registerDataset(ds, sentences, id).isOk());
    ds.name = "renamed";
    ASSERT_TRUE(store.registerDataset(ds, sentences, again).isOk());
    EXPECT_EQ(id, again);
    std::vector<SentenceRecord> rows;
    ASSERT_TRUE(store.datasetSentences(id, rows).isOk());
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].text, sentences[1]);
    EXPECT_EQ(rows[2].hash, sentenceHash(sentences[0]));
    std::vector<DatasetRecord> datasets;
    ASSERT_TRUE(store.listDatasets(datasets).isOk());
    ASSERT_EQ(datasets.size(), 1u);
    EXPECT_EQ(datasets[0].name, "renamed");
    EXPECT_EQ(datasets[0].sentenceCount, 3);

    const std::int64_t run = fillStore(store, 2);
    ArtefactRecord probe;
    probe.kind = "probe";
    probe.name = "case-layer-6";
    probe.modelFingerprint = "gsfp1-a";
    probe.runId = run;
    probe.metadataJson = R"({"layer": 6, "accuracy": 0.91})";
    probe.data = {1, 2, 3, 4};
    std::int64_t artefactId = 0;
    ASSERT_TRUE(store.putArtefact(probe, artefactId).isOk());
    ArtefactRecord checkpoint;
    checkpoint.kind = "checkpoint";
    checkpoint.name = "ablated";
    checkpoint.filePath = "/models/ablated";
    std::int64_t checkpointId = 0;
    ASSERT_TRUE(store.putArtefact(checkpoint, checkpointId).isOk());
    probe.data = {9, 9};
    std::int64_t sameId = 0;
    ASSERT_TRUE(store.putArtefact(probe, sameId).isOk());
    EXPECT_EQ(sameId, artefactId);

    ArtefactRecord back;
    ASSERT_TRUE(store.getArtefact("probe", "case-layer-6", back, found).isOk());
    ASSERT_TRUE(found);
    EXPECT_EQ(back.data, (std::vector<std::uint8_t>{9, 9}));
    EXPECT_EQ(back.metadataJson, R"({"accuracy":0.91,"layer":6})");
    EXPECT_EQ(back.runId, run);
    std::vector<ArtefactRecord> list;
    ASSERT_TRUE(store.listArtefacts("", list).isOk());
    EXPECT_EQ(list.size(), 2u);
    ASSERT_TRUE(store.listArtefacts("checkpoint", list).isOk());
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].filePath, "/models/ablated");
    EXPECT_TRUE(list[0].data.empty());
    ASSERT_TRUE(store.deleteArtefact(checkpointId).isOk());
    EXPECT_TRUE(store.deleteArtefact(checkpointId).isFailed());
}

TEST_P(StoreTest, ClearAndStats) {
    ResultStore& store = *m_store;
    ASSERT_TRUE(store.registerModel({"gsfp1-a", "/m", ""}).isOk());
    std::int64_t ds = 0;
    ASSERT_TRUE(store.registerDataset({0, "hash", "d", "", 0, 0}, {"Одно.", "Два."}, ds).isOk());
    fillStore(store, 20);

    StoreStats stats;
    ASSERT_TRUE(store.stats(stats).isOk());
    EXPECT_EQ(stats.schemaVersion, kResultStoreSchemaVersion);
    EXPECT_EQ(stats.results, 20);
    EXPECT_EQ(stats.runs, 1);
    EXPECT_EQ(stats.completeRuns, 1);
    EXPECT_EQ(stats.sentences, 22);
    EXPECT_GT(stats.usedBytes, 0);
    EXPECT_TRUE(std::any_of(stats.tables.begin(), stats.tables.end(),
                            [](const StoreTableSize& t) { return t.name == "results" && t.bytes > 0; }));

    // Not while a run is being written.
    std::int64_t run = 0;
    ASSERT_TRUE(store.beginRun(makeKey("{\"x\":1}"), run).isOk());
    EXPECT_TRUE(store.clear().isFailed());
    ASSERT_TRUE(store.finishRun(run).isOk());

    ASSERT_TRUE(store.clear(ClearScope::Results).isOk());
    ASSERT_TRUE(store.stats(stats).isOk());
    EXPECT_EQ(stats.results, 0);
    EXPECT_EQ(stats.runs, 0);
    EXPECT_EQ(stats.models, 1);
    EXPECT_EQ(stats.datasets, 1);
    EXPECT_EQ(stats.sentences, 2);  // the dataset's stay
    ASSERT_TRUE(store.clear(ClearScope::Everything).isOk());
    ASSERT_TRUE(store.stats(stats).isOk());
    EXPECT_EQ(stats.models + stats.datasets + stats.sentences + stats.runs + stats.artefacts, 0);
    ASSERT_TRUE(store.vacuum().isOk());
    ASSERT_TRUE(store.verify().isOk());
}

// Cached hidden states are files next to the store: clearing the results
// or deleting the record removes the file, a file outside the store's folder
// is never touched, and other artefacts survive clear(Results).
TEST(StoreFiles, CachedHiddenStateFilesGoWithTheirRecords) {
    TempDir dir;
    const fs::path storePath = dir / "store" / "results.sqlite";
    std::unique_ptr<ResultStore> store;
    ASSERT_TRUE(ResultStore::open(storePath, fastOptions(), store).isOk());
    const auto touch = [](const fs::path& p) {
        fs::create_directories(p.parent_path());
        std::ofstream(p) << "x";
        return p;
    };
    const fs::path inside1 = touch(dir / "store" / "hidden-states" / "a.safetensors");
    const fs::path inside2 = touch(dir / "store" / "hidden-states" / "b.safetensors");
    const fs::path outside = touch(dir / "elsewhere" / "c.safetensors");
    std::int64_t id1 = 0, id2 = 0, id3 = 0, probeId = 0;
    ArtefactRecord a;
    a.kind = "hidden-states";
    a.name = "a";
    a.filePath = inside1.string();
    ASSERT_TRUE(store->putArtefact(a, id1).isOk());
    a.name = "b";
    a.filePath = inside2.string();
    ASSERT_TRUE(store->putArtefact(a, id2).isOk());
    a.name = "c";
    a.filePath = outside.string();
    ASSERT_TRUE(store->putArtefact(a, id3).isOk());
    ArtefactRecord probe;
    probe.kind = "probe";
    probe.name = "p";
    probe.data = {1, 2, 3};
    ASSERT_TRUE(store->putArtefact(probe, probeId).isOk());

    ASSERT_TRUE(store->deleteArtefact(id1).isOk());
    EXPECT_FALSE(fs::exists(inside1));
    EXPECT_TRUE(fs::exists(inside2));
    ASSERT_TRUE(store->clear(ClearScope::Results).isOk());
    EXPECT_FALSE(fs::exists(inside2));
    EXPECT_TRUE(fs::exists(outside));
    std::vector<ArtefactRecord> left;
    ASSERT_TRUE(store->listArtefacts("", left).isOk());
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].kind, "probe");
}

TEST_P(StoreTest, ExportCsvAndJson) {
    ResultStore& store = *m_store;
    std::int64_t run = 0;
    ASSERT_TRUE(store.beginRun(makeKey(), run).isOk());
    ResultMatrix a;
    a.rows = 2;
    a.cols = 2;
    a.values = {1.0f, 0.5f, std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::infinity()};
    a.rowLabels = {"emb", "1"};
    a.colLabels = {"[CLS]", "\"a,b\""};
    ResultMatrix b;
    b.rows = 1;
    b.cols = 1;
    b.values = {0.1f};  // stored as fp16 0.0999755859375
    ASSERT_TRUE(store.putResults(run, {{"Он сказал: \"да, конечно\".", a}, {"Второе.", b}}).isOk());
    ASSERT_TRUE(store.finishRun(run).isOk());

    const fs::path csv = m_dir / "out.csv";
    ASSERT_TRUE(store.exportRunCsv(run, csv).isOk());
    EXPECT_FALSE(fs::exists(csv.string() + ".part"));
    EXPECT_EQ(readText(csv),
              "sentence,token_index,token,layer_index,layer,value\n"
              "\"Он сказал: \"\"да, конечно\"\".\",0,[CLS],0,emb,1\n"
              "\"Он сказал: \"\"да, конечно\"\".\",1,\"\"\"a,b\"\"\",0,emb,0.5\n"
              "\"Он сказал: \"\"да, конечно\"\".\",0,[CLS],1,1,\n"
              "\"Он сказал: \"\"да, конечно\"\".\",1,\"\"\"a,b\"\"\",1,1,-inf\n"
              "Второе.,0,,0,0,0.099975586\n");

    const fs::path json = m_dir / "out.json";
    std::vector<std::int64_t> progress;
    ASSERT_TRUE(store.exportRunJson(run, json, {}, [&](std::int64_t done, std::int64_t total) {
                         progress.push_back(done * 10 + total);
                         return true;
                     }).isOk());
    EXPECT_EQ(progress, (std::vector<std::int64_t>{2, 12, 22}));
    const auto doc = nlohmann::json::parse(readText(json));
    EXPECT_EQ(doc["format"], "grammascope-results");
    EXPECT_EQ(doc["run"]["analysis"], "layer-heatmap");
    EXPECT_EQ(doc["run"]["parameters"]["precision"], "fp32");
    ASSERT_EQ(doc["results"].size(), 2u);
    const auto& first = doc["results"][0];
    EXPECT_EQ(first["sentence"], "Он сказал: \"да, конечно\".");
    EXPECT_EQ(first["sentence_hash"], sentenceHash("Он сказал: \"да, конечно\"."));
    EXPECT_EQ(first["layers"], nlohmann::json({"emb", "1"}));
    EXPECT_EQ(first["tokens"], nlohmann::json({"[CLS]", "\"a,b\""}));
    EXPECT_EQ(first["values"][0], nlohmann::json({1.0, 0.5}));
    EXPECT_TRUE(first["values"][1][0].is_null());
    EXPECT_TRUE(first["values"][1][1].is_null());
    EXPECT_FLOAT_EQ(doc["results"][1]["values"][0][0].get<float>(), 0.0999755859375f);

    // Restricted to a dataset, in the dataset's order (a sentence without a result is skipped).
    std::int64_t ds = 0;
    ASSERT_TRUE(store.registerDataset({0, "h", "d", "", 0, 0}, {"Второе.", "Нет результата.", "Он сказал: \"да, конечно\"."}, ds).isOk());
    ExportOptions options;
    options.datasetId = ds;
    ASSERT_TRUE(store.exportRunJson(run, json, options).isOk());
    const auto ordered = nlohmann::json::parse(readText(json));
    ASSERT_EQ(ordered["results"].size(), 2u);
    EXPECT_EQ(ordered["results"][0]["sentence"], "Второе.");

    // A cancelled export leaves neither the file nor its partial copy.
    const fs::path cancelled = m_dir / "cancelled.csv";
    EXPECT_TRUE(store.exportRunCsv(run, cancelled, {}, [](std::int64_t, std::int64_t) { return false; }).isCancelled());
    EXPECT_FALSE(fs::exists(cancelled));
    EXPECT_FALSE(fs::exists(cancelled.string() + ".part"));
}

// ------------------------------------------------------------------ fingerprints and the default path

TEST(ModelFingerprint, CoversWeightsConfigAndTokenizerOnly) {
    TempDir dir;
    const auto write = [&](const std::string& name, const std::string& content) {
        std::ofstream(dir / name, std::ios::binary) << content;
    };
    write("config.json", R"({"model_type":"bert"})");
    write("model.safetensors", std::string(3 << 20, 'w'));  // several read chunks
    write("vocab.txt", "[PAD]\n[UNK]\n");
    write("README.md", "card");
    write("training_args.bin", "args");
    std::string a;
    std::vector<std::int64_t> progress;
    ASSERT_TRUE(fingerprintModelFiles(dir.path(), a, [&](std::int64_t done, std::int64_t total) {
                    progress.push_back(done);
                    EXPECT_EQ(total, (3 << 20) + 21 + 12);
                    return true;
                }).isOk());
    EXPECT_EQ(a.rfind("gsfp1-", 0), 0u);
    EXPECT_EQ(a.size(), 6u + 64u);
    EXPECT_EQ(progress.back(), (3 << 20) + 21 + 12);

    std::string b;
    write("README.md", "another card");
    write("training_args.bin", "other args");
    ASSERT_TRUE(fingerprintModelFiles(dir.path(), b).isOk());
    EXPECT_EQ(a, b) << "files that do not change outputs must not change the fingerprint";

    std::string weights(3 << 20, 'w');
    weights[2 << 20] = 'x';  // one byte deep inside the weights
    write("model.safetensors", weights);
    ASSERT_TRUE(fingerprintModelFiles(dir.path(), b).isOk());
    EXPECT_NE(a, b);
    write("model.safetensors", std::string(3 << 20, 'w'));
    ASSERT_TRUE(fingerprintModelFiles(dir.path(), b).isOk());
    EXPECT_EQ(a, b);
    write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n");
    ASSERT_TRUE(fingerprintModelFiles(dir.path(), b).isOk());
    EXPECT_NE(a, b);

    EXPECT_TRUE(fingerprintModelFiles(dir.path(), b, [](std::int64_t, std::int64_t) { return false; }).isCancelled());
    TempDir empty;
    EXPECT_TRUE(fingerprintModelFiles(empty.path(), b).isFailed());
    EXPECT_TRUE(fingerprintModelFiles(empty / "nope", b).isFailed());
}

TEST(DefaultStorePath, FollowsXdgCacheHome) {
    const char* oldXdg = std::getenv("XDG_CACHE_HOME");
    const std::string savedXdg = oldXdg ? oldXdg : "";
    const char* oldHome = std::getenv("HOME");
    const std::string savedHome = oldHome ? oldHome : "";

    ::setenv("XDG_CACHE_HOME", "/var/tmp/xdg", 1);
    EXPECT_EQ(defaultStorePath(), fs::path("/var/tmp/xdg/grammascope/results.sqlite"));
    ::setenv("HOME", "/home/someone", 1);
    ::setenv("XDG_CACHE_HOME", "relative/path", 1);  // not absolute: ignored, as the XDG spec says
    EXPECT_EQ(defaultStorePath(), fs::path("/home/someone/.cache/grammascope/results.sqlite"));
    ::unsetenv("XDG_CACHE_HOME");
    EXPECT_EQ(defaultStorePath(), fs::path("/home/someone/.cache/grammascope/results.sqlite"));

    if (oldXdg) ::setenv("XDG_CACHE_HOME", savedXdg.c_str(), 1);
    if (oldHome) ::setenv("HOME", savedHome.c_str(), 1);
    else ::unsetenv("HOME");
}
