#include "svg/scale.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace kpi::svg {
namespace {

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kWeek = 7 * kDay;
// 1970-01-01 was a Thursday; weeks start on the Monday four days later.
constexpr std::int64_t kFirstMonday = 4 * kDay;

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

struct Civil {
    int year;
    unsigned month, day, hour, minute;
    unsigned weekday;  // 0 = Sunday
};

Civil civil(std::int64_t seconds) {
    using namespace std::chrono;
    const sys_seconds t{std::chrono::seconds{seconds}};
    const auto days = floor<std::chrono::days>(t);
    const year_month_day ymd{days};
    const hh_mm_ss hms{t - days};
    return Civil{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                 static_cast<unsigned>(ymd.day()), static_cast<unsigned>(hms.hours().count()),
                 static_cast<unsigned>(hms.minutes().count()), weekday{days}.c_encoding()};
}

std::int64_t floor_to(std::int64_t value, std::int64_t step, std::int64_t origin = 0) {
    std::int64_t shifted = value - origin;
    std::int64_t q = shifted / step;
    if (shifted % step != 0 && shifted < 0) --q;
    return q * step + origin;
}

std::string day_label(const Civil& c, bool weekday) {
    char buffer[32];
    if (weekday) {
        std::snprintf(buffer, sizeof buffer, "%s %u %s", kWeekdays[c.weekday], c.day, kMonths[c.month - 1]);
    } else {
        std::snprintf(buffer, sizeof buffer, "%u %s", c.day, kMonths[c.month - 1]);
    }
    return buffer;
}

std::string clock_label(const Civil& c) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02u:%02u", c.hour, c.minute);
    return buffer;
}

std::vector<TimeTick> month_ticks(std::int64_t first, std::int64_t last, int max_count) {
    using namespace std::chrono;
    const Civil start = civil(first);
    const int span_months = (civil(last).year - start.year) * 12 + static_cast<int>(civil(last).month) -
                            static_cast<int>(start.month) + 1;
    int step = 1;
    for (int candidate : {1, 3, 6, 12, 24, 60, 120}) {
        step = candidate;
        if (span_months / candidate + 1 <= max_count) break;
    }
    std::vector<TimeTick> ticks;
    int index = start.year * 12 + static_cast<int>(start.month) - 1;
    index = (index + step - 1) / step * step;
    for (;; index += step) {
        const year_month_day ymd{year{index / 12}, month{static_cast<unsigned>(index % 12 + 1)}, day{1}};
        const std::int64_t t = sys_seconds{sys_days{ymd}}.time_since_epoch().count();
        if (t < first) continue;
        if (t > last) break;
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%s %d", kMonths[index % 12], index / 12);
        ticks.push_back({t, buffer});
    }
    return ticks;
}

}  // namespace

double LinearScale::operator()(double value) const {
    if (to == from) return (start + end) / 2;
    return start + (value - from) / (to - from) * (end - start);
}

Ticks nice_ticks(double low, double high, int count) {
    if (!std::isfinite(low) || !std::isfinite(high)) low = 0, high = 1;
    if (low > high) std::swap(low, high);
    if (low == high) {
        const double pad = low == 0 ? 1 : std::fabs(low) * 0.1;
        low -= low == 0 ? 0 : pad;
        high += pad;
    }
    if (count < 2) count = 2;
    const double raw = (high - low) / count;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = power * 10;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (raw <= m * power) {
            step = m * power;
            break;
        }
    }
    Ticks ticks;
    ticks.step = step;
    ticks.low = std::floor(low / step + 1e-9) * step;
    ticks.high = std::ceil(high / step - 1e-9) * step;
    const int n = static_cast<int>(std::lround((ticks.high - ticks.low) / step));
    for (int i = 0; i <= n; ++i) {
        double v = ticks.low + i * step;
        if (std::fabs(v) < step * 1e-9) v = 0;  // no -0 or 1e-17 ticks
        ticks.values.push_back(v);
    }
    return ticks;
}

std::vector<TimeTick> time_ticks(std::int64_t first, std::int64_t last, int max_count) {
    if (last < first) std::swap(first, last);
    if (max_count < 2) max_count = 2;
    struct Step {
        std::int64_t seconds;
        std::int64_t origin;
    };
    constexpr Step kSteps[] = {{kMinute, 0},     {5 * kMinute, 0}, {15 * kMinute, 0}, {30 * kMinute, 0},
                               {kHour, 0},       {3 * kHour, 0},   {6 * kHour, 0},    {12 * kHour, 0},
                               {kDay, 0},        {2 * kDay, 0},    {kWeek, kFirstMonday}, {2 * kWeek, kFirstMonday}};
    const Step* chosen = nullptr;
    for (const auto& step : kSteps) {
        if ((last - first) / step.seconds + 1 <= max_count) {
            chosen = &step;
            break;
        }
    }
    if (!chosen) return month_ticks(first, last, max_count);

    std::vector<TimeTick> ticks;
    std::int64_t t = floor_to(first, chosen->seconds, chosen->origin);
    if (t < first) t += chosen->seconds;
    int previous_day = -1;
    for (; t <= last; t += chosen->seconds) {
        const Civil c = civil(t);
        const int day_number = static_cast<int>(floor_to(t, kDay) / kDay);
        std::string label;
        if (chosen->seconds >= kDay) {
            label = day_label(c, chosen->seconds == kDay);
        } else if (day_number != previous_day) {
            label = c.hour == 0 && c.minute == 0 ? day_label(c, false) : day_label(c, false) + " " + clock_label(c);
        } else {
            label = clock_label(c);
        }
        previous_day = day_number;
        ticks.push_back({t, std::move(label)});
    }
    return ticks;
}

std::string format_utc_minute(std::int64_t seconds) {
    const Civil c = civil(seconds);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02u:%02u UTC", c.year, c.month, c.day, c.hour, c.minute);
    return buffer;
}

}  // namespace kpi::svg
