#pragma once
// An InfluxDB line protocol reader written from InfluxDB 1.x's parser (models/points.go)
// and its documentation, independent of lib/formats: the oracle of the writer's round trip.
//
// - Leading spaces, tabs and NULs are skipped; then `#` starts a comment line; blank lines
//   are skipped; a string field value may hold newlines.
// - A backslash escapes the next byte while scanning. Unescaping removes it only before
//   `,` and space (measurement), or `,`, `=` and space (tag keys and values, field keys),
//   or `"` and `\` (string field values); elsewhere it stays.
// - A field value is a "string", a boolean (t, T, true, True, TRUE, f, ...), an integer
//   ending in `i`, or else a float.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi::fuzz {

// The points of `text`; nullopt with `error` set at the first line that is not valid.
std::optional<std::vector<Point>> read_line_protocol(std::string_view text, std::string& error);

}  // namespace kpi::fuzz
