#pragma once
// Writing JSON text exactly: string escaping and number forms that read back as the same type.

#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace kpi
