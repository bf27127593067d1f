#include "grammascope/pairs.h"

#include "datasets/dataset_csv.h"

#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace gs {
namespace {

using datasets::CsvError;
using datasets::CsvRecord;
using datasets::CsvTokenizer;

// The tokenizer recovers from a malformed record; this reader keeps its
// all-or-nothing contract (pairs.h) and stops at the first one.
bool nextRecord(CsvTokenizer& reader, const std::string& source, CsvRecord& record, std::string& error) {
    CsvError e;
    switch (reader.next(record, e)) {
    case CsvTokenizer::Next::Record: return true;
    case CsvTokenizer::Next::Malformed: error = source + ":" + std::to_string(e.line) + ": " + e.message; return false;
    case CsvTokenizer::Next::End: return false;
    }
    return false;
}

std::string trimmed(const std::string& s) { return datasets::trimmedField(s); }

std::string fileStem(const std::string& source) {
    std::string stem = std::filesystem::path(source).stem().string();
    return stem.empty() ? source : stem;
}

} // namespace

const char* pairsSchemaName(PairsSchema schema) {
    return schema == PairsSchema::Rublimp ? "rublimp" : "grammascope";
}

Status parsePairsCsv(std::string_view text, const std::string& sourceName, PairsFile& out) {
    PairsFile result;
    CsvTokenizer reader(text, ',');
    CsvRecord header;
    std::string error;
    if (!nextRecord(reader, sourceName, header, error)) {
        return Status::failed(error.empty() ? sourceName + ": no header row (the file is empty)" : error);
    }
    auto where = [&](std::int64_t line) { return sourceName + ":" + std::to_string(line) + ": "; };

    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = trimmed(header.fields[i]);
        if (!column.emplace(name, i).second)
            result.warnings.push_back(where(header.line) + "duplicate column '" + name + "': the first one is used");
    }
    const bool rublimp = column.count("source_sentence") || column.count("target_sentence");
    result.schema = rublimp ? PairsSchema::Rublimp : PairsSchema::Grammascope;

    const char* goodName = rublimp ? "source_sentence" : "good";
    const char* badName = rublimp ? "target_sentence" : "bad";
    const char* goodWordName = rublimp ? "source_word" : "good_word";
    const char* badWordName = rublimp ? "target_word" : "bad_word";
    const char* phenomenonName = rublimp ? "PID" : "phenomenon";
    for (const char* required : {goodName, badName}) {
        if (!column.count(required)) {
            return Status::failed(where(header.line) + "missing required column '" + required + "' (" +
                                  (rublimp ? "RuBLiMP schema: id,source_sentence,target_sentence,...,PID"
                                           : "Grammascope schema: id,phenomenon,good,bad,good_word,bad_word,word_index") +
                                  ")");
        }
    }
    auto find = [&](const char* name) -> std::ptrdiff_t {
        auto it = column.find(name);
        return it == column.end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
    };
    const auto cId = find("id"), cGood = find(goodName), cBad = find(badName), cGoodWord = find(goodWordName),
               cBadWord = find(badWordName), cPhenomenon = find(phenomenonName),
               cWordIndex = rublimp ? -1 : find("word_index");
    const std::string defaultPhenomenon = fileStem(sourceName);

    std::set<std::string> ids;
    bool warnedDuplicate = false;
    CsvRecord rec;
    while (nextRecord(reader, sourceName, rec, error)) {
        if (rec.fields.size() != header.fields.size()) {
            return Status::failed(where(rec.line) + "found " + std::to_string(rec.fields.size()) + " fields but the header has " +
                                  std::to_string(header.fields.size()));
        }
        auto field = [&](std::ptrdiff_t c) { return c < 0 ? std::string() : rec.fields[static_cast<std::size_t>(c)]; };
        MinimalPair p;
        p.id = trimmed(field(cId));
        if (p.id.empty()) p.id = "line " + std::to_string(rec.line);
        p.phenomenon = trimmed(field(cPhenomenon));
        if (p.phenomenon.empty()) p.phenomenon = defaultPhenomenon;
        p.good = trimmed(field(cGood));
        p.bad = trimmed(field(cBad));
        if (p.good.empty()) return Status::failed(where(rec.line) + "empty sentence in column '" + goodName + "'");
        if (p.bad.empty()) return Status::failed(where(rec.line) + "empty sentence in column '" + badName + "'");
        p.goodWord = trimmed(field(cGoodWord));
        p.badWord = trimmed(field(cBadWord));
        const std::string wi = trimmed(field(cWordIndex));
        if (!wi.empty()) {
            int v = 0;
            auto [ptr, ec] = std::from_chars(wi.data(), wi.data() + wi.size(), v);
            if (ec != std::errc() || ptr != wi.data() + wi.size() || v < -1) {
                return Status::failed(where(rec.line) + "word_index must be an integer >= -1, got '" + wi + "'");
            }
            p.wordIndex = v;
        }
        if (!ids.insert(p.id).second && !warnedDuplicate) {
            result.warnings.push_back(where(rec.line) + "duplicate id '" + p.id + "' (further duplicates not reported)");
            warnedDuplicate = true;
        }
        result.pairs.push_back(std::move(p));
        result.lines.push_back(rec.line);
    }
    if (!error.empty()) return Status::failed(error);
    if (result.pairs.empty()) result.warnings.push_back(sourceName + ": the file has a header but no pairs");
    out = std::move(result);
    return Status::ok();
}

Status readPairsCsv(const std::filesystem::path& file, PairsFile& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed("reading pairs: cannot open '" + file.string() + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Status::failed("reading pairs: error while reading '" + file.string() + "'");
    return parsePairsCsv(ss.str(), file.string(), out).withStage("reading pairs");
}

std::string csvRecord(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        const std::string& f = fields[i];
        if (f.find_first_of(",\"\r\n") == std::string::npos) {
            out += f;
            continue;
        }
        out += '"';
        for (char c : f) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
    }
    return out;
}

} // namespace gs
