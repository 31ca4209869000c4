#include "plugin/base_url.hpp"

#include "plugin/settings.hpp"

namespace kpi {

std::string base_url(const std::string& text) {
    std::string url = text;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.empty()) throw SettingError("\"" + text + "\" is not a URL");
    return url;
}

}  // namespace kpi
