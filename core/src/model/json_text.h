#pragma once
// Parsing JSON files of a checkpoint folder with messages that point at the
// offending spot as file:line:column (nlohmann reports a byte position).

#include "grammascope/status.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gs {

// "file:line:column: <what the parser said>", both counted from 1.
inline std::string describeJsonParseError(const nlohmann::json::parse_error& e, const std::string& text,
                                          const std::string& source) {
    const std::size_t pos = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
    const std::size_t lineStart = text.rfind('\n', pos == 0 ? std::string::npos : pos - 1);
    const std::size_t column = lineStart == std::string::npos || pos == 0 ? pos + 1 : pos - lineStart;
    // Drop nlohmann's "[json.exception...] parse error at line L, column C: " prefix.
    std::string what = e.what();
    const std::size_t col = what.find("column ");
    const std::size_t colon = what.find(": ", col == std::string::npos ? 0 : col);
    if (colon != std::string::npos) what = what.substr(colon + 2);
    return source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": invalid JSON: " + what;
}

inline Status parseJsonText(const std::string& text, const std::string& source, nlohmann::json& out) {
    try {
        out = nlohmann::json::parse(text);
        return Status::ok();
    } catch (const nlohmann::json::parse_error& e) {
        return Status::failed(describeJsonParseError(e, text, source));
    } catch (const nlohmann::json::exception& e) {
        return Status::failed(source + ": invalid JSON: " + e.what());
    }
}

inline Status readTextFile(const std::filesystem::path& file, std::string& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed(file.string() + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Status::failed(file.string() + ": read error");
    out = ss.str();
    return Status::ok();
}

} // namespace gs
