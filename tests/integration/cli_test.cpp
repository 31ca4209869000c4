#include <gtest/gtest.h>

#include "core/version.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;

TEST(Cli, VersionPrintsTheVersion) {
    auto r = run_kpi({"version"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, std::string("kpi ") + kpi::kVersion + "\n");
}
