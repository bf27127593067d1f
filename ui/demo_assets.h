#pragma once
// Where the built-in demo lives: a small Russian masked LM trained by
// Grammascope (demo/model) and generated minimal pairs (demo/pairs.csv).
// Looked up in this order: $GRAMMASCOPE_DEMO_DIR, the install location
// (<prefix>/share/grammascope/demo next to bin/), the source tree the
// program was built from.
//
// Thread-safety: free function, reads the environment and the file system.

#include <QString>
#include <QStringList>

namespace gs::ui {

struct DemoAssets {
    QString modelDir;   // a checkpoint folder
    QString pairsFile;  // CSV of minimal pairs
    bool found() const { return !modelDir.isEmpty(); }
};

// The first candidate folder holding demo/model/config.json; empty if none.
DemoAssets findDemoAssets();
// Every folder that was looked at, for an error message.
QStringList demoSearchPath();

// The shipped polypersonal rule table (polypersonal-rules.json next to the
// demo folder, or in it), or empty when none is found.
QString findPolypersonalRulesFile();

} // namespace gs::ui
