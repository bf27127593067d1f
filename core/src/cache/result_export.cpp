// Export of a run's results to CSV and JSON, streamed sentence by sentence
// from one read snapshot into "<file>.part", renamed when complete so that a
// failed or cancelled export never leaves a truncated file under the name.

#include "cache/result_store_impl.h"

#include "cache/result_codec.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <fstream>

namespace gs {

using cache::Stmt;
using cache::Transaction;
using cache::throwStoreError;

namespace {

// Shortest text that reads back as the same float (the fp16 value exactly).
std::string formatValue(float v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string jsonString(const std::string& s) {
    // Replace rather than throw on invalid UTF-8 in a token label.
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string layerLabel(const ResultMatrix& m, int row) {
    return m.rowLabels.empty() ? std::to_string(row) : m.rowLabels[std::size_t(row)];
}

} // namespace

void ResultStore::Impl::exportRun(std::int64_t runId, const std::filesystem::path& file,
                                  const ExportOptions& options, const ProgressCallback& progress, ExportSink& sink) {
    // One snapshot: the export is consistent even while the writer commits.
    Transaction tx(m_db, Transaction::Kind::Read);
    RunInfo run;
    {
        Stmt& s = m_st->runGet;
        cache::StmtScope scope(s);
        if (!s.bind(1, runId).step())
            throwStoreError(StoreProblem::InvalidArgument, "no run " + std::to_string(runId) + " in this store");
        readRun(s, run);
    }
    const bool byDataset = options.datasetId != 0;
    Stmt count(m_db, byDataset ? "SELECT count(*) FROM dataset_sentences ds JOIN results r "
                                 "ON r.sentence_id = ds.sentence_id AND r.run_id = ?1 WHERE ds.dataset_id = ?2"
                               : "SELECT count(*) FROM results WHERE run_id = ?1");
    count.bind(1, runId);
    if (byDataset) count.bind(2, options.datasetId);
    const std::int64_t total = count.step() ? count.int64At(0) : 0;
    Stmt rows(m_db, byDataset ? "SELECT s.hash, s.text, r.data FROM dataset_sentences ds "
                                "JOIN sentences s ON s.id = ds.sentence_id "
                                "JOIN results r ON r.sentence_id = ds.sentence_id AND r.run_id = ?1 "
                                "WHERE ds.dataset_id = ?2 ORDER BY ds.position"
                              : "SELECT s.hash, s.text, r.data FROM results r JOIN sentences s "
                                "ON s.id = r.sentence_id WHERE r.run_id = ?1 ORDER BY r.id");
    rows.bind(1, runId);
    if (byDataset) rows.bind(2, options.datasetId);

    const std::filesystem::path part = file.string() + ".part";
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    if (!out) throwStoreError(StoreProblem::Io, "cannot write " + part.string());
    // Removes the partial file on every way out but success.
    struct PartGuard {
        std::filesystem::path path;
        bool keep = false;
        ~PartGuard() {
            std::error_code ec;
            if (!keep) std::filesystem::remove(path, ec);
        }
    } guard{part};

    sink.header(out, run);
    ResultMatrix matrix;
    std::int64_t done = 0;
    while (rows.step()) {
        if (progress && !progress(done, total)) {
            out.close();
            throw cache::StoreCancelled{};
        }
        const std::string hash = rows.textAt(0);
        const auto blob = rows.blobAt(2);
        std::string error;
        if (!cache::decodeMatrix(blob.data(), blob.size(), matrix, error))
            throwStoreError(StoreProblem::Corrupt, "the result of sentence " + hash + " is damaged: " + error);
        sink.row(out, hash, rows.textAt(1), matrix, done == 0);
        ++done;
        if (!out) throwStoreError(StoreProblem::Io, "writing " + part.string() + " failed (disk full?)");
    }
    sink.footer(out);
    out.close();
    if (!out) throwStoreError(StoreProblem::Io, "writing " + part.string() + " failed (disk full?)");
    tx.commit();
    if (progress) progress(done, total);

    std::error_code ec;
    std::filesystem::rename(part, file, ec);
    if (ec)
        throwStoreError(StoreProblem::Io,
                        "cannot rename " + part.string() + " to " + file.string() + ": " + ec.message());
    guard.keep = true;
}

namespace {

// One row per cell: sentence,token_index,token,layer_index,layer,value.
class CsvSink final : public ExportSink {
public:
    void header(std::ostream& out, const RunInfo&) override {
        out << "sentence,token_index,token,layer_index,layer,value\n";
    }
    void row(std::ostream& out, const std::string&, const std::string& text, const ResultMatrix& m, bool) override {
        // Escaped once per sentence, not once per cell.
        const std::string sentence = csvField(text);
        std::vector<std::string> tokens(std::size_t(m.cols));
        for (int c = 0; c < m.cols; ++c)
            if (!m.colLabels.empty()) tokens[std::size_t(c)] = csvField(m.colLabels[std::size_t(c)]);
        std::string line;
        for (int r = 0; r < m.rows; ++r) {
            const std::string layer = std::to_string(r) + "," + csvField(layerLabel(m, r)) + ",";
            for (int c = 0; c < m.cols; ++c) {
                const float v = m.at(r, c);
                line.clear();
                line += sentence;
                line += ',';
                line += std::to_string(c);
                line += ',';
                line += tokens[std::size_t(c)];
                line += ',';
                line += layer;
                if (!std::isnan(v)) line += formatValue(v);  // NaN: an empty field
                line += '\n';
                out << line;
            }
        }
    }
    void footer(std::ostream&) override {}
};

// One object per sentence with its matrix: values[layer][token].
class JsonSink final : public ExportSink {
public:
    void header(std::ostream& out, const RunInfo& run) override {
        nlohmann::json parameters = nlohmann::json::parse(run.key.parametersJson, nullptr, false);
        if (parameters.is_discarded()) parameters = run.key.parametersJson;
        const nlohmann::json info = {{"id", run.id},
                                     {"key_hash", run.keyHash},
                                     {"model_fingerprint", run.key.modelFingerprint},
                                     {"analysis", run.key.analysis},
                                     {"parameters", parameters},
                                     {"code_version", run.key.codeVersion},
                                     {"state", run.state == RunState::Complete ? "complete" : "running"}};
        out << "{\"format\":\"grammascope-results\",\"version\":1,\"run\":"
            << info.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << ",\"results\":[";
    }
    void row(std::ostream& out, const std::string& hash, const std::string& text, const ResultMatrix& m,
             bool first) override {
        std::string s = first ? "\n" : ",\n";
        s += "{\"sentence\":" + jsonString(text) + ",\"sentence_hash\":\"" + hash + "\",\"layers\":[";
        for (int r = 0; r < m.rows; ++r) {
            if (r) s += ',';
            s += jsonString(layerLabel(m, r));
        }
        s += "],\"tokens\":[";
        for (int c = 0; c < m.cols; ++c) {
            if (c) s += ',';
            s += jsonString(m.colLabels.empty() ? std::string() : m.colLabels[std::size_t(c)]);
        }
        s += "],\"values\":[";
        for (int r = 0; r < m.rows; ++r) {
            s += r ? ",[" : "[";
            for (int c = 0; c < m.cols; ++c) {
                if (c) s += ',';
                const float v = m.at(r, c);
                s += std::isfinite(v) ? formatValue(v) : "null";  // JSON has no NaN or inf
            }
            s += ']';
        }
        s += "]}";
        out << s;
    }
    void footer(std::ostream& out) override { out << "\n]}\n"; }
};

} // namespace

Status ResultStore::exportRunCsv(std::int64_t runId, const std::filesystem::path& file, const ExportOptions& options,
                                 const ProgressCallback& progress) {
    return m_impl->guard("exporting results to CSV", [&] {
        CsvSink sink;
        m_impl->exportRun(runId, file, options, progress, sink);
    });
}

Status ResultStore::exportRunJson(std::int64_t runId, const std::filesystem::path& file, const ExportOptions& options,
                                  const ProgressCallback& progress) {
    return m_impl->guard("exporting results to JSON", [&] {
        JsonSink sink;
        m_impl->exportRun(runId, file, options, progress, sink);
    });
}

} // namespace gs
