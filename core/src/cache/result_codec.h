#pragma once
// The blob format of one result matrix (results.data). Little-endian:
//   0  4  magic "GSM1"
//   4  2  format version (1)
//   6  2  value type (1 = IEEE fp16)
//   8  4  rows          12  4  cols
//  16  4  label bytes L 20  4  reserved (0)
//  24  8  XXH64 of bytes [32, end): catches damage SQLite cannot see
//  32  L  labels: rows then cols entries, each u32 length + UTF-8 bytes
//  32+L   rows * cols fp16 values, row-major
// Empty label lists are stored as empty strings and read back as empty lists
// when every label is empty.

#include "grammascope/result_store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gs::cache {

// False with `error` set for a matrix whose shape and sizes disagree.
bool validateMatrix(const ResultMatrix& m, std::string& error);
void encodeMatrix(const ResultMatrix& m, std::vector<std::uint8_t>& blob);
// False with `error` set when the blob is damaged or of an unknown format.
bool decodeMatrix(const std::uint8_t* data, std::size_t size, ResultMatrix& out, std::string& error);

} // namespace gs::cache
