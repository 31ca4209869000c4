#include "http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <ctime>
#include <exception>
#include <stdexcept>
#include <queue>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/base64.hpp"
#include "core/text.hpp"
#include "core/log.hpp"
#include "core/version.hpp"
#include "http/admission.hpp"
#include "http/multi_loop.hpp"
#include "http/redact.hpp"

namespace kpi {

using Clock = std::chrono::steady_clock;

namespace {

// curl_global_init is not thread-safe; do it once before the first handle.
struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};

bool ensure_curl_global() {
    static CurlGlobal global;
    return true;
}

bool retryable_transport_error(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR: return true;
        default: return false;
    }
}

bool retryable_status(long status) { return status == 429 || (status >= 500 && status <= 599); }

// Retry-After is seconds or an HTTP date.
std::optional<Duration> parse_retry_after(const std::string& value) {
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return std::chrono::seconds(std::stoll(value.substr(0, 9)));
    }
    std::tm tm{};
    if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
    auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
    auto wait = when - std::chrono::system_clock::now();
    return std::max<Duration>(Duration{0}, std::chrono::duration_cast<Duration>(wait));
}

std::optional<Timestamp> parse_cert_date(const char* text) {
    std::tm tm{};
    // OpenSSL prints "Nov 28 12:00:00 2027 GMT".
    if (strptime(text, "%b %d %H:%M:%S %Y GMT", &tm) == nullptr) return std::nullopt;
    return Timestamp{std::chrono::seconds(timegm(&tm))};
}

struct Origin {
    std::string scheme, host, port;
    bool operator==(const Origin&) const = default;
};

std::optional<Origin> origin_of(const std::string& url) {
    CURLU* u = curl_url();
    Origin o;
    bool ok = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
    auto part = [&](CURLUPart which, std::string& out, unsigned flags) {
        char* text = nullptr;
        if (curl_url_get(u, which, &text, flags) == CURLUE_OK && text) {
            out = ascii_lower(text);
            curl_free(text);
        }
    };
    if (ok) {
        part(CURLUPART_SCHEME, o.scheme, 0);
        part(CURLUPART_HOST, o.host, 0);
        part(CURLUPART_PORT, o.port, CURLU_DEFAULT_PORT);
    }
    curl_url_cleanup(u);
    if (!ok) return std::nullopt;
    return o;
}

constexpr int kMaxRedirects = 5;

// Every connection is a descriptor: raise the soft limit so that max_connections can be
// reached, and lower max_connections (with a warning) when the hard limit is in the way.
HttpSettings with_open_file_limit(HttpSettings s) {
    constexpr rlim_t kReserve = 64;  // stdio, the spool, the sinks' own sockets
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return s;
    const rlim_t wanted = static_cast<rlim_t>(s.max_connections) + kReserve;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        const rlim_t raised = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
        rlimit want{raised, limit.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) limit.rlim_cur = raised;
        if (limit.rlim_cur < wanted) {
            const long allowed = std::max<long>(1, static_cast<long>(limit.rlim_cur) - static_cast<long>(kReserve));
            spdlog::warn("[http] max_connections {} is more than the open-file limit allows ({}): using {}",
                         s.max_connections, limit.rlim_cur, allowed);
            s.max_connections = allowed;
            s.per_host = std::min(s.per_host, allowed);
        }
    }
    return s;
}

}  // namespace

const std::string* HttpResponse::header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
        if (k == lower_name) return &v;
    }
    return nullptr;
}

std::string HttpResponse::describe() const {
    std::string out = method + " " + url + ": ";
    if (!error.empty()) {
        if (status != 0) out += "HTTP " + std::to_string(status) + ": ";
        return out + error;
    }
    out += "HTTP " + std::to_string(status);
    std::string message = server_message(body);
    if (!message.empty()) out += ": " + message;
    return redact(std::move(out), secrets);
}

struct HttpClient::Impl {
    // What an attempt in flight needs besides its request; pooled, so that a request
    // waiting its turn costs only its own description.
    struct Handle {
        CURL* easy = curl_easy_init();
        char error[CURL_ERROR_SIZE] = {};
        Handle() = default;
        Handle(const Handle&) = delete;
        Handle& operator=(const Handle&) = delete;
        ~Handle() { curl_easy_cleanup(easy); }
    };

    struct Transfer {
        HttpRequest request;
        Callback callback;
        HttpResponse response;
        std::shared_ptr<const ErrorHandler> on_error;  // the owner's, when one was given
        std::string host;      // "scheme://host:port", the key of its connection slot
        std::unique_ptr<Handle> handle;  // while an attempt is in flight
        curl_slist* header_list = nullptr;
        Clock::time_point first_attempt;
        std::size_t body_cap = 0;
        int redirects = 0;
        bool keeps_connection = false;  // this attempt's connection stays open for the next

        ~Transfer() {
            if (header_list) curl_slist_free_all(header_list);
        }
    };

    struct Timer {
        Clock::time_point due;
        Transfer* transfer;
        bool operator>(const Timer& other) const { return due > other.due; }
    };

    bool curl_ready = ensure_curl_global();  // first: before any libcurl handle
    HttpSettings settings;
    MultiLoop loop;
    // Requests wait here, not in libcurl, until a connection slot is free.
    Admission<Transfer*> admission;
    std::unordered_set<Transfer*> in_flight;
    // What is known of each host's connections in libcurl's cache. libcurl 7.88 walks every
    // connection to a host to find a reusable one, and walks the whole cache again when it
    // removes a transfer whose connection it kept: with thousands to one host both are
    // quadratic. So a request that cannot reuse a connection asks for a fresh one, and a
    // connection is kept only when a request may want it (keep_connection).
    struct HostConnections {
        long idle = 0;     // kept-alive connections probably idle in the cache
        long keeping = 0;  // attempts in flight whose connection will be kept
    };
    std::unordered_map<std::string, HostConnections> connections;
    std::vector<std::unique_ptr<Handle>> idle_handles;  // of ended attempts, for the next ones
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
    std::vector<std::pair<Transfer*, HttpResponse>> finished;  // callbacks to run
    std::shared_ptr<const ErrorHandler> current_owner;  // of the callback (or start) running now
    std::exception_ptr unhandled;  // the first exception of a callback without an owner
    bool cancelled = false;
    HttpClient::StopCheck stop = nullptr;
    std::mt19937_64 rng{std::random_device{}()};

    Impl(HttpSettings s, HttpClient::StopCheck stop_check)
        : settings(with_open_file_limit(s)),
          loop(settings.max_connections, settings.per_host),
          admission(static_cast<std::size_t>(settings.max_connections), static_cast<std::size_t>(settings.per_host)),
          stop(stop_check) {}

    bool stop_requested() const { return stop != nullptr && stop(); }

    ~Impl() {
        abort_all("client destroyed");
        for (auto& [t, response] : std::exchange(finished, {})) delete t;
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        const std::size_t n = size * count;
        std::string& body = t->response.body;
        t->response.body_bytes_seen += n;
        if (body.size() + n > t->body_cap) {
            t->response.body_truncated = true;
            // A caller that only looks into the first bytes keeps what fits.
            if (t->request.accept_truncated) body.append(data, t->body_cap - body.size());
            return 0;  // aborts the transfer with CURLE_WRITE_ERROR
        }
        if (body.size() + n > body.capacity()) {
            // Grow as std::string would, but never past the cap: memory stays within it
            // (reserve() itself would double past the cap).
            std::string grown;
            grown.reserve(std::min(t->body_cap, std::max(body.size() + n, 2 * body.capacity())));
            grown.append(body);
            body.swap(grown);
        }
        body.append(data, n);
        return n;
    }

    // The body's room at once when the server declares its length (within the cap): a large
    // answer is then neither copied as it grows nor faulted in twice. A compressed body's
    // declared length is a lower bound of the decoded one, still a good start.
    static void reserve_declared_body(Transfer* t, std::string_view value) {
        std::size_t declared = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), declared);
        if (error != std::errc() || end != value.data() + value.size()) return;
        std::string& body = t->response.body;
        if (body.empty()) body.reserve(std::min(declared, t->body_cap));
    }

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        std::string_view line(data, size * count);
        if (line.starts_with("HTTP/")) {
            t->response.headers.clear();  // interim (1xx) responses come before the final one
        } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
            std::string name = ascii_lower(line.substr(0, colon));
            const std::string_view value = trim(line.substr(colon + 1));
            if (name == "content-length") reserve_declared_body(t, value);
            t->response.headers.emplace_back(std::move(name), std::string(value));
        }
        return size * count;
    }

    void enqueue(Transfer* t, bool front) {
        if (cancelled || stop_requested()) {
            t->response.error = "not sent: shutting down";
            finished.emplace_back(t, std::move(t->response));
            return;
        }
        auto origin = origin_of(t->request.url);
        t->host = origin ? origin->scheme + "://" + origin->host + ":" + origin->port : t->request.url;
        admission.enqueue(t->host, t, front);
    }

    // Starts what the connection limits allow. The attempts of one round are added to libcurl
    // together, once the round has admitted all it can: whether a connection is kept depends
    // on what still waits after it.
    void admit() {
        std::vector<Transfer*> starting;
        while (auto next = admission.next()) {
            start_attempt(next->second);
            starting.push_back(next->second);
        }
        for (Transfer* t : starting) {
            keep_connection(t);
            loop.add(t->handle->easy);
            in_flight.insert(t);
        }
    }

    // Keeps the attempt's connection open afterwards when a request may reuse it: one still
    // waiting for its host after this round of admissions, or a follow-up (a next page, the
    // report after its index), for which kSpareConnections per host are kept. A burst of
    // thousands of requests to one host, with none left waiting, closes the rest at once.
    void keep_connection(Transfer* t) {
        constexpr std::size_t kSpareConnections = 64;
        HostConnections& host = connections[t->host];
        t->keeps_connection =
            static_cast<std::size_t>(host.keeping) < admission.waiting_for(t->host) + kSpareConnections;
        if (t->keeps_connection) {
            ++host.keeping;
        } else {
            curl_easy_setopt(t->handle->easy, CURLOPT_FORBID_REUSE, 1L);
        }
    }

    // Readies the attempt's easy handle; admit() adds it to libcurl.
    void start_attempt(Transfer* t) {
        const HttpRequest& r = t->request;
        t->response.body.clear();
        t->response.headers.clear();
        t->response.body_truncated = false;
        t->response.body_bytes_seen = 0;
        t->response.error.clear();
        t->response.status = 0;
        t->response.method = r.method;
        t->response.secrets = r.secrets;
        t->response.url = redact(strip_userinfo(r.url), r.secrets);
        ++t->response.attempts;

        if (idle_handles.empty()) {
            t->handle = std::make_unique<Handle>();
        } else {
            t->handle = std::move(idle_handles.back());
            idle_handles.pop_back();
            curl_easy_reset(t->handle->easy);
        }
        t->handle->error[0] = 0;
        CURL* e = t->handle->easy;
        curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PRIVATE, t);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->handle->error);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
        static const std::string agent = user_agent();
        curl_easy_setopt(e, CURLOPT_USERAGENT, agent.c_str());
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
        const auto at_once = std::min(admission.in_flight() + admission.waiting(),
                                      static_cast<std::size_t>(settings.max_connections));
        curl_easy_setopt(e, CURLOPT_BUFFERSIZE, receive_buffer_bytes(static_cast<long>(at_once)));
        // A declared length over the cap fails before the body is read.
        if (!r.accept_truncated) {
            curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t->body_cap));
        }
        // Redirects are followed by hand (see finish) so credentials never go to another host.
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
        if (auto host = connections.find(t->host); host != connections.end() && host->second.idle > 0) {
            --host->second.idle;
        } else {
            curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);  // nothing to reuse: skip the search
        }
        const auto timeout = r.timeout.value_or(settings.timeout);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                         static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()));
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::min(timeout, settings.connect_timeout))
                                               .count()));
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, r.verify_tls ? 1L : 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, r.verify_tls ? 2L : 0L);
        if (r.want_cert_expiry) curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);

        if (r.method == "GET") {
            curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        } else if (r.method == "HEAD") {
            curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        } else {
            if (r.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
            curl_easy_setopt(e, CURLOPT_POST, 1L);
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        }
        if (t->header_list) curl_slist_free_all(t->header_list);
        t->header_list = curl_slist_append(nullptr, "Expect:");
        for (const auto& [name, value] : r.headers) {
            t->header_list = curl_slist_append(t->header_list, (name + ": " + value).c_str());
        }
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);
        if (r.basic_auth) {
            curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
            curl_easy_setopt(e, CURLOPT_USERNAME, r.basic_auth->first.c_str());
            curl_easy_setopt(e, CURLOPT_PASSWORD, r.basic_auth->second.c_str());
        } else if (r.negotiate) {
            curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_NEGOTIATE);
            curl_easy_setopt(e, CURLOPT_USERPWD, ":");
        }
        if (!r.cookie_file.empty()) {
            curl_easy_setopt(e, CURLOPT_COOKIEFILE, r.cookie_file.c_str());
            curl_easy_setopt(e, CURLOPT_COOKIEJAR, r.cookie_file.c_str());
        }
    }

    // The attempt's easy handle goes back to the pool and its slot to the next request.
    void end_attempt(Transfer* t, bool kept_alive) {
        HostConnections& host = connections[t->host];
        if (t->keeps_connection) --host.keeping;
        if (kept_alive && t->keeps_connection) host.idle = std::min(host.idle + 1, settings.per_host);
        t->keeps_connection = false;
        loop.remove(t->handle->easy);
        in_flight.erase(t);
        idle_handles.push_back(std::move(t->handle));
        admission.release(t->host);
    }

    Duration backoff(const Transfer& t) {
        const int attempt = std::max(1, t.response.attempts);
        auto base = settings.retry_base_delay * (1LL << std::min(attempt - 1, 16));
        base = std::min<Duration>(base, settings.retry_max_delay);
        // Full jitter keeps many kpi runs from retrying in lockstep.
        std::uniform_int_distribution<std::int64_t> dist(base.count() / 2, base.count());
        Duration delay{dist(rng)};
        if (const auto* after = t.response.header("retry-after")) {
            if (auto wanted = parse_retry_after(*after)) delay = std::min<Duration>(*wanted, settings.retry_max_delay);
        }
        return delay;
    }

    // After an attempt: retry, follow a redirect, or hand the response to the callback.
    void finish(Transfer* t, CURLcode code) {
        CURL* e = t->handle->easy;
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        HttpResponse& resp = t->response;
        resp.status = status;
        curl_off_t total = 0, ttfb = 0;
        curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &total);
        curl_easy_getinfo(e, CURLINFO_STARTTRANSFER_TIME_T, &ttfb);
        resp.total_seconds = static_cast<double>(total) / 1e6;
        resp.time_to_first_byte_seconds = static_cast<double>(ttfb) / 1e6;
        if (t->request.want_cert_expiry) read_cert_expiry(e, resp);
        std::string location;
        if (code == CURLE_OK && status >= 300 && status < 400 && status != 304 && t->request.follow_redirects) {
            char* text = nullptr;
            curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &text);
            if (text) location = text;
        }
        const std::string detail = t->handle->error[0] ? t->handle->error : curl_easy_strerror(code);
        const auto* connection = resp.header("connection");
        end_attempt(t, code == CURLE_OK && !(connection && ascii_lower(*connection) == "close"));

        const std::string over_cap = "response body larger than " + std::to_string(t->body_cap) + " bytes (the cap)";
        if (code == CURLE_FILESIZE_EXCEEDED) {
            resp.body_truncated = true;
            const auto* length = resp.header("content-length");
            resp.error = over_cap + (length ? ": Content-Length " + *length + ", not read" : std::string());
        } else if (code == CURLE_WRITE_ERROR && resp.body_truncated && t->request.accept_truncated) {
            code = CURLE_OK;  // the caller asked for the first body_cap bytes only
        } else if (code != CURLE_OK) {
            if (resp.body_truncated) {
                resp.error = over_cap + ": cut off after " + std::to_string(resp.body_bytes_seen) + " bytes";
            } else {
                resp.error = redact(detail, t->request.secrets);
            }
        }
        const bool retry = !resp.body_truncated && ((code != CURLE_OK && retryable_transport_error(code)) ||
                                                    (code == CURLE_OK && retryable_status(status)));
        const int max_retries = t->request.retries.value_or(settings.retries);
        if (retry && resp.attempts <= max_retries && !cancelled && !stop_requested()) {
            const Duration delay = backoff(*t);
            if (Clock::now() + delay - t->first_attempt <= settings.retry_budget) {
                timers.push(Timer{Clock::now() + std::chrono::duration_cast<Clock::duration>(delay), t});
                return;
            }
        }
        if (!location.empty() && follow_redirect(t, location, status)) return;
        finished.emplace_back(t, std::move(resp));
    }

    // Returns true when the redirect was queued; false leaves the 3xx (or an error) to the caller.
    bool follow_redirect(Transfer* t, const std::string& location, long status) {
        HttpRequest& r = t->request;
        const std::string shown = redact(strip_userinfo(location), r.secrets);
        if (++t->redirects > kMaxRedirects) {
            t->response.error = "more than " + std::to_string(kMaxRedirects) + " redirects (the last to " + shown + ")";
            return false;
        }
        auto from = origin_of(r.url), to = origin_of(location);
        if (!from || !to) return false;
        const bool body_kept = !(status == 303 || ((status == 301 || status == 302) && r.method == "POST"));
        if (!(*from == *to)) {
            // Credentials are for the host the operator configured, never another one.
            const auto carries_secret = [&](std::string_view text) {
                return std::any_of(r.secrets.begin(), r.secrets.end(), [&](const std::string& secret) {
                    return !secret.empty() && text.find(secret) != std::string_view::npos;
                });
            };
            if (carries_secret(location)) {
                t->response.error = "redirected to another host with a credential in the URL: not followed";
                return false;
            }
            if (body_kept && !r.body.empty()) {
                t->response.error = "redirected to " + shown + ", another host: " +
                                    (carries_secret(r.body) ? "credentials not sent there"
                                                            : "the request body is not sent there");
                return false;
            }
            r.basic_auth.reset();
            r.negotiate = false;
            std::erase_if(r.headers, [&](const auto& h) {
                const std::string name = ascii_lower(h.first);
                return name == "authorization" || name == "cookie" || name == "proxy-authorization" ||
                       carries_secret(h.second);
            });
        }
        if (!body_kept) {
            r.method = "GET";
            r.body.clear();
            std::erase_if(r.headers, [](const auto& h) { return ascii_lower(h.first) == "content-type"; });
        }
        r.url = location;
        t->response.attempts = 0;
        enqueue(t, true);
        return true;
    }

    static void read_cert_expiry(CURL* e, HttpResponse& resp) {
        curl_certinfo* info = nullptr;
        if (curl_easy_getinfo(e, CURLINFO_CERTINFO, &info) != CURLE_OK || !info || info->num_of_certs < 1) return;
        // The first certificate is the server's own.
        for (curl_slist* s = info->certinfo[0]; s; s = s->next) {
            std::string_view line(s->data);
            if (line.starts_with("Expire date:")) {
                if (auto t = parse_cert_date(s->data + 12)) resp.cert_expiry = *t;
            }
        }
    }

    void abort_all(const std::string& why) {
        for (Transfer* t : std::vector<Transfer*>(in_flight.begin(), in_flight.end())) {
            end_attempt(t, false);
            t->response.error = why;
            finished.emplace_back(t, std::move(t->response));
        }
        admission.drain([&](Transfer* t) {
            t->response.error = "not sent: " + why;
            finished.emplace_back(t, std::move(t->response));
        });
        while (!timers.empty()) {
            Transfer* t = timers.top().transfer;
            timers.pop();
            t->response.error = why + " (a retry was pending after: " + t->response.describe() + ")";
            finished.emplace_back(t, std::move(t->response));
        }
    }

    // An exception out of a callback fails that request's owner, never the other requests.
    // Without an owner it ends run(), but only once every other request has ended.
    void report(const std::string& message) {
        if (!current_owner) {
            if (!unhandled) unhandled = std::current_exception();
            return;
        }
        try {
            (*current_owner)(message);
        } catch (...) {
            if (!unhandled) unhandled = std::current_exception();
        }
    }

    void run_callbacks() {
        while (!finished.empty()) {
            auto batch = std::exchange(finished, {});
            for (auto& [t, response] : batch) {
                std::unique_ptr<Transfer> owned(t);
                const std::string where = response.method + " " + response.url;
                const std::vector<std::string> secrets = t->request.secrets;
                current_owner = t->on_error;
                Callback callback = std::move(t->callback);
                owned.reset();
                try {
                    callback(std::move(response));
                } catch (const std::exception& e) {
                    report(redact(where + ": handling the answer failed: " + e.what(), secrets));
                } catch (...) {
                    report(where + ": handling the answer failed");
                }
                current_owner.reset();
            }
        }
    }

    bool busy() const {
        return admission.in_flight() > 0 || admission.waiting() > 0 || !timers.empty() || !finished.empty();
    }

    void run() {
        while (busy()) {
            if ((cancelled || stop_requested()) && (admission.in_flight() || admission.waiting() || !timers.empty())) {
                abort_all("cancelled: shutting down");
            }
            const auto now = Clock::now();
            while (!timers.empty() && timers.top().due <= now) {
                Transfer* t = timers.top().transfer;
                timers.pop();
                enqueue(t, true);
            }
            admit();
            if (admission.in_flight() > 0) {
                // Bounded so that a shutdown request is seen promptly; no wait while callbacks are due.
                std::chrono::milliseconds wait(finished.empty() ? 100 : 0);
                if (!timers.empty()) {
                    auto until = std::chrono::duration_cast<std::chrono::milliseconds>(timers.top().due - Clock::now());
                    wait = std::clamp(until, std::chrono::milliseconds(0), wait);
                }
                loop.drive(wait);
                loop.take_done([this](CURL* e, CURLcode code) {
                    Transfer* t = nullptr;
                    curl_easy_getinfo(e, CURLINFO_PRIVATE, &t);
                    finish(t, code);
                });
            } else if (finished.empty() && !timers.empty()) {
                auto until = std::chrono::duration_cast<std::chrono::milliseconds>(timers.top().due - Clock::now());
                std::this_thread::sleep_for(std::clamp(until, std::chrono::milliseconds(0), std::chrono::milliseconds(100)));
            }
            run_callbacks();
        }
        if (unhandled) std::rethrow_exception(std::exchange(unhandled, nullptr));
    }
};

long receive_buffer_bytes(long transfers_at_once) {
    constexpr long kAllTransfers = 4L << 20;
    constexpr long kLibcurlLeast = 1L << 10;  // CURLOPT_BUFFERSIZE's minimum
    constexpr long kLargest = 512L << 10;
    return std::clamp(kAllTransfers / std::max(1L, transfers_at_once), kLibcurlLeast, kLargest);
}

HttpClient::HttpClient(HttpSettings settings, StopCheck stop)
    : impl_(std::make_unique<Impl>(settings, stop)), settings_(impl_->settings) {}

HttpClient::~HttpClient() = default;

void HttpClient::submit(HttpRequest request, Callback callback) {
    if (request.basic_auth) {
        // The password, and the header that carries it, are never quoted back.
        request.secrets.push_back(request.basic_auth->second);
        request.secrets.push_back(base64_encode(request.basic_auth->first + ":" + request.basic_auth->second));
    }
    // Whatever a source builds from an answer and logs is masked too.
    for (const auto& secret : request.secrets) register_secret(secret);
    auto* t = new Impl::Transfer;
    t->request = std::move(request);
    t->callback = std::move(callback);
    t->on_error = impl_->current_owner;
    t->first_attempt = Clock::now();
    t->body_cap = std::min(t->request.max_body_bytes.value_or(settings_.max_response_bytes), settings_.max_response_bytes);
    impl_->enqueue(t, false);
}

void HttpClient::guarded(ErrorHandler on_error, const std::function<void()>& start) {
    auto owner = std::make_shared<const ErrorHandler>(std::move(on_error));
    auto previous = std::exchange(impl_->current_owner, owner);
    try {
        start();
    } catch (const std::exception& e) {
        (*owner)(e.what());
    } catch (...) {
        (*owner)("failed with an exception that is not a std::exception");
    }
    impl_->current_owner = std::move(previous);
}

void HttpClient::run() { impl_->run(); }

HttpResponse HttpClient::fetch(HttpRequest request) {
    HttpResponse result;
    submit(std::move(request), [&result](HttpResponse&& r) { result = std::move(r); });
    run();
    return result;
}

void HttpClient::cancel_all() { impl_->cancelled = true; }

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string out;
    for (const auto& [k, v] : pairs) {
        if (!out.empty()) out.push_back('&');
        out += url_encode(k);
        out.push_back('=');
        out += url_encode(v);
    }
    return out;
}

std::string user_agent() {
    static const std::string agent = std::string("kpi/") + kVersion + " (+" + kProjectUrl + ")";
    return agent;
}

}  // namespace kpi
