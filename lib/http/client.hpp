#pragma once
// An asynchronous HTTP client on libcurl's multi interface: every source of a pass runs
// concurrently on one event loop. Requests wait in the client until a connection slot is
// free (max_connections in all, per_host to one host), so memory and work follow the
// limits rather than the number of requests. Retries
// (connect errors, timeouts, 429, 5xx) happen inside the client, with exponential
// backoff, jitter and Retry-After, so sources and sinks only see final answers.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/point.hpp"
#include "core/time.hpp"

namespace kpi {

struct HttpSettings {
    Duration timeout = std::chrono::seconds(30);          // total, per attempt
    Duration connect_timeout = std::chrono::seconds(10);
    int retries = 3;                                      // further attempts after the first
    Duration retry_base_delay = std::chrono::milliseconds(500);
    Duration retry_max_delay = std::chrono::seconds(30);   // cap on one wait, Retry-After included
    Duration retry_budget = std::chrono::seconds(120);    // no retry starts after this much time
    long max_connections = 32;
    long per_host = 4;
    std::size_t max_response_bytes = 64u << 20;           // cap on any response body
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // {"Content-Type", "application/json"}
    std::string body;
    std::optional<Duration> timeout;      // overrides HttpSettings::timeout
    std::optional<std::size_t> max_body_bytes;  // lowers HttpSettings::max_response_bytes
    // Only the first bytes matter (a probe's keyword search): at the cap, stop reading and
    // answer with what fits (body_truncated, no error) instead of failing.
    bool accept_truncated = false;
    bool verify_tls = true;
    bool follow_redirects = true;         // credentials are never sent to another host
    std::optional<int> retries;           // overrides HttpSettings::retries
    std::optional<std::pair<std::string, std::string>> basic_auth;  // user, password
    bool negotiate = false;               // SPNEGO/Kerberos
    std::string cookie_file;              // cookie jar, read and written (SSO sessions)
    bool want_cert_expiry = false;        // fills HttpResponse::cert_expiry for https
    // Strings removed from anything the client reports (errors, logged URLs).
    std::vector<std::string> secrets;
};

struct HttpResponse {
    long status = 0;              // 0 when no HTTP answer came (see error)
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string error;            // transport failure, empty otherwise
    std::string url;              // the URL that answered (after redirects), secrets redacted
    std::string method;
    int attempts = 0;
    double total_seconds = 0;
    double time_to_first_byte_seconds = 0;
    std::optional<Timestamp> cert_expiry;
    bool body_truncated = false;  // the size cap was hit (then error is set, unless accept_truncated)
    std::size_t body_bytes_seen = 0;  // body bytes received (decoded), kept or not
    std::vector<std::string> secrets;  // the request's, so that describe() never quotes one

    bool ok() const { return error.empty() && status >= 200 && status < 300; }
    const std::string* header(std::string_view lower_name) const;
    // "GET http://host/path: HTTP 503: <the server's message, shortened>" or
    // "GET http://host/path: connection refused". For error messages.
    std::string describe() const;
};

class HttpClient {
public:
    using Callback = std::function<void(HttpResponse&&)>;
    // Told "GET <url>: handling the answer failed: <what>" when a callback throws.
    using ErrorHandler = std::function<void(const std::string& message)>;

    // Asked as the transfers run: true aborts those in progress and drops pending retries.
    // The commands pass shutdown_requested (core/shutdown.hpp), so that SIGTERM ends a pass
    // promptly; null (tests, tools) never stops.
    using StopCheck = bool (*)();

    explicit HttpClient(HttpSettings settings = {}, StopCheck stop = nullptr);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Queues a request; the callback runs on the thread that calls run(), and may submit more.
    void submit(HttpRequest request, Callback callback);
    // Runs `start`, and gives the requests it submits (and those their callbacks submit in
    // turn) an owner: an exception out of `start` or out of any of those callbacks goes to
    // `on_error`, so that the owner fails alone while every other request goes on.
    void guarded(ErrorHandler on_error, const std::function<void()>& start);
    // Drives every transfer (and those the callbacks add) to its end. An exception out of a
    // callback without an owner is rethrown, but only after every other transfer has ended.
    void run();
    // submit() + run() for one request; for sinks, which deliver in order.
    HttpResponse fetch(HttpRequest request);
    // From a signal handler's flag check: abort transfers in progress and drop retries.
    void cancel_all();

    const HttpSettings& settings() const { return settings_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    HttpSettings settings_;
};

// How many bytes libcurl reads from a socket at once, for an attempt that starts when
// `transfers_at_once` transfers are in flight or waiting (at most max_connections): the
// transfers share 4 MiB, each between 1 KiB (libcurl's least) and 512 KiB. A lone 3 MB
// report is then 6 reads rather than 200 of libcurl's default 16 KiB, and 1,024 small
// answers at once take 4 KiB each where libcurl's default costs 8 KiB more of memory per
// connection (bench/README.md, "Fan-out").
long receive_buffer_bytes(long transfers_at_once);

// Percent-encoding for query strings and form bodies (RFC 3986 unreserved kept).
std::string url_encode(std::string_view text);
// "a=1&b=x%20y" from pairs, each encoded.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& pairs);
// The User-Agent every request carries: "kpi/<version> (+<project URL>)".
std::string user_agent();

}  // namespace kpi
