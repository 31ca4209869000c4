// `kpi collect json`: fields by JSON pointer from a fake endpoint on 127.0.0.1.

#include <gtest/gtest.h>

#include "core/ndjson.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"

using namespace kpi;
using namespace kpi::test;
TEST(JsonSource, FieldsByPointerKeepTheirTypes) {
    FakeServer server;
    server.get("/stats", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"hits":{"total":42},"size":{"bytes":1.5e12},"ok":true,"name":"zenodo","a/b":{"c~d":3}})",
                        "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "json", "--url", server.url("/stats"), "--field", "total=/hits/total", "--field",
                      "size_bytes=/size/bytes", "--field", "ok=/ok", "--field", "name=/name", "--field",
                      "escaped=/a~1b/c~0d", "--measurement", "storage"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto p = parse_ndjson(r.out).at(0);
    EXPECT_EQ(p.measurement, "storage");
    EXPECT_EQ(std::get<std::int64_t>(*p.field("total")), 42);
    EXPECT_EQ(std::get<double>(*p.field("size_bytes")), 1.5e12);
    EXPECT_EQ(std::get<bool>(*p.field("ok")), true);
    EXPECT_EQ(std::get<std::string>(*p.field("name")), "zenodo");
    EXPECT_EQ(std::get<std::int64_t>(*p.field("escaped")), 3);
}

TEST(JsonSource, MissingPointerFailsButOtherFieldsAreEmitted) {
    FakeServer server;
    server.get("/stats", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"hits":{"total":42}})", "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "json", "--url", server.url("/stats"), "--field", "total=/hits/total", "--field",
                      "gone=/nothing/here"});
    EXPECT_EQ(r.exit_code, 1);
    auto p = parse_ndjson(r.out).at(0);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("total")), 42);
    EXPECT_NE(r.err.find("field gone: nothing at /nothing/here"), std::string::npos) << r.err;
}

// A real recorded answer (testdata/README.md): every pointer gives its exact value.
TEST(JsonSource, RealRecordedAnswerGivesItsExactValues) {
    const std::string body = testdata("sources/json", "datacite_dois_2020.json");
    FakeServer server;
    server.get("/dois", [&body](const httplib::Request&, httplib::Response& res) {
        res.set_content(body, "application/vnd.api+json");
    });
    server.start();
    auto r = run_kpi({"collect", "json", "--url", server.url("/dois"), "--field", "total=/meta/total", "--field",
                      "findable=/meta/states/0/count", "--field", "first_type=/meta/resourceTypes/0/title", "--field",
                      "page=/meta/page"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto p = parse_ndjson(r.out).at(0);
    EXPECT_EQ(p.measurement, "json");
    EXPECT_EQ(std::get<std::int64_t>(*p.field("total")), 18666188);
    EXPECT_EQ(std::get<std::int64_t>(*p.field("findable")), 18666188);
    EXPECT_EQ(std::get<std::string>(*p.field("first_type")), "Dataset");
    EXPECT_EQ(std::get<std::int64_t>(*p.field("page")), 1);
}

TEST(JsonSource, APointerThatIsNotRfc6901IsAUsageErrorBeforeAnyRequest) {
    FakeServer server;
    server.get("/stats", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"hits":{"total":42}})", "application/json");
    });
    server.start();
    auto r = run_kpi({"collect", "json", "--url", server.url("/stats"), "--field", "total=/hits/total", "--field",
                      "bad=hits/total"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--field: bad=hits/total: a JSON pointer starts with / (e.g. /hits/total)"), std::string::npos)
        << r.err;
    EXPECT_EQ(r.out, "");
    TempDir dir;
    const std::string config = dir.write("kpi.toml", "[[sources]]\ntype = \"json\"\nurl = \"" + server.url("/stats") +
                                                         "\"\nfield = [\"total=/hits/total\", \"odd=/a~2b\"]\n");
    auto checked = run_kpi({"config", "check", "--config", config});
    EXPECT_EQ(checked.exit_code, 2);
    EXPECT_NE(checked.err.find("kpi.toml:4: sources[0].field: odd=/a~2b: in a JSON pointer ~ is written ~0"),
              std::string::npos)
        << checked.err;
    EXPECT_EQ(server.request_count(), 0u);
}
