#include "sinks/monit/monit.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>

#include "formats/monit_json.hpp"

namespace kpi {
namespace {

// Documents per POST: MONIT takes lists, and a 413 splits them further.
constexpr std::size_t kBatchSize = 1000;

struct MonitSettings {
    std::string url;
    std::string producer;
    std::optional<std::string> user;
    SecretRef password;
};

// Given, but empty: MONIT needs a value.
std::string not_empty(const std::string& text) {
    if (text.empty()) throw SettingError("must not be empty");
    return text;
}

const SettingsSchema<MonitSettings>& monit_schema() {
    using S = MonitSettings;
    static const auto schema =
        SettingsSchema<S>{}
            .add(&S::url, {.name = "url", .help = "the MONIT HTTP endpoint", .placeholder = "URL", .required = true},
                 not_empty)
            .add(&S::producer,
                 {.name = "producer", .help = "the producer name MONIT gave you", .placeholder = "NAME", .required = true},
                 not_empty)
            .add(&S::user, {.name = "user", .help = "user for basic authentication", .placeholder = "NAME"})
            .add(&S::password, {.name = "password", .help = "password for basic authentication"})
            .check([](const S& s) {
                if (s.user && !s.password) throw SettingError("--user needs --password-env VAR or --password-file PATH");
                if (!s.user && s.password) throw SettingError("--password-env/--password-file need --user");
            });
    return schema;
}

class MonitSink final : public Sink {
public:
    MonitSink(SinkHttp& http, MonitSettings settings) : http_(http), settings_(std::move(settings)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        // Read when delivering, not when the sink is built, so that `config check` and a
        // run whose secret file is missing still build every sink.
        if (settings_.user && !basic_auth_) {
            basic_auth_ = std::make_pair(*settings_.user, settings_.password.read().value_or(""));
        }
        DeliveryResult result;
        std::map<std::string, std::size_t> refusals;  // reason -> points
        std::vector<const Point*> sendable;
        std::vector<std::string> documents;
        for (const auto& point : points) {
            if (auto conflict = monit_conflict(point)) {
                ++refusals[*conflict];
                continue;
            }
            sendable.push_back(&point);
            append_monit_document(documents.emplace_back(), point, settings_.producer);
        }
        for (const auto& [reason, count] : refusals) {
            result.rejected += count;
            result.errors.push_back(std::to_string(count) + (count == 1 ? " point" : " points") +
                                    " refused: " + reason);
        }
        for (std::size_t begin = 0; begin < documents.size(); begin += kBatchSize) {
            post(documents, sendable, begin, std::min(documents.size(), begin + kBatchSize), result);
        }
        return result;
    }

private:
    // POSTs documents [begin, end) as one JSON list; a 413 splits them in halves.
    void post(const std::vector<std::string>& documents, const std::vector<const Point*>& points, std::size_t begin,
              std::size_t end, DeliveryResult& result) {
        HttpRequest request;
        request.method = "POST";
        request.url = settings_.url;
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = "[";
        for (std::size_t i = begin; i < end; ++i) {
            if (i > begin) request.body.push_back(',');
            request.body += documents[i];
        }
        request.body.push_back(']');
        request.basic_auth = basic_auth_;  // the client keeps the password out of every message
        HttpResponse response = http_.client().fetch(std::move(request));
        if (response.ok()) return;
        if (response.status == 413 && end - begin > 1) {
            const std::size_t middle = begin + (end - begin) / 2;
            post(documents, points, begin, middle, result);
            post(documents, points, middle, end, result);
            return;
        }
        for (std::size_t i = begin; i < end; ++i) result.undelivered.push_back(*points[i]);
        result.errors.push_back(response.describe());
    }

    SinkHttp& http_;  // its client is made when the sink first sends
    MonitSettings settings_;
    std::optional<std::pair<std::string, std::string>> basic_auth_;
};

}  // namespace

SinkInfo monit_sink() {
    return SinkInfo{
        .type = "monit",
        .summary = "send documents to CERN MONIT (JSON over HTTP)",
        .description =
            "POSTs the points to a CERN MONIT HTTP endpoint as JSON documents, a list of up to 1000 per request "
            "(Content-Type application/json). Each document has producer (--producer), type (the "
            "measurement), type_prefix \"raw\", timestamp (milliseconds since the epoch), each tag and field as "
            "a key of its own, and idb_tags and idb_fields listing which keys are tags and which are fields. "
            "Integers stay integers, booleans are true and false, strings are kept.\n\n"
            "A point with a tag or field named producer, type, type_prefix, timestamp, idb_tags or idb_fields, "
            "or with a tag and a field of the same name, has no document: it is refused with an error (rename "
            "it upstream, e.g. with --measurement or jq) and not spooled. A request that fails is spooled; a "
            "413 answer splits the list in halves. Basic authentication: --user with --password-env or "
            "--password-file.",
        .options = monit_schema().specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records --tag service=zenodo | "
                   "kpi publish monit --url http://monit-metrics:10012/ --producer invenio",
        .wire_format = &monit_json_format(),
        .make = make_sink(monit_schema(),
                          [](MonitSettings settings, const SinkConfig&, SinkContext& context) -> std::unique_ptr<Sink> {
                              return std::make_unique<MonitSink>(context.http, std::move(settings));
                          }),
    };
}

}  // namespace kpi
