#include "grammascope/weights.h"
#include "model/safetensors.h"

#include "checkpoint_fixture.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>

namespace gs {
namespace {

// ---------------------------------------------------------------- float formats

TEST(FloatFormats, HalfKnownValues) {
    EXPECT_EQ(floatToHalf(1.0f), 0x3C00);
    EXPECT_EQ(floatToHalf(-2.0f), 0xC000);
    EXPECT_EQ(floatToHalf(0.0f), 0x0000);
    EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
    EXPECT_EQ(floatToHalf(65504.0f), 0x7BFF);
    EXPECT_EQ(floatToHalf(65519.0f), 0x7BFF);       // below the midpoint to infinity
    EXPECT_EQ(floatToHalf(65520.0f), 0x7C00);       // the midpoint rounds to even: infinity
    EXPECT_EQ(floatToHalf(1e10f), 0x7C00);
    EXPECT_EQ(floatToHalf(-INFINITY), 0xFC00);
    EXPECT_EQ(floatToHalf(0x1p-24f), 0x0001);       // smallest subnormal
    EXPECT_EQ(floatToHalf(0x1p-25f), 0x0000);       // tie: to even (zero)
    EXPECT_EQ(floatToHalf(0x3p-25f), 0x0002);       // tie: to even (2)
    EXPECT_EQ(floatToHalf(1.0f + 0x1p-11f), 0x3C00);  // tie between 0x3C00 and 0x3C01
    EXPECT_EQ(floatToHalf(1.0f + 0x3p-11f), 0x3C02);  // tie between 0x3C01 and 0x3C02
    EXPECT_EQ(floatToHalf(1.0f + 0x1p-11f + 0x1p-20f), 0x3C01);
    const std::uint16_t nan = floatToHalf(std::numeric_limits<float>::quiet_NaN());
    EXPECT_EQ(nan & 0x7C00, 0x7C00);
    EXPECT_NE(nan & 0x03FF, 0);
    EXPECT_TRUE(std::isnan(halfToFloat(nan)));
    EXPECT_EQ(halfToFloat(0x7C00), INFINITY);
    EXPECT_EQ(halfToFloat(0x0001), 0x1p-24f);
    EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);
}

TEST(FloatFormats, HalfRoundTripsEveryPattern) {
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
        const float f = halfToFloat(static_cast<std::uint16_t>(h));
        if (std::isnan(f)) {
            EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(f))));
            continue;
        }
        ASSERT_EQ(floatToHalf(f), h) << std::hex << h;
    }
}

TEST(FloatFormats, BFloat16KnownValues) {
    EXPECT_EQ(floatToBFloat16(1.0f), 0x3F80);
    EXPECT_EQ(floatToBFloat16(-2.0f), 0xC000);
    EXPECT_EQ(floatToBFloat16(1.0f + 0x1p-8f), 0x3F80);   // tie: to even
    EXPECT_EQ(floatToBFloat16(1.0f + 0x3p-8f), 0x3F82);   // tie: to even
    EXPECT_EQ(floatToBFloat16(1.0f + 0x1p-8f + 0x1p-20f), 0x3F81);
    EXPECT_EQ(floatToBFloat16(std::numeric_limits<float>::max()), 0x7F80);  // rounds up to infinity
    EXPECT_EQ(floatToBFloat16(INFINITY), 0x7F80);
    EXPECT_EQ(floatToBFloat16(-INFINITY), 0xFF80);
    EXPECT_TRUE(std::isnan(bfloat16ToFloat(floatToBFloat16(std::numeric_limits<float>::quiet_NaN()))));
    // A signalling-NaN pattern whose payload sits in the dropped bits must stay NaN.
    EXPECT_TRUE(std::isnan(bfloat16ToFloat(floatToBFloat16(std::bit_cast<float>(0x7F800001u)))));
    EXPECT_EQ(bfloat16ToFloat(0x4049), 3.140625f);
}

TEST(FloatFormats, BFloat16RoundTripsEveryPattern) {
    for (std::uint32_t b = 0; b < 0x10000; ++b) {
        const float f = bfloat16ToFloat(static_cast<std::uint16_t>(b));
        if (std::isnan(f)) continue;
        ASSERT_EQ(floatToBFloat16(f), b) << std::hex << b;
    }
}

TEST(FloatFormats, EncodeFloat32As) {
    const std::vector<float> v = {1.0f, -2.0f, 0.5f};
    auto f32 = encodeFloat32As(DType::F32, v);
    ASSERT_EQ(f32.size(), 12u);
    EXPECT_EQ(std::memcmp(f32.data(), v.data(), 12), 0);
    auto f16 = encodeFloat32As(DType::F16, v);
    const std::vector<std::uint8_t> f16Bytes = {0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38};
    ASSERT_EQ(f16.size(), 6u);
    EXPECT_EQ(std::memcmp(f16.data(), f16Bytes.data(), 6), 0);
    auto bf16 = encodeFloat32As(DType::BF16, v);
    const std::vector<std::uint8_t> bf16Bytes = {0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F};
    ASSERT_EQ(bf16.size(), 6u);
    EXPECT_EQ(std::memcmp(bf16.data(), bf16Bytes.data(), 6), 0);
    EXPECT_TRUE(encodeFloat32As(DType::I64, v).empty());
}

TEST(DTypes, Names) {
    for (DType t : {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64, DType::I32, DType::I16, DType::I8,
                    DType::U8, DType::Bool}) {
        DType back;
        ASSERT_TRUE(parseDTypeName(dtypeName(t), back)) << dtypeName(t);
        EXPECT_EQ(back, t);
    }
    EXPECT_EQ(dtypeSize(DType::BF16), 2u);
    EXPECT_EQ(dtypeSize(DType::F64), 8u);
    DType t;
    EXPECT_FALSE(parseDTypeName("F8_E4M3", t));
}

// ---------------------------------------------------------------- writer

TensorToWrite floats(const std::string& name, DType dtype, std::vector<std::int64_t> shape,
                     const std::vector<float>& v) {
    return {name, dtype, std::move(shape), encodeFloat32As(dtype, v)};
}

std::vector<std::byte> readAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> out(c.size());
    std::memcpy(out.data(), c.data(), c.size());
    return out;
}

TEST(SafetensorsWriter, RoundTripF32F16BF16) {
    testing::TempDir dir;
    const auto file = dir.path() / "model.safetensors";
    const std::vector<float> a = {0.1f, -2.5f, 3.0f, 1e-3f, 65504.0f, -0.0f};
    const std::vector<float> b = {1.0f / 3.0f, 7.75f, -1e-5f};
    std::vector<TensorToWrite> tensors = {floats("z.f32", DType::F32, {2, 3}, a),
                                          floats("a.f16", DType::F16, {3, 2}, a),
                                          floats("m.bf16", DType::BF16, {3}, b),
                                          floats("empty", DType::F32, {0, 4}, {})};
    TensorToWrite ids{"ids", DType::I64, {2}, std::vector<std::byte>(16)};
    const std::int64_t idValues[2] = {7, -3};
    std::memcpy(ids.data.data(), idValues, 16);
    tensors.push_back(ids);
    ASSERT_TRUE(writeSafetensors(file, tensors, {{"format", "pt"}, {"note", "ё"}}).isOk());

    // Layout: header length multiple of 8, data in name order.
    const auto bytes = readAll(file);
    std::uint64_t headerLen = 0;
    std::memcpy(&headerLen, bytes.data(), 8);
    EXPECT_EQ(headerLen % 8, 0u);
    SafetensorsFile parsed;
    ASSERT_TRUE(parseSafetensors(bytes, file.string(), parsed).isOk());
    std::vector<std::string> order;
    for (const auto& e : parsed.entries)
        if (e.end > e.begin) order.push_back(e.info.name);
    EXPECT_EQ(order, (std::vector<std::string>{"a.f16", "ids", "m.bf16", "z.f32"}));
    std::size_t sum = 0;
    for (const auto& e : parsed.entries) sum += e.end - e.begin;
    EXPECT_EQ(sum, parsed.data.size());

    WeightStore store;
    Status st = WeightStore::openFile(file, store);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(store.formatDescription(), "safetensors (1 file)");
    EXPECT_EQ(store.metadata().at("format"), "pt");
    EXPECT_EQ(store.metadata().at("note"), "ё");
    std::vector<float> v;
    ASSERT_TRUE(store.readFloat32("z.f32", v).isOk());
    EXPECT_EQ(v, a);
    ASSERT_TRUE(store.readFloat32("a.f16", v).isOk());
    ASSERT_EQ(v.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(v[i], halfToFloat(floatToHalf(a[i])));
    EXPECT_EQ(v[4], 65504.0f);
    ASSERT_TRUE(store.readFloat32("m.bf16", v).isOk());
    for (std::size_t i = 0; i < b.size(); ++i) EXPECT_EQ(v[i], bfloat16ToFloat(floatToBFloat16(b[i])));
    EXPECT_EQ(store.find("a.f16")->shape, (std::vector<std::int64_t>{3, 2}));
    EXPECT_EQ(store.find("empty")->numel(), 0);
    ASSERT_TRUE(store.readFloat32("empty", v).isOk());
    EXPECT_TRUE(v.empty());
    std::span<const std::byte> raw;
    ASSERT_TRUE(store.rawData("ids", raw).isOk());
    ASSERT_EQ(raw.size(), 16u);
    EXPECT_EQ(std::memcmp(raw.data(), idValues, 16), 0);
}

TEST(SafetensorsWriter, ReplacesAtomicallyAndValidates) {
    testing::TempDir dir;
    const auto file = dir.path() / "w.safetensors";
    ASSERT_TRUE(writeSafetensors(file, {floats("x", DType::F32, {1}, {1.0f})}).isOk());
    ASSERT_TRUE(writeSafetensors(file, {floats("y", DType::F32, {2}, {2.0f, 3.0f})}).isOk());
    WeightStore store;
    ASSERT_TRUE(WeightStore::openFile(file, store).isOk());
    EXPECT_EQ(store.find("x"), nullptr);
    EXPECT_NE(store.find("y"), nullptr);

    TensorToWrite wrong = floats("bad", DType::F32, {3}, {1.0f, 2.0f});
    Status st = writeSafetensors(file, {wrong});
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("'bad'"), std::string::npos) << st.message();
    st = writeSafetensors(file, {floats("d", DType::F32, {1}, {1.0f}), floats("d", DType::F32, {1}, {2.0f})});
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("'d'"), std::string::npos) << st.message();

    // The failed writes left the previous file and no temporary behind.
    ASSERT_TRUE(WeightStore::openFile(file, store).isOk());
    EXPECT_NE(store.find("y"), nullptr);
    int entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
    EXPECT_EQ(entries, 1);

    st = writeSafetensors(dir.path() / "no-such-folder" / "x.safetensors", {floats("x", DType::F32, {1}, {1.0f})});
    EXPECT_TRUE(st.isFailed());
}

// ---------------------------------------------------------------- malformed files

std::vector<std::byte> image(const std::string& header, std::size_t dataBytes, std::uint64_t lengthField = 0) {
    const std::uint64_t n = lengthField ? lengthField : header.size();
    std::vector<std::byte> out(8 + header.size() + dataBytes, std::byte{0});
    std::memcpy(out.data(), &n, 8);
    std::memcpy(out.data() + 8, header.data(), header.size());
    return out;
}

struct MalformedCase {
    const char* label;
    std::vector<std::byte> bytes;
    std::vector<std::string> mentions;  // besides the file name
};

std::vector<MalformedCase> malformedCases() {
    const std::string okEntry = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    return {
        {"empty file", {}, {"empty"}},
        {"truncated length", std::vector<std::byte>(3), {"truncated"}},
        {"header length past end", image(R"({})", 0, 4096), {"header length 4096", "past the end"}},
        {"header length over limit", image(R"({})", 0, 200'000'000), {"100 MB"}},
        {"header not JSON", image(R"({"a": [1, 2)", 0), {"not valid JSON"}},
        {"header not an object", image(R"([1,2])", 0), {"not a JSON object"}},
        {"truncated data", image("{" + okEntry + "}", 4), {"'a'", "outside the data section"}},
        {"offsets outside data",
         image(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", 8), {"'a'", "[8, 16)", "outside"}},
        {"begin after end", image(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})", 8),
         {"'a'", "begin after"}},
        {"overlapping tensors",
         image(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12),
         {"'a'", "'b'", "overlap"}},
        {"size does not match shape", image(R"({"a":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}})", 8),
         {"'a'", "holds 8 bytes", "needs 6"}},
        {"unknown dtype", image(R"({"a":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})", 8),
         {"'a'", "'F8_E4M3'"}},
        {"negative dimension", image(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8),
         {"'a'", "negative"}},
        {"element count overflow",
         image(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8),
         {"'a'", "too many elements"}},
        {"missing offsets", image(R"({"a":{"dtype":"F32","shape":[2]}})", 8), {"'a'", "data_offsets"}},
        {"missing dtype", image(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", 8), {"'a'", "dtype"}},
        {"non-string metadata", image(R"({"__metadata__":{"n":1}})", 0), {"__metadata__", "'n'"}},
    };
}

TEST(SafetensorsReader, MalformedFilesAreRefusedWithReasons) {
    testing::TempDir dir;
    int i = 0;
    for (const auto& c : malformedCases()) {
        SCOPED_TRACE(c.label);
        const auto file = dir.path() / ("case" + std::to_string(i++) + ".safetensors");
        {
            std::ofstream out(file, std::ios::binary);
            out.write(reinterpret_cast<const char*>(c.bytes.data()), static_cast<std::streamsize>(c.bytes.size()));
        }
        WeightStore store;
        Status st = WeightStore::openFile(file, store);
        ASSERT_TRUE(st.isFailed());
        EXPECT_NE(st.message().find(file.string()), std::string::npos) << st.message();
        for (const auto& m : c.mentions) EXPECT_NE(st.message().find(m), std::string::npos) << st.message();
        EXPECT_TRUE(store.tensors().empty());
    }
}

TEST(SafetensorsReader, AcceptsWellFormedEdgeCases) {
    SafetensorsFile f;
    // Header padded with spaces, a 0-d tensor, an empty tensor, unknown entry keys ignored.
    const std::string h =
        R"({"s":{"dtype":"BF16","shape":[],"data_offsets":[0,2],"extra":1},)"
        R"("e":{"dtype":"I8","shape":[0,3],"data_offsets":[2,2]},"__metadata__":{"k":"v"}}      )";
    auto bytes = image(h, 2);
    bytes[8 + h.size()] = std::byte{0x80};
    bytes[8 + h.size() + 1] = std::byte{0x3F};
    Status st = parseSafetensors(bytes, "x", f);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_EQ(f.entries.size(), 2u);
    EXPECT_EQ(f.metadata.at("k"), "v");
    float v = 0;
    ASSERT_TRUE(convertToFloat32(DType::BF16, f.data.data() + f.entries[0].begin, 1, &v));
    EXPECT_EQ(v, 1.0f);
}

TEST(SafetensorsReader, SurvivesCorruptedHeaders) {
    const auto good = readAll(std::filesystem::path(GRAMMASCOPE_TEST_DATA_DIR) / "checkpoints" / "tiny" /
                              "model.safetensors");
    std::uint64_t headerLen = 0;
    std::memcpy(&headerLen, good.data(), 8);
    std::mt19937 rng(11);
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        auto bad = good;
        // Digits and punctuation of the header are where offsets and shapes live.
        const std::size_t at = i % 10 == 0 ? rng() % 8 : 8 + rng() % headerLen;
        bad[at] = static_cast<std::byte>(i % 2 ? '0' + rng() % 10 : rng() & 0xFF);
        SafetensorsFile f;
        if (!parseSafetensors(bad, "x", f).isOk()) continue;
        ++accepted;
        for (const auto& e : f.entries) {
            ASSERT_LE(e.begin, e.end);
            ASSERT_LE(e.end, f.data.size());
            ASSERT_EQ(e.end - e.begin, static_cast<std::uint64_t>(e.info.numel()) * dtypeSize(e.info.dtype));
        }
    }
    EXPECT_GT(accepted, 0);
}

} // namespace
} // namespace gs
