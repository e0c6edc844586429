/** @file stopwords.h
 *  @brief Stop words per language, from Snowball's lists as Debian's Lingua::StopWords ships
 *  them, then Lucene's lists (Debian's liblucene8-java) for the languages Snowball has none
 *  for (Czech, Greek, Turkish, Arabic, Hindi, Indonesian, Bulgarian, Lithuanian and others),
 *  both compiled into the build's data directory by scripts/dump-stopwords; and for the
 *  languages neither has, the function words FreeDict's dictionaries mark by part of speech
 *  (tools/dictionary_stopwords.cpp: Polish, among the corpus languages). A Greek word is also
 *  looked up without its accents, as Lucene writes its Greek list.
 *
 *  A stop word is neither required nor counted toward a query's coordination; it still
 *  matches inside a quoted phrase. Languages without a list have no stop words.
 */
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata {

class StopWords {
public:
    /// The lists of the build's data directory (empty when the file is missing).
    [[nodiscard]] static const StopWords& builtin();
    /// Reads "lang<TAB>word" lines; a missing file gives no stop words.
    [[nodiscard]] static StopWords load(const std::string& path);
    /// Adds @p other's words of the languages this list has none of.
    void add_missing_languages(const StopWords& other);

    /// The languages in whose list the case-folded @p word is (empty when none); a Greek
    /// word not found as it is, without its accents.
    [[nodiscard]] const std::vector<std::string>& languages_of(std::string_view word) const;
    [[nodiscard]] std::size_t size() const { return langs_.size(); }

private:
    std::unordered_map<std::string, std::vector<std::string>> langs_;  // word → languages
};

}  // namespace strata
