// strata batch: many queries from a file, printed in input order as they finish.
#include "batch_input.h"
#include "commands.h"

#include <unistd.h>

#include <iostream>

namespace strata::cli {

CLI::App* add_batch(CLI::App& app, BatchArgs& args) {
    CLI::App* batch = app.add_subcommand("batch", "run many queries from a file (YAML, CSV with a q column, or one query per line)");
    batch->add_option("FILE", args.file, "the batch file")->required()->check(CLI::ExistingFile);
    batch->add_option("--input", args.input, "yaml, csv, text or auto (by extension)")->capture_default_str();
    return batch;
}

int run_batch(const BatchArgs& args, const Context& ctx) {
    const nlohmann::json body = read_batch_file(args.file, args.input);
    const std::size_t total = body["queries"].size();
    const bool progress = ::isatty(STDERR_FILENO);
    const bool json = ctx.format == Format::kJson;  // one JSON array: commas between the lines
    std::size_t done = 0;
    bool first = true;
    if (json) std::cout << "[\n";
    const std::size_t failed = ctx.backend.batch(body, [&](const nlohmann::json& line) {
        if (json && !first) std::cout << ",\n";
        print_batch_line(std::cout, std::cerr, line, ctx.format, first);
        first = false;
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
