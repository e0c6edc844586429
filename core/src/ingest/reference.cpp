#include "strata/reference.h"

#include "strata/hash.h"
#include "strata/schema.h"

#include <xapian.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace strata {

namespace {

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw InputError(p.string(), 0, "", "cannot open");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

YAML::Node load(const fs::path& p, const std::string& content, const char* top) {
    YAML::Node root;
    try {
        root = YAML::Load(content);
    } catch (const YAML::Exception& e) {
        throw InputError(p.string(), e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "invalid YAML: " + e.msg);
    }
    if (!root.IsMap() || !root[top] || !root[top].IsSequence())
        throw InputError(p.string(), line_of(root), top, std::string("a top-level list '") + top + "' is required");
    return root[top];
}

std::string scalar(const fs::path& p, const YAML::Node& parent, const char* key, bool required) {
    const YAML::Node n = parent[key];
    if (!n || n.IsNull()) {
        if (required) throw InputError(p.string(), line_of(parent), key, "is required");
        return {};
    }
    if (!n.IsScalar()) throw InputError(p.string(), line_of(n), key, "must be a string");
    return n.Scalar();
}

std::map<std::string, std::string> string_map(const fs::path& p, const YAML::Node& parent, const char* key) {
    std::map<std::string, std::string> out;
    const YAML::Node n = parent[key];
    if (!n) return out;
    if (!n.IsMap()) throw InputError(p.string(), line_of(n), key, "must be a mapping of language to text");
    for (const auto& kv : n) {
        if (!kv.second.IsScalar()) throw InputError(p.string(), line_of(kv.second), key, "values must be strings");
        out[kv.first.Scalar()] = kv.second.Scalar();
    }
    return out;
}

std::map<std::string, std::vector<std::string>> list_map(const fs::path& p, const YAML::Node& parent, const char* key,
                                                         bool required) {
    std::map<std::string, std::vector<std::string>> out;
    const YAML::Node n = parent[key];
    if (!n) {
        if (required) throw InputError(p.string(), line_of(parent), key, "is required");
        return out;
    }
    if (!n.IsMap()) throw InputError(p.string(), line_of(n), key, "must be a mapping of language to a list of terms");
    for (const auto& kv : n) {
        const std::string lang = kv.first.Scalar();
        if (!kv.second.IsSequence())
            throw InputError(p.string(), line_of(kv.second), std::string(key) + "." + lang, "must be a list of terms");
        for (const auto& t : kv.second) {
            if (!t.IsScalar() || t.Scalar().empty())
                throw InputError(p.string(), line_of(t), std::string(key) + "." + lang, "terms must be non-empty strings");
            out[lang].push_back(t.Scalar());
        }
    }
    return out;
}

template <class T>
void check_unique(const fs::path& p, const std::vector<T>& items, const std::vector<int>& lines, const char* what) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string& id = items[i].*(&T::id);
        if (!seen.insert(id).second) throw InputError(p.string(), lines[i], "id", std::string("duplicate ") + what + " '" + id + "'");
    }
}

// The optional top-level `blocs:` list of countries.yaml.
std::vector<Bloc> load_blocs(const fs::path& p, const std::string& content) {
    std::vector<Bloc> out;
    const YAML::Node list = YAML::Load(content)["blocs"];  // load() has checked the YAML
    if (!list) return out;
    if (!list.IsSequence()) throw InputError(p.string(), line_of(list), "blocs", "must be a list");
    std::vector<int> lines;
    for (const YAML::Node& n : list) {
        Bloc b{scalar(p, n, "id", true), scalar(p, n, "name", true)};
        if (b.id != schema::slug(b.id)) throw InputError(p.string(), line_of(n), "id", "must be a lower-case slug");
        out.push_back(std::move(b));
        lines.push_back(line_of(n));
    }
    check_unique(p, out, lines, "bloc");
    return out;
}

// A country's `blocs:`, each declared in the top-level list.
std::vector<std::string> country_blocs(const fs::path& p, const YAML::Node& country, const std::vector<Bloc>& blocs) {
    std::vector<std::string> out;
    const YAML::Node n = country["blocs"];
    if (!n) return out;
    if (!n.IsSequence()) throw InputError(p.string(), line_of(n), "blocs", "must be a list of bloc ids");
    for (const YAML::Node& b : n) {
        const std::string id = b.IsScalar() ? b.Scalar() : std::string();
        if (std::none_of(blocs.begin(), blocs.end(), [&](const Bloc& x) { return x.id == id; }))
            throw InputError(p.string(), line_of(b), "blocs", "unknown bloc '" + id + "'; blocs are declared in the top-level list 'blocs'");
        out.push_back(id);
    }
    return out;
}

}  // namespace

fs::path bundled_corpus_dir() {
    if (const char* env = std::getenv("STRATA_DATA_DIR"); env && *env) return fs::path(env);
    return fs::path(STRATA_BUNDLED_CORPUS);
}

const Theme* ReferenceData::theme(const std::string& id) const {
    for (const Theme& t : themes)
        if (t.id == id) return &t;
    return nullptr;
}

const Bloc* ReferenceData::bloc(const std::string& id) const {
    for (const Bloc& b : blocs)
        if (b.id == id) return &b;
    return nullptr;
}

const Country* ReferenceData::country(const std::string& code) const {
    for (const Country& c : countries)
        if (c.code == code) return &c;
    return nullptr;
}

std::string ReferenceData::region_of(const std::string& code) const {
    const Country* c = country(code);
    return c ? schema::slug(c->region) : std::string();
}

ReferenceData load_reference_files(const fs::path& themes_file, const fs::path& concepts_file,
                                   const fs::path& countries_file) {
    return parse_reference(read_file(themes_file), read_file(concepts_file), read_file(countries_file), themes_file,
                           concepts_file, countries_file);
}

ReferenceData reference_for_index(const std::string& index, const fs::path& fallback_dir) {
    try {
        Xapian::Database db;
        std::error_code ec;
        const auto colon = index.rfind(':');
        if (!fs::exists(index, ec) && colon != std::string::npos && colon + 1 < index.size() &&
            index.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
            db = Xapian::Remote::open(index.substr(0, colon), static_cast<unsigned>(std::stoul(index.substr(colon + 1))), 10000, 5000);
        } else {
            db = Xapian::Database(index);
        }
        const std::string themes = db.get_metadata(kMetaThemes);
        if (!themes.empty()) {
            return parse_reference(themes, db.get_metadata(kMetaConcepts), db.get_metadata(kMetaCountries),
                                   index + ":themes.yaml", index + ":concepts.yaml", index + ":countries.yaml");
        }
    } catch (const Xapian::Error&) {
        // No readable index yet: the fallback serves until one exists.
    }
    return load_reference(fallback_dir);
}

ReferenceData parse_reference(const std::string& themes_src, const std::string& concepts_src,
                              const std::string& countries_src, const fs::path& themes_file,
                              const fs::path& concepts_file, const fs::path& countries_file) {
    ReferenceData ref;
    ref.themes_file = themes_file;
    ref.concepts_file = concepts_file;
    ref.countries_file = countries_file;
    ref.sources = {themes_src, concepts_src, countries_src};
    ref.hash = sha1_hex(themes_src + '\0' + concepts_src + '\0' + countries_src);

    std::vector<int> lines;
    for (const YAML::Node& n : load(themes_file, themes_src, "themes")) {
        Theme t;
        t.id = scalar(themes_file, n, "id", true);
        t.label = scalar(themes_file, n, "label", true);
        t.labels = string_map(themes_file, n, "labels");
        t.description = scalar(themes_file, n, "description", false);
        t.lexicon = list_map(themes_file, n, "lexicon", true);
        ref.themes.push_back(std::move(t));
        lines.push_back(line_of(n));
    }
    check_unique(themes_file, ref.themes, lines, "theme");

    lines.clear();
    for (const YAML::Node& n : load(concepts_file, concepts_src, "concepts")) {
        Concept c;
        c.id = scalar(concepts_file, n, "id", true);
        c.label = scalar(concepts_file, n, "label", false);
        if (c.label.empty()) c.label = c.id;
        c.terms = list_map(concepts_file, n, "terms", true);
        ref.concepts.push_back(std::move(c));
        lines.push_back(line_of(n));
    }
    check_unique(concepts_file, ref.concepts, lines, "concept");

    const YAML::Node country_list = load(countries_file, countries_src, "countries");
    ref.blocs = load_blocs(countries_file, countries_src);
    for (const YAML::Node& n : country_list) {
        Country c;
        c.code = scalar(countries_file, n, "code", true);
        c.name = scalar(countries_file, n, "name", true);
        if (const YAML::Node nat = n["native"]; nat && nat.IsSequence())
            for (const auto& x : nat) c.native.push_back(x.Scalar());
        c.names = string_map(countries_file, n, "names");
        c.region = scalar(countries_file, n, "region", true);
        c.subregion = scalar(countries_file, n, "subregion", false);
        c.income = scalar(countries_file, n, "income", false);
        if (!c.income.empty() && !std::set<std::string>{"high", "upper-middle", "lower-middle", "low"}.count(c.income))
            throw InputError(countries_file.string(), line_of(n), "income", "must be high, upper-middle, lower-middle or low");
        c.blocs = country_blocs(countries_file, n, ref.blocs);
        ref.countries.push_back(std::move(c));
    }
    return ref;
}

ReferenceData load_reference(const fs::path& corpus_dir) {
    const fs::path bundled = bundled_corpus_dir();
    auto pick = [&](const char* name) {
        const fs::path own = corpus_dir / name;
        std::error_code ec;
        return fs::is_regular_file(own, ec) ? own : bundled / name;
    };
    return load_reference_files(pick("themes.yaml"), pick("concepts.yaml"), pick("countries.yaml"));
}

}  // namespace strata
