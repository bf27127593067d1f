// Writing minimal pairs in Grammascope's CSV schema (read back by
// parsePairsCsv in pairs_csv.cpp): RFC 4180 quoting through csvRecord, CRLF
// line ends, and an atomic replace of the target file.

#include "grammascope/pair_generator.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <unistd.h>

namespace gs {

std::string minimalPairsToCsv(const std::vector<MinimalPair>& pairs) { return minimalPairsToCsv(pairs, {}, {}); }

std::string minimalPairsToCsv(const std::vector<MinimalPair>& pairs, const std::vector<std::string>& extraColumns,
                              const std::vector<std::vector<std::string>>& extraValues) {
    std::vector<std::string> header = {"id", "phenomenon", "good", "bad", "good_word", "bad_word", "word_index"};
    header.insert(header.end(), extraColumns.begin(), extraColumns.end());
    std::string out = csvRecord(header) + "\r\n";
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const MinimalPair& p = pairs[i];
        std::vector<std::string> fields = {p.id, p.phenomenon, p.good, p.bad, p.goodWord, p.badWord, std::to_string(p.wordIndex)};
        // Every record has as many fields as the header, or readers reject it.
        for (std::size_t c = 0; c < extraColumns.size(); ++c)
            fields.push_back(i < extraValues.size() && c < extraValues[i].size() ? extraValues[i][c] : std::string());
        out += csvRecord(fields) + "\r\n";
    }
    return out;
}

Status writeMinimalPairsCsv(const std::filesystem::path& file, const std::vector<MinimalPair>& pairs) {
    return writeMinimalPairsCsv(file, pairs, {}, {});
}

Status writeMinimalPairsCsv(const std::filesystem::path& file, const std::vector<MinimalPair>& pairs,
                            const std::vector<std::string>& extraColumns,
                            const std::vector<std::vector<std::string>>& extraValues) {
    const std::string where = "writing " + file.string() + ": ";
    const std::string text = minimalPairsToCsv(pairs, extraColumns, extraValues);
    // The temporary file sits next to the target so that the rename stays on one file system.
    static std::atomic<unsigned> counter{0};
    const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    std::string tmpName = ".";  // appended piecewise: GCC 12 warns falsely on "." + std::string&&
    tmpName += file.filename().string();
    tmpName += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const auto tmp = dir / tmpName;
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return Status::failed(where + "cannot create " + tmp.string() + ": " + std::strerror(errno));
    bool ok = text.empty() || std::fwrite(text.data(), 1, text.size(), f) == text.size();
    // Flushed to disk before the rename, so a crash leaves the old file or the new one.
    ok = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0 && ok;
    const int savedErrno = errno;
    ok = std::fclose(f) == 0 && ok;
    std::error_code ec;
    if (!ok) {
        std::filesystem::remove(tmp, ec);
        return Status::failed(where + "write failed: " + std::strerror(savedErrno ? savedErrno : errno));
    }
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        return Status::failed(where + "cannot move the temporary file into place: " + ec.message());
    }
    return Status::ok();
}

} // namespace gs
