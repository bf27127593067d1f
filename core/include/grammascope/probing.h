#pragma once
// Diagnostic probes and information-theoretic probing on plain feature
// matrices (methods.md §4–5). No model, no dataset, no torch types here:
// probe_data.h turns a model and a dataset into the matrices and labels.
//
//  - trainProbe: multinomial logistic regression (or a one-hidden-layer MLP),
//    L2-regularised (weights, not biases), Adam on mini-batches with early
//    stopping on the dev split's cross-entropy; features standardised with
//    the training rows' mean and standard deviation (kept in the probe).
//    Deterministic for a given seed.
//  - metrics: accuracy, macro-F1, cross-entropy in bits, majority baseline;
//    V-information / Bayesian MI I = H(T) − H_q(T|R) in bits, H(T) from a
//    categorical with add-2 smoothing on the training labels, both measured
//    on held-out rows (Pimentel & Cotterell 2021);
//  - onlineCodelength: MDL online code (Voita & Titov 2020), blocks ending at
//    0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.25, 12.5, 25, 50, 100 % of the rows;
//  - slicedMutualInformationBits: SMI over random unit directions with a 1-D
//    kNN estimator per slice (Ross 2014 for continuous X, discrete Y; k = 3);
//    it is SMI, not MI;
//  - controlLabels: Hewitt & Liang's control task (one random label per word
//    type, drawn from the empirical label distribution);
//  - splitByGroup: train / dev / test by group (sentence), never splitting a
//    group;
//  - evaluateLayerProbe: all of the above for one layer's matrix.
//
// Thread-safety: free functions on plain values, safe to call concurrently
// (each uses LibTorch inside its own InferenceMode, with its own random
// generators). Probe tensors are small, so trainProbe / predictProbabilities
// run their LibTorch operations on the calling thread only (its OpenMP team
// size is set to 1 for the call and restored; the global intra-op setting
// is left alone), and results do not depend on that setting.
// Cancellation: a non-null `cancel` flag is polled between epochs (and every
// 64 batches) / blocks / slices / stages; when it becomes true the call
// returns Status::cancelled(). Failed and cancelled calls leave their output
// arguments unchanged.

#include "grammascope/status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace gs {

// rows x cols, row-major.
struct FeatureMatrix {
    std::int64_t rows = 0, cols = 0;
    std::vector<float> data;
    const float* row(std::int64_t r) const { return data.data() + r * cols; }
    float* row(std::int64_t r) { return data.data() + r * cols; }
};

// The rows `indices` of `x`, in that order (indices outside the matrix /
// label vector are skipped by both, so rows and labels stay aligned).
FeatureMatrix selectRows(const FeatureMatrix& x, const std::vector<std::int64_t>& indices);
std::vector<std::int32_t> selectLabels(const std::vector<std::int32_t>& y, const std::vector<std::int64_t>& indices);

enum class ProbeKind : std::uint8_t { Linear, Mlp };
const char* probeKindName(ProbeKind k);  // "linear", "mlp"

struct ProbeOptions {
    ProbeKind kind = ProbeKind::Linear;
    int hiddenUnits = 128;        // Mlp only
    double dropout = 0.0;         // Mlp only, on the hidden layer
    double l2 = 1e-3;             // weight decay coefficient λ: loss + λ/2 ‖W‖² (weights only)
    double learningRate = 3e-3;   // Adam
    int maxEpochs = 60;           // an epoch: one pass, or several when one pass makes fewer than 50 Adam steps
    int patience = 4;             // epochs without a better dev cross-entropy before stopping (at least 1)
    int batchSize = 256;
    std::uint64_t seed = 1;
    bool standardize = true;
};

// A trained probe. Linear: w1 [C x D], b1 [C]. Mlp: w1 [Hd x D], b1 [Hd]
// (ReLU), w2 [C x Hd], b2 [C]. Inputs are standardised first:
// (x − mean) * invStd (empty vectors: no standardisation).
struct TrainedProbe {
    ProbeKind kind = ProbeKind::Linear;
    std::int64_t inputDim = 0, numClasses = 0, hiddenUnits = 0;
    std::vector<float> mean, invStd;
    std::vector<float> w1, b1, w2, b2;
    int epochs = 0;               // epochs run (the kept weights are those of the best dev epoch)
    int bestEpoch = 0;            // 0: no epoch beat the untrained probe (the label prior)
    double devCrossEntropyBits = 0;
};

// The untrained probe predicts the training labels' add-2 smoothed prior
// (output weights 0, output bias its log), and early stopping may keep it.
// Labels are 0 .. numClasses-1 (numClasses >= 2). An empty dev set trains
// for maxEpochs with no early stopping and keeps the last epoch's weights
// (devCrossEntropyBits is then NaN). A feature with no spread in the
// training rows gets invStd 0 (it is ignored). Fails on mismatched sizes,
// labels out of range, fewer than one training row, non-finite features or
// invalid options; returns Status::cancelled() when `cancel` becomes true.
Status trainProbe(const FeatureMatrix& xTrain, const std::vector<std::int32_t>& yTrain,
                  const FeatureMatrix& xDev, const std::vector<std::int32_t>& yDev, int numClasses,
                  const ProbeOptions& options, TrainedProbe& out, const std::atomic<bool>* cancel = nullptr);

// Class probabilities, row-major [x.rows x numClasses]. Fails when the probe's
// shapes are inconsistent, x has the wrong width or holds non-finite values.
Status predictProbabilities(const TrainedProbe& probe, const FeatureMatrix& x, std::vector<float>& probabilities);

struct ClassificationMetrics {
    std::int64_t n = 0;
    double accuracy = 0;
    double macroF1 = 0;               // mean F1 over the classes present in gold or prediction
    double crossEntropyBits = 0;      // mean −log2 p(gold), probabilities clamped at 1e-12
    std::vector<double> perClassF1;   // per class, NaN for a class absent from gold and prediction
};
// Predictions are the arg-max class (ties: the lowest). Mismatched sizes or
// gold labels out of range give n = 0 and NaN values.
ClassificationMetrics evaluateProbabilities(const std::vector<float>& probabilities,
                                            const std::vector<std::int32_t>& gold, int numClasses);

// Accuracy on `yTest` of always answering the most frequent class of `yTrain`
// (ties: the lowest class). NaN when yTest is empty.
double majorityAccuracy(const std::vector<std::int32_t>& yTrain, const std::vector<std::int32_t>& yTest,
                        int numClasses);
// H(T) in bits: cross-entropy on `yTest` of the categorical estimated from
// `yTrain` with add-2 smoothing, p(t) = (c_t + 2) / (N + 2K). NaN when
// yTest is empty.
double labelEntropyBits(const std::vector<std::int32_t>& yTrain, const std::vector<std::int32_t>& yTest,
                        int numClasses);

// MDL online code.
struct MdlOptions {
    std::vector<double> blockEnds = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.0625, 0.125, 0.25, 0.5, 1.0};
    double devFraction = 0.1;     // of each block's training rows, held out for early stopping (by row)
};
struct MdlResult {
    std::int64_t n = 0;
    double uniformBits = 0;       // n * log2 K
    double codelengthBits = 0;    // t1 * log2 K + sum over later blocks of −log2 p(y | x)
    double compression = 0;       // uniformBits / codelengthBits
    std::vector<std::int64_t> blockEnds;   // row counts t_1 .. t_B (t_B = n)
    std::vector<double> blockBits;         // bits of each block (first: uniform code)
};
// Rows are shuffled with probe.seed first (give rows grouped by sentence in
// any order). Block ends are rounded to row counts (at least 1; ends that
// round to the same count merge; the last block always ends at n). The probe
// of each block is trained with `probe` options on the rows seen so far, the
// last devFraction of them (at least one row) held out for early stopping;
// a block after a single row is coded with the add-2 smoothed prior of that
// row instead (nothing to validate a probe on). With devFraction 0 the
// probes train for maxEpochs. p(y | x) is floored at 1e-12.
Status onlineCodelength(const FeatureMatrix& x, const std::vector<std::int32_t>& y, int numClasses,
                        const ProbeOptions& probe, const MdlOptions& options, MdlResult& out,
                        const std::atomic<bool>* cancel = nullptr);

struct SlicedMiOptions {
    int slices = 1000;            // m random unit directions
    int k = 3;                    // neighbours of the 1-D estimator
    std::int64_t maxRows = 4000;  // rows used (a seeded random subset when there are more; <= 0: all)
    std::uint64_t seed = 1;
};
// Sliced mutual information between X and discrete Y in bits. The features
// are standardised first (the used rows' mean and sd; BERT-style states
// have a few dimensions of huge magnitude that would otherwise dominate
// every random direction). Rows whose label occurs only once are left out
// (as in scikit-learn's estimator). The per-slice estimates are averaged
// raw, not clipped at 0, so independent X and Y give values scattered
// around 0 (slightly negative ones included).
Status slicedMutualInformationBits(const FeatureMatrix& x, const std::vector<std::int32_t>& y, int numClasses,
                                   const SlicedMiOptions& options, double& bits,
                                   const std::atomic<bool>* cancel = nullptr);

// Hewitt & Liang's control task: every distinct word type gets one label
// drawn (seeded) from the empirical distribution of `labels`; returns the
// control label of every row. A type's label depends only on the seed, the
// type and the label counts, not on the order of the rows. Mismatched sizes
// give an empty vector.
std::vector<std::int32_t> controlLabels(const std::vector<std::string>& wordTypes,
                                        const std::vector<std::int32_t>& labels, int numClasses,
                                        std::uint64_t seed);

// Row indices of each split, every group on one side only. Groups are
// assigned in a seeded random order until each split reaches its share of
// rows (fractions clamped to [0, 1]); a dev / test split that would stay
// empty takes the smallest training group while training keeps at least one.
// Each index list is ascending.
struct RowSplit {
    std::vector<std::int64_t> train, dev, test;
};
RowSplit splitByGroup(const std::vector<std::int64_t>& groupOfRow, double devFraction, double testFraction,
                      std::uint64_t seed);

// Everything the per-layer table shows for one layer. Values that were not
// asked for (options) are NaN.
struct LayerProbeReport {
    int layer = 0;                          // 0 = embeddings
    std::int64_t trainRows = 0, devRows = 0, testRows = 0;
    double accuracy = 0, macroF1 = 0;       // probe on the test split
    double majority = 0;                    // majorityAccuracy(train, test)
    double controlAccuracy = 0;             // same probe and options on the control labels
    double selectivity = 0;                 // accuracy − controlAccuracy
    // The same probe on random vectors of the layer's width (one set for
    // all layers: randomRepresentationAccuracy); NaN when not measured.
    double randomAccuracy = std::numeric_limits<double>::quiet_NaN();
    double labelEntropyBits = 0;            // H(T), test split
    double probeCrossEntropyBits = 0;       // H_q(T | R), test split
    double informationBits = 0;             // V-information / Bayesian MI: H(T) − H_q(T | R)
    double mdlBits = 0, mdlCompression = 0; // online code over train + dev rows
    double slicedMiBits = 0;                // SMI over train + dev rows
    int epochs = 0;
};

struct LayerProbeOptions {
    ProbeOptions probe;
    bool control = true;       // needs controlLabels
    bool mdl = true;
    MdlOptions mdlOptions;
    bool slicedMi = true;
    SlicedMiOptions slicedMiOptions;
};

// Progress of a multi-step call: (steps done, total, what is running).
using ProbeProgressCallback = std::function<void(int done, int total, const std::string& stage)>;

// Trains the task probe on split.train (early stopping on split.dev),
// measures it on split.test, and adds the control, MI, MDL and SMI numbers
// the options ask for. `control` holds the control label of every row (may be
// empty when options.control is false). `probe` receives the task probe.
// report.layer is kept as given. Fails when the train or test split is empty.
// Progress stages: "probe", "control task", "MDL", "sliced MI", then "done".
Status evaluateLayerProbe(const FeatureMatrix& x, const std::vector<std::int32_t>& y,
                          const std::vector<std::int32_t>& control, int numClasses, const RowSplit& split,
                          const LayerProbeOptions& options, LayerProbeReport& report, TrainedProbe& probe,
                          const ProbeProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

// The random-representation baseline (methods: shown next to accuracy with
// the majority baseline): the probe of `options`, trained and scored on the
// rows of `split` with one seeded standard-normal vector of `width` values per
// row in place of the hidden state. It carries no information about the
// labels, so its test accuracy is what the probe gets from the label
// distribution alone: about the majority baseline, less when it over-fits the
// noise, a little more only when the noise happens to hit a few minority rows.
// y holds every row's label.
Status randomRepresentationAccuracy(std::int64_t width, const std::vector<std::int32_t>& y, int numClasses,
                                    const RowSplit& split, const ProbeOptions& options, std::uint64_t seed,
                                    double& accuracy, const std::atomic<bool>* cancel = nullptr);

// Bayesian-MI learning curve: for training sizes log-spaced from 1 to
// split.train.size() (`points` sizes, the first `repeats` seeded subsets of
// each), I = H(T) − H_q(T | R) on split.test, H(T) smoothed from the same
// subset. Values may be negative for tiny sizes.
struct LearningCurvePoint {
    std::int64_t trainRows = 0;
    double informationBits = 0;        // mean over repeats
    double minBits = 0, maxBits = 0;   // over repeats
};
Status bayesianMiLearningCurve(const FeatureMatrix& x, const std::vector<std::int32_t>& y, int numClasses,
                               const RowSplit& split, const ProbeOptions& probe, int points, int repeats,
                               std::vector<LearningCurvePoint>& out, const ProbeProgressCallback& progress = {},
                               const std::atomic<bool>* cancel = nullptr);

} // namespace gs
