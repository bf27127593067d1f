// Reading the minimal-pair lexicon (resources/demo/lexicon.json) and the
// polypersonal rule table. The file is hand-written, so the reader is strict:
// unknown keys are errors (a misspelt "objetc_case" would otherwise silently
// make a verb intransitive), every paradigm cell must be present, accusatives
// must follow the animacy rules, and every tag or role a verb, adjective or
// preposition asks for must exist somewhere. Messages name the file and the
// entry: "lexicon.json: nouns[3] (книга): pl: missing 'ins'".

#include "grammascope/pair_generator.h"

#include "model/json_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace gs {
namespace {

using Json = nlohmann::json;

// Errors inside the reader travel as this exception and become a Status at the API.
struct LexiconError {
    std::string message;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw LexiconError{where + ": " + what}; }

constexpr const char* kCaseNames[kGramCaseCount] = {"nom", "gen", "dat", "acc", "ins", "loc"};

GramCase parseCase(const std::string& where, const Json& j) {
    if (!j.is_string()) fail(where, "a case must be a string (nom, gen, dat, acc, ins, loc)");
    const std::string s = j.get<std::string>();
    for (int i = 0; i < kGramCaseCount; ++i)
        if (s == kCaseNames[i]) return static_cast<GramCase>(i);
    if (s == "instr") return GramCase::Ins;
    if (s == "prep") return GramCase::Loc;
    fail(where, "unknown case '" + s + "' (nom, gen, dat, acc, ins, loc)");
}

GramNumber parseNumber(const std::string& where, const Json& j) {
    const std::string s = j.is_string() ? j.get<std::string>() : std::string();
    if (s == "sg") return GramNumber::Sg;
    if (s == "pl") return GramNumber::Pl;
    fail(where, "number must be \"sg\" or \"pl\"");
}

GramGender parseGender(const std::string& where, const Json& j) {
    const std::string s = j.is_string() ? j.get<std::string>() : std::string();
    if (s == "m") return GramGender::Masc;
    if (s == "f") return GramGender::Fem;
    if (s == "n") return GramGender::Neut;
    fail(where, "gender must be \"m\", \"f\" or \"n\"");
}

VerbAspect parseAspect(const std::string& where, const Json& j) {
    const std::string s = j.is_string() ? j.get<std::string>() : std::string();
    if (s == "ipf") return VerbAspect::Imperfective;
    if (s == "pf") return VerbAspect::Perfective;
    fail(where, "aspect must be \"ipf\" or \"pf\"");
}

PolypersonalKind parseKind(const std::string& where, const Json& j) {
    const std::string s = j.is_string() ? j.get<std::string>() : std::string();
    if (s == "suffix") return PolypersonalKind::Suffix;
    if (s == "infix") return PolypersonalKind::Infix;
    fail(where, "kind must be \"suffix\" or \"infix\"");
}

// Rejects keys outside `allowed` ("comment" is always allowed).
void checkKeys(const std::string& where, const Json& obj, std::initializer_list<const char*> allowed) {
    if (!obj.is_object()) fail(where, "expected a JSON object");
    for (const auto& [key, value] : obj.items()) {
        if (key == "comment") continue;
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
            fail(where, "unknown key '" + key + "'");
    }
}

const Json& member(const std::string& where, const Json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end()) fail(where, std::string("missing '") + key + "'");
    return *it;
}

std::string word(const std::string& where, const Json& j) {
    if (!j.is_string()) fail(where, "expected a string");
    std::string s = j.get<std::string>();
    if (s.empty()) fail(where, "empty word");
    if (s.find_first_of(" \t\r\n,\"") != std::string::npos)
        fail(where, "'" + s + "' holds a space, comma or quote; a form must be one word");
    return s;
}

std::string stringMember(const std::string& where, const Json& obj, const char* key) {
    return word(where + ": " + key, member(where, obj, key));
}

bool boolMember(const std::string& where, const Json& obj, const char* key, bool fallback) {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_boolean()) fail(where, std::string("'") + key + "' must be true or false");
    return it->get<bool>();
}

std::vector<std::string> stringList(const std::string& where, const Json& obj, const char* key) {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    if (!it->is_array()) fail(where, std::string("'") + key + "' must be an array of strings");
    for (std::size_t i = 0; i < it->size(); ++i)
        out.push_back(word(where + ": " + key + "[" + std::to_string(i) + "]", (*it)[i]));
    return out;
}

std::vector<GramCase> caseList(const std::string& where, const Json& obj, const char* key) {
    std::vector<GramCase> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    if (!it->is_array()) fail(where, std::string("'") + key + "' must be an array of cases");
    for (const auto& c : *it) out.push_back(parseCase(where + ": " + key, c));
    return out;
}

// {"nom": ..., "gen": ..., ...}: all six cases, plus the keys in `extra`.
std::array<std::string, kGramCaseCount> caseForms(const std::string& where, const Json& obj,
                                                   std::initializer_list<const char*> extra = {}) {
    if (!obj.is_object()) fail(where, "expected an object of case forms {\"nom\": ..., \"loc\": ...}");
    for (const auto& [key, value] : obj.items()) {
        const bool known = std::any_of(std::begin(kCaseNames), std::end(kCaseNames), [&](const char* c) { return key == c; }) ||
                           std::any_of(extra.begin(), extra.end(), [&](const char* c) { return key == c; });
        if (!known) fail(where, "unknown key '" + key + "'");
    }
    std::array<std::string, kGramCaseCount> out;
    for (int i = 0; i < kGramCaseCount; ++i) out[static_cast<std::size_t>(i)] = stringMember(where, obj, kCaseNames[i]);
    return out;
}

const std::string& cell(const std::array<std::string, kGramCaseCount>& forms, GramCase c) {
    return forms[static_cast<std::size_t>(c)];
}

std::string describe(const char* section, std::size_t i, const std::string& name) {
    return std::string(section) + "[" + std::to_string(i) + "]" + (name.empty() ? "" : " (" + name + ")");
}

std::string entryName(const Json& e, const char* key) {
    if (!e.is_object()) return {};
    auto it = e.find(key);
    return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

LexNoun parseNoun(const std::string& where, const Json& e) {
    checkKeys(where, e, {"lemma", "gender", "animate", "mass", "tags", "sg", "pl", "loc2", "gen2"});
    LexNoun n;
    n.lemma = stringMember(where, e, "lemma");
    n.gender = parseGender(where + ": gender", member(where, e, "gender"));
    n.animate = boolMember(where, e, "animate", false);
    n.mass = boolMember(where, e, "mass", false);
    n.tags = stringList(where, e, "tags");
    if (n.tags.empty()) fail(where, "needs at least one tag (its semantic class)");
    n.sg = caseForms(where + ": sg", member(where, e, "sg"));
    const Json& pl = member(where, e, "pl");
    n.hasPlural = !pl.is_null();
    if (n.hasPlural) n.pl = caseForms(where + ": pl", pl);
    if (e.contains("loc2")) n.loc2 = stringMember(where, e, "loc2");
    if (e.contains("gen2")) n.gen2 = stringMember(where, e, "gen2");
    // The accusative follows animacy; a mismatch is almost always a typo.
    if (!n.animate && n.gender != GramGender::Fem && cell(n.sg, GramCase::Acc) != cell(n.sg, GramCase::Nom))
        fail(where + ": sg", "inanimate masculine / neuter accusative '" + cell(n.sg, GramCase::Acc) +
                                 "' differs from the nominative '" + cell(n.sg, GramCase::Nom) + "'");
    if (n.hasPlural) {
        const GramCase like = n.animate ? GramCase::Gen : GramCase::Nom;
        if (cell(n.pl, GramCase::Acc) != cell(n.pl, like))
            fail(where + ": pl", std::string(n.animate ? "animate" : "inanimate") + " accusative '" +
                                     cell(n.pl, GramCase::Acc) + "' differs from the " +
                                     (n.animate ? "genitive '" : "nominative '") + cell(n.pl, like) + "'");
    }
    return n;
}

LexPronoun parsePronoun(const std::string& where, const Json& e) {
    checkKeys(where, e, {"lemma", "person", "number", "gender", "tags", "forms"});
    LexPronoun p;
    p.lemma = stringMember(where, e, "lemma");
    const Json& person = member(where, e, "person");
    if (!person.is_number_integer() || person.get<int>() < 1 || person.get<int>() > 3)
        fail(where, "person must be 1, 2 or 3");
    p.person = person.get<int>();
    p.number = parseNumber(where + ": number", member(where, e, "number"));
    if (e.contains("gender") && !e["gender"].is_null()) p.gender = parseGender(where + ": gender", e["gender"]);
    if (p.gender && p.number == GramNumber::Pl) fail(where, "a plural pronoun has no gender");
    p.tags = stringList(where, e, "tags");
    if (p.tags.empty()) fail(where, "needs at least one tag (what it may stand for)");
    p.forms = caseForms(where + ": forms", member(where, e, "forms"));
    return p;
}

LexVerb parseVerb(const std::string& where, const Json& e) {
    checkKeys(where, e, {"lemma", "aspect", "tags", "subject", "object_case", "object", "object_optional",
                         "also_grammatical_cases", "pp", "present", "future", "past"});
    LexVerb v;
    v.lemma = stringMember(where, e, "lemma");
    v.aspect = parseAspect(where + ": aspect", member(where, e, "aspect"));
    v.tags = stringList(where, e, "tags");
    v.subjectTags = stringList(where, e, "subject");
    if (v.subjectTags.empty()) fail(where, "'subject' must list the tags of possible subjects");
    if (e.contains("object_case")) v.objectCase = parseCase(where + ": object_case", e["object_case"]);
    v.objectTags = stringList(where, e, "object");
    v.objectOptional = boolMember(where, e, "object_optional", false);
    if (v.objectCase && v.objectTags.empty()) fail(where, "has an object_case but no 'object' tags");
    if (!v.objectCase && (!v.objectTags.empty() || v.objectOptional))
        fail(where, "'object' / 'object_optional' given without 'object_case'");
    v.alsoGrammaticalCases = caseList(where, e, "also_grammatical_cases");
    v.ppRoles = stringList(where, e, "pp");

    const bool perfective = v.aspect == VerbAspect::Perfective;
    const char* nonPastKey = perfective ? "future" : "present";
    const char* wrongKey = perfective ? "present" : "future";
    if (e.contains(wrongKey))
        fail(where, std::string("a") + (perfective ? " perfective" : "n imperfective") + " verb has '" + nonPastKey +
                        "' forms, not '" + wrongKey + "'");
    const std::string npWhere = where + ": " + nonPastKey;
    const Json& np = member(where, e, nonPastKey);
    checkKeys(npWhere, np, {"1sg", "2sg", "3sg", "1pl", "2pl", "3pl"});
    const char* npKeys[6] = {"1sg", "2sg", "3sg", "1pl", "2pl", "3pl"};
    for (std::size_t i = 0; i < 6; ++i) v.nonPast[i] = stringMember(npWhere, np, npKeys[i]);
    const Json& past = member(where, e, "past");
    checkKeys(where + ": past", past, {"m", "f", "n", "pl"});
    const char* pastKeys[4] = {"m", "f", "n", "pl"};
    for (std::size_t i = 0; i < 4; ++i) v.past[i] = stringMember(where + ": past", past, pastKeys[i]);
    return v;
}

LexAdjective parseAdjective(const std::string& where, const Json& e) {
    checkKeys(where, e, {"lemma", "nouns", "m", "f", "n", "pl"});
    LexAdjective a;
    a.lemma = stringMember(where, e, "lemma");
    a.nounTags = stringList(where, e, "nouns");
    const char* keys[4] = {"m", "f", "n", "pl"};
    for (std::size_t g = 0; g < 4; ++g) {
        const std::string w = where + ": " + keys[g];
        const Json& forms = member(where, e, keys[g]);
        const bool hasAnimate = g == 0 || g == 3;
        a.forms[g] = hasAnimate ? caseForms(w, forms, {"acc_anim"}) : caseForms(w, forms);
        const auto& f = a.forms[g];
        if (hasAnimate) {
            std::string& anim = g == 0 ? a.accAnimateMasc : a.accAnimatePlural;
            anim = stringMember(w, forms, "acc_anim");
            if (anim != cell(f, GramCase::Gen))
                fail(w, "animate accusative '" + anim + "' differs from the genitive '" + cell(f, GramCase::Gen) + "'");
        }
        if (g != 1 && cell(f, GramCase::Acc) != cell(f, GramCase::Nom))
            fail(w, "accusative '" + cell(f, GramCase::Acc) + "' differs from the nominative '" + cell(f, GramCase::Nom) + "'");
    }
    return a;
}

LexPreposition parsePreposition(const std::string& where, const Json& e) {
    checkKeys(where, e, {"form", "case", "other_cases", "role", "nouns", "alt_form", "alt_before", "plural", "fronting", "subject"});
    LexPreposition p;
    p.form = stringMember(where, e, "form");
    p.governedCase = parseCase(where + ": case", member(where, e, "case"));
    p.otherCases = caseList(where, e, "other_cases");
    p.role = stringMember(where, e, "role");
    p.nounTags = stringList(where, e, "nouns");
    if (p.nounTags.empty()) fail(where, "'nouns' must list the tags of nouns it takes");
    if (e.contains("alt_form")) p.altForm = stringMember(where, e, "alt_form");
    p.altBefore = stringList(where, e, "alt_before");
    if (p.altForm.empty() != p.altBefore.empty()) fail(where, "'alt_form' and 'alt_before' go together");
    p.pluralOk = boolMember(where, e, "plural", false);
    p.fronting = boolMember(where, e, "fronting", true);
    p.subjectTags = stringList(where, e, "subject");
    return p;
}

LexAdverb parseAdverb(const std::string& where, const Json& e) {
    checkKeys(where, e, {"form", "role", "tenses", "aspects", "verb_tags_any", "verb_tags_none", "positions"});
    LexAdverb a;
    a.form = stringMember(where, e, "form");
    a.role = stringMember(where, e, "role");
    for (const auto& t : stringList(where, e, "tenses")) {
        if (t == "present") a.tenses.push_back(VerbTense::Present);
        else if (t == "past") a.tenses.push_back(VerbTense::Past);
        else if (t == "future") a.tenses.push_back(VerbTense::Future);
        else fail(where, "unknown tense '" + t + "' (present, past, future)");
    }
    for (const auto& s : stringList(where, e, "aspects")) a.aspects.push_back(parseAspect(where + ": aspects", Json(s)));
    a.verbTagsAny = stringList(where, e, "verb_tags_any");
    a.verbTagsNone = stringList(where, e, "verb_tags_none");
    for (const auto& p : stringList(where, e, "positions")) {
        if (p == "initial") a.positions.push_back(AdverbPosition::Initial);
        else if (p == "preverbal") a.positions.push_back(AdverbPosition::Preverbal);
        else if (p == "final") a.positions.push_back(AdverbPosition::Final);
        else fail(where, "unknown position '" + p + "' (initial, preverbal, final)");
    }
    return a;
}

SentenceTemplate parseTemplate(const std::string& where, const Json& e) {
    checkKeys(where, e, {"pattern", "weight"});
    SentenceTemplate t;
    const Json& pattern = member(where, e, "pattern");
    if (!pattern.is_string()) fail(where, "'pattern' must be a string such as \"A S V O P\"");
    t.pattern = pattern.get<std::string>();
    int counts[5] = {0, 0, 0, 0, 0};
    std::size_t pos = 0;
    while (pos < t.pattern.size()) {
        if (t.pattern[pos] == ' ') {
            ++pos;
            continue;
        }
        const std::size_t end = std::min(t.pattern.find(' ', pos), t.pattern.size());
        const std::string tok = t.pattern.substr(pos, end - pos);
        pos = end;
        TemplateSlot slot;
        if (tok == "S") slot = TemplateSlot::Subject;
        else if (tok == "V") slot = TemplateSlot::Verb;
        else if (tok == "O") slot = TemplateSlot::Object;
        else if (tok == "P") slot = TemplateSlot::Prep;
        else if (tok == "A") slot = TemplateSlot::Adverb;
        else fail(where, "unknown slot '" + tok + "' in pattern \"" + t.pattern + "\" (S V O P A)");
        if (++counts[static_cast<int>(slot)] > 1) fail(where, "slot '" + tok + "' twice in \"" + t.pattern + "\"");
        t.slotOrder.push_back(slot);
    }
    if (counts[0] != 1 || counts[1] != 1) fail(where, "a pattern needs exactly one S and one V: \"" + t.pattern + "\"");
    if (e.contains("weight")) {
        if (!e["weight"].is_number_integer() || e["weight"].get<int>() < 1) fail(where, "'weight' must be an integer >= 1");
        t.weight = e["weight"].get<int>();
    }
    return t;
}

PolypersonalRules parseRules(const std::string& where, const Json& e) {
    checkKeys(where, e, {"kind", "endings", "rules", "format", "version"});
    PolypersonalRules r;
    if (e.contains("kind")) r.kind = parseKind(where + ": kind", e["kind"]);
    r.endings = stringList(where, e, "endings");
    // Longest first, so that «ете» wins over «е».
    std::stable_sort(r.endings.begin(), r.endings.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    const Json& rules = member(where, e, "rules");
    if (!rules.is_array() || rules.empty()) fail(where, "'rules' must be a non-empty array");
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const std::string w = where + ": rules[" + std::to_string(i) + "]";
        const Json& j = rules[i];
        checkKeys(w, j, {"object_lemma", "object_number", "marker", "kind"});
        PolypersonalRule rule;
        if (j.contains("object_lemma")) rule.objectLemma = stringMember(w, j, "object_lemma");
        if (j.contains("object_number")) rule.objectNumber = parseNumber(w + ": object_number", j["object_number"]);
        rule.marker = stringMember(w, j, "marker");
        if (j.contains("kind")) rule.kind = parseKind(w + ": kind", j["kind"]);
        r.rules.push_back(std::move(rule));
    }
    const bool anyInfix = r.kind == PolypersonalKind::Infix ||
                          std::any_of(r.rules.begin(), r.rules.end(), [](const auto& x) { return x.kind == PolypersonalKind::Infix; });
    if (anyInfix && r.endings.empty()) fail(where, "infix rules need 'endings' (the verb endings to insert before)");
    return r;
}

template <class T, class F>
std::vector<T> parseSection(const std::string& source, const Json& root, const char* section, const char* nameKey,
                            bool required, F parseOne) {
    std::vector<T> out;
    auto it = root.find(section);
    if (it == root.end()) {
        if (required) fail(source, std::string("missing '") + section + "'");
        return out;
    }
    if (!it->is_array()) fail(source, std::string("'") + section + "' must be an array");
    for (std::size_t i = 0; i < it->size(); ++i)
        out.push_back(parseOne(source + ": " + describe(section, i, entryName((*it)[i], nameKey)), (*it)[i]));
    if (required && out.empty()) fail(source, std::string("'") + section + "' is empty");
    return out;
}

// Every tag or role asked for must be offered somewhere: catches typos.
void crossCheck(const std::string& source, const Lexicon& lex) {
    std::set<std::string> nominalTags, roles;
    for (const auto& n : lex.nouns) nominalTags.insert(n.tags.begin(), n.tags.end());
    std::set<std::string> nounTags = nominalTags;
    for (const auto& p : lex.pronouns) nominalTags.insert(p.tags.begin(), p.tags.end());
    for (const auto& p : lex.prepositions) roles.insert(p.role);
    auto checkTags = [&](const std::string& where, const std::vector<std::string>& tags, const std::set<std::string>& known,
                         const char* what) {
        for (const auto& t : tags)
            if (!known.count(t)) fail(where, std::string(what) + " tag '" + t + "' is carried by no noun");
    };
    std::set<std::string> seenVerbs;
    for (std::size_t i = 0; i < lex.verbs.size(); ++i) {
        const auto& v = lex.verbs[i];
        const std::string where = source + ": " + describe("verbs", i, v.lemma);
        if (!seenVerbs.insert(v.lemma).second) fail(where, "the lemma is listed twice");
        checkTags(where, v.subjectTags, nominalTags, "subject");
        checkTags(where, v.objectTags, nominalTags, "object");
        for (const auto& r : v.ppRoles)
            if (!roles.count(r)) fail(where, "pp role '" + r + "' is the role of no preposition");
    }
    for (std::size_t i = 0; i < lex.adjectives.size(); ++i)
        checkTags(source + ": " + describe("adjectives", i, lex.adjectives[i].lemma), lex.adjectives[i].nounTags, nounTags, "noun");
    for (std::size_t i = 0; i < lex.prepositions.size(); ++i) {
        const std::string where = source + ": " + describe("prepositions", i, lex.prepositions[i].form);
        checkTags(where, lex.prepositions[i].nounTags, nounTags, "noun");
        checkTags(where, lex.prepositions[i].subjectTags, nominalTags, "subject");
    }
    std::set<std::string> seenNouns;
    for (std::size_t i = 0; i < lex.nouns.size(); ++i)
        if (!seenNouns.insert(lex.nouns[i].lemma).second)
            fail(source + ": " + describe("nouns", i, lex.nouns[i].lemma), "the lemma is listed twice");
}

void parseRoot(const std::string& source, const Json& root, Lexicon& lex) {
    checkKeys(source, root, {"format", "version", "language", "templates", "polypersonal", "pronouns", "nouns", "verbs",
                             "adjectives", "prepositions", "adverbs"});
    if (root.contains("format") && root["format"] != "grammascope-lexicon")
        fail(source, "'format' must be \"grammascope-lexicon\"");
    if (root.contains("version") && root["version"] != 1) fail(source, "unsupported 'version' (this reader knows 1)");
    lex.source = source;
    lex.templates = parseSection<SentenceTemplate>(source, root, "templates", "pattern", true, parseTemplate);
    lex.nouns = parseSection<LexNoun>(source, root, "nouns", "lemma", true, parseNoun);
    lex.pronouns = parseSection<LexPronoun>(source, root, "pronouns", "lemma", false, parsePronoun);
    lex.verbs = parseSection<LexVerb>(source, root, "verbs", "lemma", true, parseVerb);
    lex.adjectives = parseSection<LexAdjective>(source, root, "adjectives", "lemma", false, parseAdjective);
    lex.prepositions = parseSection<LexPreposition>(source, root, "prepositions", "form", false, parsePreposition);
    lex.adverbs = parseSection<LexAdverb>(source, root, "adverbs", "form", false, parseAdverb);
    if (root.contains("polypersonal")) lex.polypersonal = parseRules(source + ": polypersonal", root["polypersonal"]);
    crossCheck(source, lex);
}

} // namespace

const char* gramCaseName(GramCase c) { return kCaseNames[static_cast<int>(c)]; }

Status parseLexicon(const std::string& jsonText, const std::string& sourceName, Lexicon& out) {
    Json root;
    if (Status st = parseJsonText(jsonText, sourceName, root); !st.isOk()) return st.withStage("reading lexicon");
    try {
        Lexicon lex;
        parseRoot(sourceName, root, lex);
        out = std::move(lex);
        return Status::ok();
    } catch (const LexiconError& e) {
        return Status::failed("reading lexicon: " + e.message);
    } catch (const Json::exception& e) {
        return Status::failed("reading lexicon: " + sourceName + ": " + e.what());
    }
}

Status loadLexicon(const std::filesystem::path& file, Lexicon& out) {
    std::string text;
    if (Status st = readTextFile(file, text); !st.isOk()) return st.withStage("reading lexicon");
    return parseLexicon(text, file.string(), out);
}

Status parsePolypersonalRules(const std::string& jsonText, const std::string& sourceName, PolypersonalRules& out) {
    Json root;
    if (Status st = parseJsonText(jsonText, sourceName, root); !st.isOk()) return st.withStage("reading polypersonal rules");
    try {
        out = parseRules(sourceName, root);
        return Status::ok();
    } catch (const LexiconError& e) {
        return Status::failed("reading polypersonal rules: " + e.message);
    } catch (const Json::exception& e) {
        return Status::failed("reading polypersonal rules: " + sourceName + ": " + e.what());
    }
}

Status loadPolypersonalRules(const std::filesystem::path& file, PolypersonalRules& out) {
    std::string text;
    if (Status st = readTextFile(file, text); !st.isOk()) return st.withStage("reading polypersonal rules");
    return parsePolypersonalRules(text, file.string(), out);
}

} // namespace gs
