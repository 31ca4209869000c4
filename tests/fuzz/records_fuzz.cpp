// The records source's reading of an Invenio search answer (hits.total) on any bytes.

#include <cstdint>
#include <cstdlib>

#include "sources/records/records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string why;
    const auto total = kpi::parse_records_total(std::string_view(reinterpret_cast<const char*>(data), size), why);
    if (!total && why.empty()) std::abort();  // a refusal always says why
    return 0;
}
