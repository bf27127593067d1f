// Minimal pairs from random clauses: each phenomenon asks the sentence builder
// for a clause with what it needs (an object, a preposition phrase, an
// adjective, a past tense), then changes exactly one word, and keeps the pair
// only if the changed word cannot be read grammatically in another way the
// lexicon knows of (see the guards below).

#include "grammascope/pair_generator.h"

#include "datasets/sentence_builder.h"
#include "util/utf8.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace gs {

const std::string& LexAdjective::form(GramNumber n, GramGender g, GramCase c, bool animate) const {
    const std::size_t col = n == GramNumber::Pl ? 3 : static_cast<std::size_t>(g);
    if (c == GramCase::Acc && animate && col == 0) return accAnimateMasc;
    if (c == GramCase::Acc && animate && col == 3) return accAnimatePlural;
    return forms[col][static_cast<std::size_t>(c)];
}

const std::string& LexPreposition::formBefore(std::string_view nextWord) const {
    for (const auto& prefix : altBefore)
        if (nextWord.substr(0, prefix.size()) == prefix) return altForm;
    return form;
}

std::optional<std::string> polypersonalVerbForm(const PolypersonalRules& rules, const std::string& verbForm,
                                                const std::string& objectLemma, GramNumber objectNumber) {
    return polypersonalVerbForm(rules, verbForm, objectLemma, std::optional<GramNumber>(objectNumber));
}

std::optional<std::string> polypersonalVerbForm(const PolypersonalRules& rules, const std::string& verbForm,
                                                const std::string& objectLemma, std::optional<GramNumber> objectNumber) {
    for (const PolypersonalRule& rule : rules.rules) {
        if (!rule.objectLemma.empty() && rule.objectLemma != objectLemma) continue;
        if (rule.objectNumber && *rule.objectNumber != objectNumber) continue;
        if (rule.kind.value_or(rules.kind) == PolypersonalKind::Suffix) return verbForm + rule.marker;
        std::size_t ending = 0;  // the longest listed ending, leaving a non-empty stem
        for (const auto& e : rules.endings)
            if (e.size() > ending && e.size() < verbForm.size() &&
                verbForm.compare(verbForm.size() - e.size(), e.size(), e) == 0)
                ending = e.size();
        const std::size_t cut = verbForm.size() - ending;
        return verbForm.substr(0, cut) + rule.marker + verbForm.substr(cut);
    }
    return std::nullopt;
}

const std::vector<PairPhenomenon>& allPairPhenomena() {
    static const std::vector<PairPhenomenon> all = {
        PairPhenomenon::SubjectVerbNumber,   PairPhenomenon::SubjectVerbPerson,         PairPhenomenon::SubjectVerbGenderPast,
        PairPhenomenon::AdjectiveNounGender, PairPhenomenon::AdjectiveNounNumber,       PairPhenomenon::AdjectiveNounCase,
        PairPhenomenon::VerbCaseGovernment,  PairPhenomenon::PrepositionCaseGovernment, PairPhenomenon::PolypersonalAgreement,
    };
    return all;
}

const char* pairPhenomenonId(PairPhenomenon p) {
    switch (p) {
    case PairPhenomenon::SubjectVerbNumber: return "subject_verb_number";
    case PairPhenomenon::SubjectVerbPerson: return "subject_verb_person";
    case PairPhenomenon::SubjectVerbGenderPast: return "subject_verb_gender_past";
    case PairPhenomenon::AdjectiveNounGender: return "adjective_noun_gender";
    case PairPhenomenon::AdjectiveNounNumber: return "adjective_noun_number";
    case PairPhenomenon::AdjectiveNounCase: return "adjective_noun_case";
    case PairPhenomenon::VerbCaseGovernment: return "verb_case_government";
    case PairPhenomenon::PrepositionCaseGovernment: return "preposition_case_government";
    case PairPhenomenon::PolypersonalAgreement: return "polypersonal_agreement";
    }
    return "?";
}

std::optional<PairPhenomenon> pairPhenomenonFromId(std::string_view id) {
    for (PairPhenomenon p : allPairPhenomena())
        if (id == pairPhenomenonId(p)) return p;
    return std::nullopt;
}

bool isArtificialPair(const MinimalPair& pair) {
    const std::string_view id = pair.id, suffix = kArtificialPairIdSuffix;
    return id.size() >= suffix.size() && id.substr(id.size() - suffix.size()) == suffix;
}

namespace {

using datasets::Clause;
using datasets::ClauseRequest;
using datasets::NounPhrase;
using datasets::RenderedClause;
using datasets::Rng;
using datasets::SentenceBuilder;
using datasets::SubjectFeatures;

constexpr GramCase kAllCases[] = {GramCase::Nom, GramCase::Gen, GramCase::Dat, GramCase::Acc, GramCase::Ins, GramCase::Loc};
constexpr GramGender kGenders[] = {GramGender::Masc, GramGender::Fem, GramGender::Neut};

struct Reading {
    GramCase gramCase;
    GramNumber number;
};

// Every case / number a surface form of a noun or pronoun can have, lexicon-wide
// («им» is both «он» instrumental and «они» dative).
class NominalIndex {
public:
    explicit NominalIndex(const Lexicon& lex) {
        for (const auto& n : lex.nouns) {
            for (GramCase c : kAllCases) {
                add(n.form(GramNumber::Sg, c), c, GramNumber::Sg);
                if (n.hasPlural) add(n.form(GramNumber::Pl, c), c, GramNumber::Pl);
            }
            if (!n.loc2.empty()) add(n.loc2, GramCase::Loc, GramNumber::Sg);
            if (!n.gen2.empty()) add(n.gen2, GramCase::Gen, GramNumber::Sg);
        }
        for (const auto& p : lex.pronouns)
            for (GramCase c : kAllCases) add(p.forms[static_cast<std::size_t>(c)], c, p.number);
    }
    bool hasCaseIn(const std::string& form, const std::vector<GramCase>& cases) const {
        auto it = m_readings.find(form);
        if (it == m_readings.end()) return false;
        return std::any_of(it->second.begin(), it->second.end(), [&](const Reading& r) {
            return std::find(cases.begin(), cases.end(), r.gramCase) != cases.end();
        });
    }

private:
    void add(const std::string& form, GramCase c, GramNumber n) { m_readings[form].push_back({c, n}); }
    std::unordered_map<std::string, std::vector<Reading>> m_readings;
};

// A word of the clause replaced: the pair's raw material before capitalising.
struct Swap {
    RenderedClause good;
    int index = -1;
    std::string badWord;
};

class PairMaker {
public:
    PairMaker(const Lexicon& lex, const SentenceBuilder& builder, const NominalIndex& index)
        : m_lex(lex), m_b(builder), m_index(index) {
        for (const auto& v : lex.verbs)
            if (v.objectCase && std::find(m_governed.begin(), m_governed.end(), *v.objectCase) == m_governed.end())
                m_governed.push_back(*v.objectCase);
        std::sort(m_governed.begin(), m_governed.end());
    }

    bool make(PairPhenomenon p, Rng& rng, Swap& out) const {
        switch (p) {
        case PairPhenomenon::SubjectVerbNumber:
        case PairPhenomenon::SubjectVerbPerson:
        case PairPhenomenon::SubjectVerbGenderPast: return subjectVerb(p, rng, out);
        case PairPhenomenon::AdjectiveNounGender:
        case PairPhenomenon::AdjectiveNounNumber:
        case PairPhenomenon::AdjectiveNounCase: return adjectiveNoun(p, rng, out);
        case PairPhenomenon::VerbCaseGovernment: return verbCase(rng, out);
        case PairPhenomenon::PrepositionCaseGovernment: return prepositionCase(rng, out);
        case PairPhenomenon::PolypersonalAgreement: return polypersonal(rng, out);
        }
        return false;
    }

private:
    const LexVerb& verb(const Clause& c) const { return m_lex.verbs[static_cast<std::size_t>(c.verb)]; }

    // The subject's features as grammar fixes them: я / ты may be either gender.
    SubjectFeatures grammaticalFeatures(const Clause& c) const {
        SubjectFeatures f = m_b.subjectFeatures(c);
        if (c.subject.pronoun) f.gender = m_lex.pronouns[static_cast<std::size_t>(c.subject.index)].gender;
        return f;
    }

    static bool verbCouldAgree(const LexVerb& v, const std::string& form, const SubjectFeatures& f) {
        if (v.nonPastForm(f.person, f.number) == form) return true;
        if (f.number == GramNumber::Pl) return v.pastForm(GramNumber::Pl, GramGender::Masc) == form;
        if (f.gender) return v.pastForm(GramNumber::Sg, *f.gender) == form;
        return v.pastForm(GramNumber::Sg, GramGender::Masc) == form || v.pastForm(GramNumber::Sg, GramGender::Fem) == form;
    }

    // «Животное видит собаку» → «Животное видят собаки»? If the subject reads as
    // an object and the object as a nominative, another verb form may simply
    // have the other noun as its subject: such clauses are not used.
    bool argumentsReversible(const Clause& c) const {
        if (!c.object) return false;
        return m_index.hasCaseIn(m_b.npForm(c.subject), {*verb(c).objectCase}) &&
               m_index.hasCaseIn(m_b.npForm(*c.object), {GramCase::Nom});
    }

    // Would this adjective form agree with the noun under any reading of the noun's form?
    bool adjectiveCouldAgree(const NounPhrase& np, const std::string& adj) const {
        const LexNoun& n = m_lex.nouns[static_cast<std::size_t>(np.index)];
        const LexAdjective& a = m_lex.adjectives[static_cast<std::size_t>(np.adjective)];
        const std::string head = m_b.npForm(np);
        for (GramNumber num : {GramNumber::Sg, GramNumber::Pl}) {
            if (num == GramNumber::Pl && !n.hasPlural) continue;
            for (GramCase c : kAllCases)
                if (n.form(num, c) == head && a.form(num, n.gender, c, n.animate) == adj) return true;
        }
        return (n.loc2 == head && a.form(GramNumber::Sg, n.gender, GramCase::Loc, n.animate) == adj) ||
               (n.gen2 == head && a.form(GramNumber::Sg, n.gender, GramCase::Gen, n.animate) == adj);
    }

    // A preposition's spelling depends on the next word («с»/«со»): the swap must not change it.
    static bool keepsPreposition(const Lexicon& lex, const Clause& c, const RenderedClause& r, int index,
                                 const std::string& badWord) {
        if (r.preposition < 0 || index != r.preposition + 1) return true;
        const LexPreposition& p = lex.prepositions[static_cast<std::size_t>(c.pp->preposition)];
        return p.formBefore(badWord) == r.words[static_cast<std::size_t>(r.preposition)];
    }

    bool finish(const Clause& c, int index, const std::string& badWord, Swap& out) const {
        RenderedClause r = m_b.render(c);
        if (index < 0 || badWord.empty() || r.words[static_cast<std::size_t>(index)] == badWord) return false;
        if (!keepsPreposition(m_lex, c, r, index, badWord)) return false;
        out.good = std::move(r);
        out.index = index;
        out.badWord = badWord;
        return true;
    }

    bool subjectVerb(PairPhenomenon p, Rng& rng, Swap& out) const {
        ClauseRequest req;
        req.pronounSubjectChance = 0.3;
        if (p == PairPhenomenon::SubjectVerbPerson) {
            req.needNonPast = true;
            req.pronounSubjectChance = 0.7;
        } else if (p == PairPhenomenon::SubjectVerbGenderPast) {
            req.needPast = true;
            req.needSubjectGender = true;
            req.pronounSubjectChance = 0.2;
        }
        Clause c;
        if (!m_b.build(req, rng, c) || argumentsReversible(c)) return false;
        const LexVerb& v = verb(c);
        const SubjectFeatures f = m_b.subjectFeatures(c);
        std::string bad;
        if (p == PairPhenomenon::SubjectVerbNumber) {
            const GramNumber other = f.number == GramNumber::Sg ? GramNumber::Pl : GramNumber::Sg;
            // «Мальчик с сестрой гуляли» is fine Russian: no plural twin next to a comitative.
            if (other == GramNumber::Pl && c.pp && m_lex.prepositions[static_cast<std::size_t>(c.pp->preposition)].role == "comitative")
                return false;
            if (c.tense == VerbTense::Past)
                bad = v.pastForm(other, f.gender.value_or(kGenders[rng.below(3)]));
            else
                bad = v.nonPastForm(f.person, other);
        } else if (p == PairPhenomenon::SubjectVerbPerson) {
            int person = 1 + static_cast<int>(rng.below(2));
            if (person >= f.person) ++person;  // one of the two other persons
            bad = v.nonPastForm(person, f.number);
        } else {
            GramGender g = kGenders[rng.below(2)];
            if (g >= *f.gender) g = static_cast<GramGender>(static_cast<int>(g) + 1);
            bad = v.pastForm(GramNumber::Sg, g);
        }
        if (verbCouldAgree(v, bad, grammaticalFeatures(c))) return false;
        return finish(c, m_b.render(c).verb, bad, out);
    }

    bool adjectiveNoun(PairPhenomenon p, Rng& rng, Swap& out) const {
        ClauseRequest req;
        req.adjective = datasets::AdjectiveNeed::Somewhere;
        req.pronounSubjectChance = 0.15;
        Clause c;
        if (!m_b.build(req, rng, c)) return false;
        const RenderedClause r = m_b.render(c);
        // The noun phrases that have an adjective, with the adjective's word index.
        std::vector<std::pair<NounPhrase*, int>> withAdjective;
        if (c.subject.adjective >= 0) withAdjective.push_back({&c.subject, r.subjectAdjective});
        if (c.object && c.object->adjective >= 0) withAdjective.push_back({&*c.object, r.objectAdjective});
        if (c.pp && c.pp->np.adjective >= 0) withAdjective.push_back({&c.pp->np, r.ppAdjective});
        if (withAdjective.empty()) return false;
        const auto [np, index] = withAdjective[rng.below(withAdjective.size())];
        const LexAdjective& a = m_lex.adjectives[static_cast<std::size_t>(np->adjective)];
        const GramGender g = m_b.gender(*np);
        const bool anim = m_b.animate(*np);
        std::string bad;
        if (p == PairPhenomenon::AdjectiveNounGender) {
            if (np->number != GramNumber::Sg) return false;  // no gender in the plural
            GramGender other = kGenders[rng.below(2)];
            if (other >= g) other = static_cast<GramGender>(static_cast<int>(other) + 1);
            bad = a.form(GramNumber::Sg, other, np->gramCase, anim);
        } else if (p == PairPhenomenon::AdjectiveNounNumber) {
            bad = a.form(np->number == GramNumber::Sg ? GramNumber::Pl : GramNumber::Sg, g, np->gramCase, anim);
        } else {
            GramCase other = kAllCases[rng.below(kGramCaseCount - 1)];
            if (other >= np->gramCase) other = static_cast<GramCase>(static_cast<int>(other) + 1);
            bad = a.form(np->number, g, other, anim);
        }
        if (adjectiveCouldAgree(*np, bad)) return false;
        return finish(c, index, bad, out);
    }

    bool verbCase(Rng& rng, Swap& out) const {
        if (m_governed.empty()) return false;
        ClauseRequest req;
        req.needObject = true;
        req.objectCase = m_governed[rng.below(m_governed.size())];  // balance the governed cases
        req.bareObject = true;
        req.pronounObjectChance = 0.25;
        Clause c;
        if (!m_b.build(req, rng, c)) return false;
        const LexVerb& v = verb(c);
        const NounPhrase& obj = *c.object;
        std::vector<GramCase> allowed = v.alsoGrammaticalCases;
        allowed.push_back(*v.objectCase);
        // Partitive genitive of a mass noun: «выпил воды».
        if (*v.objectCase == GramCase::Acc && !obj.pronoun && m_lex.nouns[static_cast<std::size_t>(obj.index)].mass)
            allowed.push_back(GramCase::Gen);
        std::vector<GramCase> candidates;
        for (GramCase cs : {GramCase::Nom, GramCase::Gen, GramCase::Dat, GramCase::Acc, GramCase::Ins})
            if (std::find(allowed.begin(), allowed.end(), cs) == allowed.end()) candidates.push_back(cs);
        if (candidates.empty()) return false;
        NounPhrase badNp = obj;
        badNp.gramCase = candidates[rng.below(candidates.size())];
        const std::string bad = m_b.npForm(badNp);
        if (m_index.hasCaseIn(bad, allowed)) return false;
        // A nominative object could turn the subject into the object («Маме помогает мальчик» → «Мама помогает мальчик»?).
        if (badNp.gramCase == GramCase::Nom && m_index.hasCaseIn(m_b.npForm(c.subject), allowed)) return false;
        return finish(c, m_b.render(c).objectHead, bad, out);
    }

    bool prepositionCase(Rng& rng, Swap& out) const {
        ClauseRequest req;
        req.needPrep = true;
        req.barePrepNoun = true;
        Clause c;
        if (!m_b.build(req, rng, c)) return false;
        const LexPreposition& p = m_lex.prepositions[static_cast<std::size_t>(c.pp->preposition)];
        std::vector<GramCase> allowed = p.otherCases;
        allowed.push_back(p.governedCase);
        std::vector<GramCase> candidates;
        for (GramCase cs : kAllCases)
            if (std::find(allowed.begin(), allowed.end(), cs) == allowed.end()) candidates.push_back(cs);
        if (candidates.empty()) return false;
        NounPhrase badNp = c.pp->np;
        badNp.gramCase = candidates[rng.below(candidates.size())];
        const std::string bad = m_b.npForm(badNp);
        if (m_index.hasCaseIn(bad, allowed)) return false;
        return finish(c, m_b.render(c).ppHead, bad, out);
    }

    bool polypersonal(Rng& rng, Swap& out) const {
        ClauseRequest req;
        req.needObject = true;
        req.objectCase = GramCase::Acc;  // only direct objects trigger the marker (methods.md §1)
        req.pronounObjectChance = 0.5;  // every rule of the table gets exercised
        Clause c;
        if (!m_b.build(req, rng, c)) return false;
        const std::string good = m_b.verbForm(c);
        const auto bad = polypersonalVerbForm(m_lex.polypersonal, good, m_b.lemma(*c.object), c.object->number);
        if (!bad) return false;  // unchanged: not a pair
        return finish(c, m_b.render(c).verb, *bad, out);
    }

    const Lexicon& m_lex;
    const SentenceBuilder& m_b;
    const NominalIndex& m_index;
    std::vector<GramCase> m_governed;  // cases some verb governs
};

// Upper-cases the first letter (Cyrillic or Latin); the lexicon is lower case.
std::string capitalised(const std::string& w) {
    std::u32string cps;
    if (w.empty() || !utf8::decode(w, cps).isOk()) return w;
    char32_t& c = cps[0];
    if ((c >= U'а' && c <= U'я') || (c >= U'a' && c <= U'z')) c -= 0x20;
    else if (c == U'ё') c = U'Ё';
    return utf8::encode(cps);
}

std::string joinSentence(std::vector<std::string> words) {
    words.front() = capitalised(words.front());
    std::string s;
    for (const auto& w : words) {
        if (!s.empty()) s += ' ';
        s += w;
    }
    return s + ".";
}

std::uint64_t phenomenonSeed(std::uint64_t seed, PairPhenomenon p) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a of the id: stable across runs and builds
    for (const char* s = pairPhenomenonId(p); *s; ++s) h = (h ^ static_cast<unsigned char>(*s)) * 1099511628211ull;
    Rng mix(seed ^ h);
    return mix.next();
}

std::string paddedNumber(int n, int width) {
    std::string s = std::to_string(n);
    if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
    return s;
}

} // namespace

Status generateMinimalPairs(const Lexicon& lexicon, const PairGenerationOptions& options, PairGenerationResult& out,
                            const ProgressCallback& progress) {
    const std::string stage = "generating minimal pairs";
    if (options.countPerPhenomenon < 0) return Status::failed(stage + ": the count must not be negative");
    if (options.maxAttemptsPerPair < 1) return Status::failed(stage + ": maxAttemptsPerPair must be at least 1");
    const std::vector<PairPhenomenon>& phenomena = options.phenomena.empty() ? allPairPhenomena() : options.phenomena;
    for (std::size_t i = 0; i < phenomena.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (phenomena[i] == phenomena[j])
                return Status::failed(stage + ": phenomenon '" + pairPhenomenonId(phenomena[i]) + "' asked for twice");
    if (std::find(phenomena.begin(), phenomena.end(), PairPhenomenon::PolypersonalAgreement) != phenomena.end() &&
        lexicon.polypersonal.rules.empty())
        return Status::failed(stage + ": " + lexicon.source + " has no polypersonal rules ('polypersonal' section)");

    const SentenceBuilder builder(lexicon);
    const NominalIndex index(lexicon);
    const PairMaker maker(lexicon, builder, index);
    const int width = std::max<int>(4, static_cast<int>(std::to_string(options.countPerPhenomenon).size()));
    const std::int64_t total = static_cast<std::int64_t>(options.countPerPhenomenon) * static_cast<std::int64_t>(phenomena.size());

    PairGenerationResult result;
    for (PairPhenomenon p : phenomena) {
        const std::string id = pairPhenomenonId(p);
        const bool artificial = p == PairPhenomenon::PolypersonalAgreement;
        Rng rng(phenomenonSeed(options.seed, p));
        std::set<std::pair<std::string, std::string>> seen;
        const std::int64_t budget = static_cast<std::int64_t>(options.countPerPhenomenon) * options.maxAttemptsPerPair;
        int made = 0;
        for (std::int64_t attempt = 0; attempt < budget && made < options.countPerPhenomenon; ++attempt) {
            Swap s;
            if (!maker.make(p, rng, s)) continue;
            std::vector<std::string> badWords = s.good.words;
            badWords[static_cast<std::size_t>(s.index)] = s.badWord;
            MinimalPair pair;
            pair.good = joinSentence(s.good.words);
            pair.bad = joinSentence(badWords);
            if (!seen.insert({pair.good, pair.bad}).second) continue;
            ++made;
            pair.id = id + "-" + paddedNumber(made, width) + (artificial ? kArtificialPairIdSuffix : "");
            pair.phenomenon = id;
            pair.goodWord = s.index == 0 ? capitalised(s.good.words[0]) : s.good.words[static_cast<std::size_t>(s.index)];
            pair.badWord = s.index == 0 ? capitalised(s.badWord) : s.badWord;
            pair.wordIndex = s.index;
            result.pairs.push_back(std::move(pair));
        }
        if (made == 0 && options.countPerPhenomenon > 0)
            return Status::failed(stage + ": " + lexicon.source + " cannot produce any pair for '" + id +
                                  "' (no verb, noun or preposition meets what it needs)");
        if (made < options.countPerPhenomenon)
            result.warnings.push_back(id + ": only " + std::to_string(made) + " distinct pairs of the " +
                                      std::to_string(options.countPerPhenomenon) + " asked for");
        if (progress && !progress(static_cast<std::int64_t>(result.pairs.size()), total)) return Status::cancelled();
    }
    out = std::move(result);
    return Status::ok();
}

} // namespace gs
