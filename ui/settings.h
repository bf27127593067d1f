#pragma once
// The one typed registry of Grammascope's persistent settings, over
// QSettings (organization "Grammascope", application "Grammascope"). Every
// key, its type and its default live in settings.cpp; the rest of the UI
// never spells a settings key. Enumerations are stored as stable words
// ("fp32", "bf16", "words", "viridis"), so a settings file stays readable and
// an unknown word from a newer version falls back to the default.
//
// Thread affinity: GUI thread (QSettings itself is reentrant; this object
// is not shared between threads).

#include "color_maps.h"

#include "grammascope/layer_view.h"
#include "grammascope/model.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace gs::ui {

class Settings {
public:
    static constexpr int kMaxRecentModelFolders = 10;
    static constexpr int kMaxRecentDatasets = 10;
    static constexpr int kDefaultCacheSizeLimitMiB = 2048;

    // The user's settings in the platform's usual location.
    Settings();
    // Settings kept in one INI file (tests, portable installs).
    explicit Settings(const QString& iniFile);
    ~Settings();
    Settings(const Settings&) = delete;
    Settings& operator=(const Settings&) = delete;

    // Most recent first, without duplicates, at most kMaxRecentModelFolders.
    QStringList recentModelFolders() const;
    void addRecentModelFolder(const QString& folder);
    void removeRecentModelFolder(const QString& folder);
    void clearRecentModelFolders();

    // Dataset files opened in the browser: most recent first, without duplicates.
    QStringList recentDatasets() const;
    void addRecentDataset(const QString& file);
    void removeRecentDataset(const QString& file);
    void clearRecentDatasets();
    // The folder of the last dataset, CoNLL-U or rule file chosen in a file dialog.
    QString lastDatasetFolder() const;
    void setLastDatasetFolder(const QString& folder);

    // Identifier of a gs::LayerQuantity ("hidden-norm", ...); empty if never chosen.
    QString lastQuantity() const;
    void setLastQuantity(const QString& id);

    Precision precision() const;
    void setPrecision(Precision precision);
    int threadCount() const;  // 0 = one per hardware thread
    void setThreadCount(int threads);
    DevicePreference devicePreference() const;
    void setDevicePreference(DevicePreference device);
    // The options a model is loaded with, from the three settings above.
    ModelOptions modelOptions() const;

    TokenGrouping grouping() const;
    void setGrouping(TokenGrouping grouping);
    ColorMap colorMap() const;  // for sequential quantities
    void setColorMap(ColorMap map);

    // --- the results cache (ResultStore)
    // The database file: the chosen one, or gs::defaultStorePath().
    QString cacheLocation() const;
    bool cacheLocationIsDefault() const;
    void setCacheLocation(const QString& file);  // empty: back to the default
    static QString defaultCacheLocation();
    // Least recently used results are evicted above it; 0 = no limit.
    int cacheSizeLimitMiB() const;
    void setCacheSizeLimitMiB(int mib);
    qint64 cacheSizeLimitBytes() const;
    // The analyses a dataset run computes (LayerQuantity ids, in order).
    QStringList datasetAnalyses() const;
    void setDatasetAnalyses(const QStringList& ids);
    // The last choices of Analysis › Train probes… (JSON, see probe_dialog.h); empty: the defaults.
    QString probeTrainingOptions() const;
    void setProbeTrainingOptions(const QString& json);
    // The last choices of Analysis › Train sparse autoencoders… (JSON, see sae_dialog.h); empty: the defaults.
    QString saeTrainingOptions() const;
    void setSaeTrainingOptions(const QString& json);

    QString lastExportFolder() const;
    void setLastExportFolder(const QString& folder);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);

    // Writes pending changes to storage.
    void sync();
    QString fileName() const;

    // Stable words for the enumerations (also used on the command line and in messages).
    static QString precisionId(Precision precision);
    static QString deviceId(DevicePreference device);
    static QString groupingId(TokenGrouping grouping);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace gs::ui
