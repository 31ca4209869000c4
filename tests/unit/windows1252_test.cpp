#include <gtest/gtest.h>

#include "core/windows1252.hpp"

using kpi::windows1252_to_utf8;

TEST(Windows1252, AsciiPassesThrough) {
    EXPECT_EQ(windows1252_to_utf8("CERN.ZENODO 10.5281\n"), "CERN.ZENODO 10.5281\n");
    EXPECT_EQ(windows1252_to_utf8(""), "");
}

TEST(Windows1252, Latin1RangeBecomesTwoBytes) {
    EXPECT_EQ(windows1252_to_utf8("\xE9" "cole"), "\xC3\xA9" "cole");  // école
    EXPECT_EQ(windows1252_to_utf8("\xA0"), "\xC2\xA0");                 // no-break space
    EXPECT_EQ(windows1252_to_utf8("\xFF"), "\xC3\xBF");                 // ÿ
}

TEST(Windows1252, HighControlRangeIsTypography) {
    EXPECT_EQ(windows1252_to_utf8("\x80"), "\xE2\x82\xAC");  // euro sign U+20AC
    EXPECT_EQ(windows1252_to_utf8("\x93" "x" "\x94"), "\xE2\x80\x9C" "x" "\xE2\x80\x9D");  // curly quotes
    EXPECT_EQ(windows1252_to_utf8("\x96"), "\xE2\x80\x93");  // en dash
    EXPECT_EQ(windows1252_to_utf8("\x9F"), "\xC5\xB8");      // Ÿ U+0178
}

TEST(Windows1252, UndefinedBytesBecomeC1Controls) {
    // WHATWG: 0x81, 0x8D, 0x8F, 0x90, 0x9D decode to the code point of the same value.
    EXPECT_EQ(windows1252_to_utf8("\x81"), "\xC2\x81");
    EXPECT_EQ(windows1252_to_utf8("\x9D"), "\xC2\x9D");
}
