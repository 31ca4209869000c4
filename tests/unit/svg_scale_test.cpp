// Readable ticks: round numbers and calendar times.

#include <gtest/gtest.h>

#include <cmath>

#include "core/time.hpp"
#include "svg/scale.hpp"

using namespace kpi::svg;

namespace {
std::int64_t at(const char* rfc3339) { return kpi::unix_seconds(*kpi::parse_rfc3339(rfc3339)); }

std::vector<std::string> labels(const std::vector<TimeTick>& ticks) {
    std::vector<std::string> out;
    for (const auto& t : ticks) out.push_back(t.label);
    return out;
}
}  // namespace

TEST(NiceTicks, RoundStepsCoveringTheRange) {
    const Ticks t = nice_ticks(0, 97, 5);
    EXPECT_EQ(t.step, 20);
    EXPECT_EQ(t.low, 0);
    EXPECT_EQ(t.high, 100);
    EXPECT_EQ(t.values, (std::vector<double>{0, 20, 40, 60, 80, 100}));

    const Ticks small = nice_ticks(0.9951, 0.9999, 5);
    EXPECT_DOUBLE_EQ(small.step, 0.001);
    EXPECT_LE(small.low, 0.9951);
    EXPECT_GE(small.high, 0.9999);
}

TEST(NiceTicks, AnEmptyRangeStillHasTicks) {
    EXPECT_GE(nice_ticks(0, 0, 5).values.size(), 2u);
    const Ticks t = nice_ticks(42, 42, 5);
    EXPECT_LT(t.low, 42);
    EXPECT_GT(t.high, 42);
}

TEST(NiceTicks, NoNegativeZero) {
    for (double v : nice_ticks(-0.3, 0.3, 6).values) EXPECT_FALSE(v == 0 && std::signbit(v));
}

TEST(TimeTicks, AWeekGetsMidnightsWithWeekdays) {
    const auto ticks = time_ticks(at("2026-11-23T00:00:00Z"), at("2026-11-29T23:00:00Z"), 8);
    EXPECT_EQ(labels(ticks), (std::vector<std::string>{"Mon 23 Nov", "Tue 24 Nov", "Wed 25 Nov", "Thu 26 Nov",
                                                       "Fri 27 Nov", "Sat 28 Nov", "Sun 29 Nov"}));
    EXPECT_EQ(ticks.front().seconds, at("2026-11-23T00:00:00Z"));
}

TEST(TimeTicks, ADayGetsHoursAndTheDateWhereItChanges) {
    const auto ticks = time_ticks(at("2026-11-28T14:11:00Z"), at("2026-11-29T13:00:00Z"), 8);
    EXPECT_EQ(labels(ticks), (std::vector<std::string>{"28 Nov 15:00", "18:00", "21:00", "29 Nov", "03:00", "06:00",
                                                       "09:00", "12:00"}));
}

TEST(TimeTicks, LongSpansGetMonthsAndWeeksStartOnMonday) {
    EXPECT_EQ(labels(time_ticks(at("2026-01-15T00:00:00Z"), at("2026-06-20T00:00:00Z"), 8)),
              (std::vector<std::string>{"Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026"}));
    const auto weeks = time_ticks(at("2026-11-01T00:00:00Z"), at("2026-12-20T00:00:00Z"), 8);
    ASSERT_FALSE(weeks.empty());
    EXPECT_EQ(weeks.front().label, "2 Nov");  // Monday 2 November 2026
    EXPECT_EQ(weeks[1].seconds - weeks[0].seconds, 7 * 86400);
}

TEST(TimeTicks, FormatsMinutesForCaptions) {
    EXPECT_EQ(format_utc_minute(at("2026-11-28T14:11:59Z")), "2026-11-28 14:11 UTC");
}
