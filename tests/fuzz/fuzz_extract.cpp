// libFuzzer target: HTML and markdown extraction, then passage splitting. The first byte
// picks the format. Blocks must lie inside the text, passages inside their blocks.
#include "strata/errors.h"
#include "strata/extract.h"
#include "strata/passages.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    strata::ExtractedDocument d;
    try {
        switch (data[0] % 3) {
            case 0: d = strata::extract_html(body); break;
            case 1: d = strata::extract_markdown(body); break;
            default: d = strata::extract_plain_text(body); break;
        }
    } catch (const strata::InputError&) {
        return 0;  // refused with a message (e.g. nothing parseable as HTML): the contract
    }
    for (const strata::Block& b : d.blocks)
        if (b.start > b.end || b.end > d.text.size()) __builtin_trap();
    for (const strata::Passage& p : strata::split_passages(d))
        if (p.start > p.end || p.end > d.text.size() || p.words > 2000) __builtin_trap();
    return 0;
}
