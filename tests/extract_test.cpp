// Extraction and passages: headings become sections, scripts and navigation are dropped,
// PDFs keep pages, bad input is reported.
#include "strata/errors.h"
#include "strata/extract.h"
#include "strata/passages.h"
#include "support.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

TEST(Extract, MarkdownHeadingsBecomeSections) {
    const ExtractedDocument d = extract_markdown("# Title\n\n## Vision\n\nFirst para.\n\nSecond para.\n\n## Budget\n\nMoney.\n");
    const std::vector<Passage> ps = split_passages(d);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0].section, "Vision");
    EXPECT_EQ(ps[0].text, "First para.\n\nSecond para.");
    EXPECT_EQ(d.text.substr(ps[0].start, ps[0].end - ps[0].start), "First para.\n\nSecond para.");
    EXPECT_EQ(ps[1].section, "Budget");
    EXPECT_EQ(d.title, "Title");
}

TEST(Extract, MarkdownInlineMarkersDoNotReachPassageText) {
    const std::vector<Passage> ps = split_passages(extract_markdown("## S\n\n**Strand 8** uses `code` and __data__ sharing.\n"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].text, "Strand 8 uses code and data sharing.");
}

TEST(Extract, MarkdownEmphasisDoesNotReachPassagesOrSections) {
    const std::vector<Passage> ps = split_passages(extract_markdown(
        "## The *new* plan\n\nWe use *big data* and (*sandboxes*), _data trusts_ and *Towards an AI Strategy*.\n"
        "Kept as text: 2 * 3 = 6, snake_case_name, a * b * c, and * a list item.\n"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].section, "The new plan");
    EXPECT_EQ(ps[0].text, "We use big data and (sandboxes), data trusts and Towards an AI Strategy.\n"
                          "Kept as text: 2 * 3 = 6, snake_case_name, a * b * c, and * a list item.");
}

TEST(Extract, ADocumentOfHeadingsAloneIsOnePassage) {
    // Two words on a line of their own read like a plain-text heading.
    const ExtractedDocument txt = extract_plain_text("Knowledge database");
    ASSERT_EQ(txt.blocks.size(), 1u);
    EXPECT_TRUE(txt.blocks[0].heading);
    const std::vector<Passage> ps = split_passages(txt);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].text, "Knowledge database");
    EXPECT_EQ(ps[0].section, "");
    EXPECT_EQ(ps[0].words, 2u);
    EXPECT_EQ(ps[0].start, 0u);
    EXPECT_EQ(ps[0].end, 18u);

    const std::vector<Passage> md = split_passages(extract_markdown("# Title only\n\n## And a *section*\n"));
    ASSERT_EQ(md.size(), 1u);
    EXPECT_EQ(md[0].text, "Title only\n\nAnd a section");
}

TEST(Extract, ADocumentWithoutWordsHasNoPassage) {
    EXPECT_TRUE(split_passages(extract_plain_text("")).empty());
    EXPECT_TRUE(split_passages(extract_plain_text(" \n\t\n  \r\n")).empty());
    EXPECT_TRUE(split_passages(extract_markdown("\n\n```\n```\n")).empty());
}

TEST(Extract, LongSectionsSplitNearFourHundredWords) {
    std::string md = "## Long\n\n";
    for (int p = 0; p < 12; ++p) {
        for (int s = 0; s < 10; ++s) md += "This sentence has exactly seven words here. ";
        md += "\n\n";
    }
    const std::vector<Passage> ps = split_passages(extract_markdown(md));
    ASSERT_GE(ps.size(), 2u);
    for (const Passage& p : ps) {
        EXPECT_LE(p.words, 400u);
        EXPECT_EQ(p.section, "Long");
    }
}

TEST(Extract, HtmlDropsScriptsAndNavigationAndKeepsHeadings) {
    const ExtractedDocument d = extract_html(
        "<html><head><title>T</title><script>var x='scriptword';</script><style>p{}</style></head><body>"
        "<nav>navword</nav><h2>Pillars</h2><p>Talent &amp; skills</p><footer>footword</footer></body></html>");
    EXPECT_EQ(d.text.find("scriptword"), std::string::npos);
    EXPECT_EQ(d.text.find("navword"), std::string::npos);
    EXPECT_EQ(d.text.find("footword"), std::string::npos);
    const std::vector<Passage> ps = split_passages(d);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].section, "Pillars");
    EXPECT_EQ(ps[0].text, "Talent & skills");
    EXPECT_EQ(d.title, "T");
}

TEST(Extract, MalformedHtmlStillYieldsText) {
    const ExtractedDocument d = extract_html("<div><p>unclosed <b>bold <i>text</div></span><<<>>> tail");
    EXPECT_NE(d.text.find("unclosed"), std::string::npos);
    EXPECT_NE(d.text.find("tail"), std::string::npos);
}

TEST(Extract, PdfKeepsPageNumbers) {
    const std::filesystem::path pdf = test::data_dir() / "two-pages.pdf";
    const ExtractedDocument d = extract_file(pdf);
    EXPECT_EQ(d.pages, 2);
    ASSERT_EQ(d.blocks.size(), 2u);
    EXPECT_EQ(d.blocks[0].page, 1);
    EXPECT_EQ(d.blocks[1].page, 2);
    const std::vector<Passage> ps = split_passages(d);
    ASSERT_EQ(ps.size(), 1u);  // short pages join into one passage that records both pages
    EXPECT_EQ(ps[0].page, 1);
    EXPECT_EQ(ps[0].page_end, 2);
    EXPECT_NE(ps[0].text.find("Second page"), std::string::npos);
}

TEST(Extract, CorruptPdfIsAClearError) {
    EXPECT_THROW((void)extract_pdf("%PDF-1.4\nthis is not really a pdf", "x.pdf"), InputError);
    EXPECT_THROW((void)extract_pdf("hello", "x.pdf"), InputError);
}

TEST(Extract, InvalidUtf8IsReplacedAndReported) {
    const ExtractedDocument d = extract_plain_text(std::string("caf\xE9 au lait\n"));
    ASSERT_EQ(d.warnings.size(), 1u);
    EXPECT_NE(d.text.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(Extract, ADirectoryWhereAFileShouldBeIsReported) {
    test::TempDir dir;
    std::filesystem::create_directory(dir / "doc.md");
    EXPECT_THROW((void)extract_file(dir / "doc.md"), InputError);
}

}  // namespace
}  // namespace strata
