// The Prometheus exposition of every measurement kpi emits passes the real
// `promtool check metrics` (Debian `prometheus`) with nothing to report (DESIGN §5).

#include <gtest/gtest.h>

#include "core/ndjson.hpp"
#include "core/time.hpp"
#include "support/programs.hpp"
#include "support/run_kpi.hpp"
#include "support/sample_points.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

std::string sample_ndjson() {
    std::string text;
    for (const auto& p : sample_pass(parse_rfc3339("2026-11-28T14:11:00Z").value(), 3)) append_ndjson(text, p);
    return text;
}

// promtool's findings (it prints them on stdout or stderr), or "" when it has none.
std::string promtool_findings(const std::string& exposition) {
    const std::string promtool = find_program("promtool");
    if (promtool.empty()) return "promtool is not installed (Debian package prometheus; scripts/setup --test)";
    auto r = run_process({promtool, "check", "metrics"}, RunOptions{.input = exposition});
    std::string findings = r.out + r.err;
    if (r.exit_code != 0 && findings.empty()) findings = "promtool exited " + std::to_string(r.exit_code);
    return findings;
}

}  // namespace

TEST(Promtool, TheCheckItselfFindsWhatTheOldNamesGotWrong) {
    // The exposition kpi wrote before DESIGN §5's rule: no HELP, a gauge named like a counter.
    const std::string findings = promtool_findings("# TYPE records_total gauge\nrecords_total 433830\n");
    EXPECT_NE(findings.find("no help text"), std::string::npos) << findings;
    EXPECT_NE(findings.find("non-counter metrics should not have \"_total\" suffix"), std::string::npos) << findings;
}

TEST(Promtool, StdoutPrometheusFormatOfEveryMeasurementPasses) {
    auto r = run_kpi({"publish", "stdout", "--format", "prometheus"}, RunOptions{.input = sample_ndjson()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(promtool_findings(r.out), "") << r.out;

    // The names of DESIGN §5, with the declared descriptions as HELP.
    for (const char* line : {
             "# HELP records Records the search endpoint counts (hits.total)\n# TYPE records gauge\n",
             "# HELP uptime_ratio_30d Share of the last 30d the UptimeRobot monitor was up (0..1)\n",
             "# TYPE uptime_ratio_1d gauge\n",
             "# TYPE records_new gauge\n",
             "# TYPE visits gauge\n",
             "# TYPE visits_unique_visitors gauge\n",
             "# TYPE doi_resolutions_attempted gauge\n",
             "# TYPE kpi_run_success gauge\n",
             "# HELP zenodo_communities_communities Field communities of measurement zenodo_communities (kpi has no "
             "description of it)\n",
         }) {
        EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
    }
    EXPECT_EQ(r.out.find("uptime_uptime"), std::string::npos);
    EXPECT_EQ(r.out.find("visits_visits"), std::string::npos);
}

TEST(Promtool, TextfileOfEveryMeasurementPasses) {
    TempDir dir;
    const std::string path = dir.file("kpi.prom");
    auto r = run_kpi({"publish", "textfile", "--path", path}, RunOptions{.input = sample_ndjson()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string exposition = read_file(path);
    EXPECT_NE(exposition.find("# TYPE uptime_response_time_seconds gauge\n"), std::string::npos) << exposition;
    EXPECT_EQ(promtool_findings(exposition), "") << exposition;
}
