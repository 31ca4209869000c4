#include "sources/uptimerobot/uptimerobot.hpp"

#include <deque>
#include <functional>
#include <set>
#include <utility>

#include "core/errors.hpp"
#include "http/redact.hpp"
#include "plugin/base_url.hpp"
#include "sources/uptimerobot/uptimerobot_api.hpp"

namespace kpi {

namespace {

namespace ur = uptimerobot;

enum class ApiVersion { V2, V3 };

struct UptimeRobotSettings {
    std::string base_url;  // no trailing slash
    SecretRef api_key;
    ApiVersion api_version = ApiVersion::V2;
    std::vector<std::string> monitor_names;  // empty: every monitor
    std::vector<ur::Window> windows;         // each once (make_uptimerobot)
};

ApiVersion api_version_named(const std::string& text) {
    if (text == "2") return ApiVersion::V2;
    if (text == "3") return ApiVersion::V3;
    throw SettingError("\"" + text + "\" is not an UptimeRobot API version (2 or 3)");
}

// v3 asks the statistics of a window as a time range, which the API caps.
void windows_fit_the_api(const UptimeRobotSettings& settings) {
    if (settings.api_version != ApiVersion::V3) return;
    for (const auto& window : settings.windows) {
        if (window.days > ur::kV3MaxWindowDays) {
            throw SettingError("--window " + std::to_string(window.days) + "d: UptimeRobot API v3 reports at most " +
                               std::to_string(ur::kV3MaxWindowDays) + " days");
        }
    }
}

const SettingsSchema<UptimeRobotSettings>& uptimerobot_schema() {
    static const auto schema =
        SettingsSchema<UptimeRobotSettings>{}
            .add(&UptimeRobotSettings::base_url, url_option("https://api.uptimerobot.com", "the UptimeRobot API base"),
                 base_url)
            .add(&UptimeRobotSettings::api_key,
                 {.name = "api-key", .help = "the UptimeRobot API key (a read-only key is enough)", .required = true})
            .add(&UptimeRobotSettings::api_version,
                 {.name = "api-version",
                  .help = "UptimeRobot API version: 2 (getMonitors) or 3 (REST)",
                  .placeholder = "N",
                  .default_value = "2",
                  .choices = {"2", "3"}},
                 api_version_named)
            .add(&UptimeRobotSettings::monitor_names,
                 {.name = "monitor",
                  .help = "only the monitor with this friendly name (default: every monitor)",
                  .placeholder = "NAME"})
            .add(&UptimeRobotSettings::windows,
                 {.name = "window",
                  .kind = OptionKind::Duration,
                  .help = "uptime window in whole days, one uptime_ratio_<window> field each",
                  .placeholder = "DURATION",
                  .default_value = "1d"},
                 ur::parse_window)
            .check(windows_fit_the_api);
    return schema;
}

// "POST https://api.uptimerobot.com/v2/getMonitors: HTTP 401: <the API's words>", or the
// client's own account of a transport failure.
std::string describe_failure(const HttpResponse& response) {
    if (!response.error.empty()) return response.describe();
    std::string out = response.method + " " + response.url + ": HTTP " + std::to_string(response.status);
    std::string message = ur::error_message(response.body);
    if (!message.empty()) out += ": " + message;
    return out;
}

// Starts queued requests so that at most kRequestsInFlight of one source run at once: a
// large account's pages and statistics are asked a few at a time, never all at once.
class RequestWindow {
public:
    void add(std::function<void()> start) { queue_.push_back(std::move(start)); }
    // Starts queued requests while there is room.
    void fill() {
        while (in_flight_ < ur::kRequestsInFlight && !queue_.empty()) {
            auto start = std::move(queue_.front());
            queue_.pop_front();
            ++in_flight_;
            start();
        }
    }
    // One request was answered: its place goes to the next.
    void done() {
        --in_flight_;
        fill();
    }
    bool idle() const { return in_flight_ == 0 && queue_.empty(); }

private:
    std::deque<std::function<void()>> queue_;
    std::size_t in_flight_ = 0;
};

// What both API versions share: the key, redaction, and reporting monitors not found.
class UptimeRobotSource : public Source {
public:
    explicit UptimeRobotSource(UptimeRobotSettings settings) : settings_(std::move(settings)) {}

    void start(SourceRun& run) override {
        run_ = &run;
        try {
            key_ = settings_.api_key.read().value_or("");
        } catch (const RuntimeError& e) {
            run.fail(e.what());
            return;
        }
        if (key_.empty()) {
            run.fail("the UptimeRobot API key is empty (from " + settings_.api_key.source().value_or("nowhere") + ")");
            return;
        }
        // APIs echo keys back, sometimes URL-encoded; neither form may reach a message.
        secrets_ = {key_, url_encode(key_)};
        begin();
    }

protected:
    virtual void begin() = 0;

    HttpRequest make_request(const std::string& target) const {
        HttpRequest request = run_->request(settings_.base_url + target);
        request.headers.emplace_back("Accept", "application/json");
        request.secrets = secrets_;
        return request;
    }

    void fail(const std::string& message) { run_->fail(redact(message, secrets_)); }

    void report_missing(const std::vector<std::string>& missing, std::size_t listed, bool listing_complete) {
        for (const auto& name : missing) {
            if (listing_complete) {
                fail("monitor \"" + name + "\" not found among the " + std::to_string(listed) +
                     " monitors of the account");
            } else {
                fail("monitor \"" + name + "\" not found in the monitors that could be listed");
            }
        }
    }

    UptimeRobotSettings settings_;
    SourceRun* run_ = nullptr;
    std::string key_;
    std::vector<std::string> secrets_;
    RequestWindow window_;
};

// v2: POST /v2/getMonitors. The first page tells how many monitors there are (within the
// documented page size and a bound on pages); the other pages follow a few at a time.
class V2Source final : public UptimeRobotSource {
public:
    using UptimeRobotSource::UptimeRobotSource;

private:
    void begin() override {
        pages_.resize(1);
        fetch_page(0, 0);
    }

    void fetch_page(std::size_t index, std::int64_t offset) {
        window_.add([this, index, offset] {
            HttpRequest request = make_request("/v2/getMonitors");
            request.method = "POST";
            request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
            request.body = form_encode(ur::v2_form(key_, settings_.windows, offset));
            run_->http().submit(std::move(request),
                                [this, index](HttpResponse&& response) { on_page(index, response); });
        });
        window_.fill();
    }

    void on_page(std::size_t index, const HttpResponse& response) {
        run_->mark_activity();
        if (auto page = read_page(response)) {
            if (index == 0) queue_other_pages(*page, response);
            pages_[index] = std::move(page->monitors);
        } else {
            (index == 0 ? first_page_failed_ : later_page_failed_) = true;
        }
        window_.done();
        if (window_.idle()) finish();
    }

    void queue_other_pages(const ur::V2Page& first, const HttpResponse& response) {
        std::vector<std::int64_t> offsets;
        try {
            offsets = ur::v2_remaining_offsets(first);
        } catch (const RuntimeError& e) {
            fail(response.method + " " + response.url + ": " + e.what());
            later_page_failed_ = true;
            return;
        }
        pages_.resize(1 + offsets.size());
        for (std::size_t i = 0; i < offsets.size(); ++i) fetch_page(i + 1, offsets[i]);
    }

    std::optional<ur::V2Page> read_page(const HttpResponse& response) {
        if (!response.ok()) {
            fail(describe_failure(response));
            return std::nullopt;
        }
        try {
            return ur::parse_v2_page(response.body, settings_.windows.size());
        } catch (const RuntimeError& e) {
            fail(response.method + " " + response.url + ": " + e.what());
            return std::nullopt;
        }
    }

    void finish() {
        // A monitor added or removed while the pages were read shifts the offsets, so the
        // same monitor can come twice.
        std::vector<ur::MonitorReport> monitors;
        std::set<std::int64_t> ids;
        for (auto& page : pages_) {
            for (auto& monitor : page) {
                if (ids.insert(monitor.id).second) monitors.push_back(std::move(monitor));
            }
        }
        std::vector<std::string> names;
        for (const auto& monitor : monitors) names.push_back(monitor.name);
        const auto selection = ur::select_monitors(names, settings_.monitor_names);
        for (std::size_t i : selection.indices) run_->emit(ur::to_point(monitors[i], settings_.windows));
        // Without the first page nothing is known, and its failure already says so.
        if (!first_page_failed_) report_missing(selection.missing, monitors.size(), !later_page_failed_);
    }

    std::vector<std::vector<ur::MonitorReport>> pages_;
    bool first_page_failed_ = false;
    bool later_page_failed_ = false;
};

// v3: GET /v3/monitors page by page (a cursor leads from one to the next), then for each
// selected monitor one uptime request per window and one response-time request, a few at a
// time, when the rate limit the listing announced leaves room for all of them.
class V3Source final : public UptimeRobotSource {
public:
    using UptimeRobotSource::UptimeRobotSource;

private:
    void begin() override { list_page(std::nullopt); }

    HttpRequest bearer_request(const std::string& target) const {
        HttpRequest request = make_request(target);
        request.headers.emplace_back("Authorization", "Bearer " + key_);
        return request;
    }

    void list_page(const std::optional<std::string>& cursor) {
        ++pages_listed_;
        run_->http().submit(bearer_request(ur::v3_monitors_target(cursor)),
                            [this](HttpResponse&& response) { on_list(response); });
    }

    void on_list(const HttpResponse& response) {
        run_->mark_activity();
        if (!response.ok()) {
            fail(describe_failure(response));
            return collect(false);
        }
        ur::V3Page page;
        try {
            page = ur::parse_v3_monitors(response.body);
        } catch (const RuntimeError& e) {
            fail(response.method + " " + response.url + ": " + e.what());
            return collect(false);
        }
        rate_limit_ = ur::read_rate_limit(response.header("x-ratelimit-limit"),
                                          response.header("x-ratelimit-remaining"));
        for (auto& monitor : page.monitors) listed_.push_back(std::move(monitor));
        if (!page.next_cursor) return collect(true);
        if (!cursors_seen_.insert(*page.next_cursor).second) {
            fail(response.method + " " + response.url + ": the listing leads back to cursor " +
                 *page.next_cursor + "; stopped there");
            return collect(false);
        }
        if (pages_listed_ >= ur::kMaxPages) {
            fail(response.method + " " + response.url + ": the listing goes on past " +
                 std::to_string(ur::kMaxPages) + " pages of up to " + std::to_string(ur::kV3PageSize) +
                 " monitors; stopped there");
            return collect(false);
        }
        list_page(page.next_cursor);
    }

    void collect(bool listing_complete) {
        std::vector<std::string> names;
        for (const auto& monitor : listed_) names.push_back(monitor.name);
        const auto selection = ur::select_monitors(names, settings_.monitor_names);
        if (!listed_.empty() || listing_complete) report_missing(selection.missing, listed_.size(), listing_complete);

        for (std::size_t i : selection.indices) {
            const auto& monitor = listed_[i];
            ur::MonitorReport report;
            report.id = monitor.id;
            report.name = monitor.name;
            report.status = monitor.status;
            report.uptime_ratios.assign(settings_.windows.size(), std::nullopt);
            if (!monitor.status && !monitor.status_word.empty()) {
                run_->warn("monitor \"" + monitor.name + "\": unknown status \"" + monitor.status_word +
                           "\", left out");
            }
            reports_.push_back(std::move(report));
        }
        if (reports_.empty()) return;
        if (!statistics_fit_the_rate_limit()) return emit_all();

        for (std::size_t r = 0; r < reports_.size(); ++r) {
            for (std::size_t w = 0; w < settings_.windows.size(); ++w) {
                fetch_stat(ur::v3_uptime_target(reports_[r].id, settings_.windows[w].days, run_->pass_time()),
                           [this, r, w](const std::string& body) {
                               reports_[r].uptime_ratios[w] = ur::parse_v3_uptime_ratio(body);
                           });
            }
            fetch_stat(ur::v3_response_time_target(reports_[r].id), [this, r](const std::string& body) {
                reports_[r].response_time_seconds = ur::parse_v3_response_time_seconds(body);
            });
        }
        window_.fill();
    }

    // v3 reports uptime and response time one monitor at a time: (windows + 1) requests a
    // monitor. When the listing's X-RateLimit-Remaining says they cannot all be answered in
    // this minute, none is sent (they would end in 429s and retries past the pass): the points
    // carry the status alone and the source fails saying why.
    bool statistics_fit_the_rate_limit() {
        const std::int64_t needed = ur::v3_statistics_requests(reports_.size(), settings_.windows.size());
        if (!rate_limit_.remaining || needed <= *rate_limit_.remaining) return true;
        std::string limit = rate_limit_.limit ? " of " + std::to_string(*rate_limit_.limit) : std::string();
        fail("API v3 needs " + std::to_string(needed) + " statistics requests for " +
             std::to_string(reports_.size()) + " monitors and " + std::to_string(settings_.windows.size()) +
             " window(s), but the rate limit leaves " + std::to_string(*rate_limit_.remaining) + limit +
             " this minute (X-RateLimit-Remaining); the points carry status only. API v2 (--api-version 2) "
             "reads uptime and response time for 50 monitors a request, or select fewer with --monitor");
        return false;
    }

    // A statistic that cannot be read leaves its field out of the point and fails the source.
    void fetch_stat(const std::string& target, std::function<void(const std::string&)> read) {
        window_.add([this, target, read = std::move(read)] {
            run_->http().submit(bearer_request(target), [this, read](HttpResponse&& response) {
                run_->mark_activity();
                if (!response.ok()) {
                    fail(describe_failure(response));
                } else {
                    try {
                        read(response.body);
                    } catch (const RuntimeError& e) {
                        fail(response.method + " " + response.url + ": " + e.what());
                    }
                }
                window_.done();
                if (window_.idle()) emit_all();
            });
        });
    }

    void emit_all() {
        for (const auto& report : reports_) run_->emit(ur::to_point(report, settings_.windows));
    }

    std::vector<ur::V3Monitor> listed_;
    std::set<std::string> cursors_seen_;
    std::int64_t pages_listed_ = 0;
    ur::RateLimit rate_limit_;
    std::vector<ur::MonitorReport> reports_;
};

std::unique_ptr<Source> make_uptimerobot(UptimeRobotSettings settings) {
    settings.windows = ur::distinct_windows(settings.windows);
    if (settings.api_version == ApiVersion::V3) return std::make_unique<V3Source>(std::move(settings));
    return std::make_unique<V2Source>(std::move(settings));
}

}  // namespace

SourceInfo uptimerobot_source() {
    return SourceInfo{
        .type = "uptimerobot",
        .summary = "uptime, response time and status of UptimeRobot monitors",
        .description =
            "Reads the monitors of an UptimeRobot account and emits one \"uptime\" point per monitor, "
            "tagged with its friendly name (monitor) and id (monitor_id). Fields: uptime_ratio_<window> "
            "for each --window (0..1), response_time_seconds (the average over the last 24 hours), "
            "status (UptimeRobot's code: 0 paused, 1 not checked yet, 2 up, 8 seems down, 9 down) and "
            "up (1 for up, 0 for seems down and down; left out for paused and not checked yet, which "
            "say nothing about the service). A value the API does not give is left out.\n\n"
            "API v2 (the default) reads POST <url>/v2/getMonitors, 50 monitors a page, every page, "
            "a few pages at a time; the key travels in the form body. An answer whose total would "
            "take more than 1000 pages is an error. API v3 (--api-version 3) lists GET "
            "<url>/v3/monitors (200 a page) with the key as a bearer token, then asks each selected "
            "monitor's uptime (/stats/uptime, one request per window) and response time "
            "(/stats/response-time): (windows + 1) requests a monitor. UptimeRobot's FREE plan allows "
            "10 requests a minute, so for many monitors use v2, which needs one request per 50 "
            "monitors; when the listing's X-RateLimit-Remaining leaves too few requests, v3 sends "
            "no statistics requests, reports each monitor's status alone, and fails saying so.\n\n"
            "--monitor selects monitors by friendly name, exactly; a name no monitor has is an error "
            "naming it, and the other monitors are still reported. Windows are whole days. Answers "
            "with \"stat\":\"fail\" are errors carrying the API's error type and message; the key "
            "never appears in any message, even when the API echoes it.",
        .options = uptimerobot_schema().specs(),
        .example = "kpi collect uptimerobot --api-key-file /run/secrets/uptimerobot --monitor Website "
                   "--window 1d --window 30d --tag service=zenodo",
        .fields =
            {
                {.measurement = "uptime", .name = "uptime_ratio_<window>",
                 .description = "Share of the last <window> the UptimeRobot monitor was up (0..1)"},
                {.measurement = "uptime", .name = "response_time_seconds",
                 .description = "Average response time of the UptimeRobot monitor over the last 24 hours, in seconds"},
                {.measurement = "uptime", .name = "up",
                 .description = "Whether the UptimeRobot monitor is up (1) or down (0)"},
                {.measurement = "uptime", .name = "status",
                 .description = "UptimeRobot's monitor status code (0 paused, 1 not checked yet, 2 up, 8 seems down, 9 down)"},
            },
        .make = make_source(uptimerobot_schema(), make_uptimerobot),
    };
}

}  // namespace kpi
