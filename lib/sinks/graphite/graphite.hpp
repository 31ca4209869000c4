#pragma once
// The Graphite sink (DESIGN §5): Carbon's plaintext protocol over TCP to `--address`.

#include <string>

#include "sinks/sink.hpp"

namespace kpi {

SinkInfo graphite_sink();

// Where Carbon listens.
struct HostPort {
    std::string host;  // a name or an address; IPv6 without brackets
    std::string port;  // 1 to 65535, digits only

    // As given: `localhost:2003`, `[::1]:2003`.
    std::string text() const;
};

// `localhost:2003`, `10.0.0.5:2003`, `[::1]:2003`; throws SettingError when malformed.
HostPort parse_host_port(const std::string& text);

}  // namespace kpi
