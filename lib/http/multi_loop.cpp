#include "http/multi_loop.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace kpi {

namespace {
// A non-null marker for curl_multi_assign: "this socket is in the epoll set".
char kRegistered;
}  // namespace

MultiLoop::MultiLoop(long max_connections, long per_host) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &MultiLoop::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &MultiLoop::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
    // Open sockets, idle ones in the connection cache included, never exceed the limits.
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_connections);
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, per_host);
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, max_connections);
}

MultiLoop::~MultiLoop() {
    curl_multi_cleanup(multi_);
    close(epoll_);
}

void MultiLoop::add(CURL* easy) {
    curl_multi_add_handle(multi_, easy);
    ++handles_;
}

void MultiLoop::remove(CURL* easy) {
    curl_multi_remove_handle(multi_, easy);
    --handles_;
}

int MultiLoop::on_socket(CURL*, curl_socket_t socket, int what, void* self_ptr, void* socket_data) {
    auto* self = static_cast<MultiLoop*>(self_ptr);
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(self->epoll_, EPOLL_CTL_DEL, socket, nullptr);  // fails harmlessly when already closed
        return 0;
    }
    epoll_event event{};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    event.data.fd = socket;
    // A closed descriptor leaves the epoll set by itself, and its number may come back.
    int op = socket_data ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(self->epoll_, op, socket, &event) != 0) {
        op = errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        epoll_ctl(self->epoll_, op, socket, &event);
    }
    if (!socket_data) curl_multi_assign(self->multi_, socket, &kRegistered);
    return 0;
}

int MultiLoop::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
    auto* self = static_cast<MultiLoop*>(self_ptr);
    self->timer_set_ = timeout_ms >= 0;
    if (self->timer_set_) self->timer_due_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
}

void MultiLoop::act(curl_socket_t socket, int flags) {
    int running = 0;
    curl_multi_socket_action(multi_, socket, flags, &running);
}

void MultiLoop::drive(std::chrono::milliseconds max_wait) {
    using Clock = std::chrono::steady_clock;
    auto wait = max_wait;
    if (timer_set_) {
        auto until = std::chrono::duration_cast<std::chrono::milliseconds>(timer_due_ - Clock::now());
        // Round up: waking a millisecond early only to find the timer not yet due wastes a turn.
        if (timer_due_ > Clock::now() + until) until += std::chrono::milliseconds(1);
        wait = std::clamp(until, std::chrono::milliseconds(0), max_wait);
    }
    std::array<epoll_event, 1024> events;
    const int ready = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), static_cast<int>(wait.count()));
    for (int i = 0; i < ready; ++i) {
        const auto e = events[static_cast<std::size_t>(i)].events;
        int flags = 0;
        if (e & (EPOLLIN | EPOLLHUP)) flags |= CURL_CSELECT_IN;
        if (e & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (e & EPOLLERR) flags |= CURL_CSELECT_ERR;
        act(events[static_cast<std::size_t>(i)].data.fd, flags);
    }
    if (timer_set_ && Clock::now() >= timer_due_) {
        timer_set_ = false;  // libcurl sets the next one from inside the call
        act(CURL_SOCKET_TIMEOUT, 0);
    }
}

}  // namespace kpi
