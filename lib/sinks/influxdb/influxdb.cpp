#include "sinks/influxdb/influxdb.hpp"

#include <charconv>

#include "core/errors.hpp"
#include "core/gzip.hpp"
#include "formats/influx_line.hpp"
#include "http/redact.hpp"
#include "plugin/base_url.hpp"

namespace kpi {
namespace {

constexpr std::size_t kBatchLines = 5000;

struct InfluxdbSettings {
    std::string url;
    std::optional<std::string> database;  // 1.x
    std::optional<std::string> retention_policy;
    std::optional<std::string> user;
    SecretRef password;
    std::optional<std::string> org;  // 2.x
    std::optional<std::string> bucket;
    SecretRef token;
    bool insecure = false;

    bool v2() const { return org || bucket; }
};

const SettingsSchema<InfluxdbSettings>& influxdb_schema() {
    using S = InfluxdbSettings;
    static const auto schema =
        SettingsSchema<S>{}
            .add(&S::url, {.name = "url", .help = "InfluxDB base URL", .placeholder = "URL",
                           .default_value = "http://localhost:8086"},
                 base_url)
            .add(&S::database, {.name = "database", .help = "1.x database", .placeholder = "NAME"})
            .add(&S::retention_policy, {.name = "retention-policy", .help = "1.x retention policy", .placeholder = "NAME"})
            .add(&S::user, {.name = "user", .help = "1.x user", .placeholder = "USER"})
            .add(&S::password, {.name = "password", .help = "1.x password"})
            .add(&S::org, {.name = "org", .help = "2.x organisation", .placeholder = "ORG"})
            .add(&S::bucket, {.name = "bucket", .help = "2.x bucket", .placeholder = "BUCKET"})
            .add(&S::token, {.name = "token", .help = "2.x API token"})
            .add(&S::insecure, {.name = "insecure", .help = "do not verify TLS certificates"})
            .check([](const S& s) {
                if (s.database.has_value() == s.v2()) {
                    throw SettingError("needs --database (InfluxDB 1.x) or --org and --bucket (2.x)");
                }
                if (s.v2() && !(s.org && s.bucket)) throw SettingError("InfluxDB 2.x needs both --org and --bucket");
                if (s.v2() && !s.token) throw SettingError("InfluxDB 2.x needs --token-env VAR or --token-file PATH");
            });
    return schema;
}

struct Target {
    std::string write_url;  // with database/org/bucket and precision
    std::optional<std::pair<std::string, std::string>> basic_auth;
    std::string token;
};

class InfluxdbSink : public Sink {
public:
    InfluxdbSink(InfluxdbSettings settings, SinkHttp& http) : settings_(std::move(settings)), http_(http) {}

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
    // Reads the secrets: when delivering, not when the sink is built, so that `config check`
    // and a run whose secret file is missing still build every sink.
    Target resolve_target() const {
        const auto& s = settings_;
        Target t;
        if (s.database) {
            t.write_url = s.url + "/write?db=" + url_encode(*s.database) + "&precision=ns";
            if (s.retention_policy) t.write_url += "&rp=" + url_encode(*s.retention_policy);
            if (s.user) t.basic_auth = std::make_pair(*s.user, s.password.read().value_or(""));
        } else {
            t.write_url = s.url + "/api/v2/write?org=" + url_encode(*s.org) + "&bucket=" + url_encode(*s.bucket) +
                          "&precision=ns";
            auto token = s.token.read();
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
        request.verify_tls = !settings_.insecure;
        request.basic_auth = target.basic_auth;  // the client keeps the password out of every message
        if (!target.token.empty()) {
            request.headers.emplace_back("Authorization", "Token " + target.token);
            request.secrets.push_back(target.token);
        }
        HttpResponse response = http_.client().fetch(std::move(request));
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

    InfluxdbSettings settings_;
    SinkHttp& http_;  // its client is made when the sink first sends
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
        .options = influxdb_schema().specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records | kpi publish influxdb --url "
                   "http://localhost:8086 --database kpi",
        .wire_format = &influx_line_format(),
        .make = make_sink(influxdb_schema(),
                          [](InfluxdbSettings settings, const SinkConfig&, SinkContext& context) -> std::unique_ptr<Sink> {
                              return std::make_unique<InfluxdbSink>(std::move(settings), context.http);
                          }),
    };
}

}  // namespace kpi
