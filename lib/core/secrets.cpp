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

}  // namespace kpi
