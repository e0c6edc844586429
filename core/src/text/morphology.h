/** @file morphology.h
 *  @brief Stemmers by language: Xapian's Snowball, Snowball 2.2, Hunspell and Voikko.
 *
 *  Analyzer::stem and Analyzer::stem_tokens go through here, so indexing and querying
 *  share one stemmer per language:
 *  - Xapian 1.4's Snowball stemmers where Xapian has one (their stems are unchanged);
 *  - Snowball 2.2 (Debian's libstemmer) for the languages Xapian 1.4 lacks (el, hi, sr, yi);
 *  - Hunspell for languages with neither (pl, cs, sk, bg, hr, sl, uk, lv): the shortest of
 *    Hunspell's stems (ties: the alphabetically first), case-folded; a word the dictionary
 *    does not know stays as it is;
 *  - Finnish: Voikko's base form (shortest, then alphabetical) under Xapian's Snowball, so
 *    that `eettiset` meets `eettinen`; without Voikko, Snowball alone.
 *
 *  Hunspell and Voikko are slow and not thread-safe: each dictionary is loaded once per
 *  process, on first use, and used under a lock; each thread caches its stems, and their
 *  stems are also kept once per process (a word stemmed in one thread is not stemmed again
 *  in another). A missing dictionary means that language has no stems, never an error.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata::morphology {

/// Where a language's stems come from.
enum class Source : std::uint8_t { kNone, kXapian, kSnowball, kHunspell, kVoikko };

/// The source that serves @p base_lang (lower-case base language, "pl"); kNone when it has
/// no stemmer or its dictionary is missing. Finnish is kVoikko only when Voikko loads.
[[nodiscard]] Source source(std::string_view base_lang);

/// Whether @p base_lang has a stemmer; unlike source(), loads no dictionary.
[[nodiscard]] bool has_stemmer(std::string_view base_lang);

/// "xapian", "snowball", "hunspell", "voikko" or "none".
[[nodiscard]] std::string_view source_name(Source s);

/// A stemmer with a cache of recent stems. One per thread and language: not thread-safe.
class Stemmer {
public:
    virtual ~Stemmer() = default;
    /// The stem of a normalised (NFKC case-folded) word; the reference lives until the
    /// next call.
    [[nodiscard]] const std::string& operator()(std::string_view word);

protected:
    [[nodiscard]] virtual std::string compute(const std::string& word) = 0;

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::string, Hash, std::equal_to<>> cache_;
};

/// This thread's stemmer for @p base_lang, or nullptr when has_stemmer() is false. The
/// pointer stays valid for the thread's lifetime.
[[nodiscard]] Stemmer* thread_stemmer(std::string_view base_lang);

class HunspellDictionary;

/// Opens the Hunspell dictionary @p name ("pl_PL") in @p dir; nullptr when its .aff or .dic
/// is missing. Thread-safe: calls are serialised.
[[nodiscard]] std::shared_ptr<HunspellDictionary> open_hunspell(const std::filesystem::path& dir,
                                                                std::string_view name);

/// The stem Hunspell gives @p word (UTF-8, case-folded) under the rule in the file comment.
[[nodiscard]] std::string hunspell_stem(HunspellDictionary& dict, const std::string& word);

}  // namespace strata::morphology
