// Probing a model on a dataset (probe_data.h): the labels of every task on
// small hand-written datasets, the hidden-state table against Model::encode,
// its reuse from the store and re-extraction of a damaged file, probe sets
// stored / reloaded / exported / imported identically, applyProbeSet against
// predictProbabilities on the same vectors, and cancellation.

#include "checkpoint_fixture.h"
#include "model_store_fixture.h"
#include "pair_fixtures.h"
#include "grammascope/probe_data.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

using namespace gs;
using gs::testing::FixtureOptions;
using gs::testing::TempDir;

namespace {

// ---------------------------------------------------------------- fixtures

std::string pairsCsv(int count) { return gs::testing::smallPairsCsv(count, 3); }

Dataset parsed(const std::string& text, DatasetFormat format, const std::string& name) {
    return gs::testing::parseTestDataset(text, format, name);
}

Dataset pairs(int count = 24) { return parsed(pairsCsv(count), DatasetFormat::GrammascopeCsv, "pairs.csv"); }

// "Кот спит." style sentences with Number on nouns and verbs, none on punctuation.
std::string conllu() {
    const char* nouns[][2] = {{"Кот", "Sing"}, {"Коты", "Plur"}, {"Дом", "Sing"}, {"Дома", "Plur"}, {"Мама", "Sing"},
                              {"Мамы", "Plur"}};
    const char* verbs[][2] = {{"спит", "Sing"}, {"спят", "Plur"}};
    std::string text;
    for (int i = 0; i < 12; ++i) {
        const auto& n = nouns[i % 6];
        const auto& v = verbs[i / 6];  // 12 distinct sentences
        text += "# sent_id = t" + std::to_string(i) + "\n# text = " + n[0] + " " + v[0] + ".\n";
        text += std::string("1\t") + n[0] + "\t_\tNOUN\t_\tCase=Nom|Number=" + n[1] + "\t2\tnsubj\t_\t_\n";
        text += std::string("2\t") + v[0] + "\t_\tVERB\t_\tNumber=" + v[1] + "|Person=3\t0\troot\t_\tSpaceAfter=No\n";
        text += "3\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n";
    }
    return text;
}

struct Fixture : gs::testing::ModelStoreFixture {
    explicit Fixture(FixtureOptions o = {}) : ModelStoreFixture("gs-probe", o) {}
    std::filesystem::path hiddenDir() const { return dir.path() / "store" / "hidden-states"; }
};

ProbeTaskSpec task(const std::string& id, ProbeUnit unit = ProbeUnit::Token) {
    ProbeTaskSpec s;
    EXPECT_TRUE(parseProbeTask(id, s).isOk()) << id;
    s.unit = unit;
    s.minClassCount = 1;
    return s;
}

ProbeExampleSet build(const Model& model, const Dataset& d, const ProbeTaskSpec& spec) {
    ProbeExampleSet set;
    Status st = buildProbeExamples(model.tokenizer(), d, spec, 0, set);
    EXPECT_TRUE(st.isOk()) << st.message();
    return set;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x;
    return s;
}

// Quick training options.
ProbeTrainRequest quickRequest(const std::string& id) {
    ProbeTrainRequest r;
    r.spec = task(id);
    r.spec.minClassCount = 2;
    r.options.probe.maxEpochs = 15;
    r.options.slicedMiOptions.slices = 16;
    r.options.slicedMiOptions.maxRows = 400;
    r.batchTokens = 64;  // several batches
    return r;
}

void expectSameSet(const ProbeSet& a, const ProbeSet& b) {
    EXPECT_EQ(probeSetJson(a), probeSetJson(b));
    ASSERT_EQ(a.probes.size(), b.probes.size());
    for (std::size_t i = 0; i < a.probes.size(); ++i) {
        const TrainedProbe &p = a.probes[i], &q = b.probes[i];
        EXPECT_EQ(p.kind, q.kind);
        EXPECT_EQ(p.inputDim, q.inputDim);
        EXPECT_EQ(p.numClasses, q.numClasses);
        EXPECT_EQ(p.w1, q.w1);
        EXPECT_EQ(p.b1, q.b1);
        EXPECT_EQ(p.w2, q.w2);
        EXPECT_EQ(p.b2, q.b2);
        EXPECT_EQ(p.mean, q.mean);
        EXPECT_EQ(p.invStd, q.invStd);
    }
}

std::size_t countArtefacts(ResultStore& store, const std::string& kind) {
    std::vector<ArtefactRecord> list;
    EXPECT_TRUE(store.listArtefacts(kind, list).isOk());
    return list.size();
}

// ---------------------------------------------------------------- tasks

TEST(ProbeTasks, ParseTaskIds) {
    ProbeTaskSpec s;
    ASSERT_TRUE(parseProbeTask(" Changed ", s).isOk());
    EXPECT_EQ(s.task, "changed");
    ASSERT_TRUE(parseProbeTask("number", s).isOk());
    EXPECT_EQ(s.task, "ud:Number");
    ASSERT_TRUE(parseProbeTask("ud:case", s).isOk());
    EXPECT_EQ(s.task, "ud:Case");
    ASSERT_TRUE(parseProbeTask("ud:Shape", s).isOk());
    EXPECT_EQ(s.task, "ud:Shape");  // not a universal feature: kept as given
    ASSERT_TRUE(parseProbeTask("polypersonal-sentence", s).isOk());
    EXPECT_EQ(s.task, "polypersonal-sentence");
    EXPECT_FALSE(parseProbeTask("ud:", s).isOk());
    const Status bad = parseProbeTask("bogus", s);
    ASSERT_FALSE(bad.isOk());
    EXPECT_NE(bad.message().find("changed"), std::string::npos) << bad.message();
    ASSERT_NE(findProbeTask("ud:Gender"), nullptr);
    EXPECT_TRUE(findProbeTask("ud:Gender")->needsUd);
    EXPECT_TRUE(findProbeTask("grammatical")->sentenceLevel);
    EXPECT_EQ(findProbeTask("nope"), nullptr);

    // The JSON holds what changes the examples: sentence tasks imply their unit.
    ProbeTaskSpec g = task("grammatical", ProbeUnit::Word);
    const auto j = nlohmann::json::parse(probeTaskJson(g));
    EXPECT_EQ(j["unit"], "sentence");
    EXPECT_EQ(j["sentence_pooling"], "mean");
    EXPECT_FALSE(j.contains("word_pooling"));
    EXPECT_NE(probeTaskJson(task("changed")), probeTaskJson(task("changed", ProbeUnit::Word)));
}

TEST(ProbeTasks, ChangedMarksTheTokensOfTheChangedWords) {
    Fixture f;
    const Dataset d = pairs(6);
    const ProbeExampleSet set = build(*f.model, d, task("changed"));
    EXPECT_EQ(set.classes, (std::vector<std::string>{"no", "yes"}));
    ASSERT_EQ(set.sentences.size(), 12u);
    EXPECT_EQ(set.sentences[0], d.items[0].good.text);
    EXPECT_EQ(set.sentences[1], d.items[0].bad.text);
    EXPECT_EQ(set.sentenceGroup[0], set.sentenceGroup[1]);
    EXPECT_NE(set.sentenceGroup[0], set.sentenceGroup[2]);
    // Per sentence, the "yes" tokens spell the changed word.
    for (std::size_t s = 0; s < set.sentences.size(); ++s) {
        std::vector<std::string> yes;
        for (const auto& e : set.examples) {
            if (e.sentence != static_cast<std::int32_t>(s)) continue;
            ASSERT_EQ(e.tokens.size(), 1u);
            EXPECT_GT(e.tokens[0], 0);
            EXPECT_LT(e.tokens[0], set.sentenceTokens[s] - 1);  // never a special
            if (e.label == 1) yes.push_back(e.text);
        }
        const DatasetItem& item = d.items[s / 2];
        EXPECT_EQ(joined(yes), s % 2 == 0 ? item.goodWord : item.badWord) << set.sentences[s];
    }
    std::int64_t total = 0;
    for (auto c : set.classCounts) total += c;
    EXPECT_EQ(total, static_cast<std::int64_t>(set.examples.size()));
}

TEST(ProbeTasks, WordUnitAndPolypersonalAndSentenceTasks) {
    Fixture f;
    const Dataset d = pairs(6);
    // Words: one example per word, the word's text, its pieces pooled.
    const ProbeExampleSet words = build(*f.model, d, task("changed", ProbeUnit::Word));
    ASSERT_FALSE(words.examples.empty());
    EXPECT_EQ(words.examples[0].text, "Мама");
    EXPECT_EQ(words.examples[0].wordType, "мама");
    EXPECT_EQ(words.examples[1].text, "мыла");
    EXPECT_EQ(words.examples[1].label, 1);
    EXPECT_EQ(words.examples[1].tokens.size(), 1u);  // "мыла" is in the fixture vocabulary
    EXPECT_EQ(words.examples[3].text, ".");

    // Polypersonal: only the polypersonal pairs (p2, p5), "yes" only on the bad verb.
    const ProbeExampleSet poly = build(*f.model, d, task("polypersonal", ProbeUnit::Word));
    ASSERT_EQ(poly.sentences.size(), 4u);
    EXPECT_EQ(poly.sentences[0], d.items[2].good.text);
    std::vector<std::string> yes;
    for (const auto& e : poly.examples)
        if (e.label == 1) yes.push_back(poly.sentences[static_cast<std::size_t>(e.sentence)] + "|" + e.text);
    EXPECT_EQ(yes, (std::vector<std::string>{d.items[2].bad.text + "|" + d.items[2].badWord,
                                             d.items[5].bad.text + "|" + d.items[5].badWord}));

    const ProbeExampleSet gram = build(*f.model, d, task("grammatical"));
    EXPECT_EQ(gram.spec.unit, ProbeUnit::Sentence);
    ASSERT_EQ(gram.examples.size(), 12u);
    EXPECT_EQ(gram.examples[0].label, 1);  // good = yes
    EXPECT_EQ(gram.examples[1].label, 0);
    EXPECT_EQ(gram.examples[0].text, d.items[0].good.text);
    EXPECT_EQ(static_cast<std::int64_t>(gram.examples[0].tokens.size()), gram.sentenceTokens[0] - 2);

    const ProbeExampleSet polySentence = build(*f.model, d, task("polypersonal-sentence"));
    ASSERT_EQ(polySentence.examples.size(), 4u);
    EXPECT_EQ(polySentence.examples[0].label, 0);  // the standard side
    EXPECT_EQ(polySentence.examples[1].label, 1);  // the polypersonal side
}

TEST(ProbeTasks, UdFeaturesFromConllu) {
    Fixture f;
    const Dataset d = parsed(conllu(), DatasetFormat::Conllu, "tiny.conllu");
    const ProbeExampleSet number = build(*f.model, d, task("ud:Number", ProbeUnit::Word));
    EXPECT_EQ(number.classes, (std::vector<std::string>{"Plur", "Sing"}));
    EXPECT_EQ(number.examples.size(), 24u);  // nouns and verbs; the full stops have no Number
    for (const auto& e : number.examples) EXPECT_NE(e.text, ".");
    EXPECT_EQ(number.examples[0].text, "Кот");
    EXPECT_EQ(number.examples[0].label, 1);
    EXPECT_EQ(number.examples[2].text, "Коты");
    EXPECT_EQ(number.examples[2].label, 0);

    const ProbeExampleSet upos = build(*f.model, d, task("upos"));
    EXPECT_EQ(upos.classes, (std::vector<std::string>{"NOUN", "PUNCT", "VERB"}));

    // A rare class is dropped with a warning; a single class left is an error.
    ProbeTaskSpec person = task("ud:Person");
    ProbeExampleSet set;
    const Status one = buildProbeExamples(f.model->tokenizer(), d, person, 0, set);
    ASSERT_FALSE(one.isOk());
    EXPECT_NE(one.message().find("only one class"), std::string::npos) << one.message();
    ProbeTaskSpec missing = task("ud:Tense");
    const Status none = buildProbeExamples(f.model->tokenizer(), d, missing, 0, set);
    ASSERT_FALSE(none.isOk());
    EXPECT_NE(none.message().find("Number"), std::string::npos) << none.message();  // lists what is there
    ProbeTaskSpec strict = task("upos");
    strict.minClassCount = 13;  // PUNCT 12, NOUN 12 (pieces count per token: more)
    ASSERT_TRUE(buildProbeExamples(f.model->tokenizer(), d, strict, 0, set).isOk());
    EXPECT_EQ(std::count(set.classes.begin(), set.classes.end(), "PUNCT"), 0);
    EXPECT_FALSE(set.warnings.empty());
}

TEST(ProbeTasks, DatasetsThatCannotGiveTheTaskAreClearErrors) {
    Fixture f;
    const Dataset text = parsed("Мама мыла раму.\nКот спал.\n", DatasetFormat::PlainText, "lines.txt");
    ProbeExampleSet set;
    Status st = buildProbeExamples(f.model->tokenizer(), text, task("changed"), 0, set);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("needs minimal pairs"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("lines.txt"), std::string::npos) << st.message();
    st = buildProbeExamples(f.model->tokenizer(), pairs(6), task("ud:Number"), 0, set);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("UD annotation"), std::string::npos) << st.message();
    const Dataset plain = parsed(pairsCsv(6).substr(0, pairsCsv(6).find("\np2")) + "\n", DatasetFormat::GrammascopeCsv, "np.csv");
    st = buildProbeExamples(f.model->tokenizer(), plain, task("polypersonal"), 0, set);
    ASSERT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("polypersonal"), std::string::npos) << st.message();
    ProbeTaskSpec sentenceUnit = task("changed", ProbeUnit::Sentence);
    EXPECT_FALSE(buildProbeExamples(f.model->tokenizer(), pairs(6), sentenceUnit, 0, set).isOk());
}

TEST(ProbeTasks, MaxExamplesTakesWholeGroupsDeterministically) {
    Fixture f;
    const Dataset d = pairs(24);
    ProbeTaskSpec s = task("changed", ProbeUnit::Word);
    s.maxExamples = 40;
    s.seed = 7;
    const ProbeExampleSet a = build(*f.model, d, s), b = build(*f.model, d, s);
    EXPECT_EQ(a.sentences, b.sentences);
    EXPECT_GE(a.examples.size(), 40u);
    EXPECT_LT(a.examples.size(), 60u);
    // Both sentences of every kept pair.
    std::map<std::int64_t, int> perGroup;
    for (auto g : a.sentenceGroup) ++perGroup[g];
    for (const auto& [g, n] : perGroup) EXPECT_EQ(n, 2) << g;
    s.seed = 8;
    EXPECT_NE(build(*f.model, d, s).sentences, a.sentences);
}

// ---------------------------------------------------------------- hidden states

TEST(HiddenStates, TableEqualsModelEncodeWithinFp16) {
    Fixture f;
    const Dataset d = pairs(6);
    const ProbeExampleSet set = build(*f.model, d, task("changed"));
    HiddenStateTable table;
    ExtractionProgress last;
    Status st = extractHiddenStates(*f.model, f.fingerprint, *f.store, set.sentences, 0, 40, table,
                                    [&](const ExtractionProgress& p) { last = p; return true; });
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_FALSE(last.fromCache);
    EXPECT_EQ(last.sentencesDone, 12);
    EXPECT_EQ(table.layers(), 3);
    EXPECT_EQ(table.hiddenSize(), 32);
    EXPECT_EQ(table.sentences(), 12);
    EXPECT_EQ(table.file().parent_path(), f.hiddenDir());

    FeatureMatrix x;
    for (int layer = 0; layer < 3; ++layer) {
        ASSERT_TRUE(table.gather(layer, set, x).isOk());
        ASSERT_EQ(x.rows, static_cast<std::int64_t>(set.examples.size()));
        for (std::size_t e = 0; e < set.examples.size(); ++e) {
            const ProbeExample& ex = set.examples[e];
            EncodeResult r;
            ASSERT_TRUE(f.model->encode(set.sentences[static_cast<std::size_t>(ex.sentence)], {}, r).isOk());
            EXPECT_EQ(table.tokens(table.findSentence(set.sentences[static_cast<std::size_t>(ex.sentence)])), r.numTokens);
            const float* exact = r.hiddenAt(layer, ex.tokens[0]);
            for (std::int64_t k = 0; k < x.cols; ++k)
                ASSERT_NEAR(x.row(static_cast<std::int64_t>(e))[k], exact[k], std::abs(exact[k]) * 1e-3 + 1e-4)
                    << "layer " << layer << " example " << e;
        }
    }
    // A whole sentence as EncodeResult::hidden lays it out.
    {
        EncodeResult r;
        ASSERT_TRUE(f.model->encode(set.sentences[3], {}, r).isOk());
        std::vector<float> all;
        ASSERT_TRUE(table.hiddenStates(table.findSentence(set.sentences[3]), all).isOk());
        ASSERT_EQ(all.size(), r.hidden.size());
        for (std::size_t i = 0; i < all.size(); ++i) ASSERT_NEAR(all[i], r.hidden[i], std::abs(r.hidden[i]) * 1e-3 + 1e-4) << i;
        EXPECT_EQ(table.findSentence("not in the table"), -1);
    }
    // Word and sentence pooling: the mean of the pieces, the [CLS] token.
    const ProbeExampleSet gram = build(*f.model, d, task("grammatical"));
    ASSERT_TRUE(table.gather(2, gram, x).isOk());
    EncodeResult r;
    ASSERT_TRUE(f.model->encode(gram.sentences[0], {}, r).isOk());
    for (std::int64_t k = 0; k < x.cols; ++k) {
        double mean = 0;
        for (auto t : gram.examples[0].tokens) mean += r.hiddenAt(2, t)[k];
        mean /= static_cast<double>(gram.examples[0].tokens.size());
        EXPECT_NEAR(x.row(0)[k], mean, std::abs(mean) * 1e-3 + 1e-4);
    }
    ProbeExampleSet first = gram;
    first.spec.sentencePooling = SentencePooling::First;
    ASSERT_TRUE(table.gather(2, first, x).isOk());
    EXPECT_NEAR(x.row(0)[3], r.hiddenAt(2, 0)[3], std::abs(r.hiddenAt(2, 0)[3]) * 1e-3 + 1e-4);
    EXPECT_FALSE(table.gather(3, set, x).isOk());
}

TEST(HiddenStates, SecondExtractionComesFromTheStore) {
    Fixture f;
    const ProbeExampleSet set = build(*f.model, pairs(6), task("changed"));
    HiddenStateTable a, b, c;
    ASSERT_TRUE(extractHiddenStates(*f.model, f.fingerprint, *f.store, set.sentences, 0, 8192, a).isOk());
    const auto written = std::filesystem::last_write_time(a.file());
    ExtractionProgress p;
    auto spy = [&](const ExtractionProgress& e) { p = e; return true; };
    ASSERT_TRUE(extractHiddenStates(*f.model, f.fingerprint, *f.store, set.sentences, 0, 8192, b, spy).isOk());
    EXPECT_TRUE(p.fromCache);
    EXPECT_EQ(p.tokensDone, 0);
    EXPECT_EQ(b.file(), a.file());
    EXPECT_EQ(std::filesystem::last_write_time(b.file()), written);
    // A subset of the sentences is served by the same table.
    const std::vector<std::string> some(set.sentences.begin() + 2, set.sentences.begin() + 5);
    ASSERT_TRUE(extractHiddenStates(*f.model, f.fingerprint, *f.store, some, 0, 8192, c, spy).isOk());
    EXPECT_TRUE(p.fromCache);
    EXPECT_EQ(c.file(), a.file());
    EXPECT_EQ(countArtefacts(*f.store, "hidden-states"), 1u);
    // Another maximum length is another table.
    ASSERT_TRUE(extractHiddenStates(*f.model, f.fingerprint, *f.store, some, 8, 8192, c, spy).isOk());
    EXPECT_FALSE(p.fromCache);
    EXPECT_EQ(countArtefacts(*f.store, "hidden-states"), 2u);
}

TEST(HiddenStates, DamagedFileIsExtractedAgain) {
    Fixture f;
    const ProbeExampleSet set = build(*f.model, pairs(6), task("changed"));
    std::filesystem::path file;
    {
        HiddenStateTable t;
        ASSERT_TRUE(extractHiddenStates(*f.model, f.fingerprint, *f.store, set.sentences, 0, 8192, t).isOk());
        file = t.file();
    }
    std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
    HiddenStateTable t;
    const Status open = HiddenStateTable::open(file, t);
    ASSERT_FALSE(open.isOk());
    EXPECT_NE(open.message().find(file.string()), std::string::npos) << open.message();
    ExtractionProgress p;
    ASSERT_TRUE(extractHiddenStates(*f.model, f.fingerprint, *f.store, set.sentences, 0, 8192, t,
                                    [&](const ExtractionProgress& e) { p = e; return true; })
                    .isOk());
    EXPECT_FALSE(p.fromCache);
    FeatureMatrix x;
    EXPECT_TRUE(t.gather(1, set, x).isOk());
    // A table of another model's tokenisation is refused by gather, not misread.
    ProbeExampleSet other = set;
    other.sentenceTokens[0] += 1;
    const Status mismatch = t.gather(1, other, x);
    ASSERT_FALSE(mismatch.isOk());
    EXPECT_NE(mismatch.message().find("extract again"), std::string::npos) << mismatch.message();
}

TEST(HiddenStates, CancelLeavesNothingBehind) {
    Fixture f;
    const ProbeExampleSet set = build(*f.model, pairs(12), task("changed"));
    HiddenStateTable t;
    int calls = 0;
    const Status st = extractHiddenStates(*f.model, f.fingerprint, *f.store, set.sentences, 0, 30, t,
                                          [&](const ExtractionProgress&) { return ++calls < 2; });
    EXPECT_TRUE(st.isCancelled()) << st.message();
    EXPECT_EQ(countArtefacts(*f.store, "hidden-states"), 0u);
    if (std::filesystem::exists(f.hiddenDir())) {
        EXPECT_TRUE(std::filesystem::is_empty(f.hiddenDir()));
    }
    std::atomic<bool> cancel{true};
    EXPECT_TRUE(extractHiddenStates(*f.model, f.fingerprint, *f.store, set.sentences, 0, 30, t, {}, &cancel).isCancelled());
}

// ---------------------------------------------------------------- probe sets

TEST(ProbeSets, TrainedSetIsStoredReloadedExportedAndImportedIdentically) {
    Fixture f;
    const Dataset d = pairs(24);
    ProbeTrainRequest req = quickRequest("changed");
    req.learningCurve = true;
    req.curvePoints = 3;
    req.curveRepeats = 1;
    ProbeSet set;
    bool reused = true;
    std::vector<std::string> stages;
    Status st = trainProbeSet(*f.model, f.fingerprint, *f.store, d, req, set, reused,
                              [&](const ProbeTrainProgress& p) { stages.push_back(p.stage); return true; });
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_FALSE(reused);
    EXPECT_EQ(set.layers, (std::vector<int>{0, 1, 2}));
    ASSERT_EQ(set.reports.size(), 3u);
    ASSERT_EQ(set.probes.size(), 3u);
    for (const auto& r : set.reports) {
        EXPECT_GE(r.accuracy, 0.0);
        EXPECT_LE(r.accuracy, 1.0);
        EXPECT_GT(r.testRows, 0);
        EXPECT_TRUE(std::isfinite(r.mdlBits));
        EXPECT_TRUE(std::isfinite(r.controlAccuracy));
        // One random-representation baseline for the set, in every layer's report.
        EXPECT_TRUE(std::isfinite(r.randomAccuracy));
        EXPECT_EQ(r.randomAccuracy, set.reports[0].randomAccuracy);
    }
    EXPECT_NE(std::find(stages.begin(), stages.end(), "random representation"), stages.end());
    EXPECT_FALSE(set.learningCurve.empty());
    EXPECT_GE(set.curveLayer, 0);
    EXPECT_EQ(set.name, probeSetName(f.fingerprint, datasetContentHash(d), req));
    EXPECT_NE(std::find(stages.begin(), stages.end(), "hidden states"), stages.end());

    ProbeSet loaded;
    bool found = false;
    ASSERT_TRUE(loadProbeSet(*f.store, set.name, loaded, found).isOk());
    ASSERT_TRUE(found);
    expectSameSet(set, loaded);

    std::vector<ProbeSet> listed;
    ASSERT_TRUE(listProbeSets(*f.store, f.fingerprint, listed).isOk());
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, set.name);
    EXPECT_TRUE(listed[0].probes.empty());
    ASSERT_TRUE(listProbeSets(*f.store, "gsfp1-other", listed).isOk());
    EXPECT_TRUE(listed.empty());

    // The same request again: the stored set, nothing trained.
    ProbeSet again;
    ASSERT_TRUE(trainProbeSet(*f.model, f.fingerprint, *f.store, d, req, again, reused).isOk());
    EXPECT_TRUE(reused);
    expectSameSet(set, again);

    const std::filesystem::path out = f.dir.path() / "export";
    ASSERT_TRUE(exportProbeSet(set, out).isOk());
    EXPECT_TRUE(std::filesystem::exists(out / "probes.safetensors"));
    ProbeSet imported;
    ASSERT_TRUE(importProbeSet(out, imported).isOk());
    expectSameSet(set, imported);
    std::filesystem::resize_file(out / "probes.safetensors", 40);
    const Status broken = importProbeSet(out, imported);
    ASSERT_FALSE(broken.isOk());
    EXPECT_NE(broken.message().find("probes.safetensors"), std::string::npos) << broken.message();

    ASSERT_TRUE(deleteProbeSet(*f.store, set.name).isOk());
    ASSERT_TRUE(loadProbeSet(*f.store, set.name, loaded, found).isOk());
    EXPECT_FALSE(found);
    const Status gone = deleteProbeSet(*f.store, set.name);
    ASSERT_FALSE(gone.isOk());
    EXPECT_NE(gone.message().find(set.name), std::string::npos) << gone.message();
}

TEST(ProbeSets, SameSeedSameNumbers) {
    Fixture f;
    const Dataset d = pairs(18);
    ProbeTrainRequest req = quickRequest("changed");
    req.layers = {1};
    req.options.mdl = false;
    req.options.slicedMi = false;
    req.reuse = false;
    ProbeSet a, b;
    bool reused = false;
    ASSERT_TRUE(trainProbeSet(*f.model, f.fingerprint, *f.store, d, req, a, reused).isOk());
    ASSERT_TRUE(trainProbeSet(*f.model, f.fingerprint, *f.store, d, req, b, reused).isOk());
    EXPECT_FALSE(reused);
    EXPECT_EQ(a.probes[0].w1, b.probes[0].w1);
    EXPECT_EQ(a.reports[0].accuracy, b.reports[0].accuracy);
}

TEST(ProbeSets, ApplyEqualsPredictProbabilitiesOnTheSameVectors) {
    Fixture f;
    const Dataset d = pairs(18);
    for (ProbeUnit unit : {ProbeUnit::Token, ProbeUnit::Word}) {
        ProbeTrainRequest req = quickRequest("changed");
        req.spec.unit = unit;
        req.options.mdl = false;
        req.options.slicedMi = false;
        req.layers = {0, 2};
        ProbeSet set;
        bool reused = false;
        ASSERT_TRUE(trainProbeSet(*f.model, f.fingerprint, *f.store, d, req, set, reused).isOk());
        EncodeResult r;
        ASSERT_TRUE(f.model->encode("Мама мылает раму.", {}, r).isOk());
        Heatmap h;
        ASSERT_TRUE(applyProbeSet(set, r, 1, TokenGrouping::Tokens, h).isOk());
        ASSERT_EQ(h.rows, 2);
        ASSERT_EQ(h.cols, r.numTokens);
        EXPECT_EQ(h.rowLabels, (std::vector<std::string>{"emb", "2"}));
        for (int i = 0; i < 2; ++i) {
            FeatureMatrix x;
            x.rows = r.numTokens;
            x.cols = r.hiddenSize;
            for (std::int64_t t = 0; t < r.numTokens; ++t)
                x.data.insert(x.data.end(), r.hiddenAt(set.layers[i], t), r.hiddenAt(set.layers[i], t) + r.hiddenSize);
            std::vector<float> p;
            ASSERT_TRUE(predictProbabilities(set.probes[static_cast<std::size_t>(i)], x, p).isOk());
            for (std::int64_t t = 0; t < r.numTokens; ++t) {
                if (unit == ProbeUnit::Token) {
                    EXPECT_EQ(h.at(i, static_cast<int>(t)), p[static_cast<std::size_t>(t * 2 + 1)]) << t;
                } else if (r.encoding.tokens[static_cast<std::size_t>(t)].special) {
                    EXPECT_EQ(h.at(i, static_cast<int>(t)), p[static_cast<std::size_t>(t * 2 + 1)]) << t;
                }
                EXPECT_GE(h.at(i, static_cast<int>(t)), 0.0f);
                EXPECT_LE(h.at(i, static_cast<int>(t)), 1.0f);
            }
        }
        // Word grouping: a column per word, the mean of its pieces.
        Heatmap words;
        ASSERT_TRUE(applyProbeSet(set, r, 1, TokenGrouping::Words, words).isOk());
        EXPECT_LT(words.cols, h.cols);
        for (int c = 0; c < words.cols; ++c) {
            double sum = 0;
            for (auto t = words.colTokenBegin[c]; t < words.colTokenEnd[c]; ++t) sum += h.at(1, static_cast<int>(t));
            EXPECT_NEAR(words.at(1, c), sum / double(words.colTokenEnd[c] - words.colTokenBegin[c]), 1e-6);
        }
        // Many sentences at once give what one at a time gives.
        EncodeResult r2;
        ASSERT_TRUE(f.model->encode("Кошка видела дом.", {}, r2).isOk());
        std::vector<Heatmap> maps;
        ASSERT_TRUE(applyProbeSet(set, {&r2, &r}, 1, TokenGrouping::Words, maps).isOk());
        ASSERT_EQ(maps.size(), 2u);
        Heatmap single;
        ASSERT_TRUE(applyProbeSet(set, r2, 1, TokenGrouping::Words, single).isOk());
        EXPECT_EQ(maps[0].colLabels, single.colLabels);
        EXPECT_EQ(maps[1].colLabels, words.colLabels);
        for (std::size_t v = 0; v < single.values.size(); ++v) EXPECT_NEAR(maps[0].values[v], single.values[v], 1e-5);
        for (std::size_t v = 0; v < words.values.size(); ++v) EXPECT_NEAR(maps[1].values[v], words.values[v], 1e-5);
        EXPECT_FALSE(applyProbeSet(set, r, 2, TokenGrouping::Tokens, h).isOk());
        ProbeSet listedOnly = set;
        listedOnly.probes.clear();
        EXPECT_FALSE(applyProbeSet(listedOnly, r, 1, TokenGrouping::Tokens, h).isOk());
    }
}

TEST(ProbeSets, CancelStopsTrainingAndStoresNothing) {
    Fixture f;
    const Dataset d = pairs(18);
    ProbeTrainRequest req = quickRequest("changed");
    ProbeSet set;
    bool reused = false;
    std::atomic<bool> cancel{true};
    EXPECT_TRUE(trainProbeSet(*f.model, f.fingerprint, *f.store, d, req, set, reused, {}, &cancel).isCancelled());
    // Cancelled from the progress callback once the first layer trains.
    const Status st = trainProbeSet(*f.model, f.fingerprint, *f.store, d, req, set, reused,
                                    [](const ProbeTrainProgress& p) { return p.stage.rfind("layer 1", 0) != 0; });
    EXPECT_TRUE(st.isCancelled()) << st.message();
    EXPECT_EQ(countArtefacts(*f.store, "probe"), 0u);
    EXPECT_EQ(countArtefacts(*f.store, "hidden-states"), 1u);  // extraction finished before the cancel
}

TEST(ProbeSets, DatasetHashFollowsContentNotPath) {
    Dataset a = pairs(6), b = pairs(6);
    b.source = "/elsewhere/pairs.csv";
    b.name = "other";
    EXPECT_EQ(datasetContentHash(a), datasetContentHash(b));
    b.items[3].bad.text += " ";
    EXPECT_NE(datasetContentHash(a), datasetContentHash(b));
    ProbeTaskSpec s = task("changed");
    LayerProbeOptions o;
    const std::string n1 = probeSetName("gsfp1-abc", "def", s, o);
    o.probe.kind = ProbeKind::Mlp;
    EXPECT_NE(probeSetName("gsfp1-abc", "def", s, o), n1);
    EXPECT_EQ(n1.rfind("changed/token/linear/", 0), 0u) << n1;
}

} // namespace
