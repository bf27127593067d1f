#pragma once
// Shared by the cache and dataset-run UI tests: a log of a worker signal
// kept on the test thread, a generated pairs file large enough for a dataset
// run to take several batches, and small file helpers.

#include "analysis_worker.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QVariant>

#include <type_traits>

namespace gs::testing {

// Like QSignalSpy, but the arguments are appended on the test thread (a
// queued connection from the worker thread): QSignalSpy appends in the
// emitting thread, which would race with the test reading it.
class SignalLog : public QObject {
public:
    template <typename... Args>
    SignalLog(ui::AnalysisWorker* worker, void (ui::AnalysisWorker::*signal)(Args...)) {
        QObject::connect(worker, signal, this, [this](Args... args) {
            calls.append(QList<QVariant>{QVariant::fromValue(std::decay_t<Args>(args))...});
        });
    }
    int count() const { return int(calls.size()); }
    const QList<QVariant>& at(int i) const { return calls.at(i); }
    const QList<QVariant>& last() const { return calls.last(); }
    // Waits until more calls than now have arrived.
    bool wait(int timeoutMs) {
        const int before = count();
        return QTest::qWaitFor([&] { return count() > before; }, timeoutMs);
    }
    bool waitFor(int total, int timeoutMs) {
        return QTest::qWaitFor([&] { return count() >= total; }, timeoutMs);
    }

    QList<QList<QVariant>> calls;
};

// `count` minimal pairs of varied length, all sentences distinct.
inline bool writeGeneratedPairs(const QString& file, int count) {
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly)) return false;
    out.write("id,phenomenon,good,bad,good_word,bad_word,word_index\n");
    const QStringList nouns{QStringLiteral("мышь"), QStringLiteral("раму"), QStringLiteral("кашу"),
                            QStringLiteral("дом"), QStringLiteral("ёжа")};
    for (int i = 0; i < count; ++i) {
        QString tail;
        for (int k = 0; k < i % 4; ++k) tail += QStringLiteral(" и кот");
        const QString noun = nouns.at(i % nouns.size());
        const QString good = QStringLiteral("Мама видит %1 %2%3.").arg(noun).arg(i).arg(tail);
        const QString bad = QStringLiteral("Мама видят %1 %2%3.").arg(noun).arg(i).arg(tail);
        const QString line = QStringLiteral("p%1,%2,%3,%4,видит,видят,1\n")
                                 .arg(i)
                                 .arg(i % 2 ? QStringLiteral("agreement") : QStringLiteral("number"), good, bad);
        out.write(line.toUtf8());
    }
    return true;
}

inline QByteArray readAll(const QString& file) {
    QFile in(file);
    return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
}

inline bool writeAll(const QString& file, const QByteArray& bytes) {
    QFile out(file);
    return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size();
}

// Files next to `file` whose name starts with its name and `tag` ("cache.sqlite.corrupt-…").
inline QStringList movedAside(const QString& file, const QString& tag = QStringLiteral("corrupt")) {
    const QFileInfo info(file);
    return info.dir().entryList({info.fileName() + QLatin1Char('.') + tag + QStringLiteral("-*")}, QDir::Files);
}

} // namespace gs::testing
