#include "cli/score_report.h"

#include "cli/json_output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace gs::cli {
namespace {

const char* metricTitle(PairMetric m) {
    switch (m) {
    case PairMetric::Pll: return "PLL";
    case PairMetric::WordL2r: return "PLL-word-l2r";
    case PairMetric::Unigram: return "unigram";
    }
    return "?";
}

const char* metricKey(PairMetric m) {
    switch (m) {
    case PairMetric::Pll: return "pll";
    case PairMetric::WordL2r: return "pll_word_l2r";
    case PairMetric::Unigram: return "unigram";
    }
    return "?";
}

std::size_t displayWidth(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count code points
    return n;
}

std::string padRight(const std::string& s, std::size_t width) {
    const std::size_t w = displayWidth(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string padLeft(const std::string& s, std::size_t width) {
    const std::size_t w = displayWidth(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string format(const char* fmt, double a, double b = 0, double c = 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, fmt, a, b, c);
    return buf;
}

std::string proportionCell(const Proportion& p) {
    if (p.trials <= 0) return "-";
    return format("%.1f [%.1f, %.1f]", 100 * p.estimate, 100 * p.low, 100 * p.high);
}

std::string accuracyCell(const MetricAccuracy& m) { return m.computed ? proportionCell(m.accuracy) : "-"; }

nlohmann::json number(double v) {
    if (std::isnan(v) || std::isinf(v)) return nullptr;
    return v;
}

nlohmann::json metricJson(const MetricAccuracy& m, PairMetric metric) {
    nlohmann::json j = {{"pairs", m.accuracy.trials},
                        {"correct", m.accuracy.successes},
                        {"ties", m.ties},
                        {"accuracy", number(m.accuracy.estimate)},
                        {"ci95", {number(m.accuracy.low), number(m.accuracy.high)}}};
    if (metric != PairMetric::Unigram) {
        j["pseudo_perplexity_good"] = number(m.goodPseudoPerplexity);
        j["pseudo_perplexity_bad"] = number(m.badPseudoPerplexity);
        if (m.frequencyMisleads.trials + m.frequencyAgrees.trials > 0) {
            auto part = [](const Proportion& p) {
                return nlohmann::json{{"pairs", p.trials},
                                      {"correct", p.successes},
                                      {"accuracy", number(p.estimate)},
                                      {"ci95", {number(p.low), number(p.high)}}};
            };
            j["frequency_misleads"] = part(m.frequencyMisleads);
            j["frequency_agrees"] = part(m.frequencyAgrees);
        }
    }
    return j;
}

nlohmann::json phenomenonJson(const PhenomenonAccuracy& a, const std::vector<PairMetric>& metrics) {
    nlohmann::json j = {{"phenomenon", a.phenomenon}, {"pairs", a.pairs}, {"skipped", a.skipped}};
    for (PairMetric m : metrics) j[metricKey(m)] = metricJson(a.metric(m), m);
    return j;
}

nlohmann::json sentenceJson(const std::string& text, const SentenceScore& s, double unigram, const ScoreRun& run,
                            bool perToken) {
    nlohmann::json j = {{"text", text}, {"tokens", s.numTokens}, {"length", s.length}, {"skipped", s.skipped}};
    if (run.options.scoring.pll) j["pll"] = number(s.pll);
    if (run.options.scoring.wordL2r) j["pll_word_l2r"] = number(s.wordL2r);
    if (run.options.rublimpScore) {
        j["rublimp_score"] = number(pairDecisionScore(s, unigram, PairMetric::Pll, true));
    }
    if (run.unigram) j["unigram"] = number(unigram);
    if (perToken) {
        nlohmann::json tokens = nlohmann::json::array();
        for (const TokenScore& t : s.tokens) {
            nlohmann::json tj = {{"piece", t.piece}, {"id", t.id},       {"position", t.position},
                                 {"word", t.wordIndex}, {"begin", t.begin}, {"end", t.end}};
            if (run.options.scoring.pll) tj["pll"] = number(t.pll);
            if (run.options.scoring.wordL2r) tj["pll_word_l2r"] = number(t.wordL2r);
            tokens.push_back(std::move(tj));
        }
        j["token_scores"] = std::move(tokens);
    }
    return j;
}

} // namespace

std::vector<PairMetric> reportedMetrics(const ScoreRun& run) {
    std::vector<PairMetric> out;
    if (run.options.scoring.pll) out.push_back(PairMetric::Pll);
    if (run.options.scoring.wordL2r) out.push_back(PairMetric::WordL2r);
    if (run.unigram) out.push_back(PairMetric::Unigram);
    return out;
}

std::string scoreTable(const ScoreRun& run) {
    const PairEvaluation& ev = run.evaluation;
    const auto metrics = reportedMetrics(run);
    std::size_t nameWidth = 10;
    for (const auto& p : ev.phenomena) nameWidth = std::max(nameWidth, displayWidth(p.phenomenon));
    nameWidth += 2;
    const std::size_t cell = 22;

    std::ostringstream out;
    auto endRow = [&]() {
        std::string s = out.str();
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out.str(s + "\n");
        out.seekp(0, std::ios::end);
    };
    out << padRight("phenomenon", nameWidth) << padLeft("n", 7) << padLeft("skipped", 9) << "  ";
    for (PairMetric m : metrics) out << padRight(metricTitle(m), cell);
    endRow();
    auto row = [&](const PhenomenonAccuracy& a) {
        out << padRight(a.phenomenon, nameWidth) << padLeft(std::to_string(a.pairs), 7)
            << padLeft(std::to_string(a.skipped), 9) << "  ";
        for (PairMetric m : metrics) out << padRight(accuracyCell(a.metric(m)), cell);
        endRow();
    };
    for (const auto& p : ev.phenomena) row(p);
    if (ev.phenomena.size() > 1) {
        out << std::string(nameWidth + 18 + (metrics.empty() ? 0 : cell * (metrics.size() - 1) + 18), '-') << "\n";
        row(ev.overall);
    }

    // The same accuracies on the pairs where word frequency alone points the wrong way.
    std::vector<PairMetric> contextMetrics;
    for (PairMetric m : metrics)
        if (m != PairMetric::Unigram && ev.overall.metric(m).frequencyMisleads.trials > 0) contextMetrics.push_back(m);
    if (run.unigram && !contextMetrics.empty()) {
        out << "\nwhere word frequency misleads (pairs whose bad sentence the unigram baseline scores as high or higher;\n"
               "frequency alone gets 0% of them):\n";
        out << padRight("phenomenon", nameWidth) << padLeft("n", 7) << padLeft("", 9) << "  ";
        for (PairMetric m : contextMetrics) out << padRight(metricTitle(m), cell);
        endRow();
        auto contextRow = [&](const PhenomenonAccuracy& a) {
            const std::int64_t n = a.metric(contextMetrics.front()).frequencyMisleads.trials;
            out << padRight(a.phenomenon, nameWidth) << padLeft(std::to_string(n), 7) << padLeft("", 9) << "  ";
            for (PairMetric m : contextMetrics) out << padRight(proportionCell(a.metric(m).frequencyMisleads), cell);
            endRow();
        };
        for (const auto& p : ev.phenomena) contextRow(p);
        if (ev.phenomena.size() > 1) {
            out << std::string(nameWidth + 18 + cell * (contextMetrics.size() - 1) + 18, '-') << "\n";
            contextRow(ev.overall);
        }
    }

    out << "\naccuracy: % of pairs with score(good) > score(bad), ties counted as wrong; [95% Wilson interval]\n";
    if (run.options.rublimpScore) {
        out << "score: RuBLiMP's -exp(-PLL/N)" << (run.unigram ? "; unigram: sum of log-probabilities (nats)" : "")
            << "\n";
    } else {
        out << "score: sum of log-probabilities (nats)\n";
    }
    out << "ties:";
    for (std::size_t i = 0; i < metrics.size(); ++i)
        out << (i ? "," : "") << " " << metricTitle(metrics[i]) << " " << ev.overall.metric(metrics[i]).ties;
    out << "\n";
    bool header = false;
    for (PairMetric m : metrics) {
        if (m == PairMetric::Unigram) continue;
        const MetricAccuracy& a = ev.overall.metric(m);
        if (!a.computed) continue;
        out << (header ? ", " : "pseudo-perplexity (good / bad): ") << metricTitle(m) << " "
            << format("%.2f / %.2f", a.goodPseudoPerplexity, a.badPseudoPerplexity);
        header = true;
    }
    if (header) out << "\n";
    if (run.unigram) {
        out << "unigram baseline: " << run.unigramSource << " (" << run.unigram->totalTokens << " tokens, "
            << run.unigram->sentences << " sentences, add-one smoothing)\n";
    }
    const auto total = static_cast<double>(run.pairs.size());
    out << run.pairs.size() << " pairs from " << run.files.size() << " file(s) in "
        << format("%.1f s (%.1f pairs/s)", run.seconds, run.seconds > 0 ? total / run.seconds : 0.0) << "\n";
    return out.str();
}

nlohmann::json scoreJson(const ScoreRun& run, bool perToken) {
    const PairEvaluation& ev = run.evaluation;
    const auto metrics = reportedMetrics(run);
    nlohmann::json j;
    j["model"] = modelInfoJson(run.model->info());
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : run.files) {
        nlohmann::json fj = {{"path", f.path}, {"format", f.format}, {"pairs", f.pairs}};
        // "schema" names the CSV schema, as before other formats were read.
        if (f.format == "grammascope-csv" || f.format == "rublimp-csv") fj["schema"] = pairsSchemaName(f.schema);
        files.push_back(std::move(fj));
    }
    j["files"] = std::move(files);
    nlohmann::json metricNames = nlohmann::json::array();
    for (PairMetric m : metrics) metricNames.push_back(pairMetricName(m));
    j["options"] = {{"metrics", std::move(metricNames)},
                    {"score", run.options.rublimpScore ? "rublimp" : "sum"},
                    {"batch_size", run.options.scoring.batchSize},
                    {"ties", "wrong"},
                    {"log_base", "e"}};
    if (run.unigram) {
        j["unigram"] = {{"source", run.unigramSource},
                        {"total_tokens", run.unigram->totalTokens},
                        {"sentences", run.unigram->sentences},
                        {"support", run.unigram->supportSize()},
                        {"smoothing", "add-one"}};
    }
    nlohmann::json phenomena = nlohmann::json::array();
    for (const auto& p : ev.phenomena) phenomena.push_back(phenomenonJson(p, metrics));
    j["phenomena"] = std::move(phenomena);
    j["overall"] = phenomenonJson(ev.overall, metrics);

    nlohmann::json pairs = nlohmann::json::array();
    for (const PairScore& ps : ev.pairs) {
        const MinimalPair& p = run.pairs[ps.index];
        nlohmann::json pj = {{"file", run.files[run.pairFile[ps.index]].path},
                             {"line", run.pairLine[ps.index]},
                             {"id", p.id},
                             {"phenomenon", p.phenomenon},
                             {"skipped", ps.skipped}};
        if (!p.goodWord.empty() || !p.badWord.empty()) {
            pj["good_word"] = p.goodWord;
            pj["bad_word"] = p.badWord;
        }
        if (p.wordIndex >= 0) pj["word_index"] = p.wordIndex;
        pj["good"] = sentenceJson(p.good, ps.good, ps.goodUnigram, run, perToken);
        pj["bad"] = sentenceJson(p.bad, ps.bad, ps.badUnigram, run, perToken);
        nlohmann::json correct = nlohmann::json::object();
        for (PairMetric m : metrics) {
            const double g = pairDecisionScore(ps.good, ps.goodUnigram, m, run.options.rublimpScore);
            const double b = pairDecisionScore(ps.bad, ps.badUnigram, m, run.options.rublimpScore);
            correct[metricKey(m)] = (std::isnan(g) || std::isnan(b)) ? nlohmann::json(nullptr) : nlohmann::json(g > b);
        }
        pj["correct"] = std::move(correct);
        pairs.push_back(std::move(pj));
    }
    j["pairs"] = std::move(pairs);
    j["warnings"] = ev.warnings;
    j["seconds"] = run.seconds;
    return j;
}

} // namespace gs::cli
