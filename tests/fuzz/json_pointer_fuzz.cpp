// The json source's field extraction: the first line is an RFC 6901 pointer, the rest the
// JSON document it points into.

#include <cstdint>
#include <simdjson.h>

#include "sources/json/json_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = input.find('\n');
    if (nl == std::string_view::npos) return 0;
    const std::string pointer(input.substr(0, nl));
    const std::string_view document = input.substr(nl + 1);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(document.data(), document.size()).get(root)) return 0;
    kpi::Point point;
    point.measurement = "json";
    const auto problems = kpi::extract_json_fields(root, {{"value", pointer}, {"root", ""}}, point);
    if (point.fields.size() + problems.size() != 2) __builtin_trap();  // each field is read or explained
    return 0;
}
