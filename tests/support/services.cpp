#include "support/services.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace kpi::test {

std::string service_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        ADD_FAILURE() << name << " is not set: run the tests through scripts/test, which starts the servers";
        return "";
    }
    return value;
}

}  // namespace kpi::test
