#pragma once
// Axes: mapping values to pixels, and ticks people can read (round numbers, whole hours,
// midnights, Mondays, first days of months).

#include <cstdint>
#include <string>
#include <vector>

namespace kpi::svg {

// Maps the domain [from, to] linearly onto the pixel range [start, end].
struct LinearScale {
    double from = 0, to = 1;
    double start = 0, end = 1;
    double operator()(double value) const;
};

struct Ticks {
    double low = 0, high = 1;   // the domain the ticks cover, both ends on a tick
    double step = 1;
    std::vector<double> values;
};

// About `count` ticks at 1, 2 or 5 times a power of ten, covering [low, high]. An empty
// range is widened so there is always more than one tick.
Ticks nice_ticks(double low, double high, int count);

struct TimeTick {
    std::int64_t seconds;  // since the epoch, UTC
    std::string label;     // `06:00`, `Mon 23 Nov`, `23 Nov 06:00`, `Nov 2026`
};

// At most `max_count` ticks within [first, last] (seconds since the epoch) at the smallest
// readable step: minutes, hours, days at midnight UTC, weeks on Mondays, or months.
std::vector<TimeTick> time_ticks(std::int64_t first, std::int64_t last, int max_count);

// `2026-11-28 14:11 UTC`, for captions and text alternatives.
std::string format_utc_minute(std::int64_t seconds);

}  // namespace kpi::svg
