// grammascope-cli run: the batch side of the analysis engine. Fills the same
// results store the GUI reads; a rerun computes only what is missing, so an
// interrupted (or killed) run resumes where it stopped.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/status_line.h"
#include "cli/dataset_options.h"
#include "cli/dataset_session.h"
#include "cli/model_options.h"
#include "cli/store_options.h"
#include "grammascope/analysis_engine.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace gs::cli {
namespace {

const char* kRunHelp =
    "usage: grammascope-cli run --model DIR --pairs FILE --analyses LIST [options]\n"
    "\n"
    "Runs analyses over every sentence of a dataset (both sides of every pair, identical\n"
    "sentences once) and saves one token x layer matrix per sentence and analysis in the\n"
    "results store. Results already there are not computed again; a change of model,\n"
    "precision or maximum length computes anew. Sentences are sorted by length and run in\n"
    "padded batches; each batch is saved before the next starts, so Ctrl+C (exit code 130)\n"
    "or a killed process loses at most one batch, and the same command resumes.\n"
    "\n"
    "analyses: hidden-norm, cosine-to-last, change-from-previous, surprisal (needs an MLM\n"
    "head), or all; comma-separated, underscores accepted.\n"
    "\n"
    "options:\n"
    "%s"
    "  --pairs FILE         the dataset (any format 'pairs stats' reads)\n"
    "%s"
    "  --analyses LIST      what to compute (default: hidden-norm)\n"
    "%s"
    "  --max-length N       truncate sentences to N tokens, specials included (default: the\n"
    "                       model maximum); part of the result's identity\n"
    "  --batch-tokens N     padded tokens per forward pass (default 8192)\n"
    "  --batch-size N       sentences per batch at most (default 128)\n"
    "  --json               print the summary as JSON on standard output\n";


int usage(const std::string& message) { return usageError("run", message); }

std::string formatClock(double seconds) {
    if (seconds < 0) return "--:--:--";
    const auto s = static_cast<long>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

// The progress line on stderr: rewritten in place on a terminal, one line
// every 10 s otherwise (logs). Returning false is how Ctrl+C becomes a cancel:
// the engine calls this after every committed batch, so the batch in flight
// is saved first.
class RunMeter {
public:
    bool update(const EngineProgress& p) {
        if (interrupted()) return false;
        const bool last = p.itemsDone >= p.itemsTotal;
        if (last && m_finished) return true;  // the end is reported once
        if (!m_line.due(last)) return true;
        m_finished = last;
        char line[256];
        std::snprintf(line, sizeof line, "run: %lld/%lld sentences (%lld cached), %.0f tokens/s, ETA %s",
                      static_cast<long long>(p.itemsDone), static_cast<long long>(p.itemsTotal),
                      static_cast<long long>(p.cachedItems), p.tokensPerSecond, formatClock(p.etaSeconds).c_str());
        m_line.show(line);
        return true;
    }
    void finish() { m_line.finish(); }

private:
    StatusLine m_line;
    bool m_finished = false;
};

nlohmann::json summaryJson(const DatasetRunSummary& s, const std::filesystem::path& db) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : s.runs) {
        runs.push_back({{"analysis", r.analysis}, {"run", r.runId}, {"model", r.key.modelFingerprint},
                        {"parameters", nlohmann::json::parse(r.key.parametersJson)}, {"code_version", r.key.codeVersion}});
    }
    nlohmann::json truncated = nlohmann::json::array();
    for (const auto& t : s.truncated) truncated.push_back({{"item", t.itemId}, {"tokens", t.tokens}, {"kept", t.kept}});
    return {{"db", db.string()},
            {"dataset", s.datasetId},
            {"items", s.items},
            {"sentences", s.sentences},
            {"computed", s.computedSentences},
            {"cached", s.cachedSentences},
            {"results_written", s.computedResults},
            {"tokens", s.tokens},
            {"padded_tokens", s.paddedTokens},
            {"batches", s.batches},
            {"seconds", s.seconds},
            {"compute_seconds", s.computeSeconds},
            {"store_seconds", s.storeSeconds},
            {"tokens_per_second", s.tokensPerSecond},
            {"cancelled", s.cancelled},
            {"runs", runs},
            {"truncated", truncated}};
}

void printSummary(const DatasetRunSummary& s, const std::filesystem::path& db) {
    std::printf("%lld sentences (%lld items): %lld computed, %lld from the store\n",
                static_cast<long long>(s.sentences), static_cast<long long>(s.items),
                static_cast<long long>(s.computedSentences), static_cast<long long>(s.cachedSentences));
    if (s.computedSentences > 0) {
        std::printf("%lld tokens in %lld batches, %.1f s (compute %.1f s, store %.1f s), %.0f tokens/s\n",
                    static_cast<long long>(s.tokens), static_cast<long long>(s.batches), s.seconds, s.computeSeconds,
                    s.storeSeconds, s.tokensPerSecond);
    }
    for (const auto& r : s.runs) std::printf("run %lld: %s\n", static_cast<long long>(r.runId), r.analysis.c_str());
    std::printf("store: %s\n", db.string().c_str());
}

} // namespace

int runRun(int argc, char** argv) {
    std::set<std::string> valued = kModelValuedOptions;
    valued.insert({"pairs", "analyses", "db", "max-length", "batch-tokens", "batch-size"});
    valued.insert(kDatasetValuedOptions.begin(), kDatasetValuedOptions.end());
    std::set<std::string> flags = kDatasetFlagOptions;
    flags.insert({"json", "help"});
    Args args(argc, argv, 2, valued, flags);
    if (args.has("help")) {
        std::printf(kRunHelp, kModelOptionsHelp, kDatasetOptionsHelp, kStoreOptionsHelp);
        return 0;
    }
    if (!args.ok()) return usage(args.error());
    if (!args.positional().empty()) return usage("unexpected argument '" + args.positional().front() + "'");
    if (!args.has("model")) return usage("--model DIR is required");
    if (!args.has("pairs")) return usage("--pairs FILE is required");
    DatasetReadOptions readOptions;
    if (std::string error; !parseDatasetOptions(args, readOptions, error)) return usage(error);
    ModelOptions modelOptions;
    if (std::string error; !parseModelOptions(args, modelOptions, error)) return usage(error);
    std::vector<std::string> analyses;
    if (Status st = parseAnalysisIds(args.value("analyses", "hidden-norm"), analyses); !st.isOk())
        return usage(st.message());
    AnalysisParameters params;
    params.maxLength = args.intValue("max-length", 0);
    params.batchTokens = args.intValue("batch-tokens", 8192);
    params.maxBatchSize = args.intValue("batch-size", 128);
    if (!args.ok()) return usage(args.error());
    if (params.maxLength < 0) return usage("--max-length must be positive");
    if (params.batchTokens < 1 || params.maxBatchSize < 1) return usage("--batch-tokens and --batch-size must be at least 1");
    const bool json = args.has("json");

    DatasetSession session;
    if (int rc = openDatasetSession(args, readOptions, session)) return rc;
    const Dataset& dataset = session.dataset;
    const std::filesystem::path db = session.store->path();
    AnalysisEngine& engine = *session.engine;
    RunMeter meter;
    DatasetRunCallbacks callbacks;
    callbacks.progress = [&](const EngineProgress& p) { return meter.update(p); };
    DatasetRunSummary summary;
    const Status st = engine.analyseDataset(dataset, analyses, params, callbacks, summary);
    meter.finish();

    for (std::size_t i = 0; i < summary.warnings.size() && i < kPrintedIssues; ++i)
        std::cerr << "warning: " << summary.warnings[i] << "\n";
    if (summary.warnings.size() > kPrintedIssues)
        std::cerr << "warning: … and " << summary.warnings.size() - kPrintedIssues << " more\n";
    if (st.isFailed()) {
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    if (json) std::cout << summaryJson(summary, db).dump(2) << "\n";
    else printSummary(summary, db);
    if (st.isCancelled()) {
        std::cerr << "cancelled: " << st.message() << "; run the same command again to resume\n";
        return 130;
    }
    return 0;
}

} // namespace gs::cli
