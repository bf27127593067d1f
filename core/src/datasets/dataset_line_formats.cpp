// Line-oriented datasets: BLiMP-style JSON Lines, plain text (one sentence a
// line) and CoNLL-U (converted from parseConllu's sentences).

#include "datasets/dataset_csv.h"
#include "datasets/dataset_parsers.h"
#include "grammascope/conllu.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>

namespace gs::datasets {
namespace {

// ordered_json keeps members in file order, which metadata promises.
using Json = nlohmann::ordered_json;

// Calls `fn(line, number)` for every line of `text`, without its line end.
template <class Fn>
void forEachLine(std::string_view text, Fn&& fn) {
    std::int64_t number = 1;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        fn(line, number);
        pos = end + 1;
        ++number;
    }
}

std::string typeName(const Json& j) {
    if (j.is_array()) return "an array";
    if (j.is_string()) return "a string";
    if (j.is_number()) return "a number";
    if (j.is_boolean()) return "a boolean";
    if (j.is_null()) return "null";
    return "an object";
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column
// 55: syntax error ..." without the exception id and the line, which is
// always 1 here (the issue has the file's line), and with the column counted
// in characters like every other column we report, not in bytes.
std::string jsonError(const nlohmann::json::parse_error& e, std::string_view line) {
    const std::string what = e.what();
    const auto colon = what.find(": ", what.find("column "));
    const std::string reason = what.substr(colon == std::string::npos ? what.find("] ") + 2 : colon + 2);
    const std::string_view before = line.substr(0, std::min<std::size_t>(e.byte, line.size()));
    std::size_t column = 0;
    for (char c : before) column += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return "invalid JSON at column " + std::to_string(std::max<std::size_t>(column, 1)) + ": " + reason;
}

// The first member of `names` that holds a non-empty string (or a number, for
// ids); nullptr when none does.
const char* firstPresent(const Json& object, std::initializer_list<const char*> names, bool numbersToo) {
    for (const char* name : names) {
        auto it = object.find(name);
        if (it == object.end()) continue;
        if (it->is_string() && !it->get<std::string>().empty()) return name;
        if (numbersToo && it->is_number()) return name;
    }
    return nullptr;
}

std::string asText(const Json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// One JSON Lines record; false with `reason` when it has to be skipped.
bool convertObject(const Json& object, std::int64_t line, const ParseInput& in, DatasetItem& item,
                   std::string& reason) {
    if (!object.is_object()) {
        reason = "expected a JSON object, got " + typeName(object);
        return false;
    }
    const std::array<std::pair<const char*, std::string*>, 2> sentences = {
        {{"sentence_good", &item.good.text}, {"sentence_bad", &item.bad.text}}};
    for (const auto& [name, target] : sentences) {
        auto it = object.find(name);
        if (it == object.end()) {
            reason = std::string("missing member \"") + name + "\"";
            return false;
        }
        if (!it->is_string()) {
            reason = std::string("\"") + name + "\" must be a string, got " + typeName(*it);
            return false;
        }
        std::string text = trimmedField(it->get<std::string>());
        if (text.empty()) {
            reason = std::string("\"") + name + "\": empty sentence";
            return false;
        }
        *target = std::move(text);
    }
    // Grammascope's own names for the changed word, when a converter kept them.
    if (auto it = object.find("word_index"); it != object.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < -1 || it->get<std::int64_t>() > INT32_MAX) {
            reason = "\"word_index\" must be an integer >= -1, got " + it->dump();
            return false;
        }
        item.wordIndex = static_cast<std::int32_t>(it->get<std::int64_t>());
    }
    const char* phenomenonKey = firstPresent(object, {"UID", "phenomenon", "linguistics_term"}, false);
    const char* idKey = firstPresent(object, {"pairID", "id"}, true);
    item.phenomenon = phenomenonKey ? object.at(phenomenonKey).get<std::string>() : in.defaultPhenomenon;
    item.id = idKey ? asText(object.at(idKey)) : lineId(line);
    item.line = line;
    for (const auto& [key, value] : object.items()) {
        if (key == "sentence_good" || key == "sentence_bad" || key == "word_index") continue;
        if ((phenomenonKey && key == phenomenonKey) || (idKey && key == idKey)) continue;
        if (key == "good_word" && value.is_string()) item.goodWord = value.get<std::string>();
        else if (key == "bad_word" && value.is_string()) item.badWord = value.get<std::string>();
        else item.metadata.emplace_back(key, asText(value));
    }
    return true;
}

} // namespace

std::string lineId(std::int64_t line) { return "line " + std::to_string(line); }

Status parseBlimpJsonl(const ParseInput& in, Dataset& out) {
    forEachLine(in.text, [&](std::string_view line, std::int64_t number) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) return;
        Json object;
        try {
            object = Json::parse(line);
        } catch (const nlohmann::json::parse_error& e) {
            addIssue(out, IssueSeverity::Error, number, jsonError(e, line));
            return;
        }
        DatasetItem item;
        std::string reason;
        if (convertObject(object, number, in, item, reason)) out.items.push_back(std::move(item));
        else addIssue(out, IssueSeverity::Error, number, reason);
    });
    return Status::ok();
}

Status parsePlainText(const ParseInput& in, Dataset& out) {
    forEachLine(in.text, [&](std::string_view line, std::int64_t number) {
        std::string text = trimmedField(line);
        // Comment lines let a sentence list carry its own notes.
        if (text.empty() || text.front() == '#') return;
        DatasetItem item;
        item.id = lineId(number);
        item.phenomenon = in.defaultPhenomenon;
        item.good.text = std::move(text);
        item.line = number;
        out.items.push_back(std::move(item));
    });
    return Status::ok();
}

Status parseConlluItems(const ParseInput& in, Dataset& out) {
    ConlluDocument doc;
    if (Status st = parseConllu(in.text, in.source, doc); !st.isOk()) return st;
    for (auto& s : doc.sentences) {
        if (trimmedField(s.sentence.text).empty()) {
            addIssue(out, IssueSeverity::Error, s.line, "empty sentence");
            continue;
        }
        DatasetItem item;
        item.id = std::move(s.sentId);
        item.phenomenon = in.defaultPhenomenon;
        item.good = std::move(s.sentence);
        item.line = s.line;
        out.items.push_back(std::move(item));
    }
    out.issues.insert(out.issues.end(), doc.issues.begin(), doc.issues.end());
    return Status::ok();
}

} // namespace gs::datasets
