// Delimited datasets: Grammascope CSV, RuBLiMP CSV and any CSV / TSV read
// through a ColumnMapping. One reader serves the three: the two known schemas
// are fixed mappings of header names.

#include "datasets/dataset_csv.h"
#include "datasets/dataset_parsers.h"

#include <array>
#include <charconv>
#include <map>

namespace gs::datasets {
namespace {

enum Role : std::size_t { kGood, kBad, kId, kPhenomenon, kGoodWord, kBadWord, kWordIndex, kRoleCount };

constexpr std::array<const char*, kRoleCount> kRoleNames = {"good",       "bad",      "id",        "phenomenon",
                                                            "good_word", "bad_word", "word_index"};

// Header names of a known schema per role; nullptr where it has none.
struct KnownSchema {
    std::array<const char*, kRoleCount> names;
    const char* description;
};

const KnownSchema kGrammascopeSchema = {{"good", "bad", "id", "phenomenon", "good_word", "bad_word", "word_index"},
                                        "Grammascope schema: id,phenomenon,good,bad,good_word,bad_word,word_index"};
const KnownSchema kRublimpSchema = {
    {"source_sentence", "target_sentence", "id", "PID", "source_word", "target_word", nullptr},
    "RuBLiMP schema: id,source_sentence,target_sentence,...,PID"};
const KnownSchema kBlimpSchema = {{"sentence_good", "sentence_bad", "pairID", "UID", nullptr, nullptr, nullptr},
                                  "BLiMP schema: sentence_good,sentence_bad,...,UID,pairID"};

struct Columns {
    std::array<std::ptrdiff_t, kRoleCount> index{-1, -1, -1, -1, -1, -1, -1};
    std::vector<std::string> names;  // per column: header name, or its 1-based number without a header
    bool hasHeader = true;
};

std::string listColumns(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
    return out.empty() ? "none" : out;
}

std::ptrdiff_t findName(const std::vector<std::string>& names, std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<std::ptrdiff_t>(i);
    return -1;
}

bool allDigits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string where(const std::string& source, std::int64_t line) { return source + ":" + std::to_string(line) + ": "; }

// A hint when the header came out as one column that holds semicolons: an
// Excel export in a Russian locale.
std::string delimiterHint(const std::vector<std::string>& names) {
    if (names.size() == 1 && names[0].find(';') != std::string::npos)
        return " (the header is one column: is the delimiter ';'?)";
    return {};
}

Status resolveKnown(const KnownSchema& schema, const std::string& source, std::int64_t line, Columns& c) {
    for (std::size_t r = 0; r < kRoleCount; ++r) {
        if (schema.names[r]) c.index[r] = findName(c.names, schema.names[r]);
    }
    for (Role required : {kGood, kBad}) {
        if (c.index[required] < 0) {
            return Status::failed(where(source, line) + "missing required column '" + schema.names[required] + "' (" +
                                  schema.description + "); the columns are: " + listColumns(c.names) +
                                  delimiterHint(c.names));
        }
    }
    return Status::ok();
}

// One column named by a mapping: a header name, else a 1-based number.
Status resolveOne(const std::string& spec, Role role, const std::string& source, std::int64_t line, Columns& c) {
    const std::string name = trimmedField(spec);
    if (name.empty()) return Status::ok();
    const std::string roleText = std::string("(for ") + kRoleNames[role] + ")";
    if (c.hasHeader) {
        const auto i = findName(c.names, name);
        if (i >= 0) {
            c.index[role] = i;
            return Status::ok();
        }
    }
    if (allDigits(name)) {
        std::size_t n = 0;
        std::from_chars(name.data(), name.data() + name.size(), n);
        if (n >= 1 && n <= c.names.size()) {
            c.index[role] = static_cast<std::ptrdiff_t>(n - 1);
            return Status::ok();
        }
        return Status::failed(where(source, line) + "column " + name + " " + roleText + " does not exist: the " +
                              (c.hasHeader ? "header has " : "first record has ") + std::to_string(c.names.size()) +
                              " columns");
    }
    if (!c.hasHeader) {
        return Status::failed(where(source, line) + "without a header row columns are named by number (1-" +
                              std::to_string(c.names.size()) + "), got '" + name + "' " + roleText);
    }
    return Status::failed(where(source, line) + "column '" + name + "' " + roleText +
                          " is not in the header; the columns are: " + listColumns(c.names) + delimiterHint(c.names));
}

Status resolveMapping(const ColumnMapping& m, const std::string& source, std::int64_t line, Columns& c) {
    if (trimmedField(m.good).empty()) {
        // No mapping given: the columns of a schema we know, else a lone column.
        for (const KnownSchema* schema : {&kGrammascopeSchema, &kRublimpSchema, &kBlimpSchema}) {
            if (!c.hasHeader || findName(c.names, schema->names[kGood]) < 0) continue;
            for (std::size_t r = 0; r < kRoleCount; ++r)
                if (schema->names[r]) c.index[r] = findName(c.names, schema->names[r]);
            return Status::ok();
        }
        for (const char* single : {"sentence", "text"}) {
            if (c.hasHeader && (c.index[kGood] = findName(c.names, single)) >= 0) return Status::ok();
        }
        // A lone column is the sentences, unless its name shows that the
        // header was split at the wrong delimiter.
        if (c.names.size() == 1 && c.names[0].find(';') == std::string::npos) {
            c.index[kGood] = 0;
            return Status::ok();
        }
        return Status::failed(where(source, line) +
                              "which column holds the sentences? Give a column mapping (good=COLUMN[,bad=COLUMN]); "
                              "the columns are: " +
                              listColumns(c.names) + delimiterHint(c.names));
    }
    const std::array<const std::string*, kRoleCount> specs = {&m.good,    &m.bad,     &m.id,       &m.phenomenon,
                                                              &m.goodWord, &m.badWord, &m.wordIndex};
    for (std::size_t r = 0; r < kRoleCount; ++r) {
        if (Status st = resolveOne(*specs[r], static_cast<Role>(r), source, line, c); !st.isOk()) return st;
    }
    if (c.index[kBad] >= 0 && c.index[kBad] == c.index[kGood]) {
        return Status::failed(where(source, line) + "good and bad are mapped to the same column '" +
                              c.names[static_cast<std::size_t>(c.index[kGood])] + "'");
    }
    return Status::ok();
}

class RecordConverter {
public:
    RecordConverter(const Columns& columns, const ParseInput& in) : m_columns(columns), m_in(in) {
        m_used.assign(columns.names.size(), false);
        for (auto i : columns.index)
            if (i >= 0) m_used[static_cast<std::size_t>(i)] = true;
    }

    // Appends the record as an item, or the reason it is skipped as an issue.
    void convert(const CsvRecord& rec, Dataset& out) const {
        const auto& names = m_columns.names;
        if (rec.fields.size() != names.size()) {
            addIssue(out, IssueSeverity::Error, rec.line,
                     "found " + std::to_string(rec.fields.size()) + " fields but the " +
                         (m_columns.hasHeader ? "header has " : "first record has ") + std::to_string(names.size()));
            return;
        }
        auto field = [&](Role r) {
            const auto i = m_columns.index[r];
            return i < 0 ? std::string() : trimmedField(rec.fields[static_cast<std::size_t>(i)]);
        };
        DatasetItem item;
        item.line = rec.line;
        item.good.text = field(kGood);
        item.bad.text = field(kBad);
        for (Role r : {kGood, kBad}) {
            if (m_columns.index[r] >= 0 && (r == kGood ? item.good.text : item.bad.text).empty()) {
                addIssue(out, IssueSeverity::Error, rec.line, fieldName(r) + ": empty sentence");
                return;
            }
        }
        item.id = field(kId);
        if (item.id.empty()) item.id = lineId(rec.line);
        item.phenomenon = field(kPhenomenon);
        if (item.phenomenon.empty()) item.phenomenon = m_in.defaultPhenomenon;
        item.goodWord = field(kGoodWord);
        item.badWord = field(kBadWord);
        const std::string wi = field(kWordIndex);
        if (!wi.empty()) {
            int v = 0;
            auto [ptr, ec] = std::from_chars(wi.data(), wi.data() + wi.size(), v);
            if (ec != std::errc() || ptr != wi.data() + wi.size() || v < -1) {
                addIssue(out, IssueSeverity::Error, rec.line,
                         fieldName(kWordIndex) + ": word index must be an integer >= -1, got '" + wi + "'");
                return;
            }
            item.wordIndex = v;
        }
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (!m_used[i]) item.metadata.emplace_back(names[i], trimmedField(rec.fields[i]));
        }
        out.items.push_back(std::move(item));
    }

private:
    // "field 3 (good)": the position a user finds in a spreadsheet, and the name.
    std::string fieldName(Role r) const {
        const auto i = static_cast<std::size_t>(m_columns.index[r]);
        std::string s = "field " + std::to_string(i + 1);
        if (m_columns.hasHeader) s += " (" + m_columns.names[i] + ")";
        return s;
    }

    const Columns& m_columns;
    const ParseInput& m_in;
    std::vector<bool> m_used;
};

} // namespace

Status parseTabular(const ParseInput& in, DatasetFormat format, const ColumnMapping& mapping, Dataset& out) {
    const bool known = format == DatasetFormat::GrammascopeCsv || format == DatasetFormat::RublimpCsv;
    const char delimiter = mapping.delimiter ? mapping.delimiter : (known ? ',' : guessDelimiter(firstLineOf(in.text)));
    // The known schemas always have a header row.
    const bool hasHeader = known || mapping.hasHeader;
    CsvTokenizer tokenizer(in.text, delimiter, delimiter == '\t');

    CsvRecord first;
    CsvError error;
    for (;;) {
        const auto next = tokenizer.next(first, error);
        if (next == CsvTokenizer::Next::Record) break;
        if (next == CsvTokenizer::Next::End) {
            return Status::failed(in.source + (hasHeader ? ": no header row (the file is empty)" : ": the file is empty"));
        }
        // Without the header nothing can be mapped; a bad first row of a
        // header-less file is just a bad record.
        if (hasHeader) return Status::failed(where(in.source, error.line) + "header row: " + error.message);
        addIssue(out, IssueSeverity::Error, error.line, error.message);
    }

    Columns columns;
    columns.hasHeader = hasHeader;
    if (hasHeader) {
        std::map<std::string, std::int64_t> seen;
        for (const auto& f : first.fields) {
            columns.names.push_back(trimmedField(f));
            if (!seen.emplace(columns.names.back(), 1).second) {
                addIssue(out, IssueSeverity::Warning, first.line,
                         "duplicate column '" + columns.names.back() + "': the first one is used");
            }
        }
    } else {
        for (std::size_t i = 0; i < first.fields.size(); ++i) columns.names.push_back(std::to_string(i + 1));
    }
    out.columns = columns.names;

    Status st;
    if (format == DatasetFormat::GrammascopeCsv) st = resolveKnown(kGrammascopeSchema, in.source, first.line, columns);
    else if (format == DatasetFormat::RublimpCsv) st = resolveKnown(kRublimpSchema, in.source, first.line, columns);
    else st = resolveMapping(mapping, in.source, first.line, columns);
    if (!st.isOk()) return st;

    const RecordConverter converter(columns, in);
    if (!hasHeader) converter.convert(first, out);
    CsvRecord rec;
    for (;;) {
        const auto next = tokenizer.next(rec, error);
        if (next == CsvTokenizer::Next::End) break;
        if (next == CsvTokenizer::Next::Malformed) addIssue(out, IssueSeverity::Error, error.line, error.message);
        else converter.convert(rec, out);
    }
    return Status::ok();
}

} // namespace gs::datasets
