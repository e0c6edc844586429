/** @file output.h
 *  @brief The CLI's output formats: aligned tables, JSON, JSON Lines and tidy CSV (and, for
 *         a document, BibTeX and RIS).
 *
 *  Tidy exports (CSV, JSON Lines) give one record per hit or cell. Values keep their JSON
 *  types in JSON Lines (numbers stay numbers, a missing page is null); CSV starts with a
 *  UTF-8 byte-order mark as the API's does. Every record ends with its provenance: the
 *  request to send again, the index generation and the time (strata/export.h).
 */
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace strata::cli {

enum class Format { kTable, kJson, kJsonl, kCsv, kBibtex, kRis };

/// "table", "json", "jsonl", "csv", "bibtex" or "ris"; throws std::invalid_argument otherwise.
[[nodiscard]] Format parse_format(const std::string& s);

/// Terminal columns of UTF-8 text (East Asian wide characters take two).
[[nodiscard]] std::size_t display_width(const std::string& s);

/// A snippet's HTML as plain text; with @p ansi, matches are bold.
[[nodiscard]] std::string plain_text(const std::string& html, bool ansi = false);

/// "1 document", "2 documents".
[[nodiscard]] std::string counted(long long n, const std::string& noun);

/// The provenance fields of a response for a tidy record: request (text), generation
/// (a number) and retrieved_at.
[[nodiscard]] nlohmann::json provenance_fields(const nlohmann::json& response);

/// Writes a CSV field list (RFC 4180 quoting, formula guard).
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);
/// Writes records as CSV rows in the order of @p columns.
void write_csv_records(std::ostream& out, const std::vector<std::string>& columns, const std::vector<nlohmann::json>& records);
/// Writes records as JSON Lines.
void write_jsonl(std::ostream& out, const std::vector<nlohmann::json>& records);

/// Prints a table with aligned columns (UTF-8 aware widths, long cells cut).
void write_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 std::size_t max_width = 60);

/// Prints a compare response: a matrix table, JSON, one JSON line per cell, or tidy CSV.
void print_compare(std::ostream& out, const nlohmann::json& response, Format format);

/// Prints a search response in @p format.
void print_search(std::ostream& out, const nlohmann::json& response, Format format, bool ansi, bool full_text = false);

}  // namespace strata::cli
