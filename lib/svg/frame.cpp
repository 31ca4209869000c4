#include "svg/frame.hpp"

#include "svg/markup.hpp"

namespace kpi::svg {
namespace {

// Hues ordered so that neighbours differ in lightness (about 25, 55, 40, 70, 30 L*), and
// paired with dash patterns and markers; every combination is distinct for ten series.
constexpr const char* kColours[] = {"#1f3a93", "#d9730d", "#2e7d32", "#b8a03a", "#7b2d8e"};
constexpr const char* kDashes[] = {"", "8 4", "2 3", "10 3 2 3", "5 5"};
constexpr Marker kMarkers[] = {Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond, Marker::Cross};
constexpr std::size_t kStyles = 10;

}  // namespace

void open_svg(std::string& out, std::string_view id, double width, double height, std::string_view title,
              std::string_view description) {
    const std::string safe_id = escape(id);
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" id=\"" + safe_id +
           "\" aria-labelledby=\"" + safe_id + "-title " + safe_id + "-desc\" width=\"" + coord(width) +
           "\" height=\"" + coord(height) + "\" viewBox=\"0 0 " + coord(width) + " " + coord(height) +
           "\" font-family=\"DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif\" font-size=\"" +
           coord(kFontSize) + "\" fill=\"" + kInk + "\">";
    out += "<title id=\"" + safe_id + "-title\">";
    append_escaped(out, title);
    out += "</title><desc id=\"" + safe_id + "-desc\">";
    append_escaped(out, description);
    out += "</desc>";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>";
    append_text(out, 8, 20, title, "class=\"chart-title\" font-size=\"15\" font-weight=\"bold\"");
}

void close_svg(std::string& out) { out += "</svg>"; }

void append_text(std::string& out, double x, double y, std::string_view text, std::string_view attributes) {
    out += "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\"";
    if (!attributes.empty()) {
        out += ' ';
        out += attributes;
    }
    out += '>';
    append_escaped(out, text);
    out += "</text>";
}

SeriesStyle series_style(std::size_t index) {
    const std::size_t i = index % kStyles;
    return SeriesStyle{kColours[i % 5], kDashes[(i + i / 5) % 5], kMarkers[i % 5]};
}

std::size_t series_style_count() { return kStyles; }

void append_marker(std::string& out, Marker marker, double x, double y, const char* colour) {
    const std::string cx = coord(x), cy = coord(y);
    const std::string paint = std::string(" fill=\"") + colour + "\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>";
    switch (marker) {
        case Marker::Circle: out += "<circle cx=\"" + cx + "\" cy=\"" + cy + "\" r=\"3.5\"" + paint; break;
        case Marker::Square:
            out += "<rect x=\"" + coord(x - 3.2) + "\" y=\"" + coord(y - 3.2) + "\" width=\"6.4\" height=\"6.4\"" + paint;
            break;
        case Marker::Triangle:
            out += "<path d=\"M" + cx + " " + coord(y - 4.2) + "L" + coord(x + 4) + " " + coord(y + 3) + "L" +
                   coord(x - 4) + " " + coord(y + 3) + "Z\"" + paint;
            break;
        case Marker::Diamond:
            out += "<path d=\"M" + cx + " " + coord(y - 4.5) + "L" + coord(x + 4) + " " + cy + "L" + cx + " " +
                   coord(y + 4.5) + "L" + coord(x - 4) + " " + cy + "Z\"" + paint;
            break;
        case Marker::Cross:
            out += "<path d=\"M" + coord(x - 3.5) + " " + coord(y - 3.5) + "L" + coord(x + 3.5) + " " +
                   coord(y + 3.5) + "M" + coord(x - 3.5) + " " + coord(y + 3.5) + "L" + coord(x + 3.5) + " " +
                   coord(y - 3.5) + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\"/>";
            break;
    }
}

void append_line_swatch(std::string& out, const SeriesStyle& style, double x, double y) {
    out += "<path d=\"M" + coord(x) + " " + coord(y) + "h28\" fill=\"none\" stroke=\"" + style.colour +
           "\" stroke-width=\"2.5\"";
    if (*style.dash) out += std::string(" stroke-dasharray=\"") + style.dash + "\"";
    out += "/>";
    append_marker(out, style.marker, x + 14, y, style.colour);
}

}  // namespace kpi::svg
