// GET /v1/keyness: the words or concepts distinctive of a target subset against a reference.
//
// Counting reads the XW/XK counting terms of schema.h from each target passage's termlist.
// The reference is, when it can be, the index's collection frequencies minus the target
// (the rest of the corpus, no other filter): then only the target's passages are read.
// Otherwise the reference's passages are read the same way.
#include "analysis/keyness_count.h"
#include "search/filter_check.h"
#include "search/response_json.h"
#include "strata/errors.h"
#include "strata/keyness.h"
#include "strata/schema.h"
#include "text/stopwords.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace strata {

namespace {

double round_to(double x, double scale) { return std::round(x * scale) / scale; }

const char* side_name(KeynessRequest::Side side) {
    return side == KeynessRequest::Side::kTarget ? "target" : side == KeynessRequest::Side::kReference ? "reference" : "both";
}

// A side's filter expression ("country:MX region:europe") as Filters; throws when it holds text.
Filters side_filters(const Searcher& s, Xapian::Database& db, const std::string& expr, const std::string& name) {
    QueryContext ctx{s.analyzer(), nullptr, nullptr, {}, {}, false, {}};
    ctx.limits.max_bytes = s.limits().max_query_bytes;
    ParsedQuery pq = parse_query(expr, ctx);
    if (pq.has_text || pq.filters.empty())
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' must be field filters such as country:MX or "
                                                  "region:europe, not '" + expr.substr(0, 80) + "'");
    check_filters(pq.filters, s.reference(), db);
    return pq.filters;
}

struct Plan {
    Xapian::Query target, reference;  ///< reference already excludes the target; empty: fast path
    std::set<std::string> langs;      ///< stem languages compared; empty: all (concepts)
    std::vector<std::string> warnings;
};

// Word keyness compares like with like: lang= names the languages, or else the target's
// main language (by tokens) is compared, and the rest of its text is left out, with a warning.
std::set<std::string> choose_languages(const KeynessRequest& req, const std::vector<PassageRef>& target, Plan& plan) {
    std::set<std::string> langs;
    if (auto it = req.filters.values.find("lang"); it != req.filters.values.end()) {
        for (const std::string& l : it->second) langs.insert(Analyzer::stem_language(l));
        return langs;
    }
    if (req.unit == KeynessRequest::Unit::kConcept) return langs;
    std::map<std::string, double> tokens;
    for (const PassageRef& p : target) tokens[p.lang] += p.tokens;
    if (tokens.empty()) return langs;
    const auto main = std::max_element(tokens.begin(), tokens.end(), [](auto& x, auto& y) { return x.second < y.second; });
    langs.insert(main->first);
    std::string left_out;
    for (const auto& [l, n] : tokens)
        if (l != main->first) left_out += (left_out.empty() ? "" : ", ") + l + " (" + std::to_string(std::llround(n)) + " tokens)";
    if (!left_out.empty())
        plan.warnings.push_back("word keyness compares text in one language: the target's text in " + main->first +
                                " is compared; its text in " + left_out + " is left out (lang= chooses)");
    return langs;
}

Xapian::Query both(const Xapian::Query& a, const Xapian::Query& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return Xapian::Query(Xapian::Query::OP_AND, a, b);
}

// The target's passages in the compared languages, and the reference's query.
std::vector<PassageRef> plan_sides(const Searcher& s, Xapian::Database& db, const KeynessRequest& req, Plan& plan) {
    Filters common = req.filters;
    check_filters(common, s.reference(), db);
    common.values.erase("lang");
    const Xapian::Query common_q = common.to_query();
    plan.target = both(side_filters(s, db, req.target, "target").to_query(), common_q);
    std::vector<PassageRef> target = passages_of(db, plan.target);
    plan.langs = choose_languages(req, target, plan);
    std::erase_if(target, [&](const PassageRef& p) { return !plan.langs.empty() && !plan.langs.count(p.lang); });
    const Xapian::Query lang_q = language_query(db, plan.langs);
    plan.target = both(plan.target, lang_q);
    // The fast path needs counting terms that hold exactly the universe: XW terms are kept by
    // language, XK terms are not.
    const bool fast = req.reference.empty() && common.empty() &&
                      (req.unit == KeynessRequest::Unit::kWord || plan.langs.empty());
    if (!fast) {
        Xapian::Query ref = req.reference.empty() ? match_all() : side_filters(s, db, req.reference, "reference").to_query();
        ref = both(both(ref, common_q), lang_q);
        plan.reference = Xapian::Query(Xapian::Query::OP_AND_NOT, ref, plan.target);
    }
    return target;
}

struct RowCounts {
    std::uint64_t a = 0, b = 0;  ///< target and reference counts
    std::uint32_t target_documents = 0;
};

bool is_stop_word(const std::string& word, const std::set<std::string>& langs) {
    for (const std::string& l : StopWords::builtin().languages_of(word))
        if (langs.count(l)) return true;
    return false;
}

std::string concept_label(const ReferenceData& ref, const std::string& id) {
    for (const Concept& c : ref.concepts)
        if (c.id == id) return c.label;
    return id;
}

// A word row's term is the spelling the texts use most of its folded form; the row counts
// every spelling that folds to it, as its query's concordance does.
nlohmann::json row_json(const Searcher& s, const KeynessRequest& req, const std::string& key, const RowCounts& n,
                        const SideCounts& t, const SideCounts& r, const KeynessScore& score, bool target_side) {
    const bool word = req.unit == KeynessRequest::Unit::kWord;
    const std::string term = word ? most_used_spelling(key, t, r) : key;
    const std::string label = word ? term : concept_label(s.reference(), key);
    return {{"term", term},
            {"label", label},
            {"side", target_side ? "target" : "reference"},
            {"target_count", n.a},
            {"reference_count", n.b},
            {"target_per_million", round_to(1e6 * static_cast<double>(n.a) / t.tokens, 100)},
            {"reference_per_million", round_to(1e6 * static_cast<double>(n.b) / r.tokens, 100)},
            {"log_likelihood", round_to(score.log_likelihood, 1000)},
            {"log_ratio", round_to(score.log_ratio, 10000)},
            {"target_documents", n.target_documents},
            {"query", word ? "\"" + term + "\"" : label}};
}

// The significant rows, most distinctive first.
std::pair<nlohmann::json, std::size_t> rows_json(const Searcher& s, const KeynessRequest& req, const Plan& plan,
                                                 const std::unordered_map<std::string, RowCounts>& counts, const SideCounts& t,
                                                 const SideCounts& r) {
    struct Scored {
        const std::string* key;
        const RowCounts* n;
        KeynessScore score;
        bool target_side;
    };
    std::vector<Scored> kept;
    const bool word = req.unit == KeynessRequest::Unit::kWord;
    for (const auto& [key, n] : counts) {
        if (word && (is_stop_word(key, plan.langs) || is_stop_word(most_used_spelling(key, t, r), plan.langs))) continue;
        const KeynessScore score = keyness_score(static_cast<double>(n.a), static_cast<double>(n.b), t.tokens, r.tokens);
        if (score.log_likelihood < kKeynessMinLogLikelihood) continue;
        const bool target_side = static_cast<double>(n.a) * r.tokens > static_cast<double>(n.b) * t.tokens;
        if ((target_side ? n.a : n.b) < static_cast<std::uint64_t>(req.min_count)) continue;
        if ((req.side == KeynessRequest::Side::kTarget && !target_side) ||
            (req.side == KeynessRequest::Side::kReference && target_side))
            continue;
        kept.push_back({&key, &n, score, target_side});
    }
    std::sort(kept.begin(), kept.end(), [](const Scored& x, const Scored& y) {
        if (x.score.log_likelihood != y.score.log_likelihood) return x.score.log_likelihood > y.score.log_likelihood;
        return *x.key < *y.key;
    });
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < kept.size() && i < static_cast<std::size_t>(req.per_page); ++i)
        rows.push_back(row_json(s, req, *kept[i].key, *kept[i].n, t, r, kept[i].score, kept[i].target_side));
    return {rows, kept.size()};
}

std::unordered_map<std::string, RowCounts> merge_counts(const SideCounts& t, const SideCounts& r) {
    std::unordered_map<std::string, RowCounts> out;
    for (const auto& [key, c] : t.terms) {
        RowCounts& n = out[key];
        n.a = c.n;
        n.target_documents = c.documents;
    }
    for (const auto& [key, c] : r.terms) out[key].b = c.n;
    return out;
}

nlohmann::json side_json(const std::string& expr, const SideCounts& c) {
    return {{"filter", expr}, {"tokens", std::llround(c.tokens)}, {"documents", c.documents}, {"passages", c.passages}};
}

}  // namespace

nlohmann::json keyness(const Searcher& s, const KeynessRequest& req) {
    const auto t0 = std::chrono::steady_clock::now();
    req.validate(s.limits());
    return s.index().with_db([&](Xapian::Database& db) {
        Plan plan;
        const std::vector<PassageRef> target_passages = plan_sides(s, db, req, plan);
        const Counting how{req.unit == KeynessRequest::Unit::kWord};
        const SideCounts target = count_passages(db, target_passages, how);
        const SideCounts reference = plan.reference.empty()
                                         ? rest_of_corpus(db, plan.langs, how, target, target_passages)
                                         : count_passages(db, passages_of(db, plan.reference), how);
        if (target.tokens <= 0) plan.warnings.push_back("the target has no text in the compared languages");
        if (reference.tokens <= 0) plan.warnings.push_back("the reference has no text in the compared languages");
        auto [rows, total] = rows_json(s, req, plan, merge_counts(target, reference), target, reference);
        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return nlohmann::json{
            {"query", {{"target", req.target}, {"reference", req.reference}, {"unit", how.words ? "word" : "concept"},
                       {"side", side_name(req.side)}, {"min_count", req.min_count}, {"per_page", req.per_page},
                       {"filters", filters_json(req.filters)}}},
            {"unit", how.words ? "word" : "concept"},
            {"languages", plan.langs},
            {"target", side_json(req.target, target)},
            {"reference", side_json(req.reference.empty() ? "rest of the corpus" : req.reference, reference)},
            {"rows", std::move(rows)},
            {"total_rows", total},
            {"warnings", plan.warnings},
            {"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
            {"retrieved_at", retrieved_at()},
            {"took_ms", round_to(took, 100)}};
    });
}

}  // namespace strata
