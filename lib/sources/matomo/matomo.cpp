#include "sources/matomo/matomo.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "http/json_response.hpp"
#include "http/redact.hpp"
#include "sources/matomo/matomo_api.hpp"

namespace kpi {

namespace {

// The source's options, filled and checked by matomo_schema().
struct MatomoSettings {
    std::string base_url;  // --url without a trailing slash or /index.php
    std::vector<std::int64_t> site_ids;
    std::string period;
    std::string date;
    SecretRef token;
    bool negotiate = false;
    std::string cookie_jar;
};

// One VisitsSummary.get request per site, all at once; points come out in --site-id order.
class MatomoSource final : public Source {
public:
    explicit MatomoSource(MatomoSettings settings) : settings_(std::move(settings)) {
        // A site given twice is asked once.
        auto& ids = settings_.site_ids;
        std::vector<std::int64_t> unique;
        for (auto id : ids) {
            if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(id);
        }
        ids = std::move(unique);
    }

    void start(SourceRun& run) override {
        run_ = &run;
        try {
            token_ = settings_.token.read();
        } catch (const RuntimeError& e) {
            run.fail(e.what());
            return;
        }
        if (token_ && token_->empty()) {
            run.fail("the Matomo token is empty (from " + settings_.token.source().value_or("nowhere") + ")");
            return;
        }
        if (token_) secrets_ = {*token_, url_encode(*token_)};
        if (!settings_.cookie_jar.empty()) create_private_jar();
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
                    run_->emit(matomo::to_point(summary, settings_.site_ids[index]), index);
                }
            } catch (const RuntimeError& e) {
                fail(response.method + " " + response.url + ": " + e.what());
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

    MatomoSettings settings_;
    SourceRun* run_ = nullptr;
    std::optional<std::string> token_;
    std::vector<std::string> secrets_;
};

// The base URL as the requests append /index.php to it: "https://m.example.org/index.php"
// and "https://m.example.org/" both name https://m.example.org.
std::string matomo_base_url(const std::string& text) {
    std::string url = text;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.ends_with("/index.php")) url.resize(url.size() - std::string_view("/index.php").size());
    if (url.empty()) throw SettingError("\"" + text + "\" is not a Matomo base URL (e.g. https://matomo.example.org)");
    return url;
}

std::int64_t site_id(const std::string& text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
        throw SettingError("\"" + text + "\" is not a Matomo site id (a positive integer)");
    }
    return id;
}

// Matomo checks the date itself; what could change the request (a space, an `&`) is refused here.
std::string matomo_date(const std::string& text) {
    if (text.empty() || text.find_first_of(" \t\n&") != std::string::npos) {
        throw SettingError("\"" + text + "\" is not a Matomo date (e.g. yesterday, 2024-03-05, last7)");
    }
    return text;
}

const SettingsSchema<MatomoSettings>& matomo_schema() {
    static const auto schema =
        SettingsSchema<MatomoSettings>{}
            .add(&MatomoSettings::base_url, url_option({}, "the Matomo base URL, e.g. https://matomo.example.org"),
                 matomo_base_url)
            .add(&MatomoSettings::site_ids,
                 {.name = "site-id", .kind = OptionKind::Integer, .help = "Matomo site id", .placeholder = "N",
                  .required = true},
                 site_id)
            .add(&MatomoSettings::period,
                 {.name = "period", .help = "Matomo period", .placeholder = "PERIOD", .default_value = "day",
                  .choices = {"day", "week", "month", "year", "range"}})
            .add(&MatomoSettings::date,
                 {.name = "date", .help = "Matomo date: yesterday, today, YYYY-MM-DD, lastN, previousN or FROM,TO",
                  .placeholder = "DATE", .default_value = "yesterday"},
                 matomo_date)
            .add(&MatomoSettings::token, {.name = "token", .help = "Matomo token_auth (sent in the POST body)"})
            .add(&MatomoSettings::negotiate, {.name = "negotiate", .help = "authenticate with Kerberos (SPNEGO)"})
            .add(&MatomoSettings::cookie_jar,
                 {.name = "cookie-jar",
                  .help = "file that keeps the server's session cookies between runs (read and written)",
                  .placeholder = "FILE"});
    return schema;
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
        .options = matomo_schema().specs(),
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
        .make = make_source(matomo_schema(),
                            [](MatomoSettings settings) {
                                return std::make_unique<MatomoSource>(std::move(settings));
                            }),
    };
}

}  // namespace kpi
