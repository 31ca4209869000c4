// `kpi collect invenio` against fake Invenio sites on 127.0.0.1, one server per site (each
// port a host of its own), every page built from the markers the real templates write
// (testdata/README.md says where each comes from).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/ndjson.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"
#include "support/points_of.hpp"

using namespace kpi;
using namespace kpi::test;
using namespace std::chrono_literals;

namespace {


std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

httplib::Server::Handler serve(std::string body, std::string type = "text/html; charset=utf-8") {
    return [body = std::move(body), type = std::move(type)](const httplib::Request&, httplib::Response& res) {
        res.set_content(body, type);
    };
}

httplib::Server::Handler not_found(std::string body = "<html><body><h1>Not Found</h1></body></html>",
                                   std::string type = "text/html") {
    return [body = std::move(body), type = std::move(type)](const httplib::Request&, httplib::Response& res) {
        res.status = 404;
        res.set_content(body, type);
    };
}

// The point without its one measured value (response_time_seconds, checked apart) and its
// time, as one line: "tags | fields".
std::string summary(const Point& p) {
    std::string out = p.measurement;
    for (const auto& t : p.tags) out += " " + t.key + "=" + t.value;
    out += " |";
    for (const auto& f : p.fields) {
        if (f.key == "response_time_seconds") continue;
        out += " " + f.key + "=";
        if (const auto* i = std::get_if<std::int64_t>(&f.value)) out += std::to_string(*i);
        else out += "(not an integer)";
    }
    return out;
}

// Legacy searches must never be the kinds that list a catalogue.
void expect_only_cheap_searches(const FakeServer& server) {
    for (const auto& req : server.requests()) {
        for (const auto& [key, value] : req.params) {
            EXPECT_FALSE(key == "rg" && value != "1") << req.target;
            EXPECT_FALSE(key == "of" && value != "xm") << req.target;
            EXPECT_FALSE(key == "size" && value != "1") << req.target;
        }
    }
}

// A site that never answers until the test ends (bounded: 10 s at most).
struct HangingSite {
    FakeServer server;
    std::atomic<bool> release{false};
    HangingSite() {
        server.get("/", [this](const httplib::Request&, httplib::Response& res) {
            for (int i = 0; i < 200 && !release; ++i) std::this_thread::sleep_for(50ms);
            res.set_content("too late", "text/plain");
        });
        server.start();
    }
    ~HangingSite() {
        release = true;
        server.stop();
    }
};

}  // namespace

TEST(InvenioSurvey, EveryFlavourInItsRealShape) {
    FakeServer rdm13, rdm11, v3, v3_semantic, ils, legacy_en, legacy_es, legacy_below_path, legacy_099, fork,
        dspace, moved, moved_to;
    rdm13.get("/", serve(testdata("sources/invenio", "rdm_v13_front.html")));
    rdm13.get("/api/records", serve(testdata("sources/invenio", "rdm_records.json"), "application/json"));
    rdm11.get("/", serve(testdata("sources/invenio", "rdm_v11_front.html")));
    rdm11.get("/api/records", serve(replaced(testdata("sources/invenio", "rdm_records.json"), "48213", "1500"), "application/json"));
    v3.get("/", serve(testdata("sources/invenio", "v3_front.html")));
    v3.get("/api/records/", serve(testdata("sources/invenio", "v3_records.json"), "application/json"));
    v3_semantic.get("/", serve(testdata("sources/invenio", "v3_semantic_front.html")));
    v3_semantic.get("/api/records/", serve(replaced(testdata("sources/invenio", "v3_records.json"), "406804", "77"), "application/json"));
    ils.get("/", serve(testdata("sources/invenio", "ils_front.html")));
    ils.get("/api/documents/", serve(testdata("sources/invenio", "ils_documents.json"), "application/json"));
    ils.get("/api/records", not_found(R"({"message":"The requested URL was not found on the server.","status":404})",
                                      "application/json"));
    ils.get("/search", serve(testdata("sources/invenio", "ils_front.html")));  // the app shell answers every path
    legacy_en.get("/", serve(testdata("sources/invenio", "legacy_v1_front_en.html")));
    legacy_es.get("/", serve(testdata("sources/invenio", "legacy_v1_front_es.html")));
    legacy_es.get("/search", serve(replaced(testdata("sources/invenio", "legacy_search_xm.xml"), "1234 -->", "5678 -->"), "text/xml"));
    // Below a path, with a search that fails: the English home page gives the count.
    legacy_below_path.get("/library/", [](const httplib::Request& req, httplib::Response& res) {
        const bool english = req.get_param_value("ln") == "en";
        res.set_content(testdata("sources/invenio", english ? "legacy_v1_front_en.html" : "legacy_v1_front_es.html"), "text/html");
    });
    legacy_below_path.get("/library/search", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("<html><body>Internal Server Error</body></html>", "text/html");
    });
    legacy_099.get("/", serve(testdata("sources/invenio", "legacy_v099_front.html")));
    fork.get("/", serve(testdata("sources/invenio", "hosted_fork_front.html")));
    fork.get("/search", serve(replaced(testdata("sources/invenio", "legacy_search_xm.xml"), "1234 -->", "4321 -->"), "text/xml"));
    fork.get("/api/.*", not_found());
    dspace.get("/", serve(testdata("sources/invenio", "not_invenio_front.html")));
    dspace.get("/search", serve(testdata("sources/invenio", "not_invenio_front.html")));
    dspace.get("/api/.*", not_found());
    moved_to.get("/", serve(testdata("sources/invenio", "rdm_v13_front.html")));
    moved_to.get("/api/records", serve(replaced(testdata("sources/invenio", "rdm_records.json"), "48213", "999"), "application/json"));
    for (FakeServer* s : {&rdm13, &rdm11, &v3, &v3_semantic, &ils, &legacy_en, &legacy_es, &legacy_below_path,
                          &legacy_099, &fork, &dspace, &moved_to}) {
        s->start();
    }
    moved.get("/", [&moved_to](const httplib::Request&, httplib::Response& res) {
        res.set_redirect(moved_to.url("/"), 301);
    });
    moved.start();
    HangingSite hanging;
    const std::string refused = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";

    TempDir dir;
    const std::string csv = dir.write(
        "sites.csv",
        "name,url,country,evidence\r\n"
        "Demo RDM 13," + rdm13.url("/") + ",CH,showcase rdm\r\n"
        "\"Research Data, Bamberg\"," + rdm11.url("/") + ",DE,\r\n"
        "Open Data Portal," + v3.url("/") + ",CH,\r\n"
        "Digital Collections," + v3_semantic.url("/") + ",BE,\r\n"
        "Library Catalogue," + ils.url("/") + ",CH,\r\n"
        "Document Server (English)," + legacy_en.url("/") + ",ES,\r\n"
        "Dipòsit Digital de Documents," + legacy_es.url("/") + ",ES,\r\n"
        "IDEP," + legacy_below_path.url("/library/") + ",SN,\r\n"
        "CDS Example," + legacy_099.url("/") + ",CH,\r\n"
        "Hosted catalogue," + fork.url("/") + ",US,\r\n"
        "البوابة التونسية," + dspace.url("/") + ",TN,\r\n"
        "Moved," + moved.url("/") + ",CH,\r\n"
        "Hanging," + hanging.server.url("/") + ",XX,\r\n");

    auto r = run_kpi({"--timeout", "1s", "collect", "invenio", "--instances", csv, "--url", refused, "--tag",
                      "survey=test"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto points = points_of(r);
    std::vector<std::string> got;
    for (const auto& p : points) got.push_back(summary(p));
    const std::string t = " survey=test";
    const std::vector<std::string> expected{
        // --url first, named after its host, no country: unreachable, up 0.
        "invenio_instance flavour=unknown instance=127.0.0.1:" + refused.substr(17, refused.size() - 18) + t +
            " url=" + refused + " | up=0",
        "invenio_instance country=CH flavour=inveniordm instance=Demo RDM 13" + t + " url=" + rdm13.url("/") +
            " version=13.0 | up=1 records=48213",
        "invenio_instance country=DE flavour=inveniordm instance=Research Data, Bamberg" + t +
            " url=" + rdm11.url("/") + " | up=1 records=1500",
        "invenio_instance country=CH flavour=invenio3 instance=Open Data Portal" + t + " url=" + v3.url("/") +
            " | up=1 records=406804",
        "invenio_instance country=BE flavour=invenio3 instance=Digital Collections" + t + " url=" +
            v3_semantic.url("/") + " | up=1 records=77",
        "invenio_instance country=CH flavour=invenioils instance=Library Catalogue" + t + " url=" + ils.url("/") +
            " | up=1 records=82803",
        "invenio_instance country=ES flavour=invenio1 instance=Document Server (English)" + t + " url=" +
            legacy_en.url("/") + " version=1.1.7 | up=1 records=1234",
        "invenio_instance country=ES flavour=invenio1 instance=Dipòsit Digital de Documents" + t + " url=" +
            legacy_es.url("/") + " version=1.1.7 | up=1 records=5678",
        "invenio_instance country=SN flavour=invenio1 instance=IDEP" + t +
            " url=" + legacy_below_path.url("/library/") + " version=1.1.7 | up=1 records=1234",
        "invenio_instance country=CH flavour=invenio1 instance=CDS Example" + t + " url=" + legacy_099.url("/") +
            " version=0.99.1 | up=1 records=52107",
        "invenio_instance country=US flavour=invenio1 instance=Hosted catalogue" + t + " url=" + fork.url("/") +
            " | up=1 records=4321",
        "invenio_instance country=TN flavour=unknown instance=البوابة التونسية" + t + " url=" + dspace.url("/") +
            " | up=1",
        "invenio_instance country=CH flavour=inveniordm instance=Moved" + t + " url=" + moved.url("/") +
            " version=13.0 | up=1 records=999",
        "invenio_instance country=XX flavour=unknown instance=Hanging" + t + " url=" + hanging.server.url("/") +
            " | up=0",
    };
    EXPECT_EQ(got, expected) << r.err;

    // The front page's response time is a float on every site that answered, absent on the others.
    for (const auto& p : points) {
        const bool up = std::get<std::int64_t>(*p.field("up")) == 1;
        const FieldValue* time = p.field("response_time_seconds");
        ASSERT_EQ(time != nullptr, up) << summary(p);
        if (up) {
            EXPECT_GT(std::get<double>(*time), 0.0) << summary(p);
        }
        EXPECT_EQ(p.time, points[0].time) << "one pass, one time";
    }
    // The English legacy page carried its count: nothing more was asked of it.
    EXPECT_EQ(legacy_en.request_count(), 1u);
    // The redirected site's API was asked where the site answered, not where it was listed.
    ASSERT_EQ(moved.request_count(), 1u);
    EXPECT_EQ(moved_to.requests().back().path, "/api/records");
    // A site that hangs is asked once: it costs its timeout, no retries.
    EXPECT_EQ(hanging.server.request_count(), 1u);
    // The JSON APIs are asked for JSON.
    EXPECT_EQ(rdm13.requests().back().headers.find("Accept")->second, "application/json");
    for (const FakeServer* s :
         {&rdm13, &rdm11, &v3, &v3_semantic, &ils, &legacy_es, &legacy_below_path, &fork, &dspace}) {
        expect_only_cheap_searches(*s);
    }
    // The legacy count is the one-record MARCXML search.
    const auto es = legacy_es.requests();
    ASSERT_EQ(es.size(), 2u);
    EXPECT_EQ(es[1].target, "/search?p=&of=xm&rg=1");
    // Warnings name the sites that gave nothing, and why.
    EXPECT_NE(r.err.find("Hanging is down"), std::string::npos) << r.err;
}

TEST(InvenioSurvey, RdmShapedAnswerCorrectsAFrameworkFooter) {
    // An InvenioRDM site whose custom theme kept the framework's footer: its API says RDM.
    FakeServer site;
    site.get("/", serve(testdata("sources/invenio", "v3_front.html")));
    site.get("/api/records/", serve(testdata("sources/invenio", "rdm_records.json"), "application/json"));
    site.start();
    auto r = run_kpi({"collect", "invenio", "--url", site.url("/")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(*points[0].tag("flavour"), "inveniordm");
    EXPECT_EQ(std::get<std::int64_t>(*points[0].field("records")), 48213);
}

TEST(InvenioSurvey, ACountThatFailsLeavesTheSiteUpWithoutRecords) {
    FakeServer site;
    site.get("/", serve(testdata("sources/invenio", "rdm_v13_front.html")));
    site.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_content("<html><title>Maintenance</title></html>", "text/html");
    });
    site.start();
    auto r = run_kpi({"collect", "invenio", "--url", site.url("/")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(summary(points[0]), "invenio_instance flavour=inveniordm instance=127.0.0.1:" +
                                      std::to_string(site.port()) + " url=" + site.url("/") + " version=13.0 | up=1");
    EXPECT_NE(r.err.find("HTTP 503"), std::string::npos) << r.err;
    EXPECT_EQ(site.request_count(), 2u) << "one attempt: the survey does not retry";
}

TEST(InvenioSurvey, SitesOnOneHostAreAskedPolitely) {
    FakeServer host;
    host.get("/site.*", [](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(100ms);
        res.set_content(testdata("sources/invenio", "legacy_v1_front_en.html"), "text/html");
    });
    host.start();
    std::vector<std::string> args{"collect", "invenio"};
    for (int i = 0; i < 10; ++i) {
        args.push_back("--url");
        args.push_back(host.url("/site" + std::to_string(i) + "/"));
    }
    auto r = run_kpi(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(points_of(r).size(), 10u);
    EXPECT_EQ(host.request_count(), 10u);
    EXPECT_LE(host.max_in_flight(), 4) << "the client's per-host limit (default 4)";
}

TEST(InvenioSurvey, SitesWaitingForAConnectionDoNotTimeOut) {
    // Regression: the client's timeout runs while a request waits for a free connection, so
    // handing it every site at once timed out the sites queued behind slow ones. With two
    // connections, six sites answering after 400 ms and a 1 s timeout, every site is up.
    std::vector<std::unique_ptr<FakeServer>> sites;
    std::vector<std::string> args{"--timeout", "1s", "collect", "invenio"};
    for (int i = 0; i < 6; ++i) {
        sites.push_back(std::make_unique<FakeServer>());
        sites.back()->get("/", [](const httplib::Request&, httplib::Response& res) {
            std::this_thread::sleep_for(400ms);
            res.set_content(testdata("sources/invenio", "legacy_v1_front_en.html"), "text/html");
        });
        sites.back()->start();
        args.push_back("--url");
        args.push_back(sites.back()->url("/"));
    }
    TempDir dir;
    args.insert(args.begin(), {"--config", dir.write("kpi.toml", "[http]\nmax_connections = 2\n")});
    auto r = run_kpi(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto points = points_of(r);
    ASSERT_EQ(points.size(), 6u);
    for (const auto& p : points) EXPECT_EQ(summary(p).substr(summary(p).find('|')), "| up=1 records=1234") << r.err;
}

TEST(InvenioSurvey, MalformedInstanceListIsAUsageError) {
    FakeServer site;
    site.get("/", serve(testdata("sources/invenio", "rdm_v13_front.html")));
    site.start();
    TempDir dir;
    const std::string csv = dir.write(
        "sites.csv", "name,url,country\r\nGood," + site.url("/") + ",CH\r\nCERN, Geneva,https://x.org,CH\r\n");
    auto r = run_kpi({"collect", "invenio", "--instances", csv});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(csv + ":3: 4 fields where the header has 3"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(site.request_count(), 0u) << "nothing is surveyed from a list that is wrong";

    auto missing = run_kpi({"collect", "invenio"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("invenio needs --url or --instances"), std::string::npos) << missing.err;
    auto bad_url = run_kpi({"collect", "invenio", "--url", "zenodo.org"});
    EXPECT_EQ(bad_url.exit_code, 2);
    EXPECT_NE(bad_url.err.find("--url: \"zenodo.org\" is not an http:// or https:// address"), std::string::npos)
        << bad_url.err;
    auto no_site = run_kpi({"collect", "invenio", "--instances", dir.write("empty.csv", "name,url,country\r\n")});
    EXPECT_EQ(no_site.exit_code, 2);
    EXPECT_NE(no_site.err.find("invenio needs --url or --instances: the instance list names no site"),
              std::string::npos)
        << no_site.err;
}

TEST(InvenioSurvey, SampleConfigAndShippedListPassConfigCheck) {
    const std::string root = KPI_SOURCE_DIR;
    auto sample = run_kpi({"config", "check", "--config", root + "/lib/sources/invenio/sample.toml"});
    EXPECT_EQ(sample.exit_code, 0) << sample.err;
    EXPECT_NE(sample.out.find("invenio"), std::string::npos) << sample.out;
    // The shipped list, as a config names it (relative to the working directory).
    TempDir dir;
    const std::string config = dir.write("kpi.toml", "[[sources]]\ntype = \"invenio\"\ninstances = "
                                                     "\"examples/invenio-instances.csv\"\n");
    auto shipped = run_kpi({"config", "check", "--config", config}, RunOptions{.cwd = root});
    EXPECT_EQ(shipped.exit_code, 0) << shipped.err;
    TempDir other;
    const std::string bad_csv = other.write("bad.csv", "name,url\nA,https://a.org\n");
    const std::string broken =
        other.write("kpi.toml", "[[sources]]\ntype = \"invenio\"\ninstances = \"" + bad_csv + "\"\n");
    auto bad = run_kpi({"config", "check", "--config", broken});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("bad.csv:1: the header must name the columns name,url,country"), std::string::npos)
        << bad.err;
}

// The README's example, `kpi collect invenio --instances FILE | kpi report --output FILE`,
// on fake sites: what the survey found is what the page shows.
TEST(InvenioSurvey, PipedIntoReportGivesThePageOfTheSurvey) {
    FakeServer rdm, v3, legacy, dspace;
    rdm.get("/", serve(testdata("sources/invenio", "rdm_v13_front.html")));
    rdm.get("/api/records", serve(testdata("sources/invenio", "rdm_records.json"), "application/json"));
    v3.get("/", serve(testdata("sources/invenio", "v3_front.html")));
    v3.get("/api/records/", serve(testdata("sources/invenio", "v3_records.json"), "application/json"));
    legacy.get("/", serve(testdata("sources/invenio", "legacy_v1_front_en.html")));
    dspace.get("/", serve(testdata("sources/invenio", "not_invenio_front.html")));
    dspace.get("/search", serve(testdata("sources/invenio", "not_invenio_front.html")));
    dspace.get("/api/.*", not_found());
    for (FakeServer* s : {&rdm, &v3, &legacy, &dspace}) s->start();
    const std::string refused = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";

    TempDir dir;
    const std::string csv = dir.write("sites.csv", "name,url,country\n"
                                                   "Demo RDM <13>," + rdm.url("/") + ",CH\n"
                                                   "Open Data Portal," + v3.url("/") + ",CH\n"
                                                   "Document Server," + legacy.url("/") + ",ES\n"
                                                   "Not Invenio," + dspace.url("/") + ",TN\n"
                                                   "Gone," + refused + ",FR\n");
    auto survey = run_kpi({"--timeout", "2s", "collect", "invenio", "--instances", csv});
    ASSERT_EQ(survey.exit_code, 0) << survey.err;
    ASSERT_EQ(points_of(survey).size(), 5u) << survey.out;

    const std::string html_path = dir.file("survey.html");
    auto report = run_kpi({"report", "--output", html_path}, RunOptions{.input = survey.out});
    ASSERT_EQ(report.exit_code, 0) << report.err;
    const std::string html = read_file(html_path);
    // 5 sites, 4 answered, 48,213 + 406,804 + 1,234 records from the 3 Invenio sites counted.
    EXPECT_NE(html.find("<dt>Sites</dt><dd>5</dd>"), std::string::npos) << html.substr(0, 4000);
    EXPECT_NE(html.find("<dt>Reachable</dt><dd>4 <small>80 %</small></dd>"), std::string::npos);
    EXPECT_NE(html.find("<dt>Records</dt><dd>456,251 <small>from 3 sites</small></dd>"), std::string::npos);
    EXPECT_NE(html.find("Demo RDM &lt;13&gt;</a>"), std::string::npos) << "names are escaped";
    EXPECT_NE(html.find("<td class=\"num\">406,804</td>"), std::string::npos);
    EXPECT_NE(html.find("<td class=\"status-down\">not reachable</td>"), std::string::npos);
    EXPECT_NE(html.find("<td class=\"status-up\">up, not recognised</td>"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
}
