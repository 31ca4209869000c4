// --address: Carbon's HOST:PORT, parsed once when the sink's settings are filled.

#include <gtest/gtest.h>

#include "sinks/graphite/graphite.hpp"

using namespace kpi;

TEST(GraphiteAddress, NamesAddressesAndBracketedIpv6) {
    const auto name = parse_host_port("graphite.cern.ch:2003");
    EXPECT_EQ(name.host, "graphite.cern.ch");
    EXPECT_EQ(name.port, "2003");
    const auto v4 = parse_host_port("10.0.0.5:2003");
    EXPECT_EQ(v4.host, "10.0.0.5");
    const auto v6 = parse_host_port("[::1]:2003");
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.port, "2003");
    EXPECT_EQ(v6.text(), "[::1]:2003");
    EXPECT_EQ(name.text(), "graphite.cern.ch:2003");
    EXPECT_EQ(parse_host_port("h:1").port, "1");
    EXPECT_EQ(parse_host_port("h:65535").port, "65535");
}

TEST(GraphiteAddress, WhatIsNotHostColonPortSaysSoQuotingIt) {
    for (const std::string text : {"localhost", "localhost:", ":2003", "localhost:http", "::1:2003", "[::1]2003",
                                   "host:0", "host:65536", "host:70000", "host:-1", "host:123456", "host: 80"}) {
        try {
            parse_host_port(text);
            ADD_FAILURE() << text << " was taken";
        } catch (const SettingError& e) {
            EXPECT_EQ(std::string(e.what()), "\"" + text + "\" is not HOST:PORT (e.g. localhost:2003, [::1]:2003)");
        }
    }
}
