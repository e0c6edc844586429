// Searcher routes other than search: documents, similar documents, and index descriptions.
#include "search/doc_match.h"
#include "search/response_json.h"
#include "search/search_steps.h"
#include "search/snippet.h"
#include "text/stopwords.h"
#include "strata/corpus.h"
#include "strata/errors.h"
#include "strata/schema.h"
#include "strata/search.h"

#include <algorithm>
#include <set>

namespace strata {

namespace {

void check_id(const std::string& id) {
    if (!is_valid_document_id(id))
        throw NotFound("no document with id '" + id.substr(0, 128) + "'");
}

// "More like this" picks words that are no stop word in any language, and the concept
// terms, which carry the choice across languages.
class WordsAndConcepts : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        if (term.empty()) return false;
        if (term.rfind(schema::kConcept, 0) == 0) return true;
        const auto c = static_cast<unsigned char>(term[0]);
        if (c >= 'A' && c <= 'Z') return false;
        if (!StopWords::builtin().languages_of(term).empty()) return false;
        return term.size() >= 3 || c >= 0x80;
    }
};

}  // namespace

nlohmann::json page_or_null(const nlohmann::json& data, const char* key) {
    const nlohmann::json& v = data.contains(key) ? data[key] : nlohmann::json();
    return v.is_number_integer() && v.get<long long>() > 0 ? v : nlohmann::json(nullptr);
}

// The passages of document @p id that the search of @p req counts (its match set, filters
// included), with the query that marks them.
struct DocumentMatches {
    std::set<Xapian::docid> passages;
    ParsedQuery pq;
    Filters filters;
};

DocumentMatches Searcher::document_matches(Xapian::Database& db, const DocumentRequest& req) const {
    SearchRun run = prepare(db, req.search);
    const Xapian::Query doc(std::string(schema::kDocId) + req.id);
    const Xapian::Query filter = run.filter.empty() ? doc : Xapian::Query(Xapian::Query::OP_AND, run.filter, doc);
    const DocumentMatch match = match_documents(db, run.pq, filter, run.column, options_.limits.max_seconds);
    DocumentMatches out{{}, std::move(run.pq), std::move(run.r.filters)};
    Xapian::Enquire enq(db);
    enq.set_query(match.passages);
    enq.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet m = enq.get_mset(0, db.get_doccount());
    for (auto it = m.begin(); it != m.end(); ++it) out.passages.insert(*it);
    return out;
}

nlohmann::json Searcher::document(const DocumentRequest& req) const {
    check_id(req.id);
    req.search.validate(options_.limits);
    return index_.with_db([&](Xapian::Database& db) {
        const nlohmann::json rec = record(db, req.id);
        if (rec.is_null()) throw NotFound("no document with id '" + req.id + "'");
        const DocumentMatches matches = req.matches() ? document_matches(db, req) : DocumentMatches{};
        const MarkRules rules(matches.pq.highlight);
        std::vector<std::pair<int, nlohmann::json>> passages;
        const std::string term = std::string(schema::kDocId) + req.id;
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            const Xapian::Document doc = db.get_document(*it);
            nlohmann::json d = nlohmann::json::parse(doc.get_data(), nullptr, false);
            if (d.is_discarded()) continue;
            const bool matched = matches.passages.count(*it) > 0;
            nlohmann::json p = {{"n", d.value("n", 0)},          {"section", d.value("section", "")},
                                {"page", page_or_null(d, "page")}, {"page_end", page_or_null(d, "page_end")},
                                {"lang", d.value("lang", "")},   {"start", d.value("start", 0)},
                                {"end", d.value("end", 0)},      {"themes", d.value("themes", nlohmann::json::object())},
                                {"text", d.value("text", "")},   {"matched", matched}};
            if (matched) {
                const std::string text = d.value("text", ""), lang = d.value("lang", "");
                p["highlight"] = highlight_all(analyzer_, StoredPassage{doc, text, lang}, rules);
            }
            passages.emplace_back(d.value("n", 0), std::move(p));
        }
        std::sort(passages.begin(), passages.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        nlohmann::json out = rec;
        out["passages"] = nlohmann::json::array();
        for (auto& [n, p] : passages) out["passages"].push_back(std::move(p));
        out["matching_passages"] = matches.passages.size();
        if (req.matches()) {
            out["query"] = {{"q", req.search.q}, {"crosslingual", req.search.crosslingual}, {"filters", filters_json(matches.filters)}};
            out["expansions"] = expansions_json(matches.pq.expansions);
            out["warnings"] = matches.pq.warnings;
        }
        out["generation"] = std::atoll(db.get_metadata("strata:generation").c_str());
        out["retrieved_at"] = retrieved_at();
        return out;
    });
}

nlohmann::json Searcher::similar(const std::string& id, int count) const {
    check_id(id);
    if (count < 1 || count > 50) throw InvalidRequest("invalid_parameter", "parameter 'count' must be between 1 and 50");
    return index_.with_db([&](Xapian::Database& db) {
        const std::string term = std::string(schema::kDocId) + id;
        Xapian::RSet rset;
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) rset.add_document(*it);
        if (rset.empty()) throw NotFound("no document with id '" + id + "'");
        Xapian::Enquire enq(db);
        enq.set_query(Xapian::Query(term));
        WordsAndConcepts decider;
        const Xapian::ESet eset = enq.get_eset(40, rset, &decider);
        std::vector<std::string> terms(eset.begin(), eset.end());
        nlohmann::json hits = nlohmann::json::array();
        if (!terms.empty()) {
            Xapian::Enquire more(db);
            more.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                         Xapian::Query(Xapian::Query::OP_ELITE_SET, terms.begin(), terms.end(), 20),
                                         Xapian::Query(term)));
            more.set_collapse_key(schema::kSlotDocId, 1);
            const Xapian::MSet m = more.get_mset(0, static_cast<Xapian::doccount>(count));
            for (auto it = m.begin(); it != m.end(); ++it) {
                const nlohmann::json d = nlohmann::json::parse(it.get_document().get_data(), nullptr, false);
                if (d.is_discarded()) continue;
                nlohmann::json rec = record(db, d.value("doc", ""));
                if (rec.is_null()) continue;
                rec.erase("theme_profile");
                rec["score"] = std::round(it.get_weight() * 1000) / 1000;
                hits.push_back(std::move(rec));
            }
        }
        return nlohmann::json{{"id", id}, {"similar", hits}, {"terms", nlohmann::json(std::vector<std::string>(terms.begin(), terms.begin() + std::min<std::size_t>(terms.size(), 10)))}};
    });
}

nlohmann::json Searcher::stats() const {
    return index_.with_db([&](Xapian::Database& db) {
        std::size_t documents = 0;
        const std::string dprefix(schema::kDocId);
        for (auto it = db.allterms_begin(dprefix); it != db.allterms_end(dprefix); ++it) ++documents;
        nlohmann::json langs = nlohmann::json::object();
        const std::string lprefix(schema::kLanguage);
        for (auto it = db.allterms_begin(lprefix); it != db.allterms_end(lprefix); ++it)
            langs[(*it).substr(lprefix.size())] = it.get_termfreq();
        nlohmann::json shards = nlohmann::json::array();
        for (const std::string& s : index_.shards()) shards.push_back(s);
        return nlohmann::json{{"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
                              {"built_at", db.get_metadata(std::string(schema::kMetaBuiltAt))},
                              {"documents", documents},
                              {"passages", db.get_doccount()},
                              {"terms_avg_per_passage", std::round(db.get_avlength() * 10) / 10},
                              {"passages_by_language", langs},
                              {"shards", shards}};
    });
}

nlohmann::json Searcher::themes() const {
    SearchRequest r;
    r.facets = {"theme"};
    r.per_page = 1;
    const nlohmann::json docs = search(r);
    r.group = SearchRequest::Group::kPassage;
    const nlohmann::json passages = search(r);
    std::map<std::string, std::size_t> doc_counts, passage_counts;
    for (const auto& v : docs["facets"]["theme"]) doc_counts[v["value"]] = v["count"];
    for (const auto& v : passages["facets"]["theme"]) passage_counts[v["value"]] = v["count"];
    nlohmann::json out = nlohmann::json::array();
    for (const Theme& t : ref_.themes) {
        std::vector<std::string> langs;
        for (const auto& kv : t.lexicon) langs.push_back(kv.first);
        out.push_back({{"id", t.id}, {"label", t.label}, {"labels", t.labels}, {"description", t.description},
                       {"languages", langs}, {"documents", doc_counts[t.id]}, {"passages", passage_counts[t.id]}});
    }
    return nlohmann::json{{"themes", out}};
}

nlohmann::json Searcher::countries() const {
    SearchRequest r;
    r.facets = {"country"};
    r.per_page = 1;
    const nlohmann::json docs = search(r);
    std::map<std::string, std::size_t> counts;
    for (const auto& v : docs["facets"]["country"]) counts[v["value"]] = v["count"];
    nlohmann::json out = nlohmann::json::array();
    for (const Country& c : ref_.countries) {
        out.push_back({{"code", c.code}, {"name", c.name}, {"native", c.native}, {"names", c.names},
                       {"region", c.region}, {"subregion", c.subregion},
                       {"income", c.income.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.income)},
                       {"blocs", c.blocs}, {"documents", counts[c.code]}});
    }
    nlohmann::json blocs = nlohmann::json::array();
    for (const Bloc& b : ref_.blocs) blocs.push_back({{"id", b.id}, {"name", b.name}});
    return nlohmann::json{{"countries", out}, {"blocs", blocs}};
}

}  // namespace strata
