#include "http_head.h"

#include <cstring>
#include <string>

namespace strata::searchd {

namespace {

constexpr int kEof = std::char_traits<char>::eof();
// Empty lines tolerated before a request line (RFC 9112 §2.2 asks for at least one).
constexpr int kMaxBlankLines = 8;
// Room for the spaces between a field's colon and its value, beyond the name and value bounds.
constexpr std::size_t kFieldSlack = 256;

bool is_space(int ch) { return ch == ' ' || ch == '\t'; }

// RFC 9110 token characters: what a method is made of.
bool is_tchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

HeadError bad_line(const std::string& why) { return HeadError(400, "bad_request_line", "malformed request line: " + why); }

HeadError too_large(const std::string& what, std::size_t limit) {
    return HeadError(431, "header_too_large", what + " is longer than " + std::to_string(limit) + " bytes");
}

// Reads a head one byte at a time; ch_ is the byte being looked at (the next one is only
// read once the head is known to go on).
class HeadReader {
public:
    HeadReader(const std::function<int()>& next, const HeadLimits& limits) : next_(next), limits_(limits) {}

    std::string read() {
        advance();
        for (int blank = 0; ch_ == '\r' || ch_ == '\n'; advance())
            if (ch_ == '\n' && ++blank > kMaxBlankLines) throw bad_line("too many empty lines before it");
        if (ch_ == kEof) return "";
        std::string head = request_line();
        fields(head);
        return head;
    }

private:
    void advance() { ch_ = next_(); }

    void skip_spaces() {
        while (is_space(ch_)) advance();
    }

    // Bytes up to a space or line end; stops after max + 1 so that the caller can tell an
    // over-long token without reading the rest of it.
    std::string token(std::size_t max) {
        std::string s;
        while (ch_ != kEof && ch_ != '\r' && ch_ != '\n' && !is_space(ch_) && s.size() <= max) {
            s += static_cast<char>(ch_);
            advance();
        }
        return s;
    }

    std::string request_line() {
        const std::string method = token(limits_.max_method);
        if (method.size() > limits_.max_method)
            throw bad_line("the method is longer than " + std::to_string(limits_.max_method) + " bytes");
        for (char c : method)
            if (!is_tchar(c)) throw bad_line("the method is not a token");
        if (!is_space(ch_)) throw bad_line("it has no request target");
        skip_spaces();
        const std::string target = token(limits_.max_uri);
        if (target.size() > limits_.max_uri)
            throw HeadError(414, "uri_too_long", "the request URI is longer than " + std::to_string(limits_.max_uri) + " bytes");
        if (!is_space(ch_)) throw bad_line("it has no HTTP version");
        skip_spaces();
        const std::string version = token(8);
        check_version(version);
        skip_spaces();
        if (ch_ == '\r') advance();
        if (ch_ != '\n') throw bad_line(ch_ == kEof ? "it ends early" : "text follows the HTTP version");
        advance();
        return method + " " + target + " " + version + "\r\n";
    }

    static void check_version(const std::string& v) {
        const auto digit = [](char c) { return c >= '0' && c <= '9'; };
        if (v.size() != 8 || v.compare(0, 5, "HTTP/") != 0 || !digit(v[5]) || v[6] != '.' || !digit(v[7]))
            throw bad_line("the version is not HTTP/1.0 or HTTP/1.1");
        if (v[5] != '1') throw HeadError(505, "http_version_not_supported", v + " is not supported; use HTTP/1.1");
    }

    // The header fields and the empty line after them, appended to @p head. A folded line
    // (one that starts with a space) is joined to the field before it, as Poco would.
    void fields(std::string& head) {
        std::string field;
        int count = 0;
        for (;;) {
            const bool folded = is_space(ch_) && !field.empty();
            std::string line = field_line();
            if (line.empty()) break;
            if (folded) {
                field += line;
            } else {
                if (!field.empty()) head += field + "\r\n";
                if (++count > limits_.max_fields)
                    throw HeadError(431, "too_many_headers", "the request has more than " + std::to_string(limits_.max_fields) + " header fields");
                field = std::move(line);
            }
            check_field(field);
        }
        if (!field.empty()) head += field + "\r\n";
        head += "\r\n";
    }

    // One line without its line end; a CR is allowed only right before the LF.
    std::string field_line() {
        const std::size_t max = limits_.max_field_name + 1 + kFieldSlack + limits_.max_field_value + 1;
        std::string line;
        while (ch_ != '\n' && ch_ != kEof) {
            if (line.size() == max) throw too_large("a header field", max - 1);
            line += static_cast<char>(ch_);
            advance();
        }
        if (ch_ == kEof) throw HeadError(400, "bad_header", "the request head ends before the empty line that closes it");
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find('\r') != std::string::npos) throw HeadError(400, "bad_header", "a header line holds a stray carriage return");
        // The empty line ends the head: what follows is the body's, and may not come yet.
        if (!line.empty()) advance();
        return line;
    }

    // The name and value bounds, measured as Poco's MessageHeader::read measures them.
    void check_field(const std::string& field) const {
        const std::size_t colon = field.find(':');
        if (colon == std::string::npos) {
            // Poco skips such a line, but reads it as a name: it must end before the bound.
            if (field.size() >= limits_.max_field_name) throw too_large("a header line without a colon", limits_.max_field_name - 1);
            return;
        }
        if (colon > limits_.max_field_name) throw too_large("a header field name", limits_.max_field_name);
        std::size_t value = colon + 1;
        while (value < field.size() && is_space(field[value])) ++value;
        if (field.size() - value > limits_.max_field_value) throw too_large("a header field value", limits_.max_field_value);
    }

    const std::function<int()>& next_;
    const HeadLimits& limits_;
    int ch_ = kEof;
};

}  // namespace

std::string read_head(const std::function<int()>& next, const HeadLimits& limits) { return HeadReader(next, limits).read(); }

}  // namespace strata::searchd
