#include "apertium_bidix.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>

namespace fs = std::filesystem;

namespace strata::apertium {

namespace {

// Apertium's package directories use ISO 639-3 or ISO 639-1 codes ("apertium-eng-spa",
// "apertium-es-pt"); their files use the same codes as their directory.
const std::map<std::string, std::vector<std::string>>& codes() {
    static const std::map<std::string, std::vector<std::string>> m = {
        {"en", {"eng", "en"}}, {"es", {"spa", "es"}}, {"it", {"ita", "it"}}, {"pt", {"por", "pt"}},
        {"fr", {"fra", "fr"}}, {"ca", {"cat", "ca"}}};
    return m;
}

// Characters that have a meaning in lttoolbox's stream format.
bool writable(const std::string& w) {
    return !w.empty() && w.find_first_of("^$@/<>[]{}\\*#\t\n") == std::string::npos && w.find(' ') == std::string::npos;
}

std::string lower_ascii_joints(std::string w) {
    for (char& c : w) {
        if (c == '_' || c == '+' || c == '#') c = ' ';
        else c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return w;  // non-ASCII letters are case-folded by the caller's analyzer
}

// "<n><f>" from @p at on → "n f".
std::string tags_of(const std::string& part, std::size_t at) {
    std::string tags;
    while (at != std::string::npos && at < part.size() && part[at] == '<') {
        const std::size_t end = part.find('>', at);
        if (end == std::string::npos) break;
        tags += (tags.empty() ? "" : " ") + part.substr(at + 1, end - at - 1);
        at = end + 1;
    }
    return tags;
}

// The tag sequences a lemma is asked with (Lemma's comment).
std::vector<std::string> asked_tags(const std::string& tag) {
    if (tag == "n") return {"n", "n m", "n f", "n mf"};
    return {tag};
}

std::string stream_tags(const std::string& tag) {
    std::string out = "<";
    for (char c : tag) out += c == ' ' ? std::string("><") : std::string(1, c);
    return out + ">";
}

}  // namespace

const std::vector<std::string>& content_tags() {
    static const std::vector<std::string> tags = {"n", "vblex", "adj", "adv"};
    return tags;
}

fs::path find_bidix(const fs::path& apertium_dir, const std::string& from, const std::string& to) {
    const auto f = codes().find(from), t = codes().find(to);
    if (f == codes().end() || t == codes().end() || !fs::is_directory(apertium_dir)) return {};
    for (const auto& a : f->second)
        for (const auto& b : t->second)
            for (const std::string& pair : {a + "-" + b, b + "-" + a}) {
                const fs::path file = apertium_dir / ("apertium-" + pair) / (a + "-" + b + ".autobil.bin");
                if (fs::exists(file)) return file;
            }
    return {};
}

std::vector<Lemma> parse_lookup_line(const std::string& line, const std::string& default_tag) {
    std::vector<Lemma> out;
    const auto open = line.find('^'), close = line.rfind('$');
    if (open == std::string::npos || close == std::string::npos || close <= open) return out;
    const std::string body = line.substr(open + 1, close - open - 1);
    std::size_t start = body.find('/');
    while (start != std::string::npos) {
        const std::size_t end = body.find('/', start + 1);
        const std::string part = body.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
        start = end;
        if (part.empty() || part[0] == '@' || part[0] == '*') continue;
        const std::size_t tag_at = part.find('<');
        Lemma l{lower_ascii_joints(part.substr(0, tag_at)), tags_of(part, tag_at)};
        if (l.tag.empty()) l.tag = default_tag;
        if (!l.word.empty() && std::find(out.begin(), out.end(), l) == out.end()) out.push_back(std::move(l));
    }
    return out;
}

std::map<Lemma, std::vector<Lemma>> lookup(const fs::path& bidix, const std::vector<Lemma>& lemmas) {
    std::vector<std::pair<Lemma, std::string>> asked;  // a lemma and one of its tag sequences
    const fs::path in = fs::temp_directory_path() / ("strata-bidix-" + std::to_string(::getpid()) + ".txt");
    {
        std::ofstream f(in, std::ios::binary);
        for (const Lemma& l : lemmas) {
            if (!writable(l.word) || l.tag.find_first_of("<>^$/") != std::string::npos) continue;
            for (const std::string& tag : asked_tags(l.tag)) {
                f << '^' << l.word << stream_tags(tag) << "$\n";
                asked.emplace_back(l, tag);
            }
        }
    }
    std::map<Lemma, std::vector<Lemma>> out;
    const std::string cmd = "lt-proc -b '" + bidix.string() + "' < '" + in.string() + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) {
        std::cerr << "compile-dictionaries: cannot run lt-proc\n";
        fs::remove(in);
        return out;
    }
    std::string line;
    std::size_t i = 0;
    for (int c = std::fgetc(p); c != EOF; c = std::fgetc(p)) {
        if (c != '\n') {
            line += static_cast<char>(c);
            continue;
        }
        if (i < asked.size()) {
            std::vector<Lemma>& into = out[asked[i].first];
            for (Lemma& l : parse_lookup_line(line, asked[i].second))
                if (std::find(into.begin(), into.end(), l) == into.end()) into.push_back(std::move(l));
            if (into.empty()) out.erase(asked[i].first);
        }
        ++i;
        line.clear();
    }
    if (::pclose(p) != 0 || i != asked.size()) {
        std::cerr << "compile-dictionaries: lt-proc -b " << bidix << " failed; its translations are skipped\n";
        out.clear();
    }
    fs::remove(in);
    return out;
}

}  // namespace strata::apertium
