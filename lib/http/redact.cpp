#include "http/redact.hpp"

#include <algorithm>
#include <cctype>
#include <simdjson.h>

#include "core/printable.hpp"
#include "core/secrets.hpp"

namespace kpi {

std::string strip_userinfo(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    auto authority_end = url.find_first_of("/?#", scheme + 3);
    auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
    if (at == std::string::npos || at < scheme) return url;
    return url.substr(0, scheme + 3) + url.substr(at + 1);
}

bool is_credential_key(std::string_view key) {
    std::string lower;
    for (char c : key) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    for (std::string_view word :
         {"token", "key", "pass", "pwd", "secret", "auth", "credential", "signature", "session"}) {
        if (lower.find(word) != std::string::npos) return true;
    }
    return false;
}

namespace {

// Calls `on_value(begin, length)` for the value of each credential parameter of the query.
template <typename OnValue>
void for_each_credential(std::string_view url, OnValue on_value) {
    const auto query = url.find('?');
    if (query == std::string_view::npos || url.substr(0, query).find("://") == std::string_view::npos) return;
    const auto end = std::min(url.find('#', query), url.size());
    for (std::size_t start = query + 1; start < end;) {
        const auto amp = std::min(url.find('&', start), end);
        const auto eq = url.find('=', start);
        if (eq < amp && is_credential_key(url.substr(start, eq - start)) && eq + 1 < amp) {
            on_value(eq + 1, amp - eq - 1);
        }
        start = amp + 1;
    }
}

}  // namespace

std::vector<std::string> url_credentials(std::string_view url) {
    std::vector<std::string> values;
    for_each_credential(url, [&](std::size_t at, std::size_t length) { values.emplace_back(url.substr(at, length)); });
    return values;
}

std::string redact_url(const std::string& url) {
    const std::string shown = strip_userinfo(url);
    std::string out;
    std::size_t copied = 0;
    for_each_credential(shown, [&](std::size_t at, std::size_t length) {
        out.append(shown, copied, at - copied);
        out += "***";
        copied = at + length;
    });
    out.append(shown, copied);
    return out;
}

namespace {

constexpr std::size_t kMaxMessage = 300;
constexpr std::size_t kMinSecretPrefix = 8;

// Folds white space and cuts at kMaxMessage bytes, never inside a UTF-8 character.
// `cut` tells whether anything was left out.
std::string fold(std::string_view text, bool& cut) {
    std::string out;
    bool space = false;
    cut = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
        if (out.size() >= kMaxMessage && !continuation) {
            cut = true;
            break;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

// A secret that crossed the cut left its beginning at the end of the text: that part goes
// too, when it is long enough (kMinSecretPrefix) not to be an ordinary word.
void redact_cut_secret(std::string& text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets) {
        for (std::size_t length = std::min(secret.size(), text.size()); length >= kMinSecretPrefix; --length) {
            if (std::string_view(text).ends_with(std::string_view(secret).substr(0, length))) {
                text.replace(text.size() - length, length, "***");
                break;
            }
        }
    }
}

// An HTML error page's words: its <title> when it has one, else its text without tags.
std::string html_text(std::string_view html) {
    auto lower_find = [&](std::string_view needle, std::size_t from) {
        for (std::size_t i = from; i + needle.size() <= html.size(); ++i) {
            bool match = true;
            for (std::size_t j = 0; j < needle.size() && match; ++j) {
                match = std::tolower(static_cast<unsigned char>(html[i + j])) == needle[j];
            }
            if (match) return i;
        }
        return std::string_view::npos;
    };
    if (auto open = lower_find("<title", 0); open != std::string_view::npos) {
        auto start = html.find('>', open);
        auto end = lower_find("</title", start == std::string_view::npos ? open : start);
        if (start != std::string_view::npos && end != std::string_view::npos && end > start + 1) {
            return std::string(html.substr(start + 1, end - start - 1));
        }
    }
    std::string text;
    bool in_tag = false;
    for (char c : html) {
        if (c == '<') {
            in_tag = true;
            text.push_back(' ');
        } else if (c == '>') {
            in_tag = false;
        } else if (!in_tag) {
            text.push_back(c);
        }
    }
    return text;
}

// {"error":"..."}, {"message":"..."}, {"error":{"message":"...","detail":"..."}}
std::string json_message(std::string_view body) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root)) return {};
    simdjson::dom::object obj;
    if (root.get(obj)) return {};
    for (const char* key : {"message", "error", "detail", "errorMessage"}) {
        simdjson::dom::element e;
        if (obj[key].get(e)) continue;
        std::string_view s;
        if (!e.get(s)) return std::string(s);
        simdjson::dom::object inner;
        if (!e.get(inner)) {
            std::string out;
            for (const char* k : {"message", "detail"}) {
                std::string_view part;
                if (!inner[k].get(part) && !part.empty()) out += (out.empty() ? "" : ": ") + std::string(part);
            }
            if (!out.empty()) return out;
        }
    }
    return {};
}

}  // namespace

std::string server_message(std::string_view body, const std::vector<std::string>& secrets) {
    if (body.empty()) return {};
    std::string message = json_message(body);
    if (message.empty()) {
        auto first = body.find_first_not_of(" \t\r\n");
        message = first != std::string_view::npos && body[first] == '<' ? html_text(body) : std::string(body);
    }
    std::vector<std::string> all = registered_secrets();
    all.insert(all.end(), secrets.begin(), secrets.end());
    // Redacted before it is cut, so that no secret is shortened past recognition.
    bool cut = false;
    message = fold(redact(std::move(message), all), cut);
    if (cut) {
        redact_cut_secret(message, all);
        message += "...";
    }
    return printable(message);
}

}  // namespace kpi
