#include "tokenize/sentencepiece_tokenizer.h"

#include "grammascope/sentencepiece_trainer.h"

#include <algorithm>

namespace gs {

namespace {

constexpr std::string_view kWordStart = "\xE2\x96\x81";  // U+2581, sentencepiece's whitespace mark

} // namespace

Status trainSentencePiece(const std::string& args) { return trainSpmModel(args).withStage("training SentencePiece"); }

Status SentencePieceTokenizer::load(const std::filesystem::path& file, const ModelConfig* config,
                                    SentencePieceSettings settings, std::unique_ptr<Tokenizer>& out) {
    std::unique_ptr<SentencePieceTokenizer> t(new SentencePieceTokenizer());
    t->m_fileName = file.filename().string();
    t->m_warnings = std::move(settings.warnings);
    if (auto st = SpmModel::open(file, t->m_model); !st.isOk()) return st;
    const std::int64_t spmSize = t->m_model->size();

    if (config && config->architecture == Architecture::Roberta) {
        const std::int64_t k = config->vocabSize - spmSize - 1;
        if (k == 1 || k == 4) {
            t->m_fairseq = true;
            t->m_offset = k;
            if (k == 1)
                t->m_fairseqIds = {{"<s>", 0}, {"<pad>", 1}, {"</s>", 2}, {"<unk>", 3}};
            else
                t->m_fairseqIds = {{"<s>NOTUSED", 0}, {"<pad>", 1}, {"</s>NOTUSED", 2}, {"<unk>", 3}};
            t->m_fairseqMask = spmSize + k;
        } else if (config->vocabSize != spmSize) {
            return Status::failed(file.string() + ": the SentencePiece model has " + std::to_string(spmSize) +
                                  " pieces but config.json says vocab_size " + std::to_string(config->vocabSize) +
                                  "; expected " + std::to_string(spmSize) + " (ids used directly), " +
                                  std::to_string(spmSize + 2) + " (XLM-R's fairseq ids) or " +
                                  std::to_string(spmSize + 5) + " (CamemBERT's)");
        }
    } else if (config && config->vocabSize > 0 && config->vocabSize < spmSize) {
        return Status::failed(file.string() + ": the SentencePiece model has " + std::to_string(spmSize) +
                              " pieces, more than config.json's vocab_size " + std::to_string(config->vocabSize));
    }
    if (auto st = t->setUpSpecials(settings); !st.isOk()) return st.withStage(file.string());
    out = std::move(t);
    return Status::ok();
}

Status SentencePieceTokenizer::setUpSpecials(const SentencePieceSettings& settings) {
    // The first candidate present wins; an empty candidate (no setting) is skipped.
    auto pick = [&](std::initializer_list<std::string> candidates, std::int64_t& id, std::string& text) {
        for (const auto& c : candidates) {
            if (c.empty()) continue;
            const std::int64_t found = pieceToId(c);
            if (found >= 0) {
                id = found;
                text = c;
                return true;
            }
        }
        return false;
    };
    auto& s = m_specials;
    if (m_fairseq) {
        pick({settings.clsText, "<s>"}, s.cls, s.clsText);
        pick({settings.sepText, "</s>"}, s.sep, s.sepText);
        pick({settings.padText, "<pad>"}, s.pad, s.padText);
        pick({settings.maskText, "<mask>"}, s.mask, s.maskText);
        s.unk = 3;
        s.unkText = "<unk>";
        for (const auto& [piece, id] : m_fairseqIds) m_inText.add(piece, id);
        m_inText.add("<mask>", m_fairseqMask);
    } else {
        pick({settings.clsText, "[CLS]", "<s>"}, s.cls, s.clsText);
        pick({settings.sepText, "[SEP]", "</s>"}, s.sep, s.sepText);
        pick({settings.padText, "[PAD]", "<pad>"}, s.pad, s.padText);
        pick({settings.maskText, "[MASK]", "<mask>"}, s.mask, s.maskText);
        s.unk = m_model->unkId();
        s.unkText = m_model->idToPiece(m_model->unkId());
    }
    if (s.cls < 0) return Status::failed("the SentencePiece model has no sequence start piece ([CLS] or <s>)");
    if (s.sep < 0) return Status::failed("the SentencePiece model has no sequence end piece ([SEP] or </s>)");
    if (s.unk < 0) return Status::failed("the SentencePiece model has no unknown piece");
    return Status::ok();
}

std::int64_t SentencePieceTokenizer::vocabSize() const {
    return m_fairseq ? m_fairseqMask + 1 : static_cast<std::int64_t>(m_model->size());
}

std::int64_t SentencePieceTokenizer::toExternalId(std::int32_t spmId) const {
    if (!m_fairseq) return spmId;
    if (spmId == m_model->unkId()) return m_specials.unk;
    return spmId + m_offset;
}

std::string SentencePieceTokenizer::idToPiece(std::int64_t id) const {
    if (!m_fairseq) return m_model->idToPiece(static_cast<std::int32_t>(id));
    for (const auto& [piece, fid] : m_fairseqIds)
        if (fid == id) return piece;
    if (id == m_fairseqMask) return "<mask>";
    if (id < m_offset) return {};
    return m_model->idToPiece(static_cast<std::int32_t>(id - m_offset));
}

std::int64_t SentencePieceTokenizer::pieceToId(std::string_view piece) const {
    if (m_fairseq) {
        if (auto it = m_fairseqIds.find(std::string(piece)); it != m_fairseqIds.end()) return it->second;
        if (piece == "<mask>") return m_fairseqMask;
    }
    const std::int32_t id = m_model->findPiece(piece);
    return id < 0 ? -1 : toExternalId(id);
}

std::string SentencePieceTokenizer::describe() const {
    return "SentencePiece (" + m_fileName + ", " + std::to_string(vocabSize()) + " pieces" +
           (m_fairseq ? ", fairseq ids shifted by " + std::to_string(m_offset) : std::string()) + ")";
}

Status SentencePieceTokenizer::encode(std::string_view text, std::int64_t maxLength, Encoding& out) const {
    out = Encoding{};
    utf8::DecodedText decoded;
    if (auto st = utf8::decode(text, decoded); !st.isOk()) return st.withStage("tokenizing");
    std::vector<Token> content;
    std::int32_t wordIndex = 0;
    for (const auto& segment : m_inText.split(decoded.codePoints, 0, decoded.size())) {
        if (segment.special >= 0) {
            const auto& entry = m_inText.entry(segment.special);
            content.push_back(makeTextToken(entry.text, entry.id, segment.begin, segment.end, decoded, wordIndex++));
            continue;
        }
        if (auto st = encodeSegment(decoded, segment.begin, segment.end, text, wordIndex, content); !st.isOk())
            return st.withStage("tokenizing");
    }
    return finishEncoding(std::move(content), makeSpecialToken(m_specials.clsText, m_specials.cls),
                          makeSpecialToken(m_specials.sepText, m_specials.sep), maxLength, out)
        .withStage("tokenizing");
}

Status SentencePieceTokenizer::encodeSegment(const utf8::DecodedText& text, std::size_t begin, std::size_t end,
                                             std::string_view utf8Text, std::int32_t& wordIndex,
                                             std::vector<Token>& out) const {
    const std::size_t byteBase = text.byteOffsets[begin];
    const std::string_view segment = utf8Text.substr(byteBase, text.byteOffsets[end] - byteBase);
    std::vector<SpmModel::Piece> pieces;
    if (auto st = m_model->encode(segment, pieces); !st.isOk()) return st;

    // Code point span of each piece; an empty surface (the dummy "▁" sentencepiece
    // puts before the text, or the extra pieces of an expanded character) gets a
    // zero-length span where the next piece with a surface starts.
    const std::size_t n = pieces.size();
    std::vector<std::size_t> cpBegin(n), cpEnd(n);
    std::size_t nextStart = end;
    for (std::size_t i = n; i-- > 0;) {
        const auto& p = pieces[i];
        if (p.end > p.begin) {
            cpBegin[i] = std::clamp(text.codePointAtByte(byteBase + p.begin), begin, end);
            cpEnd[i] = std::clamp(text.codePointStartingAtOrAfter(byteBase + p.end), cpBegin[i], end);
            nextStart = cpBegin[i];
        } else {
            cpBegin[i] = cpEnd[i] = nextStart;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        const auto& p = pieces[i];
        const std::int64_t id = toExternalId(p.id);
        std::string piece = p.id == m_model->unkId() ? m_specials.unkText : m_model->idToPiece(p.id);
        const bool opensWord = i == 0 || piece.starts_with(kWordStart);
        if (opensWord) ++wordIndex;
        out.push_back(makeTextToken(std::move(piece), id, cpBegin[i], cpEnd[i], text, wordIndex - 1));
    }
    return Status::ok();
}

} // namespace gs
