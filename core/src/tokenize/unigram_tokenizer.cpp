#include "tokenize/unigram_tokenizer.h"

#include "util/unicode.h"
#include "util/utf8.h"

#include <algorithm>
#include <limits>

namespace gs {

namespace {

constexpr double kUnknownPenalty = 10.0;  // tokenizers' K_UNK_PENALTY (sentencepiece's kUnkPenalty)

// Rust's char::is_whitespace (the White_Space property), used by WhitespaceSplit.
bool isRustWhitespace(char32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

} // namespace

UnigramTokenizer::UnigramTokenizer(UnigramSettings settings) : m_settings(std::move(settings)) {}

Status UnigramTokenizer::create(UnigramSettings settings, std::unique_ptr<Tokenizer>& out) {
    const std::string source = settings.sourceName;
    if (settings.vocab.empty()) return Status::failed(source + ": the Unigram vocabulary is empty");
    if (settings.unkId < 0 || settings.unkId >= static_cast<std::int64_t>(settings.vocab.size()))
        return Status::failed(source + ": the Unigram model has no valid unk_id");
    std::unique_ptr<UnigramTokenizer> t(new UnigramTokenizer(std::move(settings)));
    double minScore = std::numeric_limits<double>::infinity();
    for (std::size_t id = 0; id < t->m_settings.vocab.size(); ++id) {
        const auto& [piece, score] = t->m_settings.vocab[id];
        t->m_ids[piece] = static_cast<std::int64_t>(id);  // a later duplicate wins, as in tokenizers
        minScore = std::min(minScore, score);
        std::u32string cps;
        if (!utf8::decode(piece, cps).isOk())
            return Status::failed(source + ": vocabulary piece " + std::to_string(id) + " is not valid UTF-8");
        t->m_maxPieceChars = std::max(t->m_maxPieceChars, cps.size());
    }
    t->m_unkScore = minScore - kUnknownPenalty;
    t->m_vocabSize = static_cast<std::int64_t>(t->m_settings.vocab.size());
    for (const auto& [text, id] : t->m_settings.addedTokens) {
        if (id < t->m_vocabSize || id < 0) continue;
        t->m_addedIds[text] = id;
        t->m_vocabSize = std::max(t->m_vocabSize, id + 1);
    }

    auto& s = t->m_specials;
    const auto& st = t->m_settings;
    s.unk = st.unkId;
    s.unkText = st.vocab[static_cast<std::size_t>(st.unkId)].first;
    auto lookup = [&](const std::string& text, std::int64_t& id, std::string& field) {
        id = text.empty() ? -1 : t->pieceToId(text);
        field = id >= 0 ? text : std::string();
    };
    lookup(st.clsText, s.cls, s.clsText);
    lookup(st.sepText, s.sep, s.sepText);
    lookup(st.padText, s.pad, s.padText);
    lookup(st.maskText, s.mask, s.maskText);
    if (s.cls < 0 || s.sep < 0)
        return Status::failed(source + ": no sequence start/end tokens ('" + st.clsText + "', '" + st.sepText +
                              "') in the vocabulary");
    for (const auto& [text, id] : st.addedTokens) t->m_inText.add(text, id);
    out = std::move(t);
    return Status::ok();
}

std::string UnigramTokenizer::idToPiece(std::int64_t id) const {
    if (id >= 0 && id < static_cast<std::int64_t>(m_settings.vocab.size()))
        return m_settings.vocab[static_cast<std::size_t>(id)].first;
    for (const auto& [text, addedId] : m_addedIds)
        if (addedId == id) return text;
    return {};
}

std::int64_t UnigramTokenizer::pieceToId(std::string_view piece) const {
    if (auto it = m_ids.find(piece); it != m_ids.end()) return it->second;
    if (auto it = m_addedIds.find(piece); it != m_addedIds.end()) return it->second;
    return -1;
}

std::string UnigramTokenizer::describe() const {
    return "Unigram (" + m_settings.sourceName + ", " +
           std::to_string(vocabSize()) + " pieces)";
}

void UnigramTokenizer::normalize(Normalized& n) const {
    for (const auto& step : m_settings.normalizers) {
        Normalized next;
        auto keep = [&](char32_t cp, std::int32_t origin) {
            next.text.push_back(cp);
            next.origin.push_back(origin);
        };
        const std::size_t size = n.text.size();
        switch (step.kind) {
        case UnigramNormalizerStep::Kind::Lowercase:
            for (std::size_t i = 0; i < size; ++i) {
                unicode::appendLower(n.text[i], next.text);
                next.origin.resize(next.text.size(), n.origin[i]);
            }
            break;
        case UnigramNormalizerStep::Kind::Nfd:
            for (std::size_t i = 0; i < size; ++i) {
                unicode::appendCanonicalDecomposition(n.text[i], next.text);
                next.origin.resize(next.text.size(), n.origin[i]);
            }
            unicode::canonicalOrder(next.text, next.origin);
            break;
        case UnigramNormalizerStep::Kind::StripMarks:
            for (std::size_t i = 0; i < size; ++i)
                if (!unicode::isNonspacingMark(n.text[i])) keep(n.text[i], n.origin[i]);
            break;
        case UnigramNormalizerStep::Kind::CollapseSpaces:
            for (std::size_t i = 0; i < size; ++i)
                if (!(n.text[i] == U' ' && i > 0 && n.text[i - 1] == U' ')) keep(n.text[i], n.origin[i]);
            break;
        case UnigramNormalizerStep::Kind::ReplaceLiteral:
            for (std::size_t i = 0; i < size;) {
                if (!step.pattern.empty() && n.text.compare(i, step.pattern.size(), step.pattern) == 0) {
                    for (char32_t cp : step.content) keep(cp, n.origin[i]);
                    i += step.pattern.size();
                } else {
                    keep(n.text[i], n.origin[i]);
                    ++i;
                }
            }
            break;
        }
        n = std::move(next);
    }
}

void UnigramTokenizer::segment(std::u32string_view preToken, std::vector<Segment>& out) const {
    struct Best {
        double score = 0.0;
        std::int64_t id = -1;
        std::size_t start = 0;
        bool reached = false;
    };
    const std::size_t n = preToken.size();
    std::vector<Best> best(n + 1);
    best[0].reached = true;
    std::string candidate;
    for (std::size_t start = 0; start < n; ++start) {
        if (!best[start].reached) continue;
        const double base = best[start].score;
        bool singleCharPiece = false;
        candidate.clear();
        const std::size_t limit = std::min(n, start + m_maxPieceChars);
        for (std::size_t end = start + 1; end <= limit; ++end) {
            utf8::append(candidate, preToken[end - 1]);
            auto it = m_ids.find(std::string_view(candidate));
            if (it == m_ids.end()) continue;
            const double score = base + m_settings.vocab[static_cast<std::size_t>(it->second)].second;
            if (!best[end].reached || score > best[end].score) best[end] = {score, it->second, start, true};
            if (end == start + 1) singleCharPiece = true;
        }
        if (!singleCharPiece) {
            const double score = base + m_unkScore;
            if (!best[start + 1].reached || score > best[start + 1].score)
                best[start + 1] = {score, m_settings.unkId, start, true};
        }
    }
    // Walk back from the end; consecutive unknown characters become one token.
    std::vector<Segment> reversed;
    for (std::size_t end = n; end > 0;) {
        const auto& node = best[end];
        if (node.id == m_settings.unkId && !reversed.empty() && reversed.back().id == m_settings.unkId &&
            reversed.back().begin == end) {
            reversed.back().begin = node.start;
        } else {
            reversed.push_back({node.id, node.start, end});
        }
        end = node.start;
    }
    out.insert(out.end(), reversed.rbegin(), reversed.rend());
}

Status UnigramTokenizer::encode(std::string_view text, std::int64_t maxLength, Encoding& out) const {
    out = Encoding{};
    utf8::DecodedText decoded;
    if (auto st = utf8::decode(text, decoded); !st.isOk()) return st.withStage("tokenizing");
    std::vector<Token> content;
    std::int32_t wordIndex = 0;
    bool firstPreToken = true;

    auto emitPreToken = [&](const Normalized& n, std::size_t from, std::size_t to) {
        if (from >= to) return;
        std::vector<Segment> pieces;
        segment(std::u32string_view(n.text).substr(from, to - from), pieces);
        // Original span of each piece; a piece made only of inserted characters
        // (the "▁" prefix) is zero-length where the next piece starts.
        const std::size_t count = pieces.size();
        std::vector<std::size_t> begins(count), ends(count);
        std::size_t nextStart = decoded.size();
        for (std::size_t k = to; k < n.origin.size(); ++k)
            if (n.origin[k] >= 0) {
                nextStart = static_cast<std::size_t>(n.origin[k]);
                break;
            }
        for (std::size_t i = count; i-- > 0;) {
            std::int32_t lo = -1, hi = -1;
            for (std::size_t k = from + pieces[i].begin; k < from + pieces[i].end; ++k) {
                const std::int32_t o = n.origin[k];
                if (o < 0) continue;
                lo = lo < 0 ? o : std::min(lo, o);
                hi = std::max(hi, o);
            }
            if (lo < 0) {
                begins[i] = ends[i] = nextStart;
            } else {
                begins[i] = static_cast<std::size_t>(lo);
                ends[i] = static_cast<std::size_t>(hi) + 1;
                nextStart = begins[i];
            }
        }
        for (std::size_t i = 0; i < count; ++i)
            content.push_back(makeTextToken(idToPiece(pieces[i].id), pieces[i].id, begins[i], ends[i], decoded,
                                            wordIndex));
        ++wordIndex;
    };

    auto metaspace = [&](Normalized chunk) {
        if (m_settings.metaspace) {
            for (auto& cp : chunk.text)
                if (cp == U' ') cp = m_settings.replacement;
            const bool prepend = m_settings.prepend == UnigramSettings::Prepend::Always ||
                                 (m_settings.prepend == UnigramSettings::Prepend::First && firstPreToken);
            if (prepend && (chunk.text.empty() || chunk.text.front() != m_settings.replacement)) {
                chunk.text.insert(chunk.text.begin(), m_settings.replacement);
                chunk.origin.insert(chunk.origin.begin(), -1);
            }
        }
        firstPreToken = false;
        if (!m_settings.metaspace || !m_settings.metaspaceSplit) return emitPreToken(chunk, 0, chunk.text.size());
        // Split before every replacement character (MergedWithNext).
        std::size_t start = 0;
        for (std::size_t i = 1; i < chunk.text.size(); ++i) {
            if (chunk.text[i] == m_settings.replacement) {
                emitPreToken(chunk, start, i);
                start = i;
            }
        }
        emitPreToken(chunk, start, chunk.text.size());
    };

    for (const auto& seg : m_inText.split(decoded.codePoints, 0, decoded.size())) {
        if (seg.special >= 0) {
            const auto& entry = m_inText.entry(seg.special);
            content.push_back(makeTextToken(entry.text, entry.id, seg.begin, seg.end, decoded, wordIndex++));
            firstPreToken = false;
            continue;
        }
        Normalized n;
        for (std::size_t i = seg.begin; i < seg.end; ++i) {
            n.text.push_back(decoded.codePoints[i]);
            n.origin.push_back(static_cast<std::int32_t>(i));
        }
        normalize(n);
        if (!m_settings.whitespaceSplit) {
            if (!n.text.empty()) metaspace(std::move(n));
            continue;
        }
        std::size_t start = 0;
        for (std::size_t i = 0; i <= n.text.size(); ++i) {
            if (i < n.text.size() && !isRustWhitespace(n.text[i])) continue;
            if (i > start) {
                Normalized chunk;
                chunk.text = n.text.substr(start, i - start);
                chunk.origin.assign(n.origin.begin() + static_cast<std::ptrdiff_t>(start),
                                    n.origin.begin() + static_cast<std::ptrdiff_t>(i));
                metaspace(std::move(chunk));
            }
            start = i + 1;
        }
    }
    return finishEncoding(std::move(content), makeSpecialToken(m_specials.clsText, m_specials.cls),
                          makeSpecialToken(m_specials.sepText, m_specials.sep), maxLength, out)
        .withStage("tokenizing");
}

} // namespace gs
