#include "strata/hash.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace strata {

std::string sha1_hex(std::string_view data) {
    Poco::SHA1Engine engine;
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace strata
