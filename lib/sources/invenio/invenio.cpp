#include "sources/invenio/invenio.hpp"

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>
#include <optional>

#include "http/json_response.hpp"
#include "sources/invenio/invenio_count.hpp"
#include "sources/invenio/invenio_detect.hpp"
#include "sources/invenio/invenio_instances.hpp"

namespace kpi {
namespace {

using invenio::Flavour;

// Size caps: a front page or a one-hit search answer is far below these. Of the MARCXML
// answer only the head matters (the count comment comes before the record).
constexpr std::size_t kPageCap = 8u << 20;
constexpr std::size_t kJsonCap = 4u << 20;
constexpr std::size_t kMarcxmlCap = 256u << 10;

// One site's pass.
struct Site {
    invenio::Instance instance;
    bool up = false;
    double response_time_seconds = 0;
    Flavour flavour = Flavour::Unknown;
    std::string version;
    std::optional<std::int64_t> records;
    std::string page_url;  // where the front page answered, after redirects
    invenio::HomePage home;
    // What the APIs answered, for a site whose page shows no flavour.
    std::optional<invenio::SearchAnswer> records_probe, documents_probe;
    std::optional<std::int64_t> marcxml_probe;
    int probes_pending = 0;
};

// Every site at once on the shared client, whose admission queue starts no more requests
// than it has connections (its per-host limit keeps it polite) and starts a request's
// timeout only when the request starts. Each site runs its own chain of requests: the front
// page, then the cheapest exact count its flavour answers. Each site's point is emitted when
// it is done; they come out in the order of the list (SourceRun::emit's order).
class Survey : public std::enable_shared_from_this<Survey> {
public:
    Survey(SourceRun& run, const std::vector<invenio::Instance>& instances)
        : run_(run) {
        for (const auto& instance : instances) sites_.push_back(Site{.instance = instance});
    }

    void start() {
        for (Site& site : sites_) {
            submit(request(site.instance.url, kPageCap),
                   [this, &site](HttpResponse&& r) { on_front_page(site, std::move(r)); });
        }
    }

private:
    // One attempt per request: a site that hangs costs its timeout once, not once per retry.
    HttpRequest request(const std::string& url, std::size_t cap, bool json = false) const {
        HttpRequest r = run_.request(url);
        r.retries = 0;
        r.max_body_bytes = cap;
        if (json) r.headers.emplace_back("Accept", "application/json");
        return r;
    }

    // The survey lives until its last answer has been handled.
    void submit(HttpRequest request, std::function<void(HttpResponse&&)> then) {
        run_.http().submit(std::move(request), [self = shared_from_this(), then = std::move(then)](HttpResponse&& r) {
            self->run_.mark_activity();
            then(std::move(r));
        });
    }

    void on_front_page(Site& site, HttpResponse&& r) {
        // A page over the size cap still answered; what arrived is enough to look at.
        const bool answered = r.status >= 200 && r.status < 300 && (r.error.empty() || r.body_truncated);
        if (!answered) {
            run_.warn(site.instance.name + " is down: " + r.describe());
            return done(site);
        }
        site.up = true;
        site.response_time_seconds = r.total_seconds;
        site.page_url = r.url;
        site.home = invenio::inspect_home_page(r.body);
        site.flavour = site.home.flavour;
        site.version = site.home.version;
        if (r.url != site.instance.url) {
            spdlog::info("source {}: {} answered at {}", run_.name(), site.instance.url, r.url);
        }
        switch (site.flavour) {
            case Flavour::InvenioRDM:
            case Flavour::Invenio3:
            case Flavour::InvenioILS: return ask_search_api(site);
            case Flavour::Invenio1:
                if (site.home.records) {
                    site.records = site.home.records;
                    return done(site);
                }
                return ask_marcxml(site);
            case Flavour::Unknown: return probe(site);
        }
    }

    void ask_search_api(Site& site) {
        const std::string url = invenio::search_api_url(site.flavour, site.page_url);
        submit(request(url, kJsonCap, true), [this, &site](HttpResponse&& r) {
            if (auto answer = search_answer(site, r)) {
                site.records = answer->total;
                // The answer's shape is better evidence than a footer: only RDM says sortBy.
                if (site.flavour == Flavour::Invenio3 && answer->rdm_shape) site.flavour = Flavour::InvenioRDM;
            }
            done(site);
        });
    }

    // Legacy: the count comment of a one-record MARCXML search, else the English home page.
    void ask_marcxml(Site& site) {
        submit(request(invenio::marcxml_count_url(site.page_url), kMarcxmlCap), [this, &site](HttpResponse&& r) {
            if (auto count = marcxml_count(r)) {
                site.records = count;
                return done(site);
            }
            ask_english_home(site);
        });
    }

    void ask_english_home(Site& site) {
        submit(request(invenio::english_home_url(site.page_url), kPageCap), [this, &site](HttpResponse&& r) {
            if (r.ok()) site.records = invenio::inspect_home_page(r.body).records;
            if (!site.records) {
                run_.warn(site.instance.name + ": no record count: neither the MARCXML search nor the English home "
                                               "page (" + r.describe() + ") gave one");
            }
            done(site);
        });
    }

    // The page shows no flavour: ask each flavour's API at once and go by what answers.
    void probe(Site& site) {
        site.probes_pending = 3;
        auto answered = [this, &site] {
            if (--site.probes_pending == 0) decide_from_probes(site);
        };
        submit(request(invenio::search_api_url(Flavour::InvenioRDM, site.page_url), kJsonCap, true),
               [&site, answered](HttpResponse&& r) {
                   site.records_probe = quiet_search_answer(r);
                   answered();
               });
        submit(request(invenio::search_api_url(Flavour::InvenioILS, site.page_url), kJsonCap, true),
               [&site, answered](HttpResponse&& r) {
                   site.documents_probe = quiet_search_answer(r);
                   answered();
               });
        submit(request(invenio::marcxml_count_url(site.page_url), kMarcxmlCap), [&site, answered](HttpResponse&& r) {
            site.marcxml_probe = marcxml_count(r);
            answered();
        });
    }

    void decide_from_probes(Site& site) {
        const auto& rec = site.records_probe;
        const auto& doc = site.documents_probe;
        if (site.marcxml_probe) {
            site.flavour = Flavour::Invenio1;  // a hosted fork without the footer, e.g.
            site.records = site.marcxml_probe;
        } else if (rec && rec->rdm_shape) {
            site.flavour = Flavour::InvenioRDM;
            site.records = rec->total;
        } else if (doc && (!rec || site.home.app_shell)) {
            site.flavour = Flavour::InvenioILS;
            site.records = doc->total;
        } else if (rec) {
            site.flavour = Flavour::Invenio3;
            site.records = rec->total;
        }
        done(site);
    }

    std::optional<invenio::SearchAnswer> search_answer(const Site& site, const HttpResponse& r) const {
        simdjson::dom::parser parser;
        std::string error;
        if (auto root = parse_json_response(r, parser, error)) {
            if (auto answer = invenio::read_search_answer(*root, error)) return answer;
            error = r.method + " " + r.url + ": " + error;
        }
        run_.warn(site.instance.name + ": no record count: " + error);
        return std::nullopt;
    }

    // A probe that finds nothing is no news: most sites answer only one flavour's API.
    static std::optional<invenio::SearchAnswer> quiet_search_answer(const HttpResponse& r) {
        simdjson::dom::parser parser;
        std::string error;
        auto root = parse_json_response(r, parser, error);
        return root ? invenio::read_search_answer(*root, error) : std::nullopt;
    }

    // The head of the answer holds the comment, even when the cap cut the rest off.
    static std::optional<std::int64_t> marcxml_count(const HttpResponse& r) {
        if (r.status != 200 || (!r.error.empty() && !r.body_truncated)) return std::nullopt;
        return invenio::parse_marcxml_count(r.body);
    }

    void done(Site& site) {
        std::string evidence;
        for (const auto& e : site.home.evidence) evidence += (evidence.empty() ? "" : ", ") + e;
        if (site.up) {
            spdlog::info("source {}: {}: {}{}{}{}", run_.name(), site.instance.name,
                         invenio::flavour_name(site.flavour), site.version.empty() ? "" : " " + site.version,
                         site.records ? ", " + std::to_string(*site.records) + " records" : "",
                         evidence.empty() ? "" : " (" + evidence + ")");
        }
        emit(site);
    }

    // In the order of the list, whatever order the sites answer in.
    void emit(const Site& site) {
        Point p;
        p.measurement = "invenio_instance";
        p.set_tag("instance", site.instance.name);
        p.set_tag("url", site.instance.url);
        if (!site.instance.country.empty()) p.set_tag("country", site.instance.country);
        p.set_tag("flavour", invenio::flavour_name(site.flavour));
        if (!site.version.empty()) p.set_tag("version", site.version);
        p.set_field("up", std::int64_t{site.up ? 1 : 0});
        if (site.records) p.set_field("records", *site.records);
        if (site.up) p.set_field("response_time_seconds", site.response_time_seconds);
        run_.emit(std::move(p), static_cast<std::size_t>(&site - sites_.data()));
    }

    SourceRun& run_;
    std::vector<Site> sites_;  // never resized once built: callbacks hold references
};

class InvenioSource : public Source {
public:
    explicit InvenioSource(std::vector<invenio::Instance> instances) : instances_(std::move(instances)) {}

    void start(SourceRun& run) override {
        if (instances_.empty()) return;
        std::make_shared<Survey>(run, instances_)->start();
    }

private:
    std::vector<invenio::Instance> instances_;
};

// The rows of --instances, read with the other settings: a malformed list stops the run
// (exit 2) before anything is sent, instead of surveying half of it.
struct InstanceList {
    std::vector<invenio::Instance> sites;
};

struct InvenioSettings {
    std::vector<invenio::Instance> url;
    std::optional<InstanceList> instances;
};

const SettingsSchema<InvenioSettings>& invenio_schema() {
    static const auto schema =
        SettingsSchema<InvenioSettings>{}
            .add(&InvenioSettings::url, {.name = "url", .help = "a site's front page", .placeholder = "URL"},
                 invenio::instance_from_url)
            .add(&InvenioSettings::instances,
                 {.name = "instances", .help = "CSV file of sites with the header name,url,country",
                  .placeholder = "FILE"},
                 [](const std::string& path) { return InstanceList{invenio::read_instances_file(path)}; })
            .check([](const InvenioSettings& settings) {
                if (settings.url.empty() && !settings.instances) {
                    throw SettingError("invenio needs --url or --instances");
                }
                if (settings.url.empty() && settings.instances->sites.empty()) {
                    throw SettingError("invenio needs --url or --instances: the instance list names no site");
                }
            });
    return schema;
}

// --url values first, then the rows of --instances.
std::unique_ptr<Source> make_invenio(InvenioSettings settings) {
    std::vector<invenio::Instance> instances = std::move(settings.url);
    if (settings.instances) {
        for (auto& instance : settings.instances->sites) instances.push_back(std::move(instance));
    }
    return std::make_unique<InvenioSource>(std::move(instances));
}

}  // namespace

SourceInfo invenio_source() {
    return SourceInfo{
        .type = "invenio",
        .summary = "survey Invenio installations: flavour, version, record count, response time",
        .description =
            "Visits the front page of each site (--url, repeatable, or the rows of --instances, a CSV file with the "
            "header name,url,country; further columns are ignored) and tells its flavour from what the page shows: "
            "the generator meta, the \"Powered by\" footer, InvenioRDM's page elements, the legacy search box. It "
            "then asks the cheapest exact count that flavour answers: /api/records?size=1 (InvenioRDM), "
            "/api/records/?size=1 (Invenio v3), /api/documents/?size=1 (InvenioILS), or the count comment of "
            "search?p=&of=xm&rg=1 (legacy v0.99 to v2). A page that shows no flavour is probed with all of them. "
            "One invenio_instance point per site, tagged instance, url, country, flavour (invenio1, invenio3, "
            "inveniordm, invenioils, unknown) and version where the site reveals it, with up, records and "
            "response_time_seconds (of the front page). Every site runs at once, each request one attempt: a site "
            "that hangs costs its timeout. An unreachable site (up 0) or one that is not Invenio (flavour unknown, "
            "no records) is a measurement, not a failure: the exit status stays 0.",
        .options = invenio_schema().specs(),
        .example = "kpi collect invenio --instances examples/invenio-instances.csv",
        .fields =
            {
                {.measurement = "invenio_instance", .name = "up",
                 .description = "Whether the site's front page answered with a 2xx status (1) or not (0)"},
                {.measurement = "invenio_instance", .name = "records",
                 .description = "Records the site counts by its flavour's cheapest exact query"},
                {.measurement = "invenio_instance", .name = "response_time_seconds",
                 .description = "Time the site's front page took to answer, in seconds"},
            },
        .make = make_source(invenio_schema(), make_invenio),
    };
}

}  // namespace kpi
