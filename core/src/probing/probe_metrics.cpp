// Probe metrics, baselines and the data plumbing around probes (methods.md
// §4–5): accuracy / macro-F1 / cross-entropy of predicted probabilities, the
// majority baseline, the smoothed label entropy H(T), Hewitt & Liang's
// control labels and splits by sentence group. No LibTorch here.

#include "grammascope/probing.h"

#include "probing/probe_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace gs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// 64-bit FNV-1a: a fixed hash of a word type (std::hash is not portable).
std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::vector<std::int64_t> classCounts(const std::vector<std::int32_t>& y, int numClasses) {
    std::vector<std::int64_t> counts(static_cast<std::size_t>(std::max(numClasses, 0)), 0);
    for (auto t : y)
        if (t >= 0 && t < numClasses) ++counts[static_cast<std::size_t>(t)];
    return counts;
}

} // namespace

const char* probeKindName(ProbeKind k) {
    switch (k) {
    case ProbeKind::Linear: return "linear";
    case ProbeKind::Mlp: return "mlp";
    }
    return "linear";
}

FeatureMatrix selectRows(const FeatureMatrix& x, const std::vector<std::int64_t>& indices) {
    FeatureMatrix out;
    out.cols = x.cols;
    out.data.reserve(indices.size() * static_cast<std::size_t>(std::max<std::int64_t>(x.cols, 0)));
    for (auto r : indices) {
        if (r < 0 || r >= x.rows) continue;  // skipped, as selectLabels does, so rows and labels stay aligned
        out.data.insert(out.data.end(), x.row(r), x.row(r) + x.cols);
        ++out.rows;
    }
    return out;
}

std::vector<std::int32_t> selectLabels(const std::vector<std::int32_t>& y, const std::vector<std::int64_t>& indices) {
    std::vector<std::int32_t> out;
    out.reserve(indices.size());
    for (auto r : indices)
        if (r >= 0 && r < static_cast<std::int64_t>(y.size())) out.push_back(y[static_cast<std::size_t>(r)]);
    return out;
}

ClassificationMetrics evaluateProbabilities(const std::vector<float>& probabilities,
                                            const std::vector<std::int32_t>& gold, int numClasses) {
    ClassificationMetrics m;
    const auto K = static_cast<std::size_t>(std::max(numClasses, 0));
    const bool valid = K > 0 && probabilities.size() == gold.size() * K &&
                       std::all_of(gold.begin(), gold.end(), [numClasses](std::int32_t t) { return t >= 0 && t < numClasses; });
    if (!valid || gold.empty()) {
        m.n = 0;
        m.accuracy = m.macroF1 = m.crossEntropyBits = kNaN;
        m.perClassF1.assign(K, kNaN);
        return m;
    }
    std::vector<std::int64_t> tp(K, 0), goldCount(K, 0), predCount(K, 0);
    std::int64_t correct = 0;
    double bits = 0;
    for (std::size_t i = 0; i < gold.size(); ++i) {
        const float* p = probabilities.data() + i * K;
        std::size_t best = 0;
        for (std::size_t c = 1; c < K; ++c)
            if (p[c] > p[best]) best = c;  // ties: the lowest class
        const auto g = static_cast<std::size_t>(gold[i]);
        ++goldCount[g];
        ++predCount[best];
        if (best == g) {
            ++tp[g];
            ++correct;
        }
        bits -= std::log2(std::max(static_cast<double>(p[g]), 1e-12));
    }
    m.n = static_cast<std::int64_t>(gold.size());
    m.accuracy = static_cast<double>(correct) / static_cast<double>(m.n);
    m.crossEntropyBits = bits / static_cast<double>(m.n);
    m.perClassF1.assign(K, kNaN);
    double f1Sum = 0;
    int present = 0;
    for (std::size_t c = 0; c < K; ++c) {
        if (goldCount[c] == 0 && predCount[c] == 0) continue;
        // F1 = 2 TP / (2 TP + FP + FN) = 2 TP / (predicted + gold).
        m.perClassF1[c] = 2.0 * static_cast<double>(tp[c]) / static_cast<double>(goldCount[c] + predCount[c]);
        f1Sum += m.perClassF1[c];
        ++present;
    }
    m.macroF1 = present > 0 ? f1Sum / present : kNaN;
    return m;
}

double majorityAccuracy(const std::vector<std::int32_t>& yTrain, const std::vector<std::int32_t>& yTest, int numClasses) {
    if (yTest.empty() || numClasses < 1) return kNaN;
    const auto counts = classCounts(yTrain, numClasses);
    const auto majority = static_cast<std::int32_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    const auto hits = std::count(yTest.begin(), yTest.end(), majority);
    return static_cast<double>(hits) / static_cast<double>(yTest.size());
}

double labelEntropyBits(const std::vector<std::int32_t>& yTrain, const std::vector<std::int32_t>& yTest, int numClasses) {
    if (yTest.empty() || numClasses < 1) return kNaN;
    const auto counts = classCounts(yTrain, numClasses);
    std::int64_t total = 0;
    for (auto c : counts) total += c;
    const double denom = static_cast<double>(total) + 2.0 * numClasses;
    double bits = 0;
    for (auto t : yTest) {
        if (t < 0 || t >= numClasses) return kNaN;
        bits -= std::log2((static_cast<double>(counts[static_cast<std::size_t>(t)]) + 2.0) / denom);
    }
    return bits / static_cast<double>(yTest.size());
}

// Each type's label is a function of (seed, type) alone: the draw uses a
// generator seeded from the type's hash, so a type keeps its control label
// whatever the order of the rows or which other types are present, while
// labels of different types are independent draws from the empirical
// (per-row) label distribution.
std::vector<std::int32_t> controlLabels(const std::vector<std::string>& wordTypes, const std::vector<std::int32_t>& labels,
                                        int numClasses, std::uint64_t seed) {
    if (wordTypes.size() != labels.size() || numClasses < 1) return {};
    const auto counts = classCounts(labels, numClasses);
    std::vector<std::uint64_t> cumulative;
    std::uint64_t total = 0;
    for (auto c : counts) cumulative.push_back(total += static_cast<std::uint64_t>(c));
    if (total == 0) return std::vector<std::int32_t>(labels.size(), 0);
    std::map<std::string, std::int32_t> assigned;
    std::vector<std::int32_t> out;
    out.reserve(wordTypes.size());
    for (const auto& type : wordTypes) {
        auto it = assigned.find(type);
        if (it == assigned.end()) {
            detail::ProbeRng rng(detail::ProbeRng::derive(seed, fnv1a(type)));
            const std::uint64_t u = rng.below(total);
            const auto label = static_cast<std::int32_t>(
                std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
            it = assigned.emplace(type, label).first;
        }
        out.push_back(it->second);
    }
    return out;
}

// Groups go, in a seeded random order, to the first of test / dev whose row
// count is below its target and that the group moves closer to (or leaves
// as close), else to train. Visiting every group (not stopping at the first
// that does not fit) lets small groups top up a split that a large group
// would overshoot. A split left empty despite a positive target then takes
// the smallest train group, as long as train keeps at least one group.
RowSplit splitByGroup(const std::vector<std::int64_t>& groupOfRow, double devFraction, double testFraction,
                      std::uint64_t seed) {
    RowSplit split;
    if (groupOfRow.empty()) return split;
    auto clamp01 = [](double f) { return std::isfinite(f) ? std::clamp(f, 0.0, 1.0) : 0.0; };
    const double n = static_cast<double>(groupOfRow.size());
    const double testTarget = clamp01(testFraction) * n;
    const double devTarget = clamp01(devFraction) * n;

    std::map<std::int64_t, std::int64_t> sizes;
    for (auto g : groupOfRow) ++sizes[g];
    std::vector<std::pair<std::int64_t, std::int64_t>> groups(sizes.begin(), sizes.end());  // ascending group id
    detail::ProbeRng rng(detail::ProbeRng::derive(seed, 0x5e11));
    rng.shuffle(groups);

    enum Side { Train = 0, Dev = 1, Test = 2 };
    std::map<std::int64_t, Side> side;
    double rows[3] = {0, 0, 0};
    const double target[3] = {0, devTarget, testTarget};
    auto takes = [&](Side s, double size) {
        return target[s] > 0 && rows[s] < target[s] && std::abs(rows[s] + size - target[s]) <= std::abs(rows[s] - target[s]);
    };
    for (const auto& [group, size] : groups) {
        const auto sz = static_cast<double>(size);
        const Side s = takes(Test, sz) ? Test : takes(Dev, sz) ? Dev : Train;
        side[group] = s;
        rows[s] += sz;
    }
    for (Side s : {Test, Dev}) {
        if (target[s] <= 0 || rows[s] > 0) continue;
        std::size_t trainGroups = 0;
        const std::pair<std::int64_t, std::int64_t>* smallest = nullptr;
        for (const auto& g : groups)
            if (side[g.first] == Train) {
                ++trainGroups;
                if (!smallest || g.second < smallest->second) smallest = &g;
            }
        if (trainGroups < 2) continue;
        side[smallest->first] = s;
        rows[s] += static_cast<double>(smallest->second);
        rows[Train] -= static_cast<double>(smallest->second);
    }
    for (std::size_t r = 0; r < groupOfRow.size(); ++r) {
        const auto row = static_cast<std::int64_t>(r);
        switch (side[groupOfRow[r]]) {
        case Test: split.test.push_back(row); break;
        case Dev: split.dev.push_back(row); break;
        default: split.train.push_back(row); break;
        }
    }
    return split;
}

} // namespace gs
