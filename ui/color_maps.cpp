#include "color_maps.h"

#include <QCoreApplication>

#include <array>

namespace gs::ui {
namespace {

using Rgb = std::array<double, 3>;

// matplotlib's viridis and cividis at np.linspace(0, 1, 16).
constexpr std::array<Rgb, 16> kViridis{{
    {0.267004, 0.004874, 0.329415}, {0.282656, 0.100196, 0.422160}, {0.277134, 0.185228, 0.489898},
    {0.253935, 0.265254, 0.529983}, {0.221989, 0.339161, 0.548752}, {0.190631, 0.407061, 0.556089},
    {0.163625, 0.471133, 0.558148}, {0.139147, 0.533812, 0.555298}, {0.120565, 0.596422, 0.543611},
    {0.134692, 0.658636, 0.517649}, {0.208030, 0.718701, 0.472873}, {0.327796, 0.773980, 0.406640},
    {0.477504, 0.821444, 0.318195}, {0.647257, 0.858400, 0.209861}, {0.824940, 0.884720, 0.106217},
    {0.993248, 0.906157, 0.143936},
}};

constexpr std::array<Rgb, 16> kCividis{{
    {0.000000, 0.135112, 0.304751}, {0.000000, 0.181610, 0.421859}, {0.117612, 0.225935, 0.434308},
    {0.208926, 0.272546, 0.424809}, {0.279411, 0.318677, 0.423031}, {0.342246, 0.364939, 0.428559},
    {0.401418, 0.411790, 0.440708}, {0.458366, 0.459552, 0.460457}, {0.517920, 0.508454, 0.472707},
    {0.582087, 0.558670, 0.468118}, {0.648222, 0.610553, 0.454801}, {0.716177, 0.664384, 0.432386},
    {0.785965, 0.720438, 0.399613}, {0.857809, 0.778969, 0.353259}, {0.932180, 0.840159, 0.285880},
    {0.995737, 0.909344, 0.217772},
}};

// ColorBrewer RdBu (11 classes), reversed so that negative is blue and
// positive red; the middle stop is the near-white centre.
constexpr std::array<QRgb, 11> kDiverging{
    0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
    0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
};

template <std::size_t N>
QMap<double, QColor> evenStops(const std::array<Rgb, N>& table) {
    QMap<double, QColor> stops;
    for (std::size_t i = 0; i < N; ++i)
        stops.insert(double(i) / double(N - 1), QColor::fromRgbF(float(table[i][0]), float(table[i][1]), float(table[i][2])));
    return stops;
}

template <std::size_t N>
QMap<double, QColor> evenStops(const std::array<QRgb, N>& table) {
    QMap<double, QColor> stops;
    for (std::size_t i = 0; i < N; ++i)
        stops.insert(double(i) / double(N - 1), QColor(table[i]));
    return stops;
}

} // namespace

const std::vector<ColorMapInfo>& colorMaps() {
    static const std::vector<ColorMapInfo> maps{
        {ColorMap::Viridis, "viridis", QT_TRANSLATE_NOOP("ColorMap", "Viridis"), false},
        {ColorMap::Cividis, "cividis", QT_TRANSLATE_NOOP("ColorMap", "Cividis (colour-vision friendly)"), false},
        {ColorMap::Diverging, "diverging", QT_TRANSLATE_NOOP("ColorMap", "Blue-white-red (diverging)"), true},
    };
    return maps;
}

const ColorMapInfo& colorMapInfo(ColorMap map) {
    for (const auto& info : colorMaps())
        if (info.map == map) return info;
    return colorMaps().front();
}

ColorMap colorMapFromId(const QString& id, ColorMap fallback) {
    for (const auto& info : colorMaps())
        if (id == QLatin1String(info.id)) return info.map;
    return fallback;
}

QString colorMapLabel(ColorMap map) {
    return QCoreApplication::translate("ColorMap", colorMapInfo(map).label);
}

QCPColorGradient colorGradient(ColorMap map) {
    QCPColorGradient gradient;
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setLevelCount(256);
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(0xc8, 0xc8, 0xc8));
    switch (map) {
    case ColorMap::Viridis: gradient.setColorStops(evenStops(kViridis)); break;
    case ColorMap::Cividis: gradient.setColorStops(evenStops(kCividis)); break;
    case ColorMap::Diverging: gradient.setColorStops(evenStops(kDiverging)); break;
    }
    return gradient;
}

} // namespace gs::ui
