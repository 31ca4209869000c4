// libcurl is loaded when a command first needs HTTP (lib/http/curl_loader.hpp), not at
// start-up. A libcurl.so.4 that cannot be loaded, found first through LD_LIBRARY_PATH,
// shows both sides: commands without HTTP never touch it, and one that needs it says why
// it cannot run.

#include <gtest/gtest.h>

#include "support/run_kpi.hpp"

using namespace kpi::test;

namespace {

const std::string kPoint = "{\"measurement\":\"m\",\"tags\":{},\"fields\":{\"x\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n";

// A directory whose libcurl.so.4 is not a library: loading it fails ("file too short").
class BrokenLibcurl {
public:
    BrokenLibcurl() { dir_.write("libcurl.so.4", "not a shared library\n"); }
    RunOptions options(std::string input = "") const {
        return RunOptions{.input = std::move(input), .env = {{"LD_LIBRARY_PATH", dir_.path()}}};
    }
    const TempDir& dir() const { return dir_; }

private:
    TempDir dir_;
};

}  // namespace

TEST(LibcurlLoading, CommandsWithoutHttpRunWithoutLibcurl) {
    BrokenLibcurl curl;
    auto version = run_kpi({"version"}, curl.options());
    EXPECT_EQ(version.exit_code, 0) << version.err;
    EXPECT_EQ(version.out.rfind("kpi ", 0), 0u) << version.out;

    auto list = run_kpi({"list"}, curl.options());
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("sink    stdout"), std::string::npos) << list.out;

    auto to_stdout = run_kpi({"publish", "stdout"}, curl.options(kPoint));
    EXPECT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
    EXPECT_EQ(to_stdout.out, kPoint);

    const std::string path = curl.dir().file("out.ndjson");
    auto to_file = run_kpi({"publish", "file", "--path", path}, curl.options(kPoint));
    EXPECT_EQ(to_file.exit_code, 0) << to_file.err;
    EXPECT_EQ(read_file(path), kPoint);

    const std::string config = curl.dir().write(
        "kpi.toml", "[[sinks]]\ntype = \"stdout\"\n\n[[sinks]]\ntype = \"file\"\npath = \"" + path + "\"\n");
    auto check = run_kpi({"config", "check", "--config", config}, curl.options());
    EXPECT_EQ(check.exit_code, 0) << check.err;
}

TEST(LibcurlLoading, AnHttpCommandSaysLibcurlCannotBeLoaded) {
    BrokenLibcurl curl;
    auto r = run_kpi({"collect", "records", "--url", "http://127.0.0.1:9/api/records"}, curl.options());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("cannot load libcurl.so.4, which kpi needs for HTTP: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("apt-get install libcurl4"), std::string::npos) << r.err;
}

// config check builds every sink without delivering: the HTTP sinks' client (and so
// libcurl) is made only when they first send.
TEST(LibcurlLoading, ConfigCheckOfHttpSinksRunsWithoutLibcurl) {
    BrokenLibcurl curl;
    const std::string config = curl.dir().write(
        "kpi.toml",
        "[[sinks]]\ntype = \"influxdb\"\nurl = \"http://127.0.0.1:9\"\ndatabase = \"kpi\"\n\n"
        "[[sinks]]\ntype = \"pushgateway\"\nurl = \"http://127.0.0.1:9\"\n\n"
        "[[sinks]]\ntype = \"monit\"\nurl = \"http://127.0.0.1:9\"\nproducer = \"kpi\"\n");
    auto check = run_kpi({"config", "check", "--config", config}, curl.options());
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.out.find("type = 'influxdb'"), std::string::npos) << check.out;
    // ...and the same sink, asked to send, does need it.
    auto publish = run_kpi({"publish", "influxdb", "--url", "http://127.0.0.1:9", "--database", "kpi"},
                           curl.options(kPoint));
    EXPECT_EQ(publish.exit_code, 1) << publish.err;
    EXPECT_NE(publish.err.find("cannot load libcurl.so.4"), std::string::npos) << publish.err;
}
