#pragma once
// Typed plugin settings. A plugin declares each of its options once, bound to a member of
// its own settings struct (name, help, default, choices: an OptionSpec). The declaration
// drives the command line, the TOML config, `config check`, the man page and the
// completions; the core checks the values against it and fills the struct before the
// plugin runs, so a plugin never looks an option up by name and a default is written once.
//
//     struct RecordsSettings { std::string url; std::optional<Duration> new_since; };
//     const auto schema = SettingsSchema<RecordsSettings>{}
//         .add(&RecordsSettings::url, {.name = "url", .help = "...", .default_value = "https://..."})
//         .add(&RecordsSettings::new_since, {.name = "new-since", .help = "..."});
//
// The option's kind follows from the member's type (std::string: String, bool: Flag,
// std::int64_t: Integer, double: Number, Duration, KeyValues, SecretRef; a std::vector of
// one of them is repeatable; a std::optional is absent unless given or defaulted). A member
// of the plugin's own type takes a parser from the option's text, which throws
// SettingError; the core adds where the bad value came from.

#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/options.hpp"
#include "core/time.hpp"

namespace kpi {

// A value, or a combination of values, the plugin cannot work with. Thrown by a parser
// (the core prefixes the value's origin: "kpi.toml:12: address: ...") or by a check
// (prefixed with the entry: "kpi.toml:10: sink graphite: ...").
class SettingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// A secret option (`api-key`): where its value is, not the value. The plugin reads it when
// it runs, so that `config check` and `--help` never touch the secret.
class SecretRef {
public:
    SecretRef() = default;
    SecretRef(std::string name, const OptionValues& values);

    // Given as --NAME-env or --NAME-file.
    explicit operator bool() const { return source().has_value(); }
    // The secret (registered for redaction), or nullopt when not given. Throws
    // RuntimeError when the variable is unset or the file unreadable.
    std::optional<std::string> read() const;
    // "env UR_KEY", "file /run/secrets/x": what errors may name instead of the secret.
    std::optional<std::string> source() const;

private:
    std::string name_;
    OptionValues values_;  // only NAME-env and NAME-file
};

namespace settings_detail {

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// The type of one value of a member: T, or what a std::vector or std::optional holds.
template <class T>
struct element_of {
    using type = T;
};
template <class T>
struct element_of<std::vector<T>> {
    using type = T;
};
template <class T>
struct element_of<std::optional<T>> {
    using type = T;
};
template <class T>
using element_t = typename element_of<T>::type;

// The kind of option a member of type T declares: that of one of its values.
template <class T>
constexpr OptionKind kind_of() {
    using E = element_t<T>;
    if constexpr (std::is_same_v<E, bool>) return OptionKind::Flag;
    else if constexpr (std::is_same_v<E, std::int64_t>) return OptionKind::Integer;
    else if constexpr (std::is_same_v<E, double>) return OptionKind::Number;
    else if constexpr (std::is_same_v<E, Duration>) return OptionKind::Duration;
    else if constexpr (std::is_same_v<E, SecretRef>) return OptionKind::Secret;
    else if constexpr (std::is_same_v<E, std::pair<std::string, std::string>>) return OptionKind::KeyValue;
    else return OptionKind::String;
}

// One value's text parsed as T (a built-in kind); throws UsageError naming `origin`.
std::string parse_text(const OptionValues::Value& value, std::string*);
bool parse_text(const OptionValues::Value& value, bool*);
std::int64_t parse_text(const OptionValues::Value& value, std::int64_t*);
double parse_text(const OptionValues::Value& value, double*);
Duration parse_text(const OptionValues::Value& value, Duration*);
std::pair<std::string, std::string> parse_text(const OptionValues::Value& value, std::pair<std::string, std::string>*);

// Runs a plugin's parser on one value, turning its SettingError into a UsageError that
// names where the value came from.
template <class Parse>
auto parse_with(const Parse& parse, const OptionValues::Value& value) {
    try {
        return parse(value.text);
    } catch (const SettingError& e) {
        throw UsageError(value.origin + ": " + e.what());
    }
}

// Assigns the option's values (given, else the default) to a member of type T, each
// value turned into the member's element type by `one`.
template <class T, class One>
void assign(T& member, const std::vector<OptionValues::Value>& values, const One& one) {
    if constexpr (is_vector<T>::value) {
        member.clear();
        for (const auto& value : values) member.push_back(one(value));
    } else if constexpr (is_optional<T>::value) {
        member.reset();
        if (!values.empty()) member = one(values.back());
    } else {
        if (!values.empty()) member = one(values.back());
    }
}

}  // namespace settings_detail

template <class S>
class SettingsSchema {
public:
    // A member of a built-in kind; spec.kind and spec.repeatable follow from its type.
    template <class T>
    SettingsSchema& add(T S::*member, OptionSpec spec) {
        using namespace settings_detail;
        spec.kind = kind_of<T>();
        spec.repeatable = is_vector<T>::value;
        const std::string name = spec.name;
        specs_.push_back(std::move(spec));
        binders_.push_back([member, name](S& settings, const OptionValues& values) {
            if constexpr (std::is_same_v<T, SecretRef>) {
                settings.*member = SecretRef(name, values);
            } else {
                using E = element_t<T>;
                assign(settings.*member, values.given_or_default(name, is_vector<T>::value),
                       [](const OptionValues::Value& v) { return parse_text(v, static_cast<E*>(nullptr)); });
            }
        });
        return *this;
    }

    // A member of the plugin's own type, parsed from the option's text by `parse`
    // (`Element parse(const std::string&)`, throwing SettingError). The option is a
    // String unless spec.kind says otherwise; repeatable when the member is a vector.
    template <class T, class Parse>
        requires std::invocable<const Parse&, const std::string&>
    SettingsSchema& add(T S::*member, OptionSpec spec, Parse parse) {
        using namespace settings_detail;
        spec.repeatable = is_vector<T>::value;
        const std::string name = spec.name;
        specs_.push_back(std::move(spec));
        binders_.push_back([member, name, parse = std::move(parse)](S& settings, const OptionValues& values) {
            assign(settings.*member, values.given_or_default(name, is_vector<T>::value),
                   [&](const OptionValues::Value& v) { return parse_with(parse, v); });
        });
        return *this;
    }

    // A rule over several options (`--mode api` needs `--prefix`): throws SettingError.
    SettingsSchema& check(std::function<void(const S&)> rule) {
        checks_.push_back(std::move(rule));
        return *this;
    }

    const std::vector<OptionSpec>& specs() const { return specs_; }

    // The settings from values that OptionValues::validate has checked against specs().
    // Throws UsageError: `entry` ("kpi.toml:10: source zenodo") prefixes a failed check.
    S bind(const OptionValues& values, const std::string& entry) const {
        // Checked again here so that defaults apply to values no config or command line
        // validated (collect's own stdout sink); a value that failed would have failed there.
        OptionValues checked = values;
        checked.validate(specs_, entry);
        S settings{};
        for (const auto& binder : binders_) binder(settings, checked);
        for (const auto& rule : checks_) {
            try {
                rule(settings);
            } catch (const SettingError& e) {
                throw UsageError(entry + ": " + e.what());
            }
        }
        return settings;
    }

private:
    std::vector<OptionSpec> specs_;
    std::vector<std::function<void(S&, const OptionValues&)>> binders_;
    std::vector<std::function<void(const S&)>> checks_;
};

}  // namespace kpi
