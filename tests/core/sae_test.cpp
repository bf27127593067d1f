// Sparse autoencoders on synthetic data with planted features: 64 unit
// directions in 32 dimensions, each row a non-negative combination of 1-4 of
// them plus a constant offset. Recovery of the directions, FVU, the geometric
// median, unit-norm decoder rows, AuxK against dead latents, ReLU+L1, encode /
// reconstruct, cancellation and exact resume, the SAELens folder format and
// its errors.

#include "grammascope/sae.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <numeric>
#include <random>

#include <unistd.h>

namespace gs {
namespace {

namespace fs = std::filesystem;

constexpr int kDim = 32, kFeatures = 64;

struct Planted {
    FeatureMatrix x;
    std::vector<std::vector<double>> dirs;  // kFeatures unit vectors
};

// std distributions are fine here: the tests check statistical properties.
Planted makePlanted(std::int64_t rows, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> coef(0.5, 1.5);
    Planted p;
    p.dirs.assign(kFeatures, std::vector<double>(kDim));
    for (auto& d : p.dirs) {
        double n = 0;
        for (auto& v : d) {
            v = normal(rng);
            n += v * v;
        }
        for (auto& v : d) v /= std::sqrt(n);
    }
    std::vector<double> offset(kDim);
    for (auto& v : offset) v = 0.3 * normal(rng);
    p.x.rows = rows;
    p.x.cols = kDim;
    p.x.data.assign(static_cast<std::size_t>(rows * kDim), 0.0f);
    std::vector<int> ids(kFeatures);
    for (std::int64_t r = 0; r < rows; ++r) {
        std::iota(ids.begin(), ids.end(), 0);
        const int active = 1 + static_cast<int>(rng() % 4);
        for (int a = 0; a < active; ++a) std::swap(ids[a], ids[a + static_cast<int>(rng() % (kFeatures - a))]);
        std::vector<double> row = offset;
        for (int a = 0; a < active; ++a) {
            const double c = coef(rng);
            for (int j = 0; j < kDim; ++j) row[j] += c * p.dirs[ids[a]][j];
        }
        for (int j = 0; j < kDim; ++j) p.x.row(r)[j] = static_cast<float>(row[j]);
    }
    return p;
}

const Planted& planted() {
    static const Planted p = makePlanted(8192, 7);
    return p;
}

SaeOptions fastOptions() {
    SaeOptions o;
    o.dictionarySize = 128;
    o.k = 4;
    o.auxK = 64;
    o.learningRate = 3e-3;
    o.batchSize = 256;
    o.epochs = 20;
    o.seed = 3;
    o.geometricMedianSample = 2048;
    return o;
}

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The TopK SAE on the planted data, trained once for several tests.
const SparseAutoencoder& trainedTopK() {
    static const SparseAutoencoder sae = [] {
        SparseAutoencoder out;
        out.layer = 6;
        out.hookName = "blocks.6.hook_resid_post";
        out.modelName = "tiny-bert";
        out.modelFingerprint = "fp-123";
        const auto t0 = std::chrono::steady_clock::now();
        const Status st = trainSae(planted().x, fastOptions(), out);
        std::cout << "[sae] TopK 128 latents, k=4, 640 steps: " << seconds(t0) << " s\n";
        EXPECT_TRUE(st.isOk()) << st.message();
        return out;
    }();
    return sae;
}

// Fraction of planted directions matched by some decoder row with cosine > threshold.
double recoveredFraction(const SparseAutoencoder& sae, const Planted& p, double threshold) {
    int matched = 0;
    for (const auto& d : p.dirs) {
        double best = -1;
        for (std::int64_t r = 0; r < sae.dSae; ++r) {
            const float* w = sae.W_dec.data() + r * sae.dIn;
            double dot = 0, n = 0;
            for (int j = 0; j < kDim; ++j) {
                dot += w[j] * d[static_cast<std::size_t>(j)];
                n += static_cast<double>(w[j]) * w[j];
            }
            best = std::max(best, dot / std::sqrt(n));
        }
        if (best > threshold) ++matched;
    }
    return static_cast<double>(matched) / static_cast<double>(p.dirs.size());
}

void expectUnitRows(const SparseAutoencoder& sae) {
    for (std::int64_t r = 0; r < sae.dSae; ++r) {
        double n = 0;
        for (std::int64_t j = 0; j < sae.dIn; ++j) n += std::pow(sae.W_dec[static_cast<std::size_t>(r * sae.dIn + j)], 2);
        { ASSERT_NEAR(std::sqrt(n), 1.0, 1e-4) << "decoder row " << r; }
    }
}

TEST(Sae, RecoversPlantedFeaturesWithSmallFvu) {
    const auto& sae = trainedTopK();
    ASSERT_EQ(sae.dSae, 128);
    ASSERT_EQ(sae.dIn, kDim);
    const double frac = recoveredFraction(sae, planted(), 0.9);
    SaeMetrics m;
    ASSERT_TRUE(evaluateSae(sae, planted().x, m).isOk());
    std::cout << "[sae] recovered " << frac * 100 << " % of 64 planted features (cos > 0.9); FVU " << m.fvu
              << ", L0 " << m.l0 << ", MSE " << m.mse << ", dead " << m.deadFraction << "\n";
    EXPECT_GE(frac, 0.9);
    EXPECT_LT(m.fvu, 0.1);
    EXPECT_LE(m.l0, 4.0);
    EXPECT_GT(m.l0, 1.0);
    expectUnitRows(sae);
    EXPECT_EQ(sae.trainedSteps, 640);
    EXPECT_EQ(sae.layer, 6);
    EXPECT_EQ(sae.hookName, "blocks.6.hook_resid_post");
}

TEST(Sae, EncodeAndReconstructAgreeWithEvaluation) {
    const auto& sae = trainedTopK();
    const FeatureMatrix x = selectRows(planted().x, {0, 1, 2, 3, 4, 5, 6, 7});
    SaeCodes codes;
    ASSERT_TRUE(encodeSae(sae, x, codes).isOk());
    ASSERT_EQ(codes.perRow, 4);
    FeatureMatrix xhat;
    ASSERT_TRUE(reconstructSae(sae, x, xhat).isOk());
    for (std::int64_t r = 0; r < x.rows; ++r) {
        // x̂ = b_dec + Σ value · W_dec[index] from the codes.
        std::vector<double> rec(sae.b_dec.begin(), sae.b_dec.end());
        for (int j = 0; j < codes.perRow; ++j) {
            const auto idx = codes.indices[static_cast<std::size_t>(r * codes.perRow + j)];
            const float v = codes.values[static_cast<std::size_t>(r * codes.perRow + j)];
            if (j > 0) {
                EXPECT_LE(v, codes.values[static_cast<std::size_t>(r * codes.perRow + j - 1)]);
            }
            if (idx < 0) continue;
            for (int c = 0; c < kDim; ++c) rec[static_cast<std::size_t>(c)] += v * sae.W_dec[static_cast<std::size_t>(idx * kDim + c)];
        }
        for (int c = 0; c < kDim; ++c) EXPECT_NEAR(rec[static_cast<std::size_t>(c)], xhat.row(r)[c], 1e-4);
    }
    // More slots per row than the SAE's k: the first k as before, the rest empty.
    SaeCodes wide;
    ASSERT_TRUE(encodeSae(sae, x, wide, 8).isOk());
    ASSERT_EQ(wide.perRow, 8);
    for (std::int64_t r = 0; r < x.rows; ++r)
        for (int j = 0; j < 8; ++j) {
            const auto w = static_cast<std::size_t>(r * 8 + j);
            if (j < 4) {
                const auto c = static_cast<std::size_t>(r * 4 + j);
                EXPECT_EQ(wide.indices[w], codes.indices[c]);
                EXPECT_EQ(wide.values[w], codes.values[c]);
            } else {
                EXPECT_EQ(wide.indices[w], -1);
                EXPECT_EQ(wide.values[w], 0.0f);
            }
        }
    FeatureMatrix wrong{2, 3, std::vector<float>(6, 0.0f)};
    EXPECT_TRUE(encodeSae(sae, wrong, codes).isFailed());
}

TEST(Sae, GeometricMedianResistsAnOutlier) {
    // Collinear points: the geometric median is the 1-D median (2, 0); the mean is (201.2, 0).
    FeatureMatrix x{5, 2, {0, 0, 1, 0, 2, 0, 3, 0, 1000, 0}};
    std::vector<float> gm;
    ASSERT_TRUE(geometricMedian(x, gm).isOk());
    EXPECT_NEAR(gm[0], 2.0, 1e-3);
    EXPECT_NEAR(gm[1], 0.0, 1e-6);
    // Square corners plus a far point: pulled less than a unit off the centre (the mean moves by 20).
    FeatureMatrix sq{5, 2, {-1, -1, 1, -1, -1, 1, 1, 1, 100, 0}};
    ASSERT_TRUE(geometricMedian(sq, gm).isOk());
    EXPECT_LT(std::hypot(gm[0], gm[1]), 1.0);
    EXPECT_NEAR(gm[1], 0.0, 1e-5);
    EXPECT_GT(gm[0], 0.0);
}

// AuxK where dead latents have something to learn: a dictionary no larger
// than the number of planted features and a high learning rate, which kills
// a few latents early; their features then stay in the residual. (With a
// dictionary much larger than the 64 features the "dead" latents are
// redundant, the residual is interference noise, and AuxK does not lower the
// count of never-firing latents on this data.)
TEST(Sae, AuxKKeepsFewerLatentsDead) {
    SaeOptions o = fastOptions();
    o.dictionarySize = 64;
    o.learningRate = 1e-2;
    o.epochs = 10;
    const FeatureMatrix& x = planted().x;
    double deadWith = 0, deadWithout = 0, fvuWith = 0, fvuWithout = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t seed : {1, 2, 5}) {
        o.seed = seed;
        SparseAutoencoder with, without;
        o.auxCoefficient = 1.0 / 32;
        ASSERT_TRUE(trainSae(x, o, with).isOk());
        o.auxCoefficient = 0;
        ASSERT_TRUE(trainSae(x, o, without).isOk());
        SaeMetrics mw, mo;
        ASSERT_TRUE(evaluateSae(with, x, mw).isOk());
        ASSERT_TRUE(evaluateSae(without, x, mo).isOk());
        deadWith += mw.deadFraction * 64;
        deadWithout += mo.deadFraction * 64;
        fvuWith += mw.fvu / 3;
        fvuWithout += mo.fvu / 3;
    }
    std::cout << "[sae] 64 latents, lr 1e-2, 3 seeds: dead latents with AuxK " << deadWith << " (mean FVU " << fvuWith
              << "), without " << deadWithout << " (mean FVU " << fvuWithout << "); " << seconds(t0) << " s\n";
    EXPECT_LT(deadWith, deadWithout);
    EXPECT_LE(fvuWith, fvuWithout);
}

TEST(Sae, ReluL1TrainsSparseCodes) {
    SaeOptions o = fastOptions();
    o.kind = SaeKind::ReluL1;
    o.l1Coefficient = 0.2;
    o.epochs = 30;
    SparseAutoencoder sae;
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(trainSae(planted().x, o, sae).isOk());
    SaeMetrics m;
    ASSERT_TRUE(evaluateSae(sae, planted().x, m).isOk());
    const double frac = recoveredFraction(sae, planted(), 0.9);
    std::cout << "[sae] ReLU+L1 (lambda 0.2, 960 steps): FVU " << m.fvu << ", L0 " << m.l0 << ", recovered "
              << frac * 100 << " %; " << seconds(t0) << " s\n";
    EXPECT_EQ(sae.kind, SaeKind::ReluL1);
    EXPECT_EQ(sae.l1Coefficient, 0.2);
    EXPECT_GE(frac, 0.9);
    EXPECT_LT(m.fvu, 0.15);
    EXPECT_LT(m.l0, 12.0);
    expectUnitRows(sae);
}

// Rows served one read at a time, recording the largest read.
class CountingSource final : public SaeRowSource {
public:
    explicit CountingSource(const FeatureMatrix& x) : m_inner(x), m_x(x) {}
    std::int64_t rows() const override { return m_x.rows; }
    std::int64_t cols() const override { return m_x.cols; }
    Status read(const std::int64_t* indices, std::int64_t n, float* out) const override {
        largestRead = std::max(largestRead, n);
        rowsRead += n;
        return m_inner.read(indices, n, out);
    }
    mutable std::int64_t largestRead = 0, rowsRead = 0;

private:
    MatrixRowSource m_inner;
    const FeatureMatrix& m_x;
};

TEST(Sae, StreamedRowsGiveTheSameWeightsAsAMatrix) {
    SaeOptions o = fastOptions();
    o.epochs = 3;
    o.geometricMedianSample = 1024;
    SparseAutoencoder fromMatrix, streamed;
    ASSERT_TRUE(trainSae(planted().x, o, fromMatrix).isOk());
    CountingSource source(planted().x);
    const Status st = trainSae(source, o, streamed);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(streamed.W_enc, fromMatrix.W_enc);
    EXPECT_EQ(streamed.W_dec, fromMatrix.W_dec);
    EXPECT_EQ(streamed.b_enc, fromMatrix.b_enc);
    EXPECT_EQ(streamed.b_dec, fromMatrix.b_dec);
    // Never the whole matrix at once: chunks of the variance passes, the
    // median sample, then one batch per step.
    EXPECT_LT(source.largestRead, planted().x.rows);
    EXPECT_EQ(source.rowsRead, 2 * planted().x.rows + 1024 + 3 * planted().x.rows);
}

TEST(Sae, ResamplingRevivesDeadReluL1Latents) {
    SaeOptions o = fastOptions();
    o.kind = SaeKind::ReluL1;
    // An under-complete dictionary (48 latents for 64 planted features), as
    // in the AuxK test: every latent could be used, so one that dies costs
    // reconstruction. (With more latents than features the extra ones are
    // redundant and die again after resampling.)
    o.l1Coefficient = 0.5;
    o.learningRate = 3e-2;
    o.dictionarySize = 48;
    o.epochs = 20;
    o.deadAfterTokens = 2048;
    double deadWith = 0, deadWithout = 0, fvuWith = 0, fvuWithout = 0;
    for (std::uint64_t seed : {1, 2}) {
        o.seed = seed;
        SparseAutoencoder with, without;
        o.resamplings = 4;
        ASSERT_TRUE(trainSae(planted().x, o, with).isOk());
        o.resamplings = 0;
        ASSERT_TRUE(trainSae(planted().x, o, without).isOk());
        SaeMetrics mw, mo;
        ASSERT_TRUE(evaluateSae(with, planted().x, mw).isOk());
        ASSERT_TRUE(evaluateSae(without, planted().x, mo).isOk());
        deadWith += mw.deadFraction * o.dictionarySize;
        deadWithout += mo.deadFraction * o.dictionarySize;
        fvuWith += mw.fvu / 2;
        fvuWithout += mo.fvu / 2;
        expectUnitRows(with);
    }
    std::cout << "[sae] ReLU+L1 48 latents, lambda 0.5, lr 3e-2, 2 seeds: dead latents with resampling " << deadWith
              << " (mean FVU " << fvuWith << "), without " << deadWithout << " (mean FVU " << fvuWithout << ")\n";
    EXPECT_LT(deadWith, deadWithout);
    EXPECT_LT(fvuWith, fvuWithout);
}

TEST(Sae, CancelledRunResumesToTheSameWeights) {
    SaeOptions o = fastOptions();
    o.epochs = 0;
    o.steps = 120;
    o.progressEvery = 10;
    o.deadAfterTokens = 1024;  // AuxK active during the run
    const FeatureMatrix& x = planted().x;
    SparseAutoencoder full;
    std::vector<SaeTrainProgress> reports;
    ASSERT_TRUE(trainSae(x, o, full, nullptr, [&](const SaeTrainProgress& p) {
                    reports.push_back(p);
                    return true;
                }).isOk());
    ASSERT_EQ(reports.size(), 12u);
    EXPECT_EQ(reports.back().step, 120);
    EXPECT_EQ(reports.back().totalSteps, 120);
    EXPECT_LT(reports.back().fvu, reports.front().fvu);
    EXPECT_GT(reports.back().l0, 0.0);

    SparseAutoencoder part;
    SaeTrainState state;
    const Status c = trainSae(x, o, part, &state, [](const SaeTrainProgress& p) { return p.step < 50; });
    ASSERT_TRUE(c.isCancelled()) << c.message();
    EXPECT_TRUE(part.W_dec.empty());  // output untouched
    EXPECT_EQ(state.step, 50);

    // Through a file, as a real resume would.
    const fs::path file = fs::temp_directory_path() / ("gs_sae_state_" + std::to_string(::getpid()) + ".safetensors");
    ASSERT_TRUE(saveSaeTrainState(file, state).isOk());
    SaeTrainState loaded;
    const Status ls = loadSaeTrainState(file, loaded);
    ASSERT_TRUE(ls.isOk()) << ls.message();
    fs::remove(file);
    EXPECT_EQ(loaded.step, 50);
    EXPECT_EQ(loaded.rowsSinceFired, state.rowsSinceFired);
    EXPECT_EQ(loaded.mW_dec, state.mW_dec);

    const Status r = trainSae(x, o, part, &loaded);
    ASSERT_TRUE(r.isOk()) << r.message();
    EXPECT_EQ(loaded.step, 120);
    EXPECT_TRUE(part.W_enc == full.W_enc);
    EXPECT_TRUE(part.b_enc == full.b_enc);
    EXPECT_TRUE(part.W_dec == full.W_dec);
    EXPECT_TRUE(part.b_dec == full.b_dec);

    // Other options: the state is refused.
    SaeOptions other = o;
    other.learningRate = 1e-3;
    SaeTrainState again = state;
    const Status bad = trainSae(x, other, part, &again);
    EXPECT_TRUE(bad.isFailed());
    EXPECT_NE(bad.message().find("other options"), std::string::npos) << bad.message();
}

TEST(Sae, SameSeedSameWeightsOnTwoThreads) {
    SaeOptions o = fastOptions();
    o.epochs = 0;
    o.steps = 12;
    o.threads = 2;
    SparseAutoencoder a, b;
    ASSERT_TRUE(trainSae(planted().x, o, a).isOk());
    ASSERT_TRUE(trainSae(planted().x, o, b).isOk());
    EXPECT_TRUE(a.W_enc == b.W_enc);
    EXPECT_TRUE(a.W_dec == b.W_dec);
    EXPECT_TRUE(a.b_dec == b.b_dec);
    o.seed = 4;
    ASSERT_TRUE(trainSae(planted().x, o, b).isOk());
    EXPECT_FALSE(a.W_dec == b.W_dec);
}

TEST(Sae, CancelFlagReturnsCancelled) {
    std::atomic<bool> cancel{true};
    SparseAutoencoder out;
    const Status st = trainSae(planted().x, fastOptions(), out, nullptr, {}, &cancel);
    EXPECT_TRUE(st.isCancelled());
    EXPECT_TRUE(out.W_enc.empty());
}

TEST(Sae, BadInputsFail) {
    SparseAutoencoder out;
    FeatureMatrix one{1, 2, {1, 2}};
    EXPECT_TRUE(trainSae(one, fastOptions(), out).isFailed());
    FeatureMatrix nan{2, 2, {1, 2, NAN, 4}};
    EXPECT_TRUE(trainSae(nan, fastOptions(), out).isFailed());
    SaeOptions o = fastOptions();
    o.learningRate = 0;
    EXPECT_TRUE(trainSae(planted().x, o, out).isFailed());
}

fs::path tempDir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("gs_sae_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}

TEST(Sae, SaeLensRoundTrip) {
    const auto& sae = trainedTopK();
    const fs::path dir = tempDir("roundtrip");
    ASSERT_TRUE(exportSaeLens(sae, dir).isOk());
    std::ifstream in(dir / "cfg.json");
    const auto cfg = nlohmann::json::parse(in);
    EXPECT_EQ(cfg["d_in"], 32);
    EXPECT_EQ(cfg["d_sae"], 128);
    EXPECT_EQ(cfg["architecture"], "topk");
    EXPECT_EQ(cfg["activation_fn_kwargs"]["k"], 4);
    EXPECT_EQ(cfg["hook_name"], "blocks.6.hook_resid_post");
    EXPECT_EQ(cfg["model_name"], "tiny-bert");
    EXPECT_EQ(cfg["dtype"], "float32");
    EXPECT_EQ(cfg["apply_b_dec_to_input"], true);
    EXPECT_EQ(cfg["normalize_activations"], "none");
    EXPECT_EQ(cfg["grammascope"]["model_fingerprint"], "fp-123");

    SparseAutoencoder back;
    const Status st = importSaeLens(dir, back);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(back.dIn, sae.dIn);
    EXPECT_EQ(back.dSae, sae.dSae);
    EXPECT_EQ(back.kind, sae.kind);
    EXPECT_EQ(back.k, sae.k);
    EXPECT_TRUE(back.W_enc == sae.W_enc);
    EXPECT_TRUE(back.b_enc == sae.b_enc);
    EXPECT_TRUE(back.W_dec == sae.W_dec);
    EXPECT_TRUE(back.b_dec == sae.b_dec);
    EXPECT_EQ(back.layer, 6);
    EXPECT_EQ(back.modelFingerprint, "fp-123");
    EXPECT_EQ(back.hookName, sae.hookName);
    EXPECT_EQ(back.trainedSteps, sae.trainedSteps);
    fs::remove_all(dir);
}

void writeCfg(const fs::path& dir, const nlohmann::json& cfg) {
    std::ofstream o(dir / "cfg.json", std::ios::trunc);
    o << cfg.dump();
}

TEST(Sae, SaeLensImportErrorsNameTheProblem) {
    const auto& sae = trainedTopK();
    SparseAutoencoder out;
    const fs::path dir = tempDir("errors");

    Status st = importSaeLens(dir, out);
    EXPECT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find((dir / "cfg.json").string()), std::string::npos) << st.message();

    ASSERT_TRUE(exportSaeLens(sae, dir).isOk());
    std::ifstream in(dir / "cfg.json");
    const auto cfg = nlohmann::json::parse(in);

    auto withCfg = [&](const std::function<void(nlohmann::json&)>& edit) {
        auto c = cfg;
        edit(c);
        writeCfg(dir, c);
        return importSaeLens(dir, out);
    };
    st = withCfg([](auto& c) { c["architecture"] = "jumprelu"; });
    EXPECT_NE(st.message().find("jumprelu"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("cfg.json"), std::string::npos) << st.message();
    st = withCfg([](auto& c) { c["architecture"] = "gated"; });
    EXPECT_NE(st.message().find("unknown architecture \"gated\""), std::string::npos) << st.message();
    st = withCfg([](auto& c) { c["normalize_activations"] = "expected_average_only_in"; });
    EXPECT_NE(st.message().find("normalize_activations"), std::string::npos) << st.message();
    st = withCfg([](auto& c) { c["activation_fn_kwargs"]["k"] = 0; });
    EXPECT_TRUE(st.isFailed());
    st = withCfg([](auto& c) { c["d_in"] = 33; });
    EXPECT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("sae_weights.safetensors"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("W_enc"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("[32, 128]"), std::string::npos) << st.message();
    EXPECT_TRUE(out.W_enc.empty());  // failures leave the output alone

    writeCfg(dir, cfg);
    fs::remove(dir / "sae_weights.safetensors");
    st = importSaeLens(dir, out);
    EXPECT_NE(st.message().find((dir / "sae_weights.safetensors").string()), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("missing"), std::string::npos) << st.message();
    fs::remove_all(dir);
}

} // namespace
} // namespace gs
