#pragma once
// Colour maps for token x layer heatmaps. QCustomPlot 2.1.0 ships no
// perceptually uniform presets, so viridis and cividis (matplotlib's tables,
// sampled at 16 evenly spaced points) and a blue-white-red diverging map
// (ColorBrewer RdBu) are built here as QCPColorGradient stops.
//
// Thread-safety: pure functions; call from the GUI thread (QCPColorGradient
// is a plain value type but lives with the plot).

#include <qcustomplot.h>

#include <QString>

#include <vector>

namespace gs::ui {

enum class ColorMap { Viridis, Cividis, Diverging };

struct ColorMapInfo {
    ColorMap map;
    const char* id;     // stable identifier stored in settings: "viridis", "cividis", "diverging"
    const char* label;  // for people, translated through QCoreApplication::translate("ColorMap", ...)
    bool diverging;
};

// Every colour map, sequential ones first.
const std::vector<ColorMapInfo>& colorMaps();
const ColorMapInfo& colorMapInfo(ColorMap map);
// Falls back to `fallback` for an unknown id (e.g. a settings file from a newer version).
ColorMap colorMapFromId(const QString& id, ColorMap fallback = ColorMap::Viridis);
QString colorMapLabel(ColorMap map);

// The gradient with its stops; NaN cells are drawn in a neutral grey.
QCPColorGradient colorGradient(ColorMap map);

} // namespace gs::ui
