#include "text/freedict.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

namespace strata::freedict {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool icontains(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != hay.end();
}

// Length of a sense number at the start of @p s ("1. ", "II. ", "a) "), or 0.
std::size_t sense_number_length(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == 0)
        while (i < s.size() && (s[i] == 'I' || s[i] == 'V' || s[i] == 'X')) ++i;
    if (i == 0 || i >= s.size() || s[i] != '.') return 0;
    if (i + 1 < s.size() && !is_space(s[i + 1])) return 0;
    return i + 1;
}

// A line that starts a new numbered sense, with the number removed; or nullopt-like empty flag.
bool strip_sense_number(std::string_view& line) {
    std::string_view t = trim(line);
    const std::size_t n = sense_number_length(t);
    if (!n) return false;
    line = t.substr(n);
    return true;
}

// Lines that never hold translations: examples, cross-references, notes.
bool is_apparatus(std::string_view line) {
    const std::string_view t = trim(line);
    if (t.empty()) return true;
    if (t.front() == '"' || t.front() == '-' || t.front() == '\xE2') return true;  // "example", - phrase, “…”
    for (std::string_view p : {"Synonym", "see:", "See:", "Note:", "Notes:", "Antonym", "Usage:"})
        if (t.substr(0, p.size()) == p) return true;
    return false;
}

// Piotrowski-Saloni (eng-pol) lists compounds and phrases as senses: "<N Comp>data bank  bank danych".
bool is_phrase_sense(std::string_view line) {
    return line.find("Comp>") != std::string_view::npos || line.find("Phr>") != std::string_view::npos ||
           line.find("Idiom") != std::string_view::npos;
}

// Placeholders (Ding's sb., sth., jdn., etw.; French qn, qc) mark phrases, not
// equivalents of a word.
bool has_placeholder(std::string_view item) {
    static constexpr std::string_view kPlaceholders[] = {"sb", "sth", "so", "jdn", "jdm", "jds", "etw",
                                                         "jmd", "qn", "qc", "qqn", "qqch"};
    std::size_t at = 0;
    while (at < item.size()) {
        std::size_t end = item.find(' ', at);
        if (end == std::string_view::npos) end = item.size();
        std::string_view w = item.substr(at, end - at);
        if (w.size() > 2 && w.substr(w.size() - 2) == "'s") w.remove_suffix(2);
        const bool dotted = !w.empty() && w.back() == '.';
        if (dotted) w.remove_suffix(1);
        // "so" is an English word; only "so." is Ding's "someone".
        if (std::find(std::begin(kPlaceholders), std::end(kPlaceholders), w) != std::end(kPlaceholders) &&
            (w != "so" || dotted))
            return true;
        at = end + 1;
    }
    return false;
}

// Removes bracketed material, and /slashed/ pronunciations and abbreviations (a '/' after
// a space opens one; "he/she" stays); an unmatched opener drops the rest of the line.
std::string strip_brackets(std::string_view line) {
    std::string out;
    int depth = 0;
    bool slashed = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (slashed) {
            slashed = c != '/';
            continue;
        }
        if (c == '/' && depth == 0 && (out.empty() || out.back() == ' ')) {
            slashed = true;
        } else if (c == '(' || c == '[' || c == '<' || c == '{') {
            ++depth;
        } else if ((c == ')' || c == ']' || c == '>' || c == '}') && depth > 0) {
            // Ding glues an abbreviation to a tag: "artificial intelligence <n>AI".
            if (--depth == 0) out += (c == '>' && i + 1 < line.size() && !is_space(line[i + 1])) ? ", " : " ";
        } else if (depth == 0) {
            out += c;
        }
    }
    return out;
}

std::string clean_item(std::string_view raw) {
    std::string s;
    for (char c : trim(raw)) {
        if (c == '~' || c == '\t') c = ' ';
        if (c == '|' || c == '*' || c == '"') continue;
        if (c == ' ' && (s.empty() || s.back() == ' ')) continue;
        s += c;
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '.' || s.back() == ':' || s.back() == '!' ||
                          s.back() == '?' || s.back() == '-'))
        s.pop_back();
    while (!s.empty() && (s.front() == '-' || s.front() == '.' || s.front() == '\'')) s.erase(0, 1);
    // WikDict sometimes glues the next sense's number to the line: "サファイア 2."
    std::size_t sp = s.rfind(' ');
    if (sp != std::string::npos && sp + 1 < s.size() &&
        std::all_of(s.begin() + sp + 1, s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        s.erase(sp);
    return s;
}

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        out.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    return out;
}

void append(std::vector<std::string>& out, std::string_view line) {
    if (is_apparatus(line) || is_phrase_sense(line)) return;
    for (std::string& item : split_translations(line))
        if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
}

std::uint64_t decode_base64(std::string_view s) {
    std::uint64_t v = 0;
    for (char c : s) {
        int d;
        if (c >= 'A' && c <= 'Z') d = c - 'A';
        else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
        else if (c >= '0' && c <= '9') d = c - '0' + 52;
        else if (c == '+') d = 62;
        else if (c == '/') d = 63;
        else throw std::runtime_error("bad offset in dictd index");
        v = v * 64 + static_cast<std::uint64_t>(d);
    }
    return v;
}

std::string read_gzip(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open " + path);
    std::string out;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    const bool failed = n < 0;
    gzclose(f);
    if (failed) throw std::runtime_error("cannot decompress " + path);
    return out;
}

}  // namespace

Layout detect_layout(std::string_view header) {
    if (icontains(header, "wikdict")) return Layout::kWikDict;
    // Case-sensitive: "ding" occurs in any English header ("including").
    if (header.find("Ding/FreeDict") != std::string_view::npos || header.find("tu-chemnitz") != std::string_view::npos)
        return Layout::kDing;
    return Layout::kPlain;
}

std::vector<std::string> split_translations(std::string_view line) {
    const std::string flat = strip_brackets(line);
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= flat.size()) {
        std::size_t end = flat.find_first_of(",;", at);
        if (end == std::string::npos) end = flat.size();
        const std::string_view raw = std::string_view(flat).substr(at, end - at);
        std::string item = clean_item(raw);
        if (!item.empty() && !has_placeholder(raw)) out.push_back(std::move(item));
        at = end + 1;
    }
    return out;
}

std::vector<std::string> parse_article(std::string_view article, Layout layout) {
    std::vector<std::string_view> lines = lines_of(article);
    std::vector<std::string> out;
    if (lines.empty()) return out;
    lines.erase(lines.begin());  // headword, pronunciation, part of speech
    if (layout == Layout::kDing) {
        // The first line that yields words; the rest are examples and cross-references.
        for (std::string_view l : lines) {
            strip_sense_number(l);
            append(out, l);
            if (!out.empty()) break;
        }
        return out;
    }
    bool sense_has_translation = false;
    for (std::string_view line : lines) {
        const bool numbered = strip_sense_number(line);
        if (numbered) sense_has_translation = false;
        if (layout == Layout::kWikDict) {
            // Only the first line of a sense that yields words; the next one is a gloss.
            if (sense_has_translation) continue;
            const std::size_t before = out.size();
            append(out, line);
            if (out.size() > before || !split_translations(line).empty()) sense_has_translation = true;
        } else {
            append(out, line);
        }
    }
    return out;
}

const std::map<std::string, std::string>& corpus_languages() {
    static const std::map<std::string, std::string> m = {
        {"eng", "en"}, {"spa", "es"}, {"por", "pt"}, {"ita", "it"}, {"pol", "pl"}, {"fra", "fr"},
        {"deu", "de"}, {"nld", "nl"}, {"swe", "sv"}, {"fin", "fi"}, {"dan", "da"}, {"nor", "nb"},
        {"ces", "cs"}, {"ell", "el"}, {"hun", "hu"}, {"tur", "tr"}, {"rus", "ru"}, {"lit", "lt"},
        {"hrv", "hr"}, {"bul", "bg"}, {"jpn", "ja"}, {"ara", "ar"}, {"hin", "hi"}, {"ind", "id"},
    };
    return m;
}

std::vector<std::string> parts_of_speech(std::string_view article) {
    const std::string_view head = article.substr(0, article.find('\n'));
    std::vector<std::string> out;
    for (std::size_t open = head.find('<'); open != std::string_view::npos; open = head.find('<', open + 1)) {
        const std::size_t close = head.find('>', open);
        if (close == std::string_view::npos) break;
        std::string tag;
        for (char c : head.substr(open + 1, close - open - 1)) {
            if (c == ',' || c == ' ') {
                if (!tag.empty()) out.push_back(std::move(tag));
                tag.clear();
            } else {
                tag += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
        if (!tag.empty()) out.push_back(std::move(tag));
    }
    return out;
}

bool is_function_word(std::string_view headword, const std::vector<std::string>& parts) {
    static const std::set<std::string, std::less<>> closed = {"preposition", "prep", "conjunction", "conj", "pronoun", "pron",
                                                              "article", "art", "determiner", "det", "particle", "postposition"};
    static const std::set<std::string, std::less<>> open = {"n", "noun", "v", "verb", "adj", "adjective", "adv", "adverb",
                                                            "pn", "num", "numeral"};
    const auto code_points = std::count_if(headword.begin(), headword.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    const bool letter = code_points == 1;
    bool function = false;
    for (const std::string& p : parts) {
        if (closed.count(p)) function = true;
        else if (open.count(p) && !(letter && (p == "n" || p == "noun"))) return false;
    }
    return function;
}

std::vector<Entry> read_dictionary(const std::string& prefix) {
    std::ifstream index(prefix + ".index", std::ios::binary);
    if (!index) throw std::runtime_error("cannot open " + prefix + ".index");
    const std::string dict = read_gzip(prefix + ".dict.dz");
    const Layout layout = detect_layout(std::string_view(dict).substr(0, 4096));
    std::vector<Entry> out;
    std::map<std::uint64_t, std::vector<std::string>> parsed;  // several keys share an article
    std::string line;
    while (std::getline(index, line)) {
        const std::size_t t1 = line.find('\t');
        const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string::npos) continue;
        std::string key = line.substr(0, t1);
        if (key.rfind("00database", 0) == 0 || key.rfind("00-database", 0) == 0) continue;
        const std::uint64_t off = decode_base64(std::string_view(line).substr(t1 + 1, t2 - t1 - 1));
        const std::uint64_t len = decode_base64(trim(std::string_view(line).substr(t2 + 1)));
        if (off > dict.size() || len > dict.size() - off) continue;
        auto it = parsed.find(off);
        if (it == parsed.end())
            it = parsed.emplace(off, parse_article(std::string_view(dict).substr(off, len), layout)).first;
        if (!it->second.empty())
            out.push_back(Entry{std::move(key), it->second, parts_of_speech(std::string_view(dict).substr(off, len))});
    }
    return out;
}

}  // namespace strata::freedict
