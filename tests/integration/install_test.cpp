// What a packager and a developer at a fresh machine meet: `cmake --install` puts kpi, its
// man page and its completions where the tools look for them; the man page passes
// mandoc's lint; a machine without the test libraries still configures.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/programs.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;
namespace fs = std::filesystem;

namespace {

std::string build_dir() { return fs::path(KPI_BINARY).parent_path().string(); }

bool executable(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR);
}

}  // namespace

TEST(Install, PutsTheBinaryManPageAndCompletionsUnderThePrefix) {
    TempDir prefix;
    auto r = run_process({find_program("cmake"), "--install", build_dir(), "--prefix", prefix.path()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    const std::string kpi = prefix.file("bin/kpi");
    EXPECT_TRUE(executable(kpi)) << r.out;
    auto version = run_process({kpi, "version"});
    EXPECT_EQ(version.exit_code, 0) << version.err;
    EXPECT_EQ(version.out.rfind("kpi ", 0), 0u) << version.out;

    // man(1) finds share/man/man1; bash-completion, zsh's fpath and fish read these.
    const std::pair<const char*, const char*> installed[] = {
        {"share/man/man1/kpi.1", "man/kpi.1"},
        {"share/bash-completion/completions/kpi", "completions/kpi.bash"},
        {"share/zsh/site-functions/_kpi", "completions/_kpi"},
        {"share/fish/vendor_completions.d/kpi.fish", "completions/kpi.fish"},
    };
    for (const auto& [path, source] : installed) {
        ASSERT_TRUE(fs::exists(prefix.file(path))) << path << "\n" << r.out;
        EXPECT_EQ(read_file(prefix.file(path)), read_file(std::string(KPI_SOURCE_DIR) + "/" + source)) << path;
    }
}

TEST(ManPage, PassesMandocLintWithNothingToSay) {
    const std::string mandoc = find_program("mandoc");
    ASSERT_FALSE(mandoc.empty()) << "mandoc is not installed (scripts/setup --test)";
    auto r = run_process({mandoc, "-Tlint", "-W", "warning", std::string(KPI_SOURCE_DIR) + "/man/kpi.1"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out + r.err, "");
    // The lint is real: the page as it was before it had a date is warned about.
    TempDir dir;
    const std::string undated = dir.write("kpi.1", ".TH KPI 1 \"\" \"kpi\" \"User Commands\"\n.SH NAME\nkpi \\- x\n");
    auto control = run_process({mandoc, "-Tlint", "-W", "warning", undated});
    EXPECT_NE(control.out.find("missing date"), std::string::npos) << control.out << control.err;
}

TEST(Configure, WithoutTheTestLibrariesKpiStillConfigures) {
    TempDir build;
    // As on a machine without libgtest-dev: CMake is told GoogleTest cannot be found.
    auto r = run_process({find_program("cmake"), "-S", KPI_SOURCE_DIR, "-B", build.path(), "-G", "Ninja",
                          "-DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON"},
                         RunOptions{.timeout_seconds = 120});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    // CMake wraps the warning's lines.
    EXPECT_NE(r.err.find("CMake Warning"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("libgtest-dev"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("skipped"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(build.file("build.ninja")));
    EXPECT_FALSE(fs::exists(build.file("tests")));
}
