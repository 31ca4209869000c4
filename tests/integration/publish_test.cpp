// `kpi publish stdout|file`: bad lines, formats, appending.

#include <gtest/gtest.h>

#include "support/run_kpi.hpp"

using namespace kpi::test;

TEST(Publish, BadLinesAreReportedWithLineNumbersAndGoodOnesDelivered) {
    const std::string input =
        "{\"measurement\":\"a\",\"fields\":{\"x\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n"
        "{\"measurement\":\"b\",\"fields\":\n"
        "{\"measurement\":\"c\",\"fields\":{\"x\":2},\"time\":\"2026-11-28T14:11:00Z\"}\n";
    auto r = run_kpi({"publish", "stdout"}, RunOptions{.input = input});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out,
              "{\"measurement\":\"a\",\"tags\":{},\"fields\":{\"x\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n"
              "{\"measurement\":\"c\",\"tags\":{},\"fields\":{\"x\":2},\"time\":\"2026-11-28T14:11:00Z\"}\n");
    EXPECT_NE(r.err.find("stdin:2: invalid JSON"), std::string::npos) << r.err;
}

TEST(Publish, InfluxFormatIsADryRun) {
    auto r = run_kpi({"publish", "stdout", "--format", "influx"},
                     RunOptions{.input = "{\"measurement\":\"records\",\"tags\":{\"service\":\"zenodo\"},"
                                         "\"fields\":{\"total\":5,\"ratio\":0.5},\"time\":\"2026-11-28T14:11:00Z\"}\n"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "records,service=zenodo total=5i,ratio=0.5 1795875060000000000\n");
}

TEST(Publish, FileSinkAppendsAndInputFileIsRead) {
    TempDir dir;
    auto input = dir.write("in.ndjson", "{\"measurement\":\"m\",\"fields\":{\"x\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n");
    auto out = dir.file("out.ndjson");
    ASSERT_EQ(run_kpi({"publish", "--input", input, "file", "--path", out}).exit_code, 0);
    ASSERT_EQ(run_kpi({"publish", "--input", input, "file", "--path", out}).exit_code, 0);
    const std::string line = "{\"measurement\":\"m\",\"tags\":{},\"fields\":{\"x\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n";
    EXPECT_EQ(read_file(out), line + line);
}

TEST(Publish, UnwritableFileIsAFailure) {
    TempDir dir;
    auto r = run_kpi({"publish", "file", "--path", dir.file("missing-dir/out.ndjson")},
                     RunOptions{.input = "{\"measurement\":\"m\",\"fields\":{\"x\":1}}\n"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}
