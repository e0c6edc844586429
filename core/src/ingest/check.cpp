#include "strata/check.h"

#include "strata/analyzer.h"
#include "strata/extract.h"
#include "strata/text.h"

#include <unicode/uscript.h>

#include <set>

namespace strata {

std::string dominant_script(std::string_view s, std::string_view lang) {
    std::map<int, std::size_t> counts;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = text::decode_utf8(s, i);
        UErrorCode err = U_ZERO_ERROR;
        const UScriptCode sc = uscript_getScript(static_cast<UChar32>(c), &err);
        if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || U_FAILURE(err)) continue;
        ++counts[sc];
    }
    int best = USCRIPT_COMMON;
    std::size_t n = 0;
    for (const auto& [sc, count] : counts)
        if (count > n) best = sc, n = count;
    if (n == 0) return "Zyyy";
    const std::string l = text::ascii_lower(lang);
    if (best == USCRIPT_HAN || best == USCRIPT_HIRAGANA || best == USCRIPT_KATAKANA) {
        if (l.rfind("ja", 0) == 0) return "Jpan";
        if (l == "zh-hant" || l == "zh-tw" || l == "zh-hk") return "Hant";
        return "Hans";
    }
    if (best == USCRIPT_HANGUL) return "Kore";
    return uscript_getShortName(static_cast<UScriptCode>(best));
}

CorpusReport check_corpus(const std::filesystem::path& corpus_dir) {
    CorpusReport r;
    ReferenceData ref;
    try {
        ref = load_reference(corpus_dir);
    } catch (const InputError& e) {
        r.issues.push_back({e.file(), e.line(), e.field(), e.message()});
        return r;
    }
    r.themes = ref.themes.size();
    r.concepts = ref.concepts.size();
    for (const Theme& t : ref.themes) r.theme_languages[t.id] = t.lexicon.size();
    for (const Concept& c : ref.concepts) r.concept_languages[c.id] = c.terms.size();

    CorpusScan scan = scan_corpus(corpus_dir);
    r.issues = scan.issues;
    if (scan.documents.empty() && scan.issues.empty())
        r.issues.push_back({corpus_dir.string(), 0, "", "no document metadata found (a *.yaml with a file: key)"});
    const Analyzer analyzer;
    for (const DocumentMeta& d : scan.documents) {
        if (!ref.country(d.country))
            r.issues.push_back({d.meta_path.string(), 0, "country", "'" + d.country + "' is not in countries.yaml"});
        for (const std::string& t : d.themes)
            if (!ref.theme(t)) r.issues.push_back({d.meta_path.string(), 0, "themes", "'" + t + "' is not in themes.yaml"});
        std::string body;
        try {
            body = extract_file(d.text_path).text;
        } catch (const InputError& e) {
            r.issues.push_back({e.file(), e.line(), e.field(), e.message()});
            continue;
        }
        ++r.documents;
        ++r.countries[d.country];
        ++r.languages[d.language.empty() ? "(detect)" : d.language];
        ++r.scripts[dominant_script(body, d.language)];
        ++r.years[std::to_string(d.year)];
        ++r.types[d.type];
        std::size_t words = 0;
        for (const Token& t : analyzer.tokenize(body, d.language))
            if (t.kind != TokenKind::kNumber) ++words;
        r.words[d.id] = words;
    }
    return r;
}

bool print_corpus_check(const std::filesystem::path& corpus_dir, std::ostream& out) {
    const CorpusReport r = check_corpus(corpus_dir);
    for (const CorpusIssue& i : r.issues) out << "error: " << i.to_string() << "\n";
    auto line = [&](const char* name, const std::map<std::string, std::size_t>& m) {
        out << name << " (" << m.size() << "):";
        for (const auto& [k, v] : m) out << " " << k << "=" << v;
        out << "\n";
    };
    out << "documents: " << r.documents << "\n";
    line("countries", r.countries);
    line("languages", r.languages);
    line("scripts", r.scripts);
    line("years", r.years);
    line("types", r.types);
    std::size_t min_langs = SIZE_MAX;
    for (const auto& [id, n] : r.concept_languages) min_langs = std::min(min_langs, n);
    out << "themes: " << r.themes << "\nconcepts: " << r.concepts;
    if (r.concepts) out << " (at least " << min_langs << " languages each)";
    out << "\n" << (r.issues.empty() ? "ok" : std::to_string(r.issues.size()) + " problem(s)") << "\n";
    return r.issues.empty();
}

}  // namespace strata
