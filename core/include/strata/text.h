/** @file text.h
 *  @brief UTF-8 hygiene and escaping helpers shared by every program.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::text {

/// True when @p s is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view s);

/// A copy of @p s with every ill-formed sequence replaced by U+FFFD. Reports the number of
/// replacements through @p replaced when given. Valid input is returned unchanged.
[[nodiscard]] std::string sanitize_utf8(std::string_view s, std::size_t* replaced = nullptr);

/// Escapes &, <, >, " and ' for HTML text and attribute context.
[[nodiscard]] std::string html_escape(std::string_view s);

/// Appends the HTML-escaped form of @p s to @p out.
void append_html_escaped(std::string& out, std::string_view s);

/// Collapses runs of white space to one space and trims both ends.
[[nodiscard]] std::string squeeze_space(std::string_view s);

/// An approximate word count: space-separated chunks, plus one word per two characters of
/// scripts written without spaces (Han, Kana, Thai and their neighbours).
[[nodiscard]] std::size_t approx_words(std::string_view s);

/// Decodes one code point at @p i, advancing @p i; returns U+FFFD on a bad sequence.
char32_t decode_utf8(std::string_view s, std::size_t& i);

/// Appends the UTF-8 encoding of @p cp to @p out.
void append_utf8(std::string& out, char32_t cp);

/// The pieces of @p s between separators (an empty piece where two meet).
[[nodiscard]] std::vector<std::string> split(std::string_view s, char sep);

/// Lower-case ASCII copy.
[[nodiscard]] std::string ascii_lower(std::string_view s);

/// Trims ASCII white space.
[[nodiscard]] std::string_view trim(std::string_view s);

}  // namespace strata::text
