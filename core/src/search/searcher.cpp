#include "strata/search.h"

#include "search/facet_table.h"
#include "index/passage_data.h"
#include "search/response_json.h"
#include "search/snippet.h"
#include "strata/errors.h"
#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <set>
#include <unordered_map>

namespace strata {

namespace {

const std::map<std::string, std::string>& language_names() {
    static const std::map<std::string, std::string> names = {
        {"ar", "Arabic"},    {"cs", "Czech"},      {"da", "Danish"},   {"de", "German"},     {"el", "Greek"},
        {"en", "English"},   {"es", "Spanish"},    {"fi", "Finnish"},  {"fr", "French"},     {"hi", "Hindi"},
        {"hu", "Hungarian"}, {"id", "Indonesian"}, {"it", "Italian"},  {"ja", "Japanese"},   {"ko", "Korean"},
        {"nb", "Norwegian Bokmål"}, {"nl", "Dutch"}, {"pl", "Polish"}, {"pt", "Portuguese"}, {"pt-br", "Portuguese (Brazil)"},
        {"ru", "Russian"},   {"sv", "Swedish"},    {"th", "Thai"},     {"tr", "Turkish"},    {"vi", "Vietnamese"},
        {"zh-hans", "Chinese (Simplified)"}, {"zh-hant", "Chinese (Traditional)"}, {"he", "Hebrew"}, {"uk", "Ukrainian"},
        {"ro", "Romanian"},  {"lt", "Lithuanian"}, {"et", "Estonian"}, {"lv", "Latvian"},    {"sk", "Slovak"},
        {"sl", "Slovenian"}, {"bg", "Bulgarian"},  {"hr", "Croatian"}, {"sr", "Serbian"},    {"ms", "Malay"},
    };
    return names;
}

struct FacetTally {
    std::map<std::string, std::map<std::string, std::size_t>> counts;  // facet → value → count
    std::size_t passages = 0, documents = 0;
    const FacetTable* table = nullptr;
    std::vector<std::size_t> doc_passages;  // by the table's document number

    /// Matching passages of document @p id.
    [[nodiscard]] std::size_t passages_of(const std::string& id) const {
        const std::uint32_t d = table->find_doc(id);
        return d == FacetTable::kNone ? 0 : doc_passages[d];
    }
};

// Turns the counter's passages per facet key into per-facet counts of passages or of
// distinct documents (the rows of one document are adjacent in the table).
FacetTally tally(FacetCounter& counter, bool documents, const std::set<std::string>& wanted) {
    FacetTally t;
    const FacetTable& table = counter.table();
    const std::vector<std::uint32_t>& counts = counter.counts();
    t.table = &table;
    t.doc_passages.assign(table.docs(), 0);
    std::array<std::vector<std::size_t>, kFacetFields> n;
    std::array<std::vector<std::uint32_t>, kFacetFields> last_doc;  // per value: document counted last, + 1
    std::array<bool, kFacetFields> want{};
    for (std::size_t f = 0; f < kFacetFields; ++f) {
        want[f] = wanted.count(std::string(kFacetFieldNames[f])) > 0;
        if (!want[f]) continue;
        n[f].assign(table.values(static_cast<FacetField>(f)), 0);
        if (documents) last_doc[f].assign(n[f].size(), 0);
    }
    const std::vector<FacetTable::Row>& rows = table.rows();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const std::uint32_t c = counts[r];
        if (c == 0) continue;
        const FacetTable::Row& row = rows[r];
        t.passages += c;
        if (t.doc_passages[row.doc] == 0) ++t.documents;
        t.doc_passages[row.doc] += c;
        auto add = [&](std::size_t f, std::uint32_t v) {
            if (!documents) {
                n[f][v] += c;
            } else if (last_doc[f][v] != row.doc + 1) {
                last_doc[f][v] = row.doc + 1;
                ++n[f][v];
            }
        };
        for (std::size_t f = 0; f < kFacetFields; ++f)
            if (want[f]) table.for_each_value(row, static_cast<FacetField>(f), [&](std::uint32_t v) { add(f, v); });
    }
    for (std::size_t f = 0; f < kFacetFields; ++f) {
        if (!want[f]) continue;
        auto& out = t.counts[std::string(kFacetFieldNames[f])];
        for (std::uint32_t v = 0; v < n[f].size(); ++v)
            if (n[f][v]) out[table.value(static_cast<FacetField>(f), v)] = n[f][v];
    }
    return t;
}

nlohmann::json parse_data(const Xapian::Document& d) {
    return nlohmann::json::parse(d.get_data(), nullptr, false);
}

const std::set<std::string> kRecordFields = {"id",    "title", "title_en", "country", "country_name", "region", "year",
                                             "language", "type", "issuer", "source_url", "digest"};

nlohmann::json hit_header(const nlohmann::json& record) {
    nlohmann::json h = nlohmann::json::object();
    for (const std::string& k : kRecordFields)
        if (record.contains(k)) h[k] = record[k];
    return h;
}

}  // namespace

Searcher::Searcher(SearcherOptions options, ReferenceData reference)
    : options_(std::move(options)), ref_(std::move(reference)), index_(options_.shards) {
    lexicon_ = std::make_unique<LexiconMatcher>(analyzer_, ref_);
}

void Searcher::check_ready() const {
    index_.with_db([&](Xapian::Database& db) { return facet_column(db) != nullptr; });
}

std::shared_ptr<const FacetColumn> Searcher::facet_column(Xapian::Database& db) const {
    if (!options_.facet_columns || !index_.single_local()) return nullptr;
    // A new generation has a new UUID; an update in place a new revision.
    const std::string version = db.get_uuid() + ':' + std::to_string(db.get_revision());
    std::lock_guard lock(columns_mu_);
    for (const auto& [v, column] : columns_)
        if (v == version) return column;
    auto column = std::make_shared<const FacetColumn>(db);
    // Threads switch to a new revision one by one: keep the previous column too.
    if (columns_.size() >= 2) columns_.erase(columns_.begin());
    columns_.emplace_back(version, column);
    return column;
}

QueryContext Searcher::query_context(Xapian::Database& db, const SearchRequest& r) const {
    QueryContext ctx{analyzer_, nullptr, nullptr, {}, {}, false, {}};
    ctx.lexicon = lexicon_.get();
    ctx.ref = &ref_;
    ctx.crosslingual = r.crosslingual;
    ctx.limits.max_bytes = options_.limits.max_query_bytes;
    ctx.limits.max_terms = options_.limits.max_terms;
    ctx.limits.max_wildcard = options_.limits.max_wildcard;
    std::set<std::string> langs;
    const std::string prefix(schema::kLanguage);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
        langs.insert(Analyzer::stem_language((*it).substr(prefix.size())));
    ctx.stem_languages.assign(langs.begin(), langs.end());
    if (auto it = r.filters.values.find("lang"); it != r.filters.values.end()) ctx.lang_filter = it->second;
    return ctx;
}

std::string Searcher::label(const std::string& facet, const std::string& value) const {
    if (facet == "country") {
        const Country* c = ref_.country(value);
        return c ? c->name : value;
    }
    if (facet == "region") {
        for (const Country& c : ref_.countries) {
            if (schema::slug(c.region) == value) return c.region;
            if (schema::slug(c.subregion) == value) return c.subregion;
        }
        return value;
    }
    if (facet == "theme") {
        const Theme* t = ref_.theme(value);
        return t ? t->label : value;
    }
    if (facet == "lang") {
        auto it = language_names().find(value);
        return it != language_names().end() ? it->second : value;
    }
    if (facet == "type") {
        std::string l = value;
        std::replace(l.begin(), l.end(), '-', ' ');
        if (!l.empty()) l[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(l[0])));
        return l;
    }
    return value;
}

nlohmann::json Searcher::record(Xapian::Database& db, const std::string& id) const {
    // Records change only when the index does: cache them per thread and index version.
    struct RecordCache {
        std::string version;
        std::unordered_map<std::string, nlohmann::json> records;
    };
    thread_local std::map<const Searcher*, RecordCache> caches;
    RecordCache& cache = caches[this];
    std::string version = db.get_metadata("strata:generation");
    version += '/';
    version += std::to_string(db.get_doccount());
    version += '/';
    version += std::to_string(db.get_lastdocid());
    if (version != cache.version) {
        cache.records.clear();
        cache.version = std::move(version);
    }
    if (auto hit = cache.records.find(id); hit != cache.records.end()) return hit->second;

    nlohmann::json rec = nullptr;
    if (db.size() == 1) {
        // One local shard: the metadata copy is small and quick to read.
        rec = nlohmann::json::parse(db.get_metadata(std::string(schema::kMetaDocPrefix) + id), nullptr, false);
        if (rec.is_discarded()) rec = nullptr;
    }
    if (rec.is_null()) {
        // Several shards: metadata is read from the first only, so find passage 0.
        const std::string term = std::string(schema::kUniqueId) + id + "#0";
        auto it = db.postlist_begin(term);
        if (it != db.postlist_end(term)) {
            const nlohmann::json data = parse_data(db.get_document(*it));
            if (!data.is_discarded() && data.contains("record")) rec = data["record"];
        }
    }
    if (cache.records.size() > 10000) cache.records.clear();
    cache.records.emplace(id, rec);
    return rec;
}

nlohmann::json Searcher::facet_counts(Xapian::Database& db, const Xapian::Query& text, const SearchRequest& r,
                                      const std::vector<std::string>& wanted) const {
    nlohmann::json facets = nlohmann::json::object();
    const bool documents = r.group == SearchRequest::Group::kDocument;
    for (const std::string& facet : wanted) {
        // Multi-select: a facet's own selection does not narrow its counts.
        const Xapian::Query filter = r.filters.to_query(facet);
        Xapian::Enquire enq(db);
        enq.set_query(filter.empty() ? text : Xapian::Query(Xapian::Query::OP_FILTER, text, filter));
        FacetCounter counter(facet_column(db));
        enq.add_matchspy(counter.spy());
        enq.set_time_limit(options_.limits.max_seconds);
        enq.get_mset(0, 0, db.get_doccount());
        const FacetTally t = tally(counter, documents, {facet});
        facets[facet] = t.counts.count(facet) ? nlohmann::json(t.counts.at(facet)) : nlohmann::json::object();
    }
    return facets;
}

nlohmann::json Searcher::search(const SearchRequest& req) const {
    const auto t0 = std::chrono::steady_clock::now();
    req.validate(options_.limits);
    return index_.with_db([&](Xapian::Database& db) {
        const QueryContext ctx = query_context(db, req);
        ParsedQuery pq = parse_query(req.q, ctx);
        SearchRequest r = req;  // q's own field filters join the parameters
        r.filters.intersect(pq.filters);
        if (r.filters.year_from && r.filters.year_to && *r.filters.year_from > *r.filters.year_to)
            throw InvalidRequest("invalid_filter", "the year filters exclude every year");

        const Xapian::Query filter = r.filters.to_query();
        const Xapian::Query full = filter.empty() ? pq.query : Xapian::Query(Xapian::Query::OP_FILTER, pq.query, filter);
        const bool documents = r.group == SearchRequest::Group::kDocument;

        auto configure = [&](Xapian::Enquire& e) {
            if (documents) e.set_collapse_key(schema::kSlotDocId, 1);
            if (r.sort != SearchRequest::Sort::kRelevance)
                e.set_sort_by_value_then_relevance(schema::kSlotYear, r.sort == SearchRequest::Sort::kYearDesc);
            else if (!pq.has_text)
                e.set_sort_by_value(schema::kSlotYear, true);  // no relevance to rank by: newest first
        };
        auto filtered = [&](const Xapian::Query& q) {
            return filter.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
        };
        const Xapian::doccount all = db.get_doccount();
        const Xapian::doccount first = static_cast<Xapian::doccount>((r.page - 1) * r.per_page);
        const auto per_page = static_cast<Xapian::doccount>(r.per_page);

        // Counting pass (and, without expansions, the ranking pass too).
        Xapian::Enquire enq(db);
        enq.set_query(full);
        configure(enq);
        enq.set_time_limit(options_.limits.max_seconds);
        FacetCounter counter(facet_column(db));
        enq.add_matchspy(counter.spy());
        const bool tiered = !pq.expansions.empty();
        const Xapian::MSet mset = enq.get_mset(tiered ? 0 : first, tiered ? 0 : per_page, all);

        std::set<std::string> unselected;
        std::vector<std::string> selected;
        for (const std::string& f : r.facets) (r.filters.selects(f) ? selected.push_back(f) : void(unselected.insert(f)));
        const FacetTally tallied = tally(counter, documents, unselected);

        nlohmann::json hits = nlohmann::json::array();
        std::size_t rank = first;
        auto passage_hit = [&](const PassageData& d, double weight) {
            nlohmann::json p = d.to_json();
            p["score"] = std::round(weight * 1000) / 1000;
            p["snippet"] = make_snippet(analyzer_, d.text, d.lang, pq.highlight);
            return p;
        };
        auto append_hits = [&](const Xapian::MSet& m) {
            struct PageHit {
                std::string id;
                double weight;
                Xapian::Document doc;
            };
            std::vector<PageHit> page;
            for (auto it = m.begin(); it != m.end(); ++it) {
                Xapian::Document d = it.get_document();
                page.push_back({d.get_value(schema::kSlotDocId), it.get_weight(), d});
            }
            // group=document: the best passages of every document on the page, in one query
            // (each document's passages collapse to at most passages_per_document).
            std::map<std::string, nlohmann::json> best;
            if (documents && r.passages_per_document > 0 && !page.empty()) {
                std::vector<Xapian::Query> ids;
                for (const PageHit& h : page) ids.emplace_back(std::string(schema::kDocId) + h.id);
                Xapian::Enquire inner(db);
                inner.set_query(Xapian::Query(Xapian::Query::OP_FILTER, full,
                                              Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
                inner.set_collapse_key(schema::kSlotDocId, static_cast<Xapian::doccount>(r.passages_per_document));
                if (!pq.has_text) inner.set_sort_by_value(schema::kSlotPassageNo, false);
                const Xapian::MSet bm =
                    inner.get_mset(0, static_cast<Xapian::doccount>(page.size() * static_cast<std::size_t>(r.passages_per_document)));
                for (auto b = bm.begin(); b != bm.end(); ++b) {
                    const Xapian::Document bd = b.get_document();
                    const PassageData d = read_passage_data(bd.get_data());
                    if (!d.ok) continue;
                    nlohmann::json& list = best[bd.get_value(schema::kSlotDocId)];
                    if (list.is_null()) list = nlohmann::json::array();
                    list.push_back(passage_hit(d, b.get_weight()));
                }
            }
            for (PageHit& h : page) {
                const nlohmann::json rec = record(db, h.id);
                nlohmann::json hit = hit_header(rec.is_null() ? nlohmann::json{{"id", h.id}} : rec);
                hit["rank"] = ++rank;
                hit["score"] = std::round(h.weight * 1000) / 1000;
                if (documents) {
                    hit["matching_passages"] = tallied.passages_of(h.id);
                    auto b = best.find(h.id);
                    hit["passages"] = b == best.end() ? nlohmann::json::array() : std::move(b->second);
                } else {
                    const PassageData d = read_passage_data(h.doc.get_data());
                    hit["passages"] = nlohmann::json::array();
                    if (d.ok) hit["passages"].push_back(passage_hit(d, h.weight));
                }
                hits.push_back(std::move(hit));
            }
        };

        if (!tiered) {
            append_hits(mset);
        } else {
            // Direct matches rank above what only the expansions reach: page through the
            // direct results first, then through the rest.
            const ParsedQuery direct_pq = parse_query(req.q, [&] {
                QueryContext c = ctx;
                c.crosslingual = false;
                return c;
            }());
            const Xapian::Query direct = filtered(direct_pq.query);
            Xapian::Enquire d(db);
            d.set_query(direct);
            configure(d);
            const Xapian::MSet dm = d.get_mset(first, per_page, all);
            const Xapian::doccount direct_total = dm.get_matches_estimated();
            append_hits(dm);
            if (dm.size() < per_page) {
                Xapian::Query exclude = direct;
                if (documents) {
                    std::vector<Xapian::Query> ids;
                    const Xapian::MSet every = d.get_mset(0, direct_total, all);
                    for (auto it = every.begin(); it != every.end(); ++it)
                        ids.emplace_back(std::string(schema::kDocId) + it.get_document().get_value(schema::kSlotDocId));
                    exclude = Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end());
                }
                Xapian::Enquire rest(db);
                rest.set_query(exclude.empty() ? full : Xapian::Query(Xapian::Query::OP_AND_NOT, full, exclude));
                configure(rest);
                const Xapian::doccount skip = first > direct_total ? first - direct_total : 0;
                append_hits(rest.get_mset(skip, per_page - dm.size()));
            }
        }

        nlohmann::json counts = nlohmann::json::object();
        for (const auto& [facet, values] : tallied.counts) counts[facet] = values;
        if (!selected.empty()) {
            const nlohmann::json more = facet_counts(db, pq.query, r, selected);
            for (auto& [k, v] : more.items()) counts[k] = v;
        }
        nlohmann::json facets = nlohmann::json::object();
        for (const std::string& facet : r.facets) {
            std::vector<std::pair<std::string, std::size_t>> values;
            if (counts.contains(facet))
                for (auto& [v, n] : counts[facet].items()) values.emplace_back(v, n.get<std::size_t>());
            std::sort(values.begin(), values.end(), [&](const auto& a, const auto& b) {
                if (facet == "year") return a.first > b.first;
                return a.second != b.second ? a.second > b.second : a.first < b.first;
            });
            const auto sel = r.filters.values.find(facet);
            nlohmann::json arr = nlohmann::json::array();
            for (const auto& [v, n] : values) {
                bool is_selected = sel != r.filters.values.end() &&
                                   std::find(sel->second.begin(), sel->second.end(), v) != sel->second.end();
                if (facet == "year" && (r.filters.year_from || r.filters.year_to)) {
                    const int y = std::atoi(v.c_str());
                    is_selected = y >= r.filters.year_from.value_or(0) && y <= r.filters.year_to.value_or(9999);
                }
                arr.push_back({{"value", v}, {"label", label(facet, v)}, {"count", n}, {"selected", is_selected}});
            }
            facets[facet] = std::move(arr);
        }


        nlohmann::json did_you_mean = nullptr;
        const std::size_t total_docs = tallied.documents;
        if (tallied.passages == 0 && !pq.words.empty()) {
            std::string suggestion;
            bool changed = false;
            for (const std::string& w : pq.words) {
                const std::string s = w.size() >= 3 ? db.get_spelling_suggestion(w, 2) : std::string();
                if (!suggestion.empty()) suggestion += ' ';
                suggestion += s.empty() ? w : s;
                changed = changed || !s.empty();
            }
            if (changed) did_you_mean = suggestion;
        }


        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return nlohmann::json{
            {"query", {{"q", req.q}, {"group", documents ? "document" : "passage"}, {"page", r.page},
                       {"per_page", r.per_page},
                       {"sort", r.sort == SearchRequest::Sort::kRelevance ? "relevance" : r.sort == SearchRequest::Sort::kYear ? "year" : "-year"},
                       {"crosslingual", r.crosslingual}, {"filters", filters_json(r.filters)}}},
            {"total", documents ? total_docs : tallied.passages},
            {"total_documents", total_docs},
            {"total_passages", tallied.passages},
            {"hits", std::move(hits)},
            {"facets", std::move(facets)},
            {"expansions", expansions_json(pq.expansions)},
            {"warnings", pq.warnings},
            {"did_you_mean", did_you_mean},
            {"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
            {"took_ms", std::round(took * 100) / 100}};
    });
}

}  // namespace strata
