/** @file support.h
 *  @brief Test helpers: temporary directories, test-corpus indexes, HTTP over loopback.
 */
#pragma once

#include <filesystem>
#include <map>
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
