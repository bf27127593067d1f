// AnalysisWorker's sparse-autoencoder jobs, on the worker thread: training an
// SAE set on a dataset (gs::trainSaeSet, with interactive jobs served between
// its steps and every step's numbers passed on for a live plot), listing,
// deleting, exporting and importing the stored sets, the feature heatmaps of
// a sentence or a pair, a feature's trace across layers, and the feature
// index of a dataset (gs::buildSaeFeatureIndex, kept per set, layer and
// dataset).

#include "analysis_worker.h"
#include "analysis_worker_job.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

namespace gs::ui {
namespace {

constexpr std::size_t kKeptSaeSets = 3;
constexpr std::size_t kKeptIndexes = 4;
constexpr int kNearestFeatures = 8;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

QString message(const Status& status) { return QString::fromStdString(status.message()); }

class DepthGuard {
public:
    explicit DepthGuard(int& depth) : m_depth(depth) { ++m_depth; }
    ~DepthGuard() { --m_depth; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

private:
    int& m_depth;
};

// "layer 2: training" → 2; -1 when the stage names no layer.
int stageLayer(const std::string& stage) {
    if (stage.rfind("layer ", 0) != 0) return -1;
    try {
        return std::stoi(stage.substr(6));
    } catch (...) {
        return -1;
    }
}

} // namespace

const Heatmap* SaeSentenceView::heatmap(int sentence, TokenGrouping grouping) const {
    if (sentence < 0 || sentence >= int(heatmaps.size())) return nullptr;
    return &heatmaps[std::size_t(sentence)][grouping == TokenGrouping::Words ? 1 : 0];
}

// ---------------------------------------------------------------- submitting

quint64 AnalysisWorker::trainSaes(const OpenDatasetPtr& dataset, const SaeTrainRequest& request) {
    auto job = std::make_shared<Job>(JobKind::TrainSaes);
    job->dataset = dataset;
    job->saeRequest = std::make_shared<const SaeTrainRequest>(request);
    return submit(std::move(job));
}

quint64 AnalysisWorker::listSaeSets() { return submit(std::make_shared<Job>(JobKind::ListSaes)); }

quint64 AnalysisWorker::deleteSaeSet(const QString& name) {
    auto job = std::make_shared<Job>(JobKind::DeleteSaes);
    job->name = name;
    return submit(std::move(job));
}

quint64 AnalysisWorker::exportSaeSet(const QString& name, const QString& directory) {
    auto job = std::make_shared<Job>(JobKind::ExportSaes);
    job->name = name;
    job->text = directory;
    return submit(std::move(job));
}

quint64 AnalysisWorker::importSaeLens(const QStringList& directories) {
    auto job = std::make_shared<Job>(JobKind::ImportSaes);
    job->sentences = directories;
    return submit(std::move(job));
}

quint64 AnalysisWorker::saeSentenceView(const QString& name, int layer, const QStringList& sentences, int perToken,
                                        int maxFeatures) {
    auto job = std::make_shared<Job>(JobKind::SaeSentenceView);
    job->name = name;
    job->layer = layer;
    job->sentences = sentences;
    job->perToken = perToken;
    job->maxFeatures = maxFeatures;
    return submit(std::move(job));
}

quint64 AnalysisWorker::saeFeatureTrace(const QString& name, int layer, int feature, const QString& sentence) {
    auto job = std::make_shared<Job>(JobKind::SaeTrace);
    job->name = name;
    job->layer = layer;
    job->feature = feature;
    job->text = sentence;
    return submit(std::move(job));
}

quint64 AnalysisWorker::saeFeatureIndex(const QString& name, int layer, const OpenDatasetPtr& dataset) {
    auto job = std::make_shared<Job>(JobKind::SaeIndex);
    job->name = name;
    job->layer = layer;
    job->dataset = dataset;
    return submit(std::move(job));
}

// ---------------------------------------------------------------- helpers

void AnalysisWorker::keepSaeSet(const SaeSetPtr& set) {
    m_saeSets.erase(std::remove_if(m_saeSets.begin(), m_saeSets.end(),
                                   [&](const SaeSetPtr& other) { return other->name == set->name; }),
                    m_saeSets.end());
    m_saeSets.insert(m_saeSets.begin(), set);
    if (m_saeSets.size() > kKeptSaeSets) m_saeSets.pop_back();
}

Status AnalysisWorker::saeSetNamed(const std::string& name, SaeSetPtr& out) {
    const auto it = std::find_if(m_saeSets.begin(), m_saeSets.end(), [&](const SaeSetPtr& set) { return set->name == name; });
    if (it != m_saeSets.end()) {
        out = *it;
        return Status::ok();
    }
    if (!m_store) return Status::failed("no results store is open");
    auto set = std::make_shared<SaeSet>();
    bool found = false;
    if (Status st = loadSaeSet(*m_store, name, *set, found); !st.isOk()) return st.withStage("reading the SAE set");
    if (!found) return Status::failed("there is no stored SAE set " + name);
    // SAEs read one model's hidden states: another model of the same width would give numbers, wrong ones.
    std::string fingerprint;
    if (probeFingerprint(fingerprint).isOk() && !set->modelFingerprint.empty() && set->modelFingerprint != fingerprint)
        return Status::failed("the SAE set was trained on another model");
    out = set;
    keepSaeSet(out);
    return Status::ok();
}

// ---------------------------------------------------------------- training

void AnalysisWorker::runTrainSaes(Job& job) {
    std::string fingerprint;
    if (!beginTrainingJob(job, job.saeRequest != nullptr,
                          tr("another model was loaded before the sparse autoencoders were trained"), fingerprint))
        return;

    auto lastEmit = std::chrono::steady_clock::now() - kProgressInterval;
    std::string lastStage;
    int lastStep = -1;
    std::int64_t lastTrainingStep = -1;
    std::vector<SaeTrainProgress> points;
    const SaeSetProgressCallback progress = [&](const SaeSetProgress& p) {
        const bool training = p.training.totalSteps > 0 && p.stage.find("training") != std::string::npos;
        if (training && (p.stage != lastStage || p.training.step != lastTrainingStep)) {
            points.push_back(p.training);
            lastTrainingStep = p.training.step;
        }
        const auto now = std::chrono::steady_clock::now();
        const bool lastOfLayer = training && p.training.step >= p.training.totalSteps;
        if (p.stage != lastStage || p.step != lastStep || lastOfLayer || now - lastEmit >= kProgressInterval) {
            SaeTrainStatus status;
            status.stage = QString::fromStdString(p.stage);
            status.step = p.step;
            status.steps = p.steps;
            status.layer = stageLayer(p.stage);
            status.extraction = p.extraction;
            status.points.swap(points);
            emit saeTrainProgress(job.id, status);
            lastEmit = now;
            lastStep = p.step;
        }
        lastStage = p.stage;
        // A pair clicked during a long training is shown after at most one step.
        return betweenBatches(job);
    };

    auto set = std::make_shared<SaeSet>();
    bool reused = false;
    Status status;
    {
        const DepthGuard holding(m_datasetJobDepth);  // the store stays while training holds it
        status = trainSaeSet(*m_model, fingerprint, *m_store, job.dataset->dataset, *job.saeRequest, *set, reused,
                             progress, &job.stop);
    }
    if (status.isCancelled()) {
        if (job.preempted.load() && !job.userCancelled.load()) {
            job.requeue = true;  // resumes from the saved state after the job that stopped it
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
    keepSaeSet(set);
    // Indexes of an earlier set of the same name are stale.
    m_saeIndexes.erase(std::remove_if(m_saeIndexes.begin(), m_saeIndexes.end(),
                                      [&](const SaeFeatureIndexPtr& index) { return index->setName == set->name; }),
                       m_saeIndexes.end());
    SaeTrainReport report;
    report.set = set;
    report.reused = reused;
    report.dataset = job.dataset;
    emit saeSetTrained(job.id, report);
}

// ---------------------------------------------------------------- stored sets

void AnalysisWorker::runListSaes(Job& job) {
    auto sets = std::make_shared<std::vector<SaeSet>>();
    if (m_model && m_store) {
        std::string fingerprint;
        Status status = probeFingerprint(fingerprint);
        if (status.isOk()) status = gs::listSaeSets(*m_store, fingerprint, *sets);
        if (!status.isOk()) {
            reportStoreFailure(job.id, status);
            emit failed(job.id, message(status.withStage("listing the SAE sets")));
            return;
        }
        std::stable_sort(sets->begin(), sets->end(), [](const SaeSet& a, const SaeSet& b) { return a.createdMs > b.createdMs; });
    }
    emit saeSetsListed(job.id, std::move(sets));
}

void AnalysisWorker::runDeleteSaes(Job& job) {
    if (!m_store) {
        emit failed(job.id, tr("no cache is open"));
        return;
    }
    const std::string name = job.name.toStdString();
    const Status status = gs::deleteSaeSet(*m_store, name);
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status.withStage("deleting the SAE set")));
        return;
    }
    m_saeSets.erase(std::remove_if(m_saeSets.begin(), m_saeSets.end(), [&](const SaeSetPtr& set) { return set->name == name; }),
                    m_saeSets.end());
    m_saeIndexes.erase(std::remove_if(m_saeIndexes.begin(), m_saeIndexes.end(),
                                      [&](const SaeFeatureIndexPtr& index) { return index->setName == name; }),
                       m_saeIndexes.end());
    emit saeSetDeleted(job.id, job.name);
}

void AnalysisWorker::runExportSaes(Job& job) {
    SaeSetPtr set;
    Status status = saeSetNamed(job.name.toStdString(), set);
    if (status.isOk()) status = gs::exportSaeSet(*set, toPath(job.text));
    if (!status.isOk()) {
        emit failed(job.id, message(status.withStage("exporting the SAE set")));
        return;
    }
    emit saeSetExported(job.id, job.name, job.text);
}

void AnalysisWorker::runImportSaes(Job& job) {
    if (!m_model || !m_store) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    std::string fingerprint;
    if (Status st = probeFingerprint(fingerprint); !st.isOk()) {
        emit failed(job.id, message(st));
        return;
    }
    std::vector<std::filesystem::path> dirs;
    for (const QString& dir : job.sentences) dirs.push_back(toPath(dir));
    const ModelConfig& config = m_model->info().config;
    auto set = std::make_shared<SaeSet>();
    const Status status = importSaeLensSet(dirs, fingerprint, config.hiddenSize, config.numLayers, *m_store, *set);
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status.withStage("importing SAELens folders")));
        return;
    }
    keepSaeSet(set);
    emit saeSetImported(job.id, QString::fromStdString(set->name));
}

// ---------------------------------------------------------------- features

void AnalysisWorker::runSaeSentenceView(Job& job) {
    if (!m_model) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    SaeSetPtr set;
    if (Status st = saeSetNamed(job.name.toStdString(), set); !st.isOk()) {
        emit failed(job.id, message(st));
        return;
    }
    auto result = std::make_shared<SaeSentenceView>();
    result->setName = job.name;
    result->layer = job.layer;
    result->sentences = job.sentences;
    std::vector<std::shared_ptr<const EncodeResult>> hidden;
    for (const QString& sentence : job.sentences) {
        std::shared_ptr<const EncodeResult> states;
        if (!sentence.trimmed().isEmpty()) {
            const Status encoded = hiddenStatesOf(job, sentence.toStdString(), states);
            if (encoded.isCancelled() || job.stop.load()) {
                emit cancelled(job.id);
                return;
            }
            if (!encoded.isOk()) {
                emit failed(job.id, message(encoded.withStage("encoding")));
                return;
            }
        }
        hidden.push_back(states);
        result->truncated.push_back(states && states->encoding.truncated);
    }
    const int maxFeatures = std::max(1, job.maxFeatures);
    // The rows: for a pair first the features that differ most (half the
    // rows at most), then each sentence's strongest, in that order.
    std::vector<std::int32_t> features;
    std::set<std::int32_t> seen;
    auto add = [&](std::int32_t feature) {
        if (feature >= 0 && int(features.size()) < maxFeatures && seen.insert(feature).second) features.push_back(feature);
    };
    if (hidden.size() == 2 && hidden[0] && hidden[1]) {
        if (Status st = saePairDifferences(*set, job.layer, *hidden[0], *hidden[1], maxFeatures, result->differences);
            !st.isOk()) {
            emit failed(job.id, message(st.withStage("comparing the pair")));
            return;
        }
        for (std::size_t i = 0; i < result->differences.size() && int(features.size()) < maxFeatures / 2; ++i)
            add(result->differences[i].feature);
    }
    std::vector<std::vector<std::int32_t>> tops;
    for (const auto& states : hidden) {
        std::vector<std::int32_t> top;
        if (states) {
            if (Status st = saeSentenceTopFeatures(*set, job.layer, *states, std::max(1, job.perToken), maxFeatures, top);
                !st.isOk()) {
                emit failed(job.id, message(st.withStage("choosing the features")));
                return;
            }
        }
        tops.push_back(std::move(top));
    }
    // Alternate between the sentences so that both get rows.
    for (std::size_t rank = 0; int(features.size()) < maxFeatures; ++rank) {
        bool any = false;
        for (const auto& top : tops)
            if (rank < top.size()) {
                add(top[rank]);
                any = true;
            }
        if (!any) break;
    }
    result->features = features;
    for (const auto& states : hidden) {
        std::array<Heatmap, 2> maps;
        if (states && !features.empty()) {
            for (const TokenGrouping grouping : {TokenGrouping::Tokens, TokenGrouping::Words}) {
                const Status st = saeFeatureHeatmap(*set, job.layer, features, *states, grouping,
                                                    maps[grouping == TokenGrouping::Words ? 1 : 0]);
                if (!st.isOk()) {
                    emit failed(job.id, message(st.withStage("drawing the features")));
                    return;
                }
            }
        }
        result->heatmaps.push_back(std::move(maps));
    }
    emit saeSentenceViewReady(job.id, std::move(result));
}

void AnalysisWorker::runSaeTrace(Job& job) {
    if (!m_model) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    SaeSetPtr set;
    if (Status st = saeSetNamed(job.name.toStdString(), set); !st.isOk()) {
        emit failed(job.id, message(st));
        return;
    }
    const SaeLayerResult* layer = saeLayer(*set, job.layer);
    if (!layer) {
        emit failed(job.id, tr("the SAE set has no autoencoder for layer %1").arg(job.layer));
        return;
    }
    auto result = std::make_shared<SaeFeatureTraceResult>();
    result->setName = job.name;
    result->layer = job.layer;
    result->feature = job.feature;
    result->sentence = job.text;
    if (Status st = saeNearestFeatures(layer->sae, job.feature, layer->sae, kNearestFeatures, result->nearest); !st.isOk()) {
        emit failed(job.id, message(st.withStage("finding the nearest features")));
        return;
    }
    if (!job.text.trimmed().isEmpty()) {
        std::shared_ptr<const EncodeResult> hidden;
        const Status encoded = hiddenStatesOf(job, job.text.toStdString(), hidden);
        if (encoded.isCancelled() || job.stop.load()) {
            emit cancelled(job.id);
            return;
        }
        if (!encoded.isOk()) {
            emit failed(job.id, message(encoded.withStage("encoding")));
            return;
        }
        for (const TokenGrouping grouping : {TokenGrouping::Tokens, TokenGrouping::Words}) {
            const Status st = gs::saeFeatureTrace(*set, job.layer, job.feature, *hidden, grouping,
                                                  result->traces[grouping == TokenGrouping::Words ? 1 : 0]);
            if (!st.isOk()) {
                emit failed(job.id, message(st.withStage("following the feature")));
                return;
            }
        }
    }
    emit saeFeatureTraceReady(job.id, std::move(result));
}

void AnalysisWorker::runSaeIndex(Job& job) {
    if (!m_model || !job.dataset) {
        emit failed(job.id, tr("no model is loaded"));
        return;
    }
    ensureEngine();
    if (!m_store) {
        emit failed(job.id, tr("no results store is open"));
        return;
    }
    std::string fingerprint;
    if (Status st = probeFingerprint(fingerprint); !st.isOk()) {
        emit failed(job.id, message(st));
        return;
    }
    SaeSetPtr set;
    if (Status st = saeSetNamed(job.name.toStdString(), set); !st.isOk()) {
        emit failed(job.id, message(st));
        return;
    }
    const std::string hash = datasetContentHash(job.dataset->dataset);
    const auto cached = std::find_if(m_saeIndexes.begin(), m_saeIndexes.end(), [&](const SaeFeatureIndexPtr& index) {
        return index->setName == set->name && index->layer == job.layer && index->datasetHash == hash;
    });
    if (cached != m_saeIndexes.end()) {
        emit saeFeatureIndexReady(job.id, *cached);
        return;
    }
    auto lastEmit = std::chrono::steady_clock::now() - kProgressInterval;
    std::string lastStage;
    const SaeIndexProgressCallback progress = [&](const SaeIndexProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (p.stage != lastStage || now - lastEmit >= kProgressInterval) {
            SaeIndexStatus status;
            status.stage = QString::fromStdString(p.stage);
            status.done = p.done;
            status.total = p.total;
            status.extraction = p.extraction;
            emit saeIndexProgress(job.id, status);
            lastEmit = now;
            lastStage = p.stage;
        }
        return betweenBatches(job);
    };
    auto index = std::make_shared<SaeFeatureIndex>();
    Status status;
    {
        const DepthGuard holding(m_datasetJobDepth);
        status = buildSaeFeatureIndex(*m_model, fingerprint, *m_store, job.dataset->dataset, *set, job.layer,
                                      SaeFeatureIndexOptions{}, *index, progress, &job.stop);
    }
    if (status.isCancelled()) {
        if (job.preempted.load() && !job.userCancelled.load()) {
            job.requeue = true;
            return;
        }
        emit cancelled(job.id);
        return;
    }
    if (!status.isOk()) {
        reportStoreFailure(job.id, status);
        emit failed(job.id, message(status.withStage("indexing the features")));
        return;
    }
    if (index->datasetHash.empty()) index->datasetHash = hash;
    m_saeIndexes.insert(m_saeIndexes.begin(), index);
    if (m_saeIndexes.size() > kKeptIndexes) m_saeIndexes.pop_back();
    emit saeFeatureIndexReady(job.id, std::move(index));
}

} // namespace gs::ui
