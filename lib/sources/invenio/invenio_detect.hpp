#pragma once
// Pure recognition for the invenio source: which Invenio flavour a site's front page shows,
// and the version it reveals. No I/O here: page text in, evidence out. The markers and where
// each comes from are in README.md beside this file; each is evidence, not proof, so the
// source confirms by asking the flavour's search API.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kpi::invenio {

enum class Flavour { Unknown, Invenio1, Invenio3, InvenioRDM, InvenioILS };

// The tag value of DESIGN §4: "invenio1", "invenio3", "inveniordm", "invenioils", "unknown".
std::string_view flavour_name(Flavour flavour);

struct HomePage {
    Flavour flavour = Flavour::Unknown;  // what the page shows; Unknown when nothing does
    std::string version;                 // "13.0", "1.1.7"; empty when the page does not tell
    // Legacy home pages say "Search 1,234 records for:" (in English only: others translate it).
    std::optional<std::int64_t> records;
    // A single-page-app shell (<div id="app"></div>, the rest drawn by JavaScript), as
    // InvenioILS serves: only its API can tell.
    bool app_shell = false;
    std::vector<std::string> evidence;  // what was seen, for the logs: "generator \"InvenioRDM 13.0\""
};

// Reads the front page (HTML, UTF-8 or ASCII-compatible). Of several markers the most
// specific wins: InvenioRDM's over the v3 framework's (RDM is built on it), the legacy
// footer over the legacy search box.
HomePage inspect_home_page(std::string_view html);

// "Search 1,234 records for" (legacy home page, English) -> 1234; nullopt when absent.
std::optional<std::int64_t> legacy_records_phrase(std::string_view text);

// The version after a legacy footer link: " v1.1.7", "\n  v2.0.3 " -> "1.1.7", "2.0.3".
std::string legacy_footer_version(std::string_view text_after_link);

}  // namespace kpi::invenio
