// `kpi collect http`: direct probes of fake pages on 127.0.0.1.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/ndjson.hpp"
#include "support/fake_server.hpp"
#include "support/points_of.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"

using namespace kpi;
using namespace kpi::test;
TEST(HttpProbe, UpDownAndKeywordAreMeasurementsNotFailures) {
    FakeServer server;
    server.get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("Welcome to Zenodo", "text/html"); });
    server.get("/error", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_content("down", "text/plain");
    });
    server.start();
    const std::string refused = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";
    auto r = run_kpi({"collect", "http", "--url", server.url("/ok"), "--url", server.url("/error"), "--url", refused,
                      "--keyword", "Zenodo"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto points = parse_ndjson(r.out);
    ASSERT_EQ(points.size(), 3u);
    std::map<std::string, Point> by_url;
    for (auto& p : points) by_url[*p.tag("url")] = p;
    const Point& ok = by_url[server.url("/ok")];
    EXPECT_EQ(ok.measurement, "http_probe");
    EXPECT_EQ(std::get<std::int64_t>(*ok.field("up")), 1);
    EXPECT_EQ(std::get<std::int64_t>(*ok.field("status_code")), 200);
    EXPECT_EQ(std::get<std::int64_t>(*ok.field("content_length_bytes")), 17);
    EXPECT_GT(std::get<double>(*ok.field("duration_seconds")), 0.0);
    EXPECT_TRUE(std::holds_alternative<double>(*ok.field("time_to_first_byte_seconds")));
    EXPECT_EQ(std::get<std::int64_t>(*by_url[server.url("/error")].field("up")), 0);
    EXPECT_EQ(std::get<std::int64_t>(*by_url[server.url("/error")].field("status_code")), 503);
    EXPECT_EQ(std::get<std::int64_t>(*by_url[refused].field("up")), 0);
    EXPECT_EQ(by_url[refused].field("status_code"), nullptr) << "no answer, no status";
    // One request per probe: a probe is one measurement, never retried.
    EXPECT_EQ(server.request_count(), 2u);
}

TEST(HttpProbe, MissingKeywordAndUnexpectedStatusAreDown) {
    FakeServer server;
    server.get("/moved", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/elsewhere", 302);
    });
    server.get("/elsewhere", [](const httplib::Request&, httplib::Response& res) { res.set_content("maintenance", "text/plain"); });
    server.start();
    auto r = run_kpi({"collect", "http", "--url", server.url("/moved"), "--keyword", "Zenodo"});
    ASSERT_EQ(r.exit_code, 0);
    auto p = parse_ndjson(r.out).at(0);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("up")), 0);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("status_code")), 200) << "redirect followed";
    auto status = run_kpi({"collect", "http", "--url", server.url("/elsewhere"), "--expect-status", "3xx,404"});
    EXPECT_EQ(std::get<std::int64_t>(*parse_ndjson(status.out).at(0).field("up")), 0);
}

// A real recorded answer (testdata/README.md): the probe reports its exact length.
TEST(HttpProbe, RealRecordedAnswerIsUpWithItsExactLength) {
    const std::string body = testdata("sources/http", "zenodo_api_records_2018.json");
    FakeServer server;
    server.get("/api/records", [&body](const httplib::Request&, httplib::Response& res) {
        res.set_content(body, "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "http", "--url", server.url("/api/records?size=1"), "--keyword", "zenodo.org"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto p = parse_ndjson(r.out).at(0);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("up")), 1);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("status_code")), 200);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("content_length_bytes")), static_cast<std::int64_t>(body.size()));
}

TEST(HttpProbe, ABodyOverTheCapIsUpWithItsRealLength) {
    const std::string page = "<title>Zenodo</title>" + std::string(3'000'000, ' ') + "<footer>late words</footer>";
    FakeServer server;
    server.get("/declared", [&](const httplib::Request&, httplib::Response& res) {
        // Not a type cpp-httplib compresses: the declared length is the page's own.
        res.set_content(page, "application/octet-stream");
    });
    server.get("/chunked", [&](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/html", [&](std::size_t offset, httplib::DataSink& sink) {
            if (offset >= page.size()) {
                sink.done();
            } else {
                sink.write(page.data() + offset, std::min<std::size_t>(16'384, page.size() - offset));
            }
            return true;
        });
    });
    server.start();
    TempDir dir;
    const auto probe = [&](const std::string& name, const std::string& path, const std::string& keyword) {
        return "[[sources]]\ntype = \"http\"\nname = \"" + name + "\"\nurl = [\"" + server.url(path) + "\"]\nkeyword = \"" +
               keyword + "\"\n\n";
    };
    const std::string config = dir.write(
        "kpi.toml", "[http]\nmax_response_bytes = 1048576\n\n" + probe("declared", "/declared", "Zenodo") +
                        probe("chunked", "/chunked", "Zenodo") + probe("late", "/declared", "late words"));
    auto r = run_kpi({"run-all", "-c", config});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<Point> probes;
    for (auto& p : parse_ndjson(r.out)) {
        if (p.measurement == "http_probe") probes.push_back(p);
    }
    ASSERT_EQ(probes.size(), 3u) << r.out;
    const Point& declared = probes[0];
    EXPECT_EQ(std::get<std::int64_t>(*declared.field("up")), 1);
    EXPECT_EQ(std::get<std::int64_t>(*declared.field("status_code")), 200);
    EXPECT_EQ(std::get<std::int64_t>(*declared.field("content_length_bytes")), static_cast<std::int64_t>(page.size()));
    const Point& chunked = probes[1];
    EXPECT_EQ(std::get<std::int64_t>(*chunked.field("up")), 1);
    const auto seen = std::get<std::int64_t>(*chunked.field("content_length_bytes"));
    EXPECT_GE(seen, 1048576) << "no length declared: the bytes read, at least the cap";
    EXPECT_LT(seen, static_cast<std::int64_t>(page.size())) << "reading stopped at the cap";
    // The keyword is looked for in what was read, and the warning says so.
    EXPECT_EQ(std::get<std::int64_t>(*probes[2].field("up")), 0);
    EXPECT_NE(r.err.find("\"late words\" not found in the first 1048576 bytes of the body"), std::string::npos) << r.err;
}

TEST(HttpProbe, AnExpectStatusThatIsNoListOfCodesIsAUsageErrorBeforeAnyProbe) {
    FakeServer server;
    server.get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server.start();
    auto r = run_kpi({"collect", "http", "--url", server.url("/ok"), "--expect-status", "2xx,30"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--expect-status: \"2xx,30\": write codes or classes such as 200,3xx"), std::string::npos)
        << r.err;
    EXPECT_EQ(r.out, "");
    // From a config, the error names the file, line and key.
    TempDir dir;
    const std::string config = dir.write("kpi.toml", "[[sources]]\ntype = \"http\"\nurl = [\"" + server.url("/ok") +
                                                         "\"]\nexpect_status = \"ok\"\n");
    auto checked = run_kpi({"config", "check", "--config", config});
    EXPECT_EQ(checked.exit_code, 2);
    EXPECT_NE(checked.err.find("kpi.toml:4: sources[0].expect_status: \"ok\": write codes or classes"),
              std::string::npos)
        << checked.err;
    EXPECT_EQ(server.request_count(), 0u);
}

// Probes run at once; their points follow --url, though the first target answers last.
TEST(HttpProbe, PointsFollowTheOrderOfUrlWhateverOrderTheAnswersComeIn) {
    FakeServer server;
    server.get("/slow", [](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        res.set_content("slow", "text/plain");
    });
    server.get("/fast", [](const httplib::Request&, httplib::Response& res) { res.set_content("fast", "text/plain"); });
    server.start();
    auto r = run_kpi({"collect", "http", "--url", server.url("/slow"), "--url", server.url("/fast")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto points = points_of(r);
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(*points[0].tag("url"), server.url("/slow"));
    EXPECT_EQ(*points[1].tag("url"), server.url("/fast"));
}
