#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/html_tokens.hpp"

using namespace kpi::html;

namespace {

// "S:name", "E:name", "T:text", "R:raw text", "C:title text", "!:comment", one per token.
std::vector<std::string> tokens_of(std::string_view page) {
    std::vector<std::string> out;
    Tokenizer tokens(page);
    for (Token t = tokens.next(); t.kind != TokenKind::End; t = tokens.next()) {
        EXPECT_EQ(page.substr(t.begin, t.raw.size()), t.raw);
        switch (t.kind) {
            case TokenKind::StartTag: out.push_back("S:" + std::string(t.name)); break;
            case TokenKind::EndTag: out.push_back("E:" + std::string(t.name)); break;
            case TokenKind::Text: out.push_back("T:" + std::string(t.raw)); break;
            case TokenKind::RawText: out.push_back("R:" + std::string(t.raw)); break;
            case TokenKind::RcData: out.push_back("C:" + std::string(t.raw)); break;
            case TokenKind::Comment: out.push_back("!:" + std::string(t.raw)); break;
            case TokenKind::End: break;
        }
    }
    return out;
}

using Tokens = std::vector<std::string>;

}  // namespace

TEST(HtmlTokens, TagsAndTextWithNamesLowerCased) {
    EXPECT_EQ(tokens_of("<TD Class=x>10.5281</Td >"), (Tokens{"S:td", "T:10.5281", "E:td"}));
    EXPECT_EQ(tokens_of("a < b <3 <br/>"), (Tokens{"T:a < b <3 ", "S:br"}));
}

TEST(HtmlTokens, QuotedAttributeValuesHideMarkup) {
    EXPECT_EQ(tokens_of("<a title='</td> >' href=\"x>y\">t</a>"), (Tokens{"S:a", "T:t", "E:a"}));
    // A quote inside an attribute name is part of the name, not the start of a value.
    EXPECT_EQ(tokens_of("<a b\"c>d"), (Tokens{"S:a", "T:d"}));
}

TEST(HtmlTokens, CommentsAndBogusComments) {
    EXPECT_EQ(tokens_of("<!-- <td> -- --><p>"), (Tokens{"!:<!-- <td> -- -->", "S:p"}));
    EXPECT_EQ(tokens_of("<!-->x"), (Tokens{"!:<!-->", "T:x"}));
    EXPECT_EQ(tokens_of("<!--->x"), (Tokens{"!:<!--->", "T:x"}));
    EXPECT_EQ(tokens_of("<!-- a --!>x"), (Tokens{"!:<!-- a --!>", "T:x"}));
    EXPECT_EQ(tokens_of("<!DOCTYPE html><?xml x?></3>y"), (Tokens{"!:<!DOCTYPE html>", "!:<?xml x?>", "!:</3>", "T:y"}));
    EXPECT_EQ(tokens_of("a</>b"), (Tokens{"T:a", "T:b"}));
    EXPECT_EQ(tokens_of("<!-- never closed <td>"), (Tokens{"!:<!-- never closed <td>"}));
}

TEST(HtmlTokens, ScriptStyleAndTitleContentIsNoMarkup) {
    EXPECT_EQ(tokens_of("<script>if (a</td>) x = '</scripts>';</SCRIPT ><td>"),
              (Tokens{"S:script", "R:if (a</td>) x = '</scripts>';", "E:script", "S:td"}));
    EXPECT_EQ(tokens_of("<title>A <b>&amp; B</title>"), (Tokens{"S:title", "C:A <b>&amp; B", "E:title"}));
    EXPECT_EQ(tokens_of("<style></style>x"), (Tokens{"S:style", "E:style", "T:x"}));
    EXPECT_EQ(tokens_of("<plaintext></plaintext><td>"), (Tokens{"S:plaintext", "R:</plaintext><td>"}));
}

TEST(HtmlTokens, PageEndingInsideATagDropsIt) {
    EXPECT_EQ(tokens_of("<td>12</t"), (Tokens{"S:td", "T:12"}));
    EXPECT_EQ(tokens_of("<td a='unclosed>x"), (Tokens{}));
    EXPECT_EQ(tokens_of("x<"), (Tokens{"T:x<"}));
    EXPECT_EQ(tokens_of("x</"), (Tokens{"T:x</"}));
}

TEST(HtmlTokens, LongTagNamesAreNoneKpiKnows) {
    Tokenizer tokens("<tablexxxxxxxxxxxxxxxxxxxxxxxx>");
    Token t = tokens.next();
    EXPECT_EQ(t.kind, TokenKind::StartTag);
    EXPECT_EQ(t.name, "");
}

TEST(HtmlTokens, Attributes) {
    EXPECT_EQ(attribute("<table ID=rep class='x'>", "id"), "rep");
    EXPECT_EQ(attribute("<a href = \"one\" href='two'>", "href"), "one");  // the first of duplicates
    EXPECT_EQ(attribute("<a hidden>", "hidden"), "");
    EXPECT_EQ(attribute("<a hrefx=1>", "href"), std::nullopt);
    EXPECT_EQ(decoded_attribute("<a href=' report?m=06&amp;y=2018#top '>", "href"), " report?m=06&y=2018#top ");
    // In an attribute, a legacy reference followed by '=' stays as written (gumbo's rule).
    EXPECT_EQ(decoded_attribute("<a href='?a=1&copy=2&eacute;'>", "href"), "?a=1&copy=2\xC3\xA9");
}

TEST(HtmlTokens, DecodesReferences) {
    EXPECT_EQ(decode_text("a &amp; b &lt;&gt;&quot;&apos;&nbsp;"), "a & b <>\"'\xC2\xA0");
    EXPECT_EQ(decode_text("&#233;&#xE9;&#XE9;"), "\xC3\xA9\xC3\xA9\xC3\xA9");
    EXPECT_EQ(decode_text("&#150;"), "\xE2\x80\x93");  // windows-1252's en dash, as browsers read it
    EXPECT_EQ(decode_text("&#0;&#xD800;&#x110000;"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(decode_text("AT&T & co"), "AT&T & co");
    // Names beyond the common ones come from gumbo's table, with or without ';'.
    EXPECT_EQ(decode_text("&copy; 2018 &eacute"), "\xC2\xA9 2018 \xC3\xA9");
    EXPECT_EQ(decode_text("one\r\ntwo\rthree"), "one\ntwo\nthree");
}
