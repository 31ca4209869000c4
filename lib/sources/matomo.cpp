#include "sources/matomo.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>

#include "core/errors.hpp"
#include "http/json_response.hpp"
#include "http/redact.hpp"
#include "sources/matomo_api.hpp"

namespace kpi {


namespace {

struct Settings {
    std::string base_url;  // no trailing slash
    std::vector<std::int64_t> site_ids;
    std::string period;
    std::string date;
    bool negotiate = false;
    std::string cookie_jar;
};

// One VisitsSummary.get request per site, all at once; points come out in --site-id order.
class MatomoSource final : public Source {
public:
    explicit MatomoSource(Settings settings) : settings_(std::move(settings)) {}

    void start(SourceRun& run) override {
        run_ = &run;
        try {
            token_ = run.options().secret("token");
        } catch (const RuntimeError& e) {
            run.fail(e.what());
            return;
        }
        if (token_ && token_->empty()) {
            run.fail("the Matomo token is empty (from " + run.options().secret_source("token").value_or("nowhere") + ")");
            return;
        }
        if (token_) secrets_ = {*token_, url_encode(*token_)};
        if (!settings_.cookie_jar.empty()) create_private_jar();
        results_.resize(settings_.site_ids.size());
        pending_ = settings_.site_ids.size();
        for (std::size_t i = 0; i < settings_.site_ids.size(); ++i) fetch(i);
    }

private:
    // Session cookies are as good as a password. libcurl would create the jar readable by
    // all; created here first it stays private (libcurl keeps the mode when it rewrites it).
    void create_private_jar() const {
        const int fd = ::open(settings_.cookie_jar.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
        } else if (errno != EEXIST) {
            run_->warn("cannot create the cookie jar " + settings_.cookie_jar + ": " + std::strerror(errno));
        }
    }

    void fetch(std::size_t index) {
        const std::int64_t site = settings_.site_ids[index];
        HttpRequest request = run_->request(settings_.base_url + "/index.php?" +
                                            form_encode(matomo::query_params(site, settings_.period, settings_.date)));
        request.method = "POST";
        request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        request.headers.emplace_back("Accept", "application/json");
        // The token goes in the body only: URLs end up in access logs and error messages.
        if (token_) request.body = form_encode({{"token_auth", *token_}});
        request.secrets = secrets_;
        request.negotiate = settings_.negotiate;
        request.cookie_file = settings_.cookie_jar;
        run_->http().submit(std::move(request),
                            [this, index](HttpResponse&& response) { on_answer(index, response); });
    }

    void on_answer(std::size_t index, const HttpResponse& response) {
        run_->mark_activity();
        if (!response.ok()) {
            fail(describe_failure(response));
        } else {
            try {
                for (const auto& summary : matomo::parse_visits_summary(response.body, settings_.period, settings_.date)) {
                    results_[index].push_back(matomo::to_point(summary, settings_.site_ids[index]));
                }
            } catch (const RuntimeError& e) {
                fail(response.method + " " + response.url + ": " + e.what());
            }
        }
        if (--pending_ == 0) {
            for (auto& points : results_) {
                for (auto& point : points) run_->emit(std::move(point));
            }
        }
    }

    std::string describe_failure(const HttpResponse& response) const {
        if (!response.error.empty()) return response.describe();
        const std::string* challenge = response.header("www-authenticate");
        const bool wants_kerberos = response.status == 401 && challenge &&
                                    challenge->find("Negotiate") != std::string::npos;
        std::string out = response.method + " " + response.url + ": HTTP " + std::to_string(response.status);
        if (wants_kerberos && settings_.negotiate) {
            return out + ": Kerberos (SPNEGO) negotiation failed: no usable Kerberos ticket for this server "
                         "(run kinit, or check KRB5CCNAME and the keytab)";
        }
        if (wants_kerberos) return out + ": the server asks for Kerberos (SPNEGO); add --negotiate";
        std::string message = server_message(response.body);
        return message.empty() ? out : out + ": " + message;
    }

    void fail(const std::string& message) { run_->fail(redact(message, secrets_)); }

    Settings settings_;
    SourceRun* run_ = nullptr;
    std::optional<std::string> token_;
    std::vector<std::string> secrets_;
    std::vector<std::vector<Point>> results_;
    std::size_t pending_ = 0;
};

std::unique_ptr<Source> make_matomo(const SourceConfig& config) {
    const OptionValues& options = config.options;
    Settings settings;
    settings.base_url = options.get_or("url", "");
    while (!settings.base_url.empty() && settings.base_url.back() == '/') settings.base_url.pop_back();
    if (settings.base_url.empty()) throw UsageError("matomo needs --url, the Matomo base URL");
    if (settings.base_url.ends_with("/index.php")) settings.base_url.resize(settings.base_url.size() - 10);

    if (const auto* values = options.raw("site-id")) {
        for (const auto& value : *values) {
            std::int64_t id = 0;
            auto [end, ec] = std::from_chars(value.text.data(), value.text.data() + value.text.size(), id);
            if (ec != std::errc() || end != value.text.data() + value.text.size() || id <= 0) {
                throw UsageError(value.origin + ": \"" + value.text + "\" is not a Matomo site id (a positive integer)");
            }
            if (std::find(settings.site_ids.begin(), settings.site_ids.end(), id) == settings.site_ids.end()) {
                settings.site_ids.push_back(id);
            }
        }
    }
    if (settings.site_ids.empty()) throw UsageError("matomo needs --site-id (repeatable)");
    settings.period = options.get_or("period", "day");
    settings.date = options.get_or("date", "yesterday");
    if (settings.date.empty() || settings.date.find_first_of(" \t\n&") != std::string::npos) {
        throw UsageError("--date \"" + settings.date + "\": not a Matomo date (e.g. yesterday, 2024-03-05, last7)");
    }
    settings.negotiate = options.flag("negotiate");
    settings.cookie_jar = options.get_or("cookie-jar", "");
    return std::make_unique<MatomoSource>(std::move(settings));
}

}  // namespace

SourceInfo matomo_source() {
    return SourceInfo{
        .type = "matomo",
        .summary = "visits, unique visitors and actions of Matomo (Piwik) sites",
        .description =
            "Asks a Matomo instance's Reporting API for VisitsSummary.get of each --site-id and emits "
            "one \"visits\" point per site and period, tagged site_id, with the fields visits "
            "(nb_visits), unique_visitors (nb_uniq_visitors), actions (nb_actions) and "
            "avg_time_on_site_seconds (avg_time_on_site). A value Matomo does not report (unique "
            "visitors of a range, for one) is left out. A period without visits, which Matomo "
            "answers with an empty list, gives visits, unique_visitors and actions 0 and no average.\n\n"
            "The request is POST <url>/index.php; the token travels as token_auth in the body, never "
            "in the URL. --period and --date are Matomo's own (day/week/month/year/range; yesterday, "
            "today, 2024-03-05, last7, 2024-03-01,2024-03-31). A date naming one calendar day, week, "
            "month or year (2024-03-05) stamps the point at that period's first day (UTC); a date "
            "that covers several periods (last7 with period day) gives one point per period, each "
            "stamped so; relative dates such as yesterday, whose day is the site's own, and ranges "
            "are stamped with the pass time.\n\n"
            "An answer {\"result\":\"error\"} (with HTTP 200) is an error carrying Matomo's message. "
            "--negotiate authenticates with Kerberos (SPNEGO) through libcurl, using the ticket of "
            "the running user (kinit, or KRB5CCNAME); --cookie-jar keeps the session cookies the "
            "server sets between runs. Credentials are never sent to another host, so a single-sign-on "
            "page on another host cannot be passed this way.",
        .options =
            {
                {.name = "url",
                 .kind = OptionKind::String,
                 .help = "the Matomo base URL, e.g. https://matomo.example.org",
                 .placeholder = "URL",
                 .required = true},
                {.name = "site-id",
                 .kind = OptionKind::Integer,
                 .help = "Matomo site id",
                 .placeholder = "N",
                 .repeatable = true,
                 .required = true},
                {.name = "period",
                 .kind = OptionKind::String,
                 .help = "Matomo period",
                 .placeholder = "PERIOD",
                 .default_value = "day",
                 .choices = {"day", "week", "month", "year", "range"}},
                {.name = "date",
                 .kind = OptionKind::String,
                 .help = "Matomo date: yesterday, today, YYYY-MM-DD, lastN, previousN or FROM,TO",
                 .placeholder = "DATE",
                 .default_value = "yesterday"},
                {.name = "token", .kind = OptionKind::Secret, .help = "Matomo token_auth (sent in the POST body)"},
                {.name = "negotiate", .kind = OptionKind::Flag, .help = "authenticate with Kerberos (SPNEGO)"},
                {.name = "cookie-jar",
                 .kind = OptionKind::String,
                 .help = "file that keeps the server's session cookies between runs (read and written)",
                 .placeholder = "FILE"},
            },
        .example = "kpi collect matomo --url https://matomo.example.org --site-id 1 --site-id 7 "
                   "--token-file /run/secrets/matomo --tag service=zenodo",
        .fields =
            {
                {.measurement = "visits", .name = "visits",
                 .description = "Visits to the Matomo site in the period (nb_visits)"},
                {.measurement = "visits", .name = "unique_visitors",
                 .description = "Unique visitors to the Matomo site in the period (nb_uniq_visitors)"},
                {.measurement = "visits", .name = "actions",
                 .description = "Actions on the Matomo site in the period (nb_actions)"},
                {.measurement = "visits", .name = "avg_time_on_site_seconds",
                 .description = "Average time a visit spent on the Matomo site, in seconds"},
            },
        .make = make_matomo,
    };
}

}  // namespace kpi
