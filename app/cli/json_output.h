#pragma once
// JSON renderings of core results shared by the sub-commands.

#include "grammascope/model.h"

#include <nlohmann/json.hpp>

namespace gs::cli {

nlohmann::json modelInfoJson(const ModelInfo& info);
nlohmann::json tokensJson(const Encoding& encoding);

} // namespace gs::cli
