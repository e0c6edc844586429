/** @file translate.h
 *  @brief Word translation for cross-language queries, from the FreeDict dictionaries
 *         compiled at build time (tools/compile_dictionaries.cpp → data/translations.tsv).
 *
 *  The table holds, per direction, a case-folded headword and up to six translations in
 *  dictionary (roughly sense) order. A direction with fewer than two translations for a
 *  word is filled up through English, then through German (the largest FreeDict
 *  dictionaries): es→pt goes es→en→pt where es→pt knows too little. Translations are words
 *  or phrases of at most three words, NFKC case-folded; the caller analyses them like query
 *  text and makes all translations of one word one synonym group.
 *
 *  A Translator is immutable after loading and safe to share between threads.
 */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <memory>
#include <utility>
#include <vector>

namespace strata {

/// A file mapped read-only into memory, unmapped with its last owner.
class MappedFile;

class Translator {
public:
    /// The build's table (STRATA_DATA_DIR/translations.tsv), loaded on first use; empty
    /// when the file is missing.
    [[nodiscard]] static const Translator& builtin();

    /// Loads a table; a missing or unreadable file gives an empty Translator.
    [[nodiscard]] static Translator load(const std::string& path);

    /// Translations of a case-folded word from one language into others (pivoting through
    /// English where no direct pair exists): language → words or short phrases. Languages
    /// without translations are absent; @p from_lang itself is skipped. Languages are
    /// ISO 639-1 ("pt-BR" reads as "pt", "no" as "nb").
    [[nodiscard]] std::map<std::string, std::vector<std::string>> translate(
        std::string_view word, std::string_view from_lang, const std::vector<std::string>& to_langs) const;

    /// Languages with a dictionary to or from English.
    [[nodiscard]] std::vector<std::string> languages() const;

    /// Lines (headwords over all directions) in the table.
    [[nodiscard]] std::size_t size() const { return size_; }

private:
    using Direction = std::pair<std::string, std::string>;  // (from, to)

    /// Translations stored for @p word in one direction, trying the accent-folded form and
    /// then simple singulars (en, es, pt, fr) when the word itself is not a headword.
    [[nodiscard]] std::vector<std::string> lookup(std::string_view word, const std::string& from,
                                                  const std::string& to) const;
    [[nodiscard]] std::vector<std::string> lookup_exact(std::string_view word, const Direction& dir,
                                                        bool alias = false) const;
    [[nodiscard]] std::vector<std::string> via(std::string_view word, const std::string& from,
                                               const std::string& pivot, const std::string& to) const;

    /// The file, mapped read-only (the build writes it by renaming a new file, so a mapping
    /// never sees it change): per direction a section of lines sorted by headword. Only the
    /// pages lookups touch stay resident, not the whole table (about 70 MB).
    std::shared_ptr<const MappedFile> file_;
    std::string_view data_;
    std::map<Direction, std::vector<std::uint32_t>> lines_;  ///< offsets of the lines in data_
    std::size_t size_ = 0;
};

}  // namespace strata
