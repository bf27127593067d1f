#pragma once
// Internals of AnalysisEngine shared by its translation units
// (analysis_engine.cpp: identity, keys, single sentences, word grouping;
// dataset_job.cpp: the batched dataset job). No torch types: the compute
// side is behind engine/batch_compute.h.

#include "grammascope/analysis_engine.h"

#include <string>
#include <string_view>
#include <vector>

namespace gs {

// One sentence handed to a job, with the item it came from (for warnings).
struct JobSentence {
    std::string_view text;
    std::string itemId;
};

// The engine's state and shared steps; a plain struct (AnalysisEngine::Impl
// derives from it) so that the job classes of other files may name it.
struct EngineCore {
    EngineCore(const Model& model, ResultStore& store) : m_model(model), m_store(store) {}

    // Fingerprints and registers the model once.
    Status ensureModel(const ProgressCallback& progress = {});
    // Canonical descriptors of `ids`; fails on an unknown id or a surprisal
    // request on a model without an MLM head.
    Status resolve(const std::vector<std::string>& ids, std::vector<const AnalysisDescriptor*>& out) const;
    std::int64_t maxLength(const AnalysisParameters& params) const;
    AnalysisKey key(const AnalysisDescriptor& analysis, const AnalysisParameters& params) const;
    // Starts (or resumes) the runs of `analyses`; `wasRunning` tells which
    // were already Running (a job in progress elsewhere, or killed): those
    // are not finished by a single-sentence call.
    Status beginRuns(const std::vector<const AnalysisDescriptor*>& analyses, const AnalysisParameters& params,
                     std::vector<AnalysisRunRef>& runs, std::vector<bool>* wasRunning = nullptr);

    // The batched job over `sentences` (duplicates allowed); dataset_job.cpp.
    Status runJob(const std::vector<JobSentence>& sentences, const std::vector<std::string>& analysisIds,
                  const AnalysisParameters& params, const DatasetRunCallbacks& callbacks, DatasetRunSummary& summary);

    const Model& m_model;
    ResultStore& m_store;
    std::string m_fingerprint;
};

struct AnalysisEngine::Impl : EngineCore {
    using EngineCore::EngineCore;
};

} // namespace gs
