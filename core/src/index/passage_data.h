/** @file passage_data.h
 *  @brief The fields of a passage's stored data (Xapian document data, JSON) that a search
 *         hit shows, read without building a JSON tree.
 *
 *  A page of results reads dozens of passages of about 2 kB each; simdjson's on-demand
 *  parser reads only the fields named here and skips the rest (the document record on
 *  passage 0), several times faster than parsing the whole JSON.
 */
#pragma once

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

struct PassageData {
    bool ok = false;  ///< false when the data is not a JSON object of the expected shape
    std::int64_t n = 0, page = 0, page_end = 0;
    std::string doc, section, lang, text;
    nlohmann::json themes = nlohmann::json::object();  ///< theme → score

    /// The passage as hits show it (without score and snippet).
    [[nodiscard]] nlohmann::json to_json() const;
};

[[nodiscard]] PassageData read_passage_data(const std::string& data);

/// A passage read from the index for showing: its document, stored data and token offsets
/// (the kSlotOffsets value).
struct ReadPassage {
    Xapian::Document doc;
    PassageData data;
    std::string offsets;
};

/// Passages @p ids of @p db, read in increasing docid order whatever the order given. A
/// page's passages come from a few documents whose passages lie side by side, and Xapian's
/// B-tree cursors keep the blocks they last read: read in rank order, each passage's data
/// and offsets cost block reads (a system call each) that the neighbour read just before
/// had already made. The offsets are left empty without @p with_offsets (snippets with
/// nothing to mark need none).
[[nodiscard]] std::unordered_map<Xapian::docid, ReadPassage> read_passages(Xapian::Database& db,
                                                                           std::vector<Xapian::docid> ids,
                                                                           bool with_offsets = true);

/// A stored page as answers show it: null for page 0 (a format without pages), never a page
/// 0 that reads as real.
[[nodiscard]] inline nlohmann::json shown_page(std::int64_t page) {
    return page > 0 ? nlohmann::json(page) : nlohmann::json(nullptr);
}

}  // namespace strata
