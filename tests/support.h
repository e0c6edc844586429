/** @file support.h
 *  @brief Test helpers: temporary directories, test-corpus documents and indexes (one per
 *         corpus shared by a test binary), Searcher suites, HTTP over loopback.
 */
#pragma once

#include "strata/search.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace strata::test {

/// A fresh directory under the system temp dir, removed with the object.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& s) const { return path_ / s; }

private:
    std::filesystem::path path_;
};

/// tests/data
[[nodiscard]] std::filesystem::path data_dir();
/// tests/data/corpus
[[nodiscard]] std::filesystem::path test_corpus();
/// Copies the test corpus into @p dir / "corpus" and returns that path.
std::filesystem::path copy_test_corpus(const std::filesystem::path& dir);

/// Indexes @p corpus into @p index (throws on failure of the run itself).
void build_index(const std::filesystem::path& corpus, const std::filesystem::path& index);

/// The index of @p corpus, built on the first call into a temporary directory that every
/// later call in this test binary shares, and removed when the binary exits. Tests only
/// read it: a test that changes its corpus or index builds its own with build_index().
[[nodiscard]] const std::filesystem::path& shared_index(const std::filesystem::path& corpus);

/// A Searcher over shared_index(@p corpus), with the reference data stored in the index
/// (@p corpus's when the index has none), as strata-searchd opens it.
[[nodiscard]] std::unique_ptr<Searcher> open_searcher(const std::filesystem::path& corpus);

/// A suite over the bundled corpus through a Searcher: the corpus is indexed once per test
/// binary (shared_index), the Searcher opened before the suite's first test and closed
/// after its last.
class BundledSearcherSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() { searcher_ = open_searcher(bundled_corpus_dir()); }
    static void TearDownTestSuite() { searcher_.reset(); }
    /// The shared index the Searcher reads.
    static const std::filesystem::path& index() { return shared_index(bundled_corpus_dir()); }

    static inline std::unique_ptr<Searcher> searcher_;
};

/// The metadata of a document a test writes into a corpus; an optional field left empty
/// (or false) is not written. Every field has an initializer, so that designated
/// initializers may leave any out.
struct DocumentFields {
    std::string country = "GB";
    std::string title{};
    std::string title_en{};  ///< optional
    int year = 2020;
    std::string language{};  ///< optional
    std::string type{};      ///< optional
    std::string issuer{};    ///< optional
    std::string file{};      ///< the text's file name in docs/; "<id>.md" when empty
    bool digest = false;     ///< optional
};

/// Writes document @p id into @p corpus: @p text as docs/<file>, and its metadata as
/// docs/<file without its extension>.yaml.
void add_document(const std::filesystem::path& corpus, const std::string& id, const std::string& text,
                  const DocumentFields& fields);

/// An HTTP answer.
struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
};

/// One request to 127.0.0.1:@p port over a real socket.
HttpResult http(unsigned short port, const std::string& method, const std::string& path_and_query,
                const std::string& body = "", const std::map<std::string, std::string>& headers = {});

/// Reads a whole file.
std::string read_file(const std::filesystem::path& p);
/// Writes a whole file.
void write_file(const std::filesystem::path& p, const std::string& content);

/// Percent-encodes a query parameter value.
std::string url_encode(const std::string& s);

/// Runs a shell command, capturing stdout; returns the exit status.
int run(const std::string& command, std::string* out = nullptr);

}  // namespace strata::test
