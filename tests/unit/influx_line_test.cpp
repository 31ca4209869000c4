#include <gtest/gtest.h>

#include <limits>

#include "core/time.hpp"
#include "formats/influx_line.hpp"

using namespace kpi;

TEST(LineProtocol, EscapesEachElementByItsRules) {
    Point p;
    p.measurement = "my measurement,x";
    p.set_tag("tag key", "a=b,c d");
    p.set_tag("empty", "");
    p.set_field("field=key", std::string("say \"hi\" \\ ok"));
    p.set_field("i", std::int64_t{-7});
    p.set_field("f", 0.5);
    p.set_field("whole", 2.0);
    p.set_field("b", false);
    p.time = *parse_rfc3339("2026-11-28T14:11:00.000000001Z");
    std::string out;
    ASSERT_FALSE(append_line_protocol(out, p));
    EXPECT_EQ(out,
              "my\\ measurement\\,x,tag\\ key=a\\=b\\,c\\ d field\\=key=\"say \\\"hi\\\" \\\\ ok\",i=-7i,f=0.5,"
              "whole=2,b=false 1795875060000000001\n");
}

TEST(LineProtocol, NewlinesInTagsAreRefusedNotMangled) {
    Point p;
    p.measurement = "m";
    p.set_tag("t", "a\nb");
    p.set_field("x", std::int64_t{1});
    std::string out = "keep";
    auto why = append_line_protocol(out, p);
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("tag \"t\""), std::string::npos);
    EXPECT_EQ(out, "keep");
}

// Found by fuzzing (tests/fuzz/corpus/influx_line/regression-tag-value-ending-in-backslash):
// InfluxDB reads `v\\,next=...` as one value, so these were silently merged into others.
TEST(LineProtocol, BackslashesThatCannotReadBackAreRefused) {
    auto refused = [](auto&& edit) {
        Point p;
        p.measurement = "m";
        p.set_field("x", std::int64_t{1});
        edit(p);
        std::string out;
        return append_line_protocol(out, p).has_value();
    };
    EXPECT_TRUE(refused([](Point& p) { p.set_tag("t", "v\\"); }));
    EXPECT_TRUE(refused([](Point& p) { p.set_tag("t\\", "v"); }));
    EXPECT_TRUE(refused([](Point& p) { p.set_tag("t", "a\\,b"); }));
    EXPECT_TRUE(refused([](Point& p) { p.set_field("x\\", 1.5); }));
    EXPECT_TRUE(refused([](Point& p) { p.measurement = "m\\"; }));
    EXPECT_TRUE(refused([](Point& p) { p.measurement = "#m"; }));
    EXPECT_FALSE(refused([](Point& p) { p.set_tag("t", "a\\b"); }));  // kept as it is: reads back
    EXPECT_FALSE(refused([](Point& p) { p.set_field("s", std::string("ends in \\")); }));
}

TEST(LineProtocol, NoTimeMeansServerTime) {
    Point p;
    p.measurement = "m";
    p.set_field("x", 1.5);
    std::string out;
    ASSERT_FALSE(append_line_protocol(out, p));
    EXPECT_EQ(out, "m x=1.5\n");
}

TEST(LineProtocol, NamesThatAreAllEscapesAndTheLongestNumbersFitTheLine) {
    // The writer makes room for a line's worst case before writing it: every name byte
    // escaped, the longest int64, double and time.
    Point p;
    p.measurement = ", ,";
    p.set_tag("= ,", ", =");
    p.set_tag("a", "");
    p.set_field(",=, ", std::string("\"\\\\\""));
    p.set_field("i", std::numeric_limits<std::int64_t>::min());
    p.set_field("d", -1.2345678901234567e-308);
    p.set_field("e", 1.7976931348623157e308);
    p.time = *parse_rfc3339("2262-04-11T23:47:16Z");
    std::string out = "previous line\n";
    ASSERT_FALSE(append_line_protocol(out, p));
    EXPECT_EQ(out,
              "previous line\n"
              "\\,\\ \\,,\\=\\ \\,=\\,\\ \\= \\,\\=\\,\\ =\"\\\"\\\\\\\\\\\"\",i=-9223372036854775808i,"
              "d=-1.2345678901234567e-308,e=1.7976931348623157e+308 9223372036000000000\n");
}
