#include "grammascope/model_config.h"

#include "model/json_text.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace gs {

const char* architectureName(Architecture a) {
    switch (a) {
    case Architecture::Bert: return "BERT";
    case Architecture::Roberta: return "RoBERTa";
    case Architecture::DistilBert: return "DistilBERT";
    }
    return "?";
}

const char* activationName(Activation a) {
    switch (a) {
    case Activation::Gelu: return "gelu";
    case Activation::GeluTanh: return "gelu_new";
    case Activation::Relu: return "relu";
    }
    return "?";
}

namespace {

using Json = nlohmann::json;

struct ModelType {
    const char* name;
    Architecture architecture;
    const char* classPrefix;  // Hugging Face class names: <prefix>ForMaskedLM, <prefix>Model
};

// Longer prefixes first, so "DistilBert..." is not taken for "Bert...".
constexpr ModelType kModelTypes[] = {
    {"xlm-roberta", Architecture::Roberta, "XLMRoberta"},
    {"distilbert", Architecture::DistilBert, "DistilBert"},
    {"camembert", Architecture::Roberta, "Camembert"},
    {"roberta", Architecture::Roberta, "Roberta"},
    {"bert", Architecture::Bert, "Bert"},
};

const ModelType* findModelType(const std::string& name) {
    for (const auto& t : kModelTypes)
        if (name == t.name) return &t;
    return nullptr;
}

const ModelType* modelTypeFromClass(const std::string& cls) {
    for (const auto& t : kModelTypes) {
        const std::string p = t.classPrefix;
        // Exact family match: "XLMRobertaXLForMaskedLM" or "RobertaPreLayerNormModel" are other models.
        if (cls == p + "Model" || cls == p + "LMHeadModel" || cls.rfind(p + "For", 0) == 0) return &t;
    }
    return nullptr;
}

// Keys read for every model type, plus those any Hugging Face config may carry
// that change nothing for an encoder run in inference (training knobs,
// generation defaults, task heads, labels): none of them is worth a warning.
const std::set<std::string>& commonKeys() {
    static const std::set<std::string> keys = {
        "architectures", "model_type", "transformers_version", "torch_dtype", "_name_or_path", "_commit_hash",
        "directionality", "pooler_fc_size", "pooler_num_attention_heads", "pooler_num_fc_layers",
        "pooler_size_per_head", "pooler_type", "pooler_hidden_act", "output_past", "gradient_checkpointing",
        "use_cache", "classifier_dropout", "hidden_dropout_prob", "attention_probs_dropout_prob",
        "initializer_range", "bos_token_id", "eos_token_id", "sep_token_id", "cls_token_id", "unk_token_id",
        "mask_token_id", "decoder_start_token_id", "id2label", "label2id", "num_labels", "problem_type",
        "finetuning_task", "tokenizer_class", "prefix", "task_specific_params", "output_attentions",
        "output_hidden_states", "return_dict", "torchscript", "use_bfloat16", "tf_legacy_loss",
        "is_encoder_decoder", "tie_encoder_decoder", "cross_attention_hidden_size", "chunk_size_feed_forward",
        "max_length", "min_length", "do_sample", "early_stopping", "num_beams", "num_beam_groups",
        "diversity_penalty", "temperature", "top_k", "top_p", "typical_p", "repetition_penalty",
        "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size", "bad_words_ids",
        "num_return_sequences", "output_scores", "return_dict_in_generate", "forced_bos_token_id",
        "forced_eos_token_id", "remove_invalid_values", "exponential_decay_length_penalty", "suppress_tokens",
        "begin_suppress_tokens", "xla_device", "summary_type", "summary_use_proj", "summary_activation",
        "summary_proj_to_labels", "summary_first_dropout", "layerdrop", "pruned_heads", "vocab_size",
        "max_position_embeddings", "pad_token_id", "tie_word_embeddings", "is_decoder", "add_cross_attention",
        "position_embedding_type"};
    return keys;
}

const std::set<std::string>& bertKeys() {
    static const std::set<std::string> keys = {"hidden_size", "num_hidden_layers", "num_attention_heads",
                                               "intermediate_size", "hidden_act", "type_vocab_size",
                                               "layer_norm_eps"};
    return keys;
}

const std::set<std::string>& distilBertKeys() {
    static const std::set<std::string> keys = {"dim", "n_layers", "n_heads", "hidden_dim", "activation",
                                               "dropout", "attention_dropout", "qa_dropout",
                                               "seq_classif_dropout", "sinusoidal_pos_embds", "tie_weights_"};
    return keys;
}

// Reads fields of one config object, naming the file in every message.
class Fields {
public:
    Fields(const Json& j, const std::string& source) : m_json(j), m_source(source) {}

    Status integer(const char* key, bool required, std::int64_t& out) const {
        auto it = m_json.find(key);
        if (it == m_json.end() || it->is_null()) {
            if (required) return Status::failed(m_source + ": required field '" + key + "' is missing");
            return Status::ok();
        }
        if (!it->is_number_integer())
            return Status::failed(m_source + ": field '" + key + "' must be an integer, got " + it->dump());
        if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            return Status::failed(m_source + ": field '" + key + "' is too large: " + it->dump());
        out = it->get<std::int64_t>();
        return Status::ok();
    }
    Status number(const char* key, double& out) const {
        auto it = m_json.find(key);
        if (it == m_json.end() || it->is_null()) return Status::ok();
        if (!it->is_number())
            return Status::failed(m_source + ": field '" + key + "' must be a number, got " + it->dump());
        out = it->get<double>();
        return Status::ok();
    }
    Status boolean(const char* key, bool& out) const {
        auto it = m_json.find(key);
        if (it == m_json.end() || it->is_null()) return Status::ok();
        if (!it->is_boolean())
            return Status::failed(m_source + ": field '" + key + "' must be true or false, got " + it->dump());
        out = it->get<bool>();
        return Status::ok();
    }
    Status string(const char* key, std::string& out) const {
        auto it = m_json.find(key);
        if (it == m_json.end() || it->is_null()) return Status::ok();
        if (!it->is_string())
            return Status::failed(m_source + ": field '" + key + "' must be a string, got " + it->dump());
        out = it->get<std::string>();
        return Status::ok();
    }

private:
    const Json& m_json;
    const std::string& m_source;
};

// Returns the status of `expr` from the enclosing function unless it is ok.
#define GS_TRY(expr)                           \
    do {                                       \
        Status gsTryStatus_ = (expr);          \
        if (!gsTryStatus_.isOk()) return gsTryStatus_; \
    } while (0)

Status parseActivation(const std::string& key, const std::string& value, const std::string& source, Activation& out) {
    if (value == "gelu" || value == "gelu_python") out = Activation::Gelu;
    else if (value == "gelu_new" || value == "gelu_pytorch_tanh" || value == "gelu_fast") out = Activation::GeluTanh;
    else if (value == "relu") out = Activation::Relu;
    else
        return Status::failed(source + ": " + key + " '" + value +
                              "' is not supported (gelu, gelu_new, gelu_pytorch_tanh, gelu_fast or relu)");
    return Status::ok();
}

Status resolveModelType(const Json& j, const std::string& source, const ModelType*& out, std::string& spelled) {
    auto mt = j.find("model_type");
    if (mt != j.end() && !mt->is_null()) {
        if (!mt->is_string())
            return Status::failed(source + ": field 'model_type' must be a string, got " + mt->dump());
        spelled = mt->get<std::string>();
        out = findModelType(spelled);
        if (!out)
            return Status::failed(source + ": model_type '" + spelled +
                                  "' is not supported (bert, roberta, xlm-roberta, camembert, distilbert)");
        return Status::ok();
    }
    auto arch = j.find("architectures");
    if (arch != j.end() && arch->is_array()) {
        for (const auto& a : *arch) {
            if (!a.is_string()) continue;
            if (const ModelType* t = modelTypeFromClass(a.get<std::string>())) {
                out = t;
                spelled = t->name;
                return Status::ok();
            }
        }
        return Status::failed(source + ": no model_type, and architectures " + arch->dump() +
                              " name no supported model (BERT, RoBERTa, XLM-R, CamemBERT, DistilBERT)");
    }
    return Status::failed(source +
                          ": required field 'model_type' is missing (and no 'architectures' to infer it from)");
}

Status checkPositive(const std::string& source, const char* key, std::int64_t v) {
    if (v <= 0) return Status::failed(source + ": field '" + key + "' must be positive, got " + std::to_string(v));
    return Status::ok();
}

} // namespace

Status parseModelConfig(const std::string& jsonText, const std::string& source, ModelConfig& out) {
    Json j;
    GS_TRY(parseJsonText(jsonText, source, j));
    if (!j.is_object()) return Status::failed(source + ": expected a JSON object at the top level");

    ModelConfig c;
    const ModelType* type = nullptr;
    GS_TRY(resolveModelType(j, source, type, c.modelType));
    c.architecture = type->architecture;
    const bool distil = c.architecture == Architecture::DistilBert;
    const Fields f(j, source);

    std::string act = "gelu";
    if (distil) {
        GS_TRY(f.integer("dim", true, c.hiddenSize));
        GS_TRY(f.integer("n_layers", true, c.numLayers));
        GS_TRY(f.integer("n_heads", true, c.numHeads));
        GS_TRY(f.integer("hidden_dim", true, c.intermediateSize));
        GS_TRY(f.string("activation", act));
        GS_TRY(parseActivation("activation", act, source, c.hiddenAct));
        c.typeVocabSize = 0;
        c.layerNormEps = 1e-12;  // fixed in DistilBERT, not a config key
        c.padTokenId = 0;
    } else {
        GS_TRY(f.integer("hidden_size", true, c.hiddenSize));
        GS_TRY(f.integer("num_hidden_layers", true, c.numLayers));
        GS_TRY(f.integer("num_attention_heads", true, c.numHeads));
        GS_TRY(f.integer("intermediate_size", true, c.intermediateSize));
        GS_TRY(f.string("hidden_act", act));
        GS_TRY(parseActivation("hidden_act", act, source, c.hiddenAct));
        c.typeVocabSize = 2;
        GS_TRY(f.integer("type_vocab_size", false, c.typeVocabSize));
        c.layerNormEps = 1e-12;
        GS_TRY(f.number("layer_norm_eps", c.layerNormEps));
        // Hugging Face's RobertaConfig defaults pad_token_id to 1, BertConfig to 0.
        c.padTokenId = c.architecture == Architecture::Roberta ? 1 : 0;
    }
    GS_TRY(f.integer("vocab_size", true, c.vocabSize));
    GS_TRY(f.integer("max_position_embeddings", true, c.maxPositionEmbeddings));
    GS_TRY(f.integer("pad_token_id", false, c.padTokenId));
    GS_TRY(f.boolean("tie_word_embeddings", c.tieWordEmbeddings));

    // Keys whose values this encoder cannot honour.
    bool flag = false;
    GS_TRY(f.boolean("is_decoder", flag));
    if (flag) return Status::failed(source + ": is_decoder is true: only bidirectional encoders are supported");
    flag = false;
    GS_TRY(f.boolean("add_cross_attention", flag));
    if (flag) return Status::failed(source + ": add_cross_attention is true: cross attention is not supported");
    std::string posType = "absolute";
    GS_TRY(f.string("position_embedding_type", posType));
    if (posType != "absolute")
        return Status::failed(source + ": position_embedding_type '" + posType +
                              "' is not supported (only 'absolute')");
    if (auto ph = j.find("pruned_heads"); ph != j.end() && !ph->is_null() && !ph->empty())
        return Status::failed(source + ": pruned_heads is not empty: pruned attention heads are not supported");

    // Value checks.
    const char* hiddenKey = distil ? "dim" : "hidden_size";
    const char* headsKey = distil ? "n_heads" : "num_attention_heads";
    GS_TRY(checkPositive(source, hiddenKey, c.hiddenSize));
    GS_TRY(checkPositive(source, distil ? "n_layers" : "num_hidden_layers", c.numLayers));
    GS_TRY(checkPositive(source, headsKey, c.numHeads));
    GS_TRY(checkPositive(source, distil ? "hidden_dim" : "intermediate_size", c.intermediateSize));
    GS_TRY(checkPositive(source, "vocab_size", c.vocabSize));
    GS_TRY(checkPositive(source, "max_position_embeddings", c.maxPositionEmbeddings));
    if (c.hiddenSize % c.numHeads != 0)
        return Status::failed(source + ": " + hiddenKey + " " + std::to_string(c.hiddenSize) +
                              " is not divisible by " + headsKey + " " + std::to_string(c.numHeads));
    if (c.typeVocabSize < 0)
        return Status::failed(source + ": field 'type_vocab_size' must not be negative, got " +
                              std::to_string(c.typeVocabSize));
    if (!(c.layerNormEps > 0.0) || !std::isfinite(c.layerNormEps))
        return Status::failed(source + ": field 'layer_norm_eps' must be a positive number");
    if (c.padTokenId < 0 || c.padTokenId >= c.vocabSize)
        return Status::failed(source + ": pad_token_id " + std::to_string(c.padTokenId) +
                              " is outside the vocabulary of " + std::to_string(c.vocabSize));
    if (c.maxSequenceLength() < 1)
        return Status::failed(source + ": max_position_embeddings " + std::to_string(c.maxPositionEmbeddings) +
                              " leaves no position after the RoBERTa offset of pad_token_id + 1");

    const auto& own = distil ? distilBertKeys() : bertKeys();
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!commonKeys().count(it.key()) && !own.count(it.key()))
            c.warnings.push_back(source + ": unknown key '" + it.key() + "' ignored");
    }
    out = std::move(c);
    return Status::ok();
}

Status loadModelConfig(const std::filesystem::path& dir, ModelConfig& out) {
    const auto file = dir / "config.json";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return Status::failed(file.string() + ": no such file");
    std::string text;
    GS_TRY(readTextFile(file, text));
    return parseModelConfig(text, file.string(), out);
}

std::string modelConfigToJson(const ModelConfig& c) {
    nlohmann::ordered_json j;
    const ModelType* type = findModelType(c.modelType);
    if (!type || type->architecture != c.architecture) {
        // The canonical model_type of the architecture.
        type = findModelType(c.architecture == Architecture::DistilBert ? "distilbert"
                             : c.architecture == Architecture::Roberta  ? "roberta"
                                                                        : "bert");
    }
    j["architectures"] = {std::string(type->classPrefix) + "ForMaskedLM"};
    j["model_type"] = type->name;
    if (c.architecture == Architecture::DistilBert) {
        j["dim"] = c.hiddenSize;
        j["n_layers"] = c.numLayers;
        j["n_heads"] = c.numHeads;
        j["hidden_dim"] = c.intermediateSize;
        j["activation"] = activationName(c.hiddenAct);
        j["dropout"] = 0.1;
        j["attention_dropout"] = 0.1;
        j["sinusoidal_pos_embds"] = false;
    } else {
        j["hidden_size"] = c.hiddenSize;
        j["num_hidden_layers"] = c.numLayers;
        j["num_attention_heads"] = c.numHeads;
        j["intermediate_size"] = c.intermediateSize;
        j["hidden_act"] = activationName(c.hiddenAct);
        j["type_vocab_size"] = c.typeVocabSize;
        j["layer_norm_eps"] = c.layerNormEps;
        j["hidden_dropout_prob"] = 0.1;
        j["attention_probs_dropout_prob"] = 0.1;
        j["position_embedding_type"] = "absolute";
    }
    j["max_position_embeddings"] = c.maxPositionEmbeddings;
    j["vocab_size"] = c.vocabSize;
    j["pad_token_id"] = c.padTokenId;
    j["initializer_range"] = 0.02;
    j["tie_word_embeddings"] = c.tieWordEmbeddings;
    return j.dump(2) + "\n";
}

#undef GS_TRY

} // namespace gs
