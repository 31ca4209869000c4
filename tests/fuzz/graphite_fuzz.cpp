// Property: the Carbon plaintext of any points reads back (support/graphite_reader, which
// splits lines as carbon does) as one line per numeric field, as graphite_plaintext.hpp
// documents it: `kpi.fuzz.<measurement>.<field>` with each component sanitised, the
// non-empty tags sorted (`name` as `_name`), Unicode spaces as `_`, booleans 1 and 0, the
// time in whole seconds;
// string fields and points whose tags share a name are left out.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <variant>

#include "formats/graphite_plaintext.hpp"
#include "support/fuzz_points.hpp"
#include "support/graphite_reader.hpp"

namespace {

constexpr std::string_view kPrefix = "kpi.fuzz";
constexpr std::int64_t kUntimed = INT64_MIN;

// The code points Python's str.isspace() counts beyond ASCII: carbon splits lines on them.
bool unicode_space(char32_t c) {
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
           c == 0x202f || c == 0x205f || c == 0x3000;
}

// Each byte kept or `_`, and each non-ASCII space (one code point of UTF-8) one `_`.
template <typename Keep>
std::string replaced(std::string_view text, Keep keep) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
        char32_t c = length == 1 ? lead : lead & (0x3f >> (length - 1));
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k) c = (c << 6) | (text[i + k] & 0x3f);
        if (length > 1 && unicode_space(c)) {
            out.push_back('_');
            i += length;
            continue;
        }
        out.push_back(keep(lead) ? text[i] : '_');
        ++i;
    }
    return out;
}

// ASCII letters, digits, `-`, `_`, `:` and non-ASCII UTF-8; `_` for an empty one.
std::string component(std::string_view text) {
    if (text.empty()) return "_";
    return replaced(text, [](unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == ':' || c >= 0x80;
    });
}

std::string tag_value(std::string_view text) {
    return replaced(text, [](unsigned char c) {
        return c > 0x20 && c != 0x7f && std::string_view(";~!^=").find(static_cast<char>(c)) == std::string_view::npos;
    });
}

std::vector<kpi::fuzz::GraphiteLine> expected_lines(const std::vector<kpi::Point>& points) {
    std::vector<kpi::fuzz::GraphiteLine> lines;
    for (const auto& point : points) {
        std::vector<std::pair<std::string, std::string>> tags;
        for (const auto& tag : point.tags) {
            if (tag.value.empty()) continue;
            std::string name = component(tag.key);
            tags.emplace_back(name == "name" ? "_name" : name, tag_value(tag.value));
        }
        std::sort(tags.begin(), tags.end());
        if (std::adjacent_find(tags.begin(), tags.end(), [](const auto& a, const auto& b) {
                return a.first == b.first;
            }) != tags.end()) {
            continue;
        }
        for (const auto& field : point.fields) {
            kpi::fuzz::GraphiteLine line{{"kpi", "fuzz", component(point.measurement), component(field.key)}, tags};
            line.timestamp = point.time ? std::chrono::floor<std::chrono::seconds>(*point.time).time_since_epoch().count()
                                        : kUntimed;
            if (const auto* i = std::get_if<std::int64_t>(&field.value)) {
                line.value = static_cast<double>(*i);
            } else if (const auto* d = std::get_if<double>(&field.value)) {
                line.value = *d;
            } else if (const auto* b = std::get_if<bool>(&field.value)) {
                line.value = *b ? 1 : 0;
            } else {
                continue;
            }
            lines.push_back(std::move(line));
        }
    }
    return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kpi;
    const auto points = fuzz::points_from_bytes(data, size);
    const std::string text = to_graphite_plaintext(points, kPrefix, nullptr);
    std::string error;
    auto read = fuzz::read_graphite_plaintext(text, error);
    if (!read) fuzz::property_failed("graphite", "does not parse: " + error, points, text);
    auto expected = expected_lines(points);
    if (read->size() != expected.size()) fuzz::property_failed("graphite", "other lines than expected", points, text);
    // Untimed points are stamped when written: only the stamps of timed points are known.
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (expected[i].timestamp == kUntimed) expected[i].timestamp = (*read)[i].timestamp;
    }
    if (*read != expected) fuzz::property_failed("graphite", "other lines than expected", points, text);
    return 0;
}
