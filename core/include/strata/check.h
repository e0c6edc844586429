/** @file check.h
 *  @brief Corpus validation and counts (`strata-index --check`).
 */
#pragma once

#include "strata/corpus.h"
#include "strata/reference.h"

#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace strata {

/// The counts and problems of a corpus.
struct CorpusReport {
    std::size_t documents = 0;
    std::map<std::string, std::size_t> countries, languages, scripts, years, types;
    std::map<std::string, std::size_t> words;  ///< document id → approximate words
    std::size_t themes = 0, concepts = 0;
    std::map<std::string, std::size_t> theme_languages;    ///< theme id → languages with a lexicon
    std::map<std::string, std::size_t> concept_languages;  ///< concept id → languages with terms
    std::vector<CorpusIssue> issues;
};

/// Validates every metadata file and the reference data of @p corpus_dir, and counts.
[[nodiscard]] CorpusReport check_corpus(const std::filesystem::path& corpus_dir);

/// The dominant script of @p text as an ISO 15924 code ("Latn", "Hans", "Hant", "Arab"...).
/// @p lang disambiguates Han text (zh-Hant → "Hant", ja → "Jpan").
[[nodiscard]] std::string dominant_script(std::string_view text, std::string_view lang);

/// Prints the report; returns true when there are no issues.
bool print_corpus_check(const std::filesystem::path& corpus_dir, std::ostream& out);

}  // namespace strata
