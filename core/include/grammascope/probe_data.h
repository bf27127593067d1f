#pragma once
// Probing a model on a dataset (methods.md §4–5): which units get which
// label (tasks), the hidden states of every layer for a dataset (extracted
// once in padded batches and kept on disk next to the results store, so that
// re-training does not run the model again), probe sets trained on every
// layer with their per-layer report, stored in the results store as
// artefacts, exported as safetensors + JSON, and applied to a sentence to
// give the token x layer probe-confidence heatmap.
//
// Tasks (ProbeTaskInfo::id):
//  token level — labels per token, or per word (sub-token vectors pooled by
//  mean or first piece, ProbeUnit::Word):
//   "changed"        1 for the tokens of a pair's changed words (alignment.h),
//                    0 for every other token, both sentences of every pair;
//   "polypersonal"   1 for the changed words of the ungrammatical side of
//                    pairs whose phenomenon names polypersonal agreement
//                    (contains "polypersonal"), 0 for every other word of
//                    those pairs' two sentences; other pairs are not used;
//   "ud:FEATURE"     the value of a UD feature (Number, Gender, Case, Person,
//                    Tense, ...) of words that have it, from sentences with UD
//                    annotation (CoNLL-U); words without it are not used;
//   "upos"           the UD part of speech of every annotated word;
//  sentence level — one vector per sentence (mean of its non-special tokens,
//  or the first token: SentencePooling):
//   "grammatical"    1 for the good side, 0 for the bad side of every pair;
//   "polypersonal-sentence"  1 for the polypersonal side, 0 for the standard
//                    side of polypersonal pairs.
// Classes are sorted (binary tasks: "no", "yes"); classes with fewer than
// `minClassCount` examples are dropped with a warning.
//
// Splits are by sentence text: both sentences of a pair share a group, so no
// sentence (and no pair) is on both sides.
//
// Thread-safety: buildProbeExamples is a free function on plain values.
// HiddenStateTable is read-only once opened and safe to read from several
// threads. extractHiddenStates and trainProbeSet use the model and the store
// of the calling thread (the worker's); applyProbeSet is const on its inputs.

#include "grammascope/dataset.h"
#include "grammascope/layer_view.h"
#include "grammascope/model.h"
#include "grammascope/probing.h"
#include "grammascope/result_store.h"
#include "grammascope/status.h"
#include "grammascope/tokenizer.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

enum class ProbeUnit : std::uint8_t { Token, Word, Sentence };
enum class WordPooling : std::uint8_t { Mean, First };
enum class SentencePooling : std::uint8_t { Mean, First };

struct ProbeTaskInfo {
    std::string id;            // "changed", "ud:Number", ...; "ud:" alone stands for any feature
    std::string label;         // for people
    std::string description;   // tooltip
    bool sentenceLevel = false;
    bool needsPairs = false;
    bool needsUd = false;
};
const std::vector<ProbeTaskInfo>& probeTasks();
// The entry of a task id ("ud:Case" gives the "ud:" entry), nullptr when unknown.
const ProbeTaskInfo* findProbeTask(std::string_view id);
const char* probeUnitName(ProbeUnit unit);                    // "token", "word", "sentence"
const char* wordPoolingName(WordPooling pooling);             // "mean", "first"
const char* sentencePoolingName(SentencePooling pooling);     // "mean", "first"

struct ProbeTaskSpec {
    std::string task = "changed";   // a ProbeTaskInfo::id ("ud:Case" for a feature)
    ProbeUnit unit = ProbeUnit::Token;   // Token or Word for token-level tasks; Sentence is implied by sentence tasks
    WordPooling wordPooling = WordPooling::Mean;
    SentencePooling sentencePooling = SentencePooling::Mean;
    std::int64_t minClassCount = 5;
    std::int64_t maxExamples = 0;   // 0 = all; else a seeded subset of sentences up to about this many examples
    std::uint64_t seed = 1;
};
// Parses a task id (case of "ud:" feature names kept as given; "number" is
// accepted for "ud:Number" when unambiguous) into spec.task.
Status parseProbeTask(std::string_view text, ProbeTaskSpec& spec);
// Canonical JSON of everything in the spec that changes the examples.
std::string probeTaskJson(const ProbeTaskSpec& spec);

// The labelled units of a dataset under one tokenizer.
struct ProbeExample {
    std::int32_t sentence = 0;            // index into ProbeExampleSet::sentences
    std::vector<std::int32_t> tokens;     // token positions pooled into this unit (one for Token; all non-special for Sentence)
    std::int32_t label = 0;               // index into classes
    std::string wordType;                 // lower-cased word (Token / Word: the word's text; Sentence: the sentence) for the control task
    std::string text;                     // the unit as shown ("ел", "сестра", the sentence)
};
struct ProbeExampleSet {
    ProbeTaskSpec spec;
    std::vector<std::string> classes;
    std::vector<std::string> sentences;   // distinct sentence texts, in dataset order
    std::vector<std::int64_t> sentenceGroup;  // per sentence: its split group (a pair's two sentences share one)
    std::vector<std::int64_t> sentenceTokens;  // per sentence: tokens after truncation (specials included)
    std::vector<ProbeExample> examples;
    std::vector<std::int64_t> classCounts;
    std::vector<std::string> warnings;    // dropped classes, truncated sentences, items without UD, ...
};
// Fails when the dataset cannot give the task (no pairs for "changed", no UD
// for "ud:*") or when fewer than two classes remain, naming the reason.
Status buildProbeExamples(const Tokenizer& tokenizer, const Dataset& dataset, const ProbeTaskSpec& spec,
                          std::int64_t maxLength, ProbeExampleSet& out);

// Hidden states of every layer (0 = embeddings .. L) for a list of
// sentences, stored as float16 in one file, layer-major: for layer l the
// tokens of all sentences one after the other (specials included). The file
// is safetensors ("hidden" [L+1, N, H] F16, "offsets" [S+1] I64,
// "sentences" [S, 32] U8: the SHA-256 of each sentence) with metadata
// (model fingerprint, precision, device class, max length, sentence list
// digest). Opening checks the whole layout, so a truncated or foreign file
// is an error naming it, never a crash.
class HiddenStateTable {
public:
    HiddenStateTable();
    ~HiddenStateTable();
    HiddenStateTable(HiddenStateTable&&) noexcept;
    HiddenStateTable& operator=(HiddenStateTable&&) noexcept;

    static Status open(const std::filesystem::path& file, HiddenStateTable& out);

    std::int64_t layers() const;      // L + 1
    std::int64_t hiddenSize() const;
    std::int64_t sentences() const;
    std::int64_t tokens(std::int64_t sentence) const;
    // Index of a sentence (by the SHA-256 of its text), -1 when the table does not hold it.
    std::int64_t findSentence(std::string_view text) const;
    // Every layer of one sentence as EncodeResult::hidden lays them out:
    // [(L + 1) x T x H] floats (from fp16).
    Status hiddenStates(std::int64_t sentence, std::vector<float>& out) const;
    // The table row of a sentence's first token (-1 when out of range); the
    // sentence's tokens are the rows firstToken .. firstToken + tokens - 1.
    std::int64_t firstToken(std::int64_t sentence) const;
    // Token rows (table rows, any order) of one layer into out [n x H]
    // floats, read from the memory-mapped file (nothing else is loaded).
    Status readRows(int layer, const std::int64_t* rows, std::int64_t n, float* out) const;
    // Pools the rows of each example from `layer` into a matrix (rows follow
    // `examples`). Sentences are looked up by text, so a table of a superset
    // of the set's sentences serves too; a sentence that is missing or has
    // another token count than the set says is an error naming the file.
    // Word: mean or first piece; Sentence: mean of the example's tokens, or
    // the sequence's first token ([CLS] / <s>) for SentencePooling::First.
    Status gather(int layer, const ProbeExampleSet& set, FeatureMatrix& out) const;
    const std::filesystem::path& file() const;
    // The file's safetensors metadata (model, precision, max_length, ...).
    const std::map<std::string, std::string>& metadata() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The layers a request names (0 = embeddings .. L; empty = all of them),
// sorted and without duplicates; fails naming a layer the model does not have.
Status resolveModelLayers(const Model& model, const std::vector<int>& requested, std::vector<int>& out);
// A requested maximum length as applied to the model (0 or more than it allows: its maximum).
std::int64_t effectiveMaxLength(const Model& model, std::int64_t requested);

struct ExtractionProgress {
    std::int64_t sentencesDone = 0, sentencesTotal = 0;
    std::int64_t tokensDone = 0, tokensTotal = 0;
    double tokensPerSecond = 0;
    bool fromCache = false;           // the table already existed
};
using ExtractionProgressCallback = std::function<bool(const ExtractionProgress&)>;  // false = cancel

// The hidden-state table of `sentences` under `model`: reused when the store
// already holds one for the same model fingerprint, precision, device class
// and max length (artefact kind "hidden-states") that holds every sentence
// (the exact list, or any stored superset), else computed in length-sorted
// padded batches (at most batchTokens padded tokens per forward pass),
// written next to the store (<store dir>/hidden-states/<key>.safetensors; a
// ":memory:" store uses the system temp dir) via a temporary file renamed
// into place, and registered. A registered file that is missing, damaged or
// for another model is extracted again. `fingerprint` is the model's store
// fingerprint. Cancel (the callback returning false, or *cancel) is checked
// between batches and between layers; nothing is registered and the
// temporary file is removed.
Status extractHiddenStates(const Model& model, const std::string& fingerprint, ResultStore& store,
                           const std::vector<std::string>& sentences, std::int64_t maxLength,
                           std::int64_t batchTokens, HiddenStateTable& out,
                           const ExtractionProgressCallback& progress = {},
                           const std::atomic<bool>* cancel = nullptr);

// A probe for every requested layer of one task, with its report.
struct ProbeSet {
    std::string name;                 // artefact name (probeSetName())
    std::string modelFingerprint;
    std::string datasetHash;          // content hash of the dataset's items
    std::string datasetName;
    ProbeTaskSpec spec;
    LayerProbeOptions options;
    std::vector<std::string> classes;
    std::vector<std::int64_t> classCounts;
    std::vector<int> layers;          // ascending
    std::vector<TrainedProbe> probes;        // per layer
    std::vector<LayerProbeReport> reports;   // per layer
    std::vector<LearningCurvePoint> learningCurve;  // on curveLayer, when asked for
    int curveLayer = -1;
    std::int64_t examples = 0, sentences = 0;
    std::int64_t createdMs = 0;
    double seconds = 0;               // training wall time
    std::vector<std::string> warnings;
    // How it was trained (ProbeTrainRequest), for the record and reproduction.
    double devFraction = 0.1, testFraction = 0.2;
    std::uint64_t splitSeed = 1;
    std::int64_t maxLength = 0;       // effective maximum length, specials included
};

// The artefact name: task, unit, model, dataset and a digest of the options.
std::string probeSetName(const std::string& modelFingerprint, const std::string& datasetHash,
                         const ProbeTaskSpec& spec, const LayerProbeOptions& options);
// Content hash of a dataset's items (ids, phenomena, sentences), stable across file paths.
std::string datasetContentHash(const Dataset& dataset);

struct ProbeTrainRequest {
    ProbeTaskSpec spec;
    LayerProbeOptions options;
    std::vector<int> layers;          // empty = every layer 0 .. L
    double devFraction = 0.1, testFraction = 0.2;
    std::uint64_t splitSeed = 1;
    std::int64_t maxLength = 0;       // 0 = the model's maximum
    std::int64_t batchTokens = 8192;  // extraction
    bool learningCurve = false;       // Bayesian-MI curve on curveLayer
    int curveLayer = -1;              // -1 = the layer with the best accuracy
    int curvePoints = 8, curveRepeats = 3;
    bool reuse = true;                // return a stored probe set with the same name instead of training
};

struct ProbeTrainProgress {
    std::string stage;                // "hidden states", "layer 3: probe", "layer 3: MDL", ...
    int step = 0, steps = 0;          // over the whole job
    ExtractionProgress extraction;    // during extraction
};
using ProbeTrainProgressCallback = std::function<bool(const ProbeTrainProgress&)>;  // false = cancel

// The name trainProbeSet stores a request under: probeSetName() above is
// this with the request's other members at their defaults.
std::string probeSetName(const std::string& modelFingerprint, const std::string& datasetHash,
                         const ProbeTrainRequest& request);

// Builds the examples, extracts (or reuses) the hidden states, trains and
// evaluates a probe per layer and stores the set as an artefact (kind
// "probe", blob = safetensors of every layer's tensors "layer.<l>.w1", ...;
// metadata = the set's JSON without the weights). `reused` tells whether a
// stored set was returned. Deterministic for the request's seeds and a
// given thread count. Cancellation: `*cancel` is polled inside every step
// (extraction batches, epochs, MDL blocks, slices); the callback returning
// false is seen at the next progress report. A cancelled call stores no
// probe set (hidden states already extracted stay). When only saving
// failed, `out` still holds the trained set and the Status names the saving.
Status trainProbeSet(const Model& model, const std::string& fingerprint, ResultStore& store, const Dataset& dataset,
                     const ProbeTrainRequest& request, ProbeSet& out, bool& reused,
                     const ProbeTrainProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Stored probe sets (metadata only: probes empty) and one with its weights.
Status listProbeSets(ResultStore& store, const std::string& modelFingerprint, std::vector<ProbeSet>& out);  // "" = all models
Status loadProbeSet(ResultStore& store, const std::string& name, ProbeSet& out, bool& found);
// Deletes a stored probe set; fails naming it when there is none.
Status deleteProbeSet(ResultStore& store, const std::string& name);

// The set as JSON (metadata, classes, per-layer reports, learning curve).
std::string probeSetJson(const ProbeSet& set);
// Writes <dir>/probes.safetensors and <dir>/probes.json (creates dir).
Status exportProbeSet(const ProbeSet& set, const std::filesystem::path& dir);
// Reads a directory written by exportProbeSet.
Status importProbeSet(const std::filesystem::path& dir, ProbeSet& out);

// Probe confidence on one sentence: P(class | h_l,t) for every token and
// every layer of the set, from `hidden` (an EncodeResult with hidden states
// of the same model). Rows are the set's layers ("emb", "1", ...), columns
// the sentence's tokens (specials included; Word-unit probes pool each
// word's pieces and give every piece its word's value; sentence-level probes
// give one value per layer in every column). `grouping` as for layer views.
Status applyProbeSet(const ProbeSet& set, const EncodeResult& hidden, int classIndex, TokenGrouping grouping,
                     Heatmap& out);
// The same for many sentences at once (one probe evaluation per layer for
// all of them: much faster than one call per sentence); out[i] belongs to hidden[i].
Status applyProbeSet(const ProbeSet& set, const std::vector<const EncodeResult*>& hidden, int classIndex,
                     TokenGrouping grouping, std::vector<Heatmap>& out);

} // namespace gs
