// Which layers two checkpoints of one architecture differ in (localize.h):
// relative norm of the change per tensor, per encoder layer, embeddings and head.

#include "grammascope/localize.h"
#include "grammascope/model_config.h"
#include "localize/localize_internal.h"
#include "model/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>

namespace gs {
namespace fs = std::filesystem;

namespace {

// Tensor names without the family prefix, so that "bert.x" matches "x".
std::string looseName(const std::string& name) {
    for (const char* p : {"bert.", "roberta.", "xlm-roberta.", "distilbert.", "model."}) {
        const std::string s = p;
        if (name.rfind(s, 0) == 0) return name.substr(s.size());
    }
    return name;
}

std::string groupOf(const std::string& name, int& layer) {
    layer = detail::tensorLayerIndex(name);
    if (layer >= 0) return "layer";
    const std::string n = looseName(name);
    if (n.rfind("embeddings.", 0) == 0) return "embeddings";
    if (n.rfind("cls.", 0) == 0 || n.rfind("lm_head.", 0) == 0 || n.rfind("vocab_", 0) == 0) return "head";
    return "other";
}

std::string shapeText(const std::vector<std::int64_t>& s) {
    std::string t = "[";
    for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

void addTo(GroupChange& g, const TensorChange& t) {
    ++g.tensors;
    if (t.identical) ++g.identicalTensors;
    g.normA = std::sqrt(g.normA * g.normA + t.normA * t.normA);
    g.normDiff = std::sqrt(g.normDiff * g.normDiff + t.normDiff * t.normDiff);
}

void finish(GroupChange& g) { g.relative = g.normA > 0 ? g.normDiff / g.normA : g.normDiff; }

std::string fmt(double v, const char* f = "%.3g") {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return "inf";
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

nlohmann::json groupJson(const GroupChange& g) {
    return {{"name", g.name}, {"layer", g.layer}, {"tensors", g.tensors}, {"identical_tensors", g.identicalTensors},
            {"norm", g.normA}, {"norm_change", g.normDiff}, {"relative_change", g.relative}};
}

} // namespace

Status diffCheckpoints(const fs::path& dirA, const fs::path& dirB, CheckpointDiff& out, double dominanceFactor) {
    out = {};
    out.dirA = dirA;
    out.dirB = dirB;
    const std::string stage = "comparing " + dirA.string() + " and " + dirB.string();
    ModelConfig a, b;
    if (auto st = loadModelConfig(dirA, a); !st.isOk()) return st.withStage(stage);
    if (auto st = loadModelConfig(dirB, b); !st.isOk()) return st.withStage(stage);
    const std::pair<const char*, std::pair<std::int64_t, std::int64_t>> fields[] = {
        {"architecture", {static_cast<std::int64_t>(a.architecture), static_cast<std::int64_t>(b.architecture)}},
        {"hidden_size", {a.hiddenSize, b.hiddenSize}},
        {"num_hidden_layers", {a.numLayers, b.numLayers}},
        {"num_attention_heads", {a.numHeads, b.numHeads}},
        {"intermediate_size", {a.intermediateSize, b.intermediateSize}},
        {"vocab_size", {a.vocabSize, b.vocabSize}},
        {"max_position_embeddings", {a.maxPositionEmbeddings, b.maxPositionEmbeddings}}};
    for (const auto& [name, v] : fields)
        if (v.first != v.second)
            return Status::failed(stage + ": different architectures: " + name + " is " + std::to_string(v.first) +
                                  " in A, " + std::to_string(v.second) + " in B");
    WeightStore sa, sb;
    if (auto st = WeightStore::openDirectory(dirA, sa); !st.isOk()) return st.withStage(stage);
    if (auto st = WeightStore::openDirectory(dirB, sb); !st.isOk()) return st.withStage(stage);

    std::map<std::string, const WeightInfo*> byLooseA;
    for (const auto& info : sa.tensors())
        if (isFloatingDType(info.dtype)) byLooseA[looseName(info.name)] = &info;
    std::size_t matched = 0;
    out.layers.resize(static_cast<std::size_t>(a.numLayers));
    for (std::size_t l = 0; l < out.layers.size(); ++l) {
        out.layers[l].name = "layer " + std::to_string(l);
        out.layers[l].layer = static_cast<int>(l);
    }
    out.embeddings.name = "embeddings";
    out.head.name = "head";
    out.other.name = "other";
    try {
        for (const auto& info : sb.tensors()) {
            if (!isFloatingDType(info.dtype)) continue;  // position_ids and other buffers
            auto it = byLooseA.find(looseName(info.name));
            if (it == byLooseA.end())
                return Status::failed(stage + ": tensor '" + info.name + "' of B has no counterpart in A");
            const WeightInfo& ia = *it->second;
            if (ia.shape != info.shape)
                return Status::failed(stage + ": tensor '" + info.name + "' has shape " + shapeText(ia.shape) + " in A, " +
                                      shapeText(info.shape) + " in B");
            ++matched;
            TensorChange t;
            t.name = info.name;
            t.group = groupOf(info.name, t.layer);
            t.numel = info.numel();
            std::vector<float> va, vb;
            if (auto st = sa.readFloat32(ia.name, va); !st.isOk()) return st.withStage(stage);
            if (auto st = sb.readFloat32(info.name, vb); !st.isOk()) return st.withStage(stage);
            double na = 0, nd = 0;
            bool same = true;
            for (std::size_t i = 0; i < va.size(); ++i) {
                const double x = va[i], d = static_cast<double>(vb[i]) - x;
                na += x * x;
                nd += d * d;
                if (same && std::memcmp(&va[i], &vb[i], sizeof(float)) != 0) same = false;
            }
            t.normA = std::sqrt(na);
            t.normDiff = std::sqrt(nd);
            t.relative = t.normA > 0 ? t.normDiff / t.normA : t.normDiff;
            t.identical = same;
            if (t.group == "layer" && t.layer < static_cast<int>(out.layers.size())) addTo(out.layers[static_cast<std::size_t>(t.layer)], t);
            else if (t.group == "embeddings") addTo(out.embeddings, t);
            else if (t.group == "head") addTo(out.head, t);
            else addTo(out.other, t);
            out.tensors.push_back(std::move(t));
        }
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
    if (matched != byLooseA.size()) {
        std::map<std::string, bool> inB;
        for (const auto& info : sb.tensors()) inB[looseName(info.name)] = true;
        for (const auto& [n, info] : byLooseA)
            if (!inB.count(n)) return Status::failed(stage + ": tensor '" + info->name + "' of A has no counterpart in B");
    }
    for (auto& g : out.layers) finish(g);
    finish(out.embeddings);
    finish(out.head);
    finish(out.other);

    // The localized layer: one layer's change dominates every other group.
    std::vector<const GroupChange*> groups;
    for (const auto& g : out.layers) groups.push_back(&g);
    for (const GroupChange* g : {&out.embeddings, &out.head, &out.other})
        if (g->tensors > 0) groups.push_back(g);
    std::sort(groups.begin(), groups.end(), [](auto* x, auto* y) { return x->relative > y->relative; });
    const double top = groups.empty() ? 0 : groups[0]->relative;
    const double second = groups.size() > 1 ? groups[1]->relative : 0;
    out.dominance = top == 0 ? 0 : (second > 0 ? top / second : std::numeric_limits<double>::infinity());
    if (top == 0) {
        out.verdict = "no single layer: the checkpoints are identical";
    } else if (groups[0]->layer < 0) {
        out.verdict = "no single layer: the " + groups[0]->name + " changed most (relative change " + fmt(top) + ")";
    } else if (second > 0 && top <= dominanceFactor * second) {
        out.verdict = "no single layer: " + groups[0]->name + " changed by " + fmt(top) + ", " + groups[1]->name +
                      " by " + fmt(second) + " (less than " + fmt(dominanceFactor, "%g") + "x apart)";
    } else {
        out.localizedLayer = groups[0]->layer;
        out.verdict = "layer " + std::to_string(out.localizedLayer) + " (0-based) is localized: relative change " +
                      fmt(top) + (second > 0 ? ", " + fmt(out.dominance) + "x the next (" + groups[1]->name + ")"
                                             : std::string(", every other tensor is unchanged"));
    }
    LocalizedCheckpointInfo info;
    if (readLocalizedCheckpointInfo(dirB, info).isOk()) out.recordedLayer = info.layer;
    return Status::ok();
}

std::string checkpointDiffJson(const CheckpointDiff& d) {
    nlohmann::json j;
    j["a"] = d.dirA.string();
    j["b"] = d.dirB.string();
    j["localized_layer"] = d.localizedLayer;
    j["dominance"] = std::isinf(d.dominance) ? nlohmann::json("inf") : nlohmann::json(d.dominance);
    j["verdict"] = d.verdict;
    j["recorded_layer"] = d.recordedLayer;
    j["embeddings"] = groupJson(d.embeddings);
    j["head"] = groupJson(d.head);
    j["other"] = groupJson(d.other);
    j["layers"] = nlohmann::json::array();
    for (const auto& g : d.layers) j["layers"].push_back(groupJson(g));
    j["tensors"] = nlohmann::json::array();
    for (const auto& t : d.tensors)
        j["tensors"].push_back({{"name", t.name}, {"group", t.group}, {"layer", t.layer}, {"numel", t.numel},
                                {"norm", t.normA}, {"norm_change", t.normDiff}, {"relative_change", t.relative},
                                {"identical", t.identical}});
    return j.dump(2);
}

std::string checkpointDiffText(const CheckpointDiff& d) {
    std::ostringstream s;
    s << "A: " << d.dirA.string() << "\nB: " << d.dirB.string() << "\n\n";
    char line[160];
    std::snprintf(line, sizeof line, "%-12s %8s %10s %12s %12s\n", "group", "tensors", "unchanged", "||A||", "rel. change");
    s << line;
    auto row = [&](const GroupChange& g) {
        if (g.tensors == 0) return;
        std::snprintf(line, sizeof line, "%-12s %8d %10d %12s %12s%s\n", g.name.c_str(), g.tensors, g.identicalTensors,
                      fmt(g.normA, "%.4g").c_str(), fmt(g.relative, "%.3e").c_str(),
                      g.layer >= 0 && g.layer == d.localizedLayer ? "  <- localized" : "");
        s << line;
    };
    row(d.embeddings);
    for (const auto& g : d.layers) row(g);
    row(d.head);
    row(d.other);
    s << "\n" << d.verdict << "\n";
    if (d.recordedLayer >= 0)
        s << "B's grammascope_localized.json records layer " << d.recordedLayer
          << (d.recordedLayer == d.localizedLayer ? " (agrees)"
              : d.localizedLayer < 0          ? " (the weights show no single changed layer)"
                                              : " (DISAGREES with the weights)")
          << "\n";
    return s.str();
}

} // namespace gs
