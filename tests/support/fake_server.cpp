#include "support/fake_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace kpi::test {

FakeServer::FakeServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
}

httplib::Server::Handler FakeServer::tracked(httplib::Server::Handler handler) {
    return [this, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        record(req);
        int now = ++in_flight_;
        int seen = max_in_flight_.load();
        while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
        }
        handler(req, res);
        --in_flight_;
    };
}

void FakeServer::get(const std::string& pattern, httplib::Server::Handler handler) {
    server_.Get(pattern, tracked(std::move(handler)));
}

void FakeServer::post(const std::string& pattern, httplib::Server::Handler handler) {
    server_.Post(pattern, tracked(std::move(handler)));
}

void FakeServer::put(const std::string& pattern, httplib::Server::Handler handler) {
    server_.Put(pattern, tracked(std::move(handler)));
}

FakeServer::~FakeServer() { stop(); }

void FakeServer::record(const httplib::Request& req) {
    RecordedRequest r;
    r.method = req.method;
    r.path = req.path;
    r.target = req.target;
    for (const auto& [k, v] : req.params) r.params.emplace(k, v);
    // A form body's fields count as parameters too, so tests can see where a secret went.
    if (req.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded")) {
        httplib::Params form;
        httplib::detail::parse_query_text(req.body, form);
        for (const auto& [k, v] : form) r.params.emplace(k, v);
    }
    for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
    r.body = req.body;
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(r));
}

void FakeServer::start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("fake server could not bind");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void FakeServer::stop() {
    if (thread_.joinable()) {
        server_.stop();
        thread_.join();
    }
}

std::string FakeServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<RecordedRequest> FakeServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::size_t FakeServer::request_count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
}

int unused_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

}  // namespace kpi::test
