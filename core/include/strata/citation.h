/** @file citation.h
 *  @brief Citations of a document or one of its passages: BibTeX, RIS and a plain line,
 *         built from the JSON of GET /v1/documents/{id} so that the daemon and the CLI
 *         (embedded or remote) write the same text.
 */
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace strata {

enum class CitationFormat { kBibtex, kRis };

/// "bibtex" or "ris"; nullopt for anything else.
[[nodiscard]] std::optional<CitationFormat> citation_format(const std::string& name);

/// The citation of @p document (a GET /v1/documents/{id} response) or, with @p passage, of
/// its passage number @p passage (section and pages added). Throws NotFound when the
/// document has no such passage. BibTeX values escape TeX's special characters and keep
/// braces balanced; RIS values are one line each.
[[nodiscard]] std::string cite(const nlohmann::json& document, CitationFormat format, std::optional<int> passage = std::nullopt);

/// The MIME type and file extension of @p format ("application/x-bibtex", "bib").
[[nodiscard]] std::pair<std::string, std::string> citation_media(CitationFormat format);

}  // namespace strata
