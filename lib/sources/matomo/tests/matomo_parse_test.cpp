#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/ndjson.hpp"
#include "core/time.hpp"
#include "sources/matomo/matomo_api.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"
#include "support/points_of.hpp"

using namespace kpi;
using namespace kpi::matomo;
using kpi::test::testdata;

using kpi::test::points_of;
using kpi::test::message_of;

namespace {

Timestamp at(const char* text) { return *parse_rfc3339(text); }

}  // namespace

TEST(MatomoQuery, NamesTheReportButNeverTheToken) {
    auto params = query_params(7, "day", "yesterday");
    std::vector<std::pair<std::string, std::string>> expected{
        {"module", "API"}, {"method", "VisitsSummary.get"}, {"idSite", "7"},
        {"period", "day"}, {"date", "yesterday"},           {"format", "JSON"},
    };
    EXPECT_EQ(params, expected);
}

TEST(MatomoPeriodStart, OneNamedPeriodStartsOnItsFirstDay) {
    EXPECT_EQ(period_start("day", "2024-03-05"), at("2024-03-05T00:00:00Z"));
    EXPECT_EQ(period_start("week", "2024-03-07"), at("2024-03-04T00:00:00Z"));  // a Thursday; weeks start Monday
    EXPECT_EQ(period_start("week", "2024-03-04"), at("2024-03-04T00:00:00Z"));
    EXPECT_EQ(period_start("week", "2024-03-10"), at("2024-03-04T00:00:00Z"));  // Sunday ends that week
    EXPECT_EQ(period_start("month", "2024-03-05"), at("2024-03-01T00:00:00Z"));
    EXPECT_EQ(period_start("month", "2024-03"), at("2024-03-01T00:00:00Z"));
    EXPECT_EQ(period_start("year", "2024"), at("2024-01-01T00:00:00Z"));
    EXPECT_EQ(period_start("year", "2024-07-09"), at("2024-01-01T00:00:00Z"));
}

// A server's period label naming year 9999 is no time kpi can store: an error, not a wrapped time.
TEST(MatomoPeriods, AYearBeyondWhatSinksStoreHasNoStart) {
    EXPECT_EQ(period_start("day", "9999-12-31"), std::nullopt);
    EXPECT_EQ(period_start("year", "2263-01-01"), std::nullopt);
    EXPECT_THROW(parse_visits_summary(R"({"9999-12-31": {"nb_visits": 1}})", "day", "last2"), std::exception);
}

TEST(MatomoPeriodStart, RelativeDatesRangesAndGarbageHaveNone) {
    EXPECT_FALSE(period_start("day", "yesterday"));
    EXPECT_FALSE(period_start("day", "today"));
    EXPECT_FALSE(period_start("day", "last7"));
    EXPECT_FALSE(period_start("range", "2024-03-05"));
    EXPECT_FALSE(period_start("day", "2024-03-01,2024-03-05"));
    EXPECT_FALSE(period_start("day", "2024-03"));  // a day needs its day
    EXPECT_FALSE(period_start("day", "2024-02-30"));
    EXPECT_FALSE(period_start("day", "2024-03-05x"));
}

// Found by fuzzing (tests/fuzz/corpus/matomo/regression-period-label-beyond-2262).
TEST(MatomoPeriodStart, DatesATimestampCannotHoldHaveNone) {
    EXPECT_FALSE(period_start("day", "9999-03-05"));
    EXPECT_FALSE(period_start("year", "1500"));
    EXPECT_TRUE(period_start("year", "2261"));
}

TEST(MatomoVisits, OnePeriod) {
    auto rows = parse_visits_summary(testdata("sources/matomo", "visits_summary_day.json"), "day", "yesterday");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].visits, 10233);
    EXPECT_EQ(rows[0].unique_visitors, 8412);
    EXPECT_EQ(rows[0].actions, 31877);
    EXPECT_EQ(rows[0].avg_time_on_site_seconds, 205.0);
    EXPECT_FALSE(rows[0].period_start);  // yesterday: the pass time stamps it

    rows = parse_visits_summary(testdata("sources/matomo", "visits_summary_day.json"), "day", "2024-03-05");
    EXPECT_EQ(rows[0].period_start, at("2024-03-05T00:00:00Z"));
}

TEST(MatomoVisits, EmptyAnswerMeansNoVisitsAndNoAverage) {
    for (const char* body : {"[]", "{}", " [ ]\n"}) {
        auto rows = parse_visits_summary(body, "day", "yesterday");
        ASSERT_EQ(rows.size(), 1u) << body;
        EXPECT_EQ(rows[0].visits, 0) << body;
        EXPECT_EQ(rows[0].unique_visitors, 0) << body;
        EXPECT_EQ(rows[0].actions, 0) << body;
        EXPECT_FALSE(rows[0].avg_time_on_site_seconds) << body;
    }
}

TEST(MatomoVisits, ZerosAsMatomoReportsThem) {
    auto rows = parse_visits_summary(testdata("sources/matomo", "visits_summary_zeros.json"), "day", "yesterday");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].visits, 0);
    EXPECT_EQ(rows[0].avg_time_on_site_seconds, 0.0);
}

TEST(MatomoVisits, MissingValuesAreLeftOut) {
    // Matomo leaves unique visitors out of ranges unless the operator enabled them.
    auto rows = parse_visits_summary(R"({"nb_visits":12,"nb_actions":"40","avg_time_on_site":"61.5"})", "range",
                                     "2024-03-01,2024-03-31");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].visits, 12);
    EXPECT_FALSE(rows[0].unique_visitors);
    EXPECT_EQ(rows[0].actions, 40);
    EXPECT_EQ(rows[0].avg_time_on_site_seconds, 61.5);
    EXPECT_FALSE(rows[0].period_start);
}

TEST(MatomoVisits, SeveralPeriodsGiveOneRowEachStampedByItsLabel) {
    auto rows = parse_visits_summary(testdata("sources/matomo", "visits_summary_last3.json"), "day", "last3");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].period_start, at("2024-03-03T00:00:00Z"));
    EXPECT_EQ(rows[0].visits, 8120);  // strings are numbers too
    EXPECT_EQ(rows[0].avg_time_on_site_seconds, 197.0);
    EXPECT_EQ(rows[1].period_start, at("2024-03-04T00:00:00Z"));
    EXPECT_EQ(rows[1].visits, 0);
    EXPECT_EQ(rows[2].period_start, at("2024-03-05T00:00:00Z"));
    EXPECT_EQ(rows[2].visits, 11002);
}

// Matomo's own system-test output (testdata/README.md): its numbers exactly.
TEST(MatomoVisits, MatomosOwnOutputGivesItsExactNumbers) {
    auto rows = parse_visits_summary(testdata("sources/matomo", "matomo_system_test_two_days.json"), "day", "2010-03-06,2010-03-07");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].period_start, at("2010-03-06T00:00:00Z"));
    EXPECT_EQ(rows[0].visits, 2);
    EXPECT_EQ(rows[0].unique_visitors, 1);
    EXPECT_EQ(rows[0].actions, 8);
    EXPECT_EQ(rows[0].avg_time_on_site_seconds, 811.0);
    EXPECT_EQ(rows[1].period_start, at("2010-03-07T00:00:00Z"));
    EXPECT_EQ(rows[1].visits, 0);
    EXPECT_EQ(rows[1].unique_visitors, 0);
    EXPECT_EQ(rows[1].actions, 0);
    EXPECT_FALSE(rows[1].avg_time_on_site_seconds);
}

TEST(MatomoVisits, WeeksAreLabelledBySpan) {
    auto rows = parse_visits_summary(R"({"2024-03-04,2024-03-10":{"nb_visits":70},"2024-02-26,2024-03-03":[]})",
                                     "week", "last2");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].period_start, at("2024-02-26T00:00:00Z"));
    EXPECT_EQ(rows[1].period_start, at("2024-03-04T00:00:00Z"));
    EXPECT_EQ(rows[1].visits, 70);
}

TEST(MatomoVisits, ErrorResultCarriesMatomosMessage) {
    std::string message = message_of([] { parse_visits_summary(testdata("sources/matomo", "error.json"), "day", "yesterday"); });
    EXPECT_NE(message.find("requires 'view' access for the website id = 7"), std::string::npos) << message;
}

TEST(MatomoVisits, MalformedAndTruncatedAnswersAreErrors) {
    const std::string body = testdata("sources/matomo", "visits_summary_day.json");
    EXPECT_THROW(parse_visits_summary(body.substr(0, body.size() - 10), "day", "yesterday"), RuntimeError);
    EXPECT_THROW(parse_visits_summary("<html>Login</html>", "day", "yesterday"), RuntimeError);
    EXPECT_THROW(parse_visits_summary("42", "day", "yesterday"), RuntimeError);
    EXPECT_THROW(parse_visits_summary(R"({"not a date":{"nb_visits":1}})", "day", "last1"), RuntimeError);
    EXPECT_THROW(parse_visits_summary(R"([{"nb_visits":1},{"nb_visits":2}])", "day", "yesterday"), RuntimeError);
}

TEST(MatomoPoint, TagsAndTypes) {
    VisitsSummary s;
    s.visits = 10;
    s.unique_visitors = 8;
    s.actions = 30;
    s.avg_time_on_site_seconds = 205;
    s.period_start = at("2024-03-05T00:00:00Z");
    EXPECT_EQ(to_ndjson(to_point(s, 7)),
              R"({"measurement":"visits","tags":{"site_id":"7"},"fields":{"visits":10,"unique_visitors":8,"actions":30,"avg_time_on_site_seconds":205.0},"time":"2024-03-05T00:00:00Z"})"
              "\n");
}
