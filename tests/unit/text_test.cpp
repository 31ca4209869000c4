// The shared text helpers (lib/core/text.hpp) and write_all (lib/core/write_all.hpp).

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "core/text.hpp"
#include "core/write_all.hpp"

using namespace kpi;

TEST(Text, AsciiLowerFoldsOnlyAsciiLetters) {
    EXPECT_EQ(ascii_lower("Content-Type: TEXT/Html; Charset=UTF-8"), "content-type: text/html; charset=utf-8");
    // UTF-8 bytes stay as they are, whatever the locale: "É" is C3 89.
    EXPECT_EQ(ascii_lower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");
}

TEST(Text, TrimRemovesAsciiSpaceAtBothEndsOnly) {
    EXPECT_EQ(trim(" \t\r\n value with  inner space \f\v"), "value with  inner space");
    EXPECT_EQ(trim(" \t "), "");
    EXPECT_EQ(trim(""), "");
    // A no-break space is not ASCII space: HTML text has its own normalisation.
    EXPECT_EQ(trim("\xC2\xA0x"), "\xC2\xA0x");
}

TEST(WriteAll, WritesEverythingThroughAPipeSmallerThanTheBuffer) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::string text(1 << 20, 'k');  // larger than a pipe's 64 KiB: several short writes
    std::string read_back;
    std::thread reader([&] {
        char buffer[8192];
        for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) read_back.append(buffer, n);
    });
    EXPECT_TRUE(write_all(fds[1], text));
    ::close(fds[1]);
    reader.join();
    ::close(fds[0]);
    EXPECT_EQ(read_back, text);
}

TEST(WriteAll, AFailedWriteIsReportedWithErrno) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ::close(fds[0]);
    ::signal(SIGPIPE, SIG_IGN);
    errno = 0;
    EXPECT_FALSE(write_all(fds[1], "lost"));
    EXPECT_EQ(errno, EPIPE);
    ::close(fds[1]);
}
