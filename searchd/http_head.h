/** @file http_head.h
 *  @brief Reading an HTTP/1.x request head within the daemon's bounds, so that a head which
 *         breaks them is answered with the API's JSON error and its own status.
 *
 *  Poco's request parser refuses an over-long URI, an over-long or surplus header field and
 *  a malformed request line with a MessageException, which its HTTPServerConnection turns
 *  into a bare 400 before any handler runs. read_head() checks the same bounds first, and
 *  the grammar of the request line, so that Poco's parser is only ever given heads it
 *  accepts.
 */
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>

namespace strata::searchd {

/// Bounds on a request head. They are Poco's own (HTTPRequest, MessageHeader): raising one
/// would let through a head that Poco's parser then refuses.
struct HeadLimits {
    std::size_t max_method = 32;
    std::size_t max_uri = 16384;
    std::size_t max_field_name = 256;
    std::size_t max_field_value = 8192;  ///< after the colon and its spaces, folded lines joined
    int max_fields = 100;                ///< header lines, of any kind
};

/// A request head that the daemon refuses, with the status and API error code to answer.
class HeadError : public std::runtime_error {
public:
    HeadError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    [[nodiscard]] int status() const { return status_; }
    [[nodiscard]] const std::string& code() const { return code_; }

private:
    int status_;
    std::string code_;
};

/// Reads one request head from @p next, which returns the next byte (as Poco's
/// HTTPSession::get does: a char value, or EOF) and reads no further than the empty line
/// that ends the head. Empty lines before the request line are skipped.
///
/// Returns the head as text for Poco::Net::HTTPRequest::read (folded field lines joined),
/// or "" when the input ends before a request starts. Throws HeadError: 400
/// bad_request_line (a request line that is not "METHOD TARGET HTTP/1.x"), 414
/// uri_too_long, 431 header_too_large or too_many_headers, 400 bad_header (a field line
/// with a stray CR, or a head cut short), 505 http_version_not_supported.
[[nodiscard]] std::string read_head(const std::function<int()>& next, const HeadLimits& limits = {});

}  // namespace strata::searchd
