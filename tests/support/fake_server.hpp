#pragma once
// A fake upstream on 127.0.0.1: each test installs handlers that speak one service's API.
// It records every request so tests can check where secrets went, and how many requests
// were in flight at once.

#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kpi::test {

struct RecordedRequest {
    std::string method;
    std::string path;     // without the query string
    std::string target;   // path with the raw query string, as sent
    std::multimap<std::string, std::string> params;  // query and form parameters, decoded
    std::multimap<std::string, std::string, httplib::detail::ci> headers;
    std::string body;
};

class FakeServer {
public:
    FakeServer();
    ~FakeServer();
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

    // Register handlers before start(). Patterns are cpp-httplib regexes. Requests reaching
    // handlers added through these are recorded (bodies included) and count towards
    // max_in_flight(); server() gives the rest of cpp-httplib, unrecorded.
    void get(const std::string& pattern, httplib::Server::Handler handler);
    void post(const std::string& pattern, httplib::Server::Handler handler);
    void put(const std::string& pattern, httplib::Server::Handler handler);
    httplib::Server& server() { return server_; }
    void start();
    void stop();

    int port() const { return port_; }
    std::string url(const std::string& path = "") const;

    std::vector<RecordedRequest> requests() const;
    std::size_t request_count() const;
    int max_in_flight() const { return max_in_flight_; }

private:
    httplib::Server::Handler tracked(httplib::Server::Handler handler);
    void record(const httplib::Request& req);

    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    std::vector<RecordedRequest> requests_;
    std::atomic<int> in_flight_{0};
    std::atomic<int> max_in_flight_{0};
};

// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
int unused_port();

}  // namespace kpi::test
