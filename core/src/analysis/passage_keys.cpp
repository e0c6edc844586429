// What the corpus analyses read of a passage besides its text (passage_keys.h).
#include "analysis/passage_keys.h"

#include "index/token_offsets.h"

#include "search/doc_match.h"
#include "search/facet_table.h"
#include "strata/analyzer.h"
#include "strata/schema.h"

#include <nlohmann/json.hpp>
#include "strata/text.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace strata {

namespace {

PassageKey key_of_row(const FacetTable& table, const FacetTable::Row& row) {
    auto field = [&](FacetField f) { return row.value[f] == FacetTable::kNone ? std::string() : table.value(f, row.value[f]); };
    PassageKey k;
    k.doc = table.doc(row.doc);
    k.country = field(kCountryField);
    k.region = field(kRegionField);
    k.year = std::atoi(field(kYearField).c_str());
    k.lang = field(kLangField);
    k.type = field(kTypeField);
    k.stem_lang = Analyzer::stem_language(k.lang);
    return k;
}

}  // namespace

TextSpan text_span(std::string_view value) {
    const OffsetsHead head = offsets_head(value);
    if (!head.valid) return {};
    return {head.first, static_cast<std::uint32_t>(head.count)};
}

PassageKey parse_passage_key(const std::string& key) {
    const std::vector<std::string> f = text::split(key, '\x1f');
    PassageKey k;
    if (f.size() < 6) return k;
    k.doc = f[0];
    k.country = f[1];
    k.region = f[2];
    k.year = std::atoi(f[3].c_str());
    k.lang = f[4];
    k.type = f[5];
    k.stem_lang = Analyzer::stem_language(k.lang);
    return k;
}

std::vector<Xapian::docid> matching_passages(Xapian::Database& db, const Xapian::Query& q, double max_seconds) {
    std::vector<Xapian::docid> ids;
    if (q.empty()) {
        ids.reserve(db.get_doccount());
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) ids.push_back(*it);
        return ids;
    }
    Xapian::Enquire enq(db);
    enq.set_query(q);
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_docid_order(Xapian::Enquire::ASCENDING);
    enq.set_time_limit(max_seconds);
    const Xapian::MSet mset = enq.get_mset(0, db.get_doccount());
    ids.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<Xapian::docid> match_set_ids(Xapian::Database& db, const DocumentMatch& m, double max_seconds) {
    if (m.none) return {};
    if (m.has_ids) return m.passage_ids;
    return matching_passages(db, m.passages, max_seconds);
}

ValueReader::ValueReader(Xapian::Database& db, Xapian::valueno slot) : db_(db), slot_(slot) {
    try {
        it_ = db.valuestream_begin(slot);
        stream_ = true;
    } catch (const Xapian::UnimplementedError&) {
        stream_ = false;  // a remote shard: read document by document
    }
}

std::string ValueReader::get(Xapian::docid did) {
    if (!stream_) return db_.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(slot_);
    const Xapian::ValueIterator end = db_.valuestream_end(slot_);
    // Asked for an earlier passage than the last one: start the stream again.
    if (did < last_) it_ = db_.valuestream_begin(slot_);
    last_ = did;
    if (it_ != end && it_.get_docid() < did) it_.skip_to(did);
    return it_ != end && it_.get_docid() == did ? *it_ : std::string();
}

namespace {

// The postings a document's titles put on each of its passages, as the indexer makes them
// (document_builder.cpp: the title in the document's language, then title_en in English,
// each through Analyzer::index_text: a word's form, its accent-folded and its base form).
// Null for a title with Han or Kana text, whose bigrams this does not follow.
std::unique_ptr<std::vector<std::string>> title_terms(Xapian::Database& db, const Analyzer& analyzer, const std::string& doc) {
    const nlohmann::json rec = nlohmann::json::parse(db.get_metadata(std::string(schema::kMetaDocPrefix) + doc), nullptr, false);
    if (!rec.is_object()) return nullptr;
    auto out = std::make_unique<std::vector<std::string>>();
    for (const auto& [field, lang] : {std::pair{"title", rec.value("language", std::string())}, std::pair{"title_en", std::string("en")}})
        for (const Token& t : analyzer.tokenize(rec.value(field, std::string()), lang)) {
            if (t.kind == TokenKind::kCjk) return nullptr;
            for (const std::string* form : {&t.text, &t.folded, &t.base})
                if (!form->empty()) out->push_back(*form);
        }
    return out;
}

std::shared_ptr<const RevisionFacts> build_facts(Xapian::Database& db, const FacetColumn& column, const Analyzer& analyzer) {
    auto facts = std::make_shared<RevisionFacts>();
    const FacetTable& table = column.table();
    facts->titles.resize(table.docs());
    for (std::size_t d = 0; d < table.docs(); ++d) facts->titles[d] = title_terms(db, analyzer, table.doc(static_cast<std::uint32_t>(d)));
    std::unordered_map<std::uint64_t, const PassageKey*> by_doc_lang;
    facts->by_row.reserve(table.rows().size());
    for (const FacetTable::Row& r : table.rows()) {
        const PassageKey*& k = by_doc_lang[(std::uint64_t{r.doc} << 32) | r.value[kLangField]];
        if (!k) {
            facts->keys.push_back(std::make_unique<PassageKey>(key_of_row(table, r)));
            facts->keys.back()->title_terms = facts->titles[r.doc].get();
            k = facts->keys.back().get();
        }
        facts->by_row.push_back(k);
    }
    facts->tokens.assign(db.get_lastdocid() + 1, 0);
    for (auto it = db.valuestream_begin(schema::kSlotTokens); it != db.valuestream_end(schema::kSlotTokens); ++it)
        if (it.get_docid() < facts->tokens.size())
            facts->tokens[it.get_docid()] = static_cast<std::uint32_t>(Xapian::sortable_unserialise(*it));
    facts->text.assign(db.get_lastdocid() + 1, TextSpan{});
    for (auto it = db.valuestream_begin(schema::kSlotOffsets); it != db.valuestream_end(schema::kSlotOffsets); ++it)
        if (it.get_docid() < facts->text.size()) facts->text[it.get_docid()] = text_span(*it);
    return facts;
}

}  // namespace

std::shared_ptr<const RevisionFacts> revision_facts(Xapian::Database& db, const std::shared_ptr<const FacetColumn>& column,
                                                    const Analyzer& analyzer) {
    // Keyed by the column, which is one per revision: as long as a request holds the
    // column, its facts stay.
    static std::mutex mu;
    static std::vector<std::pair<std::weak_ptr<const FacetColumn>, std::shared_ptr<const RevisionFacts>>> cache;
    std::lock_guard lock(mu);
    std::erase_if(cache, [](const auto& e) { return e.first.expired(); });
    for (const auto& [c, facts] : cache)
        if (c.lock() == column) return facts;
    auto facts = build_facts(db, *column, analyzer);
    cache.emplace_back(column, facts);
    return facts;
}

PassageKeys::PassageKeys(Xapian::Database& db, const std::shared_ptr<const FacetColumn>& column, const Analyzer& analyzer)
    : column_(column), facts_(column ? revision_facts(db, column, analyzer) : nullptr), values_(db, schema::kSlotFacetKey),
      tokens_(db, schema::kSlotTokens), offsets_(db, schema::kSlotOffsets) {}

PassageKeys::~PassageKeys() = default;

const PassageKey& PassageKeys::of(Xapian::docid did) {
    if (facts_) {
        const std::uint32_t row = column_->row(did);
        return row == FacetTable::kNone ? none_ : *facts_->by_row[row];
    }
    const std::string value = values_.get(did);
    auto it = by_value_.find(value);
    if (it == by_value_.end()) it = by_value_.emplace(value, parse_passage_key(value)).first;
    return it->second;
}

TextSpan PassageKeys::text(Xapian::docid did) {
    if (facts_) return did < facts_->text.size() ? facts_->text[did] : TextSpan{};
    return text_span(offsets_.get(did));
}

double PassageKeys::tokens(Xapian::docid did) {
    if (facts_) return did < facts_->tokens.size() ? facts_->tokens[did] : 0;
    const std::string n = tokens_.get(did);
    return n.empty() ? 0 : Xapian::sortable_unserialise(n);
}

}  // namespace strata
