#include "sources/json/json.hpp"

#include <memory>

#include "http/json_response.hpp"
#include "sources/json/json_fields.hpp"

namespace kpi {
namespace {

struct JsonSettings {
    std::string url;
    std::vector<JsonField> fields;
};

const SettingsSchema<JsonSettings>& json_schema() {
    static const auto schema =
        SettingsSchema<JsonSettings>{}
            .add(&JsonSettings::url, url_option({}, "the JSON endpoint"))
            .add(&JsonSettings::fields,
                 {.name = "field", .kind = OptionKind::KeyValue, .help = "a field and where to read it (repeatable)",
                  .placeholder = "NAME=/json/pointer", .required = true},
                 parse_json_field);
    return schema;
}

class JsonSource : public Source {
public:
    explicit JsonSource(JsonSettings settings) : settings_(std::move(settings)) {}

    void start(SourceRun& run) override {
        run.http().submit(run.request(settings_.url), [&run, fields = settings_.fields](HttpResponse&& response) {
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
            for (const auto& problem : extract_json_fields(*root, fields, p)) run.fail(response.url + ": " + problem);
            run.emit(std::move(p));
        });
    }

private:
    JsonSettings settings_;
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
        .options = json_schema().specs(),
        .example = "kpi collect json --url https://zenodo.org/api/records?size=1 --field total=/hits/total "
                   "--measurement zenodo",
        .fields = {},  // the user names them with --field: their HELP is generic
        .make = make_source(json_schema(),
                            [](JsonSettings settings) { return std::make_unique<JsonSource>(std::move(settings)); }),
    };
}

}  // namespace kpi
