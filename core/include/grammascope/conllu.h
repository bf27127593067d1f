#pragma once
// CoNLL-U (Universal Dependencies) reading, and the polypersonal
// transformation of methods.md §1 applied to UD sentences.
//
// Reader: blocks separated by blank lines; comment lines "# key = value"
// (sent_id and text kept); word lines of ten tab-separated columns. Multiword
// token lines (1-2) give the surface form and its SpaceAfter; empty nodes
// (1.1) are skipped. Every word gets its byte span in the sentence text: the
// "# text" comment when present and consistent with the forms, else the text
// rebuilt from the forms and SpaceAfter=No. A malformed line (wrong column
// count, bad id, head out of range) skips its sentence with an issue naming
// the line; the other sentences still load.
//
// Polypersonal transformation: for every word with Case=Acc and deprel obj
// (with the stricter variant, only when its head has VerbForm=Fin), the head
// verb's surface form gets the marker of the first matching rule of the rule
// table (pair_generator.h PolypersonalRules: by object lemma я / мы / ты / вы,
// else by the object's Number; suffix or infix). A verb with several direct
// objects takes the first. Sentences where nothing changed are dropped. The
// pair is (standard sentence, polypersonal sentence); ids are
// "<sent_id>-artificial" (kArtificialPairIdSuffix), the phenomenon
// "polypersonal_agreement"; both sides carry the UD annotation (the changed
// verb keeps its own), and good_word / bad_word / word_index name the first
// changed verb (word_index among the sentence's words).
//
// Thread-safety: free functions on plain values.

#include "grammascope/dataset.h"
#include "grammascope/pair_generator.h"
#include "grammascope/status.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

struct ConlluSentence {
    std::string sentId;          // "# sent_id", else "<source>:<line>"
    std::int64_t line = 0;       // 1-based line of the block's first line
    AnnotatedSentence sentence;  // text and words with UD annotation
};

struct ConlluDocument {
    std::vector<ConlluSentence> sentences;
    std::vector<DatasetIssue> issues;
};

// Fails only when the text is not UTF-8 or holds no sentence at all.
Status parseConllu(std::string_view text, const std::string& sourceName, ConlluDocument& out);
Status readConllu(const std::filesystem::path& file, ConlluDocument& out);

struct PolypersonalOptions {
    PolypersonalRules rules;     // default: defaultPolypersonalRules()
    bool requireFiniteHead = false;
};

// The published rule (methods.md §1): я → «ю», мы → «ем», ты → «ешь»,
// вы → «ете»; otherwise Sing → «ет», Plur → «ете»; suffix kind.
PolypersonalRules defaultPolypersonalRules();

struct PolypersonalStats {
    std::int64_t sentences = 0;   // read
    std::int64_t objects = 0;     // Case=Acc + obj words seen
    std::int64_t verbsChanged = 0;
    std::int64_t pairs = 0;       // sentences with at least one change
    std::int64_t skippedNoRule = 0;       // objects no rule matched (no Number, ...)
    std::int64_t skippedNotFinite = 0;    // strict variant only
    std::int64_t skippedHeadNotVerb = 0;  // head is not VERB / AUX
};

struct PolypersonalResult {
    std::vector<DatasetItem> items;
    PolypersonalStats stats;
};

// `progress` is called with (sentences done, total) every 1,000 sentences;
// returning false cancels.
Status generatePolypersonalPairs(const std::vector<ConlluSentence>& sentences, const PolypersonalOptions& options,
                                 PolypersonalResult& out, const ProgressCallback& progress = {});

} // namespace gs
