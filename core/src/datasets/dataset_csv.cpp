#include "datasets/dataset_csv.h"

namespace gs::datasets {

CsvTokenizer::CsvTokenizer(std::string_view text, char delimiter, bool lenientQuotes)
    : m_text(text), m_delimiter(delimiter), m_lenient(lenientQuotes) {
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
}

bool CsvTokenizer::atLineEnd() const { return m_text[m_pos] == '\n' || m_text[m_pos] == '\r'; }

void CsvTokenizer::consumeLineEnd() {
    if (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') ++m_pos;
    ++m_pos;
    ++m_line;
}

void CsvTokenizer::resumeAfterLine(std::size_t from, std::int64_t line) {
    m_pos = from;
    m_line = line;
    while (m_pos < m_text.size() && !atLineEnd()) ++m_pos;
    if (m_pos < m_text.size()) consumeLineEnd();
}

// Reads a quoted field starting at the opening quote. Anything but Ok sets
// `error`; the caller decides what that means.
CsvTokenizer::Quoted CsvTokenizer::readQuoted(std::string& field, CsvError& error, std::size_t fieldIndex) {
    const std::int64_t opened = m_line;
    ++m_pos;
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (c == '"') {
            if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
                field += '"';
                m_pos += 2;
                continue;
            }
            ++m_pos;
            if (m_pos < m_text.size() && m_text[m_pos] != m_delimiter && !atLineEnd()) {
                error = {m_line, "unexpected text after a closing quote in field " + std::to_string(fieldIndex + 1)};
                return Quoted::TextAfterQuote;
            }
            return Quoted::Ok;
        }
        if (c == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
            ++m_pos;
            continue;
        }
        if (c == '\n') ++m_line;
        field += c;
        ++m_pos;
    }
    error = {opened, "unterminated quoted field (the quote opened here is never closed)"};
    return Quoted::Unterminated;
}

CsvTokenizer::Next CsvTokenizer::next(CsvRecord& record, CsvError& error) {
    for (;;) {
        if (m_pos >= m_text.size()) return Next::End;
        record.fields.clear();
        record.line = m_line;
        const std::size_t recordStart = m_pos;
        bool sawQuote = false;
        std::string field;
        for (;;) {
            if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                const std::size_t fieldStart = m_pos;
                const std::int64_t fieldLine = m_line;
                const Quoted quoted = readQuoted(field, error, record.fields.size());
                if (quoted == Quoted::Ok) {
                    sawQuote = true;
                } else if (m_lenient) {
                    // Not a quoted field after all: the quote is text.
                    m_pos = fieldStart;
                    m_line = fieldLine;
                    field.clear();
                    while (m_pos < m_text.size() && m_text[m_pos] != m_delimiter && !atLineEnd()) field += m_text[m_pos++];
                } else {
                    // An unterminated quote swallowed the rest of the text: the
                    // record most likely ended with its first line.
                    if (quoted == Quoted::Unterminated) resumeAfterLine(recordStart, record.line);
                    else resumeAfterLine(m_pos, m_line);
                    return Next::Malformed;
                }
            } else {
                while (m_pos < m_text.size() && m_text[m_pos] != m_delimiter && !atLineEnd()) field += m_text[m_pos++];
            }
            record.fields.push_back(std::move(field));
            field.clear();
            if (m_pos >= m_text.size()) break;
            if (m_text[m_pos] == m_delimiter) {
                ++m_pos;
                continue;
            }
            consumeLineEnd();
            break;
        }
        // Blank lines are not records.
        if (record.fields.size() == 1 && record.fields[0].empty() && !sawQuote) continue;
        return Next::Record;
    }
}

std::string_view firstLineOf(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    const auto end = text.find_first_of("\r\n");
    return end == std::string_view::npos ? text : text.substr(0, end);
}

char guessDelimiter(std::string_view firstLine) {
    return firstLine.find('\t') != std::string_view::npos ? '\t' : ',';
}

std::string trimmedField(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

} // namespace gs::datasets
