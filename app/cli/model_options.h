#pragma once
// Options shared by every sub-command that opens a model.

#include "cli/cli_args.h"
#include "grammascope/model.h"

#include <memory>
#include <string>

namespace gs::cli {

inline const char* kModelOptionsHelp =
    "  --model DIR          Hugging Face checkpoint folder (config.json, weights, tokenizer)\n"
    "  --precision P        fp32 (default) or bf16\n"
    "  --device D           auto (default: CUDA when available), cpu or cuda\n"
    "  --threads N          intra-op threads (default: all cores)\n";

inline const std::set<std::string> kModelValuedOptions = {"model", "precision", "device", "threads"};

// Reads the model options; returns false (with `error`) on a bad value.
bool parseModelOptions(Args& args, ModelOptions& out, std::string& error);

// Opens the model named by --model, printing a failure to stderr. Returns an exit code.
int openModel(Args& args, std::shared_ptr<const Model>& model);

} // namespace gs::cli
