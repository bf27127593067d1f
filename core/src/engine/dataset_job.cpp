// The batched job: what the store lacks is found per analysis run, the
// sentences that need work are tokenised once to learn their lengths (only
// lengths are kept, so 45,000 pairs cost a few megabytes), sorted into
// length buckets and cut into batches bounded by a padded-token budget. A
// batch is re-tokenised, computed, committed (one putResults per run) and
// streamed, then dropped: memory stays at one batch whatever the dataset size.

#include "engine/batch_compute.h"
#include "engine/engine_impl.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace gs {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A distinct sentence of the job.
struct Distinct {
    std::string_view text;
    std::string itemId;      // the first item it came from
    std::string hash;
    std::uint32_t need = 0;  // bit a: analysis a has no result yet
};

// A sentence that needs computing: only its length is kept between the
// planning pass and its batch.
struct Work {
    std::uint32_t index = 0;  // into the distinct sentences
    std::int32_t length = 0;  // tokens after truncation, specials included
    std::int64_t cost = 0;    // padded-token estimate, for the ETA
};

class Job {
public:
    Job(EngineCore& engine, const AnalysisParameters& params, const DatasetRunCallbacks& callbacks,
        DatasetRunSummary& summary)
        : m_engine(engine), m_params(params), m_callbacks(callbacks), m_summary(summary), m_start(Clock::now()) {}

    Status run(const std::vector<JobSentence>& input, const std::vector<std::string>& analysisIds) {
        if (m_engine.m_store.readOnly()) return Status::failed("the results store is read-only");
        if (Status st = m_engine.ensureModel(); !st.isOk()) return st.withStage("registering the model");
        if (Status st = m_engine.resolve(analysisIds, m_analyses); !st.isOk()) return st;
        if (m_params.batchTokens < 1 || m_params.maxBatchSize < 1)
            return Status::failed("the batch token budget and the batch size must be at least 1");
        if (m_analyses.size() > 32) return Status::failed("too many analyses in one job");
        m_budget = m_params.batchTokens;
        m_maxLength = m_engine.maxLength(m_params);
        for (const auto* a : m_analyses) {
            m_quantities.push_back(a->quantity);
            m_surprisalBit |= a->quantity == LayerQuantity::Surprisal ? 1u << (m_quantities.size() - 1) : 0u;
        }

        collectDistinct(input);
        if (Status st = m_engine.beginRuns(m_analyses, m_params, m_summary.runs); !st.isOk()) return st;
        if (Status st = findMissing(); !st.isOk()) return st;
        if (m_callbacks.streamCached) {
            if (Status st = streamCached(); !st.isOk()) return st;
        }
        if (Status st = plan(); !st.isOk()) return st;
        if (!report()) return cancel();

        m_computeStart = Clock::now();
        std::size_t next = 0;
        while (next < m_work.size()) {
            if (cancelRequested()) return cancel();
            const std::size_t end = batchEnd(next);
            Status st = runBatch(next, end);
            if (st.isCancelled()) return cancel();
            if (!st.isOk()) return st;
            next = end;
            if (!report()) return cancel();
        }
        for (const AnalysisRunRef& r : m_summary.runs) {
            if (Status st = m_engine.m_store.finishRun(r.runId); !st.isOk()) return st;
        }
        finishSummary();
        m_done = true;
        report();
        return Status::ok();
    }

private:
    void collectDistinct(const std::vector<JobSentence>& input) {
        std::unordered_map<std::string_view, std::size_t> seen;
        seen.reserve(input.size());
        for (std::size_t i = 0; i < input.size(); ++i) {
            const JobSentence& s = input[i];
            if (s.text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
                m_summary.warnings.push_back("item " + s.itemId + ": empty sentence skipped");
                continue;
            }
            if (!seen.emplace(s.text, m_distinct.size()).second) continue;
            m_distinct.push_back({s.text, s.itemId, sentenceHash(s.text), 0});
        }
        m_summary.sentences = static_cast<std::int64_t>(m_distinct.size());
    }

    Status findMissing() {
        std::vector<std::string> hashes;
        hashes.reserve(m_distinct.size());
        for (const Distinct& d : m_distinct) hashes.push_back(d.hash);
        std::unordered_map<std::string_view, std::size_t> byHash;
        byHash.reserve(m_distinct.size());
        for (std::size_t i = 0; i < m_distinct.size(); ++i) byHash.emplace(m_distinct[i].hash, i);
        for (std::size_t a = 0; a < m_summary.runs.size(); ++a) {
            std::vector<std::string> missing;
            if (Status st = m_engine.m_store.missingSentences(m_summary.runs[a].runId, hashes, missing); !st.isOk())
                return st;
            for (const std::string& h : missing) m_distinct[byHash.at(h)].need |= 1u << a;
        }
        for (const Distinct& d : m_distinct) m_summary.cachedSentences += d.need == 0 ? 1 : 0;
        m_progress.itemsTotal = m_summary.sentences;
        m_progress.cachedItems = m_summary.cachedSentences;
        m_progress.itemsDone = m_summary.cachedSentences;
        return Status::ok();
    }

    // Results already in the store, read back in batches for a viewer that
    // wants every item once.
    Status streamCached() {
        if (!m_callbacks.onResults) return Status::ok();
        std::vector<SentenceAnalysis> batch;
        for (const Distinct& d : m_distinct) {
            for (std::size_t a = 0; a < m_summary.runs.size(); ++a) {
                if (d.need & (1u << a)) continue;
                SentenceAnalysis r;
                r.analysis = m_summary.runs[a].analysis;
                r.runId = m_summary.runs[a].runId;
                r.sentenceHash = d.hash;
                r.fromCache = true;
                bool found = false;
                if (Status st = m_engine.m_store.getResult(r.runId, d.hash, r.matrix, found); !st.isOk()) return st;
                if (found) batch.push_back(std::move(r));
            }
            if (batch.size() >= 256) {
                m_callbacks.onResults(batch);
                batch.clear();
                if (cancelRequested()) return Status::cancelled();
            }
        }
        if (!batch.empty()) m_callbacks.onResults(batch);
        return Status::ok();
    }

    // Tokenises every sentence that needs work once, for its length; the
    // encodings themselves are dropped (rebuilt per batch).
    Status plan() {
        const Tokenizer& tokenizer = m_engine.m_model.tokenizer();
        for (std::size_t i = 0; i < m_distinct.size(); ++i) {
            const Distinct& d = m_distinct[i];
            if (d.need == 0) continue;
            Encoding e;
            if (Status st = tokenizer.encode(d.text, m_maxLength, e); !st.isOk())
                return st.withStage("tokenizing item " + d.itemId);
            if (e.truncated) {
                m_summary.truncated.push_back({d.itemId, e.untruncatedLength, static_cast<std::int64_t>(e.tokens.size())});
                m_summary.warnings.push_back("item " + d.itemId + ": " + std::to_string(e.untruncatedLength) +
                                             " tokens, truncated to " + std::to_string(e.tokens.size()));
            }
            Work w;
            w.index = static_cast<std::uint32_t>(i);
            w.length = static_cast<std::int32_t>(e.tokens.size());
            w.cost = w.length;
            if (d.need & m_surprisalBit) w.cost += detail::surprisalCopyTokens(e);
            m_work.push_back(w);
            m_progress.tokensTotal += w.length;
            m_costTotal += w.cost;
        }
        // Longest first: the largest batch shapes (and memory) come at once,
        // not after an hour; ties keep dataset order.
        std::stable_sort(m_work.begin(), m_work.end(), [](const Work& a, const Work& b) { return a.length > b.length; });
        return Status::ok();
    }

    // Sentences [begin, end) of m_work form a batch while the padded hidden
    // pass stays within the budget and so do the masked copies of those
    // asking for surprisal (one long sentence always forms a batch alone).
    std::size_t batchEnd(std::size_t begin) const {
        const std::int64_t T = m_work[begin].length;  // the longest: sorted descending
        std::int64_t copies = 0;
        std::size_t end = begin;
        while (end < m_work.size()) {
            const Work& w = m_work[end];
            const auto count = static_cast<std::int64_t>(end - begin + 1);
            const std::int64_t moreCopies =
                (m_distinct[w.index].need & m_surprisalBit) ? std::max(0, w.length - 2) * T : 0;  // padded to T
            if (end > begin && (count > m_params.maxBatchSize || count * T > m_budget || copies + moreCopies > m_budget))
                break;
            copies += moreCopies;
            ++end;
        }
        return end;
    }

    Status runBatch(std::size_t begin, std::size_t end) {
        const auto t0 = Clock::now();
        const Tokenizer& tokenizer = m_engine.m_model.tokenizer();
        std::vector<Encoding> encodings(end - begin);
        std::vector<detail::BatchSentence> sentences(end - begin);
        for (std::size_t k = begin; k < end; ++k) {
            const Distinct& d = m_distinct[m_work[k].index];
            Encoding& e = encodings[k - begin];
            if (Status st = tokenizer.encode(d.text, m_maxLength, e); !st.isOk())
                return st.withStage("tokenizing item " + d.itemId);
            sentences[k - begin] = {&e, (d.need & ~m_surprisalBit) != 0, (d.need & m_surprisalBit) != 0};
        }
        std::vector<std::vector<ResultMatrix>> matrices;
        detail::BatchComputeStats stats;
        ProgressCallback between = [this](std::int64_t, std::int64_t) { return !cancelRequested(); };
        Status st = detail::computeBatch(m_engine.m_model, sentences, m_quantities, m_budget, matrices, stats, between);
        if (!st.isOk()) return st;
        const auto t1 = Clock::now();
        m_summary.computeSeconds += std::chrono::duration<double>(t1 - t0).count();

        // One transaction per run: a crash loses at most this batch.
        std::vector<SentenceAnalysis> streamed;
        for (std::size_t a = 0; a < m_summary.runs.size(); ++a) {
            std::vector<ResultEntry> entries;
            std::vector<std::size_t> members;
            for (std::size_t k = begin; k < end; ++k) {
                const Distinct& d = m_distinct[m_work[k].index];
                if (!(d.need & (1u << a))) continue;
                entries.push_back({std::string(d.text), std::move(matrices[k - begin][a])});
                members.push_back(k);
            }
            if (entries.empty()) continue;
            if (Status s = m_engine.m_store.putResults(m_summary.runs[a].runId, entries); !s.isOk()) return s;
            m_summary.computedResults += static_cast<std::int64_t>(entries.size());
            if (!m_callbacks.onResults) continue;
            for (std::size_t j = 0; j < entries.size(); ++j) {
                SentenceAnalysis r;
                r.analysis = m_summary.runs[a].analysis;
                r.runId = m_summary.runs[a].runId;
                r.sentenceHash = m_distinct[m_work[members[j]].index].hash;
                r.matrix = std::move(entries[j].matrix);
                streamed.push_back(std::move(r));
            }
        }
        m_summary.storeSeconds += secondsSince(t1);
        if (m_callbacks.onResults && !streamed.empty()) m_callbacks.onResults(streamed);

        for (std::size_t k = begin; k < end; ++k) m_costDone += m_work[k].cost;
        m_summary.computedSentences += static_cast<std::int64_t>(end - begin);
        m_summary.tokens += stats.tokens;
        m_summary.paddedTokens += stats.paddedTokens;
        ++m_summary.batches;
        m_progress.itemsDone += static_cast<std::int64_t>(end - begin);
        m_progress.tokensDone += stats.tokens;
        ++m_progress.batchesDone;
        return Status::ok();
    }

    bool cancelRequested() const {
        return m_callbacks.cancelFlag && m_callbacks.cancelFlag->load(std::memory_order_relaxed);
    }

    // Progress after every batch; the ETA scales the time so far by the
    // remaining padded-token cost (surprisal grows with the square of the
    // length, so sentence counts would mislead).
    bool report() {
        m_progress.elapsedSeconds = secondsSince(m_start);
        if (m_computeStart) {
            const double computing = secondsSince(*m_computeStart);
            m_progress.tokensPerSecond = computing > 0 ? static_cast<double>(m_progress.tokensDone) / computing : 0;
            m_progress.etaSeconds = m_done ? 0
                                    : m_costDone > 0 ? computing * static_cast<double>(m_costTotal - m_costDone) /
                                                           static_cast<double>(m_costDone)
                                                     : -1;
        }
        if (cancelRequested()) return false;
        return !m_callbacks.progress || m_callbacks.progress(m_progress) || m_done;
    }

    void finishSummary() {
        m_summary.seconds = secondsSince(m_start);
        const double busy = m_summary.computeSeconds + m_summary.storeSeconds;
        m_summary.tokensPerSecond = busy > 0 ? static_cast<double>(m_summary.tokens) / busy : 0;
    }

    Status cancel() {
        // The runs stay Running: what was committed is kept, and the next call
        // with the same arguments computes only the rest.
        m_summary.cancelled = true;
        finishSummary();
        return Status::cancelled("cancelled after " + std::to_string(m_summary.computedSentences) + " of " +
                                 std::to_string(m_summary.sentences - m_summary.cachedSentences) +
                                 " sentences to compute; what was computed is saved");
    }

    EngineCore& m_engine;
    const AnalysisParameters& m_params;
    const DatasetRunCallbacks& m_callbacks;
    DatasetRunSummary& m_summary;
    std::vector<const AnalysisDescriptor*> m_analyses;
    std::vector<LayerQuantity> m_quantities;
    std::uint32_t m_surprisalBit = 0;
    std::int64_t m_budget = 0, m_maxLength = 0;
    std::vector<Distinct> m_distinct;
    std::vector<Work> m_work;
    std::int64_t m_costTotal = 0, m_costDone = 0;
    EngineProgress m_progress;
    Clock::time_point m_start;
    std::optional<Clock::time_point> m_computeStart;
    bool m_done = false;
};

} // namespace

Status EngineCore::runJob(const std::vector<JobSentence>& sentences,
                                    const std::vector<std::string>& analysisIds, const AnalysisParameters& params,
                                    const DatasetRunCallbacks& callbacks, DatasetRunSummary& summary) {
    try {
        Job job(*this, params, callbacks, summary);
        Status st = job.run(sentences, analysisIds);
        if (st.isOk() || st.isCancelled()) return st;
        return st.withStage("analysing a dataset");
    } catch (const std::exception& e) {
        return Status::failed(std::string("analysing a dataset: ") + e.what());
    }
}

} // namespace gs
