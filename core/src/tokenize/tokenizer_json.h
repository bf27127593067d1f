#pragma once
// Hugging Face tokenizers' tokenizer.json, for the two model types a
// BERT-family checkpoint uses:
//  - "WordPiece": the vocabulary of the file with the settings of its
//    BertNormalizer (clean_text, handle_chinese_chars, strip_accents, lowercase);
//  - "Unigram": [piece, score] vocabulary, unk_id, Metaspace pre-tokenizer.
//    A "Precompiled" normalizer (sentencepiece's NFKC character map) cannot be
//    reproduced and is ignored with a warning; so is any other unsupported
//    normalizer step.
// The post-processor (BertProcessing, RobertaProcessing or a TemplateProcessing
// of the form <special> $A <special>) names the sequence specials; added_tokens
// are matched literally in the text. Other model types (BPE, WordLevel) are an
// error naming the file and the type.
//
// Thread-safety: free functions; the tokenizers they create are immutable.

#include "grammascope/tokenizer.h"

#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace gs {

Status loadTokenizerJson(const std::filesystem::path& file, std::unique_ptr<Tokenizer>& out);
// `sourceName` names the file in messages.
Status parseTokenizerJson(std::string_view text, const std::string& sourceName, std::unique_ptr<Tokenizer>& out);

// "<source>:<line>:<column>: <what>" for a nlohmann::json parse error, the
// position computed from the error's byte offset into `text`.
std::string jsonParseErrorMessage(std::string_view text, const std::string& sourceName, std::size_t byte,
                                  const std::string& what);

// Reads a whole file; the error names it.
Status readTextFile(const std::filesystem::path& file, std::string& out);

} // namespace gs
