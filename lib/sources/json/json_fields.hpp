#pragma once
// The json source's fields, pure: `--field NAME=/json/pointer` parsed and checked once, and
// read out of a parsed document.

#include <simdjson.h>

#include <string>
#include <vector>

#include "core/point.hpp"

namespace kpi {

struct JsonField {
    std::string name;
    std::string pointer;  // RFC 6901: empty (the whole document) or /-separated, ~0 and ~1 escapes
};

// "total=/hits/total" (split at the first =). Throws SettingError for a text without a name
// or a pointer that is not RFC 6901 (not starting with /, a ~ not followed by 0 or 1).
JsonField parse_json_field(const std::string& text);

// Sets a field of `point` for each of `fields` from the document `root`. Returns what could
// not be read, one message per field ("field total: nothing at /hits/x").
std::vector<std::string> extract_json_fields(simdjson::dom::element root, const std::vector<JsonField>& fields,
                                             Point& point);

}  // namespace kpi
