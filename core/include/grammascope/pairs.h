#pragma once
// Minimal pairs (a grammatical sentence and a minimally different
// ungrammatical one) read from CSV files.
//
// The reader is RFC 4180: fields separated by commas, optionally quoted with
// '"' (a doubled '""' inside quotes is one quote), quoted fields may hold
// commas and line breaks; CRLF or LF line ends; a UTF-8 byte-order mark is
// skipped; blank lines are ignored. The header row decides the schema:
//
//  - Grammascope's own: id,phenomenon,good,bad,good_word,bad_word,word_index
//    (good and bad are required; a missing phenomenon becomes the file stem,
//    a missing id the record's line number, an empty word_index -1);
//  - RuBLiMP's: id,source_sentence,target_sentence,source_word,target_word,
//    ...,PID,... (source = good, target = bad, phenomenon = PID; other
//    columns are ignored).
//
// Errors name the file and the line: an unterminated quote (the line where it
// opened), a record with a different number of fields than the header, a
// missing required column, an empty sentence, a word_index that is not an
// integer.
//
// Thread-safety: free functions on plain values.

#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

struct MinimalPair {
    std::string id;
    std::string phenomenon;
    std::string good;              // the acceptable sentence
    std::string bad;               // the unacceptable one
    std::string goodWord, badWord; // the word(s) that differ, when the file says
    std::int32_t wordIndex = -1;   // index of the changed word; -1 if unknown
};

enum class PairsSchema { Grammascope, Rublimp };

struct PairsFile {
    PairsSchema schema = PairsSchema::Grammascope;
    std::vector<MinimalPair> pairs;
    std::vector<std::int64_t> lines;  // line (1-based) where each pair's record starts
    std::vector<std::string> warnings;
};

// Parses CSV text; `sourceName` names the source in messages and gives the
// default phenomenon (its file stem) when the schema has no phenomenon column.
Status parsePairsCsv(std::string_view text, const std::string& sourceName, PairsFile& out);

// Reads a CSV file of pairs.
Status readPairsCsv(const std::filesystem::path& file, PairsFile& out);

const char* pairsSchemaName(PairsSchema schema);  // "grammascope", "rublimp"

// One CSV record (RFC 4180 field quoting) for writers of this format: joins
// `fields` with commas, quoting those that hold a comma, quote or line break.
std::string csvRecord(const std::vector<std::string>& fields);

} // namespace gs
