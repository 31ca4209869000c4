#include "sources/datacite/datacite.hpp"

#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/shutdown.hpp"
#include "http/redact.hpp"
#include "sources/datacite/datacite_report.hpp"

namespace kpi {

namespace {

constexpr std::string_view kReportIndexUrl = "https://stats.datacite.org/stats/resolution-report/";
// The API's base, where --mode api goes when --url is left at the report index.
constexpr std::string_view kApiUrl = "https://api.datacite.org";

std::string content_type(const HttpResponse& response) {
    const std::string* value = response.header("content-type");
    return value ? *value : std::string();
}

// Why a page could not be read: the transport error, or the status with what the page
// says (an HTML error page's title rather than its markup, see server_message), as UTF-8.
std::string page_failure(const HttpResponse& response) {
    if (!response.error.empty()) return response.describe();
    std::string out = response.method + " " + response.url + ": HTTP " + std::to_string(response.status);
    std::string said = server_message(datacite::page_as_utf8(content_type(response), response.body));
    if (!said.empty()) out += ": " + said;
    return out;
}

// ---------------------------------------------------------------------------------------
// --mode report

class ReportSource : public Source {
public:
    ReportSource(std::string index_url, std::vector<std::string> prefixes)
        : index_url_(std::move(index_url)), prefixes_(std::move(prefixes)) {}

    void start(SourceRun& run) override {
        HttpRequest request = run.request(index_url_);
        request.headers.emplace_back("Accept", "text/html");
        run.http().submit(std::move(request), [this, &run](HttpResponse&& response) {
            on_index(run, response);
            run.mark_activity();
        });
    }

private:
    void on_index(SourceRun& run, const HttpResponse& response) {
        if (!response.ok()) {
            run.fail("DOI resolution report index: " + page_failure(response));
            return;
        }
        // Relative links resolve against where the index was read from, after redirects.
        const std::string& read_from = response.url.empty() ? index_url_ : response.url;
        auto links = datacite::find_report_links(
            datacite::page_as_utf8(content_type(response), response.body), read_from);
        auto link = datacite::newest(links);
        if (!link) {
            run.fail("DOI resolution report index " + read_from +
                     ": links no monthly report (no link names a month)");
            return;
        }
        HttpRequest request = run.request(link->url);
        request.headers.emplace_back("Accept", "text/html");
        run.http().submit(std::move(request), [this, &run, month = link->month](HttpResponse&& report) {
            on_report(run, report, month);
            run.mark_activity();
        });
    }

    void on_report(SourceRun& run, const HttpResponse& response, datacite::YearMonth linked_month) {
        const std::string what = "DOI resolution report for " + datacite::to_string(linked_month);
        if (!response.ok()) {
            run.fail(what + ": " + page_failure(response));
            return;
        }
        // Read where it lies, in its own encoding, with no copy of the page; a parse that
        // SIGTERM interrupts fails this source and the pass ends as for any shutdown.
        datacite::ReadBudget budget;
        budget.stop = shutdown_requested;
        datacite::Report report;
        try {
            report = datacite::parse_report(response.body, prefixes_,
                                            datacite::page_charset(content_type(response), response.body), budget);
        } catch (const datacite::ReportFormatError& e) {
            run.fail(what + " " + response.url + ": " + e.what());
            return;
        }
        // The page's own heading is the better witness of its month than the index's link.
        datacite::YearMonth month = report.month.value_or(linked_month);
        if (month != linked_month) {
            run.warn(response.url + " is linked as " + datacite::to_string(linked_month) +
                     " but reports " + datacite::to_string(month) + "; its points carry the latter");
        }
        const std::optional<Timestamp> month_start = datacite::first_instant(month);
        if (!month_start) {
            // A server-named year such as 2999 must not wrap into some other time.
            run.fail(what + " " + response.url + ": the report's month " + datacite::to_string(month) +
                     " is outside the times kpi can store");
            return;
        }
        for (const auto& row : report.rows) run.emit(to_point(row, *month_start));
        for (const auto& prefix : report.missing) {
            run.fail("prefix " + prefix + " is not in the DOI resolution report for " +
                     datacite::to_string(month) + " (" + response.url + ")");
        }
        for (const auto& problem : report.malformed) run.fail(what + " " + response.url + ": " + problem);
    }

    static Point to_point(const datacite::PrefixRow& row, Timestamp month_start) {
        Point p;
        p.measurement = "doi_resolutions";
        p.set_tag("prefix", row.prefix);
        if (!row.client.empty()) p.set_tag("client", row.client);
        p.set_field("attempted", row.attempted);
        p.set_field("successful", row.successful);
        p.set_field("failed", row.failed);
        p.set_field("unique", row.unique);
        p.set_field("unique_successful", row.unique_successful);
        p.set_field("unique_failed", row.unique_failed);
        p.time = month_start;  // the report's month, not the pass
        return p;
    }

    std::string index_url_;
    std::vector<std::string> prefixes_;
};

// ---------------------------------------------------------------------------------------
// --mode api

class ApiSource : public Source {
public:
    ApiSource(std::string base_url, std::vector<std::string> prefixes)
        : base_url_(std::move(base_url)), prefixes_(std::move(prefixes)) {}

    void start(SourceRun& run) override {
        for (std::size_t i = 0; i < prefixes_.size(); ++i) {
            const std::string& prefix = prefixes_[i];
            // page[size]=0: only the counts, no records. Facets (meta.states) are off by
            // default on DataCite since March 2026, so they are asked for.
            HttpRequest request = run.request(base_url_ + "/dois?prefix=" + url_encode(prefix) +
                                              "&" + url_encode("page[size]") + "=0&disable-facets=false");
            request.headers.emplace_back("Accept", "application/vnd.api+json");
            run.http().submit(std::move(request), [&run, prefix, i](HttpResponse&& response) {
                // Points come out in the order of --prefix, whatever order the answers come in.
                if (auto point = on_answer(run, prefix, response)) run.emit(std::move(*point), i);
                run.mark_activity();
            });
        }
    }

private:
    // The prefix's point, or nullopt when its answer failed the source.
    static std::optional<Point> on_answer(SourceRun& run, const std::string& prefix, const HttpResponse& response) {
        if (!response.ok()) {
            std::string said = response.error.empty() ? datacite::api_error_message(response.body) : "";
            run.fail("prefix " + prefix + ": " +
                     (said.empty() ? response.describe()
                                   : response.method + " " + response.url + ": HTTP " +
                                         std::to_string(response.status) + ": " + said));
            return std::nullopt;
        }
        datacite::DoiCounts counts;
        try {
            counts = datacite::parse_dois_answer(response.body);
        } catch (const datacite::AnswerError& e) {
            run.fail("prefix " + prefix + ": " + response.method + " " + response.url + ": " + e.what());
            return std::nullopt;
        }
        Point p;
        p.measurement = "dois";
        p.set_tag("prefix", prefix);
        p.set_field("registered", counts.total);
        if (counts.findable) p.set_field("findable", *counts.findable);
        if (counts.registered) p.set_field("registered_state", *counts.registered);
        if (counts.draft) p.set_field("draft", *counts.draft);
        return p;
    }

    std::string base_url_;
    std::vector<std::string> prefixes_;
};

// ---------------------------------------------------------------------------------------
// Settings

enum class Mode { Report, Api };

struct DataciteSettings {
    std::string url;
    Mode mode = Mode::Report;
    std::vector<std::string> prefixes;
};

Mode mode_named(const std::string& text) {
    if (text == "report") return Mode::Report;
    if (text == "api") return Mode::Api;
    throw SettingError("\"" + text + "\" is not a mode (report or api)");
}

// "10.5281", "10.1000.10": a DOI prefix is "10." and the registrant code's digit groups.
bool is_doi_prefix(std::string_view text) {
    if (!text.starts_with("10.") || text.size() == 3 || text.back() == '.') return false;
    char previous = '.';
    for (char c : text.substr(3)) {
        if (c == '.' && previous == '.') return false;
        if (c != '.' && (c < '0' || c > '9')) return false;
        previous = c;
    }
    return true;
}

std::string doi_prefix(const std::string& text) {
    if (!is_doi_prefix(text)) throw SettingError("\"" + text + "\" is not a DOI prefix (e.g. 10.5281)");
    return text;
}

const SettingsSchema<DataciteSettings>& datacite_schema() {
    static const auto schema =
        SettingsSchema<DataciteSettings>{}
            .add(&DataciteSettings::url,
                 url_option(std::string(kReportIndexUrl),
                            "report mode: the index of the monthly reports; api mode: the API base (" +
                                std::string(kApiUrl) + " when left at the default)"))
            .add(&DataciteSettings::mode,
                 {.name = "mode",
                  .help = "report: the monthly DOI resolution report; api: the DataCite REST API",
                  .placeholder = "MODE",
                  .default_value = "report",
                  .choices = {"report", "api"}},
                 mode_named)
            .add(&DataciteSettings::prefixes,
                 {.name = "prefix",
                  .help = "DOI prefix to report on, e.g. 10.5281",
                  .placeholder = "PREFIX",
                  .required = true},
                 doi_prefix);
    return schema;
}

std::unique_ptr<Source> make_datacite(DataciteSettings settings) {
    std::vector<std::string> prefixes;  // each once, in the order given
    for (auto& prefix : settings.prefixes) {
        if (std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end()) {
            prefixes.push_back(std::move(prefix));
        }
    }
    // One default URL per mode; --url's is the report index, so an api pass that was given
    // no --url of its own goes to the API.
    const bool api = settings.mode == Mode::Api;
    std::string url = std::move(settings.url);
    if (url.empty() || (api && url == kReportIndexUrl)) url = api ? kApiUrl : kReportIndexUrl;
    if (!api) return std::make_unique<ReportSource>(std::move(url), std::move(prefixes));
    while (url.ends_with('/')) url.pop_back();
    return std::make_unique<ApiSource>(std::move(url), std::move(prefixes));
}

}  // namespace

namespace datacite {

namespace {

// {"errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]}
std::string error_titles(simdjson::dom::element root) {
    simdjson::dom::array errors;
    if (root["errors"].get(errors)) return {};
    std::string out;
    for (simdjson::dom::element error : errors) {
        std::string_view text;
        if (error["title"].get(text) && error["detail"].get(text)) continue;
        if (text.empty()) continue;
        if (!out.empty()) out += "; ";
        out += text;
    }
    return out;
}

}  // namespace

std::string api_error_message(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size()).get(root)) return {};
    return error_titles(root);
}

DoiCounts parse_dois_answer(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size()).get(root) || !root.is_object()) {
        throw AnswerError("the answer is not a JSON object");
    }
    if (std::string said = error_titles(root); !said.empty()) throw AnswerError(said);
    simdjson::dom::element meta;
    if (root["meta"].get(meta) || !meta.is_object()) throw AnswerError("the answer has no \"meta\" object");
    DoiCounts counts;
    if (meta["total"].get_int64().get(counts.total)) {
        throw AnswerError("the answer's meta.total is missing or not an integer");
    }
    // meta.states: [{"id": "findable", "title": "Findable", "count": 123}, ...]. Anonymous
    // clients see only findable DOIs, so registered and draft appear only for some.
    simdjson::dom::array states;
    if (!meta["states"].get(states)) {
        for (simdjson::dom::element state : states) {
            std::string_view id;
            std::int64_t count = 0;
            if (state["id"].get(id) || state["count"].get_int64().get(count)) continue;
            if (id == "findable") counts.findable = count;
            if (id == "registered") counts.registered = count;
            if (id == "draft") counts.draft = count;
        }
    }
    return counts;
}

}  // namespace datacite

SourceInfo datacite_source() {
    return SourceInfo{
        .type = "datacite",
        .summary = "DOI resolutions per prefix (monthly report) or DOI counts per prefix (REST API)",
        .description =
            "In report mode (the default) it reads DataCite's index of monthly DOI resolution "
            "reports at --url, follows the link to the newest month (by the month the link names, "
            "whatever the order of the page; links may be relative or absolute), and reads the row "
            "of each --prefix: measurement doi_resolutions, tags prefix and client (the repository "
            "symbol printed under the prefix), fields attempted, successful, failed, unique, "
            "unique_successful and unique_failed. The points carry the first day of the report's "
            "month (00:00:00Z), not the time of the pass. Pages are read as windows-1252 unless "
            "they declare UTF-8.\n\n"
            "In api mode it asks the DataCite REST API (--url is the API base, default "
            "https://api.datacite.org) for <url>/dois?prefix=P&page[size]=0 per prefix: measurement "
            "dois, tag prefix, field registered (meta.total: the DOIs the API counts for the prefix; "
            "to an anonymous client these are the findable ones), and from the same answer's "
            "meta.states facet findable, registered_state (DOIs in DataCite's \"registered\" state: "
            "resolvable but not findable) and draft, where the API gives them.\n\n"
            "A prefix missing from the report, an index that links no monthly report, a page "
            "without the report table or with other columns, and an API error answer are errors "
            "that name the prefix, the URL and the reason; the points of the other prefixes are "
            "still emitted. The report is read in one pass without building the page's tree: of "
            "each cell at most the first 16 KiB is read, and reading gives up after 10 s (no real "
            "report comes near either).",
        .options = datacite_schema().specs(),
        .example = "kpi collect datacite --prefix 10.5281 --prefix 10.17181 --prefix 10.7483",
        .fields =
            {
                {.measurement = "doi_resolutions", .name = "attempted",
                 .description = "DOI resolutions attempted in the month of the DataCite report"},
                {.measurement = "doi_resolutions", .name = "successful",
                 .description = "DOI resolutions that succeeded in the month of the DataCite report"},
                {.measurement = "doi_resolutions", .name = "failed",
                 .description = "DOI resolutions that failed in the month of the DataCite report"},
                {.measurement = "doi_resolutions", .name = "unique",
                 .description = "Distinct DOIs whose resolution was attempted in the month of the DataCite report"},
                {.measurement = "doi_resolutions", .name = "unique_successful",
                 .description = "Distinct DOIs resolved successfully in the month of the DataCite report"},
                {.measurement = "doi_resolutions", .name = "unique_failed",
                 .description = "Distinct DOIs whose resolution failed in the month of the DataCite report"},
                {.measurement = "dois", .name = "registered",
                 .description = "DOIs the DataCite REST API counts for the prefix"},
                {.measurement = "dois", .name = "findable",
                 .description = "DOIs of the prefix in the findable state"},
                {.measurement = "dois", .name = "registered_state",
                 .description = "DOIs of the prefix in the registered state (resolvable, not findable)"},
                {.measurement = "dois", .name = "draft",
                 .description = "DOIs of the prefix in the draft state"},
            },
        .make = make_source(datacite_schema(), make_datacite),
    };
}

}  // namespace kpi
