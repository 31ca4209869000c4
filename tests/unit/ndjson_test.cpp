#include <gtest/gtest.h>

#include "core/ndjson.hpp"
#include "core/time.hpp"

using namespace kpi;

namespace {
Point sample() {
    Point p;
    p.measurement = "uptime";
    p.set_tag("service", "zenodo");
    p.set_tag("monitor", "Web \"site\"\\\n\t\x01 é");
    p.set_field("ratio", 0.9996);
    p.set_field("count", std::int64_t{42});
    p.set_field("whole_float", 1.0);
    p.set_field("up", true);
    p.set_field("status", std::string("ok \"quoted\" \\ ☃"));
    p.time = *parse_rfc3339("2026-11-28T14:11:00Z");
    return p;
}
}  // namespace

TEST(NdjsonWrite, ExactFormWithSortedTags) {
    Point p;
    p.measurement = "uptime";
    p.set_tag("service", "zenodo");
    p.set_tag("monitor", "Website");
    p.set_field("uptime_ratio_1d", 0.9996);
    p.set_field("up", std::int64_t{1});
    p.time = *parse_rfc3339("2026-11-28T14:11:00Z");
    EXPECT_EQ(to_ndjson(p),
              "{\"measurement\":\"uptime\",\"tags\":{\"monitor\":\"Website\",\"service\":\"zenodo\"},"
              "\"fields\":{\"uptime_ratio_1d\":0.9996,\"up\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n");
}

TEST(NdjsonWrite, EscapesQuotesBackslashesAndControlCharacters) {
    Point p;
    p.measurement = "m";
    p.set_field("s", std::string("a\"b\\c\nd\te\x01" "f\x1f"));
    p.time = *parse_rfc3339("2026-01-01T00:00:00Z");
    EXPECT_NE(to_ndjson(p).find(R"("s":"a\"b\\c\nd\te\u0001f\u001f")"), std::string::npos) << to_ndjson(p);
}

TEST(NdjsonWrite, FloatsKeepAFractionSoTheyReadBackAsFloats) {
    Point p;
    p.measurement = "m";
    p.set_field("f", 1.0);
    p.set_field("big", 1e21);
    p.set_field("i", std::int64_t{1});
    const std::string line = to_ndjson(p);
    EXPECT_NE(line.find("\"f\":1.0"), std::string::npos) << line;
    EXPECT_NE(line.find("\"big\":1e+21"), std::string::npos) << line;
    EXPECT_NE(line.find("\"i\":1}"), std::string::npos) << line;
}

TEST(NdjsonRoundTrip, EveryTypeAndEscapeSurvives) {
    const Point p = sample();
    std::vector<LineError> errors;
    auto points = parse_ndjson(to_ndjson(p), &errors);
    ASSERT_TRUE(errors.empty()) << errors[0].reason;
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0], p);
    EXPECT_TRUE(std::holds_alternative<std::int64_t>(*points[0].field("count")));
    EXPECT_TRUE(std::holds_alternative<double>(*points[0].field("whole_float")));
}

TEST(NdjsonRead, BadLinesAreReportedWithLineNumbersAndGoodOnesKept) {
    const std::string input =
        "{\"measurement\":\"a\",\"fields\":{\"x\":1}}\n"
        "\n"
        "{\"measurement\":\"b\",\"fields\":{\"x\":1}\n"                 // truncated
        "{\"measurement\":\"c\",\"fields\":{\"x\":null}}\n"             // null
        "{\"measurement\":\"d\",\"fields\":{}}\n"                       // no fields
        "{\"measurement\":\"e\",\"fields\":{\"x\":1},\"extra\":1}\n"    // unknown key
        "{\"measurement\":\"f\",\"tags\":{\"t\":1},\"fields\":{\"x\":1}}\n"  // tag not string
        "{\"measurement\":\"g\",\"fields\":{\"x\":1},\"time\":\"yesterday\"}\n"
        "{\"measurement\":\"h\",\"fields\":{\"x\":18446744073709551615}}\n"
        "{\"measurement\":\"ok\",\"fields\":{\"x\":2}}";  // no final newline
    std::vector<LineError> errors;
    auto points = parse_ndjson(input, &errors);
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(points[0].measurement, "a");
    EXPECT_EQ(points[1].measurement, "ok");
    ASSERT_EQ(errors.size(), 7u);
    EXPECT_EQ(errors[0].line, 3u);
    EXPECT_EQ(errors[1].line, 4u);
    EXPECT_NE(errors[1].reason.find("null"), std::string::npos);
    EXPECT_EQ(errors[2].line, 5u);
    EXPECT_NE(errors[3].reason.find("unknown key \"extra\""), std::string::npos);
    EXPECT_NE(errors[4].reason.find("tag \"t\""), std::string::npos);
    EXPECT_NE(errors[5].reason.find("RFC 3339"), std::string::npos);
    EXPECT_NE(errors[6].reason.find("out of range"), std::string::npos);
}

TEST(NdjsonRead, InvalidUtf8IsAnErrorWithItsLine) {
    std::string input = "{\"measurement\":\"a\",\"fields\":{\"x\":1}}\n{\"measurement\":\"\xff\xfe\",\"fields\":{\"x\":1}}\n";
    std::vector<LineError> errors;
    auto points = parse_ndjson(input, &errors);
    EXPECT_EQ(points.size(), 1u);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 2u);
    EXPECT_NE(errors[0].reason.find("UTF-8"), std::string::npos) << errors[0].reason;
}

TEST(NdjsonRead, TimeAcceptsFractionsAndOffsetsAndMissingTimeIsStamped) {
    const auto before = now();
    auto points = parse_ndjson(
        "{\"measurement\":\"a\",\"fields\":{\"x\":1},\"time\":\"2026-11-28T15:11:00.250+01:00\"}\n"
        "{\"measurement\":\"b\",\"fields\":{\"x\":1}}\n");
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(*points[0].time, *parse_rfc3339("2026-11-28T14:11:00.25Z"));
    EXPECT_GE(*points[1].time, before);
}

TEST(NdjsonRead, CrLfLineEndingsAreAccepted) {
    auto points = parse_ndjson("{\"measurement\":\"a\",\"fields\":{\"x\":1}}\r\n{\"measurement\":\"b\",\"fields\":{\"x\":1}}\r\n");
    EXPECT_EQ(points.size(), 2u);
}

TEST(NdjsonWriter, EachPointKeepsItsOwnTimeWhenTimesAlternate) {
    // The writer formats a time once for a run of points that share it: a point with
    // another time, and a return to the first, must each still come out with their own.
    const std::string a = "{\"measurement\":\"m\",\"tags\":{},\"fields\":{\"x\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n";
    const std::string b = "{\"measurement\":\"m\",\"tags\":{},\"fields\":{\"x\":1},\"time\":\"2026-11-29T00:00:05Z\"}\n";
    std::string out;
    for (const auto& p : kpi::parse_ndjson(a + a + b + a)) kpi::append_ndjson(out, p);
    EXPECT_EQ(out, a + a + b + a);
}
