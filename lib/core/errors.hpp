#pragma once
// The two kinds of failure DESIGN §7 distinguishes by exit status.

#include <stdexcept>
#include <string>

namespace kpi {

// Bad command line or configuration: exit 2, nothing collected or sent.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Something failed while running: exit 1, everything else still delivered.
class RuntimeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace kpi
