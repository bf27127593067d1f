// grammascope-cli train-mlm / eval-mlm: masked-LM pretraining of a BERT encoder
// and its held-out evaluation.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/model_options.h"
#include "grammascope/mlm_trainer.h"
#include "grammascope/scoring.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace gs::cli {
namespace {

const char* kTrainHelp =
    "usage: grammascope-cli train-mlm --corpus FILE --out DIR [options]\n"
    "\n"
    "Trains a BERT masked language model from scratch (15% masking, 80/10/10 rule,\n"
    "AdamW with warm-up and linear decay, gradient clipping). The output folder is a\n"
    "Hugging Face checkpoint; DIR/training/ holds what --resume needs. Ctrl+C stops\n"
    "after saving a checkpoint.\n"
    "\n"
    "  --corpus FILE        training sentences, one per line (UTF-8)\n"
    "  --valid FILE         held-out sentences for evaluation\n"
    "  --out DIR            output checkpoint folder\n"
    "  --tokenizer DIR      reuse the tokenizer of this folder (default: train SentencePiece)\n"
    "  --resume             continue the run saved in DIR/training\n"
    "  --vocab N            SentencePiece vocabulary size (8000)\n"
    "  --hidden N --layers N --heads N --intermediate N   architecture (256, 4, 4, 1024)\n"
    "  --max-length N       tokens per sequence with specials (128)\n"
    "  --dropout X          (0.1)\n"
    "  --steps N            optimizer steps (10000)\n"
    "  --batch-tokens N     tokens per batch, padding included (4096)\n"
    "  --lr X --warmup N --weight-decay X --clip X   (1e-3, 500, 0.01, 1.0)\n"
    "  --precision P        fp32 (default) or bf16 compute (float32 master weights)\n"
    "  --threads N          intra-op threads (default: all cores)\n"
    "  --seed N             (1)\n"
    "  --eval-every N --save-every N   steps (1000, 1000)\n"
    "  --time-limit MIN     stop with a checkpoint after this many minutes\n"
    "  --summary FILE       write the final summary as JSON\n";

bool parseNumber(Args& args, const char* name, double& out, std::string& error) {
    if (!args.has(name)) return true;
    const std::string v = args.value(name);
    try {
        std::size_t used = 0;
        out = std::stod(v, &used);
        if (used != v.size()) throw std::invalid_argument(v);
        return true;
    } catch (const std::exception&) {
        error = "--" + std::string(name) + " expects a number, got '" + v + "'";
        return false;
    }
}

bool parseCount(Args& args, const char* name, std::int64_t& out, std::string& error) {
    double v = static_cast<double>(out);
    if (!parseNumber(args, name, v, error)) return false;
    if (v < 0 || v != static_cast<double>(static_cast<std::int64_t>(v))) {
        error = "--" + std::string(name) + " expects a non-negative integer";
        return false;
    }
    out = static_cast<std::int64_t>(v);
    return true;
}

std::string duration(double seconds) {
    const auto s = static_cast<long>(seconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}

} // namespace

int runTrainMlm(int argc, char** argv) {
    Args args(argc, argv, 2,
              {"corpus", "valid", "out", "tokenizer", "vocab", "hidden", "layers", "heads", "intermediate",
               "max-length", "dropout", "steps", "batch-tokens", "lr", "warmup", "weight-decay", "clip", "precision",
               "threads", "seed", "eval-every", "save-every", "time-limit", "summary", "eval-sentences"},
              {"resume", "help"});
    if (args.has("help")) {
        std::fputs(kTrainHelp, stdout);
        return 0;
    }
    if (!args.ok()) {
        std::cerr << "error: " << args.error() << "\n";
        return 2;
    }
    MlmTrainOptions o;
    o.corpus = args.value("corpus");
    o.validation = args.value("valid");
    o.outDir = args.value("out");
    o.tokenizerDir = args.value("tokenizer");
    o.resume = args.has("resume");
    std::string error;
    double timeLimit = 0, seed = 1;
    const bool ok = parseCount(args, "vocab", o.vocabSize, error) && parseCount(args, "hidden", o.hiddenSize, error) &&
                    parseCount(args, "layers", o.numLayers, error) && parseCount(args, "heads", o.numHeads, error) &&
                    parseCount(args, "intermediate", o.intermediateSize, error) &&
                    parseCount(args, "max-length", o.maxLength, error) && parseNumber(args, "dropout", o.dropout, error) &&
                    parseCount(args, "steps", o.steps, error) && parseCount(args, "batch-tokens", o.batchTokens, error) &&
                    parseNumber(args, "lr", o.learningRate, error) && parseCount(args, "warmup", o.warmupSteps, error) &&
                    parseNumber(args, "weight-decay", o.weightDecay, error) && parseNumber(args, "clip", o.clipNorm, error) &&
                    parseCount(args, "eval-every", o.evalEvery, error) && parseCount(args, "save-every", o.saveEvery, error) &&
                    parseCount(args, "eval-sentences", o.evalSentences, error) &&
                    parseNumber(args, "time-limit", timeLimit, error) && parseNumber(args, "seed", seed, error);
    if (!ok) {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    if (o.corpus.empty() || o.outDir.empty()) {
        std::cerr << "error: --corpus and --out are required\n\n" << kTrainHelp;
        return 2;
    }
    o.seed = static_cast<std::uint64_t>(seed);
    o.timeLimitSeconds = timeLimit * 60.0;
    o.threads = args.intValue("threads", 0);
    const std::string precision = args.value("precision", "fp32");
    if (precision == "bf16") o.precision = Precision::BFloat16;
    else if (precision != "fp32") {
        std::cerr << "error: --precision expects fp32 or bf16, got '" << precision << "'\n";
        return 2;
    }
    if (!args.ok()) {
        std::cerr << "error: " << args.error() << "\n";
        return 2;
    }

    installInterruptHandler();
    MlmTrainSummary summary;
    const Status st = trainMaskedLm(o, [](const MlmTrainProgress& p) {
        if (p.heartbeat) return !interrupted();
        if (!p.message.empty()) {
            std::fprintf(stderr, "%s\n", p.message.c_str());
        } else {
            std::fprintf(stderr, "step %lld/%lld  epoch %lld  loss %.4f  lr %.2e  %.0f tok/s  elapsed %s  eta %s",
                         static_cast<long long>(p.step), static_cast<long long>(p.totalSteps),
                         static_cast<long long>(p.epoch), p.loss, p.learningRate, p.tokensPerSecond,
                         duration(p.elapsedSeconds).c_str(), duration(p.etaSeconds).c_str());
            if (p.evaluated) std::fprintf(stderr, "  valid loss %.4f acc %.4f", p.validLoss, p.validAccuracy);
            std::fprintf(stderr, "\n");
        }
        return !interrupted();
    }, summary);
    if (st.isCancelled()) {
        std::cerr << st.message() << "\n";
        return 130;
    }
    if (!st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    const nlohmann::json j{{"steps", summary.steps}, {"train_tokens", summary.trainTokens},
                           {"wall_seconds", summary.wallSeconds}, {"parameters", summary.parameterCount},
                           {"valid_sentences", summary.validation.sentences},
                           {"valid_masked_tokens", summary.validation.maskedTokens},
                           {"valid_loss", summary.validation.loss}, {"valid_accuracy", summary.validation.accuracy}};
    std::cout << j.dump(2) << "\n";
    if (args.has("summary")) {
        std::ofstream out(args.value("summary"));
        out << j.dump(2) << "\n";
        if (!out) {
            std::cerr << "error: cannot write " << args.value("summary") << "\n";
            return 1;
        }
    }
    return 0;
}

int runEvalMlm(int argc, char** argv) {
    auto valued = kModelValuedOptions;
    valued.insert({"sentences", "seed", "limit", "pppl"});
    Args args(argc, argv, 2, valued, {"json", "help"});
    if (args.has("help")) {
        std::printf("usage: grammascope-cli eval-mlm --model DIR --sentences FILE [--seed N] [--limit N] [--pppl N]\n\n"
                    "Held-out masked-LM loss (nats per masked token), perplexity and accuracy with\n"
                    "BERT's 15%% masking drawn from the seed. --pppl N adds the pseudo-perplexity\n"
                    "exp(-sum PLL / tokens) of the first N sentences (every token masked in turn).\n\n%s",
                    kModelOptionsHelp);
        return 0;
    }
    ModelOptions mo;
    std::string error;
    if (!args.ok() || !parseModelOptions(args, mo, error)) {
        std::cerr << "error: " << (args.ok() ? error : args.error()) << "\n";
        return 2;
    }
    const int seed = args.intValue("seed", 1), limit = args.intValue("limit", 0), pppl = args.intValue("pppl", 0);
    if (!args.ok() || !args.has("model") || !args.has("sentences")) {
        std::cerr << "error: " << (args.ok() ? "--model and --sentences are required" : args.error()) << "\n";
        return 2;
    }
    MlmEvaluation ev;
    const Status st = evaluateMaskedLm(args.value("model"), args.value("sentences"), static_cast<std::uint64_t>(seed),
                                       limit, mo, ev);
    if (!st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    nlohmann::json j{{"sentences", ev.sentences}, {"masked_tokens", ev.maskedTokens}, {"loss", ev.loss},
                     {"perplexity", std::exp(ev.loss)}, {"accuracy", ev.accuracy}};
    if (pppl > 0) {
        std::vector<std::string> lines;
        std::ifstream in(args.value("sentences"));
        for (std::string line; static_cast<int>(lines.size()) < pppl && std::getline(in, line);)
            if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
        std::shared_ptr<const Model> model;
        if (int rc = openModel(args, model)) return rc;
        ScoringOptions so;
        so.batchSize = 64;
        std::vector<SentenceScore> scores;
        if (Status s = scoreSentences(*model, lines, so, scores); !s.isOk()) {
            std::cerr << "error: " << s.message() << "\n";
            return 1;
        }
        double sum = 0;
        std::int64_t tokens = 0, scored = 0;
        for (const auto& s : scores)
            if (!s.skipped) sum += s.pll, tokens += s.numTokens, ++scored;
        j["pppl_sentences"] = scored;
        j["pppl_tokens"] = tokens;
        j["pseudo_perplexity"] = pseudoPerplexity(sum, tokens);
    }
    std::cout << j.dump(2) << "\n";
    return 0;
}

} // namespace gs::cli
