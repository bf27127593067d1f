// LocalizeView: hidden-state distance between a localized model and its parent (see the header).

#include "localize_view.h"

#include "heatmap_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>

namespace gs::ui {

LocalizeView::LocalizeView(LocalizeService* service, QWidget* parent) : QWidget(parent), m_service(service) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Distance:"), this));
    m_metric = new QComboBox(this);
    m_metric->addItem(tr("L2 ‖h_loc − h_par‖"));
    m_metric->addItem(tr("Cosine 1 − cos(h_loc, h_par)"));
    m_metric->addItem(tr("Surprisal change with the layer restored (bits)"));
    m_metric->setToolTip(tr("How far the localized model's hidden state of each token and layer is from the parent's; "
                            "or, per token, how much its surprisal (PLL) changes when the localized layer is restored "
                            "to the parent's weights (ablation)"));
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] {
        if (ablationMode() && m_comparison && m_comparison->ablation.empty()) request();
        else redraw();
    });
    top->addWidget(m_metric);
    m_pairMode = new QCheckBox(tr("Current pair side by side"), this);
    m_pairMode->setChecked(true);
    m_pairMode->setToolTip(tr("Both sentences of the pair chosen in the Datasets panel; unchecked: the typed sentence"));
    connect(m_pairMode, &QCheckBox::toggled, this, &LocalizeView::pairModeChanged);
    top->addWidget(m_pairMode);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    top->addWidget(m_status, 1);
    v->addLayout(top);
    m_split = new QSplitter(Qt::Horizontal, this);
    for (auto*& h : m_heatmaps) {
        h = new HeatmapWidget(m_split);
        h->setColumnAxisLabel(tr("Token"));
        m_split->addWidget(h);
    }
    m_heatmaps[1]->hide();
    v->addWidget(m_split, 1);
    connect(m_service, &LocalizeService::compareReady, this, &LocalizeView::onReady);
    connect(m_service, &LocalizeService::failed, this, &LocalizeView::onFailed);
    connect(m_service, &LocalizeService::cancelled, this, [this](quint64 id) {
        if (id == m_request) m_request = 0;
    });
    redraw();
}

HeatmapWidget* LocalizeView::heatmap(int side) const { return side == 0 || side == 1 ? m_heatmaps[side] : nullptr; }

QString LocalizeView::statusText() const { return m_status->text(); }

void LocalizeView::setModels(const QString& parentDir, const QString& localizedDir) {
    m_parentDir = parentDir;
    m_localizedDir = localizedDir;
    m_comparison.reset();
    m_key.clear();
    request();
}

void LocalizeView::setSentence(const QString& sentence) {
    m_pair.reset();
    m_sentence = sentence;
    if (m_comparison && (m_comparison->sentences.size() != 1 || m_comparison->sentences.front() != sentence))
        m_comparison.reset();
    request();
}

void LocalizeView::setPair(const DatasetItem& pair) {
    m_pair = pair;
    m_sentence.clear();
    if (m_comparison && (m_comparison->sentences.size() != 2 ||
                         m_comparison->sentences.front() != QString::fromStdString(pair.good.text) ||
                         m_comparison->sentences.back() != QString::fromStdString(pair.bad.text)))
        m_comparison.reset();
    request();
}

void LocalizeView::setMetric(int metric) { m_metric->setCurrentIndex(metric >= 0 && metric <= 2 ? metric : 0); }

bool LocalizeView::ablationMode() const { return m_metric->currentIndex() == 2; }

bool LocalizeView::pairMode() const { return m_pairMode->isChecked(); }

void LocalizeView::setPairMode(bool on) { m_pairMode->setChecked(on); }

void LocalizeView::request() {
    if (!hasModels()) {
        m_request = 0;
        redraw();
        return;
    }
    if (!m_pair && m_sentence.trimmed().isEmpty()) {
        m_request = 0;
        redraw();
        return;
    }
    const bool ablation = ablationMode();
    const QString key = m_parentDir + QChar(0x1f) + m_localizedDir + QChar(0x1f) +
                        (m_pair ? QString::fromStdString(m_pair->good.text + "\x1f" + m_pair->bad.text) : m_sentence) +
                        (ablation ? QStringLiteral("\x1f+ablation") : QString());
    if (key == m_key && (m_comparison || isComputing())) return;  // on screen or being computed
    m_key = key;
    m_status->setText(ablation ? tr("Scoring every token with and without the localized layer…")
                               : tr("Computing the distance to the parent…"));
    m_request = m_service->compare(m_parentDir, m_localizedDir, m_sentence, m_pair, ablation);
}

void LocalizeView::onReady(quint64 id, LocalizeComparisonPtr comparison) {
    if (id != m_request) return;
    m_request = 0;
    m_comparison = std::move(comparison);
    redraw();
}

void LocalizeView::onFailed(quint64 id, const QString& text) {
    if (id != m_request) return;
    m_request = 0;
    m_comparison.reset();
    m_key.clear();
    m_status->setText(tr("Cannot compare: %1").arg(text));
    for (auto* h : m_heatmaps) h->clear(tr("No distance to show."));
    emit message(text);
}

void LocalizeView::redraw() {
    if (!hasModels()) {
        m_status->setText(tr("Choose a localized checkpoint in the Localized layer panel (Compare › Show in the view)."));
        for (auto* h : m_heatmaps) h->clear(tr("No localized model chosen."));
        m_heatmaps[1]->hide();
        return;
    }
    if (!m_comparison) {
        if (!isComputing()) {
            m_status->setText(tr("Type a sentence or choose a pair."));
            for (auto* h : m_heatmaps) h->clear();
        }
        return;
    }
    const bool cosine = m_metric->currentIndex() == 1;
    const bool ablation = ablationMode() && !m_comparison->ablation.empty();
    const auto& c = *m_comparison;
    const int sides = int(c.distances.size());
    float upper = 0;
    for (int side = 0; side < sides; ++side) {
        const Heatmap& h = ablation ? c.ablation[std::size_t(side)]
                                    : (cosine ? c.distances[std::size_t(side)].cosine : c.distances[std::size_t(side)].l2);
        for (float v : h.values)
            if (std::isfinite(v)) upper = std::max(upper, std::fabs(v));
    }
    for (int side = 0; side < 2; ++side) {
        HeatmapWidget* w = m_heatmaps[side];
        if (side >= sides) {
            w->hide();
            continue;
        }
        w->show();
        Heatmap h = ablation ? c.ablation[std::size_t(side)]
                             : (cosine ? c.distances[std::size_t(side)].cosine : c.distances[std::size_t(side)].l2);
        const auto& changed = c.changed[std::size_t(side)];
        for (int col = 0; col < h.cols && col < int(h.colTokenBegin.size()); ++col) {
            bool mark = false;
            for (auto t = h.colTokenBegin[std::size_t(col)]; t < h.colTokenEnd[std::size_t(col)]; ++t)
                if (t >= 0 && t < std::int64_t(changed.size()) && changed[std::size_t(t)]) mark = true;
            if (mark) h.colLabels[std::size_t(col)] = "▸" + h.colLabels[std::size_t(col)];
        }
        h.title = ablation ? tr("Surprisal change, layer restored (bits)").toStdString()
                  : cosine ? tr("Cosine distance to the parent").toStdString()
                           : tr("L2 distance to the parent").toStdString();
        if (ablation) w->setFixedColorRange(-(upper > 0 ? upper : 1), upper > 0 ? upper : 1);
        else w->setFixedColorRange(0, upper > 0 ? upper : 1);
        const QString which = sides == 2 ? (side == 0 ? tr("Grammatical") : tr("Ungrammatical")) : QString();
        QString title = c.sentences.value(side);
        if (!which.isEmpty()) title = which + QStringLiteral(": ") + title;
        w->setTitle(title);
        w->setHeatmap(h);
    }
    if (sides == 2) m_split->setSizes({m_split->width() / 2, m_split->width() / 2});
    QString status = c.layer >= 0 ? tr("Layer %1 localized (its output is row %2). ").arg(c.layer).arg(c.layer + 1) : QString();
    status += tr("%1 vs parent %2").arg(QFileInfo(c.localizedDir).fileName(), QFileInfo(c.parentDir).fileName());
    if (sides == 2) status += tr("; ▸ marks the tokens of the changed words");
    m_status->setText(status);
    m_status->setToolTip(tr("Localized: %1\nParent: %2")
                             .arg(QDir::toNativeSeparators(c.localizedDir), QDir::toNativeSeparators(c.parentDir)));
}

} // namespace gs::ui
