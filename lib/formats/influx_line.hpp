#pragma once
// InfluxDB line protocol (DESIGN §5): escaping per element, integers with `i`, time in ns.

#include <optional>
#include <string>

#include "core/point.hpp"

namespace kpi {

// Appends one line with its newline. Returns why the point cannot be written, and appends
// nothing then: line protocol has no representation for a newline in a name or tag, a
// backslash ending one or standing before a character it escapes (InfluxDB 1.x keeps it
// there), or a measurement starting with `#` (a comment), a tab or a NUL (stripped).
std::optional<std::string> append_line_protocol(std::string& out, const Point& point);

}  // namespace kpi
