#include "core/json_text.hpp"

#include <array>
#include <charconv>

namespace kpi {

namespace {

// Bytes that JSON strings carry as they are: all but controls, the quote and the backslash.
constexpr std::array<bool, 256> kVerbatim = [] {
    std::array<bool, 256> verbatim{};
    for (int c = 0x20; c < 256; ++c) verbatim[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return verbatim;
}();

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    // Most strings (names, tags) need no escape: copy them in one pass into room made for
    // them and the quotes, and fall back to escaping from the first byte that needs it.
    const std::size_t start = out.size();
    out.resize(start + text.size() + 2);
    char* copy = out.data() + start;
    *copy++ = '"';
    std::size_t i = 0;
    for (; i < text.size() && kVerbatim[static_cast<unsigned char>(text[i])]; ++i) copy[i] = text[i];
    if (i == text.size()) {
        copy[i] = '"';
        return;
    }
    out.resize(start + 1 + i);
    std::size_t run_start = i;
    for (; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (kVerbatim[c]) continue;
        out.append(text.data() + run_start, i - run_start);
        run_start = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xF]);
        }
    }
    out.append(text.data() + run_start, text.size() - run_start);
    out.push_back('"');
}

void append_json_int(std::string& out, std::int64_t value) {
    std::array<char, 24> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    out.append(buf.data(), end);
}

void append_shortest_double(std::string& out, double value) {
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    out.append(buf.data(), end);
}

void append_json_double(std::string& out, double value) {
    const std::size_t start = out.size();
    append_shortest_double(out, value);
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

void append_json_value(std::string& out, const FieldValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        append_json_int(out, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
        append_json_double(out, *d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += *b ? "true" : "false";
    } else {
        append_json_string(out, std::get<std::string>(value));
    }
}

bool append_numeric_value(std::string& out, const FieldValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        append_json_int(out, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
        append_shortest_double(out, *d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out.push_back(*b ? '1' : '0');
    } else {
        return false;
    }
    return true;
}

}  // namespace kpi
