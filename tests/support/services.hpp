#pragma once
// Where the real servers that scripts/test started listen (tests/services/*).

#include <string>

namespace kpi::test {

// The value of an environment variable a service script exported. Fails the calling test
// (by returning "") with a message naming the variable when it is missing: these tests
// need scripts/test, which starts the servers.
std::string service_env(const char* name);

}  // namespace kpi::test
