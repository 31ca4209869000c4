// `kpi publish textfile`: the exposition written atomically for node_exporter.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/run_kpi.hpp"
#include "support/testdata.hpp"

using namespace kpi::test;
namespace fs = std::filesystem;

namespace {

ProcessResult publish(const std::vector<std::string>& args, const std::string& input, const TempDir& state) {
    std::vector<std::string> argv{"publish", "textfile"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_kpi(argv, RunOptions{.input = input, .env = {{"XDG_STATE_HOME", state.path()}}});
}

std::vector<std::string> entries(const std::string& directory) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

unsigned mode_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

const std::string kPoints =
    R"({"measurement":"uptime","tags":{"service":"zenodo","monitor":"Website"},"fields":{"uptime_ratio_1d":0.9996,"up":1,"status":"up"},"time":"2026-11-28T14:11:00Z"})"
    "\n"
    R"({"measurement":"uptime","tags":{"service":"zenodo","monitor":"Search"},"fields":{"uptime_ratio_1d":1.0,"up":true},"time":"2026-11-28T14:11:00Z"})"
    "\n";

const std::string kExposition =
    "# HELP uptime_ratio_1d Share of the last 1d the UptimeRobot monitor was up (0..1)\n"
    "# TYPE uptime_ratio_1d gauge\n"
    "uptime_ratio_1d{monitor=\"Website\",service=\"zenodo\"} 0.9996\n"
    "uptime_ratio_1d{monitor=\"Search\",service=\"zenodo\"} 1\n"
    "# HELP uptime_up Whether the UptimeRobot monitor is up (1) or down (0)\n"
    "# TYPE uptime_up gauge\n"
    "uptime_up{monitor=\"Website\",service=\"zenodo\"} 1\n"
    "uptime_up{monitor=\"Search\",service=\"zenodo\"} 1\n";

}  // namespace

TEST(TextfileSink, WritesTheExpositionReadableByTheExporter) {
    TempDir dir, state;
    const std::string path = dir.file("kpi.prom");
    auto r = publish({"--path", path}, kPoints, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(read_file(path), kExposition);
    EXPECT_EQ(mode_of(path), 0644u);
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"kpi.prom"});
    EXPECT_NE(r.err.find("string field \"status\" of \"uptime\" left out"), std::string::npos) << r.err;
}

TEST(TextfileSink, ReplacesTheFileAndKeepsItsMode) {
    TempDir dir, state;
    const std::string path = dir.write("kpi.prom", "# TYPE old_metric gauge\nold_metric 1\n");
    ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
    auto r = publish({"--path", path}, kPoints, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(path), kExposition);
    EXPECT_EQ(mode_of(path), 0640u);
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"kpi.prom"});
}

TEST(TextfileSink, AllBatchesOfARunEndUpInTheFile) {
    TempDir dir, state;
    const std::string path = dir.file("kpi.prom");
    // More points than one batch of `publish`, each batch adding to the same family.
    constexpr int kPointCount = 12000;
    std::string input,
        expected = "# HELP probe_value Field value of measurement probe (kpi has no description of it)\n"
                   "# TYPE probe_value gauge\n";
    for (int i = 0; i < kPointCount; ++i) {
        const std::string n = std::to_string(i);
        input += R"({"measurement":"probe","tags":{"n":")" + n + R"("},"fields":{"value":)" + n +
                 R"(},"time":"2026-11-28T14:11:00Z"})" + "\n";
        expected += "probe_value{n=\"" + n + "\"} " + n + "\n";
    }
    auto r = publish({"--path", path}, input, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(path), expected);
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"kpi.prom"});
}

TEST(TextfileSink, APathThatIsADirectoryFailsAndLeavesNoTemporaryFile) {
    TempDir dir, state;
    const std::string path = dir.file("kpi.prom");
    fs::create_directory(path);
    auto r = publish({"--path", path}, kPoints, state);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("cannot replace " + path + ": Is a directory"), std::string::npos) << r.err;
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"kpi.prom"});
    EXPECT_TRUE(fs::is_directory(path));
    EXPECT_TRUE(fs::is_empty(path));
}

TEST(TextfileSink, ADirectoryThatCannotBeWrittenFailsAndLeavesNoTemporaryFile) {
    TempDir dir, state;
    std::string directory = dir.file("readonly");
    fs::create_directory(directory);
    ASSERT_EQ(::chmod(directory.c_str(), 0555), 0);
    // root writes anywhere permissions say no; sysfs refuses new files to everyone.
    if (::access(directory.c_str(), W_OK) == 0) directory = "/sys";
    const std::string path = directory + "/kpi.prom";
    auto r = publish({"--path", path}, kPoints, state);
    ::chmod(dir.file("readonly").c_str(), 0755);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("cannot create a temporary file in " + directory), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(fs::is_empty(dir.file("readonly")));
}

TEST(TextfileSink, AMissingDirectoryFailsNamingIt) {
    TempDir dir, state;
    const std::string path = dir.file("missing/kpi.prom");
    auto r = publish({"--path", path}, kPoints, state);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(dir.file("missing") + ": No such file or directory"), std::string::npos) << r.err;
}

TEST(TextfileSink, PathIsRequired) {
    TempDir state;
    auto r = publish({}, kPoints, state);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--path"), std::string::npos) << r.err;
}

TEST(TextfileSink, NoNumericValueLeavesTheFileAlone) {
    TempDir dir, state;
    const std::string path = dir.write("kpi.prom", "# TYPE old_metric gauge\nold_metric 1\n");
    auto r = publish({"--path", path},
                     R"({"measurement":"json","fields":{"state":"green"},"time":"2026-11-28T14:11:00Z"})", state);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(path), "# TYPE old_metric gauge\nold_metric 1\n");
}

// The samples of the Prometheus exposition format's own example, escaping included
// (testdata/README.md).
TEST(TextfileSink, WritesTheExpositionFormatsOwnExample) {
    TempDir dir, state;
    const std::string path = dir.file("examples.prom");
    auto r = publish({"--path", path}, testdata("sinks/textfile", "exposition_examples.ndjson"), state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(path), testdata("sinks/textfile", "exposition_examples.prom"));
}
