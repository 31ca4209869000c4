#pragma once
// The Graphite sink (DESIGN §5): Carbon's plaintext protocol over TCP to `--address`.

#include <optional>
#include <string>
#include <string_view>

#include "sinks/sink.hpp"

namespace kpi {

SinkInfo graphite_sink();

struct HostPort {
    std::string host;
    std::string port;
};

// `localhost:2003`, `10.0.0.5:2003`, `[::1]:2003`. nullopt when malformed.
std::optional<HostPort> parse_host_port(std::string_view text);

}  // namespace kpi
