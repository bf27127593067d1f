#pragma once
// Dialogs of the results cache: the problem found when opening it (corrupt,
// written by a newer version, unusable), the confirmation before clearing it
// and its statistics. All are window-modal and opened with open(), never
// exec(): the window keeps running behind them.
//
// Thread affinity: GUI thread only.

#include "analysis_worker.h"

#include <QDialog>
#include <QMessageBox>

namespace gs::ui {

// Human sizes: "1.5 MiB".
QString formatBytes(qint64 bytes);

// "Move aside and start a new cache" (accept, objectName moveAsideButton) or
// "Continue without cache" (reject, continueWithoutCacheButton). Names the
// file and the problem; says that nothing is deleted.
QMessageBox* createStoreProblemBox(const StoreProblemInfo& problem, QWidget* parent);
QAbstractButton* storeProblemMoveAsideButton(QMessageBox* box);

// Says what "Clear cache" deletes, from where, and how big it is. Yes / Cancel.
QMessageBox* createClearCacheBox(const StoreStats& stats, bool persistent, bool stopsRun, QWidget* parent);

class CacheStatsDialog : public QDialog {
    Q_OBJECT
public:
    CacheStatsDialog(const StoreStats& stats, bool persistent, QWidget* parent = nullptr);
    // The figures as shown, one "label: value" per line (also for copying).
    QString plainText() const { return m_text; }

private:
    QString m_text;
};

} // namespace gs::ui
