#include "cache/result_codec.h"

#include "cache/fp16.h"
#include "cache/hashing.h"

#include <cstring>
#include <limits>

namespace gs::cache {
namespace {

constexpr std::size_t kHeaderBytes = 32;
constexpr std::uint16_t kFormatVersion = 1;
constexpr std::uint16_t kValueFp16 = 1;
// A sanity bound, far above any model (tokens x layers), so that a damaged
// header cannot make the reader allocate gigabytes.
constexpr std::uint64_t kMaxCells = std::uint64_t{1} << 28;

void putLe(std::uint8_t* p, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t getLe(const std::uint8_t* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

} // namespace

bool validateMatrix(const ResultMatrix& m, std::string& error) {
    if (m.rows < 0 || m.cols < 0) {
        error = "negative matrix shape";
        return false;
    }
    const std::uint64_t cells = std::uint64_t(m.rows) * std::uint64_t(m.cols);
    if (cells > kMaxCells) {
        error = "matrix too large (" + std::to_string(m.rows) + " x " + std::to_string(m.cols) + ")";
        return false;
    }
    if (m.values.size() != cells) {
        error = "matrix " + std::to_string(m.rows) + " x " + std::to_string(m.cols) + " has " +
                std::to_string(m.values.size()) + " values";
        return false;
    }
    if (!m.rowLabels.empty() && m.rowLabels.size() != std::size_t(m.rows)) {
        error = std::to_string(m.rowLabels.size()) + " row labels for " + std::to_string(m.rows) + " rows";
        return false;
    }
    if (!m.colLabels.empty() && m.colLabels.size() != std::size_t(m.cols)) {
        error = std::to_string(m.colLabels.size()) + " token labels for " + std::to_string(m.cols) + " columns";
        return false;
    }
    return true;
}

void encodeMatrix(const ResultMatrix& m, std::vector<std::uint8_t>& blob) {
    const auto labelAt = [](const std::vector<std::string>& labels, int i) -> const std::string& {
        static const std::string empty;
        return labels.empty() ? empty : labels[std::size_t(i)];
    };
    std::size_t labelBytes = 0;
    for (int r = 0; r < m.rows; ++r) labelBytes += 4 + labelAt(m.rowLabels, r).size();
    for (int c = 0; c < m.cols; ++c) labelBytes += 4 + labelAt(m.colLabels, c).size();
    const std::size_t cells = std::size_t(m.rows) * std::size_t(m.cols);
    blob.assign(kHeaderBytes + labelBytes + 2 * cells, 0);

    std::uint8_t* p = blob.data();
    std::memcpy(p, "GSM1", 4);
    putLe(p + 4, kFormatVersion, 2);
    putLe(p + 6, kValueFp16, 2);
    putLe(p + 8, std::uint32_t(m.rows), 4);
    putLe(p + 12, std::uint32_t(m.cols), 4);
    putLe(p + 16, labelBytes, 4);

    std::uint8_t* q = p + kHeaderBytes;
    const auto putLabel = [&q](const std::string& s) {
        putLe(q, s.size(), 4);
        std::memcpy(q + 4, s.data(), s.size());
        q += 4 + s.size();
    };
    for (int r = 0; r < m.rows; ++r) putLabel(labelAt(m.rowLabels, r));
    for (int c = 0; c < m.cols; ++c) putLabel(labelAt(m.colLabels, c));
    for (std::size_t i = 0; i < cells; ++i, q += 2) putLe(q, floatToHalf(m.values[i]), 2);

    putLe(p + 24, xxh64(p + kHeaderBytes, blob.size() - kHeaderBytes), 8);
}

bool decodeMatrix(const std::uint8_t* data, std::size_t size, ResultMatrix& out, std::string& error) {
    if (size < kHeaderBytes || std::memcmp(data, "GSM1", 4) != 0) {
        error = "not a result matrix (bad header)";
        return false;
    }
    const auto version = getLe(data + 4, 2);
    const auto valueType = getLe(data + 6, 2);
    if (version != kFormatVersion || valueType != kValueFp16) {
        error = "unknown result format " + std::to_string(version) + "/" + std::to_string(valueType);
        return false;
    }
    const std::uint64_t rows = getLe(data + 8, 4), cols = getLe(data + 12, 4);
    const std::uint64_t labelBytes = getLe(data + 16, 4);
    const std::uint64_t cells = rows * cols;
    if (rows > std::uint64_t(std::numeric_limits<int>::max()) || cols > std::uint64_t(std::numeric_limits<int>::max()) ||
        cells > kMaxCells || kHeaderBytes + labelBytes + 2 * cells != size) {
        error = "result matrix shape does not match its size";
        return false;
    }
    if (xxh64(data + kHeaderBytes, size - kHeaderBytes) != getLe(data + 24, 8)) {
        error = "result matrix checksum mismatch";
        return false;
    }

    out.rows = int(rows);
    out.cols = int(cols);
    const std::uint8_t* q = data + kHeaderBytes;
    const std::uint8_t* labelsEnd = q + labelBytes;
    const auto readLabels = [&](std::uint64_t n, std::vector<std::string>& labels) {
        labels.clear();
        labels.reserve(n);
        bool any = false;
        for (std::uint64_t i = 0; i < n; ++i) {
            if (labelsEnd - q < 4) return false;
            const std::uint64_t len = getLe(q, 4);
            if (std::uint64_t(labelsEnd - q - 4) < len) return false;
            labels.emplace_back(reinterpret_cast<const char*>(q + 4), len);
            any = any || len > 0;
            q += 4 + len;
        }
        if (!any) labels.clear();
        return true;
    };
    if (!readLabels(rows, out.rowLabels) || !readLabels(cols, out.colLabels) || q != labelsEnd) {
        error = "result matrix labels are damaged";
        return false;
    }
    out.values.resize(cells);
    for (std::uint64_t i = 0; i < cells; ++i, q += 2) out.values[i] = halfToFloat(std::uint16_t(getLe(q, 2)));
    return true;
}

} // namespace gs::cache
