#pragma once
// The chart writer: bar charts, line charts over time and success strips, each written as
// one self-contained inline <svg> (no script, no external font or image). Every chart has
// a visible title, axis labels, and a <title>/<desc> text alternative; series differ in
// lightness, dash pattern and marker as well as hue, so they survive greyscale printing.
// All text is escaped: labels come from points, and points from remote services.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kpi::svg {

// Writes a value for people, e.g. `1,234` or `625 ms`.
using ValueFormat = std::function<std::string(double)>;

// The default ValueFormat: three significant digits, thousands separated.
std::string plain_value(double value);

// Horizontal bars, one per category, optionally split into stacked segments.
struct Bar {
    std::string label;
    std::vector<double> segments;  // one value per BarChart::segments entry, stacked left to right
};

struct BarChart {
    std::string id;                     // unique in the page; prefixes the ids inside the SVG
    std::string title;
    std::string value_label;            // the value axis, e.g. "sites"
    std::vector<std::string> segments;  // the segments' names; a legend when more than one
    std::vector<Bar> bars;              // drawn in this order, top to bottom
    ValueFormat format = plain_value;
};

std::string bar_chart(const BarChart& chart);

// Lines over time: one per series, x is UTC time, y a value already in the axis's unit.
struct TimedValue {
    std::int64_t seconds;  // since the epoch
    double value;
};

struct LineSeries {
    std::string label;
    std::vector<TimedValue> values;  // sorted by time
    // Which series_style to draw it in, so the same subject looks the same in every chart;
    // by default its position. Styles repeat after series_style_count().
    std::optional<std::size_t> style;
};

struct LineChart {
    std::string id;
    std::string title;
    std::string y_label;                 // e.g. "response time (ms)"
    std::string x_label = "time (UTC)";
    std::vector<LineSeries> series;
    ValueFormat format = plain_value;    // for tick labels and the text alternative
};

std::string line_chart(const LineChart& chart);

// One row per subject, one cell per time: succeeded, failed, or no data.
struct StripRow {
    std::string label;
    std::vector<std::optional<bool>> cells;  // one per StripChart::times entry
};

struct StripChart {
    std::string id;
    std::string title;
    std::vector<std::int64_t> times;  // sorted, distinct, seconds since the epoch
    std::vector<StripRow> rows;
};

std::string strip_chart(const StripChart& chart);

}  // namespace kpi::svg
