// The DataCite REST API /dois answer parser and error reader on any bytes.

#include <cstdint>

#include "sources/datacite/datacite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace dc = kpi::datacite;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    try {
        (void)dc::parse_dois_answer(body);
    } catch (const dc::AnswerError&) {
    }
    (void)dc::api_error_message(body);
    return 0;
}
