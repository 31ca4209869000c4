#pragma once
// The TOML configuration of DESIGN §6, validated against the registry's option declarations.

#include <optional>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "sinks/sink.hpp"
#include "sources/source.hpp"
#include "spool/spool_settings.hpp"

namespace kpi {

struct Config {
    std::string path;  // empty when built from the command line alone
    HttpSettings http;
    SpoolSettings spool;
    std::vector<SourceConfig> sources;
    std::vector<SinkConfig> sinks;
};

// Parses and validates a config file. Unknown keys, wrong types, duplicate names, unknown
// source or sink types and unset ${VAR} throw UsageError naming the file, line and key.
Config load_config(const std::string& path);
// The same from text (tests); `path` is only used in messages.
Config parse_config(const std::string& text, const std::string& path);

// Replaces ${VAR} with the environment variable; throws UsageError naming `where` when unset.
std::string expand_env(const std::string& text, const std::string& where);

// The resolved config as TOML, secrets shown by where they come from, never by value.
std::string render_config(const Config& config);

}  // namespace kpi
