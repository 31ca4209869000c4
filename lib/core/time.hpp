#pragma once
// Timestamps (RFC 3339) and durations (`30s`, `5m`, `1h`, `7d`) as DESIGN §2 and §3 write them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/point.hpp"

namespace kpi {

using Duration = std::chrono::nanoseconds;

// The times a point may carry: from the Unix epoch (no sink takes a negative timestamp,
// and Graphite and MONIT count from it) to the last nanosecond InfluxDB accepts
// (2^63-2 ns, 2262-04-11T23:47:16.854775806Z). Prometheus (int64 ms) and MONIT (ms) take
// every time in that range, so a point inside it is written the same by every sink.
inline constexpr Timestamp kEarliestTime{std::chrono::nanoseconds{0}};
inline constexpr Timestamp kLatestTime{std::chrono::nanoseconds{INT64_MAX - 1}};
bool in_time_range(Timestamp t);
// "out of range: kpi takes times from 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z"
std::string time_range_error();

// `2026-11-28T14:11:00Z`, `2026-11-28T14:11:00.25+01:00`. nullopt when malformed or outside
// [kEarliestTime, kLatestTime] (never a different time); `why` then says which.
std::optional<Timestamp> parse_rfc3339(std::string_view text, std::string* why = nullptr);

// A calendar time as a Timestamp, or nullopt outside [kEarliestTime, kLatestTime]. Sources
// that build a time from what a server says use it, so that a year 9999 cannot wrap.
std::optional<Timestamp> checked_timestamp(std::chrono::sys_seconds t);

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
