#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/ndjson.hpp"
#include "core/time.hpp"
#include "sources/uptimerobot/uptimerobot_api.hpp"
#include "support/testdata.hpp"
#include "support/points_of.hpp"

using namespace kpi;
using namespace kpi::uptimerobot;

using kpi::test::testdata;

using kpi::test::points_of;
using kpi::test::message_of;

namespace {

std::string value_of(const std::vector<std::pair<std::string, std::string>>& form, const std::string& key) {
    for (const auto& [k, v] : form) {
        if (k == key) return v;
    }
    return "(absent)";
}

// The windows as the source takes them: each parsed, then each day count once.
std::vector<Window> parse_windows(const std::vector<std::string>& texts) {
    std::vector<Window> windows;
    for (const auto& text : texts) windows.push_back(parse_window(text));
    return distinct_windows(windows);
}

}  // namespace

TEST(UptimeRobotWindows, DaysKeepTheirOrderAndDuplicatesGo) {
    auto windows = parse_windows({"30d", "1d", "24h", "1w", "7d"});
    ASSERT_EQ(windows.size(), 3u);
    EXPECT_EQ(windows[0].field, "uptime_ratio_30d");
    EXPECT_EQ(windows[1].field, "uptime_ratio_1d");
    EXPECT_EQ(windows[1].days, 1);
    EXPECT_EQ(windows[2].field, "uptime_ratio_7d");
    EXPECT_EQ(windows[2].days, 7);
}

TEST(UptimeRobotWindows, PartialDaysAndGarbageAreSettingErrorsQuotingTheValue) {
    EXPECT_THROW(parse_window("12h"), SettingError);
    EXPECT_EQ(message_of([] { parse_window("36h"); }),
              "\"36h\": UptimeRobot reports uptime over whole days (write 1d, 7d, 30d)");
    EXPECT_EQ(message_of([] { parse_window("often"); }), "\"often\": not a duration (write 1d, 7d, 30d)");
}

TEST(UptimeRobotNumbers, PercentBecomesARatioThatPrintsShort) {
    EXPECT_EQ(percent_to_ratio(99.871), 0.99871);
    EXPECT_EQ(percent_to_ratio(100.0), 1.0);
    EXPECT_EQ(percent_to_ratio(0.0), 0.0);
    EXPECT_FALSE(percent_to_ratio(-1.0));
    EXPECT_FALSE(percent_to_ratio(100.5));
    Point p;
    p.measurement = "m";
    p.set_field("r", *percent_to_ratio(99.871));
    EXPECT_NE(to_ndjson(p).find("\"r\":0.99871}"), std::string::npos) << to_ndjson(p);
}

TEST(UptimeRobotNumbers, MillisecondsBecomeSecondsAndZeroIsUnknown) {
    EXPECT_EQ(milliseconds_to_seconds(624.861), 0.624861);
    EXPECT_EQ(milliseconds_to_seconds(1250), 1.25);
    EXPECT_FALSE(milliseconds_to_seconds(0));
    EXPECT_FALSE(milliseconds_to_seconds(-3));
}

TEST(UptimeRobotStatus, UpIsKnownOnlyForCheckedMonitors) {
    EXPECT_EQ(up_from_status(2), 1);
    EXPECT_EQ(up_from_status(8), 0);
    EXPECT_EQ(up_from_status(9), 0);
    EXPECT_FALSE(up_from_status(0));
    EXPECT_FALSE(up_from_status(1));
    EXPECT_FALSE(up_from_status(42));
}

TEST(UptimeRobotV2, FormCarriesKeyWindowsAndPage) {
    auto form = v2_form("k-123", parse_windows({"1d", "7d", "30d"}), 100);
    EXPECT_EQ(value_of(form, "api_key"), "k-123");
    EXPECT_EQ(value_of(form, "format"), "json");
    EXPECT_EQ(value_of(form, "custom_uptime_ratios"), "1-7-30");
    EXPECT_EQ(value_of(form, "response_times"), "1");
    EXPECT_EQ(value_of(form, "offset"), "100");
    EXPECT_EQ(value_of(form, "limit"), "50");
}

TEST(UptimeRobotV2, ParsesMonitorsOfAPage) {
    auto page = parse_v2_page(testdata("sources/uptimerobot", "v2_get_monitors.json"), 2);
    EXPECT_EQ(page.total, 3);
    EXPECT_EQ(page.limit, 50);
    ASSERT_EQ(page.monitors.size(), 3u);

    const auto& web = page.monitors[0];
    EXPECT_EQ(web.id, 781234501);
    EXPECT_EQ(web.name, "Website");
    EXPECT_EQ(web.status, 2);
    ASSERT_EQ(web.uptime_ratios.size(), 2u);
    EXPECT_EQ(web.uptime_ratios[0], 0.99871);
    EXPECT_EQ(web.uptime_ratios[1], 0.9995);
    EXPECT_EQ(web.response_time_seconds, 0.412337);

    const auto& search = page.monitors[1];
    EXPECT_EQ(search.name, "Búsqueda — 検索");
    EXPECT_EQ(search.status, 9);
    EXPECT_EQ(search.response_time_seconds, 1.25);  // a number rather than a string

    const auto& files = page.monitors[2];
    EXPECT_EQ(files.status, 0);
    EXPECT_FALSE(files.response_time_seconds);  // "" is unknown, not zero
    EXPECT_EQ(files.uptime_ratios[0], 1.0);
}

TEST(UptimeRobotV2, FewerRatiosThanWindowsLeavesTheRestUnknown) {
    auto page = parse_v2_page(R"({"stat":"ok","monitors":[{"id":1,"friendly_name":"a","status":2,
        "custom_uptime_ratio":"99.5"}]})", 3);
    ASSERT_EQ(page.monitors[0].uptime_ratios.size(), 3u);
    EXPECT_EQ(page.monitors[0].uptime_ratios[0], 0.995);
    EXPECT_FALSE(page.monitors[0].uptime_ratios[1]);
    EXPECT_FALSE(page.monitors[0].uptime_ratios[2]);
    EXPECT_FALSE(page.monitors[0].response_time_seconds);
    EXPECT_EQ(page.total, 1);  // no pagination object: this page is all there is
}

TEST(UptimeRobotV2, StatFailCarriesTypeAndMessageButNeverThePassedValue) {
    std::string message = message_of([] { parse_v2_page(testdata("sources/uptimerobot", "v2_fail.json"), 1); });
    EXPECT_NE(message.find("invalid_parameter"), std::string::npos) << message;
    EXPECT_NE(message.find("api_key is invalid."), std::string::npos) << message;
    EXPECT_EQ(message.find("fixturekey"), std::string::npos) << message;
    EXPECT_EQ(error_message(testdata("sources/uptimerobot", "v2_fail.json")).find("fixturekey"), std::string::npos);
}

TEST(UptimeRobotV2, MalformedAndTruncatedAnswersAreErrors) {
    const std::string body = testdata("sources/uptimerobot", "v2_get_monitors.json");
    EXPECT_THROW(parse_v2_page(body.substr(0, body.size() / 2), 1), RuntimeError);
    EXPECT_THROW(parse_v2_page("<html>Bad gateway</html>", 1), RuntimeError);
    EXPECT_THROW(parse_v2_page(R"({"stat":"ok"})", 1), RuntimeError);
    EXPECT_THROW(parse_v2_page(R"({"stat":"ok","monitors":[{"friendly_name":"no id"}]})", 1), RuntimeError);
    EXPECT_NE(message_of([] { parse_v2_page("<html>Bad gateway</html>", 1); }).find("Bad gateway"),
              std::string::npos);
}

// The real answer recorded for Zenodo's "Website" monitor (testdata/README.md).
TEST(UptimeRobotV2, RecordedZenodoAnswerGivesItsExactNumbers) {
    auto page = parse_v2_page(testdata("sources/uptimerobot", "v2_zenodo_website_2018.json"), 1);
    ASSERT_EQ(page.monitors.size(), 1u);
    EXPECT_EQ(page.total, 1);
    const auto& m = page.monitors[0];
    EXPECT_EQ(m.id, 778127932);
    EXPECT_EQ(m.name, "Website");
    EXPECT_EQ(m.status, 2);
    ASSERT_EQ(m.uptime_ratios.size(), 1u);
    EXPECT_EQ(m.uptime_ratios[0], 0.9996);
    EXPECT_EQ(m.response_time_seconds, 0.624861);
    EXPECT_TRUE(v2_remaining_offsets(page).empty());
    EXPECT_EQ(to_ndjson(to_point(m, parse_windows({"1d"}))),
              R"({"measurement":"uptime","tags":{"monitor":"Website","monitor_id":"778127932"},"fields":{"uptime_ratio_1d":0.9996,"response_time_seconds":0.624861,"up":1,"status":2}})"
              "\n");
}

// The server's pagination is trusted only within the documented page size and a bound on
// pages: a total of 10^12 at 1 a page is an error, not a trillion requests.
TEST(UptimeRobotV2, PaginationIsClampedAndAnImplausibleTotalIsAnError) {
    auto page = parse_v2_page(
        R"({"stat":"ok","pagination":{"offset":0,"limit":1,"total":1000000000000},"monitors":[{"id":1}]})", 1);
    EXPECT_EQ(page.limit, 1);
    const std::string message = message_of([&] { v2_remaining_offsets(page); });
    EXPECT_NE(message.find("implausible pagination: total 1000000000000"), std::string::npos) << message;

    auto huge_limit = parse_v2_page(
        R"({"stat":"ok","pagination":{"offset":-5,"limit":100000,"total":120},"monitors":[{"id":1}]})", 1);
    EXPECT_EQ(huge_limit.limit, kV2PageSize);
    EXPECT_EQ(huge_limit.offset, 0);
    EXPECT_EQ(v2_remaining_offsets(huge_limit), (std::vector<std::int64_t>{50, 100}));

    auto zero_limit = parse_v2_page(
        R"({"stat":"ok","pagination":{"offset":0,"limit":0,"total":3},"monitors":[{"id":1}]})", 1);
    EXPECT_EQ(zero_limit.limit, 1);
    EXPECT_EQ(v2_remaining_offsets(zero_limit), (std::vector<std::int64_t>{1, 2}));

    auto at_the_bound = parse_v2_page(
        R"({"stat":"ok","pagination":{"offset":0,"limit":50,"total":50000},"monitors":[{"id":1}]})", 1);
    EXPECT_EQ(v2_remaining_offsets(at_the_bound).size(), static_cast<std::size_t>(kMaxPages - 1));
    auto past_the_bound = parse_v2_page(
        R"({"stat":"ok","pagination":{"offset":0,"limit":50,"total":50001},"monitors":[{"id":1}]})", 1);
    EXPECT_THROW(v2_remaining_offsets(past_the_bound), RuntimeError);

    auto max_total = parse_v2_page(
        R"({"stat":"ok","pagination":{"offset":9223372036854775807,"limit":50,"total":9223372036854775807},"monitors":[{"id":1}]})",
        1);
    EXPECT_TRUE(v2_remaining_offsets(max_total).empty()) << "the offset is the last one: nothing follows";
}

TEST(UptimeRobotV2, RemainingOffsetsCoverEveryMonitor) {
    V2Page first;
    first.monitors.resize(50);
    first.total = 120;
    EXPECT_EQ(v2_remaining_offsets(first), (std::vector<std::int64_t>{50, 100}));
    first.total = 100;
    EXPECT_EQ(v2_remaining_offsets(first), (std::vector<std::int64_t>{50}));
    first.total = 50;
    EXPECT_TRUE(v2_remaining_offsets(first).empty());
    first.monitors.clear();  // an empty page ends the listing whatever total says
    first.total = 500;
    EXPECT_TRUE(v2_remaining_offsets(first).empty());
}

TEST(UptimeRobotSelection, AllWhenNoneWantedElseByExactNameReportingMissing) {
    std::vector<std::string> listed{"Website", "Search", "Files", "Search"};
    auto all = select_monitors(listed, {});
    EXPECT_EQ(all.indices, (std::vector<std::size_t>{0, 1, 2, 3}));
    EXPECT_TRUE(all.missing.empty());

    auto some = select_monitors(listed, {"Search", "website", "Nope", "Nope"});
    EXPECT_EQ(some.indices, (std::vector<std::size_t>{1, 3}));
    EXPECT_EQ(some.missing, (std::vector<std::string>{"website", "Nope"}));
}

TEST(UptimeRobotPoint, CarriesTagsAndOnlyKnownFields) {
    MonitorReport m;
    m.id = 7;
    m.name = "Búsqueda";
    m.status = 2;
    m.uptime_ratios = {0.9996, std::nullopt};
    m.response_time_seconds = 0.624861;
    Point p = to_point(m, parse_windows({"1d", "7d"}));
    EXPECT_EQ(p.measurement, "uptime");
    ASSERT_NE(p.tag("monitor"), nullptr);
    EXPECT_EQ(*p.tag("monitor"), "Búsqueda");
    EXPECT_EQ(*p.tag("monitor_id"), "7");
    EXPECT_EQ(to_ndjson(p),
              R"({"measurement":"uptime","tags":{"monitor":"Búsqueda","monitor_id":"7"},"fields":{"uptime_ratio_1d":0.9996,"response_time_seconds":0.624861,"up":1,"status":2}})"
              "\n");

    m.status = 0;  // paused: no `up`, but the status says why
    p = to_point(m, parse_windows({"1d", "7d"}));
    EXPECT_EQ(p.field("up"), nullptr);
    ASSERT_NE(p.field("status"), nullptr);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("status")), 0);
}

TEST(UptimeRobotV3, StatusWordsMapToV2Codes) {
    EXPECT_EQ(v3_status_code("UP"), 2);
    EXPECT_EQ(v3_status_code("DOWN"), 9);
    EXPECT_EQ(v3_status_code("LOOKS_DOWN"), 8);
    EXPECT_EQ(v3_status_code("PAUSED"), 0);
    EXPECT_EQ(v3_status_code("STARTED"), 1);
    EXPECT_FALSE(v3_status_code("MAINTENANCE"));
}

TEST(UptimeRobotV3, ParsesAListingPageAndItsCursor) {
    auto page = parse_v3_monitors(testdata("sources/uptimerobot", "v3_monitors.json"));
    ASSERT_EQ(page.monitors.size(), 3u);
    EXPECT_EQ(page.monitors[0].id, 802000001);
    EXPECT_EQ(page.monitors[0].name, "Website");
    EXPECT_EQ(page.monitors[0].status, 2);
    EXPECT_EQ(page.monitors[1].status, 8);
    EXPECT_EQ(page.monitors[2].status, 0);
    EXPECT_EQ(page.next_cursor, "802000003");

    auto last = parse_v3_monitors(R"({"data":[],"nextLink":null})");
    EXPECT_TRUE(last.monitors.empty());
    EXPECT_FALSE(last.next_cursor);
    EXPECT_THROW(parse_v3_monitors(R"({"data":[],"nextLink":"/v3/monitors?limit=3"})"), RuntimeError);
    EXPECT_THROW(parse_v3_monitors(R"({"items":[]})"), RuntimeError);
    EXPECT_THROW(parse_v3_monitors(R"({"data":[],"nextLink":42})"), RuntimeError);
}

// What the official Terraform provider reads besides `data` and `nextLink`: a `monitors`
// list, `nextCursorId` first, and a blank nextLink as the last page.
TEST(UptimeRobotV3, ReadsMonitorsListsCursorIdsAndBlankLinksAsTheProviderDoes) {
    auto page = parse_v3_monitors(R"({"monitors":[{"id":7,"friendlyName":"a","status":"UP"}],"nextCursorId":7})");
    ASSERT_EQ(page.monitors.size(), 1u);
    EXPECT_EQ(page.next_cursor, "7");
    auto cursor_id_wins = parse_v3_monitors(R"({"data":[],"nextCursorId":9,"nextLink":"/v3/monitors?cursor=3"})");
    EXPECT_EQ(cursor_id_wins.next_cursor, "9");
    EXPECT_FALSE(parse_v3_monitors(R"({"data":[],"nextLink":""})").next_cursor);
    EXPECT_FALSE(parse_v3_monitors(R"({"data":[],"nextLink":"  "})").next_cursor);
    EXPECT_FALSE(parse_v3_monitors(R"({"data":[]})").next_cursor);
    EXPECT_THROW(parse_v3_monitors(R"({"data":[],"nextCursorId":"x"})"), RuntimeError);
}

// Official clients' test answers (testdata/README.md).
TEST(UptimeRobotV3, OfficialClientsPagesGiveTheirMonitorsAndCursors) {
    auto cli = parse_v3_monitors(testdata("sources/uptimerobot", "v3_cli_monitors_page.json"));
    ASSERT_EQ(cli.monitors.size(), 1u);
    EXPECT_EQ(cli.monitors[0].id, 42);
    EXPECT_EQ(cli.monitors[0].name, "checkout-api");
    EXPECT_EQ(cli.monitors[0].status, 9);
    EXPECT_EQ(cli.next_cursor, "84");

    auto terraform = parse_v3_monitors(testdata("sources/uptimerobot", "v3_terraform_monitors_page.json"));
    ASSERT_EQ(terraform.monitors.size(), 1u);
    EXPECT_EQ(terraform.monitors[0].id, 71234);
    EXPECT_EQ(terraform.monitors[0].name, "legacy");
    EXPECT_EQ(terraform.monitors[0].status, 1);
    EXPECT_FALSE(terraform.next_cursor);
}

TEST(UptimeRobotV3, StatisticsRequestsAreOnePerWindowAndOneForResponseTime) {
    EXPECT_EQ(v3_statistics_requests(137, 1), 274);
    EXPECT_EQ(v3_statistics_requests(137, 3), 548);
    EXPECT_EQ(v3_statistics_requests(0, 3), 0);
}

TEST(UptimeRobotRateLimit, ReadsWholeNumbersAndNothingElse) {
    const std::string ten = "10", three = " 3 ", negative = "-1", junk = "10/min";
    auto both = read_rate_limit(&ten, &three);
    EXPECT_EQ(both.limit, 10);
    EXPECT_EQ(both.remaining, 3);
    EXPECT_FALSE(read_rate_limit(nullptr, nullptr).remaining);
    EXPECT_FALSE(read_rate_limit(&junk, &negative).limit);
    EXPECT_FALSE(read_rate_limit(&junk, &negative).remaining);
}

TEST(UptimeRobotV3, CursorComesFromAbsoluteOrRelativeLinks) {
    EXPECT_EQ(cursor_from_next_link("https://api.uptimerobot.com/v3/monitors/?limit=1&cursor=803767164"), "803767164");
    EXPECT_EQ(cursor_from_next_link("/v3/monitors?cursor=a%20b&limit=200"), "a b");
    EXPECT_FALSE(cursor_from_next_link("/v3/monitors?cursor="));
    EXPECT_FALSE(cursor_from_next_link("/v3/monitors"));
}

TEST(UptimeRobotV3, TargetsNameTheMonitorAndTheWindow) {
    EXPECT_EQ(v3_monitors_target(std::nullopt), "/v3/monitors?limit=200");
    EXPECT_EQ(v3_monitors_target(std::string("42")), "/v3/monitors?limit=200&cursor=42");
    auto end = *parse_rfc3339("2026-11-28T14:11:00Z");
    EXPECT_EQ(v3_uptime_target(5, 7, end),
              "/v3/monitors/5/stats/uptime?from=2026-11-21T14%3A11%3A00Z&to=2026-11-28T14%3A11%3A00Z");
    EXPECT_EQ(v3_response_time_target(5), "/v3/monitors/5/stats/response-time");
}

TEST(UptimeRobotV3, ParsesUptimeAndResponseTime) {
    EXPECT_EQ(parse_v3_uptime_ratio(testdata("sources/uptimerobot", "v3_uptime.json")), 0.9995);
    EXPECT_EQ(parse_v3_uptime_ratio(R"({"uptime":100,"total_downtime_seconds":0})"), 1.0);
    // MonitorUptimeStatsDto: `uptime` is required, a number, 0-100.
    EXPECT_THROW(parse_v3_uptime_ratio(R"({"uptime":null})"), RuntimeError);
    EXPECT_THROW(parse_v3_uptime_ratio(R"({"data":{"uptime":98.5}})"), RuntimeError);
    EXPECT_THROW(parse_v3_uptime_ratio(R"({"uptime":"n/a"})"), RuntimeError);
    EXPECT_THROW(parse_v3_uptime_ratio(R"({"uptime":250})"), RuntimeError);

    EXPECT_EQ(parse_v3_response_time_seconds(testdata("sources/uptimerobot", "v3_response_time.json")), 0.436);
    // MonitorResponseTimeStatsDto: summary.avg is nullable (no checks measured), summary is not.
    EXPECT_FALSE(parse_v3_response_time_seconds(R"({"summary":{"min":null,"max":null,"avg":null},"data_points":0})"));
    EXPECT_THROW(parse_v3_response_time_seconds(R"({"data_points":0})"), RuntimeError);
    EXPECT_THROW(parse_v3_response_time_seconds(R"({"summary":{"avg":)"), RuntimeError);
}

TEST(UptimeRobotErrors, TheServicesOwnWords) {
    EXPECT_EQ(error_message(testdata("sources/uptimerobot", "v3_error.json")), "Monitor not found (code 000-004)");
    EXPECT_EQ(error_message(R"({"message":["limit must not be greater than 200","cursor must be a number"],
        "error":"Bad Request","statusCode":400})"),
              "limit must not be greater than 200; cursor must be a number");
    EXPECT_EQ(error_message(R"({"error":"Unauthorized","statusCode":401})"), "Unauthorized");
    // An HTML error page is summarised by its text, not quoted as markup.
    EXPECT_EQ(error_message("<html>\n  <body>Too many requests</body>\n</html>"), "Too many requests");
}
