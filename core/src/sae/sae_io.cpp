// Sparse autoencoders on disk (no torch): the SAELens folder (cfg.json +
// sae_weights.safetensors) and the training state used to resume a run.

#include "grammascope/sae.h"
#include "grammascope/weights.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gs {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kCfgFile = "cfg.json";
constexpr const char* kWeightsFile = "sae_weights.safetensors";
constexpr const char* kStateMarker = "grammascope_sae_state";

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

TensorToWrite floatTensor(const std::string& name, std::vector<std::int64_t> shape, const std::vector<float>& v) {
    TensorToWrite t;
    t.name = name;
    t.dtype = DType::F32;
    t.shape = std::move(shape);
    t.data = encodeFloat32As(DType::F32, v);
    return t;
}

TensorToWrite int64Tensor(const std::string& name, const std::vector<std::int64_t>& v) {
    TensorToWrite t;
    t.name = name;
    t.dtype = DType::I64;
    t.shape = {static_cast<std::int64_t>(v.size())};
    t.data.resize(v.size() * sizeof(std::int64_t));
    if (!v.empty()) std::memcpy(t.data.data(), v.data(), t.data.size());  // little-endian hosts only
    return t;
}

// Reads a float tensor of the expected shape; the message names the file.
Status readTensor(const WeightStore& store, const std::string& file, const std::string& name,
                  const std::vector<std::int64_t>& shape, std::vector<float>& out) {
    const WeightInfo* info = store.find(name);
    if (!info) return Status::failed(file + ": tensor '" + name + "' is missing");
    if (info->shape != shape)
        return Status::failed(file + ": tensor '" + name + "' has shape " + shapeText(info->shape) + ", expected " +
                              shapeText(shape));
    if (auto st = store.readFloat32(name, out); !st.isOk()) return st.withStage(file);
    return Status::ok();
}

json saeMetaJson(const SparseAutoencoder& sae) {
    return {{"kind", saeKindName(sae.kind)},
            {"k", sae.k},
            {"d_in", sae.dIn},
            {"d_sae", sae.dSae},
            {"layer", sae.layer},
            {"model_name", sae.modelName},
            {"model_fingerprint", sae.modelFingerprint},
            {"hook_name", sae.hookName},
            {"trained_steps", sae.trainedSteps},
            {"l1_coefficient", sae.l1Coefficient}};
}

void saeMetaFromJson(const json& j, SparseAutoencoder& sae) {
    sae.layer = j.value("layer", -1);
    sae.modelName = j.value("model_name", std::string());
    sae.modelFingerprint = j.value("model_fingerprint", std::string());
    sae.hookName = j.value("hook_name", std::string());
    sae.trainedSteps = j.value("trained_steps", std::int64_t{0});
    sae.l1Coefficient = j.value("l1_coefficient", 0.0);
}

} // namespace

const char* saeKindName(SaeKind k) { return k == SaeKind::TopK ? "topk" : "relu_l1"; }

bool parseSaeKind(const std::string& name, SaeKind& out) {
    if (name == "topk") out = SaeKind::TopK;
    else if (name == "relu_l1") out = SaeKind::ReluL1;
    else return false;
    return true;
}

Status checkSae(const SparseAutoencoder& s) {
    if (s.dIn < 1 || s.dSae < 1)
        return Status::failed("the autoencoder has no shape (d_in " + std::to_string(s.dIn) + ", d_sae " +
                              std::to_string(s.dSae) + ")");
    if (s.kind == SaeKind::TopK && (s.k < 1 || s.k > s.dSae))
        return Status::failed("k = " + std::to_string(s.k) + " is outside 1 .. d_sae = " + std::to_string(s.dSae));
    const auto n = static_cast<std::size_t>(s.dIn * s.dSae);
    auto sized = [](const std::vector<float>& v, std::size_t want, const char* name) -> Status {
        if (v.size() != want)
            return Status::failed(std::string(name) + " holds " + std::to_string(v.size()) + " values, expected " +
                                  std::to_string(want));
        for (float f : v)
            if (!std::isfinite(f)) return Status::failed(std::string(name) + " holds a non-finite value");
        return Status::ok();
    };
    if (auto st = sized(s.W_enc, n, "W_enc"); !st.isOk()) return st;
    if (auto st = sized(s.b_enc, static_cast<std::size_t>(s.dSae), "b_enc"); !st.isOk()) return st;
    if (auto st = sized(s.W_dec, n, "W_dec"); !st.isOk()) return st;
    return sized(s.b_dec, static_cast<std::size_t>(s.dIn), "b_dec");
}

Status exportSaeLens(const SparseAutoencoder& sae, const fs::path& dir) {
    if (auto st = checkSae(sae); !st.isOk()) return st.withStage("exporting SAE");
    try {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) return Status::failed("exporting SAE: cannot create " + dir.string() + ": " + ec.message());
        const bool topk = sae.kind == SaeKind::TopK;
        json cfg = {{"d_in", sae.dIn},
                    {"d_sae", sae.dSae},
                    {"architecture", topk ? "topk" : "standard"},
                    {"activation_fn_str", topk ? "topk" : "relu"},
                    {"activation_fn_kwargs", topk ? json{{"k", sae.k}} : json::object()},
                    {"hook_name", sae.hookName},
                    {"hook_layer", sae.layer},
                    {"model_name", sae.modelName},
                    {"dtype", "float32"},
                    {"device", "cpu"},
                    {"apply_b_dec_to_input", true},
                    {"normalize_activations", "none"},
                    {"grammascope", saeMetaJson(sae)}};
        cfg["grammascope"]["format_version"] = 1;
        std::vector<TensorToWrite> tensors;
        tensors.push_back(floatTensor("W_enc", {sae.dIn, sae.dSae}, sae.W_enc));
        tensors.push_back(floatTensor("b_enc", {sae.dSae}, sae.b_enc));
        tensors.push_back(floatTensor("W_dec", {sae.dSae, sae.dIn}, sae.W_dec));
        tensors.push_back(floatTensor("b_dec", {sae.dIn}, sae.b_dec));
        if (auto st = writeSafetensors(dir / kWeightsFile, tensors, {{"format", "pt"}}); !st.isOk())
            return st.withStage("exporting SAE");
        const fs::path cfgPath = dir / kCfgFile;
        const fs::path tmp = dir / (std::string(kCfgFile) + ".tmp");
        {
            std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
            o << cfg.dump(2) << '\n';
            if (!o.flush()) return Status::failed("exporting SAE: cannot write " + tmp.string());
        }
        fs::rename(tmp, cfgPath, ec);
        if (ec) return Status::failed("exporting SAE: cannot write " + cfgPath.string() + ": " + ec.message());
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("exporting SAE: ") + e.what());
    }
}

Status importSaeLens(const fs::path& dir, SparseAutoencoder& out) {
    const fs::path cfgPath = dir / kCfgFile;
    const fs::path weightsPath = dir / kWeightsFile;
    const std::string cfgName = cfgPath.string(), weightsName = weightsPath.string();
    try {
        std::ifstream in(cfgPath, std::ios::binary);
        if (!in) return Status::failed("importing SAE: " + cfgName + ": file missing or unreadable");
        std::stringstream ss;
        ss << in.rdbuf();
        json cfg = json::parse(ss.str(), nullptr, false);
        if (cfg.is_discarded() || !cfg.is_object())
            return Status::failed("importing SAE: " + cfgName + ": not a JSON object");
        auto intKey = [&](const char* key, std::int64_t& v) -> Status {
            auto it = cfg.find(key);
            if (it == cfg.end() || !it->is_number_integer() || it->get<std::int64_t>() < 1)
                return Status::failed("importing SAE: " + cfgName + ": '" + key + "' missing or not a positive integer");
            v = it->get<std::int64_t>();
            return Status::ok();
        };
        SparseAutoencoder sae;
        if (auto st = intKey("d_in", sae.dIn); !st.isOk()) return st;
        if (auto st = intKey("d_sae", sae.dSae); !st.isOk()) return st;
        const std::string arch = cfg.value("architecture", std::string("standard"));
        if (arch == "topk") {
            sae.kind = SaeKind::TopK;
            std::int64_t k = 0;
            if (auto kw = cfg.find("activation_fn_kwargs"); kw != cfg.end() && kw->is_object() && kw->contains("k"))
                k = (*kw)["k"].is_number_integer() ? (*kw)["k"].get<std::int64_t>() : 0;
            else if (cfg.contains("k") && cfg["k"].is_number_integer())
                k = cfg["k"].get<std::int64_t>();
            if (k < 1 || k > sae.dSae)
                return Status::failed("importing SAE: " + cfgName + ": architecture \"topk\" needs activation_fn_kwargs.k in 1 .. d_sae");
            sae.k = static_cast<int>(k);
        } else if (arch == "standard") {
            sae.kind = SaeKind::ReluL1;
            const std::string fn = cfg.value("activation_fn_str", std::string("relu"));
            if (fn != "relu")
                return Status::failed("importing SAE: " + cfgName + ": activation_fn_str \"" + fn +
                                      "\" is not supported (only \"relu\" for architecture \"standard\")");
        } else if (arch == "jumprelu") {
            return Status::failed("importing SAE: " + cfgName +
                                  ": architecture \"jumprelu\" (JumpReLU SAE) is not supported; supported: \"topk\", \"standard\"");
        } else {
            return Status::failed("importing SAE: " + cfgName + ": unknown architecture \"" + arch +
                                  "\"; supported: \"topk\", \"standard\"");
        }
        if (cfg.contains("apply_b_dec_to_input") && !cfg.value("apply_b_dec_to_input", true))
            return Status::failed("importing SAE: " + cfgName + ": apply_b_dec_to_input false is not supported");
        if (auto it = cfg.find("normalize_activations"); it != cfg.end() && !it->is_null()) {
            const std::string norm = it->is_string() ? it->get<std::string>() : std::string("?");
            if (norm != "none")
                return Status::failed("importing SAE: " + cfgName + ": normalize_activations \"" + norm +
                                      "\" is not supported (only \"none\")");
        }
        if (cfg.contains("hook_name") && cfg["hook_name"].is_string()) sae.hookName = cfg["hook_name"].get<std::string>();
        if (cfg.contains("model_name") && cfg["model_name"].is_string()) sae.modelName = cfg["model_name"].get<std::string>();
        if (cfg.contains("hook_layer") && cfg["hook_layer"].is_number_integer()) sae.layer = cfg["hook_layer"].get<int>();
        if (auto g = cfg.find("grammascope"); g != cfg.end() && g->is_object()) {
            const std::string keepHook = sae.hookName, keepModel = sae.modelName;
            const int keepLayer = sae.layer;
            saeMetaFromJson(*g, sae);
            if (sae.hookName.empty()) sae.hookName = keepHook;
            if (sae.modelName.empty()) sae.modelName = keepModel;
            if (sae.layer < 0) sae.layer = keepLayer;
        }

        std::error_code ec;
        if (!fs::is_regular_file(weightsPath, ec))
            return Status::failed("importing SAE: " + weightsName + ": file missing");
        WeightStore store;
        if (auto st = WeightStore::openFile(weightsPath, store); !st.isOk())
            return st.withStage("importing SAE: " + weightsName);
        if (auto st = readTensor(store, weightsName, "W_enc", {sae.dIn, sae.dSae}, sae.W_enc); !st.isOk())
            return st.withStage("importing SAE");
        if (auto st = readTensor(store, weightsName, "b_enc", {sae.dSae}, sae.b_enc); !st.isOk())
            return st.withStage("importing SAE");
        if (auto st = readTensor(store, weightsName, "W_dec", {sae.dSae, sae.dIn}, sae.W_dec); !st.isOk())
            return st.withStage("importing SAE");
        if (auto st = readTensor(store, weightsName, "b_dec", {sae.dIn}, sae.b_dec); !st.isOk())
            return st.withStage("importing SAE");
        if (auto st = checkSae(sae); !st.isOk()) return st.withStage("importing SAE: " + weightsName);
        out = std::move(sae);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed("importing SAE from " + dir.string() + ": " + e.what());
    }
}

Status saveSaeTrainState(const fs::path& file, const SaeTrainState& s) {
    if (auto st = checkSae(s.sae); !st.isOk()) return st.withStage("saving SAE training state");
    const auto n = static_cast<std::size_t>(s.sae.dIn * s.sae.dSae);
    const auto dSae = static_cast<std::size_t>(s.sae.dSae), dIn = static_cast<std::size_t>(s.sae.dIn);
    if (s.mW_enc.size() != n || s.vW_enc.size() != n || s.mW_dec.size() != n || s.vW_dec.size() != n ||
        s.mB_enc.size() != dSae || s.vB_enc.size() != dSae || s.mB_dec.size() != dIn || s.vB_dec.size() != dIn ||
        s.rowsSinceFired.size() != dSae)
        return Status::failed("saving SAE training state: the Adam moments or counters do not match the autoencoder's shape");
    try {
        const std::int64_t i = s.sae.dIn, o = s.sae.dSae;
        std::vector<TensorToWrite> t;
        t.push_back(floatTensor("W_enc", {i, o}, s.sae.W_enc));
        t.push_back(floatTensor("b_enc", {o}, s.sae.b_enc));
        t.push_back(floatTensor("W_dec", {o, i}, s.sae.W_dec));
        t.push_back(floatTensor("b_dec", {i}, s.sae.b_dec));
        t.push_back(floatTensor("adam_m.W_enc", {i, o}, s.mW_enc));
        t.push_back(floatTensor("adam_v.W_enc", {i, o}, s.vW_enc));
        t.push_back(floatTensor("adam_m.b_enc", {o}, s.mB_enc));
        t.push_back(floatTensor("adam_v.b_enc", {o}, s.vB_enc));
        t.push_back(floatTensor("adam_m.W_dec", {o, i}, s.mW_dec));
        t.push_back(floatTensor("adam_v.W_dec", {o, i}, s.vW_dec));
        t.push_back(floatTensor("adam_m.b_dec", {i}, s.mB_dec));
        t.push_back(floatTensor("adam_v.b_dec", {i}, s.vB_dec));
        t.push_back(int64Tensor("rows_since_fired", s.rowsSinceFired));
        std::map<std::string, std::string> meta = {{kStateMarker, "1"},
                                                   {"step", std::to_string(s.step)},
                                                   {"total_steps", std::to_string(s.totalSteps)},
                                                   {"signature", s.signature},
                                                   {"sae", saeMetaJson(s.sae).dump()}};
        if (auto st = writeSafetensors(file, t, meta); !st.isOk()) return st.withStage("saving SAE training state");
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("saving SAE training state: ") + e.what());
    }
}

Status loadSaeTrainState(const fs::path& file, SaeTrainState& out) {
    const std::string name = file.string();
    try {
        WeightStore store;
        if (auto st = WeightStore::openFile(file, store); !st.isOk()) return st.withStage("loading SAE training state");
        const auto& meta = store.metadata();
        auto get = [&](const char* key) -> const std::string* {
            auto it = meta.find(key);
            return it == meta.end() ? nullptr : &it->second;
        };
        if (!get(kStateMarker) || !get("step") || !get("total_steps") || !get("signature") || !get("sae"))
            return Status::failed("loading SAE training state: " + name + ": not a Grammascope SAE training state");
        SaeTrainState s;
        s.step = std::stoll(*get("step"));
        s.totalSteps = std::stoll(*get("total_steps"));
        s.signature = *get("signature");
        const json m = json::parse(*get("sae"), nullptr, false);
        if (m.is_discarded() || !m.is_object())
            return Status::failed("loading SAE training state: " + name + ": unreadable metadata");
        if (!parseSaeKind(m.value("kind", std::string()), s.sae.kind))
            return Status::failed("loading SAE training state: " + name + ": unknown kind");
        s.sae.k = m.value("k", 0);
        s.sae.dIn = m.value("d_in", std::int64_t{0});
        s.sae.dSae = m.value("d_sae", std::int64_t{0});
        saeMetaFromJson(m, s.sae);
        const std::int64_t i = s.sae.dIn, o = s.sae.dSae;
        struct Item { const char* name; std::vector<std::int64_t> shape; std::vector<float>* dst; };
        const Item items[] = {{"W_enc", {i, o}, &s.sae.W_enc},     {"b_enc", {o}, &s.sae.b_enc},
                              {"W_dec", {o, i}, &s.sae.W_dec},     {"b_dec", {i}, &s.sae.b_dec},
                              {"adam_m.W_enc", {i, o}, &s.mW_enc}, {"adam_v.W_enc", {i, o}, &s.vW_enc},
                              {"adam_m.b_enc", {o}, &s.mB_enc},    {"adam_v.b_enc", {o}, &s.vB_enc},
                              {"adam_m.W_dec", {o, i}, &s.mW_dec}, {"adam_v.W_dec", {o, i}, &s.vW_dec},
                              {"adam_m.b_dec", {i}, &s.mB_dec},    {"adam_v.b_dec", {i}, &s.vB_dec}};
        for (const auto& it : items)
            if (auto st = readTensor(store, name, it.name, it.shape, *it.dst); !st.isOk())
                return st.withStage("loading SAE training state");
        const WeightInfo* fired = store.find("rows_since_fired");
        if (!fired || fired->dtype != DType::I64 || fired->shape != std::vector<std::int64_t>{o})
            return Status::failed("loading SAE training state: " + name + ": tensor 'rows_since_fired' missing or malformed");
        std::span<const std::byte> raw;
        if (auto st = store.rawData("rows_since_fired", raw); !st.isOk()) return st.withStage("loading SAE training state");
        s.rowsSinceFired.resize(static_cast<std::size_t>(o));
        std::memcpy(s.rowsSinceFired.data(), raw.data(), raw.size());
        if (auto st = checkSae(s.sae); !st.isOk()) return st.withStage("loading SAE training state: " + name);
        out = std::move(s);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed("loading SAE training state: " + name + ": " + e.what());
    }
}

} // namespace gs
