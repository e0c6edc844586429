/** @file output.h
 *  @brief The CLI's output formats: aligned tables, JSON, JSON Lines and tidy CSV.
 */
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace strata::cli {

enum class Format { kTable, kJson, kJsonl, kCsv };

/// "table", "json", "jsonl" or "csv"; throws std::invalid_argument otherwise.
[[nodiscard]] Format parse_format(const std::string& s);

/// Terminal columns of UTF-8 text (East Asian wide characters take two).
[[nodiscard]] std::size_t display_width(const std::string& s);

/// A snippet's HTML as plain text; with @p ansi, matches are bold.
[[nodiscard]] std::string plain_text(const std::string& html, bool ansi = false);

/// One tidy row per hit: the columns of search_columns().
[[nodiscard]] const std::vector<std::string>& search_columns();
[[nodiscard]] std::vector<std::vector<std::string>> search_rows(const nlohmann::json& response, const std::string& query_id);

/// Writes a CSV field list (RFC 4180 quoting).
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

/// Prints a table with aligned columns (UTF-8 aware widths, long cells cut).
void write_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 std::size_t max_width = 60);

/// Prints a compare response: a matrix table, JSON, one JSON line per cell, or tidy CSV.
void print_compare(std::ostream& out, const nlohmann::json& response, Format format);

/// Prints one line of a batch (a result or an error) as rows of the tidy format; errors go
/// to @p err. @p first tells whether a CSV header is due.
void print_batch_line(std::ostream& out, std::ostream& err, const nlohmann::json& line, Format format, bool first);

/// Prints a search response in @p format.
void print_search(std::ostream& out, const nlohmann::json& response, Format format, bool ansi);

}  // namespace strata::cli
