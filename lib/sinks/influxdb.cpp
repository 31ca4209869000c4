#include "sinks/influxdb.hpp"

#include <charconv>

#include "core/errors.hpp"
#include "core/gzip.hpp"
#include "formats/influx_line.hpp"
#include "http/redact.hpp"

namespace kpi {
namespace {

constexpr std::size_t kBatchLines = 5000;

struct Target {
    std::string write_url;  // with database/org/bucket and precision
    std::optional<std::pair<std::string, std::string>> basic_auth;
    std::string token;
};

class InfluxdbSink : public Sink {
public:
    InfluxdbSink(const SinkConfig& config, HttpClient& http) : config_(config), http_(http) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        DeliveryResult result;
        if (!target_) target_ = resolve_target();
        const Target& target = *target_;
        // Points line protocol cannot carry are reported and not retried.
        std::vector<const Point*> writable;
        std::vector<std::string> lines;
        for (const auto& p : points) {
            std::string line;
            if (auto why = append_line_protocol(line, p)) {
                ++result.rejected;
                result.errors.push_back("point \"" + p.measurement + "\" cannot be written as line protocol: " + *why);
                continue;
            }
            writable.push_back(&p);
            lines.push_back(std::move(line));
        }
        for (std::size_t start = 0; start < lines.size(); start += kBatchLines) {
            const std::size_t end = std::min(lines.size(), start + kBatchLines);
            write_batch(target, writable, lines, start, end, result);
        }
        return result;
    }

private:
    Target resolve_target() const {
        const auto& o = config_.options;
        Target t;
        std::string base = o.get_or("url", "http://localhost:8086");
        while (!base.empty() && base.back() == '/') base.pop_back();
        if (auto db = o.get("database")) {
            t.write_url = base + "/write?db=" + url_encode(*db) + "&precision=ns";
            if (auto rp = o.get("retention-policy")) t.write_url += "&rp=" + url_encode(*rp);
            if (auto user = o.get("user")) {
                t.basic_auth = std::make_pair(*user, o.secret("password").value_or(""));
            }
        } else {
            t.write_url = base + "/api/v2/write?org=" + url_encode(*o.get("org")) +
                          "&bucket=" + url_encode(*o.get("bucket")) + "&precision=ns";
            auto token = o.secret("token");
            if (!token) throw RuntimeError("InfluxDB 2.x needs --token-env or --token-file");
            t.token = *token;
        }
        return t;
    }

    void write_batch(const Target& target, const std::vector<const Point*>& points,
                     const std::vector<std::string>& lines, std::size_t start, std::size_t end,
                     DeliveryResult& result) {
        std::string body;
        for (std::size_t i = start; i < end; ++i) body += lines[i];
        HttpRequest request;
        request.method = "POST";
        request.url = target.write_url;
        request.body = gzip_compress(body);
        request.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Content-Encoding", "gzip"}};
        request.verify_tls = !config_.options.flag("insecure");
        request.basic_auth = target.basic_auth;  // the client keeps the password out of every message
        if (!target.token.empty()) {
            request.headers.emplace_back("Authorization", "Token " + target.token);
            request.secrets.push_back(target.token);
        }
        HttpResponse response = http_.fetch(std::move(request));
        if (response.ok()) return;

        // A body too large for the server: halve the batch until it fits.
        if (response.status == 413 && end - start > 1) {
            const std::size_t middle = start + (end - start) / 2;
            write_batch(target, points, lines, start, middle, result);
            write_batch(target, points, lines, middle, end, result);
            return;
        }
        const std::string message = server_message(response.body);
        // InfluxDB wrote the batch except the points it names: they would fail again, so
        // they are reported and not spooled.
        if (response.status == 400 && message.find("partial write") != std::string::npos) {
            result.rejected += dropped_count(message);
            result.errors.push_back("InfluxDB dropped points: " + response.describe());
            return;
        }
        const bool permanent = response.error.empty() && response.status >= 400 && response.status < 500 &&
                               response.status != 429 && response.status != 408;
        if (permanent) {
            result.rejected += end - start;
        } else {
            for (std::size_t i = start; i < end; ++i) result.undelivered.push_back(*points[i]);
        }
        result.errors.push_back(response.describe());
    }

    // InfluxDB's partial-write message ends "... dropped=N"; one point when it says no number.
    static std::size_t dropped_count(const std::string& message) {
        const auto at = message.find("dropped=");
        if (at == std::string::npos) return 1;
        const char* begin = message.data() + at + 8;
        std::size_t count = 0;
        const auto [end, error] = std::from_chars(begin, message.data() + message.size(), count);
        return error == std::errc{} && end != begin ? count : 1;
    }

    const SinkConfig& config_;
    HttpClient& http_;
    std::optional<Target> target_;  // resolved on the first delivery
};

}  // namespace

SinkInfo influxdb_sink() {
    return SinkInfo{
        .type = "influxdb",
        .summary = "write line protocol to InfluxDB 1.x (/write) or 2.x (/api/v2/write)",
        .description =
            "Sends points as line protocol, gzip-compressed, in batches of 5000 lines. With --database it writes to "
            "InfluxDB 1.x (/write, optional --user and --password-env/--password-file); with --org and --bucket to "
            "InfluxDB 2.x (/api/v2/write, --token-env/--token-file). Integers keep the i suffix. A 413 splits the "
            "batch; a partial write reports the points InfluxDB dropped; other 4xx answers are reported with the "
            "server's message and not retried.",
        .options =
            {
                {.name = "url", .kind = OptionKind::String, .help = "InfluxDB base URL", .placeholder = "URL",
                 .default_value = "http://localhost:8086"},
                {.name = "database", .kind = OptionKind::String, .help = "1.x database", .placeholder = "NAME"},
                {.name = "retention-policy", .kind = OptionKind::String, .help = "1.x retention policy",
                 .placeholder = "NAME"},
                {.name = "user", .kind = OptionKind::String, .help = "1.x user", .placeholder = "USER"},
                {.name = "password", .kind = OptionKind::Secret, .help = "1.x password"},
                {.name = "org", .kind = OptionKind::String, .help = "2.x organisation", .placeholder = "ORG"},
                {.name = "bucket", .kind = OptionKind::String, .help = "2.x bucket", .placeholder = "BUCKET"},
                {.name = "token", .kind = OptionKind::Secret, .help = "2.x API token"},
                {.name = "insecure", .kind = OptionKind::Flag, .help = "do not verify TLS certificates"},
            },
        .example = "kpi collect records --url https://zenodo.org/api/records | kpi publish influxdb --url "
                   "http://localhost:8086 --database kpi",
        .wire_format = &influx_line_format(),
        .make = [](const SinkConfig& c, SinkContext& ctx) -> std::unique_ptr<Sink> {
            const auto& o = c.options;
            const bool v1 = o.has("database"), v2 = o.has("org") || o.has("bucket");
            if (v1 == v2) {
                throw UsageError(c.origin + ": influxdb needs --database (1.x) or --org and --bucket (2.x)");
            }
            if (v2 && !(o.has("org") && o.has("bucket"))) {
                throw UsageError(c.origin + ": influxdb 2.x needs both --org and --bucket");
            }
            if (v2 && !o.secret_source("token")) {
                throw UsageError(c.origin + ": influxdb 2.x needs --token-env VAR or --token-file PATH");
            }
            return std::make_unique<InfluxdbSink>(c, ctx.http);
        },
    };
}

}  // namespace kpi
