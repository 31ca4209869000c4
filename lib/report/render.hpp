#pragma once
// The report as one self-contained HTML page: inline CSS and SVG, no script, nothing
// fetched from the network (a Content-Security-Policy says so to the browser), readable
// offline and printable.

#include <cstddef>
#include <cstdint>
#include <string>

#include "report/model.hpp"

namespace kpi::report {

struct PageInfo {
    std::string title = "KPI report";
    std::string input_name;        // "stdin" or the file name, shown in the header
    std::size_t bad_lines = 0;     // input lines that were not points, noted in the header
    std::int64_t written_at = 0;   // seconds since the epoch
};

std::string render_report(const ReportData& data, const PageInfo& page);

}  // namespace kpi::report
