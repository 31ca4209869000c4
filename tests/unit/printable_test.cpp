#include <gtest/gtest.h>

#include "core/printable.hpp"

using namespace kpi;

TEST(Printable, ControlCharactersAndBrokenUtf8AreEscapedTextIsKept) {
    EXPECT_EQ(printable("plain text, 100% ok"), "plain text, 100% ok");
    EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(printable("\x1b[31mred\r\n\t\x7f"), "\\x1b[31mred\\x0d\\x0a\\x09\\x7f");
    EXPECT_EQ(printable("\xc2\x85 \xc2\x9b \xc2\xa0"), "\\u0085 \\u009b \xc2\xa0");  // C1 escaped, NBSP kept
    EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x93\x88"), "caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x93\x88");
    EXPECT_EQ(printable("\xff\xc3"), "\\xff\\xc3");                 // not UTF-8, and a sequence cut short
    EXPECT_EQ(printable("\xc0\xaf \xed\xa0\x80"), "\\xc0\\xaf \\xed\\xa0\\x80");  // overlong, surrogate
}
