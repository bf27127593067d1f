#pragma once
// The Unigram model of Hugging Face tokenizers (tokenizer.json, model.type
// "Unigram"): Viterbi segmentation maximising the sum of piece scores, an
// unknown character scoring (lowest score - 10) and consecutive unknowns fused
// into one token, as tokenizers' Unigram::encode does. Text goes through the
// supported normalizers, then the Metaspace pre-tokenizer (spaces become "▁",
// optionally a "▁" prefix, split before every "▁").
//
// Thread-safety: immutable after create(); encode() may run concurrently.

#include "grammascope/tokenizer.h"
#include "tokenize/encoding_assembly.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gs {

// A normalizer step that keeps every character's origin in the original text.
struct UnigramNormalizerStep {
    // Lowercase (per character, as tokenizers' Lowercase), Nfd (canonical
    // decomposition), StripMarks (drop category Mn: tokenizers' StripAccents),
    // CollapseSpaces (Replace of the regex " {2,}" by " ", XLM-R's), ReplaceLiteral.
    enum class Kind { Lowercase, Nfd, StripMarks, CollapseSpaces, ReplaceLiteral };
    Kind kind = Kind::Lowercase;
    std::u32string pattern, content;  // ReplaceLiteral only
};

struct UnigramSettings {
    std::vector<std::pair<std::string, double>> vocab;  // id -> (piece, score)
    std::int64_t unkId = -1;
    std::vector<UnigramNormalizerStep> normalizers;
    bool whitespaceSplit = false;  // a WhitespaceSplit pre-tokenizer before Metaspace
    bool metaspace = true;
    char32_t replacement = U'\u2581';
    enum class Prepend { Always, First, Never } prepend = Prepend::Always;
    bool metaspaceSplit = true;
    std::string clsText, sepText, padText, maskText;  // must be in the vocabulary (cls, sep) when set
    // Matched literally in the text; those with ids outside the vocabulary
    // extend it (they are never produced by the segmentation itself).
    std::vector<std::pair<std::string, std::int64_t>> addedTokens;
    std::string sourceName = "tokenizer.json";
    std::vector<std::string> warnings;
};

class UnigramTokenizer final : public Tokenizer {
public:
    static Status create(UnigramSettings settings, std::unique_ptr<Tokenizer>& out);

    Status encode(std::string_view text, std::int64_t maxLength, Encoding& out) const override;
    std::int64_t vocabSize() const override { return m_vocabSize; }
    std::string idToPiece(std::int64_t id) const override;
    std::int64_t pieceToId(std::string_view piece) const override;
    const SpecialTokens& specialTokens() const override { return m_specials; }
    TokenizerKind kind() const override { return TokenizerKind::TokenizerJsonUnigram; }
    std::string describe() const override;
    std::vector<std::string> loadWarnings() const override { return m_settings.warnings; }

private:
    struct Normalized {
        std::u32string text;
        std::vector<std::int32_t> origin;  // -1 for inserted characters (the "▁" prefix)
    };
    explicit UnigramTokenizer(UnigramSettings settings);
    void normalize(Normalized& n) const;
    // Viterbi over one pre-token; appends (piece id, first cp, end cp) triples.
    struct Segment {
        std::int64_t id;
        std::size_t begin, end;  // code points of the pre-token
    };
    void segment(std::u32string_view preToken, std::vector<Segment>& out) const;

    UnigramSettings m_settings;
    PieceIndex m_ids;
    PieceIndex m_addedIds;  // added tokens outside the vocabulary
    std::int64_t m_vocabSize = 0;
    std::size_t m_maxPieceChars = 1;
    double m_unkScore = 0.0;
    SpecialTokens m_specials;
    SpecialPieceMatcher m_inText;
};

} // namespace gs
