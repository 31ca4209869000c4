#include "sources/http_probe.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/errors.hpp"

namespace kpi {
namespace {

// --expect-status: "2xx" (default), "200", or a list such as "200,301,3xx".
bool status_expected(long status, const std::string& expected) {
    std::stringstream ss(expected);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.size() == 3 && (item[1] == 'x' || item[1] == 'X')) {
            if (status / 100 == item[0] - '0') return true;
        } else if (item == std::to_string(status)) {
            return true;
        }
    }
    return false;
}

void check_expect_status(const std::string& expected, const std::string& origin) {
    std::stringstream ss(expected);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const bool klass = item.size() == 3 && item[0] >= '1' && item[0] <= '5' && (item[1] == 'x' || item[1] == 'X') &&
                           (item[2] == 'x' || item[2] == 'X');
        const bool code = item.size() == 3 && std::all_of(item.begin(), item.end(), ::isdigit);
        if (!klass && !code) {
            throw UsageError(origin + ": --expect-status \"" + expected + "\": write codes or classes such as 200,3xx");
        }
    }
}

class HttpProbeSource : public Source {
public:
    void start(SourceRun& run) override {
        const auto& o = run.options();
        const std::string expected = o.get_or("expect-status", "2xx");
        const std::string keyword = o.get_or("keyword", "");
        for (const auto& url : o.get_all("url")) {
            HttpRequest request = run.request(url);
            request.retries = 0;  // a probe measures one attempt; a failure is a data point
            request.want_cert_expiry = url.starts_with("https://");
            run.http().submit(std::move(request), [&run, url, expected, keyword](HttpResponse&& r) {
                run.mark_activity();
                Point p;
                p.measurement = "http_probe";
                p.set_tag("url", url);
                bool up = r.error.empty() && status_expected(r.status, expected);
                if (up && !keyword.empty() && r.body.find(keyword) == std::string::npos) up = false;
                p.set_field("up", std::int64_t{up ? 1 : 0});
                if (r.status != 0) {
                    p.set_field("status_code", std::int64_t{r.status});
                    p.set_field("duration_seconds", r.total_seconds);
                    p.set_field("time_to_first_byte_seconds", r.time_to_first_byte_seconds);
                    p.set_field("content_length_bytes", static_cast<std::int64_t>(r.body.size()));
                }
                if (r.cert_expiry) {
                    p.set_field("tls_cert_expiry_seconds",
                                std::chrono::duration_cast<std::chrono::seconds>(*r.cert_expiry - run.pass_time())
                                    .count());
                }
                if (!up) run.warn(url + " is down: " + r.describe());
                run.emit(std::move(p));
            });
        }
    }
};

}  // namespace

SourceInfo http_probe_source() {
    return SourceInfo{
        .type = "http",
        .summary = "probe URLs directly: up, status code, timings, size, TLS certificate expiry",
        .description =
            "Sends one GET to each --url (no retries: each probe is one measurement) and reports up (1 when the "
            "status matches --expect-status and the body contains --keyword), status_code, duration_seconds, "
            "time_to_first_byte_seconds, content_length_bytes and, for https, tls_cert_expiry_seconds. A target "
            "that is down is a measurement (up 0), not a failure: the exit status stays 0.",
        .options =
            {
                {.name = "url", .kind = OptionKind::String, .help = "a URL to probe", .placeholder = "URL",
                 .repeatable = true, .required = true},
                {.name = "expect-status", .kind = OptionKind::String,
                 .help = "status codes or classes that count as up, e.g. 200,3xx", .placeholder = "CODES",
                 .default_value = "2xx"},
                {.name = "keyword", .kind = OptionKind::String, .help = "text the body must contain to count as up",
                 .placeholder = "TEXT"},
            },
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
        .make = [](const SourceConfig& c) -> std::unique_ptr<Source> {
            check_expect_status(c.options.get_or("expect-status", "2xx"), c.origin);
            return std::make_unique<HttpProbeSource>();
        },
    };
}

}  // namespace kpi
