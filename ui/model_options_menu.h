#pragma once
// The Model menu: how the next model is loaded (precision, device, thread
// count), stored in Settings, and a Reload action that applies them to the
// open model.
//
// Thread affinity: GUI thread only.

#include <QMenu>

class QAction;

namespace gs::ui {

class Settings;

class ModelOptionsMenu : public QMenu {
    Q_OBJECT
public:
    ModelOptionsMenu(Settings& settings, QWidget* parent = nullptr);

    QAction* reloadAction() const { return m_reload; }

signals:
    // The stored options changed; they apply from the next load.
    void optionsChanged();
    void reloadRequested();

private:
    void chooseThreads();
    void updateThreadsText();

    Settings& m_settings;
    QAction* m_threads = nullptr;
    QAction* m_reload = nullptr;
};

} // namespace gs::ui
