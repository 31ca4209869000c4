#pragma once
// Timestamps (RFC 3339) and durations (`30s`, `5m`, `1h`, `7d`) as DESIGN §2 and §3 write them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/point.hpp"

namespace kpi {

using Duration = std::chrono::nanoseconds;

// `2026-11-28T14:11:00Z`, `2026-11-28T14:11:00.25+01:00`. nullopt when malformed.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// `t` as a Timestamp, which counts nanoseconds in 64 bits (years 1678 to 2261 whole):
// nullopt outside, never a time wrapped around into another.
std::optional<Timestamp> to_timestamp(std::chrono::sys_seconds t);

// Whole seconds, UTC, `Z` (the output form of DESIGN §3).
std::string format_rfc3339(Timestamp t);

// Whole seconds since the epoch; floors for times before it.
std::int64_t unix_seconds(Timestamp t);

// `500ms`, `30s`, `5m`, `1h`, `7d`, `1w`, and sums such as `1h30m`. Zero and negative are refused.
std::optional<Duration> parse_duration(std::string_view text);

// The shortest of the forms above that is exact, e.g. 90s -> `90s`, 86400s -> `1d`.
std::string format_duration(Duration d);

Timestamp now();

}  // namespace kpi
