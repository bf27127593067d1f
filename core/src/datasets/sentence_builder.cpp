#include "datasets/sentence_builder.h"

#include <algorithm>

namespace gs::datasets {

std::uint64_t Rng::next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::size_t Rng::below(std::size_t n) {
    // Rejection sampling: unbiased and platform-independent.
    const std::uint64_t bound = static_cast<std::uint64_t>(n);
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    std::uint64_t x;
    do x = next();
    while (x >= limit);
    return static_cast<std::size_t>(x % bound);
}

bool Rng::chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

bool hasAnyTag(const std::vector<std::string>& have, const std::vector<std::string>& want) {
    for (const auto& w : want)
        if (std::find(have.begin(), have.end(), w) != have.end()) return true;
    return false;
}

namespace {

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

bool templateHas(const SentenceTemplate& t, TemplateSlot s) { return contains(t.slotOrder, s); }

AdverbPosition adverbPosition(const SentenceTemplate& t) {
    const auto it = std::find(t.slotOrder.begin(), t.slotOrder.end(), TemplateSlot::Adverb);
    const auto idx = static_cast<std::size_t>(it - t.slotOrder.begin());
    if (idx == 0) return AdverbPosition::Initial;
    if (idx + 1 < t.slotOrder.size() && t.slotOrder[idx + 1] == TemplateSlot::Verb) return AdverbPosition::Preverbal;
    return AdverbPosition::Final;
}

} // namespace

SentenceBuilder::SentenceBuilder(const Lexicon& lexicon) : m_lex(lexicon) {
    m_adjectivesForNoun.resize(m_lex.nouns.size());
    for (std::size_t n = 0; n < m_lex.nouns.size(); ++n)
        for (std::size_t a = 0; a < m_lex.adjectives.size(); ++a) {
            const auto& want = m_lex.adjectives[a].nounTags;
            if (want.empty() || hasAnyTag(m_lex.nouns[n].tags, want)) m_adjectivesForNoun[n].push_back(static_cast<int>(a));
        }
    const std::size_t nv = m_lex.verbs.size();
    m_subjectNouns.resize(nv);
    m_subjectPronouns.resize(nv);
    m_objectNouns.resize(nv);
    m_objectPronouns.resize(nv);
    m_ppByRole.resize(nv);
    for (std::size_t v = 0; v < nv; ++v) {
        const LexVerb& verb = m_lex.verbs[v];
        for (std::size_t n = 0; n < m_lex.nouns.size(); ++n) {
            if (hasAnyTag(m_lex.nouns[n].tags, verb.subjectTags)) m_subjectNouns[v].push_back(static_cast<int>(n));
            if (verb.objectCase && hasAnyTag(m_lex.nouns[n].tags, verb.objectTags)) m_objectNouns[v].push_back(static_cast<int>(n));
        }
        for (std::size_t p = 0; p < m_lex.pronouns.size(); ++p) {
            if (hasAnyTag(m_lex.pronouns[p].tags, verb.subjectTags)) m_subjectPronouns[v].push_back(static_cast<int>(p));
            if (verb.objectCase && hasAnyTag(m_lex.pronouns[p].tags, verb.objectTags))
                m_objectPronouns[v].push_back(static_cast<int>(p));
        }
        for (const auto& role : verb.ppRoles) {
            std::vector<PpOption> options;
            for (std::size_t p = 0; p < m_lex.prepositions.size(); ++p) {
                const LexPreposition& prep = m_lex.prepositions[p];
                if (prep.role != role) continue;
                for (std::size_t n = 0; n < m_lex.nouns.size(); ++n)
                    if (hasAnyTag(m_lex.nouns[n].tags, prep.nounTags)) options.push_back({static_cast<int>(p), static_cast<int>(n)});
            }
            if (!options.empty()) m_ppByRole[v].push_back(std::move(options));
        }
    }
}

const std::string& SentenceBuilder::lemma(const NounPhrase& np) const {
    return np.pronoun ? m_lex.pronouns[static_cast<std::size_t>(np.index)].lemma : m_lex.nouns[static_cast<std::size_t>(np.index)].lemma;
}

GramGender SentenceBuilder::gender(const NounPhrase& np) const {
    if (np.pronoun) return m_lex.pronouns[static_cast<std::size_t>(np.index)].gender.value_or(GramGender::Masc);
    return m_lex.nouns[static_cast<std::size_t>(np.index)].gender;
}

bool SentenceBuilder::animate(const NounPhrase& np) const {
    return np.pronoun || m_lex.nouns[static_cast<std::size_t>(np.index)].animate;
}

const std::vector<std::string>& SentenceBuilder::tags(const NounPhrase& np) const {
    return np.pronoun ? m_lex.pronouns[static_cast<std::size_t>(np.index)].tags : m_lex.nouns[static_cast<std::size_t>(np.index)].tags;
}

std::string SentenceBuilder::npForm(const NounPhrase& np) const {
    if (np.pronoun) return m_lex.pronouns[static_cast<std::size_t>(np.index)].forms[static_cast<std::size_t>(np.gramCase)];
    return m_lex.nouns[static_cast<std::size_t>(np.index)].form(np.number, np.gramCase);
}

std::string SentenceBuilder::adjectiveForm(const NounPhrase& np) const {
    if (np.adjective < 0) return {};
    return m_lex.adjectives[static_cast<std::size_t>(np.adjective)].form(np.number, gender(np), np.gramCase, animate(np));
}

SubjectFeatures SentenceBuilder::subjectFeatures(const Clause& c) const {
    SubjectFeatures f;
    f.number = c.subject.number;
    if (c.subject.pronoun) {
        const LexPronoun& p = m_lex.pronouns[static_cast<std::size_t>(c.subject.index)];
        f.person = p.person;
        f.gender = p.gender ? p.gender : c.speakerGender;
    } else {
        f.gender = m_lex.nouns[static_cast<std::size_t>(c.subject.index)].gender;
    }
    return f;
}

std::string SentenceBuilder::verbForm(const Clause& c) const {
    const LexVerb& v = m_lex.verbs[static_cast<std::size_t>(c.verb)];
    const SubjectFeatures f = subjectFeatures(c);
    if (c.tense == VerbTense::Past) return v.pastForm(f.number, f.gender.value_or(GramGender::Masc));
    return v.nonPastForm(f.person, f.number);
}

bool SentenceBuilder::pickNounPhrase(const std::vector<int>& nouns, const std::vector<int>& pronouns, GramCase c,
                                     double pronounChance, const std::vector<std::string>& avoidLemmas,
                                     int avoidPerson, Rng& rng, NounPhrase& out) const {
    out = NounPhrase{};
    out.gramCase = c;
    const bool usePronoun = !pronouns.empty() && (nouns.empty() || rng.chance(pronounChance));
    if (usePronoun) {
        const int p = rng.pick(pronouns);
        const LexPronoun& pr = m_lex.pronouns[static_cast<std::size_t>(p)];
        if (contains(avoidLemmas, pr.lemma) || pr.person == avoidPerson) return false;
        out.pronoun = true;
        out.index = p;
        out.number = pr.number;
        return true;
    }
    if (nouns.empty()) return false;
    const int n = rng.pick(nouns);
    const LexNoun& noun = m_lex.nouns[static_cast<std::size_t>(n)];
    if (contains(avoidLemmas, noun.lemma)) return false;
    out.index = n;
    out.number = noun.hasPlural && rng.chance(0.3) ? GramNumber::Pl : GramNumber::Sg;
    return true;
}

bool SentenceBuilder::pickAdverb(const Clause& c, AdverbPosition pos, Rng& rng, int& out) const {
    const LexVerb& v = m_lex.verbs[static_cast<std::size_t>(c.verb)];
    std::vector<int> fit;
    for (std::size_t i = 0; i < m_lex.adverbs.size(); ++i) {
        const LexAdverb& a = m_lex.adverbs[i];
        if (!a.tenses.empty() && !contains(a.tenses, c.tense)) continue;
        if (!a.aspects.empty() && !contains(a.aspects, v.aspect)) continue;
        if (!a.verbTagsAny.empty() && !hasAnyTag(v.tags, a.verbTagsAny)) continue;
        if (hasAnyTag(v.tags, a.verbTagsNone)) continue;
        if (!a.positions.empty() && !contains(a.positions, pos)) continue;
        fit.push_back(static_cast<int>(i));
    }
    if (fit.empty()) return false;
    out = rng.pick(fit);
    return true;
}

bool SentenceBuilder::build(const ClauseRequest& req, Rng& rng, Clause& out) const {
    Clause c;
    // The word order.
    std::vector<int> templs;
    int totalWeight = 0;
    for (std::size_t i = 0; i < m_lex.templates.size(); ++i) {
        const auto& t = m_lex.templates[i];
        if (req.needObject && !templateHas(t, TemplateSlot::Object)) continue;
        if (req.needPrep && !templateHas(t, TemplateSlot::Prep)) continue;
        templs.push_back(static_cast<int>(i));
        totalWeight += t.weight;
    }
    if (templs.empty()) return false;
    int w = static_cast<int>(rng.below(static_cast<std::size_t>(totalWeight)));
    for (int t : templs) {
        c.templ = t;
        w -= m_lex.templates[static_cast<std::size_t>(t)].weight;
        if (w < 0) break;
    }
    const SentenceTemplate& templ = m_lex.templates[static_cast<std::size_t>(c.templ)];
    const bool hasObject = templateHas(templ, TemplateSlot::Object);
    const bool hasPrep = templateHas(templ, TemplateSlot::Prep);
    const bool hasAdverb = templateHas(templ, TemplateSlot::Adverb);

    // The verb.
    std::vector<int> verbs;
    for (std::size_t i = 0; i < m_lex.verbs.size(); ++i) {
        const LexVerb& v = m_lex.verbs[i];
        if (hasObject) {
            if (!v.objectCase || m_objectNouns[i].size() + m_objectPronouns[i].size() == 0) continue;
            if (req.objectCase && *v.objectCase != *req.objectCase) continue;
        } else if (v.objectCase && !v.objectOptional) {
            continue;
        }
        if (hasPrep && m_ppByRole[i].empty()) continue;
        if (m_subjectNouns[i].empty() && m_subjectPronouns[i].empty()) continue;
        verbs.push_back(static_cast<int>(i));
    }
    if (verbs.empty()) return false;
    c.verb = rng.pick(verbs);
    const auto vi = static_cast<std::size_t>(c.verb);
    const LexVerb& verb = m_lex.verbs[vi];

    // The tense.
    const bool past = req.needPast || (!req.needNonPast && rng.chance(0.45));
    c.tense = past ? VerbTense::Past : verb.aspect == VerbAspect::Perfective ? VerbTense::Future : VerbTense::Present;

    // The subject: a pronoun never closes the sentence («В парке гуляет он» is odd).
    const bool subjectLast = templ.slotOrder.back() == TemplateSlot::Subject;
    static const std::vector<int> kNone;
    if (!pickNounPhrase(m_subjectNouns[vi], subjectLast ? kNone : m_subjectPronouns[vi], GramCase::Nom,
                        req.pronounSubjectChance, {}, 0, rng, c.subject))
        return false;
    if (req.needSubjectGender) {
        if (c.subject.number != GramNumber::Sg) return false;
        if (c.subject.pronoun && !m_lex.pronouns[static_cast<std::size_t>(c.subject.index)].gender) return false;
    }
    if (c.tense == VerbTense::Past && c.subject.pronoun && c.subject.number == GramNumber::Sg &&
        !m_lex.pronouns[static_cast<std::size_t>(c.subject.index)].gender)
        c.speakerGender = rng.chance(0.5) ? GramGender::Fem : GramGender::Masc;
    std::vector<std::string> used{lemma(c.subject)};

    // The object: never the speaker or hearer again («Я вижу меня»), never the subject's lemma.
    if (hasObject) {
        NounPhrase obj;
        const int subjectPerson = c.subject.pronoun ? m_lex.pronouns[static_cast<std::size_t>(c.subject.index)].person : 0;
        if (!pickNounPhrase(m_objectNouns[vi], m_objectPronouns[vi], *verb.objectCase, req.pronounObjectChance, used,
                            subjectPerson == 3 ? 0 : subjectPerson, rng, obj))
            return false;
        c.object = obj;
        used.push_back(lemma(obj));
        // An object before the subject must look like one: «Город знал друг» reads as SVO.
        const auto& slots = templ.slotOrder;
        const bool objectFirst = std::find(slots.begin(), slots.end(), TemplateSlot::Object) <
                                 std::find(slots.begin(), slots.end(), TemplateSlot::Subject);
        if (objectFirst && !obj.pronoun &&
            npForm(obj) == m_lex.nouns[static_cast<std::size_t>(obj.index)].form(obj.number, GramCase::Nom))
            return false;
    }

    // The preposition phrase: a role first, so that roles with many nouns do not crowd out the rest.
    if (hasPrep) {
        const auto& options = m_ppByRole[vi][rng.below(m_ppByRole[vi].size())];
        const PpOption& o = rng.pick(options);
        const LexNoun& noun = m_lex.nouns[static_cast<std::size_t>(o.noun)];
        const LexPreposition& prep = m_lex.prepositions[static_cast<std::size_t>(o.preposition)];
        if (contains(used, noun.lemma)) return false;
        if (!prep.subjectTags.empty() && !hasAnyTag(tags(c.subject), prep.subjectTags)) return false;
        if (!prep.fronting && templ.slotOrder.front() == TemplateSlot::Prep) return false;
        PrepPhrase pp;
        pp.preposition = o.preposition;
        pp.np.index = o.noun;
        pp.np.gramCase = prep.governedCase;
        pp.np.number = noun.hasPlural && prep.pluralOk && rng.chance(0.25) ? GramNumber::Pl : GramNumber::Sg;
        c.pp = pp;
    }

    if (hasAdverb && !pickAdverb(c, adverbPosition(templ), rng, c.adverb)) return false;

    // Adjectives: now and then on any noun; on one for sure when asked.
    std::vector<NounPhrase*> eligible;
    auto consider = [&](NounPhrase* np, bool bare) {
        if (np && !np->pronoun && !bare && !m_adjectivesForNoun[static_cast<std::size_t>(np->index)].empty())
            eligible.push_back(np);
    };
    consider(&c.subject, false);
    consider(c.object ? &*c.object : nullptr, req.bareObject);
    consider(c.pp ? &c.pp->np : nullptr, req.barePrepNoun);
    bool any = false;
    for (NounPhrase* np : eligible)
        if (rng.chance(0.15)) {
            np->adjective = rng.pick(m_adjectivesForNoun[static_cast<std::size_t>(np->index)]);
            any = true;
        }
    if (req.adjective == AdjectiveNeed::Somewhere && !any) {
        if (eligible.empty()) return false;
        NounPhrase* np = eligible[rng.below(eligible.size())];
        np->adjective = rng.pick(m_adjectivesForNoun[static_cast<std::size_t>(np->index)]);
    }
    out = c;
    return true;
}

RenderedClause SentenceBuilder::render(const Clause& c) const {
    RenderedClause r;
    auto push = [&](const std::string& w) {
        r.words.push_back(w);
        return static_cast<int>(r.words.size()) - 1;
    };
    auto pushNp = [&](const NounPhrase& np, int& adjIndex, int& headIndex) {
        if (np.adjective >= 0) adjIndex = push(adjectiveForm(np));
        headIndex = push(npForm(np));
    };
    for (TemplateSlot slot : m_lex.templates[static_cast<std::size_t>(c.templ)].slotOrder) {
        switch (slot) {
        case TemplateSlot::Subject: pushNp(c.subject, r.subjectAdjective, r.subjectHead); break;
        case TemplateSlot::Verb: r.verb = push(verbForm(c)); break;
        case TemplateSlot::Object: pushNp(*c.object, r.objectAdjective, r.objectHead); break;
        case TemplateSlot::Prep: {
            r.preposition = push({});
            pushNp(c.pp->np, r.ppAdjective, r.ppHead);
            const LexPreposition& p = m_lex.prepositions[static_cast<std::size_t>(c.pp->preposition)];
            r.words[static_cast<std::size_t>(r.preposition)] = p.formBefore(r.words[static_cast<std::size_t>(r.preposition) + 1]);
            break;
        }
        case TemplateSlot::Adverb: r.adverb = push(m_lex.adverbs[static_cast<std::size_t>(c.adverb)].form); break;
        }
    }
    return r;
}

} // namespace gs::datasets
