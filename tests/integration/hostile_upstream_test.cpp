// Hostile upstreams inside one run-all pass: every case ends in a clear error for that
// source within its timeout, with kpi's peak memory bounded, and the other source of the
// pass is delivered. The bound: kpi's own start-up memory plus the body cap
// ([http] max_response_bytes, 4 MiB here) per transfer in flight; kHostileRssBoundKib.

#include <gtest/gtest.h>

#include <thread>

#include "core/ndjson.hpp"
#include "support/fake_server.hpp"
#include "support/raw_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

constexpr long kCapBytes = 4L << 20;
constexpr long kHostileRssBoundKib = 48L << 10;  // 48 MiB: start-up (~15 MiB) + 2 caps + slack

// A healthy Invenio next to the hostile one.
struct GoodUpstream {
    FakeServer server;
    GoodUpstream() {
        server.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"hits":{"hits":[],"total":7}})", "application/json");
        });
        server.start();
    }
};

struct PassResult {
    ProcessResult process;
    std::vector<Point> points;
    const Point* good = nullptr;
    std::map<std::string, std::int64_t> success;  // kpi_run success by source
};

// run-all over the good source and `hostile_sources` ([[sources]] tables named "hostile...").
PassResult run_pass(const GoodUpstream& good, const std::string& hostile_sources, int timeout_seconds = 2) {
    TempDir dir;
    const std::string config = dir.write("kpi.toml", "[http]\ntimeout = \"" + std::to_string(timeout_seconds) +
                                                         "s\"\nretries = 0\nmax_response_bytes = " +
                                                         std::to_string(kCapBytes) +
                                                         "\n\n[[sources]]\ntype = \"records\"\nname = \"good\"\nurl = \"" +
                                                         good.server.url("/api/records") + "\"\n\n" + hostile_sources);
    PassResult r;
    RunOptions options;
    options.timeout_seconds = 60;
    r.process = run_kpi({"run-all", "-c", config}, options);
    r.points = parse_ndjson(r.process.out);
    for (const auto& p : r.points) {
        if (p.measurement == "records") r.good = &p;
        if (p.measurement == "kpi_run") r.success[*p.tag("source")] = std::get<std::int64_t>(*p.field("success"));
    }
    return r;
}

std::string records_source(const std::string& name, const std::string& url) {
    return "[[sources]]\ntype = \"records\"\nname = \"" + name + "\"\nurl = \"" + url + "\"\n\n";
}

// Checks what every case shares: exit 1, the good source delivered, the hostile one failed
// with `error` on stderr, memory within the bound.
void expect_isolated(const PassResult& r, const std::string& error, const std::string& hostile = "hostile") {
    EXPECT_EQ(r.process.exit_code, 1) << r.process.err;
    ASSERT_NE(r.good, nullptr) << "the good source was not delivered:\n" << r.process.out << r.process.err;
    EXPECT_EQ(std::get<std::int64_t>(*r.good->field("total")), 7);
    EXPECT_EQ(r.success.at("good"), 1);
    ASSERT_TRUE(r.success.count(hostile)) << r.process.out;
    EXPECT_EQ(r.success.at(hostile), 0);
    EXPECT_NE(r.process.err.find(error), std::string::npos) << r.process.err;
#if !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer's shadow memory and quarantine are no measure of kpi's
    EXPECT_LT(r.process.max_rss_bytes, kHostileRssBoundKib * 1024LL);
#endif
}

std::string http_head(const std::string& extra) { return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra + "\r\n"; }

}  // namespace

TEST(HostileUpstream, ADeclaredBodyOverTheCapFailsBeforeItIsRead) {
    GoodUpstream good;
    RawServer hostile([](int fd, const std::string&) {
        if (!RawServer::send_all(fd, http_head("Content-Length: 1000000000\r\n"))) return false;
        const std::string chunk(1 << 16, ' ');
        for (int i = 0; i < 16'000 && RawServer::send_all(fd, chunk); ++i) {
        }
        return false;
    });
    auto r = run_pass(good, records_source("hostile", hostile.url("/api/records")));
    expect_isolated(r, "response body larger than 4194304 bytes (the cap): Content-Length 1000000000, not read");
}

TEST(HostileUpstream, AnUndeclaredBodyOverTheCapIsCutAtTheCap) {
    GoodUpstream good;
    RawServer hostile([](int fd, const std::string&) {
        // No Content-Length: the body ends when the connection does, 1 GB later.
        if (!RawServer::send_all(fd, http_head("Connection: close\r\n"))) return false;
        const std::string chunk(1 << 16, ' ');
        for (int i = 0; i < 16'000 && RawServer::send_all(fd, chunk); ++i) {
        }
        return false;
    });
    auto r = run_pass(good, records_source("hostile", hostile.url("/api/records")));
    expect_isolated(r, "response body larger than 4194304 bytes (the cap): cut off after ");
}

TEST(HostileUpstream, ABodyThatNeverEndsTimesOut) {
    GoodUpstream good;
    RawServer hostile([&](int fd, const std::string&) {
        if (!RawServer::send_all(fd, http_head("Transfer-Encoding: chunked\r\n"))) return false;
        while (hostile.pause(50) && RawServer::send_all(fd, "1\r\n \r\n")) {
        }
        return false;
    });
    auto r = run_pass(good, records_source("hostile", hostile.url("/api/records")), 1);
    expect_isolated(r, "Operation timed out after");
}

TEST(HostileUpstream, AServerThatAcceptsAndNeverAnswersTimesOut) {
    GoodUpstream good;
    RawServer hostile([&](int, const std::string&) {
        while (hostile.pause(50)) {
        }
        return false;
    });
    auto r = run_pass(good, records_source("hostile", hostile.url("/api/records")), 1);
    expect_isolated(r, "Operation timed out after");
    EXPECT_EQ(hostile.accepted(), 1);
}

TEST(HostileUpstream, AConnectionClosedMidBodyIsAnError) {
    GoodUpstream good;
    RawServer hostile([](int fd, const std::string&) {
        RawServer::send_all(fd, http_head("Content-Length: 1000\r\n") + R"({"hits":{"hits":[],"total":)");
        return false;  // closes with 973 bytes owed
    });
    auto r = run_pass(good, records_source("hostile", hostile.url("/api/records")));
    expect_isolated(r, "transfer closed with 973 bytes remaining to read");
}

TEST(HostileUpstream, RedirectLoopsEndAfterFiveRedirects) {
    GoodUpstream good;
    FakeServer a, b;
    a.get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop", 302); });
    a.get("/ping", [&](const httplib::Request&, httplib::Response& res) { res.set_redirect(b.url("/pong"), 302); });
    b.get("/pong", [&](const httplib::Request&, httplib::Response& res) { res.set_redirect(a.url("/ping"), 301); });
    a.start();
    b.start();
    auto r = run_pass(good, records_source("hostile", a.url("/loop")) + records_source("hostile2", a.url("/ping")));
    expect_isolated(r, "more than 5 redirects (the last to " + a.url("/loop") + ")");
    expect_isolated(r, "more than 5 redirects (the last to ", "hostile2");
    EXPECT_EQ(a.request_count(), 6u + 3u);
    EXPECT_EQ(b.request_count(), 3u);
}

TEST(HostileUpstream, JsonNestedAMillionDeepIsRejected) {
    GoodUpstream good;
    FakeServer hostile;
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    hostile.get("/api/records", [&](const httplib::Request&, httplib::Response& res) { res.set_content(deep, "application/json"); });
    hostile.start();
    auto r = run_pass(good, records_source("hostile", hostile.url("/api/records")));
    expect_isolated(r, "but the JSON is invalid");
}

TEST(HostileUpstream, NumbersOutOfRangeAreErrorsNotValues) {
    GoodUpstream good;
    FakeServer hostile;
    const std::vector<std::string> totals{"1e999", "99999999999999999999", "18446744073709551615", "-1e400"};
    hostile.get(R"(/api/records/(\d))", [&](const httplib::Request& req, httplib::Response& res) {
        res.set_content(R"({"hits":{"hits":[],"total":)" + totals.at(std::stoul(req.matches[1])) + "}}", "application/json");
    });
    hostile.start();
    std::string sources;
    for (std::size_t i = 0; i < totals.size(); ++i) {
        sources += records_source("hostile" + std::to_string(i), hostile.url("/api/records/" + std::to_string(i)));
    }
    auto r = run_pass(good, sources);
    for (std::size_t i = 0; i < totals.size(); ++i) {
        expect_isolated(r, "/api/records/" + std::to_string(i) + "?size=1", "hostile" + std::to_string(i));
    }
    for (const auto& p : r.points) {
        if (p.measurement == "records") {
            EXPECT_EQ(std::get<std::int64_t>(*p.field("total")), 7) << "only the good total";
        }
    }
    EXPECT_EQ(r.process.out.find("e+"), std::string::npos) << r.process.out;
}

TEST(HostileUpstream, NulAndInvalidUtf8AreRejected) {
    GoodUpstream good;
    FakeServer hostile;
    hostile.get("/nul", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(R"({"hits":{"hits":[],"total":)") + '\0' + "5}}", "application/json");
    });
    hostile.get("/utf8", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{\"hits\":{\"hits\":[],\"total\":5},\"title\":\"\xff\xfe\xc3\"}", "application/json");
    });
    hostile.start();
    auto r = run_pass(good, records_source("hostile", hostile.url("/nul")) + records_source("hostile2", hostile.url("/utf8")));
    expect_isolated(r, hostile.url("/nul?size=1") + ": HTTP 200 but the JSON is invalid");
    expect_isolated(r, hostile.url("/utf8?size=1") + ": HTTP 200 but the JSON is invalid", "hostile2");
}

// A server that redirects every request to another host, path, query and all, as a
// hijacked or misconfigured one would: none of the credentials follow.
TEST(HostileUpstream, CrossHostRedirectsCarryNoCredentialsAuthorizationOrBody) {
    for (int status : {302, 307}) {
        SCOPED_TRACE("redirect status " + std::to_string(status));
        GoodUpstream good;
        FakeServer other;
        const auto answer = [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"stat":"ok","result":{"stats":{"count":"1"}}})", "application/json");
        };
        other.get("/.*", answer);
        other.post("/.*", answer);
        other.start();
        FakeServer origin;
        const auto redirect = [&](const httplib::Request& req, httplib::Response& res) {
            res.set_redirect(other.url(req.target), status);
        };
        origin.get("/.*", redirect);
        origin.post("/.*", redirect);
        origin.start();

        TempDir dir;
        const std::string ur_key = dir.write("ur", "ur-secret-key-1\n");
        const std::string ur3_key = dir.write("ur3", "ur-bearer-key-3\n");
        const std::string snow_pw = dir.write("snow", "snow-password-9\n");
        const std::string snow_token = dir.write("snowt", "snow-token-77\n");
        const std::string matomo = dir.write("matomo", "matomo-token-5\n");
        const std::string url = origin.url();
        auto r = run_pass(good, R"(
[[sources]]
type = "uptimerobot"
name = "hostile"
url = ")" + url + R"("
api_key_file = ")" + ur_key + R"("

[[sources]]
type = "uptimerobot"
name = "hostile_v3"
api_version = "3"
url = ")" + url + R"("
api_key_file = ")" + ur3_key + R"("

[[sources]]
type = "servicenow"
name = "hostile_basic"
url = ")" + url + R"("
table = ["incident"]
group = "Zenodo Repository"
user = "kpi"
password_file = ")" + snow_pw + R"("

[[sources]]
type = "servicenow"
name = "hostile_token"
url = ")" + url + R"("
table = ["incident"]
group = "Zenodo Repository"
token_file = ")" + snow_token + R"("

[[sources]]
type = "matomo"
name = "hostile_matomo"
url = ")" + url + R"("
site_id = [7]
date = "2026-11-27"
token_file = ")" + matomo + R"("
)");
        EXPECT_EQ(r.process.exit_code, 1) << r.process.err;
        ASSERT_NE(r.good, nullptr) << r.process.err;
        EXPECT_GE(origin.request_count(), 5u) << "every source asked the configured host first";
        for (const auto& req : other.requests()) {
            EXPECT_EQ(req.headers.count("Authorization"), 0u) << req.method << " " << req.target;
            EXPECT_EQ(req.headers.count("Cookie"), 0u);
            EXPECT_TRUE(req.body.empty()) << "no body follows to another host: " << req.body;
            for (const char* secret :
                 {"ur-secret-key-1", "ur-bearer-key-3", "snow-password-9", "snow-token-77", "matomo-token-5"}) {
                EXPECT_EQ(req.target.find(secret), std::string::npos) << req.target;
                for (const auto& [name, value] : req.headers) EXPECT_EQ(value.find(secret), std::string::npos) << name;
            }
        }
        for (const char* secret :
             {"ur-secret-key-1", "ur-bearer-key-3", "snow-password-9", "snow-token-77", "matomo-token-5"}) {
            EXPECT_EQ(r.process.err.find(secret), std::string::npos) << r.process.err;
        }
    }
}
