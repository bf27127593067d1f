#pragma once
// The per-format parsers behind parseDataset (dataset_reader.cpp). Each one
// gets UTF-8 text without a byte-order mark, appends the valid records to
// out.items (with id, phenomenon and line; words are filled afterwards) and
// the skipped ones to out.issues, and fails only when nothing can be read at
// all (a missing or unmappable header). Messages of a failure start with
// "<source>:<line>: "; issue messages carry no source (formatIssue adds it).
//
// Thread-safety: free functions on plain values.

#include "grammascope/dataset.h"
#include "grammascope/status.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace gs::datasets {

struct ParseInput {
    std::string_view text;          // UTF-8, no byte-order mark
    std::string source;             // names the input in failure messages
    std::string defaultPhenomenon;  // when a record has none: the source's file stem
};

// Grammascope CSV, RuBLiMP CSV and generic delimited text (through `mapping`).
Status parseTabular(const ParseInput& in, DatasetFormat format, const ColumnMapping& mapping, Dataset& out);
Status parseBlimpJsonl(const ParseInput& in, Dataset& out);
Status parsePlainText(const ParseInput& in, Dataset& out);
Status parseConlluItems(const ParseInput& in, Dataset& out);

// The id of a record whose source gives none.
std::string lineId(std::int64_t line);

inline void addIssue(Dataset& out, IssueSeverity severity, std::int64_t line, std::string message) {
    out.issues.push_back({severity, line, std::move(message)});
}

} // namespace gs::datasets
