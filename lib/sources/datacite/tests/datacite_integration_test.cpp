// `kpi collect datacite` as a process against a fake DataCite on 127.0.0.1.

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "core/ndjson.hpp"
#include "core/time.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"
#include "support/points_of.hpp"

using namespace kpi::test;

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

const kpi::Point* point_for(const std::vector<kpi::Point>& points, const std::string& prefix) {
    for (const auto& p : points) {
        if (p.tag("prefix") && *p.tag("prefix") == prefix) return &p;
    }
    return nullptr;
}

std::int64_t int_field(const kpi::Point& p, const std::string& name) {
    const kpi::FieldValue* v = p.field(name);
    if (!v || !std::holds_alternative<std::int64_t>(*v)) {
        ADD_FAILURE() << "no integer field " << name;
        return -1;
    }
    return std::get<std::int64_t>(*v);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A page in windows-1252, as DataCite serves them (no charset in the header).
void serve_page(FakeServer& server, const std::string& pattern, std::string body) {
    server.get(pattern, [body = std::move(body)](const httplib::Request&, httplib::Response& res) {
        res.set_content(body, "text/html");
    });
}

// The index at /stats/index.html and the monthly report where its newest link points.
struct FakeDatacite {
    FakeServer server;

    explicit FakeDatacite(const std::string& report_fixture, const std::string& index_fixture = "index_relative.html",
                          const std::string& report_path = "/stats/reports/resolutions_07_2018.html") {
        server.get("/stats/index.html", [this, index_fixture](const httplib::Request&, httplib::Response& res) {
            const std::string index = testdata("sources/datacite", index_fixture);
            res.set_content(replace_all(index, "{{BASE}}", server.url()), "text/html");
        });
        if (!report_fixture.empty()) serve_page(server, report_path, testdata("sources/datacite", report_fixture));
    }

    std::string index_url() const { return server.url("/stats/index.html"); }

    std::vector<std::string> paths() const {
        std::vector<std::string> out;
        for (const auto& r : server.requests()) out.push_back(r.path);
        return out;
    }
};

// No retries, so that a 500 is the answer at once.
std::string no_retries_config(const TempDir& dir) { return dir.write("kpi.toml", "[http]\nretries = 0\n"); }

}  // namespace

// --- report mode ----------------------------------------------------------------------------

TEST(DataciteReportMode, NewestMonthThroughARelativeLink) {
    FakeDatacite fake("report_2018-07.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281", "--prefix",
                      "10.17181", "--prefix", "10.7483"});
    EXPECT_EQ(r.exit_code, 0) << r.err;

    // July is linked in the middle of the page, between May and June.
    EXPECT_EQ(fake.paths(), (std::vector<std::string>{"/stats/index.html", "/stats/reports/resolutions_07_2018.html"}));
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 3u) << r.out;
    const kpi::Point* zenodo = point_for(points, "10.5281");
    ASSERT_NE(zenodo, nullptr);
    EXPECT_EQ(zenodo->measurement, "doi_resolutions");
    ASSERT_NE(zenodo->tag("client"), nullptr);
    EXPECT_EQ(*zenodo->tag("client"), "CERN.ZENODO");
    EXPECT_EQ(int_field(*zenodo, "attempted"), 812345);
    EXPECT_EQ(int_field(*zenodo, "successful"), 790001);
    EXPECT_EQ(int_field(*zenodo, "failed"), 22344);
    EXPECT_EQ(int_field(*zenodo, "unique"), 345678);
    EXPECT_EQ(int_field(*zenodo, "unique_successful"), 341000);
    EXPECT_EQ(int_field(*zenodo, "unique_failed"), 4678);
    for (const auto& p : points) {
        ASSERT_TRUE(p.time);
        EXPECT_EQ(kpi::format_rfc3339(*p.time), "2018-07-01T00:00:00Z");  // the report's month
    }
    const kpi::Point* cds = point_for(points, "10.17181");
    ASSERT_NE(cds, nullptr);
    EXPECT_EQ(*cds->tag("client"), "CERN.CDS");  // the symbol after a <br>
    EXPECT_EQ(int_field(*cds, "attempted"), 9210);
}

TEST(DataciteReportMode, NewestMonthThroughAnAbsoluteLink) {
    FakeDatacite fake("report_2018-07.html", "index_absolute.html", "/elsewhere/resolutions_07_2018.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.7483"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u) << r.out;
    EXPECT_EQ(int_field(points[0], "unique_failed"), 5131);
    EXPECT_EQ(fake.paths().back(), "/elsewhere/resolutions_07_2018.html");
}

TEST(DataciteReportMode, RelativeLinksFollowARedirectedIndex) {
    FakeDatacite fake("report_2018-07.html");
    fake.server.get("/old-index", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/stats/index.html", 301);
    });
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.server.url("/old-index"), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(points_of(r.out).size(), 1u);
    EXPECT_EQ(fake.paths().back(), "/stats/reports/resolutions_07_2018.html");
}

TEST(DataciteReportMode, Windows1252ClientComesOutAsUtf8) {
    FakeDatacite fake("report_2018-07.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.9876"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "\"client\":\"ENS.\xC3\xA9" "COLE\"")) << r.out;
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(int_field(points[0], "attempted"), 61);
}

TEST(DataciteReportMode, MissingPrefixesAreErrorsAndTheOthersStillCome) {
    FakeDatacite fake("report_2018-07.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.0001", "--prefix",
                      "10.5281", "--prefix", "10.0002"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u) << r.out;
    EXPECT_EQ(*points[0].tag("prefix"), "10.5281");
    EXPECT_TRUE(contains(r.err, "prefix 10.0001 is not in the DOI resolution report for July 2018")) << r.err;
    EXPECT_TRUE(contains(r.err, "prefix 10.0002 is not in")) << r.err;
    EXPECT_TRUE(contains(r.err, "/stats/reports/resolutions_07_2018.html")) << r.err;
}

TEST(DataciteReportMode, PageWithoutTheTable) {
    FakeDatacite fake("report_no_table.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "no report table")) << r.err;
    EXPECT_TRUE(contains(r.err, fake.server.url("/stats/reports/resolutions_07_2018.html"))) << r.err;
}

TEST(DataciteReportMode, TableWithOtherColumns) {
    FakeDatacite fake("report_wrong_columns.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "columns are not the expected ones: column 3 is \"Total resolutions\"")) << r.err;
}

TEST(DataciteReportMode, ReportNotFound) {
    FakeDatacite fake("");
    fake.server.get("/stats/reports/.*", [](const httplib::Request&, httplib::Response& res) {
        res.status = 404;
        res.set_content("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
                        "text/html");
    });
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "DOI resolution report for July 2018: GET " +
                                    fake.server.url("/stats/reports/resolutions_07_2018.html") +
                                    ": HTTP 404: 404 Not Found"))
        << r.err;
}

TEST(DataciteReportMode, ReportServerError) {
    FakeDatacite fake("");
    fake.server.get("/stats/reports/.*", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("report generation failed: disk full", "text/plain");
    });
    fake.server.start();
    TempDir dir;
    auto r = run_kpi({"--config", no_retries_config(dir), "collect", "datacite", "--url", fake.index_url(),
                      "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "HTTP 500: report generation failed: disk full")) << r.err;
}

TEST(DataciteReportMode, IndexServerError) {
    FakeServer server;
    server.get("/stats/index.html", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_content("<html><head><title>Service Unavailable</title></head></html>", "text/html");
    });
    server.start();
    TempDir dir;
    auto r = run_kpi({"--config", no_retries_config(dir), "collect", "datacite", "--url",
                      server.url("/stats/index.html"), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "DOI resolution report index: GET " + server.url("/stats/index.html") +
                                    ": HTTP 503: Service Unavailable"))
        << r.err;
}

TEST(DataciteReportMode, IndexWithoutReports) {
    FakeServer server;
    serve_page(server, "/stats/index.html", "<html><body><p>No reports yet.</p></body></html>");
    server.start();
    auto r = run_kpi({"collect", "datacite", "--url", server.url("/stats/index.html"), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "links no monthly report")) << r.err;
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(DataciteReportMode, TruncatedReportGivesWhatIsComplete) {
    FakeDatacite fake("report_truncated.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281", "--prefix",
                      "10.17181", "--prefix", "10.7483"});
    EXPECT_EQ(r.exit_code, 1);
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u) << r.out;
    EXPECT_EQ(*points[0].tag("prefix"), "10.5281");
    // The cut row ends in the middle of its fifth cell.
    EXPECT_TRUE(contains(r.err, "prefix 10.17181: its row has 5 cells, expected at least 8")) << r.err;
    EXPECT_TRUE(contains(r.err, "prefix 10.7483 is not in")) << r.err;
}

TEST(DataciteReportMode, GarbageIsNoReport) {
    FakeDatacite fake("");
    std::string garbage;
    for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919) % 251 + 1);
    serve_page(fake.server, "/stats/reports/resolutions_07_2018.html", garbage);
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "no report table")) << r.err;
}

TEST(DataciteReportMode, PointsCarryTheMonthThePageReports) {
    FakeDatacite fake("");
    // Linked as July, but the page itself reports June.
    serve_page(fake.server, "/stats/reports/resolutions_07_2018.html",
               replace_all(testdata("sources/datacite", "report_2018-07.html"), "July 2018", "June 2018"));
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(kpi::format_rfc3339(*points[0].time), "2018-06-01T00:00:00Z");
    EXPECT_TRUE(contains(r.err, "is linked as July 2018 but reports June 2018")) << r.err;
}

TEST(DataciteReportMode, TagAndMeasurementOptionsApply) {
    FakeDatacite fake("report_2018-07.html");
    fake.server.start();
    auto r = run_kpi({"collect", "datacite", "--url", fake.index_url(), "--prefix", "10.5281", "--tag",
                      "service=zenodo", "--measurement", "resolutions"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].measurement, "resolutions");
    ASSERT_NE(points[0].tag("service"), nullptr);
    EXPECT_EQ(*points[0].tag("service"), "zenodo");
}

// The real June 2018 report (trimmed to CERN's rows, testdata/README.md),
// reached through a small index: every number exactly as DataCite printed it.
TEST(DataciteReportMode, RealJune2018ReportGivesItsExactNumbers) {
    FakeServer server;
    serve_page(server, "/stats/resolution-report/index.html",
               testdata("sources/datacite", "index_june_2018.html"));
    serve_page(server, "/stats/resolution-report/resolutions_06_2018.html",
               testdata("sources/datacite", "report_2018-06_real_cern_rows.html"));
    server.start();
    auto r = run_kpi({"collect", "datacite", "--url", server.url("/stats/resolution-report/index.html"), "--prefix",
                      "10.5281", "--prefix", "10.17181", "--prefix", "10.7483"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 3u) << r.out;
    struct Expected {
        const char* prefix;
        const char* client;
        std::int64_t attempted, successful, failed, unique, unique_successful, unique_failed;
    };
    for (const Expected& e : {Expected{"10.5281", "CERN.ZENODO", 727547, 710383, 17164, 322854, 320004, 2850},
                              Expected{"10.17181", "CERN.CDS", 4409, 4404, 5, 4116, 4112, 4},
                              Expected{"10.7483", "CERN.OPENDATA", 978, 976, 2, 588, 586, 2}}) {
        const kpi::Point* p = point_for(points, e.prefix);
        ASSERT_NE(p, nullptr) << e.prefix;
        EXPECT_EQ(p->measurement, "doi_resolutions");
        ASSERT_NE(p->tag("client"), nullptr);
        EXPECT_EQ(*p->tag("client"), e.client);
        EXPECT_EQ(int_field(*p, "attempted"), e.attempted) << e.prefix;
        EXPECT_EQ(int_field(*p, "successful"), e.successful) << e.prefix;
        EXPECT_EQ(int_field(*p, "failed"), e.failed) << e.prefix;
        EXPECT_EQ(int_field(*p, "unique"), e.unique) << e.prefix;
        EXPECT_EQ(int_field(*p, "unique_successful"), e.unique_successful) << e.prefix;
        EXPECT_EQ(int_field(*p, "unique_failed"), e.unique_failed) << e.prefix;
        EXPECT_EQ(p->time, kpi::parse_rfc3339("2018-06-01T00:00:00Z"));
    }
}

// --- api mode -----------------------------------------------------------------------------------

// The answer rOpenSci's client recorded from api.datacite.org, served for a prefix.
TEST(DataciteApiMode, RecordedAnswerGivesItsExactCounts) {
    FakeServer server;
    server.get("/dois", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(testdata("sources/datacite", "api_dois_2020_rdatacite.json"), "application/vnd.api+json");
    });
    server.start();
    auto r = run_kpi({"collect", "datacite", "--mode", "api", "--url", server.url("/"), "--prefix", "10.5281"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u) << r.out;
    EXPECT_EQ(int_field(points[0], "registered"), 18666188);
    EXPECT_EQ(int_field(points[0], "findable"), 18666188);
    EXPECT_EQ(points[0].field("registered_state"), nullptr);
    EXPECT_EQ(points[0].field("draft"), nullptr);
}

// A prefix given twice (on the command line and in a config alike) is asked and reported once.
// Once each, and in the order given, though the first prefix's answer comes last.
TEST(DataciteApiMode, APrefixGivenTwiceIsAskedOnceAndPointsFollowTheGivenOrder) {
    FakeServer server;
    server.get("/dois", [](const httplib::Request& req, httplib::Response& res) {
        if (req.get_param_value("prefix") == "10.7483") std::this_thread::sleep_for(std::chrono::milliseconds(300));
        res.set_content(testdata("sources/datacite", "dois_findable_only.json"), "application/vnd.api+json");
    });
    server.start();
    auto r = run_kpi({"collect", "datacite", "--mode", "api", "--url", server.url(), "--prefix", "10.7483",
                      "--prefix", "10.5281", "--prefix", "10.7483"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(server.requests().size(), 2u);
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(*points[0].tag("prefix"), "10.7483");
    EXPECT_EQ(*points[1].tag("prefix"), "10.5281");
}

TEST(DataciteApiMode, CountsPerPrefix) {
    FakeServer server;
    server.get("/dois", [](const httplib::Request& req, httplib::Response& res) {
        std::string prefix = req.get_param_value("prefix");
        const std::string answer = prefix == "10.5281" ? "dois_10.5281.json" : "dois_findable_only.json";
        res.set_content(testdata("sources/datacite", answer), "application/vnd.api+json");
    });
    server.start();
    auto r = run_kpi({"collect", "datacite", "--mode", "api", "--url", server.url("/"), "--prefix", "10.5281",
                      "--prefix", "10.7483"});
    EXPECT_EQ(r.exit_code, 0) << r.err;

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    for (const auto& req : requests) {
        EXPECT_EQ(req.path, "/dois");
        EXPECT_TRUE(contains(req.target, "page%5Bsize%5D=0")) << req.target;  // brackets encoded
        auto size = req.params.find("page[size]");
        ASSERT_NE(size, req.params.end());
        EXPECT_EQ(size->second, "0");
        auto facets = req.params.find("disable-facets");
        ASSERT_NE(facets, req.params.end());
        EXPECT_EQ(facets->second, "false");
    }

    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 2u) << r.out;
    const kpi::Point* zenodo = point_for(points, "10.5281");
    ASSERT_NE(zenodo, nullptr);
    EXPECT_EQ(zenodo->measurement, "dois");
    EXPECT_EQ(zenodo->tag("client"), nullptr);
    EXPECT_EQ(int_field(*zenodo, "registered"), 3456789);
    EXPECT_EQ(int_field(*zenodo, "findable"), 3456001);
    EXPECT_EQ(int_field(*zenodo, "registered_state"), 700);
    EXPECT_EQ(int_field(*zenodo, "draft"), 88);

    const kpi::Point* opendata = point_for(points, "10.7483");
    ASSERT_NE(opendata, nullptr);
    EXPECT_EQ(int_field(*opendata, "registered"), 15234);
    EXPECT_EQ(int_field(*opendata, "findable"), 15234);
    EXPECT_EQ(opendata->field("draft"), nullptr);  // unknown is left out, never null
    EXPECT_EQ(opendata->field("registered_state"), nullptr);
    // Counts of now: the pass time, not a month's first day.
    ASSERT_TRUE(opendata->time);
    EXPECT_GT(*opendata->time, *kpi::parse_rfc3339("2026-01-01T00:00:00Z"));
}

TEST(DataciteApiMode, ErrorAnswerNamesThePrefixAndTheApisWords) {
    FakeServer server;
    server.get("/dois", [](const httplib::Request& req, httplib::Response& res) {
        if (req.get_param_value("prefix") == "10.0001") {
            res.status = 404;
            res.set_content(R"({"errors":[{"status":"404","title":"The resource you are looking for doesn't exist."}]})",
                            "application/vnd.api+json");
            return;
        }
        res.set_content(testdata("sources/datacite", "dois_findable_only.json"), "application/vnd.api+json");
    });
    server.start();
    auto r = run_kpi({"collect", "datacite", "--mode", "api", "--url", server.url(), "--prefix", "10.0001",
                      "--prefix", "10.7483"});
    EXPECT_EQ(r.exit_code, 1);
    auto points = points_of(r.out);
    ASSERT_EQ(points.size(), 1u) << r.out;
    EXPECT_EQ(*points[0].tag("prefix"), "10.7483");
    EXPECT_TRUE(contains(r.err, "prefix 10.0001: GET " + server.url("/dois?prefix=10.0001")));
    EXPECT_TRUE(contains(r.err, "HTTP 404: The resource you are looking for doesn't exist.")) << r.err;
}

TEST(DataciteApiMode, ServerErrorAndUnreadableAnswers) {
    FakeServer server;
    server.get("/dois", [](const httplib::Request& req, httplib::Response& res) {
        const std::string prefix = req.get_param_value("prefix");
        if (prefix == "10.1") {
            res.status = 500;
            res.set_content(R"({"errors":[{"status":"500","title":"Elasticsearch is unavailable."}]})",
                            "application/vnd.api+json");
        } else if (prefix == "10.2") {
            res.set_content("<html>maintenance</html>", "text/html");
        } else {
            res.set_content(R"({"data":[],"meta":{"totalPages":0}})", "application/vnd.api+json");
        }
    });
    server.start();
    TempDir dir;
    auto r = run_kpi({"--config", no_retries_config(dir), "collect", "datacite", "--mode", "api", "--url",
                      server.url(), "--prefix", "10.1", "--prefix", "10.2", "--prefix", "10.3"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "prefix 10.1: GET")) << r.err;
    EXPECT_TRUE(contains(r.err, "HTTP 500: Elasticsearch is unavailable.")) << r.err;
    EXPECT_TRUE(contains(r.err, "prefix 10.2: GET")) << r.err;
    EXPECT_TRUE(contains(r.err, "the answer is not a JSON object")) << r.err;
    EXPECT_TRUE(contains(r.err, "prefix 10.3: GET")) << r.err;
    EXPECT_TRUE(contains(r.err, "meta.total is missing")) << r.err;
}

// --- usage --------------------------------------------------------------------------------------

TEST(DataciteUsage, PrefixIsRequiredAndChecked) {
    auto none = run_kpi({"collect", "datacite", "--url", "http://127.0.0.1:9/"});
    EXPECT_EQ(none.exit_code, 2) << none.err;
    EXPECT_TRUE(contains(none.err, "prefix")) << none.err;

    auto bad = run_kpi({"collect", "datacite", "--url", "http://127.0.0.1:9/", "--prefix", "zenodo"});
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_TRUE(contains(bad.err, "\"zenodo\" is not a DOI prefix")) << bad.err;

    auto mode = run_kpi({"collect", "datacite", "--mode", "oai", "--prefix", "10.5281"});
    EXPECT_EQ(mode.exit_code, 2) << mode.err;
    EXPECT_EQ(mode.out, "");
}

// --- hostile pages in a run-all pass -------------------------------------------------------------
// The report is read on the pass's one event loop: a page built to be slow to read must
// neither hold the other sources nor SIGTERM, nor take memory far beyond its size.

namespace {

std::string repeated(const std::string& text, std::size_t times) {
    std::string out;
    out.reserve(text.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += text;
    return out;
}

// A run-all pass of the datacite source reading `report` and an http probe of `probe_url`,
// delivering to a file sink.
struct HostilePass {
    FakeDatacite datacite{""};
    FakeServer other;
    TempDir dir;
    std::string out = dir.file("points.ndjson");

    explicit HostilePass(std::string report) {
        serve_page(datacite.server, "/stats/reports/resolutions_07_2018.html", std::move(report));
        other.get("/health", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    }

    std::string config(const std::string& extra_sources = "") const {
        return dir.write("kpi.toml",
            "[spool]\ndir = \"" + dir.file("spool") + "\"\n\n"
            "[[sources]]\ntype = \"datacite\"\nurl = \"" + datacite.index_url() + "\"\nprefix = [\"10.5281\"]\n\n"
            "[[sources]]\ntype = \"http\"\nname = \"probe\"\nurl = \"" + other.url("/health") + "\"\n\n" +
            extra_sources + "[[sinks]]\ntype = \"file\"\npath = \"" + out + "\"\n");
    }

    void start() {
        datacite.server.start();
        other.start();
    }
};

// The probe's point and the report's 10.5281 row (July 2018 fixture) are among `points`.
void expect_both_sources(const std::vector<kpi::Point>& points) {
    const kpi::Point* zenodo = point_for(points, "10.5281");
    ASSERT_NE(zenodo, nullptr);
    EXPECT_EQ(int_field(*zenodo, "attempted"), 812345);
    EXPECT_EQ(int_field(*zenodo, "unique_failed"), 4678);
    bool probed = false;
    for (const auto& p : points) {
        if (p.measurement == "http_probe") probed = int_field(p, "up") == 1;
    }
    EXPECT_TRUE(probed);
}

}  // namespace

TEST(DataciteHostilePage, UnclosedTagsHoldNothingBack) {
    // 1,000,000 unclosed <div> (5 MB) before the table: gumbo's tree never finished this
    // (its time grows with the square of the depth), and the pass delivered nothing.
    HostilePass pass("<html><body>" + repeated("<div>", 1000000) +
                     testdata("sources/datacite", "report_2018-07.html"));
    pass.start();
    auto r = run_kpi({"run-all", "-c", pass.config()}, RunOptions{.timeout_seconds = 60});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    expect_both_sources(points_of(read_file(pass.out)));
}

TEST(DataciteHostilePage, AMillionRowsInAFewTimesThePage) {
    // 1,000,000 rows (55 MB), the prefix asked for last: gumbo's tree peaked at 3.5 GB.
    const std::string fixture_page = testdata("sources/datacite", "report_2018-07.html");
    const auto body = fixture_page.find("<tbody>") + 7;
    const std::string page = fixture_page.substr(0, body) +
                             repeated("<tr><td>1<td>10.1<br>X<td>1<td>2<td>3<td>4<td>5<td>6</tr>\n", 1000000) +
                             fixture_page.substr(body);
    HostilePass pass(page);
    pass.start();
    auto r = run_kpi({"run-all", "-c", pass.config()}, RunOptions{.timeout_seconds = 60});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    expect_both_sources(points_of(read_file(pass.out)));
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer's shadow memory and quarantine are no measure of kpi's";
#endif
    // The body as received, once, and what grows it while it arrives; no tree of the page.
    EXPECT_LT(r.max_rss_bytes, 4 * static_cast<long long>(page.size())) << "page " << page.size() << " bytes";
}

TEST(DataciteHostilePage, SigtermAfterAHostilePageEndsThePassAndSpoolsTheReport) {
    // A source that holds the pass open, as a slow upstream does.
    std::atomic<bool> release{false};
    FakeServer slow;
    slow.get("/api/records", [&](const httplib::Request&, httplib::Response& res) {
        for (int i = 0; i < 400 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        res.set_content(R"({"hits":{"total":1}})", "application/json");
    });
    slow.start();
    // The hostile report is linked as July but reports June: the warning that says so comes
    // right after the page is read, on the loop, and is when the test sends SIGTERM. A read
    // that holds the loop never gets there.
    HostilePass pass("<html><body>" + repeated("<div>", 1000000) +
                     replace_all(testdata("sources/datacite", "report_2018-07.html"), "July 2018", "June 2018"));
    pass.start();
    const std::string config = pass.config("[[sources]]\ntype = \"records\"\nname = \"slow\"\nurl = \"" +
                                           slow.url("/api/records") + "\"\n\n");

    auto r = run_kpi({"run-all", "-c", config},
                     RunOptions{.timeout_seconds = 60, .signal = SIGTERM, .signal_when = "but reports June 2018"});
    release = true;
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ASSERT_GE(r.seconds_after_signal, 0) << "the signal was sent: " << r.err;
    EXPECT_LT(r.seconds_after_signal, 5.0);
    EXPECT_EQ(read_file(pass.out), "") << "the points wait in the spool";

    auto replay = run_kpi({"replay", "-c", config});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    expect_both_sources(points_of(read_file(pass.out)));
}
