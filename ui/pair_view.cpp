#include "pair_view.h"

#include <QEvent>
#include <QGridLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QRadioButton>
#include <QTextLayout>
#include <QToolTip>

#include <algorithm>

namespace gs::ui {
namespace {

constexpr int kPadX = 6;          // room for the highlight boxes at the edges
constexpr int kPadY = 3;
constexpr qreal kLineGap = 4.0;   // extra space between wrapped lines, so boxes do not touch
constexpr qreal kBoxPadX = 3.0;
// Extra width given to the characters next to a highlighted word, so that its
// box does not touch the neighbouring words or punctuation.
constexpr qreal kBoxGap = 2 * kBoxPadX + 1;

QString q(const std::string& s) { return QString::fromStdString(s); }

QColor mix(const QColor& a, const QColor& b, qreal t) {
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor accentOf(SentenceView::Tone tone) {
    return tone == SentenceView::Tone::Grammatical ? QColor(0x2e, 0x9d, 0x48) : QColor(0xd9, 0x3a, 0x3a);
}

// QString position of a UTF-8 byte offset into `utf8`.
int qtPosition(const std::string& utf8, std::int64_t byte) {
    const auto clamped = static_cast<std::size_t>(std::clamp<std::int64_t>(byte, 0, std::int64_t(utf8.size())));
    return static_cast<int>(QString::fromUtf8(utf8.data(), qsizetype(clamped)).size());
}

QString udToolTip(const SentenceWord& word, const AnnotatedSentence& sentence) {
    const UdWord& ud = *word.ud;
    QStringList lines;
    QString head = QStringLiteral("<b>%1</b>").arg(q(word.text).toHtmlEscaped());
    if (!ud.lemma.empty()) head += QObject::tr(" — lemma <i>%1</i>").arg(q(ud.lemma).toHtmlEscaped());
    if (!ud.upos.empty()) head += QStringLiteral(" · %1").arg(q(ud.upos).toHtmlEscaped());
    lines << head;
    if (!ud.feats.empty()) lines << q(ud.feats).toHtmlEscaped().replace(QLatin1Char('|'), QStringLiteral(" · "));
    if (!ud.deprel.empty()) {
        QString rel = QObject::tr("relation <i>%1</i>").arg(q(ud.deprel).toHtmlEscaped());
        if (ud.head >= 0 && static_cast<std::size_t>(ud.head) < sentence.words.size())
            rel += QObject::tr(" of «%1»").arg(q(sentence.words[static_cast<std::size_t>(ud.head)].text).toHtmlEscaped());
        lines << rel;
    }
    return lines.join(QStringLiteral("<br>"));
}

} // namespace

SentenceView::SentenceView(Tone tone, QWidget* parent) : QWidget(parent), m_tone(tone) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setCursor(Qt::PointingHandCursor);
    setMouseTracking(true);
}

SentenceView::~SentenceView() = default;

QFont SentenceView::sentenceFont() const {
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    return f;
}

void SentenceView::setSentence(const AnnotatedSentence& sentence, const std::vector<std::int32_t>& changed,
                               const QString& otherChanged) {
    m_text = q(sentence.text);
    m_words.clear();
    const bool hasUd = sentence.hasUd();
    for (std::size_t i = 0; i < sentence.words.size(); ++i) {
        const SentenceWord& w = sentence.words[i];
        Word word;
        word.begin = qtPosition(sentence.text, w.byteBegin);
        word.end = std::max(word.begin, qtPosition(sentence.text, w.byteEnd));
        word.changed = std::find(changed.begin(), changed.end(), std::int32_t(i)) != changed.end();
        QStringList tip;
        if (hasUd && w.ud) tip << udToolTip(w, sentence);
        else if (word.changed) tip << QStringLiteral("<b>%1</b>").arg(q(w.text).toHtmlEscaped());
        if (word.changed)
            tip << (otherChanged.isEmpty()
                        ? tr("Changed: missing from the other sentence")
                        : tr("Changed: the other sentence has «%1»").arg(otherChanged.toHtmlEscaped()));
        word.toolTip = tip.join(QStringLiteral("<br>"));
        m_words.push_back(std::move(word));
    }
    m_layoutWidth = -1;
    updateGeometry();
    update();
}

void SentenceView::clear() {
    m_text.clear();
    m_words.clear();
    m_layoutWidth = -1;
    updateGeometry();
    update();
}

QStringList SentenceView::highlightedWords() const {
    QStringList out;
    for (const Word& w : m_words)
        if (w.changed) out << m_text.mid(w.begin, w.end - w.begin);
    return out;
}

void SentenceView::relayout(int width) const {
    if (m_layout && width == m_layoutWidth) return;
    m_layoutWidth = width;
    m_layout = std::make_unique<QTextLayout>(m_text, sentenceFont());
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_layout->setTextOption(option);
    QList<QTextLayout::FormatRange> formats;
    auto widen = [&formats](int position) {
        QTextLayout::FormatRange gap;
        gap.start = position;
        gap.length = 1;
        gap.format.setFontLetterSpacingType(QFont::AbsoluteSpacing);
        gap.format.setFontLetterSpacing(kBoxGap);
        formats << gap;
    };
    for (Word& w : m_words) {
        w.innerGap = false;
        if (!w.changed || w.end <= w.begin) continue;
        QTextLayout::FormatRange range;
        range.start = w.begin;
        range.length = w.end - w.begin;
        range.format.setFontWeight(QFont::Bold);
        formats << range;
        // Room before the box: widen the space before the word (letter spacing
        // goes after a character). Room after it: widen the space after, or,
        // when punctuation follows at once, the word's own last character.
        if (w.begin > 0 && m_text[w.begin - 1].isSpace()) widen(w.begin - 1);
        if (w.end < m_text.size() && m_text[w.end].isSpace()) {
            widen(w.end);
        } else if (w.end < m_text.size()) {
            widen(w.end - 1);
            w.innerGap = true;
        }
    }
    m_layout->setFormats(formats);
    m_layout->beginLayout();
    qreal y = kPadY;
    const qreal lineWidth = std::max(20, width - 2 * kPadX);
    for (;;) {
        QTextLine line = m_layout->createLine();
        if (!line.isValid()) break;
        line.setLineWidth(lineWidth);
        line.setPosition(QPointF(kPadX, y));
        y += line.height() + kLineGap;
    }
    m_layout->endLayout();
    const int oneLine = QFontMetrics(sentenceFont()).height() + int(kLineGap);
    m_layoutHeight = std::max(int(std::ceil(y)), oneLine) + kPadY;
}

int SentenceView::heightForWidth(int width) const {
    relayout(width);
    return m_layoutHeight;
}

QSize SentenceView::sizeHint() const {
    const int w = std::max(width(), 300);
    return {w, heightForWidth(w)};
}

QSize SentenceView::minimumSizeHint() const {
    return {100, QFontMetrics(sentenceFont()).height() + 2 * kPadY};
}

int SentenceView::wordAt(const QPoint& pos) const {
    relayout(width());
    for (int i = 0; i < m_layout->lineCount(); ++i) {
        const QTextLine line = m_layout->lineAt(i);
        const QRectF r = line.rect();
        if (pos.y() < r.top() || pos.y() >= r.bottom() + kLineGap) continue;
        const int cursor = line.xToCursor(pos.x(), QTextLine::CursorOnCharacter);
        for (std::size_t w = 0; w < m_words.size(); ++w)
            if (cursor >= m_words[w].begin && cursor < m_words[w].end) {
                // xToCursor snaps to the nearest character: check the point is on the word.
                const QRect box = wordRect(int(w));
                if (box.adjusted(-int(kBoxPadX), 0, int(kBoxPadX), 0).contains(pos)) return int(w);
            }
        return -1;
    }
    return -1;
}

QRect SentenceView::wordRect(int word) const {
    if (word < 0 || word >= wordCount()) return {};
    relayout(width());
    const Word& w = m_words[static_cast<std::size_t>(word)];
    const QTextLine line = m_layout->lineForTextPosition(w.begin);
    if (!line.isValid()) return {};
    const int lineEnd = line.textStart() + line.textLength();
    const qreal x1 = line.cursorToX(w.begin);
    qreal x2 = line.cursorToX(std::min(w.end, lineEnd));
    if (w.innerGap && w.end <= lineEnd) x2 -= kBoxGap;
    return QRectF(QPointF(std::min(x1, x2), line.y()), QPointF(std::max(x1, x2), line.y() + line.height()))
        .toAlignedRect();
}

QString SentenceView::wordToolTip(int word) const {
    if (word < 0 || word >= wordCount()) return {};
    return m_words[static_cast<std::size_t>(word)].toolTip;
}

bool SentenceView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int word = wordAt(help->pos());
        const QString tip = wordToolTip(word);
        if (!tip.isEmpty()) QToolTip::showText(help->globalPos(), tip, this, wordRect(word));
        else if (!toolTip().isEmpty()) QToolTip::showText(help->globalPos(), toolTip(), this);
        else QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void SentenceView::paintEvent(QPaintEvent*) {
    relayout(width());
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor window = palette().color(QPalette::Window);
    const QColor accent = accentOf(m_tone);
    const QColor fill = mix(window, accent, 0.28);
    const QColor border = mix(window, accent, 0.80);
    for (const Word& w : m_words) {
        if (!w.changed || w.end <= w.begin) continue;
        // A word wrapped over two lines gets a box on each.
        for (int i = 0; i < m_layout->lineCount(); ++i) {
            const QTextLine line = m_layout->lineAt(i);
            const int lineStart = line.textStart(), lineEnd = lineStart + line.textLength();
            if (w.end <= lineStart || w.begin >= lineEnd) continue;
            const qreal x1 = line.cursorToX(std::max(w.begin, lineStart));
            qreal x2 = line.cursorToX(std::min(w.end, lineEnd));
            if (w.innerGap && w.end <= lineEnd) x2 -= kBoxGap;  // the widened last character
            QRectF box(QPointF(std::min(x1, x2) - kBoxPadX, line.y() - 1),
                       QPointF(std::max(x1, x2) + kBoxPadX, line.y() + line.height() + 1));
            painter.setPen(QPen(border, 1.2));
            painter.setBrush(fill);
            painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        }
    }
    painter.setPen(palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::WindowText));
    m_layout->draw(&painter, QPointF(0, 0));
}

void SentenceView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) emit clicked();
    QWidget::mousePressEvent(event);
}

void SentenceView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_layoutWidth = -1;
}

void SentenceView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        m_layoutWidth = -1;
        updateGeometry();
    }
    QWidget::changeEvent(event);
}

// ---------------------------------------------------------------------------

PairView::PairView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("pairView"));
    m_good = new QRadioButton(tr("&Grammatical"), this);
    m_good->setObjectName(QStringLiteral("goodSideButton"));
    m_good->setToolTip(tr("Show the heatmap of the grammatical sentence (Alt+G)"));
    m_good->setChecked(true);
    m_bad = new QRadioButton(tr("&Ungrammatical"), this);
    m_bad->setObjectName(QStringLiteral("badSideButton"));
    m_bad->setToolTip(tr("Show the heatmap of the ungrammatical sentence (Alt+U)"));

    m_goodView = new SentenceView(SentenceView::Tone::Grammatical, this);
    m_goodView->setObjectName(QStringLiteral("goodSentenceView"));
    m_goodView->setToolTip(tr("The grammatical sentence; the words that differ are highlighted. Click to show its heatmap."));
    m_badView = new SentenceView(SentenceView::Tone::Ungrammatical, this);
    m_badView->setObjectName(QStringLiteral("badSentenceView"));
    m_badView->setToolTip(tr("The ungrammatical sentence; the words that differ are highlighted. Click to show its heatmap."));

    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("pairInfo"));
    m_info->setTextFormat(Qt::RichText);
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setToolTip(tr("Id, phenomenon and the changed words of the chosen item"));
    updateInfoPalette();

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setHorizontalSpacing(8);
    layout->setVerticalSpacing(0);
    layout->addWidget(m_good, 0, 0, Qt::AlignTop);
    layout->addWidget(m_goodView, 0, 1);
    layout->addWidget(m_bad, 1, 0, Qt::AlignTop);
    layout->addWidget(m_badView, 1, 1);
    layout->addWidget(m_info, 2, 0, 1, 2);
    layout->setColumnStretch(1, 1);
    layout->setRowStretch(3, 1);

    connect(m_bad, &QRadioButton::toggled, this, [this](bool bad) { emit sideChanged(bad); });
    connect(m_goodView, &SentenceView::clicked, this, [this] { setShowsBadSentence(false); });
    connect(m_badView, &SentenceView::clicked, this, [this] {
        if (m_bad->isEnabled()) setShowsBadSentence(true);
    });
    clear();
}

void PairView::setItem(const OpenDatasetPtr& dataset, int index) {
    if (!dataset || index < 0 || index >= dataset->size()) {
        clear();
        return;
    }
    m_dataset = dataset;
    m_index = index;
    const DatasetItem& item = dataset->dataset.items[static_cast<std::size_t>(index)];
    const WordAlignment& alignment = dataset->alignments[static_cast<std::size_t>(index)];
    const DatasetRow& row = dataset->rows[static_cast<std::size_t>(index)];
    auto joined = [](const AnnotatedSentence& s, const std::vector<std::int32_t>& words) {
        QStringList out;
        for (const std::int32_t w : words)
            if (w >= 0 && static_cast<std::size_t>(w) < s.words.size()) out << q(s.words[std::size_t(w)].text);
        return out.join(QLatin1Char(' '));
    };
    if (item.isPair()) {
        m_goodView->setSentence(item.good, alignment.changedGood, joined(item.bad, alignment.changedBad));
        m_badView->setSentence(item.bad, alignment.changedBad, joined(item.good, alignment.changedGood));
    } else {
        m_goodView->setSentence(item.good, {});
        m_badView->clear();
    }
    QStringList info;
    info << QStringLiteral("<b>%1</b>").arg(row.id.toHtmlEscaped());
    if (!row.phenomenon.isEmpty()) info << row.phenomenon.toHtmlEscaped();
    if (item.isPair())
        info << (row.changed == QStringLiteral("=") ? tr("the two sentences are identical")
                                                   : tr("changed: %1").arg(row.changed.toHtmlEscaped()));
    if (item.line > 0) info << tr("line %1").arg(item.line);
    if (row.hasUd) info << tr("UD annotation: hover a word");
    m_info->setText(info.join(QStringLiteral(" · ")));
    updateSideEnabled();
}

void PairView::clear(const QString& message) {
    m_dataset.reset();
    m_index = -1;
    m_goodView->clear();
    m_badView->clear();
    m_info->setText(message.isEmpty() ? tr("Choose a pair in the list above.") : message.toHtmlEscaped());
    updateSideEnabled();
}

void PairView::updateSideEnabled() {
    const bool pair = m_dataset && m_dataset->dataset.items[static_cast<std::size_t>(m_index)].isPair();
    const bool single = m_dataset && !pair;
    m_good->setText(single ? tr("Sentence") : tr("&Grammatical"));
    m_bad->setVisible(!single);
    m_badView->setVisible(!single);
    m_bad->setEnabled(pair || !m_dataset);
    if (single && m_bad->isChecked()) m_good->setChecked(true);
}

void PairView::updateInfoPalette() {
    // Secondary text: the window text colour pulled towards the window colour.
    QPalette muted = palette();
    muted.setColor(QPalette::WindowText, mix(muted.color(QPalette::Window), muted.color(QPalette::WindowText), 0.72));
    m_info->setPalette(muted);
}

void PairView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) updateInfoPalette();
    QWidget::changeEvent(event);
}

bool PairView::showsBadSentence() const { return m_bad->isChecked(); }

void PairView::setShowsBadSentence(bool bad) { (bad ? m_bad : m_good)->setChecked(true); }

QString PairView::chosenSentence() const {
    if (!m_dataset) return {};
    const DatasetItem& item = m_dataset->dataset.items[static_cast<std::size_t>(m_index)];
    return q(showsBadSentence() && item.isPair() ? item.bad.text : item.good.text);
}

QString PairView::infoText() const { return m_info->text(); }

} // namespace gs::ui
