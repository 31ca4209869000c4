#include "formats/graphite_plaintext.hpp"

#include <algorithm>
#include <map>
#include <utility>
#include <variant>

#include "core/json_text.hpp"
#include "core/time.hpp"

namespace kpi {
namespace {

bool keeps_in_path(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == ':' || c >= 0x80;
}

bool keeps_in_tag_value(unsigned char c) {
    if (c <= 0x20 || c == 0x7f) return false;
    return c != ';' && c != '~' && c != '!' && c != '^' && c != '=';
}

// Carbon decodes a line as UTF-8 and splits it on any Unicode whitespace (Python's
// str.split()), so a non-ASCII space would tear the line apart: the length of the one that
// starts at text[i], or 0.
std::size_t unicode_space_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    if (byte(0) == 0xc2 && (byte(1) == 0x85 || byte(1) == 0xa0)) return 2;  // U+0085, U+00A0
    if (byte(0) == 0xe1 && byte(1) == 0x9a && byte(2) == 0x80) return 3;    // U+1680
    if (byte(0) == 0xe2 && byte(1) == 0x80 &&
        ((byte(2) >= 0x80 && byte(2) <= 0x8a) || byte(2) == 0xa8 || byte(2) == 0xa9 || byte(2) == 0xaf)) {
        return 3;  // U+2000-U+200A, U+2028, U+2029, U+202F
    }
    if (byte(0) == 0xe2 && byte(1) == 0x81 && byte(2) == 0x9f) return 3;  // U+205F
    if (byte(0) == 0xe3 && byte(1) == 0x80 && byte(2) == 0x80) return 3;  // U+3000
    return 0;
}

template <typename Keep>
std::string replace_unless(std::string_view text, Keep keep) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t space = unicode_space_length(text, i)) {
            out.push_back('_');
            i += space;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[i++]);
        out.push_back(keep(c) ? static_cast<char>(c) : '_');
    }
    return out;
}


}  // namespace

std::string graphite_path_component(std::string_view text) {
    if (text.empty()) return "_";
    return replace_unless(text, keeps_in_path);
}

std::string graphite_prefix(std::string_view prefix) {
    std::string out;
    while (!prefix.empty()) {
        const auto dot = prefix.find('.');
        const auto component = prefix.substr(0, dot);
        if (!component.empty()) {
            if (!out.empty()) out.push_back('.');
            out += graphite_path_component(component);
        }
        if (dot == std::string_view::npos) break;
        prefix.remove_prefix(dot + 1);
    }
    return out;
}

std::string graphite_tag_value(std::string_view text) { return replace_unless(text, keeps_in_tag_value); }

std::string to_graphite_plaintext(const std::vector<Point>& points, std::string_view prefix,
                                  std::vector<std::string>* notes) {
    std::map<std::string, std::size_t> omissions;  // note -> how many times
    const std::string path_prefix = graphite_prefix(prefix);
    const Timestamp stamp_for_untimed = now();
    std::string out;

    for (const auto& point : points) {
        std::vector<std::pair<std::string, std::string>> tags;
        for (const auto& tag : point.tags) {
            if (tag.value.empty()) continue;
            std::string key = graphite_path_component(tag.key);
            if (key == "name") {
                key = "_name";
                ++omissions["tag \"name\" of \"" + point.measurement +
                            "\" written as \"_name\" (Graphite keeps \"name\" for the series name)"];
            }
            tags.emplace_back(std::move(key), graphite_tag_value(tag.value));
        }
        std::sort(tags.begin(), tags.end());
        const bool collide = std::adjacent_find(tags.begin(), tags.end(), [](const auto& a, const auto& b) {
                                 return a.first == b.first;
                             }) != tags.end();
        if (collide) {
            ++omissions["point of \"" + point.measurement +
                        "\" left out: two of its tags have the same Graphite tag name"];
            continue;
        }

        std::string series_prefix = path_prefix;
        if (!series_prefix.empty()) series_prefix.push_back('.');
        series_prefix += graphite_path_component(point.measurement);
        series_prefix.push_back('.');
        std::string tag_text;
        for (const auto& [key, value] : tags) {
            tag_text.push_back(';');
            tag_text += key;
            tag_text.push_back('=');
            tag_text += value;
        }
        std::string time_text = " ";
        append_json_int(time_text, unix_seconds(point.time.value_or(stamp_for_untimed)));
        time_text.push_back('\n');

        for (const auto& field : point.fields) {
            std::string value_text;
            if (!append_numeric_value(value_text, field.value)) {
                ++omissions["string field \"" + field.key + "\" of \"" + point.measurement +
                            "\" left out (Graphite values are numbers)"];
                continue;
            }
            out += series_prefix;
            out += graphite_path_component(field.key);
            out += tag_text;
            out.push_back(' ');
            out += value_text;
            out += time_text;
        }
    }

    if (notes) {
        for (const auto& [note, count] : omissions) {
            notes->push_back(count == 1 ? note : note + " (" + std::to_string(count) + " times)");
        }
    }
    return out;
}

}  // namespace kpi
