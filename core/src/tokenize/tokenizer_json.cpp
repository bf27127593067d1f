#include "tokenize/tokenizer_json.h"

#include "tokenize/unigram_tokenizer.h"
#include "tokenize/wordpiece_tokenizer.h"
#include "util/utf8.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace gs {

using nlohmann::json;

namespace {

// A failure while reading the document, with the JSON path of the culprit.
struct FormatError {
    std::string message;
};

const json& member(const json& object, const char* key, const std::string& path) {
    if (!object.is_object() || !object.contains(key)) throw FormatError{path + "." + key + " is missing"};
    return object.at(key);
}

std::string stringOr(const json& object, const char* key, const std::string& fallback, const std::string& path) {
    if (!object.is_object() || !object.contains(key) || object.at(key).is_null()) return fallback;
    const auto& v = object.at(key);
    if (!v.is_string()) throw FormatError{path + "." + key + " must be a string"};
    return v.get<std::string>();
}

bool boolOr(const json& object, const char* key, bool fallback, const std::string& path) {
    if (!object.is_object() || !object.contains(key) || object.at(key).is_null()) return fallback;
    const auto& v = object.at(key);
    if (!v.is_boolean()) throw FormatError{path + "." + key + " must be true or false"};
    return v.get<bool>();
}

std::string typeOf(const json& component) {
    return component.is_object() ? stringOr(component, "type", "", "") : std::string();
}

// Components of a "Sequence" (normalizers / pretokenizers / processors), or the component itself.
std::vector<json> flatten(const json& component, const char* listKey) {
    std::vector<json> out;
    if (component.is_null()) return out;
    if (typeOf(component) == "Sequence" && component.contains(listKey) && component.at(listKey).is_array()) {
        for (const auto& c : component.at(listKey))
            for (auto& inner : flatten(c, listKey)) out.push_back(std::move(inner));
    } else {
        out.push_back(component);
    }
    return out;
}

struct Sequencing {
    std::string cls, sep;
};

// The specials around a single sequence, from the post-processor.
Sequencing readPostProcessor(const json& root, const std::string& defaultCls, const std::string& defaultSep) {
    Sequencing s{defaultCls, defaultSep};
    if (!root.contains("post_processor")) return s;
    for (const auto& pp : flatten(root.at("post_processor"), "processors")) {
        const std::string type = typeOf(pp);
        if (type == "BertProcessing" || type == "RobertaProcessing") {
            const auto& cls = member(pp, "cls", "post_processor");
            const auto& sep = member(pp, "sep", "post_processor");
            if (!cls.is_array() || cls.empty() || !cls[0].is_string() || !sep.is_array() || sep.empty() ||
                !sep[0].is_string())
                throw FormatError{"post_processor.cls / .sep must be [token, id] pairs"};
            return {cls[0].get<std::string>(), sep[0].get<std::string>()};
        }
        if (type == "TemplateProcessing") {
            const auto& single = member(pp, "single", "post_processor");
            std::vector<std::string> before, after;
            bool seenSequence = false;
            for (const auto& item : single) {
                if (item.contains("Sequence")) {
                    seenSequence = true;
                } else if (item.contains("SpecialToken")) {
                    const auto name = stringOr(item.at("SpecialToken"), "id", "", "post_processor.single");
                    (seenSequence ? after : before).push_back(name);
                }
            }
            if (!seenSequence || before.size() != 1 || after.size() != 1)
                throw FormatError{"post_processor: only a template of the form <special> $A <special> is supported"};
            return {before[0], after[0]};
        }
    }
    return s;
}

std::vector<std::pair<std::string, std::int64_t>> readAddedTokens(const json& root) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    if (!root.contains("added_tokens") || root.at("added_tokens").is_null()) return out;
    const auto& list = root.at("added_tokens");
    if (!list.is_array()) throw FormatError{"added_tokens must be a list"};
    for (const auto& t : list) {
        const auto& id = member(t, "id", "added_tokens[]");
        if (!id.is_number_integer()) throw FormatError{"added_tokens[].id must be an integer"};
        out.emplace_back(stringOr(t, "content", "", "added_tokens[]"), id.get<std::int64_t>());
    }
    return out;
}

std::string firstPresent(const std::vector<std::pair<std::string, std::int64_t>>& added,
                         std::initializer_list<const char*> names) {
    for (const char* name : names)
        for (const auto& [text, id] : added)
            if (text == name) return text;
    return {};
}

Status buildWordPiece(const json& root, const json& model, const std::string& source,
                      std::unique_ptr<Tokenizer>& out) {
    WordPieceSettings settings;
    settings.kind = TokenizerKind::TokenizerJsonWordPiece;
    settings.sourceName = source;
    settings.unkText = stringOr(model, "unk_token", "[UNK]", "model");
    settings.continuingPrefix = stringOr(model, "continuing_subword_prefix", "##", "model");
    if (model.contains("max_input_chars_per_word") && model.at("max_input_chars_per_word").is_number_unsigned())
        settings.maxInputCharsPerWord = model.at("max_input_chars_per_word").get<std::size_t>();

    // tokenizers applies only the normalizers present: no BertNormalizer, no cleaning.
    auto& basic = settings.basic;
    basic.lowerCase = basic.stripAccents = basic.tokenizeChineseChars = basic.cleanText = false;
    bool nfd = false, stripMarks = false;
    for (const auto& n : flatten(root.value("normalizer", json()), "normalizers")) {
        const std::string type = typeOf(n);
        if (type == "BertNormalizer") {
            basic.cleanText = boolOr(n, "clean_text", true, "normalizer");
            basic.tokenizeChineseChars = boolOr(n, "handle_chinese_chars", true, "normalizer");
            basic.lowerCase = boolOr(n, "lowercase", true, "normalizer");
            basic.stripAccents = boolOr(n, "strip_accents", basic.lowerCase, "normalizer");
        } else if (type == "Lowercase") {
            basic.lowerCase = true;
        } else if (type == "NFD") {
            nfd = true;
        } else if (type == "StripAccents") {
            stripMarks = true;
        } else {
            settings.warnings.push_back(source + ": normalizer '" + type + "' is not supported and is ignored");
        }
    }
    if (stripMarks) {
        basic.stripAccents = true;
        if (!nfd)
            settings.warnings.push_back(source + ": StripAccents without NFD is applied after NFD, as BERT strips accents");
    } else if (nfd) {
        settings.warnings.push_back(source + ": NFD without StripAccents is ignored");
    }
    const std::string preTokenizer = typeOf(root.value("pre_tokenizer", json()));
    if (preTokenizer != "BertPreTokenizer")
        settings.warnings.push_back(source + ": pre-tokenizer '" + preTokenizer +
                                    "' is treated as BertPreTokenizer (whitespace and punctuation split)");

    WordPieceVocab vocab;
    const auto& pieces = member(model, "vocab", "model");
    if (!pieces.is_object()) throw FormatError{"model.vocab must be an object {piece: id}"};
    for (const auto& [piece, idValue] : pieces.items()) {
        if (!idValue.is_number_integer() || idValue.get<std::int64_t>() < 0)
            throw FormatError{"model.vocab['" + piece + "'] must be a non-negative integer id"};
        const auto id = idValue.get<std::int64_t>();
        if (utf8::findInvalid(piece)) throw FormatError{"model.vocab has a piece that is not valid UTF-8"};
        if (static_cast<std::size_t>(id) >= vocab.pieces.size()) vocab.pieces.resize(static_cast<std::size_t>(id) + 1);
        vocab.pieces[static_cast<std::size_t>(id)] = piece;
        vocab.ids[piece] = id;
    }
    if (vocab.pieces.empty()) return Status::failed(source + ": the WordPiece vocabulary is empty");
    settings.addedTokens = readAddedTokens(root);
    for (const auto& [text, id] : settings.addedTokens) {
        if (id < 0) continue;
        if (static_cast<std::size_t>(id) >= vocab.pieces.size()) vocab.pieces.resize(static_cast<std::size_t>(id) + 1);
        if (vocab.pieces[static_cast<std::size_t>(id)].empty()) vocab.pieces[static_cast<std::size_t>(id)] = text;
        vocab.ids.try_emplace(text, id);
    }
    const auto seq = readPostProcessor(root, "[CLS]", "[SEP]");
    settings.clsText = seq.cls;
    settings.sepText = seq.sep;
    if (auto mask = firstPresent(settings.addedTokens, {"[MASK]", "<mask>"}); !mask.empty()) settings.maskText = mask;
    if (auto pad = firstPresent(settings.addedTokens, {"[PAD]", "<pad>"}); !pad.empty()) settings.padText = pad;
    return WordPieceTokenizer::create(std::move(vocab), std::move(settings), out);
}

std::u32string toCodePoints(const std::string& s) {
    std::u32string out;
    if (!utf8::decode(s, out).isOk()) throw FormatError{"a normalizer pattern is not valid UTF-8"};
    return out;
}

Status buildUnigram(const json& root, const json& model, const std::string& source, std::unique_ptr<Tokenizer>& out) {
    UnigramSettings settings;
    settings.sourceName = source;
    const auto& unk = member(model, "unk_id", "model");
    if (!unk.is_number_integer()) throw FormatError{"model.unk_id must be an integer (a Unigram model without unk_id is not supported)"};
    settings.unkId = unk.get<std::int64_t>();
    if (boolOr(model, "byte_fallback", false, "model"))
        settings.warnings.push_back(source + ": byte_fallback is not supported; unknown characters become " +
                                    std::string("the unknown token"));
    const auto& vocab = member(model, "vocab", "model");
    if (!vocab.is_array()) throw FormatError{"model.vocab must be a list of [piece, score]"};
    settings.vocab.reserve(vocab.size());
    for (const auto& entry : vocab) {
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number())
            throw FormatError{"model.vocab[" + std::to_string(settings.vocab.size()) + "] must be [piece, score]"};
        settings.vocab.emplace_back(entry[0].get<std::string>(), entry[1].get<double>());
    }

    using Kind = UnigramNormalizerStep::Kind;
    for (const auto& n : flatten(root.value("normalizer", json()), "normalizers")) {
        const std::string type = typeOf(n);
        if (type == "Lowercase") {
            settings.normalizers.push_back({Kind::Lowercase, {}, {}});
        } else if (type == "NFD") {
            settings.normalizers.push_back({Kind::Nfd, {}, {}});
        } else if (type == "StripAccents") {
            settings.normalizers.push_back({Kind::StripMarks, {}, {}});
        } else if (type == "Replace") {
            const auto& pattern = member(n, "pattern", "normalizer");
            const std::string content = stringOr(n, "content", "", "normalizer");
            if (pattern.contains("String")) {
                settings.normalizers.push_back(
                    {Kind::ReplaceLiteral, toCodePoints(pattern.at("String").get<std::string>()), toCodePoints(content)});
            } else if (pattern.contains("Regex") && pattern.at("Regex") == " {2,}" && content == " ") {
                settings.normalizers.push_back({Kind::CollapseSpaces, {}, {}});
            } else {
                settings.warnings.push_back(source + ": Replace normalizer with pattern " + pattern.dump() +
                                            " is not supported and is ignored");
            }
        } else if (type == "Precompiled") {
            settings.warnings.push_back(source + ": the Precompiled normalizer (SentencePiece's character map, "
                                                 "e.g. NFKC) cannot be reproduced and is ignored");
        } else {
            settings.warnings.push_back(source + ": normalizer '" + type + "' is not supported and is ignored");
        }
    }

    settings.metaspace = false;
    for (const auto& p : flatten(root.value("pre_tokenizer", json()), "pretokenizers")) {
        const std::string type = typeOf(p);
        if (type == "WhitespaceSplit") {
            settings.whitespaceSplit = true;
        } else if (type == "Metaspace") {
            settings.metaspace = true;
            const auto replacement = toCodePoints(stringOr(p, "replacement", "\xE2\x96\x81", "pre_tokenizer"));
            if (replacement.size() != 1) throw FormatError{"pre_tokenizer.replacement must be one character"};
            settings.replacement = replacement[0];
            settings.metaspaceSplit = boolOr(p, "split", true, "pre_tokenizer");
            const std::string scheme = stringOr(p, "prepend_scheme", "", "pre_tokenizer");
            if (scheme == "first")
                settings.prepend = UnigramSettings::Prepend::First;
            else if (scheme == "never")
                settings.prepend = UnigramSettings::Prepend::Never;
            else if (scheme == "always")
                settings.prepend = UnigramSettings::Prepend::Always;
            else
                settings.prepend = boolOr(p, "add_prefix_space", true, "pre_tokenizer")
                                       ? UnigramSettings::Prepend::Always
                                       : UnigramSettings::Prepend::Never;
        } else {
            return Status::failed(source + ": pre-tokenizer '" + type + "' is not supported with a Unigram model");
        }
    }
    settings.addedTokens = readAddedTokens(root);
    const auto seq = readPostProcessor(root, "<s>", "</s>");
    settings.clsText = seq.cls;
    settings.sepText = seq.sep;
    settings.maskText = firstPresent(settings.addedTokens, {"<mask>", "[MASK]"});
    settings.padText = firstPresent(settings.addedTokens, {"<pad>", "[PAD]"});
    return UnigramTokenizer::create(std::move(settings), out);
}

} // namespace

std::string jsonParseErrorMessage(std::string_view text, const std::string& sourceName, std::size_t byte,
                                  const std::string& what) {
    // nlohmann reports the 1-based position of the last byte read.
    const std::size_t end = std::min(text.size(), byte > 0 ? byte - 1 : 0);
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return sourceName + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what;
}

Status readTextFile(const std::filesystem::path& file, std::string& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed(file.string() + ": cannot open the file");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Status::failed(file.string() + ": read error");
    out = std::move(ss).str();
    return Status::ok();
}

Status parseTokenizerJson(std::string_view text, const std::string& sourceName, std::unique_ptr<Tokenizer>& out) {
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        return Status::failed(jsonParseErrorMessage(text, sourceName, e.byte, "not valid JSON"));
    }
    try {
        const auto& model = member(root, "model", "");
        const std::string type = typeOf(model);
        if (type == "WordPiece") return buildWordPiece(root, model, sourceName, out);
        if (type == "Unigram") return buildUnigram(root, model, sourceName, out);
        return Status::failed(sourceName + ": model type '" + type +
                              "' is not supported (Grammascope reads WordPiece and Unigram tokenizer.json files)");
    } catch (const FormatError& e) {
        return Status::failed(sourceName + ": " + (e.message.starts_with(".") ? e.message.substr(1) : e.message));
    } catch (const json::exception& e) {
        return Status::failed(sourceName + ": unexpected structure: " + e.what());
    }
}

Status loadTokenizerJson(const std::filesystem::path& file, std::unique_ptr<Tokenizer>& out) {
    std::string text;
    if (auto st = readTextFile(file, text); !st.isOk()) return st;
    return parseTokenizerJson(text, file.filename().string(), out);
}

} // namespace gs
