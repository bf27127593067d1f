#pragma once
// WordPiece with the semantics of Hugging Face's BertTokenizer: BERT's basic
// tokenization, then greedy longest-match-first WordPiece with "##"
// continuation pieces; a word longer than max_input_chars_per_word (100) or one
// that cannot be covered by pieces becomes a single [UNK]. Used for vocab.txt
// and for tokenizer.json files whose model is WordPiece.
//
// Thread-safety: immutable after create(); encode() may run concurrently.

#include "grammascope/tokenizer.h"
#include "tokenize/basic_tokenizer.h"
#include "tokenize/encoding_assembly.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gs {

struct WordPieceVocab {
    std::vector<std::string> pieces;  // by id; ids without a piece hold ""
    PieceIndex ids;                   // piece -> id (for duplicates the last id, as transformers' load_vocab)

    std::int64_t find(std::string_view piece) const {
        auto it = ids.find(piece);
        return it == ids.end() ? -1 : it->second;
    }
};

// Parses vocab.txt: one piece a line, the id is the line number (from 0).
// Duplicates are warnings ("vocab.txt:17: duplicate piece 'дом' (first on line
// 5); id 16 is used"), invalid UTF-8 and an empty file are errors naming the line.
Status parseVocabTxt(std::string_view content, const std::string& sourceName, WordPieceVocab& out,
                     std::vector<std::string>& warnings);

struct WordPieceSettings {
    BasicTokenizerOptions basic;
    std::string continuingPrefix = "##";
    std::size_t maxInputCharsPerWord = 100;
    // Texts of the special tokens; their ids come from the vocabulary.
    std::string unkText = "[UNK]", clsText = "[CLS]", sepText = "[SEP]", padText = "[PAD]", maskText = "[MASK]";
    // Further tokens matched literally in the text (added tokens), with their ids.
    std::vector<std::pair<std::string, std::int64_t>> addedTokens;
    TokenizerKind kind = TokenizerKind::WordPiece;
    std::string sourceName = "vocab.txt";  // for describe() and messages
    std::vector<std::string> warnings;     // noticed while loading, reported by loadWarnings()
};

class WordPieceTokenizer final : public Tokenizer {
public:
    // Fails when the unknown token or the sequence specials (cls/sep texts) are
    // not in the vocabulary.
    static Status create(WordPieceVocab vocab, WordPieceSettings settings, std::unique_ptr<Tokenizer>& out);

    Status encode(std::string_view text, std::int64_t maxLength, Encoding& out) const override;
    std::int64_t vocabSize() const override { return static_cast<std::int64_t>(m_vocab.pieces.size()); }
    std::string idToPiece(std::int64_t id) const override;
    std::int64_t pieceToId(std::string_view piece) const override { return m_vocab.find(piece); }
    const SpecialTokens& specialTokens() const override { return m_specials; }
    TokenizerKind kind() const override { return m_settings.kind; }
    std::string describe() const override;
    std::vector<std::string> loadWarnings() const override { return m_settings.warnings; }

private:
    WordPieceTokenizer(WordPieceVocab vocab, WordPieceSettings settings);
    void appendWordPieces(const BasicWord& word, std::int32_t wordIndex, const utf8::DecodedText& text,
                          std::vector<Token>& out) const;

    WordPieceVocab m_vocab;
    WordPieceSettings m_settings;
    BasicTokenizer m_basic;
    SpecialTokens m_specials;
    SpecialPieceMatcher m_inText;  // special and added tokens typed in the text
};

} // namespace gs
