#include "support/testdata.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kpi::test {

std::string testdata_path(const std::string& plugin, const std::string& name) {
    return std::string(KPI_SOURCE_DIR) + "/lib/" + plugin + "/testdata/" + name;
}

std::string testdata(const std::string& plugin, const std::string& name) {
    const std::string path = testdata_path(plugin, name);
    std::ifstream in(path, std::ios::binary);
    // A missing fixture must fail the test that wanted it, not feed it an empty answer.
    if (!in) throw std::runtime_error("cannot read test data " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace kpi::test
