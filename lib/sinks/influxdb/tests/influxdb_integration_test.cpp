// `kpi publish influxdb` against a real InfluxDB 1.x started by scripts/test, read back
// through its query API, types included.

#include <gtest/gtest.h>
#include <httplib.h>

#include <random>
#include <simdjson.h>

#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/services.hpp"
#include "support/testdata.hpp"

using namespace kpi::test;

namespace {

std::string unique_database() {
    static std::mt19937_64 rng{std::random_device{}()};
    return "kpi_test_" + std::to_string(rng() % 1000000000);
}

// Runs an InfluxQL query and returns the JSON answer.
std::string query(const std::string& base, const std::string& db, const std::string& q) {
    httplib::Client client(base);
    auto res = client.Get(("/query?db=" + db + "&q=" + httplib::detail::encode_query_param(q)).c_str());
    return res ? res->body : "";
}

void create_database(const std::string& base, const std::string& db) {
    httplib::Client client(base);
    auto res = client.Post("/query", "q=CREATE+DATABASE+" + db, "application/x-www-form-urlencoded");
    ASSERT_TRUE(res && res->status == 200);
}

}  // namespace

TEST(InfluxDb, WrittenPointsReadBackWithTheirTypes) {
    const std::string base = service_env("KPI_TEST_INFLUXDB_URL");
    ASSERT_FALSE(base.empty());
    const std::string db = unique_database();
    create_database(base, db);
    const std::string input =
        R"({"measurement":"uptime","tags":{"service":"zenodo","monitor":"Web site, main"},"fields":{"uptime_ratio_1d":0.9996,"up":1,"status":"ok \"fine\"","paused":false},"time":"2026-11-28T14:11:00Z"})"
        "\n";
    auto r = run_kpi({"publish", "influxdb", "--url", base, "--database", db}, RunOptions{.input = input});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const std::string data = query(base, db, "SELECT * FROM uptime");
    EXPECT_NE(data.find("\"2026-11-28T14:11:00Z\""), std::string::npos) << data;
    EXPECT_NE(data.find("0.9996"), std::string::npos) << data;
    EXPECT_NE(data.find("Web site, main"), std::string::npos) << data;
    EXPECT_NE(data.find(R"(ok \"fine\")"), std::string::npos) << data;

    // The field types InfluxDB stored: integers stay integers.
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(query(base, db, "SHOW FIELD KEYS FROM uptime"));
    std::map<std::string, std::string> types;
    for (auto row : root.at_pointer("/results/0/series/0/values").get_array()) {
        types[std::string(row.at(0).get_string().value())] = std::string(row.at(1).get_string().value());
    }
    EXPECT_EQ(types["up"], "integer");
    EXPECT_EQ(types["uptime_ratio_1d"], "float");
    EXPECT_EQ(types["status"], "string");
    EXPECT_EQ(types["paused"], "boolean");
}

TEST(InfluxDb, MoreThanOneBatchArrivesWhole) {
    const std::string base = service_env("KPI_TEST_INFLUXDB_URL");
    ASSERT_FALSE(base.empty());
    const std::string db = unique_database();
    create_database(base, db);
    std::string input;
    for (int i = 0; i < 12001; ++i) {
        input += R"({"measurement":"bulk","tags":{"n":")" + std::to_string(i) + R"("},"fields":{"v":)" +
                 std::to_string(i) + R"(},"time":"2026-11-28T14:11:00Z"})" "\n";
    }
    auto r = run_kpi({"publish", "influxdb", "--url", base, "--database", db}, RunOptions{.input = input});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string count = query(base, db, "SELECT count(v), sum(v) FROM bulk");
    EXPECT_NE(count.find(",12001,72006000]"), std::string::npos) << count;
}

TEST(InfluxDb, ServerErrorMessageIsReportedAndBadLinesDoNotStopGoodOnes) {
    const std::string base = service_env("KPI_TEST_INFLUXDB_URL");
    ASSERT_FALSE(base.empty());
    const std::string db = unique_database();
    create_database(base, db);
    const std::string input =
        R"({"measurement":"mixed","fields":{"v":1},"time":"2026-11-28T14:11:00Z"})" "\n"
        "this line is not json\n"
        R"({"measurement":"mixed","fields":{"w":2},"time":"2026-11-28T14:12:00Z"})" "\n";
    auto r = run_kpi({"publish", "influxdb", "--url", base, "--database", db}, RunOptions{.input = input});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("stdin:2:"), std::string::npos) << r.err;
    const std::string data = query(base, db, "SELECT * FROM mixed");
    EXPECT_NE(data.find("2026-11-28T14:11:00Z"), std::string::npos) << data;
    EXPECT_NE(data.find("2026-11-28T14:12:00Z"), std::string::npos) << data;

    // A database that does not exist: InfluxDB's own message, not retried.
    auto missing = run_kpi({"publish", "influxdb", "--url", base, "--database", "no_such_db_kpi"},
                           RunOptions{.input = R"({"measurement":"m","fields":{"v":1}})" "\n"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("database not found"), std::string::npos) << missing.err;
    EXPECT_NE(missing.err.find("HTTP 404"), std::string::npos) << missing.err;
}

TEST(InfluxDb, V2WriteSendsTokenInHeaderGzipBodyAndNeverLogsIt) {
    FakeServer server;
    std::string encoding, auth, org, bucket;
    server.post("/api/v2/write", [&](const httplib::Request& req, httplib::Response& res) {
        encoding = req.get_header_value("Content-Encoding");
        auth = req.get_header_value("Authorization");
        org = req.get_param_value("org");
        bucket = req.get_param_value("bucket");
        res.status = 401;
        res.set_content(R"({"code":"unauthorized","message":"unauthorized access for token s3cr3t-token"})",
                        "application/json");
    });
    server.start();
    TempDir dir;
    auto token_file = dir.write("token", "s3cr3t-token\n");
    auto r = run_kpi({"publish", "influxdb", "--url", server.url(), "--org", "cern it", "--bucket", "kpi",
                      "--token-file", token_file},
                     RunOptions{.input = R"({"measurement":"m","fields":{"v":1}})" "\n"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(auth, "Token s3cr3t-token");
    EXPECT_EQ(encoding, "gzip");
    EXPECT_EQ(org, "cern it");
    EXPECT_EQ(bucket, "kpi");
    EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("s3cr3t-token"), std::string::npos) << r.err;
    for (const auto& req : server.requests()) EXPECT_EQ(req.target.find("s3cr3t"), std::string::npos);
}

TEST(InfluxDb, PartialWriteReportsTheDroppedPointsAndKeepsTheRest) {
    const std::string base = service_env("KPI_TEST_INFLUXDB_URL");
    ASSERT_FALSE(base.empty());
    const std::string db = unique_database();
    create_database(base, db);
    ASSERT_EQ(run_kpi({"publish", "influxdb", "--url", base, "--database", db},
                      RunOptions{.input = R"({"measurement":"typed","fields":{"v":1},"time":"2026-11-28T14:00:00Z"})" "\n"})
                  .exit_code,
              0);
    // "v" is an integer now: a string for it is a type conflict InfluxDB drops.
    const std::string input =
        R"({"measurement":"typed","fields":{"v":"text"},"time":"2026-11-28T14:01:00Z"})" "\n"
        R"({"measurement":"typed","fields":{"v":2},"time":"2026-11-28T14:02:00Z"})" "\n";
    auto r = run_kpi({"publish", "influxdb", "--url", base, "--database", db}, RunOptions{.input = input});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("InfluxDB dropped points"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("field type conflict"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refused 1 of 2 points"), std::string::npos) << r.err;
    EXPECT_NE(query(base, db, "SELECT v FROM typed").find("\"2026-11-28T14:02:00Z\",2]"), std::string::npos);
}

TEST(InfluxDb, TooLargeBatchIsSplitUntilItFits) {
    FakeServer server;
    std::vector<std::size_t> accepted_lines;
    std::mutex m;
    server.post("/write", [&](const httplib::Request& req, httplib::Response& res) {
        const auto lines = static_cast<std::size_t>(std::count(req.body.begin(), req.body.end(), '\n'));
        if (lines > 3) {
            res.status = 413;
            res.set_content(R"({"error":"Request Entity Too Large"})", "application/json");
            return;
        }
        std::lock_guard lock(m);
        accepted_lines.push_back(lines);
        res.status = 204;
    });
    server.start();
    std::string input;
    for (int i = 0; i < 10; ++i) input += R"({"measurement":"m","fields":{"v":)" + std::to_string(i) + "}}\n";
    auto r = run_kpi({"publish", "influxdb", "--url", server.url(), "--database", "kpi"}, RunOptions{.input = input});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::size_t total = 0;
    for (auto n : accepted_lines) total += n;
    EXPECT_EQ(total, 10u) << "every point once, in batches that fit";
    EXPECT_GT(accepted_lines.size(), 3u);
}

// The request of InfluxDB's own "Write data with the InfluxDB API" example (testdata/README.md).
TEST(InfluxDb, V2WriteIsTheRequestOfInfluxDbsOwnExample) {
    FakeServer server;
    std::string body;
    server.post("/api/v2/write", [&](const httplib::Request& req, httplib::Response& res) {
        body = req.body;  // cpp-httplib has undone the gzip Content-Encoding
        res.status = 204;
    });
    server.start();
    auto r = run_kpi({"publish", "influxdb", "--url", server.url(), "--org", "YOUR_ORG", "--bucket", "YOUR_BUCKET",
                      "--token-env", "KPI_TEST_INFLUX_TOKEN"},
                     RunOptions{.input = testdata("sinks/influxdb", "air_sensors.ndjson"),
                                .env = {{"KPI_TEST_INFLUX_TOKEN", "YOUR_API_TOKEN"}}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].target, "/api/v2/write?org=YOUR_ORG&bucket=YOUR_BUCKET&precision=ns");
    const auto header = [&](const std::string& name) {
        const auto found = requests[0].headers.find(name);
        return found == requests[0].headers.end() ? std::string() : found->second;
    };
    EXPECT_EQ(header("Authorization"), "Token YOUR_API_TOKEN");
    EXPECT_EQ(header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(body, testdata("sinks/influxdb", "air_sensors.lp"));
}

TEST(InfluxDb, TheVersionIsChosenByDatabaseOrByOrgAndBucket) {
    const std::string point = R"({"measurement":"m","fields":{"v":1}})" "\n";
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    for (const auto& c : {Case{{}, "needs --database (InfluxDB 1.x) or --org and --bucket (2.x)"},
                          Case{{"--database", "kpi", "--org", "cern"}, "needs --database (InfluxDB 1.x) or --org"},
                          Case{{"--org", "cern", "--token-env", "T"}, "InfluxDB 2.x needs both --org and --bucket"},
                          Case{{"--org", "cern", "--bucket", "kpi"}, "InfluxDB 2.x needs --token-env VAR or --token-file"}}) {
        std::vector<std::string> argv{"publish", "influxdb", "--url", "http://127.0.0.1:1"};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        auto r = run_kpi(argv, RunOptions{.input = point});
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_NE(r.err.find("sink influxdb: " + c.says), std::string::npos) << r.err;
    }
}
