/** @file batch_input.h
 *  @brief Reading `strata batch` files: YAML, CSV (a column q plus filter columns) or plain
 *         text with one query per line, into the body of POST /v1/batch.
 */
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata::cli {

/// "yaml", "csv" or "text"; "auto" picks by the file's extension.
[[nodiscard]] nlohmann::json read_batch_file(const std::string& path, const std::string& kind = "auto");

/// Parses RFC 4180 CSV text into rows of fields.
[[nodiscard]] std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace strata::cli
