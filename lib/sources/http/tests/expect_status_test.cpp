// --expect-status of the http source, parsed once into codes and classes.

#include <gtest/gtest.h>

#include "plugin/settings.hpp"
#include "sources/http/expect_status.hpp"

using namespace kpi;

namespace {
// The SettingError's message, or "" when the text parsed.
std::string error_of(const std::string& text) {
    try {
        ExpectedStatus::parse(text);
    } catch (const SettingError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(ExpectStatus, AClassMatchesItsHundred) {
    const auto two = ExpectedStatus::parse("2xx");
    EXPECT_TRUE(two.matches(200));
    EXPECT_TRUE(two.matches(204));
    EXPECT_TRUE(two.matches(299));
    EXPECT_FALSE(two.matches(199));
    EXPECT_FALSE(two.matches(301));
    EXPECT_FALSE(two.matches(0)) << "no answer is never expected";
    EXPECT_TRUE(ExpectedStatus::parse("3XX").matches(302)) << "x in either case";
}

TEST(ExpectStatus, CodesAndClassesMix) {
    const auto mixed = ExpectedStatus::parse("200,301,4xx");
    EXPECT_TRUE(mixed.matches(200));
    EXPECT_TRUE(mixed.matches(301));
    EXPECT_TRUE(mixed.matches(404));
    EXPECT_FALSE(mixed.matches(201));
    EXPECT_FALSE(mixed.matches(302));
    EXPECT_FALSE(mixed.matches(503));
}

TEST(ExpectStatus, AnythingElseIsRefusedWithTheWholeText) {
    EXPECT_EQ(error_of("2xx"), "");
    EXPECT_EQ(error_of("200,3xx"), "");
    const std::string message = "\"ok\": write codes or classes such as 200,3xx";
    EXPECT_EQ(error_of("ok"), message);
    for (const char* bad : {"", "20", "2000", "6xx", "0xx", "2x", "2xy", "x00", "200, 301", "200,,301", "200,",
                            ",200", "2xx;3xx"}) {
        EXPECT_NE(error_of(bad), "") << '"' << bad << '"';
        EXPECT_NE(error_of(bad).find(std::string("\"") + bad + "\""), std::string::npos) << error_of(bad);
    }
}
