#pragma once
// Numbers written for people: thousands separators and only the decimals that mean something.

#include <cstdint>
#include <string>

namespace kpi::svg {

// `1,234,567` for 1234567.
std::string format_integer(std::int64_t value);

// Rounded to `decimals` places, thousands separated: (1234567.891, 2) -> `1,234,567.89`.
std::string format_number(double value, int decimals);

// At most `max_decimals`, trailing zeros dropped: (99.9600, 2) -> `99.96`, (100.0, 2) -> `100`.
std::string format_trimmed(double value, int max_decimals);

// As many decimals as the size of the number needs for about three significant digits,
// never more than four, trailing zeros dropped: 1234.6 -> `1,235`, 12.34 -> `12.3`,
// 0.06234 -> `0.0623`, 5.0 -> `5`.
std::string format_significant(double value);

// The decimals that tell ticks `step` apart: 0.25 -> 2, 5 -> 0, 0.1 -> 1.
int decimals_for_step(double step);

}  // namespace kpi::svg
