#pragma once
// Options shared by every sub-command that reads a dataset (score, pairs
// stats): format, column mapping, delimiter, header, and what to do with
// invalid records.

#include "cli/cli_args.h"
#include "grammascope/dataset.h"

#include <set>
#include <string>

namespace gs::cli {

inline const char* kDatasetOptionsHelp =
    "  --format F           grammascope-csv, rublimp-csv, blimp-jsonl, delimited, text or conllu\n"
    "                       (default: guessed from the extension and the first line)\n"
    "  --columns MAP        for delimited files: good=COL,bad=COL,id=COL,phenomenon=COL (also\n"
    "                       good_word, bad_word, word_index); COL is a header name or a 1-based\n"
    "                       number; implies --format delimited\n"
    "  --delimiter D        tab, comma, semicolon or one character (default: tab when the first\n"
    "                       line has one, else comma)\n"
    "  --no-header          the delimited file has no header row (name columns by number)\n"
    "  --skip-invalid       use the valid records of a file that also has invalid ones (each\n"
    "                       is listed with its line); without it such a file is an error\n";

inline const std::set<std::string> kDatasetValuedOptions = {"format", "columns", "delimiter"};
inline const std::set<std::string> kDatasetFlagOptions = {"no-header", "skip-invalid"};

// Reads --format, --columns, --delimiter and --no-header; false (with
// `error`) on a bad value.
bool parseDatasetOptions(const Args& args, DatasetReadOptions& out, std::string& error);

// How many issues a command prints before summarising the rest.
constexpr std::size_t kPrintedIssues = 20;

// Prints at most `limit` issues of `dataset` to stderr (0: all), then a line
// counting the others.
void printIssues(const Dataset& dataset, std::size_t limit);

// Reads one dataset file for a command. Prints the failure, or the issues,
// to stderr. Invalid records make it fail unless `skipInvalid`. Returns an
// exit code (0 or 1).
int loadDataset(const std::string& file, const DatasetReadOptions& options, bool skipInvalid, Dataset& out);

} // namespace gs::cli
