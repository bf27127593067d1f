#pragma once
// CoNLL-U (Universal Dependencies) reading, and the polypersonal
// transformation of methods.md §1 applied to UD sentences.
//
// Reader: blocks separated by blank lines; comment lines "# key = value"
// (sent_id and text kept); word lines of ten tab-separated columns. Multiword
// token lines (1-2) give the surface form and its SpaceAfter; empty nodes
// (1.1) are skipped. Every word gets its byte span in the sentence text: the
// "# text" comment when present and consistent with the forms, else the text
// rebuilt from the forms and SpaceAfter=No (with a warning when "# text" was
// there). The words of a multiword token get their own parts of the token
// when their forms spell it, else all share the token's span. A malformed
// line (wrong column count, bad id, head out of range) skips its sentence with
// an issue naming the line; the other sentences still load.
//
// Polypersonal transformation: for every word with Case=Acc and deprel obj
// (or a subtype "obj:..."; with the stricter variant, only when its head has
// VerbForm=Fin), the head verb (UPOS VERB or AUX) gets the marker of the first
// matching rule of the rule table (pair_generator.h PolypersonalRules: by the
// lower-cased object lemma я / мы / ты / вы, else by the object's Number; an
// object without Number is matched by lemma rules only; suffix or infix),
// inserted into the verb as written (its capitalisation kept). A verb with
// several direct objects takes the first one a rule matches. Sentences where
// nothing changed are dropped. The pair is (standard sentence, polypersonal
// sentence); ids are "<sent_id>-artificial" (kArtificialPairIdSuffix), the
// phenomenon "polypersonal_agreement"; both sides carry the UD annotation (the
// changed verb keeps its own), and good_word / bad_word / word_index name the
// first changed verb (word_index among the sentence's words). Metadata, all
// about that verb: sent_id, verb_lemma, object_lemma, object_feats, marker,
// and verbs_changed (how many verbs of the sentence changed).
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
    std::int64_t skippedVerbTaken = 0;    // the verb already agrees with an earlier object
    std::int64_t skippedVerbSpan = 0;     // the verb has no span of its own (inside a contracted multiword token)
    // objects == verbsChanged + all skipped* counts.
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
