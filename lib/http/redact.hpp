#pragma once
// Keeping secrets and noise out of what the HTTP client reports.

#include <string>
#include <string_view>
#include <vector>

namespace kpi {

// Replaces every occurrence of each secret with "***".
std::string redact(std::string text, const std::vector<std::string>& secrets);

// "https://user:pw@host/x" -> "https://host/x".
std::string strip_userinfo(const std::string& url);

// The server's own words from an error body: a JSON error/message field when there is
// one, else the text with whitespace folded, cut to a readable length. Empty for no body.
std::string server_message(std::string_view body);

}  // namespace kpi
