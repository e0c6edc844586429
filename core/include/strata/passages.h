/** @file passages.h
 *  @brief Splitting an extracted document into citable passages.
 */
#pragma once

#include "strata/extract.h"

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

/// A passage: a section's paragraphs, about 100 to 400 words.
struct Passage {
    std::string section;      ///< heading path, e.g. "Pillars › Talent"
    int page = 0;             ///< page where the passage starts (0: no pages)
    int page_end = 0;         ///< page where it ends
    std::uint32_t start = 0;  ///< byte range in ExtractedDocument::text
    std::uint32_t end = 0;
    std::string text;         ///< the paragraphs, separated by blank lines
    std::size_t words = 0;
};

/// Limits for passage splitting.
struct PassageLimits {
    std::size_t min_words = 100;
    std::size_t max_words = 400;
};

/// Splits at headings, then packs paragraphs up to max_words; a paragraph longer than
/// max_words is cut at sentence ends. A document with headings but no paragraphs is one
/// passage of its headings, so the result is empty only when the document has no words.
[[nodiscard]] std::vector<Passage> split_passages(const ExtractedDocument& doc, PassageLimits limits = {});

}  // namespace strata
