// Every third-party source as a [[sources]] entry of run-all: config keys map to the same
// options as on the command line, secrets come from files, and all run in one pass.

#include <gtest/gtest.h>

#include "core/ndjson.hpp"
#include "field_help.hpp"
#include "formats/prometheus_text.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
using namespace kpi::test;

TEST(RunAllSources, EverySourceRunsFromTheConfig) {
    FakeServer server;
    server.post("/v2/getMonitors", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"stat":"ok","pagination":{"offset":0,"limit":50,"total":1},"monitors":[)"
                        R"({"id":777,"friendly_name":"Website","url":"https://zenodo.org","type":1,"status":2,)"
                        R"("custom_uptime_ratio":"99.500-98.000","average_response_time":"250.0"}]})",
                        "application/json");
    });
    server.get("/dois", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"data":[],"meta":{"total":4242}})", "application/json");
    });
    server.get("/api/now/stats/incident", [](const httplib::Request& req, httplib::Response& res) {
        // The average over closed tickets is the request without a count.
        const bool closed = !req.has_param("sysparm_count");
        res.set_content(closed ? R"({"result":{"stats":{"avg":{"calendar_stc":"7200.5"}}}})"
                               : R"({"result":{"stats":{"count":"12","max":{"reassignment_count":"3"}}}})",
                        "application/json");
    });
    server.post("/index.php", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"nb_uniq_visitors":80,"nb_visits":100,"nb_actions":300,"avg_time_on_site":42})",
                        "application/json");
    });
    server.start();
    TempDir dir;
    const std::string key = dir.write("ur-key", "ur-secret-key\n");
    const std::string pw = dir.write("snow-pw", "snow-secret\n");
    const std::string token = dir.write("matomo-token", "matomo-secret\n");
    const std::string base = server.url();
    const std::string config = dir.write("kpi.toml", R"(
[[sources]]
type = "uptimerobot"
url = ")" + base + R"("
api_key_file = ")" + key + R"("
monitor = ["Website"]
window = ["1d", "7d"]
tags = { service = "zenodo" }

[[sources]]
type = "datacite"
mode = "api"
url = ")" + base + R"("
prefix = ["10.5281"]

[[sources]]
type = "servicenow"
url = ")" + base + R"("
table = ["incident"]
group = "Zenodo Repository"
user = "kpi"
password_file = ")" + pw + R"("

[[sources]]
type = "matomo"
url = ")" + base + R"("
site_id = [7]
date = "2026-11-27"
token_file = ")" + token + R"("
)");
    auto r = run_kpi({"run-all", "-c", config});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, Point> by_measurement;
    for (auto& p : parse_ndjson(r.out)) {
        if (p.measurement != "kpi_run") by_measurement[p.measurement] = p;
    }
    ASSERT_EQ(by_measurement.size(), 4u) << r.out;
    // Every field the sources emit is described in their declaration (the Prometheus HELP).
    for (const auto& p : parse_ndjson(r.out)) {
        for (const auto& f : p.fields) {
            EXPECT_NE(field_help(p.measurement, f.key), generic_field_description(p.measurement, f.key))
                << p.measurement << " " << f.key;
        }
    }
    EXPECT_EQ(std::get<double>(*by_measurement["uptime"].field("uptime_ratio_7d")), 0.98);
    EXPECT_EQ(*by_measurement["uptime"].tag("service"), "zenodo");
    EXPECT_EQ(std::get<std::int64_t>(*by_measurement["dois"].field("registered")), 4242);
    EXPECT_EQ(std::get<std::int64_t>(*by_measurement["support_tickets"].field("open")), 12);
    EXPECT_EQ(std::get<std::int64_t>(*by_measurement["visits"].field("visits")), 100);
    for (const char* secret : {"ur-secret-key", "snow-secret", "matomo-secret"}) {
        EXPECT_EQ(r.out.find(secret), std::string::npos);
        EXPECT_EQ(r.err.find(secret), std::string::npos);
        for (const auto& req : server.requests()) EXPECT_EQ(req.target.find(secret), std::string::npos) << req.target;
    }
}
