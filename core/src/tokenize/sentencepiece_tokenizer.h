#pragma once
// A Tokenizer over a SentencePiece model (*.model), run by the grammascope_spm
// module. Two id conventions:
//  - Direct: the model's ids are the embedding rows (BERT-architecture models,
//    e.g. one trained by trainSentencePiece() with [CLS] [SEP] [PAD] [MASK] as
//    user-defined symbols). Specials are looked up by piece: the names from
//    tokenizer_config.json, then [CLS]/[SEP]/[PAD]/[MASK], then <s>/</s>/<pad>/<mask>.
//  - Fairseq (RoBERTa family, as Hugging Face's XLMRobertaTokenizer and
//    CamembertTokenizer): the dictionary puts <s> <pad> </s> <unk> at ids 0-3,
//    every other spm id is shifted by k, <mask> comes last. It is chosen when
//    config.json's vocab_size == spm pieces + k + 1 with k = 1 (XLM-R) or
//    k = 4 (CamemBERT); vocab_size == spm pieces means direct ids, anything
//    else is an error naming both sizes.
// Words: a piece starting with "▁" (U+2581) opens a new word, as does the first
// piece of the text and of each stretch after a special token typed in it.
//
// Thread-safety: immutable after load(); encode() may run concurrently.

#include "grammascope/model_config.h"
#include "grammascope/tokenizer.h"
#include "tokenize/encoding_assembly.h"
#include "tokenize/spm_library.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gs {

struct SentencePieceSettings {
    // Preferred special token texts (from tokenizer_config.json); empty = defaults.
    std::string clsText, sepText, padText, maskText, unkText;
    std::vector<std::string> warnings;
};

class SentencePieceTokenizer final : public Tokenizer {
public:
    static Status load(const std::filesystem::path& file, const ModelConfig* config, SentencePieceSettings settings,
                       std::unique_ptr<Tokenizer>& out);

    Status encode(std::string_view text, std::int64_t maxLength, Encoding& out) const override;
    std::int64_t vocabSize() const override;
    std::string idToPiece(std::int64_t id) const override;
    std::int64_t pieceToId(std::string_view piece) const override;
    const SpecialTokens& specialTokens() const override { return m_specials; }
    TokenizerKind kind() const override { return TokenizerKind::SentencePiece; }
    std::string describe() const override;
    std::vector<std::string> loadWarnings() const override { return m_warnings; }

private:
    SentencePieceTokenizer() = default;
    Status setUpSpecials(const SentencePieceSettings& settings);
    std::int64_t toExternalId(std::int32_t spmId) const;
    Status encodeSegment(const utf8::DecodedText& text, std::size_t begin, std::size_t end,
                         std::string_view utf8Text, std::int32_t& wordIndex, std::vector<Token>& out) const;

    std::unique_ptr<SpmModel> m_model;
    std::string m_fileName;
    bool m_fairseq = false;
    std::int64_t m_offset = 0;                   // fairseq shift k
    std::map<std::string, std::int64_t> m_fairseqIds;  // <s> <pad> </s> <unk> (or CamemBERT's names)
    std::int64_t m_fairseqMask = -1;
    SpecialTokens m_specials;
    SpecialPieceMatcher m_inText;  // fairseq specials, which the spm model does not know
    std::vector<std::string> m_warnings;
};

} // namespace gs
