// `kpi publish graphite` against a real carbon-cache (tests/services/carbon), read back with
// whisper-fetch, and against small TCP listeners for the bytes on the wire and for resets.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <future>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/text.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/services.hpp"
#include "support/testdata.hpp"

using namespace kpi::test;

namespace {

ProcessResult publish(const std::vector<std::string>& args, const std::string& input, const TempDir& state) {
    std::vector<std::string> argv{"publish", "graphite"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_kpi(argv, RunOptions{.input = input, .env = {{"XDG_STATE_HOME", state.path()}}});
}

struct Carbon {
    std::string address;       // where carbon-cache's plaintext listener is
    std::string whisper_path;  // helper: series name -> its whisper file
};

std::optional<Carbon> carbon() {
    Carbon c{service_env("KPI_TEST_CARBON_ADDRESS"), service_env("KPI_TEST_CARBON_WHISPER_PATH")};
    if (c.address.empty() || c.whisper_path.empty()) return std::nullopt;
    return c;
}

// The value carbon stored for `series` at `seconds`, waiting (bounded) for carbon to write
// it: carbon-cache writes its cache to disk on its own schedule.
std::optional<double> stored_value(const Carbon& carbon, const std::string& series, long long seconds) {
    const auto where = run_process({carbon.whisper_path, series});
    if (where.exit_code != 0) {
        ADD_FAILURE() << "whisper-path " << series << ": " << where.err;
        return std::nullopt;
    }
    const std::string file(kpi::trim(where.out));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    do {
        if (access(file.c_str(), R_OK) == 0) {
            auto fetched = run_process({"/usr/bin/whisper-fetch", "--from=" + std::to_string(seconds - 1),
                                        "--until=" + std::to_string(seconds), file});
            std::istringstream lines(fetched.out);
            long long at = 0;
            std::string value;
            while (lines >> at >> value) {
                if (at == seconds && value != "None") return std::stod(value);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } while (std::chrono::steady_clock::now() < deadline);
    return std::nullopt;
}

std::string rfc3339(long long seconds) {
    const std::time_t t = seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// A TCP listener on 127.0.0.1 for one connection: it reads everything until the client
// closes, then closes too, as carbon does (Read) or only when the test ends (Hold); or it
// resets the connection as soon as the first bytes arrive (Reset).
class OneConnectionListener {
public:
    enum class Behaviour { Read, Hold, Reset };

    explicit OneConnectionListener(Behaviour behaviour) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd_, 4) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error("listener: cannot bind");
        }
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this, behaviour] {
            const int client = ::accept(fd_, nullptr, nullptr);
            if (client < 0) return;
            if (behaviour == Behaviour::Reset) {
                char first;
                ::recv(client, &first, 1, 0);
                linger hard{1, 0};  // close with RST, not FIN
                ::setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            } else {
                char buffer[4096];
                for (ssize_t n; (n = ::recv(client, buffer, sizeof buffer, 0)) > 0;) received_.append(buffer, n);
                if (behaviour == Behaviour::Hold) released_.get_future().wait();
            }
            ::close(client);
        });
    }
    ~OneConnectionListener() {
        released_.set_value();
        ::shutdown(fd_, SHUT_RDWR);
        if (thread_.joinable()) thread_.join();
        ::close(fd_);
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    // What the client sent; call after the client is done.
    const std::string& received() {
        if (thread_.joinable()) thread_.join();
        return received_;
    }

private:
    int fd_ = -1;
    int port_ = 0;
    std::thread thread_;
    std::string received_;
    std::promise<void> released_;  // lets a Hold listener close
};

}  // namespace

TEST(GraphiteSink, CarbonStoresEachFieldAsATaggedSeries) {
    const auto carbon = ::carbon();
    if (!carbon) return;
    TempDir state;
    // Whole seconds a little in the past, inside the test schema's 1s:7d retention.
    const long long seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() -
        120;
    const std::string measurement = "uptime_" + std::to_string(::getpid());
    const std::string input = R"({"measurement":")" + measurement +
                              R"(","tags":{"service":"zenodo","monitor":"Files upload/download"},"fields":{"uptime_ratio_1d":0.9996,"up":1,"ok":false,"status":"up"},"time":")" +
                              rfc3339(seconds) + "\"}\n";
    auto r = publish({"--address", carbon->address}, input, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("string field \"status\""), std::string::npos) << r.err;

    const std::string tags = ";monitor=Files_upload/download;service=zenodo";
    EXPECT_EQ(stored_value(*carbon, "kpi." + measurement + ".uptime_ratio_1d" + tags, seconds), 0.9996);
    EXPECT_EQ(stored_value(*carbon, "kpi." + measurement + ".up" + tags, seconds), 1.0);
    EXPECT_EQ(stored_value(*carbon, "kpi." + measurement + ".ok" + tags, seconds), 0.0);
}

TEST(GraphiteSink, WithoutTagsAndPrefixTheSeriesIsAPlainPath) {
    const auto carbon = ::carbon();
    if (!carbon) return;
    TempDir state;
    const long long seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() -
        60;
    const std::string measurement = "records_" + std::to_string(::getpid());
    const std::string input =
        R"({"measurement":")" + measurement + R"(","fields":{"total":433830},"time":")" + rfc3339(seconds) + "\"}\n";
    auto r = publish({"--address", carbon->address, "--prefix", "kpi.test"}, input, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(stored_value(*carbon, "kpi.test." + measurement + ".total", seconds), 433830.0);
}

TEST(GraphiteSink, SendsOneLinePerFieldOverTcp) {
    OneConnectionListener listener(OneConnectionListener::Behaviour::Read);
    TempDir state;
    auto r = publish({"--address", listener.address()},
                     R"({"measurement":"uptime","tags":{"service":"zenodo","monitor":"Web site"},"fields":{"up":1,"ratio":0.5,"ok":true},"time":"2026-11-28T14:11:00Z"})"
                     "\n"
                     R"({"measurement":"records","fields":{"total":7},"time":"2026-11-28T14:11:00Z"})",
                     state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(listener.received(),
              "kpi.uptime.up;monitor=Web_site;service=zenodo 1 1795875060\n"
              "kpi.uptime.ratio;monitor=Web_site;service=zenodo 0.5 1795875060\n"
              "kpi.uptime.ok;monitor=Web_site;service=zenodo 1 1795875060\n"
              "kpi.records.total 7 1795875060\n");
}

// Graphite's own examples, written as its documentation writes them (testdata/README.md).
TEST(GraphiteSink, SendsTheLinesOfGraphitesDocumentation) {
    struct Example {
        std::string name;
        std::string prefix;
    };
    for (const Example& example : {Example{"diceroll", "local"}, Example{"disk_used", ""}}) {
        OneConnectionListener listener(OneConnectionListener::Behaviour::Read);
        TempDir state;
        auto r = publish({"--address", listener.address(), "--prefix", example.prefix},
                         testdata("sinks/graphite", example.name + ".ndjson"), state);
        ASSERT_EQ(r.exit_code, 0) << example.name << ": " << r.err;
        EXPECT_EQ(listener.received(), testdata("sinks/graphite", example.name + ".carbon")) << example.name;
    }
}

TEST(GraphiteSink, ConnectionRefusedFailsNamingTheAddress) {
    TempDir state;
    const std::string address = "127.0.0.1:" + std::to_string(unused_port());
    auto r = publish({"--address", address},
                     R"({"measurement":"records","fields":{"total":7},"time":"2026-11-28T14:11:00Z"})", state);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(address + ": cannot connect: Connection refused"), std::string::npos) << r.err;
}

TEST(GraphiteSink, AResetConnectionIsADeliveryFailure) {
    OneConnectionListener listener(OneConnectionListener::Behaviour::Reset);
    TempDir state;
    // Enough lines that some are still being sent, or unread, when the reset comes.
    std::string input;
    for (int i = 0; i < 2000; ++i) {
        input += R"({"measurement":"probe","tags":{"n":")" + std::to_string(i) +
                 R"("},"fields":{"value":1},"time":"2026-11-28T14:11:00Z"})" + "\n";
    }
    auto r = publish({"--address", listener.address()}, input, state);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(listener.address() + ": connection lost"), std::string::npos) << r.err;
}

TEST(GraphiteSink, AServerThatNeverClosesLeavesDeliveryUnconfirmed) {
    OneConnectionListener listener(OneConnectionListener::Behaviour::Hold);
    TempDir state;
    auto r = run_kpi({"--timeout", "1s", "publish", "graphite", "--address", listener.address()},
                     RunOptions{.input = R"({"measurement":"m","fields":{"v":1},"time":"2026-11-28T14:11:00Z"})",
                                .env = {{"XDG_STATE_HOME", state.path()}}});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(listener.address() + ": the server did not close the connection in time"), std::string::npos)
        << r.err;
}

TEST(GraphiteSink, AMalformedAddressIsAUsageError) {
    TempDir state;
    for (const std::string address : {"localhost", "localhost:", "localhost:http", "::1:2003", "host:70000"}) {
        auto r = publish({"--address", address}, "", state);
        EXPECT_EQ(r.exit_code, 2) << address << ": " << r.err;
        EXPECT_NE(r.err.find("is not HOST:PORT"), std::string::npos) << r.err;
    }
}
