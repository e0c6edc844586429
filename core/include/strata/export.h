/** @file export.h
 *  @brief Tidy exports (CSV) that the daemon and the CLI write alike: RFC 4180 rows that a
 *         spreadsheet cannot read as formulas, a UTF-8 byte-order mark, and the provenance
 *         of every row (the request, the index generation, the time).
 */
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata {

/// Starts every CSV: with it, spreadsheets read the file as UTF-8 (accents, CJK).
inline constexpr const char* kCsvByteOrderMark = "\xEF\xBB\xBF";

/// One CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or
/// @ is prefixed with ' so that a spreadsheet does not evaluate it.
[[nodiscard]] std::string csv_field(const std::string& value);

/// One CSV record, ended by CRLF.
[[nodiscard]] std::string csv_row(const std::vector<std::string>& fields);

/// The request a response answered, as the parameters to send again to rebuild it:
/// "q=ethics&by=country,theme&crosslingual=true&country=ES,MX&year=2018..2021". Takes a
/// response's "query" object; '&', '=', '%' and control characters are percent-encoded.
[[nodiscard]] std::string request_text(const nlohmann::json& query);

/// The provenance columns every tidy export ends with, and their values for a response.
[[nodiscard]] const std::vector<std::string>& provenance_columns();
[[nodiscard]] std::vector<std::string> provenance(const nlohmann::json& response);

/// The provenance of a response as the fields of a tidy record, with their JSON types:
/// request (text), generation (a number, or null) and retrieved_at.
[[nodiscard]] nlohmann::json provenance_record(const nlohmann::json& response);

/// A record's field as CSV text: strings as they are, numbers as JSON writes them, null as
/// an empty field, a list joined with "; ".
[[nodiscard]] std::string csv_text(const nlohmann::json& value);

/// Tidy records as a CSV file: the byte-order mark, the header @p columns, then one row per
/// record with its fields in that order (a missing field is empty). JSON Lines of the same
/// records keep their types, so the two formats carry the same values.
[[nodiscard]] std::string records_csv(const std::vector<std::string>& columns, const std::vector<nlohmann::json>& records);

/// A snippet's HTML as plain text: entities decoded, line breaks as spaces, and each
/// <mark> … </mark> replaced by @p mark_on … @p mark_off (nothing by default).
[[nodiscard]] std::string snippet_text(const std::string& html, const char* mark_on = "", const char* mark_off = "");

/// The columns of a search export: one row per hit with its best passage (rank, doc_id,
/// country, year, type, language, title, title_en, issuer, source_url, passage, section,
/// page, page_end, score, snippet; text with @p full_text), then the provenance.
[[nodiscard]] std::vector<std::string> search_hit_columns(bool full_text);
/// The records of a search response, keyed by search_hit_columns() (provenance included).
[[nodiscard]] std::vector<nlohmann::json> search_hit_records(const nlohmann::json& response, bool full_text);
/// A search response as a CSV file of search_hit_records(), with the passages' text when
/// the request asked for it (passage_text=true).
[[nodiscard]] std::string search_csv(const nlohmann::json& response);

}  // namespace strata
