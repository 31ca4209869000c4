// `kpi collect servicenow` against a fake ServiceNow Aggregate API on 127.0.0.1.

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/ndjson.hpp"
#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;

namespace {

const std::string kPasswordVar = "KPI_TEST_SERVICENOW_PASSWORD";
const std::string kPassword = "pa ss^wörd";
const std::string kPasswordEncoded = "pa%20ss%5Ew%C3%B6rd";
const std::string kUser = "kpi-reader";
const std::string kBasicCredentials = "a3BpLXJlYWRlcjpwYSBzc153w7ZyZA==";  // base64("kpi-reader:pa ss^wörd")

std::string fixture(const std::string& name) {
    return read_file(std::string(KPI_SOURCE_DIR) + "/tests/fixtures/servicenow/" + name);
}

struct Answer {
    int status = 200;
    std::string body;
    std::map<std::string, std::string> headers;
};

// The answer to one request: `open` is the count query (open tickets), else the average
// over closed tickets.
using Responder = std::function<Answer(const std::string& table, bool open, const httplib::Request&)>;

Answer fixture_answer(const std::string& table, bool open, const httplib::Request&) {
    return {200, fixture((open ? "open_" : "closed_") + table + ".json"), {}};
}

void serve_stats(FakeServer& server, Responder responder) {
    server.get(R"(/api/now/stats/(\w+))", [responder](const httplib::Request& req, httplib::Response& res) {
        Answer answer = responder(req.matches[1].str(), req.has_param("sysparm_count"), req);
        res.status = answer.status;
        for (const auto& [name, value] : answer.headers) res.set_header(name, value);
        res.set_content(answer.body, "application/json");
    });
}

std::vector<std::string> collect_args(const FakeServer& server, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"collect", "servicenow", "--url", server.url(), "--group", "Zenodo Repository",
                                  "--user", kUser, "--password-env", kPasswordVar};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

RunOptions with_password() { return RunOptions{.env = {{kPasswordVar, kPassword}}}; }

std::vector<kpi::Point> points_of(const ProcessResult& r) {
    std::vector<kpi::LineError> errors;
    auto points = kpi::parse_ndjson(r.out, &errors);
    EXPECT_TRUE(errors.empty()) << "stdout is not only points:\n" << r.out;
    return points;
}

const kpi::Point* point_for_table(const std::vector<kpi::Point>& points, const std::string& table) {
    for (const auto& p : points) {
        if (p.tag("table") && *p.tag("table") == table) return &p;
    }
    return nullptr;
}

template <typename T>
T field_as(const kpi::Point& point, const std::string& key) {
    const kpi::FieldValue* value = point.field(key);
    if (value == nullptr || !std::holds_alternative<T>(*value)) {
        ADD_FAILURE() << "field " << key << " missing or of another type";
        return T{};
    }
    return std::get<T>(*value);
}

// The recorded request of `table` for the open (count) or the closed (average) query.
const RecordedRequest* request_for(const std::vector<RecordedRequest>& requests, const std::string& table,
                                   bool open) {
    for (const auto& r : requests) {
        if (r.path == "/api/now/stats/" + table && (r.params.count("sysparm_count") != 0) == open) return &r;
    }
    return nullptr;
}

std::string param(const RecordedRequest& r, const std::string& name) {
    auto it = r.params.find(name);
    return it == r.params.end() ? std::string("<absent>") : it->second;
}

void expect_no_secret_anywhere(const FakeServer& server, const ProcessResult& r) {
    for (const auto& secret : {kPassword, kPasswordEncoded, kBasicCredentials}) {
        EXPECT_EQ(r.out.find(secret), std::string::npos) << "secret on stdout";
        EXPECT_EQ(r.err.find(secret), std::string::npos) << "secret on stderr:\n" << r.err;
        for (const auto& req : server.requests()) {
            EXPECT_EQ(req.target.find(secret), std::string::npos) << "secret in URL " << req.target;
            EXPECT_EQ(req.body.find(secret), std::string::npos) << "secret in body";
        }
    }
}

}  // namespace

TEST(ServiceNow, EmitsOnePointPerDefaultTableWithTypedFields) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();

    auto r = run_kpi(collect_args(server), with_password());

    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 2u) << r.out;
    const kpi::Point* incident = point_for_table(points, "incident");
    const kpi::Point* requests = point_for_table(points, "sc_req_item");
    ASSERT_NE(incident, nullptr);
    ASSERT_NE(requests, nullptr);
    EXPECT_EQ(incident->measurement, "support_tickets");
    ASSERT_NE(incident->tag("group"), nullptr);
    EXPECT_EQ(*incident->tag("group"), "Zenodo Repository");
    EXPECT_EQ(field_as<std::int64_t>(*incident, "open"), 12);
    EXPECT_EQ(field_as<std::int64_t>(*incident, "max_reassignments"), 3);
    EXPECT_EQ(field_as<double>(*incident, "avg_time_to_resolve_seconds"), 3600.5);
    EXPECT_EQ(field_as<std::int64_t>(*requests, "open"), 4);
    // A whole-number average is still a float on the wire.
    EXPECT_EQ(field_as<double>(*requests, "avg_time_to_resolve_seconds"), 86400.0);
    EXPECT_NE(r.out.find("\"open\":12,"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"avg_time_to_resolve_seconds\":86400.0"), std::string::npos) << r.out;
    EXPECT_EQ(points[0].time, points[1].time);
    EXPECT_EQ(server.request_count(), 4u);
}

TEST(ServiceNow, SendsTheExactQueries) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    const RecordedRequest* open = request_for(requests, "incident", true);
    const RecordedRequest* closed = request_for(requests, "incident", false);
    ASSERT_NE(open, nullptr);
    ASSERT_NE(closed, nullptr);
    EXPECT_EQ(open->method, "GET");
    EXPECT_EQ(open->target,
              "/api/now/stats/incident?sysparm_query=assignment_group.nameSTARTSWITHZenodo%20Repository"
              "%5EstateNOT%20IN6%2C7%2C8&sysparm_count=true&sysparm_max_fields=reassignment_count");
    EXPECT_EQ(param(*open, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^stateNOT IN6,7,8");
    EXPECT_EQ(param(*open, "sysparm_count"), "true");
    EXPECT_EQ(param(*open, "sysparm_max_fields"), "reassignment_count");
    EXPECT_EQ(param(*open, "sysparm_avg_fields"), "<absent>");
    EXPECT_EQ(closed->target,
              "/api/now/stats/incident?sysparm_query=assignment_group.nameSTARTSWITHZenodo%20Repository"
              "%5EstateIN6%2C7%2C8&sysparm_avg_fields=calendar_stc");
    EXPECT_EQ(param(*closed, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^stateIN6,7,8");
    EXPECT_EQ(param(*closed, "sysparm_avg_fields"), "calendar_stc");
    auto accept = open->headers.find("Accept");
    ASSERT_NE(accept, open->headers.end());
    EXPECT_EQ(accept->second, "application/json");
}

TEST(ServiceNow, TakesTablesStatesAndFieldsFromOptions) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request&) {
        return Answer{200,
                      open ? R"({"result":{"stats":{"count":"2","max":{"u_reassignment_counter_fe":"5"}}}})"
                           : R"({"result":{"stats":{"avg":{"business_stc":"60"}}}})",
                      {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "u_request_fulfillment", "--closed-states", "3, 7",
                                           "--reassignment-field", "u_reassignment_counter_fe",
                                           "--resolve-time-field", "business_stc"}),
                     with_password());

    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = server.requests();
    const RecordedRequest* open = request_for(requests, "u_request_fulfillment", true);
    const RecordedRequest* closed = request_for(requests, "u_request_fulfillment", false);
    ASSERT_NE(open, nullptr);
    ASSERT_NE(closed, nullptr);
    EXPECT_EQ(param(*open, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^stateNOT IN3,7");
    EXPECT_EQ(param(*open, "sysparm_max_fields"), "u_reassignment_counter_fe");
    EXPECT_EQ(param(*closed, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^stateIN3,7");
    EXPECT_EQ(param(*closed, "sysparm_avg_fields"), "business_stc");
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(field_as<std::int64_t>(points[0], "max_reassignments"), 5);
    EXPECT_EQ(field_as<double>(points[0], "avg_time_to_resolve_seconds"), 60.0);
}

TEST(ServiceNow, GroupWithSpacesNonAsciiAndCaretIsEncodedAndEscaped) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request& req) {
        return fixture_answer("incident", open, req);
    });
    server.start();
    const std::string group = "Équipe Données R^D";

    auto r = run_kpi({"collect", "servicenow", "--url", server.url(), "--table", "incident", "--group", group,
                      "--user", kUser, "--password-env", kPasswordVar},
                     with_password());

    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = server.requests();
    const RecordedRequest* open = request_for(requests, "incident", true);
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(open->target,
              "/api/now/stats/incident?sysparm_query=assignment_group.nameSTARTSWITH%C3%89quipe%20Donn%C3%A9es"
              "%20R%5E%5ED%5EstateNOT%20IN6%2C7%2C8&sysparm_count=true&sysparm_max_fields=reassignment_count");
    EXPECT_EQ(param(*open, "sysparm_query"),
              "assignment_group.nameSTARTSWITHÉquipe Données R^^D^stateNOT IN6,7,8");
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    ASSERT_NE(points[0].tag("group"), nullptr);
    EXPECT_EQ(*points[0].tag("group"), group);
}

TEST(ServiceNow, WithoutGroupCountsEveryGroupAndTagsNone) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();

    auto r = run_kpi({"collect", "servicenow", "--url", server.url(), "--table", "incident", "--user", kUser,
                      "--password-env", kPasswordVar},
                     with_password());

    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = server.requests();
    const RecordedRequest* open = request_for(requests, "incident", true);
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(param(*open, "sysparm_query"), "stateNOT IN6,7,8");
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].tag("group"), nullptr);
    EXPECT_NE(points[0].tag("table"), nullptr);
}

TEST(ServiceNow, BasicAuthGoesInTheHeaderOnly) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();
    TempDir dir;
    const std::string password_file = dir.write("password", kPassword + "\n");

    auto r = run_kpi({"collect", "servicenow", "--url", server.url(), "--group", "Zenodo Repository", "--user",
                      kUser, "--password-file", password_file});

    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4u);
    for (const auto& req : requests) {
        auto auth = req.headers.find("Authorization");
        ASSERT_NE(auth, req.headers.end()) << req.target;
        // The trailing newline of the file is not part of the password.
        EXPECT_EQ(auth->second, "Basic " + kBasicCredentials);
    }
    expect_no_secret_anywhere(server, r);
}

TEST(ServiceNow, BearerTokenGoesInTheHeaderOnly) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();
    const std::string token = "tok.en-Xy9";

    auto r = run_kpi({"collect", "servicenow", "--url", server.url(), "--table", "incident", "--token-env",
                      "KPI_TEST_SERVICENOW_TOKEN"},
                     RunOptions{.env = {{"KPI_TEST_SERVICENOW_TOKEN", token}}});

    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& req : server.requests()) {
        auto auth = req.headers.find("Authorization");
        ASSERT_NE(auth, req.headers.end());
        EXPECT_EQ(auth->second, "Bearer " + token);
        EXPECT_EQ(req.target.find(token), std::string::npos);
    }
    EXPECT_EQ(r.out.find(token), std::string::npos);
    EXPECT_EQ(r.err.find(token), std::string::npos);
}

TEST(ServiceNow, EmptyValuesAreLeftOutNotZero) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request&) {
        return Answer{200, fixture(open ? "open_none.json" : "closed_none.json"), {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(field_as<std::int64_t>(points[0], "open"), 0);
    EXPECT_EQ(points[0].field("max_reassignments"), nullptr);
    EXPECT_EQ(points[0].field("avg_time_to_resolve_seconds"), nullptr);
    EXPECT_EQ(r.out.find("null"), std::string::npos) << r.out;
}

TEST(ServiceNow, ErrorAnswerWithHttp200IsAFailureWithTheServiceMessage) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool, const httplib::Request&) {
        return Answer{200, fixture("error_not_authenticated.json"), {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("User Not Authenticated: Required to provide Auth information"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(server.url("/api/now/stats/incident")), std::string::npos) << r.err;
}

TEST(ServiceNow, Unauthorized401NamesTheMessageAndHidesEchoedCredentials) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool, const httplib::Request& req) {
        // A service that echoes what it was sent: the header and the decoded password.
        std::string detail = "rejected " + req.get_header_value("Authorization") + " with password " + kPassword;
        return Answer{401, R"({"error":{"message":"User Not Authenticated","detail":")" + detail +
                               R"("},"status":"failure"})",
                      {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("User Not Authenticated"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("/api/now/stats/incident"), std::string::npos) << r.err;
    EXPECT_EQ(server.request_count(), 2u) << "a 401 is not retried";
    expect_no_secret_anywhere(server, r);
}

TEST(ServiceNow, Forbidden403NamesTheAclMessage) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool, const httplib::Request&) {
        return Answer{403, fixture("error_forbidden.json"), {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HTTP 403"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ACL Exception Read Operation Failed"), std::string::npos) << r.err;
    expect_no_secret_anywhere(server, r);
}

TEST(ServiceNow, MalformedAndTruncatedAnswersAreFailures) {
    FakeServer server;
    serve_stats(server, [](const std::string& table, bool open, const httplib::Request&) {
        if (table == "incident") return Answer{200, fixture("login_page.html"), {}};
        return Answer{200, open ? R"({"result":{"stats":{"count":"4","max":{"reass)" : R"({"result":)", {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server), with_password());

    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("/api/now/stats/incident"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not JSON"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("/api/now/stats/sc_req_item"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("JSON is invalid"), std::string::npos) << r.err;
}

TEST(ServiceNow, NonNumericAndMissingAggregatesAreFailuresNamingTheField) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request&) {
        return Answer{200,
                      open ? R"({"result":{"stats":{"count":"many","max":{"reassignment_count":"1"}}}})"
                           : R"({"result":{"stats":{"avg":{}}}})",
                      {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("stats.count is not an integer: \"many\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("stats.avg.calendar_stc"), std::string::npos) << r.err;
}

TEST(ServiceNow, OneFailingTableStillDeliversTheOthers) {
    FakeServer server;
    serve_stats(server, [](const std::string& table, bool open, const httplib::Request& req) {
        if (table == "sc_req_item") return Answer{403, fixture("error_forbidden.json"), {}};
        return fixture_answer(table, open, req);
    });
    server.start();

    auto r = run_kpi(collect_args(server), with_password());

    EXPECT_EQ(r.exit_code, 1);
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(*points[0].tag("table"), "incident");
    EXPECT_NE(r.err.find("/api/now/stats/sc_req_item"), std::string::npos) << r.err;
}

TEST(ServiceNow, HalfAnsweredTableKeepsTheValuesItHas) {
    FakeServer server;
    serve_stats(server, [](const std::string& table, bool open, const httplib::Request& req) {
        if (!open) return Answer{403, fixture("error_forbidden.json"), {}};
        return fixture_answer(table, open, req);
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 1);
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(field_as<std::int64_t>(points[0], "open"), 12);
    EXPECT_EQ(points[0].field("avg_time_to_resolve_seconds"), nullptr);
}

TEST(ServiceNow, RateLimitedAnswerIsRetriedAfterRetryAfter) {
    FakeServer server;
    std::atomic<int> open_asked{0};
    serve_stats(server, [&open_asked](const std::string& table, bool open, const httplib::Request& req) {
        if (open && open_asked++ == 0) {
            return Answer{429, R"({"error":{"message":"Too many requests"},"status":"failure"})",
                          {{"Retry-After", "1"}}};
        }
        return fixture_answer(table, open, req);
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(open_asked.load(), 2);
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(field_as<std::int64_t>(points[0], "open"), 12);
}

TEST(ServiceNow, InconsistentCredentialsAreUsageErrors) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();
    const std::vector<std::vector<std::string>> cases{
        {},                                                    // none at all
        {"--user", kUser},                                     // no password
        {"--password-env", kPasswordVar},                      // no user
        {"--user", kUser, "--password-env", kPasswordVar, "--token-env", "T"},  // both ways
    };
    for (const auto& credentials : cases) {
        std::vector<std::string> args{"collect", "servicenow", "--url", server.url()};
        args.insert(args.end(), credentials.begin(), credentials.end());
        auto r = run_kpi(args, RunOptions{.env = {{kPasswordVar, kPassword}, {"T", "token"}}});
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_NE(r.err.find("--"), std::string::npos) << "the error names the options: " << r.err;
    }
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(ServiceNow, MalformedOptionsAreUsageErrors) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--closed-states", "6,,8"}, "6,,8"},
        {{"--table", "incident/../sys_user"}, "incident/../sys_user"},
        {{"--reassignment-field", "a,b"}, "a,b"},
    };
    for (const auto& [extra, named] : cases) {
        auto r = run_kpi(collect_args(server, extra), with_password());
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_NE(r.err.find(named), std::string::npos) << r.err;
    }
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(ServiceNow, UnsetPasswordVariableIsAFailureNamingIt) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}),
                     RunOptions{.env = {{kPasswordVar + "_OTHER", kPassword}}});

    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(kPasswordVar), std::string::npos) << r.err;
    EXPECT_EQ(server.request_count(), 0u);
}
