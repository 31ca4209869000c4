// `kpi collect uptimerobot` against a fake UptimeRobot (API v2 and v3) on 127.0.0.1.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/ndjson.hpp"
#include "core/time.hpp"
#include "http/client.hpp"
#include "support/fake_server.hpp"
#include "support/points_of.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"

using namespace kpi::test;

namespace {

// Characters that change under URL encoding, so that both forms can be looked for.
const std::string kKey = "u7654321-5ecr3t+k3y/=";

struct Monitor {
    long id;
    std::string name;
    int status = 2;
    std::string ratios = "99.871-99.950";
    std::string average = "\"412.337\"";
};

std::string v2_monitor_json(const Monitor& m) {
    return R"({"id":)" + std::to_string(m.id) + R"(,"friendly_name":")" + m.name +
           R"(","url":"https://repository.example.org","type":1,"interval":300,"status":)" +
           std::to_string(m.status) + R"(,"custom_uptime_ratio":")" + m.ratios +
           R"(","response_times":[{"datetime":1700000000,"value":400}],"average_response_time":)" + m.average + "}";
}

std::vector<Monitor> numbered_monitors(int count) {
    std::vector<Monitor> monitors;
    for (int i = 0; i < count; ++i) monitors.push_back({5000L + i, "Monitor " + std::to_string(i)});
    return monitors;
}

// A getMonitors that pages like the real one, and remembers every form it was sent.
class FakeV2 {
public:
    explicit FakeV2(std::vector<Monitor> monitors) : monitors_(std::move(monitors)) {
        server_.post("/v2/getMonitors", [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard lock(mutex_);
                forms_.push_back(req.params);
                bodies_.push_back(req.body);
            }
            if (intercept && intercept(req, res)) return;
            const long offset = req.has_param("offset") ? std::stol(req.get_param_value("offset")) : 0;
            const long limit = req.has_param("limit") ? std::stol(req.get_param_value("limit")) : 50;
            std::string body = R"({"stat":"ok","pagination":{"offset":)" + std::to_string(offset) +
                               R"(,"limit":)" + std::to_string(limit) + R"(,"total":)" +
                               std::to_string(monitors_.size()) + R"(},"monitors":[)";
            for (long i = offset; i < std::min<long>(offset + limit, static_cast<long>(monitors_.size())); ++i) {
                if (i != offset) body += ",";
                body += v2_monitor_json(monitors_[static_cast<std::size_t>(i)]);
            }
            res.set_content(body + "]}", "application/json");
        });
        server_.start();
    }

    std::string url() const { return server_.url(); }
    std::vector<RecordedRequest> requests() const { return server_.requests(); }
    int max_in_flight() const { return server_.max_in_flight(); }
    std::vector<std::multimap<std::string, std::string>> forms() const {
        std::lock_guard lock(mutex_);
        return forms_;
    }
    std::vector<std::string> bodies() const {
        std::lock_guard lock(mutex_);
        return bodies_;
    }

    // Returns true when it answered the request itself.
    std::function<bool(const httplib::Request&, httplib::Response&)> intercept;

private:
    std::vector<Monitor> monitors_;
    FakeServer server_;
    mutable std::mutex mutex_;
    std::vector<std::multimap<std::string, std::string>> forms_;
    std::vector<std::string> bodies_;
};

using kpi::test::Collected;

Collected collect(const std::vector<std::string>& extra, const RunOptions& options = {}) {
    return kpi::test::collect_source("uptimerobot", extra, options);
}

const kpi::Point* find_monitor(const std::vector<kpi::Point>& points, const std::string& name) {
    for (const auto& p : points) {
        if (const auto* tag = p.tag("monitor"); tag && *tag == name) return &p;
    }
    return nullptr;
}

double number(const kpi::Point& p, const std::string& field) {
    const auto* v = p.field(field);
    if (v == nullptr) return -1;
    if (const auto* d = std::get_if<double>(v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(v)) return static_cast<double>(*i);
    return -2;
}

void expect_no_key(const ProcessResult& r) {
    for (const std::string& form : {kKey, kpi::url_encode(kKey)}) {
        EXPECT_EQ(r.out.find(form), std::string::npos) << "the key leaked to stdout";
        EXPECT_EQ(r.err.find(form), std::string::npos) << "the key leaked to stderr:\n" << r.err;
    }
}

class UptimeRobot : public ::testing::Test {
protected:
    std::string key_file() { return dir_.write("uptimerobot-key", kKey + "\n"); }
    TempDir dir_;
};

}  // namespace

TEST_F(UptimeRobot, ReadsEveryPageOfAnAccountWithMoreThanFiftyMonitors) {
    FakeV2 fake(numbered_monitors(120));
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 120u);
    std::vector<std::string> offsets;
    for (const auto& form : fake.forms()) offsets.push_back(form.find("offset")->second);
    std::sort(offsets.begin(), offsets.end());
    EXPECT_EQ(offsets, (std::vector<std::string>{"0", "100", "50"}));
    // In the order the API lists them, whatever order the pages arrived in.
    EXPECT_EQ(*c.points.front().tag("monitor"), "Monitor 0");
    EXPECT_EQ(*c.points.back().tag("monitor"), "Monitor 119");
    EXPECT_EQ(*c.points.back().tag("monitor_id"), "5119");
    for (const auto& p : c.points) {
        EXPECT_EQ(p.measurement, "uptime");
        EXPECT_EQ(p.time, c.points.front().time);  // one pass, one time
    }
}

TEST_F(UptimeRobot, EmitsTheFieldsOfEachWindow) {
    FakeV2 fake({{101, "Website", 2, "99.871-99.950", "\"624.861\""},
                 {102, "Files", 9, "97.5-99.1", "1250"},
                 {103, "Paused one", 0, "100.000-100.000", "\"\""}});
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file(), "--window", "1d", "--window", "30d"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(fake.forms().size(), 1u);
    EXPECT_EQ(fake.forms()[0].find("custom_uptime_ratios")->second, "1-30");
    EXPECT_EQ(fake.forms()[0].find("format")->second, "json");

    const auto* web = find_monitor(c.points, "Website");
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(number(*web, "uptime_ratio_1d"), 0.99871);
    EXPECT_EQ(number(*web, "uptime_ratio_30d"), 0.9995);
    EXPECT_EQ(number(*web, "response_time_seconds"), 0.624861);
    EXPECT_EQ(std::get<std::int64_t>(*web->field("up")), 1);
    EXPECT_EQ(std::get<std::int64_t>(*web->field("status")), 2);
    EXPECT_NE(c.process.out.find("\"uptime_ratio_1d\":0.99871,"), std::string::npos) << c.process.out;

    const auto* files = find_monitor(c.points, "Files");
    ASSERT_NE(files, nullptr);
    EXPECT_EQ(std::get<std::int64_t>(*files->field("up")), 0);
    EXPECT_EQ(number(*files, "response_time_seconds"), 1.25);

    const auto* paused = find_monitor(c.points, "Paused one");
    ASSERT_NE(paused, nullptr);
    EXPECT_EQ(paused->field("up"), nullptr);
    EXPECT_EQ(paused->field("response_time_seconds"), nullptr);
    EXPECT_EQ(std::get<std::int64_t>(*paused->field("status")), 0);
}

TEST_F(UptimeRobot, SelectsMonitorsByNameIncludingNonAscii) {
    auto monitors = numbered_monitors(60);
    monitors.push_back({9001, "Búsqueda — 検索"});
    monitors.push_back({9002, "Website"});
    FakeV2 fake(monitors);
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file(), "--monitor", "Búsqueda — 検索", "--monitor",
                      "Website", "--tag", "service=zenodo"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 2u);
    EXPECT_EQ(*c.points[0].tag("monitor"), "Búsqueda — 検索");
    EXPECT_EQ(*c.points[0].tag("monitor_id"), "9001");
    EXPECT_EQ(*c.points[0].tag("service"), "zenodo");
    EXPECT_EQ(*c.points[1].tag("monitor"), "Website");
}

TEST_F(UptimeRobot, AMonitorNotFoundIsAnErrorNamingItAndTheOthersAreStillEmitted) {
    FakeV2 fake({{1, "Website"}, {2, "Search"}});
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file(), "--monitor", "Website", "--monitor",
                      "Files upload/download"});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_NE(c.process.err.find("\"Files upload/download\" not found"), std::string::npos) << c.process.err;
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(*c.points[0].tag("monitor"), "Website");
}

TEST_F(UptimeRobot, TheKeyTravelsInTheBodyOnly) {
    FakeV2 fake({{1, "Website"}});
    auto c = collect({"--url", fake.url(), "--api-key-env", "KPI_TEST_UR_KEY"}, {.env = {{"KPI_TEST_UR_KEY", kKey}}});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(fake.forms().size(), 1u);
    EXPECT_EQ(fake.forms()[0].find("api_key")->second, kKey);
    for (const auto& r : fake.requests()) {
        EXPECT_EQ(r.target.find(kpi::url_encode(kKey)), std::string::npos);
        EXPECT_EQ(r.target, "/v2/getMonitors");
        EXPECT_EQ(r.headers.count("Authorization"), 0u);
    }
    expect_no_key(c.process);
}

TEST_F(UptimeRobot, StatFailIsAnErrorWithTheApiTypeAndNeverTheKeyItEchoes) {
    FakeV2 fake({{1, "Website"}});
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        const std::string key = req.get_param_value("api_key");
        res.set_content(R"({"stat":"fail","error":{"type":"invalid_parameter","parameter_name":"api_key",)"
                        R"("passed_value":")" + key + R"(","message":"api_key )" + key + R"( is invalid."}})",
                        "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_TRUE(c.points.empty());
    EXPECT_NE(c.process.err.find("invalid_parameter"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find(fake.url() + "/v2/getMonitors"), std::string::npos) << c.process.err;
    expect_no_key(c.process);
}

TEST_F(UptimeRobot, UnauthorizedNamesStatusAndMessageWithoutTheKey) {
    FakeV2 fake({{1, "Website"}});
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        res.status = 401;
        res.set_content(R"({"stat":"fail","error":{"type":"not_authorized","message":"key )" +
                            kpi::url_encode(req.get_param_value("api_key")) + R"( is not authorized"}})",
                        "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_NE(c.process.err.find("HTTP 401"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find("not_authorized"), std::string::npos) << c.process.err;
    EXPECT_EQ(fake.requests().size(), 1u);  // a 401 is not retried
    expect_no_key(c.process);
}

TEST_F(UptimeRobot, RateLimitedRequestIsRetriedAfterRetryAfterAndSucceeds) {
    FakeV2 fake({{1, "Website"}});
    std::atomic<int> calls{0};
    fake.intercept = [&calls](const httplib::Request&, httplib::Response& res) {
        if (calls++ > 0) return false;
        res.status = 429;
        res.set_header("Retry-After", "1");
        res.set_content(R"({"stat":"fail","error":{"type":"rate_limit","message":"too many requests"}})",
                        "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    EXPECT_EQ(fake.requests().size(), 2u);
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(*c.points[0].tag("monitor"), "Website");
}

TEST_F(UptimeRobot, MalformedAnswersAreErrorsNamingTheUrl) {
    FakeV2 fake({{1, "Website"}});
    fake.intercept = [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"stat":"ok","pagination":{"offset":0,"limit":50,"total":1},"monitors":[{"id":1,"frie)",
                        "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_TRUE(c.points.empty());
    EXPECT_NE(c.process.err.find("malformed answer"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find(fake.url() + "/v2/getMonitors"), std::string::npos) << c.process.err;
}

TEST_F(UptimeRobot, ABrokenMiddlePageFailsTheSourceButTheOtherPagesAreEmitted) {
    FakeV2 fake(numbered_monitors(120));
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        if (req.get_param_value("offset") != "50") return false;
        res.set_content("<html><body>502 Bad Gateway</body></html>", "text/html");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file(), "--monitor", "Monitor 3", "--monitor",
                      "Monitor 60", "--monitor", "Monitor 110"});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_NE(c.process.err.find("502 Bad Gateway"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find("\"Monitor 60\" not found"), std::string::npos) << c.process.err;
    ASSERT_EQ(c.points.size(), 2u);
    EXPECT_EQ(*c.points[0].tag("monitor"), "Monitor 3");
    EXPECT_EQ(*c.points[1].tag("monitor"), "Monitor 110");
}

TEST_F(UptimeRobot, AMonitorListedOnTwoPagesIsEmittedOnce) {
    FakeV2 fake(numbered_monitors(60));
    // A monitor deleted between the two requests shifts the second page by one.
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        if (req.get_param_value("offset") != "50") return false;
        std::string body = R"({"stat":"ok","pagination":{"offset":50,"limit":50,"total":59},"monitors":[)";
        for (int i = 49; i < 60; ++i) body += (i == 49 ? "" : ",") + v2_monitor_json({5000L + i, "Monitor " + std::to_string(i)});
        res.set_content(body + "]}", "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    EXPECT_EQ(c.points.size(), 60u);
    EXPECT_EQ(std::count_if(c.points.begin(), c.points.end(),
                            [](const kpi::Point& p) { return *p.tag("monitor") == "Monitor 49"; }),
              1);
}

// The window's default is the schema's `1d`; `1w` and `7d` are one window, asked once.
TEST_F(UptimeRobot, WindowsDefaultToOneDayAndEachDayCountIsAskedOnce) {
    FakeV2 fake({{101, "Website", 2, "99.871", "\"624.861\""}});
    auto plain = collect({"--url", fake.url(), "--api-key-file", key_file()});
    EXPECT_EQ(plain.process.exit_code, 0) << plain.process.err;
    ASSERT_EQ(plain.points.size(), 1u);
    EXPECT_EQ(number(plain.points[0], "uptime_ratio_1d"), 0.99871);

    auto twice = collect({"--url", fake.url(), "--api-key-file", key_file(), "--window", "1w", "--window", "30d",
                          "--window", "7d"});
    EXPECT_EQ(twice.process.exit_code, 0) << twice.process.err;
    const auto forms = fake.forms();
    ASSERT_EQ(forms.size(), 2u);
    EXPECT_EQ(forms[0].find("custom_uptime_ratios")->second, "1");
    EXPECT_EQ(forms[1].find("custom_uptime_ratios")->second, "7-30");
}

TEST_F(UptimeRobot, UsageErrorsExitTwoWithoutAnyRequest) {
    FakeV2 fake({{1, "Website"}});
    auto no_key = collect({"--url", fake.url()});
    EXPECT_EQ(no_key.process.exit_code, 2) << no_key.process.err;
    EXPECT_NE(no_key.process.err.find("--api-key"), std::string::npos) << no_key.process.err;

    auto half_day = collect({"--url", fake.url(), "--api-key-file", key_file(), "--window", "12h"});
    EXPECT_EQ(half_day.process.exit_code, 2) << half_day.process.err;
    EXPECT_NE(half_day.process.err.find("--window: \"12h\": UptimeRobot reports uptime over whole days"),
              std::string::npos)
        << half_day.process.err;

    auto version = collect({"--url", fake.url(), "--api-key-file", key_file(), "--api-version", "4"});
    EXPECT_EQ(version.process.exit_code, 2) << version.process.err;

    auto too_long = collect({"--url", fake.url(), "--api-key-file", key_file(), "--api-version", "3", "--window", "365d"});
    EXPECT_EQ(too_long.process.exit_code, 2) << too_long.process.err;
    EXPECT_NE(too_long.process.err.find("--window 365d: UptimeRobot API v3 reports at most 90 days"), std::string::npos)
        << too_long.process.err;

    EXPECT_EQ(fake.requests().size(), 0u);
}

TEST_F(UptimeRobot, AnUnreadableKeyFileIsAFailureThatNamesTheFile) {
    FakeV2 fake({{1, "Website"}});
    auto c = collect({"--url", fake.url(), "--api-key-file", dir_.file("missing-key")});
    EXPECT_NE(c.process.exit_code, 0);
    EXPECT_NE(c.process.err.find("missing-key"), std::string::npos) << c.process.err;
    EXPECT_EQ(fake.requests().size(), 0u);
}

// ---- API v3 -----------------------------------------------------------------------

namespace {

// Lists monitors two per page, chaining pages with absolute nextLinks to the real host
// (which kpi must not follow), and serves per-monitor statistics.
class FakeV3 {
public:
    FakeV3() {
        server_.get("/v3/monitors", [this](const httplib::Request& req, httplib::Response& res) {
            if (intercept && intercept(req, res)) return;
            for (const auto& [name, value] : listing_headers) res.set_header(name, value);
            const std::size_t start = req.has_param("cursor") ? std::stoul(req.get_param_value("cursor")) : 0;
            std::string body = R"({"data":[)";
            for (std::size_t i = start; i < std::min(start + page_size, monitors.size()); ++i) {
                if (i != start) body += ",";
                body += R"({"id":)" + std::to_string(monitors[i].id) + R"(,"friendlyName":")" + monitors[i].name +
                        R"(","status":")" + monitors[i].status + R"(","type":"HTTP","interval":300})";
            }
            body += "],\"nextLink\":";
            body += start + page_size < monitors.size()
                        ? "\"https://api.uptimerobot.com/v3/monitors?limit=200&cursor=" +
                              std::to_string(start + page_size) + "\""
                        : std::string("null");
            res.set_content(body + "}", "application/json");
        });
        server_.get(R"(/v3/monitors/(\d+)/stats/uptime)", [this](const httplib::Request& req, httplib::Response& res) {
            if (intercept && intercept(req, res)) return;
            std::this_thread::sleep_for(stats_delay);
            // 1 day: 99.5 %, longer windows: 99.9 %.
            res.set_content(std::string(R"({"uptime":)") + (window_days(req) == 1 ? "99.5" : "99.9") +
                                R"(,"total_downtime_seconds":10,"incident_count":1,"mtbf":null})",
                            "application/json");
        });
        server_.get(R"(/v3/monitors/(\d+)/stats/response-time)", [this](const httplib::Request& req, httplib::Response& res) {
            if (intercept && intercept(req, res)) return;
            res.set_content(R"({"summary":{"min":100,"max":900,"avg":436},"data_points":288,"time_series":[]})",
                            "application/json");
        });
        server_.start();
    }

    static int window_days(const httplib::Request& req) {
        auto from = kpi::parse_rfc3339(req.get_param_value("from"));
        auto to = kpi::parse_rfc3339(req.get_param_value("to"));
        if (!from || !to) return -1;
        return static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(*to - *from).count() / 24);
    }

    struct Listed {
        long id;
        std::string name;
        std::string status;
    };
    std::vector<Listed> monitors;
    std::size_t page_size = 2;
    std::vector<std::pair<std::string, std::string>> listing_headers;
    std::chrono::milliseconds stats_delay{0};
    std::function<bool(const httplib::Request&, httplib::Response&)> intercept;

    std::string url() const { return server_.url(); }
    std::vector<RecordedRequest> requests() const { return server_.requests(); }
    int max_in_flight() const { return server_.max_in_flight(); }

private:
    FakeServer server_;
};

}  // namespace

TEST_F(UptimeRobot, V3FollowsCursorsAndReadsEachMonitorsStatistics) {
    FakeV3 fake;
    fake.monitors = {{11, "Website", "UP"}, {12, "Búsqueda — 検索", "LOOKS_DOWN"}, {13, "Files", "PAUSED"},
                     {14, "Other", "DOWN"}, {15, "New", "STARTED"}};
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file(), "--window", "1d",
                      "--window", "7d", "--monitor", "Website", "--monitor", "Búsqueda — 検索", "--monitor", "Files",
                      "--monitor", "New"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 4u);
    const auto* web = find_monitor(c.points, "Website");
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(*web->tag("monitor_id"), "11");
    EXPECT_EQ(number(*web, "uptime_ratio_1d"), 0.995);
    EXPECT_EQ(number(*web, "uptime_ratio_7d"), 0.999);
    EXPECT_EQ(number(*web, "response_time_seconds"), 0.436);
    EXPECT_EQ(number(*web, "up"), 1);
    EXPECT_EQ(number(*web, "status"), 2);
    const auto* search = find_monitor(c.points, "Búsqueda — 検索");
    ASSERT_NE(search, nullptr);
    EXPECT_EQ(number(*search, "up"), 0);
    EXPECT_EQ(number(*search, "status"), 8);
    const auto* files = find_monitor(c.points, "Files");
    ASSERT_NE(files, nullptr);
    EXPECT_EQ(files->field("up"), nullptr);
    EXPECT_EQ(number(*files, "status"), 0);
    EXPECT_EQ(number(*find_monitor(c.points, "New"), "status"), 1);

    int listings = 0, uptimes = 0, response_times = 0;
    for (const auto& r : fake.requests()) {
        EXPECT_EQ(r.method, "GET");
        ASSERT_EQ(r.headers.count("Authorization"), 1u) << r.target;
        EXPECT_EQ(r.headers.find("Authorization")->second, "Bearer " + kKey);
        EXPECT_EQ(r.target.find(kpi::url_encode(kKey)), std::string::npos);
        EXPECT_TRUE(r.body.empty());
        if (r.path == "/v3/monitors") ++listings;
        if (r.path.ends_with("/stats/uptime")) ++uptimes;
        if (r.path.ends_with("/stats/response-time")) ++response_times;
        if (r.path == "/v3/monitors/14/stats/uptime") ADD_FAILURE() << "asked about a monitor not selected";
    }
    EXPECT_EQ(listings, 3);
    EXPECT_EQ(uptimes, 8);  // 4 monitors, 2 windows
    EXPECT_EQ(response_times, 4);
    expect_no_key(c.process);
}

TEST_F(UptimeRobot, V3AStatisticThatFailsLeavesItsFieldOutAndFailsTheSource) {
    FakeV3 fake;
    fake.monitors = {{11, "Website", "UP"}, {12, "Search", "UP"}};
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        if (req.path != "/v3/monitors/12/stats/uptime") return false;
        res.status = 404;
        res.set_content(R"({"message":"Monitor not found","code":"000-004"})", "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_NE(c.process.err.find("HTTP 404: Monitor not found"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find("/v3/monitors/12/stats/uptime"), std::string::npos) << c.process.err;
    ASSERT_EQ(c.points.size(), 2u);
    const auto* search = find_monitor(c.points, "Search");
    ASSERT_NE(search, nullptr);
    EXPECT_EQ(search->field("uptime_ratio_1d"), nullptr);
    EXPECT_EQ(number(*search, "response_time_seconds"), 0.436);
    EXPECT_EQ(number(*find_monitor(c.points, "Website"), "uptime_ratio_1d"), 0.995);
}

TEST_F(UptimeRobot, V3UnauthorizedKeepsTheEchoedKeyOut) {
    FakeV3 fake;
    fake.monitors = {{11, "Website", "UP"}};
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        res.status = 401;
        res.set_content(R"({"message":"Invalid API key: )" + req.get_header_value("Authorization").substr(7) + R"("})",
                        "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_TRUE(c.points.empty());
    EXPECT_NE(c.process.err.find("HTTP 401: Invalid API key"), std::string::npos) << c.process.err;
    expect_no_key(c.process);
}

TEST_F(UptimeRobot, V3TruncatedListingIsAnError) {
    FakeV3 fake;
    fake.monitors = {{11, "Website", "UP"}};
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        if (req.path != "/v3/monitors") return false;
        res.set_content(R"({"data":[{"id":11,"friendlyName":"Web)", "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file(), "--monitor", "Website"});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_TRUE(c.points.empty());
    EXPECT_NE(c.process.err.find("malformed answer"), std::string::npos) << c.process.err;
}

// Regression (issue 7): pagination trusted the server. A first page claiming 10^12 monitors
// at 1 a page must end in an error naming it, at once, without asking for a second page.
TEST_F(UptimeRobot, AnImplausibleTotalIsAnErrorNotATrillionRequests) {
    FakeV2 fake({{1, "Website"}});
    fake.intercept = [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"stat":"ok","pagination":{"offset":0,"limit":1,"total":1000000000000},"monitors":[)" +
                            v2_monitor_json({1, "Website"}) + "]}",
                        "application/json");
        return true;
    };
    const auto started = std::chrono::steady_clock::now();
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()}, {.timeout_seconds = 30});

    EXPECT_EQ(c.process.exit_code, 1) << c.process.err;
    EXPECT_NE(c.process.err.find("implausible pagination: total 1000000000000"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find(fake.url() + "/v2/getMonitors"), std::string::npos) << c.process.err;
    EXPECT_EQ(fake.requests().size(), 1u);
    ASSERT_EQ(c.points.size(), 1u) << "the monitors the first page did list are still reported";
    EXPECT_EQ(*c.points[0].tag("monitor"), "Website");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

// Pages are asked a few at a time, within the connection limits, never all at once.
TEST_F(UptimeRobot, PagesAreRequestedAFewAtATime) {
    FakeV2 fake(numbered_monitors(600));
    fake.intercept = [](const httplib::Request&, httplib::Response&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        return false;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    EXPECT_EQ(c.points.size(), 600u);
    EXPECT_EQ(fake.requests().size(), 12u);
    EXPECT_LE(fake.max_in_flight(), 4);
    EXPECT_GE(fake.max_in_flight(), 2) << "pages after the first still overlap";
}

// The real answer recorded for Zenodo's "Website" monitor, served as the API.
TEST_F(UptimeRobot, RecordedZenodoAnswerGivesItsExactNumbers) {
    const std::string body = testdata("sources/uptimerobot", "v2_zenodo_website_2018.json");
    FakeV2 fake({});
    fake.intercept = [&body](const httplib::Request&, httplib::Response& res) {
        res.set_content(body, "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-key-file", key_file(), "--monitor", "Website"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(*c.points[0].tag("monitor_id"), "778127932");
    EXPECT_EQ(number(c.points[0], "uptime_ratio_1d"), 0.9996);
    EXPECT_EQ(number(c.points[0], "response_time_seconds"), 0.624861);
    EXPECT_EQ(number(c.points[0], "status"), 2);
    EXPECT_EQ(number(c.points[0], "up"), 1);
}

// The official clients' v3 pages (testdata/README.md): the CLI's page with a `data` list leads by its nextLink's cursor to the Terraform provider's `monitors` page,
// which ends the listing.
TEST_F(UptimeRobot, V3ReadsTheOfficialClientsPages) {
    const std::string first = testdata("sources/uptimerobot", "v3_cli_monitors_page.json");
    const std::string last = testdata("sources/uptimerobot", "v3_terraform_monitors_page.json");
    FakeV3 fake;
    fake.intercept = [&](const httplib::Request& req, httplib::Response& res) {
        if (req.path != "/v3/monitors") return false;
        res.set_content(req.has_param("cursor") ? last : first, "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 2u);
    const auto* checkout = find_monitor(c.points, "checkout-api");
    ASSERT_NE(checkout, nullptr);
    EXPECT_EQ(*checkout->tag("monitor_id"), "42");
    EXPECT_EQ(number(*checkout, "status"), 9);
    EXPECT_EQ(number(*checkout, "up"), 0);
    EXPECT_EQ(number(*checkout, "uptime_ratio_1d"), 0.995);
    EXPECT_EQ(number(*checkout, "response_time_seconds"), 0.436);
    const auto* legacy = find_monitor(c.points, "legacy");
    ASSERT_NE(legacy, nullptr);
    EXPECT_EQ(number(*legacy, "status"), 1);
    EXPECT_EQ(legacy->field("up"), nullptr);
    std::vector<std::string> listings;
    for (const auto& r : fake.requests()) {
        if (r.path == "/v3/monitors") listings.push_back(r.target);
    }
    EXPECT_EQ(listings, (std::vector<std::string>{"/v3/monitors?limit=200", "/v3/monitors?limit=200&cursor=84"}));
}

// 137 monitors need 274 statistics requests with one window; a FREE plan's 10 a minute
// cannot answer them. kpi sends none, reports the statuses, and says why.
TEST_F(UptimeRobot, V3StatisticsBeyondTheRateLimitAreNotSentAndTheStatusesStillCome) {
    FakeV3 fake;
    for (long i = 0; i < 137; ++i) fake.monitors.push_back({1000 + i, "Monitor " + std::to_string(i), "UP"});
    fake.page_size = 200;
    fake.listing_headers = {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"}};
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_NE(c.process.err.find("needs 274 statistics requests for 137 monitors"), std::string::npos)
        << c.process.err;
    EXPECT_NE(c.process.err.find("leaves 9 of 10 this minute"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find("--api-version 2"), std::string::npos) << c.process.err;
    ASSERT_EQ(c.points.size(), 137u);
    for (const auto& p : c.points) {
        EXPECT_EQ(number(p, "status"), 2);
        EXPECT_EQ(p.field("uptime_ratio_1d"), nullptr);
        EXPECT_EQ(p.field("response_time_seconds"), nullptr);
    }
    EXPECT_EQ(fake.requests().size(), 1u) << "the listing only";
}

// Within the rate limit the statistics are asked a few at a time.
TEST_F(UptimeRobot, V3StatisticsWithinTheRateLimitAreAskedAFewAtATime) {
    FakeV3 fake;
    for (long i = 0; i < 12; ++i) fake.monitors.push_back({1000 + i, "Monitor " + std::to_string(i), "UP"});
    fake.page_size = 200;
    fake.listing_headers = {{"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "24"}};
    fake.stats_delay = std::chrono::milliseconds(30);
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file()});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 12u);
    for (const auto& p : c.points) EXPECT_EQ(number(p, "uptime_ratio_1d"), 0.995);
    EXPECT_EQ(fake.requests().size(), 1u + 24u);
    EXPECT_LE(fake.max_in_flight(), 4);
}

// A listing whose cursors never end stops at the bound on pages, with an error.
TEST_F(UptimeRobot, V3AListingThatNeverEndsStopsAtTheBoundOnPages) {
    FakeV3 fake;
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        if (req.path != "/v3/monitors") return false;
        const long cursor = req.has_param("cursor") ? std::stol(req.get_param_value("cursor")) : 0;
        res.set_content(R"({"data":[{"id":)" + std::to_string(cursor + 1) +
                            R"(,"friendlyName":"m","status":"UP"}],"nextCursorId":)" + std::to_string(cursor + 1) + "}",
                        "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--api-version", "3", "--api-key-file", key_file(), "--monitor", "none"},
                     {.timeout_seconds = 60});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_NE(c.process.err.find("past 1000 pages"), std::string::npos) << c.process.err;
    EXPECT_EQ(fake.requests().size(), 1000u);
}
