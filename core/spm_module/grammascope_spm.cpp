// The grammascope_spm module: sentencepiece behind the C interface of
// tokenize/spm_api.h. Built with hidden visibility; only the gs_spm_* functions
// are exported, so nothing of sentencepiece or its protobuf leaks into the
// process that dlopen()s it.

#include "tokenize/spm_api.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#define GS_SPM_EXPORT extern "C" __attribute__((visibility("default")))

// Exported by libsentencepiece but not declared in its installed headers.
namespace sentencepiece::logging {
void SetMinLogLevel(int v);
}

struct GsSpmModel {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

// sentencepiece logs to std::cerr. Under RTLD_DEEPBIND its references to
// std::cerr bind to libstdc++'s own object, which is never constructed when
// the executable holds a copy-relocated std::cerr (the usual case): writing to
// it crashes. So the module keeps sentencepiece silent below FATAL (errors
// still come back as status messages), set when the module is opened.
constexpr int kLogFatalOnly = 3;
const bool kQuiet = [] {
    sentencepiece::logging::SetMinLogLevel(kLogFatalOnly);
    return true;
}();

// Drops a --minloglevel argument: the trainer would apply it and log again.
std::string withoutLogLevel(const char* args) {
    std::string out;
    std::string_view rest(args);
    while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        const std::string_view arg = rest.substr(0, space);
        if (!arg.empty() && arg.rfind("--minloglevel", 0) != 0) {
            if (!out.empty()) out += ' ';
            out.append(arg);
        }
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
    }
    return out;
}

void writeError(char* buffer, std::size_t capacity, const std::string& message) {
    if (!buffer || capacity == 0) return;
    const std::size_t n = std::min(capacity - 1, message.size());
    std::memcpy(buffer, message.data(), n);
    buffer[n] = '\0';
}

bool validId(const GsSpmModel* model, int32_t id) {
    return model && id >= 0 && id < model->processor.GetPieceSize();
}

std::mutex& trainMutex() {
    static std::mutex m;
    return m;
}

} // namespace

GS_SPM_EXPORT int32_t gs_spm_abi_version(void) { return GS_SPM_ABI_VERSION; }

GS_SPM_EXPORT GsSpmModel* gs_spm_load(const char* path, char* error, size_t errorCapacity) {
    try {
        auto model = std::make_unique<GsSpmModel>();
        const auto status = model->processor.Load(path);
        if (!status.ok()) {
            writeError(error, errorCapacity, status.ToString());
            return nullptr;
        }
        return model.release();
    } catch (const std::exception& e) {
        writeError(error, errorCapacity, e.what());
    } catch (...) {
        writeError(error, errorCapacity, "unknown exception in sentencepiece");
    }
    return nullptr;
}

GS_SPM_EXPORT void gs_spm_free(GsSpmModel* model) { delete model; }

GS_SPM_EXPORT int32_t gs_spm_encode(const GsSpmModel* model, const char* text, size_t length, GsSpmPieceSink sink,
                                    void* user, char* error, size_t errorCapacity) {
    if (!model || !sink) {
        writeError(error, errorCapacity, "no model or no sink");
        return 1;
    }
    try {
        const auto encoded = model->processor.EncodeAsImmutableProto(absl::string_view(text, length));
        const size_t n = encoded.pieces_size();
        for (size_t i = 0; i < n; ++i) {
            const auto piece = encoded.pieces(static_cast<int>(i));
            sink(user, static_cast<int32_t>(piece.id()), piece.piece().data(), piece.piece().size(), piece.begin(),
                 piece.end());
        }
        return 0;
    } catch (const std::exception& e) {
        writeError(error, errorCapacity, e.what());
    } catch (...) {
        writeError(error, errorCapacity, "unknown exception in sentencepiece");
    }
    return 1;
}

GS_SPM_EXPORT int32_t gs_spm_piece_size(const GsSpmModel* model) {
    return model ? model->processor.GetPieceSize() : 0;
}

GS_SPM_EXPORT int32_t gs_spm_id_to_piece(const GsSpmModel* model, int32_t id, char* buffer, size_t capacity) {
    if (!validId(model, id)) return -1;
    const std::string& piece = model->processor.IdToPiece(id);
    writeError(buffer, capacity, piece);
    return static_cast<int32_t>(piece.size());
}

GS_SPM_EXPORT int32_t gs_spm_piece_to_id(const GsSpmModel* model, const char* piece, size_t length) {
    if (!model) return -1;
    return model->processor.PieceToId(absl::string_view(piece, length));
}

GS_SPM_EXPORT int32_t gs_spm_piece_type(const GsSpmModel* model, int32_t id) {
    if (!validId(model, id)) return 0;
    const auto& p = model->processor;
    if (p.IsUnknown(id)) return GS_SPM_PIECE_UNKNOWN;
    if (p.IsControl(id)) return GS_SPM_PIECE_CONTROL;
    if (p.IsUnused(id)) return GS_SPM_PIECE_UNUSED;
    if (p.IsByte(id)) return GS_SPM_PIECE_BYTE;
    return GS_SPM_PIECE_NORMAL;
}

GS_SPM_EXPORT float gs_spm_score(const GsSpmModel* model, int32_t id) {
    return validId(model, id) ? model->processor.GetScore(id) : 0.0f;
}

GS_SPM_EXPORT int32_t gs_spm_unk_id(const GsSpmModel* model) { return model ? model->processor.unk_id() : -1; }
GS_SPM_EXPORT int32_t gs_spm_bos_id(const GsSpmModel* model) { return model ? model->processor.bos_id() : -1; }
GS_SPM_EXPORT int32_t gs_spm_eos_id(const GsSpmModel* model) { return model ? model->processor.eos_id() : -1; }
GS_SPM_EXPORT int32_t gs_spm_pad_id(const GsSpmModel* model) { return model ? model->processor.pad_id() : -1; }

GS_SPM_EXPORT int32_t gs_spm_train(const char* args, char* error, size_t errorCapacity) {
    if (!args) {
        writeError(error, errorCapacity, "no trainer arguments");
        return 1;
    }
    // The trainer keeps process-wide state (flags, log level): one run at a time.
    std::lock_guard<std::mutex> lock(trainMutex());
    try {
        (void)kQuiet;
        sentencepiece::logging::SetMinLogLevel(kLogFatalOnly);
        const auto status = sentencepiece::SentencePieceTrainer::Train(withoutLogLevel(args));
        if (!status.ok()) {
            writeError(error, errorCapacity, status.ToString());
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        writeError(error, errorCapacity, e.what());
    } catch (...) {
        writeError(error, errorCapacity, "unknown exception in the sentencepiece trainer");
    }
    return 1;
}
