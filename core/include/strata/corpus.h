/** @file corpus.h
 *  @brief The corpus model: document metadata, loading and validation.
 *
 *  The rules here mirror schemas/document.schema.json; a test keeps the two in step.
 */
#pragma once

#include "strata/errors.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

/// Document types, as in the schema.
inline const std::vector<std::string>& document_types() {
    static const std::vector<std::string> types = {"strategy",   "action-plan", "ethics-framework", "regulation",
                                                   "white-paper", "review",     "other"};
    return types;
}

/// The metadata fields a document YAML may have, and those it must have.
[[nodiscard]] const std::vector<std::string>& document_fields();
[[nodiscard]] const std::vector<std::string>& required_document_fields();

/// Whether @p id is a valid document id: [a-z0-9][a-z0-9._-]{1,127} without "..".
[[nodiscard]] bool is_valid_document_id(std::string_view id);

/// A document's metadata, as read from its YAML file.
struct DocumentMeta {
    std::string id;
    std::string country;      ///< ISO 3166-1 alpha-2, or EU
    std::string title;
    std::string title_en;
    int year = 0;
    std::string language;     ///< BCP 47; empty when it must be detected
    std::string type = "other";
    std::string issuer;
    std::string source_url;
    std::string file;         ///< text file, relative to the metadata file
    bool digest = false;
    std::vector<std::string> themes;  ///< themes given by hand

    std::filesystem::path meta_path;  ///< the YAML file
    std::filesystem::path text_path;  ///< resolved text file
};

/// One problem found while reading a corpus.
struct CorpusIssue {
    std::string file;
    int line = 0;
    std::string field;
    std::string message;
    [[nodiscard]] std::string to_string() const;
};

/// The metadata files found under a corpus directory, and the problems met on the way.
struct CorpusScan {
    std::vector<DocumentMeta> documents;  ///< valid documents, sorted by id
    std::vector<CorpusIssue> issues;      ///< files that could not be used
};

/// Parses and validates one metadata file. Throws InputError naming the file, line and field.
[[nodiscard]] DocumentMeta load_document_meta(const std::filesystem::path& yaml_file);

/// Parses and validates metadata YAML text; @p name (the file it came from) is used in
/// errors and to resolve the text file's path.
[[nodiscard]] DocumentMeta parse_document_meta(const std::string& yaml, const std::filesystem::path& name);

/// True if @p yaml_file is a document's metadata (has a top-level `file:` key).
[[nodiscard]] bool is_document_meta(const std::filesystem::path& yaml_file);

/// Finds every document metadata file under @p dir (recursively), loads and validates it.
/// Duplicate ids and missing text files are reported as issues; the scan never throws for
/// a bad file.
[[nodiscard]] CorpusScan scan_corpus(const std::filesystem::path& dir);

}  // namespace strata
