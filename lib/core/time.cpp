#include "core/time.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace kpi {
namespace {

bool read_digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

}  // namespace

bool in_time_range(Timestamp t) { return t >= kEarliestTime && t <= kLatestTime; }

std::string time_range_error() {
    return "out of range: kpi takes times from " + format_rfc3339(kEarliestTime) + " to " +
           format_rfc3339(kLatestTime) + " (what every sink can store)";
}

namespace {

// Whole seconds plus a fraction, checked against the range before anything is converted to
// nanoseconds (where 2262 would overflow).
std::optional<Timestamp> from_parts(std::chrono::sys_seconds t, std::chrono::nanoseconds fraction) {
    using namespace std::chrono;
    constexpr auto latest = floor<seconds>(kLatestTime.time_since_epoch());
    const auto s = t.time_since_epoch();
    if (s < seconds{0} || s > latest) return std::nullopt;
    if (s == latest && fraction > kLatestTime.time_since_epoch() - latest) return std::nullopt;
    return Timestamp{duration_cast<nanoseconds>(s) + fraction};
}

}  // namespace

std::optional<Timestamp> checked_timestamp(std::chrono::sys_seconds t) {
    return from_parts(t, std::chrono::nanoseconds{0});
}

std::optional<Timestamp> parse_rfc3339(std::string_view s, std::string* why) {
    using namespace std::chrono;
    auto malformed = [&]() -> std::optional<Timestamp> {
        if (why) *why = "not RFC 3339";
        return std::nullopt;
    };
    int year, month, day, hour, minute, second;
    if (!read_digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !read_digits(s, 5, 2, month) ||
        s[7] != '-' || !read_digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !read_digits(s, 11, 2, hour) || s[13] != ':' || !read_digits(s, 14, 2, minute) || s[16] != ':' ||
        !read_digits(s, 17, 2, second)) {
        return malformed();
    }
    year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                       std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return malformed();

    std::size_t pos = 19;
    nanoseconds fraction{0};
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::int64_t scale = 100'000'000;
        std::int64_t ns = 0;
        std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            ns += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) return malformed();
        fraction = nanoseconds{ns};
    }
    if (pos >= s.size()) return malformed();
    minutes offset{0};
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
            return malformed();
        }
        offset = hours{oh} + minutes{om};
        if (s[pos] == '-') offset = -offset;
        pos += 6;
    } else {
        return malformed();
    }
    if (pos != s.size()) return malformed();
    // In seconds, which hold years 0000-9999 whole; nanoseconds would not.
    const sys_seconds t = sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second} - offset;
    auto checked = from_parts(t, fraction);
    if (!checked && why) *why = time_range_error();
    return checked;
}

std::int64_t unix_seconds(Timestamp t) {
    return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

std::string format_rfc3339(Timestamp t) {
    using namespace std::chrono;
    auto secs = floor<seconds>(t);
    auto days = floor<std::chrono::days>(secs);
    year_month_day ymd{days};
    hh_mm_ss hms{secs - days};
    std::array<char, 32> buf{};
    int n = std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                          static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                          static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                          static_cast<int>(hms.seconds().count()));
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

namespace {
struct Unit {
    std::string_view suffix;
    Duration length;
};
// Longest suffix first so that `ms` is not read as `m`.
constexpr std::array<Unit, 7> kUnits{{
    {"ms", std::chrono::milliseconds{1}},
    {"w", std::chrono::hours{24 * 7}},
    {"d", std::chrono::hours{24}},
    {"h", std::chrono::hours{1}},
    {"m", std::chrono::minutes{1}},
    {"s", std::chrono::seconds{1}},
    {"", Duration{0}},
}};
}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    Duration total{0};
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::int64_t value = 0;
        auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
        if (ec != std::errc{} || end == text.data() + pos || value < 0) return std::nullopt;
        pos = static_cast<std::size_t>(end - text.data());
        const Unit* unit = nullptr;
        for (const auto& u : kUnits) {
            if (!u.suffix.empty() && text.substr(pos).starts_with(u.suffix)) {
                unit = &u;
                break;
            }
        }
        if (unit == nullptr) return std::nullopt;  // a bare number has no unit: refuse rather than guess
        pos += unit->suffix.size();
        if (value > std::chrono::duration_cast<Duration>(std::chrono::hours{24 * 365 * 100}) / unit->length) {
            return std::nullopt;
        }
        total += unit->length * value;
    }
    if (total <= Duration{0}) return std::nullopt;
    return total;
}

std::string format_duration(Duration d) {
    for (const auto& u : kUnits) {
        // Weeks are read but not written: `uptime_ratio_7d` is the name dashboards expect.
        if (u.suffix.empty() || u.suffix == "ms" || u.suffix == "w") continue;
        if (d.count() % u.length.count() == 0) return std::to_string(d / u.length) + std::string(u.suffix);
    }
    if (d.count() % std::chrono::milliseconds{1}.count() == 0) {
        return std::to_string(d / std::chrono::milliseconds{1}) + "ms";
    }
    return std::to_string(d.count()) + "ns";
}

Timestamp now() { return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()); }

}  // namespace kpi
