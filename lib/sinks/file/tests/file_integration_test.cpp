// `kpi publish file`: a reader of the file never finds half a point, whatever happened to
// the writer before (killed mid-write, a write cut short).

#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

#include "core/ndjson.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

std::string points_ndjson(int first, int count) {
    std::string text;
    for (int i = first; i < first + count; ++i) {
        text += R"({"measurement":"m","tags":{},"fields":{"seq":)" + std::to_string(i) +
                R"(,"pad":"..................................................."},"time":"2026-11-28T14:11:00Z"})" "\n";
    }
    return text;
}

// Every line of `text` is a whole point: the count of good ones, and no bad one.
std::size_t whole_points(const std::string& text) {
    std::vector<LineError> errors;
    auto points = parse_ndjson(text, &errors);
    EXPECT_TRUE(errors.empty()) << "line " << errors[0].line << ": " << errors[0].reason;
    EXPECT_TRUE(text.empty() || text.back() == '\n') << "the file ends in a partial line";
    return points.size();
}

}  // namespace

TEST(FileSink, UnfinishedLastLineOfAKilledWriterIsRemovedBeforeTheNextAppend) {
    TempDir dir;
    const std::string before = points_ndjson(0, 2);
    const std::string torn = points_ndjson(2, 1).substr(0, 40);  // a writer died here
    const auto out = dir.write("out.ndjson", before + torn);

    auto r = run_kpi({"publish", "file", "--path", out}, RunOptions{.input = points_ndjson(3, 2)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(out), before + points_ndjson(3, 2));
    EXPECT_NE(r.err.find("removed an unfinished last line of 40 bytes"), std::string::npos) << r.err;
    EXPECT_EQ(whole_points(read_file(out)), 4u);
}

TEST(FileSink, AWriteCutShortLeavesNothingOfTheBatchAndTheRetryWritesItOnce) {
    TempDir dir;
    const std::string spool = dir.file("spool");
    const std::string before = points_ndjson(0, 30);  // about 3.5 KB
    const auto out = dir.write("out.ndjson", before);
    const std::string batch = points_ndjson(30, 50);  // about 6 KB: the file would pass 8 KiB

    // A file size limit of 8 KiB (bash counts in KiB) cuts the append short; the spool
    // record of the batch, a file of its own, still fits.
    auto r = run_process({"/bin/bash", "-c", "ulimit -f 8 && exec \"$@\"", "kpi",
                          kpi_binary(), "--spool-dir", spool, "publish", "file", "--path", out},
                         RunOptions{.input = batch});
    EXPECT_EQ(r.signal, 0) << "a file size limit is an error, not a kill";
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("nothing of the batch is left in the file"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(out), before);

    const auto config = dir.write("kpi.toml", "[spool]\ndir = \"" + spool + "\"\n\n[[sinks]]\ntype = \"file\"\npath = \"" +
                                                  out + "\"\n");
    auto replay = run_kpi({"replay", "--config", config});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    EXPECT_EQ(read_file(out), before + batch) << "each point once, in order";
}

// DESIGN §3's example point, as input and as the rules of §3 write it out (tags sorted,
// whole seconds in UTC): testdata/README.md.
TEST(FileSink, AppendsPointsAsDesignSection3WritesThem) {
    TempDir dir;
    const std::string out = dir.file("points.ndjson");
    auto r = run_kpi({"publish", "file", "--path", out},
                     RunOptions{.input = testdata("sinks/file", "design_points.ndjson")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(out), testdata("sinks/file", "design_points.expected.ndjson"));
}
