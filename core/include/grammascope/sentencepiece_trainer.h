#pragma once
// Trains a SentencePiece model with sentencepiece's own trainer (run inside the
// grammascope_spm module). `args` is the trainer's command-line style argument
// string, e.g.
//   "--input=corpus.txt --model_prefix=/out/spm --vocab_size=8000
//    --model_type=unigram --character_coverage=1.0
//    --user_defined_symbols=[CLS],[SEP],[PAD],[MASK]"
// which writes /out/spm.model and /out/spm.vocab. A model trained with the
// BERT specials as user-defined symbols can be loaded by loadTokenizer() for a
// BERT-architecture checkpoint.
//
// Thread-safety: may be called from any thread; concurrent calls run one after
// the other (the trainer keeps process-wide state). It blocks until training
// ends and cannot be cancelled.

#include "grammascope/status.h"

#include <filesystem>
#include <string>

namespace gs {

Status trainSentencePiece(const std::string& args);

// Removes the input and output paths that the trainer records in a model's
// TrainerSpec (`input`, `model_prefix`), rewriting the .model file in place,
// so that the same corpus and options give byte-identical files wherever they
// lie. Everything else in the file is kept as it is. Fails, leaving the file
// untouched, on anything that is not a well-formed ModelProto.
Status forgetTrainerPaths(const std::filesystem::path& modelFile);

} // namespace gs
