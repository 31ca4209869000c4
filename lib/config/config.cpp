#include "config/config.hpp"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "core/errors.hpp"
#include "core/secrets.hpp"
#include "http/redact.hpp"
#include "registry.hpp"

namespace kpi {

std::string expand_env(const std::string& text, const std::string& where) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto start = text.find("${", pos);
        if (start == std::string::npos) break;
        auto end = text.find('}', start + 2);
        if (end == std::string::npos) throw UsageError(where + ": unclosed ${ in \"" + text + "\"");
        out.append(text, pos, start - pos);
        const std::string name = text.substr(start + 2, end - start - 2);
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) throw UsageError(where + ": environment variable " + name + " is not set");
        out += value;
        pos = end + 1;
    }
    out.append(text, pos);
    return out;
}

namespace {

// Shorter query values (`auth=1`) are flags, not secrets, and masking them would garble logs.
constexpr std::size_t kMinRegisteredCredential = 8;

struct Loader {
    std::string path;

    std::string at(const toml::node& node, const std::string& key) const {
        return path + ":" + std::to_string(node.source().begin.line) + ": " + key;
    }

    [[noreturn]] void error(const toml::node& node, const std::string& key, const std::string& why) const {
        throw UsageError(at(node, key) + ": " + why);
    }

    std::string string_of(const toml::node& node, const std::string& key) const {
        if (auto s = node.value<std::string>(); s && node.is_string()) return expand_env(*s, at(node, key));
        error(node, key, "must be a string");
    }

    Duration duration_of(const toml::node& node, const std::string& key) const {
        auto d = parse_duration(string_of(node, key));
        if (!d) error(node, key, "is not a duration (write e.g. \"30s\", \"5m\")");
        return *d;
    }

    std::int64_t positive_int_of(const toml::node& node, const std::string& key, std::int64_t min) const {
        auto v = node.value<std::int64_t>();
        if (!node.is_integer() || !v) error(node, key, "must be an integer");
        if (*v < min) error(node, key, "must be at least " + std::to_string(min));
        return *v;
    }

    // A scalar option value as the command line would have given it.
    std::string scalar_text(const toml::node& node, const std::string& key, const OptionSpec& spec) const {
        switch (spec.kind) {
            case OptionKind::Flag:
                if (!node.is_boolean()) error(node, key, "must be true or false");
                return *node.value<bool>() ? "true" : "false";
            case OptionKind::Integer:
                // A string is read after ${VAR} expansion, so deployments can supply ids.
                if (node.is_string()) return string_of(node, key);
                if (!node.is_integer()) error(node, key, "must be an integer");
                return std::to_string(*node.value<std::int64_t>());
            case OptionKind::Number:
                if (node.is_string()) return string_of(node, key);
                if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
                if (!node.is_floating_point()) error(node, key, "must be a number");
                return std::to_string(*node.value<double>());
            default: return string_of(node, key);
        }
    }

    void read_http(const toml::table& table, HttpSettings& http) const {
        for (auto&& [k, v] : table) {
            const std::string key = "http." + std::string(k.str());
            if (k == "timeout") {
                http.timeout = duration_of(v, key);
            } else if (k == "connect_timeout") {
                http.connect_timeout = duration_of(v, key);
            } else if (k == "retries") {
                http.retries = static_cast<int>(positive_int_of(v, key, 0));
            } else if (k == "max_connections") {
                http.max_connections = static_cast<long>(positive_int_of(v, key, 1));
            } else if (k == "per_host") {
                http.per_host = static_cast<long>(positive_int_of(v, key, 1));
            } else if (k == "max_response_bytes") {
                http.max_response_bytes = static_cast<std::size_t>(positive_int_of(v, key, 1));
            } else {
                error(v, key,
                      "unknown key (known: timeout, connect_timeout, retries, max_connections, per_host, "
                      "max_response_bytes)");
            }
        }
    }

    void read_spool(const toml::table& table, SpoolSettings& spool) const {
        for (auto&& [k, v] : table) {
            const std::string key = "spool." + std::string(k.str());
            if (k == "dir") {
                spool.dir = string_of(v, key);
            } else if (k == "max_bytes") {
                spool.max_bytes = static_cast<std::uint64_t>(positive_int_of(v, key, 1));
            } else {
                error(v, key, "unknown key (known: dir, max_bytes)");
            }
        }
    }

    // Reads one [[sources]] or [[sinks]] table into OptionValues, checking keys against specs.
    void read_entry(const toml::table& table, const std::string& section, std::size_t index,
                    const std::vector<OptionSpec>& specs, bool has_tags, std::string& type, std::string& name,
                    OptionValues& values) const {
        const std::string prefix = section + "[" + std::to_string(index) + "].";
        for (auto&& [k, v] : table) {
            const std::string key(k.str());
            const std::string where = prefix + key;
            if (key == "type" || key == "name") continue;
            if (key == "tags" && has_tags) {
                auto* tags = v.as_table();
                if (!tags) error(v, where, "must be a table of strings, e.g. tags = { service = \"zenodo\" }");
                for (auto&& [tk, tv] : *tags) {
                    const std::string tag_where = where + "." + std::string(tk.str());
                    values.add("tag", std::string(tk.str()) + "=" + string_of(tv, tag_where), at(tv, tag_where));
                }
                continue;
            }
            const OptionSpec* spec = nullptr;
            std::string option;
            for (const auto& s : specs) {
                if (s.kind == OptionKind::Secret) {
                    if (key == config_key(s.name) + "_env" || key == config_key(s.name) + "_file") {
                        spec = &s;
                        option = s.name + (key.ends_with("_env") ? "-env" : "-file");
                    }
                } else if (key == config_key(s.name)) {
                    spec = &s;
                    option = s.name;
                }
                if (spec) break;
            }
            if (spec == nullptr) {
                std::string known;
                for (const auto& s : specs) {
                    if (s.name == "tag") continue;
                    known += (known.empty() ? "" : ", ") +
                             (s.kind == OptionKind::Secret ? config_key(s.name) + "_env, " + config_key(s.name) + "_file"
                                                           : config_key(s.name));
                }
                error(v, where, "unknown key for type \"" + type + "\" (known: type, name" +
                                    (has_tags ? std::string(", tags") : std::string()) + (known.empty() ? "" : ", ") +
                                    known + ")");
            }
            if (auto* array = v.as_array()) {
                if (!spec->repeatable) error(v, where, "takes one value, not an array");
                for (auto&& item : *array) values.add(option, scalar_text(item, where, *spec), at(item, where));
            } else if (spec->kind == OptionKind::Secret) {
                values.add(option, string_of(v, where), at(v, where));
            } else {
                values.add(option, scalar_text(v, where, *spec), at(v, where));
            }
        }
        // A credential in a URL query (`?token=${TOKEN}`) is a secret like any other: no log shows it.
        for (const auto& [option, given] : values.all()) {
            for (const auto& value : given) {
                for (const auto& credential : url_credentials(value.text)) {
                    if (credential.size() >= kMinRegisteredCredential) register_secret(credential);
                }
            }
        }
        if (auto* n = table.get("name")) {
            name = string_of(*n, prefix + "name");
            if (name.empty()) error(*n, prefix + "name", "must not be empty");
        } else {
            name = type;
        }
    }

    // "kpi.toml:12: sources[0] (type \"records\")": where a whole entry is, for what it lacks.
    std::string entry_origin(const toml::table& table, const std::string& section, std::size_t index,
                             const std::string& type) const {
        return path + ":" + std::to_string(table.source().begin.line) + ": " + section + "[" + std::to_string(index) +
               "] (type \"" + type + "\")";
    }

    std::string read_type(const toml::table& table, const std::string& section, std::size_t index) const {
        const std::string where = section + "[" + std::to_string(index) + "].type";
        auto* n = table.get("type");
        if (!n) {
            throw UsageError(path + ":" + std::to_string(table.source().begin.line) + ": " + where + ": missing");
        }
        return string_of(*n, where);
    }

    template <typename Entry>
    void check_unique(std::vector<Entry>& entries, const std::string& section,
                      const std::vector<const toml::table*>& tables) const {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (!seen.insert(entries[i].name).second) {
                throw UsageError(path + ":" + std::to_string(tables[i]->source().begin.line) + ": " + section + "[" +
                                 std::to_string(i) + "].name: duplicate name \"" + entries[i].name +
                                 "\" (give each entry a unique name)");
            }
        }
    }

    Config load(const toml::table& root) const {
        Config config;
        config.path = path;
        std::vector<const toml::table*> source_tables, sink_tables;
        for (auto&& [k, v] : root) {
            const std::string key(k.str());
            if (key == "http" && v.is_table()) {
                read_http(*v.as_table(), config.http);
            } else if (key == "spool" && v.is_table()) {
                read_spool(*v.as_table(), config.spool);
            } else if ((key == "sources" || key == "sinks") && v.is_array_of_tables()) {
                std::size_t index = 0;
                for (auto&& item : *v.as_array()) {
                    const auto& table = *item.as_table();
                    const std::string type = read_type(table, key, index);
                    if (key == "sources") {
                        const SourceInfo* info = find_source(type);
                        if (!info) error(*table.get("type"), key + "[" + std::to_string(index) + "].type",
                                         "unknown source type \"" + type + "\" (kpi list shows them)");
                        SourceConfig sc;
                        sc.type = type;
                        sc.origin = path + ":" + std::to_string(table.source().begin.line);
                        const auto specs = source_option_specs(*info);
                        read_entry(table, key, index, specs, true, sc.type, sc.name, sc.options);
                        sc.options.validate(specs, entry_origin(table, key, index, type));
                        config.sources.push_back(std::move(sc));
                        source_tables.push_back(&table);
                    } else {
                        const SinkInfo* info = find_sink(type);
                        if (!info) error(*table.get("type"), key + "[" + std::to_string(index) + "].type",
                                         "unknown sink type \"" + type + "\" (kpi list shows them)");
                        SinkConfig sc;
                        sc.type = type;
                        sc.origin = path + ":" + std::to_string(table.source().begin.line);
                        read_entry(table, key, index, info->options, false, sc.type, sc.name, sc.options);
                        sc.options.validate(info->options, entry_origin(table, key, index, type));
                        config.sinks.push_back(std::move(sc));
                        sink_tables.push_back(&table);
                    }
                    ++index;
                }
            } else if (key == "http" || key == "spool") {
                error(v, key, "must be a table: [" + key + "]");
            } else if (key == "sources" || key == "sinks") {
                error(v, key, "must be an array of tables: [[" + key + "]]");
            } else {
                error(v, key, "unknown key (known: http, spool, sources, sinks)");
            }
        }
        check_unique(config.sources, "sources", source_tables);
        check_unique(config.sinks, "sinks", sink_tables);
        if (config.spool.dir.empty()) config.spool.dir = default_spool_dir();
        return config;
    }
};

}  // namespace

Config parse_config(const std::string& text, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw UsageError(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
    }
    return Loader{path}.load(root);
}

Config load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read config file " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_config(ss.str(), path);
}

namespace {

void render_options(toml::table& table, const OptionValues& values, const std::vector<OptionSpec>& specs) {
    for (const auto& spec : specs) {
        if (spec.kind == OptionKind::Secret) {
            // The variable's name or the file's path, never the secret itself.
            for (const char* form : {"-env", "-file"}) {
                if (auto v = values.get(spec.name + form)) {
                    table.insert(config_key(spec.name + form), *v);
                }
            }
            continue;
        }
        if (spec.name == "tag") {
            toml::table tags;
            for (const auto& [k, v] : values.key_values("tag")) tags.insert_or_assign(k, v);
            if (!tags.empty()) table.insert("tags", std::move(tags));
            continue;
        }
        // get_all() splits a default on commas; a single-valued option keeps its default whole.
        std::vector<std::string> all;
        if (spec.repeatable) {
            all = values.get_all(spec.name);
        } else if (auto one = values.get(spec.name)) {
            all.push_back(*one);
        }
        if (all.empty()) continue;
        auto as_node = [&](const std::string& text) -> toml::table {
            toml::table holder;
            if (spec.kind == OptionKind::Flag) {
                holder.insert("v", text == "true" || text == "1");
            } else if (spec.kind == OptionKind::Integer) {
                holder.insert("v", std::stoll(text));
            } else {
                holder.insert("v", redact_url(text));  // a no-op on what is not a URL
            }
            return holder;
        };
        if (spec.repeatable) {
            toml::array array;
            for (const auto& text : all) array.push_back(*as_node(text).get("v"));
            table.insert(config_key(spec.name), std::move(array));
        } else {
            table.insert(config_key(spec.name), *as_node(all.back()).get("v"));
        }
    }
}

}  // namespace

std::string render_config(const Config& config) {
    toml::table root;
    root.insert("http", toml::table{{"timeout", format_duration(config.http.timeout)},
                                    {"connect_timeout", format_duration(config.http.connect_timeout)},
                                    {"retries", config.http.retries},
                                    {"max_connections", static_cast<std::int64_t>(config.http.max_connections)},
                                    {"per_host", static_cast<std::int64_t>(config.http.per_host)},
                                    {"max_response_bytes", static_cast<std::int64_t>(config.http.max_response_bytes)}});
    root.insert("spool", toml::table{{"dir", config.spool.dir},
                                     {"max_bytes", static_cast<std::int64_t>(config.spool.max_bytes)}});
    toml::array sources;
    for (const auto& s : config.sources) {
        toml::table t{{"type", s.type}, {"name", s.name}};
        if (const SourceInfo* info = find_source(s.type)) render_options(t, s.options, source_option_specs(*info));
        sources.push_back(std::move(t));
    }
    if (!sources.empty()) root.insert("sources", std::move(sources));
    toml::array sinks;
    for (const auto& s : config.sinks) {
        toml::table t{{"type", s.type}, {"name", s.name}};
        if (const SinkInfo* info = find_sink(s.type)) render_options(t, s.options, info->options);
        sinks.push_back(std::move(t));
    }
    if (!sinks.empty()) root.insert("sinks", std::move(sinks));
    std::ostringstream out;
    out << toml::toml_formatter(root) << "\n";
    return out.str();
}

}  // namespace kpi
