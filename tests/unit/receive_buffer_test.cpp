// The socket read size the HTTP client asks libcurl for (http/client.hpp).

#include <gtest/gtest.h>

#include "http/client.hpp"

using kpi::receive_buffer_bytes;

TEST(ReceiveBuffer, LargeForFewConnections) {
    EXPECT_EQ(receive_buffer_bytes(32), 512 * 1024);  // the default max_connections
    EXPECT_EQ(receive_buffer_bytes(1), 512 * 1024);
    EXPECT_EQ(receive_buffer_bytes(0), 512 * 1024);   // never a division by zero
}

TEST(ReceiveBuffer, AllTransfersTogetherStayWithin16MiB) {
    for (long connections : {64L, 100L, 256L, 1000L}) {
        EXPECT_LE(receive_buffer_bytes(connections) * connections, 16L << 20) << connections;
    }
}

TEST(ReceiveBuffer, NeverBelowLibcurlsDefault) {
    EXPECT_EQ(receive_buffer_bytes(1024), 16 * 1024);
    EXPECT_EQ(receive_buffer_bytes(10000), 16 * 1024);
}
