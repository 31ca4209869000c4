#include "report/sections.hpp"
#include "svg/markup.hpp"

namespace kpi::report {

void append_figure(std::string& out, const std::string& svg_markup, const std::string& caption) {
    out += "<figure>" + svg_markup;
    if (!caption.empty()) {
        out += "<figcaption>";
        svg::append_escaped(out, caption);
        out += "</figcaption>";
    }
    out += "</figure>";
}

}  // namespace kpi::report
