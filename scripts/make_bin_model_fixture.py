#!/usr/bin/python3
"""Writes tests/data/checkpoints/tiny-bert-bin: a tiny random BERT saved the way
Hugging Face saves it (torch.save of an OrderedDict state dict, with the legacy
int64 position_ids buffer), plus reference hidden states computed here with plain
torch.nn.functional ops, an implementation independent of Grammascope's.

Run with Debian's python3-torch:  /usr/bin/python3 scripts/make_bin_model_fixture.py
"""
import collections
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "checkpoints", "tiny-bert-bin")
H, L, HEADS, I, P, V = 16, 2, 2, 32, 24, 40
EPS = 1e-12

vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "!", "?", "-",
         "мама", "мыла", "раму", "ёж", "спал", "она", "делала", "кашу", "дом", "кот",
         "а", "о", "и", "е", "ё", "м", "р", "у", "##а", "##у", "##ы", "##ла", "##ет",
         "##ем", "##ешь", "Мама", "Она", "1", "2", "##1"]
assert len(vocab) == V

torch.manual_seed(1234)
sd = collections.OrderedDict()
def normal(*shape, std=0.3):
    return torch.randn(*shape) * std
sd["bert.embeddings.position_ids"] = torch.arange(P).unsqueeze(0)
sd["bert.embeddings.word_embeddings.weight"] = normal(V, H)
sd["bert.embeddings.position_embeddings.weight"] = normal(P, H)
sd["bert.embeddings.token_type_embeddings.weight"] = normal(2, H)
sd["bert.embeddings.LayerNorm.weight"] = 1 + normal(H, std=0.1)
sd["bert.embeddings.LayerNorm.bias"] = normal(H, std=0.1)
for l in range(L):
    p = f"bert.encoder.layer.{l}."
    for name, (o, i) in {"attention.self.query": (H, H), "attention.self.key": (H, H),
                         "attention.self.value": (H, H), "attention.output.dense": (H, H),
                         "intermediate.dense": (I, H), "output.dense": (H, I)}.items():
        sd[p + name + ".weight"] = normal(o, i)
        sd[p + name + ".bias"] = normal(o, std=0.1)
    for name in ("attention.output.LayerNorm", "output.LayerNorm"):
        sd[p + name + ".weight"] = 1 + normal(H, std=0.1)
        sd[p + name + ".bias"] = normal(H, std=0.1)
sd["cls.predictions.bias"] = normal(V, std=0.1)
sd["cls.predictions.transform.dense.weight"] = normal(H, H)
sd["cls.predictions.transform.dense.bias"] = normal(H, std=0.1)
sd["cls.predictions.transform.LayerNorm.weight"] = 1 + normal(H, std=0.1)
sd["cls.predictions.transform.LayerNorm.bias"] = normal(H, std=0.1)
# Tied decoder stored as the same storage, as Hugging Face does.
sd["cls.predictions.decoder.weight"] = sd["bert.embeddings.word_embeddings.weight"]
sd["cls.predictions.decoder.bias"] = sd["cls.predictions.bias"]

def forward(ids):
    T = len(ids)
    ids_t = torch.tensor(ids)
    x = (sd["bert.embeddings.word_embeddings.weight"][ids_t]
         + sd["bert.embeddings.position_embeddings.weight"][:T]
         + sd["bert.embeddings.token_type_embeddings.weight"][0])
    x = F.layer_norm(x, (H,), sd["bert.embeddings.LayerNorm.weight"], sd["bert.embeddings.LayerNorm.bias"], EPS)
    hidden = [x]
    d = H // HEADS
    for l in range(L):
        p = f"bert.encoder.layer.{l}."
        lin = lambda n, t: F.linear(t, sd[p + n + ".weight"], sd[p + n + ".bias"])
        q = lin("attention.self.query", x).view(T, HEADS, d).transpose(0, 1)
        k = lin("attention.self.key", x).view(T, HEADS, d).transpose(0, 1)
        v = lin("attention.self.value", x).view(T, HEADS, d).transpose(0, 1)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), -1)
        ctx = (a @ v).transpose(0, 1).reshape(T, H)
        x = F.layer_norm(lin("attention.output.dense", ctx) + x, (H,),
                         sd[p + "attention.output.LayerNorm.weight"], sd[p + "attention.output.LayerNorm.bias"], EPS)
        f = F.linear(F.gelu(lin("intermediate.dense", x)), sd[p + "output.dense.weight"], sd[p + "output.dense.bias"])
        x = F.layer_norm(f + x, (H,), sd[p + "output.LayerNorm.weight"], sd[p + "output.LayerNorm.bias"], EPS)
        hidden.append(x)
    h = F.gelu(F.linear(x, sd["cls.predictions.transform.dense.weight"], sd["cls.predictions.transform.dense.bias"]))
    h = F.layer_norm(h, (H,), sd["cls.predictions.transform.LayerNorm.weight"],
                     sd["cls.predictions.transform.LayerNorm.bias"], EPS)
    logits = F.linear(h, sd["cls.predictions.decoder.weight"], sd["cls.predictions.bias"])
    return hidden, logits

os.makedirs(OUT, exist_ok=True)
torch.save(sd, os.path.join(OUT, "pytorch_model.bin"))
with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(vocab) + "\n")
with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
    json.dump({"do_lower_case": False}, f)
with open(os.path.join(OUT, "config.json"), "w") as f:
    json.dump({"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": H,
               "num_hidden_layers": L, "num_attention_heads": HEADS, "intermediate_size": I,
               "hidden_act": "gelu", "layer_norm_eps": EPS, "max_position_embeddings": P,
               "type_vocab_size": 2, "vocab_size": V, "pad_token_id": 0,
               "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
               "initializer_range": 0.02, "transformers_version": "4.30.0"}, f, indent=2)
text = "Мама мыла раму, а ёж спал."
ids = [2, 35, 11, 12, 6, 20, 13, 14, 5, 3]
with torch.no_grad():
    hidden, logits = forward(ids)
with open(os.path.join(OUT, "reference.json"), "w") as f:
    json.dump({"text": text, "ids": ids,
               "hidden_states": [h.tolist() for h in hidden],
               "logits": logits.tolist()}, f)
print("wrote", OUT)
