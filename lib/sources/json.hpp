#pragma once
#include <simdjson.h>
#include <string>
#include <utility>
#include <vector>

#include "sources/source.hpp"

namespace kpi {
// `json`: any JSON endpoint, one field per --field NAME=/json/pointer (RFC 6901).
SourceInfo json_source();

// Sets a field of `point` for each (name, pointer) of `fields` from the document `root`.
// Returns what could not be read, one message per field ("field total: nothing at /hits/x").
std::vector<std::string> extract_json_fields(simdjson::dom::element root,
                                             const std::vector<std::pair<std::string, std::string>>& fields,
                                             Point& point);
}  // namespace kpi
