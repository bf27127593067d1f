#include "tokenize/wordpiece_tokenizer.h"

#include "util/unicode.h"
#include "util/utf8.h"

#include <algorithm>

namespace gs {

Status parseVocabTxt(std::string_view content, const std::string& sourceName, WordPieceVocab& out,
                     std::vector<std::string>& warnings) {
    out = WordPieceVocab{};
    // Lines end at "\n", "\r\n" or "\r": Python reads vocab.txt with universal newlines.
    std::size_t pos = 0;
    std::vector<std::size_t> firstLine;  // for the duplicate messages
    while (pos < content.size()) {
        std::size_t end = content.find_first_of("\r\n", pos);
        std::size_t next;
        if (end == std::string_view::npos) {
            end = next = content.size();
        } else {
            next = end + 1;
            if (content[end] == '\r' && next < content.size() && content[next] == '\n') ++next;
        }
        const std::string_view piece = content.substr(pos, end - pos);
        const std::int64_t id = static_cast<std::int64_t>(out.pieces.size());
        const std::string where = sourceName + ":" + std::to_string(id + 1) + ": ";
        if (auto error = utf8::findInvalid(piece)) return Status::failed(where + *error + " of the line");
        if (piece.empty()) warnings.push_back(where + "empty line (an empty piece with id " + std::to_string(id) + ")");
        auto [it, inserted] = out.ids.try_emplace(std::string(piece), id);
        if (!inserted) {
            warnings.push_back(where + "duplicate piece '" + std::string(piece) + "' (first on line " +
                               std::to_string(it->second + 1) + "); id " + std::to_string(id) +
                               " is used for it, as Hugging Face does");
            it->second = id;
        }
        out.pieces.emplace_back(piece);
        pos = next;
    }
    if (out.pieces.empty()) return Status::failed(sourceName + ": the vocabulary is empty");
    return Status::ok();
}

WordPieceTokenizer::WordPieceTokenizer(WordPieceVocab vocab, WordPieceSettings settings)
    : m_vocab(std::move(vocab)), m_settings(std::move(settings)), m_basic(m_settings.basic) {}

Status WordPieceTokenizer::create(WordPieceVocab vocab, WordPieceSettings settings, std::unique_ptr<Tokenizer>& out) {
    std::unique_ptr<WordPieceTokenizer> t(new WordPieceTokenizer(std::move(vocab), std::move(settings)));
    const auto& s = t->m_settings;
    auto& sp = t->m_specials;
    auto require = [&](const std::string& text, const char* role, std::int64_t& id) -> Status {
        id = t->m_vocab.find(text);
        if (id < 0)
            return Status::failed(s.sourceName + ": no '" + text + "' piece (the " + role +
                                  " token) in the vocabulary");
        return Status::ok();
    };
    if (auto st = require(s.unkText, "unknown", sp.unk); !st.isOk()) return st;
    if (auto st = require(s.clsText, "sequence start", sp.cls); !st.isOk()) return st;
    if (auto st = require(s.sepText, "sequence end", sp.sep); !st.isOk()) return st;
    sp.pad = t->m_vocab.find(s.padText);
    sp.mask = t->m_vocab.find(s.maskText);
    sp.unkText = s.unkText;
    sp.clsText = s.clsText;
    sp.sepText = s.sepText;
    sp.padText = sp.pad >= 0 ? s.padText : std::string();
    sp.maskText = sp.mask >= 0 ? s.maskText : std::string();
    for (const auto& [text, id] : s.addedTokens) t->m_inText.add(text, id);
    for (const std::string* text : {&sp.maskText, &sp.clsText, &sp.sepText, &sp.padText, &sp.unkText})
        if (!text->empty()) t->m_inText.add(*text, t->m_vocab.find(*text));
    out = std::move(t);
    return Status::ok();
}

std::string WordPieceTokenizer::idToPiece(std::int64_t id) const {
    if (id < 0 || id >= vocabSize()) return {};
    return m_vocab.pieces[static_cast<std::size_t>(id)];
}

std::string WordPieceTokenizer::describe() const {
    std::string casing = m_settings.basic.lowerCase ? "uncased" : "cased";
    if (!m_settings.basic.lowerCase && m_settings.basic.stripAccents) casing += ", accents stripped";
    if (m_settings.basic.lowerCase && !m_settings.basic.stripAccents) casing += ", accents kept";
    // The source file name tells vocab.txt and tokenizer.json apart.
    return "WordPiece (" + m_settings.sourceName + ", " +
           std::to_string(vocabSize()) + " pieces, " + casing + ")";
}

Status WordPieceTokenizer::encode(std::string_view text, std::int64_t maxLength, Encoding& out) const {
    out = Encoding{};
    utf8::DecodedText decoded;
    if (auto st = utf8::decode(text, decoded); !st.isOk()) return st.withStage("tokenizing");

    std::vector<Token> content;
    std::vector<BasicWord> words;
    std::int32_t wordIndex = 0;
    for (const auto& segment : m_inText.split(decoded.codePoints, 0, decoded.size())) {
        if (segment.special >= 0) {
            const auto& entry = m_inText.entry(segment.special);
            content.push_back(makeTextToken(entry.text, entry.id, segment.begin, segment.end, decoded, wordIndex++));
            continue;
        }
        words.clear();
        m_basic.tokenize(decoded.codePoints, segment.begin, segment.end, words);
        for (const auto& word : words) appendWordPieces(word, wordIndex++, decoded, content);
    }
    return finishEncoding(std::move(content), makeSpecialToken(m_specials.clsText, m_specials.cls),
                          makeSpecialToken(m_specials.sepText, m_specials.sep), maxLength, out)
        .withStage("tokenizing");
}

void WordPieceTokenizer::appendWordPieces(const BasicWord& word, std::int32_t wordIndex,
                                          const utf8::DecodedText& text, std::vector<Token>& out) const {
    auto unknownWord = [&] {
        out.push_back(makeTextToken(m_specials.unkText, m_specials.unk, static_cast<std::size_t>(word.begin),
                                    static_cast<std::size_t>(word.end), text, wordIndex));
    };
    const std::string wordUtf8 = utf8::encode(word.text);
    if (word.neverSplit) {
        const std::int64_t id = m_vocab.find(wordUtf8);
        if (id < 0) return unknownWord();
        out.push_back(makeTextToken(wordUtf8, id, static_cast<std::size_t>(word.begin),
                                    static_cast<std::size_t>(word.end), text, wordIndex));
        return;
    }
    const std::size_t n = word.text.size();
    if (n > m_settings.maxInputCharsPerWord) return unknownWord();

    // Byte offset of each code point inside wordUtf8, to cut candidates without re-encoding.
    std::vector<std::size_t> bytes(n + 1, 0);
    for (std::size_t i = 0, b = 0; i < n; ++i) {
        bytes[i] = b;
        b += utf8::sequenceLength(static_cast<unsigned char>(wordUtf8[b]));
        bytes[i + 1] = b;
    }
    const std::size_t firstPiece = out.size();
    std::string candidate;
    std::size_t start = 0;
    while (start < n) {
        std::size_t end = n;
        std::int64_t id = -1;
        while (start < end) {
            candidate.clear();
            if (start > 0) candidate = m_settings.continuingPrefix;
            candidate.append(wordUtf8, bytes[start], bytes[end] - bytes[start]);
            id = m_vocab.find(candidate);
            if (id >= 0) break;
            --end;
        }
        if (id < 0) {
            // No piece covers the rest: the whole word is unknown, not just its tail.
            out.resize(firstPiece);
            return unknownWord();
        }
        // A piece may split the normalised expansion of one original character
        // (a Hangul syllable's jamo): both pieces then cover that character.
        const auto first = word.origin.begin() + static_cast<std::ptrdiff_t>(start);
        const auto last = word.origin.begin() + static_cast<std::ptrdiff_t>(end);
        const auto [lo, hi] = std::minmax_element(first, last);
        out.push_back(makeTextToken(candidate, id, static_cast<std::size_t>(*lo), static_cast<std::size_t>(*hi) + 1,
                                    text, wordIndex));
        start = end;
    }
}

} // namespace gs
