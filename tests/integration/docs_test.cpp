// The man page and completions are generated from the command-line declaration; these
// tests fail when the checked-in copies are stale or the completions stop working.

#include <gtest/gtest.h>

#include "registry.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;

TEST(Docs, ManPageAndCompletionsAreUpToDate) {
    auto r = run_process({KPI_DOCGEN, "--check", KPI_SOURCE_DIR});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Docs, ManPageDescribesEverySourceAndSink) {
    const std::string man = read_file(std::string(KPI_SOURCE_DIR) + "/man/kpi.1");
    for (const auto& s : kpi::source_registry()) EXPECT_NE(man.find(".SS " + s.type + "\n"), std::string::npos) << s.type;
    for (const auto& s : kpi::sink_registry()) EXPECT_NE(man.find(".SS " + s.type + "\n"), std::string::npos) << s.type;
}

namespace {
// Runs the bash completion for `words` (the last one is being completed).
std::string bash_complete(const std::string& words) {
    const std::string script = "source '" + std::string(KPI_SOURCE_DIR) + "/completions/kpi.bash'; COMP_WORDS=(" +
                               words + "); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _kpi; echo \"${COMPREPLY[*]}\"";
    return run_process({"/bin/bash", "-c", script}).out;
}
}  // namespace

TEST(Docs, BashCompletionFollowsTheCommandTree) {
    EXPECT_EQ(bash_complete("kpi col"), "collect\n");
    EXPECT_EQ(bash_complete("kpi collect rec"), "records\n");
    EXPECT_NE(bash_complete("kpi --config x.toml collect records --new").find("--new-since"), std::string::npos);
    EXPECT_EQ(bash_complete("kpi publish stdout --format ''"), "ndjson influx prometheus graphite monit\n");
    EXPECT_EQ(bash_complete("kpi run-all --sh"), "--shard --shards\n");
    EXPECT_EQ(bash_complete("kpi run-all --no-"), "--no-progress\n");
    EXPECT_EQ(bash_complete("kpi rep"), "replay report\n");
    EXPECT_EQ(bash_complete("kpi report --").rfind("--input --output --title ", 0), 0u);
}
