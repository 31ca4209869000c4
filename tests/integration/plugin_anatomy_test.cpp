// Every source and sink in the registry has the anatomy README.md's development section
// promises: its folder lib/sources/<type>/ or lib/sinks/<type>/ with a README.md that
// documents every option, a sample.toml that `kpi config check` accepts, testdata/ with
// the provenance of its fixtures, and tests/; and the main README links to it.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "registry.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

struct Plugin {
    std::string kind;  // "sources" or "sinks"
    std::string type;
    std::vector<OptionSpec> options;
};

std::vector<Plugin> registered_plugins() {
    std::vector<Plugin> plugins;
    for (const auto& info : source_registry()) plugins.push_back({"sources", info.type, source_option_specs(info)});
    for (const auto& info : sink_registry()) plugins.push_back({"sinks", info.type, info.options});
    return plugins;
}

std::string folder_of(const Plugin& plugin) {
    return std::string(KPI_SOURCE_DIR) + "/lib/" + plugin.kind + "/" + plugin.type;
}

bool has_test_file(const std::string& folder) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder + "/tests", error)) {
        if (entry.path().filename().string().ends_with("_test.cpp")) return true;
    }
    return false;
}

}  // namespace

TEST(PluginAnatomy, EveryPluginHasItsFolderReadmeSampleTestdataAndTests) {
    for (const auto& plugin : registered_plugins()) {
        const std::string folder = folder_of(plugin);
        SCOPED_TRACE(folder);
        EXPECT_TRUE(std::filesystem::is_regular_file(folder + "/README.md"));
        EXPECT_TRUE(std::filesystem::is_regular_file(folder + "/sample.toml"));
        EXPECT_TRUE(std::filesystem::is_regular_file(folder + "/testdata/README.md"))
            << "testdata/README.md says where each fixture came from";
        EXPECT_TRUE(has_test_file(folder)) << "no tests/*_test.cpp";
    }
}

TEST(PluginAnatomy, EveryReadmeDocumentsEveryOptionOfItsPlugin) {
    for (const auto& plugin : registered_plugins()) {
        const std::string readme = read_file(folder_of(plugin) + "/README.md");
        SCOPED_TRACE(plugin.kind + "/" + plugin.type);
        ASSERT_FALSE(readme.empty());
        for (const auto& option : plugin.options) {
            // A secret is documented by the forms a user writes.
            const std::string written = option.kind == OptionKind::Secret ? option.name + "-env" : option.name;
            EXPECT_NE(readme.find("--" + written), std::string::npos) << "--" << written;
            EXPECT_NE(readme.find(config_key(written)), std::string::npos) << config_key(written);
        }
    }
}

TEST(PluginAnatomy, EverySampleConfigPassesConfigCheck) {
    for (const auto& plugin : registered_plugins()) {
        const std::string sample = folder_of(plugin) + "/sample.toml";
        SCOPED_TRACE(sample);
        // Samples name their secrets by variable; config check must not need them set.
        auto r = run_kpi({"config", "check", "--config", sample});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("type = '" + plugin.type + "'"), std::string::npos) << r.out;
    }
}

TEST(PluginAnatomy, TheMainReadmeLinksEveryPluginReadme) {
    const std::string readme = read_file(std::string(KPI_SOURCE_DIR) + "/README.md");
    for (const auto& plugin : registered_plugins()) {
        const std::string link = "lib/" + plugin.kind + "/" + plugin.type + "/README.md";
        EXPECT_NE(readme.find("(" + link + ")"), std::string::npos) << link;
    }
}

// A plugin receives its settings filled (lib/plugin/settings.hpp): its code never holds the
// raw option values, so it cannot look an option up by name and miss a typo or a default.
TEST(PluginAnatomy, NoPluginLooksAnOptionUpByName) {
    for (const auto& plugin : registered_plugins()) {
        for (const auto& entry : std::filesystem::directory_iterator(folder_of(plugin))) {
            const std::string name = entry.path().filename().string();
            if (!entry.is_regular_file() || !(name.ends_with(".cpp") || name.ends_with(".hpp"))) continue;
            const std::string code = read_file(entry.path().string());
            SCOPED_TRACE(entry.path().string());
            for (const char* raw : {"OptionValues", ".options.get", ".options.raw", ".options.has", ".options.flag",
                                    ".options.secret", "options()."}) {
                EXPECT_EQ(code.find(raw), std::string::npos) << raw;
            }
        }
    }
}
