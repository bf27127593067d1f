#pragma once
// The hidden-state file behind HiddenStateTable (probe_data.h), internal to
// the core. A safetensors file, data section in this order:
//   "offsets"   I64 [S + 1]      first token of each sentence (offsets[S] = N)
//   "sentences" U8  [S, 32]      SHA-256 of each sentence's text
//   "hidden"    F16 [L + 1, N, H] layer-major, the tokens of all sentences
// and __metadata__ strings: format, version, model, precision, device,
// max_length, sentences_digest, ...
//
// The writer streams: the header and the small tensors go first, each
// sentence's layers are written at their place as its batch comes out, so a
// dataset never has to fit in memory. It writes to "<file>.part-<pid>" and
// renames into place on commit(), so an existing file is never left
// half-written; an abandoned writer removes its temporary file.
//
// Thread-safety: a writer is used by one thread.

#include "grammascope/status.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gs::detail {

inline constexpr const char* kHiddenStateFormat = "grammascope-hidden-states";
inline constexpr const char* kHiddenStateVersion = "1";

using SentenceDigest = std::array<std::uint8_t, 32>;
SentenceDigest sentenceDigest(const std::string& text);
// SHA-256 over the digests of a list of sentences, in order (lower-case hex).
std::string sentenceListDigest(const std::vector<std::string>& sentences);

struct HiddenStateLayout {
    std::int64_t layers = 0;                 // L + 1
    std::int64_t hiddenSize = 0;             // H
    std::vector<std::int64_t> offsets;       // S + 1
    std::vector<SentenceDigest> sentences;   // S
    std::map<std::string, std::string> metadata;
};

class HiddenStateWriter {
public:
    HiddenStateWriter() = default;
    ~HiddenStateWriter();
    HiddenStateWriter(const HiddenStateWriter&) = delete;
    HiddenStateWriter& operator=(const HiddenStateWriter&) = delete;

    // Creates the temporary file at its full size and writes the header,
    // offsets and sentence digests.
    Status create(const std::filesystem::path& file, const HiddenStateLayout& layout);
    // Sentence `s`: [(L + 1) x T x H] floats (T = offsets[s + 1] - offsets[s]), stored as fp16.
    Status writeSentence(std::int64_t s, const std::vector<float>& hidden);
    // Flushes to disk and renames the file into place.
    Status commit();
    // Removes the temporary file (also done by the destructor unless committed).
    void abandon();

private:
    std::filesystem::path m_file, m_temp;
    int m_fd = -1;
    std::int64_t m_hiddenStart = 0;  // byte offset of "hidden" in the file
    std::int64_t m_layers = 0, m_hiddenSize = 0, m_tokens = 0;
    std::vector<std::int64_t> m_offsets;
    std::vector<std::uint16_t> m_buffer;
};

} // namespace gs::detail
