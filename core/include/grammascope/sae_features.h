#pragma once
// Reading a trained SAE set (sae_data.h, methods.md §6) without labels:
//  - which features fire on which token of a sentence (a feature x token
//    heatmap of the features most active on it);
//  - one feature across the tokens of a sentence and across layers: its own
//    layer, and in every other layer of the set the feature whose decoder
//    direction is nearest to it (cosine), so a direction can be followed up
//    and down the model;
//  - a feature's profile over a dataset: firing frequency, mean and largest
//    activation, activation histogram, top-activating contexts (sentence and
//    token) and nearest features by decoder cosine;
//  - the features whose activation differs most between the two sentences of
//    a minimal pair.
//
// Activations of a token are the SAE codes of its hidden state at the layer
// (TopK: the k kept values after ReLU; ReLU + L1: every positive code). Word
// columns take the largest activation over the word's pieces. Special tokens
// ([CLS], [SEP]) are columns like any other, but the SAEs are normally trained
// without them: their columns are NaN (drawn grey) unless the set was trained
// with request.includeSpecials.
//
// Thread-safety: free functions on values; the index builder uses the model
// and store of the calling thread (as sae_data.h). Cancellation: `*cancel` is
// polled between chunks of rows; the progress callback returning false
// cancels at the next report.

#include "grammascope/dataset.h"
#include "grammascope/layer_view.h"
#include "grammascope/model.h"
#include "grammascope/result_store.h"
#include "grammascope/sae.h"
#include "grammascope/sae_data.h"
#include "grammascope/status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gs {

// The layer result of a set for a model layer, or null.
const SaeLayerResult* saeLayer(const SaeSet& set, int layer);

// Every feature's activation on every token of `hidden` at `layer`:
// [T x dSae] row-major (dense; T is small). Fails when the set has no SAE
// for the layer or its d_in is not the hidden size.
Status saeTokenActivations(const SaeSet& set, int layer, const EncodeResult& hidden, std::vector<float>& out);

// The features to show for a sentence: the union of each non-special token's
// `perToken` strongest features, ordered by their largest activation on the
// sentence (descending), at most `maxFeatures`.
Status saeSentenceTopFeatures(const SaeSet& set, int layer, const EncodeResult& hidden, int perToken, int maxFeatures,
                              std::vector<std::int32_t>& out);

// Heatmap with one row per feature of `features` (labels "#812"), columns =
// tokens or words of `hidden`, values = activation (0 where it does not
// fire; NaN on special columns unless the set trained on specials).
Status saeFeatureHeatmap(const SaeSet& set, int layer, const std::vector<std::int32_t>& features,
                         const EncodeResult& hidden, TokenGrouping grouping, Heatmap& out);

struct SaeNeighbour {
    int layer = 0;
    std::int32_t feature = -1;
    float cosine = 0;  // between unit-norm decoder rows
};
// The `count` features of `other` (same d_in) whose decoder rows have the
// largest cosine with feature `feature` of `sae`, descending; when `other`
// is `sae` itself the feature is left out.
Status saeNearestFeatures(const SparseAutoencoder& sae, std::int32_t feature, const SparseAutoencoder& other,
                          int count, std::vector<SaeNeighbour>& out);

// One feature followed across the layers of the set. Row per layer of the
// set (ascending): at `layer` the feature itself (cosine 1), elsewhere the
// nearest feature there by decoder cosine. Labels "L3 #812 (cos 0.71)".
struct SaeFeatureTrace {
    Heatmap heatmap;
    std::vector<SaeNeighbour> rows;  // per heatmap row
    int homeRow = 0;                 // the row of the feature itself
};
Status saeFeatureTrace(const SaeSet& set, int layer, std::int32_t feature, const EncodeResult& hidden,
                       TokenGrouping grouping, SaeFeatureTrace& out);

// Features that differ most between two sentences (a pair's grammatical and
// ungrammatical side) at one layer. Per sentence a feature's activation is
// its largest over the non-special tokens; sorted by |good − bad|
// descending, at most `count`, features active on neither left out.
struct SaePairDifference {
    std::int32_t feature = -1;
    float good = 0, bad = 0;  // largest activation on each sentence
    float difference = 0;     // good − bad
    std::int64_t goodToken = -1, badToken = -1;  // where the largest activation is (-1: not firing)
};
Status saePairDifferences(const SaeSet& set, int layer, const EncodeResult& good, const EncodeResult& bad, int count,
                          std::vector<SaePairDifference>& out);

// ------------------------------------------------------------ dataset index

struct SaeContext {
    std::int64_t sentence = -1;  // index into SaeFeatureIndex::sentences
    std::int64_t token = -1;     // token position in the sentence's encoding (specials included)
    float value = 0;
    std::int64_t byteBegin = -1, byteEnd = -1;  // the token's span in the sentence text (UTF-8 bytes)
};

struct SaeFeatureProfile {
    std::int64_t fireCount = 0;    // tokens on which the feature fires
    double meanActivation = 0;     // over the tokens where it fires
    float maxActivation = 0;
    std::vector<SaeContext> top;   // strongest contexts, descending (one per token)
    std::vector<std::int64_t> histogram;  // bins over (0, maxActivation], equal width
};

struct SaeFeatureIndex {
    std::string setName;
    int layer = 0;
    std::string datasetHash, datasetName;
    std::int64_t tokens = 0;                // token rows scanned
    std::vector<std::string> sentences;     // the dataset's distinct sentences (datasetSentences order)
    std::vector<SaeFeatureProfile> features;  // [dSae]
    int histogramBins = 0;

    double firingFrequency(std::int32_t feature) const;  // fireCount / tokens
};

struct SaeFeatureIndexOptions {
    int topContexts = 20;
    int histogramBins = 40;
    std::int64_t batchTokens = 8192;  // extraction
    bool reuse = true;                // read a stored index instead of building it
};

struct SaeIndexProgress {
    std::string stage;                // "hidden states", "scanning"
    std::int64_t done = 0, total = 0; // rows while scanning
    ExtractionProgress extraction;    // while the hidden states are extracted
};
using SaeIndexProgressCallback = std::function<bool(const SaeIndexProgress&)>;  // false = cancel

// Scans every token row of the dataset's sentences at `layer` (hidden states
// from extractHiddenStates, extracted once and kept next to the store) with
// the layer's SAE. The rows scanned follow the set's includeSpecials. The
// index is stored in the results store (artefact kind "sae-index", keyed by
// set, layer, dataset and options), so opening it again reads it back.
Status buildSaeFeatureIndex(const Model& model, const std::string& fingerprint, ResultStore& store,
                            const Dataset& dataset, const SaeSet& set, int layer,
                            const SaeFeatureIndexOptions& options, SaeFeatureIndex& out,
                            const SaeIndexProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

// The index as JSON (for the CLI): per feature its counts and top contexts
// with the sentence text and the token text; `features` empty = all.
std::string saeFeatureIndexJson(const SaeFeatureIndex& index, const std::vector<std::int32_t>& features);

} // namespace gs
