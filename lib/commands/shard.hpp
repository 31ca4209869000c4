#pragma once
// run-all --shard I/N: a stable split of the sources across Kubernetes Indexed Jobs.

#include <string>
#include <string_view>

namespace kpi {

struct Shard {
    int index = 0;
    int count = 1;
};

// "2/5" -> {2, 5}; throws UsageError when malformed or I is not in 0..N-1.
Shard parse_shard(std::string_view text);

// FNV-1a of the source name, so that a source stays on its shard across runs and hosts.
bool in_shard(std::string_view source_name, Shard shard);

}  // namespace kpi
