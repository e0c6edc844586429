/** @file errors.h
 *  @brief Typed exceptions thrown by core; the programs convert them once, at their edge.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace strata {

/// Base of every error core reports on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The caller asked for something malformed: a bad parameter, query or body.
class InvalidRequest : public Error {
public:
    InvalidRequest(std::string code, const std::string& message) : Error(message), code_(std::move(code)) {}
    [[nodiscard]] const std::string& code() const noexcept { return code_; }
private:
    std::string code_;
};

/// A named thing does not exist (a document id, a route).
class NotFound : public Error {
public:
    using Error::Error;
};

/// A request is larger than a configured limit.
class TooLarge : public Error {
public:
    using Error::Error;
};

/// The index is missing, locked, or unreadable right now.
class Unavailable : public Error {
public:
    using Error::Error;
};

/// Configuration or usage is wrong; names the key or flag at fault.
class ConfigError : public Error {
public:
    using Error::Error;
};

/// An input file is wrong; carries the file, line (1-based, 0 if unknown) and field.
class InputError : public Error {
public:
    InputError(std::string file, int line, std::string field, const std::string& message)
        : Error(format(file, line, field, message)), file_(std::move(file)), line_(line), field_(std::move(field)),
          message_(message) {}
    [[nodiscard]] const std::string& file() const noexcept { return file_; }
    [[nodiscard]] int line() const noexcept { return line_; }
    [[nodiscard]] const std::string& field() const noexcept { return field_; }
    /// The message without the file, line and field.
    [[nodiscard]] const std::string& message() const noexcept { return message_; }

private:
    static std::string format(const std::string& file, int line, const std::string& field, const std::string& msg) {
        std::string s;
        s.reserve(file.size() + field.size() + msg.size() + 32);
        s.append(file);
        if (line > 0) s.append(":").append(std::to_string(line));
        s.append(": ");
        if (!field.empty()) s.append("field '").append(field).append("': ");
        s.append(msg);
        return s;
    }
    std::string file_;
    int line_;
    std::string field_;
    std::string message_;
};

}  // namespace strata
