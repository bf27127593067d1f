// SAE training from a hidden-state table (scripts/bench-sae.sh): the same
// rows, options and seed, either gathered into a matrix in memory first or
// read one batch at a time from the memory-mapped table (what
// `grammascope-cli sae train` does). The two give the same weights
// (tests/core/sae_test.cpp); this measures time and memory.
//
//   sae_bench TABLE LAYER matrix|stream [DICT K EPOCHS]
//
// TABLE is a hidden-state file (<store dir>/hidden-states/*.safetensors);
// every token row of LAYER is used. Output: one JSON object on stdout with
// the wall time, the SAE's FVU on the training rows, the peak resident set
// (ru_maxrss: it counts the file pages the mapping touched) and the
// anonymous resident memory at the end of training (RssAnon: the process's
// own allocations, which is what a matrix in memory costs).

#include "grammascope/probe_data.h"
#include "grammascope/sae.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <string>

namespace {

class TableSource final : public gs::SaeRowSource {
public:
    TableSource(const gs::HiddenStateTable& t, int layer, std::int64_t rows) : m_t(t), m_layer(layer), m_rows(rows) {}
    std::int64_t rows() const override { return m_rows; }
    std::int64_t cols() const override { return m_t.hiddenSize(); }
    gs::Status read(const std::int64_t* indices, std::int64_t n, float* out) const override {
        return m_t.readRows(m_layer, indices, n, out);  // table rows = row indices here
    }

private:
    const gs::HiddenStateTable& m_t;
    int m_layer;
    std::int64_t m_rows;
};

long rssAnonKb() {
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = -1;
    while (in >> key) {
        if (key == "RssAnon:") {
            in >> value;
            return value;
        }
        std::getline(in, key);
    }
    return -1;
}

int fail(const gs::Status& st) {
    std::fprintf(stderr, "error: %s\n", st.message().c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: sae_bench TABLE LAYER matrix|stream [DICT K EPOCHS]\n");
        return 2;
    }
    const std::string mode = argv[3];
    const int layer = std::atoi(argv[2]);
    gs::HiddenStateTable table;
    if (gs::Status st = gs::HiddenStateTable::open(argv[1], table); !st.isOk()) return fail(st);
    std::int64_t rows = 0;
    for (std::int64_t s = 0; s < table.sentences(); ++s) rows += table.tokens(s);

    gs::SaeOptions o;
    o.dictionarySize = argc > 4 ? std::atoll(argv[4]) : 2048;
    o.k = argc > 5 ? std::atoi(argv[5]) : 32;
    o.epochs = argc > 6 ? std::atoi(argv[6]) : 2;
    o.threads = 1;
    const auto t0 = std::chrono::steady_clock::now();
    gs::SparseAutoencoder sae;
    TableSource source(table, layer, rows);
    gs::FeatureMatrix x;
    if (mode == "matrix") {
        x.rows = rows;
        x.cols = table.hiddenSize();
        x.data.resize(static_cast<std::size_t>(rows * x.cols));
        std::vector<std::int64_t> all(static_cast<std::size_t>(rows));
        std::iota(all.begin(), all.end(), 0);
        if (gs::Status st = table.readRows(layer, all.data(), rows, x.data.data()); !st.isOk()) return fail(st);
        if (gs::Status st = gs::trainSae(x, o, sae); !st.isOk()) return fail(st);
    } else if (mode == "stream") {
        if (gs::Status st = gs::trainSae(source, o, sae); !st.isOk()) return fail(st);
    } else {
        std::fprintf(stderr, "mode must be matrix or stream\n");
        return 2;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long anon = rssAnonKb();
    // FVU on the training rows, read in chunks (not part of the timing).
    gs::FeatureMatrix chunk;
    double fvuNum = 0, fvuDen = 0;
    {
        std::vector<double> mean(static_cast<std::size_t>(table.hiddenSize()), 0.0);
        std::vector<float> row(static_cast<std::size_t>(table.hiddenSize()));
        for (std::int64_t r = 0; r < rows; ++r) {
            if (!table.readRows(layer, &r, 1, row.data()).isOk()) return 1;
            for (std::size_t c = 0; c < row.size(); ++c) mean[c] += row[c] / static_cast<double>(rows);
        }
        for (std::int64_t b = 0; b < rows; b += 4096) {
            const std::int64_t n = std::min<std::int64_t>(4096, rows - b);
            std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
            std::iota(idx.begin(), idx.end(), b);
            chunk.rows = n;
            chunk.cols = table.hiddenSize();
            chunk.data.resize(static_cast<std::size_t>(n * chunk.cols));
            if (!table.readRows(layer, idx.data(), n, chunk.data.data()).isOk()) return 1;
            gs::FeatureMatrix rec;
            if (gs::Status st = gs::reconstructSae(sae, chunk, rec); !st.isOk()) return fail(st);
            for (std::int64_t i = 0; i < n * chunk.cols; ++i) {
                const double d = chunk.data[static_cast<std::size_t>(i)] - rec.data[static_cast<std::size_t>(i)];
                const double m = chunk.data[static_cast<std::size_t>(i)] - mean[static_cast<std::size_t>(i % chunk.cols)];
                fvuNum += d * d;
                fvuDen += m * m;
            }
        }
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("{\"mode\": \"%s\", \"rows\": %lld, \"d_in\": %lld, \"d_sae\": %lld, \"k\": %d, \"epochs\": %d, "
                "\"seconds\": %.2f, \"fvu\": %.4f, \"peak_rss_mb\": %.1f, \"anon_rss_mb_after_training\": %.1f}\n",
                mode.c_str(), static_cast<long long>(rows), static_cast<long long>(table.hiddenSize()),
                static_cast<long long>(sae.dSae), o.k, o.epochs, seconds, fvuNum / fvuDen, ru.ru_maxrss / 1024.0,
                anon / 1024.0);
    return 0;
}
