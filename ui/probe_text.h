#pragma once
// How probe tasks, probe sets and their numbers read in the probe dialog,
// the Probes panel and the probe-confidence view: one place, so that the
// three agree.
//
// Thread-safety: pure functions (GUI thread for the translated strings).

#include "grammascope/probe_data.h"

#include <QString>
#include <QStringList>

#include <string>

namespace gs::ui {

// "Changed words", "UD feature: Case".
QString probeTaskLabel(const std::string& task);
// "token", "word (mean of pieces)", "sentence (first token)".
QString probeUnitText(const ProbeTaskSpec& spec);
// "linear", "MLP (128 hidden)".
QString probeKindText(const ProbeOptions& options);
// One line naming the set: "Changed words · token · linear".
QString probeSetTitle(const ProbeSet& set);
// Second line: dataset, examples, best layer, date.
QString probeSetSubtitle(const ProbeSet& set);
// Everything about the set, for a tooltip (rich text).
QString probeSetDetails(const ProbeSet& set);
// "emb" for 0, else the layer number.
QString probeLayerLabel(int layer);
// Index into set.reports of the most accurate layer (the lowest on ties), or -1.
int bestProbeReport(const ProbeSet& set);
// A number with `decimals` decimals, "—" when it was not computed (NaN).
QString probeNumber(double value, int decimals);
// The class a binary task is about ("yes"), else the first class: the one the heatmap opens on.
int defaultProbeClass(const QStringList& classes);

} // namespace gs::ui
