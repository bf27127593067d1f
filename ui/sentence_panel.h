#pragma once
// The input row of the main window: the sentence, Run and Cancel, and the
// view controls that only change how a cached result is drawn (quantity and
// token / word grouping).
//
// Thread affinity: GUI thread only.

#include "grammascope/layer_view.h"

#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;

namespace gs::ui {

class SentencePanel : public QWidget {
    Q_OBJECT
public:
    explicit SentencePanel(QWidget* parent = nullptr);

    QString sentence() const;
    void setSentence(const QString& text);
    void focusSentence();

    LayerQuantity quantity() const;
    void setQuantity(LayerQuantity quantity);
    // Selects the quantity with this stable id; false (and no change) if unknown.
    bool setQuantityId(const QString& id);
    QString quantityId() const;

    TokenGrouping grouping() const;
    void setGrouping(TokenGrouping grouping);

    // Run is enabled once a model is loaded; Cancel while a job runs.
    void setModelReady(bool ready);
    void setBusy(bool busy);

signals:
    void runRequested();
    void cancelRequested();
    void quantityChanged(gs::LayerQuantity quantity);
    void groupingChanged(gs::TokenGrouping grouping);

private:
    void updateButtons();

    QLineEdit* m_sentence = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QComboBox* m_quantity = nullptr;
    QCheckBox* m_words = nullptr;
    bool m_modelReady = false;
    bool m_busy = false;
};

} // namespace gs::ui
