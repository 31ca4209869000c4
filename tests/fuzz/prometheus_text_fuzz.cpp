// Property: the Prometheus exposition of any points is valid text (support/prometheus_reader)
// that holds, family by family in the order of first appearance, the gauge of every numeric
// field as DESIGN §5 names it: `<measurement>_<field>` (or the field alone when it already
// begins with the measurement's name), sanitised, less a trailing `_total`, `_count`, `_sum`
// or `_bucket` (counters', histograms' and summaries' suffixes, never a gauge's); the
// non-empty tags as labels, booleans 1 and 0, the last sample of a series winning; string
// fields and points whose tags share a label name are left out.

#include <algorithm>
#include <cstdint>
#include <variant>

#include "formats/prometheus_text.hpp"
#include "support/fuzz_points.hpp"
#include "support/prometheus_reader.hpp"

namespace {

using kpi::fuzz::ExpositionFamily;
using kpi::fuzz::ExpositionSample;

// [a-zA-Z_:][a-zA-Z0-9_:]* (labels without `:`), other bytes `_`, `_` before a leading digit.
std::string sanitised(std::string_view text, bool colon) {
    std::string out = text.empty() || (text[0] >= '0' && text[0] <= '9') ? "_" : "";
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        (colon && c == ':');
        out.push_back(ok ? c : '_');
    }
    return out;
}

// Prometheus reserves label names starting with `__`: leading underscores become one.
std::string label_name(std::string_view text) {
    std::string name = sanitised(text, false);
    const auto first = name.find_first_not_of('_');
    return first == std::string::npos ? "_" : name.substr(first == 0 ? 0 : first - 1);
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string gauge_name(const std::string& measurement, const std::string& field) {
    const bool prefixed = field == measurement || field.rfind(measurement + "_", 0) == 0;
    std::string name = sanitised(prefixed ? field : measurement + "_" + field, true);
    for (bool again = true; again;) {
        again = false;
        for (const std::string suffix : {"_total", "_count", "_sum", "_bucket"}) {
            if (ends_with(name, suffix)) {
                name.resize(name.size() - suffix.size());
                again = true;
            }
        }
    }
    return name;
}

std::vector<ExpositionFamily> expected_families(const std::vector<kpi::Point>& points) {
    std::vector<ExpositionFamily> families;
    for (const auto& point : points) {
        ExpositionSample labels;
        for (const auto& tag : point.tags) {
            if (!tag.value.empty()) labels.labels.emplace_back(label_name(tag.key), tag.value);
        }
        std::sort(labels.labels.begin(), labels.labels.end());
        if (std::adjacent_find(labels.labels.begin(), labels.labels.end(), [](const auto& a, const auto& b) {
                return a.first == b.first;
            }) != labels.labels.end()) {
            continue;
        }
        for (const auto& field : point.fields) {
            ExpositionSample sample = labels;
            if (const auto* i = std::get_if<std::int64_t>(&field.value)) {
                sample.value = static_cast<double>(*i);
            } else if (const auto* d = std::get_if<double>(&field.value)) {
                sample.value = *d;
            } else if (const auto* b = std::get_if<bool>(&field.value)) {
                sample.value = *b ? 1 : 0;
            } else {
                continue;
            }
            const std::string name = gauge_name(point.measurement, field.key);
            auto family = std::find_if(families.begin(), families.end(), [&](const auto& f) { return f.name == name; });
            if (family == families.end()) family = families.insert(families.end(), ExpositionFamily{name, "gauge", {}});
            auto same = std::find_if(family->samples.begin(), family->samples.end(),
                                     [&](const auto& s) { return s.labels == sample.labels; });
            if (same == family->samples.end()) {
                family->samples.push_back(std::move(sample));
            } else {
                *same = std::move(sample);
            }
        }
    }
    return families;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kpi;
    const auto points = fuzz::points_from_bytes(data, size);
    const std::string text = to_prometheus_text(points, nullptr);
    std::string error;
    const auto read = fuzz::read_prometheus_text(text, error);
    if (!read) fuzz::property_failed("prometheus", "does not parse: " + error, points, text);
    if (*read != expected_families(points)) fuzz::property_failed("prometheus", "other samples than expected", points, text);
    return 0;
}
