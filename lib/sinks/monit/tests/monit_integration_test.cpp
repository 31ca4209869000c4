// `kpi publish monit` against a fake MONIT HTTP endpoint on 127.0.0.1.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"

using namespace kpi::test;

namespace {

ProcessResult publish(const std::vector<std::string>& args, const std::string& input, const TempDir& state,
                      std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv{"publish", "monit"};
    argv.insert(argv.end(), args.begin(), args.end());
    env["XDG_STATE_HOME"] = state.path();
    return run_kpi(argv, RunOptions{.input = input, .env = env});
}

// The bodies the fake MONIT endpoint was sent, in order.
class Bodies {
public:
    void add(const std::string& body) {
        std::lock_guard lock(mutex_);
        bodies_.push_back(body);
    }
    std::vector<std::string> all() const {
        std::lock_guard lock(mutex_);
        return bodies_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> bodies_;
};

void accept_all(FakeServer& server, Bodies& bodies) {
    server.post("/monit", [&bodies](const httplib::Request& req, httplib::Response& res) {
        bodies.add(req.body);
        res.status = 200;
    });
}

std::string header(const RecordedRequest& request, const std::string& name) {
    auto it = request.headers.find(name);
    return it == request.headers.end() ? "" : it->second;
}

const std::string kPoints =
    R"({"measurement":"repokpi","tags":{"service":"zenodo","env":"prod"},"fields":{"records":433830,"uptime_web":0.99961,"up":true,"flavour":"rdm \"3\""},"time":"2017-01-06T09:58:55.836Z"})"
    "\n"
    R"({"measurement":"doikpi","tags":{"doi_prefix":"10.5281"},"fields":{"doi_success":710383},"time":"2017-01-06T09:58:55Z"})"
    "\n";

// A MONIT document as JSON means it: each key with its value, minified, and the names in
// idb_tags and idb_fields as a set (a JSON object's keys have no order).
std::map<std::string, std::string> meaning_of(simdjson::dom::object document) {
    std::map<std::string, std::string> meaning;
    for (auto [key, value] : document) {
        if (key == "idb_tags" || key == "idb_fields") {
            std::vector<std::string> names;
            for (auto name : value.get_array()) names.emplace_back(name.get_string().value());
            std::sort(names.begin(), names.end());
            std::string joined;
            for (const auto& name : names) joined += name + " ";
            meaning[std::string(key)] = joined;
        } else {
            meaning[std::string(key)] = simdjson::minify(value);
        }
    }
    return meaning;
}

}  // namespace

// The documents the KPIit harvester sent MONIT for CERN (testdata/README.md): kpi sends the
// same documents for the same points.
TEST(MonitSink, SendsTheDocumentsTheKpiitHarvesterSent) {
    FakeServer server;
    Bodies bodies;
    accept_all(server, bodies);
    server.start();
    TempDir state;
    auto r = publish({"--url", server.url("/monit"), "--producer", "invenio"},
                     testdata("sinks/monit", "kpiit_points.ndjson"), state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(bodies.all().size(), 1u);
    simdjson::dom::parser sent_parser, reference_parser;
    simdjson::dom::array sent = sent_parser.parse(bodies.all()[0]).get_array();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(meaning_of(sent.at(0).get_object()),
              meaning_of(reference_parser.parse(testdata("sinks/monit", "cern_repokpi.json")).get_object()));
    EXPECT_EQ(meaning_of(sent.at(1).get_object()),
              meaning_of(reference_parser.parse(testdata("sinks/monit", "cern_doikpi.json")).get_object()));
}

TEST(MonitSink, PostsOneJsonListOfDocuments) {
    FakeServer server;
    Bodies bodies;
    accept_all(server, bodies);
    server.start();
    TempDir state;
    auto r = publish({"--url", server.url("/monit"), "--producer", "invenio"}, kPoints, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].target, "/monit");
    EXPECT_EQ(header(requests[0], "Content-Type"), "application/json");
    EXPECT_EQ(header(requests[0], "Authorization"), "");
    ASSERT_EQ(bodies.all().size(), 1u);
    EXPECT_EQ(bodies.all()[0],
              R"([{"producer":"invenio","type":"repokpi","type_prefix":"raw","timestamp":1483696735836,)"
              R"("env":"prod","service":"zenodo","records":433830,"uptime_web":0.99961,"up":true,"flavour":"rdm \"3\"",)"
              R"("idb_tags":["env","service"],"idb_fields":["records","uptime_web","up","flavour"]},)"
              R"({"producer":"invenio","type":"doikpi","type_prefix":"raw","timestamp":1483696735000,)"
              R"("doi_prefix":"10.5281","doi_success":710383,"idb_tags":["doi_prefix"],"idb_fields":["doi_success"]}])");
}

TEST(MonitSink, BasicAuthPasswordComesFromAFileAndStaysSecret) {
    FakeServer server;
    Bodies bodies;
    accept_all(server, bodies);
    server.start();
    TempDir state, secrets;
    const std::string password_file = secrets.write("password", "s3cr3t-pw\n");
    auto r = publish({"--url", server.url("/monit"), "--producer", "invenio", "--user", "kpi", "--password-file",
                      password_file},
                     kPoints, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(header(requests[0], "Authorization"), "Basic a3BpOnMzY3IzdC1wdw==");  // kpi:s3cr3t-pw
    ASSERT_EQ(bodies.all().size(), 1u);
    EXPECT_EQ(bodies.all()[0].find("s3cr3t"), std::string::npos);
    EXPECT_EQ(r.err.find("s3cr3t"), std::string::npos) << r.err;
}

TEST(MonitSink, ARefusalNamesUrlStatusAndMessageButNeverThePassword) {
    FakeServer server;
    // A server that quotes the credentials it was given back in its error.
    server.post("/monit", [](const httplib::Request&, httplib::Response& res) {
        res.status = 400;
        res.set_content(R"({"message":"producer invenio not allowed for user kpi with password s3cr3t-pw"})",
                        "application/json");
    });
    server.start();
    TempDir state;
    auto r = publish({"--url", server.url("/monit"), "--producer", "invenio", "--user", "kpi", "--password-env",
                      "KPI_TEST_MONIT_PASSWORD"},
                     kPoints, state, {{"KPI_TEST_MONIT_PASSWORD", "s3cr3t-pw"}});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("POST " + server.url("/monit")), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("HTTP 400"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("producer invenio not allowed for user kpi"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("s3cr3t"), std::string::npos) << r.err;
}

TEST(MonitSink, A413SplitsTheListUntilItFits) {
    FakeServer server;
    // Takes one document per request at most.
    Bodies bodies;
    server.post("/monit", [&bodies](const httplib::Request& req, httplib::Response& res) {
        bodies.add(req.body);
        res.status = req.body.find("},{") == std::string::npos ? 200 : 413;
    });
    server.start();
    TempDir state;
    std::string input;
    for (int i = 0; i < 3; ++i) {
        input += R"({"measurement":"m","fields":{"v":)" + std::to_string(i) + R"(},"time":"2017-01-06T09:58:55Z"})" + "\n";
    }
    auto r = publish({"--url", server.url("/monit"), "--producer", "kpi"}, input, state);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> accepted;
    for (const auto& body : bodies.all()) {
        if (body.find("},{") == std::string::npos) accepted.push_back(body);
    }
    auto document = [](int v) {
        return R"([{"producer":"kpi","type":"m","type_prefix":"raw","timestamp":1483696735000,"v":)" +
               std::to_string(v) + R"(,"idb_tags":[],"idb_fields":["v"]}])";
    };
    EXPECT_EQ(accepted, (std::vector<std::string>{document(0), document(1), document(2)}));
}

TEST(MonitSink, PointsWithReservedNamesAreRefusedAndTheOthersSent) {
    FakeServer server;
    Bodies bodies;
    accept_all(server, bodies);
    server.start();
    TempDir state;
    auto r = publish({"--url", server.url("/monit"), "--producer", "kpi"},
                     R"({"measurement":"m","tags":{"type":"x"},"fields":{"v":1},"time":"2017-01-06T09:58:55Z"})"
                     "\n"
                     R"({"measurement":"m","fields":{"v":2},"time":"2017-01-06T09:58:55Z"})",
                     state);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("1 point refused: tag \"type\" of \"m\" has the name of a MONIT key"), std::string::npos)
        << r.err;
    ASSERT_EQ(bodies.all().size(), 1u);
    EXPECT_EQ(bodies.all()[0],
              R"([{"producer":"kpi","type":"m","type_prefix":"raw","timestamp":1483696735000,"v":2,)"
              R"("idb_tags":[],"idb_fields":["v"]}])");
}

TEST(MonitSink, ProducerAndUrlAreRequiredAndPasswordNeedsUser) {
    TempDir state;
    auto no_producer = publish({"--url", "http://127.0.0.1:1/"}, kPoints, state);
    EXPECT_EQ(no_producer.exit_code, 2) << no_producer.err;
    EXPECT_NE(no_producer.err.find("--producer"), std::string::npos) << no_producer.err;
    auto no_url = publish({"--producer", "kpi"}, kPoints, state);
    EXPECT_EQ(no_url.exit_code, 2) << no_url.err;
    EXPECT_NE(no_url.err.find("--url"), std::string::npos) << no_url.err;
    auto no_user = publish({"--url", "http://127.0.0.1:1/", "--producer", "kpi", "--password-env", "X"}, kPoints, state);
    EXPECT_EQ(no_user.exit_code, 2) << no_user.err;
    EXPECT_NE(no_user.err.find("--user"), std::string::npos) << no_user.err;
}
