#include "commands/shard.hpp"

#include <charconv>
#include <cstdint>

#include "core/errors.hpp"

namespace kpi {

Shard parse_shard(std::string_view text) {
    Shard s;
    auto slash = text.find('/');
    auto bad = [&]() -> Shard {
        throw UsageError("--shard \"" + std::string(text) + "\": write I/N with 0 <= I < N, e.g. 0/4");
    };
    if (slash == std::string_view::npos) return bad();
    auto a = std::from_chars(text.data(), text.data() + slash, s.index);
    auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), s.count);
    if (a.ec != std::errc{} || a.ptr != text.data() + slash || b.ec != std::errc{} ||
        b.ptr != text.data() + text.size() || s.count < 1 || s.index < 0 || s.index >= s.count) {
        return bad();
    }
    return s;
}

bool in_shard(std::string_view source_name, Shard shard) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : source_name) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return static_cast<int>(hash % static_cast<std::uint64_t>(shard.count)) == shard.index;
}

}  // namespace kpi
