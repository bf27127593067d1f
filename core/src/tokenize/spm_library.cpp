#include "tokenize/spm_library.h"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <mutex>
#include <system_error>

namespace gs {

namespace {
constexpr const char* kModuleFileName = "libgrammascope_spm.so";
constexpr std::size_t kErrorCapacity = 2048;
} // namespace

struct SpmLibraryLoader {
    static std::vector<std::string> candidates() {
        std::vector<std::string> paths;
        if (const char* env = std::getenv("GRAMMASCOPE_SPM_MODULE"); env && *env) paths.emplace_back(env);
        std::error_code ec;
        const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec) {
            const auto lib = exe.parent_path().parent_path() / "lib";
            paths.push_back((lib / kModuleFileName).string());
            paths.push_back((lib / "grammascope" / kModuleFileName).string());
        }
#ifdef GRAMMASCOPE_SPM_INSTALL_DIR
        paths.push_back((std::filesystem::path(GRAMMASCOPE_SPM_INSTALL_DIR) / kModuleFileName).string());
#endif
#ifdef GRAMMASCOPE_SPM_BUILD_PATH
        paths.emplace_back(GRAMMASCOPE_SPM_BUILD_PATH);
#endif
        return paths;
    }

    template <typename Fn>
    static bool resolve(void* handle, const char* name, Fn& fn, std::string& why) {
        fn = reinterpret_cast<Fn>(dlsym(handle, name));
        if (!fn) why = std::string("missing symbol ") + name;
        return fn != nullptr;
    }

    // Opens `path` and resolves every function; on failure says why and closes it.
    static bool tryOpen(const std::string& path, SpmLibrary& lib, std::string& why) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            why = "no such file";
            return false;
        }
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
        if (!handle) {
            const char* error = dlerror();
            why = error ? error : "dlopen failed";
            return false;
        }
        GsSpmAbiVersionFn version = nullptr;
        bool ok = resolve(handle, "gs_spm_abi_version", version, why);
        if (ok && version() != GS_SPM_ABI_VERSION) {
            why = "interface version " + std::to_string(version()) + ", expected " + std::to_string(GS_SPM_ABI_VERSION);
            ok = false;
        }
        ok = ok && resolve(handle, "gs_spm_load", lib.load, why) && resolve(handle, "gs_spm_free", lib.free, why) &&
             resolve(handle, "gs_spm_encode", lib.encode, why) &&
             resolve(handle, "gs_spm_piece_size", lib.pieceSize, why) &&
             resolve(handle, "gs_spm_id_to_piece", lib.idToPiece, why) &&
             resolve(handle, "gs_spm_piece_to_id", lib.pieceToId, why) &&
             resolve(handle, "gs_spm_piece_type", lib.pieceType, why) &&
             resolve(handle, "gs_spm_score", lib.score, why) && resolve(handle, "gs_spm_unk_id", lib.unkId, why) &&
             resolve(handle, "gs_spm_bos_id", lib.bosId, why) && resolve(handle, "gs_spm_eos_id", lib.eosId, why) &&
             resolve(handle, "gs_spm_pad_id", lib.padId, why) && resolve(handle, "gs_spm_train", lib.train, why);
        if (!ok) {
            dlclose(handle);
            lib = SpmLibrary{};
            return false;
        }
        // The handle stays open for the life of the process: models hold function pointers into it.
        lib.m_path = path;
        return true;
    }
};

std::vector<std::string> SpmLibrary::candidatePaths() { return SpmLibraryLoader::candidates(); }

Status SpmLibrary::get(const SpmLibrary*& out) {
    static std::once_flag once;
    static SpmLibrary library;
    static Status outcome;
    std::call_once(once, [] {
        std::string tried;
        for (const auto& path : SpmLibraryLoader::candidates()) {
            std::string why;
            if (SpmLibraryLoader::tryOpen(path, library, why)) {
                outcome = Status::ok();
                return;
            }
            tried += "\n  " + path + ": " + why;
        }
        outcome = Status::failed("cannot load the sentencepiece module " + std::string(kModuleFileName) +
                                 " (set GRAMMASCOPE_SPM_MODULE to its path); tried:" + tried);
    });
    out = outcome.isOk() ? &library : nullptr;
    return outcome;
}

Status SpmModel::open(const std::filesystem::path& file, std::unique_ptr<SpmModel>& out) {
    const SpmLibrary* lib = nullptr;
    if (auto st = SpmLibrary::get(lib); !st.isOk()) return st;
    std::array<char, kErrorCapacity> error{};
    GsSpmModel* handle = lib->load(file.c_str(), error.data(), error.size());
    if (!handle) return Status::failed(file.string() + ": " + error.data());
    std::unique_ptr<SpmModel> model(new SpmModel());
    model->m_lib = lib;
    model->m_model = handle;
    const std::int32_t n = lib->pieceSize(handle);
    model->m_pieces.reserve(static_cast<std::size_t>(n));
    std::string buffer(256, '\0');
    for (std::int32_t id = 0; id < n; ++id) {
        std::int32_t length = lib->idToPiece(handle, id, buffer.data(), buffer.size());
        if (length >= 0 && static_cast<std::size_t>(length) >= buffer.size()) {
            buffer.resize(static_cast<std::size_t>(length) + 1);
            length = lib->idToPiece(handle, id, buffer.data(), buffer.size());
        }
        model->m_pieces.emplace_back(buffer.data(), static_cast<std::size_t>(std::max(length, 0)));
    }
    model->m_unk = lib->unkId(handle);
    model->m_bos = lib->bosId(handle);
    model->m_eos = lib->eosId(handle);
    model->m_pad = lib->padId(handle);
    if (n <= 0) return Status::failed(file.string() + ": the SentencePiece model has no pieces");
    out = std::move(model);
    return Status::ok();
}

SpmModel::~SpmModel() {
    if (m_lib && m_model) m_lib->free(m_model);
}

Status SpmModel::encode(std::string_view text, std::vector<Piece>& out) const {
    out.clear();
    std::array<char, kErrorCapacity> error{};
    auto sink = [](void* user, std::int32_t id, const char* piece, std::size_t length, std::uint32_t begin,
                   std::uint32_t end) {
        static_cast<std::vector<Piece>*>(user)->push_back(Piece{id, std::string(piece, length), begin, end});
    };
    if (m_lib->encode(m_model, text.data(), text.size(), sink, &out, error.data(), error.size()) != 0)
        return Status::failed(std::string("sentencepiece: ") + error.data());
    return Status::ok();
}

const std::string& SpmModel::idToPiece(std::int32_t id) const {
    static const std::string empty;
    if (id < 0 || id >= size()) return empty;
    return m_pieces[static_cast<std::size_t>(id)];
}

std::int32_t SpmModel::pieceToId(std::string_view piece) const {
    return m_lib->pieceToId(m_model, piece.data(), piece.size());
}

std::int32_t SpmModel::findPiece(std::string_view piece) const {
    const std::int32_t id = pieceToId(piece);
    if (id < 0 || idToPiece(id) != piece) return -1;
    return id;
}

GsSpmPieceType SpmModel::pieceType(std::int32_t id) const {
    return static_cast<GsSpmPieceType>(m_lib->pieceType(m_model, id));
}

float SpmModel::score(std::int32_t id) const { return m_lib->score(m_model, id); }

Status trainSpmModel(const std::string& args) {
    const SpmLibrary* lib = nullptr;
    if (auto st = SpmLibrary::get(lib); !st.isOk()) return st;
    std::array<char, kErrorCapacity> error{};
    if (lib->train(args.c_str(), error.data(), error.size()) != 0)
        return Status::failed(std::string("sentencepiece trainer: ") + error.data());
    return Status::ok();
}

} // namespace gs
