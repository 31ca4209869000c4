#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/ndjson.hpp"
#include "core/shutdown.hpp"
#include "core/time.hpp"
#include "spool/delivery.hpp"
#include "spool/spool.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
namespace fs = std::filesystem;

namespace {

std::vector<Point> batch(std::int64_t first, std::size_t count, const std::string& measurement = "records") {
    std::vector<Point> points(count);
    for (std::size_t i = 0; i < count; ++i) {
        points[i].measurement = measurement;
        points[i].set_tag("service", "zenodo");
        points[i].set_field("seq", first + static_cast<std::int64_t>(i));
        points[i].time = *parse_rfc3339("2026-11-28T14:11:00Z");
    }
    return points;
}

std::vector<Point> concat(std::vector<Point> a, const std::vector<Point>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// A sink that follows a script, one step per deliver() call (accept when the script is
// done), and remembers what it was given and what it took.
class ScriptedSink : public Sink {
public:
    enum class Step { Accept, Fail, TakeHalf, RejectFirst, Throw };

    explicit ScriptedSink(std::deque<Step> script = {}) : script_(std::move(script)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        calls.push_back(points);
        Step step = Step::Accept;
        if (!script_.empty()) {
            step = script_.front();
            script_.pop_front();
        }
        DeliveryResult result;
        switch (step) {
            case Step::Accept: taken.insert(taken.end(), points.begin(), points.end()); break;
            case Step::Fail:
                result.undelivered = points;
                result.errors.push_back("POST http://127.0.0.1:1/write: HTTP 503: down for maintenance");
                break;
            case Step::TakeHalf: {
                const auto half = points.begin() + static_cast<std::ptrdiff_t>(points.size() / 2);
                taken.insert(taken.end(), points.begin(), half);
                result.undelivered.assign(half, points.end());
                result.errors.push_back("POST http://127.0.0.1:1/write: connection refused");
                break;
            }
            case Step::RejectFirst:
                result.rejected = 1;
                result.errors.push_back("POST http://127.0.0.1:1/write: HTTP 400: partial write: field type conflict");
                taken.insert(taken.end(), points.begin() + 1, points.end());
                break;
            case Step::Throw: throw std::runtime_error("sink blew up");
        }
        return result;
    }

    std::vector<std::vector<Point>> calls;
    std::vector<Point> taken;

private:
    std::deque<Step> script_;
};
using Step = ScriptedSink::Step;

struct SpoolFixture : ::testing::Test {
    test::TempDir tmp;
    SinkConfig config{"influxdb", "influx-prod", "kpi.toml:20", {}};
    SpoolSettings settings{tmp.path() + "/spool", 1 << 20};
    SpoolTuning tuning{std::chrono::milliseconds(0), 5000, std::chrono::seconds(3600)};

    std::string sink_dir() const { return settings.dir + "/influx-prod"; }
    std::size_t record_files() const {
        std::size_t n = 0;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(sink_dir(), ec)) n += e.path().extension() == ".rec";
        return n;
    }
    std::vector<std::string> record_names() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(sink_dir())) {
            if (e.path().extension() == ".rec") names.push_back(e.path().filename());
        }
        std::sort(names.begin(), names.end());
        return names;
    }
    bool mentions(const SpooledDelivery& r, const std::string& text) const {
        for (const auto& e : r.errors) {
            if (e.find(text) != std::string::npos) return true;
        }
        return false;
    }
};

}  // namespace

TEST_F(SpoolFixture, AcceptedPointsLeaveNothingInTheSpool) {
    ScriptedSink sink;
    const auto r = deliver_with_spool(sink, config, batch(0, 3), settings, tuning);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.delivered, 3u);
    EXPECT_EQ(r.spooled + r.replayed + r.pending + r.lost, 0u);
    EXPECT_EQ(sink.taken, batch(0, 3));
    EXPECT_FALSE(fs::exists(settings.dir));  // a sink that never failed leaves no trace
}

TEST_F(SpoolFixture, FailedPointsAreSpooledThenSentFirstAndInOrder) {
    ScriptedSink down({Step::Fail});
    const auto first = deliver_with_spool(down, config, batch(0, 4), settings, tuning);
    EXPECT_FALSE(first.ok());
    EXPECT_EQ(first.delivered, 0u);
    EXPECT_EQ(first.spooled, 4u);
    EXPECT_EQ(first.pending, 4u);
    EXPECT_TRUE(mentions(first, "HTTP 503: down for maintenance"));
    EXPECT_TRUE(mentions(first, "sink 'influx-prod'"));
    EXPECT_TRUE(mentions(first, sink_dir()));
    EXPECT_EQ(record_files(), 1u);

    ScriptedSink up;
    const auto second = deliver_with_spool(up, config, batch(10, 2), settings, tuning);
    EXPECT_TRUE(second.ok()) << (second.errors.empty() ? "" : second.errors[0]);
    ASSERT_EQ(up.calls.size(), 2u);
    EXPECT_EQ(up.calls[0], batch(0, 4));   // exactly the spooled points
    EXPECT_EQ(up.calls[1], batch(10, 2));  // then the new ones
    EXPECT_EQ(second.delivered, 6u);
    EXPECT_EQ(second.replayed, 4u);
    EXPECT_EQ(record_files(), 0u);
}

TEST_F(SpoolFixture, ManyRecordsAreSentOldestFirst) {
    tuning.record_points = 2;
    ScriptedSink down({Step::Fail});
    deliver_with_spool(down, config, batch(0, 5), settings, tuning);  // three records
    EXPECT_EQ(record_files(), 3u);

    // Still down on replay: the new points go behind the old ones without being tried.
    ScriptedSink still_down({Step::Fail});
    const auto second = deliver_with_spool(still_down, config, batch(5, 3), settings, tuning);
    EXPECT_EQ(still_down.calls.size(), 1u);
    EXPECT_EQ(second.spooled, 3u);
    EXPECT_EQ(second.pending, 8u);
    EXPECT_TRUE(mentions(second, "not sent while older spooled points wait"));

    ScriptedSink up;
    const auto third = deliver_with_spool(up, config, batch(8, 1), settings, tuning);
    EXPECT_TRUE(third.ok());
    EXPECT_EQ(up.taken, batch(0, 9));
    EXPECT_EQ(third.replayed, 8u);
    EXPECT_EQ(record_files(), 0u);
}

TEST_F(SpoolFixture, ReplayWithoutNewPointsIsReplay) {
    ScriptedSink down({Step::Fail});
    deliver_with_spool(down, config, batch(0, 3), settings, tuning);
    ScriptedSink up;
    const auto r = deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.replayed, 3u);
    EXPECT_EQ(up.taken, batch(0, 3));
}

TEST_F(SpoolFixture, PartlyTakenRecordKeepsOnlyTheRest) {
    ScriptedSink down({Step::Fail});
    deliver_with_spool(down, config, batch(0, 6), settings, tuning);

    ScriptedSink flaky({Step::TakeHalf});
    const auto second = deliver_with_spool(flaky, config, {}, settings, tuning);
    EXPECT_FALSE(second.ok());
    EXPECT_EQ(second.replayed, 3u);
    EXPECT_EQ(second.pending, 3u);
    EXPECT_EQ(record_names(), std::vector<std::string>{"0000000000000001-0001.rec"});

    ScriptedSink up;
    deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_EQ(concat(flaky.taken, up.taken), batch(0, 6));  // each point once, in order
    EXPECT_EQ(record_files(), 0u);
}

TEST_F(SpoolFixture, RejectedPointsAreReportedNotSpooled) {
    ScriptedSink sink({Step::RejectFirst});
    const auto r = deliver_with_spool(sink, config, batch(0, 3), settings, tuning);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.rejected, 1u);
    EXPECT_EQ(r.delivered, 2u);
    EXPECT_EQ(r.spooled, 0u);
    EXPECT_TRUE(mentions(r, "field type conflict"));
    EXPECT_EQ(record_files(), 0u);
}

// Whatever time a source built (a report of year 9999 wraps in nanoseconds), no sink's
// writer is handed a time outside what every sink can store.
TEST_F(SpoolFixture, PointsNoSinkCanStoreAreRefusedBeforeAnyWriterSeesThem) {
    auto points = batch(0, 4);
    points[1].time = Timestamp{std::chrono::seconds{-1}};
    points[2].time = Timestamp{std::chrono::nanoseconds{INT64_MIN}};
    ScriptedSink sink;
    const auto r = deliver_with_spool(sink, config, points, settings, tuning);
    EXPECT_EQ(sink.taken, (std::vector<Point>{points[0], points[3]}));
    EXPECT_EQ(r.rejected, 2u);
    EXPECT_EQ(r.spooled, 0u);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(mentions(r, "refused 2 points that no sink can store, for good (the first: \"records\": \"time\" is "
                            "out of range"));
}

TEST_F(SpoolFixture, SinkThatThrowsLosesNothing) {
    ScriptedSink broken({Step::Throw});
    const auto r = deliver_with_spool(broken, config, batch(0, 2), settings, tuning);
    EXPECT_EQ(r.spooled, 2u);
    EXPECT_TRUE(mentions(r, "sink blew up"));
    ScriptedSink up;
    deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_EQ(up.taken, batch(0, 2));
}

TEST_F(SpoolFixture, FlippedByteSetsThatRecordAsideAndTheOthersGoThrough) {
    tuning.record_points = 2;
    ScriptedSink down({Step::Fail});
    deliver_with_spool(down, config, batch(0, 6), settings, tuning);
    const auto names = record_names();
    ASSERT_EQ(names.size(), 3u);
    {
        const std::string path = sink_dir() + "/" + names[1];
        std::string bytes = test::read_file(path);
        bytes[bytes.size() - 5] ^= 0x01;
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    }

    ScriptedSink up;
    const auto r = deliver_with_spool(up, config, batch(6, 1), settings, tuning);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.set_aside, 1u);
    EXPECT_TRUE(mentions(r, names[1]));
    EXPECT_TRUE(mentions(r, "checksum mismatch"));
    EXPECT_EQ(up.taken, concat(concat(batch(0, 2), batch(4, 2)), batch(6, 1)));
    EXPECT_TRUE(fs::exists(sink_dir() + "/corrupt/" + names[1]));
    EXPECT_EQ(record_files(), 0u);
}

TEST_F(SpoolFixture, TruncatedRecordIsSetAsideAndTheOthersGoThrough) {
    tuning.record_points = 2;
    ScriptedSink down({Step::Fail});
    deliver_with_spool(down, config, batch(0, 4), settings, tuning);
    const auto names = record_names();
    ASSERT_EQ(names.size(), 2u);
    const std::string path = sink_dir() + "/" + names[0];
    fs::resize_file(path, fs::file_size(path) / 2);

    ScriptedSink up;
    const auto r = deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_EQ(r.set_aside, 1u);
    EXPECT_TRUE(mentions(r, names[0]));
    EXPECT_TRUE(mentions(r, "truncated"));
    EXPECT_EQ(up.taken, batch(2, 2));
    EXPECT_TRUE(fs::exists(sink_dir() + "/corrupt/" + names[0]));
}

TEST_F(SpoolFixture, SizeBoundExceededIsLoud) {
    settings.max_bytes = 300;
    tuning.record_points = 2;
    ScriptedSink down({Step::Fail});
    const auto r = deliver_with_spool(down, config, batch(0, 6, "uptime"), settings, tuning);
    EXPECT_FALSE(r.ok());
    EXPECT_GT(r.lost, 0u);
    EXPECT_EQ(r.spooled + r.lost, 6u);
    EXPECT_TRUE(mentions(r, settings.dir));
    EXPECT_TRUE(mentions(r, "max_bytes is 300"));
    EXPECT_TRUE(mentions(r, std::to_string(r.lost) + " points (uptime"));
    EXPECT_TRUE(mentions(r, "lost"));

    ScriptedSink up;
    deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_EQ(up.taken, batch(0, r.spooled, "uptime"));  // what did fit is kept, in order
}

TEST_F(SpoolFixture, UnwritableSpoolMattersOnlyWhenPointsMustWait) {
    settings.dir = tmp.write("not-a-directory", "x") + "/spool";
    ScriptedSink up;
    const auto r = deliver_with_spool(up, config, batch(0, 2), settings, tuning);
    EXPECT_EQ(up.taken, batch(0, 2));
    EXPECT_TRUE(r.ok());

    ScriptedSink down({Step::Fail});
    const auto lost = deliver_with_spool(down, config, batch(0, 2), settings, tuning);
    EXPECT_EQ(lost.lost, 2u);
    EXPECT_TRUE(mentions(lost, "could not be spooled"));
    EXPECT_TRUE(mentions(lost, "cannot create spool directory " + settings.dir + "/influx-prod"));
}

TEST_F(SpoolFixture, LockedSpoolIsNotReplayedButStillTakesNewPoints) {
    ScriptedSink down({Step::Fail});
    deliver_with_spool(down, config, batch(0, 2), settings, tuning);

    auto other_run = std::make_unique<Spool>(settings.dir, config.name, settings.max_bytes);
    ASSERT_TRUE(other_run->lock(std::chrono::milliseconds(0)));
    ScriptedSink still_down({Step::Fail});
    const auto r = deliver_with_spool(still_down, config, batch(2, 2), settings, tuning);
    ASSERT_EQ(still_down.calls.size(), 1u);
    EXPECT_EQ(still_down.calls[0], batch(2, 2));  // the spool was not touched
    EXPECT_EQ(r.spooled, 2u);
    EXPECT_EQ(record_files(), 2u);
    other_run.reset();

    ScriptedSink up;
    deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_EQ(up.taken, batch(0, 4));
}

TEST_F(SpoolFixture, ShutdownSpoolsWhatIsPendingWithoutSending) {
    ScriptedSink down({Step::Fail});
    deliver_with_spool(down, config, batch(0, 2), settings, tuning);

    // The shutdown flag cannot be cleared, so the interrupted run is a child process.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        request_shutdown();
        ScriptedSink up;
        const auto r = deliver_with_spool(up, config, batch(2, 3), settings, tuning);
        const auto replay = deliver_with_spool(up, config, {}, settings, tuning);  // `kpi replay` interrupted
        const bool as_expected = up.calls.empty() && r.spooled == 3 && r.pending == 5 && !r.ok() &&
                                 replay.pending == 5 && !replay.ok();
        ::_exit(as_expected ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "the interrupted run sent points or did not spool them";

    ScriptedSink up;
    deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_EQ(up.taken, batch(0, 5));
}

// Two runs at once on one sink's spool, each with a sink that takes all, nothing or half in
// turn. Whatever the interleaving, every point gets delivered at least once and no spool
// file is ever damaged.
TEST_F(SpoolFixture, TwoProcessesAtOnceLoseNothing) {
    constexpr int kRuns = 60;
    constexpr std::size_t kPointsPerRun = 7;
    tuning.record_points = 3;
    tuning.lock_wait = std::chrono::milliseconds(5);  // both the waiting and the skipping path

    std::vector<pid_t> children;
    for (int process = 0; process < 2; ++process) {
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            int code = 0;
            try {
                std::ofstream log(tmp.file("delivered-" + std::to_string(process)));
                for (int run = 0; run < kRuns; ++run) {
                    const Step step = run % 3 == 0 ? Step::Fail : run % 3 == 1 ? Step::TakeHalf : Step::Accept;
                    ScriptedSink sink({step, step, step});
                    const auto first = static_cast<std::int64_t>((process * kRuns + run) * kPointsPerRun);
                    const auto r = deliver_with_spool(sink, config, batch(first, kPointsPerRun), settings, tuning);
                    for (const auto& p : sink.taken) log << to_ndjson(p);
                    log.flush();
                    if (r.set_aside > 0 || r.lost > 0) code = 1;
                }
            } catch (...) {
                code = 2;
            }
            ::_exit(code);
        }
        children.push_back(child);
    }
    for (const pid_t child : children) {
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 0) << "a run found a damaged spool file or lost points";
    }

    ScriptedSink up;
    const auto last = deliver_with_spool(up, config, {}, settings, tuning);
    EXPECT_TRUE(last.ok());
    EXPECT_EQ(record_files(), 0u);
    EXPECT_FALSE(fs::exists(sink_dir() + "/corrupt"));

    std::map<std::int64_t, int> seen;
    auto count = [&](const std::vector<Point>& points) {
        for (const auto& p : points) ++seen[std::get<std::int64_t>(*p.field("seq"))];
    };
    count(up.taken);
    for (int process = 0; process < 2; ++process) {
        count(parse_ndjson(test::read_file(tmp.file("delivered-" + std::to_string(process)))));
    }
    const auto total = static_cast<std::int64_t>(2 * kRuns * kPointsPerRun);
    for (std::int64_t seq = 0; seq < total; ++seq) EXPECT_GE(seen[seq], 1) << "point " << seq << " was lost";
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(total));
}
