/** @file packed.h
 *  @brief Internal: the small packings that stored values and in-memory sets share:
 *  LEB128 varints (token offsets, kept passages) and bit sets of numbers (passages by docid,
 *  facet rows).
 */
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::packed {

/// Appends @p v to @p out as a LEB128 varint (7 bits a byte, low first).
inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

/// Reads the varint at @p i of @p in into @p v and moves @p i past it; false when @p in
/// ends inside it or it runs past 64 bits.
inline bool get_varint(std::string_view in, std::size_t& i, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && i < in.size(); shift += 7) {
        const auto b = static_cast<unsigned char>(in[i++]);
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

/// The numbers whose bits are set in @p words (bit n % 64 of words[n / 64]), increasing.
inline std::vector<std::uint32_t> set_bits(const std::vector<std::uint64_t>& words) {
    std::vector<std::uint32_t> out;
    for (std::size_t w = 0; w < words.size(); ++w)
        for (std::uint64_t b = words[w]; b; b &= b - 1)
            out.push_back(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(b))));
    return out;
}

}  // namespace strata::packed
