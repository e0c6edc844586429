/** @file kwic_text.h
 *  @brief Internal: cutting a concordance line (left context, match, right context) and a
 *         neighbour word out of a passage's stored text, by its token offsets.
 *
 *  Context is counted in words: a Han or Kana word counts once, whatever its characters.
 *  It stays within the passage. Line breaks and tabs become spaces; the text is otherwise
 *  exactly the document's.
 */
#pragma once

#include "analysis/occurrences.h"
#include "index/token_offsets.h"

#include <string>

namespace strata {

struct KwicLine {
    std::string left, match, right;
};

/// The line of @p occ with @p context words each side.
[[nodiscard]] KwicLine cut_line(const std::string& text, const TokenOffsets& offsets, const Occurrence& occ, int context);

/// The word @p side words left (-1, -2) or right (1, 2) of @p occ, as the text has it;
/// empty when the passage has none there.
[[nodiscard]] std::string neighbour_word(const std::string& text, const TokenOffsets& offsets, const Occurrence& occ, int side);

}  // namespace strata
