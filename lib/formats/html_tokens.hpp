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

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
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
    // A tag's name is valid until the next call of next().
    std::string_view name;
    std::size_t begin = 0;  // offset of raw in the page
};

class Tokenizer {
public:
    explicit Tokenizer(std::string_view page) : page_(page) {}

    // The next token; End at the end of the page (and from then on). Inline, below: a
    // page is mostly short tokens, and their cost is the calls and copies around them.
    Token next();
    // Where the next token starts.
    std::size_t offset() const { return pos_; }

private:
    // The readers below build the token in place (a Token is 48 bytes: returning one
    // through each level and copying it cost more than reading it); each returns false
    // when the markup at pos_ gives no token.
    bool markup(Token& t);  // markup that is not a tag: "</>", a comment, <!DOCTYPE>, <?...>
    void text(Token& t);    // text up to the next markup
    // A tag whose name is under 8 bytes (inline, below), else tag_slow.
    bool tag(Token& t, std::size_t start, bool end_tag);
    bool tag_slow(Token& t, std::size_t start, bool end_tag);
    // Sets the RAWTEXT/RCDATA element that starts after a start tag named `name`, if any.
    void enter_content(std::string_view name);
    // After a tag's attributes, from `i` just after its name: the offset past its '>', or
    // npos when the page ends inside it.
    std::size_t attributes_end(std::size_t i) const;
    bool comment_until(Token& t, std::size_t start, std::size_t body, std::string_view close);
    void raw_content(Token& t);
    // page_.substr that is empty past the end instead of throwing.
    std::string_view slice(std::size_t pos, std::size_t n) const {
        return pos >= page_.size() ? std::string_view() : page_.substr(pos, n);
    }

    std::string_view page_;
    std::size_t pos_ = 0;
    char name_[16] = {};
    std::string_view content_of_;   // the element whose RAWTEXT/RCDATA content comes next
    TokenKind content_kind_ = TokenKind::Text;
};

namespace detail {

// Eight bytes at a time (SWAR): a page's tokens are mostly a few bytes long, too short for
// memchr's set-up to pay. Words are read in page order (the first byte lowest).
inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
inline std::uint64_t load8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    return w;
}
// The high bit of each byte of `w` that is `c`; exact up to the first byte found, which is
// all that is used of it.
inline std::uint64_t bytes_equal(std::uint64_t w, char c) {
    const std::uint64_t x = w ^ (kOnes * static_cast<unsigned char>(c));
    return (x - kOnes) & ~x & kHighs;
}
inline std::size_t first_byte(std::uint64_t mask) { return static_cast<std::size_t>(std::countr_zero(mask)) / 8; }

// The first `c` in page[i, size), or size: the first `words` words a word at a time (a
// call of memchr costs more than most of a page's runs), then memchr.
inline std::size_t find_byte(const char* page, std::size_t i, std::size_t size, char c, int words = 4) {
    for (; words > 0 && i + 8 <= size; --words, i += 8) {
        if (const std::uint64_t found = bytes_equal(load8(page + i), c)) return i + first_byte(found);
    }
    const void* found = i < size ? std::memchr(page + i, c, size - i) : nullptr;
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - page) : size;
}

// The high bit of each byte that is below `n` (n <= 128); exact up to the first one.
inline std::uint64_t bytes_below(std::uint64_t w, unsigned char n) { return (w - kOnes * n) & ~w & kHighs; }
inline void store8(char* p, std::uint64_t w) {
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    std::memcpy(p, &w, sizeof w);
}
// ASCII upper-case letters to lower case, the other bytes as they are.
inline std::uint64_t ascii_lower8(std::uint64_t w) {
    const std::uint64_t low7 = w & ~kHighs;
    const std::uint64_t from_a = low7 + kOnes * (0x80 - 'A');      // high bit: >= 'A'
    const std::uint64_t past_z = low7 + kOnes * (0x80 - 'Z' - 1);  // high bit: > 'Z'
    return w | ((from_a & ~past_z & ~w & kHighs) >> 2);            // 0x80 >> 2 == 'a' - 'A'
}
// The bytes that end a tag's name (HTML white space, '/', '>'), as bits: all are below 64.
inline constexpr std::uint64_t kEndsTagName = (std::uint64_t{1} << '\t') | (std::uint64_t{1} << '\n') |
                                              (std::uint64_t{1} << '\f') | (std::uint64_t{1} << '\r') |
                                              (std::uint64_t{1} << ' ') | (std::uint64_t{1} << '/') |
                                              (std::uint64_t{1} << '>');

inline bool ends_tag_name(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 64 && ((kEndsTagName >> byte) & 1) != 0;
}

inline bool is_ascii_letter(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }

// Does '<' at `i` start markup (a tag, an end tag, a comment), rather than text?
inline bool begins_markup(std::string_view page, std::size_t i) {
    if (i + 1 >= page.size()) return false;
    char c = page[i + 1];
    return is_ascii_letter(c) || c == '!' || c == '?' || (c == '/' && i + 2 < page.size());
}

}  // namespace detail

// Text runs from pos_ to the next '<' that starts markup.
inline void Tokenizer::text(Token& t) {
    const char* page = page_.data();
    const std::size_t size = page_.size();
    const std::size_t start = pos_;
    std::size_t i = pos_ + 1;
    for (;;) {
        // The commonest text is one line break between two tags: testing that byte by
        // itself lets the processor go on before the word's count of zeros is known.
        if (i >= size || page[i] != '<') i = detail::find_byte(page, i, size, '<');
        if (i >= size || detail::begins_markup(page_, i)) break;
        ++i;
    }
    pos_ = i;
    t.kind = TokenKind::Text;
    t.raw = std::string_view(page + start, i - start);
    t.name = {};
    t.begin = start;
}

// Most tags: a name of under 8 bytes read as one word (where the first white space, '/' or
// '>' is, all lower-cased at once), often closed right after it.
[[gnu::always_inline]] inline bool Tokenizer::tag(Token& t, std::size_t start, bool end_tag) {
    const char* page = page_.data();
    const std::size_t size = page_.size();
    const std::size_t name_start = start + (end_tag ? 2 : 1);
    if (name_start + 8 > size) [[unlikely]] return tag_slow(t, start, end_tag);
    const std::uint64_t word = detail::load8(page + name_start);
    // Names of one or two letters (a, i, p, li, td, tr) are told by a byte each: the branch
    // is predicted, and the processor goes on to the next token without waiting for the
    // word's count of zeros.
    std::size_t length;
    if (detail::ends_tag_name(page[name_start + 1])) {
        length = 1;
    } else if (detail::ends_tag_name(page[name_start + 2])) {
        length = 2;
    } else {
        const std::uint64_t ends =
            detail::bytes_below(word, 0x21) | detail::bytes_equal(word, '/') | detail::bytes_equal(word, '>');
        length = detail::first_byte(ends | (std::uint64_t{1} << 63));  // 7 when none is
        // No end in the word, or a control character that is part of the name.
        if (ends == 0 || !detail::ends_tag_name(page[name_start + length])) [[unlikely]] {
            return tag_slow(t, start, end_tag);
        }
    }
    const char after = page[name_start + length];
    detail::store8(name_, detail::ascii_lower8(word));
    const std::string_view name(name_, length);
    const std::size_t end = after == '>' ? name_start + length + 1 : attributes_end(name_start + length);
    if (end == std::string_view::npos) {  // the page ends inside the tag: no token (WHATWG)
        pos_ = size;
        return false;
    }
    pos_ = end;
    if (!end_tag && length >= 3) enter_content(name);
    t.kind = end_tag ? TokenKind::EndTag : TokenKind::StartTag;
    t.raw = std::string_view(page + start, end - start);
    t.name = name;
    t.begin = start;
    return true;
}

[[gnu::always_inline]] inline Token Tokenizer::next() {
    Token t;  // built in place: the caller's
    for (;;) {
        if (content_kind_ != TokenKind::Text) [[unlikely]] {
            raw_content(t);
            if (!t.raw.empty()) return t;
            continue;
        }
        const std::size_t size = page_.size();
        if (pos_ >= size) {
            t = Token{};
            return t;
        }
        const char* page = page_.data();
        if (page[pos_] == '<' && pos_ + 1 < size) {
            const char c = page[pos_ + 1];
            bool token;
            if (detail::is_ascii_letter(c)) {
                token = tag(t, pos_, false);
            } else if (c == '/' && pos_ + 2 < size && detail::is_ascii_letter(page[pos_ + 2])) {
                token = tag(t, pos_, true);
            } else if (c == '!' || c == '?' || (c == '/' && pos_ + 2 < size)) {
                token = markup(t);
            } else {  // '<' that starts no markup: text
                text(t);
                return t;
            }
            if (token) return t;
            if (pos_ < size) continue;  // "</>": nothing
            t = Token{};                // the page ends inside a tag
            return t;
        }
        text(t);
        return t;
    }
}

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
