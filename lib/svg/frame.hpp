#pragma once
// What the charts share: the <svg> element with its text alternative, the series styles,
// markers and legend swatches.

#include <cstddef>
#include <string>
#include <string_view>

namespace kpi::svg {

inline constexpr double kChartWidth = 760;
inline constexpr double kFontSize = 12;
inline constexpr double kTitleSize = 15;
inline constexpr const char* kInk = "#222222";
inline constexpr const char* kAxisInk = "#555555";
inline constexpr const char* kGrid = "#dddddd";

// Opens <svg role="img"> sized width x height, with <title> and <desc> (the text
// alternative, announced by screen readers, shown on hover) and the visible title.
void open_svg(std::string& out, std::string_view id, double width, double height, std::string_view title,
              std::string_view description);
void close_svg(std::string& out);

// <text> at (x, y) with escaped content; `attributes` are added verbatim (trusted, ours).
void append_text(std::string& out, double x, double y, std::string_view text, std::string_view attributes = "");

enum class Marker { Circle, Square, Triangle, Diamond, Cross };

// The look of the i-th series: hues of clearly different lightness, and a dash pattern and
// marker that tell lines apart where colour does not (greyscale print, colour blindness).
struct SeriesStyle {
    const char* colour;
    const char* dash;  // stroke-dasharray, "" for solid
    Marker marker;
};
SeriesStyle series_style(std::size_t index);
std::size_t series_style_count();

void append_marker(std::string& out, Marker marker, double x, double y, const char* colour);

// A legend entry: a short line in the series's style with its marker, then the label.
void append_line_swatch(std::string& out, const SeriesStyle& style, double x, double y);

}  // namespace kpi::svg
