// Probe tasks: which units of a dataset get which label (methods.md §4).
// The labels come from the word alignment of minimal pairs (alignment.h) or
// from the UD annotation the source gave each word; the units are the
// model's tokens, whole words (their tokens pooled later) or sentences.

#include "grammascope/probe_data.h"

#include "grammascope/alignment.h"
#include "util/unicode.h"
#include "util/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>

namespace gs {
namespace {

constexpr std::size_t kMaxListedWarnings = 20;

// The UD v2 feature names (universal features), for "number" -> "ud:Number".
constexpr std::array<const char*, 27> kUdFeatures = {
    "PronType", "NumType", "Poss",     "Reflex",  "Foreign", "Abbr",     "Typo",   "Gender",    "Animacy",
    "NounClass", "Number", "Case",     "Definite", "Deixis", "DeixisRef", "Degree", "VerbForm", "Mood",
    "Tense",    "Aspect",  "Voice",    "Evident", "Polarity", "Person",  "Polite", "Clusivity", "Variant"};

std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Unicode lower case (Python's str.lower() per code point); the bytes as
// they are when the text is not valid UTF-8.
std::string lowerText(std::string_view text) {
    std::u32string cps;
    if (!utf8::decode(text, cps).isOk()) return std::string(text);
    std::u32string lower;
    lower.reserve(cps.size());
    for (char32_t cp : cps) unicode::appendLower(cp, lower);
    return utf8::encode(lower);
}

bool isPolypersonal(const DatasetItem& item) {
    return asciiLower(item.phenomenon).find("polypersonal") != std::string::npos;
}

std::string datasetLabel(const Dataset& d) {
    if (!d.name.empty()) return "'" + d.name + "'";
    if (!d.source.empty()) return "'" + d.source.filename().string() + "'";
    return "the dataset";
}

bool isUdTask(const std::string& task) { return task.rfind("ud:", 0) == 0; }

// A task id with the unit its task implies.
ProbeTaskSpec normalised(const ProbeTaskSpec& spec) {
    ProbeTaskSpec s = spec;
    const ProbeTaskInfo* info = findProbeTask(s.task);
    if (info && info->sentenceLevel) s.unit = ProbeUnit::Sentence;
    return s;
}

// ---------------------------------------------------------------- collection

struct RawExample {
    std::int32_t sentence = 0;
    std::vector<std::int32_t> tokens;
    std::string label, wordType, text;
};

class Collector {
public:
    // Index of `text`, registering it with its token count.
    std::int32_t sentence(const std::string& text, std::int64_t tokens) {
        auto [it, inserted] = m_index.try_emplace(text, static_cast<std::int32_t>(m_sentences.size()));
        if (inserted) {
            m_sentences.push_back(text);
            m_tokens.push_back(tokens);
            m_parent.push_back(it->second);
            m_labelled.push_back(0);
        }
        return it->second;
    }
    void join(std::int32_t a, std::int32_t b) {
        a = root(a);
        b = root(b);
        if (a != b) m_parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
    }
    std::int32_t root(std::int32_t a) {
        while (m_parent[static_cast<std::size_t>(a)] != a) {
            m_parent[static_cast<std::size_t>(a)] = m_parent[static_cast<std::size_t>(m_parent[static_cast<std::size_t>(a)])];
            a = m_parent[static_cast<std::size_t>(a)];
        }
        return a;
    }
    // True the first time a sentence is labelled: a sentence met again (in
    // another pair) keeps the labels of its first occurrence.
    bool claim(std::int32_t s) {
        if (m_labelled[static_cast<std::size_t>(s)]) {
            ++repeats;
            return false;
        }
        m_labelled[static_cast<std::size_t>(s)] = 1;
        return true;
    }

    std::vector<RawExample> examples;
    std::int64_t repeats = 0;
    const std::vector<std::string>& sentences() const { return m_sentences; }
    const std::vector<std::int64_t>& tokens() const { return m_tokens; }

private:
    std::unordered_map<std::string, std::int32_t> m_index;
    std::vector<std::string> m_sentences;
    std::vector<std::int64_t> m_tokens;
    std::vector<std::int32_t> m_parent;
    std::vector<std::uint8_t> m_labelled;
};

// The label of word `w` of a side, or nothing when the word is not used.
using WordLabel = std::function<std::optional<std::string>(std::int32_t w)>;

void addTokenLevel(const SideTokens& side, std::int32_t sentence, ProbeUnit unit, const WordLabel& labelOf,
                   std::vector<RawExample>& out) {
    const auto& tokens = side.encoding.tokens;
    if (unit == ProbeUnit::Token) {
        for (std::size_t t = 0; t < tokens.size(); ++t) {
            const std::int32_t w = side.tokenWords[t];
            if (tokens[t].special || w < 0) continue;
            auto label = labelOf(w);
            if (!label) continue;
            out.push_back({sentence, {static_cast<std::int32_t>(t)}, std::move(*label),
                           lowerText(side.words[static_cast<std::size_t>(w)].text), displayTokenText(tokens[t])});
        }
        return;
    }
    std::vector<std::vector<std::int32_t>> perWord(side.words.size());
    for (std::size_t t = 0; t < tokens.size(); ++t)
        if (!tokens[t].special && side.tokenWords[t] >= 0)
            perWord[static_cast<std::size_t>(side.tokenWords[t])].push_back(static_cast<std::int32_t>(t));
    for (std::size_t w = 0; w < perWord.size(); ++w) {
        if (perWord[w].empty()) continue;  // lost to truncation
        auto label = labelOf(static_cast<std::int32_t>(w));
        if (!label) continue;
        out.push_back({sentence, std::move(perWord[w]), std::move(*label), lowerText(side.words[w].text),
                       side.words[w].text});
    }
}

void addSentence(const SideTokens& side, std::int32_t sentence, const std::string& text, std::string label,
                 std::vector<RawExample>& out) {
    std::vector<std::int32_t> positions;
    for (std::size_t t = 0; t < side.encoding.tokens.size(); ++t)
        if (!side.encoding.tokens[t].special) positions.push_back(static_cast<std::int32_t>(t));
    if (positions.empty()) return;
    out.push_back({sentence, std::move(positions), std::move(label), lowerText(text), text});
}

std::vector<std::uint8_t> changedMask(std::size_t words, const std::vector<std::int32_t>& changed) {
    std::vector<std::uint8_t> m(words, 0);
    for (std::int32_t w : changed) m[static_cast<std::size_t>(w)] = 1;
    return m;
}

// Seeded Fisher-Yates with the raw engine output, so that the order is the
// same with every standard library.
template <class T>
void seededShuffle(std::vector<T>& v, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(rng() % i)]);
}

Status datasetRequirements(const ProbeTaskInfo& info, const ProbeTaskSpec& spec, const Dataset& dataset) {
    const bool anyPair = std::any_of(dataset.items.begin(), dataset.items.end(), [](auto& i) { return i.isPair(); });
    if (info.needsPairs && !anyPair)
        return Status::failed("task '" + spec.task + "' needs minimal pairs, but dataset " + datasetLabel(dataset) +
                              " has single sentences only (" + datasetFormatName(dataset.format) + ")");
    if ((spec.task == "polypersonal" || spec.task == "polypersonal-sentence") &&
        std::none_of(dataset.items.begin(), dataset.items.end(),
                     [](auto& i) { return i.isPair() && isPolypersonal(i); })) {
        std::set<std::string> phenomena;
        for (const auto& i : dataset.items) phenomena.insert(i.phenomenon.empty() ? "(none)" : i.phenomenon);
        std::string list;
        for (const auto& p : phenomena) list += (list.empty() ? "" : ", ") + p;
        return Status::failed("task '" + spec.task + "' needs pairs whose phenomenon contains 'polypersonal'; dataset " +
                              datasetLabel(dataset) + " has none (phenomena: " + list + ")");
    }
    if (info.needsUd && std::none_of(dataset.items.begin(), dataset.items.end(),
                                     [](auto& i) { return i.good.hasUd() || i.bad.hasUd(); }))
        return Status::failed("task '" + spec.task + "' needs UD annotation (a CoNLL-U dataset); dataset " +
                              datasetLabel(dataset) + " has none");
    return Status::ok();
}

} // namespace

// ---------------------------------------------------------------- task list

const std::vector<ProbeTaskInfo>& probeTasks() {
    static const std::vector<ProbeTaskInfo> tasks = {
        {"changed", "Changed words", "1 for the tokens of the words that differ between the two sentences of a pair, "
                                     "0 for every other token (both sentences of every pair)",
         false, true, false},
        {"polypersonal", "Polypersonal verb form", "1 for the changed words of the polypersonal side of polypersonal "
                                                   "pairs, 0 for every other word of those pairs",
         false, true, false},
        {"ud:", "UD feature", "the value of one Universal Dependencies feature (Number, Gender, Case, Person, Tense, ...) "
                              "of the words that have it (CoNLL-U datasets)",
         false, false, true},
        {"upos", "Part of speech", "the UD part of speech of every annotated word (CoNLL-U datasets)", false, false,
         true},
        {"grammatical", "Grammatical sentence", "1 for the grammatical, 0 for the ungrammatical sentence of every pair",
         true, true, false},
        {"polypersonal-sentence", "Polypersonal sentence",
         "1 for the polypersonal side, 0 for the standard side of polypersonal pairs", true, true, false},
    };
    return tasks;
}

const ProbeTaskInfo* findProbeTask(std::string_view id) {
    const std::string_view key = id.rfind("ud:", 0) == 0 ? std::string_view("ud:") : id;
    for (const auto& t : probeTasks())
        if (t.id == key) return &t;
    return nullptr;
}

const char* probeUnitName(ProbeUnit unit) {
    switch (unit) {
    case ProbeUnit::Token: return "token";
    case ProbeUnit::Word: return "word";
    case ProbeUnit::Sentence: return "sentence";
    }
    return "token";
}

const char* wordPoolingName(WordPooling pooling) { return pooling == WordPooling::First ? "first" : "mean"; }
const char* sentencePoolingName(SentencePooling pooling) { return pooling == SentencePooling::First ? "first" : "mean"; }

Status parseProbeTask(std::string_view text, ProbeTaskSpec& spec) {
    const std::string_view t = trim(text);
    if (t.empty()) return Status::failed("empty probe task");
    const std::string lower = asciiLower(t);
    if (lower == "pos") {
        spec.task = "upos";
        return Status::ok();
    }
    if (lower.rfind("ud:", 0) != 0) {
        for (const auto& info : probeTasks()) {
            if (info.id != "ud:" && info.id == lower) {
                spec.task = info.id;
                return Status::ok();
            }
        }
    }
    // A feature: "ud:Case", or a bare feature name when it names one UD feature.
    const bool prefixed = lower.rfind("ud:", 0) == 0;
    const std::string_view feature = prefixed ? trim(t.substr(3)) : t;
    if (feature.empty()) return Status::failed("probe task 'ud:' names no feature (e.g. ud:Number)");
    if (feature.find_first_of("|= \t") != std::string_view::npos)
        return Status::failed("probe task '" + std::string(t) + "': not a UD feature name");
    std::vector<const char*> matches;
    for (const char* f : kUdFeatures)
        if (asciiLower(f) == asciiLower(feature)) matches.push_back(f);
    if (matches.size() == 1) {
        spec.task = std::string("ud:") + matches.front();
        return Status::ok();
    }
    if (prefixed) {
        spec.task = "ud:" + std::string(feature);  // a language-specific feature, kept as given
        return Status::ok();
    }
    std::string known;
    for (const auto& info : probeTasks()) known += (known.empty() ? "" : ", ") + (info.id == "ud:" ? "ud:FEATURE" : info.id);
    return Status::failed("unknown probe task '" + std::string(t) + "' (known: " + known + ")");
}

std::string probeTaskJson(const ProbeTaskSpec& spec) {
    const ProbeTaskSpec s = normalised(spec);
    nlohmann::json j;
    j["task"] = s.task;
    j["unit"] = probeUnitName(s.unit);
    if (s.unit == ProbeUnit::Word) j["word_pooling"] = wordPoolingName(s.wordPooling);
    if (s.unit == ProbeUnit::Sentence) j["sentence_pooling"] = sentencePoolingName(s.sentencePooling);
    j["min_class_count"] = s.minClassCount;
    j["max_examples"] = s.maxExamples;
    if (s.maxExamples > 0) j["seed"] = s.seed;  // only the subset depends on it
    return j.dump();
}

// ---------------------------------------------------------------- examples

Status buildProbeExamples(const Tokenizer& tokenizer, const Dataset& dataset, const ProbeTaskSpec& specIn,
                          std::int64_t maxLength, ProbeExampleSet& out) {
    out = ProbeExampleSet{};
    const ProbeTaskInfo* info = findProbeTask(specIn.task);
    if (!info) return Status::failed("unknown probe task '" + specIn.task + "'");
    if (specIn.task == "ud:") return Status::failed("probe task 'ud:' names no feature (e.g. ud:Number)");
    if (!info->sentenceLevel && specIn.unit == ProbeUnit::Sentence)
        return Status::failed("task '" + specIn.task + "' labels tokens or words, not sentences (unit token or word)");
    if (specIn.minClassCount < 1) return Status::failed("minimum class count must be at least 1");
    const ProbeTaskSpec spec = normalised(specIn);
    if (Status st = datasetRequirements(*info, spec, dataset); !st.isOk()) return st;

    const std::string& task = spec.task;
    const std::string feature = isUdTask(task) ? task.substr(3) : std::string();
    Collector c;
    std::vector<std::string> warnings;
    std::int64_t truncationWarnings = 0, skippedSingles = 0, skippedNoUd = 0;

    for (const DatasetItem& item : dataset.items) {
        const bool pair = item.isPair();
        if (info->needsPairs && !pair) {
            ++skippedSingles;
            continue;
        }
        if ((task == "polypersonal" || task == "polypersonal-sentence") && !isPolypersonal(item)) continue;
        if (info->needsUd && !item.good.hasUd() && !(pair && item.bad.hasUd())) {
            ++skippedNoUd;
            continue;
        }
        PairTokenAlignment a;
        if (Status st = alignPairTokens(tokenizer, item, maxLength, a); !st.isOk())
            return st.withStage("building the examples of task '" + task + "'");
        for (auto& w : a.warnings) {
            if (truncationWarnings++ < static_cast<std::int64_t>(kMaxListedWarnings)) warnings.push_back(std::move(w));
        }
        const std::int32_t good =
            c.sentence(item.good.text, static_cast<std::int64_t>(a.good.encoding.tokens.size()));
        std::int32_t bad = -1;
        if (pair) {
            bad = c.sentence(item.bad.text, static_cast<std::int64_t>(a.bad.encoding.tokens.size()));
            c.join(good, bad);
        }

        if (task == "grammatical" || task == "polypersonal-sentence") {
            // grammatical: good = yes; polypersonal-sentence: the polypersonal (bad) side = yes.
            const bool goodIsYes = task == "grammatical";
            if (c.claim(good)) addSentence(a.good, good, item.good.text, goodIsYes ? "yes" : "no", c.examples);
            if (c.claim(bad)) addSentence(a.bad, bad, item.bad.text, goodIsYes ? "no" : "yes", c.examples);
            continue;
        }
        if (task == "changed" || task == "polypersonal") {
            const auto goodChanged = changedMask(a.good.words.size(), a.words.changedGood);
            const auto badChanged = changedMask(a.bad.words.size(), a.words.changedBad);
            // changed: the changed words of both sides; polypersonal: those of the polypersonal (bad) side only.
            const bool goodMarks = task == "changed";
            if (c.claim(good))
                addTokenLevel(a.good, good, spec.unit,
                              [&](std::int32_t w) -> std::optional<std::string> {
                                  return goodMarks && goodChanged[static_cast<std::size_t>(w)] ? "yes" : "no";
                              },
                              c.examples);
            if (c.claim(bad))
                addTokenLevel(a.bad, bad, spec.unit,
                              [&](std::int32_t w) -> std::optional<std::string> {
                                  return badChanged[static_cast<std::size_t>(w)] ? "yes" : "no";
                              },
                              c.examples);
            continue;
        }
        // UD tasks: the annotation of the source's words.
        auto udLabel = [&](const SideTokens& side) {
            return [&side, &task, &feature](std::int32_t w) -> std::optional<std::string> {
                const auto& ud = side.words[static_cast<std::size_t>(w)].ud;
                if (!ud) return std::nullopt;
                std::string v = task == "upos" ? ud->upos : ud->feature(feature);
                if (v.empty() || v == "_") return std::nullopt;
                return v;
            };
        };
        if (item.good.hasUd() && c.claim(good)) addTokenLevel(a.good, good, spec.unit, udLabel(a.good), c.examples);
        if (pair && item.bad.hasUd() && c.claim(bad)) addTokenLevel(a.bad, bad, spec.unit, udLabel(a.bad), c.examples);
    }

    if (truncationWarnings > static_cast<std::int64_t>(kMaxListedWarnings))
        warnings.push_back("… and " + std::to_string(truncationWarnings - static_cast<std::int64_t>(kMaxListedWarnings)) +
                           " more truncation warnings");
    if (skippedSingles > 0)
        warnings.push_back(std::to_string(skippedSingles) + " single sentences skipped: task '" + task +
                           "' needs pairs");
    if (skippedNoUd > 0)
        warnings.push_back(std::to_string(skippedNoUd) + " items without UD annotation skipped");
    if (c.repeats > 0)
        warnings.push_back(std::to_string(c.repeats) +
                           " repeated sentences labelled once (the labels of their first pair are kept)");

    if (c.examples.empty()) {
        if (isUdTask(task)) {
            std::set<std::string> present;
            for (const auto& item : dataset.items)
                for (const auto* side : {&item.good, &item.bad})
                    for (const auto& w : side->words) {
                        if (!w.ud) continue;
                        std::string_view f = w.ud->feats;
                        while (!f.empty()) {
                            const auto bar = f.find('|');
                            const auto kv = f.substr(0, bar);
                            present.insert(std::string(kv.substr(0, kv.find('='))));
                            if (bar == std::string_view::npos) break;
                            f.remove_prefix(bar + 1);
                        }
                    }
            std::string list;
            for (const auto& p : present) list += (list.empty() ? "" : ", ") + p;
            return Status::failed("no word of dataset " + datasetLabel(dataset) + " has the UD feature '" + feature +
                                  "' (features present: " + (list.empty() ? "none" : list) + ")");
        }
        return Status::failed("task '" + task + "' found nothing to label in dataset " + datasetLabel(dataset));
    }

    // Groups: connected sentences (pairs, and pairs sharing a sentence).
    const auto S = c.sentences().size();
    std::vector<std::int32_t> groupOf(S);
    for (std::size_t s = 0; s < S; ++s) groupOf[s] = c.root(static_cast<std::int32_t>(s));

    // A seeded subset of whole groups, up to about maxExamples examples.
    std::vector<RawExample> raw = std::move(c.examples);
    if (spec.maxExamples > 0 && static_cast<std::int64_t>(raw.size()) > spec.maxExamples) {
        std::map<std::int32_t, std::int64_t> perGroup;
        for (const auto& e : raw) ++perGroup[groupOf[static_cast<std::size_t>(e.sentence)]];
        std::vector<std::int32_t> order;
        for (const auto& [g, n] : perGroup) order.push_back(g);
        seededShuffle(order, spec.seed);
        std::set<std::int32_t> kept;
        std::int64_t total = 0;
        for (std::int32_t g : order) {
            if (total >= spec.maxExamples) break;
            kept.insert(g);
            total += perGroup[g];
        }
        std::erase_if(raw, [&](const RawExample& e) { return !kept.count(groupOf[static_cast<std::size_t>(e.sentence)]); });
        warnings.push_back("a seeded subset of " + std::to_string(raw.size()) + " examples (" +
                           std::to_string(kept.size()) + " of " + std::to_string(order.size()) +
                           " sentence groups) is used (max examples " + std::to_string(spec.maxExamples) + ")");
    }

    // Classes: sorted; rare ones dropped.
    std::map<std::string, std::int64_t> counts;
    for (const auto& e : raw) ++counts[e.label];
    std::vector<std::string> classes;
    for (const auto& [label, n] : counts) {
        if (n >= spec.minClassCount) {
            classes.push_back(label);
        } else {
            warnings.push_back("class '" + label + "' has " + std::to_string(n) + " examples (fewer than " +
                               std::to_string(spec.minClassCount) + "): dropped");
        }
    }
    if (classes.size() < 2) {
        std::string list;
        for (const auto& [label, n] : counts) list += (list.empty() ? "" : ", ") + label + " " + std::to_string(n);
        return Status::failed("task '" + task + "' on dataset " + datasetLabel(dataset) + ": " +
                              (classes.empty() ? std::string("no class") : "only one class ('" + classes[0] + "')") +
                              " has at least " + std::to_string(spec.minClassCount) +
                              " examples; a probe needs two (counts: " + list + ")");
    }
    std::unordered_map<std::string, std::int32_t> classIndex;
    for (std::size_t k = 0; k < classes.size(); ++k) classIndex[classes[k]] = static_cast<std::int32_t>(k);

    // Only the sentences that still have examples, in dataset order; groups renumbered.
    std::vector<std::int32_t> newIndex(S, -1);
    for (const auto& e : raw)
        if (classIndex.count(e.label)) newIndex[static_cast<std::size_t>(e.sentence)] = 0;
    std::map<std::int32_t, std::int64_t> groupIds;
    out.spec = spec;
    out.classes = classes;
    out.classCounts.assign(classes.size(), 0);
    for (std::size_t s = 0; s < S; ++s) {
        if (newIndex[s] < 0) continue;
        newIndex[s] = static_cast<std::int32_t>(out.sentences.size());
        out.sentences.push_back(c.sentences()[s]);
        out.sentenceTokens.push_back(c.tokens()[s]);
        auto [it, inserted] = groupIds.try_emplace(groupOf[s], static_cast<std::int64_t>(groupIds.size()));
        out.sentenceGroup.push_back(it->second);
    }
    // Examples sentence by sentence in dataset order, in token order within one.
    std::stable_sort(raw.begin(), raw.end(), [&](const RawExample& a, const RawExample& b) {
        return newIndex[static_cast<std::size_t>(a.sentence)] < newIndex[static_cast<std::size_t>(b.sentence)];
    });
    for (auto& e : raw) {
        auto it = classIndex.find(e.label);
        if (it == classIndex.end()) continue;
        ProbeExample x;
        x.sentence = newIndex[static_cast<std::size_t>(e.sentence)];
        x.tokens = std::move(e.tokens);
        x.label = it->second;
        x.wordType = std::move(e.wordType);
        x.text = std::move(e.text);
        ++out.classCounts[static_cast<std::size_t>(x.label)];
        out.examples.push_back(std::move(x));
    }
    out.warnings = std::move(warnings);
    return Status::ok();
}

} // namespace gs
