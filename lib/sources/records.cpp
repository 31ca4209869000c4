#include "sources/records.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/errors.hpp"

#include "http/json_response.hpp"

namespace kpi {
namespace {

// hits.total is an integer (Invenio v3, InvenioRDM, Zenodo) or {"value": N, "relation": ...}
// (Elasticsearch 7+/OpenSearch). "gte" is only a lower bound: an error, never a wrong KPI.
std::optional<std::int64_t> read_total(simdjson::dom::element root, std::string& why) {
    simdjson::dom::element total;
    if (root.at_pointer("/hits/total").get(total)) {
        why = "the answer has no hits.total (is this an Invenio search endpoint?)";
        return std::nullopt;
    }
    std::int64_t value = 0;
    if (!total.get(value)) {
        // A count below zero is no count at all: a broken or hostile answer, never a KPI.
        if (value < 0) {
            why = "hits.total is negative (" + std::to_string(value) + ")";
            return std::nullopt;
        }
        return value;
    }
    simdjson::dom::object object;
    if (!total.get(object)) {
        std::string_view relation = "eq";
        if (object["relation"].get(relation) == simdjson::NO_SUCH_FIELD) relation = "eq";
        if (object["value"].get(value)) {
            why = "hits.total.value is not an integer";
            return std::nullopt;
        }
        if (value < 0) {
            why = "hits.total.value is negative (" + std::to_string(value) + ")";
            return std::nullopt;
        }
        if (relation != "eq") {
            why = "hits.total is only a lower bound (relation \"" + std::string(relation) + "\", value " +
                  std::to_string(value) + "): the server caps its count (track_total_hits)";
            return std::nullopt;
        }
        return value;
    }
    why = "hits.total is neither an integer nor {\"value\", \"relation\"}";
    return std::nullopt;
}

class RecordsSource : public Source {
public:
    void start(SourceRun& run) override {
        const auto& o = run.options();
        base_url_ = o.get_or("url", "https://zenodo.org/api/records");
        query_ = o.get_or("query", "");
        all_versions_ = o.flag("all-versions");
        const std::string created_field = o.get_or("created-field", "created");
        state_ = std::make_shared<State>();
        fetch(run, "total", query_);
        if (auto window = o.duration("new-since")) {
            const auto since = std::chrono::floor<std::chrono::seconds>(run.pass_time() - *window);
            // Both InvenioRDM and Invenio v3 pass q to Elasticsearch/OpenSearch's query_string
            // (InvenioRDM's REST reference: "ElasticSearch's query string syntax"; Invenio v3:
            // invenio-records-rest's default_search_factory). A range with `*` as its open end
            // is that syntax's "from then on"; the time is quoted because `:` and `-` are
            // reserved characters there.
            std::string created = created_field + ":[\"" + format_rfc3339(since) + "\" TO *]";
            fetch(run, "new", query_.empty() ? created : "(" + query_ + ") AND " + created);
        }
    }

private:
    struct State {
        Point point;
        int pending = 0;
        bool any_field = false;
    };

    std::string search_url(const std::string& q) const {
        std::string url = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "size=1";
        if (!q.empty()) url += "&q=" + url_encode(q);
        // InvenioRDM's parameter is `allversions` (its REST reference, "Search records");
        // stock InvenioRDM ignores `all_versions`, which only Zenodo also accepts.
        if (all_versions_) url += "&allversions=true";
        return url;
    }

    void fetch(SourceRun& run, std::string field, const std::string& q) {
        ++state_->pending;
        run.http().submit(run.request(search_url(q)), [&run, state = state_, field](HttpResponse&& response) {
            run.mark_activity();
            simdjson::dom::parser parser;
            std::string error;
            if (auto root = parse_json_response(response, parser, error)) {
                if (auto total = read_total(*root, error)) {
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

    std::string base_url_, query_;
    bool all_versions_ = false;
    std::shared_ptr<State> state_;
};

}  // namespace

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
        .options =
            {
                {.name = "new-since", .kind = OptionKind::Duration,
                 .help = "also count records created in this window (field new)", .placeholder = "DURATION"},
                {.name = "query", .kind = OptionKind::String, .help = "count only records matching this search query",
                 .placeholder = "Q"},
                {.name = "all-versions", .kind = OptionKind::Flag,
                 .help = "count every version, not only the latest (allversions=true)"},
                {.name = "created-field", .kind = OptionKind::String,
                 .help = "indexed creation time that --new-since ranges over (_created on Invenio v3)",
                 .placeholder = "FIELD", .default_value = "created"},
            },
        .example = "kpi collect records --url https://zenodo.org/api/records --new-since 1d --tag service=zenodo",
        .default_url = "https://zenodo.org/api/records",
        .fields =
            {
                {.measurement = "records", .name = "total",
                 .description = "Records the search endpoint counts (hits.total)"},
                {.measurement = "records", .name = "new",
                 .description = "Records created within the --new-since window"},
            },
        .make = [](const SourceConfig& config) -> std::unique_ptr<Source> {
            // The field goes into the query as it is: a name, nothing that could change the query.
            const std::string field = config.options.get_or("created-field", "created");
            const bool is_name = !field.empty() && std::all_of(field.begin(), field.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
            });
            if (!is_name) {
                throw UsageError(config.origin + ": source " + config.name + ": --created-field \"" + field +
                                 "\" is not a field name (letters, digits, _ and .)");
            }
            return std::make_unique<RecordsSource>();
        },
    };
}

}  // namespace kpi
