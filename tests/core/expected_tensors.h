#pragma once
// The tensors scripts/make_checkpoint_fixtures.py saved into
// tests/data/checkpoints/, as it recorded them in tiny/expected.json, and a
// check of a WeightStore against them.

#include "grammascope/weights.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace gs::testing {

inline std::filesystem::path checkpointsDir() {
    return std::filesystem::path(GRAMMASCOPE_TEST_DATA_DIR) / "checkpoints";
}

struct ExpectedTensor {
    std::string name;
    std::string dtype;
    std::vector<std::int64_t> shape;
    std::vector<double> values;       // floating tensors
    std::vector<std::byte> bytes;     // contiguous little-endian bytes
};

inline std::vector<std::byte> bytesFromHex(const std::string& hex) {
    std::vector<std::byte> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<std::byte>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

// In the order the state dict held them.
inline std::vector<ExpectedTensor> expectedTensors() {
    std::ifstream in(checkpointsDir() / "tiny" / "expected.json");
    const auto j = nlohmann::ordered_json::parse(in);
    std::vector<ExpectedTensor> out;
    for (auto it = j.at("tensors").begin(); it != j.at("tensors").end(); ++it) {
        ExpectedTensor t;
        t.name = it.key();
        t.dtype = it->at("dtype").get<std::string>();
        t.shape = it->at("shape").get<std::vector<std::int64_t>>();
        if (t.dtype[0] == 'F' || t.dtype == "BF16") t.values = it->at("values").get<std::vector<double>>();
        t.bytes = bytesFromHex(it->at("bytes_hex").get<std::string>());
        out.push_back(std::move(t));
    }
    return out;
}

// Every expected tensor is in `store` with its dtype, shape, bytes and values.
inline void expectStoreMatches(const WeightStore& store, const std::vector<ExpectedTensor>& expected) {
    for (const auto& e : expected) {
        SCOPED_TRACE(e.name);
        const WeightInfo* info = store.find(e.name);
        ASSERT_NE(info, nullptr);
        EXPECT_STREQ(dtypeName(info->dtype), e.dtype.c_str());
        EXPECT_EQ(info->shape, e.shape);
        std::span<const std::byte> raw;
        ASSERT_TRUE(store.rawData(e.name, raw).isOk());
        ASSERT_EQ(raw.size(), e.bytes.size());
        EXPECT_EQ(std::memcmp(raw.data(), e.bytes.data(), raw.size()), 0);
        if (e.values.empty()) continue;
        std::vector<float> values;
        Status st = store.readFloat32(e.name, values);
        ASSERT_TRUE(st.isOk()) << st.message();
        ASSERT_EQ(values.size(), e.values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            EXPECT_EQ(values[i], static_cast<float>(e.values[i])) << "element " << i;
    }
}

} // namespace gs::testing
