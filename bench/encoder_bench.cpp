// Encoder throughput: tokens per second for one sentence at a time, on a
// random checkpoint of BERT-base shape (12 x 768, FFN 3072, vocab of the
// fixture), fp32 and bf16 in the same run. The checkpoint is written once to
// $GRAMMASCOPE_BENCH_DIR (default /tmp/grammascope-bench-bert-base).
//
//   build/bin/bench_encoder --benchmark_counters_tabular=true

#include "checkpoint_fixture.h"
#include "grammascope/model.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>

namespace {

std::filesystem::path benchModelDir() {
    const char* env = std::getenv("GRAMMASCOPE_BENCH_DIR");
    std::filesystem::path dir = env ? env : "/tmp/grammascope-bench-bert-base";
    if (!std::filesystem::exists(dir / "model.safetensors")) {
        gs::testing::FixtureOptions o;
        o.hiddenSize = 768;
        o.numLayers = 12;
        o.numHeads = 12;
        o.intermediateSize = 3072;
        o.maxPositionEmbeddings = 512;
        o.layerNormEps = 1e-12;
        o.weightScale = 0.02f;
        gs::Status st = gs::testing::writeRandomCheckpoint(dir, o);
        if (!st.isOk()) throw std::runtime_error(st.message());
    }
    return dir;
}

std::shared_ptr<const gs::Model> modelFor(gs::Precision precision) {
    static std::map<gs::Precision, std::shared_ptr<const gs::Model>> cache;
    auto& m = cache[precision];
    if (!m) {
        gs::ModelOptions o;
        o.precision = precision;
        gs::Status st = gs::Model::load(benchModelDir(), o, m);
        if (!st.isOk()) throw std::runtime_error(st.message());
    }
    return m;
}

// A sentence of about `tokens` tokens with the fixture vocabulary.
std::string sentenceOf(int tokens) {
    std::string s;
    const char* words[] = {"мама", "мыла", "раму", "кот", "спал", "дом"};
    for (int i = 0; i < tokens - 2; ++i) s += std::string(i ? " " : "") + words[i % 6];
    return s;
}

void encode(benchmark::State& state, gs::Precision precision, bool attentions) {
    auto model = modelFor(precision);
    const std::string text = sentenceOf(static_cast<int>(state.range(0)));
    gs::EncodeRequest req;
    req.attentions = attentions;
    gs::EncodeResult r;
    std::int64_t tokens = 0;
    for (auto _ : state) {
        gs::Status st = model->encode(text, req, r);
        if (!st.isOk()) {
            state.SkipWithError(st.message().c_str());
            break;
        }
        tokens += r.numTokens;
    }
    state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}

void BM_EncodeFp32(benchmark::State& s) { encode(s, gs::Precision::Float32, false); }
void BM_EncodeBf16(benchmark::State& s) { encode(s, gs::Precision::BFloat16, false); }
void BM_EncodeFp32Attentions(benchmark::State& s) { encode(s, gs::Precision::Float32, true); }

BENCHMARK(BM_EncodeFp32)->Arg(16)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EncodeBf16)->Arg(16)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EncodeFp32Attentions)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
