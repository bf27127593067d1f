#include "cache/hashing.h"

#include <bit>
#include <cstring>

namespace gs::cache {
namespace {

constexpr std::uint32_t kSha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

std::uint32_t loadBe32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// xxHash reads little-endian words; memcpy keeps unaligned reads legal.
std::uint64_t loadLe64(const std::uint8_t* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
}

std::uint32_t loadLe32(const std::uint8_t* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
    return v;
}

constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kP3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kP4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kP5 = 0x27D4EB2F165667C5ULL;

std::uint64_t xxRound(std::uint64_t acc, std::uint64_t input) {
    acc += input * kP2;
    acc = std::rotl(acc, 31);
    return acc * kP1;
}

std::uint64_t xxMerge(std::uint64_t acc, std::uint64_t v) {
    acc ^= xxRound(0, v);
    return acc * kP1 + kP4;
}

} // namespace

Sha256::Sha256()
    : m_state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

void Sha256::block(const std::uint8_t* p) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i) w[i] = loadBe32(p + 4 * i);
    for (int i = 16; i < 64; ++i) {
        const std::uint32_t s0 = std::rotr(w[i - 15], 7) ^ std::rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const std::uint32_t s1 = std::rotr(w[i - 2], 17) ^ std::rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = m_state[0], b = m_state[1], c = m_state[2], d = m_state[3];
    std::uint32_t e = m_state[4], f = m_state[5], g = m_state[6], h = m_state[7];
    for (int i = 0; i < 64; ++i) {
        const std::uint32_t s1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
        const std::uint32_t ch = (e & f) ^ (~e & g);
        const std::uint32_t t1 = h + s1 + ch + kSha256K[i] + w[i];
        const std::uint32_t s0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
        const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = s0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    m_state[0] += a;
    m_state[1] += b;
    m_state[2] += c;
    m_state[3] += d;
    m_state[4] += e;
    m_state[5] += f;
    m_state[6] += g;
    m_state[7] += h;
}

void Sha256::update(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    m_length += size;
    if (m_buffered > 0) {
        const std::size_t take = std::min(size, 64 - m_buffered);
        std::memcpy(m_buffer.data() + m_buffered, p, take);
        m_buffered += take;
        p += take;
        size -= take;
        if (m_buffered < 64) return;
        block(m_buffer.data());
        m_buffered = 0;
    }
    for (; size >= 64; p += 64, size -= 64) block(p);
    std::memcpy(m_buffer.data(), p, size);
    m_buffered = size;
}

std::array<std::uint8_t, 32> Sha256::finish() {
    const std::uint64_t bits = m_length * 8;
    const std::uint8_t pad = 0x80;
    update(&pad, 1);
    const std::uint8_t zero = 0;
    while (m_buffered != 56) update(&zero, 1);
    std::uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    update(len, 8);
    std::array<std::uint8_t, 32> out{};
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(m_state[i] >> (24 - 8 * j));
    return out;
}

std::string Sha256::finishHex() {
    const auto digest = finish();
    return toHex(digest.data(), digest.size());
}

Xxh64::Xxh64(std::uint64_t seed) : m_v{seed + kP1 + kP2, seed + kP2, seed, seed - kP1}, m_seed(seed) {}

void Xxh64::update(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    m_length += size;
    if (m_buffered + size < 32) {
        std::memcpy(m_buffer + m_buffered, p, size);
        m_buffered += size;
        return;
    }
    if (m_buffered > 0) {
        const std::size_t take = 32 - m_buffered;
        std::memcpy(m_buffer + m_buffered, p, take);
        for (int i = 0; i < 4; ++i) m_v[i] = xxRound(m_v[i], loadLe64(m_buffer + 8 * i));
        p += take;
        size -= take;
        m_buffered = 0;
    }
    // Four independent lanes: the loop the compiler keeps in registers.
    std::uint64_t v0 = m_v[0], v1 = m_v[1], v2 = m_v[2], v3 = m_v[3];
    for (; size >= 32; p += 32, size -= 32) {
        v0 = xxRound(v0, loadLe64(p));
        v1 = xxRound(v1, loadLe64(p + 8));
        v2 = xxRound(v2, loadLe64(p + 16));
        v3 = xxRound(v3, loadLe64(p + 24));
    }
    m_v[0] = v0, m_v[1] = v1, m_v[2] = v2, m_v[3] = v3;
    std::memcpy(m_buffer, p, size);
    m_buffered = size;
}

std::uint64_t Xxh64::digest() const {
    std::uint64_t h;
    if (m_length >= 32) {
        h = std::rotl(m_v[0], 1) + std::rotl(m_v[1], 7) + std::rotl(m_v[2], 12) + std::rotl(m_v[3], 18);
        for (int i = 0; i < 4; ++i) h = xxMerge(h, m_v[i]);
    } else {
        h = m_seed + kP5;
    }
    h += m_length;
    const std::uint8_t* p = m_buffer;
    std::size_t n = m_buffered;
    for (; n >= 8; p += 8, n -= 8) {
        h ^= xxRound(0, loadLe64(p));
        h = std::rotl(h, 27) * kP1 + kP4;
    }
    if (n >= 4) {
        h ^= std::uint64_t{loadLe32(p)} * kP1;
        h = std::rotl(h, 23) * kP2 + kP3;
        p += 4;
        n -= 4;
    }
    for (; n > 0; ++p, --n) {
        h ^= *p * kP5;
        h = std::rotl(h, 11) * kP1;
    }
    h ^= h >> 33;
    h *= kP2;
    h ^= h >> 29;
    h *= kP3;
    h ^= h >> 32;
    return h;
}

std::string sha256Hex(std::string_view bytes) {
    Sha256 sha;
    sha.update(bytes);
    return sha.finishHex();
}

std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed) {
    Xxh64 h(seed);
    h.update(data, size);
    return h.digest();
}

std::string toHex(const std::uint8_t* data, std::size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    return out;
}

std::string hex64(std::uint64_t value) {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
    return toHex(b, 8);
}

} // namespace gs::cache
