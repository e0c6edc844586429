// HTML extraction through libxml2's forgiving HTML parser: scripts, styles and navigation
// are dropped; headings become sections; block elements become paragraphs.
#include "strata/extract.h"

#include "strata/text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <memory>
#include <set>

namespace strata {

namespace {

const std::set<std::string>& skipped() {
    static const std::set<std::string> s = {"script", "style",  "nav",    "header", "footer", "aside",  "noscript",
                                            "template", "form", "button", "svg",    "iframe", "select", "head",
                                            "object", "canvas", "menu"};
    return s;
}

const std::set<std::string>& blocks() {
    static const std::set<std::string> s = {"p",  "div", "li", "ul", "ol",  "td", "th",  "tr", "table", "section",
                                            "article", "main", "blockquote", "pre", "dd", "dt", "dl", "figcaption",
                                            "figure", "br", "hr", "address", "caption", "body", "center"};
    return s;
}

class Walker {
public:
    explicit Walker(ExtractedDocument& doc) : doc_(doc) {}

    void walk(xmlNode* node, int depth) {
        if (depth > 200) return;  // pathological nesting: stop descending
        for (xmlNode* n = node; n; n = n->next) {
            if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
                if (n->content) append(reinterpret_cast<const char*>(n->content));
                continue;
            }
            if (n->type != XML_ELEMENT_NODE) continue;
            const std::string name = text::ascii_lower(reinterpret_cast<const char*>(n->name));
            if (skipped().count(name) || has_nav_role(n)) continue;
            if (name == "title") continue;
            const int hlevel = heading_level(name);
            if (hlevel) {
                flush();
                heading_ = hlevel;
                walk(n->children, depth + 1);
                flush();
                heading_ = 0;
                continue;
            }
            const bool block = blocks().count(name) > 0;
            if (block) flush();
            walk(n->children, depth + 1);
            if (block) flush();
        }
    }

    void flush() {
        const std::string para = text::squeeze_space(pending_);
        pending_.clear();
        if (para.empty()) return;
        if (!doc_.text.empty()) doc_.text += "\n\n";
        const auto start = static_cast<std::uint32_t>(doc_.text.size());
        doc_.text += para;
        doc_.blocks.push_back({heading_ > 0, heading_, start, static_cast<std::uint32_t>(doc_.text.size()), 0});
    }

private:
    static int heading_level(const std::string& name) {
        if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return name[1] - '0';
        return 0;
    }
    static bool has_nav_role(xmlNode* n) {
        xmlChar* role = xmlGetProp(n, reinterpret_cast<const xmlChar*>("role"));
        if (!role) return false;
        const std::string r = reinterpret_cast<const char*>(role);
        xmlFree(role);
        return r == "navigation" || r == "banner" || r == "contentinfo";
    }
    void append(const char* s) {
        pending_ += ' ';
        pending_ += s;
    }

    ExtractedDocument& doc_;
    std::string pending_;
    int heading_ = 0;
};

std::string find_title(xmlNode* node, int depth) {
    if (depth > 50) return {};
    for (xmlNode* n = node; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>("title")) == 0) {
            xmlChar* c = xmlNodeGetContent(n);
            std::string t = c ? text::squeeze_space(reinterpret_cast<const char*>(c)) : std::string();
            xmlFree(c);
            return t;
        }
        if (n->type == XML_ELEMENT_NODE) {
            std::string t = find_title(n->children, depth + 1);
            if (!t.empty()) return t;
        }
    }
    return {};
}

}  // namespace

ExtractedDocument extract_html(const std::string& content) {
    ExtractedDocument doc;
    doc.format = "html";
    std::size_t bad = 0;
    const std::string clean = text::is_valid_utf8(content) ? content : text::sanitize_utf8(content, &bad);
    if (bad) doc.warnings.push_back("invalid UTF-8: " + std::to_string(bad) + " byte(s) replaced with U+FFFD");
    if (clean.size() > static_cast<std::size_t>(INT32_MAX)) throw InputError("", 0, "", "HTML too large");
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                        HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT;
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> tree(
        htmlReadMemory(clean.data(), static_cast<int>(clean.size()), nullptr, "UTF-8", options), &xmlFreeDoc);
    if (!tree) throw InputError("", 0, "", "not parseable as HTML");
    xmlNode* root = xmlDocGetRootElement(tree.get());
    doc.title = find_title(root, 0);
    Walker w(doc);
    w.walk(root, 0);
    w.flush();
    for (char& c : doc.text)
        if (c == '\0') c = ' ';
    return doc;
}

}  // namespace strata
