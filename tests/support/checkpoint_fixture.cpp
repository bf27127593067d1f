#include "checkpoint_fixture.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <chrono>
#include <fstream>
#include <random>
#include <stdexcept>

namespace gs::testing {
namespace {

std::string defaultPrefix(Architecture a) {
    switch (a) {
    case Architecture::Bert: return "bert.";
    case Architecture::Roberta: return "roberta.";
    case Architecture::DistilBert: return "distilbert.";
    }
    return "";
}

class TensorBuilder {
public:
    TensorBuilder(std::uint64_t seed, float scale) : m_rng(seed), m_scale(scale) {}

    void normal(const std::string& name, std::vector<std::int64_t> shape) { add(name, std::move(shape), 0.0f, m_scale); }
    void near(const std::string& name, std::vector<std::int64_t> shape, float centre) { add(name, std::move(shape), centre, 0.1f); }

    std::vector<TensorToWrite> tensors;

private:
    void add(const std::string& name, std::vector<std::int64_t> shape, float mean, float stddev) {
        std::int64_t n = 1;
        for (auto d : shape) n *= d;
        std::normal_distribution<float> dist(mean, stddev);
        std::vector<float> v(static_cast<std::size_t>(n));
        for (auto& x : v) x = dist(m_rng);
        TensorToWrite t;
        t.name = name;
        t.dtype = DType::F32;
        t.shape = std::move(shape);
        t.data = encodeFloat32As(DType::F32, v);
        tensors.push_back(std::move(t));
    }
    std::mt19937_64 m_rng;
    float m_scale;
};

void writeText(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

} // namespace

std::vector<std::string> fixtureVocabulary() {
    std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "<s>", "<pad>", "</s>", "<unk>", "<mask>"};
    const char* lower = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
    const char* upper = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
    auto splitUtf8 = [](const std::string& s) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < s.size();) {
            std::size_t len = (static_cast<unsigned char>(s[i]) < 0x80) ? 1 : 2;
            out.push_back(s.substr(i, len));
            i += len;
        }
        return out;
    };
    for (const auto& c : splitUtf8(lower)) v.push_back(c);
    for (const auto& c : splitUtf8(upper)) v.push_back(c);
    for (char c = 'a'; c <= 'z'; ++c) v.push_back(std::string(1, c));
    for (char c = 'A'; c <= 'Z'; ++c) v.push_back(std::string(1, c));
    for (char c = '0'; c <= '9'; ++c) v.push_back(std::string(1, c));
    for (const char* p : {".", ",", "!", "?", "-", ":", ";", "\"", "'", "(", ")", "«", "»", "—"}) v.push_back(p);
    for (const char* w : {"мама", "мыла", "раму", "ёж", "спал", "дом", "кот", "она", "делала", "кашу", "Мама", "Она",
                          "мальчик", "девочка", "читает", "книгу", "видел", "видела", "the", "cat"})
        v.push_back(w);
    for (const auto& c : splitUtf8(lower)) v.push_back("##" + c);
    for (char c = 'a'; c <= 'z'; ++c) v.push_back("##" + std::string(1, c));
    for (char c = '0'; c <= '9'; ++c) v.push_back("##" + std::string(1, c));
    for (const char* p : {"##ла", "##ет", "##ете", "##ем", "##ешь", "##ами", "##ого"}) v.push_back(p);
    return v;
}

Status writeRandomCheckpoint(const std::filesystem::path& dir, const FixtureOptions& o, FixtureWeights* weights) {
    try {
        std::filesystem::create_directories(dir);
        const auto vocab = fixtureVocabulary();
        const std::int64_t V = static_cast<std::int64_t>(vocab.size());
        const std::int64_t H = o.hiddenSize, I = o.intermediateSize, P = o.maxPositionEmbeddings;
        const bool roberta = o.architecture == Architecture::Roberta;
        const bool distil = o.architecture == Architecture::DistilBert;
        const std::string pre = o.namePrefix == "<auto>" ? defaultPrefix(o.architecture) : o.namePrefix;
        const std::int64_t padId = roberta ? 6 : 0;  // "<pad>" / "[PAD]"

        // config.json in the Hugging Face spelling of each architecture.
        nlohmann::json cfg;
        if (distil) {
            cfg = {{"model_type", "distilbert"}, {"architectures", {"DistilBertForMaskedLM"}},
                   {"dim", H}, {"n_layers", o.numLayers}, {"n_heads", o.numHeads}, {"hidden_dim", I},
                   {"activation", o.hiddenAct}, {"max_position_embeddings", P}, {"vocab_size", V},
                   {"pad_token_id", padId}, {"sinusoidal_pos_embds", false}};
        } else {
            cfg = {{"model_type", roberta ? "roberta" : "bert"},
                   {"architectures", {roberta ? "RobertaForMaskedLM" : "BertForMaskedLM"}},
                   {"hidden_size", H}, {"num_hidden_layers", o.numLayers}, {"num_attention_heads", o.numHeads},
                   {"intermediate_size", I}, {"hidden_act", o.hiddenAct}, {"layer_norm_eps", o.layerNormEps},
                   {"max_position_embeddings", P}, {"type_vocab_size", o.typeVocabSize}, {"vocab_size", V},
                   {"pad_token_id", padId}, {"position_embedding_type", "absolute"}};
        }
        writeText(dir / "config.json", cfg.dump(2));

        std::ofstream vout(dir / "vocab.txt", std::ios::binary);
        for (const auto& piece : vocab) vout << piece << '\n';
        vout.close();
        nlohmann::json tcfg = {{"do_lower_case", o.lowercase}, {"model_max_length", P}};
        if (roberta)
            tcfg.update({{"unk_token", "<unk>"}, {"cls_token", "<s>"}, {"sep_token", "</s>"},
                         {"pad_token", "<pad>"}, {"mask_token", "<mask>"}});
        writeText(dir / "tokenizer_config.json", tcfg.dump(2));

        TensorBuilder b(o.seed, o.weightScale);
        const std::string e = pre + "embeddings.";
        b.normal(e + "word_embeddings.weight", {V, H});
        b.normal(e + "position_embeddings.weight", {P, H});
        if (!distil && o.typeVocabSize > 0) b.normal(e + "token_type_embeddings.weight", {o.typeVocabSize, H});
        b.near(e + "LayerNorm.weight", {H}, 1.0f);
        b.near(e + "LayerNorm.bias", {H}, 0.0f);
        for (std::int64_t l = 0; l < o.numLayers; ++l) {
            const std::string p = pre + (distil ? "transformer.layer." : "encoder.layer.") + std::to_string(l) + ".";
            auto linear = [&](const std::string& n, std::int64_t out, std::int64_t in) {
                b.normal(p + n + ".weight", {out, in});
                b.normal(p + n + ".bias", {out});
            };
            auto norm = [&](const std::string& n) {
                b.near(p + n + ".weight", {H}, 1.0f);
                b.near(p + n + ".bias", {H}, 0.0f);
            };
            if (distil) {
                linear("attention.q_lin", H, H);
                linear("attention.k_lin", H, H);
                linear("attention.v_lin", H, H);
                linear("attention.out_lin", H, H);
                norm("sa_layer_norm");
                linear("ffn.lin1", I, H);
                linear("ffn.lin2", H, I);
                norm("output_layer_norm");
            } else {
                linear("attention.self.query", H, H);
                linear("attention.self.key", H, H);
                linear("attention.self.value", H, H);
                linear("attention.output.dense", H, H);
                norm("attention.output.LayerNorm");
                linear("intermediate.dense", I, H);
                linear("output.dense", H, I);
                norm("output.LayerNorm");
            }
        }
        if (o.mlmHead) {
            if (distil) {
                b.normal("vocab_transform.weight", {H, H});
                b.normal("vocab_transform.bias", {H});
                b.near("vocab_layer_norm.weight", {H}, 1.0f);
                b.near("vocab_layer_norm.bias", {H}, 0.0f);
                b.normal("vocab_projector.bias", {V});
            } else if (roberta) {
                b.normal("lm_head.dense.weight", {H, H});
                b.normal("lm_head.dense.bias", {H});
                b.near("lm_head.layer_norm.weight", {H}, 1.0f);
                b.near("lm_head.layer_norm.bias", {H}, 0.0f);
                b.normal("lm_head.bias", {V});
            } else {
                b.normal("cls.predictions.transform.dense.weight", {H, H});
                b.normal("cls.predictions.transform.dense.bias", {H});
                b.near("cls.predictions.transform.LayerNorm.weight", {H}, 1.0f);
                b.near("cls.predictions.transform.LayerNorm.bias", {H}, 0.0f);
                b.normal("cls.predictions.bias", {V});
            }
        }
        // Store in the requested dtype.
        if (o.dtype != DType::F32) {
            for (auto& t : b.tensors) {
                std::vector<float> v(t.data.size() / sizeof(float));
                std::memcpy(v.data(), t.data.data(), t.data.size());
                t.data = encodeFloat32As(o.dtype, v);
                t.dtype = o.dtype;
            }
        }
        Status st = writeSafetensors(dir / "model.safetensors", b.tensors, {{"format", "pt"}});
        if (!st.isOk()) return st;

        if (weights) {
            WeightStore store;
            st = WeightStore::openFile(dir / "model.safetensors", store);
            if (!st.isOk()) return st;
            for (const auto& info : store.tensors()) {
                std::vector<float> v;
                st = store.readFloat32(info.name, v);
                if (!st.isOk()) return st;
                weights->values[info.name] = std::move(v);
                weights->shapes[info.name] = info.shape;
            }
        }
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("writing fixture checkpoint: ") + e.what());
    }
}

TempDir::TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    m_path = std::filesystem::temp_directory_path() /
             (tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(stamp) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

} // namespace gs::testing
