#pragma once
// Reader of pytorch_model.bin files written by torch.save (zip format,
// torch >= 1.6): <archive>/data.pkl holds the pickled state dict,
// <archive>/data/<key> the raw bytes of each storage.
//
// The pickle goes through an allow-list unpickler: only the opcodes and
// globals a state dict of tensors needs (OrderedDict, _rebuild_tensor_v2,
// _rebuild_parameter, the typed *Storage classes) are accepted; anything
// else is refused with the opcode or global named, so a hostile file cannot
// run code. LibTorch's own unpickler is not used: it turns OrderedDict into
// None.
//
// No LibTorch type appears here; the zip records are read with LibTorch's
// PyTorchStreamReader inside torch_pickle.cpp.
//
// Thread-safety: free functions without shared state; TorchTensor values are
// immutable and may be shared.

#include "grammascope/status.h"
#include "grammascope/weights.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace gs {

// A tensor as the pickle describes it: a strided view of a storage record.
struct PickledTensor {
    std::string name;                  // key in the state dict
    std::string storageKey;            // record <archive>/data/<storageKey>
    DType dtype = DType::F32;
    std::int64_t storageNumel = 0;     // elements the storage declares
    std::int64_t storageOffset = 0;    // in elements
    std::vector<std::int64_t> size;
    std::vector<std::int64_t> stride;
};

// Interprets data.pkl; the top-level object must be a dict (or OrderedDict)
// mapping strings to tensors. `sourceName` names the file in messages.
Status unpickleStateDict(std::span<const std::byte> pickle, const std::string& sourceName,
                         std::vector<PickledTensor>& out);

// Copies the elements of `t` out of `storage` (the raw storage record) into
// contiguous row-major bytes, checking every element lies inside the record.
Status materializeTensor(const PickledTensor& t, std::span<const std::byte> storage,
                         const std::string& sourceName, std::vector<std::byte>& out);

// A tensor read from a checkpoint: contiguous bytes kept alive by `owner`
// (several tensors may share one owner, e.g. tied weights).
struct TorchTensor {
    WeightInfo info;
    std::span<const std::byte> bytes;
    std::shared_ptr<const void> owner;
};

// Reads every tensor of a torch.save zip file, in state-dict order.
Status readTorchCheckpoint(const std::filesystem::path& file, std::vector<TorchTensor>& out);

} // namespace gs
