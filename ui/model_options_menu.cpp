#include "model_options_menu.h"

#include "settings.h"

#include "grammascope/model.h"

#include <QActionGroup>
#include <QInputDialog>
#include <QThread>

namespace gs::ui {

ModelOptionsMenu::ModelOptionsMenu(Settings& settings, QWidget* parent)
    : QMenu(tr("&Model"), parent), m_settings(settings) {
    setToolTipsVisible(true);

    QMenu* precision = addMenu(tr("&Precision"));
    precision->setToolTipsVisible(true);
    auto* precisionGroup = new QActionGroup(precision);
    const std::pair<Precision, QString> precisions[] = {
        {Precision::Float32, tr("fp32 (exact)")},
        {Precision::BFloat16, tr("bf16 (faster on CPUs with AMX / AVX-512, less precise)")},
    };
    for (const auto& [value, text] : precisions) {
        QAction* action = precision->addAction(text);
        action->setCheckable(true);
        action->setChecked(m_settings.precision() == value);
        action->setToolTip(tr("Weights and activations in %1; applies when a model is (re)loaded")
                               .arg(Settings::precisionId(value)));
        precisionGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, value = value] {
            m_settings.setPrecision(value);
            emit optionsChanged();
        });
    }

    QMenu* device = addMenu(tr("&Device"));
    device->setToolTipsVisible(true);
    auto* deviceGroup = new QActionGroup(device);
    const bool cuda = Model::cudaAvailable();
    const std::pair<DevicePreference, QString> devices[] = {
        {DevicePreference::Auto, tr("Automatic (CUDA when available)")},
        {DevicePreference::Cpu, tr("CPU")},
        {DevicePreference::Cuda, cuda ? tr("CUDA") : tr("CUDA (not available in this build)")},
    };
    for (const auto& [value, text] : devices) {
        QAction* action = device->addAction(text);
        action->setCheckable(true);
        action->setChecked(m_settings.devicePreference() == value);
        action->setEnabled(value != DevicePreference::Cuda || cuda);
        action->setToolTip(tr("Where the model runs; applies when a model is (re)loaded"));
        deviceGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, value = value] {
            m_settings.setDevicePreference(value);
            emit optionsChanged();
        });
    }

    m_threads = addAction(QString());
    m_threads->setToolTip(tr("Number of CPU threads used by the model; applies when a model is (re)loaded"));
    connect(m_threads, &QAction::triggered, this, &ModelOptionsMenu::chooseThreads);
    updateThreadsText();

    addSeparator();
    m_reload = addAction(tr("&Reload model"));
    m_reload->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));  // Ctrl+R runs a dataset
    m_reload->setToolTip(tr("Load the open model again with the options above (Ctrl+Shift+R)"));
    m_reload->setEnabled(false);
    connect(m_reload, &QAction::triggered, this, &ModelOptionsMenu::reloadRequested);
}

void ModelOptionsMenu::chooseThreads() {
    const int maxThreads = std::max(1, QThread::idealThreadCount());
    bool ok = false;
    const int threads = QInputDialog::getInt(parentWidget(), tr("CPU threads"),
        tr("Threads for the model (0 = one per hardware thread, %1 here):").arg(maxThreads),
        m_settings.threadCount(), 0, 4 * maxThreads, 1, &ok);
    if (!ok) return;
    m_settings.setThreadCount(threads);
    updateThreadsText();
    emit optionsChanged();
}

void ModelOptionsMenu::updateThreadsText() {
    const int threads = m_settings.threadCount();
    m_threads->setText(threads == 0 ? tr("&Threads: automatic…") : tr("&Threads: %1…").arg(threads));
}

} // namespace gs::ui
