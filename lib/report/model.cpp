#include "report/model.hpp"

#include <algorithm>
#include <set>

#include "core/time.hpp"

namespace kpi::report {
namespace {

std::string tag_or_empty(const Point& point, std::string_view key) {
    const std::string* value = point.tag(key);
    return value ? *value : std::string();
}

std::string folded(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace

bool TagSetLess::operator()(const TagSet& a, const TagSet& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](const Tag& x, const Tag& y) {
        return x.key != y.key ? x.key < y.key : x.value < y.value;
    });
}

std::optional<double> numeric(const FieldValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&value)) return *d;
    if (const auto* b = std::get_if<bool>(&value)) return *b ? 1.0 : 0.0;
    return std::nullopt;
}

void ReportCollector::add(const Point& point) {
    // The reader stamps points that have no time with the moment they are read.
    const std::int64_t seconds = unix_seconds(point.time ? *point.time : now());
    ++data_.points;
    data_.first = std::min(data_.first.value_or(seconds), seconds);
    data_.last = std::max(data_.last.value_or(seconds), seconds);
    if (point.measurement == kSurveyMeasurement) add_site(point, seconds);

    Measurement& m = data_.measurements[point.measurement];
    m.name = point.measurement;
    m.times.push_back(seconds);
    for (const auto& field : point.fields) {
        if (auto v = numeric(field.value)) m.fields[field.key][point.tags].push_back({seconds, *v});
    }
}

void ReportCollector::add_site(const Point& point, std::int64_t seconds) {
    Site site;
    site.url = tag_or_empty(point, "url");
    site.name = tag_or_empty(point, "instance");
    if (site.name.empty()) site.name = site.url;
    site.country = tag_or_empty(point, "country");
    site.flavour = tag_or_empty(point, "flavour");
    site.version = tag_or_empty(point, "version");
    site.time = seconds;
    if (const FieldValue* up = point.field("up")) {
        if (auto v = numeric(*up)) site.up = *v != 0;
    }
    if (const FieldValue* records = point.field("records")) site.records = numeric(*records);
    if (const FieldValue* rt = point.field("response_time_seconds")) site.response_time_seconds = numeric(*rt);

    auto [it, inserted] = sites_.try_emplace({tag_or_empty(point, "instance"), site.url}, site);
    if (!inserted && it->second.time <= seconds) it->second = std::move(site);
}

ReportData ReportCollector::finish() {
    for (auto& [key, site] : sites_) data_.sites.push_back(std::move(site));
    sites_.clear();
    std::stable_sort(data_.sites.begin(), data_.sites.end(), [](const Site& a, const Site& b) {
        // Sites without a country go last, not first.
        if (a.country.empty() != b.country.empty()) return b.country.empty();
        if (a.country != b.country) return a.country < b.country;
        return folded(a.name) < folded(b.name);
    });
    for (auto& [name, m] : data_.measurements) {
        std::sort(m.times.begin(), m.times.end());
        m.times.erase(std::unique(m.times.begin(), m.times.end()), m.times.end());
        for (auto& [field, series] : m.fields) {
            for (auto& [tags, values] : series) {
                std::stable_sort(values.begin(), values.end(),
                                 [](const TimedValue& a, const TimedValue& b) { return a.seconds < b.seconds; });
                // At-least-once delivery may append a pass twice; the later copy wins.
                std::vector<TimedValue> unique;
                for (const auto& v : values) {
                    if (!unique.empty() && unique.back().seconds == v.seconds) {
                        unique.back() = v;
                    } else {
                        unique.push_back(v);
                    }
                }
                values = std::move(unique);
            }
        }
    }
    return std::move(data_);
}

}  // namespace kpi::report
