#include "sources/http/http.hpp"

#include <charconv>
#include <memory>

#include "sources/http/expect_status.hpp"

namespace kpi {
namespace {

struct HttpProbeSettings {
    std::vector<std::string> url;
    ExpectedStatus expect_status;
    std::string keyword;
};

const SettingsSchema<HttpProbeSettings>& http_schema() {
    static const auto schema =
        SettingsSchema<HttpProbeSettings>{}
            .add(&HttpProbeSettings::url, {.name = "url", .help = "a URL to probe", .placeholder = "URL", .required = true})
            .add(&HttpProbeSettings::expect_status,
                 {.name = "expect-status", .help = "status codes or classes that count as up, e.g. 200,3xx",
                  .placeholder = "CODES", .default_value = "2xx"},
                 ExpectedStatus::parse)
            .add(&HttpProbeSettings::keyword,
                 {.name = "keyword", .help = "text the body must contain to count as up", .placeholder = "TEXT"});
    return schema;
}

// The body's length; for a body cut at the cap, what the server declared or, when it
// declared nothing, the bytes seen before reading stopped.
std::size_t content_length(const HttpResponse& r) {
    if (!r.body_truncated) return r.body.size();
    const std::string* declared = r.header("content-length");
    std::size_t length = 0;
    if (declared && std::from_chars(declared->data(), declared->data() + declared->size(), length).ec == std::errc{} &&
        length >= r.body_bytes_seen) {
        return length;
    }
    return r.body_bytes_seen;
}

class HttpProbeSource : public Source {
public:
    explicit HttpProbeSource(HttpProbeSettings settings) : settings_(std::move(settings)) {}

    void start(SourceRun& run) override {
        for (std::size_t i = 0; i < settings_.url.size(); ++i) {
            const std::string& url = settings_.url[i];
            HttpRequest request = run.request(url);
            request.retries = 0;  // a probe measures one attempt; a failure is a data point
            request.want_cert_expiry = url.starts_with("https://");
            request.accept_truncated = true;  // the body matters only for the keyword search
            run.http().submit(std::move(request), [&run, i, url, expected = settings_.expect_status,
                                                   keyword = settings_.keyword](HttpResponse&& r) {
                run.mark_activity();
                Point p;
                p.measurement = "http_probe";
                p.set_tag("url", url);
                bool up = r.error.empty() && expected.matches(r.status);
                std::string why_down;
                if (up && !keyword.empty() && r.body.find(keyword) == std::string::npos) {
                    up = false;
                    why_down = "\"" + keyword + "\" not found in the " +
                               (r.body_truncated ? "first " + std::to_string(r.body.size()) + " bytes of the body"
                                                 : std::string("body"));
                }
                p.set_field("up", std::int64_t{up ? 1 : 0});
                if (r.status != 0) {
                    p.set_field("status_code", std::int64_t{r.status});
                    p.set_field("duration_seconds", r.total_seconds);
                    p.set_field("time_to_first_byte_seconds", r.time_to_first_byte_seconds);
                    p.set_field("content_length_bytes", static_cast<std::int64_t>(content_length(r)));
                }
                if (r.cert_expiry) {
                    p.set_field("tls_cert_expiry_seconds",
                                std::chrono::duration_cast<std::chrono::seconds>(*r.cert_expiry - run.pass_time())
                                    .count());
                }
                if (!up) run.warn(url + " is down: " + (why_down.empty() ? r.describe() : why_down));
                run.emit(std::move(p), i);  // in the order of --url, whatever order the answers come in
            });
        }
    }

private:
    HttpProbeSettings settings_;
};

}  // namespace

SourceInfo http_source() {
    return SourceInfo{
        .type = "http",
        .summary = "probe URLs directly: up, status code, timings, size, TLS certificate expiry",
        .description =
            "Sends one GET to each --url (no retries: each probe is one measurement) and reports up (1 when the "
            "status matches --expect-status and the body contains --keyword), status_code, duration_seconds, "
            "time_to_first_byte_seconds, content_length_bytes and, for https, tls_cert_expiry_seconds. Reading "
            "stops at [http] max_response_bytes: a larger body is still up, its length is the one the server "
            "declared (or the bytes read when it declared none), and --keyword is looked for in what was read. A target "
            "that is down is a measurement (up 0), not a failure: the exit status stays 0.",
        .options = http_schema().specs(),
        .example = "kpi collect http --url https://zenodo.org --url https://zenodo.org/api/records?size=1 --tag "
                   "service=zenodo",
        .fields =
            {
                {.measurement = "http_probe", .name = "up",
                 .description = "Whether the URL answered with an expected status and keyword (1) or not (0)"},
                {.measurement = "http_probe", .name = "status_code",
                 .description = "HTTP status code of the probe"},
                {.measurement = "http_probe", .name = "duration_seconds",
                 .description = "Time the probe took from connect to the last byte, in seconds"},
                {.measurement = "http_probe", .name = "time_to_first_byte_seconds",
                 .description = "Time until the first byte of the answer, in seconds"},
                {.measurement = "http_probe", .name = "content_length_bytes",
                 .description = "Size of the answer body, in bytes"},
                {.measurement = "http_probe", .name = "tls_cert_expiry_seconds",
                 .description = "Time until the TLS certificate expires, in seconds"},
            },
        .make = make_source(http_schema(),
                            [](HttpProbeSettings settings) { return std::make_unique<HttpProbeSource>(std::move(settings)); }),
    };
}

}  // namespace kpi
