#pragma once
// Writing JSON text exactly: string escaping and number forms that read back as the same type.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/point.hpp"

namespace kpi {

// Appends `"..."` with quotes, backslashes and control characters escaped; UTF-8 passes through.
void append_json_string(std::string& out, std::string_view text);

void append_json_int(std::string& out, std::int64_t value);

// Shortest form that round-trips, always with a fraction or exponent so that it is read
// back as a float and not an integer (1.0 stays `1.0`, never `1`).
void append_json_double(std::string& out, double value);

// The shortest round-trip digits of a double, as in append_json_double but without the
// forced fraction: `1`, `0.5`, `1e+21`. For line protocol and exposition formats.
void append_shortest_double(std::string& out, double value);

// A field value as JSON: integer, float (always with a fraction), true/false or a string.
void append_json_value(std::string& out, const FieldValue& value);

// A field value as a number for formats without strings or booleans (Prometheus,
// Graphite): integers stay integers, booleans are 1/0. False for a string, appending nothing.
bool append_numeric_value(std::string& out, const FieldValue& value);

}  // namespace kpi
