#pragma once
// A streaming HTML tokenizer: tags, text and comments of a page in one linear pass, with
// no tree, no allocation per token and no state that grows with the page.
//
// Why not gumbo's tree for pages from upstreams: gumbo builds the whole DOM (about 60 times
// the page in memory) and its tree building costs O(nesting depth) per tag, so a hostile
// page of 100,000 unclosed <div> takes a minute while nothing else runs. The readers of
// pages (the datacite report's table, the invenio survey's markers, html_summary's error
// page words) need only a few tags and some text, which this tokenizer finds in time
// linear in the page. It follows the WHATWG tokenizer's data,
// tag, comment, RAWTEXT and RCDATA states; what it leaves to gumbo is the decoding of
// character references it does not know (decode_text), so no entity table is copied here.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kpi::html {

// HTML's white space: space, tab, LF, CR and FF.
bool is_space(char c);
// Runs of white space, no-break spaces (UTF-8 C2 A0, as &nbsp; decodes) included, become
// one space; both ends trimmed. Headings and footers pad with them.
std::string normalize_space(std::string_view text);

enum class TokenKind {
    Text,       // character data: decode its references (decode_text)
    RawText,    // the content of <script>, <style> and the like: taken as it is
    RcData,     // the content of <title> or <textarea>: references are decoded, tags are not
    StartTag,
    EndTag,
    Comment,    // comments, doctypes, <?...> and other bogus comments
    End,
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string_view raw;   // the token's bytes in the page
    // Tags: the name lower-cased (empty for a name longer than any kpi looks for).
    // RawText and RcData: the name of the element they are the content of.
    std::string_view name;
    std::size_t begin = 0;  // offset of raw in the page
};

class Tokenizer {
public:
    explicit Tokenizer(std::string_view page) : page_(page) {}

    // The next token; End at the end of the page (and from then on).
    Token next();
    // Where the next token starts.
    std::size_t offset() const { return pos_; }

private:
    Token markup();
    Token tag(std::size_t start, bool end_tag);
    Token comment_until(std::size_t start, std::size_t body, std::string_view close);
    Token raw_content();
    // page_.substr that is empty past the end instead of throwing.
    std::string_view slice(std::size_t pos, std::size_t n) const {
        return pos >= page_.size() ? std::string_view() : page_.substr(pos, n);
    }

    std::string_view page_;
    std::size_t pos_ = 0;
    char name_[16] = {};
    char content_of_[16] = {};   // the element whose RAWTEXT/RCDATA content comes next
    TokenKind content_kind_ = TokenKind::Text;
};

// The raw value of a start tag's attribute (names compare case-insensitively; the first
// of duplicates wins, as in HTML), or nullopt when the tag has none. Not decoded.
std::optional<std::string_view> attribute(std::string_view tag_raw, std::string_view name);
// The value of an attribute with its character references decoded.
std::optional<std::string> decoded_attribute(std::string_view tag_raw, std::string_view name);

// Text or RCDATA with its character references decoded and newlines normalized (CR LF and
// lone CR become LF), as an HTML parser gives it. The common references (&amp; &lt; &gt;
// &quot; &apos; &nbsp; and numeric ones) are decoded here; a text with any other goes
// through gumbo, which knows all 2,231 names.
std::string decode_text(std::string_view text);

}  // namespace kpi::html
