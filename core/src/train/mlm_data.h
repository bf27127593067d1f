#pragma once
// Data side of masked-LM training, without torch: reading and tokenizing a
// sentence file, grouping sentences of similar length into batches under a
// token budget, and drawing BERT's 80/10/10 masks. Everything is
// deterministic in its seed so that a resumed run sees the same batches.

#include "grammascope/status.h"
#include "grammascope/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace gs::detail {

struct TokenizedCorpus {
    std::vector<std::vector<std::int32_t>> sequences;  // piece ids, specials included
    std::int64_t tokens = 0;       // sum of sequence lengths
    std::int64_t truncated = 0;    // lines cut to the maximum length
    std::int64_t skippedLines = 0; // empty lines
};

// Reads `file` (UTF-8, one sentence per line) and tokenizes every non-empty
// line with `tokenizer`, cut to `maxLength` tokens with the specials.
// `maxLines` = 0 reads every line. Errors name the file and line.
Status tokenizeCorpus(const std::filesystem::path& file, const Tokenizer& tokenizer, std::int64_t maxLength,
                      std::int64_t maxLines, TokenizedCorpus& out, const ProgressCallback& progress = {});

// One epoch's batches: indices into TokenizedCorpus::sequences. Sentences are
// shuffled, sorted by length within large windows, cut into batches whose
// padded size (count x longest) stays within `batchTokens`, and the batches
// shuffled again.
std::vector<std::vector<std::int32_t>> planEpoch(const TokenizedCorpus& corpus, std::int64_t batchTokens,
                                                 std::uint64_t seed, std::int64_t epoch);

struct MaskedBatch {
    std::int64_t rows = 0, width = 0;
    std::vector<std::int64_t> inputIds;       // [rows x width], padded with padId
    std::vector<std::int64_t> attentionMask;  // [rows x width], 1 = token
    std::vector<std::int64_t> maskedPositions;// flat indices into [rows x width]
    std::vector<std::int64_t> labels;         // original ids at maskedPositions
    std::int64_t realTokens = 0;
};

struct MaskingSpec {
    double probability = 0.15;
    std::int64_t maskId = -1, padId = 0;
    std::int64_t vocabSize = 0;
    std::vector<std::int64_t> specialIds;  // never selected, never drawn as random replacements
};

// Selects each non-special token with `probability` (at least one per
// sentence), then replaces 80% of the selected with [MASK], 10% with a random
// non-special token and keeps 10%. Same (seed, stream) -> same masks.
MaskedBatch maskBatch(const TokenizedCorpus& corpus, const std::vector<std::int32_t>& rows,
                      const MaskingSpec& spec, std::uint64_t seed, std::uint64_t stream);

} // namespace gs::detail
