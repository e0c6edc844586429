// strata batch: many queries from a file, printed in input order as they finish.
#include "batch_input.h"
#include "commands.h"

#include "strata/export.h"

#include <unistd.h>

#include <iostream>

namespace strata::cli {

namespace {

// The columns of a batch export: the query, its total, warnings and error, then its hits.
std::vector<std::string> batch_columns(bool full_text) {
    std::vector<std::string> cols = {"query_id", "query", "total", "warnings", "error"};
    const std::vector<std::string> hits = search_hit_columns(full_text);
    cols.insert(cols.end(), hits.begin(), hits.end());
    return cols;
}

// Every query gives at least one record: one per hit, or one with no hit (zero hits, or an
// error), so that a table of results shows each query with its total and warnings.
std::vector<nlohmann::json> batch_records(const nlohmann::json& line, const nlohmann::json& query, bool full_text) {
    nlohmann::json head = {{"query_id", line["id"]},
                           {"query", query.is_object() && query.contains("q") ? query["q"] : nlohmann::json()},
                           {"total", nullptr},
                           {"warnings", nlohmann::json::array()},
                           {"error", nullptr}};
    std::vector<nlohmann::json> hits;
    if (line.contains("error")) {
        head["error"] = line["error"].value("message", "");
    } else {
        const nlohmann::json& res = line["result"];
        head["total"] = res.value("total", 0);
        head["warnings"] = res.value("warnings", nlohmann::json::array());
        hits = search_hit_records(res, full_text);
        if (hits.empty()) {
            hits.push_back(provenance_fields(res));
        }
    }
    if (hits.empty()) hits.push_back(nlohmann::json::object());
    std::vector<nlohmann::json> out;
    for (nlohmann::json& h : hits) {
        nlohmann::json rec = head;
        for (const std::string& c : search_hit_columns(full_text)) rec[c] = h.contains(c) ? h[c] : nlohmann::json();
        out.push_back(std::move(rec));
    }
    return out;
}

// Prints one line of a batch (a result or an error); errors are also reported on stderr.
void print_batch_line(const nlohmann::json& line, const nlohmann::json& query, Format format, bool full_text) {
    const std::string id = line["id"].is_string() ? line["id"].get<std::string>() : line["id"].dump();
    if (line.contains("error")) std::cerr << "query " << id << ": " << line["error"].value("message", "") << '\n';
    switch (format) {
        case Format::kJson: std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'; return;
        case Format::kJsonl: write_jsonl(std::cout, batch_records(line, query, full_text)); return;
        case Format::kCsv: write_csv_records(std::cout, batch_columns(full_text), batch_records(line, query, full_text)); return;
        case Format::kTable:
            if (line.contains("error")) return;
            std::cout << "== query " << id << ": " << line["result"]["query"].value("q", "") << '\n';
            print_search(std::cout, line["result"], Format::kTable, false);
            std::cout << '\n';
            return;
        case Format::kBibtex:
        case Format::kRis: return;  // refused before the batch runs
    }
}

}  // namespace

CLI::App* add_batch(CLI::App& app, BatchArgs& args) {
    CLI::App* batch = app.add_subcommand("batch", "run many queries from a file (YAML, CSV with a q column, or one query per line)");
    batch->add_option("FILE", args.file, "the batch file")->required()->check(CLI::ExistingFile);
    batch->add_option("--input", args.input, "yaml, csv, text or auto (by extension)")->capture_default_str();
    batch->add_flag("--full-text", args.full_text, "CSV and JSON Lines also carry each passage's whole text");
    return batch;
}

int run_batch(const BatchArgs& args, const Context& ctx) {
    if (ctx.format == Format::kBibtex || ctx.format == Format::kRis)
        throw std::invalid_argument("--format bibtex and ris are for strata doc");
    nlohmann::json body = read_batch_file(args.file, args.input);
    if (args.full_text) body["defaults"]["passage_text"] = true;
    const nlohmann::json& queries = body["queries"];
    const std::size_t total = queries.size();
    const bool progress = ::isatty(STDERR_FILENO);
    const bool json = ctx.format == Format::kJson;  // one JSON array: commas between the lines
    std::size_t done = 0;
    if (json) std::cout << "[\n";
    if (ctx.format == Format::kCsv) std::cout << kCsvByteOrderMark << csv_row(batch_columns(args.full_text));
    const std::size_t failed = ctx.backend.batch(body, [&](const nlohmann::json& line) {
        if (json && done > 0) std::cout << ",\n";
        print_batch_line(line, done < total ? queries[done] : nlohmann::json(), ctx.format, args.full_text);
        ++done;
        if (progress) std::cerr << "\r" << done << "/" << total << " queries" << (done == total ? "\n" : "") << std::flush;
    });
    if (json) std::cout << "]\n";
    if (failed) {
        std::cerr << "strata: " << failed << " of " << total << " queries failed\n";
        return 1;
    }
    return 0;
}

}  // namespace strata::cli
