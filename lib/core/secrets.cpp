#include "core/secrets.hpp"

#include <algorithm>
#include <mutex>

namespace kpi {
namespace {

std::mutex g_mutex;
std::vector<std::string> g_secrets;

}  // namespace

void register_secret(const std::string& secret) {
    if (secret.empty()) return;
    std::lock_guard lock(g_mutex);
    if (std::find(g_secrets.begin(), g_secrets.end(), secret) == g_secrets.end()) g_secrets.push_back(secret);
}

std::vector<std::string> registered_secrets() {
    std::lock_guard lock(g_mutex);
    return g_secrets;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets) {
        if (secret.empty()) continue;
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
            text.replace(pos, secret.size(), "***");
        }
    }
    return text;
}

}  // namespace kpi
