#include "sources/records/records.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include "formats/search_total.hpp"
#include "http/json_response.hpp"

namespace kpi {
namespace {

struct RecordsSettings {
    std::string url;
    std::optional<Duration> new_since;
    std::string query;
    bool all_versions = false;
    std::string created_field;
};

// The field goes into the query as it is: a name, nothing that could change the query.
std::string field_name(const std::string& text) {
    const bool is_name = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    });
    if (!is_name) throw SettingError("\"" + text + "\" is not a field name (letters, digits, _ and .)");
    return text;
}

const SettingsSchema<RecordsSettings>& records_schema() {
    static const auto schema =
        SettingsSchema<RecordsSettings>{}
            .add(&RecordsSettings::url, url_option("https://zenodo.org/api/records"))
            .add(&RecordsSettings::new_since, {.name = "new-since",
                                               .help = "also count records created in this window (field new)",
                                               .placeholder = "DURATION"})
            .add(&RecordsSettings::query,
                 {.name = "query", .help = "count only records matching this search query", .placeholder = "Q"})
            .add(&RecordsSettings::all_versions,
                 {.name = "all-versions", .help = "count every version, not only the latest (allversions=true)"})
            .add(&RecordsSettings::created_field,
                 {.name = "created-field",
                  .help = "indexed creation time that --new-since ranges over (_created on Invenio v3)",
                  .placeholder = "FIELD", .default_value = "created"},
                 field_name);
    return schema;
}

class RecordsSource : public Source {
public:
    explicit RecordsSource(RecordsSettings settings) : settings_(std::move(settings)) {}

    void start(SourceRun& run) override {
        state_ = std::make_shared<State>();
        fetch(run, "total", settings_.query);
        if (const auto& window = settings_.new_since) {
            const auto since = std::chrono::floor<std::chrono::seconds>(run.pass_time() - *window);
            // Both InvenioRDM and Invenio v3 pass q to Elasticsearch/OpenSearch's query_string
            // (InvenioRDM's REST reference: "ElasticSearch's query string syntax"; Invenio v3:
            // invenio-records-rest's default_search_factory). A range with `*` as its open end
            // is that syntax's "from then on"; the time is quoted because `:` and `-` are
            // reserved characters there.
            std::string created = settings_.created_field + ":[\"" + format_rfc3339(since) + "\" TO *]";
            const auto& query = settings_.query;
            fetch(run, "new", query.empty() ? created : "(" + query + ") AND " + created);
        }
    }

private:
    struct State {
        Point point;
        int pending = 0;
        bool any_field = false;
    };

    std::string search_url(const std::string& q) const {
        const std::string& base = settings_.url;
        std::string url = base + (base.find('?') == std::string::npos ? "?" : "&") + "size=1";
        if (!q.empty()) url += "&q=" + url_encode(q);
        // InvenioRDM's parameter is `allversions` (its REST reference, "Search records");
        // stock InvenioRDM ignores `all_versions`, which only Zenodo also accepts.
        if (settings_.all_versions) url += "&allversions=true";
        return url;
    }

    void fetch(SourceRun& run, std::string field, const std::string& q) {
        ++state_->pending;
        run.http().submit(run.request(search_url(q)), [&run, state = state_, field](HttpResponse&& response) {
            run.mark_activity();
            simdjson::dom::parser parser;
            std::string error;
            if (auto root = parse_json_response(response, parser, error)) {
                if (auto total = read_hits_total(*root, error)) {
                    state->point.set_field(field, *total);
                } else {
                    run.fail(response.method + " " + response.url + ": " + error);
                }
            } else {
                run.fail(error);
            }
            if (--state->pending == 0 && !state->point.fields.empty()) {
                // "total" first whatever order the answers came in.
                std::stable_sort(state->point.fields.begin(), state->point.fields.end(),
                                 [](const Field& a, const Field& b) { return a.key == "total" && b.key != "total"; });
                state->point.measurement = "records";
                run.emit(std::move(state->point));
            }
        });
    }

    RecordsSettings settings_;
    std::shared_ptr<State> state_;
};

}  // namespace

std::optional<std::int64_t> parse_records_total(std::string_view body, std::string& why) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto error = parser.parse(body.data(), body.size()).get(root)) {
        why = std::string("invalid JSON: ") + simdjson::error_message(error);
        return std::nullopt;
    }
    return read_hits_total(root, why);
}

SourceInfo records_source() {
    return SourceInfo{
        .type = "records",
        .summary = "record counts from an Invenio / InvenioRDM REST search endpoint",
        .description =
            "Asks the search endpoint (--url, e.g. https://zenodo.org/api/records) for one hit and reads hits.total: "
            "an integer (Invenio v3, InvenioRDM, Zenodo) or {\"value\": N, \"relation\": \"eq\"} (Elasticsearch 7+, "
            "OpenSearch). A count marked \"gte\" is only a lower bound, and a count below zero is none: either fails "
            "the source rather than report a wrong number. With --new-since it also counts the records created in that window (field new), with "
            "--query it counts only the records matching the query.\n\n"
            "InvenioRDM (and Zenodo) count only the latest version of each record unless --all-versions is given "
            "(allversions=true); Invenio v3 sites have no versions, every record counts once. The window of "
            "--new-since is a range on --created-field: created on InvenioRDM and Zenodo, _created on Invenio v3 "
            "sites (invenio-indexer stores the creation time there).",
        .options = records_schema().specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records --new-since 1d --tag service=zenodo",
        .fields =
            {
                {.measurement = "records", .name = "total",
                 .description = "Records the search endpoint counts (hits.total)"},
                {.measurement = "records", .name = "new",
                 .description = "Records created within the --new-since window"},
            },
        .make = make_source(records_schema(),
                            [](RecordsSettings settings) { return std::make_unique<RecordsSource>(std::move(settings)); }),
    };
}

}  // namespace kpi
