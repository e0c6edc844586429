/** @file document_builder.h
 *  @brief Internal: turns one document into its passage Xapian documents and its record.
 */
#pragma once

#include "strata/analyzer.h"
#include "strata/corpus.h"
#include "strata/lexicon.h"
#include "strata/reference.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <map>
#include <string>
#include <vector>

namespace strata {

/// Shared, read-only context of an indexing run.
struct BuildContext {
    const Analyzer& analyzer;
    const ReferenceData& ref;
    const LexiconMatcher& lexicon;
};

/// The result of analysing one document (made on a worker thread, written by the writer).
struct BuiltDocument {
    std::string id;
    std::string hash;
    bool unchanged = false;
    bool failed = false;
    CorpusIssue issue;                          ///< when failed
    std::vector<Xapian::Document> passages;
    std::vector<nlohmann::json> passage_data;   ///< data of each passage until it is set
    nlohmann::json record;                      ///< the document record stored as metadata
    std::map<std::string, unsigned> spelling;   ///< words for spelling suggestions
    std::uint64_t bytes = 0;
    std::vector<std::string> warnings;
};

/// Reads, hashes and (unless @p stored_hash matches) analyses @p meta.
[[nodiscard]] BuiltDocument build_document(const DocumentMeta& meta, const BuildContext& ctx,
                                           const std::string& stored_hash, const std::string& salt);

}  // namespace strata
