// A success strip: one row per subject, one cell per pass. Runs of equal cells are one
// rectangle with one tooltip, so a week of hourly passes stays a small document.

#include <algorithm>

#include "svg/charts.hpp"
#include "svg/frame.hpp"
#include "svg/markup.hpp"
#include "svg/numbers.hpp"
#include "svg/scale.hpp"

namespace kpi::svg {
namespace {

constexpr double kRowHeight = 16;
constexpr double kRowPitch = 22;
constexpr std::size_t kMaxRowLabelLength = 30;
constexpr const char* kOkFill = "#1b7837";        // dark: prints as near black
constexpr const char* kFailStroke = "#b2182b";    // failures: light red, hatched
constexpr const char* kFailFill = "#f6b8ae";
constexpr const char* kNoDataFill = "#f2f2f2";

struct Tally {
    std::size_t ok = 0, failed = 0;
};

Tally tally(const StripRow& row) {
    Tally t;
    for (const auto& cell : row.cells) {
        if (!cell) continue;
        *cell ? ++t.ok : ++t.failed;
    }
    return t;
}

std::string share(const Tally& t) {
    const std::size_t n = t.ok + t.failed;
    if (n == 0) return "no data";
    return format_number(100.0 * static_cast<double>(t.ok) / static_cast<double>(n), 1) + " %";
}

enum class Cell { NoData, Ok, Failed };

Cell cell_at(const StripRow& row, std::size_t i) {
    if (i >= row.cells.size() || !row.cells[i].has_value()) return Cell::NoData;
    return row.cells[i].value() ? Cell::Ok : Cell::Failed;
}

const char* state_name(Cell cell) {
    return cell == Cell::NoData ? "no data" : cell == Cell::Ok ? "succeeded" : "failed";
}

const char* state_class(Cell cell) {
    return cell == Cell::NoData ? "cell-nodata" : cell == Cell::Ok ? "cell-ok" : "cell-failed";
}

std::string describe(const StripChart& chart) {
    if (chart.rows.empty()) return chart.title + ": no data.";
    std::string text = chart.title + ", " + std::to_string(chart.times.size()) + " passes from " +
                       format_utc_minute(chart.times.front()) + " to " + format_utc_minute(chart.times.back()) + ". ";
    for (std::size_t i = 0; i < chart.rows.size(); ++i) {
        const Tally t = tally(chart.rows[i]);
        text += (i ? "; " : "") + chart.rows[i].label + ": " + std::to_string(t.ok) + " of " +
                std::to_string(t.ok + t.failed) + " succeeded (" + share(t) + ")";
    }
    return text + ".";
}

}  // namespace

std::string strip_chart(const StripChart& chart) {
    const std::string pattern = chart.id + "-failed";
    double label_width = 0;
    for (const auto& row : chart.rows)
        label_width = std::max(label_width, text_width(truncate_text(row.label, kMaxRowLabelLength), kFontSize));
    const double left = std::min(label_width, 220.0) + 16;
    const double right = kChartWidth - 70;
    const double top = 62;
    const double bottom = top + std::max<double>(1, static_cast<double>(chart.rows.size())) * kRowPitch;
    const double height = bottom + 48;

    // Each cell spans from its pass to the next, but no longer than a typical interval:
    // passes that never ran (the harvest itself was down) stay visible as no data.
    std::int64_t first = chart.times.empty() ? 0 : chart.times.front();
    std::int64_t last = chart.times.empty() ? 3600 : chart.times.back();
    std::vector<std::int64_t> steps;
    for (std::size_t i = 1; i < chart.times.size(); ++i) steps.push_back(chart.times[i] - chart.times[i - 1]);
    std::sort(steps.begin(), steps.end());
    const std::int64_t typical = steps.empty() ? 3600 : steps[steps.size() / 2];
    const LinearScale x{static_cast<double>(first), static_cast<double>(last + typical), left, right};
    auto cell_end = [&](std::size_t i) {
        const std::int64_t longest = chart.times[i] + typical;
        return i + 1 < chart.times.size() ? std::min(chart.times[i + 1], longest) : longest;
    };

    std::string out;
    open_svg(out, chart.id, kChartWidth, height, chart.title, describe(chart));
    out += "<defs><pattern id=\"" + escape(pattern) +
           "\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
           "<rect width=\"5\" height=\"5\" fill=\"" + kFailFill + "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"" +
           kFailStroke + "\" stroke-width=\"2.5\"/></pattern></defs>";

    // Legend: what the three cell kinds mean.
    const std::string fail_paint = "url(#" + escape(pattern) + ")";
    double lx = left;
    for (const auto& [fill, name] : {std::pair<std::string, std::string>{kOkFill, "succeeded"},
                                     {fail_paint, "failed"}, {kNoDataFill, "no data"}}) {
        out += "<rect x=\"" + coord(lx) + "\" y=\"32\" width=\"14\" height=\"14\" fill=\"" + fill + "\" stroke=\"" +
               kAxisInk + "\" stroke-width=\"0.5\"/>";
        append_text(out, lx + 20, 44, name);
        lx += 20 + text_width(name, kFontSize) + 24;
    }
    append_text(out, kChartWidth - 8, 56, "succeeded", std::string("text-anchor=\"end\" fill=\"") + kAxisInk + "\"");

    for (std::size_t r = 0; r < chart.rows.size(); ++r) {
        const StripRow& row = chart.rows[r];
        const double y = top + static_cast<double>(r) * kRowPitch;
        out += "<g class=\"strip-row\"><title>";
        append_escaped(out, row.label + ": " + share(tally(row)) + " of passes succeeded");
        out += "</title>";
        append_text(out, left - 8, y + kRowHeight - 4, truncate_text(row.label, kMaxRowLabelLength), "text-anchor=\"end\"");
        out += "<rect x=\"" + coord(left) + "\" y=\"" + coord(y) + "\" width=\"" + coord(right - left) + "\" height=\"" +
               coord(kRowHeight) + "\" fill=\"" + kNoDataFill + "\"/>";
        for (std::size_t i = 0; i < chart.times.size();) {
            const Cell state = cell_at(row, i);
            std::size_t j = i + 1;
            while (j < chart.times.size() && cell_at(row, j) == state && chart.times[j] == cell_end(j - 1)) ++j;
            const double x0 = x(static_cast<double>(chart.times[i]));
            const double x1 = x(static_cast<double>(cell_end(j - 1)));
            const std::string fill = state == Cell::NoData ? kNoDataFill : state == Cell::Ok ? kOkFill : fail_paint;
            out += std::string("<rect class=\"") + state_class(state) + "\" x=\"" +
                   coord(x0) + "\" y=\"" + coord(y) + "\" width=\"" + coord(std::max(1.0, x1 - x0 - 0.5)) +
                   "\" height=\"" + coord(kRowHeight) + "\" fill=\"" + fill + "\"><title>";
            std::string tip = row.label + ": " + state_name(state) + ", ";
            tip += j - i == 1 ? format_utc_minute(chart.times[i])
                              : std::to_string(j - i) + " passes from " + format_utc_minute(chart.times[i]) + " to " +
                                    format_utc_minute(chart.times[j - 1]);
            append_escaped(out, tip);
            out += "</title></rect>";
            i = j;
        }
        append_text(out, right + 8, y + kRowHeight - 4, share(tally(row)));
        out += "</g>";
    }
    if (chart.rows.empty()) append_text(out, left + 8, top + 14, "no data", "font-style=\"italic\"");

    out += "<g class=\"axis\">";
    for (const auto& tick : time_ticks(first, last, 8)) {
        const double px = x(static_cast<double>(tick.seconds));
        out += "<line x1=\"" + coord(px) + "\" y1=\"" + coord(bottom - 4) + "\" x2=\"" + coord(px) + "\" y2=\"" +
               coord(bottom + 2) + "\" stroke=\"" + kAxisInk + "\"/>";
        append_text(out, px, bottom + 16, tick.label, std::string("text-anchor=\"middle\" fill=\"") + kAxisInk + "\"");
    }
    append_text(out, (left + right) / 2, bottom + 36, "time (UTC)", "class=\"axis-label\" text-anchor=\"middle\"");
    out += "</g>";
    close_svg(out);
    return out;
}

}  // namespace kpi::svg
