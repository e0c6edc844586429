// libFuzzer target: query parsing and analysis. Any input must parse (or be refused with
// InvalidRequest) into a Xapian query without crashing, hanging or leaking.
#include "strata/analyzer.h"
#include "strata/errors.h"
#include "strata/lexicon.h"
#include "strata/query.h"
#include "strata/reference.h"

#include <cstdint>
#include <memory>
#include <string>

namespace {

struct Fixture {
    strata::Analyzer analyzer;
    strata::ReferenceData ref = strata::load_reference(STRATA_FUZZ_REFERENCE);
    strata::LexiconMatcher lexicon{analyzer, ref};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture* f = new Fixture;  // built once; reused by every input
    const std::string q(reinterpret_cast<const char*>(data), size);
    (void)f->analyzer.tokenize(q, size % 2 ? "tr" : "");
    for (bool cross : {false, true}) {
        strata::QueryContext ctx{f->analyzer, &f->lexicon, &f->ref, {"en", "es", "de", "ru", "ar"}, {}, cross, {}};
        try {
            const strata::ParsedQuery pq = strata::parse_query(q, ctx);
            (void)pq.query.get_description();
        } catch (const strata::InvalidRequest&) {
            // Over a limit: refused with a message, which is the contract.
        }
    }
    return 0;
}
