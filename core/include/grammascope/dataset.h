#pragma once
// Datasets: minimal pairs and single sentences read from the files people
// bring, validated, with the words of every sentence and, where the source has
// them, the Universal Dependencies annotation of each word.
//
// Formats (DatasetFormat):
//  - Grammascope CSV (id,phenomenon,good,bad,good_word,bad_word,word_index) and
//    RuBLiMP CSV (source_sentence / target_sentence, PID): see pairs.h;
//  - BLiMP-style JSON Lines: one object per line with "sentence_good" and
//    "sentence_bad"; "UID" / "phenomenon" / "linguistics_term" give the
//    phenomenon, "pairID" / "id" the id; other members are kept as metadata;
//  - delimited text (CSV or TSV) with any columns, read through a
//    ColumnMapping that names the good / bad / id / phenomenon columns;
//  - plain text: one sentence per line (single sentences, no pairs);
//  - CoNLL-U: one sentence per block (single sentences, with UD annotation).
//
// Validation. The input must be UTF-8 (a byte-order mark is skipped); any
// other encoding is rejected as a whole, naming the first bad byte's line and
// column. A malformed record does not stop the reader: it is skipped and
// reported as a DatasetIssue of severity Error with its line and what is
// wrong; the valid rest loads, and the caller decides whether to accept it
// (the GUI asks, the CLI wants --skip-invalid). Duplicate ids, duplicate pairs
// and pairs whose two sentences are identical are reported as warnings.
// Problems that leave nothing to load (unreadable file, wrong encoding, no
// record at all, an unmappable header) make the read fail.
//
// Thread-safety: free functions on plain values; safe to call concurrently.

#include "grammascope/pairs.h"
#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gs {

enum class DatasetFormat : std::uint8_t {
    GrammascopeCsv,
    RublimpCsv,
    BlimpJsonl,
    Delimited,   // generic CSV / TSV through a ColumnMapping
    PlainText,   // one sentence per line
    Conllu,
};

const char* datasetFormatName(DatasetFormat f);  // "grammascope-csv", "rublimp-csv", "blimp-jsonl", "delimited", "text", "conllu"
std::optional<DatasetFormat> datasetFormatFromName(std::string_view name);

// Universal Dependencies annotation of one word (CoNLL-U columns). Empty
// strings when the source does not have them.
struct UdWord {
    std::string lemma, upos, xpos;
    std::string feats;          // "Case=Acc|Number=Sing", "" for "_"
    std::int32_t head = -1;     // 0-based index of the head word in the sentence; -1 for the root or unknown
    std::string deprel;

    // The value of one feature ("Case" → "Acc"), empty when absent.
    std::string feature(std::string_view name) const;
};

// One word of a sentence: its text and its UTF-8 byte span in the sentence.
// Words are the source's tokens when it has them (CoNLL-U), else the result
// of splitWords() (alignment.h): runs of letters / digits (with inner hyphens
// and apostrophes) and single punctuation marks.
struct SentenceWord {
    std::string text;
    std::int64_t byteBegin = 0, byteEnd = 0;
    std::optional<UdWord> ud;
};

struct AnnotatedSentence {
    std::string text;
    std::vector<SentenceWord> words;
    bool hasUd() const;
};

struct DatasetItem {
    std::string id;
    std::string phenomenon;
    AnnotatedSentence good;     // the sentence of a single-sentence item
    AnnotatedSentence bad;      // empty text for single-sentence items
    // What the source says about the differing word (may be empty / -1).
    std::string goodWord, badWord;
    std::int32_t wordIndex = -1;
    std::vector<std::pair<std::string, std::string>> metadata;  // other columns / members, in source order
    std::int64_t line = 0;      // 1-based line of the record in the source

    bool isPair() const { return !bad.text.empty(); }
};

enum class IssueSeverity : std::uint8_t { Warning, Error };

struct DatasetIssue {
    IssueSeverity severity = IssueSeverity::Warning;
    std::int64_t line = 0;      // 1-based; 0 when the issue is about the whole file
    std::string message;        // without the file name ("field 3: empty sentence")
};

// "pairs.csv:12: error: field 3: empty sentence"
std::string formatIssue(const std::string& sourceName, const DatasetIssue& issue);

// Which columns of a delimited file hold what. Columns are named by header
// name or, for files without a header row, by 1-based number ("3").
struct ColumnMapping {
    char delimiter = 0;         // 0: guess (tab if the first line has one, else comma)
    bool hasHeader = true;
    std::string good;           // required
    std::string bad;            // empty: single sentences
    std::string id, phenomenon; // optional
    std::string goodWord, badWord, wordIndex;  // optional
};

struct DatasetReadOptions {
    std::optional<DatasetFormat> format;  // none: guess from the extension and the first line
    ColumnMapping mapping;                // for DatasetFormat::Delimited
    std::string name;                     // display name; empty: the file name
};

struct Dataset {
    std::string name;
    std::filesystem::path source;
    DatasetFormat format = DatasetFormat::GrammascopeCsv;
    std::vector<DatasetItem> items;       // the valid records, in file order
    std::vector<DatasetIssue> issues;     // in line order
    std::vector<std::string> columns;     // header of a delimited file (for the mapping dialog)

    bool singleSentences() const;         // no item is a pair
    std::size_t errorCount() const;       // issues of severity Error (records skipped)
};

// Guesses the format from the extension (.jsonl, .conllu, .txt, .tsv, .csv)
// and, for CSV, the header (Grammascope, RuBLiMP, else Delimited).
std::optional<DatasetFormat> guessDatasetFormat(const std::filesystem::path& file, std::string_view firstLine);

// Reads a dataset file. Fails only when nothing can be loaded; skipped
// records are in out.issues (see the validation rules above).
Status readDataset(const std::filesystem::path& file, const DatasetReadOptions& options, Dataset& out);
// The same on text already in memory; `sourceName` names it in messages.
Status parseDataset(std::string_view text, const std::string& sourceName, const DatasetReadOptions& options,
                    Dataset& out);

// The header row and the first rows of a delimited file, split into fields,
// for a column-mapping step before reading.
Status previewDelimited(const std::filesystem::path& file, char delimiter, int maxRows,
                        std::vector<std::vector<std::string>>& rows);

// The minimal pair of an item (for scoring).
MinimalPair toMinimalPair(const DatasetItem& item);

struct DatasetStats {
    std::int64_t items = 0, pairs = 0, singles = 0;
    std::vector<std::pair<std::string, std::int64_t>> perPhenomenon;  // sorted by phenomenon
    std::int64_t duplicateIds = 0, duplicatePairs = 0, identicalPairs = 0;
    std::int64_t withUd = 0;              // items with UD annotation
    double meanWords = 0;                 // words per sentence
    std::int64_t maxWords = 0;
    std::int64_t errors = 0, warnings = 0;
};

DatasetStats computeDatasetStats(const Dataset& dataset);

} // namespace gs
