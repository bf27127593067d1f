#pragma once
// Small minimal-pair datasets written for the tests (no sentence copied from
// a corpus): "<subject> <past-tense verb> <object>." where the bad side
// changes the verb's gender; with polypersonalEvery = n > 0, every n-th pair
// is a polypersonal one instead (the bad side's verb gets the object marker
// "-ет", phenomenon polypersonal_agreement).

#include "grammascope/dataset.h"

#include <gtest/gtest.h>

#include <string>

namespace gs::testing {

inline std::string smallPairsCsv(int count, int polypersonalEvery = 0) {
    const char* subjects[] = {"Мама", "Девочка", "Она", "Сестра", "Кошка", "Тётя"};
    const char* verbs[][2] = {{"мыла", "мыл"}, {"видела", "видел"}, {"делала", "делал"}, {"читала", "читал"}};
    const char* objects[] = {"раму", "книгу", "кашу", "дом", "кота"};
    std::string csv = "id,phenomenon,good,bad,good_word,bad_word,word_index\n";
    for (int i = 0; i < count; ++i) {
        const std::string s = subjects[i % 6], o = objects[(i / 6) % 5];
        const auto& v = verbs[i % 4];
        const bool poly = polypersonalEvery > 0 && i % polypersonalEvery == polypersonalEvery - 1;
        const std::string good = s + " " + v[0] + " " + o + ".";
        const std::string badVerb = poly ? std::string(v[0]) + "ет" : std::string(v[1]);
        const std::string bad = s + " " + badVerb + " " + o + ".";
        // Appended piece by piece: "p" + std::to_string(i) trips GCC 12's -Wrestrict false positive.
        csv += 'p';
        csv += std::to_string(i);
        for (const std::string& field : {std::string(poly ? "polypersonal_agreement" : "subject_verb_gender_past"), good,
                                         bad, std::string(v[0]), badVerb})
            (csv += ',') += field;
        csv += ",1\n";
    }
    return csv;
}

// Parses `text` as `format`; a parse failure fails the calling test.
inline Dataset parseTestDataset(const std::string& text, DatasetFormat format, const std::string& name) {
    DatasetReadOptions o;
    o.format = format;
    o.name = name;
    Dataset d;
    const Status st = parseDataset(text, name, o, d);
    EXPECT_TRUE(st.isOk()) << st.message();
    return d;
}

} // namespace gs::testing
