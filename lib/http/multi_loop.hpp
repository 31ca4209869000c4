#pragma once
// libcurl's multi interface driven by events (curl_multi_socket_action on epoll): the work
// of one loop turn follows the sockets that are ready, not the number of transfers, so
// ten thousand connections in flight cost no more per answer than ten.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>

namespace kpi {

class MultiLoop {
public:
    MultiLoop(long max_connections, long per_host);
    ~MultiLoop();
    MultiLoop(const MultiLoop&) = delete;
    MultiLoop& operator=(const MultiLoop&) = delete;

    void add(CURL* easy);
    void remove(CURL* easy);
    std::size_t size() const { return handles_; }

    // Waits at most `max_wait` for a socket to be ready or libcurl's timer to fall due,
    // then lets libcurl act on what happened. Returns early on a signal.
    void drive(std::chrono::milliseconds max_wait);

    // Calls done(easy, result) for every transfer that ended since the last call. The
    // callee may remove the handle and add others.
    template <typename F>
    void take_done(F&& done) {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
            if (msg->msg == CURLMSG_DONE) done(msg->easy_handle, msg->data.result);
        }
    }

private:
    static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self, void* socket_data);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    void act(curl_socket_t socket, int flags);

    CURLM* multi_ = nullptr;
    int epoll_ = -1;
    std::size_t handles_ = 0;
    bool timer_set_ = false;
    std::chrono::steady_clock::time_point timer_due_;
};

}  // namespace kpi
