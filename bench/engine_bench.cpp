// Helpers for scripts/bench-engine.sh (whole-dataset runs go through
// grammascope-cli run, so that what is measured is what users run):
//
//   engine_bench make-bert-base DIR     a random checkpoint of BERT-base shape
//                                       (12 x 768, FFN 3072, 512 positions,
//                                       the fixture vocabulary), as bench_encoder
//   engine_bench cache-write DB [N]     write throughput of the results store:
//                                       N results (default 20,000) of a 13 x 24
//                                       matrix (a BERT-base layer quantity of a
//                                       24-token sentence), committed 128 per
//                                       putResults as the engine does, durable
//
// Output: one JSON object on stdout.

#include "checkpoint_fixture.h"
#include "grammascope/result_store.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

namespace {

int makeBertBase(const std::string& dir) {
    gs::testing::FixtureOptions o;
    o.hiddenSize = 768;
    o.numLayers = 12;
    o.numHeads = 12;
    o.intermediateSize = 3072;
    o.maxPositionEmbeddings = 512;
    o.layerNormEps = 1e-12;
    o.weightScale = 0.02f;
    const gs::Status st = gs::testing::writeRandomCheckpoint(dir, o);
    if (!st.isOk()) {
        std::fprintf(stderr, "error: %s\n", st.message().c_str());
        return 1;
    }
    std::printf("{\"checkpoint\": \"%s\"}\n", dir.c_str());
    return 0;
}

int cacheWrite(const std::string& db, long count) {
    std::unique_ptr<gs::ResultStore> store;
    if (gs::Status st = gs::ResultStore::open(db, gs::ResultStoreOptions{}, store); !st.isOk()) {
        std::fprintf(stderr, "error: %s\n", st.message().c_str());
        return 1;
    }
    gs::AnalysisKey key{"gsfp1-bench", "hidden-norm", "{\"bench\":true}", "bench-1"};
    std::int64_t run = 0;
    if (gs::Status st = store->beginRun(key, run); !st.isOk()) {
        std::fprintf(stderr, "error: %s\n", st.message().c_str());
        return 1;
    }
    constexpr int kRows = 13, kCols = 24, kBatch = 128;
    std::mt19937 rng(7);
    std::normal_distribution<float> value(10.0f, 3.0f);
    gs::ResultMatrix m;
    m.rows = kRows;
    m.cols = kCols;
    m.rowLabels.push_back("emb");
    for (int l = 1; l < kRows; ++l) m.rowLabels.push_back(std::to_string(l));
    for (int t = 0; t < kCols; ++t) m.colLabels.push_back(t == 0 ? "[CLS]" : "слово" + std::to_string(t));
    m.values.resize(kRows * kCols);

    double seconds = 0;
    long written = 0;
    while (written < count) {
        std::vector<gs::ResultEntry> batch;
        for (int i = 0; i < kBatch && written + i < count; ++i) {
            for (float& v : m.values) v = value(rng);
            batch.push_back({"Предложение номер " + std::to_string(written + i) + " для замера записи.", m});
        }
        const auto t0 = std::chrono::steady_clock::now();
        if (gs::Status st = store->putResults(run, batch); !st.isOk()) {
            std::fprintf(stderr, "error: %s\n", st.message().c_str());
            return 1;
        }
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        written += static_cast<long>(batch.size());
    }
    store->finishRun(run);
    gs::RunInfo info;
    store->runInfo(run, info);
    const double floatBytes = static_cast<double>(written) * kRows * kCols * 4;
    std::printf("{\"results\": %ld, \"batch\": %d, \"seconds\": %.3f, \"results_per_second\": %.0f, "
                "\"blob_mb_per_second\": %.2f, \"float32_mb_per_second\": %.2f, \"blob_bytes\": %lld}\n",
                written, kBatch, seconds, static_cast<double>(written) / seconds,
                static_cast<double>(info.resultBytes) / seconds / 1e6, floatBytes / seconds / 1e6,
                static_cast<long long>(info.resultBytes));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && !std::strcmp(argv[1], "make-bert-base")) return makeBertBase(argv[2]);
    if (argc >= 3 && !std::strcmp(argv[1], "cache-write")) return cacheWrite(argv[2], argc >= 4 ? std::atol(argv[3]) : 20000);
    std::fprintf(stderr, "usage: engine_bench make-bert-base DIR | cache-write DB [N]\n");
    return 2;
}
