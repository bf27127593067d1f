// CoNLL-U reading (spans, multiword tokens, empty nodes, malformed input) and
// the polypersonal transformation of UD sentences: hand-computed cases on
// fixtures written for these tests (tests/data/conllu), a user-edited infix
// table, and a run over the real UD treebanks in ../shared/data/ud when they
// are there. No sentence of a treebank is copied into the repository.

#include "grammascope/conllu.h"
#include "grammascope/pair_generator.h"
#include "grammascope/pairs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

using namespace gs;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(GRAMMASCOPE_TEST_DATA_DIR) / "conllu";

ConlluDocument readFixture(const std::string& name) {
    ConlluDocument doc;
    const Status st = readConllu(kFixtures / name, doc);
    EXPECT_TRUE(st.isOk()) << st.message();
    return doc;
}

std::string spanText(const AnnotatedSentence& s, const SentenceWord& w) {
    EXPECT_LE(0, w.byteBegin);
    EXPECT_LE(w.byteBegin, w.byteEnd);
    EXPECT_LE(static_cast<std::size_t>(w.byteEnd), s.text.size());
    return s.text.substr(static_cast<std::size_t>(w.byteBegin), static_cast<std::size_t>(w.byteEnd - w.byteBegin));
}

std::vector<std::string> wordTexts(const AnnotatedSentence& s) {
    std::vector<std::string> out;
    for (const auto& w : s.words) out.push_back(w.text);
    return out;
}

std::string metadata(const DatasetItem& item, const std::string& key) {
    for (const auto& [k, v] : item.metadata)
        if (k == key) return v;
    ADD_FAILURE() << item.id << ": no metadata '" << key << "'";
    return {};
}

const ConlluSentence& bySentId(const ConlluDocument& doc, const std::string& id) {
    for (const auto& s : doc.sentences)
        if (s.sentId == id) return s;
    throw std::runtime_error("no sentence " + id);
}

PolypersonalResult generate(const ConlluDocument& doc, bool strict, PolypersonalRules rules = defaultPolypersonalRules()) {
    PolypersonalOptions o;
    o.rules = std::move(rules);
    o.requireFiniteHead = strict;
    PolypersonalResult r;
    const Status st = generatePolypersonalPairs(doc.sentences, o, r);
    EXPECT_TRUE(st.isOk()) << st.message();
    return r;
}

std::map<std::string, const DatasetItem*> itemsBySentId(const PolypersonalResult& r) {
    std::map<std::string, const DatasetItem*> out;
    for (const auto& item : r.items) out[metadata(item, "sent_id")] = &item;
    return out;
}

std::int64_t skippedTotal(const PolypersonalStats& s) {
    return s.skippedNoRule + s.skippedNotFinite + s.skippedHeadNotVerb + s.skippedVerbTaken + s.skippedVerbSpan;
}

// The pair differs exactly in its changed verbs: same words and annotation,
// the same text between the words, and every span pointing at its word.
// Returns how many words changed.
int checkPair(const DatasetItem& item) {
    SCOPED_TRACE(item.id);
    EXPECT_TRUE(item.isPair());
    EXPECT_EQ(item.phenomenon, "polypersonal_agreement");
    EXPECT_TRUE(isArtificialPair(MinimalPair{item.id, item.phenomenon, item.good.text, item.bad.text, item.goodWord,
                                             item.badWord, item.wordIndex}));
    EXPECT_NE(item.good.text, item.bad.text);
    const auto& g = item.good.words;
    const auto& b = item.bad.words;
    EXPECT_EQ(g.size(), b.size());
    if (g.size() != b.size()) return 0;
    int changed = 0, first = -1;
    std::int64_t gPrev = 0, bPrev = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
        EXPECT_EQ(spanText(item.good, g[i]), g[i].text) << i;
        EXPECT_EQ(spanText(item.bad, b[i]), b[i].text) << i;
        EXPECT_TRUE(g[i].ud && b[i].ud);
        if (g[i].ud && b[i].ud) {
            EXPECT_EQ(g[i].ud->lemma, b[i].ud->lemma);
            EXPECT_EQ(g[i].ud->feats, b[i].ud->feats);
            EXPECT_EQ(g[i].ud->head, b[i].ud->head);
            EXPECT_EQ(g[i].ud->deprel, b[i].ud->deprel);
        }
        // The text from the previous word's end to this word's begin.
        if (g[i].byteBegin >= gPrev) {
            EXPECT_EQ(item.good.text.substr(gPrev, g[i].byteBegin - gPrev), item.bad.text.substr(bPrev, b[i].byteBegin - bPrev));
            gPrev = g[i].byteEnd;
            bPrev = b[i].byteEnd;
        }
        if (g[i].text != b[i].text) {
            ++changed;
            if (first < 0) first = static_cast<int>(i);
            EXPECT_TRUE(g[i].ud->upos == "VERB" || g[i].ud->upos == "AUX") << g[i].text;
            EXPECT_GT(b[i].text.size(), g[i].text.size());
        }
    }
    EXPECT_EQ(item.good.text.substr(gPrev), item.bad.text.substr(bPrev));
    EXPECT_EQ(first, item.wordIndex);
    if (first >= 0) {
        EXPECT_EQ(item.goodWord, g[first].text);
        EXPECT_EQ(item.badWord, b[first].text);
    }
    EXPECT_EQ(metadata(item, "verbs_changed"), std::to_string(changed));
    return changed;
}

} // namespace

TEST(Conllu, WordsAnnotationAndSpans) {
    const ConlluDocument doc = readFixture("basic.conllu");
    ASSERT_EQ(doc.sentences.size(), 4u);

    const ConlluSentence& b1 = doc.sentences[0];
    EXPECT_EQ(b1.sentId, "b1");
    EXPECT_EQ(b1.line, 1);
    EXPECT_EQ(b1.sentence.text, "Мама мыла раму.");
    ASSERT_EQ(b1.sentence.words.size(), 4u);
    const SentenceWord& verb = b1.sentence.words[1];
    EXPECT_EQ(verb.text, "мыла");
    EXPECT_EQ(verb.byteBegin, 9);  // «Мама » is 4 two-byte letters and a space
    EXPECT_EQ(verb.byteEnd, 17);
    ASSERT_TRUE(verb.ud);
    EXPECT_EQ(verb.ud->lemma, "мыть");
    EXPECT_EQ(verb.ud->upos, "VERB");
    EXPECT_EQ(verb.ud->xpos, "");
    EXPECT_EQ(verb.ud->head, -1);
    EXPECT_EQ(verb.ud->deprel, "root");
    EXPECT_EQ(b1.sentence.words[0].ud->head, 1);
    EXPECT_EQ(b1.sentence.words[2].ud->feats, "Animacy=Inan|Case=Acc|Gender=Fem|Number=Sing");
    EXPECT_EQ(b1.sentence.words[3].ud->feats, "");
    for (const auto& w : b1.sentence.words) EXPECT_EQ(spanText(b1.sentence, w), w.text);

    // No "# text": rebuilt from the forms and SpaceAfter=No; the empty node 6.1 is skipped.
    const ConlluSentence& b2 = doc.sentences[1];
    EXPECT_EQ(b2.sentId, "b2");
    EXPECT_EQ(b2.line, 10);
    EXPECT_EQ(b2.sentence.text, "Я читаю книгу, а он газету.");
    EXPECT_EQ(wordTexts(b2.sentence), (std::vector<std::string>{"Я", "читаю", "книгу", ",", "а", "он", "газету", "."}));
    EXPECT_EQ(b2.sentence.words[6].ud->head, 5);  // газету → он, past the empty node
    for (const auto& w : b2.sentence.words) EXPECT_EQ(spanText(b2.sentence, w), w.text);

    // "# text" with a double space and a no-break space is kept as written.
    const ConlluSentence& b3 = doc.sentences[2];
    EXPECT_EQ(b3.sentence.text, "Он  пришёл\u00a0домой.");
    for (const auto& w : b3.sentence.words) EXPECT_EQ(spanText(b3.sentence, w), w.text);
    EXPECT_EQ(b3.sentence.words[1].byteBegin, 6);

    // "# text" disagreeing with the forms: rebuilt text and a warning on its line.
    const ConlluSentence& b4 = doc.sentences[3];
    EXPECT_EQ(b4.sentence.text, "Она пела песни .");
    for (const auto& w : b4.sentence.words) EXPECT_EQ(spanText(b4.sentence, w), w.text);
    ASSERT_EQ(doc.issues.size(), 1u);
    EXPECT_EQ(doc.issues[0].severity, IssueSeverity::Warning);
    EXPECT_EQ(doc.issues[0].line, 29);
    EXPECT_NE(doc.issues[0].message.find("песни"), std::string::npos) << doc.issues[0].message;
}

TEST(Conllu, MultiwordTokens) {
    const ConlluDocument doc = readFixture("multiword.conllu");
    ASSERT_EQ(doc.sentences.size(), 2u);
    EXPECT_TRUE(doc.issues.empty());

    // Forms that spell the token: each word gets its own part.
    const AnnotatedSentence& m1 = doc.sentences[0].sentence;
    EXPECT_EQ(m1.text, "Он купил-то книгу.");
    EXPECT_EQ(wordTexts(m1), (std::vector<std::string>{"Он", "купил", "-то", "книгу", "."}));
    for (const auto& w : m1.words) EXPECT_EQ(spanText(m1, w), w.text);
    EXPECT_EQ(m1.words[3].ud->head, 1);

    // Forms that do not («Dámelo» = da + me + lo): all share the token's span.
    const AnnotatedSentence& m2 = doc.sentences[1].sentence;
    EXPECT_EQ(m2.text, "Dámelo ahora.");
    EXPECT_EQ(wordTexts(m2), (std::vector<std::string>{"Da", "me", "lo", "ahora", "."}));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(spanText(m2, m2.words[i]), "Dámelo");
    EXPECT_EQ(spanText(m2, m2.words[3]), "ahora");
}

TEST(Conllu, MalformedLinesSkipTheirSentence) {
    const ConlluDocument doc = readFixture("malformed.conllu");
    ASSERT_EQ(doc.sentences.size(), 2u);
    EXPECT_EQ(doc.sentences[0].sentId, "g1");
    EXPECT_EQ(doc.sentences[1].sentId, "g2");
    EXPECT_EQ(doc.sentences[1].line, 24);
    const std::vector<std::pair<std::int64_t, std::string>> expected = {
        {9, "10 tab-separated columns, found 9"}, {13, "word id 3 where 2 was expected"},
        {16, "HEAD '9' is past the last word"},   {21, "multiword token ends at word 3"},
        {31, "bad word id 'abc'"}};
    ASSERT_EQ(doc.issues.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(doc.issues[i].severity, IssueSeverity::Error);
        EXPECT_EQ(doc.issues[i].line, expected[i].first);
        EXPECT_NE(doc.issues[i].message.find(expected[i].second), std::string::npos) << doc.issues[i].message;
        EXPECT_NE(doc.issues[i].message.find("sentence skipped"), std::string::npos) << doc.issues[i].message;
    }
}

TEST(Conllu, ByteOrderMarkAndCrlf) {
    const ConlluDocument doc = readFixture("bom_crlf.conllu");
    ASSERT_EQ(doc.sentences.size(), 2u);
    EXPECT_TRUE(doc.issues.empty());
    EXPECT_EQ(doc.sentences[0].sentId, "c1");
    EXPECT_EQ(doc.sentences[0].sentence.text, "Кот спит.");
    EXPECT_EQ(doc.sentences[1].sentence.text, "Птица поёт.");
    EXPECT_EQ(doc.sentences[1].sentence.words[1].ud->head, -1);
    for (const auto& s : doc.sentences) {
        EXPECT_EQ(s.sentId.find('\r'), std::string::npos);
        for (const auto& w : s.sentence.words) EXPECT_EQ(spanText(s.sentence, w), w.text);
    }
}

TEST(Conllu, NotUtf8FailsNamingTheLine) {
    ConlluDocument doc;
    const Status st = readConllu(kFixtures / "not_utf8.conllu", doc);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("not_utf8.conllu:8: the file is not UTF-8"), std::string::npos) << st.message();
}

TEST(Conllu, NothingToLoadFails) {
    ConlluDocument doc;
    Status st = readConllu(kFixtures / "no_sentence.conllu", doc);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("no sentence"), std::string::npos) << st.message();
    EXPECT_TRUE(parseConllu("", "empty.conllu", doc).isFailed());
    st = parseConllu("1\tКот\tкот\tNOUN\t_\t_\t5\troot\t_\t_\n", "bad.conllu", doc);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("line 1: HEAD '5'"), std::string::npos) << st.message();
    st = readConllu(kFixtures / "missing.conllu", doc);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("missing.conllu"), std::string::npos) << st.message();
}

namespace {

// CoNLL-U from readable lines: spaces become tabs, "|" stays.
std::string conllu(std::initializer_list<const char*> lines) {
    std::string out;
    for (const char* l : lines) {
        std::string s = l;
        if (!s.empty() && s[0] != '#') std::replace(s.begin(), s.end(), ' ', '\t');
        out += s + "\n";
    }
    return out;
}

} // namespace

TEST(Conllu, SentIdsAndSubtypes) {
    const std::string text = conllu({
        "# sent_id = d1", "1 Он он PRON _ Case=Nom 2 nsubj _ _", "2 видел видеть VERB _ VerbForm=Fin 0 root _ _",
        "3 её она PRON _ Case=Acc,Gen|Number=Sing 2 obj:test _ _", "",
        "# sent_id = d1", "1 Она она PRON _ Case=Nom 2 nsubj _ _", "2 ждала ждать VERB _ VerbForm=Fin 0 root _ _",
        "3 нас мы PRON _ Case=Acc 2 obj _ SpaceAfter=No", "4 . . PUNCT _ _ 2 punct _ _", "",
        "1 Ждали ждать VERB _ VerbForm=Fin 0 root _ _", "2 их они PRON _ Case=Acc|Number=Plur 1 obj _ _", ""});
    ConlluDocument doc;
    ASSERT_TRUE(parseConllu(text, "inline", doc).isOk());
    ASSERT_EQ(doc.sentences.size(), 3u);
    EXPECT_EQ(doc.sentences[2].sentId, "inline:12");  // no sent_id: source and line
    ASSERT_EQ(doc.issues.size(), 1u);
    EXPECT_EQ(doc.issues[0].line, 6);
    EXPECT_NE(doc.issues[0].message.find("duplicate sent_id 'd1' (first at line 1)"), std::string::npos);

    // A deprel subtype and a multi-value Case still make a direct object; an
    // object without Number is matched by lemma rules (мы → «ем»).
    const PolypersonalResult r = generate(doc, false);
    ASSERT_EQ(r.items.size(), 3u);
    EXPECT_EQ(r.items[0].bad.text, "Он виделет её");
    EXPECT_EQ(r.items[1].bad.text, "Она ждалаем нас.");
    EXPECT_EQ(r.items[2].bad.text, "Ждалиете их");
    EXPECT_EQ(r.items[2].id, "inline:12-artificial");
    for (const auto& item : r.items) checkPair(item);
}

TEST(Polypersonal, HandComputedPairs) {
    const ConlluDocument doc = readFixture("polypersonal.conllu");
    ASSERT_EQ(doc.sentences.size(), 15u);
    EXPECT_TRUE(doc.issues.empty());
    const PolypersonalResult r = generate(doc, false);

    struct Expected {
        std::string bad, goodWord, badWord;
        int wordIndex;
        std::string marker, objectLemma;
    };
    const std::map<std::string, Expected> expected = {
        {"p1", {"Соседи сразу отличалиет Армению на карте.", "отличали", "отличалиет", 2, "ет", "Армения"}},  // methods.md §1
        {"p2", {"Мама любитю меня.", "любит", "любитю", 1, "ю", "я"}},
        {"p3", {"Учитель ждётем нас.", "ждёт", "ждётем", 1, "ем", "мы"}},
        {"p4", {"Я вижуешь тебя.", "вижу", "вижуешь", 1, "ешь", "ты"}},
        {"p5", {"Мы знаемете вас.", "знаем", "знаемете", 1, "ете", "вы"}},
        {"p6", {"Дети читалиете книги.", "читали", "читалиете", 1, "ете", "книга"}},
        {"p7", {"Меня позвалию.", "позвали", "позвалию", 1, "ю", "Я"}},  // lemma «Я», no Number
        {"p10", {"Она хочет купитьет хлеб.", "купить", "купитьет", 2, "ет", "хлеб"}},
        {"p11", {"Кашу она делалает, а суп варилет папа.", "делала", "делалает", 2, "ет", "каша"}},
        {"p12", {"Учитель спросилет его урок.", "спросил", "спросилет", 1, "ет", "он"}},  // the first object
        {"p13", {"Читаюет книгу.", "Читаю", "Читаюет", 0, "ет", "книга"}},
        {"p14", {"МАМА ЛЮБИТЕТ ПАПУ.", "ЛЮБИТ", "ЛЮБИТЕТ", 1, "ЕТ", "папа"}},
    };
    const auto items = itemsBySentId(r);
    ASSERT_EQ(items.size(), expected.size());
    for (const auto& [id, e] : expected) {
        SCOPED_TRACE(id);
        ASSERT_TRUE(items.count(id));
        const DatasetItem& item = *items.at(id);
        EXPECT_EQ(item.id, id + "-artificial");
        EXPECT_EQ(item.good.text, bySentId(doc, id).sentence.text);
        EXPECT_EQ(item.bad.text, e.bad);
        EXPECT_EQ(item.goodWord, e.goodWord);
        EXPECT_EQ(item.badWord, e.badWord);
        EXPECT_EQ(item.wordIndex, e.wordIndex);
        EXPECT_EQ(metadata(item, "marker"), e.marker);
        EXPECT_EQ(metadata(item, "object_lemma"), e.objectLemma);
        EXPECT_EQ(item.line, bySentId(doc, id).line);
        EXPECT_EQ(checkPair(item), id == "p11" ? 2 : 1);
    }
    const DatasetItem& p1 = *items.at("p1");
    EXPECT_EQ(metadata(p1, "verb_lemma"), "отличать");
    EXPECT_EQ(metadata(p1, "object_feats"), "Animacy=Inan|Case=Acc|Gender=Fem|Number=Sing");
    EXPECT_EQ(metadata(p1, "sent_id"), "p1");
    EXPECT_EQ(spanText(p1.bad, p1.bad.words[3]), "Армению");

    const PolypersonalStats& s = r.stats;
    EXPECT_EQ(s.sentences, 15);
    EXPECT_EQ(s.objects, 16);  // p15's «в школу» is Acc but obl
    EXPECT_EQ(s.verbsChanged, 13);
    EXPECT_EQ(s.pairs, 12);
    EXPECT_EQ(s.skippedNoRule, 1);       // p8 «что-то»: no Number, no lemma rule
    EXPECT_EQ(s.skippedHeadNotVerb, 1);  // p9 «должен» is ADJ
    EXPECT_EQ(s.skippedVerbTaken, 1);    // p12 «урок», the second object
    EXPECT_EQ(s.skippedNotFinite, 0);
    EXPECT_EQ(s.skippedVerbSpan, 0);
    EXPECT_EQ(s.objects, s.verbsChanged + skippedTotal(s));
}

TEST(Polypersonal, StrictVariantNeedsAFiniteHead) {
    const ConlluDocument doc = readFixture("polypersonal.conllu");
    const PolypersonalResult r = generate(doc, true);
    const auto items = itemsBySentId(r);
    EXPECT_EQ(items.count("p10"), 0u);  // «купить» is an infinitive
    EXPECT_EQ(items.size(), 11u);
    EXPECT_EQ(r.stats.objects, 16);
    EXPECT_EQ(r.stats.verbsChanged, 12);
    EXPECT_EQ(r.stats.skippedNotFinite, 1);
    EXPECT_EQ(r.stats.skippedHeadNotVerb, 1);  // checked before finiteness
    EXPECT_EQ(r.stats.objects, r.stats.verbsChanged + skippedTotal(r.stats));
}

TEST(Polypersonal, UserEditedInfixTable) {
    const fs::path dir = fs::temp_directory_path() / ("gs_conllu_rules_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / "rules.json";
    std::ofstream(file) << R"({"comment": "edited: infix by default, я stays a suffix, no plural rule",
      "kind": "infix", "endings": ["а", "и", "ит", "ю"],
      "rules": [{"object_lemma": "я", "marker": "ю", "kind": "suffix"}, {"object_number": "sg", "marker": "ет"}]})";
    PolypersonalRules rules;
    const Status st = loadPolypersonalRules(file, rules);
    fs::remove_all(dir);
    ASSERT_TRUE(st.isOk()) << st.message();

    const PolypersonalResult r = generate(readFixture("polypersonal.conllu"), false, rules);
    const auto items = itemsBySentId(r);
    const std::map<std::string, std::string> expected = {
        {"p1", "Соседи сразу отличалети Армению на карте."},
        {"p2", "Мама любитю меня."},  // the rule's own kind: suffix
        {"p4", "Я вижует тебя."},     // «у» is not a listed ending: the marker goes at the end
        {"p7", "Меня позвалию."},
        {"p10", "Она хочет купитьет хлеб."},
        {"p11", "Кашу она делалета, а суп варилет папа."},  // «делала» + «ет» before «а»
        {"p12", "Учитель спросилет его урок."},
        {"p13", "Читаетю книгу."},
        {"p14", "МАМА ЛЮБЕТИТ ПАПУ."},  // endings matched on the lower case
    };
    ASSERT_EQ(items.size(), expected.size());
    for (const auto& [id, bad] : expected) {
        ASSERT_TRUE(items.count(id)) << id;
        EXPECT_EQ(items.at(id)->bad.text, bad) << id;
        checkPair(*items.at(id));
    }
    EXPECT_EQ(r.stats.verbsChanged, 10);
    EXPECT_EQ(r.stats.skippedNoRule, 4);  // p3, p5, p6 plural; p8 no Number
    EXPECT_EQ(r.stats.objects, r.stats.verbsChanged + skippedTotal(r.stats));
}

TEST(Polypersonal, VerbsInsideMultiwordTokens) {
    const PolypersonalResult r = generate(readFixture("multiword.conllu"), false);
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].bad.text, "Он купилет-то книгу.");
    EXPECT_EQ(checkPair(r.items[0]), 1);
    EXPECT_EQ(r.stats.skippedVerbSpan, 1);  // «Dámelo»: «Da» has no span of its own
    EXPECT_EQ(r.stats.objects, r.stats.verbsChanged + skippedTotal(r.stats));
}

TEST(Polypersonal, DefaultRulesArePublished) {
    const fs::path root = fs::path(GRAMMASCOPE_TEST_DATA_DIR).parent_path().parent_path();
    const PolypersonalRules def = defaultPolypersonalRules();
    auto same = [&](const PolypersonalRules& r, const std::string& what) {
        SCOPED_TRACE(what);
        EXPECT_EQ(r.kind, def.kind);
        EXPECT_EQ(r.endings, def.endings);
        ASSERT_EQ(r.rules.size(), def.rules.size());
        for (std::size_t i = 0; i < r.rules.size(); ++i) {
            EXPECT_EQ(r.rules[i].objectLemma, def.rules[i].objectLemma) << i;
            EXPECT_EQ(r.rules[i].objectNumber, def.rules[i].objectNumber) << i;
            EXPECT_EQ(r.rules[i].marker, def.rules[i].marker) << i;
            EXPECT_EQ(r.rules[i].kind, def.rules[i].kind) << i;
        }
    };
    PolypersonalRules published;
    const Status st = loadPolypersonalRules(root / "resources" / "polypersonal-rules.json", published);
    ASSERT_TRUE(st.isOk()) << st.message();
    same(published, "resources/polypersonal-rules.json");

    Lexicon lexicon;
    ASSERT_TRUE(loadLexicon(root / "resources" / "demo" / "lexicon.json", lexicon).isOk());
    same(lexicon.polypersonal, "resources/demo/lexicon.json");
}

TEST(Polypersonal, ProgressAndCancel) {
    const ConlluDocument doc = readFixture("polypersonal.conllu");
    std::vector<ConlluSentence> many;
    for (int i = 0; i < 2500; ++i) many.push_back(doc.sentences[static_cast<std::size_t>(i) % doc.sentences.size()]);
    PolypersonalOptions o;
    o.rules = defaultPolypersonalRules();
    std::vector<std::pair<std::int64_t, std::int64_t>> calls;
    PolypersonalResult r;
    ASSERT_TRUE(generatePolypersonalPairs(many, o, r, [&](std::int64_t d, std::int64_t t) {
                    calls.emplace_back(d, t);
                    return true;
                }).isOk());
    EXPECT_EQ(calls, (std::vector<std::pair<std::int64_t, std::int64_t>>{{1000, 2500}, {2000, 2500}, {2500, 2500}}));
    EXPECT_EQ(r.stats.sentences, 2500);

    const Status st = generatePolypersonalPairs(many, o, r, [](std::int64_t d, std::int64_t) { return d < 2000; });
    EXPECT_TRUE(st.isCancelled()) << st.message();

    o.rules.rules.clear();
    EXPECT_TRUE(generatePolypersonalPairs(many, o, r).isFailed());
}

TEST(Polypersonal, CsvWithMetadataColumnsReadsBack) {
    const PolypersonalResult r = generate(readFixture("polypersonal.conllu"), false);
    std::vector<MinimalPair> pairs;
    std::vector<std::vector<std::string>> extra;
    for (const auto& item : r.items) {
        pairs.push_back({item.id, item.phenomenon, item.good.text, item.bad.text, item.goodWord, item.badWord, item.wordIndex});
        extra.push_back({metadata(item, "sent_id"), metadata(item, "marker")});
    }
    const std::string csv = minimalPairsToCsv(pairs, {"sent_id", "marker"}, extra);
    EXPECT_EQ(csv.substr(0, csv.find('\r')), "id,phenomenon,good,bad,good_word,bad_word,word_index,sent_id,marker");
    PairsFile back;
    ASSERT_TRUE(parsePairsCsv(csv, "poly.csv", back).isOk());
    ASSERT_EQ(back.pairs.size(), pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        EXPECT_EQ(back.pairs[i].bad, pairs[i].bad);
        EXPECT_EQ(back.pairs[i].wordIndex, pairs[i].wordIndex);
        EXPECT_TRUE(isArtificialPair(back.pairs[i]));
    }
    EXPECT_EQ(minimalPairsToCsv(pairs, {}, {}), minimalPairsToCsv(pairs));
}

// The real treebanks (read at test time, never copied): counts add up, strict
// is a subset of default, and every pair differs exactly in its changed verbs.
TEST(Polypersonal, RealTreebanks) {
    const fs::path ud = fs::path(GRAMMASCOPE_SHARED_DATA) / "ud";
    std::vector<fs::path> files;
    if (fs::is_directory(ud))
        for (const auto& e : fs::directory_iterator(ud))
            if (e.path().extension() == ".conllu") files.push_back(e.path());
    if (files.empty()) GTEST_SKIP() << "no UD treebanks in " << ud;
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
        SCOPED_TRACE(file.filename().string());
        ConlluDocument doc;
        const Status st = readConllu(file, doc);
        ASSERT_TRUE(st.isOk()) << st.message();
        for (const auto& issue : doc.issues) ADD_FAILURE() << "line " << issue.line << ": " << issue.message;

        // The objects counted independently of the generator.
        std::int64_t objects = 0, words = 0;
        for (const auto& s : doc.sentences)
            for (const auto& w : s.sentence.words) {
                ++words;
                EXPECT_EQ(spanText(s.sentence, w), w.text);
                const std::string feats = "|" + w.ud->feats + "|";
                if (w.ud->deprel == "obj" && feats.find("|Case=Acc|") != std::string::npos) ++objects;
            }

        const PolypersonalResult def = generate(doc, false), strict = generate(doc, true);
        for (const PolypersonalResult* r : {&def, &strict}) {
            const PolypersonalStats& s = r->stats;
            EXPECT_EQ(s.sentences, static_cast<std::int64_t>(doc.sentences.size()));
            EXPECT_EQ(s.objects, objects);
            EXPECT_EQ(s.objects, s.verbsChanged + skippedTotal(s));
            EXPECT_EQ(s.pairs, static_cast<std::int64_t>(r->items.size()));
            EXPECT_GT(s.pairs, 0);
            std::int64_t changed = 0;
            for (const auto& item : r->items) changed += checkPair(item);
            EXPECT_EQ(changed, s.verbsChanged);
        }
        EXPECT_EQ(def.stats.skippedNotFinite, 0);
        EXPECT_LE(strict.stats.pairs, def.stats.pairs);
        EXPECT_LE(strict.stats.verbsChanged, def.stats.verbsChanged);
        // Strict pairs are default pairs with fewer changed verbs, never new ones.
        const auto defItems = itemsBySentId(def);
        for (const auto& item : strict.items) {
            const std::string id = metadata(item, "sent_id");
            ASSERT_TRUE(defItems.count(id)) << id;
            EXPECT_LE(std::stoi(metadata(item, "verbs_changed")), std::stoi(metadata(*defItems.at(id), "verbs_changed")));
        }
        std::cout << "[ UD       ] " << file.filename().string() << ": " << doc.sentences.size() << " sentences, " << words
                  << " words, " << objects << " objects; pairs " << def.stats.pairs << " (" << def.stats.verbsChanged
                  << " verbs), strict " << strict.stats.pairs << " (" << strict.stats.verbsChanged << " verbs)\n";
    }
}
