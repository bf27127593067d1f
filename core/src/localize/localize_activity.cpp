// Where a localized layer is active (localize.h): token x layer distances
// between the hidden states of a localized model and its parent, the
// category-vs-other statistics over a pair dataset with bootstrap intervals,
// and layer ablation (layer L restored to the parent) measured as the change
// of per-token surprisal. Built on the public Model and scoring APIs only.

#include "grammascope/alignment.h"
#include "grammascope/localize.h"
#include "grammascope/scoring.h"
#include "localize/localize_internal.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <sstream>

namespace gs {
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status checkCompatible(const Model& parent, const Model& localized) {
    const ModelConfig& a = parent.info().config;
    const ModelConfig& b = localized.info().config;
    if (a.numLayers != b.numLayers || a.hiddenSize != b.hiddenSize)
        return Status::failed("the localized model and the parent have different architectures (" +
                              std::to_string(b.numLayers) + " x " + std::to_string(b.hiddenSize) + " vs " +
                              std::to_string(a.numLayers) + " x " + std::to_string(a.hiddenSize) + ")");
    if (parent.tokenizer().vocabSize() != localized.tokenizer().vocabSize())
        return Status::failed("the localized model and the parent have different tokenizers");
    return Status::ok();
}

// Per (row, token) distances of one encoding, [rows x T] row-major.
struct Distances {
    int rows = 0;
    std::int64_t tokens = 0;
    std::vector<double> l2, cosine;
};

Status distancesFor(const Model& parent, const Model& localized, const Encoding& encoding, Distances& out) {
    EncodeRequest req;
    req.hiddenStates = true;
    EncodeResult rp, rl;
    if (auto st = parent.encodeEncoding(encoding, req, rp); !st.isOk()) return st.withStage("the parent");
    if (auto st = localized.encodeEncoding(encoding, req, rl); !st.isOk()) return st.withStage("the localized model");
    out.rows = static_cast<int>(rl.numLayers + 1);
    out.tokens = rl.numTokens;
    const std::int64_t H = rl.hiddenSize;
    out.l2.assign(static_cast<std::size_t>(out.rows * out.tokens), 0.0);
    out.cosine.assign(out.l2.size(), 0.0);
    for (int r = 0; r < out.rows; ++r) {
        for (std::int64_t t = 0; t < out.tokens; ++t) {
            const float* a = rl.hiddenAt(r, t);
            const float* b = rp.hiddenAt(r, t);
            double d2 = 0, ab = 0, aa = 0, bb = 0;
            for (std::int64_t k = 0; k < H; ++k) {
                const double x = a[k], y = b[k];
                d2 += (x - y) * (x - y);
                ab += x * y;
                aa += x * x;
                bb += y * y;
            }
            const auto i = static_cast<std::size_t>(r * out.tokens + t);
            out.l2[i] = std::sqrt(d2);
            // Identical states are exactly 0 apart (1 - cos would round to ~1e-7).
            out.cosine[i] = d2 == 0 ? 0.0 : 1.0 - ab / std::max(std::sqrt(aa * bb), 1e-30);
        }
    }
    return Status::ok();
}

Heatmap heatmapOf(const Distances& d, const std::vector<double>& values, const Encoding& enc, const char* title) {
    Heatmap h;
    setHeatmapColumns(enc, TokenGrouping::Tokens, h);
    h.rows = d.rows;
    h.values.assign(values.begin(), values.end());
    h.rowLabels.push_back("emb");
    for (int r = 1; r < d.rows; ++r) h.rowLabels.push_back(std::to_string(r));
    h.title = title;
    h.diverging = false;
    return h;
}

Status fillDistance(const Model& parent, const Model& localized, const Encoding& enc, HiddenStateDistance& out) {
    Distances d;
    if (auto st = distancesFor(parent, localized, enc, d); !st.isOk()) return st;
    out.encoding = enc;
    out.l2 = heatmapOf(d, d.l2, enc, "L2 distance to the parent");
    out.cosine = heatmapOf(d, d.cosine, enc, "Cosine distance to the parent");
    return Status::ok();
}

// Category / other sums of one sentence.
struct SentenceSums {
    double catSum = 0, catN = 0, othSum = 0, othN = 0;
};

using Statistic = double (*)(const SentenceSums& total);
double statDifference(const SentenceSums& s) {
    return s.catN > 0 && s.othN > 0 ? s.catSum / s.catN - s.othSum / s.othN : kNaN;
}
double statRatio(const SentenceSums& s) {
    if (!(s.catN > 0 && s.othN > 0)) return kNaN;
    const double other = s.othSum / s.othN;
    return other != 0 ? (s.catSum / s.catN) / other : kNaN;
}
double statCategory(const SentenceSums& s) { return s.catN > 0 ? s.catSum / s.catN : kNaN; }
double statOther(const SentenceSums& s) { return s.othN > 0 ? s.othSum / s.othN : kNaN; }

SentenceSums sumOf(const std::vector<SentenceSums>& v) {
    SentenceSums t;
    for (const auto& s : v) {
        t.catSum += s.catSum;
        t.catN += s.catN;
        t.othSum += s.othSum;
        t.othN += s.othN;
    }
    return t;
}

// Percentile bootstrap over sentences.
ConfidenceInterval bootstrap(const std::vector<SentenceSums>& v, Statistic stat, int samples, double confidence,
                             std::uint64_t seed) {
    ConfidenceInterval ci;
    ci.estimate = stat(sumOf(v));
    ci.low = ci.high = kNaN;
    if (v.empty() || samples <= 0 || std::isnan(ci.estimate)) return ci;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> pick(0, v.size() - 1);
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(samples));
    for (int b = 0; b < samples; ++b) {
        SentenceSums t;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto& s = v[pick(rng)];
            t.catSum += s.catSum;
            t.catN += s.catN;
            t.othSum += s.othSum;
            t.othN += s.othN;
        }
        const double x = stat(t);
        if (!std::isnan(x)) values.push_back(x);
    }
    if (values.empty()) return ci;
    std::sort(values.begin(), values.end());
    auto quantile = [&](double q) {
        const double pos = q * static_cast<double>(values.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const auto hi = std::min(values.size() - 1, lo + 1);
        return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
    };
    const double alpha = (1 - confidence) / 2;
    ci.low = quantile(alpha);
    ci.high = quantile(1 - alpha);
    return ci;
}

nlohmann::json ciJson(const ConfidenceInterval& c) {
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    return {{"estimate", num(c.estimate)}, {"low", num(c.low)}, {"high", num(c.high)}};
}

std::string ciText(const ConfidenceInterval& c, const char* f = "%.4g") {
    auto one = [&](double v) {
        if (!std::isfinite(v)) return std::string("-");
        char b[48];
        std::snprintf(b, sizeof b, f, v);
        return std::string(b);
    };
    return one(c.estimate) + " [" + one(c.low) + ", " + one(c.high) + "]";
}

} // namespace

Status compareHiddenStates(const Model& parent, const Model& localized, std::string_view text, HiddenStateDistance& out) {
    const std::string stage = "comparing hidden states";
    if (auto st = checkCompatible(parent, localized); !st.isOk()) return st.withStage(stage);
    Encoding enc;
    if (auto st = localized.tokenizer().encode(text, localized.info().config.maxSequenceLength(), enc); !st.isOk())
        return st.withStage(stage);
    try {
        return fillDistance(parent, localized, enc, out).withStage(stage);
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
}

Status comparePairHiddenStates(const Model& parent, const Model& localized, const DatasetItem& pair,
                               PairHiddenStateDistance& out) {
    const std::string stage = "comparing hidden states";
    if (auto st = checkCompatible(parent, localized); !st.isOk()) return st.withStage(stage);
    if (!pair.isPair()) return Status::failed(stage + ": the item is a single sentence, not a pair");
    PairTokenAlignment al;
    if (auto st = alignPairTokens(localized.tokenizer(), pair, localized.info().config.maxSequenceLength(), al); !st.isOk())
        return st.withStage(stage);
    try {
        if (auto st = fillDistance(parent, localized, al.good.encoding, out.good); !st.isOk()) return st.withStage(stage);
        if (auto st = fillDistance(parent, localized, al.bad.encoding, out.bad); !st.isOk()) return st.withStage(stage);
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
    out.goodChanged = al.good.changed;
    out.badChanged = al.bad.changed;
    return Status::ok();
}

Status measureLocalizedActivity(const Model& parent, const Model& localized, const Dataset& data,
                                const LocalizeActivityOptions& o, LocalizeActivityReport& out,
                                const ProgressCallback& progress) {
    out = {};
    const std::string stage = "localized-layer activity";
    if (auto st = checkCompatible(parent, localized); !st.isOk()) return st.withStage(stage);
    const ModelConfig& config = localized.info().config;
    if (o.confidence <= 0 || o.confidence >= 1) return Status::failed(stage + ": confidence must be in (0, 1)");

    // Which layer.
    int layer = o.layer;
    if (layer < 0) {
        LocalizedCheckpointInfo info;
        if (readLocalizedCheckpointInfo(localized.info().directory, info).isOk()) {
            layer = info.layer;
        } else {
            CheckpointDiff diff;
            if (diffCheckpoints(parent.info().directory, localized.info().directory, diff).isOk())
                layer = diff.localizedLayer;
            if (layer < 0)
                return Status::failed(stage + ": cannot tell the localized layer (no grammascope_localized.json in " +
                                      localized.info().directory.string() + " and no single layer differs); give it");
        }
    }
    if (layer >= config.numLayers)
        return Status::failed(stage + ": layer " + std::to_string(layer) + " does not exist: the model has " +
                              std::to_string(config.numLayers) + " encoder layers (0 .. " +
                              std::to_string(config.numLayers - 1) + ")");
    out.layer = layer;

    std::vector<const DatasetItem*> items;
    bool anyPair = false;
    for (const auto& it : data.items) {
        if (!it.isPair()) continue;
        anyPair = true;
        if (!o.phenomenon.empty() && it.phenomenon != o.phenomenon) continue;
        items.push_back(&it);
        if (o.maxPairs > 0 && static_cast<std::int64_t>(items.size()) >= o.maxPairs) break;
    }
    if (!anyPair) return Status::failed(stage + ": the dataset holds no pairs (only single sentences)");
    if (items.empty()) return Status::failed(stage + ": no pair of phenomenon '" + o.phenomenon + "'");

    const int rows = static_cast<int>(config.numLayers + 1);
    std::vector<std::vector<SentenceSums>> l2(static_cast<std::size_t>(rows)), cosine(static_cast<std::size_t>(rows));
    std::vector<std::vector<std::uint8_t>> changedOf;  // per used pair: bad-side changed flags (specials 0)
    std::vector<std::vector<std::uint8_t>> specialOf;
    std::vector<std::string> badTexts;
    const auto total = static_cast<std::int64_t>(items.size());
    try {
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (progress && !progress(static_cast<std::int64_t>(i), o.ablation ? 3 * total : total)) return Status::cancelled();
            PairTokenAlignment al;
            if (auto st = alignPairTokens(localized.tokenizer(), *items[i], config.maxSequenceLength(), al); !st.isOk())
                return st.withStage(stage);
            for (auto& w : al.warnings) out.warnings.push_back(w);
            const Encoding& enc = al.bad.encoding;
            Distances d;
            if (auto st = distancesFor(parent, localized, enc, d); !st.isOk()) return st.withStage(stage);
            std::vector<std::uint8_t> special(enc.tokens.size()), changed(enc.tokens.size());
            for (std::size_t t = 0; t < enc.tokens.size(); ++t) {
                special[t] = enc.tokens[t].special ? 1 : 0;
                changed[t] = !special[t] && t < al.bad.changed.size() && al.bad.changed[t] ? 1 : 0;
            }
            for (int r = 0; r < rows; ++r) {
                SentenceSums sl, sc;
                for (std::size_t t = 0; t < enc.tokens.size(); ++t) {
                    if (special[t]) continue;
                    const auto k = static_cast<std::size_t>(r) * static_cast<std::size_t>(d.tokens) + t;
                    if (changed[t]) {
                        sl.catSum += d.l2[k], sl.catN += 1;
                        sc.catSum += d.cosine[k], sc.catN += 1;
                    } else {
                        sl.othSum += d.l2[k], sl.othN += 1;
                        sc.othSum += d.cosine[k], sc.othN += 1;
                    }
                }
                l2[static_cast<std::size_t>(r)].push_back(sl);
                cosine[static_cast<std::size_t>(r)].push_back(sc);
            }
            for (std::size_t t = 0; t < enc.tokens.size(); ++t) {
                if (special[t]) continue;
                if (changed[t]) ++out.categoryTokens;
                else ++out.otherTokens;
            }
            changedOf.push_back(std::move(changed));
            specialOf.push_back(std::move(special));
            badTexts.push_back(items[i]->bad.text);
        }
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
    out.pairs = total;
    if (out.categoryTokens == 0)
        out.warnings.push_back("no category tokens: the pairs mark no changed word on the polypersonal side");

    for (int r = 0; r < rows; ++r) {
        for (int kind = 0; kind < 2; ++kind) {
            const auto& v = (kind == 0 ? l2 : cosine)[static_cast<std::size_t>(r)];
            ActivityRowStats s;
            s.row = r;
            const SentenceSums t = sumOf(v);
            s.categoryMean = statCategory(t);
            s.otherMean = statOther(t);
            const std::uint64_t seed = o.seed * 1000003ull + static_cast<std::uint64_t>(r * 4 + kind * 2);
            s.difference = bootstrap(v, statDifference, o.bootstrapSamples, o.confidence, seed);
            s.ratio = bootstrap(v, statRatio, o.bootstrapSamples, o.confidence, seed + 1);
            (kind == 0 ? out.l2 : out.cosine).push_back(s);
        }
    }

    if (!o.ablation) return Status::ok();
    // Ablation: the localized model with layer L restored to the parent's weights.
    if (!localized.info().hasMlmHead) {
        out.warnings.push_back("ablation skipped: the localized model has no MLM head");
        return Status::ok();
    }
    std::shared_ptr<const Model> ablated = o.ablatedModel;
    if (!ablated) {
        if (auto st = loadAblatedModel(parent, localized, layer, ablated); !st.isOk()) return st.withStage(stage + ": ablation");
    }

    ScoringOptions so;
    so.perToken = true;
    so.batchSize = std::max(1, o.scoringBatch);
    std::vector<SentenceScore> sl, sa;
    auto scoreProgress = [&](std::int64_t done, std::int64_t) {
        return !progress || progress(total + done, 3 * total);
    };
    if (auto st = scoreSentences(localized, badTexts, so, sl, nullptr, scoreProgress); !st.isOk())
        return st.withStage(stage + ": scoring with the localized model");
    auto scoreProgress2 = [&](std::int64_t done, std::int64_t) {
        return !progress || progress(2 * total + done, 3 * total);
    };
    if (auto st = scoreSentences(*ablated, badTexts, so, sa, nullptr, scoreProgress2); !st.isOk())
        return st.withStage(stage + ": scoring with the ablated model");

    std::vector<SentenceSums> change, locSur, ablSur;
    const double ln2 = std::log(2.0);
    for (std::size_t i = 0; i < badTexts.size(); ++i) {
        if (sl[i].skipped || sa[i].skipped || sl[i].tokens.size() != sa[i].tokens.size()) continue;
        SentenceSums c, a, b;
        for (std::size_t k = 0; k < sl[i].tokens.size(); ++k) {
            const TokenScore& tl = sl[i].tokens[k];
            const TokenScore& ta = sa[i].tokens[k];
            if (std::isnan(tl.pll) || std::isnan(ta.pll)) continue;
            const auto pos = static_cast<std::size_t>(tl.position);
            if (pos >= changedOf[i].size() || specialOf[i][pos]) continue;
            const double sLoc = -tl.pll / ln2, sAbl = -ta.pll / ln2;
            if (changedOf[i][pos]) {
                c.catSum += sAbl - sLoc, c.catN += 1;
                a.catSum += sLoc, a.catN += 1;
                b.catSum += sAbl, b.catN += 1;
            } else {
                c.othSum += sAbl - sLoc, c.othN += 1;
                a.othSum += sLoc, a.othN += 1;
                b.othSum += sAbl, b.othN += 1;
            }
        }
        change.push_back(c);
        locSur.push_back(a);
        ablSur.push_back(b);
    }
    AblationStats& ab = out.ablation;
    ab.computed = true;
    ab.sentences = static_cast<std::int64_t>(change.size());
    const SentenceSums tc = sumOf(change), ta = sumOf(locSur), tb = sumOf(ablSur);
    ab.categoryTokens = static_cast<std::int64_t>(tc.catN);
    ab.otherTokens = static_cast<std::int64_t>(tc.othN);
    ab.categoryLocalized = statCategory(ta);
    ab.otherLocalized = statOther(ta);
    ab.categoryAblated = statCategory(tb);
    ab.otherAblated = statOther(tb);
    const std::uint64_t seed = o.seed * 7919ull + 0xAB1A7Eull;
    ab.categoryChange = bootstrap(change, statCategory, o.bootstrapSamples, o.confidence, seed);
    ab.otherChange = bootstrap(change, statOther, o.bootstrapSamples, o.confidence, seed + 1);
    ab.difference = bootstrap(change, statDifference, o.bootstrapSamples, o.confidence, seed + 2);
    return Status::ok();
}

Status loadAblatedModel(const Model& parent, const Model& localized, int layer, std::shared_ptr<const Model>& out) {
    const detail::ScratchFolder tmp("grammascope-ablated-");
    if (tmp.path().empty()) return Status::failed("cannot create a temporary folder for the ablated model");
    if (auto st = writeLayerSwappedCheckpoint(localized.info().directory, parent.info().directory, layer, tmp.path() / "model");
        !st.isOk())
        return st;
    ModelOptions mo;
    mo.device = localized.info().device.rfind("cuda", 0) == 0 ? DevicePreference::Cuda : DevicePreference::Cpu;
    mo.precision = localized.info().precision;
    mo.threads = localized.info().threads;
    if (auto st = Model::load(tmp.path() / "model", mo, out); !st.isOk()) return st.withStage("loading the ablated model");
    return Status::ok();
}

namespace {

Status tokenChanges(const Model& localized, const Model& ablated, const std::string& text,
                    const std::vector<std::uint8_t>& changed, std::vector<AblationToken>& out) {
    ScoringOptions so;
    so.perToken = true;
    so.skipTooLong = false;
    std::vector<SentenceScore> sl, sa;
    if (auto st = scoreSentences(localized, {text}, so, sl); !st.isOk()) return st.withStage("scoring with the localized model");
    if (auto st = scoreSentences(ablated, {text}, so, sa); !st.isOk()) return st.withStage("scoring with the ablated model");
    if (sl.size() != 1 || sa.size() != 1 || sl[0].tokens.size() != sa[0].tokens.size())
        return Status::failed("the two models tokenize the sentence differently");
    out.clear();
    const double ln2 = std::log(2.0);
    for (std::size_t k = 0; k < sl[0].tokens.size(); ++k) {
        const TokenScore& a = sl[0].tokens[k];
        const TokenScore& b = sa[0].tokens[k];
        if (std::isnan(a.pll) || std::isnan(b.pll)) continue;
        AblationToken t;
        t.piece = a.piece;
        t.position = a.position;
        const auto pos = static_cast<std::size_t>(a.position);
        t.category = pos < changed.size() && changed[pos] != 0;
        t.localized = -a.pll / ln2;
        t.ablated = -b.pll / ln2;
        t.change = t.ablated - t.localized;
        out.push_back(std::move(t));
    }
    return Status::ok();
}

} // namespace

Status ablationTokenChanges(const Model& localized, const Model& ablated, std::string_view text,
                            std::vector<AblationToken>& out) {
    return tokenChanges(localized, ablated, std::string(text), {}, out).withStage("ablation");
}

Status ablationTokenChanges(const Model& localized, const Model& ablated, const DatasetItem& pair,
                            std::vector<AblationToken>& out) {
    if (!pair.isPair()) return Status::failed("ablation: the item is a single sentence, not a pair");
    PairTokenAlignment al;
    if (auto st = alignPairTokens(localized.tokenizer(), pair, localized.info().config.maxSequenceLength(), al); !st.isOk())
        return st.withStage("ablation");
    return tokenChanges(localized, ablated, pair.bad.text, al.bad.changed, out).withStage("ablation");
}

std::string localizeActivityJson(const LocalizeActivityReport& r) {
    nlohmann::json j;
    j["layer"] = r.layer;
    j["layer_row"] = r.layer + 1;
    j["pairs"] = r.pairs;
    j["category_tokens"] = r.categoryTokens;
    j["other_tokens"] = r.otherTokens;
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    for (int kind = 0; kind < 2; ++kind) {
        auto arr = nlohmann::json::array();
        for (const auto& s : kind == 0 ? r.l2 : r.cosine)
            arr.push_back({{"row", s.row}, {"category_mean", num(s.categoryMean)}, {"other_mean", num(s.otherMean)},
                           {"difference", ciJson(s.difference)}, {"ratio", ciJson(s.ratio)}});
        j[kind == 0 ? "l2" : "cosine"] = arr;
    }
    if (r.ablation.computed) {
        const auto& a = r.ablation;
        j["ablation"] = {{"unit", "bits"},
                         {"sentences", a.sentences},
                         {"category_tokens", a.categoryTokens},
                         {"other_tokens", a.otherTokens},
                         {"category_surprisal_localized", num(a.categoryLocalized)},
                         {"category_surprisal_ablated", num(a.categoryAblated)},
                         {"other_surprisal_localized", num(a.otherLocalized)},
                         {"other_surprisal_ablated", num(a.otherAblated)},
                         {"category_change", ciJson(a.categoryChange)},
                         {"other_change", ciJson(a.otherChange)},
                         {"difference", ciJson(a.difference)}};
    }
    j["warnings"] = r.warnings;
    return j.dump(2);
}

std::string localizeActivityText(const LocalizeActivityReport& r) {
    std::ostringstream s;
    s << "localized layer " << r.layer << " (0-based; its output is row " << r.layer + 1 << "), " << r.pairs
      << " pairs (polypersonal side): " << r.categoryTokens << " category tokens, " << r.otherTokens << " other tokens\n\n";
    char line[256];
    for (int kind = 0; kind < 2; ++kind) {
        s << (kind == 0 ? "L2 distance to the parent" : "cosine distance to the parent")
          << " (mean per token; 95% bootstrap CI over sentences)\n";
        std::snprintf(line, sizeof line, "%-5s %11s %11s  %-34s %-30s\n", "row", "category", "other", "difference",
                      "ratio");
        s << line;
        for (const auto& x : kind == 0 ? r.l2 : r.cosine) {
            const std::string name = layerRowLabel(x.row);
            std::snprintf(line, sizeof line, "%-5s %11.4g %11.4g  %-34s %-30s%s\n", name.c_str(), x.categoryMean,
                          x.otherMean, ciText(x.difference).c_str(), ciText(x.ratio).c_str(),
                          x.row == r.layer + 1 ? "  <- localized layer" : "");
            s << line;
        }
        s << "\n";
    }
    if (r.ablation.computed) {
        const auto& a = r.ablation;
        s << "ablation (layer " << r.layer << " restored to the parent): surprisal, bits per token, " << a.sentences
          << " sentences\n";
        std::snprintf(line, sizeof line, "  category tokens: %.4g -> %.4g, change %s\n", a.categoryLocalized,
                      a.categoryAblated, ciText(a.categoryChange).c_str());
        s << line;
        std::snprintf(line, sizeof line, "  other tokens:    %.4g -> %.4g, change %s\n", a.otherLocalized, a.otherAblated,
                      ciText(a.otherChange).c_str());
        s << line;
        s << "  category change - other change: " << ciText(a.difference) << "\n";
    }
    for (const auto& w : r.warnings) s << "warning: " << w << "\n";
    return s.str();
}

} // namespace gs
