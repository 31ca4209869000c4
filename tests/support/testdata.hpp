#pragma once
// The one way tests read a plugin's recorded answers: lib/<plugin>/testdata/<name>, where
// the folder's README.md says where each came from.

#include <string>

namespace kpi::test {

// testdata("sources/datacite", "dois_10.5281.json"); throws when the file cannot be read.
std::string testdata(const std::string& plugin, const std::string& name);
// Its path, for tests that hand the file to kpi or a fake server.
std::string testdata_path(const std::string& plugin, const std::string& name);

}  // namespace kpi::test
