// libFuzzer target: document metadata YAML. Any input is a valid document or an InputError
// naming the file, never a crash.
#include "strata/corpus.h"
#include "strata/errors.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string yaml(reinterpret_cast<const char*>(data), size);
    try {
        const strata::DocumentMeta m = strata::parse_document_meta(yaml, "fuzz.yaml");
        if (m.id.empty() || m.title.empty() || m.file.empty()) __builtin_trap();  // required fields were checked
    } catch (const strata::InputError& e) {
        if (e.file() != "fuzz.yaml") __builtin_trap();
    }
    return 0;
}
