// grammascope-cli pairs: working with minimal-pair and sentence datasets.
//   pairs stats FILE                  validate a dataset and describe it
//   pairs generate-polypersonal ...   (cmd_pairs_polypersonal.cpp)

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/dataset_options.h"
#include "grammascope/dataset.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

namespace gs::cli {

namespace {

const char* kPairsHelp =
    "usage: grammascope-cli pairs <subcommand> [options]\n"
    "\n"
    "subcommands:\n"
    "  stats FILE               validate a dataset and print what it holds\n"
    "  generate-polypersonal    minimal pairs from CoNLL-U by the polypersonal transformation\n"
    "\n"
    "Run 'grammascope-cli pairs <subcommand> --help' for its options.\n";

const char* kStatsHelp =
    "usage: grammascope-cli pairs stats FILE [options]\n"
    "\n"
    "Reads a dataset of minimal pairs or sentences (Grammascope or RuBLiMP CSV, BLiMP JSON\n"
    "Lines, any CSV / TSV with a column mapping, plain text, CoNLL-U), checks it (UTF-8,\n"
    "malformed records, empty sentences, duplicate ids and pairs, identical sentences) and\n"
    "prints the counts per phenomenon, sentence lengths in words and every issue found.\n"
    "Exit code 1 when the file cannot be read, or holds invalid records and --skip-invalid\n"
    "is not given (the report is printed all the same).\n"
    "\n"
    "options:\n"
    "%s"
    "  --json               the report as JSON\n";

int usage(const std::string& message) { return usageError("pairs", message); }

// Columns are aligned in characters, not bytes: phenomenon names may be Cyrillic.
std::size_t displayWidth(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

const char* severityName(IssueSeverity s) { return s == IssueSeverity::Error ? "error" : "warning"; }

nlohmann::json statsJson(const Dataset& d, const DatasetStats& s) {
    nlohmann::json phenomena = nlohmann::json::array();
    for (const auto& [name, count] : s.perPhenomenon) phenomena.push_back({{"phenomenon", name}, {"items", count}});
    nlohmann::json issues = nlohmann::json::array();
    for (const auto& i : d.issues)
        issues.push_back({{"line", i.line}, {"severity", severityName(i.severity)}, {"message", i.message}});
    nlohmann::json j = {{"file", d.source.string()},
                        {"name", d.name},
                        {"format", datasetFormatName(d.format)},
                        {"items", s.items},
                        {"pairs", s.pairs},
                        {"singles", s.singles},
                        {"phenomena", std::move(phenomena)},
                        {"words", {{"mean", s.meanWords}, {"max", s.maxWords}}},
                        {"with_ud", s.withUd},
                        {"duplicate_ids", s.duplicateIds},
                        {"duplicate_pairs", s.duplicatePairs},
                        {"identical_pairs", s.identicalPairs},
                        {"errors", s.errors},
                        {"warnings", s.warnings},
                        {"issues", std::move(issues)}};
    if (!d.columns.empty()) j["columns"] = d.columns;
    return j;
}

std::string statsTable(const Dataset& d, const DatasetStats& s) {
    std::ostringstream out;
    char buf[256];
    out << d.source.string() << " (" << datasetFormatName(d.format) << ")\n";
    if (!d.columns.empty()) {
        out << "columns:";
        for (std::size_t i = 0; i < d.columns.size(); ++i) out << (i ? ", " : " ") << d.columns[i];
        out << "\n";
    }
    out << "items: " << s.items << " (" << s.pairs << " pairs, " << s.singles << " single sentences)\n";
    std::snprintf(buf, sizeof buf, "words per sentence: mean %.1f, max %lld\n", s.meanWords,
                  static_cast<long long>(s.maxWords));
    out << buf;
    if (s.withUd) out << "with UD annotation: " << s.withUd << "\n";
    out << "duplicate ids: " << s.duplicateIds << ", duplicate " << (s.pairs ? "pairs" : "sentences") << ": "
        << s.duplicatePairs << ", identical good/bad: " << s.identicalPairs << "\n";
    out << "issues: " << s.errors << " error(s) (records skipped), " << s.warnings << " warning(s)\n";

    std::size_t width = std::strlen("phenomenon");
    for (const auto& [name, count] : s.perPhenomenon) width = std::max(width, displayWidth(name));
    out << "\n";
    std::snprintf(buf, sizeof buf, "%-*s %8s\n", static_cast<int>(width), "phenomenon", "items");
    out << buf;
    for (const auto& [name, count] : s.perPhenomenon) {
        out << name << std::string(width - displayWidth(name), ' ');
        std::snprintf(buf, sizeof buf, " %8lld\n", static_cast<long long>(count));
        out << buf;
    }
    if (!d.issues.empty()) {
        out << "\n";
        for (const auto& issue : d.issues) out << formatIssue(d.source.string(), issue) << "\n";
    }
    return out.str();
}

int runStats(int argc, char** argv) {
    std::set<std::string> flags = kDatasetFlagOptions;
    flags.insert({"json", "help"});
    Args args(argc, argv, 3, kDatasetValuedOptions, flags);
    if (args.has("help")) {
        std::printf(kStatsHelp, kDatasetOptionsHelp);
        return 0;
    }
    if (!args.ok()) return usage(args.error());
    if (args.positional().size() != 1) return usage("give one dataset file: grammascope-cli pairs stats FILE");
    DatasetReadOptions options;
    std::string error;
    if (!parseDatasetOptions(args, options, error)) return usage(error);

    const std::string file = args.positional()[0];
    Dataset dataset;
    const Status st = readDataset(file, options, dataset);
    if (!st.isOk()) {
        printIssues(dataset, kPrintedIssues);
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    const DatasetStats stats = computeDatasetStats(dataset);
    std::cout << (args.has("json") ? statsJson(dataset, stats).dump(2) + "\n" : statsTable(dataset, stats));
    if (stats.errors > 0 && !args.has("skip-invalid")) {
        std::cerr << "error: " << file << ": " << stats.errors
                  << " invalid record(s) (listed above); --skip-invalid accepts the others\n";
        return 1;
    }
    return 0;
}

} // namespace

int runPairs(int argc, char** argv) {
    if (argc < 3 || !std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "-h") || !std::strcmp(argv[2], "help")) {
        std::fputs(kPairsHelp, argc < 3 ? stderr : stdout);
        return argc < 3 ? 2 : 0;
    }
    const std::string sub = argv[2];
    if (sub == "stats") return runStats(argc, argv);
    if (sub == "generate-polypersonal") return runPairsGeneratePolypersonal(argc - 1, argv + 1);
    std::cerr << "error: unknown subcommand 'pairs " << sub << "'\n\n" << kPairsHelp;
    return 2;
}

} // namespace gs::cli
