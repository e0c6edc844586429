/** @file extract.h
 *  @brief Text extraction from txt, md, html and pdf into headed blocks with pages and offsets.
 */
#pragma once

#include "strata/errors.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace strata {

/// A heading or a paragraph of an extracted document.
struct Block {
    bool heading = false;
    int level = 0;            ///< heading level 1..6 (0 for paragraphs)
    std::uint32_t start = 0;  ///< byte offsets into ExtractedDocument::text
    std::uint32_t end = 0;
    int page = 0;             ///< 1-based page for PDF; 0 where the format has no pages
};

/// The plain text of a document and its block structure.
struct ExtractedDocument {
    std::string format;       ///< "txt", "md", "html" or "pdf"
    std::string text;         ///< valid UTF-8; for txt and md the file itself
    std::vector<Block> blocks;
    int pages = 0;
    std::vector<std::string> warnings;  ///< e.g. invalid UTF-8 replaced
    std::string title;        ///< <title> of HTML or first heading, when present
};

/// Largest file the extractor reads (bytes).
inline constexpr std::uintmax_t kMaxSourceBytes = 256ull * 1024 * 1024;

/// Extracts @p file by its extension. Throws InputError for an unreadable, corrupt or
/// unsupported file.
[[nodiscard]] ExtractedDocument extract_file(const std::filesystem::path& file);

/// Extracts @p content, choosing the format by the extension of @p name.
[[nodiscard]] ExtractedDocument extract_content(std::string content, const std::filesystem::path& name);

/// Reads a source file whole, refusing directories and files over kMaxSourceBytes.
[[nodiscard]] std::string read_source_file(const std::filesystem::path& file);

/// Extractors over in-memory content (used by the file reader, tests and fuzzers).
[[nodiscard]] ExtractedDocument extract_markdown(std::string content);
[[nodiscard]] ExtractedDocument extract_plain_text(std::string content);
[[nodiscard]] ExtractedDocument extract_html(const std::string& content);
[[nodiscard]] ExtractedDocument extract_pdf(const std::string& content, const std::string& name);

}  // namespace strata
