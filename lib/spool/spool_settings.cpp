#include "spool/spool_settings.hpp"

#include <cstdlib>

namespace kpi {

std::string default_spool_dir() {
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) return std::string(state) + "/kpi/spool";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/state/kpi/spool";
    return "/var/lib/kpi/spool";
}

}  // namespace kpi
