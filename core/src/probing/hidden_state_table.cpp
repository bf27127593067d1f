// HiddenStateTable: the hidden states of every layer for a list of
// sentences, read through a read-only memory mapping of a safetensors file
// (hidden_state_file.h), and the streaming writer of that file.

#include "grammascope/probe_data.h"

#include "cache/fp16.h"
#include "cache/hashing.h"
#include "model/safetensors.h"
#include "probing/hidden_state_file.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <unordered_map>

namespace gs {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- digests

namespace detail {

SentenceDigest sentenceDigest(const std::string& text) {
    cache::Sha256 h;
    h.update(text);
    const auto d = h.finish();
    SentenceDigest out;
    std::copy(d.begin(), d.end(), out.begin());
    return out;
}

std::string sentenceListDigest(const std::vector<std::string>& sentences) {
    cache::Sha256 h;
    for (const auto& s : sentences) {
        const SentenceDigest d = sentenceDigest(s);
        h.update(d.data(), d.size());
    }
    return h.finishHex();
}

} // namespace detail

namespace {

std::string digestKey(const std::uint8_t* d) { return std::string(reinterpret_cast<const char*>(d), 32); }

std::string errnoText() { return std::strerror(errno); }

} // namespace

// ---------------------------------------------------------------- table

struct HiddenStateTable::Impl {
    fs::path path;
    std::shared_ptr<const MappedFile> file;
    std::map<std::string, std::string> metadata;
    std::int64_t layers = 0, hiddenSize = 0, tokens = 0;
    std::vector<std::int64_t> offsets;
    std::unordered_map<std::string, std::int64_t> bySentence;  // 32-byte digest -> index
    const std::byte* hidden = nullptr;

    const std::byte* row(std::int64_t layer, std::int64_t token) const {
        return hidden + ((layer * tokens + token) * hiddenSize) * 2;
    }
};

HiddenStateTable::HiddenStateTable() = default;
HiddenStateTable::~HiddenStateTable() = default;
HiddenStateTable::HiddenStateTable(HiddenStateTable&&) noexcept = default;
HiddenStateTable& HiddenStateTable::operator=(HiddenStateTable&&) noexcept = default;

Status HiddenStateTable::open(const fs::path& path, HiddenStateTable& out) {
    const std::string src = "hidden-state file " + path.string();
    auto fail = [&](const std::string& what) {
        return Status::failed(src + ": " + what + "; delete it to extract the hidden states again");
    };
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    if (Status st = MappedFile::open(path, impl->file); !st.isOk()) return st.withStage("opening " + src);
    SafetensorsFile st;
    if (Status s = parseSafetensors(impl->file->bytes(), path.string(), st); !s.isOk())
        return fail("not a readable safetensors file (" + s.message() + ")");
    impl->metadata = st.metadata;
    auto meta = [&](const char* key) {
        auto it = st.metadata.find(key);
        return it == st.metadata.end() ? std::string() : it->second;
    };
    if (meta("format") != detail::kHiddenStateFormat) return fail("not a Grammascope hidden-state file");
    if (meta("version") != detail::kHiddenStateVersion)
        return fail("version " + meta("version") + " (this build reads version " + detail::kHiddenStateVersion + ")");
    const SafetensorsEntry *offsets = nullptr, *sentences = nullptr, *hidden = nullptr;
    for (const auto& e : st.entries) {
        if (e.info.name == "offsets") offsets = &e;
        if (e.info.name == "sentences") sentences = &e;
        if (e.info.name == "hidden") hidden = &e;
    }
    if (!offsets || !sentences || !hidden) return fail("a tensor is missing (needs offsets, sentences, hidden)");
    if (offsets->info.dtype != DType::I64 || offsets->info.shape.size() != 1 || offsets->info.shape[0] < 2)
        return fail("'offsets' is not an I64 vector of at least two entries");
    const std::int64_t S = offsets->info.shape[0] - 1;
    if (sentences->info.dtype != DType::U8 || sentences->info.shape != std::vector<std::int64_t>{S, 32})
        return fail("'sentences' is not U8 [" + std::to_string(S) + ", 32]");
    if (hidden->info.dtype != DType::F16 || hidden->info.shape.size() != 3)
        return fail("'hidden' is not an F16 [layers, tokens, hidden] tensor");
    impl->layers = hidden->info.shape[0];
    impl->tokens = hidden->info.shape[1];
    impl->hiddenSize = hidden->info.shape[2];
    if (impl->layers < 1 || impl->hiddenSize < 1) return fail("'hidden' has an empty dimension");
    impl->offsets.resize(static_cast<std::size_t>(S + 1));
    std::memcpy(impl->offsets.data(), st.data.data() + offsets->begin, static_cast<std::size_t>(S + 1) * 8);
    if (impl->offsets.front() != 0 || impl->offsets.back() != impl->tokens)
        return fail("offsets do not cover the " + std::to_string(impl->tokens) + " tokens");
    for (std::int64_t s = 0; s < S; ++s)
        if (impl->offsets[static_cast<std::size_t>(s + 1)] <= impl->offsets[static_cast<std::size_t>(s)])
            return fail("offsets are not increasing at sentence " + std::to_string(s));
    const auto* digests = reinterpret_cast<const std::uint8_t*>(st.data.data() + sentences->begin);
    impl->bySentence.reserve(static_cast<std::size_t>(S));
    for (std::int64_t s = 0; s < S; ++s) impl->bySentence.try_emplace(digestKey(digests + s * 32), s);
    impl->hidden = st.data.data() + hidden->begin;
    out.m_impl = std::move(impl);
    return Status::ok();
}

std::int64_t HiddenStateTable::layers() const { return m_impl ? m_impl->layers : 0; }
std::int64_t HiddenStateTable::hiddenSize() const { return m_impl ? m_impl->hiddenSize : 0; }
std::int64_t HiddenStateTable::sentences() const {
    return m_impl ? static_cast<std::int64_t>(m_impl->offsets.size()) - 1 : 0;
}
std::int64_t HiddenStateTable::tokens(std::int64_t sentence) const {
    if (!m_impl || sentence < 0 || sentence >= sentences()) return 0;
    return m_impl->offsets[static_cast<std::size_t>(sentence + 1)] - m_impl->offsets[static_cast<std::size_t>(sentence)];
}

std::int64_t HiddenStateTable::findSentence(std::string_view text) const {
    if (!m_impl) return -1;
    const auto d = detail::sentenceDigest(std::string(text));
    auto it = m_impl->bySentence.find(digestKey(d.data()));
    return it == m_impl->bySentence.end() ? -1 : it->second;
}

Status HiddenStateTable::hiddenStates(std::int64_t sentence, std::vector<float>& out) const {
    if (!m_impl) return Status::failed("reading hidden states: no table is open");
    if (sentence < 0 || sentence >= sentences())
        return Status::failed("hidden-state file " + m_impl->path.string() + ": no sentence " + std::to_string(sentence));
    const Impl& d = *m_impl;
    const std::int64_t T = tokens(sentence), H = d.hiddenSize, base = d.offsets[static_cast<std::size_t>(sentence)];
    out.resize(static_cast<std::size_t>(d.layers * T * H));
    std::vector<std::uint16_t> halves(static_cast<std::size_t>(T * H));
    for (std::int64_t l = 0; l < d.layers; ++l) {
        std::memcpy(halves.data(), d.row(l, base), halves.size() * 2);  // the sentence's tokens are contiguous per layer
        cache::halvesToFloats(halves.data(), halves.size(), out.data() + l * T * H);
    }
    return Status::ok();
}

std::int64_t HiddenStateTable::firstToken(std::int64_t sentence) const {
    if (!m_impl || sentence < 0 || sentence >= sentences()) return -1;
    return m_impl->offsets[static_cast<std::size_t>(sentence)];
}

Status HiddenStateTable::readRows(int layer, const std::int64_t* rows, std::int64_t n, float* out) const {
    if (!m_impl) return Status::failed("reading hidden states: no table is open");
    const Impl& d = *m_impl;
    if (layer < 0 || layer >= d.layers)
        return Status::failed("hidden-state file " + d.path.string() + ": no layer " + std::to_string(layer));
    std::vector<std::uint16_t> halves(static_cast<std::size_t>(d.hiddenSize));  // the mapping need not be 2-byte aligned
    for (std::int64_t i = 0; i < n; ++i) {
        if (rows[i] < 0 || rows[i] >= d.tokens)
            return Status::failed("hidden-state file " + d.path.string() + ": no token row " + std::to_string(rows[i]));
        std::memcpy(halves.data(), d.row(layer, rows[i]), halves.size() * 2);
        cache::halvesToFloats(halves.data(), halves.size(), out + i * d.hiddenSize);
    }
    return Status::ok();
}

const fs::path& HiddenStateTable::file() const {
    static const fs::path empty;
    return m_impl ? m_impl->path : empty;
}

const std::map<std::string, std::string>& HiddenStateTable::metadata() const {
    static const std::map<std::string, std::string> empty;
    return m_impl ? m_impl->metadata : empty;
}

Status HiddenStateTable::gather(int layer, const ProbeExampleSet& set, FeatureMatrix& out) const {
    if (!m_impl) return Status::failed("gathering hidden states: no table is open");
    const Impl& d = *m_impl;
    const std::string src = "hidden-state file " + d.path.string();
    if (layer < 0 || layer >= d.layers)
        return Status::failed(src + ": layer " + std::to_string(layer) + " out of range (the file has " +
                              std::to_string(d.layers) + " layers, 0 = embeddings)");
    if (set.sentenceTokens.size() != set.sentences.size())
        return Status::failed("gathering hidden states: the example set has no token count per sentence");
    // Table row of every sentence of the set, checked once.
    std::vector<std::int64_t> rowOf(set.sentences.size());
    for (std::size_t s = 0; s < set.sentences.size(); ++s) {
        const std::int64_t r = findSentence(set.sentences[s]);
        if (r < 0)
            return Status::failed(src + " does not hold the sentence '" + set.sentences[s] +
                                  "'; extract the hidden states of this dataset again");
        if (tokens(r) != set.sentenceTokens[s])
            return Status::failed(src + ": the sentence '" + set.sentences[s] + "' has " + std::to_string(tokens(r)) +
                                  " tokens there but " + std::to_string(set.sentenceTokens[s]) +
                                  " under this tokenizer and maximum length; extract again");
        rowOf[s] = r;
    }
    const std::int64_t H = d.hiddenSize;
    const bool sentenceUnit = set.spec.unit == ProbeUnit::Sentence;
    const bool first = sentenceUnit ? set.spec.sentencePooling == SentencePooling::First
                                    : set.spec.wordPooling == WordPooling::First;
    out.rows = static_cast<std::int64_t>(set.examples.size());
    out.cols = H;
    out.data.assign(static_cast<std::size_t>(out.rows * H), 0.0f);
    std::vector<std::uint16_t> halves(static_cast<std::size_t>(H));
    std::vector<float> values(static_cast<std::size_t>(H));
    std::vector<double> sum(static_cast<std::size_t>(H));
    for (std::size_t e = 0; e < set.examples.size(); ++e) {
        const ProbeExample& x = set.examples[e];
        if (x.sentence < 0 || static_cast<std::size_t>(x.sentence) >= set.sentences.size())
            return Status::failed("gathering hidden states: example " + std::to_string(e) + " names sentence " +
                                  std::to_string(x.sentence) + " of " + std::to_string(set.sentences.size()));
        const std::int64_t r = rowOf[static_cast<std::size_t>(x.sentence)];
        const std::int64_t T = tokens(r), base = d.offsets[static_cast<std::size_t>(r)];
        std::vector<std::int32_t> positions = x.tokens;
        if (sentenceUnit && first) positions = {0};  // the sequence's first token: [CLS] / <s>
        else if (first && !positions.empty()) positions.resize(1);
        if (positions.empty()) return Status::failed("gathering hidden states: example " + std::to_string(e) + " has no token");
        std::fill(sum.begin(), sum.end(), 0.0);
        for (std::int32_t p : positions) {
            if (p < 0 || p >= T)
                return Status::failed(src + ": example " + std::to_string(e) + " names token " + std::to_string(p) +
                                      " of a sentence of " + std::to_string(T) + " tokens");
            std::memcpy(halves.data(), d.row(layer, base + p), static_cast<std::size_t>(H) * 2);
            cache::halvesToFloats(halves.data(), halves.size(), values.data());
            for (std::int64_t k = 0; k < H; ++k) sum[static_cast<std::size_t>(k)] += values[static_cast<std::size_t>(k)];
        }
        float* dst = out.row(static_cast<std::int64_t>(e));
        const double n = static_cast<double>(positions.size());
        for (std::int64_t k = 0; k < H; ++k) dst[k] = static_cast<float>(sum[static_cast<std::size_t>(k)] / n);
    }
    return Status::ok();
}

// ---------------------------------------------------------------- writer

namespace detail {

namespace {

bool writeAll(int fd, const void* data, std::size_t n, std::int64_t at) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::pwrite(fd, p, n, static_cast<off_t>(at));
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
        at += w;
    }
    return true;
}

} // namespace

HiddenStateWriter::~HiddenStateWriter() { abandon(); }

void HiddenStateWriter::abandon() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    if (!m_temp.empty()) {
        std::error_code ec;
        fs::remove(m_temp, ec);
        m_temp.clear();
    }
}

Status HiddenStateWriter::create(const fs::path& file, const HiddenStateLayout& layout) {
    abandon();
    const auto S = static_cast<std::int64_t>(layout.sentences.size());
    if (S < 1 || static_cast<std::int64_t>(layout.offsets.size()) != S + 1 || layout.layers < 1 ||
        layout.hiddenSize < 1)
        return Status::failed("writing hidden states: invalid layout");
    m_file = file;
    m_layers = layout.layers;
    m_hiddenSize = layout.hiddenSize;
    m_offsets = layout.offsets;
    m_tokens = layout.offsets.back();

    const std::int64_t offsetsBytes = (S + 1) * 8, digestBytes = S * 32;
    const std::int64_t hiddenBytes = m_layers * m_tokens * m_hiddenSize * 2;
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (const auto& [k, v] : layout.metadata) meta[k] = v;
    meta["format"] = kHiddenStateFormat;
    meta["version"] = kHiddenStateVersion;
    header["__metadata__"] = meta;
    header["offsets"] = {{"dtype", "I64"}, {"shape", {S + 1}}, {"data_offsets", {0, offsetsBytes}}};
    header["sentences"] = {{"dtype", "U8"}, {"shape", {S, 32}},
                           {"data_offsets", {offsetsBytes, offsetsBytes + digestBytes}}};
    header["hidden"] = {{"dtype", "F16"},
                        {"shape", {m_layers, m_tokens, m_hiddenSize}},
                        {"data_offsets", {offsetsBytes + digestBytes, offsetsBytes + digestBytes + hiddenBytes}}};
    std::string text = header.dump();
    while (text.size() % 8 != 0) text += ' ';
    const std::int64_t dataStart = 8 + static_cast<std::int64_t>(text.size());
    m_hiddenStart = dataStart + offsetsBytes + digestBytes;

    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) return Status::failed("writing hidden states: cannot create " + file.parent_path().string() + ": " + ec.message());
    m_temp = file;
    m_temp += ".part-" + std::to_string(::getpid());
    m_fd = ::open(m_temp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        m_temp.clear();
        return Status::failed("writing hidden states: cannot create " + file.string() + ".part: " + errnoText());
    }
    const std::int64_t total = m_hiddenStart + hiddenBytes;
    if (::ftruncate(m_fd, static_cast<off_t>(total)) != 0)
        return Status::failed("writing hidden states to " + m_temp.string() + ": " + errnoText());
    const std::uint64_t len = text.size();
    std::vector<std::uint8_t> digests;
    digests.reserve(static_cast<std::size_t>(digestBytes));
    for (const auto& d : layout.sentences) digests.insert(digests.end(), d.begin(), d.end());
    if (!writeAll(m_fd, &len, 8, 0) || !writeAll(m_fd, text.data(), text.size(), 8) ||
        !writeAll(m_fd, m_offsets.data(), static_cast<std::size_t>(offsetsBytes), dataStart) ||
        !writeAll(m_fd, digests.data(), digests.size(), dataStart + offsetsBytes))
        return Status::failed("writing hidden states to " + m_temp.string() + ": " + errnoText());
    return Status::ok();
}

Status HiddenStateWriter::writeSentence(std::int64_t s, const std::vector<float>& hidden) {
    if (m_fd < 0) return Status::failed("writing hidden states: no file is open");
    if (s < 0 || s + 1 >= static_cast<std::int64_t>(m_offsets.size()))
        return Status::failed("writing hidden states: sentence " + std::to_string(s) + " out of range");
    const std::int64_t begin = m_offsets[static_cast<std::size_t>(s)];
    const std::int64_t T = m_offsets[static_cast<std::size_t>(s + 1)] - begin;
    const std::int64_t per = T * m_hiddenSize;
    if (static_cast<std::int64_t>(hidden.size()) != m_layers * per)
        return Status::failed("writing hidden states: sentence " + std::to_string(s) + " has " +
                              std::to_string(hidden.size()) + " values, expected " + std::to_string(m_layers * per));
    m_buffer.resize(static_cast<std::size_t>(per));
    for (std::int64_t l = 0; l < m_layers; ++l) {
        cache::floatsToHalves(hidden.data() + l * per, static_cast<std::size_t>(per), m_buffer.data());
        const std::int64_t at = m_hiddenStart + ((l * m_tokens + begin) * m_hiddenSize) * 2;
        if (!writeAll(m_fd, m_buffer.data(), static_cast<std::size_t>(per) * 2, at))
            return Status::failed("writing hidden states to " + m_temp.string() + ": " + errnoText());
    }
    return Status::ok();
}

Status HiddenStateWriter::commit() {
    if (m_fd < 0) return Status::failed("writing hidden states: no file is open");
    // On disk before the rename, so that a crash leaves no half file under the final name.
    if (::fsync(m_fd) != 0) return Status::failed("writing hidden states to " + m_temp.string() + ": " + errnoText());
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0) return Status::failed("writing hidden states to " + m_temp.string() + ": " + errnoText());
    std::error_code ec;
    fs::rename(m_temp, m_file, ec);
    if (ec) return Status::failed("writing hidden states: cannot rename " + m_temp.string() + " to " +
                                  m_file.string() + ": " + ec.message());
    m_temp.clear();
    return Status::ok();
}

} // namespace detail
} // namespace gs
