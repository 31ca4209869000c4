#pragma once
// A TCP server on 127.0.0.1 for what cpp-httplib cannot be made to do: answer never, stop
// mid-body, send a body that never ends. Each connection runs on its own thread: the
// handler reads each request head and writes whatever bytes it likes. It also counts the
// connections open at once, to check a client's connection limits.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kpi::test {

class RawServer {
public:
    // Called with the connection and one request's head (request line and headers). Return
    // true to read the next request on the same connection, false to close it.
    using Handler = std::function<bool(int fd, const std::string& head)>;

    explicit RawServer(Handler handler);
    ~RawServer();  // closes every connection, waking handlers that wait (see stopping())
    RawServer(const RawServer&) = delete;
    RawServer& operator=(const RawServer&) = delete;

    int port() const { return port_; }
    std::string url(const std::string& path = "") const;
    bool stopping() const { return stopping_; }
    // Sleeps up to `ms`, returning early (false) when the server stops.
    bool pause(int ms) const;

    int accepted() const { return accepted_; }
    int max_open() const { return max_open_; }  // connections open at the same time, at most
    int open() const { return open_; }          // connections open now (the client has not closed)
    std::vector<std::string> heads() const;      // every request head received

    // Writes all of `data`; false when the peer has gone.
    static bool send_all(int fd, const std::string& data);

private:
    void accept_loop();
    void serve(int fd);

    Handler handler_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> accepted_{0}, open_{0}, max_open_{0};
    std::thread acceptor_;
    mutable std::mutex mutex_;
    std::vector<std::thread> connections_;
    std::vector<int> fds_;
    std::vector<std::string> heads_;
};

}  // namespace kpi::test
