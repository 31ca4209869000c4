#include "http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <queue>
#include <random>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/base64.hpp"
#include "core/log.hpp"
#include "core/shutdown.hpp"
#include "core/version.hpp"
#include "http/redact.hpp"

namespace kpi {

using Clock = std::chrono::steady_clock;

namespace {

// curl_global_init is not thread-safe; do it once before the first handle.
struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};

void ensure_curl_global() { static CurlGlobal global; }

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

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

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
            out = lower(text);
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
    struct Transfer {
        HttpRequest request;
        Callback callback;
        HttpResponse response;
        CURL* easy = nullptr;
        curl_slist* header_list = nullptr;
        Clock::time_point first_attempt;
        std::size_t body_cap = 0;
        int redirects = 0;
        char error_buffer[CURL_ERROR_SIZE] = {};
    };

    struct Timer {
        Clock::time_point due;
        Transfer* transfer;
        bool operator>(const Timer& other) const { return due > other.due; }
    };

    HttpSettings settings;
    CURLM* multi = nullptr;
    std::unordered_set<Transfer*> active;  // added to the multi handle
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
    std::vector<std::pair<Transfer*, HttpResponse>> finished;  // callbacks to run
    bool cancelled = false;
    std::mt19937_64 rng{std::random_device{}()};

    explicit Impl(HttpSettings s) : settings(s) {
        ensure_curl_global();
        multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, settings.max_connections);
        curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, settings.per_host);
    }

    ~Impl() {
        abort_all("client destroyed");
        curl_multi_cleanup(multi);
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        const std::size_t n = size * count;
        if (t->response.body.size() + n > t->body_cap) {
            t->response.body_truncated = true;
            return 0;  // aborts the transfer with CURLE_WRITE_ERROR
        }
        t->response.body.append(data, n);
        return n;
    }

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        std::string_view line(data, size * count);
        if (line.starts_with("HTTP/")) {
            t->response.headers.clear();  // interim (1xx) responses come before the final one
        } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
            t->response.headers.emplace_back(lower(std::string(line.substr(0, colon))), trim(line.substr(colon + 1)));
        }
        return size * count;
    }

    void start_attempt(Transfer* t) {
        if (cancelled || shutdown_requested()) {
            t->response.error = "not sent: shutting down";
            finished.emplace_back(t, std::move(t->response));
            return;
        }
        const HttpRequest& r = t->request;
        t->response.body.clear();
        t->response.headers.clear();
        t->response.body_truncated = false;
        t->response.error.clear();
        t->response.status = 0;
        t->response.method = r.method;
        t->response.secrets = r.secrets;
        t->response.url = redact(strip_userinfo(r.url), r.secrets);
        ++t->response.attempts;
        t->error_buffer[0] = 0;

        if (t->easy == nullptr) t->easy = curl_easy_init();
        CURL* e = t->easy;
        curl_easy_reset(e);
        curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PRIVATE, t);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error_buffer);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
        curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent().c_str());
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
        // Redirects are followed by hand (see finish) so credentials never go to another host.
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
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
        curl_multi_add_handle(multi, e);
        active.insert(t);
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
        CURL* e = t->easy;
        curl_multi_remove_handle(multi, e);
        active.erase(t);
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

        if (code != CURLE_OK) {
            if (resp.body_truncated) {
                resp.error = "response body larger than " + std::to_string(t->body_cap) + " bytes";
            } else {
                std::string detail = t->error_buffer[0] ? t->error_buffer : curl_easy_strerror(code);
                resp.error = redact(detail, t->request.secrets);
            }
        }
        const bool retry = !resp.body_truncated && ((code != CURLE_OK && retryable_transport_error(code)) ||
                                                    (code == CURLE_OK && retryable_status(status)));
        const int max_retries = t->request.retries.value_or(settings.retries);
        if (retry && resp.attempts <= max_retries && !cancelled && !shutdown_requested()) {
            const Duration delay = backoff(*t);
            if (Clock::now() + delay - t->first_attempt <= settings.retry_budget) {
                timers.push(Timer{Clock::now() + std::chrono::duration_cast<Clock::duration>(delay), t});
                return;
            }
        }
        if (code == CURLE_OK && status >= 300 && status < 400 && status != 304 && t->request.follow_redirects) {
            char* location = nullptr;
            curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &location);
            if (location && *location) {
                if (follow_redirect(t, location, status)) return;
            }
        }
        finished.emplace_back(t, std::move(resp));
    }

    // Returns true when the redirect was started; false leaves the 3xx (or an error) to the caller.
    bool follow_redirect(Transfer* t, const std::string& location, long status) {
        if (++t->redirects > 5) {
            t->response.error = "more than 5 redirects";
            return false;
        }
        HttpRequest& r = t->request;
        auto from = origin_of(r.url), to = origin_of(location);
        if (!from || !to) return false;
        if (!(*from == *to)) {
            // Credentials are for the host the operator configured, never another one.
            r.basic_auth.reset();
            r.negotiate = false;
            std::erase_if(r.headers, [](const auto& h) {
                const std::string name = lower(h.first);
                return name == "authorization" || name == "cookie" || name == "proxy-authorization";
            });
            for (const auto& secret : r.secrets) {
                if (!secret.empty() && r.body.find(secret) != std::string::npos) {
                    t->response.error = "redirected to " + redact(strip_userinfo(location), r.secrets) +
                                        ", another host: credentials not sent there";
                    return false;
                }
            }
        }
        if (status == 303 || ((status == 301 || status == 302) && r.method == "POST")) {
            r.method = "GET";
            r.body.clear();
        }
        r.url = location;
        t->response.attempts = 0;
        start_attempt(t);
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
        for (Transfer* t : std::exchange(active, {})) {
            curl_multi_remove_handle(multi, t->easy);
            t->response.error = why;
            finished.emplace_back(t, std::move(t->response));
        }
        while (!timers.empty()) {
            Transfer* t = timers.top().transfer;
            timers.pop();
            t->response.error = why + " (a retry was pending after: " + t->response.describe() + ")";
            finished.emplace_back(t, std::move(t->response));
        }
    }

    void run_callbacks() {
        while (!finished.empty()) {
            auto batch = std::move(finished);
            finished.clear();
            for (auto& [t, response] : batch) {
                Callback cb = std::move(t->callback);
                if (t->header_list) curl_slist_free_all(t->header_list);
                if (t->easy) curl_easy_cleanup(t->easy);
                delete t;
                cb(std::move(response));
            }
        }
    }

    void run() {
        while (!active.empty() || !timers.empty() || !finished.empty()) {
            if ((cancelled || shutdown_requested()) && (!active.empty() || !timers.empty())) {
                abort_all("cancelled: shutting down");
            }
            const auto now = Clock::now();
            while (!timers.empty() && timers.top().due <= now) {
                Transfer* t = timers.top().transfer;
                timers.pop();
                start_attempt(t);
            }
            int still = 0;
            curl_multi_perform(multi, &still);
            int left = 0;
            while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
                if (msg->msg != CURLMSG_DONE) continue;
                Transfer* t = nullptr;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
                finish(t, msg->data.result);
            }
            run_callbacks();
            if (active.empty() && timers.empty()) continue;
            int wait_ms = 100;  // bounded so that a shutdown request is seen promptly
            if (!timers.empty()) {
                auto until = std::chrono::duration_cast<std::chrono::milliseconds>(timers.top().due - Clock::now());
                wait_ms = static_cast<int>(std::clamp<std::int64_t>(until.count(), 0, wait_ms));
            }
            if (!active.empty()) {
                curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
            } else if (wait_ms > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
            }
        }
    }
};

HttpClient::HttpClient(HttpSettings settings) : impl_(std::make_unique<Impl>(settings)), settings_(settings) {}

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
    t->first_attempt = Clock::now();
    t->body_cap = std::min(t->request.max_body_bytes.value_or(settings_.max_response_bytes), settings_.max_response_bytes);
    impl_->start_attempt(t);
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

std::string user_agent() { return std::string("kpi/") + kVersion; }

}  // namespace kpi
