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


}  // namespace

std::string prometheus_metric_name(std::string_view text) { return sanitise(text, true); }

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
        const std::string name = prometheus_metric_name(point.measurement + "_" + field.key);
        if (put(name, std::move(sample))) {
            ++notes_["sample of \"" + name + "\" replaced by a later point with the same labels"];
        }
        const std::size_t index = family_index_.find(name)->second;
        if (std::find(touched.begin(), touched.end(), index) == touched.end()) touched.push_back(index);
    }
    return touched;
}

bool PrometheusExposition::put(const std::string& family_name, PrometheusSample sample) {
    auto [family_it, new_family] = family_index_.try_emplace(family_name, families_.size());
    if (new_family) {
        families_.push_back(PrometheusFamily{family_name, {}});
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
    for (const auto& sample : later.samples) put(later.name, sample);
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
    out += "# TYPE ";
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

std::string to_prometheus_text(const std::vector<Point>& points, std::vector<std::string>* notes) {
    PrometheusExposition exposition;
    for (const auto& point : points) exposition.add(point);
    exposition.take_notes(notes);
    return to_prometheus_text(exposition.families());
}

}  // namespace kpi
