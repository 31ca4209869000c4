// A long `publish` stream to a sink that is down: the sink is tried on the first batch,
// later batches go straight to the spool, and a replay delivers every point once.

#include <gtest/gtest.h>

#include <atomic>

#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;

TEST(PublishStream, ADownSinkIsNotRetriedForEveryBatchAndNothingIsLost) {
    std::atomic<bool> up{false};
    std::atomic<std::size_t> lines_written{0};
    FakeServer server;
    server.post("/write", [&](const httplib::Request& req, httplib::Response& res) {
        if (!up) {
            res.status = 503;
            res.set_content(R"({"error":"engine: shard closed"})", "application/json");
            return;
        }
        lines_written += static_cast<std::size_t>(std::count(req.body.begin(), req.body.end(), '\n'));
        res.status = 204;
    });
    server.start();
    TempDir dir;
    const std::string config = dir.write("kpi.toml", "[http]\nretries = 1\n\n[spool]\ndir = \"" + dir.file("spool") +
                                                         "\"\n\n[[sinks]]\ntype = \"influxdb\"\nurl = \"" +
                                                         server.url() + "\"\ndatabase = \"kpi\"\n");
    std::string input;
    for (int i = 0; i < 12000; ++i) input += R"({"measurement":"m","fields":{"v":)" + std::to_string(i) + "}}\n";

    auto down = run_kpi({"-c", config, "publish", "influxdb", "--url", server.url(), "--database", "kpi"},
                        RunOptions{.input = input});
    EXPECT_EQ(down.exit_code, 1);
    EXPECT_EQ(server.request_count(), 2u) << "the first batch and its one retry, then straight to the spool";
    EXPECT_NE(down.err.find("the sink failed earlier in this run"), std::string::npos) << down.err;

    up = true;
    auto replay = run_kpi({"replay", "-c", config});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    EXPECT_EQ(lines_written, 12000u);
}
