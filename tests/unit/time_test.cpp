#include <gtest/gtest.h>

#include "core/time.hpp"

using namespace kpi;
using namespace std::chrono_literals;

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
    EXPECT_EQ(unix_seconds(*parse_rfc3339("1970-01-01T00:00:00Z")), 0);
    EXPECT_EQ(unix_seconds(*parse_rfc3339("2026-11-28T14:11:00Z")), 1795875060);
    EXPECT_EQ(*parse_rfc3339("2026-11-28T15:11:00+01:00"), *parse_rfc3339("2026-11-28T14:11:00Z"));
    EXPECT_EQ(*parse_rfc3339("2026-11-28T13:41:00-00:30"), *parse_rfc3339("2026-11-28T14:11:00Z"));
    EXPECT_EQ((*parse_rfc3339("2026-11-28T14:11:00.123456789Z")).time_since_epoch().count() % 1000000000, 123456789);
}

TEST(Rfc3339, RefusesMalformed) {
    for (const char* bad : {"", "2026-11-28", "2026-11-28T14:11:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                            "2026-11-28T14:11:00.Z", "2026-11-28T14:11:00+0100", "2026-11-28T14:11:00Zjunk"}) {
        EXPECT_FALSE(parse_rfc3339(bad)) << bad;
    }
}

TEST(Rfc3339, FormatsWholeSecondsUtc) {
    EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-28T15:11:00.9+01:00")), "2026-11-28T14:11:00Z");
}

TEST(Duration, ParsesUnitsAndSums) {
    EXPECT_EQ(*parse_duration("30s"), 30s);
    EXPECT_EQ(*parse_duration("5m"), 5min);
    EXPECT_EQ(*parse_duration("1h"), 1h);
    EXPECT_EQ(*parse_duration("7d"), 168h);
    EXPECT_EQ(*parse_duration("1w"), 168h);
    EXPECT_EQ(*parse_duration("500ms"), 500ms);
    EXPECT_EQ(*parse_duration("1h30m"), 90min);
}

TEST(Duration, RefusesWhatIsNotADuration) {
    for (const char* bad : {"", "30", "s", "-5s", "0s", "5x", "1.5h", "5 m"}) EXPECT_FALSE(parse_duration(bad)) << bad;
}

TEST(Duration, FormatsInTheLargestExactUnit) {
    EXPECT_EQ(format_duration(30s), "30s");
    EXPECT_EQ(format_duration(90s), "90s");
    EXPECT_EQ(format_duration(168h), "7d");
    EXPECT_EQ(format_duration(24h), "1d");
    EXPECT_EQ(format_duration(1500ms), "1500ms");
}

TEST(Rfc3339, TimesNoSinkCanStoreAreRefusedNeverWrapped) {
    std::string why;
    for (const char* outside : {"9999-12-31T23:59:59Z", "2262-04-11T23:47:17Z", "2262-04-11T23:47:16.854775807Z",
                                "1969-12-31T23:59:59Z", "1970-01-01T00:30:00+01:00", "0000-01-01T00:00:00Z"}) {
        why.clear();
        EXPECT_FALSE(parse_rfc3339(outside, &why)) << outside << " became " << format_rfc3339(*parse_rfc3339(outside));
        EXPECT_EQ(why, "out of range: kpi takes times from 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z (what every "
                       "sink can store)")
            << outside;
    }
    EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z")->time_since_epoch().count(), 0);
    EXPECT_EQ(parse_rfc3339("2262-04-11T23:47:16.854775806Z")->time_since_epoch().count(), INT64_MAX - 1);
    EXPECT_EQ(parse_rfc3339("2262-04-12T00:47:16+01:00")->time_since_epoch().count(), INT64_MAX - 854775807);
    parse_rfc3339("yesterday", &why);
    EXPECT_EQ(why, "not RFC 3339");
}

TEST(CheckedTimestamp, ACalendarTimeOutsideTheRangeIsNoTimestamp) {
    using namespace std::chrono;
    EXPECT_FALSE(checked_timestamp(sys_days{year{9999} / 12 / 31}));
    EXPECT_FALSE(checked_timestamp(sys_days{year{1969} / 12 / 31}));
    EXPECT_EQ(*checked_timestamp(sys_days{year{2018} / 7 / 1}), *parse_rfc3339("2018-07-01T00:00:00Z"));
}
