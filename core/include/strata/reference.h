/** @file reference.h
 *  @brief Reference data: themes, concepts and countries, read from a corpus directory
 *         with the bundled corpus/ as fallback.
 */
#pragma once

#include "strata/errors.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// A comparative theme with a lexicon per language.
struct Theme {
    std::string id;
    std::string label;
    std::map<std::string, std::string> labels;   ///< language → label
    std::string description;
    std::map<std::string, std::vector<std::string>> lexicon;  ///< language → terms and phrases
};

/// A thesaurus concept: equivalent terms across languages.
struct Concept {
    std::string id;
    std::string label;
    std::map<std::string, std::vector<std::string>> terms;  ///< language → terms
};

/// A country or jurisdiction.
struct Country {
    std::string code;
    std::string name;
    std::vector<std::string> native;
    std::map<std::string, std::string> names;  ///< language → name
    std::string region;     ///< UN M49 region, e.g. "Europe"
    std::string subregion;  ///< UN M49 sub-region
    std::string income;     ///< World Bank income group, or empty
    std::vector<std::string> blocs;  ///< ids of the country groups it belongs to ("eu", "oecd")
};

/// A group of countries that studies compare as one (the EU's member states, the OECD).
struct Bloc {
    std::string id;
    std::string name;
};

/// The raw text of the three files, as loaded.
struct ReferenceSources {
    std::string themes, concepts, countries;
};

/// Everything the indexer and the daemon need besides the documents.
struct ReferenceData {
    std::vector<Theme> themes;
    std::vector<Concept> concepts;
    std::vector<Country> countries;
    std::vector<Bloc> blocs;
    std::filesystem::path themes_file, concepts_file, countries_file;
    std::string hash;  ///< content hash of the three files; a change means a rebuild
    ReferenceSources sources;  ///< the files' text, stored in the index by the indexer

    [[nodiscard]] const Theme* theme(const std::string& id) const;
    [[nodiscard]] const Country* country(const std::string& code) const;
    [[nodiscard]] const Bloc* bloc(const std::string& id) const;
    /// Region slug of a country code ("" if unknown).
    [[nodiscard]] std::string region_of(const std::string& code) const;
};

/// The bundled corpus directory compiled into the programs (overridable by STRATA_DATA_DIR).
[[nodiscard]] std::filesystem::path bundled_corpus_dir();

/// Loads themes.yaml, concepts.yaml and countries.yaml from @p corpus_dir where present,
/// else from the bundled corpus. Throws InputError naming the file, line and field.
[[nodiscard]] ReferenceData load_reference(const std::filesystem::path& corpus_dir);

/// The reference data an index was built with (stored in it by the indexer), or, for an
/// index without it, load_reference(@p fallback_dir). Readers use this so that labels and
/// concepts match what the index was built with.
[[nodiscard]] ReferenceData reference_for_index(const std::string& index, const std::filesystem::path& fallback_dir);

/// Parses reference data from YAML text; @p names label the sources in errors.
[[nodiscard]] ReferenceData parse_reference(const std::string& themes, const std::string& concepts,
                                            const std::string& countries, const std::filesystem::path& themes_name,
                                            const std::filesystem::path& concepts_name,
                                            const std::filesystem::path& countries_name);

/// Metadata keys under which the indexer stores the reference files' text.
inline constexpr const char* kMetaThemes = "strata:ref:themes";
inline constexpr const char* kMetaConcepts = "strata:ref:concepts";
inline constexpr const char* kMetaCountries = "strata:ref:countries";

/// Loads from exactly these three files.
[[nodiscard]] ReferenceData load_reference_files(const std::filesystem::path& themes,
                                                 const std::filesystem::path& concepts,
                                                 const std::filesystem::path& countries);

}  // namespace strata
