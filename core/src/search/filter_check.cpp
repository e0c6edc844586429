#include "search/filter_check.h"

#include "strata/errors.h"
#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <set>

namespace strata {

namespace {

const std::vector<std::string>& document_types() {
    static const std::vector<std::string> types = {"strategy", "action-plan", "ethics-framework", "regulation",
                                                   "white-paper", "review", "other"};
    return types;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// A known value with the text it may be recognised by (a code and a country name).
struct Known {
    std::string value;
    std::string display;
    std::vector<std::string> names;  // lower case
};

[[noreturn]] void unknown(const std::string& parameter, const std::string& value, const std::vector<Known>& known) {
    const std::string v = text::ascii_lower(value);
    std::vector<std::pair<std::size_t, std::string>> near;
    for (const Known& k : known) {
        std::size_t best = SIZE_MAX;
        // A name that contains the value, or is contained in it, is nearest of all.
        for (const std::string& n : k.names)
            best = std::min(best, n.find(v) != std::string::npos || v.find(n) != std::string::npos ? 0 : edit_distance(v, n));
        near.emplace_back(best, k.display);
    }
    std::sort(near.begin(), near.end());
    // A short list is given whole, in its own order; a long one by nearness.
    const bool whole = known.size() <= 8;
    std::string msg = "unknown " + parameter + " '" + value.substr(0, 80) + "'";
    if (known.empty()) throw InvalidRequest("invalid_filter", msg + "; the reference data defines none");
    msg += whole ? "; known: " : "; nearest known: ";
    for (std::size_t i = 0; i < (whole ? known.size() : std::min<std::size_t>(3, near.size())); ++i)
        msg += (i ? ", " : "") + (whole ? known[i].display : near[i].second);
    throw InvalidRequest("invalid_filter", msg);
}

std::vector<Known> known_countries(const ReferenceData& ref) {
    std::vector<Known> out;
    for (const Country& c : ref.countries)
        out.push_back({c.code, c.code + " (" + c.name + ")", {text::ascii_lower(c.code), text::ascii_lower(c.name)}});
    return out;
}

std::vector<Known> known_regions(const ReferenceData& ref) {
    std::set<std::string> seen;
    std::vector<Known> out;
    for (const Country& c : ref.countries)
        for (const std::string& r : {c.region, c.subregion})
            if (!r.empty() && seen.insert(schema::slug(r)).second)
                out.push_back({schema::slug(r), schema::slug(r), {schema::slug(r)}});
    return out;
}

std::vector<Known> known_languages(Xapian::Database& db) {
    std::vector<Known> out;
    const std::string prefix(schema::kLanguage);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        const std::string l = (*it).substr(prefix.size());
        out.push_back({l, l, {l}});
    }
    return out;
}

std::vector<Known> known_incomes(const ReferenceData& ref) {
    std::vector<Known> out;
    for (const std::string i : {"high", "upper-middle", "lower-middle", "low"})
        if (std::any_of(ref.countries.begin(), ref.countries.end(), [&](const Country& c) { return c.income == i; }))
            out.push_back({i, i, {i, i + "-income"}});
    return out;
}

std::vector<Known> known_blocs(const ReferenceData& ref) {
    std::vector<Known> out;
    for (const Bloc& b : ref.blocs) out.push_back({b.id, b.id + " (" + b.name + ")", {b.id, schema::slug(b.name)}});
    return out;
}

// Languages: a value is known when some passage language is it or a variant of it ("pt"
// for pt-br, "zh" for zh-hans).
void check_languages(std::vector<std::string>& values, Xapian::Database& db, const std::string& parameter) {
    const std::vector<Known> known = known_languages(db);
    for (const std::string& v : values)
        if (std::none_of(known.begin(), known.end(), [&](const Known& k) { return language_covers(v, k.value); }))
            unknown(parameter, v, known);
}

std::vector<Known> plain(const std::vector<std::string>& values) {
    std::vector<Known> out;
    for (const std::string& v : values) out.push_back({v, v, {v}});
    return out;
}

// Replaces each value by the known value it names, or throws.
void check(std::vector<std::string>& values, const std::string& parameter, const std::vector<Known>& known, bool slugged) {
    for (std::string& v : values) {
        const std::string key = slugged ? schema::slug(v) : v;
        const auto it = std::find_if(known.begin(), known.end(), [&](const Known& k) {
            return k.value == key || (slugged && std::find(k.names.begin(), k.names.end(), key) != k.names.end());
        });
        if (it == known.end()) unknown(parameter, v, known);
        v = it->value;
    }
}

}  // namespace

void check_filters(Filters& filters, const ReferenceData& ref, Xapian::Database& db) {
    auto check_field = [&](const std::string& field, std::vector<std::string>& values) {
        if (field == "country" && !ref.countries.empty()) check(values, "country", known_countries(ref), false);
        else if (field == "region" && !ref.countries.empty()) check(values, "region", known_regions(ref), true);
        else if (field == "theme" && !ref.themes.empty()) check_themes(values, ref, "theme");
        else if (field == "type") check(values, "type", plain(document_types()), false);
        else if (field == "income" && !ref.countries.empty()) check(values, "income", known_incomes(ref), true);
        else if (field == "bloc") check(values, "bloc", known_blocs(ref), true);
        else if (field == "lang") check_languages(values, db, "lang");
    };
    for (auto& [field, values] : filters.values) check_field(field, values);
    for (auto& [field, values] : filters.also) check_field(field, values);
}

void check_language_columns(std::vector<std::string>& langs, Xapian::Database& db) {
    check_languages(langs, db, "langs");
    std::vector<std::string> covered;
    for (const std::string& l : langs)
        for (const Known& k : known_languages(db))
            if (language_covers(l, k.value) && std::find(covered.begin(), covered.end(), k.value) == covered.end())
                covered.push_back(k.value);
    langs = std::move(covered);
}

void check_themes(std::vector<std::string>& themes, const ReferenceData& ref, const std::string& parameter) {
    std::vector<std::string> ids;
    for (const Theme& t : ref.themes) ids.push_back(t.id);
    for (std::string& t : themes) t = text::ascii_lower(t);
    check(themes, parameter, plain(ids), false);
}

}  // namespace strata
