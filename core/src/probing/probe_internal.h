#pragma once
// Shared helpers of the probing sources (no torch): a seeded random source
// whose outputs do not depend on the standard library's distributions, so a
// seed gives the same shuffles, subsets and directions on every platform,
// and the input checks every entry point runs.

#include "grammascope/probing.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace gs::detail {

// std::mt19937_64's sequence is fixed by the standard; the conversions below
// are ours (std::uniform_*_distribution and std::shuffle are not portable).
class ProbeRng {
public:
    explicit ProbeRng(std::uint64_t seed) : m_engine(mix(seed)) {}

    std::uint64_t next() { return m_engine(); }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    // Uniform integer in [0, n) (n > 0), multiply-shift with rejection (Lemire).
    std::uint64_t below(std::uint64_t n) {
        unsigned __int128 m = static_cast<unsigned __int128>(m_engine()) * n;
        auto low = static_cast<std::uint64_t>(m);
        if (low < n) {
            const std::uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                m = static_cast<unsigned __int128>(m_engine()) * n;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return static_cast<std::uint64_t>(m >> 64);
    }
    // Standard normal (Box–Muller, one value per call).
    double normal() {
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) {
            const auto j = static_cast<std::size_t>(below(i));
            std::swap(v[i - 1], v[j]);
        }
    }

    // SplitMix64 finaliser: spreads nearby seeds (1, 2, 3 ...) apart and
    // derives independent sub-seeds (mix(seed ^ salt)).
    static std::uint64_t mix(std::uint64_t x) {
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    }
    static std::uint64_t derive(std::uint64_t seed, std::uint64_t salt) { return mix(seed ^ mix(salt + 0x51ed2701)); }

private:
    std::mt19937_64 m_engine;
};

inline Status checkFeatureValues(const FeatureMatrix& x, const std::string& what) {
    for (std::size_t i = 0; i < x.data.size(); ++i)
        if (!std::isfinite(x.data[i]))
            return Status::failed(what + ": non-finite feature value in row " +
                                  std::to_string(static_cast<std::int64_t>(i) / x.cols) + ", column " +
                                  std::to_string(static_cast<std::int64_t>(i) % x.cols));
    return Status::ok();
}

// Checks a feature matrix / label pair: sizes, label range, finite values.
// `what` names the data in the message ("training rows").
inline Status checkProbeData(const FeatureMatrix& x, const std::vector<std::int32_t>& y, int numClasses,
                             const std::string& what) {
    if (x.rows < 0 || x.cols <= 0) return Status::failed(what + ": the feature matrix has no columns");
    if (static_cast<std::int64_t>(x.data.size()) != x.rows * x.cols)
        return Status::failed(what + ": the feature matrix holds " + std::to_string(x.data.size()) +
                              " values, expected " + std::to_string(x.rows) + " x " + std::to_string(x.cols));
    if (static_cast<std::int64_t>(y.size()) != x.rows)
        return Status::failed(what + ": " + std::to_string(y.size()) + " labels for " + std::to_string(x.rows) +
                              " feature rows");
    for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] < 0 || y[i] >= numClasses)
            return Status::failed(what + ": label " + std::to_string(y[i]) + " of row " + std::to_string(i) +
                                  " is outside 0.." + std::to_string(numClasses - 1));
    return checkFeatureValues(x, what);
}

inline bool cancelRequested(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

} // namespace gs::detail
