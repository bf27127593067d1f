#pragma once
// Helpers shared by the results store tests (result_store_test.cpp and
// result_store_robustness_test.cpp): a temporary directory, deterministic
// matrices and batches, the analysis key, fast store options, raw file
// access and a store filled with one complete run.

#include "grammascope/result_store.h"

#include "cache/fp16.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace gs::result_store_test {

class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        m_path = std::filesystem::temp_directory_path() /
                 ("gs-cache-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(m_path);
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// A deterministic matrix: `rows` layers x `cols` tokens with labels.
inline ResultMatrix makeMatrix(int rows, int cols, std::uint32_t seed) {
    ResultMatrix m;
    m.rows = rows;
    m.cols = cols;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-40.0f, 40.0f);
    m.values.resize(std::size_t(rows) * cols);
    for (float& v : m.values) v = dist(rng);
    for (int r = 0; r < rows; ++r) m.rowLabels.push_back(r == 0 ? "emb" : std::to_string(r));
    for (int c = 0; c < cols; ++c) m.colLabels.push_back("tok" + std::to_string(c) + (c % 2 ? "ы" : ""));
    return m;
}

// What the store gives back: every value rounded through fp16.
inline void expectStoredEqual(const ResultMatrix& expected, const ResultMatrix& actual) {
    ASSERT_EQ(expected.rows, actual.rows);
    ASSERT_EQ(expected.cols, actual.cols);
    EXPECT_EQ(expected.rowLabels, actual.rowLabels);
    EXPECT_EQ(expected.colLabels, actual.colLabels);
    ASSERT_EQ(expected.values.size(), actual.values.size());
    for (std::size_t i = 0; i < expected.values.size(); ++i) {
        const float want = cache::halfToFloat(cache::floatToHalf(expected.values[i]));
        if (std::isnan(want)) EXPECT_TRUE(std::isnan(actual.values[i])) << i;
        else EXPECT_EQ(want, actual.values[i]) << i;
    }
}

inline std::string sentenceText(int i) { return "Предложение номер " + std::to_string(i) + "."; }

inline std::vector<ResultEntry> makeBatch(int first, int count, int rows = 5, int cols = 7) {
    std::vector<ResultEntry> batch;
    for (int i = first; i < first + count; ++i) batch.push_back({sentenceText(i), makeMatrix(rows, cols, std::uint32_t(i))});
    return batch;
}

inline AnalysisKey makeKey(std::string params = R"({"quantity":"hidden-norm","precision":"fp32"})") {
    return {"gsfp1-model-a", "layer-heatmap", std::move(params), "1"};
}

inline ResultStoreOptions fastOptions() {
    ResultStoreOptions o;
    o.durable = false;  // tests need crash safety, not power-loss safety
    o.busyTimeoutMs = 10000;
    return o;
}

inline std::vector<char> readBytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeBytesAt(const std::filesystem::path& p, std::size_t offset, const std::vector<char>& bytes) {
    std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(std::streamoff(offset));
    f.write(bytes.data(), std::streamsize(bytes.size()));
}

inline std::string readText(const std::filesystem::path& p) {
    const auto b = readBytes(p);
    return std::string(b.begin(), b.end());
}

// A store with one complete run of `n` sentences; returns the run id.
inline std::int64_t fillStore(ResultStore& store, int n, int rows = 5, int cols = 7) {
    std::int64_t run = 0;
    EXPECT_TRUE(store.beginRun(makeKey(), run).isOk());
    EXPECT_TRUE(store.putResults(run, makeBatch(0, n, rows, cols)).isOk());
    EXPECT_TRUE(store.finishRun(run).isOk());
    return run;
}

} // namespace gs::result_store_test
