#pragma once
// Random clauses from the lexicon: a template (word order), a verb, a subject,
// an object, a preposition phrase and an adverb chosen under the lexicon's
// semantic constraints, and their rendering into words with the position of
// every constituent recorded, so that a phenomenon can swap exactly one word.
//
// Thread-safety: a SentenceBuilder is immutable after construction; all
// randomness comes from the caller's Rng.

#include "grammascope/pair_generator.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gs::datasets {

// splitmix64: tiny, and the same sequence on every platform and standard
// library (std::uniform_int_distribution is not specified bit for bit).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next();
    std::size_t below(std::size_t n);  // uniform in [0, n); n > 0
    bool chance(double p);             // true with probability p
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

private:
    std::uint64_t m_state;
};

struct NounPhrase {
    bool pronoun = false;
    int index = -1;  // into Lexicon::nouns or Lexicon::pronouns
    GramNumber number = GramNumber::Sg;
    GramCase gramCase = GramCase::Nom;
    int adjective = -1;  // into Lexicon::adjectives; -1: none
};

struct PrepPhrase {
    int preposition = -1;
    NounPhrase np;
};

struct Clause {
    int templ = -1;
    int verb = -1;
    VerbTense tense = VerbTense::Present;
    NounPhrase subject;
    std::optional<GramGender> speakerGender;  // past tense with я / ты: the gender chosen
    std::optional<NounPhrase> object;
    std::optional<PrepPhrase> pp;
    int adverb = -1;
};

// Word positions of each part in the rendered clause; -1 when absent.
struct RenderedClause {
    std::vector<std::string> words;  // lower case, no final period
    int verb = -1, subjectHead = -1, subjectAdjective = -1, objectHead = -1, objectAdjective = -1;
    int preposition = -1, ppHead = -1, ppAdjective = -1, adverb = -1;
};

enum class AdjectiveNeed { None, Somewhere };

struct ClauseRequest {
    bool needObject = false;
    std::optional<GramCase> objectCase;  // with needObject: only verbs governing this case
    bool needPrep = false;
    bool needPast = false;
    bool needNonPast = false;
    bool needSubjectGender = false;      // singular subject with a grammatical gender (noun, он, она, оно)
    double pronounSubjectChance = 0.25;
    double pronounObjectChance = 0.2;
    AdjectiveNeed adjective = AdjectiveNeed::None;
    bool bareObject = false;             // no adjective on the object
    bool barePrepNoun = false;           // no adjective in the preposition phrase
};

// The grammatical features a verb agrees with.
struct SubjectFeatures {
    int person = 3;
    GramNumber number = GramNumber::Sg;
    std::optional<GramGender> gender;    // none: я / ты without a chosen gender
};

class SentenceBuilder {
public:
    explicit SentenceBuilder(const Lexicon& lexicon);

    const Lexicon& lexicon() const { return m_lex; }
    // A random clause meeting `req`, or false when this attempt hit a dead end
    // (the caller simply tries again).
    bool build(const ClauseRequest& req, Rng& rng, Clause& out) const;
    RenderedClause render(const Clause& clause) const;

    SubjectFeatures subjectFeatures(const Clause& clause) const;
    std::string verbForm(const Clause& clause) const;
    std::string npForm(const NounPhrase& np) const;  // the head word
    std::string adjectiveForm(const NounPhrase& np) const;
    const std::string& lemma(const NounPhrase& np) const;
    GramGender gender(const NounPhrase& np) const;  // nouns; pronouns with a gender; else masculine
    bool animate(const NounPhrase& np) const;
    const std::vector<std::string>& tags(const NounPhrase& np) const;

private:
    struct PpOption {
        int preposition;
        int noun;
    };
    // A noun or pronoun from the candidates; false when the pick collides with
    // `avoidLemmas` or is the pronoun of `avoidPerson` (0: none).
    bool pickNounPhrase(const std::vector<int>& nouns, const std::vector<int>& pronouns, GramCase c, double pronounChance,
                        const std::vector<std::string>& avoidLemmas, int avoidPerson, Rng& rng, NounPhrase& out) const;
    bool pickAdverb(const Clause& clause, AdverbPosition pos, Rng& rng, int& out) const;

    const Lexicon& m_lex;
    std::vector<std::vector<int>> m_adjectivesForNoun;  // fitting adjectives per noun
    // Per verb: nouns / pronouns that may be its subject or object, and its
    // preposition-phrase options grouped by role.
    std::vector<std::vector<int>> m_subjectNouns, m_subjectPronouns, m_objectNouns, m_objectPronouns;
    std::vector<std::vector<std::vector<PpOption>>> m_ppByRole;
};

bool hasAnyTag(const std::vector<std::string>& have, const std::vector<std::string>& want);

} // namespace gs::datasets
