// Probes and information-theoretic probing on synthetic features whose
// answers are known: a label planted in one "layer", perfectly separable and
// independent data for Bayesian MI / MDL / sliced MI, control tasks that are
// and are not memorisable, group splits, determinism, cancellation and
// input errors.

#include "grammascope/probing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <thread>

namespace gs {
namespace {

// Deterministic synthetic data (std distributions are fine here: the tests
// check statistical properties, not bit patterns).
struct Synth {
    explicit Synth(std::uint64_t seed) : rng(seed) {}
    double normal() { return std::normal_distribution<double>(0.0, 1.0)(rng); }
    int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
    FeatureMatrix gaussian(std::int64_t rows, std::int64_t cols, double sd = 1.0) {
        FeatureMatrix x;
        x.rows = rows;
        x.cols = cols;
        x.data.resize(static_cast<std::size_t>(rows * cols));
        for (auto& v : x.data) v = static_cast<float>(sd * normal());
        return x;
    }
    std::vector<std::int32_t> labels(std::int64_t n, int K) {
        std::vector<std::int32_t> y(static_cast<std::size_t>(n));
        for (auto& t : y) t = below(K);
        return y;
    }
    std::mt19937_64 rng;
};

// K well-separated clusters: class c has mean `gap` on dimension c.
FeatureMatrix separable(Synth& s, const std::vector<std::int32_t>& y, std::int64_t cols, double gap, double sd) {
    FeatureMatrix x = s.gaussian(static_cast<std::int64_t>(y.size()), cols, sd);
    for (std::size_t i = 0; i < y.size(); ++i) x.row(static_cast<std::int64_t>(i))[y[i]] += static_cast<float>(gap);
    return x;
}

std::string name(const char* prefix, std::int64_t i) {
    std::string s(prefix);
    s += std::to_string(i);
    return s;
}

// Rows in "sentences" of `perGroup` rows.
std::vector<std::int64_t> groups(std::int64_t n, std::int64_t perGroup) {
    std::vector<std::int64_t> g(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) g[static_cast<std::size_t>(i)] = i / perGroup;
    return g;
}

double accuracyOf(const TrainedProbe& probe, const FeatureMatrix& x, const std::vector<std::int32_t>& y) {
    std::vector<float> p;
    EXPECT_TRUE(predictProbabilities(probe, x, p).isOk());
    return evaluateProbabilities(p, y, static_cast<int>(probe.numClasses)).accuracy;
}

LayerProbeOptions onlyProbe() {
    LayerProbeOptions o;
    o.control = o.mdl = o.slicedMi = false;
    return o;
}

// ---- metrics -----------------------------------------------------------

TEST(ProbeMetrics, LabelEntropyUsesAddTwoSmoothing) {
    // Train counts 3, 1, 0 (N = 4, K = 3): p = 5/10, 3/10, 2/10.
    const std::vector<std::int32_t> train{0, 0, 0, 1}, test{0, 1, 2};
    const double expected = (1.0 + std::log2(10.0 / 3.0) + std::log2(5.0)) / 3.0;
    EXPECT_NEAR(labelEntropyBits(train, test, 3), expected, 1e-12);
    EXPECT_NEAR(labelEntropyBits({}, {0, 1}, 2), 1.0, 1e-12);  // no data: uniform
    EXPECT_TRUE(std::isnan(labelEntropyBits(train, {}, 3)));
}

TEST(ProbeMetrics, AccuracyF1CrossEntropyAndMajority) {
    // Rows: gold 0 predicted 0; gold 0 predicted 1; gold 1 predicted 1; gold 1 tie (0.5 / 0.5) → class 0.
    const std::vector<float> p{0.8f, 0.2f, 0.0f, 0.4f, 0.6f, 0.0f, 0.1f, 0.9f, 0.0f, 0.5f, 0.5f, 0.0f};
    const std::vector<std::int32_t> gold{0, 0, 1, 1};
    const auto m = evaluateProbabilities(p, gold, 3);
    EXPECT_EQ(m.n, 4);
    EXPECT_DOUBLE_EQ(m.accuracy, 0.5);
    // Class 0: TP 1, predicted 2, gold 2 → F1 0.5; class 1 the same; class 2 absent → NaN.
    ASSERT_EQ(m.perClassF1.size(), 3u);
    EXPECT_DOUBLE_EQ(m.perClassF1[0], 0.5);
    EXPECT_DOUBLE_EQ(m.perClassF1[1], 0.5);
    EXPECT_TRUE(std::isnan(m.perClassF1[2]));
    EXPECT_DOUBLE_EQ(m.macroF1, 0.5);
    const double ce = -(std::log2(0.8f) + std::log2(0.4f) + std::log2(0.9f) + std::log2(0.5f)) / 4;
    EXPECT_NEAR(m.crossEntropyBits, ce, 1e-6);
    // A zero probability of the gold class costs −log2(1e-12) bits.
    EXPECT_NEAR(evaluateProbabilities({1.0f, 0.0f}, {1}, 2).crossEntropyBits, 12 * std::log2(10.0), 1e-9);
    EXPECT_EQ(evaluateProbabilities(p, {0, 1}, 3).n, 0);  // size mismatch

    EXPECT_DOUBLE_EQ(majorityAccuracy({1, 1, 0, 2}, {1, 0, 1, 1}, 3), 0.75);
    EXPECT_DOUBLE_EQ(majorityAccuracy({0, 1}, {0, 1, 1, 1}, 2), 0.25);  // tie → class 0
    EXPECT_STREQ(probeKindName(ProbeKind::Linear), "linear");
    EXPECT_STREQ(probeKindName(ProbeKind::Mlp), "mlp");
}

TEST(ProbeMetrics, SelectRowsAndLabels) {
    FeatureMatrix x{3, 2, {1, 2, 3, 4, 5, 6}};
    const auto s = selectRows(x, {2, 0, 7});
    EXPECT_EQ(s.rows, 2);
    EXPECT_EQ(s.data, (std::vector<float>{5, 6, 1, 2}));
    EXPECT_EQ(selectLabels({10, 11, 12}, {2, 0, 7}), (std::vector<std::int32_t>{12, 10}));
}

// ---- splits and control labels -----------------------------------------

TEST(ProbeSplit, GroupsStayTogetherWithRoughProportions) {
    Synth s(3);
    std::vector<std::int64_t> groupOfRow;
    for (int g = 0; g < 600; ++g)
        for (int r = 0, n = 1 + s.below(8); r < n; ++r) groupOfRow.push_back(1000 + 7 * g);  // sparse group ids
    std::shuffle(groupOfRow.begin(), groupOfRow.end(), s.rng);  // a group's rows need not be adjacent
    const auto n = static_cast<double>(groupOfRow.size());
    const RowSplit split = splitByGroup(groupOfRow, 0.1, 0.2, 42);

    std::map<std::int64_t, int> sideOfGroup;
    std::vector<int> seen(groupOfRow.size(), 0);
    int sideIndex = 0;
    for (const auto* part : {&split.train, &split.dev, &split.test}) {
        EXPECT_TRUE(std::is_sorted(part->begin(), part->end()));
        for (auto r : *part) {
            ++seen[static_cast<std::size_t>(r)];
            auto [it, fresh] = sideOfGroup.emplace(groupOfRow[static_cast<std::size_t>(r)], sideIndex);
            EXPECT_EQ(it->second, sideIndex) << "group " << it->first << " on two sides";
        }
        ++sideIndex;
    }
    EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
    EXPECT_NEAR(static_cast<double>(split.test.size()) / n, 0.2, 0.02);
    EXPECT_NEAR(static_cast<double>(split.dev.size()) / n, 0.1, 0.02);

    const RowSplit again = splitByGroup(groupOfRow, 0.1, 0.2, 42);
    EXPECT_EQ(again.train, split.train);
    EXPECT_EQ(again.dev, split.dev);
    EXPECT_EQ(again.test, split.test);
    EXPECT_NE(splitByGroup(groupOfRow, 0.1, 0.2, 43).test, split.test);

    // Large groups: every split still gets one, train keeps the rest.
    const RowSplit few = splitByGroup(groups(40, 10), 0.1, 0.1, 1);
    EXPECT_EQ(few.dev.size(), 10u);
    EXPECT_EQ(few.test.size(), 10u);
    EXPECT_EQ(few.train.size(), 20u);
    const RowSplit one = splitByGroup(groups(10, 10), 0.1, 0.2, 1);
    EXPECT_EQ(one.train.size(), 10u);
}

TEST(ProbeControl, OneLabelPerTypeFromTheEmpiricalDistribution) {
    Synth s(5);
    // 3000 types x 2 occurrences; true labels 70 / 20 / 10 %.
    std::vector<std::string> types;
    std::vector<std::int32_t> labels;
    for (int t = 0; t < 3000; ++t)
        for (int r = 0; r < 2; ++r) {
            types.push_back(name("w", t));
            const int u = s.below(10);
            labels.push_back(u < 7 ? 0 : u < 9 ? 1 : 2);
        }
    const auto control = controlLabels(types, labels, 3, 9);
    ASSERT_EQ(control.size(), types.size());
    std::map<std::string, std::int32_t> byType;
    std::vector<double> freq(3, 0.0);
    for (std::size_t i = 0; i < types.size(); ++i) {
        auto [it, fresh] = byType.emplace(types[i], control[i]);
        EXPECT_EQ(it->second, control[i]) << types[i];
        if (fresh) freq[static_cast<std::size_t>(control[i])] += 1.0 / 3000;
    }
    std::vector<double> empirical(3, 0.0);
    for (auto t : labels) empirical[static_cast<std::size_t>(t)] += 1.0 / static_cast<double>(labels.size());
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(freq[static_cast<std::size_t>(c)], empirical[static_cast<std::size_t>(c)], 0.03) << c;

    // A type's label does not depend on the order of the rows; the seed changes it.
    std::vector<std::size_t> perm(types.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::shuffle(perm.begin(), perm.end(), s.rng);
    std::vector<std::string> shuffledTypes;
    std::vector<std::int32_t> shuffledLabels;
    for (auto i : perm) {
        shuffledTypes.push_back(types[i]);
        shuffledLabels.push_back(labels[i]);
    }
    const auto shuffled = controlLabels(shuffledTypes, shuffledLabels, 3, 9);
    for (std::size_t j = 0; j < perm.size(); ++j) ASSERT_EQ(shuffled[j], control[perm[j]]);
    EXPECT_NE(controlLabels(types, labels, 3, 10), control);
    EXPECT_TRUE(controlLabels({"a"}, {0, 1}, 3, 9).empty());
}

// ---- trainProbe ----------------------------------------------------------

TEST(ProbeTrain, DeterministicPerSeedAndKeepsTheBestDevEpoch) {
    Synth s(11);
    auto y = s.labels(1200, 3);
    auto x = separable(s, y, 10, 1.0, 1.0);  // overlapping classes
    const auto train = selectRows(x, groups(800, 1)), dev = selectRows(x, [] {
        std::vector<std::int64_t> v(400);
        std::iota(v.begin(), v.end(), 800);
        return v;
    }());
    const std::vector<std::int32_t> yTrain(y.begin(), y.begin() + 800), yDev(y.begin() + 800, y.end());
    for (ProbeKind kind : {ProbeKind::Linear, ProbeKind::Mlp}) {
        ProbeOptions o;
        o.kind = kind;
        o.hiddenUnits = 16;
        o.dropout = kind == ProbeKind::Mlp ? 0.2 : 0.0;
        o.batchSize = 64;
        o.seed = 7;
        TrainedProbe a, b, c;
        ASSERT_TRUE(trainProbe(train, yTrain, dev, yDev, 3, o, a).isOk());
        ASSERT_TRUE(trainProbe(train, yTrain, dev, yDev, 3, o, b).isOk());
        o.seed = 8;
        ASSERT_TRUE(trainProbe(train, yTrain, dev, yDev, 3, o, c).isOk());
        EXPECT_EQ(a.w1, b.w1);
        EXPECT_EQ(a.b1, b.b1);
        EXPECT_EQ(a.w2, b.w2);
        EXPECT_EQ(a.epochs, b.epochs);
        EXPECT_NE(a.w1, c.w1);
        EXPECT_GE(a.bestEpoch, 1);
        EXPECT_LE(a.bestEpoch, a.epochs);
        EXPECT_LT(a.epochs, o.maxEpochs) << "early stopping should trigger on overlapping classes";
        // The kept weights are the best epoch's: their dev cross-entropy is the reported one.
        std::vector<float> p;
        ASSERT_TRUE(predictProbabilities(a, dev, p).isOk());
        EXPECT_NEAR(evaluateProbabilities(p, yDev, 3).crossEntropyBits, a.devCrossEntropyBits, 1e-4);
        for (std::size_t r = 0; r < yDev.size(); ++r)
            EXPECT_NEAR(p[3 * r] + p[3 * r + 1] + p[3 * r + 2], 1.0f, 1e-5f);
        EXPECT_GT(evaluateProbabilities(p, yDev, 3).accuracy, 0.6);
    }
}

TEST(ProbeTrain, ConcurrentCallsGiveTheSequentialResults) {
    Synth s(12);
    const auto y = s.labels(600, 2);
    const auto x = separable(s, y, 6, 1.5, 1.0);
    ProbeOptions o;
    o.kind = ProbeKind::Mlp;
    o.hiddenUnits = 8;
    o.dropout = 0.1;
    o.maxEpochs = 10;
    TrainedProbe sequential;
    ASSERT_TRUE(trainProbe(x, y, {}, {}, 2, o, sequential).isOk());
    std::vector<TrainedProbe> results(2);
    std::vector<Status> statuses(2);
    {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < 2; ++i)
            threads.emplace_back([&, i] { statuses[i] = trainProbe(x, y, {}, {}, 2, o, results[i]); });
        for (auto& t : threads) t.join();
    }
    for (std::size_t i = 0; i < 2; ++i) {
        ASSERT_TRUE(statuses[i].isOk()) << statuses[i].message();
        EXPECT_EQ(results[i].w1, sequential.w1);
        EXPECT_EQ(results[i].w2, sequential.w2);
    }
    std::vector<float> p{1.0f};
    ASSERT_TRUE(predictProbabilities(sequential, FeatureMatrix{0, 6, {}}, p).isOk());
    EXPECT_TRUE(p.empty());
}

TEST(ProbeTrain, MlpSolvesXorWhereTheLinearProbeCannot) {
    Synth s(13);
    const std::int64_t n = 1200;
    FeatureMatrix x = s.gaussian(n, 2, 0.4);
    std::vector<std::int32_t> y(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const int a = s.below(2), b = s.below(2);
        x.row(i)[0] += a ? 2.0f : -2.0f;
        x.row(i)[1] += b ? 2.0f : -2.0f;
        y[static_cast<std::size_t>(i)] = a ^ b;
    }
    const RowSplit split = splitByGroup(groups(n, 1), 0.15, 0.25, 1);
    LayerProbeOptions o = onlyProbe();
    o.probe.learningRate = 1e-2;
    o.probe.batchSize = 64;
    LayerProbeReport linear, mlp;
    TrainedProbe probe;
    ASSERT_TRUE(evaluateLayerProbe(x, y, {}, 2, split, o, linear, probe).isOk());
    o.probe.kind = ProbeKind::Mlp;
    o.probe.hiddenUnits = 16;
    ASSERT_TRUE(evaluateLayerProbe(x, y, {}, 2, split, o, mlp, probe).isOk());
    EXPECT_LT(linear.accuracy, 0.8);  // a line gets at most three of the four clusters right
    EXPECT_GT(mlp.accuracy, 0.95);
    EXPECT_EQ(probe.kind, ProbeKind::Mlp);
    EXPECT_EQ(probe.w1.size(), 16u * 2u);
    EXPECT_EQ(probe.w2.size(), 2u * 16u);
}

TEST(ProbeTrain, CancelAndBadInput) {
    Synth s(17);
    auto y = s.labels(100, 2);
    auto x = s.gaussian(100, 4);
    TrainedProbe p;
    std::atomic<bool> cancel{true};
    EXPECT_TRUE(trainProbe(x, y, {}, {}, 2, {}, p, &cancel).isCancelled());
    MdlResult mdl;
    EXPECT_TRUE(onlineCodelength(x, y, 2, {}, {}, mdl, &cancel).isCancelled());
    double bits = 0;
    EXPECT_TRUE(slicedMutualInformationBits(x, y, 2, {}, bits, &cancel).isCancelled());
    LayerProbeReport report;
    EXPECT_TRUE(evaluateLayerProbe(x, y, {}, 2, splitByGroup(groups(100, 2), 0.1, 0.2, 1), onlyProbe(), report, p, {}, &cancel)
                    .isCancelled());

    // Cancelled between stages: the flag raised when the control probe starts.
    std::atomic<bool> later{false};
    LayerProbeOptions withControl = onlyProbe();
    withControl.control = true;
    std::vector<std::string> stages;
    const Status st = evaluateLayerProbe(x, y, y, 2, splitByGroup(groups(100, 2), 0.1, 0.2, 1), withControl, report, p,
                                         [&](int, int, const std::string& stage) {
                                             stages.push_back(stage);
                                             if (stage == "control task") later = true;
                                         },
                                         &later);
    EXPECT_TRUE(st.isCancelled()) << st.message();
    EXPECT_EQ(stages, (std::vector<std::string>{"probe", "control task"}));

    auto expectFailure = [](const Status& st, const std::string& words) {
        EXPECT_TRUE(st.isFailed());
        EXPECT_NE(st.message().find(words), std::string::npos) << st.message();
    };
    auto bad = y;
    bad[5] = 2;
    expectFailure(trainProbe(x, bad, {}, {}, 2, {}, p), "label 2 of row 5 is outside 0..1");
    expectFailure(trainProbe(x, std::vector<std::int32_t>(y.begin(), y.begin() + 50), {}, {}, 2, {}, p), "50 labels for 100");
    auto nan = x;
    nan.row(3)[1] = std::nanf("");
    expectFailure(trainProbe(nan, y, {}, {}, 2, {}, p), "non-finite feature value in row 3, column 1");
    expectFailure(trainProbe(x, y, s.gaussian(10, 3), s.labels(10, 2), 2, {}, p), "dev rows have 3 columns");
    expectFailure(trainProbe(x, y, {}, {}, 1, {}, p), "at least two classes");
    expectFailure(trainProbe(FeatureMatrix{0, 4, {}}, {}, {}, {}, 2, {}, p), "no training rows");
    ProbeOptions zeroLr;
    zeroLr.learningRate = 0;
    expectFailure(trainProbe(x, y, {}, {}, 2, zeroLr, p), "learning rate");

    ASSERT_TRUE(trainProbe(x, y, {}, {}, 2, {}, p).isOk());
    EXPECT_TRUE(std::isnan(p.devCrossEntropyBits));
    EXPECT_EQ(p.epochs, ProbeOptions{}.maxEpochs);
    std::vector<float> probs;
    expectFailure(predictProbabilities(p, s.gaussian(3, 5), probs), "the probe expects 4");
    expectFailure(predictProbabilities(TrainedProbe{}, x, probs), "no weights");
    expectFailure(evaluateLayerProbe(x, y, {1, 0}, 2, splitByGroup(groups(100, 2), 0.1, 0.2, 1), LayerProbeOptions{}, report, p),
                  "2 control labels for 100 rows");
    expectFailure(evaluateLayerProbe(x, y, {}, 2, RowSplit{{0, 1}, {}, {}}, onlyProbe(), report, p), "test split is empty");
    expectFailure(evaluateLayerProbe(x, y, {}, 2, RowSplit{{0, 1}, {}, {100}}, onlyProbe(), report, p), "row 100 of 100");
}

// ---- Bayesian MI -----------------------------------------------------------

TEST(ProbeInformation, BayesianMiOfSeparableAndIndependentLabels) {
    Synth s(19);
    const std::int64_t n = 2000;
    const auto y = s.labels(n, 4);
    const RowSplit split = splitByGroup(groups(n, 4), 0.15, 0.3, 2);
    LayerProbeOptions o = onlyProbe();
    o.probe.learningRate = 0.05;
    o.probe.l2 = 1e-5;
    o.probe.maxEpochs = 100;
    LayerProbeReport r;
    TrainedProbe probe;
    // Y uniform on four perfectly separable clusters: I = H(T) = 2 bits.
    ASSERT_TRUE(evaluateLayerProbe(separable(s, y, 8, 6.0, 0.3), y, {}, 4, split, o, r, probe).isOk());
    EXPECT_NEAR(r.labelEntropyBits, 2.0, 0.02);
    EXPECT_NEAR(r.informationBits, 2.0, 0.1);
    EXPECT_DOUBLE_EQ(r.accuracy, 1.0);
    EXPECT_NEAR(r.informationBits, r.labelEntropyBits - r.probeCrossEntropyBits, 1e-12);
    EXPECT_TRUE(std::isnan(r.mdlBits) && std::isnan(r.slicedMiBits) && std::isnan(r.controlAccuracy));
    EXPECT_EQ(r.trainRows + r.devRows + r.testRows, n);

    // X independent of Y: I ≈ 0 (held-out estimates may dip below zero).
    ASSERT_TRUE(evaluateLayerProbe(s.gaussian(n, 8), y, {}, 4, split, onlyProbe(), r, probe).isOk());
    EXPECT_NEAR(r.informationBits, 0.0, 0.05);
    EXPECT_NEAR(r.accuracy, 0.25, 0.06);
}

TEST(ProbeInformation, LearningCurveRisesFromOneRowToAll) {
    Synth s(23);
    const std::int64_t n = 1000;
    const auto y = s.labels(n, 2);
    const auto x = separable(s, y, 6, 3.0, 1.0);
    const RowSplit split = splitByGroup(groups(n, 2), 0.1, 0.3, 3);
    std::vector<LearningCurvePoint> curve;
    int calls = 0, lastDone = -1;
    ProbeOptions o;
    o.learningRate = 0.02;
    ASSERT_TRUE(bayesianMiLearningCurve(x, y, 2, split, o, 6, 2, curve, [&](int done, int total, const std::string&) {
                    ++calls;
                    EXPECT_GT(done, lastDone);
                    EXPECT_LE(done, total);
                    lastDone = done;
                }).isOk());
    ASSERT_EQ(curve.size(), 6u);
    EXPECT_EQ(calls, 13);
    EXPECT_EQ(curve.front().trainRows, 1);
    EXPECT_EQ(curve.back().trainRows, static_cast<std::int64_t>(split.train.size()));
    for (std::size_t i = 1; i < curve.size(); ++i) EXPECT_GT(curve[i].trainRows, curve[i - 1].trainRows);
    for (const auto& p : curve) {
        EXPECT_LE(p.minBits, p.informationBits);
        EXPECT_GE(p.maxBits, p.informationBits);
    }
    // One row teaches at most the prior; all rows give most of H(T) = 1 bit (clusters 3 sd apart overlap ~7 %).
    EXPECT_LT(curve.front().informationBits, 0.1);
    EXPECT_GT(curve.back().informationBits, 0.6);
    EXPECT_GT(curve.back().informationBits, curve[1].informationBits);
}

// ---- MDL -------------------------------------------------------------------

TEST(ProbeInformation, OnlineCodeOfIndependentAndSeparableLabels) {
    Synth s(29);
    const std::int64_t n = 2000;
    const auto y = s.labels(n, 2);
    MdlResult r;
    ASSERT_TRUE(onlineCodelength(s.gaussian(n, 8), y, 2, {}, {}, r).isOk());
    EXPECT_EQ(r.blockEnds, (std::vector<std::int64_t>{2, 4, 8, 16, 32, 64, 125, 250, 500, 1000, 2000}));
    ASSERT_EQ(r.blockBits.size(), r.blockEnds.size());
    EXPECT_DOUBLE_EQ(r.blockBits[0], 2.0);  // t1 · log2 K
    EXPECT_DOUBLE_EQ(r.uniformBits, 2000.0);
    EXPECT_NEAR(std::accumulate(r.blockBits.begin(), r.blockBits.end(), 0.0), r.codelengthBits, 1e-6);
    EXPECT_NEAR(r.compression, 1.0, 0.06);  // nothing to learn: the code costs what the uniform code costs
    EXPECT_NEAR(r.codelengthBits, 2000.0, 120.0);

    MdlResult sep;
    const auto y4 = s.labels(n, 4);
    ASSERT_TRUE(onlineCodelength(separable(s, y4, 8, 6.0, 0.3), y4, 4, {}, {}, sep).isOk());
    EXPECT_DOUBLE_EQ(sep.blockBits[0], 4.0);
    EXPECT_DOUBLE_EQ(sep.uniformBits, 4000.0);
    EXPECT_GT(sep.compression, 5.0);

    MdlOptions three;
    three.blockEnds = {0.25, 0.5};  // the last block always ends at n
    ASSERT_TRUE(onlineCodelength(s.gaussian(20, 2), s.labels(20, 3), 3, {}, three, r).isOk());
    EXPECT_EQ(r.blockEnds, (std::vector<std::int64_t>{5, 10, 20}));
    EXPECT_DOUBLE_EQ(r.blockBits[0], 5 * std::log2(3.0));
    three.blockEnds = {0.5, 0.25};
    EXPECT_TRUE(onlineCodelength(s.gaussian(20, 2), s.labels(20, 3), 3, {}, three, r).isFailed());
}

// ---- sliced MI ---------------------------------------------------------------

TEST(ProbeInformation, SlicedMiSeparableIndependentAndOneBit) {
    Synth s(31);
    const std::int64_t n = 1500;
    SlicedMiOptions o;
    o.slices = 60;
    double indep = 0, sep = 0, again = 0, bit = 0;
    const auto y = s.labels(n, 4);
    ASSERT_TRUE(slicedMutualInformationBits(s.gaussian(n, 8), y, 4, o, indep).isOk());
    const auto xs = separable(s, y, 8, 6.0, 0.3);
    ASSERT_TRUE(slicedMutualInformationBits(xs, y, 4, o, sep).isOk());
    ASSERT_TRUE(slicedMutualInformationBits(xs, y, 4, o, again).isOk());
    EXPECT_NEAR(indep, 0.0, 0.04);
    EXPECT_GT(sep, 0.3);
    EXPECT_EQ(sep, again);

    // 1-D: X | Y is N(−10, 1) or N(+10, 1), Y balanced → I(X; Y) = H(Y) = 1 bit.
    FeatureMatrix x1 = s.gaussian(2000, 1);
    std::vector<std::int32_t> y1(2000);
    for (std::size_t i = 0; i < y1.size(); ++i) {
        y1[i] = static_cast<std::int32_t>(i % 2);
        x1.data[i] += y1[i] ? 10.0f : -10.0f;
    }
    o.slices = 4;
    ASSERT_TRUE(slicedMutualInformationBits(x1, y1, 2, o, bit).isOk());
    EXPECT_NEAR(bit, 1.0, 0.02);
    // A subset of rows (maxRows) still sees the same two clusters.
    o.maxRows = 500;
    ASSERT_TRUE(slicedMutualInformationBits(x1, y1, 2, o, bit).isOk());
    EXPECT_NEAR(bit, 1.0, 0.03);
}

// Exact duplicates (an embedding layer gives the same vector for every
// occurrence of a token at a position) must not drive the kNN estimator
// negative: with labels independent of the vectors SMI stays near 0, with
// labels fixed by the vector it is clearly positive.
TEST(ProbeInformation, SlicedMiWithExactlyRepeatedVectors) {
    Synth s(47);
    const FeatureMatrix types = s.gaussian(10, 8);
    const std::int64_t n = 1000;
    FeatureMatrix x;
    x.rows = n;
    x.cols = 8;
    std::vector<std::int32_t> independent(static_cast<std::size_t>(n)), byType(static_cast<std::size_t>(n));
    const auto coin = s.labels(n, 2);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t t = i % 10;
        x.data.insert(x.data.end(), types.row(t), types.row(t) + 8);
        independent[static_cast<std::size_t>(i)] = coin[static_cast<std::size_t>(i)];
        byType[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(t % 2);
    }
    SlicedMiOptions o;
    o.slices = 40;
    double none = 0, some = 0;
    ASSERT_TRUE(slicedMutualInformationBits(x, independent, 2, o, none).isOk());
    ASSERT_TRUE(slicedMutualInformationBits(x, byType, 2, o, some).isOk());
    EXPECT_NEAR(none, 0.0, 0.05);
    EXPECT_GT(some, 0.3);
}

// ---- the per-layer report ------------------------------------------------------

TEST(ProbeLayers, PlantedLabelIsFoundInItsLayerOnly) {
    Synth s(37);
    const std::int64_t n = 1500, D = 16;
    std::vector<std::string> types;
    std::vector<FeatureMatrix> layers;
    for (int l = 0; l < 4; ++l) layers.push_back(s.gaussian(n, D));
    std::vector<std::int32_t> y(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const float* z = layers[2].row(i);
        y[static_cast<std::size_t>(i)] = z[0] + z[1] - z[2] > 0 ? 1 : 0;  // linear in three dimensions of layer 2
        types.push_back(name("t", s.below(150)));
    }
    const auto control = controlLabels(types, y, 2, 5);
    const RowSplit split = splitByGroup(groups(n, 5), 0.15, 0.25, 4);
    LayerProbeOptions o;
    o.probe.learningRate = 0.01;
    o.slicedMiOptions.slices = 40;
    std::vector<LayerProbeReport> reports(4);
    std::vector<std::string> stages;
    for (int l = 0; l < 4; ++l) {
        reports[static_cast<std::size_t>(l)].layer = l;
        TrainedProbe probe;
        ASSERT_TRUE(evaluateLayerProbe(layers[static_cast<std::size_t>(l)], y, control, 2, split, o, reports[static_cast<std::size_t>(l)],
                                       probe, [&](int, int, const std::string& st) { if (l == 0) stages.push_back(st); })
                        .isOk());
    }
    EXPECT_EQ(stages, (std::vector<std::string>{"probe", "control task", "MDL", "sliced MI", "done"}));
    // The control labels are one draw per type, so their majority class is
    // not exactly the task's: a probe that learns nothing scores the control
    // majority on the control task, and its selectivity is the difference.
    const double controlMajority = majorityAccuracy(selectLabels(control, split.train), selectLabels(control, split.test), 2);
    for (const auto& r : reports) {
        SCOPED_TRACE(name("layer ", r.layer));
        EXPECT_EQ(r.layer, &r - reports.data());
        EXPECT_NEAR(r.controlAccuracy, controlMajority, 0.06);
        if (r.layer == 2) {
            EXPECT_GT(r.accuracy, 0.95);
            EXPECT_GT(r.selectivity, 0.3);
            EXPECT_GT(r.informationBits, 0.7);
            EXPECT_GT(r.mdlCompression, 2.0);
            EXPECT_GT(r.slicedMiBits, 0.02);
        } else {
            EXPECT_NEAR(r.accuracy, r.majority, 0.05);
            EXPECT_NEAR(r.selectivity, r.majority - controlMajority, 0.08);
            EXPECT_NEAR(r.informationBits, 0.0, 0.03);
            // Nothing to learn, so no compression; small blocks can overfit
            // (16 dimensions, tens of rows), which costs a little.
            EXPECT_GT(r.mdlCompression, 0.8);
            EXPECT_LT(r.mdlCompression, 1.03);
            EXPECT_LT(r.slicedMiBits, 0.01);
        }
    }
}

TEST(ProbeLayers, RandomRepresentationGetsOnlyTheLabelDistribution) {
    // Labels perfectly readable from real features do not matter: the
    // baseline never sees them. Balanced three classes: chance, about 1/3
    // (the seed's "0.5 on random values" for two); skewed 80/20: at most the
    // majority class.
    const std::int64_t n = 3000;
    const RowSplit split = splitByGroup(groups(n, 5), 0.15, 0.25, 3);
    ProbeOptions o;
    o.learningRate = 0.01;
    std::vector<std::int32_t> balanced(static_cast<std::size_t>(n)), skewed(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        balanced[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i % 3);
        skewed[static_cast<std::size_t>(i)] = i % 5 == 0 ? 1 : 0;
    }
    double a = -1, b = -1, c = -1;
    ASSERT_TRUE(randomRepresentationAccuracy(32, balanced, 3, split, o, 7, a).isOk());
    EXPECT_GT(a, 0.26);
    EXPECT_LT(a, 0.41);
    ASSERT_TRUE(randomRepresentationAccuracy(32, skewed, 2, split, o, 7, b).isOk());
    const double majority = majorityAccuracy(selectLabels(skewed, split.train), selectLabels(skewed, split.test), 2);
    EXPECT_GT(majority, 0.75);
    EXPECT_LE(b, majority + 0.02);  // the noise may hit a few minority rows by chance
    EXPECT_GT(b, majority - 0.06);
    // Seeded: the same call gives the same number.
    ASSERT_TRUE(randomRepresentationAccuracy(32, balanced, 3, split, o, 7, c).isOk());
    EXPECT_EQ(a, c);
    // Bad input is an error, not a number.
    EXPECT_FALSE(randomRepresentationAccuracy(0, balanced, 3, split, o, 7, c).isOk());
    EXPECT_TRUE(std::isnan(c));
    RowSplit outOfRange = split;
    outOfRange.test.push_back(n + 5);
    EXPECT_FALSE(randomRepresentationAccuracy(32, balanced, 3, outOfRange, o, 7, c).isOk());
}

TEST(ProbeLayers, ControlTaskIsMemorisableOnlyFromWordIdentity) {
    Synth s(41);
    const std::int64_t n = 2000;
    const int K = 3;
    const RowSplit split = splitByGroup(groups(n, 4), 0.15, 0.25, 6);
    LayerProbeOptions o = onlyProbe();
    o.control = true;
    o.probe.learningRate = 0.02;

    // (a) Features identify the word type (one-hot + noise); the true label is a property of the type.
    {
        const int typesCount = 40;
        FeatureMatrix x = s.gaussian(n, typesCount, 0.02);
        std::vector<std::string> types;
        std::vector<std::int32_t> y;
        for (std::int64_t i = 0; i < n; ++i) {
            const int t = s.below(typesCount);
            x.row(i)[t] += 1.0f;
            types.push_back(name("type", t));
            y.push_back((t * 7) % K);
        }
        LayerProbeReport r;
        TrainedProbe probe;
        ASSERT_TRUE(evaluateLayerProbe(x, y, controlLabels(types, y, K, 1), K, split, o, r, probe).isOk());
        EXPECT_GT(r.accuracy, 0.95);
        EXPECT_GT(r.controlAccuracy, 0.9);
        EXPECT_LT(r.selectivity, 0.1);
    }
    // (b) Features carry the true label only; 1000 types of 2 rows each, no identity in the features.
    {
        std::vector<std::string> types;
        std::vector<std::int32_t> y = s.labels(n, K);
        for (std::int64_t i = 0; i < n; ++i) types.push_back(name("w", i / 2));
        const auto x = separable(s, y, 8, 3.0, 0.5);
        const auto control = controlLabels(types, y, K, 1);
        LayerProbeReport r;
        TrainedProbe probe;
        ASSERT_TRUE(evaluateLayerProbe(x, y, control, K, split, o, r, probe).isOk());
        const double controlMajority = majorityAccuracy(selectLabels(control, split.train), selectLabels(control, split.test), K);
        EXPECT_GT(r.accuracy, 0.95);
        EXPECT_NEAR(r.controlAccuracy, controlMajority, 0.08);
        EXPECT_GT(r.selectivity, 0.5);
    }
}

// Not part of the suite: the probe's speed on a realistic layer
// (--gtest_also_run_disabled_tests --gtest_filter='*Speed*').
TEST(ProbeSpeed, DISABLED_LinearProbeOn60kBy256) {
    Synth s(43);
    const std::int64_t n = 60000, nDev = 6000, D = 256;
    auto x = s.gaussian(n + nDev, D);
    std::vector<std::int32_t> y(static_cast<std::size_t>(n + nDev));
    for (std::int64_t i = 0; i < n + nDev; ++i)
        y[static_cast<std::size_t>(i)] = x.row(i)[0] + 0.5 * x.row(i)[1] + 0.5 * s.normal() > 0;
    std::vector<std::int64_t> trainRows(static_cast<std::size_t>(n)), devRows(static_cast<std::size_t>(nDev));
    std::iota(trainRows.begin(), trainRows.end(), 0);
    std::iota(devRows.begin(), devRows.end(), n);
    using Clock = std::chrono::steady_clock;
    auto seconds = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
    const auto xTrain = selectRows(x, trainRows), xDev = selectRows(x, devRows);
    const auto yTrain = selectLabels(y, trainRows), yDev = selectLabels(y, devRows);
    for (ProbeKind kind : {ProbeKind::Linear, ProbeKind::Mlp}) {
        ProbeOptions o;
        o.kind = kind;
        auto t0 = Clock::now();
        TrainedProbe probe;
        ASSERT_TRUE(trainProbe(xTrain, yTrain, xDev, yDev, 2, o, probe).isOk());
        std::cout << "trainProbe " << probeKindName(kind) << " 60k x 256, K = 2: " << seconds(t0) << " s, " << probe.epochs
                  << " epochs (best " << probe.bestEpoch << "), dev accuracy " << accuracyOf(probe, xDev, yDev) << "\n";
    }
    const RowSplit split = splitByGroup(groups(n, 20), 0.1, 0.2, 1);
    const FeatureMatrix xs = selectRows(x, trainRows);
    const std::vector<std::int32_t> ys(y.begin(), y.begin() + n);
    LayerProbeOptions o;
    o.control = false;
    for (int part = 0; part < 3; ++part) {
        o.mdl = part == 1;
        o.slicedMi = part == 2;
        LayerProbeReport r;
        TrainedProbe probe;
        auto t0 = Clock::now();
        ASSERT_TRUE(evaluateLayerProbe(xs, ys, {}, 2, split, o, r, probe).isOk());
        std::cout << (part == 0 ? "evaluateLayerProbe, probe only" : part == 1 ? "probe + MDL" : "probe + SMI (1000 slices, 4000 rows)")
                  << ": " << seconds(t0) << " s; acc " << r.accuracy << ", I " << r.informationBits << " bits, MDL compression "
                  << r.mdlCompression << ", SMI " << r.slicedMiBits << " bits\n";
    }
}

} // namespace
} // namespace gs
