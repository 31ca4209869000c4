#pragma once
// InfluxDB line protocol (DESIGN §5): escaping per element, integers with `i`, time in ns.

#include <optional>
#include <string>

#include "core/point.hpp"

namespace kpi {

// Appends one line with its newline. Returns why the point cannot be written (a newline
// in a tag or key has no representation in line protocol) and appends nothing then.
std::optional<std::string> append_line_protocol(std::string& out, const Point& point);

}  // namespace kpi
