// Probe training (methods.md §4): multinomial logistic regression or a
// one-hidden-layer ReLU MLP, trained with Adam on mini-batches and early
// stopping on the dev split's cross-entropy.
//
// The gradients are written out by hand instead of going through autograd:
// both models are two matrix products deep, the hand-written backward pass
// costs a handful of tensor operations per step (a linear probe on 60,000 x
// 256 rows, two classes, trains in about a second: 12-19 epochs of 235
// steps), and the whole call can run inside c10::InferenceMode. The bias of the first layer is folded into the
// weight matrix by appending a column of ones to the standardised inputs;
// the L2 term skips that column (biases are not regularised).
//
// Determinism: the linear probe starts from zero (the problem is convex),
// the MLP from a uniform initialisation drawn from our own seeded generator,
// mini-batches follow a seeded permutation per epoch and dropout masks come
// from a LibTorch generator owned by the call, so nothing reads a global
// random state and concurrent calls do not interfere. Results are bitwise
// repeatable for a given seed (the operations run on one thread, see
// SingleThreadedOps).

#include "grammascope/probing.h"

#include "probing/probe_internal.h"
#include "util/cpu_threads.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gs {
namespace {

using detail::ProbeRng;

constexpr double kLn2 = 0.69314718055994530942;
// Same floor as evaluateProbabilities: log(1e-12).
constexpr double kLogFloor = -27.631021115928547;
constexpr std::int64_t kPredictChunkRows = 16384;
constexpr std::int64_t kMinStepsPerEpoch = 50;

// Runs the calling thread's LibTorch operations on one OpenMP thread. A
// probe's tensors are small (a 256-row batch); with two intra-op threads on
// a machine whose cores are busy, every operation's OpenMP barrier waits for
// a descheduled thread, and a 60,000 x 256 probe took 10-15 s instead of
// under one. The team size is the calling thread's own (see
// util/cpu_threads.h), so concurrent callers and the model's forward passes
// keep their setting.
class SingleThreadedOps : public detail::ScopedCpuThreads {
public:
    SingleThreadedOps() : ScopedCpuThreads(1, false) {}
};

Status checkOptions(const ProbeOptions& o, int numClasses) {
    if (numClasses < 2) return Status::failed("a probe needs at least two classes (got " + std::to_string(numClasses) + ")");
    if (o.kind == ProbeKind::Mlp && o.hiddenUnits <= 0) return Status::failed("the MLP probe needs at least one hidden unit");
    if (!(o.dropout >= 0.0 && o.dropout < 1.0)) return Status::failed("dropout must be in [0, 1)");
    if (!(o.l2 >= 0.0) || !std::isfinite(o.l2)) return Status::failed("the L2 coefficient must be a finite number >= 0");
    if (!(o.learningRate > 0.0) || !std::isfinite(o.learningRate)) return Status::failed("the learning rate must be positive");
    if (o.maxEpochs < 1) return Status::failed("the probe needs at least one epoch");
    if (o.batchSize < 1) return Status::failed("the batch size must be positive");
    return Status::ok();
}

torch::Tensor blobOf(const FeatureMatrix& x, std::int64_t begin, std::int64_t count) {
    return torch::from_blob(const_cast<float*>(x.data.data() + begin * x.cols), {count, x.cols}, torch::kFloat32);
}

torch::Tensor vectorTensor(const std::vector<float>& v) {
    return torch::from_blob(const_cast<float*>(v.data()), {static_cast<std::int64_t>(v.size())}, torch::kFloat32).clone();
}

torch::Tensor longTensor(const std::vector<std::int64_t>& v) {
    return torch::from_blob(const_cast<std::int64_t*>(v.data()), {static_cast<std::int64_t>(v.size())}, torch::kLong).clone();
}

std::vector<float> toVector(const torch::Tensor& t) {
    auto c = t.contiguous();
    const float* p = c.data_ptr<float>();
    return std::vector<float>(p, p + c.numel());
}

// Training rows' column mean and 1/sd (two passes in double, so a constant
// column gets sd 0 exactly). A column with no spread gets invStd 0: it
// carries nothing the training rows can teach, and a tiny training subset
// (one row in a learning curve) then yields a bias-only probe instead of one
// that amplifies whatever the test rows hold in that column.
void fitStandardizer(const FeatureMatrix& x, std::vector<float>& mean, std::vector<float>& invStd) {
    const auto D = static_cast<std::size_t>(x.cols);
    std::vector<double> sum(D, 0.0), sq(D, 0.0);
    for (std::int64_t r = 0; r < x.rows; ++r) {
        const float* row = x.row(r);
        for (std::size_t c = 0; c < D; ++c) sum[c] += row[c];
    }
    for (std::size_t c = 0; c < D; ++c) sum[c] /= static_cast<double>(x.rows);
    for (std::int64_t r = 0; r < x.rows; ++r) {
        const float* row = x.row(r);
        for (std::size_t c = 0; c < D; ++c) {
            const double d = row[c] - sum[c];
            sq[c] += d * d;
        }
    }
    mean.assign(D, 0.0f);
    invStd.assign(D, 0.0f);
    for (std::size_t c = 0; c < D; ++c) {
        const double sd = std::sqrt(sq[c] / static_cast<double>(x.rows));
        mean[c] = static_cast<float>(sum[c]);
        invStd[c] = sd > 1e-8 ? static_cast<float>(1.0 / sd) : 0.0f;
    }
}

// Rows [begin, begin + count) of x, standardised, optionally with a trailing
// column of ones (the folded bias).
torch::Tensor prepared(const FeatureMatrix& x, std::int64_t begin, std::int64_t count, const torch::Tensor& mean,
                       const torch::Tensor& invStd, bool appendOnes) {
    auto t = blobOf(x, begin, count);
    t = mean.defined() ? (t - mean) * invStd : t.clone();
    if (appendOnes) t = torch::cat({t, torch::ones({count, 1}, torch::kFloat32)}, 1);
    return t;
}

class Adam {
public:
    explicit Adam(double lr) : m_lr(lr) {}
    void update(std::vector<torch::Tensor>& params, const std::vector<torch::Tensor>& grads) {
        if (m_m.empty())
            for (const auto& p : params) {
                m_m.push_back(torch::zeros_like(p));
                m_v.push_back(torch::zeros_like(p));
            }
        ++m_t;
        const double bc1 = 1.0 - std::pow(kBeta1, static_cast<double>(m_t));
        const double bc2 = 1.0 - std::pow(kBeta2, static_cast<double>(m_t));
        for (std::size_t i = 0; i < params.size(); ++i) {
            m_m[i].mul_(kBeta1).add_(grads[i], 1.0 - kBeta1);
            m_v[i].mul_(kBeta2).addcmul_(grads[i], grads[i], 1.0 - kBeta2);
            auto denom = m_v[i].sqrt().div_(std::sqrt(bc2)).add_(kEps);
            params[i].addcdiv_(m_m[i], denom, -m_lr / bc1);
        }
    }

private:
    static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;
    double m_lr;
    std::int64_t m_t = 0;
    std::vector<torch::Tensor> m_m, m_v;
};

// The probe's parameters with hand-written forward and backward passes.
// Linear: {W [C x D+1]}. Mlp: {W1 [Hd x D+1], W2 [C x Hd], b2 [C]}. Inputs
// carry the trailing ones column.
class ProbeNet {
public:
    // The output bias starts at the log prior and the output weights at
    // zero, so the untrained probe is the label prior (see trainProbe).
    ProbeNet(const ProbeOptions& o, std::int64_t D, std::int64_t C, const torch::Tensor& logPrior)
        : m_kind(o.kind), m_D(D), m_l2(o.l2), m_dropout(o.dropout) {
        if (m_kind == ProbeKind::Linear) {
            params.push_back(torch::zeros({C, D + 1}, torch::kFloat32));
            params[0].select(1, D).copy_(logPrior);
            return;
        }
        // The hidden layer as LibTorch's nn::Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        const std::int64_t H = o.hiddenUnits;
        ProbeRng rng(ProbeRng::derive(o.seed, 1));
        auto uniform = [&rng](std::int64_t rows, std::int64_t cols, double bound) {
            std::vector<float> v(static_cast<std::size_t>(rows * cols));
            for (auto& e : v) e = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
            return torch::from_blob(v.data(), {rows, cols}, torch::kFloat32).clone();
        };
        params.push_back(uniform(H, D + 1, 1.0 / std::sqrt(static_cast<double>(D))));
        params.push_back(torch::zeros({C, H}, torch::kFloat32));
        params.push_back(logPrior.clone());
        m_dropoutGen = at::detail::createCPUGenerator(ProbeRng::derive(o.seed, 2));
    }

    torch::Tensor logits(const torch::Tensor& xa) const {
        if (m_kind == ProbeKind::Linear) return xa.mm(params[0].t());
        auto h = xa.mm(params[0].t()).clamp_min_(0.0);
        return torch::addmm(params[2], h, params[1].t());
    }

    // One Adam step on a batch (xa with the ones column, onehot [B x C]).
    void step(const torch::Tensor& xa, const torch::Tensor& onehot, Adam& adam) {
        const double invB = 1.0 / static_cast<double>(xa.size(0));
        std::vector<torch::Tensor> grads;
        if (m_kind == ProbeKind::Linear) {
            const auto& W = params[0];
            auto g = torch::softmax(xa.mm(W.t()), 1).sub_(onehot).mul_(invB);
            auto gW = g.t().mm(xa);
            if (m_l2 > 0) gW.narrow(1, 0, m_D).add_(W.narrow(1, 0, m_D), m_l2);
            grads.push_back(std::move(gW));
        } else {
            const auto& W1 = params[0];
            const auto& W2 = params[1];
            auto a = xa.mm(W1.t());
            auto h = a.clamp_min(0.0);
            torch::Tensor mask;
            if (m_dropout > 0) {
                mask = torch::empty_like(h).bernoulli_(1.0 - m_dropout, m_dropoutGen).div_(1.0 - m_dropout);
                h.mul_(mask);
            }
            auto g = torch::softmax(torch::addmm(params[2], h, W2.t()), 1).sub_(onehot).mul_(invB);
            auto gW2 = g.t().mm(h);
            if (m_l2 > 0) gW2.add_(W2, m_l2);
            auto gb2 = g.sum(0);
            auto gh = g.mm(W2);
            if (mask.defined()) gh.mul_(mask);
            gh.masked_fill_(a <= 0, 0.0);
            auto gW1 = gh.t().mm(xa);
            if (m_l2 > 0) gW1.narrow(1, 0, m_D).add_(W1.narrow(1, 0, m_D), m_l2);
            grads = {std::move(gW1), std::move(gW2), std::move(gb2)};
        }
        adam.update(params, grads);
    }

    std::vector<torch::Tensor> snapshot() const {
        std::vector<torch::Tensor> s;
        for (const auto& p : params) s.push_back(p.clone());
        return s;
    }

    void exportTo(TrainedProbe& out) const {
        const auto& W = params[0];
        out.w1 = toVector(W.narrow(1, 0, m_D));
        out.b1 = toVector(W.select(1, m_D));
        if (m_kind == ProbeKind::Mlp) {
            out.w2 = toVector(params[1]);
            out.b2 = toVector(params[2]);
        } else {
            out.w2.clear();
            out.b2.clear();
        }
    }

    std::vector<torch::Tensor> params;

private:
    ProbeKind m_kind;
    std::int64_t m_D;
    double m_l2, m_dropout;
    at::Generator m_dropoutGen;
};

// Mean −log2 p(gold) of the dev rows (floored like evaluateProbabilities).
double crossEntropyBits(const ProbeNet& net, const torch::Tensor& xa, const torch::Tensor& y) {
    double nats = 0;
    const std::int64_t n = xa.size(0);
    for (std::int64_t b = 0; b < n; b += kPredictChunkRows) {
        const std::int64_t len = std::min(kPredictChunkRows, n - b);
        auto lp = torch::log_softmax(net.logits(xa.narrow(0, b, len)), 1).gather(1, y.narrow(0, b, len).unsqueeze(1));
        nats -= lp.clamp_min_(kLogFloor).sum().item<double>();
    }
    return nats / static_cast<double>(n) / kLn2;
}

Status checkProbe(const TrainedProbe& p) {
    const auto D = p.inputDim, C = p.numClasses, H = p.hiddenUnits;
    if (D <= 0 || C < 1) return Status::failed("the probe has no weights");
    auto size = [](const std::vector<float>& v) { return static_cast<std::int64_t>(v.size()); };
    if (!(p.mean.empty() && p.invStd.empty()) && (size(p.mean) != D || size(p.invStd) != D))
        return Status::failed("the probe's standardisation does not match its input size");
    if (p.kind == ProbeKind::Linear) {
        if (size(p.w1) != C * D || size(p.b1) != C) return Status::failed("the linear probe's weights have the wrong shape");
    } else if (H <= 0 || size(p.w1) != H * D || size(p.b1) != H || size(p.w2) != C * H || size(p.b2) != C) {
        return Status::failed("the MLP probe's weights have the wrong shape");
    }
    return Status::ok();
}

} // namespace

Status trainProbe(const FeatureMatrix& xTrain, const std::vector<std::int32_t>& yTrain, const FeatureMatrix& xDev,
                  const std::vector<std::int32_t>& yDev, int numClasses, const ProbeOptions& options,
                  TrainedProbe& out, const std::atomic<bool>* cancel) {
    if (auto st = checkOptions(options, numClasses); !st.isOk()) return st.withStage("training probe");
    if (auto st = detail::checkProbeData(xTrain, yTrain, numClasses, "training rows"); !st.isOk())
        return st.withStage("training probe");
    if (xTrain.rows < 1) return Status::failed("training probe: no training rows");
    if (xDev.rows > 0 || !yDev.empty()) {
        if (xDev.cols != xTrain.cols)
            return Status::failed("training probe: dev rows have " + std::to_string(xDev.cols) + " columns, training rows " +
                                  std::to_string(xTrain.cols));
        if (auto st = detail::checkProbeData(xDev, yDev, numClasses, "dev rows"); !st.isOk())
            return st.withStage("training probe");
    }
    if (detail::cancelRequested(cancel)) return Status::cancelled();

    try {
        c10::InferenceMode guard;
        SingleThreadedOps oneThread;
        const std::int64_t n = xTrain.rows, D = xTrain.cols, C = numClasses;
        TrainedProbe result;
        result.kind = options.kind;
        result.inputDim = D;
        result.numClasses = C;
        result.hiddenUnits = options.kind == ProbeKind::Mlp ? options.hiddenUnits : 0;
        torch::Tensor mean, invStd;
        if (options.standardize) {
            fitStandardizer(xTrain, result.mean, result.invStd);
            mean = vectorTensor(result.mean);
            invStd = vectorTensor(result.invStd);
        }
        const auto xa = prepared(xTrain, 0, n, mean, invStd, true);
        std::vector<std::int64_t> labels(yTrain.begin(), yTrain.end());
        const auto onehot = torch::one_hot(longTensor(labels), C).to(torch::kFloat32);
        const bool hasDev = xDev.rows > 0;
        torch::Tensor devXa, devY;
        if (hasDev) {
            devXa = prepared(xDev, 0, xDev.rows, mean, invStd, true);
            devY = longTensor(std::vector<std::int64_t>(yDev.begin(), yDev.end()));
        }

        // Add-2 smoothed prior of the training labels, as labelEntropyBits.
        std::vector<float> logPrior(static_cast<std::size_t>(C), 0.0f);
        {
            std::vector<double> counts(static_cast<std::size_t>(C), 2.0);
            for (auto t : yTrain) counts[static_cast<std::size_t>(t)] += 1.0;
            for (std::size_t c = 0; c < counts.size(); ++c)
                logPrior[c] = static_cast<float>(std::log(counts[c] / (static_cast<double>(n) + 2.0 * static_cast<double>(C))));
        }
        ProbeNet net(options, D, C, vectorTensor(logPrior));
        Adam adam(options.learningRate);
        ProbeRng rng(detail::ProbeRng::derive(options.seed, 3));
        // Equal batches (sizes differ by at most one row), so no epoch ends
        // on a one-row step. A small training set is passed over several
        // times per epoch so that every epoch makes at least kMinStepsPerEpoch
        // Adam steps: otherwise a few hundred rows would get a few hundred
        // steps in all and stop far from convergence.
        const std::int64_t batches = (n + options.batchSize - 1) / options.batchSize;
        const std::int64_t passes = (kMinStepsPerEpoch + batches - 1) / batches;
        std::vector<std::int64_t> order(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
        const int patience = std::max(1, options.patience);

        // Epoch 0 (the prior) is a candidate too: when no epoch predicts the
        // dev rows better than the label prior, the probe stays the prior.
        double best = std::numeric_limits<double>::infinity();
        std::vector<torch::Tensor> bestParams;
        if (hasDev) {
            best = crossEntropyBits(net, devXa, devY);
            bestParams = net.snapshot();
        }
        int epoch = 0;
        for (epoch = 1; epoch <= options.maxEpochs; ++epoch) {
            if (detail::cancelRequested(cancel)) return Status::cancelled();
            for (std::int64_t pass = 0; pass < passes; ++pass) {
                if (batches == 1) {
                    net.step(xa, onehot, adam);
                    continue;
                }
                rng.shuffle(order);
                const auto perm = torch::from_blob(order.data(), {n}, torch::kLong);
                std::int64_t begin = 0;
                for (std::int64_t b = 0; b < batches; ++b) {
                    const std::int64_t end = (b + 1) * n / batches;
                    const auto idx = perm.narrow(0, begin, end - begin);
                    net.step(xa.index_select(0, idx), onehot.index_select(0, idx), adam);
                    begin = end;
                    if ((b & 63) == 63 && detail::cancelRequested(cancel)) return Status::cancelled();
                }
            }
            if (!hasDev) continue;
            const double ce = crossEntropyBits(net, devXa, devY);
            if (!std::isfinite(ce)) return Status::failed("training probe: the dev cross-entropy diverged (lower the learning rate)");
            if (ce < best - 1e-7) {
                best = ce;
                result.bestEpoch = epoch;
                bestParams = net.snapshot();
            } else if (epoch - result.bestEpoch >= patience) {
                break;
            }
        }
        result.epochs = std::min(epoch, options.maxEpochs);
        if (hasDev) {
            net.params = std::move(bestParams);
            result.devCrossEntropyBits = best;
        } else {
            result.bestEpoch = result.epochs;
            result.devCrossEntropyBits = std::numeric_limits<double>::quiet_NaN();
        }
        for (const auto& p : net.params)
            if (!torch::isfinite(p).all().item<bool>())
                return Status::failed("training probe: the weights diverged (lower the learning rate)");
        net.exportTo(result);
        out = std::move(result);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("training probe: ") + e.what());
    }
}

Status predictProbabilities(const TrainedProbe& probe, const FeatureMatrix& x, std::vector<float>& probabilities) {
    if (auto st = checkProbe(probe); !st.isOk()) return st.withStage("probe prediction");
    if (x.cols != probe.inputDim)
        return Status::failed("probe prediction: the features have " + std::to_string(x.cols) +
                              " columns, the probe expects " + std::to_string(probe.inputDim));
    if (x.rows < 0 || static_cast<std::int64_t>(x.data.size()) != x.rows * x.cols)
        return Status::failed("probe prediction: the feature matrix holds " + std::to_string(x.data.size()) +
                              " values, expected " + std::to_string(x.rows) + " x " + std::to_string(x.cols));
    if (auto st = detail::checkFeatureValues(x, "probe prediction"); !st.isOk()) return st;
    try {
        c10::InferenceMode guard;
        SingleThreadedOps oneThread;
        const std::int64_t D = probe.inputDim, C = probe.numClasses, H = probe.hiddenUnits;
        torch::Tensor mean, invStd;
        if (!probe.mean.empty()) {
            mean = vectorTensor(probe.mean);
            invStd = vectorTensor(probe.invStd);
        }
        const bool mlp = probe.kind == ProbeKind::Mlp;
        const auto w1 = vectorTensor(probe.w1).reshape({mlp ? H : C, D});
        const auto b1 = vectorTensor(probe.b1);
        torch::Tensor w2, b2;
        if (mlp) {
            w2 = vectorTensor(probe.w2).reshape({C, H});
            b2 = vectorTensor(probe.b2);
        }
        probabilities.assign(static_cast<std::size_t>(x.rows * C), 0.0f);
        for (std::int64_t b = 0; b < x.rows; b += kPredictChunkRows) {
            const std::int64_t len = std::min(kPredictChunkRows, x.rows - b);
            auto xs = prepared(x, b, len, mean, invStd, false);
            auto logits = torch::addmm(b1, xs, w1.t());
            if (mlp) logits = torch::addmm(b2, logits.clamp_min_(0.0), w2.t());
            auto p = torch::softmax(logits, 1).contiguous();
            std::copy_n(p.data_ptr<float>(), len * C, probabilities.begin() + b * C);
        }
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("probe prediction: ") + e.what());
    }
}

} // namespace gs
