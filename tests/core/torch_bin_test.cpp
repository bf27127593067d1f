#include "grammascope/weights.h"
#include "model/torch_pickle.h"

#include "checkpoint_fixture.h"
#include "expected_tensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

namespace gs {
namespace {

namespace fs = std::filesystem;
using testing::checkpointsDir;

TEST(TorchBin, StateDictMatchesRecordedValues) {
    WeightStore store;
    const fs::path file = checkpointsDir() / "tiny" / "pytorch_model.bin";
    Status st = WeightStore::openFile(file, store);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(store.formatDescription(), "pytorch_model.bin (zip)");
    const auto expected = testing::expectedTensors();
    // State-dict order is kept.
    ASSERT_EQ(store.tensors().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(store.tensors()[i].name, expected[i].name);
        EXPECT_EQ(store.tensors()[i].file, file.string());
    }
    // Includes the transposed, sliced and offset views, the 0-d tensor and the Parameter.
    testing::expectStoreMatches(store, expected);
}

TEST(TorchBin, TiedWeightsShareOneBuffer) {
    WeightStore store;
    ASSERT_TRUE(WeightStore::openFile(checkpointsDir() / "tiny" / "pytorch_model.bin", store).isOk());
    std::span<const std::byte> a, b;
    ASSERT_TRUE(store.rawData("embeddings.word_embeddings.weight", a).isOk());
    ASSERT_TRUE(store.rawData("lm_head.decoder.weight", b).isOk());
    EXPECT_EQ(a.data(), b.data());
    EXPECT_EQ(a.size(), b.size());
}

TEST(TorchBin, ShardedBin) {
    WeightStore store;
    Status st = WeightStore::openDirectory(checkpointsDir() / "sharded_bin", store);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(store.formatDescription(), "pytorch_model.bin (zip, 2 shards)");
    testing::expectStoreMatches(store, testing::expectedTensors());
}

TEST(TorchBin, MaliciousPickleIsRefused) {
    const fs::path marker = "/tmp/grammascope-pwned";
    fs::remove(marker);
    WeightStore store;
    const fs::path file = checkpointsDir() / "malicious" / "pytorch_model.bin";
    Status st = WeightStore::openDirectory(file.parent_path(), store);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("'posix.system'"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("not allowed"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(file.string()), std::string::npos) << st.message();
    EXPECT_FALSE(fs::exists(marker));
    EXPECT_TRUE(store.tensors().empty());
}

TEST(TorchBin, LegacyFormatIsExplained) {
    WeightStore store;
    const fs::path file = checkpointsDir() / "legacy" / "pytorch_model.bin";
    Status st = WeightStore::openFile(file, store);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("legacy (pre-1.6) torch.save format is not supported"), std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find(file.string()), std::string::npos) << st.message();
}

TEST(TorchBin, NotAZip) {
    testing::TempDir dir;
    WeightStore store;
    std::ofstream(dir.path() / "empty.bin");
    Status st = WeightStore::openFile(dir.path() / "empty.bin", store);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("empty"), std::string::npos) << st.message();

    std::ofstream(dir.path() / "text.bin") << "hello, not a checkpoint";
    st = WeightStore::openFile(dir.path() / "text.bin", store);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("not a torch.save zip"), std::string::npos) << st.message();

    // A zip signature followed by garbage: the zip reader's complaint is passed on.
    std::ofstream(dir.path() / "broken.bin") << "PK\x03\x04 and then nothing of the sort";
    st = WeightStore::openFile(dir.path() / "broken.bin", store);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("broken.bin"), std::string::npos) << st.message();
}

// ---------------------------------------------------------------- the unpickler itself

// Emits pickle opcodes by hand.
class PickleBuilder {
public:
    PickleBuilder& op(unsigned char c) { m_b.push_back(std::byte{c}); return *this; }
    PickleBuilder& u8(unsigned v) { return op(static_cast<unsigned char>(v)); }
    PickleBuilder& u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) u8((v >> (8 * i)) & 0xFF);
        return *this;
    }
    PickleBuilder& raw(const std::string& s) {
        for (char c : s) u8(static_cast<unsigned char>(c));
        return *this;
    }
    PickleBuilder& str(const std::string& s) { return op('X').u32(static_cast<std::uint32_t>(s.size())).raw(s); }
    PickleBuilder& shortStr(const std::string& s) { return op(0x8c).u8(static_cast<unsigned>(s.size())).raw(s); }
    PickleBuilder& global(const std::string& module, const std::string& name) {
        return op('c').raw(module + "\n" + name + "\n");
    }
    PickleBuilder& int1(unsigned v) { return op('K').u8(v); }
    // ('storage', torch.<cls>, key, 'cpu', numel) as a persistent id
    PickleBuilder& storage(const std::string& cls, const std::string& key, unsigned numel) {
        return op('(').str("storage").global("torch", cls).str(key).str("cpu").int1(numel).op('t').op('Q');
    }
    // _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())
    PickleBuilder& tensor(const std::string& cls, const std::string& key, unsigned numel, unsigned offset,
                          std::vector<unsigned> size, std::vector<unsigned> stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        storage(cls, key, numel).int1(offset);
        op('(');
        for (auto s : size) int1(s);
        op('t').op('(');
        for (auto s : stride) int1(s);
        op('t').op(0x89).global("collections", "OrderedDict").op(')').op('R');
        return op('t').op('R');
    }
    std::span<const std::byte> bytes() const { return m_b; }

private:
    std::vector<std::byte> m_b;
};

std::string unpickleError(const PickleBuilder& p) {
    std::vector<PickledTensor> out;
    Status st = unpickleStateDict(p.bytes(), "f.bin: data.pkl", out);
    EXPECT_TRUE(st.isFailed());
    EXPECT_TRUE(out.empty());
    return st.message();
}

TEST(Unpickler, ReadsProtocol4Opcodes) {
    // FRAME, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE, LONG1, BININT2, DICT built with MARK.
    PickleBuilder p;
    p.op(0x80).u8(4).op(0x95);
    for (int i = 0; i < 8; ++i) p.u8(0);
    p.op('(');
    p.shortStr("w").op(0x94);
    p.tensor("HalfStorage", "7", 6, 1, {2, 2}, {1, 3}).op(0x94);
    p.shortStr("big").op(0x94);
    p.shortStr("torch._utils").shortStr("_rebuild_tensor_v2").op(0x93).op(0x94).op('(');
    p.storage("DoubleStorage", "3", 2).op(0x8a).u8(0).op('(').op('M').u8(2).u8(0).op('t').op('(').int1(1).op('t');
    p.op(0x88).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
    p.op('d').op('.');
    std::vector<PickledTensor> out;
    Status st = unpickleStateDict(p.bytes(), "x", out);
    ASSERT_TRUE(st.isOk()) << st.message();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].name, "w");
    EXPECT_EQ(out[0].dtype, DType::F16);
    EXPECT_EQ(out[0].storageKey, "7");
    EXPECT_EQ(out[0].storageOffset, 1);
    EXPECT_EQ(out[0].size, (std::vector<std::int64_t>{2, 2}));
    EXPECT_EQ(out[0].stride, (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(out[1].name, "big");
    EXPECT_EQ(out[1].dtype, DType::F64);
    EXPECT_EQ(out[1].size, (std::vector<std::int64_t>{2}));
}

TEST(Unpickler, RefusesEverythingElse) {
    {
        PickleBuilder p;  // eval via STACK_GLOBAL
        p.op(0x80).u8(4).shortStr("builtins").shortStr("eval").op(0x93).shortStr("1+1").op(0x85).op('R').op('.');
        const std::string e = unpickleError(p);
        EXPECT_NE(e.find("'builtins.eval'"), std::string::npos) << e;
        EXPECT_NE(e.find("f.bin: data.pkl"), std::string::npos) << e;
    }
    {
        PickleBuilder p;  // INST builds an instance of any class
        p.op(0x80).u8(2).op('(').op('i').raw("os\nsystem\n").op('.');
        const std::string e = unpickleError(p);
        EXPECT_NE(e.find("opcode INST (0x69) at byte 3"), std::string::npos) << e;
    }
    {
        PickleBuilder p;  // NEWOBJ
        p.op(0x80).u8(2).global("collections", "OrderedDict").op(')').op(0x81).op('.');
        const std::string e = unpickleError(p);
        EXPECT_NE(e.find("NEWOBJ"), std::string::npos) << e;
        EXPECT_NE(e.find("at byte 28"), std::string::npos) << e;
    }
    {
        PickleBuilder p;  // a storage class is not callable
        p.op(0x80).u8(2).global("torch", "FloatStorage").op(')').op('R').op('.');
        EXPECT_NE(unpickleError(p).find("cannot be called"), std::string::npos);
    }
    {
        PickleBuilder p;  // no STOP
        p.op(0x80).u8(2).op('}');
        EXPECT_NE(unpickleError(p).find("without STOP"), std::string::npos);
    }
    {
        PickleBuilder p;  // string length past the end
        p.op(0x80).u8(2).op('X').u32(1000).raw("abc");
        EXPECT_NE(unpickleError(p).find("past the end"), std::string::npos);
    }
    {
        PickleBuilder p;
        p.op(0x80).u8(2).op('h').u8(5).op('.');
        EXPECT_NE(unpickleError(p).find("memo entry 5"), std::string::npos);
    }
    {
        PickleBuilder p;
        p.op(0x80).u8(2).op(']').op('.');
        EXPECT_NE(unpickleError(p).find("not a state dict"), std::string::npos);
    }
    {
        PickleBuilder p;
        p.op(0x80).u8(2).op('}').str("n").int1(3).op('s').op('.');
        const std::string e = unpickleError(p);
        EXPECT_NE(e.find("'n'"), std::string::npos) << e;
        EXPECT_NE(e.find("not a tensor"), std::string::npos) << e;
    }
    {
        PickleBuilder p;  // persistent ids other than storages
        p.op(0x80).u8(2).op('}').str("n").str("module").op('Q').op('s').op('.');
        EXPECT_NE(unpickleError(p).find("persistent id"), std::string::npos);
    }
    {
        PickleBuilder p;  // SETITEM with too few values
        p.op(0x80).u8(2).op('}').op('s').op('.');
        EXPECT_NE(unpickleError(p).find("stack underflow"), std::string::npos);
    }
}

TEST(Unpickler, SurvivesCorruptedInput) {
    PickleBuilder p;
    p.op(0x80).u8(2).global("collections", "OrderedDict").op(')').op('R').op('q').u8(0).op('(');
    p.str("a").tensor("FloatStorage", "0", 12, 1, {2, 3}, {3, 1});
    p.str("b").tensor("BFloat16Storage", "1", 4, 0, {4}, {1});
    p.op('u').op('.');
    const auto good = std::vector<std::byte>(p.bytes().begin(), p.bytes().end());
    std::vector<PickledTensor> out;
    ASSERT_TRUE(unpickleStateDict(good, "x", out).isOk());
    ASSERT_EQ(out.size(), 2u);

    std::mt19937 rng(7);
    int refused = 0;
    for (int i = 0; i < 3000; ++i) {
        auto bad = good;
        const int flips = 1 + static_cast<int>(rng() % 3);
        for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] = static_cast<std::byte>(rng() & 0xFF);
        bad.resize(bad.size() - rng() % 4);
        if (unpickleStateDict(bad, "x", out).isFailed()) ++refused;
    }
    EXPECT_GT(refused, 1000);
}

TEST(Unpickler, MaterializesStridedViews) {
    std::vector<float> storage(12);
    for (int i = 0; i < 12; ++i) storage[i] = static_cast<float>(i);
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(storage.data()), 48);

    PickledTensor t;
    t.name = "v";
    t.storageKey = "0";
    t.dtype = DType::F32;
    t.storageNumel = 12;
    t.storageOffset = 1;
    t.size = {2, 3};
    t.stride = {1, 3};  // a transposed [3, 2] block starting at element 1
    std::vector<std::byte> out;
    ASSERT_TRUE(materializeTensor(t, bytes, "f", out).isOk());
    std::vector<float> v(6);
    std::memcpy(v.data(), out.data(), 24);
    EXPECT_EQ(v, (std::vector<float>{1, 4, 7, 2, 5, 8}));

    t.size = {2, 2};
    t.stride = {0, 2};  // broadcast rows
    t.storageOffset = 3;
    ASSERT_TRUE(materializeTensor(t, bytes, "f", out).isOk());
    v.resize(4);
    std::memcpy(v.data(), out.data(), 16);
    EXPECT_EQ(v, (std::vector<float>{3, 5, 3, 5}));

    t.size = {4};
    t.stride = {3};
    t.storageOffset = 2;  // last element 11: fits
    EXPECT_TRUE(materializeTensor(t, bytes, "f", out).isOk());
    t.storageOffset = 3;  // last element 12: outside
    Status st = materializeTensor(t, bytes, "f.bin", out);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("'v'"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("outside"), std::string::npos) << st.message();

    t.storageNumel = 20;  // declared larger than the record
    t.storageOffset = 0;
    st = materializeTensor(t, bytes, "f.bin", out);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("48 bytes"), std::string::npos) << st.message();

    t.storageNumel = (std::int64_t{1} << 61) + 1;  // numel * 8 wraps around 2^64
    t.size = {1};
    t.stride = {1};
    t.storageOffset = (std::int64_t{1} << 61);
    EXPECT_TRUE(materializeTensor(t, bytes, "f.bin", out).isFailed());

    t.storageNumel = 12;
    t.size = {0, 5};
    t.stride = {5, 1};
    t.storageOffset = 100;  // an empty view touches nothing
    ASSERT_TRUE(materializeTensor(t, bytes, "f", out).isOk());
    EXPECT_TRUE(out.empty());
}

} // namespace
} // namespace gs
