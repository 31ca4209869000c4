// `kpi collect records` against a fake Invenio REST search API on 127.0.0.1.

#include <gtest/gtest.h>

#include <chrono>

#include "core/ndjson.hpp"
#include "core/time.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"
#include "support/points_of.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

// Invenio v3 / Zenodo: hits.total is an integer.
const char* kInvenioV3 = R"({"aggregations":{},"hits":{"hits":[{"id":1}],"total":%TOTAL%},"links":{"self":"x"}})";
// Elasticsearch 7+/OpenSearch: hits.total is an object.
const char* kEs7 = R"({"hits":{"hits":[],"total":{"value":%TOTAL%,"relation":"%REL%"}}})";

std::string fill(std::string text, const std::string& total, const std::string& relation = "eq") {
    text.replace(text.find("%TOTAL%"), 7, total);
    if (auto pos = text.find("%REL%"); pos != std::string::npos) text.replace(pos, 5, relation);
    return text;
}

}  // namespace

TEST(Records, TotalAndNewFromIntegerTotals) {
    FakeServer server;
    server.get("/api/records", [](const httplib::Request& req, httplib::Response& res) {
        const bool is_new = req.get_param_value("q").find("created:") != std::string::npos;
        res.set_content(fill(kInvenioV3, is_new ? "17" : "2345678"), "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "records", "--url", server.url("/api/records"), "--new-since", "1d", "--tag",
                      "service=zenodo"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].measurement, "records");
    EXPECT_EQ(*points[0].tag("service"), "zenodo");
    EXPECT_EQ(std::get<std::int64_t>(*points[0].field("total")), 2345678);
    EXPECT_EQ(std::get<std::int64_t>(*points[0].field("new")), 17);
    // "new" asks for records created since one day before the pass time.
    bool saw_range = false;
    for (const auto& req : server.requests()) {
        auto q = req.params.find("q");
        if (q == req.params.end()) continue;
        EXPECT_NE(q->second.find("created:[\""), std::string::npos) << q->second;
        EXPECT_NE(q->second.find("TO *]"), std::string::npos) << q->second;
        saw_range = true;
    }
    EXPECT_TRUE(saw_range);
    EXPECT_NE(r.out.find("\"total\":2345678"), std::string::npos) << "integers stay integers: " << r.out;
}

TEST(Records, ObjectTotalsWithRelationEq) {
    FakeServer server;
    server.get("/search", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(fill(kEs7, "9001", "eq"), "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "records", "--url", server.url("/search"), "--query", "type:dataset",
                      "--all-versions", "--measurement", "datasets"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].measurement, "datasets");
    EXPECT_EQ(std::get<std::int64_t>(*points[0].field("total")), 9001);
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].params.find("q")->second, "type:dataset");
    // InvenioRDM's parameter, one word; stock InvenioRDM ignores `all_versions`.
    ASSERT_EQ(reqs[0].params.count("allversions"), 1u) << reqs[0].target;
    EXPECT_EQ(reqs[0].params.find("allversions")->second, "true");
    EXPECT_EQ(reqs[0].params.count("all_versions"), 0u) << reqs[0].target;
}

TEST(Records, WithoutAllVersionsNoVersionParameterIsSent) {
    FakeServer server;
    server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(fill(kInvenioV3, "3"), "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "records", "--url", server.url("/api/records")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].params.count("allversions"), 0u) << reqs[0].target;
    EXPECT_EQ(reqs[0].params.find("size")->second, "1");
}

// Invenio v3 sites index the creation time as `_created` (invenio-indexer); --created-field
// points the window there, and the range keeps the query_string form `field:["time" TO *]`.
TEST(Records, NewSinceRangesOverTheCreatedFieldGiven) {
    FakeServer server;
    server.get("/api/records/", [](const httplib::Request& req, httplib::Response& res) {
        const bool is_new = req.has_param("q");
        res.set_content(fill(kInvenioV3, is_new ? "4" : "4613"), "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "records", "--url", server.url("/api/records/"), "--new-since", "7d",
                      "--created-field", "_created", "--query", "type:Dataset"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(std::get<std::int64_t>(*points[0].field("new")), 4);
    std::string q;
    for (const auto& req : server.requests()) {
        if (auto it = req.params.find("q"); it != req.params.end() && it->second != "type:Dataset") q = it->second;
    }
    // (type:Dataset) AND _created:["2026-11-22T14:11:00Z" TO *]
    ASSERT_TRUE(q.starts_with("(type:Dataset) AND _created:[\"")) << q;
    EXPECT_TRUE(q.ends_with("Z\" TO *]")) << q;
    const std::string since = q.substr(q.find('"') + 1, 20);
    auto parsed = parse_rfc3339(since);
    ASSERT_TRUE(parsed) << since;
    const auto age = std::chrono::system_clock::now() - *parsed;
    EXPECT_GT(age, std::chrono::hours(24 * 7 - 1));
    EXPECT_LT(age, std::chrono::hours(24 * 7 + 1));
}

TEST(Records, CreatedFieldThatIsNotANameIsAUsageError) {
    auto r = run_kpi({"collect", "records", "--url", "http://127.0.0.1:9/", "--new-since", "1d",
                      "--created-field", "created:[* TO *] OR x"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--created-field"), std::string::npos) << r.err;
}

// A count below zero comes from a broken or hostile server; it is never a KPI.
TEST(Records, NegativeTotalIsAnError) {
    for (const std::string& body : {fill(kInvenioV3, "-5"), fill(kEs7, "-5", "eq")}) {
        FakeServer server;
        server.get("/api/records", [body](const httplib::Request&, httplib::Response& res) {
            res.set_content(body, "application/json");
        });
        server.start();
        auto r = run_kpi({"collect", "records", "--url", server.url("/api/records")});
        EXPECT_EQ(r.exit_code, 1) << body;
        EXPECT_EQ(r.out, "") << body;
        EXPECT_NE(r.err.find("negative (-5)"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(server.url("/api/records")), std::string::npos) << r.err;
    }
}

// Real answers (testdata/README.md says where each came from): the count is
// exactly the recorded hits.total.
TEST(Records, RealRecordedAnswersGiveTheirExactTotals) {
    const std::pair<const char*, std::int64_t> cases[] = {
        {"zenodo_v3_2018.json", 406804},
        {"opendata_v3_2018.json", 4613},
        {"cds_videos_v3_2018.json", 3465},
        {"inveniordm_explore.json", 25},
    };
    for (const auto& [name, total] : cases) {
        const std::string body = testdata("sources/records", name);
        FakeServer server;
        server.get("/api/records", [&body](const httplib::Request&, httplib::Response& res) {
            res.set_content(body, "application/json");
        });
        server.start();
        auto r = run_kpi({"collect", "records", "--url", server.url("/api/records"), "--new-since", "1d"});
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
        auto points = points_of(r);
        ASSERT_EQ(points.size(), 1u) << name;
        EXPECT_EQ(std::get<std::int64_t>(*points[0].field("total")), total) << name;
        EXPECT_EQ(std::get<std::int64_t>(*points[0].field("new")), total) << name << " (same answer for both)";
    }
}

TEST(Records, LowerBoundTotalIsAnErrorNotAWrongKpi) {
    FakeServer server;
    server.get("/search", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(fill(kEs7, "10000", "gte"), "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "records", "--url", server.url("/search")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("lower bound"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(server.url("/search")), std::string::npos) << r.err;
}

TEST(Records, HtmlAnswerNamesUrlAndStatus) {
    FakeServer server;
    server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html");
    });
    server.start();
    auto r = run_kpi({"collect", "records", "--url", server.url("/api/records")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HTTP 200 but the body is HTML"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(server.url("/api/records")), std::string::npos) << r.err;
}

TEST(Records, TruncatedJsonIsAnError) {
    FakeServer server;
    server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"hits":{"hits":[{"id":1},{"id")", "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "records", "--url", server.url("/api/records")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("JSON is invalid"), std::string::npos) << r.err;
}

TEST(Records, ServerErrorIsRetriedThenReportedWithTheServersMessage) {
    FakeServer server;
    server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_content(R"({"message":"search cluster unavailable","status":503})", "application/json");
    });
    server.start();
    TempDir dir;
    auto config = dir.write("kpi.toml", "[http]\nretries = 1\n");
    auto r = run_kpi({"--config", config, "collect", "records", "--url", server.url("/api/records")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HTTP 503: search cluster unavailable"), std::string::npos) << r.err;
    EXPECT_EQ(server.request_count(), 2u) << "one retry";
}

TEST(Records, OversizedBodyIsCutOffAndReported) {
    FakeServer server;
    server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        // Chunked, so the size is unknown until the body has been read.
        res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
            std::string chunk(4096, ' ');
            for (int i = 0; i < 64; ++i) sink.write(chunk.data(), chunk.size());
            sink.done();
            return true;
        });
    });
    server.start();
    TempDir dir;
    auto config = dir.write("kpi.toml", "[http]\nmax_response_bytes = 10000\n");
    auto r = run_kpi({"--config", config, "collect", "records", "--url", server.url("/api/records")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("response body larger than 10000 bytes"), std::string::npos) << r.err;
}
