#include <gtest/gtest.h>

#include "core/base64.hpp"

using namespace kpi;

TEST(Base64, Rfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("user:p\xc3\xa4ss"), "dXNlcjpww6Rzcw==");
}

TEST(Base64, UrlSafeAlphabet) {
    EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
    EXPECT_EQ(base64_url_encode("\xfb\xff"), "-_8=");
    EXPECT_EQ(base64_url_encode("a/b"), "YS9i");
}
