#pragma once
// The source interface. A source starts its requests on the shared HttpClient and emits
// points from their callbacks; it never blocks, so a slow source delays nothing but itself.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/options.hpp"
#include "core/point.hpp"
#include "http/client.hpp"
#include "plugin/settings.hpp"

namespace kpi {

// One configured source: from `kpi collect <type> ...` or a `[[sources]]` table.
struct SourceConfig {
    std::string type;
    std::string name;        // unique in a config; defaults to the type
    std::string origin;      // "kpi.toml:14" or "command line", for errors
    OptionValues options;    // the source's own and the common ones (tag, measurement, insecure), as given
};

class SourceRun;

// The shared HTTP client as one source uses it: its requests are counted, so that the run
// knows when the source has nothing left in flight (run-all's progress line).
class SourceHttp {
public:
    SourceHttp(HttpClient& client, SourceRun& run) : client_(client), run_(run) {}
    void submit(HttpRequest request, HttpClient::Callback callback);
    const HttpSettings& settings() const { return client_.settings(); }

private:
    HttpClient& client_;
    SourceRun& run_;
};

// The context of one source's pass.
class SourceRun {
public:
    SourceRun(const SourceConfig& config, HttpClient& http, Timestamp pass_time);

    const std::string& name() const { return name_; }
    SourceHttp& http() { return source_http_; }

    // `observer` is called once, when the source has started and has no request left in
    // flight: its points and errors are then final.
    void on_finished(std::function<void(const SourceRun&)> observer) { on_finished_ = std::move(observer); }
    // The harvest calls it after the source's start(): one that sent nothing is finished now.
    void started();
    Timestamp pass_time() const { return pass_time_; }

    // A request with the source's settings applied (TLS verification per --insecure).
    HttpRequest request(std::string url) const;

    // Adds the --tag tags, applies --measurement, stamps the pass time when the point has
    // none. A point without fields is dropped with a warning rather than emitted.
    void emit(Point point);
    // The same for a source whose requests answer in any order: its points come out ordered
    // by `order` (the position of the URL, prefix, site or table the point is about in the
    // user's list), those of one order in the order emitted.
    void emit(Point point, std::size_t order);
    // The source failed (wholly or in part); the message names URL, status and the
    // service's own words. Points already emitted are still delivered.
    void fail(const std::string& message);
    void warn(const std::string& message) const;

    // Final once the source has finished (on_finished).
    const std::vector<Point>& points() const { return points_; }
    std::vector<Point> take_points() {
        put_in_order();
        orders_.clear();
        return std::move(points_);
    }
    const std::vector<std::string>& errors() const { return errors_; }
    bool failed() const { return !errors_.empty(); }

    // When the last callback of this source returned; for kpi_run duration_seconds.
    void mark_activity();
    Timestamp last_activity() const { return last_activity_; }

private:
    friend class SourceHttp;
    void request_sent() { ++in_flight_; }
    void request_answered();
    void finish_when_idle();
    void put_in_order();

    // Only what the run needs of its entry: a pass over thousands of sources drops their
    // configurations once every source has started.
    std::string name_;
    HttpClient& http_;
    SourceHttp source_http_{http_, *this};
    int in_flight_ = 0;
    bool started_ = false;
    bool finished_ = false;
    std::function<void(const SourceRun&)> on_finished_;
    Timestamp pass_time_;
    Timestamp last_activity_;
    std::vector<std::pair<std::string, std::string>> extra_tags_;
    std::string measurement_override_;
    bool verify_tls_ = true;
    std::vector<Point> points_;
    std::vector<std::size_t> orders_;  // one per point of points_: emit()'s order
    std::vector<std::string> errors_;
};

class Source {
public:
    virtual ~Source() = default;
    // Issues the first requests; the rest happens in their callbacks while the client runs.
    virtual void start(SourceRun& run) = 0;
};

// One field a source emits, described for the Prometheus `# HELP` line (DESIGN §5). `name`
// may hold one placeholder in angle brackets, `uptime_ratio_<window>`, that stands for any
// word of [A-Za-z0-9_]; the same placeholder in `description` is replaced by that word.
struct FieldInfo {
    std::string measurement;  // the source's default measurement that carries the field
    std::string name;
    std::string description;  // one line: what the value is, and its unit
};

struct SourceInfo {
    std::string type;                  // "records"
    std::string summary;               // one line, for `kpi list` and help
    std::string description;           // paragraphs for the man page and `--help` (plain text)
    std::vector<OptionSpec> options;   // the source's own (its schema's specs()), --url among them
    std::string example;               // a complete command line, for --help and the man page
    std::vector<FieldInfo> fields;     // every field it emits (the json source's are the user's)
    // Builds the source from options validated against source_option_specs(): make_source().
    std::function<std::unique_ptr<Source>(const SourceConfig&)> make;
};

// The --url every source takes (DESIGN §2): `default_url` is the public service, or empty
// when the option is required.
OptionSpec url_option(std::string default_url = {}, std::string help = "the service's base or endpoint URL");

// tag, measurement, insecure: every source takes them (DESIGN §2) and SourceRun applies them.
const std::vector<OptionSpec>& common_source_options();

// A SourceInfo's `make`: fills the plugin's settings from the entry's values and hands them
// to `build` (`std::unique_ptr<Source>(S)`). A SettingError from a check or from `build`
// is a usage error of the entry ("kpi.toml:10: source zenodo: ...").
template <class S, class Build>
std::function<std::unique_ptr<Source>(const SourceConfig&)> make_source(const SettingsSchema<S>& schema, Build build) {
    return [schema, build = std::move(build)](const SourceConfig& config) -> std::unique_ptr<Source> {
        const std::string entry = config.origin + ": source " + config.name;
        S settings = schema.bind(config.options, entry);
        try {
            return build(std::move(settings));
        } catch (const SettingError& e) {
            throw UsageError(entry + ": " + e.what());
        }
    };
}

// The source's own options, then the common ones it does not redeclare (the http source,
// for one, makes --url repeatable).
std::vector<OptionSpec> source_option_specs(const SourceInfo& info);

}  // namespace kpi
