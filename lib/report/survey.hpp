#pragma once
// The survey of Invenio installations summed up: totals, and sites and records grouped by
// country and by release (flavour and version).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "report/model.hpp"

namespace kpi::report {

struct SurveyTotals {
    std::size_t sites = 0;
    std::size_t reachable = 0;   // `up` 1
    std::size_t recognised = 0;  // reachable with a flavour other than `unknown`
    std::size_t counted = 0;     // sites that gave a record count
    double records = 0;          // their sum
};

SurveyTotals survey_totals(const std::vector<Site>& sites);

struct SurveyGroup {
    std::string label;
    std::size_t reachable = 0;
    std::size_t unreachable = 0;  // `up` 0 or unknown
    double records = 0;
};

// Most sites first, then by name; sites without a country under "unknown".
std::vector<SurveyGroup> group_by_country(const std::vector<Site>& sites);

// By flavour (InvenioRDM first, `unknown` last), then version, newest first.
std::vector<SurveyGroup> group_by_release(const std::vector<Site>& sites);

// `inveniordm 13.0`, or the flavour alone when the site shows no version.
std::string release_label(const Site& site);

// `-1`, `0`, `1` comparing dotted versions number by number: 1.10 is newer than 1.9.
int compare_versions(const std::string& a, const std::string& b);

}  // namespace kpi::report
