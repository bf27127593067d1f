// Datasets: format names and guessing, the encoding check, the dispatch to the
// per-format parsers (dataset_tabular.cpp, dataset_line_formats.cpp) and the
// checks that look across records (duplicates), plus statistics.

#include "grammascope/dataset.h"

#include "datasets/dataset_csv.h"
#include "datasets/dataset_parsers.h"
#include "grammascope/alignment.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

namespace gs {
namespace {

using datasets::addIssue;

constexpr std::array<std::pair<DatasetFormat, const char*>, 6> kFormatNames = {{
    {DatasetFormat::GrammascopeCsv, "grammascope-csv"},
    {DatasetFormat::RublimpCsv, "rublimp-csv"},
    {DatasetFormat::BlimpJsonl, "blimp-jsonl"},
    {DatasetFormat::Delimited, "delimited"},
    {DatasetFormat::PlainText, "text"},
    {DatasetFormat::Conllu, "conllu"},
}};

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string fileStem(const std::string& source) {
    std::string stem = std::filesystem::path(source).stem().string();
    return stem.empty() ? source : stem;
}

std::string hexByte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

// Length of the well-formed UTF-8 sequence at `pos` (shortest form, no
// surrogates, at most U+10FFFF), or 0 when it is not one.
std::size_t validSequence(std::string_view t, std::size_t pos) {
    const auto b0 = static_cast<unsigned char>(t[pos]);
    if (b0 < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3, lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4, lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    else return 0;
    if (pos + n > t.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(t[pos + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    }
    return n;
}

// UTF-16 without a byte-order mark: the high byte of ASCII characters (and of
// nothing else in Russian text) is NUL, so NULs of the start sit on one parity.
bool looksLikeUtf16(std::string_view t) {
    const std::size_t n = std::min<std::size_t>(t.size(), 256);
    std::size_t even = 0, odd = 0;
    for (std::size_t i = 0; i < n; ++i) (i % 2 ? odd : even) += t[i] == 0;
    return std::min(even, odd) == 0 && std::max(even, odd) >= 2;
}

// The whole input must be UTF-8: a reader that went on would hand mojibake to
// the tokenizer, and a model scored on that is silently meaningless. The
// message names the line and column (in characters) of the first bad byte.
Status checkEncoding(std::string_view text, const std::string& source) {
    if (text.size() >= 2 && ((static_cast<unsigned char>(text[0]) == 0xFF && static_cast<unsigned char>(text[1]) == 0xFE) ||
                             (static_cast<unsigned char>(text[0]) == 0xFE && static_cast<unsigned char>(text[1]) == 0xFF))) {
        return Status::failed(source + ": the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8");
    }
    std::int64_t line = 1, column = 1;
    std::size_t pos = 0;
    auto at = [&] { return source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": "; };
    while (pos < text.size()) {
        const auto b = static_cast<unsigned char>(text[pos]);
        if (b == 0) {
            // Valid UTF-8, but never in text: UTF-16 / UTF-32 or a binary file.
            return Status::failed(at() + "a NUL byte at line " + std::to_string(line) + ", column " +
                                  std::to_string(column) + ": the file is not UTF-8 text" +
                                  (looksLikeUtf16(text) ? " (it looks like UTF-16 without a byte-order mark); save it as UTF-8"
                                                        : ""));
        }
        const std::size_t n = validSequence(text, pos);
        if (n == 0) {
            return Status::failed(at() + "the file is not UTF-8: byte " + hexByte(b) + " at line " + std::to_string(line) +
                                  ", column " + std::to_string(column) +
                                  " is not valid UTF-8 (is it Windows-1251 or KOI8-R?); save it as UTF-8");
        }
        if (b == '\n') line += 1, column = 1;
        else column += 1;
        pos += n;
    }
    return Status::ok();
}

// Warnings that need more than one record: duplicate ids and pairs, and pairs
// whose sentences are the same. Counts go to `stats` when given.
void checkAcrossItems(const std::vector<DatasetItem>& items, std::vector<DatasetIssue>* issues, DatasetStats* stats) {
    std::unordered_map<std::string_view, std::int64_t> ids;
    std::unordered_map<std::string, std::int64_t> sentences;
    for (const auto& item : items) {
        if (auto [it, fresh] = ids.emplace(item.id, item.line); !fresh) {
            if (stats) ++stats->duplicateIds;
            if (issues)
                issues->push_back({IssueSeverity::Warning, item.line,
                                   "duplicate id '" + item.id + "' (first on line " + std::to_string(it->second) + ")"});
        }
        // A NUL cannot occur inside UTF-8 text, so it separates the two sides.
        std::string key = item.good.text + '\0' + item.bad.text;
        if (auto [it, fresh] = sentences.emplace(std::move(key), item.line); !fresh) {
            if (stats) ++stats->duplicatePairs;
            if (issues)
                issues->push_back({IssueSeverity::Warning, item.line,
                                   std::string(item.isPair() ? "duplicate pair" : "duplicate sentence") +
                                       ": the same as on line " + std::to_string(it->second)});
        }
        if (item.isPair() && item.good.text == item.bad.text) {
            if (stats) ++stats->identicalPairs;
            if (issues)
                issues->push_back({IssueSeverity::Warning, item.line, "the good and bad sentences are identical"});
        }
    }
}

Status readWholeFile(const std::filesystem::path& file, std::string& text, std::size_t maxBytes = 0) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) return Status::failed(file.string() + " is a folder, not a file");
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed("cannot open '" + file.string() + "'");
    if (maxBytes == 0) {
        std::ostringstream ss;
        ss << in.rdbuf();
        text = std::move(ss).str();
    } else {
        text.resize(maxBytes);
        in.read(text.data(), static_cast<std::streamsize>(maxBytes));
        text.resize(static_cast<std::size_t>(in.gcount()));
        in.clear();
    }
    if (in.bad()) return Status::failed("error while reading '" + file.string() + "'");
    return Status::ok();
}

bool headerNames(std::string_view firstLine, char delimiter, std::vector<std::string>& names) {
    datasets::CsvTokenizer tokenizer(firstLine, delimiter);
    datasets::CsvRecord rec;
    datasets::CsvError error;
    if (tokenizer.next(rec, error) != datasets::CsvTokenizer::Next::Record) return false;
    names.clear();
    for (const auto& f : rec.fields) names.push_back(datasets::trimmedField(f));
    return true;
}

bool hasName(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Grammascope, RuBLiMP or another delimited file, by the header.
DatasetFormat guessFromHeader(std::string_view firstLine) {
    const char delimiter = datasets::guessDelimiter(firstLine);
    std::vector<std::string> names;
    if (delimiter != ',' || !headerNames(firstLine, delimiter, names)) return DatasetFormat::Delimited;
    if (hasName(names, "source_sentence") || hasName(names, "target_sentence")) return DatasetFormat::RublimpCsv;
    if (hasName(names, "good") || hasName(names, "bad")) return DatasetFormat::GrammascopeCsv;
    return DatasetFormat::Delimited;
}

} // namespace

const char* datasetFormatName(DatasetFormat f) {
    for (const auto& [format, name] : kFormatNames)
        if (format == f) return name;
    return "unknown";
}

std::optional<DatasetFormat> datasetFormatFromName(std::string_view name) {
    const std::string n = lowered(name);
    for (const auto& [format, canonical] : kFormatNames)
        if (n == canonical) return format;
    // Short names people type on a command line.
    static const std::map<std::string, DatasetFormat, std::less<>> kAliases = {
        {"grammascope", DatasetFormat::GrammascopeCsv}, {"rublimp", DatasetFormat::RublimpCsv},
        {"blimp", DatasetFormat::BlimpJsonl},           {"jsonl", DatasetFormat::BlimpJsonl},
        {"csv", DatasetFormat::Delimited},              {"tsv", DatasetFormat::Delimited},
        {"txt", DatasetFormat::PlainText},              {"plain", DatasetFormat::PlainText},
    };
    auto it = kAliases.find(n);
    if (it == kAliases.end()) return std::nullopt;
    return it->second;
}

std::string UdWord::feature(std::string_view name) const {
    std::string_view rest = feats;
    while (!rest.empty()) {
        const auto bar = rest.find('|');
        const std::string_view pair = rest.substr(0, bar);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 1);
    }
    return {};
}

bool AnnotatedSentence::hasUd() const {
    return std::any_of(words.begin(), words.end(), [](const SentenceWord& w) { return w.ud.has_value(); });
}

bool Dataset::singleSentences() const {
    return std::none_of(items.begin(), items.end(), [](const DatasetItem& i) { return i.isPair(); });
}

std::size_t Dataset::errorCount() const {
    return static_cast<std::size_t>(std::count_if(issues.begin(), issues.end(), [](const DatasetIssue& i) {
        return i.severity == IssueSeverity::Error;
    }));
}

std::string formatIssue(const std::string& sourceName, const DatasetIssue& issue) {
    std::string out = sourceName;
    if (issue.line > 0) {
        out += ':';
        out += std::to_string(issue.line);
    }
    out += issue.severity == IssueSeverity::Error ? ": error: " : ": warning: ";
    return out + issue.message;
}

std::optional<DatasetFormat> guessDatasetFormat(const std::filesystem::path& file, std::string_view firstLine) {
    firstLine = datasets::firstLineOf(firstLine);
    const std::string ext = lowered(file.extension().string());
    if (ext == ".jsonl" || ext == ".ndjson") return DatasetFormat::BlimpJsonl;
    if (ext == ".conllu" || ext == ".conll") return DatasetFormat::Conllu;
    if (ext == ".txt") return DatasetFormat::PlainText;
    if (ext == ".tsv" || ext == ".tab") return DatasetFormat::Delimited;
    if (ext == ".csv") return guessFromHeader(firstLine);
    // No extension we know: the first line may still say.
    const std::string line = datasets::trimmedField(firstLine);
    if (line.empty()) return std::nullopt;
    if (line.front() == '{') return DatasetFormat::BlimpJsonl;
    if (line.rfind("# sent_id", 0) == 0 || line.rfind("# text", 0) == 0 || line.rfind("# newdoc", 0) == 0 ||
        line.rfind("# newpar", 0) == 0 || (line.rfind("1\t", 0) == 0 && std::count(line.begin(), line.end(), '\t') == 9))
        return DatasetFormat::Conllu;
    if (line.find(',') != std::string::npos || line.find('\t') != std::string::npos) return guessFromHeader(firstLine);
    return std::nullopt;
}

Status parseDataset(std::string_view text, const std::string& sourceName, const DatasetReadOptions& options,
                    Dataset& out) {
    Dataset result;
    result.source = sourceName;
    result.name = options.name.empty() ? std::filesystem::path(sourceName).filename().string() : options.name;
    if (result.name.empty()) result.name = sourceName;

    if (Status st = checkEncoding(text, sourceName); !st.isOk()) return st;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    // A column mapping only makes sense for a delimited file: it says so.
    const bool mapped = !options.mapping.good.empty() || !options.mapping.hasHeader;
    const auto format = options.format ? options.format
                        : mapped       ? std::optional(DatasetFormat::Delimited)
                                       : guessDatasetFormat(sourceName, text);
    if (!format) {
        return Status::failed(sourceName +
                              ": cannot tell the format from the file name or its first line; name it (grammascope-csv, "
                              "rublimp-csv, blimp-jsonl, delimited, text, conllu)");
    }
    result.format = *format;
    const datasets::ParseInput in{text, sourceName, fileStem(sourceName)};
    Status st;
    switch (*format) {
    case DatasetFormat::GrammascopeCsv:
    case DatasetFormat::RublimpCsv:
    case DatasetFormat::Delimited: st = datasets::parseTabular(in, *format, options.mapping, result); break;
    case DatasetFormat::BlimpJsonl: st = datasets::parseBlimpJsonl(in, result); break;
    case DatasetFormat::PlainText: st = datasets::parsePlainText(in, result); break;
    case DatasetFormat::Conllu: st = datasets::parseConlluItems(in, result); break;
    }

    if (st.isOk()) {
        for (auto& item : result.items) {
            ensureWords(item.good);
            if (item.isPair()) ensureWords(item.bad);
        }
        checkAcrossItems(result.items, &result.issues, nullptr);
    }
    std::stable_sort(result.issues.begin(), result.issues.end(),
                     [](const DatasetIssue& a, const DatasetIssue& b) { return a.line < b.line; });

    if (st.isOk() && result.items.empty()) {
        const std::size_t errors = result.errorCount();
        if (errors > 0) {
            const auto first = std::find_if(result.issues.begin(), result.issues.end(),
                                            [](const DatasetIssue& i) { return i.severity == IssueSeverity::Error; });
            st = Status::failed(sourceName + ": no valid record: " + std::to_string(errors) + " record(s) skipped, the first: " +
                                formatIssue(sourceName, *first));
        } else {
            st = Status::failed(sourceName + ": no records to load (the file holds no " +
                                (*format == DatasetFormat::PlainText || *format == DatasetFormat::Conllu ? "sentences"
                                                                                                         : "pairs") +
                                ")");
        }
    }
    // Even a failed read hands back what it found: the header columns (for a
    // mapping step after an unmappable header) and the skipped records.
    out = std::move(result);
    return st;
}

Status readDataset(const std::filesystem::path& file, const DatasetReadOptions& options, Dataset& out) {
    std::string text;
    if (Status st = readWholeFile(file, text); !st.isOk()) return st.withStage("reading dataset");
    Status st = parseDataset(text, file.string(), options, out);
    out.source = file;
    return st.withStage("reading dataset");
}

Status previewDelimited(const std::filesystem::path& file, char delimiter, int maxRows,
                        std::vector<std::vector<std::string>>& rows) {
    // A preview needs the first rows only; a megabyte holds thousands.
    constexpr std::size_t kPreviewBytes = 1 << 20;
    std::string text;
    if (Status st = readWholeFile(file, text, kPreviewBytes); !st.isOk()) return st.withStage("previewing");
    if (text.size() == kPreviewBytes) {
        // Cut at the last line end so that no character or record is split.
        const auto end = text.rfind('\n');
        if (end != std::string::npos) text.resize(end + 1);
    }
    if (Status st = checkEncoding(text, file.string()); !st.isOk()) return st.withStage("previewing");
    std::string_view view = text;
    if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
    const char d = delimiter ? delimiter : datasets::guessDelimiter(datasets::firstLineOf(view));
    datasets::CsvTokenizer tokenizer(view, d, d == '\t');
    datasets::CsvRecord rec;
    datasets::CsvError error;
    std::vector<std::vector<std::string>> result;
    for (;;) {
        const auto next = tokenizer.next(rec, error);
        if (next == datasets::CsvTokenizer::Next::End) break;
        if (next == datasets::CsvTokenizer::Next::Malformed) continue;  // the reader will report it
        result.push_back(std::move(rec.fields));
        if (static_cast<int>(result.size()) > std::max(maxRows, 0)) break;
    }
    if (result.empty()) return Status::failed("previewing: " + file.string() + ": the file is empty");
    rows = std::move(result);
    return Status::ok();
}

MinimalPair toMinimalPair(const DatasetItem& item) {
    MinimalPair p;
    p.id = item.id;
    p.phenomenon = item.phenomenon;
    p.good = item.good.text;
    p.bad = item.bad.text;
    p.goodWord = item.goodWord;
    p.badWord = item.badWord;
    p.wordIndex = item.wordIndex;
    return p;
}

DatasetStats computeDatasetStats(const Dataset& dataset) {
    DatasetStats s;
    std::map<std::string, std::int64_t> phenomena;
    std::int64_t sentences = 0, words = 0;
    for (const auto& item : dataset.items) {
        ++s.items;
        ++(item.isPair() ? s.pairs : s.singles);
        ++phenomena[item.phenomenon];
        if (item.good.hasUd() || item.bad.hasUd()) ++s.withUd;
        for (const AnnotatedSentence* side : {&item.good, &item.bad}) {
            if (side->text.empty()) continue;
            ++sentences;
            const auto n = static_cast<std::int64_t>(side->words.size());
            words += n;
            s.maxWords = std::max(s.maxWords, n);
        }
    }
    s.perPhenomenon.assign(phenomena.begin(), phenomena.end());
    s.meanWords = sentences ? static_cast<double>(words) / static_cast<double>(sentences) : 0.0;
    checkAcrossItems(dataset.items, nullptr, &s);
    s.errors = static_cast<std::int64_t>(dataset.errorCount());
    s.warnings = static_cast<std::int64_t>(dataset.issues.size()) - s.errors;
    return s;
}

} // namespace gs
