// SourceRun::emit with an order: a source whose answers come in any order still gives its
// points in the order of the user's list.

#include <gtest/gtest.h>

#include "sources/source.hpp"

using namespace kpi;

namespace {

Point point_named(const std::string& name, std::int64_t value) {
    Point p;
    p.measurement = "m";
    p.set_tag("name", name);
    p.set_field("value", value);
    return p;
}

std::vector<std::string> names_of(const std::vector<Point>& points) {
    std::vector<std::string> names;
    for (const auto& p : points) names.push_back(*p.tag("name"));
    return names;
}

}  // namespace

TEST(SourceRun, OrderedPointsComeOutByTheirOrderAndInEmissionOrderWithinOne) {
    SourceConfig config{.type = "test", .name = "test", .origin = "command line"};
    HttpClient http;
    SourceRun run(config, http, now());
    std::vector<std::string> seen_when_finished;
    run.on_finished([&](const SourceRun& r) { seen_when_finished = names_of(r.points()); });
    run.emit(point_named("c1", 1), 2);
    run.emit(point_named("a", 1), 0);
    run.emit(point_named("c2", 2), 2);
    run.emit(point_named("b", 1), 1);
    run.started();
    const std::vector<std::string> expected{"a", "b", "c1", "c2"};
    EXPECT_EQ(seen_when_finished, expected);
    EXPECT_EQ(names_of(run.take_points()), expected);
}

TEST(SourceRun, PointsWithoutAnOrderKeepTheOrderEmitted) {
    SourceConfig config{.type = "test", .name = "test", .origin = "command line"};
    HttpClient http;
    SourceRun run(config, http, now());
    for (const char* name : {"z", "y", "x"}) run.emit(point_named(name, 1));
    run.started();
    EXPECT_EQ(names_of(run.take_points()), (std::vector<std::string>{"z", "y", "x"}));
}
