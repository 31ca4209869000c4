// SIGTERM (how Kubernetes ends a job): start nothing new, spool what is pending, exit 1
// within a few seconds; the next run delivers it.

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "core/ndjson.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
using namespace kpi::test;

TEST(Shutdown, SigtermSpoolsWhatIsPendingAndTheNextRunDeliversIt) {
    std::atomic<bool> release{false};
    FakeServer slow;
    slow.get("/api/records", [&](const httplib::Request&, httplib::Response& res) {
        for (int i = 0; i < 400 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        res.set_content(R"({"hits":{"total":1}})", "application/json");
    });
    slow.start();
    TempDir dir;
    const std::string out = dir.file("points.ndjson");
    const std::string config = dir.write("kpi.toml",
        "[spool]\ndir = \"" + dir.file("spool") + "\"\n\n"
        "[[sources]]\ntype = \"http\"\nname = \"probe\"\nurl = \"http://127.0.0.1:" + std::to_string(unused_port()) + "/\"\n\n"
        "[[sources]]\ntype = \"records\"\nname = \"slow\"\nurl = \"" + slow.url("/api/records") + "\"\n\n"
        "[[sinks]]\ntype = \"file\"\npath = \"" + out + "\"\n");

    // The probe's warning says it finished while the slow source is still waiting.
    auto r = run_kpi({"run-all", "-c", config}, RunOptions{.signal = SIGTERM, .signal_when = "is down"});
    release = true;
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ASSERT_GE(r.seconds_after_signal, 0) << "the signal was sent: " << r.err;
    EXPECT_LT(r.seconds_after_signal, 5.0);
    EXPECT_NE(r.err.find("shutting down"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(out), "") << "nothing new is started after the signal: the points wait in the spool";

    auto replay = run_kpi({"replay", "-c", config});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    auto points = parse_ndjson(read_file(out));
    ASSERT_EQ(points.size(), 3u) << read_file(out);  // the probe's point and two kpi_run points
    EXPECT_EQ(points[0].measurement, "http_probe");
    EXPECT_EQ(std::get<std::int64_t>(*points[0].field("up")), 0);
    EXPECT_EQ(points[2].measurement, "kpi_run");
    EXPECT_EQ(*points[2].tag("source"), "slow");
    EXPECT_EQ(std::get<std::int64_t>(*points[2].field("success")), 0);
}
