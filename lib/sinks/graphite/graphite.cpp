#include "sinks/graphite/graphite.hpp"

#include <netdb.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "core/shutdown.hpp"
#include "formats/graphite_plaintext.hpp"

namespace kpi {
namespace {

using Clock = std::chrono::steady_clock;

struct GraphiteSettings {
    HostPort address;
    std::string prefix;
};

const SettingsSchema<GraphiteSettings>& graphite_schema() {
    static const auto schema =
        SettingsSchema<GraphiteSettings>{}
            .add(&GraphiteSettings::address,
                 {.name = "address", .help = "Carbon's plaintext listener", .placeholder = "HOST:PORT",
                  .default_value = "localhost:2003"},
                 parse_host_port)
            .add(&GraphiteSettings::prefix, {.name = "prefix",
                                             .help = "the first path components of every series (empty for none)",
                                             .placeholder = "PATH",
                                             .default_value = "kpi"});
    return schema;
}

class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Socket& operator=(Socket&& other) noexcept {
        std::swap(fd_, other.fd_);
        return *this;
    }
    int fd() const { return fd_; }
    bool valid() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

// Waits for `events` on `fd` until the deadline; false on timeout (errno ETIMEDOUT).
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, remaining_ms(deadline));
        if (n > 0) return true;
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 && Clock::now() < deadline) continue;  // poll's cap, not ours
        if (n == 0) errno = ETIMEDOUT;
        return false;
    }
}

// One connection attempt to each address of the host in turn; "" or why none answered.
std::string connect_once(const HostPort& address, Duration timeout, Socket& out) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(address.host.c_str(), address.port.c_str(), &hints, &found); rc != 0) {
        return std::string("cannot resolve ") + address.host + ": " + ::gai_strerror(rc);
    }
    std::string error = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        Socket socket(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
        if (!socket.valid()) {
            error = std::strerror(errno);
            continue;
        }
        const auto deadline = Clock::now() + timeout;
        if (::connect(socket.fd(), a->ai_addr, a->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) {
                error = std::strerror(errno);
                continue;
            }
            if (!wait_for(socket.fd(), POLLOUT, deadline)) {
                error = errno == ETIMEDOUT ? "connect timed out" : std::strerror(errno);
                continue;
            }
            int so_error = 0;
            socklen_t length = sizeof so_error;
            ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &so_error, &length);
            if (so_error != 0) {
                error = std::strerror(so_error);
                continue;
            }
        }
        out = std::move(socket);
        error.clear();
        break;
    }
    ::freeaddrinfo(found);
    return error;
}

// Sends everything, then closes our side and waits for Carbon to close its own. Carbon
// answers nothing, so its close, after it read all we sent, is the only sign that the
// lines arrived; a reset, or no close before the deadline, means they may not have.
// "" or what went wrong.
std::string send_and_close(const Socket& socket, std::string_view text, Clock::time_point deadline) {
    while (!text.empty()) {
        const ssize_t n = ::send(socket.fd(), text.data(), text.size(), MSG_NOSIGNAL);
        if (n >= 0) {
            text.remove_prefix(static_cast<std::size_t>(n));
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!wait_for(socket.fd(), POLLOUT, deadline)) return "sending timed out";
        } else if (errno != EINTR) {
            return std::string("connection lost while sending: ") + std::strerror(errno);
        }
    }
    if (::shutdown(socket.fd(), SHUT_WR) != 0) {
        return std::string("connection lost while sending: ") + std::strerror(errno);
    }
    char discard[512];
    for (;;) {
        const ssize_t n = ::recv(socket.fd(), discard, sizeof discard, 0);
        if (n == 0) return "";
        if (n > 0 || errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return std::string("connection lost after sending: ") + std::strerror(errno);
        }
        if (!wait_for(socket.fd(), POLLIN, deadline)) {
            return "the server did not close the connection in time, so delivery is not confirmed";
        }
    }
}

// Sleeps, waking early when a shutdown is requested. False when it was.
bool backoff(Duration delay) {
    const auto until = Clock::now() + delay;
    while (Clock::now() < until) {
        if (shutdown_requested()) return false;
        std::this_thread::sleep_for(std::min<Duration>(until - Clock::now(), std::chrono::milliseconds(50)));
    }
    return !shutdown_requested();
}

class GraphiteSink final : public Sink {
public:
    GraphiteSink(std::string name, GraphiteSettings settings, const HttpSettings& http)
        : name_(std::move(name)),
          address_text_(settings.address.text()),
          address_(std::move(settings.address)),
          prefix_(std::move(settings.prefix)),
          settings_(http) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        std::vector<std::string> notes;
        const std::string text = to_graphite_plaintext(points, prefix_, &notes);
        for (const auto& note : notes) spdlog::warn("sink {}: {}", name_, note);

        DeliveryResult result;
        if (text.empty()) return result;
        if (auto error = send(text); !error.empty()) {
            // Carbon acknowledges nothing: after a failure any part may be missing. Sending a
            // point again only rewrites the same value at the same time.
            result.undelivered = points;
            result.errors.push_back(address_text_ + ": " + error);
        }
        return result;
    }

private:
    std::string send(std::string_view text) const {
        Socket socket;
        std::string error;
        const int attempts = 1 + std::max(0, settings_.retries);
        Duration delay = settings_.retry_base_delay;
        for (int attempt = 1; attempt <= attempts; ++attempt) {
            error = connect_once(address_, settings_.connect_timeout, socket);
            if (error.empty()) break;
            spdlog::debug("sink {}: {}: cannot connect (attempt {} of {}): {}", name_, address_text_, attempt,
                          attempts, error);
            if (attempt == attempts || !backoff(delay)) {
                return "cannot connect: " + error + " (" + std::to_string(attempt) +
                       (attempt == 1 ? " attempt)" : " attempts)");
            }
            delay = std::min<Duration>(delay * 2, settings_.retry_max_delay);
        }
        return send_and_close(socket, text, Clock::now() + settings_.timeout);
    }

    std::string name_;
    std::string address_text_;
    HostPort address_;
    std::string prefix_;
    HttpSettings settings_;  // the connect and total timeouts and retries of [http] apply here too
};

}  // namespace

std::string HostPort::text() const {
    return (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + port;
}

HostPort parse_host_port(const std::string& text) {
    const auto malformed = [&] {
        return SettingError("\"" + text + "\" is not HOST:PORT (e.g. localhost:2003, [::1]:2003)");
    };
    HostPort out;
    std::string_view view = text;
    std::string_view port;
    if (view.starts_with('[')) {
        const auto close = view.find("]:");
        if (close == std::string_view::npos) throw malformed();
        out.host = view.substr(1, close - 1);
        port = view.substr(close + 2);
    } else {
        const auto colon = view.rfind(':');
        if (colon == std::string_view::npos) throw malformed();
        out.host = view.substr(0, colon);
        port = view.substr(colon + 1);
        if (out.host.find(':') != std::string::npos) throw malformed();  // IPv6 needs brackets
    }
    const bool digits = !port.empty() && port.size() <= 5 &&
                        std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    int number = 0;
    if (digits) std::from_chars(port.data(), port.data() + port.size(), number);
    if (out.host.empty() || number < 1 || number > 65535) throw malformed();
    out.port = port;
    return out;
}

SinkInfo graphite_sink() {
    return SinkInfo{
        .type = "graphite",
        .summary = "send series to Graphite (Carbon plaintext over TCP)",
        .description =
            "Sends the points to Carbon's plaintext listener over TCP, one line per field: "
            "<prefix>.<measurement>.<field>;<tag>=<value>... <value> <unix seconds>, with the tags as "
            "Graphite 1.1 tags. Path components and tag names keep letters, digits, -, _ and :; anything else "
            "(dots, spaces, ;, ~, !, ^, =, slashes) becomes _, so one component stays one level of the tree. "
            "Tag values lose only whitespace, ;, ~, !, ^ and =. An empty tag value is not written, and a tag "
            "called name is written as _name (Graphite keeps name for the series). Booleans are 1 and 0; "
            "string fields are left out with a warning.\n\n"
            "Connecting is retried with exponential backoff as often as [http] retries says, each attempt "
            "bounded by the connect timeout. Carbon answers nothing, so after sending kpi closes its side and "
            "waits, up to --timeout, for Carbon to close its own: that confirms Carbon read everything. A "
            "refused, reset or unconfirmed connection fails the whole batch, which is spooled and sent again "
            "later (a point sent twice only rewrites the same value).",
        .options = graphite_schema().specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records --tag service=zenodo | "
                   "kpi publish graphite --address graphite:2003 --prefix kpi",
        .wire_format = &graphite_plaintext_format(),
        .make = make_sink(graphite_schema(),
                          [](GraphiteSettings settings, const SinkConfig& config, SinkContext& context) -> std::unique_ptr<Sink> {
                              return std::make_unique<GraphiteSink>(config.name, std::move(settings),
                                                                    context.http.settings());
                          }),
    };
}

}  // namespace kpi
