#pragma once
// Tokenizers of the BERT family, loaded from a Hugging Face checkpoint folder:
//  - WordPiece from vocab.txt with the semantics of BERT's tokenizer (basic
//    tokenization, punctuation split, CJK split, lower-casing and accent
//    stripping only when tokenizer_config.json asks for it);
//  - SentencePiece (*.model) through the dlopen'd grammascope_spm module;
//  - tokenizer.json (WordPiece and Unigram models) where practical.
// Every token carries its character offsets in the original text and the index
// of the word it belongs to, so that sub-tokens can be merged into words.
//
// Thread-safety: a loaded Tokenizer is immutable; encode() may be called from
// any thread concurrently.

#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

struct ModelConfig;

struct Token {
    std::string text;            // the piece as in the vocabulary ("##ка", "▁дом", "[CLS]")
    std::int64_t id = 0;
    // Offsets into the original text, half-open [begin, end): in Unicode code
    // points (as Hugging Face reports them) and in UTF-8 bytes. -1 for special tokens.
    std::int64_t begin = -1, end = -1;
    std::int64_t byteBegin = -1, byteEnd = -1;
    std::int32_t wordIndex = -1;  // index of the word in the text; -1 for special tokens
    // True for the specials added around the text. A special token typed in the
    // text ("Я [MASK] домой") is matched as such (its id) but is a word of the
    // text: it has offsets and a word index, and special == false.
    bool special = false;
};

struct Encoding {
    std::vector<Token> tokens;   // with the special tokens ([CLS] ... [SEP] or <s> ... </s>)
    std::int32_t wordCount = 0;  // number of distinct word indices
    bool truncated = false;      // content was cut to fit maxLength
    std::int64_t untruncatedLength = 0;  // number of tokens before truncation (specials included)
    std::vector<std::string> warnings;

    std::vector<std::int64_t> ids() const;
};

struct SpecialTokens {
    std::int64_t cls = -1, sep = -1, pad = -1, mask = -1, unk = -1;
    std::string clsText, sepText, padText, maskText, unkText;
};

enum class TokenizerKind { WordPiece, SentencePiece, TokenizerJsonWordPiece, TokenizerJsonUnigram };

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Tokenizes `text` (UTF-8) and adds the special tokens. At most `maxLength`
    // tokens are returned (specials included); longer input is truncated with
    // Encoding::truncated set and a warning. maxLength <= 0 means no limit.
    // Invalid UTF-8 is an error naming the byte offset.
    virtual Status encode(std::string_view text, std::int64_t maxLength, Encoding& out) const = 0;

    virtual std::int64_t vocabSize() const = 0;
    virtual std::string idToPiece(std::int64_t id) const = 0;
    virtual std::int64_t pieceToId(std::string_view piece) const = 0;  // -1 if absent
    virtual const SpecialTokens& specialTokens() const = 0;
    virtual TokenizerKind kind() const = 0;
    virtual std::string describe() const = 0;  // e.g. "WordPiece (vocab.txt, 119547 pieces, cased)"
    // Things noticed while loading that the user should see (duplicate pieces,
    // defaults assumed for a missing tokenizer_config.json, ignored normalizers).
    virtual std::vector<std::string> loadWarnings() const { return {}; }
};

// Finds and loads the tokenizer of a checkpoint folder. Preference order:
// vocab.txt (WordPiece), a SentencePiece model (sentencepiece.bpe.model,
// spiece.model, *.model), tokenizer.json. `config` may be null; when given, the
// model type decides the special-token convention (BERT vs RoBERTa).
// tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars,
// never_split, the special tokens) and special_tokens_map.json are read when
// present; without tokenizer_config.json, transformers' BertTokenizer defaults
// apply, among them do_lower_case = true, and loadWarnings() says so.
// Errors name the folder, the file and, where there is one, the line.
Status loadTokenizer(const std::filesystem::path& dir, const ModelConfig* config,
                     std::unique_ptr<Tokenizer>& out);

const char* tokenizerKindName(TokenizerKind kind);

} // namespace gs
