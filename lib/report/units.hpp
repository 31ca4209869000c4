#pragma once
// Units read off field names, by the Prometheus conventions of DESIGN §3 (`_seconds`,
// `_bytes`, `_ratio` for 0..1), and values written in the unit a person would use.

#include <string>
#include <string_view>

namespace kpi::report {

enum class Unit { Count, Seconds, Ratio, Bytes };

// `response_time_seconds` and `uptime_ratio_7d` name their unit in one of their words.
Unit unit_of_field(std::string_view field);

// A scale to show values in: the value shown is raw / divisor, followed by the suffix.
struct DisplayUnit {
    double divisor = 1;
    std::string suffix;  // " ms", " %", " MB", "" for counts
    std::string name;    // for axis labels: "ms", "%", "MB", "" for counts
};

// The display unit that fits values up to `largest` (in magnitude): 0.62 s in ms, 7,200 s
// in hours, 3.2e9 bytes in GB; ratios always in percent.
DisplayUnit display_unit(Unit unit, double largest);

// One value in the display unit that fits it: `625 ms`, `99.96 %`, `1.2 MB`; counts in
// full, `2,345,678`.
std::string format_value(double raw, Unit unit);

// A value already divided by the unit's divisor, for axis ticks and tooltips.
std::string format_scaled(double scaled, const DisplayUnit& unit);

}  // namespace kpi::report
