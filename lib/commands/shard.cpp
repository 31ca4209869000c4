#include "commands/shard.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <regex>

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

std::optional<Shard> resolve_shard(const std::string& shard_text, int shards) {
    if (!shard_text.empty()) return parse_shard(shard_text);
    if (shards <= 0) return std::nullopt;
    const char* index = std::getenv("JOB_COMPLETION_INDEX");
    if (!index) throw UsageError("--shards needs $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it)");
    return parse_shard(std::string(index) + "/" + std::to_string(shards));
}

std::string shard_spool_dir(const std::string& root, Shard shard) {
    return root + "/shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count);
}

std::vector<std::string> spool_roots(const std::string& root) {
    std::vector<std::string> roots{root};
    std::vector<std::string> shards;
    static const std::regex shard_name("shard-[0-9]+-of-[0-9]+");
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory(error) && std::regex_match(name, shard_name)) shards.push_back(entry.path().string());
    }
    std::sort(shards.begin(), shards.end());
    roots.insert(roots.end(), shards.begin(), shards.end());
    return roots;
}

}  // namespace kpi
