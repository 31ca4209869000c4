// What an HTML page says in a message: the title, else the visible text, read in one pass
// and only as far as the message needs.

#include <gtest/gtest.h>

#include <string>

#include "formats/html_summary.hpp"

using kpi::html_summary;

namespace {

std::string repeat(const std::string& piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

}  // namespace

TEST(HtmlSummary, TheTitleWithItsWhiteSpaceCollapsed) {
    const auto summary = html_summary("<html><head><title> 404  Not Found</title></head><body>x</body></html>", 300);
    EXPECT_EQ(summary.text, "404 Not Found");
    EXPECT_FALSE(summary.cut);
    EXPECT_EQ(html_summary("<TITLE>Bad &amp; worse&nbsp;&#x263A;</TITLE>", 300).text, "Bad & worse \xE2\x98\xBA");
}

TEST(HtmlSummary, WithoutATitleTheVisibleTextScriptsAndStylesLeftOut) {
    EXPECT_EQ(html_summary("<html><body><script>var x;</script><style>p{}</style><h1>Service\nUnavailable</h1>"
                           "<p>Try&nbsp;later</p>",
                           300)
                  .text,
              "Service Unavailable Try later");
    // An empty title says nothing: the text does.
    EXPECT_EQ(html_summary("<title> </title><p>Gateway timeout</p>", 300).text, "Gateway timeout");
    EXPECT_EQ(html_summary("<html></html>", 300).text, "");
}

TEST(HtmlSummary, CutNeverInsideACharacterAndSaysSo) {
    const std::string page = "<p>" + std::string(299, 'b') + "\xC3\xA9tail" + std::string(400, 'a') + "</p>";
    const auto summary = html_summary(page, 300);
    EXPECT_EQ(summary.text, std::string(299, 'b'));
    EXPECT_TRUE(summary.cut);
    EXPECT_FALSE(html_summary("<p>" + std::string(300, 'b') + "</p>", 300).cut);
}

TEST(HtmlSummary, HostilePagesCostTheirLengthOnly) {
    // A million unclosed tags before the words: no tree is built.
    EXPECT_EQ(html_summary(repeat("<div>", 1000000) + "<p>Service down</p>", 300).text, "Service down");
    // One token that is most of the page: only its start is read.
    const auto title = html_summary("<title>" + std::string(10 << 20, 'x') + "</title>", 300);
    EXPECT_EQ(title.text, std::string(300, 'x'));
    EXPECT_TRUE(title.cut);
    // ... even when that start is white space: the words after it were not read.
    const auto blank = html_summary("<p>" + std::string(10 << 20, ' ') + "late words</p>", 300);
    EXPECT_EQ(blank.text, "");
    EXPECT_TRUE(blank.cut);
}
