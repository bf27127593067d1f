#include "settings.h"

#include "grammascope/analysis_engine.h"
#include "grammascope/result_store.h"

#include <QDir>
#include <QSettings>

#include <algorithm>
#include <array>
#include <utility>

namespace gs::ui {
namespace {

// Every key of the registry, with its type and default.
template <typename T>
struct Key {
    const char* name;
    T defaultValue;
};

constexpr Key<const char*> kRecentModelFolders{"model/recentFolders", ""};
constexpr Key<const char*> kRecentDatasets{"datasets/recentFiles", ""};
constexpr Key<const char*> kLastDatasetFolder{"datasets/folder", ""};
constexpr Key<const char*> kPrecision{"model/precision", "fp32"};
constexpr Key<int> kThreadCount{"model/threads", 0};
constexpr Key<const char*> kDevice{"model/device", "auto"};
constexpr Key<const char*> kLastQuantity{"view/quantity", ""};
constexpr Key<const char*> kGrouping{"view/grouping", "tokens"};
constexpr Key<const char*> kColorMap{"view/colorMap", "viridis"};
constexpr Key<const char*> kCacheLocation{"cache/location", ""};
constexpr Key<int> kCacheSizeLimitMiB{"cache/sizeLimitMiB", Settings::kDefaultCacheSizeLimitMiB};
constexpr Key<const char*> kDatasetAnalyses{"analysis/datasetAnalyses", ""};
constexpr Key<const char*> kProbeTrainingOptions{"analysis/probeTraining", ""};
constexpr Key<const char*> kSaeTrainingOptions{"analysis/saeTraining", ""};
constexpr int kMaxCacheSizeLimitMiB = 1 << 22;  // 4 TiB
constexpr Key<const char*> kLastExportFolder{"export/folder", ""};
constexpr Key<const char*> kWindowGeometry{"window/geometry", ""};
constexpr Key<const char*> kWindowState{"window/state", ""};

constexpr std::array<std::pair<Precision, const char*>, 2> kPrecisionIds{{
    {Precision::Float32, "fp32"}, {Precision::BFloat16, "bf16"},
}};
constexpr std::array<std::pair<DevicePreference, const char*>, 3> kDeviceIds{{
    {DevicePreference::Auto, "auto"}, {DevicePreference::Cpu, "cpu"}, {DevicePreference::Cuda, "cuda"},
}};
constexpr std::array<std::pair<TokenGrouping, const char*>, 2> kGroupingIds{{
    {TokenGrouping::Tokens, "tokens"}, {TokenGrouping::Words, "words"},
}};

template <typename T, std::size_t N>
QString idOf(const std::array<std::pair<T, const char*>, N>& table, T value) {
    for (const auto& [v, id] : table)
        if (v == value) return QLatin1String(id);
    return QLatin1String(table.front().second);
}

template <typename T, std::size_t N>
T valueOf(const std::array<std::pair<T, const char*>, N>& table, const QString& id, const char* fallbackId) {
    for (const auto& [v, word] : table)
        if (id == QLatin1String(word)) return v;
    for (const auto& [v, word] : table)
        if (QLatin1String(fallbackId) == QLatin1String(word)) return v;
    return table.front().first;
}

QString keyName(const char* name) { return QLatin1String(name); }

QString readString(const QSettings& s, const Key<const char*>& key) {
    return s.value(keyName(key.name), QLatin1String(key.defaultValue)).toString();
}

QByteArray readBytes(const QSettings& s, const Key<const char*>& key) {
    return s.value(keyName(key.name)).toByteArray();
}

} // namespace

Settings::Settings()
    : m_settings(std::make_unique<QSettings>(QStringLiteral("Grammascope"), QStringLiteral("Grammascope"))) {}

Settings::Settings(const QString& iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)) {}

Settings::~Settings() = default;

QStringList Settings::recentModelFolders() const {
    QStringList folders = m_settings->value(keyName(kRecentModelFolders.name)).toStringList();
    folders.removeAll(QString());
    folders.removeDuplicates();
    while (folders.size() > kMaxRecentModelFolders) folders.removeLast();
    return folders;
}

void Settings::addRecentModelFolder(const QString& folder) {
    const QString clean = QDir::cleanPath(folder);
    if (clean.isEmpty()) return;
    QStringList folders = recentModelFolders();
    folders.removeAll(clean);
    folders.prepend(clean);
    while (folders.size() > kMaxRecentModelFolders) folders.removeLast();
    m_settings->setValue(keyName(kRecentModelFolders.name), folders);
}

void Settings::removeRecentModelFolder(const QString& folder) {
    QStringList folders = recentModelFolders();
    folders.removeAll(QDir::cleanPath(folder));
    m_settings->setValue(keyName(kRecentModelFolders.name), folders);
}

void Settings::clearRecentModelFolders() {
    m_settings->remove(keyName(kRecentModelFolders.name));
}

// The same bounded most-recent-first list for every kind of recent path.
static QStringList readRecent(const QSettings& s, const char* key, int max) {
    QStringList paths = s.value(keyName(key)).toStringList();
    paths.removeAll(QString());
    paths.removeDuplicates();
    while (paths.size() > max) paths.removeLast();
    return paths;
}

QStringList Settings::recentDatasets() const {
    return readRecent(*m_settings, kRecentDatasets.name, kMaxRecentDatasets);
}

void Settings::addRecentDataset(const QString& file) {
    const QString clean = QDir::cleanPath(file);
    if (clean.isEmpty()) return;
    QStringList files = recentDatasets();
    files.removeAll(clean);
    files.prepend(clean);
    while (files.size() > kMaxRecentDatasets) files.removeLast();
    m_settings->setValue(keyName(kRecentDatasets.name), files);
}

void Settings::removeRecentDataset(const QString& file) {
    QStringList files = recentDatasets();
    files.removeAll(QDir::cleanPath(file));
    m_settings->setValue(keyName(kRecentDatasets.name), files);
}

void Settings::clearRecentDatasets() { m_settings->remove(keyName(kRecentDatasets.name)); }

QString Settings::lastDatasetFolder() const { return readString(*m_settings, kLastDatasetFolder); }
void Settings::setLastDatasetFolder(const QString& folder) {
    m_settings->setValue(keyName(kLastDatasetFolder.name), folder);
}

QString Settings::lastQuantity() const { return readString(*m_settings, kLastQuantity); }
void Settings::setLastQuantity(const QString& id) { m_settings->setValue(keyName(kLastQuantity.name), id); }

Precision Settings::precision() const {
    return valueOf(kPrecisionIds, readString(*m_settings, kPrecision), kPrecision.defaultValue);
}
void Settings::setPrecision(Precision precision) {
    m_settings->setValue(keyName(kPrecision.name), precisionId(precision));
}

int Settings::threadCount() const {
    bool ok = false;
    const int threads = m_settings->value(keyName(kThreadCount.name), kThreadCount.defaultValue).toInt(&ok);
    return ok && threads >= 0 ? threads : kThreadCount.defaultValue;
}
void Settings::setThreadCount(int threads) {
    m_settings->setValue(keyName(kThreadCount.name), std::max(0, threads));
}

DevicePreference Settings::devicePreference() const {
    return valueOf(kDeviceIds, readString(*m_settings, kDevice), kDevice.defaultValue);
}
void Settings::setDevicePreference(DevicePreference device) {
    m_settings->setValue(keyName(kDevice.name), deviceId(device));
}

ModelOptions Settings::modelOptions() const {
    ModelOptions options;
    options.precision = precision();
    options.threads = threadCount();
    options.device = devicePreference();
    return options;
}

TokenGrouping Settings::grouping() const {
    return valueOf(kGroupingIds, readString(*m_settings, kGrouping), kGrouping.defaultValue);
}
void Settings::setGrouping(TokenGrouping grouping) {
    m_settings->setValue(keyName(kGrouping.name), groupingId(grouping));
}

ColorMap Settings::colorMap() const {
    const ColorMap map = colorMapFromId(readString(*m_settings, kColorMap), ColorMap::Viridis);
    return colorMapInfo(map).diverging ? ColorMap::Viridis : map;
}
void Settings::setColorMap(ColorMap map) {
    m_settings->setValue(keyName(kColorMap.name), QLatin1String(colorMapInfo(map).id));
}

QString Settings::cacheLocation() const {
    const QString chosen = readString(*m_settings, kCacheLocation);
    return chosen.isEmpty() ? defaultCacheLocation() : chosen;
}
bool Settings::cacheLocationIsDefault() const { return readString(*m_settings, kCacheLocation).isEmpty(); }
void Settings::setCacheLocation(const QString& file) {
    const QString clean = file.isEmpty() ? QString() : QDir::cleanPath(file);
    if (clean.isEmpty() || clean == defaultCacheLocation()) m_settings->remove(keyName(kCacheLocation.name));
    else m_settings->setValue(keyName(kCacheLocation.name), clean);
}
QString Settings::defaultCacheLocation() {
    return QDir::cleanPath(QString::fromStdU16String(gs::defaultStorePath().u16string()));
}

int Settings::cacheSizeLimitMiB() const {
    bool ok = false;
    const int mib = m_settings->value(keyName(kCacheSizeLimitMiB.name), kCacheSizeLimitMiB.defaultValue).toInt(&ok);
    return ok && mib >= 0 && mib <= kMaxCacheSizeLimitMiB ? mib : kCacheSizeLimitMiB.defaultValue;
}
void Settings::setCacheSizeLimitMiB(int mib) {
    m_settings->setValue(keyName(kCacheSizeLimitMiB.name), std::clamp(mib, 0, kMaxCacheSizeLimitMiB));
}
qint64 Settings::cacheSizeLimitBytes() const { return qint64(cacheSizeLimitMiB()) << 20; }

QStringList Settings::datasetAnalyses() const {
    QStringList known;
    for (const AnalysisDescriptor& analysis : engineAnalyses()) known << QString::fromStdString(analysis.id);
    if (!m_settings->contains(keyName(kDatasetAnalyses.name))) return known;  // default: all of them
    QStringList ids;
    for (const QString& id : m_settings->value(keyName(kDatasetAnalyses.name)).toStringList())
        if (known.contains(id) && !ids.contains(id)) ids << id;  // words from a newer version are dropped
    return ids;
}
void Settings::setDatasetAnalyses(const QStringList& ids) {
    // Stored even when empty: "none chosen" differs from "never chosen".
    m_settings->setValue(keyName(kDatasetAnalyses.name), ids.isEmpty() ? QStringList{QString()} : ids);
}

QString Settings::probeTrainingOptions() const { return readString(*m_settings, kProbeTrainingOptions); }
void Settings::setProbeTrainingOptions(const QString& json) {
    m_settings->setValue(keyName(kProbeTrainingOptions.name), json);
}

QString Settings::saeTrainingOptions() const { return readString(*m_settings, kSaeTrainingOptions); }
void Settings::setSaeTrainingOptions(const QString& json) {
    m_settings->setValue(keyName(kSaeTrainingOptions.name), json);
}

QString Settings::lastExportFolder() const { return readString(*m_settings, kLastExportFolder); }
void Settings::setLastExportFolder(const QString& folder) {
    m_settings->setValue(keyName(kLastExportFolder.name), folder);
}

QByteArray Settings::windowGeometry() const { return readBytes(*m_settings, kWindowGeometry); }
void Settings::setWindowGeometry(const QByteArray& geometry) {
    m_settings->setValue(keyName(kWindowGeometry.name), geometry);
}

QByteArray Settings::windowState() const { return readBytes(*m_settings, kWindowState); }
void Settings::setWindowState(const QByteArray& state) {
    m_settings->setValue(keyName(kWindowState.name), state);
}

void Settings::sync() { m_settings->sync(); }
QString Settings::fileName() const { return m_settings->fileName(); }

QString Settings::precisionId(Precision precision) { return idOf(kPrecisionIds, precision); }
QString Settings::deviceId(DevicePreference device) { return idOf(kDeviceIds, device); }
QString Settings::groupingId(TokenGrouping grouping) { return idOf(kGroupingIds, grouping); }

} // namespace gs::ui
