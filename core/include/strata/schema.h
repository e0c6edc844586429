/** @file schema.h
 *  @brief The one index schema: term prefixes, value slots and metadata keys.
 *
 *  A Xapian document is one passage. Every program takes prefixes and slots from here.
 *  Prefixes follow Xapian's conventions (see xapian-core docs/termprefixes): a single
 *  capital letter for the standard ones, `X` plus capitals for our own. A term whose
 *  body would start with a capital gets a ':' after the prefix.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace strata::schema {

// ---- Boolean filter terms (wdf 0, no positions) ----
inline constexpr std::string_view kUniqueId = "Q";     ///< Q<doc-id>#<passage-no>: one passage
inline constexpr std::string_view kDocId = "XD";       ///< XD<doc-id>: every passage of a document
inline constexpr std::string_view kCountry = "N";      ///< N<ISO alpha-2, upper case>, e.g. "NMX"
inline constexpr std::string_view kRegion = "XR";      ///< XR<region slug>, e.g. "XReurope", also sub-regions
inline constexpr std::string_view kLanguage = "L";     ///< L<bcp47 lower case>, e.g. "Les", "Lzh-hans"
inline constexpr std::string_view kType = "XT";        ///< XT<type>, e.g. "XTstrategy"
inline constexpr std::string_view kYear = "Y";         ///< Y<yyyy>
inline constexpr std::string_view kTheme = "XH";       ///< XH<theme id>: passage tagged with the theme
inline constexpr std::string_view kConcept = "XC";     ///< XC<concept id>: passage mentions the concept
/// XI<World Bank income group of the country>: "XIhigh", "XIupper-middle", "XIlower-middle", "XIlow"
inline constexpr std::string_view kIncome = "XI";
inline constexpr std::string_view kBloc = "XB";        ///< XB<bloc id> per bloc of the country, e.g. "XBeu", "XBoecd"

// ---- Free-text terms ----
// Unprefixed: normalised (NFKC case-folded) words with positions, plus their accent-folded
// form at the same position where it differs, plus CJK character bigrams (see analyzer.h).
inline constexpr std::string_view kStem = "Z";         ///< Z<lang>:<stem>, e.g. "Zes:etic" (wdf only)
inline constexpr std::string_view kTitle = "S";        ///< S<word>: words of the document title

// ---- Counting terms (wdf only, no positions; read by corpus analysis, never searched) ----
/// XW<lang>:<word>, wdf = how many tokens of the passage text (heading and titles
/// excluded) have the normalised form <word>; <lang> is Analyzer::stem_language() of the
/// passage's language ("pt-BR" → "pt"). Exactly the tokens kSlotTokens counts, so the wdfs
/// of a passage's XW terms add up to its kSlotTokens. The unprefixed terms cannot serve:
/// they also hold titles, headings, accent-folded forms and CJK bigrams at the same positions.
inline constexpr std::string_view kWordCount = "XW";
/// XK<concept id>, wdf = lexicon hits of the concept's thesaurus terms (any language) in
/// the passage text, heading and titles excluded. XC says a passage names a concept; XK
/// says how often its text does.
inline constexpr std::string_view kConceptCount = "XK";
/// XJ<theme id>, only on passages tagged with the theme (XH), wdf = lexicon hits of the
/// theme in the passage text, heading and titles excluded (may be 0 when the heading alone
/// tagged it): compare's per_million measure.
inline constexpr std::string_view kThemeCount = "XJ";

// ---- Value slots ----
enum Slot : Xapian::valueno {
    kSlotYear = 0,      ///< Xapian::sortable_serialise(year)
    kSlotDocId = 1,     ///< document id as UTF-8; the collapse key for group=document
    kSlotCountry = 2,   ///< ISO alpha-2 code
    kSlotThemes = 3,    ///< theme ids of the passage, joined by '\n' (multi-valued facet)
    kSlotLanguage = 4,  ///< bcp47 code, lower case
    kSlotType = 5,      ///< document type
    kSlotRegion = 6,    ///< UN M49 region slug of the country
    kSlotPassageNo = 7, ///< Xapian::sortable_serialise(passage number within its document)
    /// Every facet value of the passage with its document id, fields joined by '\x1f':
    /// doc, country, region, year, lang, type, themes (joined by ','). Counted in one pass
    /// (see facet_table.h: an in-memory column over one local index, Xapian's
    /// ValueCountMatchSpy over shards), this gives exact passage and distinct-document
    /// counts for every facet.
    kSlotFacetKey = 8,
    /// Xapian::sortable_serialise(number of word tokens in the passage text): every token
    /// that is not punctuation (words, numbers, CJK and Thai segmented words, Hangul),
    /// heading and titles excluded. The denominator of per-million rates (corpus analysis).
    kSlotTokens = 9,
    /// Where each position of the passage text stands in the stored text: the first text
    /// position, then per position its byte range, varint-encoded (index/token_offsets.h).
    /// Corpus analyses cut concordance lines with it without analysing the text again.
    kSlotOffsets = 10,
    /// kSlotThemeScoreBase + i: Xapian::sortable_serialise(score) of the i-th theme of the
    /// index's themes.yaml, on passages tagged with it; sorting by it finds a theme's best
    /// passage with no query (also on remote shards).
    kSlotThemeScoreBase = 100,
};

// ---- Database metadata keys ----
inline constexpr std::string_view kMetaDocPrefix = "doc:";      ///< doc:<id> → document record JSON
inline constexpr std::string_view kMetaHashPrefix = "hash:";    ///< hash:<id> → content hash of the indexed version
inline constexpr std::string_view kMetaSchemaVersion = "strata:schema";
inline constexpr std::string_view kMetaReferenceHash = "strata:reference"; ///< hash of themes/concepts/countries
inline constexpr std::string_view kMetaBuiltAt = "strata:built_at";

/// Bump when the way terms or stored passages are generated changes; an index of another
/// version is rebuilt. 7: token counts and offsets (slots 9, 10), counting terms (XW, XK,
/// XJ), and markdown emphasis (*…*, _…_) no longer in passage text. 8: income (XI) and
/// bloc (XB) filter terms.
inline constexpr int kSchemaVersion = 8;

/// A prefixed term; adds ':' when the body starts with an ASCII capital (Xapian convention).
inline std::string term(std::string_view prefix, std::string_view body) {
    std::string t(prefix);
    if (prefix.size() > 1 && !body.empty() && body.front() >= 'A' && body.front() <= 'Z') t += ':';
    t += body;
    return t;
}

/// The stem term of a word in a language: Z<lang>:<stem>.
inline std::string stem_term(std::string_view lang, std::string_view stem) {
    std::string t(kStem);
    t += lang;
    t += ':';
    t += stem;
    return t;
}

/// The counting term of a word in a language: XW<lang>:<word> (lang as stem_language()).
inline std::string word_count_term(std::string_view lang, std::string_view word) {
    std::string t(kWordCount);
    t += lang;
    t += ':';
    t += word;
    return t;
}

/// Region and type slugs: lower case ASCII, spaces and punctuation to '-'.
std::string slug(std::string_view text);

}  // namespace strata::schema
