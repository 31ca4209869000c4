#pragma once
// The parts of the report page. Each appends its HTML; every chart gets a page-unique id
// from ChartIds (ids are ours, never taken from point data).

#include <string>

#include "report/model.hpp"

namespace kpi::report {

class ChartIds {
public:
    std::string next() { return "chart-" + std::to_string(++count_); }

private:
    int count_ = 0;
};

// <figure>svg<figcaption>caption</figcaption></figure>; no caption element when empty.
void append_figure(std::string& out, const std::string& svg_markup, const std::string& caption);

// Totals, bar charts by country and by release, and the table of sites.
void append_survey_section(std::string& out, const ReportData& data, ChartIds& ids);

// Whether the data has anything for append_series_section to show.
bool has_series(const ReportData& data);

// One line chart per measurement and field over several passes (a success strip for
// kpi_run), and a table of the measurements seen in one pass only.
void append_series_section(std::string& out, const ReportData& data, ChartIds& ids);

}  // namespace kpi::report
