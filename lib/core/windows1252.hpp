#pragma once
// windows-1252 (what many older HTML pages really are, whatever they claim) to UTF-8.

#include <string>
#include <string_view>

namespace kpi {

// Decodes every byte as windows-1252 per the WHATWG Encoding Standard: ASCII passes
// through, 0x80-0x9F are the typographic characters (euro sign, curly quotes, dashes),
// the five bytes windows-1252 leaves undefined become the C1 control of the same value,
// and 0xA0-0xFF are Latin-1. Every input decodes; the output is always valid UTF-8.
std::string windows1252_to_utf8(std::string_view bytes);

}  // namespace kpi
