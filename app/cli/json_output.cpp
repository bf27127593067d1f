#include "cli/json_output.h"

#include <fstream>

namespace gs::cli {

nlohmann::json modelInfoJson(const ModelInfo& info) {
    const ModelConfig& c = info.config;
    return {
        {"directory", info.directory.string()},
        {"architecture", architectureName(c.architecture)},
        {"model_type", c.modelType},
        {"layers", c.numLayers},
        {"hidden_size", c.hiddenSize},
        {"heads", c.numHeads},
        {"intermediate_size", c.intermediateSize},
        {"vocab_size", c.vocabSize},
        {"max_sequence_length", c.maxSequenceLength()},
        {"activation", activationName(c.hiddenAct)},
        {"weights", info.weightsFormat},
        {"tokenizer", info.tokenizerDescription},
        {"device", info.device},
        {"precision", info.precision == Precision::BFloat16 ? "bf16" : "fp32"},
        {"threads", info.threads},
        {"mlm_head", info.hasMlmHead},
        {"parameters", info.parameterCount},
        {"warnings", info.warnings},
    };
}

nlohmann::json tokensJson(const Encoding& encoding) {
    nlohmann::json tokens = nlohmann::json::array();
    for (const auto& t : encoding.tokens) {
        tokens.push_back({{"text", t.text},
                          {"id", t.id},
                          {"offsets", {t.begin, t.end}},
                          {"byte_offsets", {t.byteBegin, t.byteEnd}},
                          {"word", t.wordIndex},
                          {"special", t.special}});
    }
    return tokens;
}

Status writeTextFile(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::path temp = file;
    temp += ".part";
    {
        std::ofstream out(temp, std::ios::binary);
        out << text;
        if (!out.flush()) return Status::failed("cannot write " + file.string());
    }
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) return Status::failed("cannot rename " + temp.string() + " to " + file.string() + ": " + ec.message());
    return Status::ok();
}

} // namespace gs::cli
