#pragma once
// run-all --shard I/N: a stable split of the sources across Kubernetes Indexed Jobs.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kpi {

struct Shard {
    int index = 0;
    int count = 1;
};

// "2/5" -> {2, 5}; throws UsageError when malformed or I is not in 0..N-1.
Shard parse_shard(std::string_view text);

// FNV-1a of the source name, so that a source stays on its shard across runs and hosts.
bool in_shard(std::string_view source_name, Shard shard);

// The shard of `--shard I/N`, or of `--shards N` with I from $JOB_COMPLETION_INDEX;
// nullopt when neither is given. Throws UsageError when malformed.
std::optional<Shard> resolve_shard(const std::string& shard_text, int shards);

// Each shard spools in its own subdirectory of the spool root, `<root>/shard-I-of-N`, so
// that the pods of an Indexed Job never share (or lock each other out of) one spool, and
// each can keep its spool on a volume of its own node.
std::string shard_spool_dir(const std::string& root, Shard shard);

// The spools under `root` that replay delivers: `root` itself, then every shard-I-of-N
// subdirectory in it, in name order.
std::vector<std::string> spool_roots(const std::string& root);

}  // namespace kpi
