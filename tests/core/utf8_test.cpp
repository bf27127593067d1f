// UTF-8 decoding / encoding and the Unicode properties BERT's tokenizer uses.

#include "util/unicode.h"
#include "util/utf8.h"

#include <gtest/gtest.h>

namespace gs {
namespace {

TEST(Utf8, DecodesCodePointsAndByteOffsets) {
    utf8::DecodedText d;
    // 1, 2, 3 and 4 byte sequences: "a", "ё", "中", "🙂".
    ASSERT_TRUE(utf8::decode("a\xD1\x91\xE4\xB8\xAD\xF0\x9F\x99\x82", d).isOk());
    EXPECT_EQ(d.codePoints, (std::u32string{U'a', U'ё', U'中', U'🙂'}));
    EXPECT_EQ(d.byteOffsets, (std::vector<std::size_t>{0, 1, 3, 6, 10}));
    EXPECT_EQ(d.codePointAtByte(0), 0u);
    EXPECT_EQ(d.codePointAtByte(2), 1u);  // inside "ё"
    EXPECT_EQ(d.codePointAtByte(6), 3u);
    EXPECT_EQ(d.codePointAtByte(10), 4u);
    EXPECT_EQ(d.codePointStartingAtOrAfter(2), 2u);
    EXPECT_EQ(d.codePointStartingAtOrAfter(3), 2u);
}

TEST(Utf8, EmptyText) {
    utf8::DecodedText d;
    ASSERT_TRUE(utf8::decode("", d).isOk());
    EXPECT_TRUE(d.codePoints.empty());
    EXPECT_EQ(d.byteOffsets, std::vector<std::size_t>{0});
}

struct InvalidCase {
    std::string bytes;
    std::size_t offset;
    const char* what;
};

TEST(Utf8, RejectsInvalidSequencesNamingTheByteOffset) {
    const InvalidCase cases[] = {
        {"ab\x80", 2, "continuation"},                // lone continuation byte
        {"\xD0", 0, "truncated"},                     // sequence cut by the end
        {"\xD0\x41", 0, "not a continuation"},        // second byte is ASCII
        {"x\xC0\x80", 1, "cannot start"},             // C0 is never valid
        {"\xE0\x80\x80", 0, "overlong"},              // overlong 3-byte NUL
        {"\xF0\x82\x82\xAC", 0, "overlong"},          // overlong 4-byte euro sign
        {"\xED\xA0\x80", 0, "surrogate"},             // U+D800
        {"\xF4\x90\x80\x80", 0, "U+10FFFF"},          // U+110000
        {"\xF5\x80\x80\x80", 0, "cannot start"},      // lead byte beyond F4
        {"\xD0\xB4\xD0\xBE\xD0\xBC\xFF", 6, "cannot start"},  // "дом" + FF
    };
    for (const auto& c : cases) {
        utf8::DecodedText d;
        const Status st = utf8::decode(c.bytes, d);
        ASSERT_FALSE(st.isOk()) << "accepted case at offset " << c.offset;
        EXPECT_NE(st.message().find("byte offset " + std::to_string(c.offset)), std::string::npos) << st.message();
        EXPECT_NE(st.message().find(c.what), std::string::npos) << st.message();
        EXPECT_TRUE(utf8::findInvalid(c.bytes).has_value());
    }
}

TEST(Utf8, EncodeRoundTripsEveryScalarValueClass) {
    const std::u32string cps = {0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
    const std::string bytes = utf8::encode(cps);
    std::u32string back;
    ASSERT_TRUE(utf8::decode(bytes, back).isOk());
    EXPECT_EQ(back, cps);
    EXPECT_EQ(utf8::encode(U'ё'), "\xD1\x91");
    EXPECT_EQ(bytes.size(), 1u + 1 + 2 + 2 + 3 + 3 + 3 + 3 + 3 + 4 + 4);
}

TEST(Unicode, BertCharacterClasses) {
    using namespace unicode;
    // _is_whitespace: space, tab, newline, CR and Zs (no-break space, ideographic space).
    for (char32_t c : {U' ', U'\t', U'\n', U'\r', U'\u00A0', U'\u3000', U'\u2009'}) EXPECT_TRUE(isBertWhitespace(c)) << static_cast<std::uint32_t>(c);
    for (char32_t c : {U'a', U'\u200B', U'\u2028', U'\v'}) EXPECT_FALSE(isBertWhitespace(c)) << static_cast<std::uint32_t>(c);
    // _is_control: category C* except tab / newline / CR; includes format characters.
    for (char32_t c : {U'\u0000', U'\u0007', U'\u007F', U'\u200B', U'\u00AD', U'\uFEFF', U'\v'})
        EXPECT_TRUE(isBertControl(c)) << static_cast<std::uint32_t>(c);
    for (char32_t c : {U'\t', U'\n', U'\r', U'a', U' '}) EXPECT_FALSE(isBertControl(c)) << static_cast<std::uint32_t>(c);
    // _is_punctuation: the ASCII symbol ranges and category P*.
    for (char32_t c : {U'$', U'+', U'^', U'`', U'~', U'.', U'«', U'»', U'—', U'¿', U'、'})
        EXPECT_TRUE(isBertPunctuation(c)) << static_cast<std::uint32_t>(c);
    for (char32_t c : {U'a', U'ё', U'1', U'€', U'🙂', U' '}) EXPECT_FALSE(isBertPunctuation(c)) << static_cast<std::uint32_t>(c);
    EXPECT_TRUE(isCjkIdeograph(U'中'));
    EXPECT_TRUE(isCjkIdeograph(U'\U00020000'));
    EXPECT_FALSE(isCjkIdeograph(U'한'));  // Hangul is not in BERT's ranges
    EXPECT_FALSE(isCjkIdeograph(U'あ'));
    EXPECT_TRUE(isNonspacingMark(U'\u0308'));
    EXPECT_FALSE(isNonspacingMark(U'е'));
}

TEST(Unicode, LowerCaseAsPythonStrLower) {
    using namespace unicode;
    EXPECT_EQ(simpleLower(U'Ё'), U'ё');
    EXPECT_EQ(simpleLower(U'Й'), U'й');
    EXPECT_EQ(simpleLower(U'A'), U'a');
    EXPECT_EQ(simpleLower(U'Ā'), U'ā');  // a stride-2 run
    EXPECT_EQ(simpleLower(U'ā'), U'ā');
    EXPECT_EQ(simpleLower(U'Σ'), U'σ');
    EXPECT_EQ(simpleLower(U'Ⅻ'), U'ⅻ');
    EXPECT_EQ(simpleLower(U'\U00010400'), U'\U00010428');  // Deseret
    EXPECT_EQ(simpleLower(U'ё'), U'ё');
    EXPECT_EQ(simpleLower(U'1'), U'1');
    std::u32string out;
    appendLower(U'İ', out);  // the only code point lower-cased to two
    EXPECT_EQ(out, (std::u32string{U'i', U'\u0307'}));
    EXPECT_TRUE(hasLowerMapping(U'Я'));
    EXPECT_FALSE(hasLowerMapping(U'я'));
}

TEST(Unicode, CanonicalDecomposition) {
    using namespace unicode;
    auto nfd = [](char32_t c) {
        std::u32string out;
        appendCanonicalDecomposition(c, out);
        return out;
    };
    EXPECT_EQ(nfd(U'ё'), (std::u32string{U'е', U'\u0308'}));
    EXPECT_EQ(nfd(U'й'), (std::u32string{U'и', U'\u0306'}));
    EXPECT_EQ(nfd(U'Ё'), (std::u32string{U'Е', U'\u0308'}));
    EXPECT_EQ(nfd(U'ǖ'), (std::u32string{U'u', U'\u0308', U'\u0304'}));  // recursive
    EXPECT_EQ(nfd(U'한'), (std::u32string{U'\u1112', U'\u1161', U'\u11AB'}));  // Hangul LVT
    EXPECT_EQ(nfd(U'가'), (std::u32string{U'\u1100', U'\u1161'}));  // Hangul LV
    EXPECT_EQ(nfd(U'д'), std::u32string{U'д'});
    EXPECT_EQ(nfd(U'\u2126'), std::u32string{U'\u03A9'});  // OHM SIGN: a singleton decomposition to omega
}

TEST(Unicode, CanonicalOrderingCarriesTags) {
    // a + acute (class 230) + dot below (class 220): NFD puts the dot below first.
    std::u32string cps = {U'a', U'\u0301', U'\u0323', U'b'};
    std::vector<std::int32_t> tags = {0, 1, 2, 3};
    unicode::canonicalOrder(cps, tags);
    EXPECT_EQ(cps, (std::u32string{U'a', U'\u0323', U'\u0301', U'b'}));
    EXPECT_EQ(tags, (std::vector<std::int32_t>{0, 2, 1, 3}));
    EXPECT_EQ(unicode::combiningClass(U'\u0301'), 230);
    EXPECT_EQ(unicode::combiningClass(U'a'), 0);
}

} // namespace
} // namespace gs
