// The socket read size the HTTP client asks libcurl for (http/client.hpp).

#include <gtest/gtest.h>

#include "http/client.hpp"

using kpi::receive_buffer_bytes;

TEST(ReceiveBuffer, LargeForALoneTransfer) {
    EXPECT_EQ(receive_buffer_bytes(1), 512 * 1024);  // a lone report: a few reads
    EXPECT_EQ(receive_buffer_bytes(8), 512 * 1024);
    EXPECT_EQ(receive_buffer_bytes(0), 512 * 1024);  // never a division by zero
}

TEST(ReceiveBuffer, TransfersAtOnceShareFourMiB) {
    EXPECT_EQ(receive_buffer_bytes(32), 128 * 1024);  // the default max_connections, all busy
    EXPECT_EQ(receive_buffer_bytes(1024), 4 * 1024);
    for (long transfers : {9L, 64L, 100L, 256L, 1000L, 4096L}) {
        EXPECT_LE(receive_buffer_bytes(transfers) * transfers, 4L << 20) << transfers;
    }
}

TEST(ReceiveBuffer, NeverBelowLibcurlsLeast) {
    EXPECT_EQ(receive_buffer_bytes(4096), 1024);
    EXPECT_EQ(receive_buffer_bytes(10000), 1024);
    EXPECT_EQ(receive_buffer_bytes(1L << 40), 1024);
}
