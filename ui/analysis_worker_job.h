#pragma once
// Internal to AnalysisWorker: one queued job. Shared between the submitting
// thread (cancel flags) and the worker thread (everything else).

#include "analysis_worker.h"

#include <atomic>

namespace gs::ui {

enum class JobKind {
    LoadModel, OpenStore, MoveAside, ClearCache, Stats, SizeLimit, Sentence, Scan, Dataset,
    TrainProbes, ListProbes, ProbeConfidence, DeleteProbes, ExportProbes,
    TrainSaes, ListSaes, DeleteSaes, ExportSaes, ImportSaes, SaeSentenceView, SaeTrace, SaeIndex,
};

struct AnalysisWorker::Job {
    explicit Job(JobKind k) : kind(k) {}

    quint64 id = 0;
    const JobKind kind;
    QString text;             // the sentence, model folder or store path
    ModelOptions options;
    QStringList analyses;
    OpenDatasetPtr dataset;
    qint64 bytes = 0;         // size limit
    bool resumed = false;     // a dataset job continuing after a preemption
    bool requeue = false;     // set by the worker: put back in the queue when it returns
    // Probe jobs: the training request, the probe set's name, the sentences;
    // the model a training started with (a resumed one must not change model).
    std::shared_ptr<const ProbeTrainRequest> probeRequest;
    QString name;
    QStringList sentences;
    const void* probeModel = nullptr;
    // SAE jobs: the training request; the layer and feature of a view, a
    // trace or an index; the folders of an import (in `sentences`).
    std::shared_ptr<const SaeTrainRequest> saeRequest;
    int layer = 0;
    int feature = -1;
    int perToken = 0, maxFeatures = 0;

    // Set from any thread. `stop` is what the engine watches (between
    // forward passes); the other two say why it was set.
    std::atomic<bool> stop{false};
    std::atomic<bool> userCancelled{false};
    std::atomic<bool> preempted{false};

    // 0 control, 1 interactive, 2 background (see analysis_worker.h).
    int priority() const {
        switch (kind) {
        case JobKind::Sentence:
        case JobKind::Scan:
        case JobKind::ListProbes:
        case JobKind::ProbeConfidence:
        case JobKind::ListSaes:
        case JobKind::SaeSentenceView:
        case JobKind::SaeTrace: return 1;
        case JobKind::Dataset:
        case JobKind::TrainProbes:
        case JobKind::TrainSaes:
        case JobKind::SaeIndex: return 2;
        default: return 0;
        }
    }
    // Store jobs always run: a cancel of "everything" must not leave the window without a store.
    bool cancellable() const {
        return kind == JobKind::LoadModel || kind == JobKind::Sentence || kind == JobKind::Scan ||
               kind == JobKind::Dataset || kind == JobKind::TrainProbes || kind == JobKind::ProbeConfidence ||
               kind == JobKind::TrainSaes || kind == JobKind::SaeSentenceView || kind == JobKind::SaeTrace ||
               kind == JobKind::SaeIndex;
    }
    // May run between two batches of a dataset job or two steps of a probe
    // training (they use the same engine and store).
    bool servedBetweenBatches() const {
        return kind == JobKind::Sentence || kind == JobKind::Scan || kind == JobKind::Stats ||
               kind == JobKind::SizeLimit || kind == JobKind::ListProbes || kind == JobKind::ProbeConfidence ||
               kind == JobKind::DeleteProbes || kind == JobKind::ExportProbes || kind == JobKind::ListSaes ||
               kind == JobKind::SaeSentenceView || kind == JobKind::SaeTrace || kind == JobKind::DeleteSaes ||
               kind == JobKind::ExportSaes || kind == JobKind::ImportSaes;
    }
    // Stopped by a model or store change, and started again after it.
    bool preemptible() const {
        return kind == JobKind::Dataset || kind == JobKind::TrainProbes || kind == JobKind::TrainSaes ||
               kind == JobKind::SaeIndex;
    }
    void cancel() {
        userCancelled = true;
        stop = true;
    }
    void preempt() {
        preempted = true;
        stop = true;
    }
    void resetForResume() {
        resumed = true;
        preempted = false;
        if (!userCancelled.load()) stop = false;
    }
};

} // namespace gs::ui
