// Probe sets on disk and in the results store: the JSON of a set (metadata,
// classes, per-layer reports, learning curve), its weights as safetensors,
// the store artefacts (kind "probe") and the export / import folder
// (probes.safetensors + probes.json).

#include "grammascope/probe_data.h"

#include "model/safetensors.h"
#include "probing/probe_set_io.h"
#include "util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

namespace gs {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kArtefactKind = "probe";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// NaN and infinities become null (nlohmann writes them so anyway); null reads back as NaN.
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double readNumber(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null() || !it->is_number()) return kNaN;
    return it->get<double>();
}

json specJson(const ProbeTaskSpec& s) {
    return {{"task", s.task},
            {"unit", probeUnitName(s.unit)},
            {"word_pooling", wordPoolingName(s.wordPooling)},
            {"sentence_pooling", sentencePoolingName(s.sentencePooling)},
            {"min_class_count", s.minClassCount},
            {"max_examples", s.maxExamples},
            {"seed", s.seed}};
}

ProbeTaskSpec specFromJson(const json& j) {
    ProbeTaskSpec s;
    s.task = j.value("task", s.task);
    const std::string unit = j.value("unit", std::string("token"));
    s.unit = unit == "word" ? ProbeUnit::Word : unit == "sentence" ? ProbeUnit::Sentence : ProbeUnit::Token;
    s.wordPooling = j.value("word_pooling", std::string("mean")) == "first" ? WordPooling::First : WordPooling::Mean;
    s.sentencePooling =
        j.value("sentence_pooling", std::string("mean")) == "first" ? SentencePooling::First : SentencePooling::Mean;
    s.minClassCount = j.value("min_class_count", s.minClassCount);
    s.maxExamples = j.value("max_examples", s.maxExamples);
    s.seed = j.value("seed", s.seed);
    return s;
}

json optionsJson(const LayerProbeOptions& o) {
    const ProbeOptions& p = o.probe;
    return {{"probe",
             {{"kind", probeKindName(p.kind)},
              {"hidden_units", p.hiddenUnits},
              {"dropout", p.dropout},
              {"l2", p.l2},
              {"learning_rate", p.learningRate},
              {"max_epochs", p.maxEpochs},
              {"patience", p.patience},
              {"batch_size", p.batchSize},
              {"seed", p.seed},
              {"standardize", p.standardize}}},
            {"control", o.control},
            {"mdl", o.mdl},
            {"mdl_block_ends", o.mdlOptions.blockEnds},
            {"mdl_dev_fraction", o.mdlOptions.devFraction},
            {"sliced_mi", o.slicedMi},
            {"smi_slices", o.slicedMiOptions.slices},
            {"smi_k", o.slicedMiOptions.k},
            {"smi_max_rows", o.slicedMiOptions.maxRows},
            {"smi_seed", o.slicedMiOptions.seed}};
}

LayerProbeOptions optionsFromJson(const json& j) {
    LayerProbeOptions o;
    if (auto it = j.find("probe"); it != j.end() && it->is_object()) {
        const json& p = *it;
        o.probe.kind = p.value("kind", std::string("linear")) == "mlp" ? ProbeKind::Mlp : ProbeKind::Linear;
        o.probe.hiddenUnits = p.value("hidden_units", o.probe.hiddenUnits);
        o.probe.dropout = p.value("dropout", o.probe.dropout);
        o.probe.l2 = p.value("l2", o.probe.l2);
        o.probe.learningRate = p.value("learning_rate", o.probe.learningRate);
        o.probe.maxEpochs = p.value("max_epochs", o.probe.maxEpochs);
        o.probe.patience = p.value("patience", o.probe.patience);
        o.probe.batchSize = p.value("batch_size", o.probe.batchSize);
        o.probe.seed = p.value("seed", o.probe.seed);
        o.probe.standardize = p.value("standardize", o.probe.standardize);
    }
    o.control = j.value("control", o.control);
    o.mdl = j.value("mdl", o.mdl);
    o.mdlOptions.blockEnds = j.value("mdl_block_ends", o.mdlOptions.blockEnds);
    o.mdlOptions.devFraction = j.value("mdl_dev_fraction", o.mdlOptions.devFraction);
    o.slicedMi = j.value("sliced_mi", o.slicedMi);
    o.slicedMiOptions.slices = j.value("smi_slices", o.slicedMiOptions.slices);
    o.slicedMiOptions.k = j.value("smi_k", o.slicedMiOptions.k);
    o.slicedMiOptions.maxRows = j.value("smi_max_rows", o.slicedMiOptions.maxRows);
    o.slicedMiOptions.seed = j.value("smi_seed", o.slicedMiOptions.seed);
    return o;
}

json reportJson(const LayerProbeReport& r) {
    return {{"layer", r.layer},
            {"train_rows", r.trainRows},
            {"dev_rows", r.devRows},
            {"test_rows", r.testRows},
            {"accuracy", number(r.accuracy)},
            {"macro_f1", number(r.macroF1)},
            {"majority", number(r.majority)},
            {"control_accuracy", number(r.controlAccuracy)},
            {"random_accuracy", number(r.randomAccuracy)},
            {"selectivity", number(r.selectivity)},
            {"label_entropy_bits", number(r.labelEntropyBits)},
            {"probe_cross_entropy_bits", number(r.probeCrossEntropyBits)},
            {"information_bits", number(r.informationBits)},
            {"mdl_bits", number(r.mdlBits)},
            {"mdl_compression", number(r.mdlCompression)},
            {"sliced_mi_bits", number(r.slicedMiBits)},
            {"epochs", r.epochs}};
}

LayerProbeReport reportFromJson(const json& j) {
    LayerProbeReport r;
    r.layer = j.value("layer", 0);
    r.trainRows = j.value("train_rows", std::int64_t{0});
    r.devRows = j.value("dev_rows", std::int64_t{0});
    r.testRows = j.value("test_rows", std::int64_t{0});
    r.accuracy = readNumber(j, "accuracy");
    r.macroF1 = readNumber(j, "macro_f1");
    r.majority = readNumber(j, "majority");
    r.controlAccuracy = readNumber(j, "control_accuracy");
    r.randomAccuracy = readNumber(j, "random_accuracy");  // NaN in sets stored before it existed
    r.selectivity = readNumber(j, "selectivity");
    r.labelEntropyBits = readNumber(j, "label_entropy_bits");
    r.probeCrossEntropyBits = readNumber(j, "probe_cross_entropy_bits");
    r.informationBits = readNumber(j, "information_bits");
    r.mdlBits = readNumber(j, "mdl_bits");
    r.mdlCompression = readNumber(j, "mdl_compression");
    r.slicedMiBits = readNumber(j, "sliced_mi_bits");
    r.epochs = j.value("epochs", 0);
    return r;
}

json probeMetaJson(int layer, const TrainedProbe& p) {
    return {{"layer", layer},
            {"kind", probeKindName(p.kind)},
            {"input_dim", p.inputDim},
            {"num_classes", p.numClasses},
            {"hidden_units", p.hiddenUnits},
            {"standardized", !p.mean.empty()},
            {"epochs", p.epochs},
            {"best_epoch", p.bestEpoch},
            {"dev_cross_entropy_bits", number(p.devCrossEntropyBits)}};
}

std::string tensorName(int layer, const char* what) { return "layer." + std::to_string(layer) + "." + what; }

// The tensors of one probe with their expected shapes.
struct ProbeTensor {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> TrainedProbe::*member;
};

std::vector<ProbeTensor> probeTensors(int layer, const TrainedProbe& p) {
    const std::int64_t D = p.inputDim, C = p.numClasses, Hd = p.hiddenUnits;
    std::vector<ProbeTensor> t;
    if (p.kind == ProbeKind::Mlp) {
        t.push_back({tensorName(layer, "w1"), {Hd, D}, &TrainedProbe::w1});
        t.push_back({tensorName(layer, "b1"), {Hd}, &TrainedProbe::b1});
        t.push_back({tensorName(layer, "w2"), {C, Hd}, &TrainedProbe::w2});
        t.push_back({tensorName(layer, "b2"), {C}, &TrainedProbe::b2});
    } else {
        t.push_back({tensorName(layer, "w1"), {C, D}, &TrainedProbe::w1});
        t.push_back({tensorName(layer, "b1"), {C}, &TrainedProbe::b1});
    }
    if (!p.mean.empty()) {
        t.push_back({tensorName(layer, "mean"), {D}, &TrainedProbe::mean});
        t.push_back({tensorName(layer, "inv_std"), {D}, &TrainedProbe::invStd});
    }
    return t;
}

Status readFile(const fs::path& file, std::string& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed("cannot open " + file.string());
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return Status::failed("cannot read " + file.string());
    return Status::ok();
}

} // namespace

// ---------------------------------------------------------------- JSON

std::string probeSetJson(const ProbeSet& set) {
    json probes = json::array(), reports = json::array(), curve = json::array();
    for (std::size_t i = 0; i < set.probes.size() && i < set.layers.size(); ++i)
        probes.push_back(probeMetaJson(set.layers[i], set.probes[i]));
    for (const auto& r : set.reports) reports.push_back(reportJson(r));
    for (const auto& p : set.learningCurve)
        curve.push_back({{"train_rows", p.trainRows},
                         {"information_bits", number(p.informationBits)},
                         {"min_bits", number(p.minBits)},
                         {"max_bits", number(p.maxBits)}});
    json j = {{"format", detail::kProbeSetFormat},
              {"version", detail::kProbeSetVersion},
              {"name", set.name},
              {"model", set.modelFingerprint},
              {"dataset_hash", set.datasetHash},
              {"dataset_name", set.datasetName},
              {"task", specJson(set.spec)},
              {"options", optionsJson(set.options)},
              {"classes", set.classes},
              {"class_counts", set.classCounts},
              {"layers", set.layers},
              {"probes", probes},
              {"reports", reports},
              {"learning_curve", {{"layer", set.curveLayer}, {"points", curve}}},
              {"examples", set.examples},
              {"sentences", set.sentences},
              {"created_ms", set.createdMs},
              {"seconds", set.seconds},
              {"warnings", set.warnings},
              {"training",
               {{"dev_fraction", set.devFraction},
                {"test_fraction", set.testFraction},
                {"split_seed", set.splitSeed},
                {"max_length", set.maxLength}}}};
    return j.dump();
}

namespace detail {

std::string layerProbeOptionsJson(const LayerProbeOptions& options) { return optionsJson(options).dump(); }

Status probeSetFromJson(const std::string& text, const std::string& source, ProbeSet& out) {
    auto fail = [&](const std::string& what) { return Status::failed(source + ": " + what); };
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("not valid JSON");
    if (j.value("format", std::string()) != kProbeSetFormat) return fail("not a Grammascope probe set");
    if (j.value("version", 0) > kProbeSetVersion)
        return fail("written by a newer Grammascope (probe-set version " + std::to_string(j.value("version", 0)) + ")");
    try {
        ProbeSet s;
        s.name = j.value("name", std::string());
        s.modelFingerprint = j.value("model", std::string());
        s.datasetHash = j.value("dataset_hash", std::string());
        s.datasetName = j.value("dataset_name", std::string());
        if (j.contains("task")) s.spec = specFromJson(j.at("task"));
        if (j.contains("options")) s.options = optionsFromJson(j.at("options"));
        s.classes = j.value("classes", std::vector<std::string>{});
        s.classCounts = j.value("class_counts", std::vector<std::int64_t>{});
        s.layers = j.value("layers", std::vector<int>{});
        for (const auto& r : j.value("reports", json::array())) s.reports.push_back(reportFromJson(r));
        const json probes = j.value("probes", json::array());
        if (probes.size() != s.layers.size())
            return fail(std::to_string(probes.size()) + " probes for " + std::to_string(s.layers.size()) + " layers");
        for (std::size_t i = 0; i < probes.size(); ++i) {
            const json& p = probes[i];
            if (p.value("layer", -1) != s.layers[i]) return fail("probe " + std::to_string(i) + " is not for layer " +
                                                                 std::to_string(s.layers[i]));
            TrainedProbe t;
            t.kind = p.value("kind", std::string("linear")) == "mlp" ? ProbeKind::Mlp : ProbeKind::Linear;
            t.inputDim = p.value("input_dim", std::int64_t{0});
            t.numClasses = p.value("num_classes", std::int64_t{0});
            t.hiddenUnits = p.value("hidden_units", std::int64_t{0});
            t.epochs = p.value("epochs", 0);
            t.bestEpoch = p.value("best_epoch", 0);
            t.devCrossEntropyBits = readNumber(p, "dev_cross_entropy_bits");
            if (t.inputDim < 1 || t.numClasses < 2 || (t.kind == ProbeKind::Mlp && t.hiddenUnits < 1))
                return fail("probe of layer " + std::to_string(s.layers[i]) + " has invalid sizes");
            if (t.numClasses != static_cast<std::int64_t>(s.classes.size()))
                return fail("probe of layer " + std::to_string(s.layers[i]) + " has " + std::to_string(t.numClasses) +
                            " classes, the set " + std::to_string(s.classes.size()));
            if (p.value("standardized", false)) {
                t.mean.assign(static_cast<std::size_t>(t.inputDim), 0.0f);  // sizes the tensors to read
                t.invStd.assign(static_cast<std::size_t>(t.inputDim), 0.0f);
            }
            s.probes.push_back(std::move(t));
        }
        const json curve = j.value("learning_curve", json::object());
        s.curveLayer = curve.value("layer", -1);
        for (const auto& p : curve.value("points", json::array()))
            s.learningCurve.push_back({p.value("train_rows", std::int64_t{0}), readNumber(p, "information_bits"),
                                       readNumber(p, "min_bits"), readNumber(p, "max_bits")});
        s.examples = j.value("examples", std::int64_t{0});
        s.sentences = j.value("sentences", std::int64_t{0});
        s.createdMs = j.value("created_ms", std::int64_t{0});
        s.seconds = readNumber(j, "seconds");
        s.warnings = j.value("warnings", std::vector<std::string>{});
        const json training = j.value("training", json::object());
        s.devFraction = training.value("dev_fraction", s.devFraction);
        s.testFraction = training.value("test_fraction", s.testFraction);
        s.splitSeed = training.value("split_seed", s.splitSeed);
        s.maxLength = training.value("max_length", s.maxLength);
        out = std::move(s);
        return Status::ok();
    } catch (const json::exception& e) {
        return fail(std::string("malformed probe set: ") + e.what());
    }
}

namespace {
// Every layer's tensors, pointing into `set` (writing reads them, reading fills them).
std::vector<F32TensorRef> probeSetTensors(ProbeSet& set) {
    std::vector<F32TensorRef> refs;
    for (std::size_t i = 0; i < set.probes.size() && i < set.layers.size(); ++i) {
        TrainedProbe& p = set.probes[i];
        for (const auto& t : probeTensors(set.layers[i], p)) refs.push_back({t.name, t.shape, &(p.*t.member)});
    }
    return refs;
}
} // namespace

std::vector<std::uint8_t> probeWeightsSafetensors(const ProbeSet& set) {
    return safetensorsImageF32(probeSetTensors(const_cast<ProbeSet&>(set)),
                               {{"format", "grammascope-probes"}, {"name", set.name}});
}

Status readProbeWeights(std::span<const std::byte> bytes, const std::string& source, ProbeSet& out) {
    return readSafetensorsImageF32(bytes, source, probeSetTensors(out));
}

} // namespace detail

// ---------------------------------------------------------------- store

Status listProbeSets(ResultStore& store, const std::string& modelFingerprint, std::vector<ProbeSet>& out) {
    out.clear();
    std::vector<ArtefactRecord> records;
    if (Status st = store.listArtefacts(kArtefactKind, records); !st.isOk()) return st.withStage("listing probe sets");
    for (const auto& r : records) {
        if (!modelFingerprint.empty() && r.modelFingerprint != modelFingerprint) continue;
        ProbeSet s;
        // A set this build cannot read (newer, damaged) is left out, not an error for the others.
        if (!detail::probeSetFromJson(r.metadataJson, "probe set '" + r.name + "'", s).isOk()) continue;
        s.name = r.name;
        s.probes.clear();
        out.push_back(std::move(s));
    }
    return Status::ok();
}

Status loadProbeSet(ResultStore& store, const std::string& name, ProbeSet& out, bool& found) {
    found = false;
    ArtefactRecord r;
    if (Status st = store.getArtefact(kArtefactKind, name, r, found); !st.isOk())
        return st.withStage("loading probe set '" + name + "'");
    if (!found) return Status::ok();
    const std::string source = "probe set '" + name + "' in " + store.path().string();
    ProbeSet s;
    if (Status st = detail::probeSetFromJson(r.metadataJson, source, s); !st.isOk()) return st;
    const auto* bytes = reinterpret_cast<const std::byte*>(r.data.data());
    if (Status st = detail::readProbeWeights({bytes, r.data.size()}, source, s); !st.isOk()) return st;
    s.name = r.name;
    out = std::move(s);
    return Status::ok();
}

Status deleteProbeSet(ResultStore& store, const std::string& name) {
    ArtefactRecord r;
    bool found = false;
    if (Status st = store.getArtefact(kArtefactKind, name, r, found); !st.isOk())
        return st.withStage("deleting probe set '" + name + "'");
    if (!found) return Status::failed("there is no stored probe set '" + name + "' in " + store.path().string());
    if (Status st = store.deleteArtefact(r.id); !st.isOk()) return st.withStage("deleting probe set '" + name + "'");
    return Status::ok();
}

// ---------------------------------------------------------------- export / import

Status exportProbeSet(const ProbeSet& set, const fs::path& dir) {
    if (set.probes.size() != set.layers.size() || set.probes.empty())
        return Status::failed("exporting probe set '" + set.name + "': it holds no probes (load it with its weights)");
    for (const auto& p : set.probes)
        if (p.w1.empty()) return Status::failed("exporting probe set '" + set.name + "': the weights are not loaded");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::failed("exporting probe set: cannot create " + dir.string() + ": " + ec.message());
    const auto weights = detail::probeWeightsSafetensors(set);
    if (Status st = detail::writeFileAtomically(dir / "probes.safetensors",
                                                {reinterpret_cast<const std::byte*>(weights.data()), weights.size()});
        !st.isOk())
        return st.withStage("exporting probe set");
    const std::string text = json::parse(probeSetJson(set)).dump(2) + "\n";
    if (Status st = detail::writeFileAtomically(dir / "probes.json",
                                                {reinterpret_cast<const std::byte*>(text.data()), text.size()});
        !st.isOk())
        return st.withStage("exporting probe set");
    return Status::ok();
}

Status importProbeSet(const fs::path& dir, ProbeSet& out) {
    const fs::path jsonFile = dir / "probes.json", weightsFile = dir / "probes.safetensors";
    std::string text, weights;
    if (Status st = readFile(jsonFile, text); !st.isOk())
        return st.withStage("importing a probe set from " + dir.string() + " (needs probes.json and probes.safetensors)");
    if (Status st = readFile(weightsFile, weights); !st.isOk())
        return st.withStage("importing a probe set from " + dir.string() + " (needs probes.json and probes.safetensors)");
    ProbeSet s;
    if (Status st = detail::probeSetFromJson(text, jsonFile.string(), s); !st.isOk()) return st;
    if (Status st = detail::readProbeWeights({reinterpret_cast<const std::byte*>(weights.data()), weights.size()},
                                             weightsFile.string(), s);
        !st.isOk())
        return st;
    out = std::move(s);
    return Status::ok();
}

} // namespace gs
