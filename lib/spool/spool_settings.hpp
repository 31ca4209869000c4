#pragma once
// Where the spool lives and how large it may grow: the [spool] table of DESIGN §6, which
// lib/config reads and lib/spool uses (the spool needs nothing else of the config).

#include <cstdint>
#include <string>

namespace kpi {

struct SpoolSettings {
    std::string dir;                        // resolved: config, --spool-dir, or default_spool_dir()
    std::uint64_t max_bytes = 256ull << 20; // exceeding it is loud
};

// $XDG_STATE_HOME/kpi/spool, else ~/.local/state/kpi/spool, else /var/lib/kpi/spool.
std::string default_spool_dir();

}  // namespace kpi
