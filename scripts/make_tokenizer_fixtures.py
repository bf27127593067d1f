#!/usr/bin/python3
"""Builds the SentencePiece / Unigram fixtures of the tokenizer tests.

  tests/data/tokenizers/sentencepiece/ru.model   tiny unigram model (400 pieces)
  tests/data/tokenizers/sentencepiece/ru.{out,offsets}
      expected spm ids and code point offsets of every line of ru.inp,
      computed by Python's sentencepiece (the independent reference)
  tests/data/tokenizers/unigram_json/tokenizer.json
      the same model as a Hugging Face tokenizer.json (Unigram, Metaspace)
  tests/data/tokenizers/unigram_json/ru.{inp,out,offsets}
      the lines of ru.inp whose expected output is the same under tokenizers'
      Unigram semantics (no leading/trailing whitespace, no leading special
      token), with the spm reference ids and offsets

The model is trained on 800 sentences sampled from ../shared/data/ru-text
(CC0) into a temporary folder; the training text is not kept. The model is
only retrained with --retrain (training is not bit-reproducible across
sentencepiece versions; the goldens always follow the committed model).
The BERT specials are user-defined symbols, as in models Grammascope trains.

Usage: /usr/bin/python3 scripts/make_tokenizer_fixtures.py [--retrain]
"""

import json
import os
import random
import sys
import tempfile

import sentencepiece as spm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "tokenizers")
SPM_DIR = os.path.join(DATA, "sentencepiece")
JSON_DIR = os.path.join(DATA, "unigram_json")
CORPUS = os.path.join(ROOT, "..", "shared", "data", "ru-text")
SPECIALS = ["[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def train(model_path):
    lines = []
    for name in ["koziev-facts4_1s.txt", "koziev-facts5_1s.txt", "koziev-facts7_1s.txt"]:
        with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
            lines += [l.strip() for l in f if l.strip()]
    random.seed(20240601)
    sample = random.sample(lines, 800)
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "train.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("\n".join(sample) + "\n")
        prefix = os.path.join(tmp, "ru")
        spm.SentencePieceTrainer.train(
            input=text, model_prefix=prefix, vocab_size=400, model_type="unigram",
            character_coverage=1.0, user_defined_symbols=SPECIALS, num_threads=1,
            normalization_rule_name="identity", minloglevel=2)
        with open(prefix + ".model", "rb") as src, open(model_path, "wb") as dst:
            dst.write(src.read())


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n")


def write_golden(sp, lines, stem):
    ids, offsets = [], []
    for line in lines:
        pieces = sp.encode(line, out_type="immutable_proto").pieces
        ids.append(" ".join(str(p.id) for p in pieces))
        # Python reports begin/end in code points of the input str.
        offsets.append(" ".join(f"{p.begin}:{p.end}" for p in pieces))
    with open(stem + ".out", "w", encoding="utf-8") as f:
        f.write("\n".join(ids) + "\n")
    with open(stem + ".offsets", "w", encoding="utf-8") as f:
        f.write("\n".join(offsets) + "\n")


def tokenizer_json(sp):
    size = sp.get_piece_size()
    vocab = [[sp.id_to_piece(i), float(sp.get_score(i))] for i in range(size)]
    added = [{"id": i, "content": sp.id_to_piece(i), "single_word": False, "lstrip": False,
              "rstrip": False, "normalized": False, "special": True}
             for i in range(size) if sp.is_control(i) or sp.is_unknown(i) or sp.id_to_piece(i) in SPECIALS]
    cls, sep = sp.piece_to_id("[CLS]"), sp.piece_to_id("[SEP]")
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        # What transformers' converter writes for a sentencepiece model; the
        # Precompiled character map is left empty (identity normalisation).
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": ""},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True,
                          "prepend_scheme": "always"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [cls], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [sep], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True,
                    "prepend_scheme": "always"},
        "model": {"type": "Unigram", "unk_id": sp.unk_id(), "vocab": vocab, "byte_fallback": False},
    }


def main():
    os.makedirs(SPM_DIR, exist_ok=True)
    os.makedirs(JSON_DIR, exist_ok=True)
    model = os.path.join(SPM_DIR, "ru.model")
    if "--retrain" in sys.argv or not os.path.exists(model):
        train(model)
    sp = spm.SentencePieceProcessor(model_file=model)

    lines = read_lines(os.path.join(SPM_DIR, "ru.inp"))
    write_golden(sp, lines, os.path.join(SPM_DIR, "ru"))

    subset = [l for l in lines if l and l == l.strip(" ") and not l.startswith("[")]
    with open(os.path.join(JSON_DIR, "ru.inp"), "w", encoding="utf-8") as f:
        f.write("\n".join(subset) + "\n")
    write_golden(sp, subset, os.path.join(JSON_DIR, "ru"))
    with open(os.path.join(JSON_DIR, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(sp), f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{model}: {sp.get_piece_size()} pieces; {len(lines)} golden lines, {len(subset)} for tokenizer.json")


if __name__ == "__main__":
    main()
