// The test harness itself: a kpi that exits without reading its standard input must not
// take the test process down with it.

#include <gtest/gtest.h>

#include "support/run_kpi.hpp"

using namespace kpi::test;

TEST(RunKpi, AChildThatExitsWithoutReadingItsInputLeavesTheTestRunning) {
    // `kpi version` reads nothing: 8 MB cannot fit in the pipe, so writing meets a closed
    // pipe. Before, SIGPIPE killed the test process here.
    auto r = run_kpi({"version"}, RunOptions{.input = std::string(8u << 20, 'x')});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("kpi ", 0), 0u) << r.out;
}
