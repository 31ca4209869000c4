// The command line as a user meets it: help, exit codes, list, config check.

#include <gtest/gtest.h>

#include "core/version.hpp"
#include "registry.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;

TEST(Cli, VersionPrintsTheVersion) {
    auto r = run_kpi({"version"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, std::string("kpi ") + kpi::kVersion + "\n");
}

TEST(Cli, EveryHelpShowsAnExample) {
    std::vector<std::vector<std::string>> commands{{"--help"}, {"collect", "--help"}, {"publish", "--help"},
                                                   {"run-all", "--help"}, {"config", "check", "--help"},
                                                   {"list", "--help"}, {"replay", "--help"},
                                                   {"report", "--help"}};
    for (const auto& s : kpi::source_registry()) commands.push_back({"collect", s.type, "--help"});
    for (const auto& s : kpi::sink_registry()) commands.push_back({"publish", s.type, "--help"});
    for (const auto& args : commands) {
        auto r = run_kpi(args);
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        EXPECT_EQ(r.exit_code, 0) << joined << r.err;
        EXPECT_NE(r.out.find("Example:\n  kpi "), std::string::npos) << joined << "\n" << r.out;
    }
}

TEST(Cli, UsageErrorsExitTwoAndSendNothing) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"collect", "nosuchsource"},
             {"collect", "records", "--new-since", "soon"},
             {"collect", "records", "--bogus"},
             {"collect", "json", "--url", "http://127.0.0.1:9/"},  // --field is required
             {"publish", "influxdb"},                               // neither --database nor --org
             {"--timeout", "fast", "list"},
             {"run-all"},                                           // no config
         }) {
        auto r = run_kpi(args, RunOptions{.env = {{"KPI_CONFIG", ""}}});
        EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << "\n" << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_FALSE(r.err.empty());
    }
}

TEST(Cli, ListShowsEverySourceAndSinkOneLineEach) {
    auto text = run_kpi({"list"});
    auto json = run_kpi({"list", "--output", "json"});
    ASSERT_EQ(text.exit_code, 0);
    ASSERT_EQ(json.exit_code, 0);
    const auto expected = kpi::source_registry().size() + kpi::sink_registry().size();
    EXPECT_EQ(static_cast<std::size_t>(std::count(text.out.begin(), text.out.end(), '\n')), expected);
    EXPECT_EQ(static_cast<std::size_t>(std::count(json.out.begin(), json.out.end(), '\n')), expected);
    EXPECT_NE(json.out.find("{\"kind\":\"source\",\"name\":\"records\",\"summary\":"), std::string::npos) << json.out;
    EXPECT_NE(text.out.find("sink    influxdb"), std::string::npos) << text.out;
}

TEST(Cli, ConfigCheckPrintsResolvedConfigWithoutSecrets) {
    TempDir dir;
    auto config = dir.write("kpi.toml", R"(
[[sources]]
type = "records"
url = "https://user:pw-in-url@zenodo.org/api/records"
new_since = "1d"
tags = { service = "zenodo" }

[[sinks]]
type = "influxdb"
url = "http://influxdb:8086"
database = "kpi"
user = "kpi"
password_env = "KPI_TEST_INFLUX_PASSWORD"
)");
    auto r = run_kpi({"config", "check", "--config", config},
                     RunOptions{.env = {{"KPI_TEST_INFLUX_PASSWORD", "very-secret-pw"}}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("new_since = '1d'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("password_env = 'KPI_TEST_INFLUX_PASSWORD'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("timeout = '30s'"), std::string::npos) << "defaults are resolved:\n" << r.out;
    EXPECT_EQ(r.out.find("very-secret-pw"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("pw-in-url"), std::string::npos) << r.out;
}

TEST(Cli, ConfigErrorsNameFileLineAndKeyAndExitTwo) {
    TempDir dir;
    auto config = dir.write("bad.toml", "[[sources]]\ntype = \"records\"\n\n[[sources]]\ntype = \"records\"\nnew_sinse = \"1d\"\n");
    auto r = run_kpi({"config", "check", "-c", config});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(config + ":6: sources[1].new_sinse: unknown key"), std::string::npos) << r.err;
    auto run = run_kpi({"run-all", "-c", config});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.out, "");
}

TEST(Cli, ShippedExamplesAreValidWithoutTheirSecretFiles) {
    // The secret files under /run/secrets/ do not exist here: config check must not need them.
    for (const char* example : {"public.toml", "cern.toml"}) {
        auto r = run_kpi({"config", "check", "-c", std::string(KPI_SOURCE_DIR) + "/examples/" + example},
                         RunOptions{.env = {{"KPI_MATOMO_SITE_ZENODO", "1"},
                                            {"KPI_MATOMO_SITE_CDS_VIDEOS", "2"},
                                            {"KPI_MATOMO_SITE_OPENDATA", "3"}}});
        EXPECT_EQ(r.exit_code, 0) << example << ": " << r.err;
        EXPECT_NE(r.out.find("[[sources]]"), std::string::npos) << example;
    }
}

TEST(Cli, LogsAreJsonLinesOnStderrWhenAskedAndQuietKeepsOnlyErrors) {
    const std::string input = "{\"measurement\":\"m\",\"fields\":{\"x\":1}}\nnot json\n";
    auto json = run_kpi({"--log-format", "json", "publish", "stdout"}, RunOptions{.input = input});
    EXPECT_EQ(json.exit_code, 1);
    EXPECT_NE(json.err.find(R"("level":"error","message":"stdin:2: invalid JSON)"), std::string::npos) << json.err;
    EXPECT_EQ(json.err.rfind("{\"time\":\"", 0), 0u) << json.err;
    EXPECT_EQ(json.out.find("not json"), std::string::npos) << "stdout carries points only";

    auto quiet = run_kpi({"-q", "collect", "http", "--url", "http://127.0.0.1:" + std::to_string(1) + "/"});
    EXPECT_EQ(quiet.exit_code, 0);
    EXPECT_EQ(quiet.err, "") << "a down target is a warning, which -q hides";
}

TEST(Cli, SinkSecretFilesAreNotNeededToCheckTheConfig) {
    TempDir dir;
    auto config = dir.write("kpi.toml", "[[sinks]]\ntype = \"monit\"\nurl = \"http://monit:10012/\"\nproducer = \"p\"\n"
                                        "user = \"u\"\npassword_file = \"" + dir.file("absent") + "\"\n\n"
                                        "[[sinks]]\ntype = \"influxdb\"\ndatabase = \"kpi\"\nuser = \"u\"\n"
                                        "password_file = \"" + dir.file("absent") + "\"\n");
    auto r = run_kpi({"config", "check", "-c", config});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}
