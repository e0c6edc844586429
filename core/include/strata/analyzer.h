/** @file analyzer.h
 *  @brief The one text analyzer, used for indexing and for queries.
 *
 *  Pipeline: ICU word-break segmentation (dictionaries for Han, Kana, Thai, Lao, Khmer,
 *  Burmese) → NFKC case folding (Turkish İ/I handled per language) → accent folding →
 *  stemming with a language prefix (Xapian's Snowball, Snowball 2.2, Hunspell or Voikko:
 *  see text/morphology.h), plus CJK character bigrams and Korean particle stripping so
 *  that a query's segmentation meets a document's.
 *
 *  Positions: a space-delimited word takes one position; a character of a Han or Kana run
 *  takes one position each, so that a query's bigram phrase lines up with the document's.
 *
 *  An Analyzer is cheap to share: it holds no per-call state. ICU break iterators and
 *  stemmers are cached per thread, since none is thread-safe (Hunspell and Voikko
 *  dictionaries are loaded once per process and used under a lock).
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

/// What kind of writing a token is; decides which extra terms it gets.
enum class TokenKind : std::uint8_t {
    kWord,    ///< letters of a space-delimited script (Latin, Cyrillic, Greek, Arabic, Devanagari…)
    kNumber,  ///< digits, possibly with separators ("2,5", "2030")
    kCjk,     ///< Han ideographs and Japanese kana: gets character bigrams
    kHangul,  ///< Korean: gets its particle-stripped form
    kSouthEastAsian,  ///< Thai, Lao, Khmer, Burmese: dictionary-segmented words
};

/// One analysed token.
struct Token {
    std::string text;     ///< NFKC case-folded form: the unprefixed, positional term
    std::string folded;   ///< accent-folded form, or empty when it equals @c text
    std::string base;     ///< Korean: the form with its particle stripped; else empty
    std::string stem;     ///< stem (filled by Analyzer::stem_tokens); else empty
    Xapian::termpos pos = 0;   ///< position (see file comment)
    std::uint32_t start = 0;   ///< byte offset of the token in the analysed text
    std::uint32_t end = 0;     ///< byte offset one past the token
    TokenKind kind = TokenKind::kWord;
};

/// Segments, normalises and folds text. Thread-safe.
class Analyzer {
public:
    /// Tokens of @p text, read as language @p lang (BCP 47; "" for unknown).
    /// @p first_pos is the position given to the first token.
    [[nodiscard]] std::vector<Token> tokenize(std::string_view text, std::string_view lang,
                                              Xapian::termpos first_pos = 1) const;

    /// The same tokens as tokenize(), always through ICU's word break iterator. tokenize()
    /// segments text made only of Latin, Greek and Cyrillic letters, digits and common
    /// punctuation itself (several times faster); a test holds the two equal.
    [[nodiscard]] std::vector<Token> tokenize_reference(std::string_view text, std::string_view lang,
                                                        Xapian::termpos first_pos = 1) const;

    /// Fills Token::stem of the word tokens with the stemmer of @p lang (if it has one).
    void stem_tokens(std::vector<Token>& tokens, std::string_view lang) const;

    /// Adds the terms of @p text to @p doc: positional terms, folded forms, CJK bigrams,
    /// Korean bases and (wdf-only) stems. Returns the next free position.
    Xapian::termpos index_text(Xapian::Document& doc, std::string_view text, std::string_view lang,
                               Xapian::termpos first_pos = 1) const;

    /// As index_text, over tokens already made (and stemmed) by tokenize/stem_tokens.
    Xapian::termpos index_tokens(Xapian::Document& doc, const std::vector<Token>& tokens,
                                 std::string_view lang, Xapian::termpos first_pos) const;

    /// Adds unpositioned terms with @p prefix (e.g. title words, "S").
    void index_prefixed(Xapian::Document& doc, std::string_view text, std::string_view lang,
                        std::string_view prefix) const;

    /// The stem of a normalised word in @p lang, or "" when the language has no stemmer.
    [[nodiscard]] std::string stem(std::string_view word, std::string_view lang) const;

    /// Whether @p lang has a stemmer (Snowball, or a Hunspell dictionary that is installed).
    [[nodiscard]] static bool has_stemmer(std::string_view lang);

    /// The language part that names stems: "pt-BR" → "pt", "nb" → "nb", "zh-Hans" → "zh".
    [[nodiscard]] static std::string stem_language(std::string_view lang);

    /// NFKC case fold of a whole string (Turkish rules for tr/az).
    [[nodiscard]] std::string normalize(std::string_view text, std::string_view lang) const;

    /// Accent folding of an already normalised string (Latin, Greek, Cyrillic ё, Arabic marks).
    [[nodiscard]] static std::string fold(std::string_view normalized);

    /// Character bigrams of a Han/Kana run, in order.
    [[nodiscard]] static std::vector<std::string> bigrams(std::string_view cjk_run);

    /// Strips one trailing Korean particle from @p word when enough stem is left; "" if none.
    [[nodiscard]] static std::string strip_korean_particle(std::string_view word);

private:
    [[nodiscard]] std::vector<Token> tokenize_impl(std::string_view text, std::string_view lang, Xapian::termpos first_pos,
                                                   bool allow_fast) const;
};

/// The characters of a token kind that get one position per character.
[[nodiscard]] bool is_cjk_kind(TokenKind kind);

}  // namespace strata
