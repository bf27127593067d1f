#pragma once
// The delimited-text tokenizer shared by the minimal-pair CSV reader
// (pairs_csv.cpp) and the dataset readers (dataset_*.cpp).
//
// RFC 4180 over a whole text: fields separated by one delimiter character,
// optionally quoted with '"' (a doubled '""' inside quotes is one quote),
// quoted fields may hold delimiters and line breaks, CRLF or LF line ends, a
// UTF-8 byte-order mark skipped, blank lines ignored. Quotes only open a field
// at its start; a quote inside an unquoted field is kept as a character
// (common in the wild and harmless). CRLF inside a quoted field becomes LF.
//
// Lenient quoting (the default for tab-separated text, where most writers do
// not quote at all): a field that starts with a quote but does not close it
// right before a delimiter or a line end is read as plain text up to the next
// delimiter instead of being an error, so that «"Да", — сказал он.» survives.
//
// A malformed record does not end the text: next() reports it and resumes on
// the line after the record's first line, so that one stray quote costs one
// record, not the rest of the file.
//
// Thread-safety: one tokenizer per thread; it only reads the viewed text.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs::datasets {

struct CsvRecord {
    std::vector<std::string> fields;
    std::int64_t line = 0;  // 1-based line where the record starts
};

struct CsvError {
    std::int64_t line = 0;  // 1-based line the message is about
    std::string message;    // without source or line ("unterminated quoted field ...")
};

class CsvTokenizer {
public:
    enum class Next { Record, Malformed, End };

    CsvTokenizer(std::string_view text, char delimiter, bool lenientQuotes = false);

    // Record: `record` holds the next record. Malformed: `error` says what is
    // wrong and where; the tokenizer has already moved past the record.
    Next next(CsvRecord& record, CsvError& error);

private:
    bool atLineEnd() const;
    void consumeLineEnd();
    // Moves to the start of the line after `line` (rescanning from `from`).
    void resumeAfterLine(std::size_t from, std::int64_t line);
    enum class Quoted { Ok, Unterminated, TextAfterQuote };
    Quoted readQuoted(std::string& field, CsvError& error, std::size_t fieldIndex);

    std::string_view m_text;
    char m_delimiter;
    bool m_lenient;
    std::size_t m_pos = 0;
    std::int64_t m_line = 1;
};

// The delimiter a file probably uses: tab when its first line has one, else
// ';' when the first line has semicolons and no comma, else comma.
char guessDelimiter(std::string_view firstLine);

// The first line of `text` (byte-order mark and line end removed).
std::string_view firstLineOf(std::string_view text);

// Whitespace (ASCII) trimmed from both ends.
std::string trimmedField(std::string_view s);

} // namespace gs::datasets
