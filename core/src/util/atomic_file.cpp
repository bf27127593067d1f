// Atomic file writes (see the header).

#include "util/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace gs::detail {

namespace fs = std::filesystem;

Status writeFileAtomically(const fs::path& file, std::span<const std::byte> bytes) {
    fs::path temp = file;
    temp += ".part-" + std::to_string(::getpid());
    {
        std::FILE* f = std::fopen(temp.c_str(), "wb");
        if (!f) return Status::failed("cannot create " + temp.string() + ": " + std::strerror(errno));
        const bool written = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
        const bool flushed = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
        const bool closed = std::fclose(f) == 0;
        if (!written || !flushed || !closed) {
            std::error_code ec;
            fs::remove(temp, ec);
            return Status::failed("cannot write " + file.string() + " (disk full?)");
        }
    }
    std::error_code ec;
    fs::rename(temp, file, ec);
    if (ec) {
        fs::remove(temp, ec);
        return Status::failed("cannot rename " + temp.string() + " to " + file.string() + ": " + ec.message());
    }
    return Status::ok();
}

Status writeTextFileAtomically(const fs::path& file, std::string_view text) {
    return writeFileAtomically(file, std::as_bytes(std::span<const char>(text.data(), text.size())));
}

} // namespace gs::detail
