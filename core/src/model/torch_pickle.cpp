#include "model/torch_pickle.h"

#include "model/safetensors.h"

#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <map>
#include <unordered_map>

namespace gs {
namespace {

// ---------------------------------------------------------------- values

enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };

const char* kindName(Kind k) {
    switch (k) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Tuple: return "tuple";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Global: return "global";
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
    }
    return "?";
}

// What an allowed global stands for.
enum class GlobalId { OrderedDict, RebuildTensorV2, RebuildParameter, RebuildParameterWithState, StorageClass };

struct Value {
    Kind kind = Kind::None;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;                                   // str; the global's dotted name
    std::vector<std::shared_ptr<Value>> items;          // tuple / list
    std::vector<std::pair<std::shared_ptr<Value>, std::shared_ptr<Value>>> entries;  // dict
    GlobalId global = GlobalId::OrderedDict;
    DType dtype = DType::F32;                           // storage class / storage / tensor
    PickledTensor tensor;                               // tensor; storage: key, dtype, numel
};
using ValueRef = std::shared_ptr<Value>;

struct AllowedGlobal {
    const char* module;
    const char* name;
    GlobalId id;
    DType dtype;
};

constexpr AllowedGlobal kAllowedGlobals[] = {
    {"collections", "OrderedDict", GlobalId::OrderedDict, DType::F32},
    {"torch._utils", "_rebuild_tensor_v2", GlobalId::RebuildTensorV2, DType::F32},
    {"torch._utils", "_rebuild_parameter", GlobalId::RebuildParameter, DType::F32},
    {"torch._utils", "_rebuild_parameter_with_state", GlobalId::RebuildParameterWithState, DType::F32},
    {"torch", "FloatStorage", GlobalId::StorageClass, DType::F32},
    {"torch", "HalfStorage", GlobalId::StorageClass, DType::F16},
    {"torch", "BFloat16Storage", GlobalId::StorageClass, DType::BF16},
    {"torch", "DoubleStorage", GlobalId::StorageClass, DType::F64},
    {"torch", "LongStorage", GlobalId::StorageClass, DType::I64},
    {"torch", "IntStorage", GlobalId::StorageClass, DType::I32},
    {"torch", "ShortStorage", GlobalId::StorageClass, DType::I16},
    {"torch", "CharStorage", GlobalId::StorageClass, DType::I8},
    {"torch", "ByteStorage", GlobalId::StorageClass, DType::U8},
    {"torch", "BoolStorage", GlobalId::StorageClass, DType::Bool},
};

const char* opcodeName(unsigned char op) {
    static const std::map<unsigned char, const char*> kNames = {
        {'(', "MARK"}, {'.', "STOP"}, {'0', "POP"}, {'1', "POP_MARK"}, {'2', "DUP"}, {'F', "FLOAT"},
        {'I', "INT"}, {'J', "BININT"}, {'K', "BININT1"}, {'L', "LONG"}, {'M', "BININT2"}, {'N', "NONE"},
        {'P', "PERSID"}, {'Q', "BINPERSID"}, {'R', "REDUCE"}, {'S', "STRING"}, {'T', "BINSTRING"},
        {'U', "SHORT_BINSTRING"}, {'V', "UNICODE"}, {'X', "BINUNICODE"}, {'a', "APPEND"}, {'b', "BUILD"},
        {'c', "GLOBAL"}, {'d', "DICT"}, {'}', "EMPTY_DICT"}, {'e', "APPENDS"}, {'g', "GET"}, {'h', "BINGET"},
        {'i', "INST"}, {'j', "LONG_BINGET"}, {'l', "LIST"}, {']', "EMPTY_LIST"}, {'o', "OBJ"}, {'p', "PUT"},
        {'q', "BINPUT"}, {'r', "LONG_BINPUT"}, {'s', "SETITEM"}, {'t', "TUPLE"}, {')', "EMPTY_TUPLE"},
        {'u', "SETITEMS"}, {'G', "BINFLOAT"}, {'B', "BINBYTES"}, {'C', "SHORT_BINBYTES"},
        {0x80, "PROTO"}, {0x81, "NEWOBJ"}, {0x82, "EXT1"}, {0x83, "EXT2"}, {0x84, "EXT4"}, {0x85, "TUPLE1"},
        {0x86, "TUPLE2"}, {0x87, "TUPLE3"}, {0x88, "NEWTRUE"}, {0x89, "NEWFALSE"}, {0x8a, "LONG1"},
        {0x8b, "LONG4"}, {0x8c, "SHORT_BINUNICODE"}, {0x8d, "BINUNICODE8"}, {0x8e, "BINBYTES8"},
        {0x8f, "EMPTY_SET"}, {0x90, "ADDITEMS"}, {0x91, "FROZENSET"}, {0x92, "NEWOBJ_EX"},
        {0x93, "STACK_GLOBAL"}, {0x94, "MEMOIZE"}, {0x95, "FRAME"}, {0x96, "BYTEARRAY8"},
        {0x97, "NEXT_BUFFER"}, {0x98, "READONLY_BUFFER"}};
    auto it = kNames.find(op);
    return it == kNames.end() ? "unknown" : it->second;
}

std::string hexByte(unsigned char b) {
    static const char* kDigits = "0123456789abcdef";
    return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

// Raised inside the unpickler and turned into a Status at its boundary.
struct PickleError {
    std::string message;
};

// ---------------------------------------------------------------- unpickler

class Unpickler {
public:
    Unpickler(std::span<const std::byte> data, std::string where) : m_data(data), m_where(std::move(where)) {}

    ~Unpickler() {
        // Every value is owned by the arena; dropping the links first means no
        // destructor recursion (a deeply nested pickle) and no leaked cycles.
        for (auto& v : m_arena) {
            v->items.clear();
            v->entries.clear();
        }
    }

    ValueRef run() {
        for (;;) {
            m_opPos = m_pos;
            const unsigned char op = readU8();
            switch (op) {
            case 0x80: readU8(); break;                  // PROTO: any protocol, the opcodes are checked
            case 0x95: readUInt(8); break;               // FRAME: a hint for buffered readers
            case '}': push(make(Kind::Dict)); break;
            case 'd': {
                auto items = popMark();
                if (items.size() % 2) fail("DICT with an odd number of items");
                auto d = make(Kind::Dict);
                for (std::size_t i = 0; i < items.size(); i += 2) setItem(*d, items[i], items[i + 1]);
                push(d);
                break;
            }
            case ')': push(make(Kind::Tuple)); break;
            case 't': push(tuple(popMark())); break;
            case 0x85: case 0x86: case 0x87: {
                const std::size_t n = op - 0x84u;
                if (m_stack.size() < markFloor() + n) fail("stack underflow");
                std::vector<ValueRef> items(m_stack.end() - static_cast<std::ptrdiff_t>(n), m_stack.end());
                m_stack.resize(m_stack.size() - n);
                push(tuple(std::move(items)));
                break;
            }
            case ']': push(make(Kind::List)); break;
            case 'l': {
                auto l = make(Kind::List);
                l->items = popMark();
                push(l);
                break;
            }
            case 'a': {
                auto v = pop();
                expect(top(), Kind::List, "APPEND target")->items.push_back(v);
                break;
            }
            case 'e': {
                auto items = popMark();
                auto& l = expect(top(), Kind::List, "APPENDS target")->items;
                l.insert(l.end(), items.begin(), items.end());
                break;
            }
            case '(': m_marks.push_back(m_stack.size()); break;
            case 's': {
                auto v = pop();
                auto k = pop();
                setItem(*expect(top(), Kind::Dict, "SETITEM target"), k, v);
                break;
            }
            case 'u': {
                auto items = popMark();
                if (items.size() % 2) fail("SETITEMS with an odd number of items");
                auto d = expect(top(), Kind::Dict, "SETITEMS target");
                for (std::size_t i = 0; i < items.size(); i += 2) setItem(*d, items[i], items[i + 1]);
                break;
            }
            case 'c': {
                const std::string module = readLine();
                const std::string name = readLine();
                push(global(module, name));
                break;
            }
            case 0x93: {
                auto name = expect(pop(), Kind::String, "STACK_GLOBAL name");
                auto module = expect(pop(), Kind::String, "STACK_GLOBAL module");
                push(global(module->text, name->text));
                break;
            }
            case 'Q': push(persistentLoad(pop())); break;
            case 'R': {
                auto args = expect(pop(), Kind::Tuple, "REDUCE arguments");
                auto callable = expect(pop(), Kind::Global, "REDUCE callable");
                push(reduce(*callable, args->items));
                break;
            }
            case 'b': {
                pop();  // the state: OrderedDict._metadata (module versions) is not needed
                const Kind k = top()->kind;
                if (k != Kind::Dict && k != Kind::Tensor) fail(std::string("BUILD on a ") + kindName(k));
                break;
            }
            case 'q': memoPut(readUInt(1)); break;
            case 'r': memoPut(readUInt(4)); break;
            case 0x94: memoPut(m_memo.size()); break;
            case 'h': push(memoGet(readUInt(1))); break;
            case 'j': push(memoGet(readUInt(4))); break;
            case 'J': push(integer(static_cast<std::int32_t>(readUInt(4)))); break;
            case 'K': push(integer(static_cast<std::int64_t>(readUInt(1)))); break;
            case 'M': push(integer(static_cast<std::int64_t>(readUInt(2)))); break;
            case 0x8a: {
                const std::size_t n = readUInt(1);
                if (n > 8) fail("LONG1 integer of " + std::to_string(n) + " bytes is too large");
                std::uint64_t v = n ? readUInt(n) : 0;
                if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1u) v |= ~0ull << (8 * n);  // sign extend
                push(integer(static_cast<std::int64_t>(v)));
                break;
            }
            case 'X': push(string(readUInt(4))); break;
            case 0x8c: push(string(readUInt(1))); break;
            case 'G': {
                const std::uint64_t bits = readUInt(8, /*bigEndian=*/true);
                auto v = make(Kind::Float);
                v->real = std::bit_cast<double>(bits);
                push(v);
                break;
            }
            case 0x88: case 0x89: {
                auto v = make(Kind::Bool);
                v->boolean = op == 0x88;
                push(v);
                break;
            }
            case 'N': push(make(Kind::None)); break;
            case '.':
                if (m_stack.empty()) fail("STOP with an empty stack");
                return m_stack.back();
            default:
                throw PickleError{m_where + ": opcode " + opcodeName(op) + " (" + hexByte(op) + ") at byte " +
                                  std::to_string(m_opPos) + " is not allowed in a state dict"};
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw PickleError{m_where + ": " + what + " (opcode at byte " + std::to_string(m_opPos) + ")"};
    }

    ValueRef make(Kind k) {
        auto v = std::make_shared<Value>();
        v->kind = k;
        m_arena.push_back(v);
        return v;
    }
    ValueRef integer(std::int64_t i) {
        auto v = make(Kind::Int);
        v->integer = i;
        return v;
    }
    ValueRef string(std::uint64_t length) {
        if (length > m_data.size() - m_pos) fail("string runs past the end of the pickle");
        auto v = make(Kind::String);
        v->text.assign(reinterpret_cast<const char*>(m_data.data() + m_pos), length);
        m_pos += length;
        return v;
    }
    ValueRef tuple(std::vector<ValueRef> items) {
        auto v = make(Kind::Tuple);
        v->items = std::move(items);
        return v;
    }

    unsigned char readU8() {
        if (m_pos >= m_data.size()) fail("pickle ends without STOP");
        return static_cast<unsigned char>(m_data[m_pos++]);
    }
    std::uint64_t readUInt(std::size_t n, bool bigEndian = false) {
        if (n > m_data.size() - m_pos) fail("pickle ends inside an opcode argument");
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t b = static_cast<unsigned char>(m_data[m_pos + i]);
            v |= bigEndian ? b << (8 * (n - 1 - i)) : b << (8 * i);
        }
        m_pos += n;
        return v;
    }
    std::string readLine() {
        std::string s;
        for (;;) {
            const unsigned char c = readU8();
            if (c == '\n') return s;
            if (s.size() > 256) fail("GLOBAL name too long");
            s.push_back(static_cast<char>(c));
        }
    }

    std::size_t markFloor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    void push(ValueRef v) { m_stack.push_back(std::move(v)); }
    ValueRef pop() {
        if (m_stack.size() <= markFloor()) fail("stack underflow");
        auto v = std::move(m_stack.back());
        m_stack.pop_back();
        return v;
    }
    const ValueRef& top() {
        if (m_stack.size() <= markFloor()) fail("stack underflow");
        return m_stack.back();
    }
    std::vector<ValueRef> popMark() {
        if (m_marks.empty()) fail("no MARK on the stack");
        const std::size_t at = m_marks.back();
        m_marks.pop_back();
        std::vector<ValueRef> items(m_stack.begin() + static_cast<std::ptrdiff_t>(at), m_stack.end());
        m_stack.resize(at);
        return items;
    }
    ValueRef expect(const ValueRef& v, Kind k, const char* what) {
        if (v->kind != k) fail(std::string(what) + " is a " + kindName(v->kind) + ", expected a " + kindName(k));
        return v;
    }

    void memoPut(std::uint64_t index) {
        if (m_stack.empty()) fail("memo store with an empty stack");
        m_memo[index] = m_stack.back();
    }
    ValueRef memoGet(std::uint64_t index) {
        auto it = m_memo.find(index);
        if (it == m_memo.end()) fail("memo entry " + std::to_string(index) + " was never stored");
        return it->second;
    }

    static void setItem(Value& dict, const ValueRef& key, const ValueRef& value) {
        if (key->kind == Kind::String) {
            for (auto& [k, v] : dict.entries) {
                if (k->kind == Kind::String && k->text == key->text) {
                    v = value;
                    return;
                }
            }
        }
        dict.entries.emplace_back(key, value);
    }

    ValueRef global(const std::string& module, const std::string& name) {
        for (const auto& g : kAllowedGlobals) {
            if (module == g.module && name == g.name) {
                auto v = make(Kind::Global);
                v->text = module + "." + name;
                v->global = g.id;
                v->dtype = g.dtype;
                return v;
            }
        }
        throw PickleError{m_where + ": global '" + module + "." + name + "' at byte " + std::to_string(m_opPos) +
                          " is not allowed (only tensors in (Ordered)dicts are read)"};
    }

    std::int64_t asInt(const ValueRef& v, const char* what) {
        return expect(v, Kind::Int, what)->integer;
    }

    // ('storage', <storage class>, key, location, numel)
    ValueRef persistentLoad(const ValueRef& pid) {
        expect(pid, Kind::Tuple, "persistent id");
        const auto& t = pid->items;
        if (t.size() != 5 || t[0]->kind != Kind::String || t[0]->text != "storage")
            fail("persistent id is not ('storage', type, key, location, numel)");
        auto cls = expect(t[1], Kind::Global, "storage type");
        if (cls->global != GlobalId::StorageClass) fail("persistent id names " + cls->text + ", not a storage type");
        auto s = make(Kind::Storage);
        if (t[2]->kind == Kind::String) s->tensor.storageKey = t[2]->text;
        else s->tensor.storageKey = std::to_string(asInt(t[2], "storage key"));
        if (s->tensor.storageKey.empty() || s->tensor.storageKey.find('/') != std::string::npos ||
            s->tensor.storageKey == "..")
            fail("invalid storage key '" + s->tensor.storageKey + "'");
        s->tensor.dtype = cls->dtype;
        s->tensor.storageNumel = asInt(t[4], "storage size");
        if (s->tensor.storageNumel < 0) fail("negative storage size");
        return s;
    }

    std::vector<std::int64_t> intTuple(const ValueRef& v, const char* what) {
        std::vector<std::int64_t> out;
        for (const auto& x : expect(v, Kind::Tuple, what)->items) {
            const std::int64_t i = asInt(x, what);
            if (i < 0) fail(std::string(what) + " holds a negative value");
            out.push_back(i);
        }
        return out;
    }

    ValueRef reduce(const Value& callable, const std::vector<ValueRef>& args) {
        switch (callable.global) {
        case GlobalId::OrderedDict:
            if (!args.empty()) fail("OrderedDict called with arguments");
            return make(Kind::Dict);
        case GlobalId::RebuildTensorV2: {
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            if (args.size() != 6 && args.size() != 7) fail("_rebuild_tensor_v2 expects 6 or 7 arguments");
            auto storage = expect(args[0], Kind::Storage, "_rebuild_tensor_v2 storage");
            auto v = make(Kind::Tensor);
            v->tensor = storage->tensor;
            v->tensor.storageOffset = asInt(args[1], "storage offset");
            if (v->tensor.storageOffset < 0) fail("negative storage offset");
            v->tensor.size = intTuple(args[2], "tensor size");
            v->tensor.stride = intTuple(args[3], "tensor stride");
            if (v->tensor.size.size() != v->tensor.stride.size()) fail("tensor size and stride differ in length");
            expect(args[4], Kind::Bool, "requires_grad");
            if (!expect(args[5], Kind::Dict, "backward hooks")->entries.empty()) fail("tensor has backward hooks");
            return v;
        }
        case GlobalId::RebuildParameter:
        case GlobalId::RebuildParameterWithState:
            // (data, requires_grad, backward_hooks[, state]): the parameter is its data tensor.
            if (args.size() < 3 || args.size() > 4) fail(callable.text + " expects 3 or 4 arguments");
            return expect(args[0], Kind::Tensor, "parameter data");
        case GlobalId::StorageClass:
            break;
        }
        fail(callable.text + " cannot be called");
    }

    std::span<const std::byte> m_data;
    std::string m_where;
    std::size_t m_pos = 0;
    std::size_t m_opPos = 0;
    std::vector<ValueRef> m_stack;
    std::vector<std::size_t> m_marks;
    std::unordered_map<std::uint64_t, ValueRef> m_memo;
    std::vector<ValueRef> m_arena;
};

bool isContiguous(const PickledTensor& t) {
    std::int64_t expected = 1;
    for (std::size_t i = t.size.size(); i-- > 0;) {
        if (t.size[i] != 1 && t.stride[i] != expected) return false;
        expected *= t.size[i];
    }
    return true;
}

// Elements the view reaches past its offset; false if any size is zero or on overflow.
bool lastIndex(const PickledTensor& t, std::int64_t& last) {
    std::int64_t idx = t.storageOffset;
    for (std::size_t i = 0; i < t.size.size(); ++i) {
        if (t.size[i] == 0) return false;
        std::int64_t step = 0;
        if (__builtin_mul_overflow(t.size[i] - 1, t.stride[i], &step) || __builtin_add_overflow(idx, step, &idx)) {
            last = -1;
            return true;
        }
    }
    last = idx;
    return true;
}

Status checkView(const PickledTensor& t, std::size_t storageBytes, const std::string& src) {
    const std::string where = src + ": tensor '" + t.name + "': ";
    const std::size_t elem = dtypeSize(t.dtype);
    std::int64_t numel = 0;
    if (!checkedNumel(t.size, numel)) return Status::failed(where + "too many elements");
    if (static_cast<std::uint64_t>(t.storageNumel) > storageBytes / elem)
        return Status::failed(where + "storage '" + t.storageKey + "' holds " + std::to_string(storageBytes) +
                              " bytes, fewer than its " + std::to_string(t.storageNumel) + " " + dtypeName(t.dtype) +
                              " elements");
    std::int64_t last = 0;
    if (numel > 0 && lastIndex(t, last) && (last < 0 || last >= t.storageNumel))
        return Status::failed(where + "view (offset " + std::to_string(t.storageOffset) +
                              ") reaches outside storage '" + t.storageKey + "' of " +
                              std::to_string(t.storageNumel) + " elements");
    return Status::ok();
}

} // namespace

Status unpickleStateDict(std::span<const std::byte> pickle, const std::string& src, std::vector<PickledTensor>& out) {
    out.clear();
    try {
        Unpickler u(pickle, src);
        ValueRef root = u.run();
        if (root->kind != Kind::Dict)
            return Status::failed(src + ": the pickle holds a " + std::string(kindName(root->kind)) +
                                  ", not a state dict");
        for (const auto& [k, v] : root->entries) {
            if (k->kind != Kind::String)
                return Status::failed(src + ": state dict key is a " + std::string(kindName(k->kind)) + ", not a str");
            if (v->kind != Kind::Tensor)
                return Status::failed(src + ": state dict entry '" + k->text + "' is a " +
                                      std::string(kindName(v->kind)) + ", not a tensor");
            PickledTensor t = v->tensor;
            t.name = k->text;
            out.push_back(std::move(t));
        }
        return Status::ok();
    } catch (const PickleError& e) {
        out.clear();
        return Status::failed(e.message);
    } catch (const std::exception& e) {
        out.clear();
        return Status::failed(src + ": " + e.what());
    }
}

Status materializeTensor(const PickledTensor& t, std::span<const std::byte> storage, const std::string& src,
                         std::vector<std::byte>& out) {
    Status st = checkView(t, storage.size(), src);
    if (!st.isOk()) return st;
    std::int64_t numel = 0;
    checkedNumel(t.size, numel);
    const std::size_t elem = dtypeSize(t.dtype);
    out.resize(static_cast<std::size_t>(numel) * elem);
    if (numel == 0) return Status::ok();
    if (isContiguous(t)) {
        std::memcpy(out.data(), storage.data() + t.storageOffset * elem, out.size());
        return Status::ok();
    }
    // Walk the view in row-major order with an odometer over the dimensions.
    const std::size_t rank = t.size.size();
    std::vector<std::int64_t> index(rank, 0);
    std::int64_t srcElem = t.storageOffset;
    for (std::int64_t n = 0; n < numel; ++n) {
        std::memcpy(out.data() + n * elem, storage.data() + srcElem * elem, elem);
        for (std::size_t d = rank; d-- > 0;) {
            if (++index[d] < t.size[d]) {
                srcElem += t.stride[d];
                break;
            }
            srcElem -= (t.size[d] - 1) * t.stride[d];
            index[d] = 0;
        }
    }
    return Status::ok();
}

Status readTorchCheckpoint(const std::filesystem::path& file, std::vector<TorchTensor>& out) {
    out.clear();
    const std::string src = file.string();
    {
        std::ifstream in(file, std::ios::binary);
        if (!in) return Status::failed(src + ": cannot open");
        char head[512] = {};
        in.read(head, sizeof head);
        const auto got = in.gcount();
        if (got == 0) return Status::failed(src + ": empty file");
        const bool zip = got >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0;
        if (!zip) {
            const bool pickle = static_cast<unsigned char>(head[0]) == 0x80;
            const bool tar = got >= 262 && std::memcmp(head + 257, "ustar", 5) == 0;
            if (pickle || tar)
                return Status::failed(src + ": legacy (pre-1.6) torch.save format is not supported; re-save with "
                                            "torch>=1.6 or convert to safetensors");
            return Status::failed(src + ": not a torch.save zip archive");
        }
    }
    try {
        caffe2::serialize::PyTorchStreamReader reader(src);
        if (!reader.hasRecord("data.pkl"))
            return Status::failed(src + ": the zip archive has no data.pkl: not a torch.save checkpoint");
        auto [pickleData, pickleSize] = reader.getRecord("data.pkl");
        std::vector<PickledTensor> pickled;
        Status st = unpickleStateDict(
            {static_cast<const std::byte*>(pickleData.get()), pickleSize}, src + ": data.pkl", pickled);
        if (!st.isOk()) return st;

        std::map<std::string, std::shared_ptr<const void>> owners;
        std::map<std::string, std::span<const std::byte>> storages;
        for (const auto& t : pickled) {
            if (!storages.count(t.storageKey)) {
                const std::string record = "data/" + t.storageKey;
                if (!reader.hasRecord(record))
                    return Status::failed(src + ": tensor '" + t.name + "': storage record '" + record +
                                          "' is missing from the archive");
                auto [ptr, size] = reader.getRecord(record);
                auto holder = std::make_shared<at::DataPtr>(std::move(ptr));
                storages[t.storageKey] = {static_cast<const std::byte*>(holder->get()), size};
                owners[t.storageKey] = std::shared_ptr<const void>(holder, holder->get());
            }
            TorchTensor r;
            r.info.name = t.name;
            r.info.dtype = t.dtype;
            r.info.shape = t.size;
            r.info.file = src;
            const auto storage = storages[t.storageKey];
            st = checkView(t, storage.size(), src);
            if (!st.isOk()) return st;
            if (isContiguous(t)) {
                // A contiguous view is served from the storage record itself: tied
                // weights then share one buffer.
                std::int64_t numel = 0;
                checkedNumel(t.size, numel);
                const std::size_t elem = dtypeSize(t.dtype);
                r.bytes = numel == 0 ? std::span<const std::byte>{}
                                     : storage.subspan(t.storageOffset * elem, numel * elem);
                r.owner = owners[t.storageKey];
            } else {
                auto copy = std::make_shared<std::vector<std::byte>>();
                st = materializeTensor(t, storage, src, *copy);
                if (!st.isOk()) return st;
                r.bytes = {copy->data(), copy->size()};
                r.owner = copy;
            }
            out.push_back(std::move(r));
        }
        return Status::ok();
    } catch (const c10::Error& e) {
        out.clear();
        return Status::failed(src + ": " + e.what_without_backtrace());
    } catch (const std::exception& e) {
        out.clear();
        return Status::failed(src + ": " + e.what());
    }
}

} // namespace gs
