// extractHiddenStates: every layer's hidden states for a list of sentences,
// computed once in padded, length-sorted batches and kept in a file next to
// the results store (artefact kind "hidden-states"), so that training
// probes again never runs the model again. A stored table is reused when it
// was made by the same model (fingerprint, precision, device class) with the
// same maximum length and holds every sentence asked for (also when it holds
// more: a table of a whole dataset serves any task on it). A file that is
// missing, damaged or for another model is extracted again.

#include "grammascope/probe_data.h"

#include "engine/batch_compute.h"
#include "probing/hidden_state_file.h"

#include <nlohmann/json.hpp>


#include <algorithm>
#include <chrono>
#include <numeric>
#include <unordered_set>

namespace gs {

namespace fs = std::filesystem;

namespace {

constexpr const char* kArtefactKind = "hidden-states";
constexpr int kMaxBatchSentences = 128;

std::string precisionName(const Model& model) {
    return model.info().precision == Precision::BFloat16 ? "bf16" : "fp32";
}
std::string deviceClass(const Model& model) { return model.info().device.rfind("cuda", 0) == 0 ? "cuda" : "cpu"; }

struct TableIdentity {
    std::string fingerprint, precision, device;
    std::int64_t maxLength = 0;
};

bool sameIdentity(const std::map<std::string, std::string>& m, const TableIdentity& id) {
    auto get = [&](const char* k) {
        auto it = m.find(k);
        return it == m.end() ? std::string() : it->second;
    };
    return get("model") == id.fingerprint && get("precision") == id.precision && get("device") == id.device &&
           get("max_length") == std::to_string(id.maxLength);
}

bool holdsAll(const HiddenStateTable& table, const std::vector<std::string>& sentences) {
    return std::all_of(sentences.begin(), sentences.end(),
                       [&](const std::string& s) { return table.findSentence(s) >= 0; });
}

// A registered table that serves `sentences`: the exact one first, then the
// smallest stored superset. Unreadable files are skipped (extracted again).
bool findStoredTable(ResultStore& store, const std::string& name, const TableIdentity& id,
                     const std::vector<std::string>& sentences, HiddenStateTable& out) {
    ArtefactRecord exact;
    bool found = false;
    if (store.getArtefact(kArtefactKind, name, exact, found).isOk() && found) {
        HiddenStateTable t;
        if (HiddenStateTable::open(exact.filePath, t).isOk() && sameIdentity(t.metadata(), id) && holdsAll(t, sentences)) {
            out = std::move(t);
            return true;
        }
    }
    std::vector<ArtefactRecord> all;
    if (!store.listArtefacts(kArtefactKind, all).isOk()) return false;
    std::int64_t best = -1;
    for (const auto& a : all) {
        if (a.modelFingerprint != id.fingerprint || a.name == name) continue;
        nlohmann::json meta = nlohmann::json::parse(a.metadataJson, nullptr, false);
        if (!meta.is_object() || meta.value("max_length", std::int64_t{-1}) != id.maxLength ||
            meta.value("precision", std::string()) != id.precision || meta.value("device", std::string()) != id.device ||
            meta.value("sentences", std::int64_t{0}) < static_cast<std::int64_t>(sentences.size()))
            continue;
        HiddenStateTable t;
        if (!HiddenStateTable::open(a.filePath, t).isOk() || !sameIdentity(t.metadata(), id) || !holdsAll(t, sentences))
            continue;
        if (best < 0 || t.sentences() < best) {
            best = t.sentences();
            out = std::move(t);
        }
    }
    return best >= 0;
}

// Sentence indices in batches of similar length: sorted by length (longest
// first), cut when the padded size would pass the budget.
std::vector<std::vector<std::size_t>> makeBatches(const std::vector<Encoding>& encodings, std::int64_t batchTokens) {
    std::vector<std::size_t> order(encodings.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return encodings[a].tokens.size() > encodings[b].tokens.size();
    });
    std::vector<std::vector<std::size_t>> batches;
    std::int64_t longest = 0;
    for (std::size_t i : order) {
        const auto n = static_cast<std::int64_t>(encodings[i].tokens.size());
        if (!batches.empty()) {
            auto& b = batches.back();
            const std::int64_t padded = static_cast<std::int64_t>(b.size() + 1) * std::max(longest, n);
            if (padded <= batchTokens && static_cast<int>(b.size()) < kMaxBatchSentences) {
                b.push_back(i);
                longest = std::max(longest, n);
                continue;
            }
        }
        batches.push_back({i});
        longest = n;
    }
    return batches;
}

} // namespace

Status extractHiddenStates(const Model& model, const std::string& fingerprint, ResultStore& store,
                           const std::vector<std::string>& sentencesIn, std::int64_t maxLength,
                           std::int64_t batchTokens, HiddenStateTable& out,
                           const ExtractionProgressCallback& progress, const std::atomic<bool>* cancel) {
    const std::string stage = "extracting hidden states";
    if (sentencesIn.empty()) return Status::failed(stage + ": no sentences");
    if (fingerprint.empty()) return Status::failed(stage + ": the model has no fingerprint (register it first)");
    const std::int64_t modelMax = model.info().config.maxSequenceLength();
    const std::int64_t maxLen = maxLength <= 0 || maxLength > modelMax ? modelMax : maxLength;
    batchTokens = std::max<std::int64_t>(1, batchTokens);

    // Distinct sentences, first occurrence order.
    std::vector<std::string> sentences;
    {
        std::unordered_set<std::string> seen;
        for (const auto& s : sentencesIn)
            if (seen.insert(s).second) sentences.push_back(s);
    }
    const TableIdentity id{fingerprint, precisionName(model), deviceClass(model), maxLen};
    const std::string listDigest = detail::sentenceListDigest(sentences);
    nlohmann::json key = {{"model", id.fingerprint}, {"precision", id.precision}, {"device", id.device},
                          {"max_length", id.maxLength}, {"sentences", listDigest},
                          {"format", detail::kHiddenStateVersion}};
    const std::string name = contentHash(key.dump()).substr(0, 40);

    ExtractionProgress p;
    p.sentencesTotal = static_cast<std::int64_t>(sentences.size());
    if (findStoredTable(store, name, id, sentences, out)) {
        p.sentencesDone = p.sentencesTotal;
        p.fromCache = true;
        if (progress) progress(p);
        return Status::ok();
    }
    if (store.readOnly())
        return Status::failed(stage + ": the results store " + store.path().string() +
                              " is read-only, so the hidden states cannot be saved");

    // Tokenise everything first: the file layout needs every length.
    std::vector<Encoding> encodings(sentences.size());
    detail::HiddenStateLayout layout;
    layout.layers = model.info().config.numLayers + 1;
    layout.hiddenSize = model.info().config.hiddenSize;
    layout.offsets.push_back(0);
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        if (Status st = model.tokenizer().encode(sentences[s], maxLen, encodings[s]); !st.isOk())
            return st.withStage(stage + ": tokenizing sentence " + std::to_string(s + 1));
        if (encodings[s].tokens.empty()) return Status::failed(stage + ": sentence " + std::to_string(s + 1) + " has no tokens");
        layout.offsets.push_back(layout.offsets.back() + static_cast<std::int64_t>(encodings[s].tokens.size()));
        layout.sentences.push_back(detail::sentenceDigest(sentences[s]));
    }
    p.tokensTotal = layout.offsets.back();
    layout.metadata = {{"model", id.fingerprint},
                       {"precision", id.precision},
                       {"device", id.device},
                       {"max_length", std::to_string(id.maxLength)},
                       {"sentences_digest", listDigest},
                       {"sentences", std::to_string(sentences.size())},
                       {"tokens", std::to_string(p.tokensTotal)},
                       {"model_path", model.info().directory.string()}};

    const fs::path file = storeSideFolder(store, "hidden-states") / (name + ".safetensors");
    detail::HiddenStateWriter writer;
    if (Status st = writer.create(file, layout); !st.isOk()) return st.withStage(stage);

    const auto start = std::chrono::steady_clock::now();
    auto cancelled = [&] { return cancel && cancel->load(); };
    ProgressCallback layerProgress = [&](std::int64_t, std::int64_t) { return !cancelled(); };
    for (const auto& batch : makeBatches(encodings, batchTokens)) {
        if (cancelled()) return Status::cancelled();
        std::vector<const Encoding*> rows;
        for (std::size_t i : batch) rows.push_back(&encodings[i]);
        std::vector<std::vector<float>> hidden;
        if (Status st = detail::computeHiddenBatch(model, rows, hidden, layerProgress); !st.isOk())
            return st.isCancelled() ? st : st.withStage(stage);
        for (std::size_t k = 0; k < batch.size(); ++k) {
            if (Status st = writer.writeSentence(static_cast<std::int64_t>(batch[k]), hidden[k]); !st.isOk()) return st;
            p.tokensDone += static_cast<std::int64_t>(encodings[batch[k]].tokens.size());
        }
        p.sentencesDone += static_cast<std::int64_t>(batch.size());
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        p.tokensPerSecond = seconds > 0 ? static_cast<double>(p.tokensDone) / seconds : 0;
        if (progress && !progress(p)) return Status::cancelled();
    }
    if (Status st = writer.commit(); !st.isOk()) return st;

    std::error_code sizeError;
    const auto fileBytes = static_cast<std::int64_t>(fs::file_size(file, sizeError));
    ArtefactRecord record;
    record.kind = kArtefactKind;
    record.name = name;
    record.modelFingerprint = id.fingerprint;
    record.filePath = file.string();
    record.metadataJson = nlohmann::json{{"precision", id.precision},
                                         {"device", id.device},
                                         {"max_length", id.maxLength},
                                         {"sentences", static_cast<std::int64_t>(sentences.size())},
                                         {"tokens", p.tokensTotal},
                                         {"layers", layout.layers},
                                         {"hidden_size", layout.hiddenSize},
                                         {"sentences_digest", listDigest},
                                         {"file_bytes", fileBytes}}
                              .dump();
    std::int64_t artefactId = 0;
    if (Status st = store.putArtefact(record, artefactId); !st.isOk())
        return st.withStage(stage + ": registering " + file.string());
    if (Status st = HiddenStateTable::open(file, out); !st.isOk()) return st.withStage(stage);
    return Status::ok();
}

} // namespace gs
