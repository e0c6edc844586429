/** @file query_lexer.h
 *  @brief Internal: the query lexer, and the warnings on what a query says other than it
 *         may seem (an unknown field, a leading wildcard, a dangling or lowercase operator).
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::query_syntax {

enum class Tok { kWord, kPhrase, kField, kAnd, kOr, kNot, kMinus, kPlus, kLParen, kRParen };

struct Lexeme {
    Tok type;
    std::string text;   ///< word, phrase body, or field value
    std::string field;  ///< for kField
    std::size_t at = 0; ///< byte offset in the query
};

/// A query that does not parse; it is then searched as plain words.
struct SyntaxError {
    std::string message;
};

/// Splits @p q into lexemes; throws SyntaxError. Warns in @p warnings when a word looks
/// like a field filter of an unknown field ("foo:bar", searched as words), and when a
/// leading wildcard ("*ethics") is dropped.
[[nodiscard]] std::vector<Lexeme> lex(std::string_view q, std::vector<std::string>& warnings);

/// Drops AND and OR with nothing on one side and NOT with nothing on its right (a trailing
/// "AND"), with a warning each, so that they are neither an error nor searched as words.
void drop_dangling_operators(std::vector<Lexeme>& lx, std::vector<std::string>& warnings);

/// Removes the parentheses around words and phrases alone (no operator, sign or field
/// inside, none next to them): "(consultations, workshops)" in a question is prose, and its
/// words count one by one like the others. Parentheses that group operators keep their
/// meaning.
void unwrap_plain_groups(std::vector<Lexeme>& lx);

/// The lowercase words "or", "and" and "not" that stand between two items, where the upper
/// case would be an operator ("ethics or privacy").
[[nodiscard]] std::vector<const Lexeme*> lowercase_operators(const std::vector<Lexeme>& lx);

/// @p q with those words in upper case: the query as operators would read it.
[[nodiscard]] std::string as_operators(std::string_view q, const std::vector<const Lexeme*>& words);

}  // namespace strata::query_syntax
