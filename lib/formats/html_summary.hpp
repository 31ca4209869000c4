#pragma once
// What an HTML page says, in a few words, for a message that quotes it: an error page's
// title rather than its markup. Read with the streaming tokenizer (html_tokens.hpp), so a
// hostile page (a million unclosed tags, one 10 MB token) costs no more than its length.

#include <cstddef>
#include <string>
#include <string_view>

namespace kpi {

struct HtmlSummary {
    std::string text;
    bool cut = false;  // the page says more than `max_bytes`: text ends where reading stopped
};

// The page's <title>, else its visible text (scripts and styles left out), with character
// references decoded and white space collapsed to single spaces. At most `max_bytes` of
// it, never ending inside a UTF-8 character. Neither redacted nor escaped: server_message()
// does that, and cuts the words to a message's length.
HtmlSummary html_summary(std::string_view html, std::size_t max_bytes);

}  // namespace kpi
