#include "svg/numbers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace kpi::svg {
namespace {

// Inserts a comma every three digits of the integer part of a plain decimal string.
std::string group_thousands(std::string_view digits) {
    std::string sign;
    if (!digits.empty() && digits.front() == '-') {
        sign = "-";
        digits.remove_prefix(1);
    }
    const auto point = digits.find('.');
    const std::string_view whole = digits.substr(0, point);
    std::string out = sign;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
        out += whole[i];
    }
    if (point != std::string_view::npos) out += digits.substr(point);
    return out;
}

}  // namespace

std::string format_integer(std::int64_t value) {
    return group_thousands(std::to_string(value));
}

std::string format_number(double value, int decimals) {
    if (!std::isfinite(value)) return "n/a";
    if (decimals < 0) decimals = 0;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    // A value that rounds to zero prints without its minus sign.
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return group_thousands(text);
}

std::string format_significant(double value) {
    const double magnitude = std::fabs(value);
    int decimals = 0;
    if (magnitude > 0 && magnitude < 100) decimals = std::min(4, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
    return format_trimmed(value, decimals);
}

std::string format_trimmed(double value, int max_decimals) {
    std::string text = format_number(value, max_decimals);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

int decimals_for_step(double step) {
    step = std::fabs(step);
    if (step <= 0 || !std::isfinite(step)) return 0;
    int decimals = 0;
    // Round-off (0.1 + 0.2) must not ask for fifteen decimals: stop once the step is whole
    // to within a part in a thousand.
    while (decimals < 6) {
        const double scaled = step * std::pow(10.0, decimals);
        if (std::fabs(scaled - std::round(scaled)) < 1e-3 * scaled) break;
        ++decimals;
    }
    return decimals;
}

}  // namespace kpi::svg
