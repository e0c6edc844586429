// PDF extraction through poppler-cpp, page by page, so that every passage keeps its page.
#include "strata/extract.h"

#include "strata/text.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <memory>
#include <mutex>

namespace strata {

namespace {

void quiet_poppler(const std::string&, void*) {}

std::once_flag poppler_quiet_once;

}  // namespace

ExtractedDocument extract_pdf(const std::string& content, const std::string& name) {
    std::call_once(poppler_quiet_once, [] { poppler::set_debug_error_function(quiet_poppler, nullptr); });
    ExtractedDocument doc;
    doc.format = "pdf";
    if (content.size() < 8 || content.compare(0, 5, "%PDF-") != 0)
        throw InputError(name, 0, "file", "not a PDF (no %PDF- header)");
    poppler::byte_array data(content.begin(), content.end());
    std::unique_ptr<poppler::document> pdf(poppler::document::load_from_data(&data));
    if (!pdf) throw InputError(name, 0, "file", "corrupt or unreadable PDF");
    if (pdf->is_locked()) throw InputError(name, 0, "file", "PDF is encrypted");
    doc.pages = pdf->pages();
    for (int i = 0; i < doc.pages; ++i) {
        std::unique_ptr<poppler::page> page(pdf->create_page(i));
        if (!page) continue;
        const poppler::byte_array utf8 = page->text().to_utf8();
        std::string page_text(utf8.begin(), utf8.end());
        if (!text::is_valid_utf8(page_text)) page_text = text::sanitize_utf8(page_text);
        for (char& c : page_text)
            if (c == '\0' || c == '\f') c = ' ';
        if (!doc.text.empty()) doc.text += '\f';
        doc.text += page_text;
    }
    // Reuse the plain-text paragraph logic, which reads form feeds as page breaks.
    ExtractedDocument plain = extract_plain_text(std::move(doc.text));
    plain.format = "pdf";
    plain.pages = doc.pages;
    if (plain.blocks.empty() && doc.pages > 0) plain.warnings.push_back("PDF has no extractable text (scanned?)");
    for (Block& b : plain.blocks)
        if (b.page == 0) b.page = 1;
    return plain;
}

}  // namespace strata
