#pragma once
// What a report shows, gathered from points as they are read: the latest survey of Invenio
// installations (measurement `invenio_instance`, DESIGN §4) and every measurement's numeric
// fields over time, one series per tag set.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/point.hpp"

namespace kpi::report {

inline constexpr const char* kSurveyMeasurement = "invenio_instance";
inline constexpr const char* kRunMeasurement = "kpi_run";

// One surveyed site as its latest point describes it.
struct Site {
    std::string name;  // tag `instance`, or the url when there is none
    std::string url;
    std::string country;
    std::string flavour;
    std::string version;
    std::optional<bool> up;
    std::optional<double> records;
    std::optional<double> response_time_seconds;
    std::int64_t time = 0;  // seconds since the epoch
};

struct TimedValue {
    std::int64_t seconds;
    double value;
};

using TagSet = std::vector<Tag>;  // sorted by key, as in Point

struct TagSetLess {
    bool operator()(const TagSet& a, const TagSet& b) const;
};

// One measurement: each numeric field's values per tag set, and the passes (distinct times).
struct Measurement {
    std::string name;
    // Sorted by time once finished, one value per time (a point delivered twice counts once).
    std::map<std::string, std::map<TagSet, std::vector<TimedValue>, TagSetLess>> fields;
    std::vector<std::int64_t> times;  // sorted, distinct
};

struct ReportData {
    std::vector<Site> sites;  // the latest point of each site, in reading order (country, name)
    std::map<std::string, Measurement> measurements;
    std::size_t points = 0;
    std::optional<std::int64_t> first, last;  // the time span of all points
};

// Gathers points one at a time (memory grows with the numbers kept, not with line lengths).
class ReportCollector {
public:
    void add(const Point& point);
    ReportData finish();

private:
    void add_site(const Point& point, std::int64_t seconds);

    ReportData data_;
    std::map<std::pair<std::string, std::string>, Site> sites_;  // by (instance, url)
};

// A field value as a number: integers and floats as they are, booleans 1/0; nullopt for strings.
std::optional<double> numeric(const FieldValue& value);

}  // namespace kpi::report
