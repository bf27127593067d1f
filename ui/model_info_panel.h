#pragma once
// Summary of the loaded model: architecture, sizes, tokenizer, device,
// precision and the warnings the loader collected (unknown config keys,
// unused tensors, ...), so that a user sees what was actually loaded.
//
// Thread affinity: GUI thread only.

#include "grammascope/model.h"

#include <QWidget>

class QLabel;

namespace gs::ui {

class ModelInfoPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelInfoPanel(QWidget* parent = nullptr);

    void showInfo(const ModelInfo& info);
    void showLoading(const QString& directory);
    void showNoModel();
    // The text shown, without markup (for tests and copying).
    QString plainText() const;

private:
    QLabel* m_label = nullptr;
};

} // namespace gs::ui
