// Sharded run-all: each shard of one config spools in its own <spool>/shard-I-of-N, so
// the pods of an Indexed Job never share a spool (or its lock), and replay finds them all.

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <set>

#include "core/ndjson.hpp"
#include "spool/spool.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
using namespace kpi::test;
namespace fs = std::filesystem;

namespace {

constexpr int kSources = 8;

// The kpi_run source tags of every point spooled for the sink `out` under `root`.
std::multiset<std::string> spooled_sources(const std::string& root) {
    Spool spool(root, "out", 1ull << 30);
    std::multiset<std::string> sources;
    if (!spool.exists()) return sources;
    EXPECT_TRUE(spool.lock(std::chrono::seconds(5)));
    for (const auto& record : spool.records(nullptr)) {
        for (const auto& p : spool.load(record, nullptr).points) {
            if (p.measurement == "kpi_run") sources.insert(*p.tag("source"));
        }
    }
    return sources;
}

std::vector<std::string> entries(const std::string& directory) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST(ShardSpool, TwoShardsOfOneConfigNeverTouchEachOthersSpool) {
    FakeServer server;
    server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"hits":{"total":7}})", "application/json");
    });
    server.start();
    TempDir dir;
    // The file sink's directory does not exist yet: every point is spooled.
    const std::string out = dir.file("out") + "/points.ndjson";
    std::string config;
    for (int i = 0; i < kSources; ++i) {
        config += "[[sources]]\ntype = \"records\"\nname = \"source-" + std::to_string(i) + "\"\nurl = \"" +
                  server.url("/api/records") + "\"\n\n";
    }
    config += "[[sinks]]\ntype = \"file\"\nname = \"out\"\npath = \"" + out + "\"\n";
    const std::string config_path = dir.write("kpi.toml", config);
    const std::string spool = dir.file("spool");

    // Both shards at once, as the pods of an Indexed Job run.
    auto shard = [&](int index) {
        return run_kpi({"run-all", "-c", config_path, "--spool-dir", spool, "--shards", "2"},
                       RunOptions{.env = {{"JOB_COMPLETION_INDEX", std::to_string(index)}}});
    };
    auto first = std::async(std::launch::async, shard, 0);
    auto second = std::async(std::launch::async, shard, 1);
    const auto r0 = first.get(), r1 = second.get();
    EXPECT_EQ(r0.exit_code, 1) << r0.err;  // the sink failed: points spooled
    EXPECT_EQ(r1.exit_code, 1) << r1.err;

    EXPECT_EQ(entries(spool), (std::vector<std::string>{"shard-0-of-2", "shard-1-of-2"}));
    const auto in_0 = spooled_sources(spool + "/shard-0-of-2");
    const auto in_1 = spooled_sources(spool + "/shard-1-of-2");
    EXPECT_FALSE(in_0.empty());
    EXPECT_FALSE(in_1.empty());
    std::multiset<std::string> all = in_0;
    for (const auto& source : in_1) {
        EXPECT_EQ(in_0.count(source), 0u) << source << " spooled by both shards";
        all.insert(source);
    }
    std::multiset<std::string> expected;
    for (int i = 0; i < kSources; ++i) expected.insert("source-" + std::to_string(i));
    EXPECT_EQ(all, expected);

    // replay knows the layout: once the sink can take them, every shard's points arrive.
    fs::create_directory(dir.file("out"));
    auto replay = run_kpi({"replay", "-c", config_path, "--spool-dir", spool});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    std::multiset<std::string> delivered;
    for (const auto& p : parse_ndjson(read_file(out))) {
        if (p.measurement == "kpi_run") delivered.insert(*p.tag("source"));
    }
    EXPECT_EQ(delivered, expected);
    EXPECT_TRUE(spooled_sources(spool + "/shard-0-of-2").empty());
    EXPECT_TRUE(spooled_sources(spool + "/shard-1-of-2").empty());
}
