/** @file hash.h
 *  @brief Content hashing for change detection.
 */
#pragma once

#include <string>
#include <string_view>

namespace strata {

/// SHA-1 of @p data as 40 lower-case hex digits (change detection, not security).
[[nodiscard]] std::string sha1_hex(std::string_view data);

}  // namespace strata
