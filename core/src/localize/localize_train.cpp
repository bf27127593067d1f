// Localized-layer training (methods.md §2): only encoder layer L of a parent
// MLM checkpoint is trained, with a cosine loss that pushes the pooled layer-L
// representations of the two sentences of a pair apart and an MLM loss on the
// good sentence that keeps the model a language model.

#include "grammascope/alignment.h"
#include "grammascope/localize.h"
#include "grammascope/result_store.h"
#include "localize/localize_internal.h"
#include "util/atomic_file.h"
#include "util/cpu_threads.h"
#include "model/bert_encoder.h"
#include "train/mlm_data.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <fstream>
#include <numeric>
#include <random>
#include <set>
#include <thread>

namespace gs {
namespace fs = std::filesystem;
using json = nlohmann::json;
using detail::BertEncoder;
using detail::EncoderWeights;

const char* localizePoolingName(LocalizePooling p) { return p == LocalizePooling::ChangedTokens ? "changed" : "all"; }

int defaultLocalizedLayer(std::int64_t numLayers) {
    if (numLayers <= 0) return -1;
    return numLayers >= 6 ? 3 : static_cast<int>(numLayers / 2);
}

namespace {

using Clock = std::chrono::steady_clock;

Status checkOptions(const LocalizeTrainOptions& o) {
    if (o.parentDir.empty()) return Status::failed("no parent checkpoint given");
    if (o.outDir.empty()) return Status::failed("no output folder given");
    if (detail::sameFolder(o.parentDir, o.outDir))
        return Status::failed("the output folder must differ from the parent checkpoint " + o.parentDir.string());
    if (o.steps <= 0) return Status::failed("step count must be positive");
    if (o.batchPairs <= 0) return Status::failed("batch size (pairs per step) must be positive");
    if (o.mlmEvery <= 0) return Status::failed("mlmEvery must be at least 1");
    if (!(o.learningRate > 0)) return Status::failed("learning rate must be positive");
    if (o.wCos < 0 || o.wMlm < 0) return Status::failed("loss weights must not be negative");
    if (o.wCos == 0 && o.wMlm == 0) return Status::failed("both loss weights are 0: nothing to train");
    if (o.maskProbability <= 0 || o.maskProbability >= 1) return Status::failed("mask probability must be in (0, 1)");
    if (o.dropout < 0 || o.dropout >= 1) return Status::failed("dropout must be in [0, 1)");
    if (o.clipNorm < 0) return Status::failed("clip norm must not be negative");
    if (o.saveEvery < 0) return Status::failed("saveEvery must not be negative");
    return Status::ok();
}

detail::MaskingSpec maskingFor(const Tokenizer& tok, double probability) {
    detail::MaskingSpec spec;
    const SpecialTokens& s = tok.specialTokens();
    spec.probability = probability;
    spec.maskId = s.mask;
    spec.padId = s.pad >= 0 ? s.pad : 0;
    spec.vocabSize = tok.vocabSize();
    for (auto id : {s.cls, s.sep, s.pad, s.mask, s.unk})
        if (id >= 0) spec.specialIds.push_back(id);
    for (const char* piece : {"<s>", "</s>", "<pad>", "<mask>"})
        if (auto id = tok.pieceToId(piece); id >= 0) spec.specialIds.push_back(id);
    return spec;
}

struct TrainPair {
    std::vector<std::int64_t> good, bad;
    std::vector<std::uint8_t> goodChanged, badChanged;
};

// The trainable tensors of one layer, in a fixed order (the optimizer state depends on it).
std::vector<torch::Tensor*> layerTensors(detail::EncoderLayerWeights& L) {
    return {&L.qkvWeight, &L.qkvBias, &L.outWeight, &L.outBias, &L.norm1Weight, &L.norm1Bias,
            &L.ffnInWeight, &L.ffnInBias, &L.ffnOutWeight, &L.ffnOutBias, &L.norm2Weight, &L.norm2Bias};
}
const char* const kLayerTensorNames[] = {"qkv_weight", "qkv_bias", "out_weight", "out_bias", "norm1_weight",
                                         "norm1_bias", "ffn_in_weight", "ffn_in_bias", "ffn_out_weight",
                                         "ffn_out_bias", "norm2_weight", "norm2_bias"};

TensorToWrite toWrite(const std::string& name, const torch::Tensor& t) {
    auto f = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    TensorToWrite w;
    w.name = name;
    w.dtype = DType::F32;
    w.shape.assign(f.sizes().begin(), f.sizes().end());
    w.data = encodeFloat32As(DType::F32, std::span<const float>(f.data_ptr<float>(), static_cast<std::size_t>(f.numel())));
    return w;
}

Status saveTensors(const fs::path& file, const std::vector<torch::Tensor>& tensors) {
    std::vector<TensorToWrite> out;
    for (std::size_t i = 0; i < tensors.size(); ++i)
        if (tensors[i].defined()) out.push_back(toWrite(kLayerTensorNames[i], tensors[i]));
    return writeSafetensors(file, out);
}

Status loadTensors(const fs::path& file, std::vector<torch::Tensor>& into, bool allowMissing) {
    WeightStore store;
    if (auto st = WeightStore::openFile(file, store); !st.isOk()) return st;
    for (std::size_t i = 0; i < into.size(); ++i) {
        const WeightInfo* info = store.find(kLayerTensorNames[i]);
        if (!info) {
            if (allowMissing) continue;
            return Status::failed(file.string() + ": no tensor '" + kLayerTensorNames[i] + "'");
        }
        std::vector<float> v;
        if (auto st = store.readFloat32(info->name, v); !st.isOk()) return st;
        auto t = torch::from_blob(v.data(), info->shape, torch::kFloat32).clone();
        if (into[i].defined()) {
            if (into[i].sizes() != t.sizes()) return Status::failed(file.string() + ": tensor '" + info->name + "' has the wrong shape");
            torch::NoGradGuard ng;
            into[i].copy_(t);
        } else {
            into[i] = t;
        }
    }
    return Status::ok();
}

// The layer's trained tensors in the checkpoint's BERT spelling.
std::map<std::string, TensorToWrite> exportLayer(const detail::EncoderLayerWeights& L) {
    const auto& s = detail::canonicalLayerSuffixes();
    std::map<std::string, TensorToWrite> m;
    auto qkvW = L.qkvWeight.detach().chunk(3, 0);
    auto qkvB = L.qkvBias.detach().chunk(3, 0);
    for (int i = 0; i < 3; ++i) {
        m[s[static_cast<std::size_t>(2 * i)]] = toWrite(s[static_cast<std::size_t>(2 * i)], qkvW[static_cast<std::size_t>(i)]);
        m[s[static_cast<std::size_t>(2 * i + 1)]] = toWrite(s[static_cast<std::size_t>(2 * i + 1)], qkvB[static_cast<std::size_t>(i)]);
    }
    const torch::Tensor* rest[] = {&L.outWeight, &L.outBias, &L.norm1Weight, &L.norm1Bias, &L.ffnInWeight,
                                   &L.ffnInBias, &L.ffnOutWeight, &L.ffnOutBias, &L.norm2Weight, &L.norm2Bias};
    for (std::size_t i = 0; i < 10; ++i) m[s[6 + i]] = toWrite(s[6 + i], *rest[i]);
    return m;
}

torch::Tensor longTensor(std::vector<std::int64_t>& v, std::int64_t rows, std::int64_t cols) {
    return torch::from_blob(v.data(), {rows, cols}, torch::kLong).clone();
}

struct PairBatch {
    torch::Tensor goodIds, goodMask, goodPool, badIds, badMask, badPool;  // pool: [B, T] float weights
    std::int64_t realTokens = 0;
};

PairBatch makePairBatch(const std::vector<TrainPair>& pairs, const std::vector<std::int32_t>& rows,
                        std::int64_t padId, LocalizePooling pooling) {
    PairBatch b;
    const auto B = static_cast<std::int64_t>(rows.size());
    auto side = [&](bool good, torch::Tensor& ids, torch::Tensor& mask, torch::Tensor& pool) {
        std::int64_t T = 0;
        for (auto r : rows) {
            const auto& p = pairs[static_cast<std::size_t>(r)];
            T = std::max<std::int64_t>(T, static_cast<std::int64_t>((good ? p.good : p.bad).size()));
        }
        std::vector<std::int64_t> idv(static_cast<std::size_t>(B * T), padId), mv(idv.size(), 0);
        std::vector<float> pv(idv.size(), 0.0f);
        for (std::int64_t i = 0; i < B; ++i) {
            const auto& p = pairs[static_cast<std::size_t>(rows[static_cast<std::size_t>(i)])];
            const auto& s = good ? p.good : p.bad;
            const auto& ch = good ? p.goodChanged : p.badChanged;
            bool anyChanged = false;
            for (auto c : ch) anyChanged = anyChanged || c;
            for (std::size_t t = 0; t < s.size(); ++t) {
                const auto k = static_cast<std::size_t>(i * T) + t;
                idv[k] = s[t];
                mv[k] = 1;
                pv[k] = (pooling == LocalizePooling::AllTokens || !anyChanged) ? 1.0f : (ch[t] ? 1.0f : 0.0f);
            }
            b.realTokens += static_cast<std::int64_t>(s.size());
        }
        ids = longTensor(idv, B, T);
        mask = longTensor(mv, B, T);
        pool = torch::from_blob(pv.data(), {B, T}, torch::kFloat32).clone();
    };
    side(true, b.goodIds, b.goodMask, b.goodPool);
    side(false, b.badIds, b.badMask, b.badPool);
    return b;
}

json optionsJson(const LocalizeTrainOptions& o, int layer, std::int64_t warmup) {
    return json{{"layer", layer},
                {"w_cos", o.wCos},
                {"w_mlm", o.wMlm},
                {"learning_rate", o.learningRate},
                {"warmup_steps", warmup},
                {"batch_pairs", o.batchPairs},
                {"steps", o.steps},
                {"mlm_every", o.mlmEvery},
                {"pooling", localizePoolingName(o.pooling)},
                {"mask_probability", o.maskProbability},
                {"dropout", o.dropout},
                {"clip_norm", o.clipNorm},
                {"max_length", o.maxLength},
                {"seed", o.seed},
                {"phenomenon", o.phenomenon}};
}

} // namespace

Status trainLocalizedLayer(const LocalizeTrainOptions& o, const LocalizeTrainCallback& cb, LocalizeTrainSummary& summary) {
    summary = {};
    const std::string stage = "localized training";
    if (auto st = checkOptions(o); !st.isOk()) return st.withStage(stage);
    const auto start = Clock::now();
    auto report = [&](const LocalizeTrainProgress& p) { return !cb || cb(p); };
    auto message = [&](const std::string& text) {
        LocalizeTrainProgress p;
        p.message = text;
        report(p);
    };
    try {
        // Parent: config, tokenizer, weights.
        ModelConfig config;
        if (auto st = loadModelConfig(o.parentDir, config); !st.isOk()) return st.withStage("reading the parent's config.json");
        std::unique_ptr<Tokenizer> tok;
        if (auto st = loadTokenizer(o.parentDir, &config, tok); !st.isOk()) return st.withStage("loading the parent's tokenizer");
        const int layer = o.layer < 0 ? defaultLocalizedLayer(config.numLayers) : o.layer;
        if (layer < 0 || layer >= config.numLayers)
            return Status::failed(stage + ": layer " + std::to_string(layer) + " does not exist: the parent has " +
                                  std::to_string(config.numLayers) + " encoder layers (0 .. " +
                                  std::to_string(config.numLayers - 1) + ")");
        summary.layer = layer;
        WeightStore parentStore;
        if (auto st = WeightStore::openDirectory(o.parentDir, parentStore); !st.isOk()) return st.withStage("opening the parent's weights");
        EncoderWeights w;
        std::vector<std::string> unused;
        if (auto st = detail::loadEncoderWeights(parentStore, config, true, w, unused, {}); !st.isOk())
            return st.withStage("loading the parent's weights");
        if (o.wMlm > 0 && !w.hasMlmHead)
            return Status::failed(stage + ": the parent " + o.parentDir.string() +
                                  " has no MLM head (needed for the MLM loss; use w_mlm = 0 to train with the cosine loss only)");
        if (o.wMlm > 0 && tok->specialTokens().mask < 0)
            return Status::failed(stage + ": the parent's tokenizer has no mask token (needed for the MLM loss)");

        // Pairs.
        Dataset loaded;
        const Dataset* data = &o.pairs;
        if (o.pairs.items.empty()) {
            if (o.pairsFile.empty()) return Status::failed(stage + ": no pairs given");
            if (auto st = readDataset(o.pairsFile, {}, loaded); !st.isOk()) return st.withStage("reading the pairs");
            data = &loaded;
        }
        const std::string dataName = data->name.empty() ? data->source.string() : data->name;
        std::vector<const DatasetItem*> items;
        std::set<std::string> phenomena;
        for (const auto& it : data->items) {
            if (!it.isPair()) continue;
            phenomena.insert(it.phenomenon);
            if (!o.phenomenon.empty() && it.phenomenon != o.phenomenon) continue;
            items.push_back(&it);
        }
        if (phenomena.empty())
            return Status::failed(stage + ": the dataset " + dataName + " holds no pairs (only single sentences)");
        if (items.empty()) {
            std::string list;
            for (const auto& p : phenomena) list += (list.empty() ? "" : ", ") + p;
            return Status::failed(stage + ": no pair of phenomenon '" + o.phenomenon + "' in " + dataName +
                                  " (phenomena: " + list + ")");
        }
        const std::int64_t maxLength = o.maxLength > 0 ? std::min(o.maxLength, config.maxSequenceLength()) : config.maxSequenceLength();
        message("tokenizing " + std::to_string(items.size()) + " pairs");
        std::vector<TrainPair> pairs;
        detail::TokenizedCorpus goodCorpus;
        std::int64_t noChange = 0;
        for (const DatasetItem* it : items) {
            PairTokenAlignment al;
            if (auto st = alignPairTokens(*tok, *it, maxLength, al); !st.isOk()) return st.withStage(stage);
            TrainPair p;
            for (const auto& t : al.good.encoding.tokens) p.good.push_back(t.id);
            for (const auto& t : al.bad.encoding.tokens) p.bad.push_back(t.id);
            p.goodChanged = al.good.changed;
            p.badChanged = al.bad.changed;
            if (std::none_of(p.goodChanged.begin(), p.goodChanged.end(), [](auto c) { return c != 0; }) &&
                std::none_of(p.badChanged.begin(), p.badChanged.end(), [](auto c) { return c != 0; }))
                ++noChange;
            std::vector<std::int32_t> seq(p.good.begin(), p.good.end());
            goodCorpus.tokens += static_cast<std::int64_t>(seq.size());
            goodCorpus.sequences.push_back(std::move(seq));
            pairs.push_back(std::move(p));
        }
        if (noChange > 0)
            summary.warnings.push_back(std::to_string(noChange) + " pair(s) have no changed word (identical sentences?)");
        summary.pairs = static_cast<std::int64_t>(pairs.size());

        message("fingerprinting the parent");
        std::string fingerprint;
        if (auto st = fingerprintModelFiles(o.parentDir, fingerprint); !st.isOk()) return st;
        summary.parentFingerprint = fingerprint;

        std::int64_t warmup = o.warmupSteps >= 0 ? o.warmupSteps : o.steps / 10;
        json opts = optionsJson(o, layer, warmup);

        // State.
        const fs::path trainDir = o.outDir / "training";
        const fs::path statePath = trainDir / "state.json";
        std::error_code ec;
        std::int64_t step = 0;
        double lastMlm = 0;
        double firstCosRecorded = std::numeric_limits<double>::quiet_NaN();
        if (fs::exists(statePath, ec)) {
            if (!o.resume)
                return Status::failed(o.outDir.string() + " already holds a localized training run (" + statePath.string() +
                                      "); resume it (--resume) or choose another folder");
            std::ifstream in(statePath);
            json j;
            try {
                j = json::parse(in);
            } catch (const std::exception& e) {
                return Status::failed("cannot read " + statePath.string() + ": " + e.what());
            }
            const json saved = j.value("options", json::object());
            // A default warm-up follows the saved run, so that a resumed run may extend the steps.
            if (o.warmupSteps < 0 && saved.contains("warmup_steps") && saved.at("warmup_steps").is_number_integer()) {
                warmup = saved.at("warmup_steps").get<std::int64_t>();
                opts["warmup_steps"] = warmup;
            }
            for (auto it = opts.begin(); it != opts.end(); ++it) {
                if (it.key() == "steps") continue;
                if (!saved.contains(it.key()) || saved.at(it.key()) != it.value())
                    return Status::failed("cannot resume: " + it.key() + " was " +
                                          (saved.contains(it.key()) ? saved.at(it.key()).dump() : std::string("unset")) +
                                          " in " + statePath.string() + ", now " + it.value().dump());
            }
            if (j.value("parent_fingerprint", std::string()) != fingerprint)
                return Status::failed("cannot resume: the parent checkpoint " + o.parentDir.string() +
                                      " changed since the run in " + o.outDir.string() + " started");
            if (j.value("pairs", std::int64_t{-1}) != summary.pairs)
                return Status::failed("cannot resume: the run was trained on " + j.value("pairs", json(0)).dump() +
                                      " pairs, the dataset now gives " + std::to_string(summary.pairs));
            step = j.at("step").get<std::int64_t>();
            lastMlm = j.value("last_mlm_loss", 0.0);
            firstCosRecorded = j.value("first_cos_loss", firstCosRecorded);
        }
        fs::create_directories(trainDir, ec);
        if (ec) return Status::failed("cannot create " + trainDir.string() + ": " + ec.message());

        const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        detail::setCpuThreads(threads, true);  // fp32 on the CPU

        // Freeze everything; layer L becomes the trainable master.
        detail::EncoderLayerWeights& L = w.layers[static_cast<std::size_t>(layer)];
        std::vector<torch::Tensor> params;
        for (torch::Tensor* t : layerTensors(L)) {
            *t = t->detach().clone().set_requires_grad(true);
            params.push_back(*t);
            summary.trainableParameters += t->numel();
        }
        std::vector<torch::Tensor> mlmGrad(params.size());
        if (step > 0) {
            if (auto st = loadTensors(trainDir / "layer.safetensors", params, false); !st.isOk()) return st.withStage("resuming");
            if (fs::exists(trainDir / "mlm_grad.safetensors", ec))
                if (auto st = loadTensors(trainDir / "mlm_grad.safetensors", mlmGrad, true); !st.isOk()) return st.withStage("resuming");
        }
        torch::optim::Adam optimizer(params, torch::optim::AdamOptions(o.learningRate));
        if (step > 0) {
            try {
                torch::load(optimizer, (trainDir / "optimizer.pt").string());
            } catch (const std::exception& e) {
                return Status::failed("cannot read optimizer state " + (trainDir / "optimizer.pt").string() + ": " + e.what());
            }
        }
        const BertEncoder enc(config, w);  // shares the tensors: optimizer updates are seen
        const detail::MaskingSpec spec = maskingFor(*tok, o.maskProbability);
        const std::int64_t padId = config.padTokenId;
        auto lrAt = [&](std::int64_t s) {
            if (warmup > 0 && s < warmup) return o.learningRate * static_cast<double>(s + 1) / static_cast<double>(warmup);
            const double span = static_cast<double>(std::max<std::int64_t>(1, o.steps - warmup));
            return o.learningRate * std::max(0.0, 1.0 - static_cast<double>(s - warmup) / span);
        };

        // Batches: a seeded permutation of the pairs per epoch, read in order.
        const auto N = static_cast<std::int64_t>(pairs.size());
        std::int64_t permEpoch = -1;
        std::vector<std::int32_t> perm(static_cast<std::size_t>(N));
        auto batchRows = [&](std::int64_t s) {
            std::vector<std::int32_t> rows;
            for (std::int64_t i = 0; i < o.batchPairs; ++i) {
                const std::int64_t g = s * o.batchPairs + i;
                const std::int64_t epoch = g / N;
                if (epoch != permEpoch) {
                    std::iota(perm.begin(), perm.end(), 0);
                    std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(epoch) * 0xD1B54A32D192ED03ull + 0x10CA1u);
                    std::shuffle(perm.begin(), perm.end(), rng);
                    permEpoch = epoch;
                }
                rows.push_back(perm[static_cast<std::size_t>(g % N)]);
            }
            return rows;
        };

        auto drop = [&](const torch::Tensor& x) { return o.dropout > 0 ? torch::dropout(x, o.dropout, true) : x; };
        // Output of layer L ([B, T, H]); the frozen layers below run without autograd.
        auto toLayer = [&](const torch::Tensor& ids, const torch::Tensor& mask, torch::Tensor& additive) {
            torch::Tensor x;
            additive = enc.additiveMask(mask, torch::kFloat32);
            {
                torch::NoGradGuard ng;
                x = drop(enc.embed(ids, mask, torch::Tensor()));
                for (int l = 0; l < layer; ++l) x = drop(enc.layer(l, x, additive, nullptr));
            }
            return drop(enc.layer(layer, x, additive, nullptr));
        };
        auto pooled = [&](const torch::Tensor& h, const torch::Tensor& weights) {
            auto wts = weights.unsqueeze(-1);
            return (h * wts).sum(1) / wts.sum(1).clamp_min(1e-9);
        };

        auto save = [&](std::int64_t s, const LocalizeTrainProgress& last) -> Status {
            if (auto st = saveTensors(trainDir / "layer.safetensors", params); !st.isOk()) return st;
            bool anyGrad = false;
            for (const auto& g : mlmGrad) anyGrad = anyGrad || g.defined();
            if (anyGrad) {
                if (auto st = saveTensors(trainDir / "mlm_grad.safetensors", mlmGrad); !st.isOk()) return st;
            }
            try {
                torch::save(optimizer, (trainDir / "optimizer.pt.tmp").string());
            } catch (const std::exception& e) {
                return Status::failed("cannot save optimizer state in " + trainDir.string() + ": " + e.what());
            }
            fs::rename(trainDir / "optimizer.pt.tmp", trainDir / "optimizer.pt", ec);
            if (ec) return Status::failed("cannot save optimizer state: " + ec.message());
            const json state{{"step", s}, {"options", opts}, {"parent", fs::absolute(o.parentDir).string()},
                             {"parent_fingerprint", fingerprint}, {"pairs", summary.pairs},
                             {"last_mlm_loss", lastMlm}, {"first_cos_loss", firstCosRecorded}};
            if (auto st = detail::writeTextFileAtomically(statePath, state.dump(2) + "\n"); !st.isOk()) return st;
            // The exported checkpoint: the parent with layer L replaced.
            if (auto st = detail::writeCheckpointWithLayer(o.parentDir, parentStore, layer, exportLayer(L), o.outDir); !st.isOk())
                return st.withStage("writing the checkpoint");
            json info{{"format", "grammascope-localized-1"},
                      {"parent", fs::absolute(o.parentDir).lexically_normal().string()},
                      {"parent_fingerprint", fingerprint},
                      {"layer", layer},
                      {"steps", s},
                      {"complete", s >= o.steps},
                      {"options", opts},
                      {"pairs", summary.pairs},
                      {"pairs_source", dataName},
                      {"first_cos_loss", firstCosRecorded},
                      {"final", {{"loss", last.loss}, {"cos_loss", last.cosLoss}, {"mlm_loss", last.mlmLoss}}}};
            return detail::writeTextFileAtomically(o.outDir / "grammascope_localized.json", info.dump(2) + "\n");
        };

        std::ofstream log(trainDir / "log.jsonl", std::ios::app);
        summary.startStep = step;
        std::deque<double> recentCos;
        std::int64_t windowTokens = 0;
        auto windowStart = Clock::now();
        LocalizeTrainProgress last;
        last.mlmLoss = lastMlm;
        bool stop = false;
        if (step >= o.steps) {
            // Nothing to do: report what the finished run recorded.
            message("the run is already complete (" + std::to_string(step) + " steps)");
            try {
                std::ifstream in(o.outDir / "grammascope_localized.json");
                const json info = json::parse(in);
                last.loss = info.at("final").at("loss").get<double>();
                last.cosLoss = info.at("final").at("cos_loss").get<double>();
                last.mlmLoss = info.at("final").at("mlm_loss").get<double>();
            } catch (const std::exception&) {
                summary.warnings.push_back("cannot read the final losses from " +
                                           (o.outDir / "grammascope_localized.json").string());
            }
        }
        while (step < o.steps) {
            const auto rows = batchRows(step);
            const PairBatch b = makePairBatch(pairs, rows, padId, o.pooling);
            torch::manual_seed(o.seed * 1000003ull + static_cast<std::uint64_t>(step));
            const double lr = lrAt(step);
            for (auto& g : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
            std::int64_t tokens = b.realTokens;

            // MLM gradient, every mlmEvery steps (reused in between).
            if (o.wMlm > 0 && step % o.mlmEvery == 0) {
                const detail::MaskedBatch mb = detail::maskBatch(goodCorpus, rows, spec, o.seed, static_cast<std::uint64_t>(step));
                auto mbIds = mb.inputIds, mbMask = mb.attentionMask, mbPos = mb.maskedPositions, mbLab = mb.labels;
                auto ids = longTensor(mbIds, mb.rows, mb.width);
                auto mask = longTensor(mbMask, mb.rows, mb.width);
                const auto n = static_cast<std::int64_t>(mbPos.size());
                auto positions = torch::from_blob(mbPos.data(), {n}, torch::kLong).clone();
                auto labels = torch::from_blob(mbLab.data(), {n}, torch::kLong).clone();
                torch::Tensor additive;
                auto x = toLayer(ids, mask, additive);
                for (int l = layer + 1; l < config.numLayers; ++l) x = drop(enc.layer(l, x, additive, nullptr));
                auto flat = x.reshape({-1, config.hiddenSize}).index_select(0, positions);
                auto mlm = torch::nn::functional::cross_entropy(enc.mlmLogits(flat), labels);
                auto grads = torch::autograd::grad({mlm}, params);
                for (std::size_t i = 0; i < params.size(); ++i) mlmGrad[i] = grads[i].detach().clone();
                lastMlm = mlm.item<double>();
                tokens += mb.realTokens;
            }
            double cosValue = 0;
            std::vector<torch::Tensor> total(params.size());
            if (o.wCos > 0) {
                torch::Tensor addG, addB;
                auto hg = pooled(toLayer(b.goodIds, b.goodMask, addG), b.goodPool);
                auto hb = pooled(toLayer(b.badIds, b.badMask, addB), b.badPool);
                auto cos = torch::cosine_similarity(hg, hb, 1, 1e-8);
                auto loss = torch::relu(cos).mean();
                cosValue = loss.item<double>();
                auto grads = torch::autograd::grad({loss}, params, {}, false, false, true);
                for (std::size_t i = 0; i < params.size(); ++i)
                    total[i] = grads[i].defined() ? grads[i] * o.wCos : torch::zeros_like(params[i]);
            }
            for (std::size_t i = 0; i < params.size(); ++i) {
                if (!total[i].defined()) total[i] = torch::zeros_like(params[i]);
                if (o.wMlm > 0 && mlmGrad[i].defined()) total[i] = total[i] + mlmGrad[i] * o.wMlm;
                params[i].mutable_grad() = total[i];
            }
            if (o.clipNorm > 0) torch::nn::utils::clip_grad_norm_(params, o.clipNorm);
            optimizer.step();
            const double lossValue = o.wCos * cosValue + o.wMlm * lastMlm;
            if (!std::isfinite(lossValue))
                return Status::failed(stage + ": diverged at step " + std::to_string(step) +
                                      " (loss is not finite); the last saved state in " + trainDir.string() +
                                      " is intact: resume with a lower learning rate");
            if (std::isnan(firstCosRecorded)) firstCosRecorded = cosValue;
            if (summary.stepsThisCall == 0) summary.firstCosLoss = cosValue;
            ++step;
            ++summary.stepsThisCall;
            recentCos.push_back(cosValue);
            if (recentCos.size() > 50) recentCos.pop_front();
            windowTokens += tokens;

            const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
            const double windowSeconds = std::chrono::duration<double>(Clock::now() - windowStart).count();
            LocalizeTrainProgress p;
            p.step = step;
            p.totalSteps = o.steps;
            p.loss = lossValue;
            p.cosLoss = cosValue;
            p.mlmLoss = lastMlm;
            p.learningRate = lr;
            p.tokensPerSecond = windowSeconds > 0 ? static_cast<double>(windowTokens) / windowSeconds : 0;
            p.elapsedSeconds = elapsed;
            p.etaSeconds = elapsed / static_cast<double>(summary.stepsThisCall) * static_cast<double>(o.steps - step);
            if (windowSeconds > 2) {
                windowTokens = 0;
                windowStart = Clock::now();
            }
            last = p;
            log << json{{"step", step}, {"loss", lossValue}, {"cos_loss", cosValue}, {"mlm_loss", lastMlm}, {"lr", lr}}.dump()
                << "\n";
            if (!report(p)) stop = true;
            const bool done = step == o.steps;
            if (stop || done || (o.saveEvery > 0 && step % o.saveEvery == 0)) {
                log.flush();
                if (auto st = save(step, p); !st.isOk()) return st;
                message("saved state and checkpoint at step " + std::to_string(step));
            }
            if (stop) break;
        }
        summary.steps = step;
        summary.finalLoss = last.loss;
        summary.finalCosLoss = last.cosLoss;
        summary.finalMlmLoss = last.mlmLoss;
        if (!recentCos.empty())
            summary.meanCosLossLast = std::accumulate(recentCos.begin(), recentCos.end(), 0.0) / static_cast<double>(recentCos.size());
        summary.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (stop) return Status::cancelled("stopped at step " + std::to_string(step) + "; resume (--resume) to continue");
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
}

} // namespace gs
