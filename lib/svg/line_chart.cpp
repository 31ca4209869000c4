// Lines over time. A series that misses passes is drawn with a gap, not bridged, so an
// outage of the harvest does not look like a steady value.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "svg/charts.hpp"
#include "svg/frame.hpp"
#include "svg/markup.hpp"
#include "svg/scale.hpp"

namespace kpi::svg {
namespace {

constexpr double kPlotHeight = 220;
constexpr double kTop = 40;
constexpr double kRightMargin = 24;
constexpr std::size_t kMaxLegendLength = 90;
constexpr std::size_t kMarkersPerLine = 12;
constexpr double kLegendPitch = 20;

// Two neighbouring values further apart than this many typical pass intervals are not joined.
constexpr double kGapFactor = 2.5;

std::int64_t typical_interval(const LineChart& chart) {
    std::set<std::int64_t> times;
    for (const auto& s : chart.series)
        for (const auto& v : s.values) times.insert(v.seconds);
    std::vector<std::int64_t> gaps;
    for (auto it = times.begin(); it != times.end() && std::next(it) != times.end(); ++it)
        gaps.push_back(*std::next(it) - *it);
    if (gaps.empty()) return 0;
    std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2), gaps.end());
    return gaps[gaps.size() / 2];
}

std::string series_summary(const LineChart& chart, const LineSeries& s) {
    if (s.values.empty()) return s.label + ": no values";
    auto [low, high] = std::minmax_element(s.values.begin(), s.values.end(),
                                           [](const TimedValue& a, const TimedValue& b) { return a.value < b.value; });
    return s.label + ": last " + chart.format(s.values.back().value) + " (" +
           format_utc_minute(s.values.back().seconds) + "), min " + chart.format(low->value) + ", max " +
           chart.format(high->value) + ", " + std::to_string(s.values.size()) + " values";
}

std::string describe(const LineChart& chart, std::int64_t first, std::int64_t last) {
    if (chart.series.empty()) return chart.title + ": no data.";
    std::string text = chart.title + ": " + std::to_string(chart.series.size()) +
                       (chart.series.size() == 1 ? " line" : " lines") + " of " + chart.y_label + " from " +
                       format_utc_minute(first) + " to " + format_utc_minute(last) + ". ";
    for (std::size_t i = 0; i < chart.series.size(); ++i) text += (i ? "; " : "") + series_summary(chart, chart.series[i]);
    return text + ".";
}

}  // namespace

std::string line_chart(const LineChart& chart) {
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    double low = INFINITY, high = -INFINITY;
    for (const auto& s : chart.series) {
        for (const auto& v : s.values) {
            first = std::min(first, v.seconds);
            last = std::max(last, v.seconds);
            low = std::min(low, v.value);
            high = std::max(high, v.value);
        }
    }
    if (first > last) first = last = 0, low = 0, high = 1;
    // Zero is the honest baseline when the data comes near it, or is one constant value;
    // far from it (a total of millions growing by hundreds) it would flatten every change
    // into a straight line.
    if (low >= 0 && (low <= high / 3 || low == high)) low = 0;
    const Ticks y_ticks = nice_ticks(low, high, 5);
    std::int64_t x_first = first, x_last = last;
    if (x_first == x_last) x_first -= 3600, x_last += 3600;

    double tick_width = 0;
    for (double v : y_ticks.values) tick_width = std::max(tick_width, text_width(chart.format(v), kFontSize));
    const double left = 30 + tick_width + 10;
    const double right = kChartWidth - kRightMargin;
    const double bottom = kTop + kPlotHeight;
    const LinearScale x{static_cast<double>(x_first), static_cast<double>(x_last), left, right};
    const LinearScale y{y_ticks.low, y_ticks.high, bottom, kTop};

    double legend_entry = 60;
    for (const auto& s : chart.series)
        legend_entry = std::max(legend_entry, 44 + text_width(truncate_text(s.label, kMaxLegendLength), kFontSize));
    const std::size_t columns = std::max<std::size_t>(1, static_cast<std::size_t>((kChartWidth - 16) / legend_entry));
    const std::size_t legend_rows = (chart.series.size() + columns - 1) / columns;
    const double legend_top = bottom + 52;
    const double height = legend_top + static_cast<double>(legend_rows) * kLegendPitch + 8;

    std::string out;
    open_svg(out, chart.id, kChartWidth, height, chart.title, describe(chart, first, last));

    out += "<g class=\"axis\">";
    for (double v : y_ticks.values) {
        const double py = y(v);
        out += "<line x1=\"" + coord(left) + "\" y1=\"" + coord(py) + "\" x2=\"" + coord(right) + "\" y2=\"" +
               coord(py) + "\" stroke=\"" + kGrid + "\"/>";
        append_text(out, left - 6, py + 4, chart.format(v), std::string("text-anchor=\"end\" fill=\"") + kAxisInk + "\"");
    }
    for (const auto& tick : time_ticks(x_first, x_last, 8)) {
        const double px = x(static_cast<double>(tick.seconds));
        out += "<line x1=\"" + coord(px) + "\" y1=\"" + coord(bottom) + "\" x2=\"" + coord(px) + "\" y2=\"" +
               coord(bottom + 5) + "\" stroke=\"" + kAxisInk + "\"/>";
        append_text(out, px, bottom + 18, tick.label, std::string("text-anchor=\"middle\" fill=\"") + kAxisInk + "\"");
    }
    out += "<path d=\"M" + coord(left) + " " + coord(kTop) + "V" + coord(bottom) + "H" + coord(right) +
           "\" fill=\"none\" stroke=\"" + kAxisInk + "\"/>";
    append_text(out, 0, 0, chart.y_label,
                "class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(14 " + coord((kTop + bottom) / 2) +
                    ") rotate(-90)\"");
    append_text(out, (left + right) / 2, bottom + 38, chart.x_label, "class=\"axis-label\" text-anchor=\"middle\"");
    out += "</g>";

    if (chart.series.empty()) append_text(out, left + 8, kTop + 20, "no data", "font-style=\"italic\"");
    const std::int64_t gap = static_cast<std::int64_t>(kGapFactor * static_cast<double>(typical_interval(chart)));
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const LineSeries& s = chart.series[i];
        const SeriesStyle style = series_style(s.style.value_or(i));
        out += "<g class=\"series\"><title>";
        append_escaped(out, series_summary(chart, s));
        out += "</title><path d=\"";
        for (std::size_t k = 0; k < s.values.size(); ++k) {
            const bool joined = k > 0 && (gap == 0 || s.values[k].seconds - s.values[k - 1].seconds <= gap);
            out += joined ? "L" : "M";
            out += coord(x(static_cast<double>(s.values[k].seconds))) + " " + coord(y(s.values[k].value));
        }
        out += std::string("\" fill=\"none\" stroke=\"") + style.colour +
               "\" stroke-width=\"2\" stroke-linejoin=\"round\"";
        if (*style.dash) out += std::string(" stroke-dasharray=\"") + style.dash + "\"";
        out += "/>";
        // Markers name the line in greyscale; a few per line are enough, and the last one
        // shows where the data ends.
        const std::size_t every = std::max<std::size_t>(1, (s.values.size() + kMarkersPerLine - 1) / kMarkersPerLine);
        for (std::size_t k = 0; k < s.values.size(); ++k) {
            if (k % every != (i % every) && k + 1 != s.values.size()) continue;
            append_marker(out, style.marker, x(static_cast<double>(s.values[k].seconds)), y(s.values[k].value),
                          style.colour);
        }
        out += "</g>";
    }

    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const double lx = 16 + static_cast<double>(i % columns) * legend_entry;
        const double ly = legend_top + static_cast<double>(i / columns) * kLegendPitch;
        out += "<g class=\"legend\"><title>";
        append_escaped(out, chart.series[i].label);
        out += "</title>";
        append_line_swatch(out, series_style(chart.series[i].style.value_or(i)), lx, ly - 4);
        append_text(out, lx + 36, ly, truncate_text(chart.series[i].label, kMaxLegendLength));
        out += "</g>";
    }
    close_svg(out);
    return out;
}

}  // namespace kpi::svg
