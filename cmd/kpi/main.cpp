#include <cstdio>
#include <cstring>

#include "core/version.hpp"

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "version") == 0) std::printf("kpi %s\n", kpi::kVersion);
    return 0;
}
