// What a search says besides its hits: a spelling suggestion when nothing matched, and a
// warning when a lowercase operator word changed the result.
#include "search/search_steps.h"
#include "strata/schema.h"
#include "text/translate.h"

#include <algorithm>
#include <cctype>

namespace strata {

namespace {

// Whether @p term occurs in a passage of one of @p languages (all, when none is known).
bool in_languages(Xapian::Database& db, const std::string& term, const std::vector<std::string>& languages) {
    if (languages.empty()) return true;
    Filters f;
    for (const std::string& l : languages) f.add("lang", l);
    Xapian::Enquire enq(db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term), f.to_query()));
    enq.set_weighting_scheme(Xapian::BoolWeight());
    return enq.get_mset(0, 1).size() > 0;
}

// Whether a FreeDict dictionary knows @p word as a headword in some language: a real
// word ("nonsense") is no misspelling, even where the index lacks it.
bool dictionary_word(const std::string& word) {
    const Translator& dict = Translator::builtin();
    if (!dict.translate(word, "en", {"de", "fr", "es"}).empty()) return true;
    for (const std::string& lang : dict.languages())
        if (!dict.translate(word, lang, {"en"}).empty()) return true;
    return false;
}

}  // namespace

// Only a word that neither the index nor a dictionary knows is corrected, never an acronym,
// and only into a word of the query's language; never after a warning (the query was not
// read as typed).
nlohmann::json Searcher::did_you_mean(const SearchRun& run, const FacetTally& tallied,
                                      const std::vector<std::string>& warnings) const {
    if (tallied.passages != 0 || run.pq.words.empty() || !warnings.empty()) return nullptr;
    std::string suggestion;
    bool changed = false;
    for (const std::string& w : run.pq.words) {
        std::string s;
        if (w.size() >= 3 && !run.pq.acronyms.count(w) && !run.db.term_exists(w) && !dictionary_word(w)) {
            s = run.db.get_spelling_suggestion(w, 2);
            if (!s.empty() && !in_languages(run.db, s, run.pq.languages)) s.clear();
        }
        if (!suggestion.empty()) suggestion += ' ';
        suggestion += s.empty() ? w : s;
        changed = changed || !s.empty();
    }
    return changed ? nlohmann::json(suggestion) : nlohmann::json(nullptr);
}

std::string Searcher::operator_word_warning(const SearchRun& run) const {
    if (run.pq.operator_words.empty()) return {};
    SearchRequest alt = run.r;
    alt.q = run.pq.as_operators;
    const SearchRun other = prepare(run.db, alt);
    const std::size_t as_typed = run.match.ranked.size();
    const std::size_t as_operators = count_documents(run.db, other.pq, other.filter, run.column, options_.limits.max_seconds);
    if (as_typed == as_operators) return {};
    std::string words;
    for (const std::string& w : run.pq.operator_words) {
        std::string upper = w;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
        if (words.find("'" + w + "'") == std::string::npos) words += (words.empty() ? "'" : ", '") + w + "' (" + upper + ")";
    }
    return "lowercase " + words + " was searched as a word and the query matches " + std::to_string(as_typed) +
           " documents; as an operator it would match " + std::to_string(as_operators) + ": write it in capitals";
}

}  // namespace strata
