#include "search/query_lexer.h"

#include "strata/query.h"
#include "strata/text.h"

#include <algorithm>
#include <cctype>

namespace strata::query_syntax {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool ascii_letters(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    });
}

std::string field_list() {
    std::string out;
    for (const std::string& f : filter_fields()) out += (out.empty() ? "" : ", ") + f;
    return out;
}

// A word: an operator, a field filter, or a plain word.
void word_lexeme(std::string_view q, std::size_t at, std::size_t& i, std::string word, std::vector<Lexeme>& out,
                 std::vector<std::string>& warnings) {
    if (word == "AND") return out.push_back({Tok::kAnd, word, "", at});
    if (word == "OR") return out.push_back({Tok::kOr, word, "", at});
    if (word == "NOT") return out.push_back({Tok::kNot, word, "", at});
    const auto colon = word.find(':');
    if (colon != std::string::npos && colon > 0) {
        std::string field = text::ascii_lower(word.substr(0, colon));
        if (field == "language") field = "lang";
        if (filter_fields().count(field)) {
            std::string value = word.substr(colon + 1);
            if (value.empty() && i < q.size() && q[i] == '"') {
                const std::size_t end = q.find('"', i + 1);
                if (end == std::string_view::npos) throw SyntaxError{"unterminated quote"};
                value = std::string(q.substr(i + 1, end - i - 1));
                i = end + 1;
            }
            if (value.empty()) throw SyntaxError{"field '" + field + ":' has no value"};
            out.push_back({Tok::kField, value, field, at});
            return;
        }
        if (ascii_letters(word.substr(0, colon)) && colon + 1 < word.size() && word.compare(colon + 1, 2, "//") != 0)
            warnings.push_back("unknown field '" + word.substr(0, std::min<std::size_t>(colon, 40)) + ":' (fields: " +
                               field_list() + "); '" + word.substr(0, 80) + "' was searched as words");
    }
    if (word.front() == '*') {
        const std::size_t rest = word.find_first_not_of('*');
        if (rest == std::string::npos) {
            warnings.push_back("a lone '*' was ignored: a wildcard ends a word, as in ethic*");
            return;
        }
        warnings.push_back("a leading wildcard is not supported: '" + word.substr(0, 80) + "' was searched as '" +
                           word.substr(rest, 80) + "' (a wildcard ends a word, as in ethic*)");
        word.erase(0, rest);
    }
    out.push_back({Tok::kWord, word, "", at});
}

bool is_binary(Tok t) { return t == Tok::kAnd || t == Tok::kOr; }
bool ends_item(Tok t) { return t == Tok::kWord || t == Tok::kPhrase || t == Tok::kField || t == Tok::kRParen; }
bool starts_item(Tok t) {
    return t == Tok::kWord || t == Tok::kPhrase || t == Tok::kField || t == Tok::kLParen || t == Tok::kMinus ||
           t == Tok::kPlus;
}

}  // namespace

std::vector<Lexeme> lex(std::string_view q, std::vector<std::string>& warnings) {
    std::vector<Lexeme> out;
    std::size_t i = 0;
    while (i < q.size()) {
        const char c = q[i];
        if (space(c)) { ++i; continue; }
        if (c == '(') { out.push_back({Tok::kLParen, "(", "", i}); ++i; continue; }
        if (c == ')') { out.push_back({Tok::kRParen, ")", "", i}); ++i; continue; }
        const bool at_start = out.empty() || out.back().type != Tok::kWord || (i > 0 && space(q[i - 1]));
        if ((c == '-' || c == '+') && at_start && i + 1 < q.size() && !space(q[i + 1]) && q[i + 1] != ')') {
            out.push_back({c == '-' ? Tok::kMinus : Tok::kPlus, std::string(1, c), "", i});
            ++i;
            continue;
        }
        if (c == '"') {
            const std::size_t end = q.find('"', i + 1);
            if (end == std::string_view::npos) throw SyntaxError{"unterminated quote"};
            out.push_back({Tok::kPhrase, std::string(q.substr(i + 1, end - i - 1)), "", i});
            i = end + 1;
            continue;
        }
        std::size_t j = i;
        while (j < q.size() && !space(q[j]) && q[j] != '(' && q[j] != ')' && q[j] != '"') ++j;
        const std::size_t at = i;
        std::string word(q.substr(i, j - i));
        i = j;
        word_lexeme(q, at, i, std::move(word), out, warnings);
    }
    return out;
}

void drop_dangling_operators(std::vector<Lexeme>& lx, std::vector<std::string>& warnings) {
    for (std::size_t i = 0; i < lx.size();) {
        const Tok t = lx[i].type;
        const bool nothing_left = i == 0 || lx[i - 1].type == Tok::kLParen || is_binary(lx[i - 1].type) ||
                                  lx[i - 1].type == Tok::kNot;
        const bool nothing_right = i + 1 == lx.size() || lx[i + 1].type == Tok::kRParen;
        if ((is_binary(t) || t == Tok::kNot) && nothing_right) {
            warnings.push_back("'" + lx[i].text + "' has nothing on its right and was ignored");
        } else if (is_binary(t) && nothing_left) {
            warnings.push_back("'" + lx[i].text + "' has nothing on its left and was ignored");
        } else {
            ++i;
            continue;
        }
        lx.erase(lx.begin() + static_cast<std::ptrdiff_t>(i));
        if (i > 0) --i;  // the item before may now dangle
    }
}

void unwrap_plain_groups(std::vector<Lexeme>& lx) {
    const auto signed_or_operator = [](Tok t) { return is_binary(t) || t == Tok::kNot || t == Tok::kMinus || t == Tok::kPlus; };
    // Innermost first: a group made plain by unwrapping the one inside it is unwrapped next.
    for (bool again = true; again;) {
        again = false;
        for (std::size_t open = 0; open < lx.size() && !again; ++open) {
            if (lx[open].type != Tok::kLParen) continue;
            std::size_t close = open + 1;
            while (close < lx.size() && (lx[close].type == Tok::kWord || lx[close].type == Tok::kPhrase)) ++close;
            if (close >= lx.size() || lx[close].type != Tok::kRParen || close == open + 1) continue;
            if (open > 0 && signed_or_operator(lx[open - 1].type)) continue;
            if (close + 1 < lx.size() && is_binary(lx[close + 1].type)) continue;
            lx.erase(lx.begin() + static_cast<std::ptrdiff_t>(close));
            lx.erase(lx.begin() + static_cast<std::ptrdiff_t>(open));
            again = true;
        }
    }
}

std::vector<const Lexeme*> lowercase_operators(const std::vector<Lexeme>& lx) {
    std::vector<const Lexeme*> out;
    for (std::size_t i = 1; i + 1 < lx.size(); ++i) {
        const Lexeme& l = lx[i];
        if (l.type != Tok::kWord) continue;
        const std::string lower = text::ascii_lower(l.text);
        if ((lower == "or" || lower == "and" || lower == "not") && ends_item(lx[i - 1].type) && starts_item(lx[i + 1].type))
            out.push_back(&l);
    }
    return out;
}

std::string as_operators(std::string_view q, const std::vector<const Lexeme*>& words) {
    std::string out(q);
    for (const Lexeme* w : words)
        for (std::size_t k = 0; k < w->text.size() && w->at + k < out.size(); ++k)
            out[w->at + k] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[w->at + k])));
    return out;
}

}  // namespace strata::query_syntax
