#include "support/graphite_reader.hpp"

#include <cerrno>
#include <cstdlib>

namespace kpi::fuzz {
namespace {

// Python's str.isspace() code points: what str.split() splits on.
bool python_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

// Splits like Python's str.split() on UTF-8 text; false if the text is not UTF-8.
bool python_split(std::string_view line, std::vector<std::string>& parts) {
    std::string current;
    for (std::size_t i = 0; i < line.size();) {
        const auto lead = static_cast<unsigned char>(line[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
        if (length == 0 || i + length > line.size()) return false;
        char32_t c = length == 1 ? lead : lead & (0x3f >> (length - 1));
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(line[i + k]);
            if ((next & 0xc0) != 0x80) return false;
            c = (c << 6) | (next & 0x3f);
        }
        if (python_space(c)) {
            if (!current.empty()) parts.push_back(std::move(current));
            current.clear();
        } else {
            current.append(line.substr(i, length));
        }
        i += length;
    }
    if (!current.empty()) parts.push_back(std::move(current));
    return true;
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    while (true) {
        const std::size_t at = text.find(separator);
        parts.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

std::optional<std::string> read_line(std::string_view line, GraphiteLine& out) {
    std::vector<std::string> parts;
    if (!python_split(line, parts)) return "not UTF-8";
    if (parts.size() != 3) return "splits into " + std::to_string(parts.size()) + " parts, not 3";
    auto series = split(parts[0], ';');
    out.path = split(series[0], '.');
    for (const auto& component : out.path) {
        if (component.empty()) return "empty path component";
    }
    for (std::size_t i = 1; i < series.size(); ++i) {
        const std::size_t eq = series[i].find('=');
        if (eq == std::string::npos) return "tag without =";
        std::string name = series[i].substr(0, eq), value = series[i].substr(eq + 1);
        if (name.empty() || value.empty()) return "empty tag name or value";
        if (name.find_first_of(";!^=") != std::string::npos) return "bad tag name " + name;
        if (value.find_first_of(";~") != std::string::npos) return "bad tag value " + value;
        out.tags.emplace_back(std::move(name), std::move(value));
    }
    char* end = nullptr;
    out.value = std::strtod(parts[1].c_str(), &end);  // no errno check: subnormals are valid
    if (*end) return "bad value " + parts[1];
    errno = 0;
    out.timestamp = std::strtoll(parts[2].c_str(), &end, 10);
    if (*end || errno) return "bad timestamp " + parts[2];
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<GraphiteLine>> read_graphite_plaintext(std::string_view text, std::string& error) {
    std::vector<GraphiteLine> lines;
    if (!text.empty() && text.back() != '\n') {
        error = "no newline at the end";
        return std::nullopt;
    }
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        GraphiteLine line;
        if (auto why = read_line(text.substr(0, nl), line)) {
            error = "line " + std::to_string(lines.size() + 1) + ": " + *why;
            return std::nullopt;
        }
        lines.push_back(std::move(line));
        text.remove_prefix(nl + 1);
    }
    return lines;
}

}  // namespace kpi::fuzz
