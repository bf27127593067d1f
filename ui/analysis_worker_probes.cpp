// AnalysisWorker's probe jobs, on the worker thread: training a probe set on
// a dataset (gs::trainProbeSet, with interactive jobs served between its
// steps), listing, deleting and exporting the stored sets, and the probe
// confidence of a few sentences (Model::encode with hidden states, then
// gs::applyProbeSet for every class and both column groupings).

#include "analysis_worker.h"
#include "analysis_worker_job.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>

namespace gs::ui {
namespace {

constexpr std::size_t kKeptProbeSets = 3;
constexpr std::size_t kKeptHiddenStates = 6;       // a pair and a few sentences around it
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

QString message(const Status& status) { return QString::fromStdString(status.message()); }

// Keeps a counter raised while a job holds the store through a long call.
class DepthGuard {
public:
    explicit DepthGuard(int& depth) : m_depth(depth) { ++m_depth; }
    ~DepthGuard() { --m_depth; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

private:
    int& m_depth;
};

// The special tokens ([CLS], [SEP]) are never examples of a token or word
// task: their columns read "n/a" (drawn grey) instead of a probability the
// probe was not trained to give.
void blankSpecialColumns(const Encoding& encoding, Heatmap& heatmap) {
    const auto tokens = std::int64_t(encoding.tokens.size());
    for (int c = 0; c < heatmap.cols && c < int(heatmap.colTokenBegin.size()) && c < int(heatmap.colTokenEnd.size()); ++c) {
        const std::int64_t begin = heatmap.colTokenBegin[std::size_t(c)], end = heatmap.colTokenEnd[std::size_t(c)];
        if (begin < 0 || end > tokens || begin >= end) continue;
        bool special = true;
        for (std::int64_t t = begin; t < end && special; ++t) special = encoding.tokens[std::size_t(t)].special;
        if (!special) continue;
        for (int r = 0; r < heatmap.rows; ++r)
            heatmap.values[std::size_t(r) * std::size_t(heatmap.cols) + std::size_t(c)] = std::numeric_limits<float>::quiet_NaN();
    }
}

} // namespace

const Heatmap* ProbeConfidence::heatmap(int sentence, TokenGrouping grouping, int classIndex) const {
    if (sentence < 0 || sentence >= int(heatmaps.size())) return nullptr;
    const std::vector<Heatmap>& perClass = heatmaps[std::size_t(sentence)][grouping == TokenGrouping::Words ? 1 : 0];
    if (classIndex < 0 || classIndex >= int(perClass.size())) return nullptr;
    return &perClass[std::size_t(classIndex)];
}

// ---------------------------------------------------------------- submitting

quint64 AnalysisWorker::trainProbes(const OpenDatasetPtr& dataset, const ProbeTrainRequest& request) {
    auto job = std::make_shared<Job>(JobKind::TrainProbes);
    job->dataset = dataset;
    job->probeRequest = std::make_shared<const ProbeTrainRequest>(request);
    return submit(std::move(job));
}

quint64 AnalysisWorker::listProbeSets() { return submit(std::make_shared<Job>(JobKind::ListProbes)); }

quint64 AnalysisWorker::probeConfidence(const QString& name, const QStringList& sentences) {
    auto job = std::make_shared<Job>(JobKind::ProbeConfidence);
    job->name = name;
    job->sentences = sentences;
    return submit(std::move(job));
}

quint64 AnalysisWorker::deleteProbeSet(const QString& name) {
    auto job = std::make_shared<Job>(JobKind::DeleteProbes);
    job->name = name;
    return submit(std::move(job));
}

quint64 AnalysisWorker::exportProbeSet(const QString& name, const QString& directory) {
    auto job = std::make_shared<Job>(JobKind::ExportProbes);
    job->name = name;
    job->text = directory;
    return submit(std::move(job));
}

// ---------------------------------------------------------------- helpers

void AnalysisWorker::resetProbeCaches() {
    m_probeSets.clear();
    m_hiddenStates.clear();
    m_saeSets.clear();    // SAE sets and indexes belong to a model and a store too
    m_saeIndexes.clear();
}

Status AnalysisWorker::probeFingerprint(std::string& out) {
    if (!m_model) return Status::failed("no model is loaded");
    if (m_fingerprint.empty()) {
        // Hashing failed at load time: the engine tries again.
        if (!m_engine) rebuildEngine();
        if (!m_engine) return Status::failed("no results store is open");
        if (Status st = m_engine->registerModel(); !st.isOk()) return st.withStage("fingerprinting the model");
        m_fingerprint = m_engine->modelFingerprint();
    }
    out = m_fingerprint;
    return Status::ok();
}

Status AnalysisWorker::probeSetNamed(const std::string& name, ProbeSetPtr& out) {
    const auto it = std::find_if(m_probeSets.begin(), m_probeSets.end(),
                                 [&](const ProbeSetPtr& set) { return set->name == name; });
    if (it != m_probeSets.end()) {
        out = *it;
        return Status::ok();
    }
    if (!m_store) return Status::failed("no results store is open");
    auto set = std::make_shared<ProbeSet>();
    bool found = false;
    if (Status st = loadProbeSet(*m_store, name, *set, found); !st.isOk()) return st.withStage("reading the probe set");
    if (!found) return Status::failed("there is no stored probe set " + name);
    out = set;
    m_probeSets.insert(m_probeSets.begin(), out);
    if (m_probeSets.size() > kKeptProbeSets) m_probeSets.pop_back();
    return Status::ok();
}

Status AnalysisWorker::hiddenStatesOf(Job& job, const std::string& text, std::shared_ptr<const EncodeResult>& out) {
    const auto it = std::find_if(m_hiddenStates.begin(), m_hiddenStates.end(),
                                 [&](const auto& entry) { return entry.first == text; });
    if (it != m_hiddenStates.end()) {
        out = it->second;
        return Status::ok();
    }
    auto result = std::make_shared<EncodeResult>();
    EncodeRequest request;
    request.hiddenStates = true;
    if (Status st = m_model->encode(text, request, *result, progressFor(job)); !st.isOk()) return st;
    out = result;
    m_hiddenStates.emplace_front(text, out);
    if (m_hiddenStates.size() > kKeptHiddenStates) m_hiddenStates.pop_back();
    return Status::ok();
}

// ---------------------------------------------------------------- training

bool AnalysisWorker::beginTrainingJob(Job& job, bool hasRequest, const QString& otherModel, std::string& fingerprint) {
    if (!m_model || !job.dataset || !hasRequest) {
        emit failed(job.id, tr("no model is loaded"));
        return false;
    }
    // A training stopped by a store change starts again; one stopped by a
    // model change must not go on with the other model.
    if (job.probeModel && job.probeModel != static_cast<const void*>(m_model.get())) {
        emit failed(job.id, otherModel);
        return false;
    }
    job.probeModel = m_model.get();
    ensureEngine();
    if (!m_store) {
        emit failed(job.id, tr("no results store is open"));
        return false;
    }
    if (Status st = probeFingerprint(fingerprint); !st.isOk()) {
        emit failed(job.id, message(st));
        return false;
    }
    return true;
}

void AnalysisWorker::runTrainProbes(Job& job) {
    std::string fingerprint;
    if (!beginTrainingJob(job, job.probeRequest != nullptr, tr("another model was loaded before the probes were trained"),
                          fingerprint))
        return;

    auto lastEmit = std::chrono::steady_clock::now() - kProgressInterval;
    std::string lastStage;
    int lastStep = -1;
    const ProbeTrainProgressCallback progress = [&](const ProbeTrainProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (p.stage != lastStage || p.step != lastStep || now - lastEmit >= kProgressInterval) {
            ProbeTrainStatus status;
            status.stage = QString::fromStdString(p.stage);
            status.step = p.step;
            status.steps = p.steps;
            status.extraction = p.extraction;
            emit probeTrainProgress(job.id, status);
            lastEmit = now;
            lastStage = p.stage;
            lastStep = p.step;
        }
        // A pair clicked during a long training is shown after at most one step.
        return betweenBatches(job);
    };

    auto set = std::make_shared<ProbeSet>();
    bool reused = false;
    Status status;
    {
        const DepthGuard holding(m_datasetJobDepth);  // the store stays while training holds it
        status = trainProbeSet(*m_model, fingerprint, *m_store, job.dataset->dataset, *job.probeRequest, *set, reused,
                               progress, &job.stop);
    }
    if (status.isCancelled()) {
        if (job.preempted.load() && !job.userCancelled.load()) {
            job.requeue = true;  // starts again after the job that stopped it (hidden states are kept)
            return;
        }
        emit cancelled(job.id);
        return;
    }
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status));
        return;
    }
    m_probeSets.erase(std::remove_if(m_probeSets.begin(), m_probeSets.end(),
                                     [&](const ProbeSetPtr& other) { return other->name == set->name; }),
                      m_probeSets.end());
    m_probeSets.insert(m_probeSets.begin(), set);
    if (m_probeSets.size() > kKeptProbeSets) m_probeSets.pop_back();
    ProbeTrainReport report;
    report.set = set;
    report.reused = reused;
    report.dataset = job.dataset;
    emit probeSetTrained(job.id, report);
}

// ---------------------------------------------------------------- stored sets

void AnalysisWorker::runListProbes(Job& job) {
    auto sets = std::make_shared<std::vector<ProbeSet>>();
    if (m_model && m_store) {
        std::string fingerprint;
        Status status = probeFingerprint(fingerprint);
        if (status.isOk()) status = gs::listProbeSets(*m_store, fingerprint, *sets);
        if (!status.isOk()) {
            reportStoreFailure(job.id, status);
            emit failed(job.id, message(status.withStage("listing the probe sets")));
            return;
        }
        // Newest first: the set just trained is at the top.
        std::stable_sort(sets->begin(), sets->end(),
                         [](const ProbeSet& a, const ProbeSet& b) { return a.createdMs > b.createdMs; });
    }
    emit probeSetsListed(job.id, std::move(sets));
}

void AnalysisWorker::runDeleteProbes(Job& job) {
    if (!m_store) {
        emit failed(job.id, tr("no cache is open"));
        return;
    }
    const std::string name = job.name.toStdString();
    const Status status = gs::deleteProbeSet(*m_store, name);
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status.withStage("deleting the probe set")));
        return;
    }
    m_probeSets.erase(std::remove_if(m_probeSets.begin(), m_probeSets.end(),
                                     [&](const ProbeSetPtr& set) { return set->name == name; }),
                      m_probeSets.end());
    emit probeSetDeleted(job.id, job.name);
}

void AnalysisWorker::runExportProbes(Job& job) {
    ProbeSetPtr set;
    Status status = probeSetNamed(job.name.toStdString(), set);
    if (status.isOk()) status = gs::exportProbeSet(*set, toPath(job.text));
    if (!status.isOk()) {
        emit failed(job.id, message(status.withStage("exporting the probe set")));
        return;
    }
    emit probeSetExported(job.id, job.name, job.text);
}

// ---------------------------------------------------------------- confidence

void AnalysisWorker::runProbeConfidence(Job& job) {
    if (!m_model) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    ProbeSetPtr set;
    if (Status st = probeSetNamed(job.name.toStdString(), set); !st.isOk()) {
        emit failed(job.id, message(st));
        return;
    }
    // Probes read one model's hidden states: another model of the same width would give numbers, wrong ones.
    std::string fingerprint;
    if (probeFingerprint(fingerprint).isOk() && !set->modelFingerprint.empty() && set->modelFingerprint != fingerprint) {
        emit failed(job.id, tr("the probe set was trained on another model"));
        return;
    }
    auto result = std::make_shared<ProbeConfidence>();
    result->setName = job.name;
    result->sentences = job.sentences;
    for (const std::string& name : set->classes) result->classes << QString::fromStdString(name);
    const int classes = int(set->classes.size());
    for (const QString& sentence : job.sentences) {
        std::array<std::vector<Heatmap>, 2> maps;
        bool truncated = false;
        if (!sentence.trimmed().isEmpty()) {
            std::shared_ptr<const EncodeResult> hidden;
            const Status encoded = hiddenStatesOf(job, sentence.toStdString(), hidden);
            if (encoded.isCancelled() || job.stop.load()) {
                emit cancelled(job.id);
                return;
            }
            if (!encoded.isOk()) {
                emit failed(job.id, message(encoded.withStage("encoding")));
                return;
            }
            truncated = hidden->encoding.truncated;
            for (const TokenGrouping grouping : {TokenGrouping::Tokens, TokenGrouping::Words}) {
                std::vector<Heatmap>& perClass = maps[grouping == TokenGrouping::Words ? 1 : 0];
                perClass.resize(std::size_t(classes));
                for (int c = 0; c < classes; ++c) {
                    Heatmap& heatmap = perClass[std::size_t(c)];
                    const Status applied = applyProbeSet(*set, *hidden, c, grouping, heatmap);
                    if (!applied.isOk()) {
                        emit failed(job.id, message(applied.withStage("applying the probes")));
                        return;
                    }
                    if (set->spec.unit != ProbeUnit::Sentence) blankSpecialColumns(hidden->encoding, heatmap);
                }
            }
        }
        result->heatmaps.push_back(std::move(maps));
        result->truncated.push_back(truncated);
    }
    emit probeConfidenceReady(job.id, std::move(result));
}

} // namespace gs::ui
