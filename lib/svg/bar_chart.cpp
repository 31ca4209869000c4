// Horizontal bars: category labels stay readable however many there are (countries,
// versions), and the chart grows downwards instead of squeezing them.

#include <algorithm>

#include "svg/charts.hpp"
#include "svg/frame.hpp"
#include "svg/markup.hpp"
#include "svg/numbers.hpp"
#include "svg/scale.hpp"

namespace kpi::svg {
namespace {

// Segment fills from dark to light, so stacked parts differ in greyscale too.
constexpr const char* kSegmentFills[] = {"#1f3a93", "#9db4e6", "#d9730d", "#f2c48d"};
constexpr double kBarHeight = 18;
constexpr double kBarPitch = 24;
constexpr std::size_t kMaxBarLabelLength = 34;

double total(const Bar& bar) {
    double sum = 0;
    for (double v : bar.segments) sum += v;
    return sum;
}

std::string bar_tooltip(const BarChart& chart, const Bar& bar) {
    std::string text = bar.label + ": " + chart.format(total(bar)) + " " + chart.value_label;
    if (chart.segments.size() > 1) {
        text += " (";
        for (std::size_t s = 0; s < chart.segments.size(); ++s) {
            const double v = s < bar.segments.size() ? bar.segments[s] : 0;
            text += (s ? ", " : "") + chart.format(v) + " " + chart.segments[s];
        }
        text += ")";
    }
    return text;
}

std::string describe(const BarChart& chart) {
    if (chart.bars.empty()) return chart.title + ": no data.";
    std::string text = chart.title + ", " + std::to_string(chart.bars.size()) + " bars. ";
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
        text += (i ? "; " : "") + bar_tooltip(chart, chart.bars[i]);
    }
    return text + ".";
}

}  // namespace

std::string plain_value(double value) { return format_significant(value); }

std::string bar_chart(const BarChart& chart) {
    double label_width = 0;
    double largest = 0;
    for (const auto& bar : chart.bars) {
        label_width = std::max(label_width, text_width(truncate_text(bar.label, kMaxBarLabelLength), kFontSize));
        largest = std::max(largest, total(bar));
    }
    const bool legend = chart.segments.size() > 1;
    const double left = std::min(label_width, 260.0) + 16;
    const double right = kChartWidth - 78;  // room for the value written after the longest bar
    const double top = legend ? 60 : 38;
    const double plot_height = std::max<double>(1, static_cast<double>(chart.bars.size())) * kBarPitch;
    const double height = top + plot_height + 48;

    const Ticks ticks = nice_ticks(0, largest > 0 ? largest : 1, 5);
    const LinearScale x{ticks.low, ticks.high, left, right};

    std::string out;
    open_svg(out, chart.id, kChartWidth, height, chart.title, describe(chart));
    if (legend) {
        double lx = left;
        for (std::size_t s = 0; s < chart.segments.size(); ++s) {
            out += "<rect x=\"" + coord(lx) + "\" y=\"32\" width=\"14\" height=\"14\" fill=\"" +
                   kSegmentFills[s % std::size(kSegmentFills)] + "\" stroke=\"" + kAxisInk + "\" stroke-width=\"0.5\"/>";
            append_text(out, lx + 20, 44, chart.segments[s]);
            lx += 20 + text_width(chart.segments[s], kFontSize) + 24;
        }
    }

    // Grid and value axis.
    out += "<g class=\"axis\">";
    for (double v : ticks.values) {
        const double px = x(v);
        out += "<line x1=\"" + coord(px) + "\" y1=\"" + coord(top - 4) + "\" x2=\"" + coord(px) + "\" y2=\"" +
               coord(top + plot_height) + "\" stroke=\"" + kGrid + "\"/>";
        append_text(out, px, top + plot_height + 16, chart.format(v),
                    std::string("text-anchor=\"middle\" fill=\"") + kAxisInk + "\"");
    }
    append_text(out, (left + right) / 2, top + plot_height + 38, chart.value_label,
                "text-anchor=\"middle\" class=\"axis-label\"");
    out += "</g>";

    if (chart.bars.empty()) append_text(out, left + 8, top + 16, "no data", "font-style=\"italic\"");
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
        const Bar& bar = chart.bars[i];
        const double y = top + static_cast<double>(i) * kBarPitch + (kBarPitch - kBarHeight) / 2;
        out += "<g class=\"bar\"><title>";
        append_escaped(out, bar_tooltip(chart, bar));
        out += "</title>";
        append_text(out, left - 8, y + kBarHeight - 5, truncate_text(bar.label, kMaxBarLabelLength),
                    "text-anchor=\"end\"");
        double start = 0;
        for (std::size_t s = 0; s < bar.segments.size(); ++s) {
            const double v = std::max(0.0, bar.segments[s]);
            if (v <= 0) continue;
            const double x0 = x(start), x1 = x(start + v);
            out += "<rect x=\"" + coord(x0) + "\" y=\"" + coord(y) + "\" width=\"" + coord(std::max(1.0, x1 - x0)) +
                   "\" height=\"" + coord(kBarHeight) + "\" fill=\"" + kSegmentFills[s % std::size(kSegmentFills)] +
                   "\"/>";
            start += v;
        }
        append_text(out, x(start) + 6, y + kBarHeight - 5, chart.format(total(bar)));
        out += "</g>";
    }
    out += "<line x1=\"" + coord(left) + "\" y1=\"" + coord(top - 4) + "\" x2=\"" + coord(left) + "\" y2=\"" +
           coord(top + plot_height) + "\" stroke=\"" + kAxisInk + "\"/>";
    close_svg(out);
    return out;
}

}  // namespace kpi::svg
