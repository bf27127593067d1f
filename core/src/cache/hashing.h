#pragma once
// Hashes of the results store, implemented here so that identities do not
// depend on a library version: SHA-256 (FIPS 180-4) for keys, where a
// collision would return a wrong result, and XXH64 (xxHash spec, seed 0) for
// bulk file content, where speed matters and a 64-bit accidental collision
// per file is negligible.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gs::cache {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::array<std::uint8_t, 32> finish();
    std::string finishHex();

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;  // bytes
};

class Xxh64 {
public:
    explicit Xxh64(std::uint64_t seed = 0);
    void update(const void* data, std::size_t size);
    std::uint64_t digest() const;

private:
    std::uint64_t m_v[4];
    std::uint64_t m_seed;
    std::uint8_t m_buffer[32];
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
};

std::string sha256Hex(std::string_view bytes);
std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed = 0);
std::string toHex(const std::uint8_t* data, std::size_t size);
std::string hex64(std::uint64_t value);

} // namespace gs::cache
