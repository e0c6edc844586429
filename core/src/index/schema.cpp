#include "strata/schema.h"

namespace strata::schema {

std::string slug(std::string_view text) {
    std::string out;
    bool dash = false;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80) {
            if (dash && !out.empty()) out += '-';
            dash = false;
            out += c;
        } else if (u >= 'A' && u <= 'Z') {
            if (dash && !out.empty()) out += '-';
            dash = false;
            out += static_cast<char>(u - 'A' + 'a');
        } else {
            dash = true;
        }
    }
    return out;
}

}  // namespace strata::schema
