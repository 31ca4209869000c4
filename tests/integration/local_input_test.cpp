// Hostile or broken local input: for `kpi publish`, an upstream that goes idle, lines
// without end, times no sink can store, points with a key given twice; a secret file that
// is no secret.

#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "core/ndjson.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

std::string point_line(const std::string& measurement, const std::string& time = "2026-11-28T14:11:00Z") {
    return R"({"measurement":")" + measurement + R"(","fields":{"x":1},"time":")" + time + "\"}\n";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(LocalInput, SigtermWhileStdinIsIdleExitsOneAndSpoolsWhatWasRead) {
    TempDir dir;
    const std::string out = dir.file("out.ndjson"), spool = dir.file("spool");
    // The bad second line makes publish say something once the first line is read; then the
    // upstream (the test) goes quiet without closing the pipe, as `kpi collect` does while it waits.
    RunOptions idle{.input = point_line("read-before-the-signal") + "not a point\n",
                    .keep_stdin_open = true,
                    .timeout_seconds = 20,
                    .signal = SIGTERM,
                    .signal_when = "stdin:2:"};
    auto r = run_kpi({"--spool-dir", spool, "publish", "file", "--path", out}, idle);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ASSERT_GE(r.seconds_after_signal, 0) << r.err;
    EXPECT_LT(r.seconds_after_signal, 5.0);
    EXPECT_TRUE(contains(r.err, "shutdown requested")) << r.err;
    EXPECT_EQ(read_file(out), "") << "nothing is sent after the signal";

    const auto config = dir.write("kpi.toml", "[spool]\ndir = \"" + spool + "\"\n\n[[sinks]]\ntype = \"file\"\npath = \"" +
                                                  out + "\"\n");
    auto replay = run_kpi({"replay", "--config", config});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    auto points = parse_ndjson(read_file(out));
    ASSERT_EQ(points.size(), 1u) << read_file(out);
    EXPECT_EQ(points[0].measurement, "read-before-the-signal");
}

TEST(LocalInput, LineOverTheLimitIsAnErrorOnThatLineAndTheNextLinesAreRead) {
    const std::string input =
        point_line("before") + R"({"measurement":"long","fields":{"s":")" + std::string(5000, 'x') + "\"}}\n" +
        point_line("after");
    auto r = run_kpi({"--max-line-bytes", "1000", "publish", "stdout"}, RunOptions{.input = input});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto points = parse_ndjson(r.out);
    ASSERT_EQ(points.size(), 2u) << r.out;
    EXPECT_EQ(points[0].measurement, "before");
    EXPECT_EQ(points[1].measurement, "after");
    EXPECT_TRUE(contains(r.err, "stdin:2: line longer than the limit of 1000 bytes")) << r.err;
}

TEST(LocalInput, DefaultLineLimitIsSomeMebibytes) {
    const std::string huge = R"({"measurement":"huge","fields":{"s":")" + std::string(kDefaultMaxLineBytes, 'x') + "\"}}\n";
    auto r = run_kpi({"publish", "stdout"}, RunOptions{.input = huge + point_line("after")});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "stdin:1: line longer than the limit of " + std::to_string(kDefaultMaxLineBytes)))
        << r.err.substr(0, 500);
    auto points = parse_ndjson(r.out);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].measurement, "after");
}

TEST(LocalInput, InputWithoutLineEndsEndsWithAnErrorInBoundedMemory) {
    auto r = run_kpi({"--max-line-bytes", "4096", "publish", "--input", "/dev/zero", "stdout"},
                     RunOptions{.timeout_seconds = 60});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "/dev/zero:1: line longer than the limit of 4096 bytes")) << r.err;
    EXPECT_TRUE(contains(r.err, "cannot read /dev/zero: line 1 has no end in")) << r.err;
    EXPECT_EQ(r.out, "");
    // A gibibyte went through: the memory is the block buffer's, not the input's.
    EXPECT_LT(r.max_rss_bytes, 256LL * 1024 * 1024) << "peak RSS " << r.max_rss_bytes << " bytes";
}

TEST(LocalInput, TimesNoSinkCanStoreAreErrorsOnTheirLineNeverADifferentTime) {
    const std::string input = point_line("year9999", "9999-12-31T23:59:59Z") +          // wrapped to 1816 before
                              point_line("before-epoch", "1969-12-31T23:59:59Z") +      // negative in every format
                              point_line("past-influx", "2262-04-11T23:47:17Z") +       // beyond int64 nanoseconds
                              point_line("offset-past", "2262-04-11T23:47:16-00:01") +  // the same, by its offset
                              point_line("first", "1970-01-01T00:00:00Z") +
                              point_line("last", "2262-04-11T23:47:16.854775806Z");
    auto r = run_kpi({"publish", "stdout", "--format", "influx"}, RunOptions{.input = input});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "first x=1i 0\nlast x=1i 9223372036854775806\n");
    for (int line = 1; line <= 4; ++line) {
        EXPECT_TRUE(contains(r.err, "stdin:" + std::to_string(line) + ": \"time\"")) << r.err;
    }
    EXPECT_TRUE(contains(r.err, "\"9999-12-31T23:59:59Z\" is out of range: kpi takes times from "
                                "1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z"))
        << r.err;
}

TEST(LocalInput, AKeyGivenTwiceInAPointIsAnErrorOnThatLine) {
    const std::string input =
        R"({"measurement":"a","measurement":"b","fields":{"x":1}})" "\n"
        R"({"measurement":"m","tags":{"t":"1","t":"2"},"fields":{"x":1}})" "\n"
        R"({"measurement":"m","fields":{"x":1,"x":2}})" "\n"
        R"({"measurement":"m","fields":{"x":1},"fields":{"y":2}})" "\n" +
        point_line("ok");
    auto r = run_kpi({"publish", "stdout"}, RunOptions{.input = input});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto points = parse_ndjson(r.out);
    ASSERT_EQ(points.size(), 1u) << r.out;
    EXPECT_EQ(points[0].measurement, "ok");
    EXPECT_TRUE(contains(r.err, "stdin:1: duplicate key \"measurement\"")) << r.err;
    EXPECT_TRUE(contains(r.err, "stdin:2: duplicate tag \"t\"")) << r.err;
    EXPECT_TRUE(contains(r.err, "stdin:3: duplicate field \"x\"")) << r.err;
    EXPECT_TRUE(contains(r.err, "stdin:4: duplicate key \"fields\"")) << r.err;
}

TEST(LocalInput, ASecretFileThatIsNoSecretIsAClearErrorNotReadWhole) {
    auto r = run_kpi({"collect", "uptimerobot", "--url", "http://127.0.0.1:9", "--api-key-file", "/dev/zero"},
                     RunOptions{.timeout_seconds = 30});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "secret file /dev/zero is larger than 16384 bytes")) << r.err;
    EXPECT_LT(r.max_rss_bytes, 256LL * 1024 * 1024) << "peak RSS " << r.max_rss_bytes << " bytes";
}
