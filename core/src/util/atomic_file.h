#pragma once
// Writing a file so that it is never seen half-written: the bytes go to
// "<file>.part-<pid>", are flushed to disk (fsync) and renamed into place; on
// any failure (disk full, no permission) the temporary file is removed and
// an existing file is left as it was. Internal to the core.

#include "grammascope/status.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>

namespace gs::detail {

Status writeFileAtomically(const std::filesystem::path& file, std::span<const std::byte> bytes);
Status writeTextFileAtomically(const std::filesystem::path& file, std::string_view text);

} // namespace gs::detail
