#include <gtest/gtest.h>

#include "http/url.hpp"

using namespace kpi;

TEST(Url, Rfc3986NormalExamples) {
    const std::string base = "http://a/b/c/d;p?q";
    const std::vector<std::pair<std::string, std::string>> cases{
        {"g:h", "g:h"},           {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},          {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"}, {"", "http://a/b/c/d;p?q"},  {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},    {"..", "http://a/b/"},        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},   {"../..", "http://a/"},       {"../../", "http://a/"},
        {"../../g", "http://a/g"},
    };
    for (const auto& [ref, expected] : cases) EXPECT_EQ(resolve_reference(base, ref), expected) << ref;
}

TEST(Url, Rfc3986AbnormalExamples) {
    const std::string base = "http://a/b/c/d;p?q";
    const std::vector<std::pair<std::string, std::string>> cases{
        {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},      {"g.", "http://a/b/c/g."},       {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."},  {"..g", "http://a/b/c/..g"},     {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"},   {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"},   {"g#s/../x", "http://a/b/c/g#s/../x"},
    };
    for (const auto& [ref, expected] : cases) EXPECT_EQ(resolve_reference(base, ref), expected) << ref;
}

TEST(Url, IndexLinkShapes) {
    const std::string index = "https://stats.datacite.org/stats/resolution-report/";
    EXPECT_EQ(resolve_reference(index, "resolutions_06_2018.html"),
              "https://stats.datacite.org/stats/resolution-report/resolutions_06_2018.html");
    EXPECT_EQ(resolve_reference("http://127.0.0.1:8080/index.html", "reports/r.html"),
              "http://127.0.0.1:8080/reports/r.html");
    EXPECT_EQ(resolve_reference("http://127.0.0.1:8080", "r.html"), "http://127.0.0.1:8080/r.html");
    EXPECT_EQ(resolve_reference("http://h/a/index.html?x=1", "https://other/r.html"), "https://other/r.html");
    EXPECT_EQ(without_fragment("http://h/r.html#top"), "http://h/r.html");
}
