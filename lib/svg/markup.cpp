#include "svg/markup.hpp"

#include <cmath>
#include <cstdio>

namespace kpi::svg {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default:
                if ((c < 0x20 && ch != '\t' && ch != '\n') || c == 0x7F) {
                    out += "\xEF\xBF\xBD";
                } else {
                    out += ch;
                }
        }
    }
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text);
    return out;
}

std::string coord(double value) {
    if (!std::isfinite(value)) return "0";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    std::string s = buffer;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

std::size_t text_length(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) n += is_continuation(static_cast<unsigned char>(c)) ? 0 : 1;
    return n;
}

std::string truncate_text(std::string_view text, std::size_t max_length) {
    if (max_length == 0) return "";
    if (text_length(text) <= max_length) return std::string(text);
    std::size_t kept = 0;
    std::size_t end = 0;
    while (end < text.size()) {
        if (!is_continuation(static_cast<unsigned char>(text[end]))) {
            if (kept == max_length - 1) break;
            ++kept;
        }
        ++end;
    }
    return std::string(text.substr(0, end)) + "\xE2\x80\xA6";
}

double text_width(std::string_view text, double font_size) {
    // 0.58 em is about the mean advance of DejaVu Sans and Arial over mixed-case text.
    return static_cast<double>(text_length(text)) * font_size * 0.58;
}

}  // namespace kpi::svg
