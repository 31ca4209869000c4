#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/ndjson.hpp"
#include "core/time.hpp"

using namespace kpi;

TEST(Point, TagsStaySortedAndUnique) {
    Point p;
    p.set_tag("service", "zenodo");
    p.set_tag("monitor", "Website");
    p.set_tag("service", "cds");
    ASSERT_EQ(p.tags.size(), 2u);
    EXPECT_EQ(p.tags[0].key, "monitor");
    EXPECT_EQ(p.tags[1].value, "cds");
}

TEST(Point, NonFiniteDoublesAreRefused) {
    Point p;
    EXPECT_FALSE(p.set_field("x", std::numeric_limits<double>::infinity()));
    EXPECT_FALSE(p.set_field("x", std::nan("")));
    EXPECT_TRUE(p.fields.empty());
}
