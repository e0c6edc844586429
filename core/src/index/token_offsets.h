/** @file token_offsets.h
 *  @brief Internal: where each text position of a passage stands in its stored text
 *         (schema::kSlotOffsets), so corpus analyses cut concordance lines from the stored
 *         text without analysing it again.
 *
 *  One entry per position of the passage text, from the first text position on (titles
 *  and the heading come before it and have none). A word takes one position; a Han or
 *  Kana word takes one per character (analyzer.h), whose entries after the first are
 *  marked as continuing the word, so context can be counted in segmented words.
 *
 *  Encoding: varint first position, varint entry count, then per entry the varint gap
 *  from the previous entry's end to its start and the varint (length << 1 | continues).
 *  About two bytes a word.
 */
#pragma once

#include "strata/analyzer.h"

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct TokenOffsets {
    struct Entry {
        std::uint32_t start = 0, end = 0;  ///< byte range in the passage text
        bool continues = false;            ///< a later character of a Han or Kana word
    };
    Xapian::termpos first = 0;  ///< the position of entries[0]
    std::vector<Entry> entries;

    /// Whether @p pos is a position of the passage text.
    [[nodiscard]] bool covers(Xapian::termpos pos) const { return pos >= first && pos - first < entries.size(); }
    [[nodiscard]] const Entry& at(Xapian::termpos pos) const { return entries[pos - first]; }
};

/// The encoded offsets of @p tokens (tokenize()d from @p text with their positions).
[[nodiscard]] std::string encode_offsets(const std::vector<Token>& tokens, std::string_view text);

/// The head of a kSlotOffsets value (its first two varints), read without its entries.
struct OffsetsHead {
    Xapian::termpos first = 0;   ///< the position of the first entry
    std::uint64_t count = 0;     ///< the number of entries
    std::size_t entries_at = 0;  ///< the byte where the entries start
    bool valid = false;          ///< false when the value is malformed or absent
};

/// Reads the head of a kSlotOffsets value. A count above the value's size is invalid
/// (entries take at least one byte).
[[nodiscard]] OffsetsHead offsets_head(std::string_view value);

/// Decodes a kSlotOffsets value; empty (first 0, no entries) when malformed or absent.
[[nodiscard]] TokenOffsets decode_offsets(std::string_view value);

}  // namespace strata
