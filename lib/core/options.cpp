#include "core/options.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "core/errors.hpp"
#include "core/log.hpp"

namespace kpi {

std::string config_key(std::string_view option_name) {
    std::string key(option_name);
    std::replace(key.begin(), key.end(), '-', '_');
    return key;
}

void OptionValues::add(const std::string& name, std::string text, std::string origin) {
    values_[name].push_back(Value{std::move(text), std::move(origin)});
}

bool OptionValues::has(const std::string& name) const { return values_.count(name) != 0; }

const std::vector<OptionValues::Value>* OptionValues::raw(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? nullptr : &it->second;
}

std::optional<std::string> OptionValues::get(const std::string& name) const {
    if (auto* v = raw(name); v && !v->empty()) return v->back().text;
    if (auto it = defaults_.find(name); it != defaults_.end()) return it->second;
    return std::nullopt;
}

std::string OptionValues::get_or(const std::string& name, std::string fallback) const {
    auto v = get(name);
    return v ? *v : std::move(fallback);
}

std::vector<std::string> OptionValues::get_all(const std::string& name) const {
    std::vector<std::string> out;
    if (auto* v = raw(name)) {
        for (const auto& value : *v) out.push_back(value.text);
    } else if (auto it = defaults_.find(name); it != defaults_.end()) {
        // A repeatable option's default is a comma-separated list: "incident,sc_req_item".
        std::stringstream ss(it->second);
        std::string item;
        while (std::getline(ss, item, ',')) out.push_back(item);
    }
    return out;
}

std::vector<OptionValues::Value> OptionValues::given_or_default(const std::string& name, bool repeatable) const {
    if (auto* v = raw(name); v && !v->empty()) return *v;
    std::vector<Value> out;
    auto it = defaults_.find(name);
    if (it == defaults_.end()) return out;
    const std::string origin = "default of --" + name;
    if (repeatable) {
        for (auto& item : get_all(name)) out.push_back(Value{std::move(item), origin});
    } else {
        out.push_back(Value{it->second, origin});
    }
    return out;
}

namespace {

std::string origin_of(const OptionValues& values, const std::string& name) {
    if (auto* v = values.raw(name); v && !v->empty()) return v->back().origin;
    return "default of --" + name;
}

}  // namespace

std::optional<Duration> checked_duration(const std::string& text, const std::string& origin) {
    auto d = parse_duration(text);
    if (!d) throw UsageError(origin + ": \"" + text + "\" is not a duration (write e.g. 30s, 5m, 1h, 7d)");
    return d;
}

std::int64_t checked_integer(const std::string& text, const std::string& origin) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        throw UsageError(origin + ": \"" + text + "\" is not an integer");
    }
    return v;
}

double checked_number(const std::string& text, const std::string& origin) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        throw UsageError(origin + ": \"" + text + "\" is not a number");
    }
    return v;
}

bool checked_flag(const std::string& text, const std::string& origin) {
    if (text == "true" || text == "1" || text.empty()) return true;
    if (text == "false" || text == "0") return false;
    throw UsageError(origin + ": \"" + text + "\" is not true or false");
}

std::pair<std::string, std::string> checked_key_value(const std::string& text, const std::string& origin) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw UsageError(origin + ": \"" + text + "\" is not KEY=VALUE");
    }
    return {text.substr(0, eq), text.substr(eq + 1)};
}

std::optional<Duration> OptionValues::duration(const std::string& name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    return checked_duration(*v, origin_of(*this, name));
}

std::optional<std::int64_t> OptionValues::integer(const std::string& name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    return checked_integer(*v, origin_of(*this, name));
}

std::optional<double> OptionValues::number(const std::string& name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    return checked_number(*v, origin_of(*this, name));
}

bool OptionValues::flag(const std::string& name) const {
    auto v = get(name);
    return v && checked_flag(*v, origin_of(*this, name));
}

std::vector<std::pair<std::string, std::string>> OptionValues::key_values(const std::string& name) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (auto* v = raw(name)) {
        for (const auto& value : *v) out.push_back(checked_key_value(value.text, value.origin));
    }
    return out;
}

namespace {

// A secret file without its trailing newline, read no further than kMaxSecretFileBytes: a
// key, token or password is short, and a wrong path (`/dev/zero`, a log file) must not be
// read into memory whole.
std::string read_secret_file(const std::string& path, const std::string& origin) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw RuntimeError(origin + ": cannot read secret file " + path + ": " + std::strerror(errno));
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            throw RuntimeError(origin + ": cannot read secret file " + path + ": " + std::strerror(error));
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxSecretFileBytes + 2) break;  // room for a trailing "\r\n"
    }
    ::close(fd);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.size() > kMaxSecretFileBytes) {
        throw RuntimeError(origin + ": secret file " + path + " is larger than " + std::to_string(kMaxSecretFileBytes) +
                           " bytes, too large for a key, token or password");
    }
    return text;
}

}  // namespace

std::optional<std::string> OptionValues::secret(const std::string& name) const {
    if (auto var = get(name + "-env")) {
        const char* value = std::getenv(var->c_str());
        if (value == nullptr) {
            throw RuntimeError(origin_of(*this, name + "-env") + ": environment variable " + *var + " is not set");
        }
        register_secret(value);
        return std::string(value);
    }
    if (auto path = get(name + "-file")) {
        std::string text = read_secret_file(*path, origin_of(*this, name + "-file"));
        register_secret(text);
        return text;
    }
    return std::nullopt;
}

std::optional<std::string> OptionValues::secret_source(const std::string& name) const {
    if (auto var = get(name + "-env")) return "env " + *var;
    if (auto path = get(name + "-file")) return "file " + *path;
    return std::nullopt;
}

void OptionValues::validate(const std::vector<OptionSpec>& specs, const std::string& entry) {
    // A missing option is named as the user wrote the others: a flag, or a key of the entry.
    auto missing = [&](const std::string& option, const std::string& alternative = {}) {
        if (entry.empty()) {
            return UsageError("missing required option --" + option + (alternative.empty() ? "" : " or --" + alternative));
        }
        return UsageError(entry + ": missing required key " + config_key(option) +
                          (alternative.empty() ? "" : " or " + config_key(alternative)));
    };
    for (const auto& spec : specs) {
        if (spec.kind == OptionKind::Secret) {
            const bool env = has(spec.name + "-env"), file = has(spec.name + "-file");
            if (env && file) {
                throw UsageError(origin_of(*this, spec.name + "-file") + ": give --" + spec.name + "-env or --" +
                                 spec.name + "-file, not both");
            }
            if (spec.required && !env && !file) {
                throw missing(spec.name + "-env", spec.name + "-file");
            }
            continue;
        }
        if (!spec.default_value.empty()) defaults_[spec.name] = spec.default_value;
        const auto* values = raw(spec.name);
        if (!values || values->empty()) {
            if (spec.required && spec.default_value.empty()) throw missing(spec.name);
            continue;
        }
        if (!spec.repeatable && values->size() > 1) {
            throw UsageError(values->back().origin + ": --" + spec.name + " is given more than once");
        }
        for (const auto& value : *values) {
            switch (spec.kind) {
                case OptionKind::Duration: checked_duration(value.text, value.origin); break;
                case OptionKind::Integer: checked_integer(value.text, value.origin); break;
                case OptionKind::Number: checked_number(value.text, value.origin); break;
                case OptionKind::Flag: checked_flag(value.text, value.origin); break;
                case OptionKind::KeyValue: checked_key_value(value.text, value.origin); break;
                case OptionKind::String:
                case OptionKind::Secret: break;
            }
            if (!spec.choices.empty() &&
                std::find(spec.choices.begin(), spec.choices.end(), value.text) == spec.choices.end()) {
                std::string allowed;
                for (const auto& c : spec.choices) allowed += (allowed.empty() ? "" : ", ") + c;
                throw UsageError(value.origin + ": \"" + value.text + "\" is not one of " + allowed);
            }
        }
    }
}

}  // namespace kpi
