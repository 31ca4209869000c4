#pragma once
// Option declarations shared by the command line, the TOML config, `--help`, the man page
// and the completions, so that all of them describe the same options.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace kpi {

// The largest secret file read: room for a long bearer token (a JWT), nothing like a wrong file.
inline constexpr std::size_t kMaxSecretFileBytes = 16 * 1024;

enum class OptionKind {
    String,    // --url URL
    Integer,   // --site-id 12
    Number,    // --threshold 0.5
    Duration,  // --new-since 1d
    Flag,      // --all-versions (config: true/false)
    KeyValue,  // --field NAME=/json/pointer
    Secret,    // declared once as `api-key`; becomes --api-key-env VAR and --api-key-file PATH
};

struct OptionSpec {
    std::string name;         // without dashes: "new-since"; config key is "new_since"
    OptionKind kind = OptionKind::String;
    std::string help;
    std::string placeholder;  // shown in help: "DURATION", "NAME"; derived from kind when empty
    bool repeatable = false;  // config takes an array
    bool required = false;
    std::string default_value;          // documentation and default; empty: none
    std::vector<std::string> choices;   // allowed values, when a closed set
};

// "new-since" -> "new_since"
std::string config_key(std::string_view option_name);

// Values of one source's or sink's options, as given on the command line or in the config.
// Each value remembers where it came from so that errors can name it.
class OptionValues {
public:
    struct Value {
        std::string text;
        std::string origin;  // "--new-since" or "kpi.toml:12: new_since"
    };

    void add(const std::string& name, std::string text, std::string origin);
    bool has(const std::string& name) const;

    // The value (the last one given), else the spec's default, else nullopt.
    std::optional<std::string> get(const std::string& name) const;
    std::string get_or(const std::string& name, std::string fallback) const;
    std::vector<std::string> get_all(const std::string& name) const;
    // The values given, else the default (split at commas for a `repeatable` option), each
    // with its origin ("default of --name" for the default); empty when neither.
    std::vector<Value> given_or_default(const std::string& name, bool repeatable) const;
    const std::vector<Value>* raw(const std::string& name) const;

    // Typed getters; a malformed value throws UsageError naming its origin.
    std::optional<Duration> duration(const std::string& name) const;
    std::optional<std::int64_t> integer(const std::string& name) const;
    std::optional<double> number(const std::string& name) const;
    bool flag(const std::string& name) const;
    std::vector<std::pair<std::string, std::string>> key_values(const std::string& name) const;

    // Secret declared as `name`: reads `--name-env VAR` or `--name-file PATH`. nullopt
    // when neither was given; throws RuntimeError when the variable is unset or the file
    // unreadable or over kMaxSecretFileBytes (never quoting the secret). A trailing newline
    // in a file is dropped.
    std::optional<std::string> secret(const std::string& name) const;
    // Where a secret comes from, for `config check`: "env UR_KEY", "file /run/secrets/x".
    std::optional<std::string> secret_source(const std::string& name) const;

    // Fills in defaults and checks every value against its spec (kinds, choices,
    // required, Secret given in only one form). Throws UsageError. `entry` is where the
    // options come from when that is a config entry ("kpi.toml:12: sources[0]"), so that a
    // missing one is reported there, as a key; empty for the command line.
    void validate(const std::vector<OptionSpec>& specs, const std::string& entry = {});

    const std::map<std::string, std::vector<Value>>& all() const { return values_; }

private:
    std::map<std::string, std::vector<Value>> values_;
    std::map<std::string, std::string> defaults_;
};

// One option value's text as its kind; each throws UsageError naming `origin`.
std::optional<Duration> checked_duration(const std::string& text, const std::string& origin);
std::int64_t checked_integer(const std::string& text, const std::string& origin);
double checked_number(const std::string& text, const std::string& origin);
bool checked_flag(const std::string& text, const std::string& origin);
std::pair<std::string, std::string> checked_key_value(const std::string& text, const std::string& origin);

}  // namespace kpi
