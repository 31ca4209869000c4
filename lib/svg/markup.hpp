#pragma once
// Text for SVG and HTML. Everything a report shows comes from points, and points come from
// remote services, so every string goes through escape() on its way into markup.

#include <cstddef>
#include <string>
#include <string_view>

namespace kpi::svg {

// Escapes & < > " ' so the text is safe as element content and inside a quoted attribute
// alike; control characters other than tab and newline become U+FFFD.
void append_escaped(std::string& out, std::string_view text);
std::string escape(std::string_view text);

// A coordinate with at most two decimals and no trailing zeros: `12`, `12.5`, `0.25`.
std::string coord(double value);

// Unicode code points in UTF-8 text (points are valid UTF-8: the reader checks it).
std::size_t text_length(std::string_view text);

// At most `max_length` code points, the last of them an ellipsis when the text was cut.
std::string truncate_text(std::string_view text, std::size_t max_length);

// Roughly how wide the text renders, in pixels, at `font_size` in a sans-serif face;
// for laying out labels, since an SVG written ahead of time has no font metrics.
double text_width(std::string_view text, double font_size);

}  // namespace kpi::svg
