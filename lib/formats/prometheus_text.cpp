#include "formats/prometheus_text.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include "core/json_text.hpp"

namespace kpi {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string sanitise(std::string_view text, bool allow_colon) {
    std::string name;
    name.reserve(text.size() + 1);
    if (text.empty() || is_digit(text.front())) name.push_back('_');
    for (char c : text) {
        const bool ok = is_letter(c) || is_digit(c) || c == '_' || (allow_colon && c == ':');
        name.push_back(ok ? c : '_');
    }
    return name;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void append_help_text(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default: out.push_back(c);
        }
    }
}

}  // namespace

std::string prometheus_metric_name(std::string_view text) { return sanitise(text, true); }

std::string prometheus_gauge_name(std::string_view measurement, std::string_view field) {
    // `uptime` + `uptime_ratio_1d`: the field already says which measurement it is.
    const bool repeats = field == measurement ||
                         (field.size() > measurement.size() && field.substr(0, measurement.size()) == measurement &&
                          field[measurement.size()] == '_');
    std::string name = prometheus_metric_name(repeats ? std::string(field) : std::string(measurement) + "_" +
                                                                                 std::string(field));
    // Only counters end in _total, only histograms and summaries in _count, _sum, _bucket.
    for (bool dropped = true; dropped;) {
        dropped = false;
        for (std::string_view suffix : {"_total", "_count", "_sum", "_bucket"}) {
            if (ends_with(name, suffix) && name.size() > suffix.size()) {
                name.resize(name.size() - suffix.size());
                dropped = true;
            }
        }
    }
    return name;
}

std::string generic_field_description(std::string_view measurement, std::string_view field) {
    return "Field " + std::string(field) + " of measurement " + std::string(measurement) +
           " (kpi has no description of it)";
}

std::string prometheus_label_name(std::string_view text) {
    std::string name = sanitise(text, false);
    // Names starting with `__` are reserved for Prometheus itself (the Pushgateway refuses them).
    const auto underscores = name.find_first_not_of('_');
    if (underscores == std::string::npos) return "_";
    if (underscores > 1) name.erase(0, underscores - 1);
    return name;
}

void append_prometheus_label_value(std::string& out, std::string_view value) {
    out.push_back('"');
    for (char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out.push_back(c);
        }
    }
    out.push_back('"');
}

std::vector<std::size_t> PrometheusExposition::add(const Point& point) {
    std::vector<std::pair<std::string, const std::string*>> labels;
    for (const auto& tag : point.tags) {
        if (!tag.value.empty()) labels.emplace_back(prometheus_label_name(tag.key), &tag.value);
    }
    std::sort(labels.begin(), labels.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    const bool collide = std::adjacent_find(labels.begin(), labels.end(), [](const auto& a, const auto& b) {
                             return a.first == b.first;
                         }) != labels.end();
    if (collide) {
        ++notes_["point of \"" + point.measurement +
                 "\" left out: two of its tags have the same Prometheus label name"];
        return {};
    }

    std::string label_text;
    if (!labels.empty()) {
        label_text.push_back('{');
        for (const auto& [name, value] : labels) {
            if (label_text.size() > 1) label_text.push_back(',');
            label_text += name;
            label_text.push_back('=');
            append_prometheus_label_value(label_text, *value);
        }
        label_text.push_back('}');
    }

    std::vector<std::size_t> touched;
    for (const auto& field : point.fields) {
        PrometheusSample sample{label_text, {}};
        if (!append_numeric_value(sample.value, field.value)) {
            ++notes_["string field \"" + field.key + "\" of \"" + point.measurement +
                     "\" left out (Prometheus values are numbers)"];
            continue;
        }
        PrometheusFamily family{prometheus_gauge_name(point.measurement, field.key), {}, {}};
        const std::string& name = family.name;
        if (!family_index_.count(name)) family.help = describe_(point.measurement, field.key);
        if (put(family, std::move(sample))) {
            ++notes_["sample of \"" + name + "\" replaced by a later point with the same labels"];
        }
        const std::size_t index = family_index_.find(name)->second;
        if (std::find(touched.begin(), touched.end(), index) == touched.end()) touched.push_back(index);
    }
    return touched;
}

bool PrometheusExposition::put(const PrometheusFamily& of, PrometheusSample sample) {
    auto [family_it, new_family] = family_index_.try_emplace(of.name, families_.size());
    if (new_family) {
        families_.push_back(PrometheusFamily{of.name, of.help, {}});
        sample_index_.emplace_back();
    }
    auto& family = families_[family_it->second];
    auto& index = sample_index_[family_it->second];
    auto [sample_it, new_sample] = index.try_emplace(sample.labels, family.samples.size());
    if (new_sample) {
        family.samples.push_back(std::move(sample));
        return false;
    }
    family.samples[sample_it->second] = std::move(sample);
    return true;
}

void PrometheusExposition::merge(const PrometheusExposition& later) {
    for (const auto& family : later.families_) add_family(family);
}

void PrometheusExposition::add_family(const PrometheusFamily& later) {
    for (const auto& sample : later.samples) put(later, sample);
}

const PrometheusFamily* PrometheusExposition::find(std::string_view name) const {
    auto it = family_index_.find(name);
    return it == family_index_.end() ? nullptr : &families_[it->second];
}

void PrometheusExposition::take_notes(std::vector<std::string>* notes) {
    if (notes) {
        for (const auto& [note, count] : notes_) {
            notes->push_back(count == 1 ? note : note + " (" + std::to_string(count) + " times)");
        }
    }
    notes_.clear();
}

void append_prometheus_family(std::string& out, const PrometheusFamily& family) {
    out += "# HELP ";
    out += family.name;
    out.push_back(' ');
    append_help_text(out, family.help);
    out += "\n# TYPE ";
    out += family.name;
    out += " gauge\n";
    for (const auto& sample : family.samples) {
        out += family.name;
        out += sample.labels;
        out.push_back(' ');
        out += sample.value;
        out.push_back('\n');
    }
}

std::string to_prometheus_text(std::span<const PrometheusFamily> families) {
    std::string out;
    for (const auto& family : families) append_prometheus_family(out, family);
    return out;
}

std::string to_prometheus_text(const std::vector<Point>& points, std::vector<std::string>* notes,
                               const FieldDescriber& describe) {
    PrometheusExposition exposition(describe);
    for (const auto& point : points) exposition.add(point);
    exposition.take_notes(notes);
    return to_prometheus_text(exposition.families());
}

}  // namespace kpi
