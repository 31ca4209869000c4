// The HTTP client (lib/http) under load and misbehaviour: exceptions out of callbacks,
// connection limits that hold at the socket level, the body cap, the User-Agent.

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/version.hpp"
#include "http/client.hpp"
#include "support/fake_server.hpp"
#include "support/raw_server.hpp"

using namespace kpi;
using namespace kpi::test;
using namespace std::chrono_literals;

namespace {

HttpSettings quick_settings() {
    HttpSettings s;
    s.retries = 0;
    s.timeout = 5s;
    return s;
}

// Answers every request on a keep-alive connection after `delay_ms`.
RawServer::Handler slow_ok(int delay_ms) {
    return [delay_ms](int fd, const std::string&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        return RawServer::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    };
}

}  // namespace

TEST(HttpClientLimits, AThrowingCallbackDoesNotLoseTheOthersOfItsBatch) {
    FakeServer server;
    server.get("/.*", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server.start();
    HttpClient client(quick_settings());
    int answered = 0;
    for (int i = 0; i < 6; ++i) {
        HttpRequest request;
        request.url = server.url("/r" + std::to_string(i));
        client.submit(request, [&answered, i](HttpResponse&& r) {
            if (i == 0) throw std::runtime_error("a parser bug");
            if (r.ok()) ++answered;
        });
    }
    // The exception has no owner, so run() rethrows it: but only after every other answer.
    EXPECT_THROW(client.run(), std::runtime_error);
    EXPECT_EQ(answered, 5);
    // The client is still usable afterwards.
    HttpRequest again;
    again.url = server.url("/again");
    EXPECT_TRUE(client.fetch(again).ok());
}

TEST(HttpClientLimits, AGuardedOwnerHearsOfItsCallbacksExceptionsAndRunGoesOn) {
    FakeServer server;
    server.get("/.*", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server.start();
    HttpClient client(quick_settings());
    std::vector<std::string> failures;
    int others = 0;
    client.guarded([&](const std::string& message) { failures.push_back(message); },
                   [&] {
                       HttpRequest first;
                       first.url = server.url("/first");
                       // The follow-up request, submitted from a callback, has the same owner.
                       client.submit(first, [&](HttpResponse&&) {
                           HttpRequest second;
                           second.url = server.url("/second?key=s3cret-key");
                           second.secrets = {"s3cret-key"};
                           client.submit(second, [](HttpResponse&&) { throw std::out_of_range("stoll"); });
                       });
                   });
    HttpRequest other;
    other.url = server.url("/other");
    client.submit(other, [&](HttpResponse&& r) { others += r.ok(); });
    EXPECT_NO_THROW(client.run());
    EXPECT_EQ(others, 1);
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0], "GET " + server.url("/second?key=***") + ": handling the answer failed: stoll");
}

TEST(HttpClientLimits, OpenConnectionsNeverExceedMaxConnections) {
    RawServer server(slow_ok(50));
    HttpSettings s = quick_settings();
    s.max_connections = 6;
    s.per_host = 100;
    HttpClient client(s);
    int ok = 0;
    for (int i = 0; i < 60; ++i) {
        HttpRequest request;
        request.url = server.url("/" + std::to_string(i));
        client.submit(request, [&ok](HttpResponse&& r) { ok += r.ok(); });
    }
    client.run();
    EXPECT_EQ(ok, 60);
    EXPECT_LE(server.max_open(), 6);
    EXPECT_GE(server.max_open(), 2) << "requests overlap";
}

TEST(HttpClientLimits, OpenConnectionsToOneHostNeverExceedPerHost) {
    RawServer a(slow_ok(50)), b(slow_ok(50));
    HttpSettings s = quick_settings();
    s.max_connections = 100;
    s.per_host = 3;
    HttpClient client(s);
    int ok = 0;
    for (int i = 0; i < 30; ++i) {
        HttpRequest request;
        request.url = (i % 2 ? a : b).url("/" + std::to_string(i));
        client.submit(request, [&ok](HttpResponse&& r) { ok += r.ok(); });
    }
    client.run();
    EXPECT_EQ(ok, 30);
    EXPECT_LE(a.max_open(), 3);
    EXPECT_LE(b.max_open(), 3);
    EXPECT_EQ(a.max_open() + b.max_open(), 6) << "both hosts are served at once";
}

// Polls until the server has seen the client close all but `wanted` connections.
bool settles_at_most(const RawServer& server, int wanted) {
    for (int i = 0; i < 200 && server.open() > wanted; ++i) std::this_thread::sleep_for(10ms);
    return server.open() <= wanted;
}

TEST(HttpClientLimits, ABurstToOneHostKeepsOnlyTheConnectionsARequestMayReuse) {
    // libcurl 7.88 walks its whole connection cache whenever it removes a transfer whose
    // connection it kept: 10,000 kept connections to one host made that quadratic. With
    // none waiting, 64 are kept for follow-up requests and the rest closed as they end.
    RawServer server(slow_ok(100));
    HttpSettings s = quick_settings();
    s.max_connections = 150;
    s.per_host = 150;
    HttpClient client(s);
    int ok = 0;
    for (int i = 0; i < 150; ++i) {
        HttpRequest request;
        request.url = server.url("/" + std::to_string(i));
        client.submit(request, [&ok](HttpResponse&& r) { ok += r.ok(); });
    }
    client.run();
    EXPECT_EQ(ok, 150);
    EXPECT_EQ(server.max_open(), 150) << "all at once";
    EXPECT_TRUE(settles_at_most(server, 64)) << server.open() << " connections still open";
    EXPECT_GE(server.open(), 1) << "some are kept for the next request";
}

TEST(HttpClientLimits, RequestsWaitingForASlotReuseTheConnectionsBeforeThem) {
    RawServer server(slow_ok(20));
    HttpSettings s = quick_settings();
    s.max_connections = 40;
    s.per_host = 40;
    HttpClient client(s);
    int ok = 0;
    for (int i = 0; i < 200; ++i) {
        HttpRequest request;
        request.url = server.url("/" + std::to_string(i));
        client.submit(request, [&ok](HttpResponse&& r) { ok += r.ok(); });
    }
    client.run();
    EXPECT_EQ(ok, 200);
    EXPECT_EQ(server.accepted(), 40) << "five waves on the first wave's connections";
}

TEST(HttpClientLimits, EveryRequestNamesKpiItsVersionAndProjectUrl) {
    RawServer server(slow_ok(0));
    HttpClient client(quick_settings());
    HttpRequest request;
    request.url = server.url("/");
    ASSERT_TRUE(client.fetch(request).ok());
    const std::string expected = std::string("User-Agent: kpi/") + kVersion + " (+" + kProjectUrl + ")\r\n";
    ASSERT_EQ(server.heads().size(), 1u);
    EXPECT_NE(server.heads()[0].find(expected), std::string::npos) << server.heads()[0];
    EXPECT_TRUE(std::string(kProjectUrl).starts_with("https://")) << kProjectUrl;
}

TEST(HttpClientLimits, ABodyOverTheCapStopsAtTheCapWithOrWithoutContentLength) {
    const std::string big(300'000, 'x');
    FakeServer server;
    server.get("/declared", [&](const httplib::Request&, httplib::Response& res) { res.set_content(big, "text/plain"); });
    server.get("/chunked", [&](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/plain", [&](std::size_t offset, httplib::DataSink& sink) {
            if (offset >= big.size()) {
                sink.done();
            } else {
                sink.write(big.data() + offset, std::min<std::size_t>(10'000, big.size() - offset));
            }
            return true;
        });
    });
    server.start();
    HttpSettings s = quick_settings();
    s.max_response_bytes = 100'000;
    HttpClient client(s);
    for (const std::string path : {"/declared", "/chunked"}) {
        HttpRequest request;
        request.url = server.url(path);
        HttpResponse r = client.fetch(request);
        EXPECT_FALSE(r.ok()) << path;
        EXPECT_TRUE(r.body_truncated) << path;
        EXPECT_NE(r.error.find("response body larger than 100000 bytes (the cap)"), std::string::npos) << r.error;
        EXPECT_LE(r.body.capacity(), 100'000u) << "memory stays within the cap";
    }
    // A caller that only needs the first bytes gets them, without an error.
    HttpRequest probe;
    probe.url = server.url("/chunked");
    probe.accept_truncated = true;
    HttpResponse r = client.fetch(probe);
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_TRUE(r.body_truncated);
    EXPECT_EQ(r.body.size(), 100'000u);
    EXPECT_GE(r.body_bytes_seen, 100'000u);
}
