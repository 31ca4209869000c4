// run-all's live progress line: on a terminal by default (a real pty, through script(1)),
// never in logs that go to a pipe or file, and --progress / --no-progress override.

#include <gtest/gtest.h>

#include "support/fake_server.hpp"
#include "support/programs.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;

namespace {

struct TwoSources {
    FakeServer server;
    TempDir dir;
    std::string config;

    TwoSources() {
        server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"hits":{"total":7}})", "application/json");
        });
        server.get("/broken", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
        server.start();
        config = dir.write("kpi.toml", "[[sources]]\ntype = \"records\"\nname = \"good\"\nurl = \"" +
                                           server.url("/api/records") +
                                           "\"\n\n[[sources]]\ntype = \"records\"\nname = \"bad\"\nurl = \"" +
                                           server.url("/broken") + "\"\n\n[[sinks]]\ntype = \"file\"\npath = \"" +
                                           dir.file("points.ndjson") + "\"\n");
    }
};

// Runs kpi with stdin, stdout and stderr on a pseudo-terminal; returns what it showed.
ProcessResult run_on_terminal(const std::string& arguments) {
    const std::string script = find_program("script");
    if (script.empty()) return ProcessResult{.err = "script(1) is not installed (Debian bsdutils)"};
    return run_process({script, "--quiet", "--return", "--command", std::string(KPI_BINARY) + " " + arguments,
                        "/dev/null"});
}

const std::string kFinal = "sources 2/2 done, 1 failed, 1 points, ";

}  // namespace

TEST(Progress, OnATerminalRunAllShowsOneLiveLine) {
    TwoSources s;
    auto r = run_on_terminal("run-all -c " + s.config);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // one source failed
    // Redrawn in place: carriage return and erase-line before each state.
    EXPECT_NE(r.out.find("\r\033[Ksources 0/2 done, 0 failed, 0 points, "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\r\033[K" + kFinal), std::string::npos) << r.out;
    // The failure's log line is written above the progress line, whole.
    EXPECT_NE(r.out.find("\r\033[Kkpi: error: source bad: GET"), std::string::npos) << r.out;
}

TEST(Progress, NoProgressOnATerminalLeavesOnlyLogs) {
    TwoSources s;
    auto r = run_on_terminal("run-all --no-progress -c " + s.config);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("source bad: GET"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(" done, "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\033[K"), std::string::npos) << r.out;
}

TEST(Progress, LogsToAPipeHaveNoProgressUnlessAsked) {
    TwoSources s;
    auto plain = run_kpi({"run-all", "-c", s.config});
    EXPECT_EQ(plain.exit_code, 1) << plain.err;
    EXPECT_NE(plain.err.find("source bad: GET"), std::string::npos) << plain.err;
    EXPECT_EQ(plain.err.find(" done, "), std::string::npos) << plain.err;

    auto forced = run_kpi({"run-all", "--progress", "-c", s.config});
    EXPECT_EQ(forced.exit_code, 1) << forced.err;
    EXPECT_NE(forced.err.find("\r\033[K" + kFinal), std::string::npos) << forced.err;
    EXPECT_EQ(forced.err.back(), '\n');

    auto both = run_kpi({"run-all", "--progress", "--no-progress", "-c", s.config});
    EXPECT_EQ(both.exit_code, 2) << both.err;
}
