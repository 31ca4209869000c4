// What kpi quotes from a server: secrets out (whole, and cut at the 300-byte limit),
// control characters escaped; credentials in URL queries hidden.

#include <gtest/gtest.h>

#include <string>

#include "core/secrets.hpp"
#include "http/redact.hpp"

using namespace kpi;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST(ServerMessage, ASecretCrossingTheCutIsRedactedWholeNotShownMinusItsTail) {
    const std::string key = "ur-bearer-0123456789abcdef";
    // The key starts 10 bytes before the cut at 300: shortening first, then redacting,
    // would show all of it but its last 16 characters.
    const std::string body = R"({"message":")" + std::string(290, 'x') + key + R"( is not a valid key"})";
    const std::string message = redact(server_message(body, {key}), {key});
    EXPECT_FALSE(contains(message, key.substr(0, 8))) << message;
    EXPECT_TRUE(contains(message, std::string(290, 'x') + "***")) << message;
}

TEST(ServerMessage, SecretsRegisteredByTheProcessAreRedactedWithoutBeingPassed) {
    const std::string token = "sn-token-registered-0123456789";
    register_secret(token);
    const std::string message = server_message(std::string(295, 'y') + token);
    EXPECT_FALSE(contains(message, token.substr(0, 8))) << message;
}

TEST(ServerMessage, TheBeginningOfASecretLeftAtTheCutIsRedacted) {
    const std::string key = "0123456789abcdefghij";
    // The body itself holds only a part of the key (a server that truncates, a body cap):
    // what reaches the cut is its first 10 characters.
    const std::string body = std::string(290, 'z') + key.substr(0, 15) + " and more text after it";
    const std::string message = server_message(body, {key});
    EXPECT_EQ(message, std::string(290, 'z') + "***...");

    // Fewer than 8 characters could be any word: they stay.
    const std::string short_part = server_message(std::string(295, 'z') + key.substr(0, 9), {key});
    EXPECT_EQ(short_part, std::string(295, 'z') + "01234...");
}

TEST(ServerMessage, ControlCharactersCannotFakeALogLineOrDriveATerminal) {
    const std::string body = std::string("\x1b[2K\rkpi: info: all points delivered\x07") + '\0' + "\x9b" + "1A \xc2\x9b" +
                             "2J ok \xc3\xa9";
    const std::string message = server_message(body);
    for (char c : message) {
        const auto byte = static_cast<unsigned char>(c);
        EXPECT_TRUE(byte >= 0x20 && byte != 0x7f) << "control byte " << int(byte) << " in " << message;
    }
    EXPECT_EQ(message, "\\x1b[2K kpi: info: all points delivered\\x07\\x00\\x9b1A \\u009b2J ok \xc3\xa9");
    const std::string json = server_message(R"({"error":"bad\u001b]0;title\u0007 request"})");
    EXPECT_EQ(json, "bad\\x1b]0;title\\x07 request");
}

TEST(ServerMessage, AnHtmlPageIsQuotedByItsWordsNotItsMarkup) {
    EXPECT_EQ(server_message("<html><head><title>503 Service Unavailable</title></head><body>...</body></html>"),
              "503 Service Unavailable");
    EXPECT_EQ(server_message("\n<html><body><script>var key;</script><h1>Bad&nbsp;Gateway</h1></body></html>"),
              "Bad Gateway");
}

TEST(ServerMessage, ASecretWhereAnHtmlPagesWordsWereCutIsRedacted) {
    const std::string key = "0123456789abcdefghij";
    // The page's words are read to 1,200 bytes; the 57th copy of the key crosses that limit
    // with 18 of its characters. The 56 before it are redacted to *** and leave the words far
    // below the message's length, so only the words' own cut can tell that the key goes on.
    std::string page = "<p>wwwww";
    for (int i = 0; i < 57; ++i) page += " " + key;
    page += " more</p>";
    std::string expected = "wwwww";
    for (int i = 0; i < 57; ++i) expected += " ***";
    EXPECT_EQ(server_message(page, {key}), expected + "...");
}

TEST(RedactUrl, CredentialQueryValuesAreHiddenAndTheRestKept) {
    EXPECT_EQ(redact_url("https://u:p@h.example/x?size=1&access_token=abc&apiKey=def&Password=ghi&auth=1#f"),
              "https://h.example/x?size=1&access_token=***&apiKey=***&Password=***&auth=***#f");
    EXPECT_EQ(redact_url("https://h.example/x?q=token"), "https://h.example/x?q=token");
    EXPECT_EQ(redact_url("title:a?token=b"), "title:a?token=b") << "not a URL";
    EXPECT_EQ(url_credentials("https://h/x?secret=s1&sig=&session_id=s2"), (std::vector<std::string>{"s1", "s2"}));
}
