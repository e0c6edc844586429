#include "index/document_builder.h"

#include "strata/extract.h"
#include "strata/hash.h"
#include "strata/langdetect.h"
#include "strata/passages.h"
#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <cmath>
#include <fstream>
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

}  // namespace

BuiltDocument build_document(const DocumentMeta& meta, const BuildContext& ctx, const std::string& stored_hash,
                             const std::string& salt) {
    BuiltDocument out;
    out.id = meta.id;
    std::string content;
    try {
        content = read_source_file(meta.text_path);
    } catch (const InputError& e) {
        out.failed = true;
        out.issue = {e.file(), e.line(), e.field(), e.message()};
        return out;
    }
    out.bytes = content.size();
    out.hash = sha1_hex(read_small(meta.meta_path) + '\0' + content + '\0' + salt);
    if (out.hash == stored_hash) {
        out.unchanged = true;
        return out;
    }

    ExtractedDocument doc;
    try {
        doc = extract_content(std::move(content), meta.text_path);
    } catch (const InputError& e) {
        out.failed = true;
        out.issue = {meta.text_path.string(), e.line(), e.field(), e.message()};
        return out;
    }
    for (const std::string& w : doc.warnings) out.warnings.push_back(meta.text_path.string() + ": " + w);

    std::string doc_lang = meta.language;
    bool detected = false;
    if (doc_lang.empty()) {
        doc_lang = detect_language(doc.text).tag;
        detected = true;
        if (doc_lang.empty()) doc_lang = "und";
    }

    const std::vector<Passage> passages = split_passages(doc);
    if (passages.empty()) {
        out.failed = true;
        out.issue = {meta.text_path.string(), 0, "file", "no text could be extracted"};
        return out;
    }

    const Country* country = ctx.ref.country(meta.country);
    const std::string region = country ? schema::slug(country->region) : std::string();
    const std::string subregion = country ? schema::slug(country->subregion) : std::string();
    std::map<std::string, double> theme_passages;
    std::set<std::string> languages;
    std::size_t words = 0;

    // Concepts named in a title belong to every passage, as the title's words do: the
    // concept term then covers every passage a concept phrase matches (query.cpp relies on it).
    std::set<std::string> title_concepts;
    for (const std::string* title : {&meta.title, &meta.title_en}) {
        if (title->empty()) continue;
        const std::string& title_lang = title == &meta.title ? doc_lang : std::string("en");
        std::vector<Token> toks = ctx.analyzer.tokenize(*title, title_lang);
        ctx.analyzer.stem_tokens(toks, title_lang);
        for (const auto& [concept_id, count] : ctx.lexicon.match(toks, title_lang).concepts) title_concepts.insert(concept_id);
    }

    for (std::size_t n = 0; n < passages.size(); ++n) {
        const Passage& p = passages[n];
        std::string lang = doc_lang;
        if (p.words >= 40) {
            const DetectedLanguage d = detect_language(p.text);
            if (d.reliable && d.percent >= 70 && !d.tag.empty() && !same_language(d.tag, doc_lang)) lang = d.tag;
        }
        languages.insert(lang);
        words += p.words;

        Xapian::Document xd;
        // Every passage carries its document's titles, so a query that names the document
        // and a subject finds the passage; then the section heading, then the text.
        Xapian::termpos next = 1;
        for (const std::string* title : {&meta.title, &meta.title_en}) {
            if (title->empty()) continue;
            const std::string& title_lang = title == &meta.title ? doc_lang : std::string("en");
            next = ctx.analyzer.index_text(xd, *title, title_lang, next) + 10;
        }
        std::vector<Token> heading = ctx.analyzer.tokenize(p.section, lang, next);
        ctx.analyzer.stem_tokens(heading, lang);
        next = ctx.analyzer.index_tokens(xd, heading, lang, next);
        std::vector<Token> tokens = ctx.analyzer.tokenize(p.text, lang, next + 10);
        ctx.analyzer.stem_tokens(tokens, lang);
        ctx.analyzer.index_tokens(xd, tokens, lang, next + 10);

        for (const Token& t : tokens)
            if (t.kind == TokenKind::kWord && t.text.size() >= 3 && t.text.size() <= 40) ++out.spelling[t.text];

        LexiconHits hits = ctx.lexicon.match(tokens, lang);
        // A theme named in the section heading says what the whole passage is about.
        const LexiconHits heading_hits = ctx.lexicon.match(heading, lang);
        for (const auto& [k, v] : heading_hits.themes) hits.themes[k] += 2 * v;
        nlohmann::json themes = nlohmann::json::object();
        std::string theme_value;
        for (const auto& [theme, count] : hits.themes) {
            const bool manual = std::find(meta.themes.begin(), meta.themes.end(), theme) != meta.themes.end();
            const double score = 100.0 * count / static_cast<double>(std::max<std::size_t>(p.words, 50));
            if (count < kThemeMinHits && score < kThemeMinDensity && !(manual && count >= 1)) continue;
            themes[theme] = std::round(score * 100) / 100;
            xd.add_boolean_term(schema::term(schema::kTheme, theme));
            const std::string& theme_id = theme;  // a structured binding cannot be captured (C++20, clang)
            const auto ti = std::find_if(ctx.ref.themes.begin(), ctx.ref.themes.end(),
                                         [&](const Theme& t) { return t.id == theme_id; });
            if (ti != ctx.ref.themes.end())
                xd.add_value(schema::kSlotThemeScoreBase + static_cast<Xapian::valueno>(ti - ctx.ref.themes.begin()),
                             Xapian::sortable_serialise(score));
            if (!theme_value.empty()) theme_value += '\n';
            theme_value += theme;
            theme_passages[theme] += 1;
        }
        std::set<std::string> concepts = title_concepts;
        for (const auto& [concept_id, count] : hits.concepts) concepts.insert(concept_id);
        for (const auto& [concept_id, count] : heading_hits.concepts) concepts.insert(concept_id);
        for (const std::string& concept_id : concepts) xd.add_boolean_term(schema::term(schema::kConcept, concept_id));

        const std::string passage_no = std::to_string(n);
        xd.add_boolean_term(std::string(schema::kUniqueId) + meta.id + "#" + passage_no);
        xd.add_boolean_term(std::string(schema::kDocId) + meta.id);
        xd.add_boolean_term(std::string(schema::kCountry) + meta.country);
        if (!region.empty()) xd.add_boolean_term(schema::term(schema::kRegion, region));
        if (!subregion.empty()) xd.add_boolean_term(schema::term(schema::kRegion, subregion));
        xd.add_boolean_term(std::string(schema::kLanguage) + lower(lang));
        xd.add_boolean_term(schema::term(schema::kType, meta.type));
        xd.add_boolean_term(std::string(schema::kYear) + std::to_string(meta.year));

        xd.add_value(schema::kSlotYear, Xapian::sortable_serialise(meta.year));
        xd.add_value(schema::kSlotDocId, meta.id);
        xd.add_value(schema::kSlotCountry, meta.country);
        xd.add_value(schema::kSlotThemes, theme_value);
        xd.add_value(schema::kSlotLanguage, lower(lang));
        xd.add_value(schema::kSlotType, meta.type);
        xd.add_value(schema::kSlotRegion, region);
        xd.add_value(schema::kSlotPassageNo, Xapian::sortable_serialise(static_cast<double>(n)));
        std::string themes_csv = theme_value;
        std::replace(themes_csv.begin(), themes_csv.end(), '\n', ',');
        xd.add_value(schema::kSlotFacetKey, meta.id + '\x1f' + meta.country + '\x1f' + region + '\x1f' +
                                                std::to_string(meta.year) + '\x1f' + lower(lang) + '\x1f' + meta.type +
                                                '\x1f' + themes_csv);

        nlohmann::json data = {{"doc", meta.id},   {"n", n},          {"section", p.section}, {"page", p.page},
                               {"page_end", p.page_end}, {"start", p.start}, {"end", p.end},   {"lang", lang},
                               {"words", p.words}, {"themes", themes}, {"text", p.text}};
        out.passages.push_back(std::move(xd));
        out.passage_data.push_back(std::move(data));
    }

    nlohmann::json profile = nlohmann::json::object();
    for (const auto& [theme, count] : theme_passages)
        profile[theme] = std::round(10000.0 * count / static_cast<double>(passages.size())) / 10000;
    out.record = {{"id", meta.id},
                  {"country", meta.country},
                  {"country_name", country ? country->name : meta.country},
                  {"region", region},
                  {"subregion", subregion},
                  {"title", meta.title},
                  {"title_en", meta.title_en},
                  {"year", meta.year},
                  {"language", doc_lang},
                  {"language_detected", detected},
                  {"languages", languages},
                  {"type", meta.type},
                  {"issuer", meta.issuer},
                  {"source_url", meta.source_url},
                  {"digest", meta.digest},
                  {"themes_manual", meta.themes},
                  {"format", doc.format},
                  {"pages", doc.pages},
                  {"passages", passages.size()},
                  {"words", words},
                  {"bytes", out.bytes},
                  {"theme_profile", profile}};
    // Passage 0 carries the document record, so that it can be found through the
    // Q<id>#0 term on any shard (database metadata is read from the first shard only).
    out.passage_data[0]["record"] = out.record;
    for (std::size_t n = 0; n < out.passages.size(); ++n)
        out.passages[n].set_data(out.passage_data[n].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    out.passage_data.clear();
    return out;
}

}  // namespace strata
