// Typed plugin settings (lib/plugin/settings.hpp): declarations drive the specs, values
// fill the struct, and bad values are errors that say where they came from.

#include <gtest/gtest.h>

#include <cstdlib>

#include "plugin/settings.hpp"

using namespace kpi;

namespace {

struct Port {
    int number = 0;
};

struct ExampleSettings {
    std::string url;
    std::optional<std::string> user;
    bool verbose = false;
    std::int64_t limit = 0;
    std::optional<double> threshold;
    std::optional<Duration> window;
    std::vector<std::string> tables;
    KeyValues grouping;
    SecretRef token;
    Port port;
};

Port parse_port(const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 5 ||
        std::stoi(text) > 65535) {
        throw SettingError("\"" + text + "\" is not a port (1 to 65535)");
    }
    return Port{std::stoi(text)};
}

const SettingsSchema<ExampleSettings>& schema() {
    static const auto s =
        SettingsSchema<ExampleSettings>{}
            .add(&ExampleSettings::url, {.name = "url", .default_value = "https://example.org"})
            .add(&ExampleSettings::user, {.name = "user"})
            .add(&ExampleSettings::verbose, {.name = "verbose"})
            .add(&ExampleSettings::limit, {.name = "limit", .default_value = "50"})
            .add(&ExampleSettings::threshold, {.name = "threshold"})
            .add(&ExampleSettings::window, {.name = "window"})
            .add(&ExampleSettings::tables, {.name = "table", .default_value = "incident,sc_req_item"})
            .add(&ExampleSettings::grouping, {.name = "grouping"})
            .add(&ExampleSettings::token, {.name = "token"})
            .add(&ExampleSettings::port, {.name = "port", .default_value = "2003"}, parse_port)
            .check([](const ExampleSettings& s) {
                if (s.user && !s.token) throw SettingError("--user needs --token-env or --token-file");
            });
    return s;
}

OptionValues values(std::initializer_list<std::pair<std::string, std::string>> given) {
    OptionValues v;
    for (const auto& [name, text] : given) v.add(name, text, "kpi.toml:7: " + config_key(name));
    return v;
}

const OptionSpec& spec(const std::string& name) {
    for (const auto& s : schema().specs()) {
        if (s.name == name) return s;
    }
    throw std::runtime_error("no spec " + name);
}

}  // namespace

TEST(Settings, KindsAndRepeatabilityFollowTheMembersTypes) {
    EXPECT_EQ(spec("url").kind, OptionKind::String);
    EXPECT_EQ(spec("verbose").kind, OptionKind::Flag);
    EXPECT_EQ(spec("limit").kind, OptionKind::Integer);
    EXPECT_EQ(spec("threshold").kind, OptionKind::Number);
    EXPECT_EQ(spec("window").kind, OptionKind::Duration);
    EXPECT_EQ(spec("grouping").kind, OptionKind::KeyValue);
    EXPECT_EQ(spec("token").kind, OptionKind::Secret);
    EXPECT_TRUE(spec("table").repeatable);
    EXPECT_TRUE(spec("grouping").repeatable);
    EXPECT_FALSE(spec("url").repeatable);
    EXPECT_FALSE(spec("port").repeatable);
}

TEST(Settings, DefaultsComeFromTheDeclarationAlone) {
    const auto s = schema().bind(values({}), "kpi.toml:5: source x");
    EXPECT_EQ(s.url, "https://example.org");
    EXPECT_EQ(s.limit, 50);
    EXPECT_EQ(s.tables, (std::vector<std::string>{"incident", "sc_req_item"}));
    EXPECT_EQ(s.port.number, 2003);
    EXPECT_FALSE(s.user);
    EXPECT_FALSE(s.threshold);
    EXPECT_FALSE(s.window);
    EXPECT_FALSE(s.verbose);
    EXPECT_FALSE(s.token);
    EXPECT_TRUE(s.grouping.empty());
}

TEST(Settings, GivenValuesFillTheirMembers) {
    const auto s = schema().bind(values({{"url", "http://127.0.0.1:1"},
                                         {"verbose", "true"},
                                         {"limit", "7"},
                                         {"threshold", "0.5"},
                                         {"window", "1d"},
                                         {"table", "problem"},
                                         {"grouping", "instance=a"},
                                         {"grouping", "job=b"},
                                         {"port", "2004"}}),
                                 "kpi.toml:5: source x");
    EXPECT_EQ(s.url, "http://127.0.0.1:1");
    EXPECT_TRUE(s.verbose);
    EXPECT_EQ(s.limit, 7);
    EXPECT_EQ(*s.threshold, 0.5);
    EXPECT_EQ(*s.window, std::chrono::hours(24));
    EXPECT_EQ(s.tables, (std::vector<std::string>{"problem"}));
    EXPECT_EQ(s.grouping, (KeyValues{{"instance", "a"}, {"job", "b"}}));
    EXPECT_EQ(s.port.number, 2004);
}

TEST(Settings, APluginsParserErrorNamesWhereTheValueCameFrom) {
    try {
        schema().bind(values({{"port", "http"}}), "kpi.toml:5: sink g");
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "kpi.toml:7: port: \"http\" is not a port (1 to 65535)");
    }
}

TEST(Settings, ABuiltInKindsErrorNamesWhereTheValueCameFrom) {
    try {
        schema().bind(values({{"limit", "many"}}), "kpi.toml:5: source x");
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "kpi.toml:7: limit: \"many\" is not an integer");
    }
}

TEST(Settings, AFailedCheckNamesTheEntry) {
    try {
        schema().bind(values({{"user", "kpi"}}), "kpi.toml:5: source x");
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "kpi.toml:5: source x: --user needs --token-env or --token-file");
    }
}

TEST(Settings, ASecretIsReadOnlyWhenThePluginAsksForIt) {
    ::unsetenv("KPI_SETTINGS_TEST_TOKEN");
    // Binding never reads the variable: config check and --help work without it.
    const auto s = schema().bind(values({{"token-env", "KPI_SETTINGS_TEST_TOKEN"}}), "kpi.toml:5: source x");
    ASSERT_TRUE(s.token);
    EXPECT_EQ(*s.token.source(), "env KPI_SETTINGS_TEST_TOKEN");
    EXPECT_THROW(s.token.read(), RuntimeError);
    ::setenv("KPI_SETTINGS_TEST_TOKEN", "s3cr3t-value", 1);
    EXPECT_EQ(*s.token.read(), "s3cr3t-value");
    ::unsetenv("KPI_SETTINGS_TEST_TOKEN");
}
