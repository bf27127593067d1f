#include "grammascope/weights.h"

#include "checkpoint_fixture.h"
#include "expected_tensors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

namespace gs {
namespace {

namespace fs = std::filesystem;
using testing::checkpointsDir;

std::string openError(const fs::path& p, bool directory = false) {
    WeightStore store;
    Status st = directory ? WeightStore::openDirectory(p, store) : WeightStore::openFile(p, store);
    EXPECT_TRUE(st.isFailed()) << p;
    return st.message();
}

TEST(WeightStore, SafetensorsMatchesRecordedValues) {
    WeightStore store;
    Status st = WeightStore::openFile(checkpointsDir() / "tiny" / "model.safetensors", store);
    ASSERT_TRUE(st.isOk()) << st.message();
    const auto expected = testing::expectedTensors();
    EXPECT_EQ(store.tensors().size(), expected.size());
    testing::expectStoreMatches(store, expected);
    EXPECT_EQ(store.formatDescription(), "safetensors (1 file)");
    EXPECT_EQ(store.metadata().at("format"), "pt");
    for (const auto& info : store.tensors())
        EXPECT_EQ(info.file, (checkpointsDir() / "tiny" / "model.safetensors").string());
}

TEST(WeightStore, IntegerTensorsAreNotFloats) {
    WeightStore store;
    ASSERT_TRUE(WeightStore::openFile(checkpointsDir() / "tiny" / "model.safetensors", store).isOk());
    std::vector<float> v;
    Status st = store.readFloat32("embeddings.position_ids", v);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("'embeddings.position_ids'"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("I64"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("model.safetensors"), std::string::npos) << st.message();

    st = store.readFloat32("no.such.tensor", v);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("'no.such.tensor'"), std::string::npos) << st.message();
    std::span<const std::byte> raw;
    EXPECT_TRUE(store.rawData("no.such.tensor", raw).isFailed());
    EXPECT_EQ(store.find("no.such.tensor"), nullptr);
}

TEST(WeightStore, DirectoryPrefersSafetensors) {
    WeightStore store;
    Status st = WeightStore::openDirectory(checkpointsDir() / "tiny", store);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(store.formatDescription(), "safetensors (1 file)");

    testing::TempDir dir;
    fs::copy_file(checkpointsDir() / "tiny" / "pytorch_model.bin", dir.path() / "pytorch_model.bin");
    st = WeightStore::openDirectory(dir.path(), store);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(store.formatDescription(), "pytorch_model.bin (zip)");
}

TEST(WeightStore, EmptyFolderListsWhatWasLookedFor) {
    testing::TempDir dir;
    std::string e = openError(dir.path(), true);
    EXPECT_NE(e.find(dir.path().string()), std::string::npos) << e;
    EXPECT_NE(e.find("model.safetensors"), std::string::npos) << e;
    EXPECT_NE(e.find("pytorch_model.bin"), std::string::npos) << e;

    std::ofstream(dir.path() / "tf_model.h5") << "x";
    e = openError(dir.path(), true);
    EXPECT_NE(e.find("tf_model.h5"), std::string::npos) << e;

    e = openError(dir.path() / "missing.safetensors");
    EXPECT_NE(e.find("missing.safetensors"), std::string::npos) << e;
    e = openError(dir.path() / "tf_model.h5");
    EXPECT_NE(e.find("unrecognised"), std::string::npos) << e;
}

TEST(WeightStore, ShardedSafetensors) {
    WeightStore store;
    Status st = WeightStore::openDirectory(checkpointsDir() / "sharded", store);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(store.formatDescription(), "safetensors (2 shards)");
    const auto expected = testing::expectedTensors();
    EXPECT_EQ(store.tensors().size(), expected.size());
    testing::expectStoreMatches(store, expected);
    EXPECT_EQ(store.metadata().at("format"), "pt");
    EXPECT_FALSE(store.metadata().at("total_size").empty());
    EXPECT_NE(store.find("encoder.scalar")->file.find("model-0000"), std::string::npos);
}

// Copies the sharded checkpoint and rewrites its index through `edit`.
fs::path editedShardCopy(const fs::path& dir, const std::function<void(nlohmann::json&)>& edit) {
    for (const auto& e : fs::directory_iterator(checkpointsDir() / "sharded"))
        fs::copy_file(e.path(), dir / e.path().filename());
    const fs::path index = dir / "model.safetensors.index.json";
    nlohmann::json j = nlohmann::json::parse(std::ifstream(index));
    edit(j);
    std::ofstream(index) << j.dump(1);
    return index;
}

TEST(WeightStore, MissingShardIsNamed) {
    testing::TempDir dir;
    const fs::path index = editedShardCopy(dir.path(), [](nlohmann::json&) {});
    fs::remove(dir.path() / "model-00002-of-00002.safetensors");
    const std::string e = openError(dir.path(), true);
    EXPECT_NE(e.find("model-00002-of-00002.safetensors"), std::string::npos) << e;
    EXPECT_NE(e.find("missing"), std::string::npos) << e;
    EXPECT_NE(e.find(index.string()), std::string::npos) << e;
}

TEST(WeightStore, IndexProblems) {
    {
        testing::TempDir dir;
        editedShardCopy(dir.path(), [](nlohmann::json& j) {
            j["weight_map"]["encoder.scalar"] = "model-00001-of-00002.safetensors";
            j["weight_map"]["embeddings.word_embeddings.weight"] = "model-00002-of-00002.safetensors";
        });
        const std::string e = openError(dir.path(), true);
        EXPECT_NE(e.find("does not hold it"), std::string::npos) << e;
    }
    {
        testing::TempDir dir;
        editedShardCopy(dir.path(), [](nlohmann::json& j) { j["weight_map"]["x"] = "../../etc/passwd.safetensors"; });
        const std::string e = openError(dir.path(), true);
        EXPECT_NE(e.find("'../../etc/passwd.safetensors'"), std::string::npos) << e;
    }
    {
        testing::TempDir dir;
        editedShardCopy(dir.path(), [](nlohmann::json& j) { j.erase("weight_map"); });
        const std::string e = openError(dir.path(), true);
        EXPECT_NE(e.find("weight_map"), std::string::npos) << e;
    }
    {
        testing::TempDir dir;
        const fs::path index = editedShardCopy(dir.path(), [](nlohmann::json&) {});
        std::ofstream(index) << "{\n \"weight_map\": {\n  \"a\": \"model-00001-of-00002.safetensors\"\n  \"b\": 1\n}}";
        const std::string e = openError(index);
        // The position is the last character of the offending token, as nlohmann reads it.
        EXPECT_EQ(e.rfind(index.string() + ":4:5: ", 0), 0u) << e;
    }
}

TEST(WeightStore, CopiesShareTheMapping) {
    std::vector<float> before;
    WeightStore copy;
    std::span<const std::byte> raw;
    {
        WeightStore store;
        ASSERT_TRUE(WeightStore::openFile(checkpointsDir() / "tiny" / "model.safetensors", store).isOk());
        ASSERT_TRUE(store.readFloat32("encoder.half.weight", before).isOk());
        copy = store;
        ASSERT_TRUE(store.rawData("encoder.half.weight", raw).isOk());
    }
    std::vector<float> after;
    ASSERT_TRUE(copy.readFloat32("encoder.half.weight", after).isOk());
    EXPECT_EQ(before, after);
    std::span<const std::byte> raw2;
    ASSERT_TRUE(copy.rawData("encoder.half.weight", raw2).isOk());
    EXPECT_EQ(raw.data(), raw2.data());

    WeightStore empty;
    EXPECT_TRUE(empty.tensors().empty());
    EXPECT_EQ(empty.find("x"), nullptr);
}

TEST(WeightStore, ConcurrentReads) {
    WeightStore store;
    ASSERT_TRUE(WeightStore::openFile(checkpointsDir() / "tiny" / "pytorch_model.bin", store).isOk());
    std::vector<float> reference;
    ASSERT_TRUE(store.readFloat32("encoder.transposed.weight", reference).isOk());
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                std::vector<float> v;
                if (!store.readFloat32("encoder.transposed.weight", v).isOk() || v != reference) ++mismatches;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

} // namespace
} // namespace gs
