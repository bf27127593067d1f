#pragma once
// Access to the grammascope_spm module (see spm_api.h): loading it once per
// process with dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND), and an RAII
// handle over a loaded SentencePiece model.
//
// The module is looked for, in order, at: $GRAMMASCOPE_SPM_MODULE;
// <dir of the executable>/../lib/libgrammascope_spm.so;
// <dir of the executable>/../lib/grammascope/libgrammascope_spm.so; the
// install directory and the build-tree path compiled in. A failure lists every
// path tried and why it was rejected.
//
// Thread-safety: SpmLibrary::get() may be called from any thread; an SpmModel
// is immutable once opened and encode() may run concurrently.

#include "grammascope/status.h"
#include "tokenize/spm_api.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

class SpmLibrary {
public:
    // The loaded module; the first call loads it and every later call returns
    // the same outcome (a failure is not retried).
    static Status get(const SpmLibrary*& out);

    const std::string& path() const { return m_path; }
    // Where the module is looked for, in order (those that do not exist are skipped).
    static std::vector<std::string> candidatePaths();

    GsSpmLoadFn load = nullptr;
    GsSpmFreeFn free = nullptr;
    GsSpmEncodeFn encode = nullptr;
    GsSpmPieceSizeFn pieceSize = nullptr;
    GsSpmIdToPieceFn idToPiece = nullptr;
    GsSpmPieceToIdFn pieceToId = nullptr;
    GsSpmPieceTypeFn pieceType = nullptr;
    GsSpmScoreFn score = nullptr;
    GsSpmSpecialIdFn unkId = nullptr, bosId = nullptr, eosId = nullptr, padId = nullptr;
    GsSpmTrainFn train = nullptr;

private:
    std::string m_path;
    friend struct SpmLibraryLoader;
};

class SpmModel {
public:
    struct Piece {
        std::int32_t id = 0;
        std::string piece;
        std::uint32_t begin = 0, end = 0;  // bytes of the encoded text
    };

    static Status open(const std::filesystem::path& file, std::unique_ptr<SpmModel>& out);
    ~SpmModel();
    SpmModel(const SpmModel&) = delete;
    SpmModel& operator=(const SpmModel&) = delete;

    Status encode(std::string_view text, std::vector<Piece>& out) const;

    std::int32_t size() const { return static_cast<std::int32_t>(m_pieces.size()); }
    const std::string& idToPiece(std::int32_t id) const;  // "" when out of range
    // sentencepiece's lookup: the unknown id for an absent piece.
    std::int32_t pieceToId(std::string_view piece) const;
    // -1 when the piece is absent (unlike pieceToId, which answers the unknown id).
    std::int32_t findPiece(std::string_view piece) const;
    GsSpmPieceType pieceType(std::int32_t id) const;
    float score(std::int32_t id) const;
    std::int32_t unkId() const { return m_unk; }
    std::int32_t bosId() const { return m_bos; }
    std::int32_t eosId() const { return m_eos; }
    std::int32_t padId() const { return m_pad; }

private:
    SpmModel() = default;

    const SpmLibrary* m_lib = nullptr;
    GsSpmModel* m_model = nullptr;
    std::vector<std::string> m_pieces;  // cached: idToPiece is called per token
    std::int32_t m_unk = -1, m_bos = -1, m_eos = -1, m_pad = -1;
};

// Runs sentencepiece's trainer through the module.
Status trainSpmModel(const std::string& args);

} // namespace gs
