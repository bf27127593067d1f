// Sparse autoencoder training and application (methods.md §6) with LibTorch.
//
// Training goes through autograd (the TopK scatter and AuxK make a hand-written
// backward pass error-prone, and an SAE step is a few large matrix products,
// so autograd's bookkeeping costs little). Adam is our own (as in probe
// training) so that its moments and step count can be saved and restored
// exactly; the decoder-row gradient projection sits between backward and the
// Adam update, the renormalisation after it. The TopK decoder (and AuxK's)
// runs as an embedding bag over the k selected rows, not a dense product with
// the [rows x dSae] code matrix: at d_in 768, d_sae 6144, batch 1024, k 32 a
// step takes about 0.3 s on one core (about 1 s with dense decoding).
//
// Determinism: the decoder init and the geometric-median sample come from
// ProbeRng streams derived from the seed, the row order of epoch e from
// derive(seed, e); the operations run on `threads` cores, split between the
// calling thread's OpenMP team and the BLAS as util/cpu_threads.h plans for
// fp32 work, so results are bitwise repeatable for a given seed and thread
// count, and resuming replays the same batches.

#include "grammascope/sae.h"

#include "probing/probe_internal.h"
#include "util/cpu_threads.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>

namespace gs {
namespace {

using detail::ProbeRng;

constexpr std::int64_t kChunkRows = 4096;
constexpr std::uint64_t kSaltDecoder = 0x5ae1, kSaltMedian = 0x5ae2, kSaltEpoch = 0x5ae3, kSaltResample = 0x5ae4;

torch::Tensor tensorOf(const std::vector<float>& v, std::vector<std::int64_t> shape) {
    return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat32).clone();
}

std::vector<float> toVector(const torch::Tensor& t) {
    auto c = t.detach().contiguous();
    const float* p = c.data_ptr<float>();
    return std::vector<float>(p, p + c.numel());
}

Status checkMatrix(const FeatureMatrix& x, std::int64_t wantCols, const std::string& what) {
    if (x.rows < 0 || x.cols < 1 || static_cast<std::int64_t>(x.data.size()) != x.rows * x.cols)
        return Status::failed(what + ": the feature matrix holds " + std::to_string(x.data.size()) + " values, expected " +
                              std::to_string(x.rows) + " x " + std::to_string(x.cols));
    if (wantCols > 0 && x.cols != wantCols)
        return Status::failed(what + ": the features have " + std::to_string(x.cols) + " columns, the autoencoder expects " +
                              std::to_string(wantCols));
    return detail::checkFeatureValues(x, what);
}

// Mean row and Σ‖x − x̄‖² (double, two passes).
double totalVariance(const FeatureMatrix& x, std::vector<double>* meanOut = nullptr) {
    const auto D = static_cast<std::size_t>(x.cols);
    std::vector<double> mean(D, 0.0);
    for (std::int64_t r = 0; r < x.rows; ++r)
        for (std::size_t c = 0; c < D; ++c) mean[c] += x.row(r)[c];
    for (auto& m : mean) m /= static_cast<double>(std::max<std::int64_t>(1, x.rows));
    double ss = 0;
    for (std::int64_t r = 0; r < x.rows; ++r)
        for (std::size_t c = 0; c < D; ++c) {
            const double d = x.row(r)[c] - mean[c];
            ss += d * d;
        }
    if (meanOut) *meanOut = std::move(mean);
    return ss;
}

// Σ‖x − x̄‖² of a row source: two passes in row order, chunk by chunk (the
// same sums, in the same order, as totalVariance on the matrix), checking
// that every value is finite.
Status sourceVariance(const SaeRowSource& x, double& out) {
    const std::int64_t N = x.rows(), D = x.cols();
    const auto Dz = static_cast<std::size_t>(D);
    std::vector<double> mean(Dz, 0.0);
    std::vector<float> buf;
    std::vector<std::int64_t> idx;
    auto chunk = [&](std::int64_t begin, std::int64_t n) -> Status {
        idx.resize(static_cast<std::size_t>(n));
        std::iota(idx.begin(), idx.end(), begin);
        buf.resize(static_cast<std::size_t>(n * D));
        return x.read(idx.data(), n, buf.data());
    };
    for (std::int64_t b = 0; b < N; b += kChunkRows) {
        const std::int64_t n = std::min(kChunkRows, N - b);
        if (Status st = chunk(b, n); !st.isOk()) return st;
        for (std::int64_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c < Dz; ++c) {
                const float v = buf[static_cast<std::size_t>(r) * Dz + c];
                if (!std::isfinite(v))
                    return Status::failed("training SAE: row " + std::to_string(b + r) + " has a non-finite value");
                mean[c] += v;
            }
    }
    for (auto& m : mean) m /= static_cast<double>(std::max<std::int64_t>(1, N));
    double ss = 0;
    for (std::int64_t b = 0; b < N; b += kChunkRows) {
        const std::int64_t n = std::min(kChunkRows, N - b);
        if (Status st = chunk(b, n); !st.isOk()) return st;
        for (std::int64_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c < Dz; ++c) {
                const double d = buf[static_cast<std::size_t>(r) * Dz + c] - mean[c];
                ss += d * d;
            }
    }
    out = ss;
    return Status::ok();
}

// The rows `idx` of a source as a matrix.
Status readMatrix(const SaeRowSource& x, const std::vector<std::int64_t>& idx, FeatureMatrix& out) {
    out = FeatureMatrix{};
    out.cols = x.cols();
    out.rows = static_cast<std::int64_t>(idx.size());
    out.data.resize(static_cast<std::size_t>(out.rows * out.cols));
    return x.read(idx.data(), out.rows, out.data.data());
}

torch::Tensor rowsOf(const FeatureMatrix& x, std::int64_t begin, std::int64_t count) {
    return torch::from_blob(const_cast<float*>(x.data.data() + begin * x.cols), {count, x.cols}, torch::kFloat32);
}

// The autoencoder's parameters as tensors.
struct SaeTensors {
    torch::Tensor Wenc, benc, Wdec, bdec;
    SaeKind kind = SaeKind::TopK;
    int k = 0;

    explicit SaeTensors(const SparseAutoencoder& s)
        : Wenc(tensorOf(s.W_enc, {s.dIn, s.dSae})), benc(tensorOf(s.b_enc, {s.dSae})),
          Wdec(tensorOf(s.W_dec, {s.dSae, s.dIn})), bdec(tensorOf(s.b_dec, {s.dIn})), kind(s.kind), k(s.k) {}

    // (x − b_dec) W_enc + b_enc, written so that b_dec's gradient is a
    // vector-matrix product instead of a second [rows x dSae] x [dSae x dIn] one.
    torch::Tensor preActivations(const torch::Tensor& x) const {
        return torch::addmm(benc - torch::mv(Wenc.t(), bdec), x, Wenc);
    }
    // Dense codes z [rows x dSae].
    torch::Tensor codes(const torch::Tensor& pre) const {
        if (kind == SaeKind::ReluL1) return torch::relu(pre);
        auto top = torch::topk(pre, k, 1);
        return torch::zeros_like(pre).scatter(1, std::get<1>(top), torch::relu(std::get<0>(top)));
    }
    torch::Tensor decode(const torch::Tensor& z) const { return torch::addmm(bdec, z, Wdec); }
};

// Σ_j vals[r, j] · W_dec[idx[r, j]] per row, without the dense [rows x dSae]
// code matrix: an embedding bag (sum mode, per-sample weights), whose
// backward touches only the selected decoder rows.
torch::Tensor sparseDecode(const torch::Tensor& Wdec, const torch::Tensor& idx, const torch::Tensor& vals) {
    const std::int64_t rows = idx.size(0), k = idx.size(1);
    const auto offsets = torch::arange(0, rows * k, k, torch::kLong);
    return std::get<0>(torch::embedding_bag(Wdec, idx.reshape({-1}), offsets, false, 0, false, vals.reshape({-1}), false));
}

std::string signatureOf(const SaeOptions& o, std::int64_t dSae, int k, std::int64_t batch, std::int64_t total,
                        std::int64_t deadWindow, std::int64_t rows, std::int64_t cols) {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "kind=%s d_sae=%lld k=%d aux_k=%d aux=%.17g dead=%lld l1=%.17g lr=%.17g batch=%lld steps=%lld "
                  "seed=%llu gm=%lld threads=%d rows=%lld cols=%lld%s",
                  saeKindName(o.kind), static_cast<long long>(dSae), k, o.auxK, o.auxCoefficient,
                  static_cast<long long>(deadWindow), o.l1Coefficient, o.learningRate, static_cast<long long>(batch),
                  static_cast<long long>(total), static_cast<unsigned long long>(o.seed),
                  static_cast<long long>(o.geometricMedianSample), o.threads, static_cast<long long>(rows),
                  static_cast<long long>(cols),
                  o.kind == SaeKind::ReluL1 ? (" resample=" + std::to_string(o.resamplings)).c_str() : "");
    return buf;
}

Status checkOptions(const SaeOptions& o) {
    if (o.dictionarySize < 0) return Status::failed("the dictionary size must be >= 0 (0 = 8 x d_in)");
    if (o.kind == SaeKind::TopK && o.k < 1) return Status::failed("k must be at least 1");
    if (o.auxK < 0) return Status::failed("auxK must be >= 0");
    if (!(o.auxCoefficient >= 0) || !std::isfinite(o.auxCoefficient)) return Status::failed("the AuxK coefficient must be >= 0");
    if (!(o.l1Coefficient >= 0) || !std::isfinite(o.l1Coefficient)) return Status::failed("the L1 coefficient must be >= 0");
    if (!(o.learningRate > 0) || !std::isfinite(o.learningRate)) return Status::failed("the learning rate must be positive");
    if (o.batchSize < 1) return Status::failed("the batch size must be positive");
    if (o.steps < 0 || (o.steps == 0 && o.epochs < 1)) return Status::failed("training needs at least one step or epoch");
    if (o.deadAfterTokens < 1) return Status::failed("deadAfterTokens must be positive");
    if (o.geometricMedianSample < 0) return Status::failed("the geometric-median sample size must be >= 0");
    if (o.resamplings < 0) return Status::failed("the number of resamplings must be >= 0");
    return Status::ok();
}

// A fresh state: random unit-norm decoder rows, W_enc = W_decᵀ, b_enc = 0,
// b_dec = geometric median of a sample of rows, zero moments and counters.
Status initialState(const SaeRowSource& x, const SaeOptions& o, std::int64_t S, int k, SaeTrainState& st) {
    const std::int64_t D = x.cols(), N = x.rows();
    SparseAutoencoder& s = st.sae;
    s.dIn = D;
    s.dSae = S;
    s.kind = o.kind;
    s.k = k;
    s.l1Coefficient = o.kind == SaeKind::ReluL1 ? o.l1Coefficient : 0.0;
    ProbeRng rng(ProbeRng::derive(o.seed, kSaltDecoder));
    s.W_dec.resize(static_cast<std::size_t>(S * D));
    for (std::int64_t r = 0; r < S; ++r) {
        float* row = s.W_dec.data() + r * D;
        double norm = 0;
        for (std::int64_t c = 0; c < D; ++c) {
            row[c] = static_cast<float>(rng.normal());
            norm += static_cast<double>(row[c]) * row[c];
        }
        norm = std::sqrt(norm);
        for (std::int64_t c = 0; c < D; ++c) row[c] = static_cast<float>(row[c] / norm);
    }
    s.W_enc.resize(s.W_dec.size());
    for (std::int64_t r = 0; r < S; ++r)
        for (std::int64_t c = 0; c < D; ++c) s.W_enc[static_cast<std::size_t>(c * S + r)] = s.W_dec[static_cast<std::size_t>(r * D + c)];
    s.b_enc.assign(static_cast<std::size_t>(S), 0.0f);

    const std::int64_t sample = o.geometricMedianSample;
    std::vector<std::int64_t> idx(static_cast<std::size_t>(N));
    std::iota(idx.begin(), idx.end(), 0);
    if (sample > 0 && sample < N) {
        // Partial Fisher–Yates over the row indices, then sorted.
        ProbeRng pick(ProbeRng::derive(o.seed, kSaltMedian));
        for (std::int64_t i = 0; i < sample; ++i) {
            const auto j = i + static_cast<std::int64_t>(pick.below(static_cast<std::uint64_t>(N - i)));
            std::swap(idx[static_cast<std::size_t>(i)], idx[static_cast<std::size_t>(j)]);
        }
        idx.resize(static_cast<std::size_t>(sample));
        std::sort(idx.begin(), idx.end());
    }
    FeatureMatrix rows;
    if (Status st2 = readMatrix(x, idx, rows); !st2.isOk()) return st2;
    if (auto st2 = geometricMedian(rows, s.b_dec); !st2.isOk()) return st2;
    const auto n = s.W_dec.size();
    st.mW_enc.assign(n, 0.0f);
    st.vW_enc.assign(n, 0.0f);
    st.mW_dec.assign(n, 0.0f);
    st.vW_dec.assign(n, 0.0f);
    st.mB_enc.assign(static_cast<std::size_t>(S), 0.0f);
    st.vB_enc.assign(static_cast<std::size_t>(S), 0.0f);
    st.mB_dec.assign(static_cast<std::size_t>(D), 0.0f);
    st.vB_dec.assign(static_cast<std::size_t>(D), 0.0f);
    st.rowsSinceFired.assign(static_cast<std::size_t>(S), 0);
    st.step = 0;
    return Status::ok();
}

// Dead-latent resampling (Bricken et al. 2023), in place, no grad: each dead
// latent gets a batch row drawn with probability ∝ its squared error, minus
// b_dec and normalised, as decoder row; the same direction times 0.2 × the
// mean encoder-column norm of the live latents as encoder column; bias 0;
// its Adam moments and dead counter are reset.
void resampleDead(SaeTensors& p, std::vector<torch::Tensor>& m, std::vector<torch::Tensor>& v, torch::Tensor& counters,
                  std::int64_t deadWindow, const torch::Tensor& xb, const torch::Tensor& xhat, std::uint64_t seed) {
    const auto dead = (counters >= deadWindow).nonzero().reshape({-1});
    const std::int64_t nDead = dead.size(0);
    if (nDead == 0) return;
    const auto err = (xb - xhat).pow(2).sum(1).to(torch::kDouble).contiguous();
    const double* e = err.data_ptr<double>();
    const std::int64_t rows = err.size(0);
    std::vector<double> cum(static_cast<std::size_t>(rows));
    double total = 0;
    for (std::int64_t r = 0; r < rows; ++r) cum[static_cast<std::size_t>(r)] = total += e[r];
    ProbeRng rng(seed);
    std::vector<std::int64_t> pick(static_cast<std::size_t>(nDead));
    for (auto& r : pick) {
        if (!(total > 0)) {
            r = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(rows)));
            continue;
        }
        const double u = rng.uniform() * total;
        r = std::min<std::int64_t>(rows - 1, std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
    }
    const auto idx = torch::from_blob(pick.data(), {nDead}, torch::kLong).clone();
    auto dirs = xb.index_select(0, idx) - p.bdec;
    dirs = dirs / dirs.norm(2, {1}, true).clamp_min(1e-12);
    const auto alive = (counters < deadWindow);
    const auto encNorms = p.Wenc.norm(2, {0});
    const double scale =
        alive.any().item<bool>() ? 0.2 * encNorms.masked_select(alive).mean().item<double>() : 0.2;
    p.Wdec.index_copy_(0, dead, dirs);
    p.Wenc.index_copy_(1, dead, (dirs * scale).t());
    p.benc.index_fill_(0, dead, 0.0);
    for (int i : {0, 2}) {  // W_enc [D x S] columns, W_dec [S x D] rows
        const int dim = i == 0 ? 1 : 0;
        m[static_cast<std::size_t>(i)].index_fill_(dim, dead, 0.0);
        v[static_cast<std::size_t>(i)].index_fill_(dim, dead, 0.0);
    }
    m[1].index_fill_(0, dead, 0.0);
    v[1].index_fill_(0, dead, 0.0);
    counters.index_fill_(0, dead, 0);
}

} // namespace

Status geometricMedian(const FeatureMatrix& x, std::vector<float>& out, int maxIterations, double tolerance) {
    if (auto st = checkMatrix(x, 0, "geometric median"); !st.isOk()) return st;
    if (x.rows < 1) return Status::failed("geometric median: no rows");
    const auto D = static_cast<std::size_t>(x.cols);
    std::vector<double> y;
    const double ss = totalVariance(x, &y);
    const double scale = ss > 0 ? std::sqrt(ss / static_cast<double>(x.rows)) : 1.0;
    std::vector<double> num(D);
    for (int it = 0; it < maxIterations; ++it) {
        std::fill(num.begin(), num.end(), 0.0);
        double den = 0;
        for (std::int64_t r = 0; r < x.rows; ++r) {
            const float* row = x.row(r);
            double d2 = 0;
            for (std::size_t c = 0; c < D; ++c) {
                const double d = row[c] - y[c];
                d2 += d * d;
            }
            const double d = std::sqrt(d2);
            if (d < 1e-12 * scale) continue;  // a row on the current point: skipped (Weiszfeld's usual fix)
            const double w = 1.0 / d;
            den += w;
            for (std::size_t c = 0; c < D; ++c) num[c] += w * row[c];
        }
        if (den <= 0) break;
        double move2 = 0;
        for (std::size_t c = 0; c < D; ++c) {
            const double v = num[c] / den;
            move2 += (v - y[c]) * (v - y[c]);
            y[c] = v;
        }
        if (std::sqrt(move2) <= tolerance * scale) break;
    }
    out.assign(D, 0.0f);
    for (std::size_t c = 0; c < D; ++c) out[c] = static_cast<float>(y[c]);
    return Status::ok();
}

Status MatrixRowSource::read(const std::int64_t* indices, std::int64_t n, float* out) const {
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t r = indices[i];
        if (r < 0 || r >= m_x.rows) return Status::failed("reading rows: row " + std::to_string(r) + " out of range");
        std::memcpy(out + i * m_x.cols, m_x.row(r), static_cast<std::size_t>(m_x.cols) * sizeof(float));
    }
    return Status::ok();
}

Status trainSae(const FeatureMatrix& x, const SaeOptions& o, SparseAutoencoder& out, SaeTrainState* state,
                const SaeTrainProgressCallback& progress, const std::atomic<bool>* cancel) {
    if (auto st = checkMatrix(x, 0, "training SAE"); !st.isOk()) return st;
    return trainSae(MatrixRowSource(x), o, out, state, progress, cancel);
}

Status trainSae(const SaeRowSource& x, const SaeOptions& o, SparseAutoencoder& out, SaeTrainState* state,
                const SaeTrainProgressCallback& progress, const std::atomic<bool>* cancel) {
    if (auto st = checkOptions(o); !st.isOk()) return st.withStage("training SAE");
    if (x.cols() < 1) return Status::failed("training SAE: the rows have no columns");
    if (x.rows() < 2) return Status::failed("training SAE: at least two rows are needed");
    const std::int64_t N = x.rows(), D = x.cols();
    const std::int64_t S = o.dictionarySize > 0 ? o.dictionarySize : 8 * D;
    const bool topk = o.kind == SaeKind::TopK;
    const int k = topk ? static_cast<int>(std::min<std::int64_t>(o.k, S)) : 0;
    const std::int64_t B = std::min<std::int64_t>(o.batchSize, N);
    const std::int64_t batches = (N + B - 1) / B;
    const std::int64_t total = o.steps > 0 ? o.steps : static_cast<std::int64_t>(o.epochs) * batches;
    const std::int64_t deadWindow = std::max(B, std::min(o.deadAfterTokens, N));
    const std::string signature = signatureOf(o, S, k, B, total, deadWindow, N, D);
    double ss = 0;
    if (Status st = sourceVariance(x, ss); !st.isOk()) return st;
    const double V = ss / static_cast<double>(N);
    if (!(V > 0)) return Status::failed("training SAE: the rows have no spread (all equal)");

    try {
        c10::InferenceMode noInference(false);
        torch::AutoGradMode autograd(true);
        detail::ScopedCpuThreads team(o.threads, true);

        SaeTrainState st;
        if (state && state->step > 0) {
            if (state->signature != signature)
                return Status::failed("training SAE: the state to resume was saved with other options or data (" +
                                      state->signature + "; now " + signature + ")");
            st = *state;
            if (st.step > total) return Status::failed("training SAE: the state to resume is past the last step");
        } else {
            if (auto s2 = initialState(x, o, S, k, st); !s2.isOk()) return s2.withStage("training SAE");
            st.totalSteps = total;
            st.signature = signature;
        }
        st.sae.layer = out.layer;
        st.sae.modelName = out.modelName;
        st.sae.modelFingerprint = out.modelFingerprint;
        st.sae.hookName = out.hookName;

        SaeTensors p(st.sae);
        std::vector<torch::Tensor> params = {p.Wenc, p.benc, p.Wdec, p.bdec};
        std::vector<torch::Tensor> m = {tensorOf(st.mW_enc, {D, S}), tensorOf(st.mB_enc, {S}), tensorOf(st.mW_dec, {S, D}),
                                        tensorOf(st.mB_dec, {D})};
        std::vector<torch::Tensor> v = {tensorOf(st.vW_enc, {D, S}), tensorOf(st.vB_enc, {S}), tensorOf(st.vW_dec, {S, D}),
                                        tensorOf(st.vB_dec, {D})};
        for (auto& t : params) t.set_requires_grad(true);
        auto counters = torch::from_blob(st.rowsSinceFired.data(), {S}, torch::kLong).clone();

        // Writes the tensors back into st (and *state).
        auto capture = [&](std::int64_t step) {
            st.step = step;
            st.sae.W_enc = toVector(p.Wenc);
            st.sae.b_enc = toVector(p.benc);
            st.sae.W_dec = toVector(p.Wdec);
            st.sae.b_dec = toVector(p.bdec);
            st.mW_enc = toVector(m[0]);
            st.mB_enc = toVector(m[1]);
            st.mW_dec = toVector(m[2]);
            st.mB_dec = toVector(m[3]);
            st.vW_enc = toVector(v[0]);
            st.vB_enc = toVector(v[1]);
            st.vW_dec = toVector(v[2]);
            st.vB_dec = toVector(v[3]);
            auto c = counters.contiguous();
            st.rowsSinceFired.assign(c.data_ptr<std::int64_t>(), c.data_ptr<std::int64_t>() + S);
            st.sae.trainedSteps = step;
            if (state) *state = st;
        };

        std::vector<float> batchRows;
        std::vector<std::int64_t> order(static_cast<std::size_t>(N));
        std::int64_t orderEpoch = -1;
        constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;
        // ReluL1: resampling points spread over the first half of the run.
        auto resampleStep = [&](std::int64_t done) {
            for (int i = 1; i <= o.resamplings; ++i)
                if (done == static_cast<std::int64_t>(i) * total / (2 * (o.resamplings + 1))) return done < total;
            return false;
        };
        const int every = std::max(1, o.progressEvery);

        for (std::int64_t step = st.step; step < total; ++step) {
            if (detail::cancelRequested(cancel)) {
                capture(step);
                return Status::cancelled();
            }
            const std::int64_t epoch = step / batches, b = step % batches;
            if (epoch != orderEpoch) {
                std::iota(order.begin(), order.end(), 0);
                ProbeRng rng(ProbeRng::derive(o.seed ^ ProbeRng::mix(kSaltEpoch), static_cast<std::uint64_t>(epoch)));
                rng.shuffle(order);
                orderEpoch = epoch;
            }
            const std::int64_t begin = b * N / batches, end = (b + 1) * N / batches;
            batchRows.resize(static_cast<std::size_t>((end - begin) * D));
            if (Status st2 = x.read(order.data() + begin, end - begin, batchRows.data()); !st2.isOk())
                return st2.withStage("training SAE");
            const auto xb = torch::from_blob(batchRows.data(), {end - begin, D}, torch::kFloat32);
            const auto rowsInBatch = static_cast<double>(end - begin);

            const auto pre = p.preActivations(xb);
            torch::Tensor xhat, active, fired;  // active: [rows x k] or [rows x dSae] mask of firing codes
            if (topk) {
                auto top = torch::topk(pre, k, 1);
                const auto vals = torch::relu(std::get<0>(top));
                xhat = sparseDecode(p.Wdec, std::get<1>(top), vals) + p.bdec;
                torch::NoGradGuard ng;
                active = vals > 0;
                fired = torch::zeros({S}, torch::kBool).index_fill_(0, std::get<1>(top).masked_select(active), true);
            } else {
                const auto z = p.codes(pre);
                xhat = p.decode(z);
                torch::NoGradGuard ng;
                active = z > 0;
                fired = active.any(0);
            }
            const auto err = (xhat - xb).pow(2).sum(1).mean();
            auto loss = err / V;
            if (!topk) loss = loss + (o.l1Coefficient * std::sqrt(V) / V) * torch::relu(pre).sum(1).mean();

            torch::Tensor dead;
            std::int64_t nDead = 0;
            {
                torch::NoGradGuard ng;
                dead = counters >= deadWindow;
                nDead = dead.sum().item<std::int64_t>();
            }
            if (topk && o.auxCoefficient > 0 && o.auxK > 0 && nDead > 0) {
                const std::int64_t kAux = std::min<std::int64_t>(o.auxK, nDead);
                const auto auxPre = pre.masked_fill(dead.logical_not(), -std::numeric_limits<float>::infinity());
                auto top = torch::topk(auxPre, kAux, 1);
                const auto eHat = sparseDecode(p.Wdec, std::get<1>(top), torch::relu(std::get<0>(top)));
                const auto e = (xb - xhat).detach();
                const auto eVar = (e - e.mean(0)).pow(2).sum(1).mean().clamp_min(1e-12);
                const auto aux = (eHat - e).pow(2).sum(1).mean() / eVar;
                loss = loss + o.auxCoefficient * aux;
            }
            for (auto& t : params) t.mutable_grad() = torch::Tensor();
            loss.backward();

            {
                torch::NoGradGuard ng;
                counters = torch::where(fired, torch::zeros_like(counters), counters + static_cast<std::int64_t>(rowsInBatch));
                // Decoder rows: drop the gradient component parallel to each row.
                auto& gd = params[2].mutable_grad();
                if (gd.defined()) gd.sub_((gd * p.Wdec).sum(1, true) * p.Wdec);
                const double t = static_cast<double>(step + 1);
                const double bc1 = 1.0 - std::pow(kBeta1, t), bc2 = 1.0 - std::pow(kBeta2, t);
                for (std::size_t i = 0; i < params.size(); ++i) {
                    const auto& g = params[i].grad();
                    if (!g.defined()) continue;
                    m[i].mul_(kBeta1).add_(g, 1.0 - kBeta1);
                    v[i].mul_(kBeta2).addcmul_(g, g, 1.0 - kBeta2);
                    auto denom = v[i].sqrt().div_(std::sqrt(bc2)).add_(kEps);
                    params[i].addcdiv_(m[i], denom, -o.learningRate / bc1);
                }
                p.Wdec.div_(p.Wdec.norm(2, {1}, true).clamp_min(1e-12));
                if (!topk && resampleStep(step + 1))
                    resampleDead(p, m, v, counters, deadWindow, xb, xhat.detach(),
                                 ProbeRng::derive(o.seed ^ ProbeRng::mix(kSaltResample), static_cast<std::uint64_t>(step)));
            }

            const bool last = step + 1 == total;
            if (progress && (last || (step + 1) % every == 0)) {
                torch::NoGradGuard ng;
                SaeTrainProgress pr;
                pr.step = step + 1;
                pr.totalSteps = total;
                pr.loss = loss.item<double>();
                pr.fvu = err.item<double>() / V;
                pr.l0 = active.sum(1).to(torch::kDouble).mean().item<double>();
                pr.deadFraction = (counters >= deadWindow).to(torch::kDouble).mean().item<double>();
                if (!std::isfinite(pr.loss)) return Status::failed("training SAE: the loss diverged (lower the learning rate)");
                if (!progress(pr)) {
                    capture(step + 1);
                    return Status::cancelled();
                }
            }
        }
        for (const auto& t : params)
            if (!torch::isfinite(t).all().item<bool>())
                return Status::failed("training SAE: the weights diverged (lower the learning rate)");
        capture(total);
        out = st.sae;
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("training SAE: ") + e.what());
    }
}

Status encodeSae(const SparseAutoencoder& sae, const FeatureMatrix& x, SaeCodes& out, int perRow) {
    if (auto st = checkSae(sae); !st.isOk()) return st.withStage("SAE encoding");
    if (auto st = checkMatrix(x, sae.dIn, "SAE encoding"); !st.isOk()) return st;
    if (perRow < 0) return Status::failed("SAE encoding: perRow must be >= 0");
    try {
        c10::InferenceMode guard;
        const int n = perRow > 0 ? perRow : (sae.kind == SaeKind::TopK ? sae.k : 32);
        const auto take = static_cast<std::int64_t>(std::min<std::int64_t>(n, sae.dSae));
        SaeTensors p(sae);
        SaeCodes res;
        res.rows = x.rows;
        res.perRow = n;
        res.indices.assign(static_cast<std::size_t>(x.rows * n), -1);
        res.values.assign(static_cast<std::size_t>(x.rows * n), 0.0f);
        for (std::int64_t b = 0; b < x.rows; b += kChunkRows) {
            const std::int64_t len = std::min(kChunkRows, x.rows - b);
            const auto pre = p.preActivations(rowsOf(x, b, len));
            // TopK: the strongest codes are the strongest pre-activations (ReLU
            // keeps their order), so one top-k on them gives the row's codes
            // without building the dense [rows x dSae] matrix and sorting it again.
            auto top = sae.kind == SaeKind::TopK ? torch::topk(pre, std::min<std::int64_t>(take, sae.k), 1)
                                                 : torch::topk(p.codes(pre), take, 1);
            const auto vals = torch::relu(std::get<0>(top)).contiguous();
            const auto ids = std::get<1>(top).contiguous();
            const std::int64_t width = vals.size(1);
            const float* pv = vals.data_ptr<float>();
            const std::int64_t* pi = ids.data_ptr<std::int64_t>();
            for (std::int64_t r = 0; r < len; ++r)
                for (std::int64_t j = 0; j < width; ++j) {
                    const float val = pv[r * width + j];
                    if (!(val > 0)) break;
                    const auto o = static_cast<std::size_t>((b + r) * n + j);
                    res.values[o] = val;
                    res.indices[o] = static_cast<std::int32_t>(pi[r * width + j]);
                }
        }
        out = std::move(res);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("SAE encoding: ") + e.what());
    }
}

Status reconstructSae(const SparseAutoencoder& sae, const FeatureMatrix& x, FeatureMatrix& out) {
    if (auto st = checkSae(sae); !st.isOk()) return st.withStage("SAE reconstruction");
    if (auto st = checkMatrix(x, sae.dIn, "SAE reconstruction"); !st.isOk()) return st;
    try {
        c10::InferenceMode guard;
        SaeTensors p(sae);
        FeatureMatrix res;
        res.rows = x.rows;
        res.cols = x.cols;
        res.data.assign(x.data.size(), 0.0f);
        for (std::int64_t b = 0; b < x.rows; b += kChunkRows) {
            const std::int64_t len = std::min(kChunkRows, x.rows - b);
            const auto xhat = p.decode(p.codes(p.preActivations(rowsOf(x, b, len)))).contiguous();
            std::copy_n(xhat.data_ptr<float>(), len * x.cols, res.data.begin() + b * x.cols);
        }
        out = std::move(res);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("SAE reconstruction: ") + e.what());
    }
}

Status evaluateSae(const SparseAutoencoder& sae, const FeatureMatrix& x, SaeMetrics& out) {
    if (auto st = checkSae(sae); !st.isOk()) return st.withStage("SAE evaluation");
    if (auto st = checkMatrix(x, sae.dIn, "SAE evaluation"); !st.isOk()) return st;
    if (x.rows < 1) return Status::failed("SAE evaluation: no rows");
    try {
        c10::InferenceMode guard;
        SaeTensors p(sae);
        double sse = 0, active = 0;
        auto fires = torch::zeros({sae.dSae}, torch::kLong);
        for (std::int64_t b = 0; b < x.rows; b += kChunkRows) {
            const std::int64_t len = std::min(kChunkRows, x.rows - b);
            const auto xb = rowsOf(x, b, len);
            const auto z = p.codes(p.preActivations(xb));
            sse += (p.decode(z) - xb).to(torch::kDouble).pow(2).sum().item<double>();
            const auto on = z > 0;
            active += static_cast<double>(on.sum().item<std::int64_t>());
            fires += on.sum(0);
        }
        SaeMetrics m;
        m.rows = x.rows;
        m.l0 = active / static_cast<double>(x.rows);
        m.mse = sse / static_cast<double>(x.rows * x.cols);
        const double ss = totalVariance(x);
        m.fvu = ss > 0 ? sse / ss : std::numeric_limits<double>::quiet_NaN();
        fires = fires.contiguous();
        m.fireCounts.assign(fires.data_ptr<std::int64_t>(), fires.data_ptr<std::int64_t>() + sae.dSae);
        const auto dead = std::count(m.fireCounts.begin(), m.fireCounts.end(), std::int64_t{0});
        m.deadFraction = static_cast<double>(dead) / static_cast<double>(sae.dSae);
        out = std::move(m);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("SAE evaluation: ") + e.what());
    }
}

} // namespace gs
