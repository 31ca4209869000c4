#include "support/raw_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace kpi::test {

RawServer::RawServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener_, 1024) != 0) {
        close(listener_);
        throw std::runtime_error("raw server could not listen");
    }
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

RawServer::~RawServer() {
    stopping_ = true;
    acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : fds_) shutdown(fd, SHUT_RDWR);  // wakes handlers blocked in read
    }
    for (auto& t : connections_) t.join();
    close(listener_);
}

std::string RawServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

bool RawServer::pause(int ms) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return !stopping_;
}

std::vector<std::string> RawServer::heads() const {
    std::lock_guard lock(mutex_);
    return heads_;
}

bool RawServer::send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

void RawServer::accept_loop() {
    while (!stopping_) {
        pollfd p{listener_, POLLIN, 0};
        if (poll(&p, 1, 20) <= 0) continue;
        int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        ++accepted_;
        int now = ++open_;
        int seen = max_open_.load();
        while (now > seen && !max_open_.compare_exchange_weak(seen, now)) {
        }
        std::lock_guard lock(mutex_);
        fds_.push_back(fd);
        connections_.emplace_back([this, fd] { serve(fd); });
    }
}

void RawServer::serve(int fd) {
    std::string buffer;
    bool keep = true;
    while (keep && !stopping_) {
        std::size_t end = buffer.find("\r\n\r\n");
        if (end == std::string::npos) {
            char chunk[4096];
            ssize_t n = recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) break;  // the client closed the connection
            buffer.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        std::string head = buffer.substr(0, end + 4);
        buffer.erase(0, end + 4);
        {
            std::lock_guard lock(mutex_);
            heads_.push_back(head);
        }
        keep = handler_(fd, head);
    }
    --open_;  // counted closed from here: the descriptor itself is closed by the destructor
    shutdown(fd, SHUT_RDWR);
}

}  // namespace kpi::test
