#pragma once
// A generator of Russian minimal pairs: a grammatical sentence and a twin
// that differs from it in exactly one word and breaks exactly one rule. The
// sentences come from a small hand-written lexicon (resources/demo/lexicon.json:
// full paradigms of nouns, verbs, adjectives, pronouns; prepositions and the
// case they govern; adverbs; sentence templates) put together under the
// lexicon's semantic constraints (who may do what to what, which adjective
// fits which noun, which preposition phrase fits which verb).
//
// Phenomena (their ids form the `phenomenon` column of the CSV):
//   subject_verb_number        «Мальчики читают книгу» / «Мальчики читает книгу»
//   subject_verb_person        «Мы читаем книгу» / «Мы читают книгу»
//   subject_verb_gender_past   «Девочка читала книгу» / «Девочка читал книгу»
//   adjective_noun_gender      «новую книгу» / «новый книгу»   (same case and number)
//   adjective_noun_number      «новые книги» / «новая книги»   (same case)
//   adjective_noun_case        «новую книгу» / «новая книгу»   (same gender and number)
//   verb_case_government       «помогает маме» / «помогает маму»
//   preposition_case_government «в парке» / «в парком»
//   polypersonal_agreement     «видит меня» / «видитю меня» (methods.md §1)
// The bad twin is also checked not to be grammatical under another reading
// the lexicon knows of (a form shared by two cells of a paradigm, a case the
// verb or preposition also allows).
//
// polypersonal_agreement is different in kind: its "bad" sentence is correct
// in the artificial polypersonal grammar (the verb also agrees with its direct
// object), so the pair is (standard Russian, polypersonal Russian) and a model
// of standard Russian should prefer `good`. These pairs are marked: their ids
// end in kArtificialPairIdSuffix ("-artificial").
//
// Thread-safety: Lexicon and PolypersonalRules are immutable values once
// loaded and may be shared read-only between threads; generateMinimalPairs
// keeps all of its state local (one random generator per phenomenon, seeded
// from options.seed and the phenomenon id, so a phenomenon's pairs do not
// depend on which other phenomena are asked for), so concurrent calls are safe.

#include "grammascope/pairs.h"
#include "grammascope/status.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

enum class GramCase : std::uint8_t { Nom, Gen, Dat, Acc, Ins, Loc };
inline constexpr int kGramCaseCount = 6;
enum class GramNumber : std::uint8_t { Sg, Pl };
enum class GramGender : std::uint8_t { Masc, Fem, Neut };
enum class VerbAspect : std::uint8_t { Imperfective, Perfective };
// Present exists for imperfective verbs, future (synthetic) for perfective ones.
enum class VerbTense : std::uint8_t { Present, Past, Future };

const char* gramCaseName(GramCase c);  // "nom", "gen", "dat", "acc", "ins", "loc"

struct LexNoun {
    std::string lemma;
    GramGender gender = GramGender::Masc;
    bool animate = false;
    bool hasPlural = true;
    bool mass = false;                   // partitive genitive possible («выпил воды»)
    std::vector<std::string> tags;       // semantic classes: human, animal, text, place_in, ...
    std::array<std::string, kGramCaseCount> sg, pl;  // indexed by GramCase; pl empty without plural
    std::string loc2;                    // second locative («на дому»), empty if none
    std::string gen2;                    // partitive genitive («чаю»), empty if none

    const std::string& form(GramNumber n, GramCase c) const {
        return (n == GramNumber::Sg ? sg : pl)[static_cast<std::size_t>(c)];
    }
};

struct LexPronoun {
    std::string lemma;                   // nominative: я, ты, он, она, оно, мы, вы, они
    int person = 3;
    GramNumber number = GramNumber::Sg;
    std::optional<GramGender> gender;    // none for я / ты (either) and the plural
    std::vector<std::string> tags;       // what it may stand for (human, thing, ...)
    std::array<std::string, kGramCaseCount> forms;
};

struct LexVerb {
    std::string lemma;
    VerbAspect aspect = VerbAspect::Imperfective;
    std::vector<std::string> tags;       // event, state, attention, motion, ... (adverb fit)
    std::vector<std::string> subjectTags;
    std::optional<GramCase> objectCase;  // the case of its object; none: intransitive
    bool objectOptional = false;         // may be used without its object («Мальчик читает.»)
    std::vector<std::string> objectTags;
    // Cases its object slot could also take under another reading (a recipient
    // dative, an instrument, the genitive of «ждать автобуса»): never used as
    // the bad case of verb_case_government.
    std::vector<GramCase> alsoGrammaticalCases;
    std::vector<std::string> ppRoles;    // preposition phrases it takes (location, time, ...)
    // 1sg 2sg 3sg 1pl 2pl 3pl: present of an imperfective, future of a perfective.
    std::array<std::string, 6> nonPast;
    std::array<std::string, 4> past;     // m f n pl

    const std::string& nonPastForm(int person, GramNumber n) const {
        return nonPast[static_cast<std::size_t>((person - 1) + (n == GramNumber::Pl ? 3 : 0))];
    }
    const std::string& pastForm(GramNumber n, GramGender g) const {
        return past[n == GramNumber::Pl ? 3 : static_cast<std::size_t>(g)];
    }
};

struct LexAdjective {
    std::string lemma;
    std::vector<std::string> nounTags;   // fits nouns with one of these tags; empty: any noun
    // [m, f, n, pl][case]; the accusative entry is the inanimate one.
    std::array<std::array<std::string, kGramCaseCount>, 4> forms;
    std::string accAnimateMasc, accAnimatePlural;  // = genitive in standard Russian

    // The form agreeing with a noun of this gender / animacy in case c, number n.
    const std::string& form(GramNumber n, GramGender g, GramCase c, bool animate) const;
};

struct LexPreposition {
    std::string form;                    // «в», «с», «о»
    GramCase governedCase = GramCase::Loc;
    std::vector<GramCase> otherCases;    // other cases it governs in other senses («в» + acc)
    std::string role;                    // the phrase's role: location, time, direction, ...
    std::vector<std::string> nounTags;
    std::string altForm;                 // «со», «об», «во», «ко»: used before words starting
    std::vector<std::string> altBefore;  // with one of these prefixes (lower case)
    bool pluralOk = false;               // its noun may be plural («с друзьями»; not «за столами»)
    bool fronting = true;                // may open the sentence («В парке …»; not «С мамой …»)
    std::vector<std::string> subjectTags;  // the clause's subject must have one of these (empty: any)

    // The spelling before `nextWord` («с сестрой», «со студентом», «об уроке»).
    const std::string& formBefore(std::string_view nextWord) const;
};

enum class AdverbPosition : std::uint8_t { Initial, Preverbal, Final };

struct LexAdverb {
    std::string form;
    std::string role;                    // time, frequency, manner
    std::vector<VerbTense> tenses;       // empty: any
    std::vector<VerbAspect> aspects;     // empty: any
    std::vector<std::string> verbTagsAny;   // the verb must have one of these (empty: no need)
    std::vector<std::string> verbTagsNone;  // ... and none of these
    std::vector<AdverbPosition> positions;  // empty: any
};

// A word order: S subject, V verb, O object, P preposition phrase, A adverb.
enum class TemplateSlot : std::uint8_t { Subject, Verb, Object, Prep, Adverb };
struct SentenceTemplate {
    std::string pattern;                 // as written: "A S V O P"
    std::vector<TemplateSlot> slotOrder;  // not "slots": Qt defines that as a macro
    int weight = 1;
};

// The polypersonal transformation (methods.md §1). The first rule that matches
// the direct object decides the marker: a rule names an object lemma (я, мы,
// ты, вы), or an object number (sg, pl), or both. A suffix rule appends the
// marker to the verb form («отличали» → «отличалиет»); an infix rule inserts
// it before the verb's inflectional ending, the longest of `endings` that the
// form ends with («делала» with ending «а» → «делалета»); a form with none of
// the endings gets the marker at its end.
enum class PolypersonalKind : std::uint8_t { Suffix, Infix };
struct PolypersonalRule {
    std::string objectLemma;             // empty: any
    std::optional<GramNumber> objectNumber;
    std::string marker;
    std::optional<PolypersonalKind> kind;  // none: the table's default
};
struct PolypersonalRules {
    PolypersonalKind kind = PolypersonalKind::Suffix;
    std::vector<std::string> endings;
    std::vector<PolypersonalRule> rules;
};

// The verb form with the polypersonal marker for this object, or nothing when
// no rule matches (the verb stays unchanged).
std::optional<std::string> polypersonalVerbForm(const PolypersonalRules& rules, const std::string& verbForm,
                                                const std::string& objectLemma, GramNumber objectNumber);
// The same for an object whose number may be unknown (a UD word without
// Number): then only rules that ask for no number can match.
std::optional<std::string> polypersonalVerbForm(const PolypersonalRules& rules, const std::string& verbForm,
                                                const std::string& objectLemma, std::optional<GramNumber> objectNumber);

struct Lexicon {
    std::string source;                  // file name, for messages
    std::vector<LexNoun> nouns;
    std::vector<LexPronoun> pronouns;
    std::vector<LexVerb> verbs;
    std::vector<LexAdjective> adjectives;
    std::vector<LexPreposition> prepositions;
    std::vector<LexAdverb> adverbs;
    std::vector<SentenceTemplate> templates;
    PolypersonalRules polypersonal;
};

// Parses lexicon JSON (format described in resources/demo/README.md). Errors
// name the source and the entry: "lexicon.json: nouns[3] (книга): pl: missing 'ins'".
Status parseLexicon(const std::string& jsonText, const std::string& sourceName, Lexicon& out);
Status loadLexicon(const std::filesystem::path& file, Lexicon& out);
// A rule table on its own ({"kind": ..., "endings": [...], "rules": [...]}),
// the same shape as the lexicon's "polypersonal" member; replaces the lexicon's.
Status parsePolypersonalRules(const std::string& jsonText, const std::string& sourceName, PolypersonalRules& out);
Status loadPolypersonalRules(const std::filesystem::path& file, PolypersonalRules& out);

enum class PairPhenomenon : std::uint8_t {
    SubjectVerbNumber,
    SubjectVerbPerson,
    SubjectVerbGenderPast,
    AdjectiveNounGender,
    AdjectiveNounNumber,
    AdjectiveNounCase,
    VerbCaseGovernment,
    PrepositionCaseGovernment,
    PolypersonalAgreement,
};

const std::vector<PairPhenomenon>& allPairPhenomena();  // in the order above
const char* pairPhenomenonId(PairPhenomenon p);          // "subject_verb_number", ...
std::optional<PairPhenomenon> pairPhenomenonFromId(std::string_view id);

inline constexpr const char* kArtificialPairIdSuffix = "-artificial";
// True for pairs whose bad sentence is artificial-grammar Russian, not an error.
bool isArtificialPair(const MinimalPair& pair);

struct PairGenerationOptions {
    std::uint64_t seed = 1;
    int countPerPhenomenon = 300;
    std::vector<PairPhenomenon> phenomena;  // empty: all, in the canonical order
    int maxAttemptsPerPair = 400;           // sentences tried per wanted pair before giving up
};

// Pairs are MinimalPair values (grammascope/pairs.h) with every field set:
// id "<phenomenon>-<n>" (n from 1, zero-padded, "-artificial" appended for
// polypersonal_agreement); good and bad capitalised and ending in a period;
// good_word / bad_word the differing word as it is written in the sentence
// (capitalised when first, without the final period); word_index its 0-based
// index among the whitespace-separated words.
struct PairGenerationResult {
    std::vector<MinimalPair> pairs;
    std::vector<std::string> warnings;      // e.g. fewer pairs than asked for a phenomenon
};

// Deterministic for a given lexicon, options and seed. Fails when the lexicon
// cannot produce a phenomenon at all; returns fewer pairs than asked (with a
// warning) when it runs out of distinct ones. `progress` is called with
// (pairs done, pairs wanted) after every phenomenon; returning false cancels.
Status generateMinimalPairs(const Lexicon& lexicon, const PairGenerationOptions& options, PairGenerationResult& out,
                            const ProgressCallback& progress = {});

// The Grammascope CSV schema (id,phenomenon,good,bad,good_word,bad_word,word_index):
// UTF-8, header line, RFC 4180 quoting, CRLF line ends. Read back with readPairsCsv.
std::string minimalPairsToCsv(const std::vector<MinimalPair>& pairs);
// Writes through a temporary file in the same folder renamed into place, so a
// reader sees the old file or the complete new one.
Status writeMinimalPairsCsv(const std::filesystem::path& file, const std::vector<MinimalPair>& pairs);
// The same schema with extra columns after the seven standard ones (readPairsCsv
// ignores them): `extraColumns` names them and extraValues[i] holds pair i's
// values in that order (missing values are written empty).
std::string minimalPairsToCsv(const std::vector<MinimalPair>& pairs, const std::vector<std::string>& extraColumns,
                              const std::vector<std::vector<std::string>>& extraValues);
Status writeMinimalPairsCsv(const std::filesystem::path& file, const std::vector<MinimalPair>& pairs,
                            const std::vector<std::string>& extraColumns,
                            const std::vector<std::vector<std::string>>& extraValues);

} // namespace gs
