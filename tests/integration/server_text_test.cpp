// What a server says reaches the logs only redacted and escaped: a hostile or broken
// upstream can neither fake log lines, garble a terminal, nor get a secret quoted in part.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <string>

#include "support/fake_server.hpp"
#include "support/run_kpi.hpp"

using namespace kpi::test;

namespace {

bool has_control_bytes(const std::string& text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\n') || byte == 0x7f) return true;
    }
    return false;
}

}  // namespace

TEST(ServerText, EscapeSequencesAndNulFromAnErrorBodyAreEscapedInTheLog) {
    FakeServer fake;
    fake.get("/api/records", [](const httplib::Request&, httplib::Response& res) {
        res.status = 400;  // not retried
        res.set_content(std::string("\x1b[2K\r\x1b[1Akpi: info: all points delivered\n\x1b]0;pwned\x07") + '\0' +
                            "\xff tail",
                        "text/plain");
    });
    fake.start();
    for (const char* format : {"text", "json"}) {
        auto r = run_kpi({"--log-format", format, "collect", "records", "--url", fake.url("/api/records")});
        EXPECT_EQ(r.exit_code, 1) << r.err;
        EXPECT_FALSE(has_control_bytes(r.err)) << r.err;
        EXPECT_NE(r.err.find("HTTP 400"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("\\x1b[2K"), std::string::npos) << r.err;
        std::istringstream lines(r.err);
        int count = 0;
        for (std::string line; std::getline(lines, line); ++count) {
            // The server's "line" is part of kpi's line, never one of its own.
            EXPECT_FALSE(line.starts_with("kpi: info: all points delivered")) << r.err;
            if (std::string(format) == "json") {
                simdjson::dom::parser parser;
                simdjson::dom::element e;
                EXPECT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << "not a JSON line: " << line;
            }
        }
        EXPECT_EQ(count, 1) << r.err;
    }
}

TEST(ServerText, AKeyEchoedAcrossTheMessageCutIsNotShownMinusItsLastCharacter) {
    const std::string key = "ur-v3-bearer-0123456789abcdef";
    FakeServer fake;
    fake.get(R"(/v3/monitors.*)", [&](const httplib::Request& req, httplib::Response& res) {
        res.status = 401;
        // The key ends one byte after the 300-byte cut of a quoted message.
        const std::string echoed = req.get_header_value("Authorization").substr(7);
        res.set_content(R"({"message":")" + std::string(301 - echoed.size(), '.') + echoed + R"( is not valid"})",
                        "application/json");
    });
    fake.start();
    auto r = run_kpi({"collect", "uptimerobot", "--url", fake.url(), "--api-version", "3", "--api-key-env",
                      "KPI_TEST_UR_V3_KEY"},
                     RunOptions{.env = {{"KPI_TEST_UR_V3_KEY", key}}});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(key.substr(0, 8)), std::string::npos) << r.err;
}
