#!/usr/bin/python3
"""Writes the small checkpoint files of tests/data/checkpoints/.

Run with the system Python that has torch 1.13 (/usr/bin/python3):

    /usr/bin/python3 scripts/make_checkpoint_fixtures.py

Output (committed; the tests never run Python):
  tiny/pytorch_model.bin     torch.save of an OrderedDict state dict (with the
                             _metadata attribute Hugging Face state dicts carry):
                             F32 / F16 / BF16 / F64 / I64 tensors, a transposed
                             view, a sliced view with a storage offset, a row view,
                             tied weights sharing one storage, a 0-d tensor and
                             an nn.Parameter
  tiny/model.safetensors     the same tensors, written by the small safetensors
                             writer below (the safetensors package is not needed)
  tiny/expected.json         dtype, shape, values and raw bytes of every tensor
  sharded/                   a 2-shard safetensors checkpoint with its index.json
  sharded_bin/               a 2-shard pytorch_model.bin checkpoint with its index.json
  malicious/pytorch_model.bin  a state dict holding an object whose unpickling
                             would call os.system: readers must refuse it
  legacy/pytorch_model.bin   the pre-1.6 (non-zip) torch.save format
"""

import collections
import json
import os
import shutil
import struct
import sys

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "checkpoints")

DTYPE_NAMES = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
}


def state_dict():
    sd = collections.OrderedDict()
    word = ((torch.arange(24, dtype=torch.float32) - 11.5) / 8).reshape(6, 4)
    sd["embeddings.word_embeddings.weight"] = word
    sd["embeddings.position_ids"] = torch.arange(5, dtype=torch.int64).reshape(1, 5)
    # 2**-20 is subnormal in F16; 65504 is the largest finite F16.
    sd["encoder.half.weight"] = torch.tensor(
        [[0.5, -1.25, 2.0 ** -20, 65504.0, -0.333],
         [1.0, 0.0, -0.0, 3.140625, 1000.5],
         [-7.0, 0.1, 0.2, 0.3, -65504.0]], dtype=torch.float16)
    sd["encoder.bf16.bias"] = torch.tensor([3.14159, -1e30, 1e-30, 0.5, -2.0, 255.0, 1.0 / 3.0],
                                           dtype=torch.bfloat16)
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1.0
    sd["encoder.base.weight"] = base
    sd["encoder.transposed.weight"] = base.t()             # [4, 3], strides (1, 4)
    big = torch.arange(30, dtype=torch.float32).reshape(5, 6) * -0.5
    sd["encoder.sliced.weight"] = big[1:4, 2:5]           # offset 8, strides (6, 1)
    sd["encoder.row.bias"] = big[4]                        # contiguous, offset 24
    sd["encoder.double.scale"] = torch.tensor([0.1, -2.5], dtype=torch.float64)
    sd["encoder.scalar"] = torch.tensor(3.5)
    sd["encoder.param"] = torch.nn.Parameter(torch.tensor([1.5, -0.75, 8.0]))
    sd["lm_head.decoder.weight"] = word                    # tied: the same storage
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("encoder", {"version": 1})])
    return sd


def tensor_bytes(t):
    t = t.detach().contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata=None):
    """The safetensors layout: u64 LE header length, JSON header padded with
    spaces to a multiple of 8, then the tensors' bytes back to back."""
    header = collections.OrderedDict()
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in tensors.items():
        data = tensor_bytes(t)
        header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def describe(sd):
    out = collections.OrderedDict()
    for name, t in sd.items():
        t = t.detach()
        values = t.double().reshape(-1).tolist() if t.is_floating_point() else t.reshape(-1).tolist()
        out[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "values": values,
                     "bytes_hex": tensor_bytes(t).hex(),
                     "contiguous": t.is_contiguous(), "storage_offset": t.storage_offset()}
    return out


class SystemCall:
    """Unpickling this runs os.system: the shape of a malicious checkpoint."""

    def __reduce__(self):
        return (os.system, ("echo grammascope-fixture-was-executed > /tmp/grammascope-pwned",))


def fresh(sub):
    path = os.path.join(ROOT, sub)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def main():
    torch.manual_seed(0)
    sd = state_dict()

    tiny = fresh("tiny")
    torch.save(sd, os.path.join(tiny, "pytorch_model.bin"))
    write_safetensors(os.path.join(tiny, "model.safetensors"),
                      collections.OrderedDict((k, v.detach()) for k, v in sd.items()), {"format": "pt"})
    with open(os.path.join(tiny, "expected.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "tensors": describe(sd)}, f, indent=1)

    names = list(sd.keys())
    first, second = names[: len(names) // 2], names[len(names) // 2:]

    sharded = fresh("sharded")
    shard_names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    weight_map = collections.OrderedDict()
    total = 0
    for shard, keys in zip(shard_names, (first, second)):
        part = collections.OrderedDict((k, sd[k].detach()) for k in keys)
        write_safetensors(os.path.join(sharded, shard), part, {"format": "pt"})
        for k in keys:
            weight_map[k] = shard
            total += len(tensor_bytes(sd[k]))
    with open(os.path.join(sharded, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)

    sharded_bin = fresh("sharded_bin")
    bin_names = ["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"]
    weight_map = collections.OrderedDict()
    for shard, keys in zip(bin_names, (first, second)):
        part = collections.OrderedDict((k, sd[k]) for k in keys)
        torch.save(part, os.path.join(sharded_bin, shard))
        for k in keys:
            weight_map[k] = shard
    with open(os.path.join(sharded_bin, "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)

    malicious = fresh("malicious")
    evil = collections.OrderedDict()
    evil["encoder.weight"] = torch.zeros(2)
    evil["encoder.payload"] = SystemCall()
    torch.save(evil, os.path.join(malicious, "pytorch_model.bin"))

    legacy = fresh("legacy")
    small = collections.OrderedDict([("encoder.weight", torch.tensor([1.0, 2.0]))])
    torch.save(small, os.path.join(legacy, "pytorch_model.bin"), _use_new_zipfile_serialization=False)

    total_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(ROOT) for f in fs)
    print(f"wrote {ROOT}: {total_bytes} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
