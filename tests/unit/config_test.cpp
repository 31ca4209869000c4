#include <gtest/gtest.h>

#include <cstdlib>

#include "config/config.hpp"
#include "core/errors.hpp"

using namespace kpi;

namespace {
// The message of the UsageError that parsing `text` throws, or "" when it parses.
std::string config_error(const std::string& text) {
    try {
        parse_config(text, "kpi.toml");
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(Config, ReadsDesignExample) {
    setenv("KPI_TEST_DB", "kpi", 1);
    Config c = parse_config(R"(
[http]
timeout = "10s"
retries = 2
max_connections = 16
per_host = 2

[spool]
dir = "/tmp/spool"

[[sources]]
type = "records"
url = "https://zenodo.org/api/records"
new_since = "1d"
tags = { service = "zenodo" }

[[sources]]
type = "http"
name = "zenodo-web"
url = ["https://zenodo.org", "https://zenodo.org/search"]

[[sinks]]
type = "influxdb"
url = "http://influxdb:8086"
database = "${KPI_TEST_DB}"
)",
                            "kpi.toml");
    EXPECT_EQ(c.http.timeout, std::chrono::seconds(10));
    EXPECT_EQ(c.http.retries, 2);
    EXPECT_EQ(c.http.max_connections, 16);
    EXPECT_EQ(c.http.per_host, 2);
    EXPECT_EQ(c.spool.dir, "/tmp/spool");
    ASSERT_EQ(c.sources.size(), 2u);
    EXPECT_EQ(c.sources[0].name, "records");
    EXPECT_EQ(*c.sources[0].options.duration("new-since"), std::chrono::hours(24));
    EXPECT_EQ(c.sources[0].options.key_values("tag")[0], std::make_pair(std::string("service"), std::string("zenodo")));
    EXPECT_EQ(c.sources[1].options.get_all("url").size(), 2u);
    ASSERT_EQ(c.sinks.size(), 1u);
    EXPECT_EQ(*c.sinks[0].options.get("database"), "kpi");
}

TEST(Config, UnknownKeyNamesFileLineAndKey) {
    auto e = config_error("[[sources]]\ntype = \"records\"\nnew_sinse = \"1d\"\n");
    EXPECT_NE(e.find("kpi.toml:3: sources[0].new_sinse: unknown key"), std::string::npos) << e;
    EXPECT_NE(e.find("new_since"), std::string::npos) << "lists the known keys: " << e;
}

TEST(Config, WrongTypeNamesFileLineAndKey) {
    auto e = config_error("[http]\nretries = \"three\"\n");
    EXPECT_NE(e.find("kpi.toml:2: http.retries: must be an integer"), std::string::npos) << e;
    e = config_error("[[sources]]\ntype = \"records\"\nall_versions = \"yes\"\n");
    EXPECT_NE(e.find("kpi.toml:3: sources[0].all_versions: must be true or false"), std::string::npos) << e;
    e = config_error("[[sources]]\ntype = \"records\"\nnew_since = \"tomorrow\"\n");
    EXPECT_NE(e.find("kpi.toml:3: sources[0].new_since"), std::string::npos) << e;
    EXPECT_NE(e.find("not a duration"), std::string::npos) << e;
    e = config_error("[[sources]]\ntype = \"records\"\nurl = [\"a\", \"b\"]\n");
    EXPECT_NE(e.find("takes one value"), std::string::npos) << e;
}

TEST(Config, DuplicateNamesAreErrors) {
    auto e = config_error("[[sources]]\ntype = \"records\"\n\n[[sources]]\ntype = \"records\"\n");
    EXPECT_NE(e.find("kpi.toml:4: sources[1].name: duplicate name \"records\""), std::string::npos) << e;
}

TEST(Config, UnsetVariableIsAnErrorNamingIt) {
    unsetenv("KPI_TEST_UNSET");
    auto e = config_error("[[sources]]\ntype = \"records\"\nurl = \"https://${KPI_TEST_UNSET}/api\"\n");
    EXPECT_NE(e.find("kpi.toml:3: sources[0].url: environment variable KPI_TEST_UNSET is not set"), std::string::npos)
        << e;
}

TEST(Config, UnknownTypeAndMissingTypeAreErrors) {
    EXPECT_NE(config_error("[[sources]]\ntype = \"nope\"\n").find("unknown source type \"nope\""), std::string::npos);
    EXPECT_NE(config_error("[[sinks]]\ntype = \"nope\"\n").find("unknown sink type \"nope\""), std::string::npos);
    EXPECT_NE(config_error("[[sources]]\nurl = \"x\"\n").find("sources[0].type: missing"), std::string::npos);
    EXPECT_NE(config_error("bogus = 1\n").find("kpi.toml:1: bogus: unknown key"), std::string::npos);
}

TEST(Config, TomlSyntaxErrorsNameTheLine) {
    auto e = config_error("[http]\ntimeout = \n");
    EXPECT_NE(e.find("kpi.toml:2:"), std::string::npos) << e;
}

TEST(Config, RenderedConfigShowsWhereSecretsComeFromNeverTheirValue) {
    setenv("KPI_TEST_PW", "hunter2-secret", 1);
    Config c = parse_config(R"(
[[sinks]]
type = "influxdb"
database = "kpi"
user = "writer"
password_env = "KPI_TEST_PW"
)",
                            "kpi.toml");
    const std::string text = render_config(c);
    EXPECT_NE(text.find("password_env = 'KPI_TEST_PW'"), std::string::npos) << text;
    EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
    // The rendered config is itself a valid config.
    EXPECT_NO_THROW(parse_config(text, "rendered.toml")) << text;
}

TEST(Config, AMissingRequiredKeyNamesFileLineAndEntry) {
    auto e = config_error("[http]\nretries = 1\n\n[[sinks]]\ntype = \"file\"\nname = \"archive\"\n");
    EXPECT_EQ(e, "kpi.toml:4: sinks[0] (type \"file\"): missing required key path");
    e = config_error("[[sources]]\ntype = \"records\"\n\n[[sources]]\ntype = \"uptimerobot\"\n");
    EXPECT_EQ(e, "kpi.toml:4: sources[1] (type \"uptimerobot\"): missing required key api_key_env or api_key_file");
}

TEST(Config, RenderedUrlsHideCredentialQueryValues) {
    setenv("KPI_TEST_URL_TOKEN", "tok-0123456789abcdef", 1);
    Config c = parse_config(R"(
[[sources]]
type = "json"
url = "https://user:pw@stats.example.org/api?q=open&token=${KPI_TEST_URL_TOKEN}&ApiKey=k3y-value&AUTH_code=c0de#top"
field = ["total=/total"]
)",
                            "kpi.toml");
    const std::string text = render_config(c);
    EXPECT_NE(text.find("url = 'https://stats.example.org/api?q=open&token=***&ApiKey=***&AUTH_code=***#top'"),
              std::string::npos)
        << text;
    for (const char* secret : {"tok-0123456789abcdef", "k3y-value", "c0de", "pw@"}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
    }
}
