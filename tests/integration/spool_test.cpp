// At-least-once delivery through the binary (DESIGN §8): a back end that is down, then up;
// one that answers 503 with Retry-After; `kpi replay`; a damaged spool file; the size bound.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <charconv>

#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;
namespace fs = std::filesystem;

namespace {

std::string points_ndjson(int first, int count) {
    std::string text;
    for (int i = first; i < first + count; ++i) {
        text += R"({"measurement":"records","tags":{"service":"zenodo"},"fields":{"seq":)" + std::to_string(i) +
                R"(},"time":"2026-11-28T14:11:00Z"})" + "\n";
    }
    return text;
}

std::string gunzip(const std::string& data) {
    if (data.size() < 2 || static_cast<unsigned char>(data[0]) != 0x1f || static_cast<unsigned char>(data[1]) != 0x8b) {
        return data;  // the server already inflated it
    }
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return {};
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[1 << 14];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END ? out : std::string();
}

// The `seq` field of every line-protocol line of a /write body, in order.
std::vector<int> seqs_written(const std::string& written) {
    const std::string body = gunzip(written);
    std::vector<int> found;
    constexpr std::string_view key = "seq=";
    for (auto at = body.find(key); at != std::string::npos; at = body.find(key, at + key.size())) {
        int value = 0;
        const char* digits = body.data() + at + key.size();
        const auto [end, error] = std::from_chars(digits, body.data() + body.size(), value);
        if (error == std::errc() && end != digits && end < body.data() + body.size() && *end == 'i') {
            found.push_back(value);
        }
    }
    return found;
}

std::vector<int> range(int first, int count) {
    std::vector<int> values;
    for (int i = first; i < first + count; ++i) values.push_back(i);
    return values;
}

// An InfluxDB 1.x that takes every write and keeps the bodies. (FakeServer::requests()
// records a POST before its body is read, so the handler keeps them itself.)
class Influx {
public:
    Influx() {
        server_.post("/write", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mutex_);
            bodies_.push_back(req.body);
            databases_.push_back(req.get_param_value("db"));
            res.status = 204;
        });
        server_.start();
    }
    std::string url() const { return server_.url(); }
    std::vector<std::string> bodies() const {
        std::lock_guard lock(mutex_);
        return bodies_;
    }
    std::vector<std::string> databases() const {
        std::lock_guard lock(mutex_);
        return databases_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> bodies_;
    std::vector<std::string> databases_;
    FakeServer server_;  // last: stopped before the bodies it writes to go away
};

struct SpoolCli : ::testing::Test {
    TempDir tmp;
    std::string spool = tmp.file("spool");
    std::string sink_dir = spool + "/influxdb";
    RunOptions options{.input = "", .env = {{"XDG_STATE_HOME", tmp.file("state")}}, .cwd = "", .timeout_seconds = 60};

    // `kpi publish influxdb` with no retries, so a back end that is down fails at once.
    ProcessResult publish(const std::string& url, const std::string& input, const std::string& extra_config = "") {
        const auto config = tmp.write("publish.toml", "[http]\nretries = 0\n" + extra_config);
        RunOptions run = options;
        run.input = input;
        return run_kpi({"--config", config, "--spool-dir", spool, "publish", "influxdb", "--url", url, "--database",
                        "kpi"},
                       run);
    }

    ProcessResult replay(const std::string& url) {
        const auto config = tmp.write("replay.toml", "[http]\nretries = 0\n\n[spool]\ndir = \"" + spool +
                                                         "\"\n\n[[sinks]]\ntype = \"influxdb\"\nurl = \"" + url +
                                                         "\"\ndatabase = \"kpi\"\n");
        return run_kpi({"replay", "--config", config}, options);
    }

    std::vector<std::string> records() const {
        std::vector<std::string> names;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(sink_dir, ec)) {
            if (e.path().extension() == ".rec") names.push_back(e.path().filename());
        }
        std::sort(names.begin(), names.end());
        return names;
    }

    static std::string down_url() { return "http://127.0.0.1:" + std::to_string(unused_port()); }
};

}  // namespace

TEST_F(SpoolCli, BackEndDownThenUpDeliversTheSpooledPointsThenTheNewOnes) {
    const auto down = publish(down_url(), points_ndjson(0, 3));
    EXPECT_EQ(down.exit_code, 1) << down.err;
    EXPECT_EQ(down.out, "");
    EXPECT_NE(down.err.find(sink_dir), std::string::npos) << down.err;  // says where the points wait
    EXPECT_EQ(records().size(), 1u);

    Influx influx;
    const auto up = publish(influx.url(), points_ndjson(3, 2));
    EXPECT_EQ(up.exit_code, 0) << up.err;
    EXPECT_EQ(up.out, "");
    const auto bodies = influx.bodies();
    ASSERT_EQ(bodies.size(), 2u);
    EXPECT_EQ(seqs_written(bodies[0]), range(0, 3));  // exactly the spooled points, first
    EXPECT_EQ(seqs_written(bodies[1]), range(3, 2));  // then the new ones
    EXPECT_TRUE(records().empty());
}

TEST_F(SpoolCli, RetryAfterIsHonouredAndNothingIsSpooled) {
    using Clock = std::chrono::steady_clock;
    std::mutex mutex;
    std::vector<Clock::time_point> arrivals;
    std::string accepted;
    FakeServer influx;
    influx.post("/write", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex);
        arrivals.push_back(Clock::now());
        if (arrivals.size() <= 2) {
            res.status = 503;
            res.set_header("Retry-After", "1");
            res.set_content(R"({"error":"overloaded, try again"})", "application/json");
        } else {
            accepted = req.body;
            res.status = 204;
        }
    });
    influx.start();

    RunOptions run = options;
    run.input = points_ndjson(0, 4);
    const auto r = run_kpi({"--spool-dir", spool, "publish", "influxdb", "--url", influx.url(), "--database", "kpi"}, run);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    influx.stop();
    std::lock_guard lock(mutex);
    ASSERT_EQ(arrivals.size(), 3u);
    EXPECT_EQ(seqs_written(accepted), range(0, 4));
    EXPECT_GE(arrivals[1] - arrivals[0], std::chrono::milliseconds(900));  // waited as told
    EXPECT_GE(arrivals[2] - arrivals[1], std::chrono::milliseconds(900));
    EXPECT_TRUE(records().empty());
}

TEST_F(SpoolCli, ReplaySendsTheSpoolOnlyOnceTheBackEndTakesIt) {
    ASSERT_EQ(publish(down_url(), points_ndjson(0, 3)).exit_code, 1);
    ASSERT_EQ(publish(down_url(), points_ndjson(3, 2)).exit_code, 1);
    ASSERT_EQ(records().size(), 2u);

    const auto still_down = replay(down_url());
    EXPECT_EQ(still_down.exit_code, 1) << still_down.err;
    EXPECT_NE(still_down.err.find("influxdb"), std::string::npos) << still_down.err;
    EXPECT_EQ(records().size(), 2u);  // nothing acknowledged, nothing removed

    Influx influx;
    const auto up = replay(influx.url());
    EXPECT_EQ(up.exit_code, 0) << up.err;
    EXPECT_EQ(up.out, "");
    const auto bodies = influx.bodies();
    ASSERT_EQ(bodies.size(), 2u);
    EXPECT_EQ(seqs_written(bodies[0]), range(0, 3));
    EXPECT_EQ(seqs_written(bodies[1]), range(3, 2));
    EXPECT_EQ(influx.databases(), (std::vector<std::string>{"kpi", "kpi"}));
    EXPECT_TRUE(records().empty());

    const auto again = replay(influx.url());
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(influx.bodies().size(), 2u);  // an empty spool sends nothing
}

TEST_F(SpoolCli, ReplayWhileAnotherRunHoldsTheSpoolSaysSoAndExitsOne) {
    ASSERT_EQ(publish(down_url(), points_ndjson(0, 2)).exit_code, 1);
    ASSERT_EQ(records().size(), 1u);
    // Another run replaying this spool holds its lock (and wrote its pid, as kpi does).
    const int lock = ::open((sink_dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_GE(lock, 0);
    ASSERT_EQ(::flock(lock, LOCK_EX | LOCK_NB), 0);
    ASSERT_EQ(::ftruncate(lock, 0), 0);
    ASSERT_EQ(::pwrite(lock, "4242\n", 5, 0), 5);

    Influx influx;
    const auto r = replay(influx.url());  // waits for the lock (10 s), then gives up
    ::close(lock);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("is in use by another run (pid 4242); nothing was replayed"), std::string::npos) << r.err;
    EXPECT_TRUE(influx.bodies().empty());
    EXPECT_EQ(records().size(), 1u);
}

TEST_F(SpoolCli, DamagedRecordIsSetAsideAndTheRestIsReplayed) {
    ASSERT_EQ(publish(down_url(), points_ndjson(0, 3)).exit_code, 1);
    ASSERT_EQ(publish(down_url(), points_ndjson(3, 2)).exit_code, 1);
    const auto names = records();
    ASSERT_EQ(names.size(), 2u);
    {
        const std::string path = sink_dir + "/" + names[0];
        std::string bytes = read_file(path);
        bytes[bytes.size() - 8] ^= 0x02;
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    }

    Influx influx;
    const auto r = replay(influx.url());
    EXPECT_EQ(r.exit_code, 1) << r.err;  // reported, and the run goes on
    EXPECT_NE(r.err.find(names[0]), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("checksum mismatch"), std::string::npos) << r.err;
    const auto bodies = influx.bodies();
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(seqs_written(bodies[0]), range(3, 2));
    EXPECT_TRUE(fs::exists(sink_dir + "/corrupt/" + names[0]));
    EXPECT_TRUE(records().empty());
}

TEST_F(SpoolCli, FullSpoolIsLoud) {
    const auto r = publish(down_url(), points_ndjson(0, 3), "\n[spool]\nmax_bytes = 100\n");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("max_bytes is 100"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(spool), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("3 points (records"), std::string::npos) << r.err;
    EXPECT_TRUE(records().empty());
}
