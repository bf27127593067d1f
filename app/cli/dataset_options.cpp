#include "cli/dataset_options.h"

#include <iostream>
#include <map>

namespace gs::cli {
namespace {

bool parseDelimiter(const std::string& value, char& out) {
    static const std::map<std::string, char> kNames = {
        {"tab", '\t'}, {"\\t", '\t'}, {"comma", ','}, {"semicolon", ';'}, {"pipe", '|'}, {"space", ' '}};
    if (auto it = kNames.find(value); it != kNames.end()) {
        out = it->second;
        return true;
    }
    // One character other than a quote or a line end, which would make the
    // file unreadable.
    if (value.size() == 1 && value[0] != '"' && value[0] != '\n' && value[0] != '\r') {
        out = value[0];
        return true;
    }
    return false;
}

bool parseColumns(const std::string& value, ColumnMapping& m, std::string& error) {
    const std::map<std::string, std::string*> roles = {
        {"good", &m.good},          {"bad", &m.bad},           {"id", &m.id},
        {"phenomenon", &m.phenomenon}, {"good_word", &m.goodWord}, {"bad_word", &m.badWord},
        {"word_index", &m.wordIndex}};
    std::size_t pos = 0;
    while (pos <= value.size()) {
        auto end = value.find(',', pos);
        if (end == std::string::npos) end = value.size();
        const std::string part = value.substr(pos, end - pos);
        pos = end + 1;
        if (part.empty()) continue;
        const auto eq = part.find('=');
        if (eq == std::string::npos) {
            error = "--columns: '" + part + "' is not ROLE=COLUMN (e.g. good=sentence,bad=3)";
            return false;
        }
        std::string role = part.substr(0, eq);
        for (char& c : role)
            if (c == '-') c = '_';
        auto it = roles.find(role);
        if (it == roles.end()) {
            error = "--columns: unknown role '" + part.substr(0, eq) +
                    "' (good, bad, id, phenomenon, good_word, bad_word, word_index)";
            return false;
        }
        *it->second = part.substr(eq + 1);
        if (it->second->empty()) {
            error = "--columns: no column given for " + role;
            return false;
        }
    }
    if (m.good.empty()) {
        error = "--columns needs at least good=COLUMN";
        return false;
    }
    return true;
}

} // namespace

bool parseDatasetOptions(const Args& args, DatasetReadOptions& out, std::string& error) {
    DatasetReadOptions o;
    if (args.has("format")) {
        o.format = datasetFormatFromName(args.value("format"));
        if (!o.format) {
            error = "--format must be grammascope-csv, rublimp-csv, blimp-jsonl, delimited, text or conllu, got '" +
                    args.value("format") + "'";
            return false;
        }
    }
    const bool tabular = !o.format || *o.format == DatasetFormat::Delimited ||
                         *o.format == DatasetFormat::GrammascopeCsv || *o.format == DatasetFormat::RublimpCsv;
    if (args.has("columns") || args.has("no-header")) {
        const char* option = args.has("columns") ? "--columns" : "--no-header";
        if (o.format && *o.format != DatasetFormat::Delimited) {
            error = std::string(option) + " applies to --format delimited, not " + datasetFormatName(*o.format);
            return false;
        }
        o.format = DatasetFormat::Delimited;
    }
    if (args.has("columns") && !parseColumns(args.value("columns"), o.mapping, error)) return false;
    o.mapping.hasHeader = !args.has("no-header");
    if (args.has("delimiter")) {
        if (!tabular) {
            error = std::string("--delimiter applies to CSV / TSV files, not ") + datasetFormatName(*o.format);
            return false;
        }
        if (!parseDelimiter(args.value("delimiter"), o.mapping.delimiter)) {
            error = "--delimiter must be tab, comma, semicolon or one character, got '" + args.value("delimiter") + "'";
            return false;
        }
    }
    out = std::move(o);
    return true;
}

void printIssues(const Dataset& dataset, std::size_t limit) {
    const std::string source = dataset.source.string();
    std::size_t shown = 0;
    for (const auto& issue : dataset.issues) {
        if (limit && shown == limit) break;
        std::cerr << formatIssue(source, issue) << "\n";
        ++shown;
    }
    if (shown < dataset.issues.size()) {
        std::cerr << source << ": … and " << dataset.issues.size() - shown
                  << " more issue(s) ('grammascope-cli pairs stats " << source << "' lists them all)\n";
    }
}

int loadDataset(const std::string& file, const DatasetReadOptions& options, bool skipInvalid, Dataset& out) {
    const Status st = readDataset(file, options, out);
    if (!st.isOk()) {
        // A read that found nothing valid still lists why.
        printIssues(out, kPrintedIssues);
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    printIssues(out, kPrintedIssues);
    const std::size_t errors = out.errorCount();
    if (errors == 0) return 0;
    if (!skipInvalid) {
        std::cerr << "error: " << file << ": " << errors << " invalid record(s); fix them, or pass --skip-invalid to use the other "
                  << out.items.size() << "\n";
        return 1;
    }
    std::cerr << "warning: " << file << ": skipped " << errors << " invalid record(s), using the other " << out.items.size()
              << "\n";
    return 0;
}

} // namespace gs::cli
