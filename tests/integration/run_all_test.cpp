// `kpi run-all`: every source concurrently, health points, failures isolated, shards.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/ndjson.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

std::string records_sources(const FakeServer& server, int count, const std::string& path = "/api/records") {
    std::string text;
    for (int i = 0; i < count; ++i) {
        text += "[[sources]]\ntype = \"records\"\nname = \"s" + std::to_string(i) + "\"\nurl = \"" + server.url(path) +
                "\"\ntags = { service = \"svc" + std::to_string(i) + "\" }\n\n";
    }
    return text;
}

void slow_records(FakeServer& server, std::chrono::milliseconds delay) {
    server.get("/api/records", [delay](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(delay);
        res.set_content(R"({"hits":{"hits":[],"total":7}})", "application/json");
    });
}

}  // namespace

TEST(RunAll, OverlapsRequestsUpToThePerHostLimit) {
    FakeServer server;
    slow_records(server, std::chrono::milliseconds(300));
    server.start();
    TempDir dir;
    auto config = dir.write("kpi.toml", "[http]\nper_host = 3\nmax_connections = 10\n\n" + records_sources(server, 8));
    auto r = run_kpi({"run-all", "--config", config});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(server.request_count(), 8u);
    // In flight at once: more than one (concurrent), never more than per_host.
    EXPECT_EQ(server.max_in_flight(), 3);
}

TEST(RunAll, EmitsPointsThenHealthWithOnePassTime) {
    FakeServer server;
    slow_records(server, std::chrono::milliseconds(0));
    server.start();
    TempDir dir;
    auto config = dir.write("kpi.toml", records_sources(server, 2));
    auto r = run_kpi({"run-all", "-c", config});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto points = parse_ndjson(r.out);
    ASSERT_EQ(points.size(), 4u) << r.out;
    EXPECT_EQ(points[0].measurement, "records");
    EXPECT_EQ(*points[0].tag("service"), "svc0");
    EXPECT_EQ(*points[1].tag("service"), "svc1");
    for (int i = 2; i < 4; ++i) {
        EXPECT_EQ(points[i].measurement, "kpi_run");
        EXPECT_EQ(std::get<std::int64_t>(*points[i].field("success")), 1);
        EXPECT_EQ(std::get<std::int64_t>(*points[i].field("points")), 1);
        EXPECT_TRUE(std::holds_alternative<double>(*points[i].field("duration_seconds")));
    }
    EXPECT_EQ(*points[2].tag("source"), "s0");
    for (const auto& p : points) EXPECT_EQ(*p.time, *points[0].time) << "one pass, one time";
}

TEST(RunAll, AFailingSourceFailsAloneAndTheOthersAreDelivered) {
    FakeServer server;
    slow_records(server, std::chrono::milliseconds(0));
    server.get("/broken", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("Internal Server Error: shard failure", "text/plain");
    });
    server.get("/garbage", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("\x01\x02 not json", "application/json");
    });
    server.start();
    TempDir dir;
    auto config = dir.write("kpi.toml", "[http]\nretries = 0\n\n" + records_sources(server, 1) +
                                            "[[sources]]\ntype = \"records\"\nname = \"broken\"\nurl = \"" +
                                            server.url("/broken") + "\"\n\n[[sources]]\ntype = \"records\"\nname = "
                                            "\"garbage\"\nurl = \"" + server.url("/garbage") + "\"\n");
    auto r = run_kpi({"run-all", "-c", config});
    EXPECT_EQ(r.exit_code, 1);
    auto points = parse_ndjson(r.out);
    ASSERT_EQ(points.size(), 4u) << r.out;  // one record point, three kpi_run points
    EXPECT_EQ(std::get<std::int64_t>(*points[0].field("total")), 7);
    EXPECT_EQ(std::get<std::int64_t>(*points[2].field("success")), 0);
    EXPECT_EQ(*points[2].tag("source"), "broken");
    EXPECT_NE(r.err.find("source broken: GET " + server.url("/broken") + "?size=1: HTTP 500: Internal Server Error: shard failure"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("source garbage"), std::string::npos) << r.err;
}

TEST(RunAll, MissingSecretFileFailsThatSourceOnly) {
    FakeServer server;
    slow_records(server, std::chrono::milliseconds(0));
    server.start();
    TempDir dir;
    auto config = dir.write("kpi.toml", records_sources(server, 1) + "[[sinks]]\ntype = \"stdout\"\n\n"
                                        "[[sinks]]\ntype = \"influxdb\"\nurl = \"" + server.url() +
                                        "\"\norg = \"o\"\nbucket = \"b\"\ntoken_file = \"" + dir.file("absent") + "\"\n");
    auto r = run_kpi({"run-all", "-c", config});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(parse_ndjson(r.out).size(), 2u) << "stdout sink still got everything: " << r.out;
    EXPECT_NE(r.err.find("cannot read secret file " + dir.file("absent")), std::string::npos) << r.err;
}

TEST(RunAll, ShardsSplitTheSourcesWithoutOverlap) {
    FakeServer server;
    slow_records(server, std::chrono::milliseconds(0));
    server.start();
    TempDir dir;
    auto config = dir.write("kpi.toml", records_sources(server, 10));
    std::size_t total = 0;
    for (int i = 0; i < 3; ++i) {
        auto r = run_kpi({"run-all", "-c", config, "--shard", std::to_string(i) + "/3"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        total += parse_ndjson(r.out).size();
    }
    EXPECT_EQ(total, 20u);  // each source once: a record point and a kpi_run point
    auto indexed = run_kpi({"run-all", "-c", config, "--shards", "3"}, RunOptions{.env = {{"JOB_COMPLETION_INDEX", "1"}}});
    auto explicit_shard = run_kpi({"run-all", "-c", config, "--shard", "1/3"});
    auto tags = [](const std::string& out) {
        std::vector<std::string> names;
        for (const auto& p : parse_ndjson(out)) {
            if (p.measurement == "kpi_run") names.push_back(*p.tag("source"));
        }
        return names;
    };
    EXPECT_EQ(tags(indexed.out), tags(explicit_shard.out));
}
