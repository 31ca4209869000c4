#include "report/units.hpp"

#include <cmath>

#include "svg/numbers.hpp"

namespace kpi::report {

Unit unit_of_field(std::string_view field) {
    std::size_t start = 0;
    while (start <= field.size()) {
        std::size_t end = field.find('_', start);
        if (end == std::string_view::npos) end = field.size();
        const std::string_view word = field.substr(start, end - start);
        if (word == "seconds") return Unit::Seconds;
        if (word == "ratio") return Unit::Ratio;
        if (word == "bytes") return Unit::Bytes;
        start = end + 1;
    }
    return Unit::Count;
}

DisplayUnit display_unit(Unit unit, double largest) {
    largest = std::fabs(largest);
    switch (unit) {
        case Unit::Ratio: return {0.01, " %", "%"};
        case Unit::Seconds:
            if (largest < 1) return {0.001, " ms", "ms"};
            if (largest < 120) return {1, " s", "s"};
            if (largest < 2 * 3600) return {60, " min", "min"};
            if (largest < 2 * 86400) return {3600, " h", "h"};
            return {86400, " d", "days"};
        case Unit::Bytes:
            if (largest < 1e3) return {1, " B", "B"};
            if (largest < 1e6) return {1e3, " kB", "kB"};
            if (largest < 1e9) return {1e6, " MB", "MB"};
            if (largest < 1e12) return {1e9, " GB", "GB"};
            return {1e12, " TB", "TB"};
        case Unit::Count:
            if (largest < 1e7) return {1, "", ""};
            if (largest < 1e10) return {1e6, " M", "millions"};
            return {1e9, " G", "billions"};
    }
    return {};
}

std::string format_scaled(double scaled, const DisplayUnit& unit) {
    // Whole counts keep every digit (2,345,678 records); anything else three significant.
    if (unit.divisor == 1 && unit.suffix.empty() && scaled == std::trunc(scaled) && std::fabs(scaled) < 1e15) {
        return svg::format_integer(static_cast<std::int64_t>(scaled));
    }
    // Percentages are mostly availability, where 99.96 and 100 must not look the same.
    if (unit.name == "%") return svg::format_trimmed(scaled, 2) + unit.suffix;
    return svg::format_significant(scaled) + unit.suffix;
}

std::string format_value(double raw, Unit unit) {
    if (unit == Unit::Count) return format_scaled(raw, DisplayUnit{});
    const DisplayUnit display = display_unit(unit, raw);
    return format_scaled(raw / display.divisor, display);
}

}  // namespace kpi::report
