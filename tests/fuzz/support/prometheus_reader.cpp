#include "support/prometheus_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace kpi::fuzz {
namespace {

bool name_start(char c, bool colon) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
bool name_char(char c, bool colon) { return name_start(c, colon) || (c >= '0' && c <= '9'); }

// The name at the start of `text` (metric names may hold `:`, label names not); empty if none.
std::string_view take_name(std::string_view& text, bool colon) {
    if (text.empty() || !name_start(text[0], colon)) return {};
    std::size_t n = 1;
    while (n < text.size() && name_char(text[n], colon)) ++n;
    auto name = text.substr(0, n);
    text.remove_prefix(n);
    return name;
}

std::optional<std::string> take_label_value(std::string_view& text) {
    if (text.empty() || text[0] != '"') return std::nullopt;
    std::string value;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '"') {
            text.remove_prefix(i + 1);
            return value;
        }
        if (text[i] == '\n') return std::nullopt;
        if (text[i] != '\\') {
            value.push_back(text[i]);
            continue;
        }
        if (++i == text.size()) return std::nullopt;
        switch (text[i]) {
            case '\\': value.push_back('\\'); break;
            case '"': value.push_back('"'); break;
            case 'n': value.push_back('\n'); break;
            default: return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<std::string> read_sample(std::string_view line, std::string& name, ExpositionSample& sample) {
    name = std::string(take_name(line, true));
    if (name.empty()) return "no metric name";
    if (!line.empty() && line[0] == '{') {
        line.remove_prefix(1);
        while (!line.empty() && line[0] != '}') {
            const std::string label(take_name(line, false));
            if (label.empty()) return "bad label name";
            if (label.starts_with("__")) return "reserved label name " + label;
            if (line.empty() || line[0] != '=') return "no = after label " + label;
            line.remove_prefix(1);
            auto value = take_label_value(line);
            if (!value) return "bad value of label " + label;
            for (const auto& [n, v] : sample.labels) {
                if (n == label) return "label " + label + " twice";
            }
            sample.labels.emplace_back(label, std::move(*value));
            if (!line.empty() && line[0] == ',') line.remove_prefix(1);
        }
        if (line.empty()) return "unclosed labels";
        line.remove_prefix(1);
    }
    if (line.empty() || line[0] != ' ') return "no space before the value";
    const std::string value(line.substr(1));
    char* end = nullptr;
    // No errno check: strtod reports subnormal values as ERANGE, and they are valid.
    sample.value = std::strtod(value.c_str(), &end);
    if (value.empty() || *end) return "bad value \"" + value + "\"";
    std::sort(sample.labels.begin(), sample.labels.end());
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<ExpositionFamily>> read_prometheus_text(std::string_view text, std::string& error) {
    std::vector<ExpositionFamily> families;
    std::set<std::string> typed, series;
    std::size_t number = 0;
    auto fail = [&](const std::string& why) {
        error = "line " + std::to_string(number) + ": " + why;
        return std::nullopt;
    };
    if (!text.empty() && text.back() != '\n') return fail("no newline at the end");
    while (!text.empty()) {
        ++number;
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        if (line.starts_with("# TYPE ")) {
            line.remove_prefix(7);
            const std::string name(take_name(line, true));
            if (name.empty() || line.size() < 2 || line[0] != ' ') return fail("malformed TYPE line");
            if (!typed.insert(name).second) return fail("second TYPE line for " + name);
            families.push_back(ExpositionFamily{name, std::string(line.substr(1)), {}});
            continue;
        }
        if (line.empty() || line[0] == '#') continue;
        std::string name;
        ExpositionSample sample;
        if (auto why = read_sample(line, name, sample)) return fail(*why);
        if (families.empty() || families.back().name != name) return fail(name + " is not under its TYPE line");
        std::string key = name;
        for (const auto& [n, v] : sample.labels) key += '\0' + n + '\0' + v;
        if (!series.insert(key).second) return fail("a second sample of one series of " + name);
        families.back().samples.push_back(std::move(sample));
    }
    return families;
}

}  // namespace kpi::fuzz
