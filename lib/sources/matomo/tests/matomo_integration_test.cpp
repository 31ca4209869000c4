// `kpi collect matomo` against a fake Matomo Reporting API on 127.0.0.1.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
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
const std::string kToken = "0123abcd+matomo/token=";

struct Seen {
    std::string target;
    std::multimap<std::string, std::string> params;  // query and form, decoded
    std::string body;
};

// index.php answering VisitsSummary.get per site from `answers` (site id -> JSON text).
class FakeMatomo {
public:
    FakeMatomo() {
        server_.post("/index.php", [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard lock(mutex_);
                seen_.push_back({req.target, {req.params.begin(), req.params.end()}, req.body});
            }
            if (intercept && intercept(req, res)) return;
            auto it = answers.find(req.get_param_value("idSite"));
            res.set_content(it == answers.end() ? R"({"result":"error","message":"unknown site"})" : it->second,
                            "application/json");
        });
        server_.start();
    }

    std::string url() const { return server_.url(); }
    std::vector<RecordedRequest> requests() const { return server_.requests(); }
    std::vector<Seen> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }

    std::map<std::string, std::string> answers;
    std::function<bool(const httplib::Request&, httplib::Response&)> intercept;

private:
    FakeServer server_;
    mutable std::mutex mutex_;
    std::vector<Seen> seen_;
};

// One day's VisitsSummary.get answer: 10233 visits, 8412 unique visitors, 31877 actions, 205 s.
std::string day_answer() { return testdata("sources/matomo", "visits_summary_day.json"); }

using kpi::test::Collected;

Collected collect(const std::vector<std::string>& extra, const RunOptions& options = {}) {
    return kpi::test::collect_source("matomo", extra, options);
}

std::int64_t integer(const kpi::Point& p, const std::string& field) {
    const auto* v = p.field(field);
    return v && std::holds_alternative<std::int64_t>(*v) ? std::get<std::int64_t>(*v) : -1;
}

std::string param(const Seen& s, const std::string& key) {
    auto it = s.params.find(key);
    return it == s.params.end() ? "(absent)" : it->second;
}

void expect_no_token(const ProcessResult& r) {
    for (const std::string& form : {kToken, kpi::url_encode(kToken)}) {
        EXPECT_EQ(r.out.find(form), std::string::npos) << "the token leaked to stdout";
        EXPECT_EQ(r.err.find(form), std::string::npos) << "the token leaked to stderr:\n" << r.err;
    }
}

class Matomo : public ::testing::Test {
protected:
    std::string token_file() { return dir_.write("matomo-token", kToken + "\n"); }
    TempDir dir_;
};

}  // namespace

TEST_F(Matomo, VisitsOfEachSiteWithTheTokenInTheBodyOnly) {
    FakeMatomo fake;
    fake.answers = {{"1", day_answer()}, {"7", R"({"nb_visits":"12","nb_uniq_visitors":"9","nb_actions":"40","avg_time_on_site":"61"})"}};
    auto c = collect({"--url", fake.url(), "--site-id", "1", "--site-id", "7", "--token-file", token_file(), "--tag",
                      "service=zenodo"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 2u);
    EXPECT_EQ(c.points[0].measurement, "visits");
    EXPECT_EQ(*c.points[0].tag("site_id"), "1");
    EXPECT_EQ(*c.points[0].tag("service"), "zenodo");
    EXPECT_EQ(integer(c.points[0], "visits"), 10233);
    EXPECT_EQ(integer(c.points[0], "unique_visitors"), 8412);
    EXPECT_EQ(integer(c.points[0], "actions"), 31877);
    EXPECT_EQ(std::get<double>(*c.points[0].field("avg_time_on_site_seconds")), 205.0);
    EXPECT_EQ(*c.points[1].tag("site_id"), "7");
    EXPECT_EQ(integer(c.points[1], "visits"), 12);
    EXPECT_EQ(c.points[0].time, c.points[1].time);  // yesterday: stamped with the pass time

    ASSERT_EQ(fake.seen().size(), 2u);
    for (const auto& s : fake.seen()) {
        EXPECT_EQ(param(s, "module"), "API");
        EXPECT_EQ(param(s, "method"), "VisitsSummary.get");
        EXPECT_EQ(param(s, "period"), "day");
        EXPECT_EQ(param(s, "date"), "yesterday");
        EXPECT_EQ(param(s, "format"), "JSON");
        EXPECT_EQ(param(s, "token_auth"), kToken);
        EXPECT_EQ(s.target.find("token_auth"), std::string::npos) << s.target;
        EXPECT_EQ(s.target.find(kpi::url_encode(kToken)), std::string::npos) << s.target;
        EXPECT_NE(s.body.find("token_auth=" + kpi::url_encode(kToken)), std::string::npos) << s.body;
    }
    expect_no_token(c.process);
}

TEST_F(Matomo, ADateNamingOneDayStampsThePointsAtThatDay) {
    FakeMatomo fake;
    fake.answers = {{"3", day_answer()}};
    auto c = collect({"--url", fake.url() + "/", "--site-id", "3", "--date", "2024-03-05", "--token-env", "KPI_TEST_MATOMO"},
                     {.env = {{"KPI_TEST_MATOMO", kToken}}});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(c.points[0].time, kpi::parse_rfc3339("2024-03-05T00:00:00Z"));
    EXPECT_NE(c.process.out.find("\"time\":\"2024-03-05T00:00:00Z\""), std::string::npos);
    EXPECT_EQ(param(fake.seen().at(0), "date"), "2024-03-05");
}

TEST_F(Matomo, SeveralPeriodsGiveOnePointEach) {
    FakeMatomo fake;
    fake.answers = {{"1", R"({"2024-03-01":{"nb_visits":5,"nb_actions":9},"2024-03-02":[],"2024-03-03":)" + day_answer() + "}"}};
    auto c = collect({"--url", fake.url(), "--site-id", "1", "--date", "last3"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 3u);
    EXPECT_EQ(c.points[0].time, kpi::parse_rfc3339("2024-03-01T00:00:00Z"));
    EXPECT_EQ(integer(c.points[0], "visits"), 5);
    EXPECT_EQ(c.points[0].field("unique_visitors"), nullptr);  // not reported: left out
    EXPECT_EQ(c.points[1].time, kpi::parse_rfc3339("2024-03-02T00:00:00Z"));
    EXPECT_EQ(integer(c.points[1], "visits"), 0);
    EXPECT_EQ(integer(c.points[2], "visits"), 10233);
    // Without a token none is sent: anonymous view access.
    EXPECT_EQ(param(fake.seen().at(0), "token_auth"), "(absent)");
}

// Matomo's own output for two days (testdata/README.md), served as the API.
TEST_F(Matomo, MatomosOwnOutputGivesItsExactNumbers) {
    FakeMatomo fake;
    fake.answers = {{"1", testdata("sources/matomo", "matomo_system_test_two_days.json")}};
    auto c = collect({"--url", fake.url(), "--site-id", "1", "--date", "2010-03-06,2010-03-07"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 2u);
    EXPECT_EQ(c.points[0].time, kpi::parse_rfc3339("2010-03-06T00:00:00Z"));
    EXPECT_EQ(integer(c.points[0], "visits"), 2);
    EXPECT_EQ(integer(c.points[0], "unique_visitors"), 1);
    EXPECT_EQ(integer(c.points[0], "actions"), 8);
    ASSERT_NE(c.points[0].field("avg_time_on_site_seconds"), nullptr);
    EXPECT_EQ(std::get<double>(*c.points[0].field("avg_time_on_site_seconds")), 811.0);
    EXPECT_EQ(c.points[1].time, kpi::parse_rfc3339("2010-03-07T00:00:00Z"));
    EXPECT_EQ(integer(c.points[1], "visits"), 0);
    EXPECT_EQ(c.points[1].field("avg_time_on_site_seconds"), nullptr);
}

TEST_F(Matomo, APeriodWithoutDataIsZeroVisits) {
    FakeMatomo fake;
    fake.answers = {{"1", "[]"}};
    auto c = collect({"--url", fake.url(), "--site-id", "1", "--token-file", token_file()});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(integer(c.points[0], "visits"), 0);
    EXPECT_EQ(integer(c.points[0], "unique_visitors"), 0);
    EXPECT_EQ(integer(c.points[0], "actions"), 0);
    EXPECT_EQ(c.points[0].field("avg_time_on_site_seconds"), nullptr);
}

TEST_F(Matomo, AnErrorResultIsAnErrorWithMatomosMessageAndOtherSitesStillCount) {
    FakeMatomo fake;
    fake.answers = {{"1", day_answer()}};
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        if (req.get_param_value("idSite") != "9") return false;
        res.set_content(R"({"result":"error","message":"token_auth )" + req.get_param_value("token_auth") +
                            R"( has no 'view' access for the website id = 9."})",
                        "application/json");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--site-id", "9", "--site-id", "1", "--token-file", token_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_NE(c.process.err.find("has no 'view' access for the website id = 9"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find(fake.url() + "/index.php"), std::string::npos) << c.process.err;
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(*c.points[0].tag("site_id"), "1");
    expect_no_token(c.process);
}

TEST_F(Matomo, HttpErrorsNameTheStatusAndTheServersWords) {
    FakeMatomo fake;
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        res.status = 403;
        res.set_content("<html><body>Forbidden for " + req.get_param_value("token_auth") + "</body></html>", "text/html");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--site-id", "1", "--token-file", token_file()});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_TRUE(c.points.empty());
    EXPECT_NE(c.process.err.find("HTTP 403"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find("Forbidden for"), std::string::npos) << c.process.err;
    expect_no_token(c.process);
}

TEST_F(Matomo, RateLimitedRequestIsRetriedAndSucceeds) {
    FakeMatomo fake;
    fake.answers = {{"1", day_answer()}};
    std::atomic<int> calls{0};
    fake.intercept = [&calls](const httplib::Request&, httplib::Response& res) {
        if (calls++ > 0) return false;
        res.status = 429;
        res.set_header("Retry-After", "1");
        res.set_content("slow down", "text/plain");
        return true;
    };
    auto c = collect({"--url", fake.url(), "--site-id", "1"});

    EXPECT_EQ(c.process.exit_code, 0) << c.process.err;
    EXPECT_EQ(fake.seen().size(), 2u);
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(integer(c.points[0], "visits"), 10233);
}

TEST_F(Matomo, MalformedAndTruncatedAnswersAreErrors) {
    FakeMatomo fake;
    fake.answers = {{"1", day_answer().substr(0, 40)}, {"2", "<html><body>Please log in</body></html>"}};
    auto c = collect({"--url", fake.url(), "--site-id", "1", "--site-id", "2"});

    EXPECT_EQ(c.process.exit_code, 1);
    EXPECT_TRUE(c.points.empty());
    EXPECT_NE(c.process.err.find("idSite=1"), std::string::npos) << c.process.err;
    EXPECT_NE(c.process.err.find("Please log in"), std::string::npos) << c.process.err;
}

TEST_F(Matomo, NegotiateFailingWithoutATicketSaysSo) {
    FakeMatomo fake;
    fake.intercept = [](const httplib::Request&, httplib::Response& res) {
        res.status = 401;
        res.set_header("WWW-Authenticate", "Negotiate");
        res.set_content("<html><body>Authorization Required</body></html>", "text/html");
        return true;
    };
    // A credential cache that does not exist: no ticket, whatever the machine has.
    RunOptions no_ticket{.env = {{"KRB5CCNAME", "FILE:" + dir_.file("no-such-ccache")}}};
    auto with = collect({"--url", fake.url(), "--site-id", "1", "--negotiate", "--cookie-jar", dir_.file("cookies")},
                        no_ticket);

    EXPECT_EQ(with.process.exit_code, 1);
    EXPECT_TRUE(with.points.empty());
    EXPECT_NE(with.process.err.find("Kerberos (SPNEGO) negotiation failed"), std::string::npos) << with.process.err;
    EXPECT_NE(with.process.err.find("HTTP 401"), std::string::npos) << with.process.err;
    EXPECT_NE(with.process.err.find(fake.url() + "/index.php"), std::string::npos) << with.process.err;

    auto without = collect({"--url", fake.url(), "--site-id", "1"}, no_ticket);
    EXPECT_EQ(without.process.exit_code, 1);
    EXPECT_NE(without.process.err.find("add --negotiate"), std::string::npos) << without.process.err;
}

TEST_F(Matomo, ACookieJarKeepsTheSessionBetweenRuns) {
    FakeMatomo fake;
    fake.answers = {{"1", day_answer()}};
    fake.intercept = [](const httplib::Request& req, httplib::Response& res) {
        if (!req.has_header("Cookie")) res.set_header("Set-Cookie", "MATOMO_SESSID=s3ss10n; Path=/; HttpOnly");
        return false;
    };
    const std::string jar = dir_.file("matomo.cookies");
    auto first = collect({"--url", fake.url(), "--site-id", "1", "--cookie-jar", jar});
    auto second = collect({"--url", fake.url(), "--site-id", "1", "--cookie-jar", jar});

    EXPECT_EQ(first.process.exit_code, 0) << first.process.err;
    EXPECT_EQ(second.process.exit_code, 0) << second.process.err;
    EXPECT_NE(read_file(jar).find("MATOMO_SESSID\ts3ss10n"), std::string::npos) << read_file(jar);
    struct stat jar_stat {};
    ASSERT_EQ(::stat(jar.c_str(), &jar_stat), 0);
    EXPECT_EQ(jar_stat.st_mode & 0777, 0600u) << "the session cookies must stay private";
    auto requests = fake.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].headers.count("Cookie"), 0u);
    ASSERT_EQ(requests[1].headers.count("Cookie"), 1u);
    EXPECT_EQ(requests[1].headers.find("Cookie")->second, "MATOMO_SESSID=s3ss10n");
}

TEST_F(Matomo, UsageErrorsExitTwoWithoutAnyRequest) {
    FakeMatomo fake;
    EXPECT_EQ(collect({"--site-id", "1"}).process.exit_code, 2);                          // no --url
    EXPECT_EQ(collect({"--url", fake.url()}).process.exit_code, 2);                       // no --site-id
    auto zero = collect({"--url", fake.url(), "--site-id", "0"}).process;                  // not a site id
    EXPECT_EQ(zero.exit_code, 2);
    EXPECT_NE(zero.err.find("--site-id: \"0\" is not a Matomo site id"), std::string::npos) << zero.err;
    EXPECT_EQ(collect({"--url", fake.url(), "--site-id", "one"}).process.exit_code, 2);   // not an integer
    EXPECT_EQ(collect({"--url", fake.url(), "--site-id", "1", "--period", "fortnight"}).process.exit_code, 2);
    auto spaced = collect({"--url", fake.url(), "--site-id", "1", "--date", "last 7"}).process;
    EXPECT_EQ(spaced.exit_code, 2);
    EXPECT_NE(spaced.err.find("--date: \"last 7\" is not a Matomo date"), std::string::npos) << spaced.err;
    EXPECT_TRUE(fake.seen().empty());
}
