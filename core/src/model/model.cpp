#include "grammascope/model.h"

#include "model/bert_encoder.h"
#include "model/model_access.h"
#include "util/cpu_threads.h"

#include <algorithm>
#include <thread>

namespace gs {

struct Model::Impl {
    ModelInfo info;
    std::unique_ptr<Tokenizer> tokenizer;
    std::unique_ptr<detail::BertEncoder> encoder;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
};

Model::Model() : m_impl(std::make_unique<Impl>()) {}
Model::~Model() = default;

bool Model::cudaAvailable() {
    try {
        return torch::cuda::is_available();
    } catch (...) {
        return false;
    }
}

const ModelInfo& Model::info() const { return m_impl->info; }
const Tokenizer& Model::tokenizer() const { return *m_impl->tokenizer; }

Status Model::load(const std::filesystem::path& dir, const ModelOptions& options, std::shared_ptr<const Model>& out,
                   const ProgressCallback& progress) {
    try {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec))
            return Status::failed("opening model: '" + dir.string() + "' is not a folder");

        std::shared_ptr<Model> model(new Model());
        Impl& d = *model->m_impl;
        d.info.directory = dir;

        Status st = loadModelConfig(dir, d.info.config);
        if (!st.isOk()) return st.withStage("reading config.json");
        const ModelConfig& config = d.info.config;
        d.info.warnings = config.warnings;

        st = loadTokenizer(dir, &config, d.tokenizer);
        if (!st.isOk()) return st.withStage("loading tokenizer");
        d.info.tokenizerDescription = d.tokenizer->describe();
        if (d.tokenizer->vocabSize() > config.vocabSize) {
            return Status::failed("loading tokenizer: the tokenizer has " + std::to_string(d.tokenizer->vocabSize()) +
                                  " pieces but config.json says vocab_size " + std::to_string(config.vocabSize));
        }

        WeightStore store;
        st = WeightStore::openDirectory(dir, store);
        if (!st.isOk()) return st.withStage("opening weights");
        d.info.weightsFormat = store.formatDescription();

        detail::EncoderWeights weights;
        std::vector<std::string> unused;
        st = detail::loadEncoderWeights(store, config, options.loadMlmHead, weights, unused, progress);
        if (st.isCancelled()) return st;
        if (!st.isOk()) return st.withStage("loading weights (" + store.formatDescription() + ")");

        // Tensors every checkpoint of the family may carry that the encoder does not need.
        static const char* ignorable[] = {"position_ids", "pooler.", "cls.seq_relationship", "lm_head.decoder.bias",
                                          "cls.predictions.decoder.bias"};
        std::vector<std::string> notable;
        for (const auto& name : unused) {
            bool skip = std::any_of(std::begin(ignorable), std::end(ignorable),
                                    [&](const char* p) { return name.find(p) != std::string::npos; });
            if (!options.loadMlmHead) skip = true;
            if (!skip) notable.push_back(name);
        }
        if (!notable.empty()) {
            std::string list;
            for (std::size_t i = 0; i < notable.size() && i < 5; ++i) list += (i ? ", " : "") + notable[i];
            if (notable.size() > 5) list += ", …";
            d.info.warnings.push_back(std::to_string(notable.size()) + " stored tensor(s) not used by the encoder: " + list);
        }

        // Device and precision.
        const bool cuda = cudaAvailable();
        if (options.device == DevicePreference::Cuda && !cuda)
            return Status::failed("CUDA was requested but this LibTorch build has no usable CUDA device");
        d.device = (options.device != DevicePreference::Cpu && cuda) ? torch::Device(torch::kCUDA, 0)
                                                                      : torch::Device(torch::kCPU);
        d.dtype = options.precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
        d.info.device = d.device.is_cuda() ? "cuda:0" : "cpu";
        d.info.precision = options.precision;
        int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
        threads = std::max(1, threads);
        detail::setCpuThreads(threads, d.device.is_cpu() && d.dtype == torch::kFloat32);
        d.info.threads = threads;

        detail::moveEncoderWeights(weights, d.device, d.dtype);
        d.info.hasMlmHead = weights.hasMlmHead;
        std::int64_t params = 0;
        for (const auto& info : store.tensors()) {
            if (std::find(unused.begin(), unused.end(), info.name) == unused.end()) params += info.numel();
        }
        d.info.parameterCount = params;
        d.encoder = std::make_unique<detail::BertEncoder>(config, std::move(weights));
        out = std::move(model);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("opening model '") + dir.string() + "': " + e.what());
    }
}

Status Model::encode(std::string_view text, const EncodeRequest& request, EncodeResult& out,
                     const ProgressCallback& progress) const {
    Encoding encoding;
    Status st = m_impl->tokenizer->encode(text, m_impl->info.config.maxSequenceLength(), encoding);
    if (!st.isOk()) return st.withStage("tokenizing");
    return encodeEncoding(encoding, request, out, progress);
}

Status Model::encodeEncoding(const Encoding& encoding, const EncodeRequest& request, EncodeResult& out,
                             const ProgressCallback& progress) const {
    try {
        const Impl& d = *m_impl;
        const ModelConfig& c = d.info.config;
        const auto T = static_cast<std::int64_t>(encoding.tokens.size());
        if (T == 0) return Status::failed("encoding: no tokens");
        if (T > c.maxSequenceLength()) {
            return Status::failed("encoding: " + std::to_string(T) + " tokens exceed the model maximum of " +
                                  std::to_string(c.maxSequenceLength()));
        }
        if (request.mlmLogits && !d.encoder->weights().hasMlmHead)
            return Status::failed("encoding: MLM logits requested but the checkpoint has no MLM head");

        std::vector<std::int64_t> ids = encoding.ids();
        for (auto id : ids) {
            if (id < 0 || id >= c.vocabSize)
                return Status::failed("encoding: token id " + std::to_string(id) + " outside the vocabulary");
        }

        c10::InferenceMode guard;
        detail::ModelCpuThreads cpuThreads(*this);
        auto idTensor = torch::from_blob(ids.data(), {1, T}, torch::kLong).clone().to(d.device);
        auto mask = torch::ones({1, T}, torch::TensorOptions().dtype(torch::kLong).device(d.device));
        detail::ForwardCapture capture{request.hiddenStates, request.attentions, request.mlmLogits};
        auto fwd = d.encoder->forward(idTensor, mask, torch::Tensor(), capture, progress);
        if (fwd.cancelled) return Status::cancelled();

        EncodeResult r;
        r.encoding = encoding;
        r.numTokens = T;
        r.numLayers = c.numLayers;
        r.hiddenSize = c.hiddenSize;
        r.numHeads = c.numHeads;
        r.vocabSize = c.vocabSize;
        auto toHost = [](const torch::Tensor& t, std::vector<float>& dst, std::size_t offset) {
            auto h = t.to(torch::kCPU, torch::kFloat32).contiguous();
            std::copy_n(h.data_ptr<float>(), h.numel(), dst.begin() + static_cast<std::ptrdiff_t>(offset));
        };
        if (request.hiddenStates) {
            const std::size_t per = static_cast<std::size_t>(T * c.hiddenSize);
            r.hidden.resize(per * fwd.hidden.size());
            for (std::size_t l = 0; l < fwd.hidden.size(); ++l) toHost(fwd.hidden[l], r.hidden, l * per);
        }
        if (request.attentions) {
            const std::size_t per = static_cast<std::size_t>(c.numHeads * T * T);
            r.attentions.resize(per * fwd.attentions.size());
            for (std::size_t l = 0; l < fwd.attentions.size(); ++l) toHost(fwd.attentions[l], r.attentions, l * per);
        }
        if (request.mlmLogits) {
            r.logits.resize(static_cast<std::size_t>(T * c.vocabSize));
            toHost(fwd.logits, r.logits, 0);
        }
        out = std::move(r);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(std::string("encoding: ") + e.what());
    }
}

namespace detail {

const BertEncoder& ModelAccess::encoder(const Model& model) { return *model.m_impl->encoder; }
torch::Device ModelAccess::device(const Model& model) { return model.m_impl->device; }

} // namespace detail

} // namespace gs
