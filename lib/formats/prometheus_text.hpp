#pragma once
// The Prometheus text exposition format (version 0.0.4), as the Pushgateway and
// node_exporter's textfile collector read it (DESIGN §5).
//
// Each numeric field becomes a gauge named `<measurement>_<field>`, the tags its labels.
// - A field that begins with the measurement's name does not repeat it (`uptime` +
//   `uptime_ratio_1d` is `uptime_ratio_1d`), and a gauge never ends in a suffix Prometheus
//   reserves for other types (`_total` for counters; `_count`, `_sum`, `_bucket` for
//   histograms and summaries): the suffix is dropped, leaving the plain noun of a count
//   (`records` + `total` is `records`). `promtool check metrics` then has nothing to say.
// - Every family has `# HELP`, from the describer (the field's declared description).
// - Names are sanitised to [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no `:`); other characters
//   become `_` and a leading digit gets a `_` in front.
// - Booleans are 1 and 0; integers are written as integers, floats in their shortest form.
// - String fields have no Prometheus value: they are left out, with a note.
// - An empty tag value is the same as no label in Prometheus, so it is not written.
// - No timestamps: the Pushgateway refuses pushed timestamps and the textfile collector
//   ignores them; Prometheus stamps each sample when it scrapes.
// - One sample per metric name and label set: when points repeat one, the last wins
//   (Prometheus refuses duplicates), keeping the place where it first appeared.
// - Samples are grouped by metric name under one `# TYPE <name> gauge` line, families and
//   samples in the order they first appeared.

#include <cstddef>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi {

std::string prometheus_metric_name(std::string_view text);
// The gauge of one field, by the conventions above: ("records", "total") -> "records".
std::string prometheus_gauge_name(std::string_view measurement, std::string_view field);

// The HELP text of a field: its description. The default describer says only where it came from.
using FieldDescriber = std::function<std::string(std::string_view measurement, std::string_view field)>;
std::string generic_field_description(std::string_view measurement, std::string_view field);
std::string prometheus_label_name(std::string_view text);
// Appends `"value"` with backslash, double quote and newline escaped.
void append_prometheus_label_value(std::string& out, std::string_view value);

struct PrometheusSample {
    std::string labels;  // `{monitor="Website",service="zenodo"}`, or empty; identifies the sample
    std::string value;   // `1`, `0.9996`
    bool operator==(const PrometheusSample&) const = default;
};

// All samples of one metric name.
struct PrometheusFamily {
    std::string name;
    std::string help;  // the first field's description that made the family
    std::vector<PrometheusSample> samples;
    bool operator==(const PrometheusFamily&) const = default;
};

// Families built from points, ready to be written whole or in parts (a Pushgateway push
// replaces whole families, so a batch is only ever split between families).
class PrometheusExposition {
public:
    explicit PrometheusExposition(FieldDescriber describe = generic_field_description)
        : describe_(std::move(describe)) {}

    // Adds the point's numeric fields. Returns the indexes of the families it touched.
    std::vector<std::size_t> add(const Point& point);
    // Takes in every sample of `later`; its samples win over equal ones here.
    void merge(const PrometheusExposition& later);
    void add_family(const PrometheusFamily& later);

    const std::vector<PrometheusFamily>& families() const { return families_; }
    const PrometheusFamily* find(std::string_view name) const;
    bool empty() const { return families_.empty(); }

    // Appends what was left out while adding, one line per kind of omission with a count.
    void take_notes(std::vector<std::string>* notes);

private:
    // Adds or replaces the sample; true when it replaced one.
    bool put(const PrometheusFamily& family, PrometheusSample sample);

    FieldDescriber describe_;
    std::vector<PrometheusFamily> families_;
    std::map<std::string, std::size_t, std::less<>> family_index_;
    // family index -> (labels -> sample index)
    std::vector<std::map<std::string, std::size_t>> sample_index_;
    std::map<std::string, std::size_t> notes_;  // note -> how many times
};

// Appends one family: its HELP and TYPE lines and its samples.
void append_prometheus_family(std::string& out, const PrometheusFamily& family);
std::string to_prometheus_text(std::span<const PrometheusFamily> families);

// The exposition of `points`; `notes` (may be null) gets what was left out and why.
std::string to_prometheus_text(const std::vector<Point>& points, std::vector<std::string>* notes,
                               const FieldDescriber& describe = generic_field_description);

}  // namespace kpi
