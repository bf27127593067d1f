#pragma once
// C interface of the grammascope_spm module, the only code linked against
// libsentencepiece. The module is opened with dlopen(RTLD_LOCAL | RTLD_DEEPBIND)
// because sentencepiece's embedded protobuf clashes with LibTorch's; plain C
// types keep the boundary free of C++ ABI and of protobuf. No exception
// crosses it: failures return a status and write a message into the caller's
// buffer (always NUL-terminated, truncated to its capacity).
//
// Thread-safety: a loaded model may be used from several threads at once
// (encoding is const in sentencepiece); gs_spm_train serialises itself.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Bumped on any change of the functions below; the loader refuses other versions.
#define GS_SPM_ABI_VERSION 1

typedef struct GsSpmModel GsSpmModel;

// User-defined symbols ([CLS], [MASK] in a model trained with
// --user_defined_symbols) are reported as NORMAL: sentencepiece's public API
// cannot tell them apart.
enum GsSpmPieceType {
    GS_SPM_PIECE_NORMAL = 1,
    GS_SPM_PIECE_UNKNOWN = 2,
    GS_SPM_PIECE_CONTROL = 3,
    GS_SPM_PIECE_UNUSED = 4,
    GS_SPM_PIECE_BYTE = 5
};

// Receives one piece of an encoding: its id, the piece text (not
// NUL-terminated) and the byte span [begin, end) of the original text it covers.
typedef void (*GsSpmPieceSink)(void* user, int32_t id, const char* piece, size_t pieceLength, uint32_t begin,
                               uint32_t end);

typedef int32_t (*GsSpmAbiVersionFn)(void);
// Loads a .model file; returns NULL on failure.
typedef GsSpmModel* (*GsSpmLoadFn)(const char* path, char* error, size_t errorCapacity);
typedef void (*GsSpmFreeFn)(GsSpmModel* model);
// Encodes UTF-8 text; calls `sink` for each piece in order. Returns 0 on success.
typedef int32_t (*GsSpmEncodeFn)(const GsSpmModel* model, const char* text, size_t length, GsSpmPieceSink sink,
                                 void* user, char* error, size_t errorCapacity);
typedef int32_t (*GsSpmPieceSizeFn)(const GsSpmModel* model);
// Copies the piece of `id` into `buffer`; returns its full byte length, -1 for an id out of range.
typedef int32_t (*GsSpmIdToPieceFn)(const GsSpmModel* model, int32_t id, char* buffer, size_t capacity);
// sentencepiece's PieceToId: the unknown id for an absent piece.
typedef int32_t (*GsSpmPieceToIdFn)(const GsSpmModel* model, const char* piece, size_t length);
typedef int32_t (*GsSpmPieceTypeFn)(const GsSpmModel* model, int32_t id);  // GsSpmPieceType, 0 if out of range
typedef float (*GsSpmScoreFn)(const GsSpmModel* model, int32_t id);
typedef int32_t (*GsSpmSpecialIdFn)(const GsSpmModel* model);  // unk / bos / eos / pad; -1 when undefined
// SentencePieceTrainer::Train with a command-line style argument string. Returns 0 on success.
typedef int32_t (*GsSpmTrainFn)(const char* args, char* error, size_t errorCapacity);

// The exported symbols, in the order of the typedefs above.
int32_t gs_spm_abi_version(void);
GsSpmModel* gs_spm_load(const char* path, char* error, size_t errorCapacity);
void gs_spm_free(GsSpmModel* model);
int32_t gs_spm_encode(const GsSpmModel* model, const char* text, size_t length, GsSpmPieceSink sink, void* user,
                      char* error, size_t errorCapacity);
int32_t gs_spm_piece_size(const GsSpmModel* model);
int32_t gs_spm_id_to_piece(const GsSpmModel* model, int32_t id, char* buffer, size_t capacity);
int32_t gs_spm_piece_to_id(const GsSpmModel* model, const char* piece, size_t length);
int32_t gs_spm_piece_type(const GsSpmModel* model, int32_t id);
float gs_spm_score(const GsSpmModel* model, int32_t id);
int32_t gs_spm_unk_id(const GsSpmModel* model);
int32_t gs_spm_bos_id(const GsSpmModel* model);
int32_t gs_spm_eos_id(const GsSpmModel* model);
int32_t gs_spm_pad_id(const GsSpmModel* model);
int32_t gs_spm_train(const char* args, char* error, size_t errorCapacity);

#ifdef __cplusplus
}
#endif
