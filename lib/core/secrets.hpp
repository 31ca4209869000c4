#pragma once
// Every secret this process has read, so that whatever reports an error can redact it:
// the log sink (whole lines) and server_message (before it shortens a server's text).

#include <string>
#include <vector>

namespace kpi {

// Secrets read through OptionValues::secret(), and those the HTTP client is told about
// (HttpRequest::secrets, basic-auth headers), are registered here. Registering one twice is harmless.
void register_secret(const std::string& secret);

// A copy of every registered secret.
std::vector<std::string> registered_secrets();

// Replaces every occurrence of each secret with "***".
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace kpi
