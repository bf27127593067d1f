#pragma once
// One QApplication for the GoogleTest UI suites (gtest_main provides main()).
// Offscreen unless the caller chose a platform, so the binary also runs
// without a display when started directly. XDG_CACHE_HOME points into a
// temporary folder, so that a window whose settings name no cache file never
// opens the user's real results cache (gs::defaultStorePath()).

#include <QApplication>
#include <QByteArray>
#include <QTemporaryDir>

namespace gs::testing {

inline QApplication& testApplication() {
    static QApplication* app = [] {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen"));
        static QTemporaryDir cacheHome;  // removed when the process exits
        qputenv("XDG_CACHE_HOME", cacheHome.path().toLocal8Bit());
        static int argc = 1;
        static char name[] = "test_ui";
        static char* argv[] = {name, nullptr};
        auto* created = new QApplication(argc, argv);  // lives until the process exits
        QApplication::setOrganizationName(QStringLiteral("GrammascopeTests"));
        QApplication::setApplicationName(QStringLiteral("GrammascopeTests"));
        return created;
    }();
    return *app;
}

} // namespace gs::testing
