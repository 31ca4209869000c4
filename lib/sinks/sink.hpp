#pragma once
// The sink interface: deliver a batch of points to one back end and say what became of them.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/options.hpp"
#include "core/point.hpp"
#include "formats/wire_format.hpp"
#include "http/client.hpp"
#include "plugin/settings.hpp"

namespace kpi {

struct SinkConfig {
    std::string type;
    std::string name;      // unique in a config; defaults to the type; names the spool
    std::string origin;
    OptionValues options;
};

struct DeliveryResult {
    // Points the back end did not take but may later: these go to the spool.
    std::vector<Point> undelivered;
    // Points the back end refused for good (e.g. InfluxDB partial write); reported, not spooled.
    std::size_t rejected = 0;
    // What went wrong, each naming the endpoint, the status and the server's message.
    std::vector<std::string> errors;

    bool ok() const { return undelivered.empty() && rejected == 0 && errors.empty(); }
};

class Sink {
public:
    virtual ~Sink() = default;
    // Delivers in order; blocking is fine (sinks run after collection).
    virtual DeliveryResult deliver(const std::vector<Point>& points) = 0;
};

// The HTTP client a sink delivers through: the command's own, or one made on first use.
// Making a client loads libcurl (http/curl_loader.hpp), which sinks that write to stdout or
// files never need, and neither does `config check`, which makes every sink without
// delivering: sinks keep the SinkHttp and ask for the client only when they send.
class SinkHttp {
public:
    SinkHttp(HttpClient& shared) : shared_(&shared) {}  // implicit: commands pass their own client
    // `stop` as for HttpClient: the commands pass shutdown_requested.
    SinkHttp(HttpSettings settings, HttpClient::StopCheck stop) : settings_(std::move(settings)), stop_(stop) {}
    SinkHttp(const SinkHttp&) = delete;
    SinkHttp& operator=(const SinkHttp&) = delete;

    HttpClient& client() {
        if (shared_) return *shared_;
        if (!own_) own_.emplace(settings_, stop_);
        return *own_;
    }
    // Without making a client (graphite reads the timeouts only).
    const HttpSettings& settings() const { return shared_ ? shared_->settings() : settings_; }

private:
    HttpClient* shared_ = nullptr;
    HttpSettings settings_;
    HttpClient::StopCheck stop_ = nullptr;
    std::optional<HttpClient> own_;
};

struct SinkContext {
    SinkHttp http;
};

struct SinkInfo {
    std::string type;
    std::string summary;
    std::string description;           // paragraphs for the man page and `--help` (plain text)
    std::vector<OptionSpec> options;   // its schema's specs()
    std::string example;
    // The text it sends, which `kpi publish stdout --format NAME` prints instead (a dry
    // run); null for sinks that write NDJSON or a file of their own.
    const WireFormat* wire_format = nullptr;
    // Builds the sink from options validated against `options`: make_sink().
    std::function<std::unique_ptr<Sink>(const SinkConfig&, SinkContext&)> make;
};

// A SinkInfo's `make`: fills the plugin's settings from the entry's values and hands them to
// `build` (`std::unique_ptr<Sink>(S, const SinkConfig&, SinkContext&)`). A SettingError from
// a check or from `build` is a usage error of the entry ("kpi.toml:20: sink graphite: ...").
template <class S, class Build>
std::function<std::unique_ptr<Sink>(const SinkConfig&, SinkContext&)> make_sink(const SettingsSchema<S>& schema,
                                                                                 Build build) {
    return [schema, build = std::move(build)](const SinkConfig& config, SinkContext& context) -> std::unique_ptr<Sink> {
        const std::string entry = config.origin + ": sink " + config.name;
        S settings = schema.bind(config.options, entry);
        try {
            return build(std::move(settings), config, context);
        } catch (const SettingError& e) {
            throw UsageError(entry + ": " + e.what());
        }
    };
}

}  // namespace kpi
