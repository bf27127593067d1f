#include "grammascope/model_config.h"

#include "checkpoint_fixture.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace gs {
namespace {

using nlohmann::json;

// Configs as published with well-known checkpoints (bert-base-uncased,
// roberta-base, xlm-roberta-base, camembert-base, distilbert-base-uncased,
// cointegrated/rubert-tiny2).
const json kBertBase = json::parse(R"({
  "architectures": ["BertForMaskedLM"], "attention_probs_dropout_prob": 0.1, "gradient_checkpointing": false,
  "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02,
  "intermediate_size": 3072, "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert",
  "num_attention_heads": 12, "num_hidden_layers": 12, "pad_token_id": 0, "position_embedding_type": "absolute",
  "transformers_version": "4.6.0.dev0", "type_vocab_size": 2, "use_cache": true, "vocab_size": 30522})");

const json kRobertaBase = json::parse(R"({
  "architectures": ["RobertaForMaskedLM"], "attention_probs_dropout_prob": 0.1, "bos_token_id": 0,
  "eos_token_id": 2, "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768,
  "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-05, "max_position_embeddings": 514,
  "model_type": "roberta", "num_attention_heads": 12, "num_hidden_layers": 12, "pad_token_id": 1,
  "type_vocab_size": 1, "vocab_size": 50265})");

const json kXlmRobertaBase = json::parse(R"({
  "architectures": ["XLMRobertaForMaskedLM"], "attention_probs_dropout_prob": 0.1, "bos_token_id": 0,
  "eos_token_id": 2, "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768,
  "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-05, "max_position_embeddings": 514,
  "model_type": "xlm-roberta", "num_attention_heads": 12, "num_hidden_layers": 12, "output_past": true,
  "pad_token_id": 1, "type_vocab_size": 1, "vocab_size": 250002})");

const json kCamembertBase = json::parse(R"({
  "architectures": ["CamembertForMaskedLM"], "attention_probs_dropout_prob": 0.1, "bos_token_id": 5,
  "eos_token_id": 6, "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768,
  "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-05, "max_position_embeddings": 514,
  "model_type": "camembert", "num_attention_heads": 12, "num_hidden_layers": 12, "output_past": true,
  "pad_token_id": 1, "type_vocab_size": 1, "vocab_size": 32005})");

const json kDistilBert = json::parse(R"({
  "activation": "gelu", "architectures": ["DistilBertForMaskedLM"], "attention_dropout": 0.1, "dim": 768,
  "dropout": 0.1, "hidden_dim": 3072, "initializer_range": 0.02, "max_position_embeddings": 512,
  "model_type": "distilbert", "n_heads": 12, "n_layers": 6, "pad_token_id": 0, "qa_dropout": 0.1,
  "seq_classif_dropout": 0.2, "sinusoidal_pos_embds": false, "tie_weights_": true,
  "transformers_version": "4.10.0.dev0", "vocab_size": 30522})");

const json kRubertTiny2 = json::parse(R"({
  "_name_or_path": "cointegrated/rubert-tiny2", "architectures": ["BertForPreTraining"],
  "attention_probs_dropout_prob": 0.1, "classifier_dropout": null, "emb_size": 312, "gradient_checkpointing": false,
  "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 312, "initializer_range": 0.02,
  "intermediate_size": 600, "layer_norm_eps": 1e-12, "max_position_embeddings": 2048, "model_type": "bert",
  "num_attention_heads": 12, "num_hidden_layers": 3, "pad_token_id": 0, "position_embedding_type": "absolute",
  "torch_dtype": "float32", "transformers_version": "4.24.0", "type_vocab_size": 2, "use_cache": true,
  "vocab_size": 83828})");

Status parse(const json& j, ModelConfig& c) { return parseModelConfig(j.dump(), "config.json", c); }

ModelConfig parseOk(const json& j) {
    ModelConfig c;
    Status st = parse(j, c);
    EXPECT_TRUE(st.isOk()) << st.message();
    return c;
}

std::string parseError(const json& j) {
    ModelConfig c;
    Status st = parse(j, c);
    EXPECT_TRUE(st.isFailed()) << "accepted: " << j.dump();
    return st.message();
}

TEST(ModelConfig, BertBase) {
    const ModelConfig c = parseOk(kBertBase);
    EXPECT_EQ(c.architecture, Architecture::Bert);
    EXPECT_EQ(c.modelType, "bert");
    EXPECT_EQ(c.hiddenSize, 768);
    EXPECT_EQ(c.numLayers, 12);
    EXPECT_EQ(c.numHeads, 12);
    EXPECT_EQ(c.headDim(), 64);
    EXPECT_EQ(c.intermediateSize, 3072);
    EXPECT_EQ(c.maxPositionEmbeddings, 512);
    EXPECT_EQ(c.typeVocabSize, 2);
    EXPECT_EQ(c.vocabSize, 30522);
    EXPECT_EQ(c.padTokenId, 0);
    EXPECT_DOUBLE_EQ(c.layerNormEps, 1e-12);
    EXPECT_EQ(c.hiddenAct, Activation::Gelu);
    EXPECT_TRUE(c.tieWordEmbeddings);
    EXPECT_EQ(c.positionOffset(), 0);
    EXPECT_EQ(c.maxSequenceLength(), 512);
    EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
}

TEST(ModelConfig, RobertaFamilyOffsetsPositions) {
    for (const json* j : {&kRobertaBase, &kXlmRobertaBase, &kCamembertBase}) {
        const ModelConfig c = parseOk(*j);
        SCOPED_TRACE(c.modelType);
        EXPECT_EQ(c.architecture, Architecture::Roberta);
        EXPECT_EQ(c.modelType, (*j)["model_type"].get<std::string>());
        EXPECT_EQ(c.padTokenId, 1);
        EXPECT_EQ(c.typeVocabSize, 1);
        EXPECT_DOUBLE_EQ(c.layerNormEps, 1e-5);
        EXPECT_EQ(c.positionOffset(), 2);
        EXPECT_EQ(c.maxSequenceLength(), 512);
        EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
    }
    EXPECT_EQ(parseOk(kXlmRobertaBase).vocabSize, 250002);
}

TEST(ModelConfig, RobertaPadDefaultsToOne) {
    json j = kRobertaBase;
    j.erase("pad_token_id");
    EXPECT_EQ(parseOk(j).padTokenId, 1);
    j = kBertBase;
    j.erase("pad_token_id");
    EXPECT_EQ(parseOk(j).padTokenId, 0);
}

TEST(ModelConfig, DistilBertKeys) {
    const ModelConfig c = parseOk(kDistilBert);
    EXPECT_EQ(c.architecture, Architecture::DistilBert);
    EXPECT_EQ(c.hiddenSize, 768);
    EXPECT_EQ(c.numLayers, 6);
    EXPECT_EQ(c.numHeads, 12);
    EXPECT_EQ(c.intermediateSize, 3072);
    EXPECT_EQ(c.typeVocabSize, 0);
    EXPECT_DOUBLE_EQ(c.layerNormEps, 1e-12);
    EXPECT_EQ(c.positionOffset(), 0);
    EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();

    json relu = kDistilBert;
    relu["activation"] = "relu";
    EXPECT_EQ(parseOk(relu).hiddenAct, Activation::Relu);
    // BERT's key names mean nothing to DistilBERT.
    json mixed = kDistilBert;
    mixed["hidden_size"] = 768;
    const ModelConfig m = parseOk(mixed);
    ASSERT_EQ(m.warnings.size(), 1u);
    EXPECT_EQ(m.warnings[0], "config.json: unknown key 'hidden_size' ignored");
}

TEST(ModelConfig, UnknownKeysWarnOnce) {
    const ModelConfig c = parseOk(kRubertTiny2);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_EQ(c.warnings[0], "config.json: unknown key 'emb_size' ignored");

    json j = kBertBase;
    j["foo"] = 1;
    j["id2label"] = {{"0", "LABEL_0"}};
    j["label2id"] = {{"LABEL_0", 0}};
    j["torch_dtype"] = "float16";
    j["directionality"] = "bidi";
    j["pooler_type"] = "first_token_transform";
    const ModelConfig w = parseOk(j);
    ASSERT_EQ(w.warnings.size(), 1u);
    EXPECT_EQ(w.warnings[0], "config.json: unknown key 'foo' ignored");
}

TEST(ModelConfig, InfersModelTypeFromArchitectures) {
    const std::pair<const char*, const char*> cases[] = {
        {"BertForMaskedLM", "bert"},          {"BertModel", "bert"},
        {"BertForPreTraining", "bert"},       {"RobertaForMaskedLM", "roberta"},
        {"XLMRobertaForMaskedLM", "xlm-roberta"}, {"CamembertForMaskedLM", "camembert"},
        {"DistilBertForMaskedLM", "distilbert"},  {"DistilBertModel", "distilbert"}};
    for (const auto& [cls, type] : cases) {
        SCOPED_TRACE(cls);
        json j = std::string(type) == "distilbert" ? kDistilBert : kBertBase;
        j.erase("model_type");
        j["architectures"] = {cls};
        EXPECT_EQ(parseOk(j).modelType, type);
    }
    json other = kBertBase;
    other.erase("model_type");
    other["architectures"] = {"XLMRobertaXLForMaskedLM"};
    EXPECT_NE(parseError(other).find("XLMRobertaXLForMaskedLM"), std::string::npos);
    other.erase("architectures");
    const std::string e = parseError(other);
    EXPECT_NE(e.find("model_type"), std::string::npos) << e;
    EXPECT_NE(e.find("config.json"), std::string::npos) << e;
}

TEST(ModelConfig, UnknownModelTypeIsNamed) {
    json j = kBertBase;
    j["model_type"] = "gpt2";
    const std::string e = parseError(j);
    EXPECT_NE(e.find("'gpt2'"), std::string::npos) << e;
    EXPECT_NE(e.find("config.json"), std::string::npos) << e;
}

TEST(ModelConfig, MissingRequiredFieldsAreNamed) {
    for (const char* key : {"hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                            "vocab_size", "max_position_embeddings"}) {
        json j = kBertBase;
        j.erase(key);
        const std::string e = parseError(j);
        EXPECT_NE(e.find(std::string("'") + key + "'"), std::string::npos) << e;
        EXPECT_NE(e.find("config.json"), std::string::npos) << e;
    }
    for (const char* key : {"dim", "n_layers", "n_heads", "hidden_dim", "vocab_size"}) {
        json j = kDistilBert;
        j.erase(key);
        const std::string e = parseError(j);
        EXPECT_NE(e.find(std::string("'") + key + "'"), std::string::npos) << e;
    }
}

TEST(ModelConfig, BadJsonGivesLineAndColumn) {
    ModelConfig c;
    Status st = parseModelConfig("{\n  \"model_type\": \"bert\",\n  \"hidden_size\": ]\n}\n", "/m/config.json", c);
    ASSERT_TRUE(st.isFailed());
    EXPECT_EQ(st.message().rfind("/m/config.json:3:18: ", 0), 0u) << st.message();

    st = parseModelConfig("{\"model_type\": \"bert\",", "config.json", c);
    ASSERT_TRUE(st.isFailed());
    EXPECT_EQ(st.message().rfind("config.json:1:", 0), 0u) << st.message();

    st = parseModelConfig("[1, 2]", "config.json", c);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find("object"), std::string::npos) << st.message();
}

TEST(ModelConfig, ValueChecks) {
    json j = kBertBase;
    j["hidden_size"] = 770;
    std::string e = parseError(j);
    EXPECT_NE(e.find("divisible"), std::string::npos) << e;

    for (const char* key : {"hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                            "vocab_size", "max_position_embeddings"}) {
        for (int bad : {0, -4}) {
            j = kBertBase;
            j[key] = bad;
            e = parseError(j);
            EXPECT_NE(e.find(key), std::string::npos) << e;
        }
    }
    j = kBertBase;
    j["hidden_size"] = "768";
    e = parseError(j);
    EXPECT_NE(e.find("'hidden_size' must be an integer"), std::string::npos) << e;

    j = kBertBase;
    j["hidden_size"] = 768.5;
    EXPECT_NE(parseError(j).find("hidden_size"), std::string::npos);

    j = kBertBase;
    j["pad_token_id"] = 30522;
    EXPECT_NE(parseError(j).find("pad_token_id"), std::string::npos);

    j = kBertBase;
    j["layer_norm_eps"] = 0;
    EXPECT_NE(parseError(j).find("layer_norm_eps"), std::string::npos);

    j = kRobertaBase;
    j["max_position_embeddings"] = 2;  // nothing left after the offset of pad + 1
    EXPECT_NE(parseError(j).find("max_position_embeddings"), std::string::npos);
}

TEST(ModelConfig, Activations) {
    const std::pair<const char*, Activation> ok[] = {{"gelu", Activation::Gelu},
                                                     {"gelu_new", Activation::GeluTanh},
                                                     {"gelu_pytorch_tanh", Activation::GeluTanh},
                                                     {"gelu_fast", Activation::GeluTanh},
                                                     {"relu", Activation::Relu}};
    for (const auto& [name, act] : ok) {
        json j = kBertBase;
        j["hidden_act"] = name;
        EXPECT_EQ(parseOk(j).hiddenAct, act) << name;
    }
    for (const char* bad : {"swish", "silu", "tanh", "quick_gelu"}) {
        json j = kBertBase;
        j["hidden_act"] = bad;
        const std::string e = parseError(j);
        EXPECT_NE(e.find(std::string("'") + bad + "'"), std::string::npos) << e;
    }
}

TEST(ModelConfig, UnsupportedFeaturesAreErrors) {
    json j = kBertBase;
    j["position_embedding_type"] = "relative_key_query";
    std::string e = parseError(j);
    EXPECT_NE(e.find("position_embedding_type"), std::string::npos) << e;
    EXPECT_NE(e.find("relative_key_query"), std::string::npos) << e;

    j = kBertBase;
    j["is_decoder"] = true;
    EXPECT_NE(parseError(j).find("is_decoder"), std::string::npos);
    j["is_decoder"] = false;
    EXPECT_TRUE(parseOk(j).warnings.empty());

    j = kBertBase;
    j["add_cross_attention"] = true;
    EXPECT_NE(parseError(j).find("add_cross_attention"), std::string::npos);

    j = kBertBase;
    j["pruned_heads"] = {{"0", {1, 2}}};
    EXPECT_NE(parseError(j).find("pruned_heads"), std::string::npos);
    j["pruned_heads"] = json::object();
    parseOk(j);
}

TEST(ModelConfig, TieWordEmbeddings) {
    json j = kBertBase;
    EXPECT_TRUE(parseOk(j).tieWordEmbeddings);
    j["tie_word_embeddings"] = false;
    EXPECT_FALSE(parseOk(j).tieWordEmbeddings);
    j["tie_word_embeddings"] = "no";
    EXPECT_NE(parseError(j).find("tie_word_embeddings"), std::string::npos);
}

void expectSameConfig(const ModelConfig& a, const ModelConfig& b) {
    EXPECT_EQ(a.architecture, b.architecture);
    EXPECT_EQ(a.modelType, b.modelType);
    EXPECT_EQ(a.hiddenSize, b.hiddenSize);
    EXPECT_EQ(a.numLayers, b.numLayers);
    EXPECT_EQ(a.numHeads, b.numHeads);
    EXPECT_EQ(a.intermediateSize, b.intermediateSize);
    EXPECT_EQ(a.maxPositionEmbeddings, b.maxPositionEmbeddings);
    EXPECT_EQ(a.typeVocabSize, b.typeVocabSize);
    EXPECT_EQ(a.vocabSize, b.vocabSize);
    EXPECT_EQ(a.padTokenId, b.padTokenId);
    EXPECT_EQ(a.layerNormEps, b.layerNormEps);
    EXPECT_EQ(a.hiddenAct, b.hiddenAct);
    EXPECT_EQ(a.tieWordEmbeddings, b.tieWordEmbeddings);
}

TEST(ModelConfig, RoundTripThroughJson) {
    json tanh = kBertBase;
    tanh["hidden_act"] = "gelu_new";
    tanh["tie_word_embeddings"] = false;
    tanh["layer_norm_eps"] = 1e-7;
    json relu = kDistilBert;
    relu["activation"] = "relu";
    const std::vector<const json*> configs = {&kBertBase,   &kRobertaBase, &kXlmRobertaBase, &kCamembertBase,
                                              &kDistilBert, &kRubertTiny2, &tanh,             &relu};
    for (const json* j : configs) {
        const ModelConfig a = parseOk(*j);
        SCOPED_TRACE(a.modelType);
        const std::string text = modelConfigToJson(a);
        ModelConfig b;
        Status st = parseModelConfig(text, "written.json", b);
        ASSERT_TRUE(st.isOk()) << st.message() << "\n" << text;
        expectSameConfig(a, b);
        EXPECT_TRUE(b.warnings.empty()) << b.warnings.front();
    }
}

TEST(ModelConfig, LoadFromFolder) {
    testing::TempDir dir;
    ModelConfig c;
    Status st = loadModelConfig(dir.path(), c);
    ASSERT_TRUE(st.isFailed());
    EXPECT_NE(st.message().find((dir.path() / "config.json").string()), std::string::npos) << st.message();

    std::ofstream(dir.path() / "config.json") << kRobertaBase.dump(2);
    st = loadModelConfig(dir.path(), c);
    ASSERT_TRUE(st.isOk()) << st.message();
    EXPECT_EQ(c.architecture, Architecture::Roberta);

    json bad = kRobertaBase;
    bad["wat"] = 1;
    std::ofstream(dir.path() / "config.json") << bad.dump(2);
    ASSERT_TRUE(loadModelConfig(dir.path(), c).isOk());
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_EQ(c.warnings[0], (dir.path() / "config.json").string() + ": unknown key 'wat' ignored");
}

TEST(ModelConfig, Names) {
    EXPECT_STREQ(architectureName(Architecture::Bert), "BERT");
    EXPECT_STREQ(architectureName(Architecture::Roberta), "RoBERTa");
    EXPECT_STREQ(architectureName(Architecture::DistilBert), "DistilBERT");
    EXPECT_STREQ(activationName(Activation::Gelu), "gelu");
    EXPECT_STREQ(activationName(Activation::GeluTanh), "gelu_new");
    EXPECT_STREQ(activationName(Activation::Relu), "relu");
}

} // namespace
} // namespace gs
