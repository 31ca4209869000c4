#include "report/render.hpp"

#include "core/version.hpp"
#include "report/page_style.hpp"
#include "report/sections.hpp"
#include "svg/markup.hpp"
#include "svg/numbers.hpp"
#include "svg/scale.hpp"

namespace kpi::report {
namespace {

using svg::append_escaped;

// Defence in depth behind the escaping: even injected markup could neither run a script
// nor fetch anything. Styles are inline, images none.
constexpr const char* kContentPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

void append_header(std::string& out, const ReportData& data, const PageInfo& page) {
    out += "<header><h1>";
    append_escaped(out, page.title);
    out += "</h1><p class=\"meta\">";
    std::string summary = svg::format_integer(static_cast<std::int64_t>(data.points)) +
                          (data.points == 1 ? " point" : " points") + " from " + page.input_name;
    if (data.first) {
        summary += data.first == data.last ? ", at " + svg::format_utc_minute(*data.first)
                                           : ", " + svg::format_utc_minute(*data.first) + " to " +
                                                 svg::format_utc_minute(*data.last);
    }
    summary += ". Written by kpi " + std::string(kVersion) + " at " + svg::format_utc_minute(page.written_at) + ".";
    append_escaped(out, summary);
    out += "</p>";
    if (page.bad_lines > 0) {
        out += "<p class=\"warning\">";
        append_escaped(out, std::to_string(page.bad_lines) +
                                (page.bad_lines == 1 ? " input line was not a valid point and is"
                                                     : " input lines were not valid points and are") +
                                " left out; kpi report named them on stderr.");
        out += "</p>";
    }
}

}  // namespace

std::string render_report(const ReportData& data, const PageInfo& page) {
    const bool survey = !data.sites.empty();
    const bool series = has_series(data);

    std::string out;
    out.reserve(64 * 1024);
    out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    out += kContentPolicy;
    out += "\"><meta name=\"generator\" content=\"kpi ";
    out += kVersion;
    out += "\"><title>";
    append_escaped(out, page.title);
    out += "</title><style>";
    out += kPageStyle;
    out += "</style></head>\n<body>";
    append_header(out, data, page);
    if (survey && series) {
        out += "<nav><ul><li><a href=\"#survey\">Survey of Invenio installations</a></li>"
               "<li><a href=\"#series\">Time series and other measurements</a></li></ul></nav>";
    }
    out += "</header>\n<main>";
    ChartIds ids;
    if (survey) append_survey_section(out, data, ids);
    if (series) append_series_section(out, data, ids);
    if (!survey && !series) out += "<p class=\"empty\">No points to show.</p>";
    out += "</main>\n</body></html>\n";
    return out;
}

}  // namespace kpi::report
