/** @file freedict.h
 *  @brief Reading FreeDict dictionaries in dictd form (.index + dictzip .dict.dz): the
 *         translations of each headword, without grammar, pronunciation or examples.
 *
 *  Used at build time only, by tools/compile_dictionaries.cpp (the translation table the
 *  daemon reads through translate.h) and tools/dictionary_stopwords.cpp (function words by
 *  part of speech, which stopwords.h reads).
 */
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::freedict {

/// How a dictionary lays out its entries; read from its 00-database-info header.
enum class Layout {
    kPlain,    ///< every body line holds translations (Ergane, Piotrowski-Saloni, …)
    kWikDict,  ///< per sense: one line of translations, then a gloss in the source language
    kDing,     ///< one line of translations, then examples, "Synonym:", "see:" and "Note:"
};

/// One index entry with the translations parsed from its article.
struct Entry {
    std::string headword;                   ///< the index key (lower-cased by dictfmt)
    std::vector<std::string> translations;  ///< in article order, cleaned, not yet case-folded
    std::vector<std::string> parts_of_speech;  ///< the headword line's <tags>, lower-cased ("preposition", "n")
};

/// The layout named by a dictionary's header text.
[[nodiscard]] Layout detect_layout(std::string_view header);

/// The translations in one article (headword line first, as dictd stores it).
[[nodiscard]] std::vector<std::string> parse_article(std::string_view article, Layout layout);

/// Splits one line of translations into cleaned items: drops sense numbers, <grammar>,
/// [labels], (remarks) and {references}; splits on ',' and ';'.
[[nodiscard]] std::vector<std::string> split_translations(std::string_view line);

/// The <tags> of an article's headword line ("dla /dla/ <preposition>" → {"preposition"}).
[[nodiscard]] std::vector<std::string> parts_of_speech(std::string_view article);

/// Whether a headword with these parts of speech (of all its articles) is a function word: a
/// preposition, conjunction, pronoun, article, determiner or particle, and never a noun,
/// verb, adjective, adverb or numeral. A one-letter headword's noun sense (the letter's
/// name) does not count.
[[nodiscard]] bool is_function_word(std::string_view headword, const std::vector<std::string>& parts);

/// FreeDict's ISO 639-3 names of the corpus languages → Strata's ISO 639-1 codes. German
/// is one of them and the second pivot; dictionaries of other languages are not read.
[[nodiscard]] const std::map<std::string, std::string>& corpus_languages();

/// Reads <prefix>.index and <prefix>.dict.dz. Throws std::runtime_error when unreadable.
[[nodiscard]] std::vector<Entry> read_dictionary(const std::string& prefix);

}  // namespace strata::freedict
