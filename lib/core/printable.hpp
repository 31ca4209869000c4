#pragma once
// Text from elsewhere (a server's error body, an input line) made safe to show in a log
// line or on a terminal: it cannot move the cursor, erase a line, fake a new log line or
// cut a JSON log short.

#include <string>
#include <string_view>

namespace kpi {

// Control characters (C0 including NUL, CR, LF and ESC; DEL; C1 such as U+009B, which some
// terminals read as ESC [) become `\xHH` or `\u00HH`; a byte that is not part of valid
// UTF-8 becomes `\xHH`. Everything else, including other non-ASCII text, passes through.
std::string printable(std::string_view text);

}  // namespace kpi
