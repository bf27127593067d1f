#pragma once
// The minimal pairs of the open pair file: a filterable list (phenomenon and
// free text) with the grammatical and the ungrammatical sentence side by side,
// the differing word emphasised. Choosing a row asks the window to show the
// chosen side of that pair; Grammatical / Ungrammatical switch sides (Alt+G / Alt+U),
// and Alt+Up / Alt+Down step through the visible rows.
//
// Thread affinity: GUI thread only.

#include "grammascope/pairs.h"

#include <QString>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QTreeWidget;

namespace gs::ui {

class PairsPanel : public QWidget {
    Q_OBJECT
public:
    explicit PairsPanel(QWidget* parent = nullptr);

    // Replaces the list; `source` names the file in the header line.
    void setPairs(std::vector<MinimalPair> pairs, const QString& source);
    int pairCount() const { return static_cast<int>(m_pairs.size()); }
    // Index into the pairs given to setPairs(), or -1.
    int currentPair() const;
    void selectPair(int index);
    bool showsBadSentence() const;
    void setShowsBadSentence(bool bad);
    const MinimalPair* pair(int index) const;

    void selectNext(int step);

signals:
    // The sentence of the chosen side of the current pair.
    void sentenceChosen(const QString& sentence);

private:
    void rebuildRows();
    void emitCurrent();

    std::vector<MinimalPair> m_pairs;
    QLabel* m_header = nullptr;
    QComboBox* m_phenomenon = nullptr;
    QLineEdit* m_filter = nullptr;
    QTreeWidget* m_list = nullptr;
    QRadioButton* m_good = nullptr;
    QRadioButton* m_bad = nullptr;
};

} // namespace gs::ui
