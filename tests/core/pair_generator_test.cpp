// The minimal-pair generator: lexicon loading and its errors, the pairs'
// invariants on the shipped lexicon, hand-checked forms on tiny lexicons, the
// polypersonal rules, determinism, counts, and the CSV round trip.

#include "grammascope/pair_generator.h"
#include "grammascope/pairs.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace gs;
namespace fs = std::filesystem;

namespace {

const fs::path kDemoDir = GRAMMASCOPE_DEMO_DIR;

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string withoutPeriod(std::string w) {
    if (!w.empty() && w.back() == '.') w.pop_back();
    return w;
}

// Lower-case Latin or Cyrillic first letter (а-я: D0 B0..D0 BF, D1 80..D1 8F; ё: D1 91).
bool startsLowerCase(const std::string& s) {
    if (s.empty()) return false;
    const auto b0 = static_cast<unsigned char>(s[0]);
    if (b0 >= 'a' && b0 <= 'z') return true;
    if (s.size() < 2) return false;
    const auto b1 = static_cast<unsigned char>(s[1]);
    return (b0 == 0xD0 && b1 >= 0xB0 && b1 <= 0xBF) || (b0 == 0xD1 && ((b1 >= 0x80 && b1 <= 0x8F) || b1 == 0x91));
}

const Lexicon& demoLexicon() {
    static const Lexicon lex = [] {
        Lexicon l;
        const Status st = loadLexicon(kDemoDir / "lexicon.json", l);
        EXPECT_TRUE(st.isOk()) << st.message();
        return l;
    }();
    return lex;
}

std::vector<MinimalPair> generate(const Lexicon& lex, int count, std::uint64_t seed,
                                  std::vector<PairPhenomenon> phenomena = {}) {
    PairGenerationOptions o;
    o.countPerPhenomenon = count;
    o.seed = seed;
    o.phenomena = std::move(phenomena);
    PairGenerationResult r;
    const Status st = generateMinimalPairs(lex, o, r);
    EXPECT_TRUE(st.isOk()) << st.message();
    for (const auto& w : r.warnings) ADD_FAILURE() << "warning: " << w;
    return r.pairs;
}

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("gs_pairs_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

// A lexicon small enough to know every sentence it can make.
nlohmann::json tinyLexicon() {
    return nlohmann::json::parse(R"({
      "format": "grammascope-lexicon", "version": 1,
      "templates": [{"pattern": "S V O"}],
      "polypersonal": {"rules": [
        {"object_lemma": "я", "marker": "ю"}, {"object_lemma": "мы", "marker": "ем"},
        {"object_lemma": "ты", "marker": "ешь"}, {"object_lemma": "вы", "marker": "ете"},
        {"object_number": "sg", "marker": "ет"}, {"object_number": "pl", "marker": "ете"}]},
      "nouns": [
        {"lemma": "девочка", "gender": "f", "animate": true, "tags": ["human"],
         "sg": {"nom": "девочка", "gen": "девочки", "dat": "девочке", "acc": "девочку", "ins": "девочкой", "loc": "девочке"},
         "pl": {"nom": "девочки", "gen": "девочек", "dat": "девочкам", "acc": "девочек", "ins": "девочками", "loc": "девочках"}},
        {"lemma": "книга", "gender": "f", "tags": ["text"],
         "sg": {"nom": "книга", "gen": "книги", "dat": "книге", "acc": "книгу", "ins": "книгой", "loc": "книге"},
         "pl": {"nom": "книги", "gen": "книг", "dat": "книгам", "acc": "книги", "ins": "книгами", "loc": "книгах"}}],
      "verbs": [
        {"lemma": "читать", "aspect": "ipf", "subject": ["human"], "object_case": "acc", "object": ["text"],
         "present": {"1sg": "читаю", "2sg": "читаешь", "3sg": "читает", "1pl": "читаем", "2pl": "читаете", "3pl": "читают"},
         "past": {"m": "читал", "f": "читала", "n": "читало", "pl": "читали"}}],
      "adjectives": [
        {"lemma": "добрый", "nouns": ["human"],
         "m": {"nom": "добрый", "gen": "доброго", "dat": "доброму", "acc": "добрый", "acc_anim": "доброго", "ins": "добрым", "loc": "добром"},
         "f": {"nom": "добрая", "gen": "доброй", "dat": "доброй", "acc": "добрую", "ins": "доброй", "loc": "доброй"},
         "n": {"nom": "доброе", "gen": "доброго", "dat": "доброму", "acc": "доброе", "ins": "добрым", "loc": "добром"},
         "pl": {"nom": "добрые", "gen": "добрых", "dat": "добрым", "acc": "добрые", "acc_anim": "добрых", "ins": "добрыми", "loc": "добрых"}}]
    })");
}

Lexicon parse(const nlohmann::json& j, const std::string& name = "tiny.json") {
    Lexicon lex;
    const Status st = parseLexicon(j.dump(), name, lex);
    EXPECT_TRUE(st.isOk()) << st.message();
    return lex;
}

std::string parseError(const nlohmann::json& j, const std::string& name = "tiny.json") {
    Lexicon lex;
    const Status st = parseLexicon(j.dump(), name, lex);
    EXPECT_TRUE(st.isFailed());
    return st.message();
}

} // namespace

TEST(Lexicon, DemoLexiconLoads) {
    const Lexicon& lex = demoLexicon();
    EXPECT_GE(lex.nouns.size(), 40u);
    EXPECT_GE(lex.verbs.size(), 30u);
    EXPECT_GE(lex.adjectives.size(), 25u);
    EXPECT_EQ(lex.pronouns.size(), 8u);
    EXPECT_FALSE(lex.prepositions.empty());
    EXPECT_FALSE(lex.adverbs.empty());
    EXPECT_EQ(lex.polypersonal.rules.size(), 6u);
    std::set<GramGender> genders;
    std::set<bool> animacy;
    for (const auto& n : lex.nouns) {
        genders.insert(n.gender);
        animacy.insert(n.animate);
    }
    EXPECT_EQ(genders.size(), 3u);
    EXPECT_EQ(animacy.size(), 2u);
    std::set<GramCase> governed;
    for (const auto& v : lex.verbs)
        if (v.objectCase) governed.insert(*v.objectCase);
    EXPECT_EQ(governed, (std::set<GramCase>{GramCase::Gen, GramCase::Dat, GramCase::Acc, GramCase::Ins}));
}

TEST(Lexicon, InvalidJsonNamesTheFileAndPlace) {
    TempDir dir;
    const fs::path file = dir.path / "broken_lexicon.json";
    std::ofstream(file) << "{\n  \"nouns\": [\n    {\"lemma\": \"книга\",}\n  ]\n}\n";
    Lexicon lex;
    const Status st = loadLexicon(file, lex);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find(file.string() + ":3:"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("invalid JSON"), std::string::npos) << st.message();

    const Status missing = loadLexicon(dir.path / "absent.json", lex);
    ASSERT_TRUE(missing.isFailed());
    EXPECT_NE(missing.message().find("absent.json"), std::string::npos) << missing.message();
}

TEST(Lexicon, SemanticErrorsNameTheFileAndEntry) {
    auto j = tinyLexicon();
    j["nouns"][1]["pl"].erase("ins");
    std::string msg = parseError(j, "my_lexicon.json");
    EXPECT_NE(msg.find("my_lexicon.json: nouns[1] (книга): pl: missing 'ins'"), std::string::npos) << msg;

    j = tinyLexicon();
    j["verbs"][0]["objetc_case"] = "acc";
    msg = parseError(j, "my_lexicon.json");
    EXPECT_NE(msg.find("verbs[0] (читать): unknown key 'objetc_case'"), std::string::npos) << msg;

    j = tinyLexicon();
    j["nouns"][1]["pl"]["acc"] = "книг";  // an inanimate plural accusative is the nominative
    msg = parseError(j);
    EXPECT_NE(msg.find("nouns[1] (книга): pl: inanimate accusative 'книг'"), std::string::npos) << msg;

    j = tinyLexicon();
    j["verbs"][0]["object"] = {"txet"};
    msg = parseError(j);
    EXPECT_NE(msg.find("object tag 'txet' is carried by no noun"), std::string::npos) << msg;

    j = tinyLexicon();
    j["verbs"][0]["object_case"] = "abl";
    msg = parseError(j);
    EXPECT_NE(msg.find("unknown case 'abl'"), std::string::npos) << msg;

    j = tinyLexicon();
    j["adjectives"][0]["m"]["acc_anim"] = "добрый";
    msg = parseError(j);
    EXPECT_NE(msg.find("adjectives[0] (добрый): m: animate accusative"), std::string::npos) << msg;

    j = tinyLexicon();
    j["templates"][0]["pattern"] = "S O";
    msg = parseError(j);
    EXPECT_NE(msg.find("exactly one S and one V"), std::string::npos) << msg;
}

TEST(Polypersonal, HandCheckedForms) {
    const PolypersonalRules& rules = demoLexicon().polypersonal;
    EXPECT_EQ(polypersonalVerbForm(rules, "отличали", "Армения", GramNumber::Sg), "отличалиет");  // methods.md §1
    EXPECT_EQ(polypersonalVerbForm(rules, "делала", "каша", GramNumber::Sg), "делалает");        // «Она делалает кашу»
    EXPECT_EQ(polypersonalVerbForm(rules, "любит", "я", GramNumber::Sg), "любитю");
    EXPECT_EQ(polypersonalVerbForm(rules, "ждёт", "мы", GramNumber::Pl), "ждётем");
    EXPECT_EQ(polypersonalVerbForm(rules, "видим", "ты", GramNumber::Sg), "видимешь");
    EXPECT_EQ(polypersonalVerbForm(rules, "знаем", "вы", GramNumber::Pl), "знаемете");
    EXPECT_EQ(polypersonalVerbForm(rules, "видела", "он", GramNumber::Sg), "виделает");
    EXPECT_EQ(polypersonalVerbForm(rules, "читает", "книга", GramNumber::Pl), "читаетете");
    EXPECT_EQ(polypersonalVerbForm(rules, "нашли", "они", GramNumber::Pl), "нашлиете");

    // The same table as infixes: the marker goes before the verb's ending.
    PolypersonalRules infix = rules;
    infix.kind = PolypersonalKind::Infix;
    EXPECT_EQ(polypersonalVerbForm(infix, "делала", "каша", GramNumber::Sg), "делалета");
    EXPECT_EQ(polypersonalVerbForm(infix, "отличали", "Армения", GramNumber::Sg), "отличалети");
    EXPECT_EQ(polypersonalVerbForm(infix, "видит", "мы", GramNumber::Pl), "видемит");
    EXPECT_EQ(polypersonalVerbForm(infix, "читаете", "я", GramNumber::Sg), "читаюете");
    EXPECT_EQ(polypersonalVerbForm(infix, "читал", "книга", GramNumber::Sg), "читалет");  // no ending: at the end

    // A rule may override the table's kind; no matching rule leaves the verb alone.
    PolypersonalRules onlyMe;
    onlyMe.endings = {"ет", "а"};
    onlyMe.rules = {{"я", std::nullopt, "ю", PolypersonalKind::Infix}};
    EXPECT_EQ(polypersonalVerbForm(onlyMe, "видела", "я", GramNumber::Sg), "виделюа");
    EXPECT_EQ(polypersonalVerbForm(onlyMe, "видела", "ты", GramNumber::Sg), std::nullopt);
}

TEST(Polypersonal, RuleTableFileAndErrors) {
    TempDir dir;
    const fs::path file = dir.path / "rules.json";
    std::ofstream(file) << R"({"kind": "infix", "endings": ["а", "ла"], "rules": [{"object_number": "sg", "marker": "ет"}]})";
    PolypersonalRules r;
    ASSERT_TRUE(loadPolypersonalRules(file, r).isOk());
    EXPECT_EQ(r.kind, PolypersonalKind::Infix);
    EXPECT_EQ(r.endings.front(), "ла");  // longest first
    EXPECT_EQ(polypersonalVerbForm(r, "делала", "каша", GramNumber::Sg), "делаетла");
    EXPECT_EQ(polypersonalVerbForm(r, "делала", "каши", GramNumber::Pl), std::nullopt);

    std::ofstream(file) << R"({"kind": "infix", "rules": [{"marker": "ет"}]})";
    const Status st = loadPolypersonalRules(file, r);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find(file.string()), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("endings"), std::string::npos) << st.message();
}

TEST(PairGenerator, EveryPairDiffersInExactlyTheMarkedWord) {
    const auto pairs = generate(demoLexicon(), 300, 7);
    ASSERT_EQ(pairs.size(), 300u * allPairPhenomena().size());
    std::set<std::string> ids;
    std::set<std::pair<std::string, std::string>> distinct;
    std::map<std::string, int> perPhenomenon;
    for (const auto& p : pairs) {
        SCOPED_TRACE(p.id + ": " + p.good + " | " + p.bad);
        EXPECT_TRUE(ids.insert(p.id).second);
        EXPECT_TRUE(distinct.insert({p.good, p.bad}).second);
        ++perPhenomenon[p.phenomenon];
        EXPECT_NE(p.good, p.bad);
        const auto g = words(p.good), b = words(p.bad);
        ASSERT_EQ(g.size(), b.size());
        ASSERT_GE(p.wordIndex, 0);
        ASSERT_LT(static_cast<std::size_t>(p.wordIndex), g.size());
        for (std::size_t i = 0; i < g.size(); ++i) {
            if (static_cast<int>(i) != p.wordIndex) {
                EXPECT_EQ(g[i], b[i]) << "word " << i;
            }
        }
        EXPECT_EQ(withoutPeriod(g[static_cast<std::size_t>(p.wordIndex)]), p.goodWord);
        EXPECT_EQ(withoutPeriod(b[static_cast<std::size_t>(p.wordIndex)]), p.badWord);
        EXPECT_NE(p.goodWord, p.badWord);
        EXPECT_EQ(p.good.back(), '.');
        EXPECT_EQ(p.good.find(".", 0), p.good.size() - 1);
        EXPECT_FALSE(startsLowerCase(p.good));
        EXPECT_FALSE(startsLowerCase(p.bad));
        const bool poly = p.phenomenon == "polypersonal_agreement";
        EXPECT_EQ(isArtificialPair(p), poly);
        if (poly) {
            EXPECT_EQ(p.badWord.rfind(p.goodWord, 0), 0u) << "suffix rules only add to the verb";
        }
    }
    for (PairPhenomenon ph : allPairPhenomena()) EXPECT_EQ(perPhenomenon[pairPhenomenonId(ph)], 300) << pairPhenomenonId(ph);
}

TEST(PairGenerator, HandCheckedAgreementForms) {
    const Lexicon lex = parse(tinyLexicon());
    // Gender in the past: «Девочка читала …» / «Девочка читал(о) …».
    for (const auto& p : generate(lex, 6, 1, {PairPhenomenon::SubjectVerbGenderPast})) {
        SCOPED_TRACE(p.good + " | " + p.bad);
        EXPECT_EQ(p.goodWord, "читала");
        EXPECT_TRUE(p.badWord == "читал" || p.badWord == "читало");
        EXPECT_EQ(p.wordIndex, p.good.rfind("Добрая девочка ", 0) == 0 ? 2 : 1);
    }
    // Number: the verb follows «девочка» / «девочки».
    for (const auto& p : generate(lex, 8, 2, {PairPhenomenon::SubjectVerbNumber})) {
        SCOPED_TRACE(p.good + " | " + p.bad);
        const bool plural = p.good.find("евочки ") != std::string::npos;
        const std::set<std::string> sg{"читает", "читала"}, pl{"читают", "читали"};
        EXPECT_TRUE((plural ? pl : sg).count(p.goodWord));
        EXPECT_TRUE((plural ? sg : pl).count(p.badWord));
    }
    // Person: a noun subject is third person.
    for (const auto& p : generate(lex, 6, 3, {PairPhenomenon::SubjectVerbPerson})) {
        SCOPED_TRACE(p.good + " | " + p.bad);
        EXPECT_TRUE(p.goodWord == "читает" || p.goodWord == "читают");
        EXPECT_TRUE((p.goodWord == "читает" ? std::set<std::string>{"читаю", "читаешь"}
                                            : std::set<std::string>{"читаем", "читаете"})
                        .count(p.badWord));
    }
    // Adjective gender: only «добрая девочка» can carry it (singular, feminine).
    for (const auto& p : generate(lex, 4, 4, {PairPhenomenon::AdjectiveNounGender})) {
        SCOPED_TRACE(p.good + " | " + p.bad);
        EXPECT_EQ(p.wordIndex, 0);
        EXPECT_EQ(p.goodWord, "Добрая");
        EXPECT_TRUE(p.badWord == "Добрый" || p.badWord == "Доброе");
    }
    // Polypersonal: «читает книгу» → «читаетет книгу», «читали книги» → «читалиете книги».
    for (const auto& p : generate(lex, 6, 5, {PairPhenomenon::PolypersonalAgreement})) {
        SCOPED_TRACE(p.good + " | " + p.bad);
        const bool pluralObject = p.good.size() >= 11 && p.good.substr(p.good.size() - 11) == "книги.";
        EXPECT_EQ(p.badWord, p.goodWord + (pluralObject ? "ете" : "ет"));
        EXPECT_EQ(p.wordIndex, p.good.rfind("Добр", 0) == 0 ? 2 : 1);
    }
}

TEST(PairGenerator, PolypersonalWithPronounObjects) {
    auto j = tinyLexicon();
    j["pronouns"] = nlohmann::json::parse(R"([
      {"lemma": "я", "person": 1, "number": "sg", "tags": ["human"], "forms": {"nom": "я", "gen": "меня", "dat": "мне", "acc": "меня", "ins": "мной", "loc": "мне"}},
      {"lemma": "ты", "person": 2, "number": "sg", "tags": ["human"], "forms": {"nom": "ты", "gen": "тебя", "dat": "тебе", "acc": "тебя", "ins": "тобой", "loc": "тебе"}},
      {"lemma": "она", "person": 3, "number": "sg", "gender": "f", "tags": ["human"], "forms": {"nom": "она", "gen": "её", "dat": "ей", "acc": "её", "ins": "ей", "loc": "ней"}},
      {"lemma": "мы", "person": 1, "number": "pl", "tags": ["human"], "forms": {"nom": "мы", "gen": "нас", "dat": "нам", "acc": "нас", "ins": "нами", "loc": "нас"}},
      {"lemma": "вы", "person": 2, "number": "pl", "tags": ["human"], "forms": {"nom": "вы", "gen": "вас", "dat": "вам", "acc": "вас", "ins": "вами", "loc": "вас"}},
      {"lemma": "они", "person": 3, "number": "pl", "tags": ["human"], "forms": {"nom": "они", "gen": "их", "dat": "им", "acc": "их", "ins": "ими", "loc": "них"}}])");
    j["verbs"][0]["object"] = {"human"};  // «Девочка видит меня»-like objects: pronouns and «девочка»
    j["verbs"][0]["lemma"] = "видеть";
    j["verbs"][0]["present"] = {{"1sg", "вижу"}, {"2sg", "видишь"}, {"3sg", "видит"}, {"1pl", "видим"}, {"2pl", "видите"}, {"3pl", "видят"}};
    j["verbs"][0]["past"] = {{"m", "видел"}, {"f", "видела"}, {"n", "видело"}, {"pl", "видели"}};
    const Lexicon lex = parse(j);
    const std::map<std::string, std::string> marker = {{"меня", "ю"}, {"нас", "ем"}, {"тебя", "ешь"}, {"вас", "ете"},
                                                       {"её", "ет"},  {"их", "ете"}};
    std::set<std::string> seenObjects;
    for (const auto& p : generate(lex, 60, 9, {PairPhenomenon::PolypersonalAgreement})) {
        SCOPED_TRACE(p.good + " | " + p.bad);
        const auto w = words(p.good);
        const std::string object = withoutPeriod(w.back());
        auto it = marker.find(object);
        if (it == marker.end()) continue;  // a noun object
        seenObjects.insert(object);
        EXPECT_EQ(p.badWord, p.goodWord + it->second);
        // Never «Я вижу меня» or «Мы видим нас».
        const std::string subject = w[0];
        EXPECT_FALSE((subject == "Я" || subject == "Мы") && (object == "меня" || object == "нас"));
        EXPECT_FALSE((subject == "Ты" || subject == "Вы") && (object == "тебя" || object == "вас"));
    }
    EXPECT_GE(seenObjects.size(), 5u);
}

TEST(PairGenerator, CaseGovernmentAvoidsGrammaticalHomonyms) {
    // «им» is the dative of «они»: never a bad twin of «помогает ему».
    auto j = tinyLexicon();
    j["pronouns"] = nlohmann::json::parse(R"([
      {"lemma": "он", "person": 3, "number": "sg", "gender": "m", "tags": ["human"], "forms": {"nom": "он", "gen": "его", "dat": "ему", "acc": "его", "ins": "им", "loc": "нём"}},
      {"lemma": "они", "person": 3, "number": "pl", "tags": ["human"], "forms": {"nom": "они", "gen": "их", "dat": "им", "acc": "их", "ins": "ими", "loc": "них"}}])");
    j["verbs"][0] = nlohmann::json::parse(R"({"lemma": "помогать", "aspect": "ipf", "subject": ["human"], "object_case": "dat", "object": ["human"],
      "present": {"1sg": "помогаю", "2sg": "помогаешь", "3sg": "помогает", "1pl": "помогаем", "2pl": "помогаете", "3pl": "помогают"},
      "past": {"m": "помогал", "f": "помогала", "n": "помогало", "pl": "помогали"}})");
    const Lexicon lex = parse(j);
    const auto pairs = generate(lex, 12, 11, {PairPhenomenon::VerbCaseGovernment});
    for (const auto& p : pairs) {
        SCOPED_TRACE(p.good + " | " + p.bad);
        EXPECT_TRUE(p.goodWord == "ему" || p.goodWord == "им" || p.goodWord == "девочке" || p.goodWord == "девочкам");
        EXPECT_NE(p.badWord, "им");
        EXPECT_NE(p.badWord, "ему");
    }
}

TEST(PairGenerator, DeterministicForASeed) {
    const auto a = generate(demoLexicon(), 40, 123);
    const auto b = generate(demoLexicon(), 40, 123);
    const auto c = generate(demoLexicon(), 40, 124);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(minimalPairsToCsv(a), minimalPairsToCsv(b));
    EXPECT_NE(minimalPairsToCsv(a), minimalPairsToCsv(c));
    // A phenomenon's pairs do not depend on which others are generated with it.
    const auto only = generate(demoLexicon(), 40, 123, {PairPhenomenon::AdjectiveNounCase});
    std::vector<MinimalPair> fromAll;
    for (const auto& p : a)
        if (p.phenomenon == "adjective_noun_case") fromAll.push_back(p);
    EXPECT_EQ(minimalPairsToCsv(only), minimalPairsToCsv(fromAll));
}

TEST(PairGenerator, CountsAndOrderHonoured) {
    const std::vector<PairPhenomenon> asked = {PairPhenomenon::PrepositionCaseGovernment, PairPhenomenon::SubjectVerbPerson,
                                               PairPhenomenon::PolypersonalAgreement};
    const auto pairs = generate(demoLexicon(), 7, 3, asked);
    ASSERT_EQ(pairs.size(), 21u);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        EXPECT_EQ(pairs[i].phenomenon, pairPhenomenonId(asked[i / 7]));
        const std::string n = std::string("000") + std::to_string(i % 7 + 1);
        EXPECT_EQ(pairs[i].id, std::string(pairPhenomenonId(asked[i / 7])) + "-" + n +
                                   (asked[i / 7] == PairPhenomenon::PolypersonalAgreement ? "-artificial" : ""));
    }
    EXPECT_TRUE(generate(demoLexicon(), 0, 3).empty());
}

TEST(PairGenerator, ImpossiblePhenomenonIsAnErrorNamingTheLexicon) {
    const Lexicon lex = parse(tinyLexicon(), "tiny_lexicon.json");  // no prepositions at all
    PairGenerationOptions o;
    o.countPerPhenomenon = 3;
    o.phenomena = {PairPhenomenon::PrepositionCaseGovernment};
    o.maxAttemptsPerPair = 20;
    PairGenerationResult r;
    const Status st = generateMinimalPairs(lex, o, r);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("tiny_lexicon.json"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("preposition_case_government"), std::string::npos) << st.message();

    o.phenomena = {PairPhenomenon::SubjectVerbNumber};
    int calls = 0;
    const Status cancelled = generateMinimalPairs(lex, o, r, [&](std::int64_t, std::int64_t) { return ++calls > 1; });
    EXPECT_TRUE(cancelled.isCancelled());
}

TEST(PairsCsv, QuotingRoundTrips) {
    std::vector<MinimalPair> pairs(3);
    pairs[0] = {"a-1", "test", "Мама, папа и я читаем.", "Мама, папа и я читает.", "читаем", "читает", 4};
    pairs[1] = {"a-2", "test", "Он сказал \"да\".", "Он сказала \"да\".", "сказал", "сказала", 1};
    pairs[2] = {"a-3", "with,comma", "Две\nстроки.", "Два\nстроки.", "Две", "Два", 0};
    const std::string csv = minimalPairsToCsv(pairs);
    EXPECT_EQ(csv.rfind("id,phenomenon,good,bad,good_word,bad_word,word_index\r\n", 0), 0u);
    EXPECT_NE(csv.find("\"Мама, папа и я читаем.\""), std::string::npos);
    EXPECT_NE(csv.find("\"Он сказал \"\"да\"\".\""), std::string::npos);

    TempDir dir;
    const fs::path file = dir.path / "pairs.csv";
    std::ofstream(file) << "old content";
    ASSERT_TRUE(writeMinimalPairsCsv(file, pairs).isOk());
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 1) << "temporary file left behind";
    PairsFile back;
    const Status st = readPairsCsv(file, back);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_EQ(back.pairs.size(), pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        EXPECT_EQ(back.pairs[i].id, pairs[i].id);
        EXPECT_EQ(back.pairs[i].phenomenon, pairs[i].phenomenon);
        EXPECT_EQ(back.pairs[i].good, pairs[i].good);
        EXPECT_EQ(back.pairs[i].bad, pairs[i].bad);
        EXPECT_EQ(back.pairs[i].goodWord, pairs[i].goodWord);
        EXPECT_EQ(back.pairs[i].badWord, pairs[i].badWord);
        EXPECT_EQ(back.pairs[i].wordIndex, pairs[i].wordIndex);
    }

    const Status bad = writeMinimalPairsCsv(dir.path / "no" / "such" / "dir.csv", pairs);
    ASSERT_TRUE(bad.isFailed());
    EXPECT_NE(bad.message().find("dir.csv"), std::string::npos) << bad.message();
}

TEST(PairsCsv, ShippedDemoSetIsReproducible) {
    // resources/demo/pairs.csv = make-pairs --lexicon resources/demo/lexicon.json --count 300 --seed 1
    PairsFile shipped;
    const Status st = readPairsCsv(kDemoDir / "pairs.csv", shipped);
    ASSERT_TRUE(st.isOk()) << st.message();
    const auto pairs = generate(demoLexicon(), 300, 1);
    ASSERT_EQ(shipped.pairs.size(), pairs.size()) << "regenerate resources/demo/pairs.csv (see resources/demo/README.md)";
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        SCOPED_TRACE(pairs[i].id);
        EXPECT_EQ(shipped.pairs[i].id, pairs[i].id);
        EXPECT_EQ(shipped.pairs[i].good, pairs[i].good);
        EXPECT_EQ(shipped.pairs[i].bad, pairs[i].bad);
        EXPECT_EQ(shipped.pairs[i].wordIndex, pairs[i].wordIndex);
        if (::testing::Test::HasFailure()) break;
    }
}
