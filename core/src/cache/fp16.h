#pragma once
// IEEE 754 binary16 <-> binary32 in plain C++ (no F16C dependency, identical
// on every CPU). Rounding is to nearest, ties to even; overflow gives +-inf,
// NaN stays NaN (quiet, top payload bits kept), subnormals are exact.

#include <cstddef>
#include <cstdint>

namespace gs::cache {

std::uint16_t floatToHalf(float value);
float halfToFloat(std::uint16_t half);

// Bulk versions for result matrices.
void floatsToHalves(const float* in, std::size_t n, std::uint16_t* out);
void halvesToFloats(const std::uint16_t* in, std::size_t n, float* out);

} // namespace gs::cache
