#include <algorithm>

#include "report/sections.hpp"
#include "report/survey.hpp"
#include "report/units.hpp"
#include "svg/charts.hpp"
#include "svg/markup.hpp"
#include "svg/numbers.hpp"
#include "svg/scale.hpp"

namespace kpi::report {
namespace {

using svg::append_escaped;

std::string percent_of(std::size_t part, std::size_t whole) {
    if (whole == 0) return "";
    return svg::format_number(100.0 * static_cast<double>(part) / static_cast<double>(whole), 0) + " %";
}

void append_total(std::string& out, const std::string& name, const std::string& value, const std::string& note) {
    out += "<div><dt>";
    append_escaped(out, name);
    out += "</dt><dd>";
    append_escaped(out, value);
    if (!note.empty()) {
        out += " <small>";
        append_escaped(out, note);
        out += "</small>";
    }
    out += "</dd></div>";
}

void append_totals(std::string& out, const std::vector<Site>& sites) {
    const SurveyTotals t = survey_totals(sites);
    out += "<dl class=\"totals\">";
    append_total(out, "Sites", svg::format_integer(static_cast<std::int64_t>(t.sites)), "");
    append_total(out, "Reachable", svg::format_integer(static_cast<std::int64_t>(t.reachable)),
                 percent_of(t.reachable, t.sites));
    append_total(out, "Recognised as Invenio", svg::format_integer(static_cast<std::int64_t>(t.recognised)), "");
    append_total(out, "Records", format_value(t.records, Unit::Count),
                 "from " + std::to_string(t.counted) + (t.counted == 1 ? " site" : " sites"));
    out += "</dl>";
}

svg::BarChart sites_chart(const std::string& id, const std::string& title, const std::vector<SurveyGroup>& groups) {
    svg::BarChart chart{.id = id, .title = title, .value_label = "sites", .segments = {"reachable", "not reachable"}};
    for (const auto& g : groups)
        chart.bars.push_back({g.label, {static_cast<double>(g.reachable), static_cast<double>(g.unreachable)}});
    return chart;
}

svg::BarChart records_chart(const std::string& id, const std::string& title, std::vector<SurveyGroup> groups,
                            bool by_size) {
    std::erase_if(groups, [](const SurveyGroup& g) { return g.records <= 0; });
    if (by_size) {
        std::stable_sort(groups.begin(), groups.end(),
                         [](const SurveyGroup& a, const SurveyGroup& b) { return a.records > b.records; });
    }
    const double largest = groups.empty() ? 0 : std::max_element(groups.begin(), groups.end(), [](auto& a, auto& b) {
                                                    return a.records < b.records;
                                                })->records;
    const DisplayUnit unit = display_unit(Unit::Count, largest);
    svg::BarChart chart{.id = id, .title = title,
                        .value_label = unit.name.empty() ? "records" : "records (" + unit.name + ")"};
    chart.format = [unit](double v) { return format_scaled(v, unit); };
    for (const auto& g : groups) chart.bars.push_back({g.label, {g.records / unit.divisor}});
    return chart;
}

std::string status_class(const Site& site) {
    if (!site.up) return "status-unknown";
    return *site.up ? "status-up" : "status-down";
}

std::string status_text(const Site& site) {
    if (!site.up) return "no data";
    if (!*site.up) return "not reachable";
    if (site.flavour.empty() || site.flavour == "unknown") return "up, not recognised";
    return "up";
}

bool is_web_url(const std::string& url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::string host_of(const std::string& url) {
    std::string host = url.substr(url.find("://") + 3);
    while (!host.empty() && host.back() == '/') host.pop_back();
    return host;
}

void append_cell(std::string& out, const std::string& text, const char* css_class = nullptr) {
    out += css_class ? std::string("<td class=\"") + css_class + "\">" : std::string("<td>");
    append_escaped(out, text);
    out += "</td>";
}

void append_site_table(std::string& out, const std::vector<Site>& sites) {
    out += "<table class=\"sites\"><caption>";
    append_escaped(out, std::to_string(sites.size()) + (sites.size() == 1 ? " site" : " sites") +
                            ", by country, then name. Records as each site counts them; response time of its "
                            "front page.");
    out += "</caption><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Country</th>"
           "<th scope=\"col\">Flavour</th><th scope=\"col\">Version</th><th scope=\"col\" class=\"num\">Records</th>"
           "<th scope=\"col\" class=\"num\">Response time</th><th scope=\"col\">Status</th></tr></thead><tbody>";
    for (const auto& site : sites) {
        out += "<tr><th scope=\"row\">";
        // Only web addresses become links: a `javascript:` URL from a survey list must not.
        if (is_web_url(site.url)) {
            out += "<a href=\"";
            append_escaped(out, site.url);
            out += "\">";
            append_escaped(out, site.name);
            out += "</a><span class=\"host\">";
            append_escaped(out, host_of(site.url));
            out += "</span>";
        } else {
            append_escaped(out, site.name);
            if (!site.url.empty() && site.url != site.name) {
                out += "<span class=\"host\">";
                append_escaped(out, site.url);
                out += "</span>";
            }
        }
        out += "</th>";
        append_cell(out, site.country);
        append_cell(out, site.flavour);
        append_cell(out, site.version);
        append_cell(out, site.records ? format_value(*site.records, Unit::Count) : "", "num");
        append_cell(out, site.response_time_seconds ? format_value(*site.response_time_seconds, Unit::Seconds) : "",
                    "num");
        const std::string css = status_class(site);
        append_cell(out, status_text(site), css.c_str());
        out += "</tr>";
    }
    out += "</tbody></table>";
}

}  // namespace

void append_survey_section(std::string& out, const ReportData& data, ChartIds& ids) {
    const std::vector<Site>& sites = data.sites;
    std::int64_t latest = 0;
    for (const auto& s : sites) latest = std::max(latest, s.time);

    out += "<section id=\"survey\" class=\"survey\"><h2>Survey of Invenio installations</h2><p class=\"meta\">";
    append_escaped(out, "The latest answer of each site, surveyed up to " + svg::format_utc_minute(latest) + ".");
    out += "</p>";
    append_totals(out, sites);

    const auto by_country = group_by_country(sites);
    const auto by_release = group_by_release(sites);
    append_figure(out, svg::bar_chart(sites_chart(ids.next(), "Sites by country", by_country)),
                  "Countries as the survey list gives them (ISO 3166 codes), most sites first.");
    append_figure(out, svg::bar_chart(records_chart(ids.next(), "Records by country", by_country, true)),
                  "Sum of the record counts of the sites of each country that gave one.");
    append_figure(out, svg::bar_chart(sites_chart(ids.next(), "Sites by flavour and version", by_release)),
                  "Flavour and version as each site shows them; InvenioRDM first, newest version first.");
    append_figure(out, svg::bar_chart(records_chart(ids.next(), "Records by flavour and version", by_release, false)),
                  "");
    out += "<h3>Sites</h3>";
    append_site_table(out, sites);
    out += "</section>";
}

}  // namespace kpi::report
