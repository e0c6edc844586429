#include "strata/corpus.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace strata {

namespace {

constexpr std::uintmax_t kMaxMetaBytes = 256 * 1024;

const std::set<std::string>& known_keys() {
    static const std::set<std::string> keys(document_fields().begin(), document_fields().end());
    return keys;
}

const std::set<std::string>& reference_files() {
    static const std::set<std::string> names = {"themes.yaml", "concepts.yaml", "countries.yaml", "sources.yaml"};
    return names;
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_or_digit(c) || is_upper(c); }

// [a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*
bool is_language_tag(std::string_view s) {
    std::size_t i = 0, n = 0;
    while (i < s.size() && s[i] != '-') {
        if (!((s[i] >= 'a' && s[i] <= 'z') || is_upper(s[i]))) return false;
        ++i, ++n;
    }
    if (n < 2 || n > 3) return false;
    while (i < s.size()) {
        ++i;  // the '-'
        n = 0;
        while (i < s.size() && s[i] != '-') {
            if (!is_alnum(s[i])) return false;
            ++i, ++n;
        }
        if (n < 2 || n > 8) return false;
    }
    return true;
}

bool is_http_url(std::string_view s) {
    const std::string_view rest = s.rfind("https://", 0) == 0 ? s.substr(8) : s.rfind("http://", 0) == 0 ? s.substr(7) : "";
    if (rest.empty()) return false;
    for (char c : rest)
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return false;
    return true;
}

int line_of(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

class MetaReader {
public:
    MetaReader(const fs::path& file, const YAML::Node& root) : file_(file.string()), root_(root) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& field, const std::string& msg) const {
        throw InputError(file_, line_of(at), field, msg);
    }

    std::string string(const std::string& key, bool required, std::size_t max_len = 2000) const {
        const YAML::Node n = root_[key];
        if (!n) {
            if (required) fail(root_, key, "is required");
            return {};
        }
        if (!n.IsScalar()) fail(n, key, "must be a string");
        std::string v = n.Scalar();
        if (required && v.empty()) fail(n, key, "must not be empty");
        if (v.size() > max_len) fail(n, key, "is longer than " + std::to_string(max_len) + " bytes");
        return v;
    }

    void check(const std::string& key, const std::string& value, bool ok, const std::string& what) const {
        if (!value.empty() && !ok) fail(root_[key], key, "'" + value + "' is not " + what);
    }

    const YAML::Node& root() const { return root_; }

private:
    std::string file_;
    YAML::Node root_;
};

std::string read_meta_file(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) throw InputError(file.string(), 0, "", "cannot read: " + ec.message());
    if (size > kMaxMetaBytes) throw InputError(file.string(), 0, "", "metadata file is larger than 256 KiB");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string(), 0, "", "cannot open");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

YAML::Node parse_yaml(const std::string& content, const fs::path& name) {
    if (content.size() > kMaxMetaBytes) throw InputError(name.string(), 0, "", "metadata file is larger than 256 KiB");
    try {
        return YAML::Load(content);
    } catch (const YAML::Exception& e) {
        throw InputError(name.string(), e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "invalid YAML: " + e.msg);
    }
}

YAML::Node parse_yaml_file(const fs::path& file) { return parse_yaml(read_meta_file(file), file); }

// The field steps of parse_document_meta, in the order its errors are reported.

void reject_unknown_keys(const MetaReader& r) {
    for (const auto& kv : r.root()) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        if (!known_keys().count(key)) r.fail(kv.first, key, "is not a known metadata field");
    }
}

// The string fields, each checked for its form.
void read_text_fields(const MetaReader& r, DocumentMeta& m) {
    m.id = r.string("id", true, 128);
    r.check("id", m.id, is_valid_document_id(m.id),
            "a valid id (lower-case letters, digits, '.', '_' and '-', no '..', at most 128 characters)");
    m.country = r.string("country", true, 2);
    r.check("country", m.country, m.country.size() == 2 && is_upper(m.country[0]) && is_upper(m.country[1]),
            "an ISO 3166-1 alpha-2 code (upper case) or EU");
    m.title = r.string("title", true, 1000);
    m.title_en = r.string("title_en", false, 1000);
    m.language = r.string("language", false, 35);
    r.check("language", m.language, is_language_tag(m.language), "a BCP 47 language tag");
    m.issuer = r.string("issuer", false, 1000);
    m.source_url = r.string("source_url", false, 4000);
    r.check("source_url", m.source_url, is_http_url(m.source_url), "an http(s) URL");
    m.file = r.string("file", true, 1000);
}

int read_year(const MetaReader& r) {
    const YAML::Node year = r.root()["year"];
    if (!year) r.fail(r.root(), "year", "is required");
    int value = 0;
    try {
        if (!year.IsScalar()) throw YAML::Exception(year.Mark(), "");
        value = year.as<int>();
    } catch (const YAML::Exception&) {
        r.fail(year, "year", "must be a whole number");
    }
    if (value < 1900 || value > 2100) r.fail(year, "year", std::to_string(value) + " is outside 1900..2100");
    return value;
}

// type, digest and themes: each checked only when present.
void read_optional_fields(const MetaReader& r, DocumentMeta& m) {
    const YAML::Node& root = r.root();
    if (const YAML::Node t = root["type"]) {
        m.type = r.string("type", true, 40);
        const auto& types = document_types();
        if (std::find(types.begin(), types.end(), m.type) == types.end())
            r.fail(t, "type", "'" + m.type + "' is not one of strategy, action-plan, ethics-framework, regulation, "
                              "white-paper, review, other");
    }
    if (const YAML::Node d = root["digest"]) {
        try {
            m.digest = d.as<bool>();
        } catch (const YAML::Exception&) {
            r.fail(d, "digest", "must be true or false");
        }
    }
    if (const YAML::Node th = root["themes"]) {
        if (!th.IsSequence()) r.fail(th, "themes", "must be a list of theme ids");
        for (const auto& item : th) {
            if (!item.IsScalar() || item.Scalar().empty()) r.fail(item, "themes", "must be a list of theme ids");
            m.themes.push_back(item.Scalar());
        }
    }
}

// The text file sits next to its metadata file, whose directory is the root of `file`.
fs::path text_path_of(const MetaReader& r, const std::string& file, const fs::path& yaml_file) {
    const fs::path rel(file);
    if (rel.is_absolute()) r.fail(r.root()["file"], "file", "must be a path relative to the metadata file");
    return yaml_file.parent_path() / rel;
}

}  // namespace

bool is_valid_document_id(std::string_view id) {
    if (id.size() < 2 || id.size() > 128 || !is_lower_or_digit(id[0])) return false;
    for (char c : id)
        if (!is_lower_or_digit(c) && c != '.' && c != '_' && c != '-') return false;
    return id.find("..") == std::string_view::npos;
}

const std::vector<std::string>& document_fields() {
    static const std::vector<std::string> fields = {"id",     "country", "title",      "title_en", "year",   "language",
                                                    "type",   "issuer",  "source_url", "file",     "digest", "themes"};
    return fields;
}

const std::vector<std::string>& required_document_fields() {
    static const std::vector<std::string> fields = {"id", "country", "title", "year", "file"};
    return fields;
}

std::string CorpusIssue::to_string() const { return InputError(file, line, field, message).what(); }

bool is_document_meta(const fs::path& yaml_file) {
    try {
        const YAML::Node root = parse_yaml_file(yaml_file);
        return root.IsMap() && root["file"];
    } catch (const InputError&) {
        return false;
    }
}

DocumentMeta load_document_meta(const fs::path& yaml_file) {
    return parse_document_meta(read_meta_file(yaml_file), yaml_file);
}

DocumentMeta parse_document_meta(const std::string& yaml, const fs::path& yaml_file) {
    const YAML::Node root = parse_yaml(yaml, yaml_file);
    if (!root.IsMap()) throw InputError(yaml_file.string(), line_of(root), "", "metadata must be a YAML mapping");
    const MetaReader r(yaml_file, root);
    reject_unknown_keys(r);
    DocumentMeta m;
    m.meta_path = yaml_file;
    read_text_fields(r, m);
    m.year = read_year(r);
    read_optional_fields(r, m);
    m.text_path = text_path_of(r, m.file, yaml_file);
    return m;
}

CorpusScan scan_corpus(const fs::path& dir) {
    CorpusScan scan;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        scan.issues.push_back({dir.string(), 0, "", "is not a directory"});
        return scan;
    }
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.extension() != ".yaml" && p.extension() != ".yml") continue;
        if (!it->is_regular_file(ec)) continue;
        if (p.parent_path() == dir && reference_files().count(p.filename().string())) continue;
        files.push_back(p);
    }
    if (ec) scan.issues.push_back({dir.string(), 0, "", "cannot list: " + ec.message()});
    std::sort(files.begin(), files.end());

    std::map<std::string, fs::path> seen;
    for (const fs::path& f : files) {
        try {
            const YAML::Node root = parse_yaml_file(f);
            if (!root.IsMap() || !root["file"]) continue;  // some other YAML, not a document
            DocumentMeta m = load_document_meta(f);
            if (auto [it, inserted] = seen.emplace(m.id, f); !inserted) {
                scan.issues.push_back({f.string(), 0, "id", "duplicate id '" + m.id + "', also in " + it->second.string()});
                continue;
            }
            if (!fs::is_regular_file(m.text_path, ec)) {
                scan.issues.push_back({f.string(), 0, "file", "text file " + m.text_path.string() + " is missing or not a regular file"});
                continue;
            }
            scan.documents.push_back(std::move(m));
        } catch (const InputError& e) {
            scan.issues.push_back({e.file(), e.line(), e.field(), e.message()});
        }
    }
    std::sort(scan.documents.begin(), scan.documents.end(),
              [](const DocumentMeta& a, const DocumentMeta& b) { return a.id < b.id; });
    return scan;
}

}  // namespace strata
