#include <algorithm>
#include <cmath>
#include <set>

#include "report/sections.hpp"
#include "report/units.hpp"
#include "svg/charts.hpp"
#include "svg/frame.hpp"
#include "svg/markup.hpp"
#include "svg/scale.hpp"

namespace kpi::report {
namespace {

using svg::append_escaped;
using SeriesMap = std::map<TagSet, std::vector<TimedValue>, TagSetLess>;

std::string join_tags(const TagSet& tags, const std::set<std::string>& keys) {
    std::string text;
    for (const auto& tag : tags) {
        if (!keys.contains(tag.key)) continue;
        text += (text.empty() ? "" : ", ") + tag.key + "=" + tag.value;
    }
    return text;
}

// Tags that differ between the lines of one chart name the lines; tags every line shares
// go once into the caption instead of into every legend entry.
struct TagSplit {
    std::set<std::string> varying;
    std::set<std::string> shared;
};

TagSplit split_tags(const SeriesMap& series) {
    std::map<std::string, std::set<std::string>> values;
    std::map<std::string, std::size_t> present;
    for (const auto& [tags, v] : series) {
        for (const auto& tag : tags) {
            values[tag.key].insert(tag.value);
            ++present[tag.key];
        }
    }
    TagSplit split;
    for (const auto& [key, vals] : values) {
        (vals.size() == 1 && present[key] == series.size() ? split.shared : split.varying).insert(key);
    }
    return split;
}

std::string series_label(const TagSet& tags, const TagSplit& split, const std::string& fallback) {
    std::string label = join_tags(tags, split.varying);
    return label.empty() ? fallback : label;
}

std::string passes_text(const Measurement& m) {
    return std::to_string(m.times.size()) + " passes from " + svg::format_utc_minute(m.times.front()) + " to " +
           svg::format_utc_minute(m.times.back());
}

// Each tag set of a measurement keeps one style across the measurement's charts.
using StyleIndex = std::map<TagSet, std::size_t, TagSetLess>;

StyleIndex style_index(const Measurement& m) {
    StyleIndex index;
    for (const auto& [field, series] : m.fields)
        for (const auto& [tags, values] : series) index.try_emplace(tags, 0);
    std::size_t next = 0;
    for (auto& [tags, i] : index) i = next++;
    return index;
}

void append_field_chart(std::string& out, const Measurement& m, const std::string& field, const SeriesMap& series,
                        const StyleIndex& styles, ChartIds& ids) {
    const TagSplit split = split_tags(series);
    struct Line {
        std::string label;
        const std::vector<TimedValue>* values;
        std::size_t style;
    };
    std::vector<Line> lines;
    for (const auto& [tags, values] : series)
        lines.push_back({series_label(tags, split, m.name), &values, styles.at(tags)});
    // Largest latest value first, so the legend reads top to bottom like the lines' ends.
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return a.values->back().value > b.values->back().value; });
    // Beyond the distinct styles lines could no longer be told apart: they are named instead.
    std::vector<std::string> left_out;
    while (lines.size() > svg::series_style_count()) {
        left_out.insert(left_out.begin(), lines.back().label);
        lines.pop_back();
    }

    const Unit unit = unit_of_field(field);
    double largest = 0;
    for (const auto& line : lines)
        for (const auto& v : *line.values) largest = std::max(largest, std::fabs(v.value));
    const DisplayUnit display = display_unit(unit, largest);

    svg::LineChart chart{.id = ids.next(), .title = m.name + ": " + field,
                         .y_label = display.name.empty() ? field : field + " (" + display.name + ")"};
    chart.format = [display](double v) { return format_scaled(v, display); };
    // The measurement-wide styles, unless two of the drawn lines would share one.
    std::set<std::size_t> distinct;
    for (const auto& line : lines) distinct.insert(line.style % svg::series_style_count());
    const bool keep_styles = distinct.size() == lines.size();
    for (const auto& line : lines) {
        svg::LineSeries s{.label = line.label};
        if (keep_styles) s.style = line.style;
        for (const auto& v : *line.values) s.values.push_back({v.seconds, v.value / display.divisor});
        chart.series.push_back(std::move(s));
    }

    std::string caption;
    const std::string shared = series.empty() ? "" : join_tags(series.begin()->first, split.shared);
    if (!shared.empty()) caption += (lines.size() == 1 ? "Tags: " : "All lines: ") + shared + ".";
    if (!left_out.empty()) {
        caption += (caption.empty() ? "" : " ") + std::to_string(left_out.size()) +
                   " more not drawn (smallest latest values): ";
        for (std::size_t i = 0; i < left_out.size(); ++i) caption += (i ? "; " : "") + left_out[i];
        caption += ".";
    }
    append_figure(out, svg::line_chart(chart), caption);
}

// kpi_run's `success` per source and pass (DESIGN §4): which sources failed, and when.
void append_run_strip(std::string& out, const Measurement& m, const SeriesMap& success, ChartIds& ids) {
    const TagSplit split = split_tags(success);
    svg::StripChart chart{.id = ids.next(), .title = "kpi_run: success per source", .times = m.times};
    for (const auto& [tags, values] : success) {
        svg::StripRow row;
        const std::string* source = nullptr;
        for (const auto& tag : tags)
            if (tag.key == "source") source = &tag.value;
        row.label = source ? *source : series_label(tags, split, m.name);
        row.cells.assign(m.times.size(), std::nullopt);
        for (const auto& v : values) {
            const auto at = std::lower_bound(m.times.begin(), m.times.end(), v.seconds);
            row.cells[static_cast<std::size_t>(at - m.times.begin())] = v.value != 0;
        }
        chart.rows.push_back(std::move(row));
    }
    std::stable_sort(chart.rows.begin(), chart.rows.end(),
                     [](const svg::StripRow& a, const svg::StripRow& b) { return a.label < b.label; });
    append_figure(out, svg::strip_chart(chart), "One row per source, one cell per run-all pass.");
}

void append_measurement(std::string& out, const Measurement& m, ChartIds& ids) {
    out += "<section class=\"measurement\"><h3>";
    append_escaped(out, m.name);
    out += "</h3><p class=\"meta\">";
    append_escaped(out, passes_text(m) + ".");
    out += "</p>";
    const bool is_run = m.name == kRunMeasurement;
    if (is_run) {
        if (auto it = m.fields.find("success"); it != m.fields.end()) append_run_strip(out, m, it->second, ids);
    }
    const StyleIndex styles = style_index(m);
    for (const auto& [field, series] : m.fields) {
        if (is_run && field == "success") continue;
        append_field_chart(out, m, field, series, styles, ids);
    }
    out += "</section>";
}

void append_single_pass_table(std::string& out, const std::vector<const Measurement*>& measurements) {
    out += "<section id=\"single-pass\"><h2>Values from a single pass</h2>"
           "<p class=\"meta\">Measurements seen at one time only: too few passes for a line.</p>"
           "<table class=\"values\"><thead><tr><th scope=\"col\">Measurement</th><th scope=\"col\">Tags</th>"
           "<th scope=\"col\">Field</th><th scope=\"col\" class=\"num\">Value</th><th scope=\"col\">Time</th>"
           "</tr></thead><tbody>";
    for (const Measurement* m : measurements) {
        for (const auto& [field, series] : m->fields) {
            for (const auto& [tags, values] : series) {
                std::set<std::string> all;
                for (const auto& tag : tags) all.insert(tag.key);
                out += "<tr><td>";
                append_escaped(out, m->name);
                out += "</td><td>";
                append_escaped(out, join_tags(tags, all));
                out += "</td><td>";
                append_escaped(out, field);
                out += "</td><td class=\"num\">";
                append_escaped(out, format_value(values.back().value, unit_of_field(field)));
                out += "</td><td>";
                append_escaped(out, svg::format_utc_minute(values.back().seconds));
                out += "</td></tr>";
            }
        }
    }
    out += "</tbody></table></section>";
}

bool charted(const Measurement& m) { return m.times.size() > 1 && !m.fields.empty(); }
bool single_pass(const Measurement& m) { return m.times.size() == 1 && m.name != kSurveyMeasurement; }

}  // namespace

bool has_series(const ReportData& data) {
    return std::any_of(data.measurements.begin(), data.measurements.end(),
                       [](const auto& entry) { return charted(entry.second) || single_pass(entry.second); });
}

void append_series_section(std::string& out, const ReportData& data, ChartIds& ids) {
    std::vector<const Measurement*> over_time, once;
    for (const auto& [name, m] : data.measurements) {
        if (charted(m)) over_time.push_back(&m);
        if (single_pass(m) && !m.fields.empty()) once.push_back(&m);
    }
    // The harvest's own health first: it explains gaps in everything after it.
    std::stable_partition(over_time.begin(), over_time.end(),
                          [](const Measurement* m) { return m->name == kRunMeasurement; });
    out += "<div id=\"series\">";
    if (!over_time.empty()) {
        out += "<section id=\"time-series\"><h2>Time series</h2><p class=\"meta\">";
        append_escaped(out, std::to_string(over_time.size()) +
                                (over_time.size() == 1 ? " measurement" : " measurements") +
                                " over several passes: one chart per field, one line per tag set. Times in UTC.");
        out += "</p>";
        for (const Measurement* m : over_time) append_measurement(out, *m, ids);
        out += "</section>";
    }
    if (!once.empty()) append_single_pass_table(out, once);
    out += "</div>";
}

}  // namespace kpi::report
