#include "grammascope/unigram.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

namespace gs {
namespace {

constexpr const char* kFormat = "grammascope-unigram";
constexpr int kVersion = 1;

std::string fingerprintText(std::uint64_t f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016" PRIx64, f);
    return buf;
}

bool parseFingerprint(const std::string& s, std::uint64_t& out) {
    const std::string prefix = "fnv1a64:";
    if (s.rfind(prefix, 0) != 0 || s.size() != prefix.size() + 16) return false;
    out = 0;
    for (std::size_t i = prefix.size(); i < s.size(); ++i) {
        const char c = s[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) return false;
        out = (out << 4) | static_cast<std::uint64_t>(v);
    }
    return true;
}

std::vector<std::int64_t> excludedSpecials(const Tokenizer& tokenizer) {
    const SpecialTokens& sp = tokenizer.specialTokens();
    std::vector<std::int64_t> ids;
    for (auto id : {sp.cls, sp.sep, sp.pad, sp.mask}) {
        if (id >= 0 && id < tokenizer.vocabSize()) ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

bool counted(const UnigramModel& m, const Token& t) {
    return !t.special && t.id >= 0 && t.id < m.vocabSize && !m.excluded(t.id);
}

} // namespace

bool UnigramModel::excluded(std::int64_t id) const {
    return std::binary_search(excludedIds.begin(), excludedIds.end(), id);
}

double UnigramModel::logProb(std::int64_t id) const {
    if (id < 0 || id >= vocabSize || excluded(id) || counts.size() != static_cast<std::size_t>(vocabSize))
        return -std::numeric_limits<double>::infinity();
    const double c = static_cast<double>(counts[static_cast<std::size_t>(id)]);
    return std::log((c + 1.0) / static_cast<double>(totalTokens + supportSize()));
}

std::uint64_t vocabularyFingerprint(const Tokenizer& tokenizer) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](unsigned char c) {
        h ^= c;
        h *= 1099511628211ULL;
    };
    for (std::int64_t id = 0; id < tokenizer.vocabSize(); ++id) {
        for (unsigned char c : tokenizer.idToPiece(id)) mix(c);
        mix('\n');
    }
    return h;
}

Status estimateUnigram(const Tokenizer& tokenizer, std::string_view text, const std::string& corpusName,
                       UnigramModel& out, const ProgressCallback& progress) {
    UnigramModel m;
    m.tokenizer = tokenizer.describe();
    m.vocabSize = tokenizer.vocabSize();
    m.vocabFingerprint = vocabularyFingerprint(tokenizer);
    m.excludedIds = excludedSpecials(tokenizer);
    m.corpus = corpusName;
    m.counts.assign(static_cast<std::size_t>(m.vocabSize), 0);

    const auto total = static_cast<std::int64_t>(text.size());
    if (progress && !progress(0, total)) return Status::cancelled();
    std::size_t pos = 0;
    std::int64_t line = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
    Encoding enc;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view sentence = text.substr(pos, end - pos);
        pos = end + 1;
        ++line;
        while (!sentence.empty() && (sentence.back() == '\r' || sentence.back() == ' ' || sentence.back() == '\t'))
            sentence.remove_suffix(1);
        if (sentence.find_first_not_of(" \t") == std::string_view::npos) continue;
        Status st = tokenizer.encode(sentence, 0, enc);
        if (!st.isOk()) return Status::failed(corpusName + ":" + std::to_string(line) + ": " + st.message());
        ++m.sentences;
        for (const Token& t : enc.tokens) {
            if (!counted(m, t)) continue;
            ++m.counts[static_cast<std::size_t>(t.id)];
            ++m.totalTokens;
        }
        if (progress && line % 2000 == 0 &&
            !progress(std::min<std::int64_t>(static_cast<std::int64_t>(pos), total), total))
            return Status::cancelled();
    }
    if (m.totalTokens == 0) return Status::failed(corpusName + ": the corpus has no tokens");
    if (progress) progress(total, total);
    out = std::move(m);
    return Status::ok();
}

Status estimateUnigramFromFile(const Tokenizer& tokenizer, const std::filesystem::path& corpus, UnigramModel& out,
                               const ProgressCallback& progress) {
    std::ifstream in(corpus, std::ios::binary);
    if (!in) return Status::failed("unigram baseline: cannot open corpus '" + corpus.string() + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Status::failed("unigram baseline: error while reading '" + corpus.string() + "'");
    Status st = estimateUnigram(tokenizer, ss.str(), corpus.string(), out, progress);
    return st.isCancelled() ? st : st.withStage("unigram baseline");
}

Status saveUnigram(const UnigramModel& m, const std::filesystem::path& file) {
    nlohmann::json counts = nlohmann::json::array();
    for (std::size_t id = 0; id < m.counts.size(); ++id) {
        if (m.counts[id] > 0) counts.push_back({static_cast<std::int64_t>(id), m.counts[id]});
    }
    nlohmann::json j = {{"format", kFormat},
                        {"version", kVersion},
                        {"tokenizer", m.tokenizer},
                        {"vocab_size", m.vocabSize},
                        {"vocab_fingerprint", fingerprintText(m.vocabFingerprint)},
                        {"excluded_ids", m.excludedIds},
                        {"smoothing", "add-one"},
                        {"corpus", std::filesystem::path(m.corpus).filename().string()},
                        {"sentences", m.sentences},
                        {"total_tokens", m.totalTokens},
                        {"counts", std::move(counts)}};
    const std::filesystem::path tmp = file.string() + ".tmp";
    {
        std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
        if (!o) return Status::failed("saving unigram baseline: cannot write '" + tmp.string() + "'");
        o << j.dump() << '\n';
        if (!o) return Status::failed("saving unigram baseline: error while writing '" + tmp.string() + "'");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) return Status::failed("saving unigram baseline: cannot rename to '" + file.string() + "': " + ec.message());
    return Status::ok();
}

Status loadUnigram(const std::filesystem::path& file, UnigramModel& out) {
    const std::string where = "loading unigram baseline '" + file.string() + "'";
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed(where + ": cannot open the file");
    try {
        const nlohmann::json j = nlohmann::json::parse(in);
        if (j.value("format", std::string()) != kFormat)
            return Status::failed(where + ": not a " + std::string(kFormat) + " file");
        if (j.value("version", 0) != kVersion)
            return Status::failed(where + ": unsupported version " + std::to_string(j.value("version", 0)));
        if (j.value("smoothing", std::string()) != "add-one")
            return Status::failed(where + ": unsupported smoothing '" + j.value("smoothing", std::string()) + "'");
        UnigramModel m;
        m.tokenizer = j.at("tokenizer").get<std::string>();
        m.vocabSize = j.at("vocab_size").get<std::int64_t>();
        if (m.vocabSize <= 0) return Status::failed(where + ": vocab_size must be positive");
        if (!parseFingerprint(j.at("vocab_fingerprint").get<std::string>(), m.vocabFingerprint))
            return Status::failed(where + ": malformed vocab_fingerprint");
        m.excludedIds = j.at("excluded_ids").get<std::vector<std::int64_t>>();
        std::sort(m.excludedIds.begin(), m.excludedIds.end());
        m.corpus = j.value("corpus", std::string());
        m.sentences = j.value("sentences", std::int64_t{0});
        m.totalTokens = j.at("total_tokens").get<std::int64_t>();
        m.counts.assign(static_cast<std::size_t>(m.vocabSize), 0);
        std::int64_t sum = 0;
        for (const auto& row : j.at("counts")) {
            const auto id = row.at(0).get<std::int64_t>();
            const auto c = row.at(1).get<std::int64_t>();
            if (id < 0 || id >= m.vocabSize || c < 0)
                return Status::failed(where + ": count entry [" + std::to_string(id) + ", " + std::to_string(c) +
                                      "] outside the vocabulary");
            m.counts[static_cast<std::size_t>(id)] += c;
            sum += c;
        }
        if (sum != m.totalTokens)
            return Status::failed(where + ": the counts sum to " + std::to_string(sum) + " but total_tokens is " +
                                  std::to_string(m.totalTokens));
        out = std::move(m);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(where + ": " + e.what());
    }
}

Status checkUnigramMatches(const UnigramModel& m, const Tokenizer& tokenizer) {
    if (m.vocabSize == tokenizer.vocabSize() && m.vocabFingerprint == vocabularyFingerprint(tokenizer))
        return Status::ok();
    return Status::failed("the unigram counts were made for another vocabulary (" + m.tokenizer + ", " +
                          std::to_string(m.vocabSize) + " pieces, " + fingerprintText(m.vocabFingerprint) +
                          ") than the model's (" + tokenizer.describe() + ", " + std::to_string(tokenizer.vocabSize()) +
                          " pieces, " + fingerprintText(vocabularyFingerprint(tokenizer)) + ")");
}

double unigramLogProb(const UnigramModel& m, const Encoding& encoding, std::int64_t* countedTokens) {
    // Summed in a fixed order, so that two sentences made of the same tokens in
    // another order (a word-order pair) tie exactly instead of by rounding.
    std::vector<double> terms;
    for (const Token& t : encoding.tokens) {
        if (counted(m, t)) terms.push_back(m.logProb(t.id));
    }
    std::sort(terms.begin(), terms.end());
    double sum = 0;
    for (double v : terms) sum += v;
    if (countedTokens) *countedTokens = static_cast<std::int64_t>(terms.size());
    return sum;
}

} // namespace gs
