/** @file apertium_bidix.h
 *  @brief Lemma translation through the bilingual dictionaries of Debian's Apertium
 *         language pairs (apertium-eng-spa, apertium-spa-ita, apertium-es-pt), read at
 *         build time by tools/compile_dictionaries.cpp.
 *
 *  An Apertium pair installs each direction's bilingual dictionary compiled into a
 *  finite-state transducer (`<pair dir>/<from>-<to>.autobil.bin`). lttoolbox's `lt-proc -b`
 *  looks lemmas up in it: the input `^research<n>$` gives `^research<n>/búsqueda<n><f>$`,
 *  one line per input line, `@` marking a lemma the dictionary does not know. These
 *  dictionaries are curated for machine translation; FreeDict's English–Spanish and
 *  English–Italian ones are small (5,000 and 4,500 headwords, none of them "research"
 *  in Italian).
 */
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata::apertium {

/// A lemma and its tags, as Apertium writes them, joined by spaces: "n", "n f" (a feminine
/// noun), "vblex", "adj", "adv". A dictionary whose entries name the gender ("investigación<n><f>")
/// does not find a lemma asked without it, so lookup() also asks a bare "n" as "n m",
/// "n f" and "n mf".
struct Lemma {
    std::string word;
    std::string tag;
    auto operator<=>(const Lemma&) const = default;
};

/// The parts of speech looked up for a headword: the content-word classes.
[[nodiscard]] const std::vector<std::string>& content_tags();

/// The compiled dictionary of one direction under @p apertium_dir (e.g. /usr/share/apertium),
/// by ISO 639-1 codes ("en", "es"); empty when no installed pair has it.
[[nodiscard]] std::filesystem::path find_bidix(const std::filesystem::path& apertium_dir, const std::string& from,
                                               const std::string& to);

/// Parses one line of `lt-proc -b` output: the translations of its lemma, in the
/// dictionary's order, lower-cased, with multiword joints ("_", "+", "#") read as spaces
/// and their tags joined by spaces; unknown lemmas ("@…") give none.
[[nodiscard]] std::vector<Lemma> parse_lookup_line(const std::string& line, const std::string& default_tag);

/// Looks every lemma up in @p bidix with `lt-proc -b` (one run for all of them). Lemmas
/// that cannot be written in lttoolbox's stream format are skipped; a failed run (no
/// lt-proc) gives an empty map and a message on stderr.
[[nodiscard]] std::map<Lemma, std::vector<Lemma>> lookup(const std::filesystem::path& bidix,
                                                         const std::vector<Lemma>& lemmas);

}  // namespace strata::apertium
