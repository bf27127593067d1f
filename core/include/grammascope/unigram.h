#pragma once
// The frequency-only baseline for minimal pairs: unigram log-probabilities of
// a model's own tokens, estimated on a corpus (one sentence per line,
// tokenized with the model's tokenizer). A sentence scores
// Σ_t log p(w_t) over its tokens, so a pair is "solved" by this baseline when
// the good sentence is simply made of more frequent pieces.
//
// Estimation: add-one (Laplace) smoothing over the support, which is the
// tokenizer's vocabulary minus the [CLS] / [SEP] / [PAD] / [MASK] specials
// (their RoBERTa spellings likewise). [UNK] stays in the support because it
// stands for real text. Specials, whether added around the text or typed in
// it, are neither counted nor scored.
//   p(w) = (count(w) + 1) / (N + V'),  N = counted tokens, V' = support size.
// Log-probabilities are natural logarithms (nats).
//
// File format (UTF-8 JSON, written by saveUnigram, read by loadUnigram):
//   {"format": "grammascope-unigram", "version": 1,
//    "tokenizer": Tokenizer::describe(), "vocab_size": V,
//    "vocab_fingerprint": "fnv1a64:<16 hex digits>",  // over the pieces in id order
//    "excluded_ids": [...], "smoothing": "add-one", "corpus": "<file name>",
//    "sentences": S, "total_tokens": N,
//    "counts": [[id, count], ...]}                     // non-zero counts, by id
// The fingerprint ties the file to one vocabulary: loading it for a model with
// another tokenizer is refused by checkUnigramMatches().
//
// Thread-safety: a built UnigramModel is a plain value; read it from any thread.

#include "grammascope/status.h"
#include "grammascope/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

struct UnigramModel {
    std::string tokenizer;               // Tokenizer::describe() of the model it was built for
    std::int64_t vocabSize = 0;
    std::uint64_t vocabFingerprint = 0;
    std::vector<std::int64_t> excludedIds;  // sorted
    std::string corpus;                  // the corpus file name (informative)
    std::int64_t sentences = 0;          // non-empty corpus lines
    std::int64_t totalTokens = 0;        // N
    std::vector<std::int64_t> counts;    // per id, size vocabSize

    std::int64_t supportSize() const { return vocabSize - static_cast<std::int64_t>(excludedIds.size()); }
    bool excluded(std::int64_t id) const;
    // log p(id) with add-one smoothing; -infinity for an excluded or unknown id.
    double logProb(std::int64_t id) const;
};

// FNV-1a (64 bit) over the vocabulary pieces in id order, each followed by '\n'.
std::uint64_t vocabularyFingerprint(const Tokenizer& tokenizer);

// Counts the tokens of `corpusText` (one sentence per line; blank lines skipped).
// `progress` receives (bytes done, bytes total) every few thousand lines.
Status estimateUnigram(const Tokenizer& tokenizer, std::string_view corpusText, const std::string& corpusName,
                       UnigramModel& out, const ProgressCallback& progress = {});
// Same, reading the corpus from a file.
Status estimateUnigramFromFile(const Tokenizer& tokenizer, const std::filesystem::path& corpus, UnigramModel& out,
                               const ProgressCallback& progress = {});

Status saveUnigram(const UnigramModel& model, const std::filesystem::path& file);
Status loadUnigram(const std::filesystem::path& file, UnigramModel& out);
// Fails (naming both descriptions) when `model` was built for another vocabulary.
Status checkUnigramMatches(const UnigramModel& model, const Tokenizer& tokenizer);

// Σ log p over the scored tokens of an encoding (specials skipped), summed in
// sorted order so that the same tokens in any order give the same value;
// `counted` (optional) receives how many tokens were summed.
double unigramLogProb(const UnigramModel& model, const Encoding& encoding, std::int64_t* counted = nullptr);

} // namespace gs
