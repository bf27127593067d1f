#include "demo_assets.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace gs::ui {

QStringList demoSearchPath() {
    QStringList dirs;
    const QString env = qEnvironmentVariable("GRAMMASCOPE_DEMO_DIR");
    if (!env.isEmpty()) dirs << env;
    const QString exeDir = QCoreApplication::applicationDirPath();
    if (!exeDir.isEmpty())
        dirs << QDir::cleanPath(exeDir + QStringLiteral("/../") + QStringLiteral(GRAMMASCOPE_DEMO_INSTALL_DIR));
    dirs << QStringLiteral(GRAMMASCOPE_SOURCE_DEMO_DIR);
    return dirs;
}

DemoAssets findDemoAssets() {
    for (const QString& dir : demoSearchPath()) {
        const QDir d(dir);
        if (!QFileInfo::exists(d.filePath(QStringLiteral("model/config.json")))) continue;
        DemoAssets a;
        a.modelDir = d.filePath(QStringLiteral("model"));
        if (QFileInfo::exists(d.filePath(QStringLiteral("pairs.csv")))) a.pairsFile = d.filePath(QStringLiteral("pairs.csv"));
        return a;
    }
    return {};
}

QString findPolypersonalRulesFile() {
    const QString name = QStringLiteral("polypersonal-rules.json");
    for (const QString& dir : demoSearchPath()) {
        const QDir d(dir);
        for (const QString& candidate : {d.filePath(QStringLiteral("../") + name), d.filePath(name)})
            if (QFileInfo(candidate).isFile()) return QDir::cleanPath(candidate);
    }
    return {};
}

} // namespace gs::ui
