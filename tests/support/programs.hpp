#pragma once
// Finding the real tools the tests run (promtool, mandoc, cmake) on $PATH.

#include <string>

namespace kpi::test {

// The program's full path, or "" when no directory of $PATH has it.
std::string find_program(const std::string& name);

}  // namespace kpi::test
