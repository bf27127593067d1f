#include "grammascope/mlm_trainer.h"

#include "grammascope/sentencepiece_trainer.h"
#include "grammascope/weights.h"
#include "model/bert_encoder.h"
#include "train/encoder_params.h"
#include "train/mlm_data.h"
#include "util/atomic_file.h"
#include "util/cpu_threads.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

namespace gs {
namespace fs = std::filesystem;
using json = nlohmann::json;
using detail::BertEncoder;
using detail::EncoderWeights;
using detail::MaskedBatch;
using detail::MaskingSpec;
using detail::TokenizedCorpus;

namespace {

using Clock = std::chrono::steady_clock;

Status checkOptions(const MlmTrainOptions& o) {
    auto positive = [](std::int64_t v, const char* name) -> Status {
        return v > 0 ? Status::ok() : Status::failed(std::string(name) + " must be positive");
    };
    for (auto [v, name] : {std::pair{o.hiddenSize, "hidden size"}, {o.numLayers, "layer count"},
                           {o.numHeads, "head count"}, {o.intermediateSize, "intermediate size"},
                           {o.steps, "step count"}, {o.batchTokens, "batch token budget"}})
        if (auto st = positive(v, name); !st.isOk()) return st;
    if (o.hiddenSize % o.numHeads != 0) return Status::failed("hidden size must be divisible by the head count");
    if (o.maxLength < 8) return Status::failed("maximum length must be at least 8 tokens");
    if (o.batchTokens < o.maxLength)
        return Status::failed("batch token budget (" + std::to_string(o.batchTokens) +
                              ") must hold at least one sequence of the maximum length (" +
                              std::to_string(o.maxLength) + ")");
    if (o.maskProbability <= 0 || o.maskProbability >= 1) return Status::failed("mask probability must be in (0, 1)");
    if (o.dropout < 0 || o.dropout >= 1) return Status::failed("dropout must be in [0, 1)");
    if (o.learningRate <= 0) return Status::failed("learning rate must be positive");
    std::error_code ec;
    if (!fs::is_regular_file(o.corpus, ec)) return Status::failed("corpus file not found: " + o.corpus.string());
    if (!o.validation.empty() && !fs::is_regular_file(o.validation, ec))
        return Status::failed("validation file not found: " + o.validation.string());
    if (o.outDir.empty()) return Status::failed("no output folder given");
    return Status::ok();
}

json optionsToJson(const MlmTrainOptions& o) {
    return json{{"vocab_size", o.vocabSize}, {"hidden_size", o.hiddenSize}, {"num_layers", o.numLayers},
                {"num_heads", o.numHeads}, {"intermediate_size", o.intermediateSize},
                {"max_length", o.maxLength}, {"dropout", o.dropout}, {"steps", o.steps},
                {"batch_tokens", o.batchTokens}, {"learning_rate", o.learningRate},
                {"warmup_steps", o.warmupSteps}, {"weight_decay", o.weightDecay}, {"clip_norm", o.clipNorm},
                {"mask_probability", o.maskProbability},
                {"precision", o.precision == Precision::BFloat16 ? "bf16" : "fp32"}, {"seed", o.seed}};
}

MaskingSpec maskingFor(const Tokenizer& tok, double probability) {
    MaskingSpec spec;
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

struct BatchTensors {
    torch::Tensor ids, mask, positions, labels;
};

BatchTensors toTensors(const MaskedBatch& b) {
    auto opt = torch::TensorOptions().dtype(torch::kLong);
    BatchTensors t;
    t.ids = torch::from_blob(const_cast<std::int64_t*>(b.inputIds.data()), {b.rows, b.width}, opt).clone();
    t.mask = torch::from_blob(const_cast<std::int64_t*>(b.attentionMask.data()), {b.rows, b.width}, opt).clone();
    const auto n = static_cast<std::int64_t>(b.maskedPositions.size());
    t.positions = torch::from_blob(const_cast<std::int64_t*>(b.maskedPositions.data()), {n}, opt).clone();
    t.labels = torch::from_blob(const_cast<std::int64_t*>(b.labels.data()), {n}, opt).clone();
    return t;
}

// Logits at the masked positions only ([N, V], float32).
torch::Tensor maskedLogits(const BertEncoder& enc, const BatchTensors& t, const detail::LayerHook& hook) {
    detail::ForwardCapture cap;
    cap.hiddenStates = true;
    auto out = enc.forward(t.ids, t.mask, torch::Tensor(), cap, {}, hook);
    const auto H = enc.config().hiddenSize;
    auto flat = out.hidden.back().reshape({-1, H}).index_select(0, t.positions);
    return enc.mlmLogits(flat).to(torch::kFloat32);
}

MlmEvaluation evaluateCorpus(const BertEncoder& enc, const TokenizedCorpus& corpus, const MaskingSpec& spec,
                             std::uint64_t seed, std::int64_t batchTokens, const ProgressCallback& progress,
                             bool& cancelled) {
    c10::InferenceMode guard;
    MlmEvaluation ev;
    double lossSum = 0;
    std::int64_t correct = 0;
    const auto batches = detail::planEpoch(corpus, batchTokens, seed, 0);
    for (std::size_t i = 0; i < batches.size(); ++i) {
        if (progress && !progress(static_cast<std::int64_t>(i), static_cast<std::int64_t>(batches.size()))) {
            cancelled = true;
            return ev;
        }
        const MaskedBatch b = detail::maskBatch(corpus, batches[i], spec, seed, 0xE7A1000000ull + i);
        const BatchTensors t = toTensors(b);
        auto logits = maskedLogits(enc, t, {});
        lossSum += torch::nn::functional::cross_entropy(
                       logits, t.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        correct += logits.argmax(-1).eq(t.labels).sum().item<std::int64_t>();
        ev.maskedTokens += static_cast<std::int64_t>(b.labels.size());
        ev.sentences += b.rows;
    }
    if (ev.maskedTokens > 0) {
        ev.loss = lossSum / static_cast<double>(ev.maskedTokens);
        ev.accuracy = static_cast<double>(correct) / static_cast<double>(ev.maskedTokens);
    }
    return ev;
}

Status prepareTokenizer(const MlmTrainOptions& o, const MlmTrainCallback& cb) {
    std::error_code ec;
    fs::create_directories(o.outDir, ec);
    if (ec) return Status::failed("cannot create " + o.outDir.string() + ": " + ec.message());
    if (!o.tokenizerDir.empty()) {
        bool any = false;
        for (const char* name : {"vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
            if (fs::is_regular_file(o.tokenizerDir / name, ec)) {
                fs::copy_file(o.tokenizerDir / name, o.outDir / name, fs::copy_options::overwrite_existing, ec);
                if (ec) return Status::failed("cannot copy " + (o.tokenizerDir / name).string() + ": " + ec.message());
                any = true;
            }
        }
        for (const auto& e : fs::directory_iterator(o.tokenizerDir, ec)) {
            if (e.path().extension() == ".model") {
                fs::copy_file(e.path(), o.outDir / e.path().filename(), fs::copy_options::overwrite_existing, ec);
                any = true;
            }
        }
        if (!any) return Status::failed("no tokenizer files in " + o.tokenizerDir.string());
        return Status::ok();
    }
    if (cb) {
        MlmTrainProgress p;
        p.message = "training a SentencePiece tokenizer (" + std::to_string(o.vocabSize) + " pieces)";
        cb(p);
    }
    const fs::path prefix = o.outDir / "spm";
    const unsigned threads = o.threads > 0 ? static_cast<unsigned>(o.threads) : std::max(1u, std::thread::hardware_concurrency());
    Status st = trainSentencePiece("--input=" + o.corpus.string() + " --model_prefix=" + prefix.string() +
                                   " --vocab_size=" + std::to_string(o.vocabSize) +
                                   " --model_type=unigram --character_coverage=0.9995"
                                   " --user_defined_symbols=[CLS],[SEP],[PAD],[MASK]"
                                   " --input_sentence_size=2000000 --shuffle_input_sentence=true --hard_vocab_limit=false"
                                   " --num_threads=" + std::to_string(threads) + " --minloglevel=2");
    if (!st.isOk()) return st.withStage("training the tokenizer");
    fs::remove(prefix.string() + ".vocab", ec);
    if (st = forgetTrainerPaths(prefix.string() + ".model"); !st.isOk()) return st.withStage("training the tokenizer");
    const json cfg{{"do_lower_case", false}, {"cls_token", "[CLS]"}, {"sep_token", "[SEP]"},
                   {"pad_token", "[PAD]"}, {"mask_token", "[MASK]"}, {"unk_token", "<unk>"},
                   {"model_max_length", o.maxLength}};
    return detail::writeTextFileAtomically(o.outDir / "tokenizer_config.json", cfg.dump(2) + "\n");
}

struct RunState {
    std::int64_t step = 0, epoch = 0, cursor = 0;
};

} // namespace

Status trainMaskedLm(const MlmTrainOptions& o, const MlmTrainCallback& cb, MlmTrainSummary& summary) {
    summary = {};
    if (auto st = checkOptions(o); !st.isOk()) return st;
    const auto start = Clock::now();
    const fs::path trainDir = o.outDir / "training";
    const fs::path statePath = trainDir / "state.json";
    std::error_code ec;
    const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    detail::setCpuThreads(threads, o.precision != Precision::BFloat16);

    RunState rs;
    if (fs::exists(statePath, ec)) {
        if (!o.resume)
            return Status::failed(o.outDir.string() + " already holds a training run (" + statePath.string() +
                                  "); pass --resume to continue it or choose another folder");
        try {
            std::ifstream in(statePath);
            const json j = json::parse(in);
            const json saved = j.at("options");
            const json now = optionsToJson(o);
            for (const char* key : {"hidden_size", "num_layers", "num_heads", "intermediate_size", "max_length"})
                if (saved.at(key) != now.at(key))
                    return Status::failed(std::string("cannot resume: ") + key + " was " + saved.at(key).dump() +
                                          " in " + statePath.string() + ", now " + now.at(key).dump());
            rs.step = j.at("step").get<std::int64_t>();
            rs.epoch = j.at("epoch").get<std::int64_t>();
            rs.cursor = j.at("cursor").get<std::int64_t>();
        } catch (const std::exception& e) {
            return Status::failed("cannot read " + statePath.string() + ": " + e.what());
        }
    } else {
        if (auto st = prepareTokenizer(o, cb); !st.isOk()) return st;
    }
    fs::create_directories(trainDir, ec);

    std::unique_ptr<Tokenizer> tok;
    if (auto st = loadTokenizer(o.outDir, nullptr, tok); !st.isOk()) return st;
    const SpecialTokens& sp = tok->specialTokens();
    if (sp.mask < 0 || sp.cls < 0 || sp.sep < 0)
        return Status::failed("the tokenizer in " + o.outDir.string() + " has no [MASK] / [CLS] / [SEP] tokens");

    ModelConfig config;
    config.architecture = Architecture::Bert;
    config.modelType = "bert";
    config.hiddenSize = o.hiddenSize;
    config.numLayers = o.numLayers;
    config.numHeads = o.numHeads;
    config.intermediateSize = o.intermediateSize;
    config.maxPositionEmbeddings = o.maxLength;
    config.typeVocabSize = 2;
    config.vocabSize = tok->vocabSize();
    config.padTokenId = sp.pad >= 0 ? sp.pad : 0;
    config.layerNormEps = 1e-12;
    config.hiddenAct = Activation::Gelu;
    if (auto st = detail::writeTextFileAtomically(o.outDir / "config.json", modelConfigToJson(config)); !st.isOk()) return st;

    auto report = [&](MlmTrainProgress p) { return !cb || cb(p); };
    MlmTrainProgress stage;
    stage.message = "tokenizing " + o.corpus.string();
    report(stage);
    TokenizedCorpus train, valid;
    if (auto st = detail::tokenizeCorpus(o.corpus, *tok, o.maxLength, 0, train); !st.isOk()) return st;
    if (!o.validation.empty())
        if (auto st = detail::tokenizeCorpus(o.validation, *tok, o.maxLength, 0, valid); !st.isOk()) return st;
    TokenizedCorpus validSample = valid;
    if (o.evalSentences > 0 && static_cast<std::int64_t>(validSample.sequences.size()) > o.evalSentences)
        validSample.sequences.resize(static_cast<std::size_t>(o.evalSentences));

    EncoderWeights master;
    if (rs.step > 0) {
        WeightStore store;
        if (auto st = WeightStore::openFile(trainDir / "master.safetensors", store); !st.isOk()) return st;
        std::vector<std::string> unused;
        if (auto st = detail::loadEncoderWeights(store, config, true, master, unused, {}); !st.isOk())
            return st.withStage("resuming from " + (trainDir / "master.safetensors").string());
    } else {
        master = detail::initBertWeights(config, o.seed);
    }
    std::vector<torch::Tensor> decay, noDecay;
    detail::trainableParameters(master, decay, noDecay);
    std::vector<torch::Tensor> all = decay;
    all.insert(all.end(), noDecay.begin(), noDecay.end());
    for (const auto& t : all) summary.parameterCount += t.numel();

    using torch::optim::AdamW;
    using torch::optim::AdamWOptions;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<AdamWOptions>(AdamWOptions(o.learningRate).betas({0.9, 0.98}).eps(1e-6).weight_decay(o.weightDecay)));
    groups.emplace_back(noDecay, std::make_unique<AdamWOptions>(AdamWOptions(o.learningRate).betas({0.9, 0.98}).eps(1e-6).weight_decay(0.0)));
    AdamW optimizer(std::move(groups), AdamWOptions(o.learningRate));
    if (rs.step > 0) {
        try {
            torch::load(optimizer, (trainDir / "optimizer.pt").string());
        } catch (const std::exception& e) {
            return Status::failed("cannot read optimizer state " + (trainDir / "optimizer.pt").string() + ": " + e.what());
        }
    }

    const MaskingSpec spec = maskingFor(*tok, o.maskProbability);
    const torch::ScalarType computeType = o.precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
    auto lrAt = [&](std::int64_t step) {
        if (o.warmupSteps > 0 && step < o.warmupSteps) return o.learningRate * static_cast<double>(step + 1) / static_cast<double>(o.warmupSteps);
        const double span = static_cast<double>(std::max<std::int64_t>(1, o.steps - o.warmupSteps));
        return o.learningRate * std::max(0.0, 1.0 - static_cast<double>(step - o.warmupSteps) / span);
    };

    auto evaluate = [&](const TokenizedCorpus& c, bool& cancelled) {
        BertEncoder enc(config, detail::castForCompute(master, computeType));
        return evaluateCorpus(enc, c, spec, o.seed, o.batchTokens, {}, cancelled);
    };

    std::ofstream log(trainDir / "log.jsonl", std::ios::app);
    auto save = [&](const RunState& s) -> Status {
        if (auto st = detail::saveBertSafetensors(master, config, trainDir / "master.safetensors", DType::F32); !st.isOk()) return st;
        try {
            torch::save(optimizer, (trainDir / "optimizer.pt.tmp").string());
        } catch (const std::exception& e) {
            return Status::failed("cannot save optimizer state in " + trainDir.string() + ": " + e.what());
        }
        fs::rename(trainDir / "optimizer.pt.tmp", trainDir / "optimizer.pt", ec);
        if (ec) return Status::failed("cannot save optimizer state: " + ec.message());
        json j{{"step", s.step}, {"epoch", s.epoch}, {"cursor", s.cursor}, {"options", optionsToJson(o)},
               {"corpus", o.corpus.string()}, {"train_sentences", train.sequences.size()}, {"train_tokens", train.tokens}};
        if (auto st = detail::writeTextFileAtomically(statePath, j.dump(2) + "\n"); !st.isOk()) return st;
        // The exported checkpoint: what Model::load() opens.
        return detail::saveBertSafetensors(master, config, o.outDir / "model.safetensors", DType::F32);
    };

    auto batches = detail::planEpoch(train, o.batchTokens, o.seed, rs.epoch);
    double emaLoss = 0;
    std::int64_t windowTokens = 0;
    auto windowStart = Clock::now();
    const std::int64_t firstStep = rs.step;
    bool stopRequested = false;
    auto dropoutHook = [&](int, const torch::Tensor& h) {
        return o.dropout > 0 ? torch::dropout(h, o.dropout, true) : torch::Tensor();
    };

    while (rs.step < o.steps) {
        if (rs.cursor >= static_cast<std::int64_t>(batches.size())) {
            ++rs.epoch;
            rs.cursor = 0;
            batches = detail::planEpoch(train, o.batchTokens, o.seed, rs.epoch);
        }
        const MaskedBatch b = detail::maskBatch(train, batches[static_cast<std::size_t>(rs.cursor)], spec, o.seed,
                                                static_cast<std::uint64_t>(rs.step));
        ++rs.cursor;
        torch::manual_seed(o.seed * 1000003ull + static_cast<std::uint64_t>(rs.step));
        const double lr = lrAt(rs.step);
        for (auto& g : optimizer.param_groups()) static_cast<AdamWOptions&>(g.options()).lr(lr);

        const BatchTensors t = toTensors(b);
        BertEncoder enc(config, computeType == torch::kFloat32 ? master : detail::castForCompute(master, computeType));
        auto logits = maskedLogits(enc, t, dropoutHook);
        auto loss = torch::nn::functional::cross_entropy(logits, t.labels);
        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(all, o.clipNorm);
        optimizer.step();
        const double lossValue = loss.item<double>();
        if (!std::isfinite(lossValue)) {
            return Status::failed("training diverged at step " + std::to_string(rs.step) +
                                  " (loss is not finite); the last checkpoint in " + trainDir.string() +
                                  " is intact: resume with a lower learning rate");
        }
        emaLoss = rs.step == firstStep ? lossValue : 0.98 * emaLoss + 0.02 * lossValue;
        ++rs.step;
        ++summary.steps;
        summary.trainTokens += b.realTokens;
        windowTokens += b.realTokens;

        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const bool timeUp = o.timeLimitSeconds > 0 && elapsed >= o.timeLimitSeconds;
        const bool last = rs.step == o.steps;
        const bool doEval = !valid.sequences.empty() && o.evalEvery > 0 && rs.step % o.evalEvery == 0 && !last;
        const bool doReport = rs.step % 20 == 0 || doEval || last || timeUp;
        MlmTrainProgress p;
        if (doReport) {
            const double windowSeconds = std::chrono::duration<double>(Clock::now() - windowStart).count();
            p.step = rs.step;
            p.totalSteps = o.steps;
            p.epoch = rs.epoch;
            p.loss = emaLoss;
            p.learningRate = lr;
            p.tokensPerSecond = windowSeconds > 0 ? static_cast<double>(windowTokens) / windowSeconds : 0;
            p.elapsedSeconds = elapsed;
            const double perStep = elapsed / static_cast<double>(rs.step - firstStep);
            p.etaSeconds = perStep * static_cast<double>(o.steps - rs.step);
            if (doEval) {
                bool cancelled = false;
                const MlmEvaluation ev = evaluate(validSample, cancelled);
                p.evaluated = true;
                p.validLoss = ev.loss;
                p.validAccuracy = ev.accuracy;
            }
            json entry{{"step", p.step}, {"epoch", p.epoch}, {"loss", p.loss}, {"lr", lr},
                       {"tokens_per_second", p.tokensPerSecond}, {"elapsed", elapsed}};
            if (p.evaluated) {
                entry["valid_loss"] = p.validLoss;
                entry["valid_accuracy"] = p.validAccuracy;
            }
            log << entry.dump() << "\n" << std::flush;
            windowTokens = 0;
            windowStart = Clock::now();
            if (!report(p)) stopRequested = true;
        } else {
            MlmTrainProgress beat;
            beat.heartbeat = true;
            beat.step = rs.step;
            beat.totalSteps = o.steps;
            if (!report(beat)) stopRequested = true;
        }
        if (stopRequested || timeUp || last || (o.saveEvery > 0 && rs.step % o.saveEvery == 0)) {
            if (auto st = save(rs); !st.isOk()) return st;
            MlmTrainProgress saved;
            saved.step = rs.step;
            saved.totalSteps = o.steps;
            saved.message = "saved checkpoint at step " + std::to_string(rs.step);
            report(saved);
        }
        if (stopRequested) {
            summary.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
            return Status::cancelled("stopped at step " + std::to_string(rs.step) + "; resume with --resume");
        }
        if (timeUp) break;
    }

    if (!valid.sequences.empty()) {
        MlmTrainProgress p;
        p.message = "evaluating on " + std::to_string(valid.sequences.size()) + " held-out sentences";
        report(p);
        bool cancelled = false;
        summary.validation = evaluate(valid, cancelled);
    }
    summary.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    return Status::ok();
}

Status evaluateMaskedLm(const fs::path& modelDir, const fs::path& sentences, std::uint64_t seed,
                        std::int64_t maxSentences, const ModelOptions& options, MlmEvaluation& out,
                        const ProgressCallback& progress) {
    out = {};
    ModelConfig config;
    if (auto st = loadModelConfig(modelDir, config); !st.isOk()) return st;
    std::unique_ptr<Tokenizer> tok;
    if (auto st = loadTokenizer(modelDir, &config, tok); !st.isOk()) return st;
    WeightStore store;
    if (auto st = WeightStore::openDirectory(modelDir, store); !st.isOk()) return st;
    EncoderWeights w;
    std::vector<std::string> unused;
    if (auto st = detail::loadEncoderWeights(store, config, true, w, unused, {}); !st.isOk()) return st;
    if (!w.hasMlmHead) return Status::failed(modelDir.string() + " has no MLM head");
    if (tok->specialTokens().mask < 0) return Status::failed("the tokenizer in " + modelDir.string() + " has no mask token");
    detail::setCpuThreads(options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())),
                          options.precision != Precision::BFloat16);
    detail::moveEncoderWeights(w, torch::kCPU, options.precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat32);
    TokenizedCorpus corpus;
    if (auto st = detail::tokenizeCorpus(sentences, *tok, config.maxSequenceLength(), maxSentences, corpus); !st.isOk())
        return st;
    BertEncoder enc(config, std::move(w));
    bool cancelled = false;
    out = evaluateCorpus(enc, corpus, maskingFor(*tok, 0.15), seed, 8192, progress, cancelled);
    return cancelled ? Status::cancelled() : Status::ok();
}

} // namespace gs
