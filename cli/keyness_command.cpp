// strata keyness: the words or concepts distinctive of a target subset against a reference.
#include "commands.h"

#include "strata/keyness.h"

#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace strata::cli {

namespace {

std::string cell(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void print_keyness_table(std::ostream& out, const nlohmann::json& r) {
    const auto& t = r["target"];
    const auto& ref = r["reference"];
    out << "Target " << cell(t["filter"]) << ": " << cell(t["tokens"]) << " tokens in " << cell(t["documents"])
        << " documents; reference " << cell(ref["filter"]) << ": " << cell(ref["tokens"]) << " tokens in "
        << cell(ref["documents"]) << " documents\n";
    for (const auto& w : r["warnings"]) out << "warning: " << cell(w) << '\n';
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : r["rows"]) {
        char g2[32], lr[32];
        std::snprintf(g2, sizeof g2, "%.2f", row.value("log_likelihood", 0.0));
        std::snprintf(lr, sizeof lr, "%+.2f", row.value("log_ratio", 0.0));
        rows.push_back({cell(row["label"]), cell(row["side"]), cell(row["target_count"]), cell(row["reference_count"]),
                        g2, lr, cell(row["target_documents"])});
    }
    write_table(out, {"term", "side", "target", "reference", "G2", "log ratio", "target docs"}, rows, 40);
    out << r["rows"].size() << " of " << cell(r["total_rows"]) << " significant rows (G2 >= 6.63, p < 0.01)\n";
}

}  // namespace

ParamMap KeynessArgs::params() const {
    ParamMap p{{"target", {target}}, {"unit", {unit}}, {"side", {side}},
               {"min_count", {std::to_string(min_count)}}, {"per_page", {std::to_string(per_page)}}};
    if (!reference.empty()) p["reference"] = {reference};
    filters.put(p);
    return p;
}

CLI::App* add_keyness(CLI::App& app, KeynessArgs& args) {
    CLI::App* k = app.add_subcommand("keyness", "words or concepts distinctive of a target subset (G2, Log Ratio)");
    k->add_option("--target", args.target, "field filters, e.g. country:MX or \"region:europe type:strategy\"")->required();
    k->add_option("--reference", args.reference, "field filters; default: the rest of the corpus");
    k->add_option("--unit", args.unit, "word or concept")->capture_default_str();
    k->add_option("--side", args.side, "both, target or reference")->capture_default_str();
    k->add_option("--min-count", args.min_count, "least count on the side a term is distinctive of")->capture_default_str();
    k->add_option("--per-page", args.per_page, "rows (at most 1000)")->capture_default_str();
    args.filters.add_to(*k);
    return k;
}

int run_keyness(const KeynessArgs& args, const Context& ctx) {
    const nlohmann::json r = ctx.backend.get("/v1/keyness", args.params());
    switch (ctx.format) {
        case Format::kJson: std::cout << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'; break;
        // The API's tidy records (core), with their provenance, in both modes.
        case Format::kJsonl: write_jsonl(std::cout, keyness_records(r)); break;
        case Format::kCsv: std::cout << keyness_csv(r); break;
        case Format::kTable: print_keyness_table(std::cout, r); break;
        case Format::kBibtex:
        case Format::kRis: throw std::invalid_argument("--format bibtex and ris are for strata doc");
    }
    return 0;
}

}  // namespace strata::cli
