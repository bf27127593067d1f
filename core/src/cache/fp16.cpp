#include "cache/fp16.h"

#include <bit>

namespace gs::cache {

std::uint16_t floatToHalf(float value) {
    const auto bits = std::bit_cast<std::uint32_t>(value);
    const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
    const std::uint32_t abs = bits & 0x7fffffffu;

    if (abs >= 0x7f800000u) {
        if (abs == 0x7f800000u) return sign | 0x7c00u;  // inf
        // NaN: force the quiet bit so that a payload living only in the low
        // bits cannot turn into infinity.
        return static_cast<std::uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
    }
    // 65520 = 65504 + half an ulp: ties to even go up to 2^16, i.e. inf.
    if (abs >= 0x477ff000u) return sign | 0x7c00u;

    if (abs >= 0x38800000u) {  // >= 2^-14: a normal half
        // Re-bias the exponent (127 -> 15) and drop 13 mantissa bits; a
        // carry out of the mantissa correctly bumps the exponent.
        std::uint32_t h = (abs - (112u << 23)) >> 13;
        const std::uint32_t rest = abs & 0x1fffu;
        if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
        return static_cast<std::uint16_t>(sign | h);
    }
    // Below 2^-14: a subnormal half, counted in units of 2^-24. Values below
    // 2^-25 (float exponent < 102) round to zero; exactly 2^-25 ties to 0.
    const std::uint32_t exponent = abs >> 23;
    if (exponent < 102) return sign;
    const std::uint32_t mantissa = (abs & 0x7fffffu) | 0x800000u;  // 24 bits with the implicit one
    const std::uint32_t shift = 126 - exponent;                     // 14 .. 24
    std::uint32_t h = mantissa >> shift;
    const std::uint32_t rest = mantissa & ((1u << shift) - 1u);
    const std::uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1u))) ++h;  // 0x400 = smallest normal, still right
    return static_cast<std::uint16_t>(sign | h);
}

float halfToFloat(std::uint16_t half) {
    const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
    const std::uint32_t exponent = (half >> 10) & 0x1fu;
    std::uint32_t mantissa = half & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0x1fu) {
        bits = sign | 0x7f800000u | (mantissa << 13);  // inf, NaN with its payload
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;  // +-0
    } else {
        // Subnormal half: normalise into a float exponent.
        std::uint32_t e = 113;
        while (!(mantissa & 0x400u)) {
            mantissa <<= 1;
            --e;
        }
        bits = sign | (e << 23) | ((mantissa & 0x3ffu) << 13);
    }
    return std::bit_cast<float>(bits);
}

void floatsToHalves(const float* in, std::size_t n, std::uint16_t* out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = floatToHalf(in[i]);
}

void halvesToFloats(const std::uint16_t* in, std::size_t n, float* out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = halfToFloat(in[i]);
}

} // namespace gs::cache
