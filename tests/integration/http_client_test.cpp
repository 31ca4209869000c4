// The HTTP client (lib/http) against fake servers on 127.0.0.1: retries, Retry-After,
// redirects and credentials, size caps, concurrency limits.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "http/client.hpp"
#include "support/fake_server.hpp"

using namespace kpi;
using namespace kpi::test;
using namespace std::chrono_literals;

namespace {
HttpSettings fast_settings() {
    HttpSettings s;
    s.retry_base_delay = 10ms;
    s.retry_max_delay = 5s;
    return s;
}
}  // namespace

TEST(HttpClient, RetriesServerErrorsHonouringRetryAfter) {
    FakeServer server;
    std::vector<std::chrono::steady_clock::time_point> seen;
    std::mutex m;
    server.get("/flaky", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard lock(m);
        seen.push_back(std::chrono::steady_clock::now());
        if (seen.size() <= 2) {
            res.status = 503;
            res.set_header("Retry-After", "1");
            res.set_content("busy", "text/plain");
        } else {
            res.set_content("ok", "text/plain");
        }
    });
    server.start();
    HttpClient client(fast_settings());
    HttpRequest request;
    request.url = server.url("/flaky");
    HttpResponse r = client.fetch(request);
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.attempts, 3);
    ASSERT_EQ(seen.size(), 3u);
    // The server asked for a second between attempts; the base backoff alone is 10 ms.
    EXPECT_GE(seen[1] - seen[0], 900ms);
    EXPECT_GE(seen[2] - seen[1], 900ms);
}

TEST(HttpClient, ClientErrorsAreNotRetriedAndCarryTheServersMessage) {
    FakeServer server;
    server.get("/bad", [](const httplib::Request&, httplib::Response& res) {
        res.status = 400;
        res.set_content(R"({"error":"unable to parse 'x': missing fields"})", "application/json");
    });
    server.start();
    HttpClient client(fast_settings());
    HttpRequest request;
    request.url = server.url("/bad");
    HttpResponse r = client.fetch(request);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_EQ(r.describe(), "GET " + server.url("/bad") + ": HTTP 400: unable to parse 'x': missing fields");
}

TEST(HttpClient, ConnectionRefusedIsRetriedThenReported) {
    HttpSettings s = fast_settings();
    s.retries = 2;
    HttpClient client(s);
    HttpRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";
    HttpResponse r = client.fetch(request);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.attempts, 3);
    EXPECT_NE(r.describe().find("Couldn't connect"), std::string::npos) << r.describe();
}

TEST(HttpClient, CredentialsAreNotSentToAnotherHostOnRedirect) {
    FakeServer other;
    other.get("/landing", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    other.start();
    FakeServer origin;
    origin.get("/start", [&](const httplib::Request&, httplib::Response& res) { res.set_redirect(other.url("/landing"), 302); });
    origin.get("/same", [&](const httplib::Request&, httplib::Response& res) { res.set_redirect("/landing2", 302); });
    origin.get("/landing2", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    origin.start();

    HttpClient client(fast_settings());
    HttpRequest request;
    request.url = origin.url("/start");
    request.basic_auth = std::make_pair(std::string("kpi"), std::string("pw"));
    request.headers = {{"Authorization-Extra", "kept"}, {"Cookie", "session=1"}};
    HttpResponse r = client.fetch(request);
    ASSERT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.url, other.url("/landing")) << "the answering URL";
    ASSERT_EQ(other.requests().size(), 1u);
    const auto received = other.requests();
    const auto& headers = received[0].headers;
    EXPECT_EQ(headers.count("Authorization"), 0u);
    EXPECT_EQ(headers.count("Cookie"), 0u);
    EXPECT_EQ(headers.count("Authorization-Extra"), 1u);
    EXPECT_EQ(origin.requests()[0].headers.count("Authorization"), 1u);

    // The same host keeps the credentials.
    request.url = origin.url("/same");
    ASSERT_TRUE(client.fetch(request).ok());
    EXPECT_EQ(origin.requests().back().path, "/landing2");
    EXPECT_EQ(origin.requests().back().headers.count("Authorization"), 1u);
}

TEST(HttpClient, SecretInBodyIsNeverRedirectedToAnotherHost) {
    FakeServer other;
    other.post("/.*", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    other.start();
    FakeServer origin;
    origin.post("/index.php", [&](const httplib::Request&, httplib::Response& res) {
        res.set_redirect(other.url("/index.php"), 307);  // 307 would resend the body
    });
    origin.start();
    HttpClient client(fast_settings());
    HttpRequest request;
    request.method = "POST";
    request.url = origin.url("/index.php");
    request.body = "token_auth=t0ken-value&module=API";
    request.secrets = {"t0ken-value"};
    HttpResponse r = client.fetch(request);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.describe().find("credentials not sent there"), std::string::npos) << r.describe();
    EXPECT_EQ(r.describe().find("t0ken-value"), std::string::npos);
    EXPECT_EQ(other.request_count(), 0u);
}

TEST(HttpClient, SlowAnswerTimesOutWithoutHoldingOthers) {
    FakeServer server;
    server.get("/slow", [](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(3s);
        res.set_content("late", "text/plain");
    });
    server.get("/fast", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server.start();
    HttpSettings s = fast_settings();
    s.timeout = 500ms;
    s.retries = 0;
    HttpClient client(s);
    HttpResponse slow, fast;
    HttpRequest a, b;
    a.url = server.url("/slow");
    b.url = server.url("/fast");
    client.submit(a, [&](HttpResponse&& r) { slow = std::move(r); });
    client.submit(b, [&](HttpResponse&& r) { fast = std::move(r); });
    client.run();
    EXPECT_TRUE(fast.ok());
    EXPECT_FALSE(slow.ok());
    EXPECT_NE(slow.error.find("imed out"), std::string::npos) << slow.error;
    EXPECT_LT(fast.total_seconds, slow.total_seconds);
}

namespace {
std::atomic<bool> g_stop_for_test{false};
bool stop_for_test() { return g_stop_for_test.load(); }
}  // namespace

// The client asks its owner's stop check, not a process-wide flag: once it says stop, a
// pending retry is dropped and the answer is final at once.
TEST(HttpClient, ItsStopCheckDropsPendingRetries) {
    FakeServer server;
    server.get("/busy", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_header("Retry-After", "30");
        res.set_content("busy", "text/plain");
    });
    server.start();
    HttpSettings s = fast_settings();
    s.retry_max_delay = 60s;
    g_stop_for_test = false;
    HttpClient client(s, stop_for_test);
    HttpRequest request;
    request.url = server.url("/busy");
    std::thread stopper([] {
        std::this_thread::sleep_for(300ms);
        g_stop_for_test = true;
    });
    const HttpResponse r = client.fetch(request);
    stopper.join();
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(server.request_count(), 1u) << "no retry after the stop";
    g_stop_for_test = false;
}

TEST(HttpClient, WithoutAStopCheckItRetriesAsConfigured) {
    FakeServer server;
    std::atomic<int> calls{0};
    server.get("/busy", [&](const httplib::Request&, httplib::Response& res) {
        res.status = ++calls < 2 ? 503 : 200;
        res.set_content("x", "text/plain");
    });
    server.start();
    HttpClient client(fast_settings());
    HttpRequest request;
    request.url = server.url("/busy");
    EXPECT_TRUE(client.fetch(request).ok());
    EXPECT_EQ(calls.load(), 2);
}
