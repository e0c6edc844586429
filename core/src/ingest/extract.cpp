#include "strata/extract.h"

#include "strata/text.h"

#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace strata {

namespace {

bool is_blank(std::string_view line) { return text::trim(line).empty(); }

// A markdown ATX heading: 1-6 '#' then a space. Returns the level, or 0.
int atx_level(std::string_view line) {
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
    if (level == 0 || level > 6) return 0;
    if (level < static_cast<int>(line.size()) && line[level] != ' ' && line[level] != '\t') return 0;
    return level;
}

// Plain-text heading heuristic: a short line standing alone between blank lines that does
// not read like the end of a sentence ("3. Talent and skills", "INTRODUCTION").
bool looks_like_heading(std::string_view line) {
    const std::string_view t = text::trim(line);
    if (t.empty() || t.size() > 100) return false;
    const char last = t.back();
    if (last == '.' || last == ',' || last == ';' || last == ':' || last == ')' ) return false;
    if (text::approx_words(t) > 12) return false;
    bool has_letter = false;
    for (char c : t)
        if (static_cast<unsigned char>(c) >= 0x80 || std::isalpha(static_cast<unsigned char>(c))) has_letter = true;
    return has_letter;
}

// Splits text into lines with their byte offsets, then groups them into blocks.
void block_lines(ExtractedDocument& doc, bool markdown, int page, std::uint32_t from, std::uint32_t to) {
    struct Line { std::uint32_t start, end; };
    std::vector<Line> lines;
    for (std::uint32_t i = from; i < to;) {
        std::uint32_t e = i;
        while (e < to && doc.text[e] != '\n') ++e;
        lines.push_back({i, e});
        i = e + 1;
    }
    std::uint32_t para_start = 0, para_end = 0;
    std::size_t para_lines = 0;
    auto flush = [&] {
        if (para_lines == 0) return;
        const std::string_view body(doc.text.data() + para_start, para_end - para_start);
        if (!markdown && para_lines == 1 && looks_like_heading(body)) {
            doc.blocks.push_back({true, 2, para_start, para_end, page});
        } else {
            doc.blocks.push_back({false, 0, para_start, para_end, page});
        }
        para_lines = 0;
    };
    bool in_fence = false;
    for (const Line& l : lines) {
        const std::string_view line(doc.text.data() + l.start, l.end - l.start);
        if (markdown && text::trim(line).substr(0, 3) == "```") {
            in_fence = !in_fence;
            continue;
        }
        if (markdown && !in_fence) {
            if (const int level = atx_level(line)) {
                flush();
                std::uint32_t s = l.start + static_cast<std::uint32_t>(level);
                std::uint32_t e = l.end;
                while (s < e && (doc.text[s] == ' ' || doc.text[s] == '\t')) ++s;
                while (e > s && (doc.text[e - 1] == ' ' || doc.text[e - 1] == '#' || doc.text[e - 1] == '\r')) --e;
                if (e > s) {
                    doc.blocks.push_back({true, level, s, e, page});
                    if (doc.title.empty() && level == 1) doc.title = doc.text.substr(s, e - s);
                }
                continue;
            }
        }
        if (is_blank(line)) {
            flush();
            continue;
        }
        if (para_lines == 0) para_start = l.start;
        para_end = l.end;
        while (para_end > para_start && doc.text[para_end - 1] == '\r') --para_end;
        ++para_lines;
    }
    flush();
}

}  // namespace

std::string read_source_file(const fs::path& file) {
    std::error_code ec;
    if (fs::is_directory(file, ec)) throw InputError(file.string(), 0, "file", "is a directory, not a file");
    const auto size = fs::file_size(file, ec);
    if (ec) throw InputError(file.string(), 0, "file", "cannot read: " + ec.message());
    if (size > kMaxSourceBytes) throw InputError(file.string(), 0, "file", "is larger than 256 MiB");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string(), 0, "file", "cannot open");
    std::string content(static_cast<std::size_t>(size), '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size)) throw InputError(file.string(), 0, "file", "short read");
    return content;
}

namespace {

void sanitize(ExtractedDocument& doc) {
    std::size_t bad = 0;
    if (!text::is_valid_utf8(doc.text)) {
        doc.text = text::sanitize_utf8(doc.text, &bad);
        doc.warnings.push_back("invalid UTF-8: " + std::to_string(bad) + " byte(s) replaced with U+FFFD");
    }
    // A NUL in text would be stored and echoed; turn it into a space.
    for (char& c : doc.text)
        if (c == '\0') c = ' ';
}

}  // namespace

ExtractedDocument extract_markdown(std::string content) {
    ExtractedDocument doc;
    doc.format = "md";
    doc.text = std::move(content);
    sanitize(doc);
    block_lines(doc, true, 0, 0, static_cast<std::uint32_t>(doc.text.size()));
    return doc;
}

ExtractedDocument extract_plain_text(std::string content) {
    ExtractedDocument doc;
    doc.format = "txt";
    doc.text = std::move(content);
    sanitize(doc);
    // Form feeds (as pdftotext writes them) mark pages.
    int page = doc.text.find('\f') != std::string::npos ? 1 : 0;
    std::uint32_t from = 0;
    const auto size = static_cast<std::uint32_t>(doc.text.size());
    for (std::uint32_t i = 0; i <= size; ++i) {
        if (i == size || doc.text[i] == '\f') {
            block_lines(doc, false, page, from, i);
            from = i + 1;
            if (page) ++page;
        }
    }
    doc.pages = page ? page - 1 : 0;
    return doc;
}

ExtractedDocument extract_file(const fs::path& file) { return extract_content(read_source_file(file), file); }

ExtractedDocument extract_content(std::string content, const fs::path& file) {
    const std::string ext = text::ascii_lower(file.extension().string());
    try {
        if (ext == ".md" || ext == ".markdown") return extract_markdown(std::move(content));
        if (ext == ".txt" || ext == ".text") return extract_plain_text(std::move(content));
        if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return extract_html(content);
        if (ext == ".pdf") return extract_pdf(content, file.string());
    } catch (const InputError& e) {
        throw InputError(file.string(), e.line(), e.field(), e.message());
    }
    throw InputError(file.string(), 0, "file", "unsupported format '" + ext + "' (expected .txt, .md, .html or .pdf)");
}

}  // namespace strata
