#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "sources/servicenow/servicenow_stats.hpp"

using namespace kpi::servicenow;
using kpi::RuntimeError;

namespace {

// The message of the RuntimeError `f` throws; fails the test when it throws none.
template <typename F>
std::string error_of(F f) {
    try {
        f();
    } catch (const RuntimeError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no RuntimeError";
    return {};
}

}  // namespace

TEST(ServiceNowStats, ReadsCountMaxAndAvgAsWritten) {
    auto answer = parse_stats_answer(
        R"({"result":{"stats":{"count":"12","max":{"reassignment_count":"3"},"avg":{"calendar_stc":"3600.5"}}}})");
    ASSERT_TRUE(answer.count);
    EXPECT_EQ(*answer.count, "12");
    EXPECT_EQ(answer.max.at("reassignment_count"), "3");
    EXPECT_EQ(answer.avg.at("calendar_stc"), "3600.5");
}

TEST(ServiceNowStats, KeepsEmptyStringsAndMapsNullToEmpty) {
    auto answer = parse_stats_answer(
        R"({"result":{"stats":{"count":"0","max":{"reassignment_count":""},"avg":{"calendar_stc":null}}}})");
    EXPECT_EQ(answer.max.at("reassignment_count"), "");
    EXPECT_EQ(answer.avg.at("calendar_stc"), "");
}

TEST(ServiceNowStats, AcceptsJsonNumbersToo) {
    auto answer = parse_stats_answer(R"({"result":{"stats":{"count":7,"avg":{"calendar_stc":12.5}}}})");
    EXPECT_EQ(*answer.count, "7");
    EXPECT_EQ(answer.avg.at("calendar_stc"), "12.5");
}

TEST(ServiceNowStats, AbsentAggregatesAreAbsent) {
    auto answer = parse_stats_answer(R"({"result":{"stats":{}}})");
    EXPECT_FALSE(answer.count);
    EXPECT_TRUE(answer.max.empty());
    EXPECT_TRUE(answer.avg.empty());
}

TEST(ServiceNowStats, ErrorAnswersCarryTheServiceMessage) {
    const std::string body =
        R"({"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"})";
    EXPECT_EQ(error_of([&] { parse_stats_answer(body); }),
              "User Not Authenticated: Required to provide Auth information");
    EXPECT_EQ(error_message(body), "User Not Authenticated: Required to provide Auth information");
    EXPECT_EQ(error_message(R"({"error":{"message":"Invalid table"},"status":"failure"})"), "Invalid table");
    EXPECT_EQ(error_message(R"({"result":{"stats":{}}})"), std::nullopt);
    EXPECT_EQ(error_message("<html>"), std::nullopt);
}

TEST(ServiceNowStats, MalformedAnswersSayWhy) {
    EXPECT_EQ(error_of([] { parse_stats_answer(R"({"result":{"stats":{"count":"1)"); }),
              "the answer is not JSON (truncated?)");
    EXPECT_EQ(error_of([] { parse_stats_answer(""); }), "the answer is empty");
    EXPECT_NE(error_of([] { parse_stats_answer("<html>Login</html>"); }).find("not JSON"), std::string::npos);
    EXPECT_EQ(error_of([] { parse_stats_answer(R"({"result":[]})"); }), "the answer has no result.stats object");
    EXPECT_EQ(error_of([] { parse_stats_answer(R"({"result":{"stats":{"max":[1]}}})"); }),
              "stats.max is not an object");
    EXPECT_EQ(error_of([] { parse_stats_answer(R"({"result":{"stats":{"count":true}}})"); }),
              "stats.count is not a string or number");
}

TEST(ServiceNowStats, IntegersFromStrings) {
    EXPECT_EQ(integer_value("12", "count"), 12);
    EXPECT_EQ(integer_value("0", "count"), 0);
    EXPECT_EQ(integer_value(" 4 ", "count"), 4);
    EXPECT_EQ(integer_value("3.0", "max.reassignment_count"), 3);
    EXPECT_EQ(integer_value("", "count"), std::nullopt);
    EXPECT_EQ(error_of([] { integer_value("3.5", "max.reassignment_count"); }),
              "stats.max.reassignment_count is not an integer: \"3.5\"");
    EXPECT_EQ(error_of([] { integer_value("1,234", "count"); }), "stats.count is not an integer: \"1,234\"");
    EXPECT_EQ(error_of([] { integer_value("nan", "count"); }), "stats.count is not an integer: \"nan\"");
}

TEST(ServiceNowStats, FloatsFromStrings) {
    EXPECT_EQ(float_value("3600.5", "avg.calendar_stc"), 3600.5);
    EXPECT_EQ(float_value("3600", "avg.calendar_stc"), 3600.0);
    EXPECT_EQ(float_value("", "avg.calendar_stc"), std::nullopt);
    EXPECT_EQ(error_of([] { float_value("1 hour", "avg.calendar_stc"); }),
              "stats.avg.calendar_stc is not a number: \"1 hour\"");
    EXPECT_EQ(error_of([] { float_value("inf", "avg.calendar_stc"); }),
              "stats.avg.calendar_stc is not a number: \"inf\"");
}
