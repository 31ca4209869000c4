// `kpi publish pushgateway` against a real Prometheus Pushgateway (tests/services/pushgateway)
// and, for what a real one cannot be made to do, against a fake upstream.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/services.hpp"
#include "support/testdata.hpp"

using namespace kpi::test;

namespace {

// A job of its own per test, so tests sharing the one Pushgateway never see each other's groups.
std::string unique_job(const std::string& name) { return "kpi_test_" + std::to_string(::getpid()) + "_" + name; }

ProcessResult publish(const std::vector<std::string>& args, const std::string& input, const TempDir& state) {
    std::vector<std::string> argv{"publish", "pushgateway"};
    argv.insert(argv.end(), args.begin(), args.end());
    // Undelivered points are spooled; a spool of its own keeps one test's failures from another.
    return run_kpi(argv, RunOptions{.input = input, .env = {{"XDG_STATE_HOME", state.path()}}});
}

// The Pushgateway's own /metrics: every pushed sample, with its grouping labels.
std::string scrape(const std::string& base_url) {
    httplib::Client client(base_url);
    auto response = client.Get("/metrics");
    if (!response) return "scrape failed: " + httplib::to_string(response.error());
    return response->body;
}

// The samples of the scrape that belong to `job`.
std::vector<std::string> samples_of(const std::string& scrape_text, const std::string& job) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < scrape_text.size()) {
        auto end = scrape_text.find('\n', start);
        if (end == std::string::npos) end = scrape_text.size();
        std::string line = scrape_text.substr(start, end - start);
        // push_time_seconds and push_failure_time_seconds are the Pushgateway's own.
        if (!line.starts_with("#") && !line.starts_with("push_") &&
            line.find("job=\"" + job + "\"") != std::string::npos) {
            lines.push_back(line);
        }
        start = end + 1;
    }
    return lines;
}

// What the fake upstream was sent: the method and body of each request, in order.
class Received {
public:
    void add(const httplib::Request& request) {
        std::lock_guard lock(mutex_);
        requests_.emplace_back(request.method, request.body);
    }
    std::vector<std::pair<std::string, std::string>> all() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> requests_;
};

const std::string kPoints =
    R"({"measurement":"uptime","tags":{"service":"zenodo","monitor":"Website"},"fields":{"uptime_ratio_1d":0.9996,"up":1,"ok":true,"status":"up"},"time":"2026-11-28T14:11:00Z"})"
    "\n"
    R"({"measurement":"uptime","tags":{"service":"zenodo","monitor":"Files \"upload\\download\""},"fields":{"uptime_ratio_1d":0.5,"up":0,"ok":false},"time":"2026-11-28T14:11:00Z"})"
    "\n"
    R"({"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":433830},"time":"2026-11-28T14:11:00Z"})"
    "\n";

}  // namespace

TEST(PushgatewaySink, PushedGaugesCanBeScrapedWithTheirLabels) {
    const std::string gateway = service_env("KPI_TEST_PUSHGATEWAY_URL");
    if (gateway.empty()) return;
    TempDir state;
    const std::string job = unique_job("labels");
    auto r = publish({"--url", gateway, "--job", job, "--grouping", "env=prod"}, kPoints, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("string field \"status\" of \"uptime\" left out"), std::string::npos) << r.err;

    const auto samples = samples_of(scrape(gateway), job);
    const std::string common = "env=\"prod\",instance=\"\",job=\"" + job + "\"";
    const std::string files = "monitor=\"Files \\\"upload\\\\download\\\"\"";
    const std::vector<std::string> expected{
        "records{" + common + ",service=\"zenodo\"} 433830",
        "uptime_ok{" + common + "," + files + ",service=\"zenodo\"} 0",
        "uptime_ok{" + common + ",monitor=\"Website\",service=\"zenodo\"} 1",
        "uptime_ratio_1d{" + common + "," + files + ",service=\"zenodo\"} 0.5",
        "uptime_ratio_1d{" + common + ",monitor=\"Website\",service=\"zenodo\"} 0.9996",
        "uptime_up{" + common + "," + files + ",service=\"zenodo\"} 0",
        "uptime_up{" + common + ",monitor=\"Website\",service=\"zenodo\"} 1",
    };
    EXPECT_EQ(samples, expected);
}

TEST(PushgatewaySink, GroupingValuesWithSlashesOrEmptyArriveIntact) {
    const std::string gateway = service_env("KPI_TEST_PUSHGATEWAY_URL");
    if (gateway.empty()) return;
    TempDir state;
    const std::string job = unique_job("grouping");
    auto r = publish({"--url", gateway, "--job", job, "--grouping", "path=/api/records",
                      "--grouping", "empty="},
                     R"({"measurement":"records","fields":{"total":7},"time":"2026-11-28T14:11:00Z"})", state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto samples = samples_of(scrape(gateway), job);
    ASSERT_EQ(samples.size(), 1u) << scrape(gateway);
    EXPECT_EQ(samples[0], "records{empty=\"\",instance=\"\",job=\"" + job + "\",path=\"/api/records\"} 7");
}

TEST(PushgatewaySink, EachRunReplacesTheGroup) {
    const std::string gateway = service_env("KPI_TEST_PUSHGATEWAY_URL");
    if (gateway.empty()) return;
    TempDir state;
    const std::string job = unique_job("replace");
    auto first = publish({"--url", gateway, "--job", job}, kPoints, state);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto second = publish({"--url", gateway, "--job", job},
                          R"({"measurement":"visits","fields":{"visits":12},"time":"2026-11-28T15:11:00Z"})", state);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(samples_of(scrape(gateway), job),
              std::vector<std::string>{"visits{instance=\"\",job=\"" + job + "\"} 12"});
}

TEST(PushgatewaySink, EveryBatchOfALongRunStaysInTheGroup) {
    const std::string gateway = service_env("KPI_TEST_PUSHGATEWAY_URL");
    if (gateway.empty()) return;
    TempDir state;
    const std::string job = unique_job("batches");
    // More points than one batch of `publish`: each batch pushes the same metric family.
    constexpr int kPointCount = 12000;
    std::string input;
    for (int i = 0; i < kPointCount; ++i) {
        input += R"({"measurement":"probe","tags":{"n":")" + std::to_string(i) +
                 R"("},"fields":{"value":)" + std::to_string(i) + R"(},"time":"2026-11-28T14:11:00Z"})" + "\n";
    }
    auto r = publish({"--url", gateway, "--job", job}, input, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto samples = samples_of(scrape(gateway), job);
    EXPECT_EQ(samples.size(), static_cast<std::size_t>(kPointCount));
    const std::string labels = "instance=\"\",job=\"" + job + "\",n=";
    for (int i : {0, 4999, 5000, 11999}) {
        const std::string line = "probe_value{" + labels + "\"" + std::to_string(i) + "\"} " + std::to_string(i);
        EXPECT_NE(std::find(samples.begin(), samples.end(), line), samples.end()) << line;
    }
}

TEST(PushgatewaySink, ARefusedPushIsAnErrorWithTheServersMessage) {
    const std::string gateway = service_env("KPI_TEST_PUSHGATEWAY_URL");
    if (gateway.empty()) return;
    TempDir state;
    const std::string other_job = unique_job("counter");
    const std::string family = "kpi_test_" + std::to_string(::getpid()) + "_conflict_value";
    // Another group already has this metric as a counter: a gauge of the same name is inconsistent.
    httplib::Client client(gateway);
    auto put = client.Put("/metrics/job/" + other_job, "# TYPE " + family + " counter\n" + family + " 1\n",
                          "text/plain");
    ASSERT_TRUE(put && put->status == 200) << (put ? put->body : httplib::to_string(put.error()));

    const std::string job = unique_job("conflict");
    auto r = publish({"--url", gateway, "--job", job},
                     R"({"measurement":"kpi_test_)" + std::to_string(::getpid()) +
                         R"(_conflict","fields":{"value":2},"time":"2026-11-28T14:11:00Z"})",
                     state);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("PUT " + std::string(gateway) + "/metrics/job/" + job), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("HTTP 400"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("inconsistent"), std::string::npos) << r.err;
}

TEST(PushgatewaySink, A413SplitsTheBatchBetweenFamiliesAndLaterHalvesAreAdded) {
    FakeServer server;
    // Takes one metric family per push at most.
    auto handler = [](const httplib::Request& req, httplib::Response& res) {
        std::size_t families = 0;
        for (std::size_t at = req.body.find("# TYPE"); at != std::string::npos; at = req.body.find("# TYPE", at + 1)) {
            ++families;
        }
        res.status = families > 1 ? 413 : 200;
    };
    Received received;
    auto recorded = [&](const httplib::Request& req, httplib::Response& res) {
        received.add(req);
        handler(req, res);
    };
    server.put("/metrics/job/kpi", recorded);
    server.post("/metrics/job/kpi", recorded);
    server.start();
    TempDir state;
    auto r = publish({"--url", server.url()}, kPoints, state);
    EXPECT_EQ(r.exit_code, 0) << r.err;

    std::vector<std::string> accepted;
    for (const auto& [method, body] : received.all()) {
        if (body.find("# TYPE") == body.rfind("# TYPE")) {
            const auto type = body.find("# TYPE");
            accepted.push_back(method + " " + body.substr(type, body.find('\n', type) - type));
        }
    }
    EXPECT_EQ(accepted, (std::vector<std::string>{
                            "PUT # TYPE uptime_ratio_1d gauge",
                            "POST # TYPE uptime_up gauge",
                            "POST # TYPE uptime_ok gauge",
                            "POST # TYPE records gauge",
                        }));
}

TEST(PushgatewaySink, RequestsGoToTheGroupPathAsPrometheusText) {
    FakeServer server;
    Received received;
    server.put(".*", [&](const httplib::Request& req, httplib::Response& res) {
        received.add(req);
        res.status = 200;
    });
    server.start();
    TempDir state;
    auto r = publish({"--url", server.url("/gateway/"), "--job", "daily harvest", "--grouping", "path=a/b",
                      "--grouping", "empty=", "--grouping", "dots=.."},
                     R"({"measurement":"records","fields":{"total":7},"time":"2026-11-28T14:11:00Z"})", state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "PUT");
    EXPECT_EQ(requests[0].target, "/gateway/metrics/job/daily%20harvest/path@base64/YS9i/empty@base64/=/dots@base64/Li4=");
    ASSERT_EQ(received.all().size(), 1u);
    EXPECT_EQ(received.all()[0].second,
              "# HELP records Records the search endpoint counts (hits.total)\n# TYPE records gauge\nrecords 7\n");
    auto content_type = requests[0].headers.find("Content-Type");
    ASSERT_NE(content_type, requests[0].headers.end());
    EXPECT_EQ(content_type->second, "text/plain; version=0.0.4; charset=utf-8");
}

TEST(PushgatewaySink, BadGroupingLabelsAreUsageErrors) {
    TempDir state;
    for (const std::string grouping : {"job=other", "1st=x", "__x=y", "novalue", "a=1"}) {
        std::vector<std::string> args{"--url", "http://127.0.0.1:1", "--grouping", grouping};
        if (grouping == "a=1") args.insert(args.end(), {"--grouping", "a=2"});
        auto r = publish(args, "", state);
        EXPECT_EQ(r.exit_code, 2) << grouping << ": " << r.err;
        EXPECT_NE(r.err.find(grouping == "a=1" ? "a" : grouping), std::string::npos) << r.err;
    }
}

TEST(PushgatewaySink, AnUnreachableGatewayFailsNamingTheUrl) {
    TempDir state;
    const std::string url = "http://127.0.0.1:" + std::to_string(unused_port());
    auto r = publish({"--url", url}, kPoints, state);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(url + "/metrics/job/kpi"), std::string::npos) << r.err;
}

// The Pushgateway README's own example: `echo 'some_metric{foo="bar"} 3.14' | curl --data-binary @-
// .../metrics/job/directory_cleaner/path@base64/$(echo -n '/var/tmp' | base64url)`.
TEST(PushgatewaySink, TheReadmesExampleArrivesAsTheReadmeWritesIt) {
    FakeServer server;
    Received received;
    server.put(".*", [&](const httplib::Request& req, httplib::Response& res) {
        received.add(req);
        res.status = 200;
    });
    server.start();
    TempDir state;
    auto r = publish({"--url", server.url(), "--job", "directory_cleaner", "--grouping", "path=/var/tmp"},
                     testdata("sinks/pushgateway", "some_metric.ndjson"), state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].target, "/metrics/job/directory_cleaner/path@base64/L3Zhci90bXA=");
    ASSERT_EQ(received.all().size(), 1u);
    EXPECT_EQ(received.all()[0].second, testdata("sinks/pushgateway", "some_metric.prom"));
}
