// CoNLL-U reading (https://universaldependencies.org/format.html). Treebanks
// are large and written by many tools, so the reader is forgiving where the
// format leaves room (CRLF, a byte-order mark, whitespace-only separator lines,
// "_" heads of unannotated files) and strict where a mistake would corrupt the
// tree: a word line that does not parse skips its whole sentence, because
// heads are indices and one bad line shifts every index after it.

#include "grammascope/conllu.h"

#include "util/utf8.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace gs {
namespace {

constexpr std::size_t kColumns = 10;
const char* const kColumnNames[kColumns] = {"ID", "FORM", "LEMMA", "UPOS", "XPOS",
                                            "FEATS", "HEAD", "DEPREL", "DEPS", "MISC"};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> splitTabs(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (true) {
        const std::size_t tab = line.find('\t', pos);
        out.push_back(line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos));
        if (tab == std::string_view::npos) return out;
        pos = tab + 1;
    }
}

// A whole non-negative decimal number (no sign, no spaces).
std::optional<int> parseIndex(std::string_view s) {
    if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// "_" is CoNLL-U's empty value.
std::string column(std::string_view s) { return s == "_" ? std::string() : std::string(s); }

bool hasMiscSpaceAfterNo(std::string_view misc) {
    std::size_t pos = 0;
    while (pos <= misc.size()) {
        const std::size_t bar = std::min(misc.find('|', pos), misc.size());
        if (misc.substr(pos, bar - pos) == "SpaceAfter=No") return true;
        pos = bar + 1;
    }
    return false;
}

// Bytes of the whitespace character at `pos` (0 if none): the separators a
// "# text" line may put between tokens, including the no-break and thin spaces
// some treebanks keep in numbers and abbreviations.
std::size_t whitespaceAt(std::string_view t, std::size_t pos) {
    if (pos >= t.size()) return 0;
    const auto b = [&](std::size_t i) { return pos + i < t.size() ? static_cast<unsigned char>(t[pos + i]) : 0u; };
    if (b(0) == ' ' || b(0) == '\t' || b(0) == '\n' || b(0) == '\r') return 1;
    if (b(0) == 0xC2 && b(1) == 0xA0) return 2;                                      // U+00A0
    if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) <= 0x8A || b(2) == 0xAF)) return 3;  // U+2000-200A, U+202F
    if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;                     // U+3000
    return 0;
}

// What a surface token covers: one word, or the words of a multiword token.
struct SurfaceToken {
    std::string form;
    bool spaceAfter = true;
    std::size_t firstWord = 0, lastWord = 0;  // 0-based, inclusive
};

// One sentence block while it is being read.
struct Block {
    std::int64_t firstLine = 0, textLine = 0, sentIdLine = 0;
    std::optional<std::string> sentId, text;
    std::vector<SurfaceToken> tokens;
    std::vector<SentenceWord> words;
    std::vector<std::string> heads;          // raw HEAD fields, resolved when the block ends
    std::vector<std::int64_t> wordLines;
    int rangeEnd = 0;                        // last word id of the open multiword token
    std::int64_t rangeLine = 0;
    bool error = false;                      // an issue already skips this sentence

    bool empty() const { return firstLine == 0; }
};

class Parser {
public:
    Parser(const std::string& source, ConlluDocument& out) : m_source(source), m_out(out) {}

    void line(std::string_view raw, std::int64_t number) {
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (trim(raw).empty()) {
            finish();
            return;
        }
        if (m_block.empty()) m_block.firstLine = number;
        if (m_block.error) return;  // the rest of a skipped sentence
        if (raw.front() == '#') comment(raw.substr(1), number);
        else wordLine(raw, number);
    }

    // Closes the current block, if any.
    void finish() {
        if (m_block.empty()) return;
        Block b = std::move(m_block);
        m_block = Block();
        if (b.error) return;
        if (b.words.empty()) {
            issue(IssueSeverity::Warning, b.firstLine, "comment lines without a sentence");
            return;
        }
        if (b.rangeEnd > static_cast<int>(b.words.size())) {
            issue(IssueSeverity::Error, b.rangeLine,
                  "multiword token ends at word " + std::to_string(b.rangeEnd) + " but the sentence has " +
                      std::to_string(b.words.size()) + " words; sentence skipped");
            return;
        }
        if (!resolveHeads(b)) return;
        ConlluSentence s;
        s.line = b.firstLine;
        s.sentId = b.sentId ? *b.sentId : m_source + ":" + std::to_string(b.firstLine);
        if (b.sentId) {
            const auto [it, fresh] = m_sentIds.emplace(*b.sentId, b.sentIdLine);
            if (!fresh)
                issue(IssueSeverity::Warning, b.sentIdLine,
                      "duplicate sent_id '" + *b.sentId + "' (first at line " + std::to_string(it->second) + ")");
        }
        placeWords(b, s.sentence);
        m_out.sentences.push_back(std::move(s));
    }

private:
    void issue(IssueSeverity severity, std::int64_t line, std::string message) {
        m_out.issues.push_back({severity, line, std::move(message)});
    }
    void skip(std::int64_t line, const std::string& what) {
        issue(IssueSeverity::Error, line, what + "; sentence skipped");
        m_block.error = true;
    }

    void comment(std::string_view body, std::int64_t number) {
        const std::size_t eq = body.find('=');
        if (eq == std::string_view::npos) return;  // "# newpar" and free comments
        const std::string_view key = trim(body.substr(0, eq));
        const std::string_view value = trim(body.substr(eq + 1));
        // Comments after the first word line are unusual but harmless; the
        // first sent_id / text wins so that a stray later one cannot move spans.
        if (key == "sent_id" && !m_block.sentId && !value.empty()) {
            m_block.sentId = std::string(value);
            m_block.sentIdLine = number;
        } else if (key == "text" && !m_block.text) {
            m_block.text = std::string(value);
            m_block.textLine = number;
        }
    }

    void wordLine(std::string_view raw, std::int64_t number) {
        const auto f = splitTabs(raw);
        if (f.size() != kColumns) {
            skip(number, "expected 10 tab-separated columns, found " + std::to_string(f.size()));
            return;
        }
        const std::string_view id = f[0];
        const int expected = static_cast<int>(m_block.words.size()) + 1;
        if (const std::size_t dash = id.find('-'); dash != std::string_view::npos) {
            const auto a = parseIndex(id.substr(0, dash)), b = parseIndex(id.substr(dash + 1));
            if (!a || !b || *b <= *a) return skip(number, "bad multiword token id '" + std::string(id) + "'");
            if (*a != expected || m_block.rangeEnd >= *a)
                return skip(number, "multiword token " + std::string(id) + " does not start at the next word (" +
                                        std::to_string(expected) + ")");
            if (f[1].empty()) return skip(number, "empty FORM");
            m_block.tokens.push_back({std::string(f[1]), !hasMiscSpaceAfterNo(f[9]), static_cast<std::size_t>(*a - 1),
                                      static_cast<std::size_t>(*b - 1)});
            m_block.rangeEnd = *b;
            m_block.rangeLine = number;
            return;
        }
        if (const std::size_t dot = id.find('.'); dot != std::string_view::npos) {
            // Empty nodes belong to the enhanced graph only: checked, then skipped.
            const auto a = parseIndex(id.substr(0, dot)), b = parseIndex(id.substr(dot + 1));
            if (!a || !b || *b < 1 || *a != expected - 1)
                return skip(number, "bad empty node id '" + std::string(id) + "'");
            return;
        }
        const auto n = parseIndex(id);
        if (!n) return skip(number, "bad word id '" + std::string(id) + "'");
        if (*n != expected)
            return skip(number, "word id " + std::to_string(*n) + " where " + std::to_string(expected) + " was expected");
        for (std::size_t c : {1u, 6u})
            if (f[c].empty()) return skip(number, std::string("empty ") + kColumnNames[c] + " column");

        SentenceWord w;
        w.text = std::string(f[1]);
        UdWord ud;
        // A lemma "_" is a real lemma only for the form "_" itself.
        ud.lemma = f[2] == "_" && f[1] != "_" ? std::string() : std::string(f[2]);
        ud.upos = column(f[3]);
        ud.xpos = column(f[4]);
        ud.feats = column(f[5]);
        ud.deprel = column(f[7]);
        w.ud = std::move(ud);
        m_block.words.push_back(std::move(w));
        m_block.heads.emplace_back(f[6]);
        m_block.wordLines.push_back(number);
        if (*n > m_block.rangeEnd) {  // not inside a multiword token: its own surface token
            const std::size_t i = m_block.words.size() - 1;
            m_block.tokens.push_back({std::string(f[1]), !hasMiscSpaceAfterNo(f[9]), i, i});
        }
    }

    bool resolveHeads(Block& b) {
        const int n = static_cast<int>(b.words.size());
        for (int i = 0; i < n; ++i) {
            const std::string& h = b.heads[static_cast<std::size_t>(i)];
            if (h == "_") continue;  // unannotated: stays -1
            const auto v = parseIndex(h);
            if (!v || *v > n || *v == i + 1) {
                const std::string why = !v ? "is not a word id" : *v > n ? "is past the last word" : "is the word itself";
                issue(IssueSeverity::Error, b.wordLines[static_cast<std::size_t>(i)],
                      "HEAD '" + h + "' " + why + " (" + std::to_string(n) + " words); sentence skipped");
                return false;
            }
            b.words[static_cast<std::size_t>(i)].ud->head = *v - 1;  // root (0) becomes -1
        }
        return true;
    }

    // Byte spans of the surface tokens in `text`: each token where the
    // previous one ended, after whitespace. Nothing when the text disagrees.
    static std::optional<std::vector<std::pair<std::size_t, std::size_t>>> align(
        const std::vector<SurfaceToken>& tokens, std::string_view text, std::size_t& failedToken) {
        std::vector<std::pair<std::size_t, std::size_t>> spans;
        std::size_t pos = 0;
        for (std::size_t t = 0; t < tokens.size(); ++t) {
            while (std::size_t ws = whitespaceAt(text, pos)) pos += ws;
            const std::string& form = tokens[t].form;
            if (text.compare(pos, form.size(), form) != 0) {
                failedToken = t;
                return std::nullopt;
            }
            spans.emplace_back(pos, pos + form.size());
            pos += form.size();
        }
        while (std::size_t ws = whitespaceAt(text, pos)) pos += ws;
        if (pos != text.size()) {
            failedToken = tokens.size();
            return std::nullopt;
        }
        return spans;
    }

    void placeWords(Block& b, AnnotatedSentence& out) {
        std::vector<std::pair<std::size_t, std::size_t>> spans;
        bool fromComment = false;
        if (b.text) {
            std::size_t failed = 0;
            if (auto aligned = align(b.tokens, *b.text, failed)) {
                spans = std::move(*aligned);
                fromComment = true;
            } else {
                const std::string what = failed < b.tokens.size()
                                             ? "token " + std::to_string(failed + 1) + " '" + b.tokens[failed].form +
                                                   "' is not where the previous one ended"
                                             : "text continues after the last token";
                issue(IssueSeverity::Warning, b.textLine,
                      "# text does not match the word forms (" + what + "); using the text rebuilt from the forms");
            }
        }
        if (fromComment) {
            out.text = std::move(*b.text);
        } else {
            // The text as the tokens and their SpaceAfter=No describe it.
            out.text.clear();
            for (std::size_t t = 0; t < b.tokens.size(); ++t) {
                spans.emplace_back(out.text.size(), out.text.size() + b.tokens[t].form.size());
                out.text += b.tokens[t].form;
                if (b.tokens[t].spaceAfter && t + 1 < b.tokens.size()) out.text += ' ';
            }
        }
        for (std::size_t t = 0; t < b.tokens.size(); ++t) {
            const SurfaceToken& tok = b.tokens[t];
            const auto [begin, end] = spans[t];
            // Members of a multiword token get their own part of the token when
            // their forms spell it («купил-то» = «купил» + «-то»), else all share
            // the token's span: the text has no place for each word on its own.
            std::string joined;
            for (std::size_t w = tok.firstWord; w <= tok.lastWord; ++w) joined += b.words[w].text;
            std::size_t pos = begin;
            for (std::size_t w = tok.firstWord; w <= tok.lastWord; ++w) {
                SentenceWord& word = b.words[w];
                if (joined == tok.form) {
                    word.byteBegin = static_cast<std::int64_t>(pos);
                    pos += word.text.size();
                    word.byteEnd = static_cast<std::int64_t>(pos);
                } else {
                    word.byteBegin = static_cast<std::int64_t>(begin);
                    word.byteEnd = static_cast<std::int64_t>(end);
                }
            }
        }
        out.words = std::move(b.words);
    }

    const std::string& m_source;
    ConlluDocument& m_out;
    Block m_block;
    std::unordered_map<std::string, std::int64_t> m_sentIds;  // sent_id → its line
};

// The 1-based line of the first invalid byte and what is wrong there.
std::string describeInvalidUtf8(std::string_view text, const std::string& source) {
    std::size_t pos = 0;
    for (std::int64_t line = 1; pos <= text.size(); ++line) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        if (auto error = utf8::findInvalid(text.substr(pos, nl - pos)))
            return source + ":" + std::to_string(line) + ": the file is not UTF-8; in this line, " + *error;
        pos = nl + 1;
    }
    return source + ": the file is not UTF-8";
}

} // namespace

Status parseConllu(std::string_view text, const std::string& sourceName, ConlluDocument& out) {
    out = ConlluDocument();
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    // Reject the whole file up front: a Latin-1 or CP1251 treebank would
    // otherwise load as garbage words with plausible-looking trees.
    if (utf8::findInvalid(text)) return Status::failed("reading CoNLL-U: " + describeInvalidUtf8(text, sourceName));

    Parser parser(sourceName, out);
    std::size_t pos = 0;
    std::int64_t number = 1;
    while (pos < text.size()) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        parser.line(text.substr(pos, nl - pos), number++);
        pos = nl + 1;
    }
    parser.finish();

    if (out.sentences.empty()) {
        std::string why = "no sentence";
        for (const DatasetIssue& i : out.issues) {
            if (i.severity != IssueSeverity::Error) continue;
            why += " (every sentence was skipped; first: line " + std::to_string(i.line) + ": " + i.message + ")";
            break;
        }
        return Status::failed("reading CoNLL-U: " + sourceName + ": " + why);
    }
    return Status::ok();
}

Status readConllu(const std::filesystem::path& file, ConlluDocument& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed("reading CoNLL-U: cannot open " + file.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return Status::failed("reading CoNLL-U: " + file.string() + ": read error");
    return parseConllu(buffer.str(), file.string(), out);
}

} // namespace gs
