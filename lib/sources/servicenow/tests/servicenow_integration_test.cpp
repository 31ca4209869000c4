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
#include "support/testdata.hpp"
#include "support/points_of.hpp"

using namespace kpi::test;

namespace {

const std::string kPasswordVar = "KPI_TEST_SERVICENOW_PASSWORD";
const std::string kPassword = "pa ss^wörd";
const std::string kPasswordEncoded = "pa%20ss%5Ew%C3%B6rd";
const std::string kUser = "kpi-reader";
const std::string kBasicCredentials = "a3BpLXJlYWRlcjpwYSBzc153w7ZyZA==";  // base64("kpi-reader:pa ss^wörd")

struct Answer {
    int status = 200;
    std::string body;
    std::map<std::string, std::string> headers;
};

// The answer to one request: `open` is the count query (open tickets), else the average
// over closed tickets.
using Responder = std::function<Answer(const std::string& table, bool open, const httplib::Request&)>;

Answer fixture_answer(const std::string& table, bool open, const httplib::Request&) {
    return {200, testdata("sources/servicenow", (open ? "open_" : "closed_") + table + ".json"), {}};
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
    // calendar_stc exists on incident only: sc_req_item gets no resolve time, and no request for one.
    EXPECT_EQ(requests->field("avg_time_to_resolve_seconds"), nullptr);
    EXPECT_EQ(request_for(server.requests(), "sc_req_item", false), nullptr);
    EXPECT_NE(r.out.find("\"open\":12,"), std::string::npos) << r.out;
    EXPECT_EQ(points[0].time, points[1].time);
    EXPECT_EQ(server.request_count(), 3u);
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
              "%5Eactive%3Dtrue&sysparm_count=true&sysparm_max_fields=reassignment_count");
    // Open is active=true, whatever the table's closed state numbers are.
    EXPECT_EQ(param(*open, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^active=true");
    EXPECT_EQ(param(*open, "sysparm_count"), "true");
    EXPECT_EQ(param(*open, "sysparm_max_fields"), "reassignment_count");
    EXPECT_EQ(param(*open, "sysparm_avg_fields"), "<absent>");
    EXPECT_EQ(closed->target,
              "/api/now/stats/incident?sysparm_query=assignment_group.nameSTARTSWITHZenodo%20Repository"
              "%5Eactive%3Dfalse&sysparm_avg_fields=calendar_stc");
    EXPECT_EQ(param(*closed, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^active=false");
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
    // A whole-number average is still a float on the wire.
    EXPECT_NE(r.out.find("\"avg_time_to_resolve_seconds\":60.0"), std::string::npos) << r.out;
}

// sc_req_item closes with states 3, 4 and 7: incident's 6,7,8 would count closed requests as
// open. With no --closed-states every table's open count is active=true.
TEST(ServiceNow, OpenIsActiveOnEveryTableUnlessClosedStatesAreGiven) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "sc_req_item", "--table", "incident"}), with_password());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto requests = server.requests();
    for (const char* table : {"sc_req_item", "incident"}) {
        const RecordedRequest* open = request_for(requests, table, true);
        ASSERT_NE(open, nullptr) << table;
        EXPECT_EQ(param(*open, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^active=true")
            << table;
        EXPECT_EQ(open->target.find("state"), std::string::npos) << open->target;
    }
}

// --resolve-time-field names a field for every table, so each is asked for its average.
TEST(ServiceNow, ResolveTimeFieldGivenIsAskedOfEveryTable) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request&) {
        return Answer{200,
                      open ? R"({"result":{"stats":{"count":"1","max":{"reassignment_count":"0"}}}})"
                           : R"({"result":{"stats":{"avg":{"business_stc":"120.5"}}}})",
                      {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--resolve-time-field", "business_stc"}), with_password());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto requests = server.requests();
    for (const char* table : {"incident", "sc_req_item"}) {
        const RecordedRequest* closed = request_for(requests, table, false);
        ASSERT_NE(closed, nullptr) << table;
        EXPECT_EQ(param(*closed, "sysparm_avg_fields"), "business_stc") << table;
        EXPECT_EQ(param(*closed, "sysparm_query"), "assignment_group.nameSTARTSWITHZenodo Repository^active=false");
    }
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 2u);
    for (const auto& point : points) EXPECT_EQ(field_as<double>(point, "avg_time_to_resolve_seconds"), 120.5);
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
              "%20R%5E%5ED%5Eactive%3Dtrue&sysparm_count=true&sysparm_max_fields=reassignment_count");
    EXPECT_EQ(param(*open, "sysparm_query"), "assignment_group.nameSTARTSWITHÉquipe Données R^^D^active=true");
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
    EXPECT_EQ(param(*open, "sysparm_query"), "active=true");
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
    ASSERT_EQ(requests.size(), 3u);  // both tables' open tickets, incident's resolve time
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
        return Answer{200, testdata("sources/servicenow", open ? "open_none.json" : "closed_none.json"), {}};
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
        return Answer{200, testdata("sources/servicenow", "error_not_authenticated.json"), {}};
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
        return Answer{403, testdata("sources/servicenow", "error_forbidden.json"), {}};
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
        if (table == "incident") return Answer{200, testdata("sources/servicenow", "login_page.html"), {}};
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

// Each aggregate stands alone: the unreadable one is a warning naming it, the others of the
// same answer are still reported.
TEST(ServiceNow, AnUnreadableAggregateLosesThatFieldOnly) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request&) {
        return Answer{200,
                      open ? R"({"result":{"stats":{"count":"7","max":{"reassignment_count":"many"}}}})"
                           : R"({"result":{"stats":{"avg":{"calendar_stc":"5400.25"}}}})",
                      {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(field_as<std::int64_t>(points[0], "open"), 7);
    EXPECT_EQ(field_as<double>(points[0], "avg_time_to_resolve_seconds"), 5400.25);
    EXPECT_EQ(points[0].field("max_reassignments"), nullptr);
    EXPECT_NE(r.err.find("warn"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("stats.max.reassignment_count is not an integer: \"many\""), std::string::npos) << r.err;
}

// ServiceNow's documented Aggregate API answer (testdata/README.md): count 6
// is read exactly; the max it carries is of `number`, a string field, so asking for it as the
// reassignment field loses that field alone.
TEST(ServiceNow, DocumentedAnswerGivesItsCountAndWarnsOfTheStringMax) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool, const httplib::Request&) {
        return Answer{200, testdata("sources/servicenow", "docs_aggregate_example.json"), {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "u_request_fulfillment", "--reassignment-field", "number"}),
                     with_password());

    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto points = points_of(r);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(field_as<std::int64_t>(points[0], "open"), 6);
    EXPECT_EQ(points[0].field("max_reassignments"), nullptr);
    EXPECT_EQ(points[0].field("avg_time_to_resolve_seconds"), nullptr);
    EXPECT_NE(r.err.find("stats.max.number is not an integer: \"INC0000053\""), std::string::npos) << r.err;
    EXPECT_EQ(server.request_count(), 1u) << "u_request_fulfillment has no default resolve-time field";
}

// An answer none of whose aggregates can be read gave nothing: that is a failure.
TEST(ServiceNow, AnswerWithNoReadableAggregateIsAFailureNamingTheFields) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request&) {
        return Answer{200,
                      open ? R"({"result":{"stats":{"count":"many","max":{"reassignment_count":"x"}}}})"
                           : R"({"result":{"stats":{"avg":{}}}})",
                      {}};
    });
    server.start();

    auto r = run_kpi(collect_args(server, {"--table", "incident"}), with_password());

    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("stats.count is not an integer: \"many\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("stats.max.reassignment_count is not an integer"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("stats.avg.calendar_stc"), std::string::npos) << r.err;
}

TEST(ServiceNow, OneFailingTableStillDeliversTheOthers) {
    FakeServer server;
    serve_stats(server, [](const std::string& table, bool open, const httplib::Request& req) {
        if (table == "sc_req_item") return Answer{403, testdata("sources/servicenow", "error_forbidden.json"), {}};
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
        if (!open) return Answer{403, testdata("sources/servicenow", "error_forbidden.json"), {}};
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
        {{"--closed-states", "6,,8"}, "--closed-states: \"6,,8\""},
        {{"--table", "incident/../sys_user"}, "--table: \"incident/../sys_user\""},
        {{"--reassignment-field", "a,b"}, "--reassignment-field: \"a,b\""},
        {{"--resolve-time-field", "calendar stc"}, "--resolve-time-field: \"calendar stc\""},
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

TEST(ServiceNow, EmptySecretFileIsAFailureNamingTheFileNotTheSecret) {
    FakeServer server;
    serve_stats(server, fixture_answer);
    server.start();
    TempDir dir;
    const std::string empty = dir.write("token", "\n");

    auto r = run_kpi({"collect", "servicenow", "--url", server.url(), "--token-file", empty});

    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("the ServiceNow token is empty (from file " + empty + ")"), std::string::npos) << r.err;
    EXPECT_EQ(server.request_count(), 0u);
}

// examples/cern.toml continues the series of CERN's old harvester (KPIit): its ServiceNow
// sources, pointed at the fake instance, must ask exactly what KPIit asked.
TEST(ServiceNow, CernExampleAsksWhatTheOldHarvesterAsked) {
    FakeServer server;
    serve_stats(server, [](const std::string&, bool open, const httplib::Request&) {
        return Answer{200,
                      open ? R"({"result":{"stats":{"count":"3","max":{"u_reassignment_counter_fe":"2"}}}})"
                           : R"({"result":{"stats":{"avg":{"calendar_stc":"7200"}}}})",
                      {}};
    });
    server.start();

    // The example's servicenow tables, with the instance and the password file replaced.
    const std::string example = read_file(std::string(KPI_SOURCE_DIR) + "/examples/cern.toml");
    TempDir dir;
    const std::string password_file = dir.write("servicenow-password", kPassword + "\n");
    std::string config;
    std::size_t at = 0;
    while ((at = example.find("[[sources]]", at)) != std::string::npos) {
        std::size_t next = example.find("\n[[", at + 1);
        std::string table = example.substr(at, next == std::string::npos ? next : next - at + 1);
        at += 1;
        if (table.find("type = \"servicenow\"") == std::string::npos) continue;
        for (auto [from, to] : {std::pair<std::string, std::string>{"https://cern.service-now.com", server.url()},
                                {"/run/secrets/servicenow", password_file}}) {
            auto pos = table.find(from);
            ASSERT_NE(pos, std::string::npos) << table;
            table.replace(pos, from.size(), to);
        }
        config += table + "\n";
    }
    auto r = run_kpi({"run-all", "-c", dir.write("cern-servicenow.toml", config)});
    ASSERT_EQ(r.exit_code, 0) << r.err << "\n" << config;

    const std::vector<std::string> groups = {"Zenodo Repository", "MultiMedia Archive", "Open Data Repository",
                                             "CERN Document Server"};
    auto requests = server.requests();
    // Per group: incident open + average, u_request_fulfillment open only.
    EXPECT_EQ(requests.size(), groups.size() * 3);
    for (const auto& group : groups) {
        for (const std::string table : {"incident", "u_request_fulfillment"}) {
            bool open_seen = false, average_seen = false;
            for (const auto& req : requests) {
                if (req.path != "/api/now/stats/" + table) continue;
                const std::string query = param(req, "sysparm_query");
                if (query.find("STARTSWITH" + group + "^") == std::string::npos) continue;
                if (req.params.count("sysparm_count") != 0) {
                    open_seen = true;
                    EXPECT_EQ(query, "assignment_group.nameSTARTSWITH" + group + "^stateNOT IN3,4,6,7,8");
                    EXPECT_EQ(param(req, "sysparm_max_fields"), "u_reassignment_counter_fe");
                } else {
                    average_seen = true;
                    EXPECT_EQ(table, "incident") << "calendar_stc is averaged on incidents only";
                    EXPECT_EQ(query, "assignment_group.nameSTARTSWITH" + group + "^stateIN3,4,6,7,8");
                    EXPECT_EQ(param(req, "sysparm_avg_fields"), "calendar_stc");
                }
            }
            EXPECT_TRUE(open_seen) << group << " " << table;
            EXPECT_EQ(average_seen, table == "incident") << group << " " << table;
        }
    }
    auto points = points_of(r);
    std::size_t support_points = 0;
    for (const auto& p : points) support_points += p.measurement == "support_tickets";
    EXPECT_EQ(support_points, groups.size() * 2);
}
