// Information-theoretic probing (methods.md §5): the MDL online code, sliced
// mutual information with a 1-D kNN estimator per slice, and the per-layer
// report / Bayesian-MI learning curve that combine them with trainProbe.
// LibTorch is used only through trainProbe / predictProbabilities.

#include "grammascope/probing.h"

#include "probing/probe_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gs {
namespace {

using detail::ProbeRng;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLn2 = 0.69314718055994530942;
constexpr double kEulerGamma = 0.57721566490153286061;

// Rows [begin, end) of x (a copy).
FeatureMatrix rowRange(const FeatureMatrix& x, std::int64_t begin, std::int64_t end) {
    FeatureMatrix out;
    out.rows = end - begin;
    out.cols = x.cols;
    out.data.assign(x.data.begin() + begin * x.cols, x.data.begin() + end * x.cols);
    return out;
}

// Sum of −log2 p(gold), p floored at 1e-12 as in evaluateProbabilities.
double codeBits(const std::vector<float>& probabilities, const std::vector<std::int32_t>& gold, int K) {
    double bits = 0;
    for (std::size_t i = 0; i < gold.size(); ++i)
        bits -= std::log2(std::max(static_cast<double>(probabilities[i * static_cast<std::size_t>(K) + static_cast<std::size_t>(gold[i])]), 1e-12));
    return bits;
}

// Trains on (xTrain, yTrain) with early stopping on (xDev, yDev) and scores (xTest, yTest).
Status trainAndScore(const FeatureMatrix& xTrain, const std::vector<std::int32_t>& yTrain, const FeatureMatrix& xDev,
                     const std::vector<std::int32_t>& yDev, const FeatureMatrix& xTest, const std::vector<std::int32_t>& yTest,
                     int K, const ProbeOptions& options, TrainedProbe& probe, ClassificationMetrics& metrics,
                     const std::atomic<bool>* cancel) {
    if (auto st = trainProbe(xTrain, yTrain, xDev, yDev, K, options, probe, cancel); !st.isOk()) return st;
    std::vector<float> p;
    if (auto st = predictProbabilities(probe, xTest, p); !st.isOk()) return st;
    metrics = evaluateProbabilities(p, yTest, K);
    return Status::ok();
}

// ---- 1-D kNN mutual information, continuous X / discrete Y (Ross 2014) ----
//
// For point i with label c: N_c points share its label, k_c = min(k, N_c − 1),
// d_i is the distance to its k_c-th nearest neighbour among them and m_i the
// number of points of any label closer than d_i, the point itself included
// (scikit-learn's _compute_mi_cd, whose radius is nextafter(d_i, 0)).
//   I = ψ(n) + ⟨ψ(k_c)⟩ − ⟨ψ(N_c)⟩ − ⟨ψ(m_i)⟩   (nats)
// Points whose label occurs once are left out (as scikit-learn does). Only
// ⟨ψ(m_i)⟩ changes from slice to slice. Every argument is an integer, so ψ
// comes from the table ψ(1) = −γ, ψ(j + 1) = ψ(j) + 1/j.
class KnnMiEstimator {
public:
    KnnMiEstimator(const std::vector<std::int32_t>& y, int numClasses, int k) : m_y(y) {
        const auto n = y.size();
        m_psi.assign(n + 2, 0.0);
        m_psi[1] = -kEulerGamma;
        for (std::size_t j = 1; j + 1 < m_psi.size(); ++j) m_psi[j + 1] = m_psi[j] + 1.0 / static_cast<double>(j);
        std::vector<std::int64_t> counts(static_cast<std::size_t>(numClasses), 0);
        for (auto t : y) ++counts[static_cast<std::size_t>(t)];
        m_k.assign(static_cast<std::size_t>(numClasses), 0);
        double constant = m_psi[n];
        for (auto t : y) {
            const auto Nc = counts[static_cast<std::size_t>(t)];
            const auto kc = std::min<std::int64_t>(k, Nc - 1);
            m_k[static_cast<std::size_t>(t)] = static_cast<int>(kc);
            constant += (m_psi[static_cast<std::size_t>(kc)] - m_psi[static_cast<std::size_t>(Nc)]) / static_cast<double>(n);
        }
        m_constant = constant;
        m_points.resize(n);
        m_sorted.resize(n);
        m_seen.resize(static_cast<std::size_t>(numClasses));
        m_classValues.resize(static_cast<std::size_t>(numClasses));
    }

    // I(v; y) in nats for one slice's projections v (one per point).
    double estimate(const std::vector<double>& v) {
        const std::size_t n = v.size();
        for (std::size_t i = 0; i < n; ++i) m_points[i] = {v[i], m_y[i]};
        std::sort(m_points.begin(), m_points.end());
        for (auto& cv : m_classValues) cv.clear();
        for (std::size_t r = 0; r < n; ++r) {
            m_sorted[r] = m_points[r].first;
            m_classValues[static_cast<std::size_t>(m_points[r].second)].push_back(m_sorted[r]);
        }
        std::fill(m_seen.begin(), m_seen.end(), std::size_t{0});
        double psiM = 0;
        for (std::size_t r = 0; r < n; ++r) {
            const auto c = static_cast<std::size_t>(m_points[r].second);
            const auto& cv = m_classValues[c];
            const std::size_t p = m_seen[c]++;  // position within the class list
            const double x = cv[p];
            // The k_c-th nearest neighbour of the same class: walk outwards.
            std::size_t lo = p, hi = p + 1;  // candidates lo − 1 (left) and hi (right)
            double d = 0;
            for (int j = 0; j < m_k[c]; ++j) {
                const double dl = lo > 0 ? x - cv[lo - 1] : std::numeric_limits<double>::infinity();
                const double dr = hi < cv.size() ? cv[hi] - x : std::numeric_limits<double>::infinity();
                if (dl <= dr) {
                    d = dl;
                    --lo;
                } else {
                    d = dr;
                    ++hi;
                }
            }
            psiM += m_psi[countWithin(r, x, d)];
        }
        return m_constant - psiM / static_cast<double>(n);
    }

private:
    // Points of any class strictly within d of x (|v − x| < d), or equal to
    // x when d = 0; x sits at sorted position r. Usually a handful: scan
    // outwards a few steps, then binary-search the rest.
    std::size_t countWithin(std::size_t r, double x, double d) const {
        const std::size_t n = m_sorted.size();
        auto inside = [x, d](double a) { return d > 0 ? std::abs(a - x) < d : a == x; };
        std::size_t left = r, right = r + 1;  // [left, right) inside
        for (int step = 0; step < 8 && left > 0 && inside(m_sorted[left - 1]); ++step) --left;
        if (left > 0 && inside(m_sorted[left - 1]))
            left = static_cast<std::size_t>(std::partition_point(m_sorted.begin(), m_sorted.begin() + static_cast<std::ptrdiff_t>(left),
                                                                 [&inside](double a) { return !inside(a); }) - m_sorted.begin());
        for (int step = 0; step < 8 && right < n && inside(m_sorted[right]); ++step) ++right;
        if (right < n && inside(m_sorted[right]))
            right = static_cast<std::size_t>(std::partition_point(m_sorted.begin() + static_cast<std::ptrdiff_t>(right), m_sorted.end(),
                                                                  inside) - m_sorted.begin());
        return right - left;
    }

    const std::vector<std::int32_t>& m_y;
    std::vector<double> m_psi;
    std::vector<int> m_k;
    double m_constant = 0;
    std::vector<std::pair<double, std::int32_t>> m_points;  // (value, label), sorted per slice
    std::vector<double> m_sorted;
    std::vector<std::size_t> m_seen;
    std::vector<std::vector<double>> m_classValues;
};

Status checkSplit(const RowSplit& split, std::int64_t rows) {
    for (const auto* part : {&split.train, &split.dev, &split.test})
        for (auto r : *part)
            if (r < 0 || r >= rows)
                return Status::failed("the split names row " + std::to_string(r) + " of " + std::to_string(rows));
    if (split.train.empty()) return Status::failed("the training split is empty");
    if (split.test.empty()) return Status::failed("the test split is empty");
    return Status::ok();
}

} // namespace

Status onlineCodelength(const FeatureMatrix& x, const std::vector<std::int32_t>& y, int numClasses, const ProbeOptions& probe,
                        const MdlOptions& options, MdlResult& out, const std::atomic<bool>* cancel) {
    if (numClasses < 2) return Status::failed("MDL: needs at least two classes");
    if (auto st = detail::checkProbeData(x, y, numClasses, "MDL rows"); !st.isOk()) return st;
    const std::int64_t n = x.rows;
    if (n < 2) return Status::failed("MDL: needs at least two rows");
    if (!(options.devFraction >= 0 && options.devFraction < 1)) return Status::failed("MDL: the dev fraction must be in [0, 1)");
    if (options.blockEnds.empty()) return Status::failed("MDL: no block ends");
    MdlResult r;
    r.n = n;
    double previous = 0;
    for (double f : options.blockEnds) {
        if (!(f > previous && f <= 1.0)) return Status::failed("MDL: block ends must increase within (0, 1]");
        previous = f;
        const auto t = std::clamp<std::int64_t>(std::llround(f * static_cast<double>(n)), 1, n);
        if (r.blockEnds.empty() || t > r.blockEnds.back()) r.blockEnds.push_back(t);
    }
    if (r.blockEnds.back() != n) r.blockEnds.push_back(n);  // the code always covers every row

    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), std::int64_t{0});
    ProbeRng rng(ProbeRng::derive(probe.seed, 0x3d1));
    rng.shuffle(order);
    const FeatureMatrix xs = selectRows(x, order);
    const std::vector<std::int32_t> ys = selectLabels(y, order);

    const double log2K = std::log2(static_cast<double>(numClasses));
    r.uniformBits = static_cast<double>(n) * log2K;
    r.blockBits.push_back(static_cast<double>(r.blockEnds[0]) * log2K);
    for (std::size_t b = 1; b < r.blockEnds.size(); ++b) {
        if (detail::cancelRequested(cancel)) return Status::cancelled();
        const std::int64_t seen = r.blockEnds[b - 1], end = r.blockEnds[b];
        // The last devFraction of the rows seen so far (at least one when
        // asked for and two rows are there) stop the training early.
        auto dev = static_cast<std::int64_t>(std::floor(options.devFraction * static_cast<double>(seen)));
        if (options.devFraction > 0 && seen >= 2) dev = std::max<std::int64_t>(dev, 1);
        if (seen - dev < 1) dev = 0;
        const std::vector<std::int32_t> yTrain(ys.begin(), ys.begin() + (seen - dev)), yDev(ys.begin() + (seen - dev), ys.begin() + seen);
        if (dev == 0 && options.devFraction > 0) {
            // One row seen: nothing to stop the training early with, and a
            // probe trained to convergence on it would be certain of that
            // row's label. Code the block with the smoothed prior instead.
            const auto block = std::vector<std::int32_t>(ys.begin() + seen, ys.begin() + end);
            r.blockBits.push_back(labelEntropyBits(yTrain, block, numClasses) * static_cast<double>(end - seen));
            continue;
        }
        const FeatureMatrix xTrain = rowRange(xs, 0, seen - dev), xDev = rowRange(xs, seen - dev, seen);
        TrainedProbe trained;
        if (auto st = trainProbe(xTrain, yTrain, xDev, yDev, numClasses, probe, trained, cancel); !st.isOk())
            return st.withStage("MDL block " + std::to_string(b + 1));
        std::vector<float> p;
        if (auto st = predictProbabilities(trained, rowRange(xs, seen, end), p); !st.isOk()) return st.withStage("MDL");
        r.blockBits.push_back(codeBits(p, std::vector<std::int32_t>(ys.begin() + seen, ys.begin() + end), numClasses));
    }
    r.codelengthBits = std::accumulate(r.blockBits.begin(), r.blockBits.end(), 0.0);
    r.compression = r.codelengthBits > 0 ? r.uniformBits / r.codelengthBits : kNaN;
    out = std::move(r);
    return Status::ok();
}

Status slicedMutualInformationBits(const FeatureMatrix& x, const std::vector<std::int32_t>& y, int numClasses,
                                   const SlicedMiOptions& options, double& bits, const std::atomic<bool>* cancel) {
    if (numClasses < 1) return Status::failed("sliced MI: needs at least one class");
    if (auto st = detail::checkProbeData(x, y, numClasses, "sliced MI rows"); !st.isOk()) return st;
    if (options.slices < 1) return Status::failed("sliced MI: needs at least one slice");
    if (options.k < 1) return Status::failed("sliced MI: k must be at least 1");

    // A seeded subset of rows, then the rows whose label occurs only once are dropped.
    std::vector<std::int64_t> rows(static_cast<std::size_t>(x.rows));
    std::iota(rows.begin(), rows.end(), std::int64_t{0});
    ProbeRng rng(ProbeRng::derive(options.seed, 0x5111));
    if (options.maxRows > 0 && x.rows > options.maxRows) {
        for (std::int64_t i = 0; i < options.maxRows; ++i)  // partial Fisher–Yates
            std::swap(rows[static_cast<std::size_t>(i)], rows[static_cast<std::size_t>(i + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(x.rows - i))))]);
        rows.resize(static_cast<std::size_t>(options.maxRows));
        std::sort(rows.begin(), rows.end());
    }
    std::vector<std::int64_t> counts(static_cast<std::size_t>(numClasses), 0);
    for (auto r : rows) ++counts[static_cast<std::size_t>(y[static_cast<std::size_t>(r)])];
    std::erase_if(rows, [&](std::int64_t r) { return counts[static_cast<std::size_t>(y[static_cast<std::size_t>(r)])] < 2; });
    if (rows.size() < 2) return Status::failed("sliced MI: needs at least two rows whose label occurs more than once");

    // Standardised features (see the header: a few huge dimensions would
    // otherwise dominate every random direction).
    const auto n = rows.size();
    const auto D = static_cast<std::size_t>(x.cols);
    std::vector<float> z(n * D);
    std::vector<std::int32_t> labels(n);
    {
        std::vector<double> mean(D, 0.0), sq(D, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const float* row = x.row(rows[i]);
            labels[i] = y[static_cast<std::size_t>(rows[i])];
            for (std::size_t d = 0; d < D; ++d) mean[d] += row[d];
        }
        for (auto& m : mean) m /= static_cast<double>(n);
        for (std::size_t i = 0; i < n; ++i) {
            const float* row = x.row(rows[i]);
            for (std::size_t d = 0; d < D; ++d) sq[d] += (row[d] - mean[d]) * (row[d] - mean[d]);
        }
        for (std::size_t d = 0; d < D; ++d) {
            const double sd = std::sqrt(sq[d] / static_cast<double>(n));
            sq[d] = sd > 1e-8 ? 1.0 / sd : 0.0;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const float* row = x.row(rows[i]);
            for (std::size_t d = 0; d < D; ++d) z[i * D + d] = static_cast<float>((row[d] - mean[d]) * sq[d]);
        }
    }

    KnnMiEstimator estimator(labels, numClasses, options.k);
    constexpr std::size_t kChunk = 16;  // directions projected together
    std::vector<float> theta(D * kChunk), proj(n * kChunk);
    std::vector<double> v(n);
    double sumNats = 0;
    for (int done = 0; done < options.slices;) {
        if (detail::cancelRequested(cancel)) return Status::cancelled();
        const std::size_t m = std::min<std::size_t>(kChunk, static_cast<std::size_t>(options.slices - done));
        // Uniform directions on the sphere: normalised Gaussian vectors, theta[d * kChunk + s].
        for (std::size_t s = 0; s < m; ++s) {
            double norm = 0;
            for (std::size_t d = 0; d < D; ++d) {
                const double g = rng.normal();
                theta[d * kChunk + s] = static_cast<float>(g);
                norm += g * g;
            }
            const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
            for (std::size_t d = 0; d < D; ++d) theta[d * kChunk + s] = static_cast<float>(theta[d * kChunk + s] * inv);
        }
        std::fill(proj.begin(), proj.end(), 0.0f);
        for (std::size_t i = 0; i < n; ++i) {
            float* out = proj.data() + i * kChunk;
            const float* row = z.data() + i * D;
            for (std::size_t d = 0; d < D; ++d) {
                const float a = row[d];
                const float* t = theta.data() + d * kChunk;
                for (std::size_t s = 0; s < kChunk; ++s) out[s] += a * t[s];
            }
        }
        for (std::size_t s = 0; s < m; ++s) {
            // Identical vectors (the same token at the same position in the
            // embedding layer) project to exactly equal values, and exact
            // ties break the kNN estimator (distance 0 to the k-th
            // neighbour: strongly negative estimates). As scikit-learn's
            // mutual_info_classif does, add seeded noise far below any real
            // difference: 1e-10 times the mean absolute projection (at least 1).
            double meanAbs = 0;
            for (std::size_t i = 0; i < n; ++i) meanAbs += std::abs(static_cast<double>(proj[i * kChunk + s]));
            const double scale = 1e-10 * std::max(1.0, meanAbs / static_cast<double>(n));
            for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(proj[i * kChunk + s]) + scale * rng.normal();
            sumNats += estimator.estimate(v);
        }
        done += static_cast<int>(m);
    }
    // The raw mean: per-slice estimates can be slightly negative (estimator
    // bias near zero information); clipping them would bias SMI upwards.
    bits = sumNats / options.slices / kLn2;
    return Status::ok();
}

Status evaluateLayerProbe(const FeatureMatrix& x, const std::vector<std::int32_t>& y, const std::vector<std::int32_t>& control,
                          int numClasses, const RowSplit& split, const LayerProbeOptions& options, LayerProbeReport& report,
                          TrainedProbe& probe, const ProbeProgressCallback& progress, const std::atomic<bool>* cancel) {
    if (auto st = detail::checkProbeData(x, y, numClasses, "probe rows"); !st.isOk()) return st;
    if (auto st = checkSplit(split, x.rows); !st.isOk()) return st;
    if (options.control) {
        if (control.size() != y.size())
            return Status::failed("control task: " + std::to_string(control.size()) + " control labels for " +
                                  std::to_string(y.size()) + " rows");
        for (auto c : control)
            if (c < 0 || c >= numClasses) return Status::failed("control task: control label " + std::to_string(c) + " out of range");
    }
    const int total = 1 + (options.control ? 1 : 0) + (options.mdl ? 1 : 0) + (options.slicedMi ? 1 : 0);
    int done = 0;
    auto stage = [&](const char* what) {
        if (progress) progress(done, total, what);
        ++done;
    };

    LayerProbeReport r;
    r.layer = report.layer;
    r.trainRows = static_cast<std::int64_t>(split.train.size());
    r.devRows = static_cast<std::int64_t>(split.dev.size());
    r.testRows = static_cast<std::int64_t>(split.test.size());
    r.controlAccuracy = r.selectivity = r.mdlBits = r.mdlCompression = r.slicedMiBits = kNaN;

    const FeatureMatrix xTrain = selectRows(x, split.train), xDev = selectRows(x, split.dev), xTest = selectRows(x, split.test);
    const auto yTrain = selectLabels(y, split.train), yDev = selectLabels(y, split.dev), yTest = selectLabels(y, split.test);

    stage("probe");
    TrainedProbe task;
    ClassificationMetrics m;
    if (auto st = trainAndScore(xTrain, yTrain, xDev, yDev, xTest, yTest, numClasses, options.probe, task, m, cancel); !st.isOk())
        return st.withStage("task probe");
    r.accuracy = m.accuracy;
    r.macroF1 = m.macroF1;
    r.majority = majorityAccuracy(yTrain, yTest, numClasses);
    r.labelEntropyBits = labelEntropyBits(yTrain, yTest, numClasses);
    r.probeCrossEntropyBits = m.crossEntropyBits;
    r.informationBits = r.labelEntropyBits - r.probeCrossEntropyBits;
    r.epochs = task.epochs;

    if (options.control) {
        stage("control task");
        TrainedProbe ctl;
        ClassificationMetrics cm;
        if (auto st = trainAndScore(xTrain, selectLabels(control, split.train), xDev, selectLabels(control, split.dev), xTest,
                                    selectLabels(control, split.test), numClasses, options.probe, ctl, cm, cancel);
            !st.isOk())
            return st.withStage("control probe");
        r.controlAccuracy = cm.accuracy;
        r.selectivity = r.accuracy - r.controlAccuracy;
    }

    if (options.mdl || options.slicedMi) {
        std::vector<std::int64_t> seen = split.train;
        seen.insert(seen.end(), split.dev.begin(), split.dev.end());
        const FeatureMatrix xSeen = selectRows(x, seen);
        const auto ySeen = selectLabels(y, seen);
        if (options.mdl) {
            stage("MDL");
            MdlResult mdl;
            if (auto st = onlineCodelength(xSeen, ySeen, numClasses, options.probe, options.mdlOptions, mdl, cancel); !st.isOk())
                return st;
            r.mdlBits = mdl.codelengthBits;
            r.mdlCompression = mdl.compression;
        }
        if (options.slicedMi) {
            stage("sliced MI");
            if (auto st = slicedMutualInformationBits(xSeen, ySeen, numClasses, options.slicedMiOptions, r.slicedMiBits, cancel);
                !st.isOk())
                return st;
        }
    }
    if (progress) progress(total, total, "done");
    report = std::move(r);
    probe = std::move(task);
    return Status::ok();
}

Status randomRepresentationAccuracy(std::int64_t width, const std::vector<std::int32_t>& y, int numClasses,
                                    const RowSplit& split, const ProbeOptions& options, std::uint64_t seed,
                                    double& accuracy, const std::atomic<bool>* cancel) {
    accuracy = kNaN;
    if (width < 1) return Status::failed("random representation: the width must be positive");
    if (numClasses < 1) return Status::failed("random representation: no classes");
    const auto n = static_cast<std::int64_t>(y.size());
    if (auto st = checkSplit(split, n); !st.isOk()) return st.withStage("random representation");
    for (auto label : y)
        if (label < 0 || label >= numClasses)
            return Status::failed("random representation: label " + std::to_string(label) + " out of range");
    // Seeded standard-normal vectors, one per row of each part (built part by
    // part: no matrix of every row): they carry no information about the
    // labels, so the probe can learn only the training split's label
    // distribution (and over-fit the noise).
    detail::ProbeRng rng(detail::ProbeRng::derive(seed, 0x72616e646f6dULL));  // "random"
    auto noise = [&](const std::vector<std::int64_t>& rows) {
        FeatureMatrix x;
        x.rows = static_cast<std::int64_t>(rows.size());
        x.cols = width;
        x.data.resize(static_cast<std::size_t>(x.rows * width));
        for (auto& v : x.data) v = static_cast<float>(rng.normal());
        return x;
    };
    const FeatureMatrix xTrain = noise(split.train), xDev = noise(split.dev), xTest = noise(split.test);
    TrainedProbe probe;
    ClassificationMetrics m;
    if (auto st = trainAndScore(xTrain, selectLabels(y, split.train), xDev, selectLabels(y, split.dev), xTest,
                                selectLabels(y, split.test), numClasses, options, probe, m, cancel);
        !st.isOk())
        return st.withStage("random-representation probe");
    accuracy = m.accuracy;
    return Status::ok();
}

Status bayesianMiLearningCurve(const FeatureMatrix& x, const std::vector<std::int32_t>& y, int numClasses, const RowSplit& split,
                               const ProbeOptions& probe, int points, int repeats, std::vector<LearningCurvePoint>& out,
                               const ProbeProgressCallback& progress, const std::atomic<bool>* cancel) {
    if (auto st = detail::checkProbeData(x, y, numClasses, "learning-curve rows"); !st.isOk()) return st;
    if (auto st = checkSplit(split, x.rows); !st.isOk()) return st.withStage("learning curve");
    if (points < 1 || repeats < 1) return Status::failed("learning curve: needs at least one point and one repeat");

    const auto N = static_cast<std::int64_t>(split.train.size());
    std::vector<std::int64_t> sizes;
    for (int j = 0; j < points; ++j) {
        const double f = points == 1 ? 1.0 : static_cast<double>(j) / (points - 1);
        const auto s = std::clamp<std::int64_t>(std::llround(std::exp(f * std::log(static_cast<double>(N)))), 1, N);
        if (sizes.empty() || s > sizes.back()) sizes.push_back(s);
    }
    if (sizes.back() != N) sizes.push_back(N);

    const FeatureMatrix xDev = selectRows(x, split.dev), xTest = selectRows(x, split.test);
    const auto yDev = selectLabels(y, split.dev), yTest = selectLabels(y, split.test);
    const int total = static_cast<int>(sizes.size()) * repeats;
    std::vector<LearningCurvePoint> curve;
    int done = 0;
    for (auto size : sizes) {
        LearningCurvePoint pt;
        pt.trainRows = size;
        pt.minBits = std::numeric_limits<double>::infinity();
        pt.maxBits = -std::numeric_limits<double>::infinity();
        double sum = 0;
        for (int rep = 0; rep < repeats; ++rep) {
            if (detail::cancelRequested(cancel)) return Status::cancelled();
            if (progress) progress(done, total, "learning curve: " + std::to_string(size) + " rows");
            std::vector<std::int64_t> subset = split.train;
            if (size < N) {
                ProbeRng rng(ProbeRng::derive(probe.seed, 0xc0ffee ^ (static_cast<std::uint64_t>(size) << 8) ^ static_cast<std::uint64_t>(rep)));
                for (std::int64_t i = 0; i < size; ++i)
                    std::swap(subset[static_cast<std::size_t>(i)],
                              subset[static_cast<std::size_t>(i + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(N - i))))]);
                subset.resize(static_cast<std::size_t>(size));
                std::sort(subset.begin(), subset.end());
            }
            ProbeOptions o = probe;
            o.seed = ProbeRng::derive(probe.seed, static_cast<std::uint64_t>(rep));
            const auto ySub = selectLabels(y, subset);
            TrainedProbe trained;
            ClassificationMetrics m;
            if (auto st = trainAndScore(selectRows(x, subset), ySub, xDev, yDev, xTest, yTest, numClasses, o, trained, m, cancel);
                !st.isOk())
                return st.withStage("learning curve (" + std::to_string(size) + " rows)");
            const double bitsI = labelEntropyBits(ySub, yTest, numClasses) - m.crossEntropyBits;
            sum += bitsI;
            pt.minBits = std::min(pt.minBits, bitsI);
            pt.maxBits = std::max(pt.maxBits, bitsI);
            ++done;
        }
        pt.informationBits = sum / repeats;
        curve.push_back(pt);
    }
    if (progress) progress(total, total, "done");
    out = std::move(curve);
    return Status::ok();
}

} // namespace gs
