#include "sources/json.hpp"

#include "core/errors.hpp"
#include "http/json_response.hpp"

namespace kpi {
namespace {

class JsonSource : public Source {
public:
    void start(SourceRun& run) override {
        const auto& o = run.options();
        const auto fields = o.key_values("field");
        run.http().submit(run.request(*o.get("url")), [&run, fields](HttpResponse&& response) {
            run.mark_activity();
            simdjson::dom::parser parser;
            std::string error;
            auto root = parse_json_response(response, parser, error);
            if (!root) {
                run.fail(error);
                return;
            }
            Point p;
            p.measurement = "json";
            for (const auto& [name, pointer] : fields) {
                simdjson::dom::element value;
                if (root->at_pointer(pointer).get(value)) {
                    run.fail(response.url + ": field " + name + ": nothing at " + pointer);
                    continue;
                }
                if (value.is_bool()) {
                    p.set_field(name, value.get_bool().value_unsafe());
                } else if (value.is_string()) {
                    p.set_field(name, std::string(value.get_string().value_unsafe()));
                } else if (auto number = json_number(value)) {
                    p.set_field(name, *number);
                } else {
                    run.fail(response.url + ": field " + name + ": the value at " + pointer +
                             " is not a number, boolean or string");
                }
            }
            run.emit(std::move(p));
        });
    }
};

}  // namespace

SourceInfo json_source() {
    return SourceInfo{
        .type = "json",
        .summary = "any JSON endpoint: one field per --field NAME=/json/pointer",
        .description =
            "Fetches --url and reads each --field NAME=POINTER, where POINTER is an RFC 6901 JSON pointer such as "
            "/hits/total or /aggregations/size/value. Integers stay integers. The measurement is json unless "
            "--measurement names another. A pointer that finds nothing fails the source; the other fields are "
            "still emitted.",
        .options =
            {
                {.name = "url", .kind = OptionKind::String, .help = "the JSON endpoint", .placeholder = "URL",
                 .required = true},
                {.name = "field", .kind = OptionKind::KeyValue, .help = "a field and where to read it (repeatable)",
                 .placeholder = "NAME=/json/pointer", .repeatable = true, .required = true},
            },
        .example = "kpi collect json --url https://zenodo.org/api/records?size=1 --field total=/hits/total "
                   "--measurement zenodo",
        .fields = {},  // the user names them with --field: their HELP is generic
        .make = [](const SourceConfig& c) -> std::unique_ptr<Source> {
            for (const auto& [name, pointer] : c.options.key_values("field")) {
                if (!pointer.empty() && pointer[0] != '/') {
                    throw UsageError(c.origin + ": --field " + name + "=" + pointer +
                                     ": a JSON pointer starts with / (e.g. /hits/total)");
                }
            }
            return std::make_unique<JsonSource>();
        },
    };
}

}  // namespace kpi
