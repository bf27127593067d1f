// grammascope-cli cache: look after the results store the GUI and 'run' fill
// (stats, runs, export, vacuum, clear, move-aside).

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/store_options.h"
#include "grammascope/result_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>

namespace gs::cli {
namespace {

const char* kCacheHelp =
    "usage: grammascope-cli cache <subcommand> [--db FILE] [options]\n"
    "\n"
    "The results store: every result 'run' and the GUI compute, kept so that nothing is\n"
    "computed twice.\n"
    "\n"
    "subcommands:\n"
    "  stats [--json]                 counts, sizes, per-table sizes\n"
    "  runs [--json]                  every run: analysis, model, parameters, state, results\n"
    "  export (--run ID | --latest [--analysis A]) --out FILE [--format csv|json]\n"
    "         [--dataset ID]          one run's results, one row per (sentence, token, layer);\n"
    "                                 format from --format or the extension of FILE; with\n"
    "                                 --dataset, in that dataset's sentence order\n"
    "  vacuum                         rewrite the file to its smallest size\n"
    "  clear [--all] --yes            delete every run and result (--all: models, datasets\n"
    "                                 and artefacts too)\n"
    "  move-aside [--force]           rename a corrupt or newer store out of the way (nothing\n"
    "                                 is deleted); the next run starts a fresh one\n"
    "\n"
    "options:\n"
    "%s";

int usage(const std::string& message) { return usageError("cache", message); }

int fail(const Status& st) {
    std::cerr << "error: " << st.message() << "\n";
    return st.isCancelled() ? 130 : 1;
}

std::string bytesText(std::int64_t bytes) {
    char buf[64];
    const double b = static_cast<double>(bytes);
    if (bytes < 1024) std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
    else if (b < 1024.0 * 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024);
    else if (b < 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f MiB", b / 1024 / 1024);
    else std::snprintf(buf, sizeof buf, "%.2f GiB", b / 1024 / 1024 / 1024);
    return buf;
}

std::string timeText(std::int64_t ms) {
    if (ms <= 0) return "-";
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

const char* stateName(RunState s) { return s == RunState::Complete ? "complete" : "running"; }

int runStats(Args& args) {
    std::unique_ptr<ResultStore> store;
    const auto path = storePath(args);
    if (int rc = openStore(path, true, store)) return rc;
    StoreStats s;
    if (Status st = store->stats(s); !st.isOk()) return fail(st);
    if (args.has("json")) {
        nlohmann::json tables = nlohmann::json::array();
        for (const auto& t : s.tables) tables.push_back({{"name", t.name}, {"bytes", t.bytes}});
        nlohmann::json j = {{"path", s.path.string()},     {"schema_version", s.schemaVersion},
                            {"file_bytes", s.fileBytes},   {"wal_bytes", s.walBytes},
                            {"used_bytes", s.usedBytes},   {"free_bytes", s.freeBytes},
                            {"models", s.models},          {"datasets", s.datasets},
                            {"sentences", s.sentences},    {"runs", s.runs},
                            {"running_runs", s.runningRuns}, {"complete_runs", s.completeRuns},
                            {"results", s.results},        {"result_bytes", s.resultBytes},
                            {"artefacts", s.artefacts},    {"artefact_bytes", s.artefactBytes},
                            {"tables", tables}};
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::printf("store:      %s (schema %d)\n", s.path.string().c_str(), s.schemaVersion);
    std::printf("file:       %s (+ %s WAL), %s in use, %s free\n", bytesText(s.fileBytes).c_str(),
                bytesText(s.walBytes).c_str(), bytesText(s.usedBytes).c_str(), bytesText(s.freeBytes).c_str());
    std::printf("models:     %lld\ndatasets:   %lld\nsentences:  %lld\n", static_cast<long long>(s.models),
                static_cast<long long>(s.datasets), static_cast<long long>(s.sentences));
    std::printf("runs:       %lld (%lld running, %lld complete)\n", static_cast<long long>(s.runs),
                static_cast<long long>(s.runningRuns), static_cast<long long>(s.completeRuns));
    std::printf("results:    %lld (%s)\n", static_cast<long long>(s.results), bytesText(s.resultBytes).c_str());
    std::printf("artefacts:  %lld (%s)\n", static_cast<long long>(s.artefacts), bytesText(s.artefactBytes).c_str());
    for (const auto& t : s.tables) std::printf("  %-28s %s\n", t.name.c_str(), bytesText(t.bytes).c_str());
    return 0;
}

int runRuns(Args& args) {
    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), true, store)) return rc;
    std::vector<RunInfo> runs;
    if (Status st = store->listRuns(runs); !st.isOk()) return fail(st);
    std::vector<ModelRecord> models;
    if (Status st = store->listModels(models); !st.isOk()) return fail(st);
    std::map<std::string, std::string> modelPath;
    for (const auto& m : models) modelPath[m.fingerprint] = m.path;
    if (args.has("json")) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& r : runs) {
            j.push_back({{"id", r.id},
                         {"analysis", r.key.analysis},
                         {"model", r.key.modelFingerprint},
                         {"model_path", modelPath[r.key.modelFingerprint]},
                         {"parameters", nlohmann::json::parse(r.key.parametersJson)},
                         {"code_version", r.key.codeVersion},
                         {"state", stateName(r.state)},
                         {"results", r.results},
                         {"result_bytes", r.resultBytes},
                         {"created_ms", r.createdMs},
                         {"updated_ms", r.updatedMs}});
        }
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    if (runs.empty()) {
        std::printf("no runs in %s\n", store->path().string().c_str());
        return 0;
    }
    std::printf("%5s  %-9s  %-21s %9s %10s  %-16s  %s\n", "run", "state", "analysis", "results", "size", "updated",
                "model / parameters");
    for (const auto& r : runs) {
        // The fingerprint's first hex digits name the model well enough in a table.
        const std::string fp = r.key.modelFingerprint.substr(0, std::min<std::size_t>(18, r.key.modelFingerprint.size()));
        std::printf("%5lld  %-9s  %-21s %9lld %10s  %-16s  %s %s\n", static_cast<long long>(r.id), stateName(r.state),
                    r.key.analysis.c_str(), static_cast<long long>(r.results), bytesText(r.resultBytes).c_str(),
                    timeText(r.updatedMs).c_str(), fp.c_str(), modelPath[r.key.modelFingerprint].c_str());
        std::printf("%5s  %-9s  %-21s %9s %10s  %-16s  %s (code %s)\n", "", "", "", "", "", "",
                    r.key.parametersJson.c_str(), r.key.codeVersion.c_str());
    }
    return 0;
}

bool parseId(const std::string& text, std::int64_t& out) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && p == text.data() + text.size() && out > 0;
}

int runExport(Args& args) {
    if (!args.has("out")) return usage("--out FILE is required");
    if (args.has("run") == args.has("latest")) return usage("give one of --run ID and --latest");
    const std::string out = args.value("out");
    std::string format = args.value("format");
    if (format.empty()) {
        const std::string ext = std::filesystem::path(out).extension().string();
        format = ext == ".json" ? "json" : ext == ".csv" ? "csv" : "";
        if (format.empty()) return usage("--format csv|json is required when FILE ends in neither .csv nor .json");
    }
    if (format != "csv" && format != "json") return usage("--format must be csv or json, got '" + format + "'");
    ExportOptions options;
    if (args.has("dataset") && !parseId(args.value("dataset"), options.datasetId))
        return usage("--dataset expects a dataset id, got '" + args.value("dataset") + "'");

    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), true, store)) return rc;
    std::int64_t runId = 0;
    if (args.has("run")) {
        if (!parseId(args.value("run"), runId)) return usage("--run expects a run id, got '" + args.value("run") + "'");
    } else {
        std::vector<RunInfo> runs;
        if (Status st = store->listRuns(runs); !st.isOk()) return fail(st);
        const std::string analysis = args.value("analysis");
        const RunInfo* latest = nullptr;
        for (const auto& r : runs) {
            if (!analysis.empty() && r.key.analysis != analysis) continue;
            if (!latest || r.updatedMs > latest->updatedMs || (r.updatedMs == latest->updatedMs && r.id > latest->id))
                latest = &r;
        }
        if (!latest) {
            std::cerr << "error: no run" << (analysis.empty() ? "" : " of " + analysis) << " in "
                      << store->path().string() << "\n";
            return 1;
        }
        runId = latest->id;
    }
    const Status st = format == "csv" ? store->exportRunCsv(runId, out, options) : store->exportRunJson(runId, out, options);
    if (!st.isOk()) return fail(st);
    RunInfo info;
    if (store->runInfo(runId, info).isOk()) {
        std::fprintf(stderr, "exported run %lld (%s, %lld results) to %s\n", static_cast<long long>(runId),
                     info.key.analysis.c_str(), static_cast<long long>(info.results), out.c_str());
    }
    return 0;
}

int runVacuum(Args& args) {
    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), false, store)) return rc;
    StoreStats before, after;
    if (Status st = store->stats(before); !st.isOk()) return fail(st);
    if (Status st = store->vacuum(); !st.isOk()) return fail(st);
    if (Status st = store->stats(after); !st.isOk()) return fail(st);
    std::printf("%s: %s -> %s\n", store->path().string().c_str(), bytesText(before.fileBytes + before.walBytes).c_str(),
                bytesText(after.fileBytes + after.walBytes).c_str());
    return 0;
}

int runClear(Args& args) {
    if (!args.has("yes")) return usage("clearing deletes results; add --yes to confirm");
    std::unique_ptr<ResultStore> store;
    if (int rc = openStore(storePath(args), false, store)) return rc;
    const ClearScope scope = args.has("all") ? ClearScope::Everything : ClearScope::Results;
    if (Status st = store->clear(scope); !st.isOk()) return fail(st);
    std::printf("cleared %s in %s\n", scope == ClearScope::Everything ? "everything" : "every run and result",
                store->path().string().c_str());
    return 0;
}

int runMoveAside(Args& args) {
    const auto path = storePath(args);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        std::cerr << "error: no results store at " << path.string() << "\n";
        return 1;
    }
    // Only a store that cannot be used is moved, unless asked: a healthy one
    // would silently lose its place as "the" store of the GUI and of run.
    std::string tag = "moved";
    {
        std::unique_ptr<ResultStore> probe;
        ResultStoreOptions o;
        o.readOnly = true;
        StoreProblem problem = StoreProblem::None;
        const Status st = ResultStore::open(path, o, probe, &problem);
        if (problem == StoreProblem::Corrupt) tag = "corrupt";
        else if (problem == StoreProblem::NewerSchema) tag = "newer";
        else if (!args.has("force")) {
            std::cerr << "error: " << path.string()
                      << (st.isOk() ? " opens fine" : " fails for another reason: " + st.message())
                      << "; --force moves it aside anyway\n";
            return 1;
        }
    }
    std::filesystem::path moved;
    if (Status st = moveAsideCorruptStore(path, moved, tag); !st.isOk()) return fail(st);
    std::printf("moved %s to %s\n", path.string().c_str(), moved.string().c_str());
    return 0;
}

} // namespace

int runCache(int argc, char** argv) {
    if (argc < 3 || !std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "-h") || !std::strcmp(argv[2], "help")) {
        std::fprintf(argc < 3 ? stderr : stdout, kCacheHelp, kStoreOptionsHelp);
        return argc < 3 ? 2 : 0;
    }
    const std::string sub = argv[2];
    Args args(argc, argv, 3, {"db", "run", "out", "format", "dataset", "analysis"},
              {"json", "latest", "all", "yes", "force", "help"});
    if (args.has("help")) {
        std::printf(kCacheHelp, kStoreOptionsHelp);
        return 0;
    }
    if (!args.ok()) return usage(args.error());
    if (!args.positional().empty()) return usage("unexpected argument '" + args.positional().front() + "'");
    if (sub == "stats") return runStats(args);
    if (sub == "runs") return runRuns(args);
    if (sub == "export") return runExport(args);
    if (sub == "vacuum") return runVacuum(args);
    if (sub == "clear") return runClear(args);
    if (sub == "move-aside") return runMoveAside(args);
    std::cerr << "error: unknown subcommand 'cache " << sub << "'\n\n";
    std::fprintf(stderr, kCacheHelp, kStoreOptionsHelp);
    return 2;
}

} // namespace gs::cli
