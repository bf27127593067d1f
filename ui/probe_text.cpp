#include "probe_text.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

#include <cmath>

namespace gs::ui {
namespace {

// lupdate files these tr() calls under the namespace's context.
QString tr(const char* text) { return QCoreApplication::translate("gs::ui", text); }

QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

} // namespace

QString probeTaskLabel(const std::string& task) {
    if (task.rfind("ud:", 0) == 0 && task.size() > 3)
        return tr("UD feature: %1").arg(QString::fromStdString(task.substr(3)));
    if (const ProbeTaskInfo* info = findProbeTask(task))
        return QCoreApplication::translate("ProbeTask", info->label.c_str());
    return QString::fromStdString(task);
}

QString probeUnitText(const ProbeTaskSpec& spec) {
    const ProbeTaskInfo* info = findProbeTask(spec.task);
    if ((info && info->sentenceLevel) || spec.unit == ProbeUnit::Sentence)
        return spec.sentencePooling == SentencePooling::First ? tr("sentence (first token)")
                                                              : tr("sentence (mean of tokens)");
    if (spec.unit == ProbeUnit::Word)
        return spec.wordPooling == WordPooling::First ? tr("word (first piece)") : tr("word (mean of pieces)");
    return tr("token");
}

QString probeKindText(const ProbeOptions& options) {
    if (options.kind == ProbeKind::Mlp) return tr("MLP (%1 hidden)").arg(options.hiddenUnits);
    return tr("linear");
}

QString probeSetTitle(const ProbeSet& set) {
    return QStringLiteral("%1 · %2 · %3")
        .arg(probeTaskLabel(set.spec.task), probeUnitText(set.spec), probeKindText(set.options.probe));
}

QString probeLayerLabel(int layer) { return layer == 0 ? QStringLiteral("emb") : QString::number(layer); }

int bestProbeReport(const ProbeSet& set) {
    int best = -1;
    for (int i = 0; i < int(set.reports.size()); ++i) {
        const double acc = set.reports[std::size_t(i)].accuracy;
        if (!std::isfinite(acc)) continue;
        if (best < 0 || acc > set.reports[std::size_t(best)].accuracy) best = i;
    }
    return best;
}

QString probeNumber(double value, int decimals) {
    if (!std::isfinite(value)) return QStringLiteral("—");
    return QLocale::c().toString(value, 'f', decimals);
}

QString probeSetSubtitle(const ProbeSet& set) {
    const QLocale locale;
    QStringList parts;
    if (!set.datasetName.empty()) parts << QString::fromStdString(set.datasetName);
    parts << tr("%1 examples").arg(locale.toString(qint64(set.examples)));
    const int best = bestProbeReport(set);
    if (best >= 0) {
        const LayerProbeReport& r = set.reports[std::size_t(best)];
        parts << (r.layer == 0 ? tr("best %1 at the embeddings").arg(probeNumber(r.accuracy, 3))
                               : tr("best %1 at layer %2").arg(probeNumber(r.accuracy, 3)).arg(r.layer));
    }
    if (set.createdMs > 0)
        parts << locale.toString(QDateTime::fromMSecsSinceEpoch(set.createdMs), QLocale::ShortFormat);
    return parts.join(QStringLiteral(" · "));
}

QString probeSetDetails(const ProbeSet& set) {
    const QLocale locale;
    QString out = QStringLiteral("<b>%1</b><br>").arg(probeSetTitle(set).toHtmlEscaped());
    auto row = [&out](const QString& name, const QString& value) {
        out += QStringLiteral("%1: %2<br>").arg(name, value);
    };
    row(tr("Task"), QStringLiteral("%1 (<code>%2</code>)").arg(probeTaskLabel(set.spec.task).toHtmlEscaped(),
                                                                html(set.spec.task)));
    if (!set.datasetName.empty()) row(tr("Dataset"), html(set.datasetName));
    QStringList classes;
    for (std::size_t c = 0; c < set.classes.size(); ++c) {
        const qint64 count = c < set.classCounts.size() ? qint64(set.classCounts[c]) : 0;
        classes << QStringLiteral("%1 (%2)").arg(html(set.classes[c]), locale.toString(count));
    }
    row(tr("Classes"), classes.join(QStringLiteral(", ")));
    row(tr("Examples"), tr("%1 from %2 sentences").arg(locale.toString(qint64(set.examples)),
                                                     locale.toString(qint64(set.sentences))));
    QStringList extra;
    if (set.options.control) extra << tr("control task");
    if (set.options.mdl) extra << tr("MDL");
    if (set.options.slicedMi) extra << tr("sliced MI");
    if (!set.learningCurve.empty()) extra << tr("learning curve at layer %1").arg(probeLayerLabel(set.curveLayer));
    row(tr("Probe"), tr("%1, λ = %2, seed %3").arg(probeKindText(set.options.probe))
                         .arg(set.options.probe.l2)
                         .arg(qulonglong(set.options.probe.seed)));
    if (!extra.isEmpty()) row(tr("Measured"), extra.join(QStringLiteral(", ")));
    if (set.seconds > 0) row(tr("Training time"), tr("%1 s").arg(probeNumber(set.seconds, 1)));
    if (set.createdMs > 0)
        row(tr("Trained"), locale.toString(QDateTime::fromMSecsSinceEpoch(set.createdMs), QLocale::LongFormat));
    for (const std::string& warning : set.warnings) out += QStringLiteral("<i>%1</i><br>").arg(html(warning));
    return out;
}

int defaultProbeClass(const QStringList& classes) {
    const int yes = int(classes.indexOf(QStringLiteral("yes")));
    return yes >= 0 ? yes : 0;
}

} // namespace gs::ui
