#include "index/passage_data.h"

#include "strata/schema.h"

#include <simdjson.h>

#include <algorithm>

namespace strata {

namespace {

bool read_string(simdjson::ondemand::value v, std::string& out) {
    std::string_view s;
    if (v.get_string().get(s)) return false;
    out.assign(s);
    return true;
}

bool read_fields(simdjson::ondemand::object obj, PassageData& p) {
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        simdjson::ondemand::value v;
        if (field.value().get(v)) return false;
        if (key == "n") {
            if (v.get_int64().get(p.n)) return false;
        } else if (key == "page") {
            if (v.get_int64().get(p.page)) return false;
        } else if (key == "page_end") {
            if (v.get_int64().get(p.page_end)) return false;
        } else if (key == "doc") {
            if (!read_string(v, p.doc)) return false;
        } else if (key == "section") {
            if (!read_string(v, p.section)) return false;
        } else if (key == "lang") {
            if (!read_string(v, p.lang)) return false;
        } else if (key == "text") {
            if (!read_string(v, p.text)) return false;
        } else if (key == "themes") {
            simdjson::ondemand::object themes;
            if (v.get_object().get(themes)) return false;
            for (auto t : themes) {
                std::string_view name;
                double score = 0;
                if (t.unescaped_key().get(name) || t.value().get_double().get(score)) return false;
                p.themes[std::string(name)] = score;
            }
        }
    }
    return true;
}

}  // namespace

nlohmann::json PassageData::to_json() const {
    return {{"n", n}, {"section", section}, {"page", shown_page(page)}, {"page_end", shown_page(page_end)},
            {"lang", lang}, {"themes", themes}};
}

PassageData read_passage_data(const std::string& data) {
    thread_local simdjson::ondemand::parser parser;
    PassageData p;
    const simdjson::padded_string padded(data);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(obj) || !read_fields(obj, p)) return PassageData{};
    p.ok = true;
    return p;
}

std::unordered_map<Xapian::docid, ReadPassage> read_passages(Xapian::Database& db, std::vector<Xapian::docid> ids,
                                                             bool with_offsets) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::unordered_map<Xapian::docid, ReadPassage> out;
    out.reserve(ids.size());
    for (const Xapian::docid id : ids) {
        ReadPassage& p = out[id];
        p.doc = db.get_document(id, Xapian::DOC_ASSUME_VALID);
        p.data = read_passage_data(p.doc.get_data());
    }
    if (!with_offsets) return out;
    // The offsets after all the data: each of the two is a walk in docid order, through
    // its own table.
    for (const Xapian::docid id : ids) {
        ReadPassage& p = out[id];
        if (p.data.ok) p.offsets = p.doc.get_value(schema::kSlotOffsets);
    }
    return out;
}

}  // namespace strata
