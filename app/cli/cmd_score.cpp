// grammascope-cli score: minimal-pair accuracy from pseudo-log-likelihoods
// (PLL, PLL-word-l2r) next to a unigram frequency baseline.
// grammascope-cli unigram: counts the model's own tokens on a corpus once.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/status_line.h"
#include "cli/dataset_options.h"
#include "cli/model_options.h"
#include "cli/score_report.h"
#include "grammascope/model_config.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace gs::cli {
namespace {

const char* kScoreHelp =
    "usage: grammascope-cli score --model DIR --pairs FILE [--pairs FILE2 ...] [options]\n"
    "\n"
    "Scores both sentences of every minimal pair with the model's pseudo-log-likelihood\n"
    "(each token masked in turn) and prints, per phenomenon, the share of pairs whose good\n"
    "sentence scores higher (ties count as wrong) with its 95%% Wilson interval, next to a\n"
    "unigram frequency baseline, and the same accuracy on the pairs where that baseline\n"
    "prefers the bad sentence or ties (frequency alone gets 0%% of them, so what the model\n"
    "gets right there comes from context). Pair files are CSV in Grammascope's schema\n"
    "(id,phenomenon,good,bad,good_word,bad_word,word_index) or RuBLiMP's (source_sentence =\n"
    "good, target_sentence = bad, phenomenon = PID), BLiMP JSON Lines (sentence_good,\n"
    "sentence_bad, UID), or any CSV / TSV with --columns. A file with invalid records is an\n"
    "error unless --skip-invalid ('grammascope-cli pairs stats FILE' lists its issues).\n"
    "Ctrl+C cancels (exit code 130).\n"
    "\n"
    "options:\n"
    "%s"
    "  --pairs FILE         a file of pairs; repeat it, or list more files after it\n"
    "%s"
    "  --metric M           pll, pll-word-l2r or both (default both; pll with --rublimp)\n"
    "  --rublimp            RuBLiMP's scorer: plain PLL, sentence score -exp(-PLL/N)\n"
    "  --unigram FILE       unigram counts made by 'grammascope-cli unigram' (default:\n"
    "                       DIR/unigram.json when it exists)\n"
    "  --corpus TXT         count the unigram baseline on this corpus (one sentence per line)\n"
    "  --no-unigram         no frequency baseline\n"
    "  --batch N            masked copies per forward pass (default 32)\n"
    "  --limit N            score only the first N pairs of each file\n"
    "  --fail-too-long      stop at a sentence longer than the model maximum (default: skip\n"
    "                       the pair with a warning)\n"
    "  --json               JSON with per-sentence scores instead of a table\n"
    "  --per-token          with --json: add every token's log-probabilities\n"
    "  --out FILE           write the table or JSON to FILE instead of standard output\n";

const char* kUnigramHelp =
    "usage: grammascope-cli unigram --model DIR --corpus TXT [--out FILE]\n"
    "\n"
    "Counts the model's own tokens on a corpus (one sentence per line, tokenized with the\n"
    "model's tokenizer, specials excluded) and saves the counts as the frequency baseline of\n"
    "'grammascope-cli score' (log p with add-one smoothing over the vocabulary).\n"
    "\n"
    "options:\n"
    "  --model DIR          Hugging Face checkpoint folder (only its tokenizer is read)\n"
    "  --corpus TXT         UTF-8 text, one sentence per line\n"
    "  --out FILE           where to write the counts (default DIR/unigram.json)\n";


// Progress on stderr: a self-overwriting line on a terminal, an occasional
// line otherwise. Also the point where an interrupt becomes a cancel.
class ProgressMeter {
public:
    ProgressMeter(std::string what, std::string unit, double unitScale = 1.0)
        : m_what(std::move(what)), m_unit(std::move(unit)), m_scale(unitScale), m_start(Clock::now()) {}

    bool update(std::int64_t done, std::int64_t total) {
        if (interrupted()) return false;
        const bool last = done >= total;
        if (last && m_finished) return true;  // the end is reported once
        if (!m_line.due(last)) return true;
        m_finished = last;
        print(done, total);
        return true;
    }

    void finish() { m_line.finish(); }

    double seconds() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

private:
    using Clock = std::chrono::steady_clock;

    void print(std::int64_t done, std::int64_t total) {
        const double elapsed = seconds();
        const double rate = elapsed > 0 ? static_cast<double>(done) / m_scale / elapsed : 0;
        char line[200];
        int n = std::snprintf(line, sizeof line, "%s: %.*f/%.*f %s (%.0f%%)", m_what.c_str(), m_scale > 1 ? 1 : 0,
                              static_cast<double>(done) / m_scale, m_scale > 1 ? 1 : 0,
                              static_cast<double>(total) / m_scale, m_unit.c_str(),
                              total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 0.0);
        if (done > 0 && rate > 0 && n > 0 && n < static_cast<int>(sizeof line)) {
            const auto eta = static_cast<long>(static_cast<double>(total - done) / m_scale / rate);
            std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), ", %.1f %s/s, ETA %ld:%02ld:%02ld", rate,
                          m_unit.c_str(), eta / 3600, eta / 60 % 60, eta % 60);
        }
        m_line.show(line);
    }

    std::string m_what, m_unit;
    double m_scale;
    StatusLine m_line;
    bool m_finished = false;
    Clock::time_point m_start;
};

int fail(const Status& st) {
    std::cerr << (st.isCancelled() ? "cancelled" : "error: " + st.message()) << "\n";
    return st.isCancelled() ? 130 : 1;
}

int usage(const std::string& message) { return usageError("score", message); }

bool writeOutput(Args& args, const std::string& text) {
    if (!args.has("out")) {
        std::cout << text;
        return true;
    }
    const std::string file = args.value("out");
    std::ofstream o(file, std::ios::binary | std::ios::trunc);
    o << text;
    if (!o) {
        std::cerr << "error: cannot write " << file << "\n";
        return false;
    }
    std::cerr << "wrote " << file << "\n";
    return true;
}

// Reads the pair files (before the model, so that a typo fails fast).
int readPairs(const std::vector<std::string>& files, const DatasetReadOptions& options, bool skipInvalid, int limit,
              ScoreRun& run) {
    for (const auto& file : files) {
        Dataset dataset;
        if (int rc = loadDataset(file, options, skipInvalid, dataset)) return rc;
        if (dataset.singleSentences()) {
            std::cerr << "error: " << file << " holds single sentences (" << datasetFormatName(dataset.format)
                      << "), not minimal pairs: score compares the two sentences of a pair\n";
            return 1;
        }
        std::size_t take = 0;
        for (const auto& item : dataset.items) {
            if (limit > 0 && take == static_cast<std::size_t>(limit)) break;
            // A file may mix pairs and single sentences; only pairs can be scored.
            if (!item.isPair()) continue;
            run.pairs.push_back(toMinimalPair(item));
            run.pairFile.push_back(run.files.size());
            run.pairLine.push_back(item.line);
            ++take;
        }
        const PairsSchema schema = dataset.format == DatasetFormat::RublimpCsv ? PairsSchema::Rublimp : PairsSchema::Grammascope;
        run.files.push_back({file, schema, take, datasetFormatName(dataset.format)});
    }
    if (run.pairs.empty()) return usage("the pair files hold no pairs");
    return 0;
}

// The unigram baseline: --unigram FILE, --corpus TXT, or DIR/unigram.json when present.
int prepareUnigram(Args& args, ScoreRun& run) {
    const Tokenizer& tokenizer = run.model->tokenizer();
    if (args.has("corpus")) {
        ProgressMeter meter("counting unigrams", "MB", 1e6);
        auto u = std::make_unique<UnigramModel>();
        Status st = estimateUnigramFromFile(tokenizer, args.value("corpus"), *u,
                                            [&](std::int64_t d, std::int64_t t) { return meter.update(d, t); });
        meter.finish();
        if (!st.isOk()) return fail(st);
        run.unigram = std::move(u);
        run.unigramSource = "counted on " + args.value("corpus");
        return 0;
    }
    std::filesystem::path file;
    bool explicitFile = args.has("unigram");
    if (explicitFile) file = args.value("unigram");
    else file = std::filesystem::path(args.value("model")) / "unigram.json";
    if (!explicitFile && !std::filesystem::exists(file)) return 0;
    auto u = std::make_unique<UnigramModel>();
    Status st = loadUnigram(file, *u);
    if (st.isOk()) st = checkUnigramMatches(*u, tokenizer).withStage("unigram baseline " + file.string());
    if (!st.isOk()) {
        if (explicitFile) return fail(st);
        std::cerr << "warning: " << st.message() << "; no unigram baseline\n";
        return 0;
    }
    run.unigram = std::move(u);
    run.unigramSource = file.string();
    return 0;
}

} // namespace

int runScore(int argc, char** argv) {
    std::set<std::string> valued = kModelValuedOptions;
    valued.insert({"pairs", "metric", "unigram", "corpus", "batch", "limit", "out"});
    valued.insert(kDatasetValuedOptions.begin(), kDatasetValuedOptions.end());
    std::set<std::string> flags = kDatasetFlagOptions;
    flags.insert({"rublimp", "json", "per-token", "fail-too-long", "no-unigram", "help"});
    Args args(argc, argv, 2, valued, flags);
    if (args.has("help")) {
        std::printf(kScoreHelp, kModelOptionsHelp, kDatasetOptionsHelp);
        return 0;
    }
    if (!args.ok()) return usage(args.error());
    DatasetReadOptions readOptions;
    if (std::string error; !parseDatasetOptions(args, readOptions, error)) return usage(error);
    const std::vector<std::string> files = repeatedOptionValues(argc, argv, 2, "pairs", valued);
    if (files.empty()) return usage("give the pairs with --pairs FILE");

    ScoreRun run;
    EvaluationOptions& eo = run.options;
    eo.rublimpScore = args.has("rublimp");
    const std::string metric = args.value("metric", eo.rublimpScore ? "pll" : "both");
    if (metric == "pll") eo.scoring.pll = true, eo.scoring.wordL2r = false;
    else if (metric == "pll-word-l2r") eo.scoring.pll = false, eo.scoring.wordL2r = true;
    else if (metric == "both") eo.scoring.pll = true, eo.scoring.wordL2r = true;
    else return usage("--metric must be pll, pll-word-l2r or both, got '" + metric + "'");
    if (eo.rublimpScore && metric != "pll") return usage("--rublimp scores with plain PLL (--metric pll)");
    eo.scoring.batchSize = args.intValue("batch", 32);
    const int limit = args.intValue("limit", 0);
    if (!args.ok()) return usage(args.error());
    if (eo.scoring.batchSize < 1) return usage("--batch must be at least 1");
    if (limit < 0) return usage("--limit must be positive");
    const bool json = args.has("json");
    eo.scoring.perToken = args.has("per-token");
    if (eo.scoring.perToken && !json) return usage("--per-token needs --json");
    eo.scoring.skipTooLong = !args.has("fail-too-long");
    const int sources = args.has("unigram") + args.has("corpus") + args.has("no-unigram");
    if (sources > 1) return usage("give at most one of --unigram, --corpus and --no-unigram");

    if (int rc = readPairs(files, readOptions, args.has("skip-invalid"), limit, run)) return rc;
    if (int rc = openModel(args, run.model)) return rc;
    if (!run.model->info().hasMlmHead) {
        std::cerr << "error: " << args.value("model") << " has no MLM head: pseudo-log-likelihood needs one\n";
        return 1;
    }
    installInterruptHandler();
    if (!args.has("no-unigram")) {
        if (int rc = prepareUnigram(args, run)) return rc;
    }

    ProgressMeter meter("scoring", "pairs");
    PairEvaluation ev;
    Status st = evaluatePairs(*run.model, run.pairs, eo, run.unigram.get(), ev,
                              [&](std::int64_t d, std::int64_t t) { return meter.update(d, t); });
    meter.finish();
    if (!st.isOk()) return fail(st);
    run.seconds = meter.seconds();
    run.evaluation = std::move(ev);
    const auto& warnings = run.evaluation.warnings;
    for (std::size_t i = 0; i < warnings.size() && i < 10; ++i) std::cerr << "warning: " << warnings[i] << "\n";
    if (warnings.size() > 10) std::cerr << "warning: … and " << warnings.size() - 10 << " more\n";

    const std::string text = json ? scoreJson(run, eo.scoring.perToken).dump(2) + "\n" : scoreTable(run);
    return writeOutput(args, text) ? 0 : 1;
}

int runUnigram(int argc, char** argv) {
    Args args(argc, argv, 2, {"model", "corpus", "out"}, {"help"});
    if (args.has("help")) {
        std::fputs(kUnigramHelp, stdout);
        return 0;
    }
    if (!args.ok()) return usageError("unigram", args.error());
    if (!args.has("model") || !args.has("corpus")) return usageError("unigram", "--model DIR and --corpus TXT are required");
    const std::filesystem::path dir = args.value("model");
    const std::filesystem::path out = args.has("out") ? std::filesystem::path(args.value("out")) : dir / "unigram.json";

    // Only the tokenizer matters: the weights are not read.
    ModelConfig config;
    Status st = loadModelConfig(dir, config);
    if (!st.isOk()) return fail(st.withStage("reading config.json"));
    std::unique_ptr<Tokenizer> tokenizer;
    st = loadTokenizer(dir, &config, tokenizer);
    if (!st.isOk()) return fail(st.withStage("loading tokenizer"));
    for (const auto& w : tokenizer->loadWarnings()) std::cerr << "warning: " << w << "\n";

    installInterruptHandler();
    ProgressMeter meter("counting unigrams", "MB", 1e6);
    UnigramModel u;
    st = estimateUnigramFromFile(*tokenizer, args.value("corpus"), u,
                                 [&](std::int64_t d, std::int64_t t) { return meter.update(d, t); });
    meter.finish();
    if (!st.isOk()) return fail(st);
    st = saveUnigram(u, out);
    if (!st.isOk()) return fail(st);
    std::int64_t seen = 0;
    for (auto c : u.counts) seen += c > 0;
    std::printf("%s: %lld tokens in %lld sentences, %lld of %lld pieces seen (%s)\n", out.string().c_str(),
                static_cast<long long>(u.totalTokens), static_cast<long long>(u.sentences),
                static_cast<long long>(seen), static_cast<long long>(u.supportSize()), u.tokenizer.c_str());
    return 0;
}

} // namespace gs::cli
