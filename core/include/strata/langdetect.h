/** @file langdetect.h
 *  @brief Language identification (CLD2) returning BCP 47 tags.
 */
#pragma once

#include <string>
#include <string_view>

namespace strata {

/// The result of language identification.
struct DetectedLanguage {
    std::string tag;       ///< BCP 47 ("es", "zh-Hans", "nb"); empty when unknown
    int percent = 0;       ///< share of the text in that language
    bool reliable = false;
};

/// Identifies the main language of @p text (UTF-8).
[[nodiscard]] DetectedLanguage detect_language(std::string_view text);

}  // namespace strata
