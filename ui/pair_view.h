#pragma once
// The chosen item of the dataset browser in full: the grammatical and the
// ungrammatical sentence one above the other, the words that differ
// (gs::alignWords) highlighted on both sides, wrapped to the width. The side
// that drives the heatmap is chosen with the radio button in front of each
// sentence (Alt+G / Alt+U) or by clicking the sentence. Hovering a word shows
// its Universal Dependencies annotation when the item has it, and what it
// was changed into.
//
// Highlight colours are mixed from the palette's window colour and a green
// (grammatical) or red (ungrammatical) accent, with the palette's text colour
// on top, so they read on light and dark palettes alike.
//
// Thread affinity: GUI thread only.

#include "dataset_model.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QRadioButton;
class QTextLayout;

namespace gs::ui {

// One sentence with some of its words highlighted.
class SentenceView : public QWidget {
    Q_OBJECT
public:
    enum class Tone { Grammatical, Ungrammatical };

    explicit SentenceView(Tone tone, QWidget* parent = nullptr);
    ~SentenceView() override;

    // `changed` are indices into sentence.words; `otherChanged` names the
    // changed words of the other sentence (for the tooltip).
    void setSentence(const AnnotatedSentence& sentence, const std::vector<std::int32_t>& changed,
                     const QString& otherChanged = QString());
    void clear();

    QString text() const { return m_text; }
    QStringList highlightedWords() const;
    int wordCount() const { return static_cast<int>(m_words.size()); }
    // Word under a point in widget coordinates, or -1.
    int wordAt(const QPoint& pos) const;
    // The word's box on its first line, in widget coordinates.
    QRect wordRect(int word) const;
    QString wordToolTip(int word) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void clicked();

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Word {
        int begin = 0, end = 0;  // QString positions in m_text
        bool changed = false;
        bool innerGap = false;  // its last character was widened (punctuation follows)
        QString toolTip;
    };
    void relayout(int width) const;
    QFont sentenceFont() const;

    Tone m_tone;
    QString m_text;
    mutable std::vector<Word> m_words;  // innerGap is set by relayout()
    mutable std::unique_ptr<QTextLayout> m_layout;
    mutable int m_layoutWidth = -1;
    mutable int m_layoutHeight = 0;
};

class PairView : public QWidget {
    Q_OBJECT
public:
    explicit PairView(QWidget* parent = nullptr);

    // Shows item `index` of `dataset` (which is kept alive while shown).
    void setItem(const OpenDatasetPtr& dataset, int index);
    void clear(const QString& message = QString());
    int itemIndex() const { return m_index; }

    bool showsBadSentence() const;
    void setShowsBadSentence(bool bad);
    // The sentence of the side that drives the heatmap.
    QString chosenSentence() const;

    SentenceView* sentenceView(bool bad) const { return bad ? m_badView : m_goodView; }
    QStringList highlightedWords(bool bad) const { return sentenceView(bad)->highlightedWords(); }
    QString wordToolTip(bool bad, int word) const { return sentenceView(bad)->wordToolTip(word); }
    QString infoText() const;

signals:
    // The user chose the other side (radio button, click, Alt+G / Alt+U).
    void sideChanged(bool bad);

protected:
    void changeEvent(QEvent* event) override;

private:
    void updateSideEnabled();
    void updateInfoPalette();

    OpenDatasetPtr m_dataset;
    int m_index = -1;
    QRadioButton* m_good = nullptr;
    QRadioButton* m_bad = nullptr;
    SentenceView* m_goodView = nullptr;
    SentenceView* m_badView = nullptr;
    QLabel* m_info = nullptr;
};

} // namespace gs::ui
