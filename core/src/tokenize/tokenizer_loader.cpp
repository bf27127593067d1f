// loadTokenizer(): finds the tokenizer files of a checkpoint folder and reads
// tokenizer_config.json / special_tokens_map.json for the settings the
// tokenizer files themselves do not carry.
//
// A missing tokenizer_config.json means Hugging Face's BertTokenizer defaults,
// among them do_lower_case = true: a cased model shipped without the file is
// lower-cased by transformers too. The result carries a warning saying so (and
// a stronger one when the vocabulary looks cased), so the user can add the file.

#include "grammascope/model_config.h"
#include "grammascope/tokenizer.h"
#include "tokenize/sentencepiece_tokenizer.h"
#include "tokenize/tokenizer_json.h"
#include "tokenize/wordpiece_tokenizer.h"
#include "util/unicode.h"
#include "util/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

namespace gs {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct TokenizerConfigFile {
    bool present = false;
    std::optional<bool> doLowerCase, stripAccents, tokenizeChineseChars, doBasicTokenize;
    std::vector<std::string> neverSplit;
    std::string unk, cls, sep, pad, mask;  // empty when not given
    std::vector<std::string> warnings;
};

// A special token is written as a string or as a serialised AddedToken {"content": ...}.
std::string specialText(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_object() && value.contains("content") && value.at("content").is_string())
        return value.at("content").get<std::string>();
    return {};
}

Status readJsonFile(const fs::path& file, json& out) {
    std::string text;
    if (auto st = readTextFile(file, text); !st.isOk()) return st;
    try {
        out = json::parse(text);
    } catch (const json::parse_error& e) {
        return Status::failed(jsonParseErrorMessage(text, file.filename().string(), e.byte, "not valid JSON"));
    }
    if (!out.is_object()) return Status::failed(file.filename().string() + ": expected a JSON object");
    return Status::ok();
}

Status readTokenizerConfig(const fs::path& dir, TokenizerConfigFile& cfg) {
    const fs::path file = dir / "tokenizer_config.json";
    std::error_code ec;
    if (fs::exists(file, ec)) {
        json j;
        if (auto st = readJsonFile(file, j); !st.isOk()) return st;
        cfg.present = true;
        const std::string name = file.filename().string();
        auto optionalBool = [&](const char* key, std::optional<bool>& field) -> Status {
            if (!j.contains(key) || j.at(key).is_null()) return Status::ok();
            if (!j.at(key).is_boolean()) return Status::failed(name + ": " + key + " must be true, false or null");
            field = j.at(key).get<bool>();
            return Status::ok();
        };
        for (auto [key, field] : {std::pair{"do_lower_case", &cfg.doLowerCase}, {"strip_accents", &cfg.stripAccents},
                                  {"tokenize_chinese_chars", &cfg.tokenizeChineseChars},
                                  {"do_basic_tokenize", &cfg.doBasicTokenize}})
            if (auto st = optionalBool(key, *field); !st.isOk()) return st;
        if (j.contains("never_split") && j.at("never_split").is_array())
            for (const auto& v : j.at("never_split"))
                if (v.is_string()) cfg.neverSplit.push_back(v.get<std::string>());
        for (auto [key, field] : {std::pair{"unk_token", &cfg.unk}, {"cls_token", &cfg.cls}, {"sep_token", &cfg.sep},
                                  {"pad_token", &cfg.pad}, {"mask_token", &cfg.mask}})
            if (j.contains(key)) *field = specialText(j.at(key));
    }
    // transformers lets special_tokens_map.json override the special tokens of tokenizer_config.json.
    const fs::path mapFile = dir / "special_tokens_map.json";
    if (fs::exists(mapFile, ec)) {
        json j;
        if (auto st = readJsonFile(mapFile, j); !st.isOk()) return st;
        for (auto [key, field] : {std::pair{"unk_token", &cfg.unk}, {"cls_token", &cfg.cls}, {"sep_token", &cfg.sep},
                                  {"pad_token", &cfg.pad}, {"mask_token", &cfg.mask}})
            if (j.contains(key))
                if (auto text = specialText(j.at(key)); !text.empty()) *field = text;
    }
    return Status::ok();
}

bool isRoberta(const ModelConfig* config) { return config && config->architecture == Architecture::Roberta; }

// Pieces with upper-case letters, brackets-enclosed specials aside.
std::size_t countCasedPieces(const WordPieceVocab& vocab) {
    std::size_t cased = 0;
    std::u32string cps;
    for (const auto& piece : vocab.pieces) {
        if (piece.size() >= 2 && ((piece.front() == '[' && piece.back() == ']') || (piece.front() == '<' && piece.back() == '>')))
            continue;
        if (!utf8::decode(piece, cps).isOk()) continue;
        if (std::any_of(cps.begin(), cps.end(), [](char32_t c) { return unicode::hasLowerMapping(c); })) ++cased;
    }
    return cased;
}

Status loadWordPiece(const fs::path& file, const ModelConfig* config, const TokenizerConfigFile& cfg,
                     std::unique_ptr<Tokenizer>& out) {
    std::string text;
    if (auto st = readTextFile(file, text); !st.isOk()) return st;
    WordPieceSettings settings;
    settings.sourceName = file.filename().string();
    settings.warnings = cfg.warnings;
    WordPieceVocab vocab;
    if (auto st = parseVocabTxt(text, settings.sourceName, vocab, settings.warnings); !st.isOk()) return st;

    auto& basic = settings.basic;
    basic.lowerCase = cfg.doLowerCase.value_or(true);
    basic.stripAccents = cfg.stripAccents.value_or(basic.lowerCase);
    basic.tokenizeChineseChars = cfg.tokenizeChineseChars.value_or(true);
    for (const auto& word : cfg.neverSplit) {
        std::u32string cps;
        if (utf8::decode(word, cps).isOk()) basic.neverSplit.push_back(std::move(cps));
    }
    if (cfg.doBasicTokenize == false)
        settings.warnings.push_back("tokenizer_config.json: do_basic_tokenize=false is not supported; "
                                    "basic tokenization is applied");
    if (!cfg.present) {
        const std::size_t cased = countCasedPieces(vocab);
        if (cased * 100 >= vocab.pieces.size())
            settings.warnings.push_back("tokenizer_config.json not found: the text is lower-cased as Hugging Face's "
                                        "BertTokenizer does by default, but " + std::to_string(cased) + " of " +
                                        std::to_string(vocab.pieces.size()) + " pieces have upper-case letters: the "
                                        "model looks cased; add tokenizer_config.json with \"do_lower_case\": false");
        else
            settings.warnings.push_back("tokenizer_config.json not found: lower-casing and stripping accents, "
                                        "Hugging Face's BertTokenizer defaults");
    }
    // Specials: the configured names, else BERT's; the RoBERTa family uses <s> ... </s> when the vocabulary has them.
    auto choose = [&](const std::string& configured, const char* bert, const char* roberta) {
        if (!configured.empty()) return configured;
        if (isRoberta(config) && vocab.find(roberta) >= 0) return std::string(roberta);
        return std::string(bert);
    };
    settings.unkText = choose(cfg.unk, "[UNK]", "<unk>");
    settings.clsText = choose(cfg.cls, "[CLS]", "<s>");
    settings.sepText = choose(cfg.sep, "[SEP]", "</s>");
    settings.padText = choose(cfg.pad, "[PAD]", "<pad>");
    settings.maskText = choose(cfg.mask, "[MASK]", "<mask>");
    if (config && config->vocabSize > 0 && config->vocabSize != static_cast<std::int64_t>(vocab.pieces.size()))
        settings.warnings.push_back(settings.sourceName + " has " + std::to_string(vocab.pieces.size()) +
                                    " pieces but config.json says vocab_size " + std::to_string(config->vocabSize));
    return WordPieceTokenizer::create(std::move(vocab), std::move(settings), out);
}

std::optional<fs::path> findSentencePieceModel(const fs::path& dir, std::vector<std::string>& warnings) {
    std::error_code ec;
    for (const char* name : {"sentencepiece.bpe.model", "spiece.model"})
        if (fs::is_regular_file(dir / name, ec)) return dir / name;
    std::vector<fs::path> models;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file(ec) && entry.path().extension() == ".model") models.push_back(entry.path());
    if (models.empty()) return std::nullopt;
    std::sort(models.begin(), models.end());
    if (models.size() > 1)
        warnings.push_back("several SentencePiece models in the folder; using " + models.front().filename().string());
    return models.front();
}

} // namespace

Status loadTokenizer(const fs::path& dir, const ModelConfig* config, std::unique_ptr<Tokenizer>& out) {
    const std::string stage = "loading tokenizer from " + dir.string();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return Status::failed("not a folder").withStage(stage);
    TokenizerConfigFile cfg;
    if (auto st = readTokenizerConfig(dir, cfg); !st.isOk()) return st.withStage(stage);

    if (fs::is_regular_file(dir / "vocab.txt", ec))
        return loadWordPiece(dir / "vocab.txt", config, cfg, out).withStage(stage);

    if (auto model = findSentencePieceModel(dir, cfg.warnings)) {
        SentencePieceSettings settings;
        settings.warnings = cfg.warnings;
        if (cfg.doLowerCase == true)
            settings.warnings.push_back("tokenizer_config.json: do_lower_case is ignored for SentencePiece models");
        const bool roberta = isRoberta(config);
        settings.clsText = !cfg.cls.empty() ? cfg.cls : (roberta ? "<s>" : "");
        settings.sepText = !cfg.sep.empty() ? cfg.sep : (roberta ? "</s>" : "");
        settings.padText = !cfg.pad.empty() ? cfg.pad : (roberta ? "<pad>" : "");
        settings.maskText = !cfg.mask.empty() ? cfg.mask : (roberta ? "<mask>" : "");
        settings.unkText = cfg.unk;
        return SentencePieceTokenizer::load(*model, config, std::move(settings), out).withStage(stage);
    }

    if (fs::is_regular_file(dir / "tokenizer.json", ec)) return loadTokenizerJson(dir / "tokenizer.json", out).withStage(stage);

    return Status::failed("no tokenizer found: expected vocab.txt, a SentencePiece model (*.model) or tokenizer.json")
        .withStage(stage);
}

} // namespace gs
