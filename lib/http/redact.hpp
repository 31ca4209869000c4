#pragma once
// Keeping secrets and noise out of what the HTTP client reports.

#include <string>
#include <string_view>
#include <vector>

#include "core/secrets.hpp"  // redact()

namespace kpi {

// "https://user:pw@host/x" -> "https://host/x".
std::string strip_userinfo(const std::string& url);

// Whether a URL query key names a credential: it contains token, key, pass, pwd, secret,
// auth, credential, signature or session, in any case (`api_key`, `apiKey`, `token_auth`).
bool is_credential_key(std::string_view key);

// The values of the credential query parameters of `url` (`?token=abc&q=x` -> {"abc"}).
std::vector<std::string> url_credentials(std::string_view url);

// `url` as it may be shown: without userinfo, and with each credential query value
// replaced by *** ("https://h/x?token=***&q=x").
std::string redact_url(const std::string& url);

// The server's own words from an error body, safe to log: a JSON error/message field when
// there is one, else the text; whitespace folded; every registered secret (core/secrets.hpp)
// and each of `secrets` redacted, then cut to a readable length (and the beginning of a
// secret that crossed the cut redacted too); control characters escaped (core/printable.hpp).
// Every message that quotes a server goes through here. Empty for no body.
std::string server_message(std::string_view body, const std::vector<std::string>& secrets = {});

}  // namespace kpi
