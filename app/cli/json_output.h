#pragma once
// JSON renderings of core results shared by the sub-commands.

#include "grammascope/model.h"
#include "grammascope/status.h"

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace gs::cli {

nlohmann::json modelInfoJson(const ModelInfo& info);
nlohmann::json tokensJson(const Encoding& encoding);

// Writes a report (JSON text) to "<file>.part" and renames it into place, so
// that an existing file is never left half-written.
Status writeTextFile(const std::filesystem::path& file, const std::string& text);

} // namespace gs::cli
