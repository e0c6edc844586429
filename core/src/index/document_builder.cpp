#include "index/document_builder.h"

#include "index/token_offsets.h"

#include "strata/extract.h"
#include "strata/hash.h"
#include "strata/langdetect.h"
#include "strata/passages.h"
#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace strata {

namespace {

// A passage is tagged with a theme when its lexicon hits reach kThemeMinHits, or when a
// single hit is dense enough for a short passage (hits per 100 words); themes given by hand
// in the metadata need one hit.
constexpr int kThemeMinHits = 2;
constexpr double kThemeMinDensity = 0.75;

std::string read_small(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

bool same_language(std::string_view a, std::string_view b) {
    return Analyzer::stem_language(a) == Analyzer::stem_language(b);
}

std::string lower(std::string_view s) { return text::ascii_lower(s); }

std::nullopt_t fail(BuiltDocument& out, CorpusIssue issue) {
    out.failed = true;
    out.issue = std::move(issue);
    return std::nullopt;
}

// Reads, hashes and extracts the source. Nothing when it failed (out.issue says why) or is
// unchanged since @p stored_hash: then it is not extracted at all.
std::optional<ExtractedDocument> read_if_changed(const DocumentMeta& meta, const std::string& stored_hash,
                                                 const std::string& salt, BuiltDocument& out) {
    std::string content;
    try {
        content = read_source_file(meta.text_path);
    } catch (const InputError& e) {
        return fail(out, {e.file(), e.line(), e.field(), e.message()});
    }
    out.bytes = content.size();
    out.hash = sha1_hex(read_small(meta.meta_path) + '\0' + content + '\0' + salt);
    if (out.hash == stored_hash) {
        out.unchanged = true;
        return std::nullopt;
    }
    try {
        ExtractedDocument doc = extract_content(std::move(content), meta.text_path);
        for (const std::string& w : doc.warnings) out.warnings.push_back(meta.text_path.string() + ": " + w);
        return doc;
    } catch (const InputError& e) {
        return fail(out, {meta.text_path.string(), e.line(), e.field(), e.message()});
    }
}

struct DocumentLanguage {
    std::string tag;        ///< "und" when neither given nor detected
    bool detected = false;  ///< not given in the metadata
};

DocumentLanguage document_language(const DocumentMeta& meta, const ExtractedDocument& doc) {
    if (!meta.language.empty()) return {meta.language, false};
    std::string tag = detect_language(doc.text).tag;
    return {tag.empty() ? "und" : tag, true};
}

// Concepts named in a title belong to every passage, as the title's words do: the
// concept term then covers every passage a concept phrase matches (query.cpp relies on it).
std::set<std::string> title_concepts(const DocumentMeta& meta, const std::string& doc_lang, const BuildContext& ctx) {
    std::set<std::string> out;
    for (const std::string* title : {&meta.title, &meta.title_en}) {
        if (title->empty()) continue;
        const std::string& title_lang = title == &meta.title ? doc_lang : std::string("en");
        std::vector<Token> toks = ctx.analyzer.tokenize(*title, title_lang);
        ctx.analyzer.stem_tokens(toks, title_lang);
        for (const auto& [concept_id, count] : ctx.lexicon.match(toks, title_lang).concepts) out.insert(concept_id);
    }
    return out;
}

// What every passage of one document shares.
struct DocumentScope {
    const DocumentMeta& meta;
    const BuildContext& ctx;
    const std::string& lang;  ///< the document's language
    const Country* country;   ///< null when the reference data does not know it
    std::string region, subregion;  ///< slugs; empty without a known country
    std::set<std::string> title_concepts;
};

// Sums over a document's passages, for its record.
struct PassageTotals {
    std::map<std::string, double> theme_passages;  ///< passages tagged with each theme
    std::set<std::string> languages;
    std::size_t words = 0;
};

// A passage long enough to tell is indexed in its own language when it reliably differs.
std::string passage_language(const Passage& p, const std::string& doc_lang) {
    if (p.words >= 40) {
        const DetectedLanguage d = detect_language(p.text);
        if (d.reliable && d.percent >= 70 && !d.tag.empty() && !same_language(d.tag, doc_lang)) return d.tag;
    }
    return doc_lang;
}

struct PassageTokens {
    std::vector<Token> heading, text;
};

// Every passage carries its document's titles, so a query that names the document and a
// subject finds the passage; then the section heading, then the text.
PassageTokens index_passage_text(Xapian::Document& xd, const DocumentScope& d, const Passage& p, const std::string& lang) {
    const Analyzer& analyzer = d.ctx.analyzer;
    Xapian::termpos next = 1;
    for (const std::string* title : {&d.meta.title, &d.meta.title_en}) {
        if (title->empty()) continue;
        const std::string& title_lang = title == &d.meta.title ? d.lang : std::string("en");
        next = analyzer.index_text(xd, *title, title_lang, next) + 10;
    }
    PassageTokens toks;
    toks.heading = analyzer.tokenize(p.section, lang, next);
    analyzer.stem_tokens(toks.heading, lang);
    next = analyzer.index_tokens(xd, toks.heading, lang, next);
    toks.text = analyzer.tokenize(p.text, lang, next + 10);
    analyzer.stem_tokens(toks.text, lang);
    analyzer.index_tokens(xd, toks.text, lang, next + 10);
    return toks;
}

void count_spelling(const std::vector<Token>& tokens, std::map<std::string, unsigned>& spelling) {
    for (const Token& t : tokens)
        if (t.kind == TokenKind::kWord && t.text.size() >= 3 && t.text.size() <= 40) ++spelling[t.text];
}

// Lexicon hits of the text and the heading together. A theme named in the section heading
// says what the whole passage is about, so it weighs double.
LexiconHits passage_hits(const LexiconHits& text_hits, const LexiconMatcher& lexicon, const PassageTokens& toks,
                         const std::string& lang) {
    LexiconHits hits = text_hits;
    const LexiconHits heading_hits = lexicon.match(toks.heading, lang);
    for (const auto& [k, v] : heading_hits.themes) hits.themes[k] += 2 * v;
    for (const auto& [k, v] : heading_hits.concepts) hits.concepts[k] += v;
    return hits;
}

// The counting terms of corpus analysis (schema.h: XW, XK): the text's own tokens and
// concept hits, so that they add up to kSlotTokens's denominator.
void add_count_terms(Xapian::Document& xd, const std::vector<Token>& text, const LexiconHits& text_hits,
                     const std::string& lang) {
    std::map<std::string, Xapian::termcount> words;
    for (const Token& t : text) ++words[t.text];
    const std::string stem_lang = Analyzer::stem_language(lang);
    for (const auto& [word, n] : words) xd.add_term(schema::word_count_term(stem_lang, word), n);
    for (const auto& [concept_id, n] : text_hits.concepts)
        xd.add_term(schema::term(schema::kConceptCount, concept_id), static_cast<Xapian::termcount>(n));
}

struct PassageThemes {
    nlohmann::json scores = nlohmann::json::object();  ///< theme → hits per 100 words
    std::string value;                                 ///< the themes, one a line (kSlotThemes)
};

PassageThemes add_theme_terms(Xapian::Document& xd, const DocumentScope& d, const std::map<std::string, int>& hits,
                              const std::map<std::string, int>& text_hits, std::size_t words, PassageTotals& totals) {
    const std::vector<Theme>& themes = d.ctx.ref.themes;
    PassageThemes out;
    for (const auto& [theme, count] : hits) {
        const bool manual = std::find(d.meta.themes.begin(), d.meta.themes.end(), theme) != d.meta.themes.end();
        const double score = 100.0 * count / static_cast<double>(std::max<std::size_t>(words, 50));
        if (count < kThemeMinHits && score < kThemeMinDensity && !(manual && count >= 1)) continue;
        out.scores[theme] = std::round(score * 100) / 100;
        xd.add_boolean_term(schema::term(schema::kTheme, theme));
        const auto in_text = text_hits.find(theme);
        xd.add_term(schema::term(schema::kThemeCount, theme),
                    in_text == text_hits.end() ? 0 : static_cast<Xapian::termcount>(in_text->second));
        const std::string& theme_id = theme;  // a structured binding cannot be captured (C++20, clang)
        const auto ti = std::find_if(themes.begin(), themes.end(), [&](const Theme& t) { return t.id == theme_id; });
        if (ti != themes.end())
            xd.add_value(schema::kSlotThemeScoreBase + static_cast<Xapian::valueno>(ti - themes.begin()),
                         Xapian::sortable_serialise(score));
        if (!out.value.empty()) out.value += '\n';
        out.value += theme;
        totals.theme_passages[theme] += 1;
    }
    return out;
}

void add_concept_terms(Xapian::Document& xd, const DocumentScope& d, const std::map<std::string, int>& hits) {
    std::set<std::string> concepts = d.title_concepts;
    for (const auto& [concept_id, count] : hits) concepts.insert(concept_id);
    for (const std::string& concept_id : concepts) xd.add_boolean_term(schema::term(schema::kConcept, concept_id));
}

// The boolean terms that filter and drill down (schema.h).
void add_filter_terms(Xapian::Document& xd, const DocumentScope& d, const std::string& lang, std::size_t n) {
    const DocumentMeta& meta = d.meta;
    xd.add_boolean_term(std::string(schema::kUniqueId) + meta.id + "#" + std::to_string(n));
    xd.add_boolean_term(std::string(schema::kDocId) + meta.id);
    xd.add_boolean_term(std::string(schema::kCountry) + meta.country);
    if (!d.region.empty()) xd.add_boolean_term(schema::term(schema::kRegion, d.region));
    if (!d.subregion.empty()) xd.add_boolean_term(schema::term(schema::kRegion, d.subregion));
    if (d.country && !d.country->income.empty()) xd.add_boolean_term(schema::term(schema::kIncome, d.country->income));
    if (d.country)
        for (const std::string& b : d.country->blocs) xd.add_boolean_term(schema::term(schema::kBloc, b));
    xd.add_boolean_term(std::string(schema::kLanguage) + lower(lang));
    xd.add_boolean_term(schema::term(schema::kType, meta.type));
    xd.add_boolean_term(std::string(schema::kYear) + std::to_string(meta.year));
}

// The value slots that sort and count facets (schema.h says how each is encoded).
void add_values(Xapian::Document& xd, const DocumentScope& d, const std::string& lang, std::size_t n,
                const std::string& theme_value) {
    const DocumentMeta& meta = d.meta;
    xd.add_value(schema::kSlotYear, Xapian::sortable_serialise(meta.year));
    xd.add_value(schema::kSlotDocId, meta.id);
    xd.add_value(schema::kSlotCountry, meta.country);
    xd.add_value(schema::kSlotThemes, theme_value);
    xd.add_value(schema::kSlotLanguage, lower(lang));
    xd.add_value(schema::kSlotType, meta.type);
    xd.add_value(schema::kSlotRegion, d.region);
    xd.add_value(schema::kSlotPassageNo, Xapian::sortable_serialise(static_cast<double>(n)));
    std::string themes_csv = theme_value;
    std::replace(themes_csv.begin(), themes_csv.end(), '\n', ',');
    xd.add_value(schema::kSlotFacetKey, meta.id + '\x1f' + meta.country + '\x1f' + d.region + '\x1f' +
                                            std::to_string(meta.year) + '\x1f' + lower(lang) + '\x1f' + meta.type +
                                            '\x1f' + themes_csv);
}

// Adds passage @p n: its Xapian document (terms and values) and its stored data.
void add_passage(const DocumentScope& d, const Passage& p, std::size_t n, BuiltDocument& out, PassageTotals& totals) {
    const std::string lang = passage_language(p, d.lang);
    totals.languages.insert(lang);
    totals.words += p.words;

    Xapian::Document xd;
    const PassageTokens toks = index_passage_text(xd, d, p, lang);
    count_spelling(toks.text, out.spelling);
    const LexiconHits text_hits = d.ctx.lexicon.match(toks.text, lang);
    const LexiconHits hits = passage_hits(text_hits, d.ctx.lexicon, toks, lang);
    add_count_terms(xd, toks.text, text_hits, lang);
    PassageThemes themes = add_theme_terms(xd, d, hits.themes, text_hits.themes, p.words, totals);
    add_concept_terms(xd, d, hits.concepts);
    add_filter_terms(xd, d, lang, n);
    add_values(xd, d, lang, n, themes.value);
    xd.add_value(schema::kSlotTokens, Xapian::sortable_serialise(static_cast<double>(toks.text.size())));
    xd.add_value(schema::kSlotOffsets, encode_offsets(toks.text, p.text));

    nlohmann::json data = {{"doc", d.meta.id}, {"n", n},          {"section", p.section}, {"page", p.page},
                           {"page_end", p.page_end}, {"start", p.start}, {"end", p.end}, {"lang", lang},
                           {"words", p.words}, {"themes", std::move(themes.scores)}, {"text", p.text}};
    out.passages.push_back(std::move(xd));
    out.passage_data.push_back(std::move(data));
}

nlohmann::json document_record(const DocumentScope& d, const DocumentLanguage& lang, const ExtractedDocument& doc,
                               std::size_t passages, const PassageTotals& totals, std::uint64_t bytes) {
    const DocumentMeta& meta = d.meta;
    nlohmann::json profile = nlohmann::json::object();
    for (const auto& [theme, count] : totals.theme_passages)
        profile[theme] = std::round(10000.0 * count / static_cast<double>(passages)) / 10000;
    return {{"id", meta.id},
            {"country", meta.country},
            {"country_name", d.country ? d.country->name : meta.country},
            {"region", d.region},
            {"subregion", d.subregion},
            {"title", meta.title},
            {"title_en", meta.title_en},
            {"year", meta.year},
            {"language", lang.tag},
            {"language_detected", lang.detected},
            {"languages", totals.languages},
            {"type", meta.type},
            {"issuer", meta.issuer},
            {"source_url", meta.source_url},
            {"digest", meta.digest},
            {"themes_manual", meta.themes},
            {"format", doc.format},
            {"pages", doc.pages},
            {"passages", passages},
            {"words", totals.words},
            {"bytes", bytes},
            {"theme_profile", profile}};
}

// Passage 0 carries the document record, so that it can be found through the Q<id>#0 term
// on any shard (database metadata is read from the first shard only).
void set_passage_data(BuiltDocument& out) {
    out.passage_data[0]["record"] = out.record;
    for (std::size_t n = 0; n < out.passages.size(); ++n)
        out.passages[n].set_data(out.passage_data[n].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    out.passage_data.clear();
}

}  // namespace

BuiltDocument build_document(const DocumentMeta& meta, const BuildContext& ctx, const std::string& stored_hash,
                             const std::string& salt) {
    BuiltDocument out;
    out.id = meta.id;
    const std::optional<ExtractedDocument> doc = read_if_changed(meta, stored_hash, salt, out);
    if (!doc) return out;  // failed, or unchanged
    const DocumentLanguage lang = document_language(meta, *doc);
    const std::vector<Passage> passages = split_passages(*doc);
    if (passages.empty()) {  // only a document without words
        fail(out, {meta.text_path.string(), 0, "file", "no text could be extracted"});
        return out;
    }

    const Country* country = ctx.ref.country(meta.country);
    const DocumentScope scope{meta,
                              ctx,
                              lang.tag,
                              country,
                              country ? schema::slug(country->region) : std::string(),
                              country ? schema::slug(country->subregion) : std::string(),
                              title_concepts(meta, lang.tag, ctx)};
    PassageTotals totals;
    for (std::size_t n = 0; n < passages.size(); ++n) add_passage(scope, passages[n], n, out, totals);
    out.record = document_record(scope, lang, *doc, passages.size(), totals, out.bytes);
    set_passage_data(out);
    return out;
}

}  // namespace strata
