#include "sources/datacite_report.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/windows1252.hpp"
#include "http/url.hpp"

namespace kpi::datacite {

namespace {

// ---------------------------------------------------------------------------------------
// Text helpers

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = to_lower(c);
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// Collapses runs of white space (no-break spaces included: the report pads its headings
// with &nbsp;) into one space and trims both ends.
std::string normalize_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool space = is_space(text[i]);
        if (!space && text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
            space = true;
            ++i;
        }
        if (space) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(text[i]);
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Months

constexpr std::array<std::string_view, 12> kMonthNames{
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

// "june", "jun" and "sept" name June and September; nullopt for other words.
std::optional<unsigned> month_from_word(std::string_view word) {
    std::string w = lower(word);
    if (w == "sept") return 9;
    for (unsigned i = 0; i < kMonthNames.size(); ++i) {
        if (w == kMonthNames[i] || (w.size() == 3 && kMonthNames[i].starts_with(w))) return i + 1;
    }
    return std::nullopt;
}

std::optional<int> number(std::string_view digits) {
    int value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

// Four digits, and a year a Timestamp holds (1678-2261), so that first_instant stays exact.
bool plausible_year(std::string_view digits) {
    if (digits.size() != 4 || (digits[0] != '1' && digits[0] != '2')) return false;
    const auto year = number(digits);
    return year && *year >= 1678 && *year <= 2261;
}

bool plausible_month(std::string_view digits) {
    if (digits.empty() || digits.size() > 2) return false;
    auto m = number(digits);
    return m && *m >= 1 && *m <= 12;
}

struct Run {
    std::string_view text;
    char before = 0;  // the character before the run, 0 at the start
};

// Maximal runs of letters or of digits, each with the character that precedes it.
std::vector<Run> runs(std::string_view text) {
    std::vector<Run> out;
    std::size_t i = 0;
    while (i < text.size()) {
        bool digit = is_digit(text[i]);
        if (!digit && !is_alpha(text[i])) {
            ++i;
            continue;
        }
        std::size_t start = i;
        while (i < text.size() && (digit ? is_digit(text[i]) : is_alpha(text[i]))) ++i;
        out.push_back({text.substr(start, i - start), start > 0 ? text[start - 1] : '\0'});
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// The gumbo tree

struct GumboDocument {
    explicit GumboDocument(std::string_view html) {
        GumboOptions options = kGumboDefaultOptions;
        options.max_errors = 0;  // the parse errors of a messy page are of no use here
        output = gumbo_parse_with_options(&options, html.data(), html.size());
    }
    ~GumboDocument() { gumbo_destroy_output(&kGumboDefaultOptions, output); }
    GumboDocument(const GumboDocument&) = delete;
    GumboDocument& operator=(const GumboDocument&) = delete;

    const GumboNode* root() const { return output->root; }

    GumboOutput* output;
};

bool is_element(const GumboNode* node, GumboTag tag) {
    return node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == tag;
}

bool is_text(const GumboNode* node) {
    return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
           node->type == GUMBO_NODE_CDATA;
}

const GumboVector* children_of(const GumboNode* node) {
    if (node->type == GUMBO_NODE_ELEMENT) return &node->v.element.children;
    if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
    return nullptr;
}

const GumboNode* child(const GumboVector* children, unsigned i) {
    return static_cast<const GumboNode*>(children->data[i]);
}

// Visits `root` and its descendants in document order, without recursion (a garbage page
// can nest deeply). `visit` returns false to skip a node's descendants.
template <typename Visit>
void walk(const GumboNode* root, Visit visit) {
    std::vector<const GumboNode*> stack{root};
    while (!stack.empty()) {
        const GumboNode* node = stack.back();
        stack.pop_back();
        if (!visit(node)) continue;
        if (const GumboVector* children = children_of(node)) {
            for (unsigned i = children->length; i-- > 0;) stack.push_back(child(children, i));
        }
    }
}

std::string text_of(const GumboNode* node) {
    std::string out;
    walk(node, [&](const GumboNode* n) {
        if (is_text(n)) out += n->v.text.text;
        return true;
    });
    return out;
}

std::vector<const GumboNode*> elements(const GumboNode* root, GumboTag tag) {
    std::vector<const GumboNode*> out;
    walk(root, [&](const GumboNode* n) {
        if (is_element(n, tag)) out.push_back(n);
        return true;
    });
    return out;
}

const GumboNode* first_element(const GumboNode* root, GumboTag tag) {
    const GumboNode* found = nullptr;
    walk(root, [&](const GumboNode* n) {
        if (!found && is_element(n, tag)) found = n;
        return !found;
    });
    return found;
}

std::string_view attribute(const GumboNode* element, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&element->v.element.attributes, name);
    return a ? std::string_view(a->value) : std::string_view();
}

// Elements that stay inside a line of text; any other element separates text.
bool is_inline(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_B: case GUMBO_TAG_I: case GUMBO_TAG_EM: case GUMBO_TAG_STRONG:
        case GUMBO_TAG_SPAN: case GUMBO_TAG_FONT: case GUMBO_TAG_SMALL: case GUMBO_TAG_BIG:
        case GUMBO_TAG_U: case GUMBO_TAG_SUB: case GUMBO_TAG_SUP: case GUMBO_TAG_ABBR:
        case GUMBO_TAG_CODE: case GUMBO_TAG_TT: case GUMBO_TAG_NOBR:
            return true;
        default:
            return false;
    }
}

// The lines of text in a cell: a link's text is one line, and <br>, <p> and other block
// elements end one. "<a>10.5281</a><br>CERN.ZENODO" and "<a>10.5281</a><p>CERN.ZENODO</p>"
// both read {"10.5281", "CERN.ZENODO"}.
std::vector<std::string> lines_of(const GumboNode* cell) {
    std::vector<std::string> lines;
    std::string current;
    auto flush = [&] {
        std::string line = normalize_space(current);
        if (!line.empty()) lines.push_back(std::move(line));
        current.clear();
    };
    const GumboVector* children = children_of(cell);
    // An explicit stack of (node, leaving) so that block ends flush too.
    std::vector<std::pair<const GumboNode*, bool>> stack;
    for (unsigned i = children->length; i-- > 0;) stack.emplace_back(child(children, i), false);
    while (!stack.empty()) {
        auto [node, leaving] = stack.back();
        stack.pop_back();
        if (is_text(node)) {
            current += node->v.text.text;
            continue;
        }
        if (node->type != GUMBO_NODE_ELEMENT) continue;
        GumboTag tag = node->v.element.tag;
        if (is_inline(tag)) {
            // fall through to the children without a break
        } else if (leaving) {
            flush();
            continue;
        } else if (tag == GUMBO_TAG_A) {
            flush();
            current = text_of(node);
            flush();
            continue;
        } else {
            flush();
            stack.emplace_back(node, true);
        }
        const GumboVector* kids = &node->v.element.children;
        for (unsigned i = kids->length; i-- > 0;) stack.emplace_back(child(kids, i), false);
    }
    flush();
    return lines;
}

// ---------------------------------------------------------------------------------------
// The report table

// The report's first eight headings (compared case-insensitively, white space collapsed);
// the top-10 lists after them are not read.
constexpr std::array<std::string_view, 8> kColumns{
    "#",         "Prefix",            "Total attempted",       "Successful",
    "Failed",    "Total unique DOIs", "Unique DOI: successes", "Unique DOI: failures",
};
constexpr std::size_t kFirstCount = 2;  // columns 2..7 are counts

std::string column_list() {
    std::string out;
    for (auto c : kColumns) {
        if (!out.empty()) out += ", ";
        out += c;
    }
    return out;
}

struct Table {
    const GumboNode* element = nullptr;
    std::vector<const GumboNode*> header;          // the heading cells
    std::vector<std::vector<const GumboNode*>> body;  // cells of each data row
};

std::vector<const GumboNode*> cells_of(const GumboNode* row) {
    std::vector<const GumboNode*> cells;
    const GumboVector* kids = &row->v.element.children;
    for (unsigned i = 0; i < kids->length; ++i) {
        const GumboNode* c = child(kids, i);
        if (is_element(c, GUMBO_TAG_TD) || is_element(c, GUMBO_TAG_TH)) cells.push_back(c);
    }
    return cells;
}

bool all_headings(const std::vector<const GumboNode*>& cells) {
    return !cells.empty() && std::all_of(cells.begin(), cells.end(), [](const GumboNode* c) {
        return is_element(c, GUMBO_TAG_TH);
    });
}

// Splits a table's own rows (not those of tables nested in its cells) into the heading
// row and the data rows; <tfoot> (the report's "Total" line) is left out.
Table read_table(const GumboNode* table) {
    Table out{table, {}, {}};
    auto take_row = [&](const GumboNode* row, bool in_head) {
        auto cells = cells_of(row);
        if (out.header.empty() && (in_head || all_headings(cells))) {
            out.header = std::move(cells);
        } else if (!in_head) {
            out.body.push_back(std::move(cells));
        }
    };
    const GumboVector* kids = &table->v.element.children;
    for (unsigned i = 0; i < kids->length; ++i) {
        const GumboNode* section = child(kids, i);
        if (is_element(section, GUMBO_TAG_TR)) {
            take_row(section, false);
            continue;
        }
        bool head = is_element(section, GUMBO_TAG_THEAD);
        if (!head && !is_element(section, GUMBO_TAG_TBODY)) continue;
        const GumboVector* rows = &section->v.element.children;
        for (unsigned j = 0; j < rows->length; ++j) {
            if (is_element(child(rows, j), GUMBO_TAG_TR)) take_row(child(rows, j), head);
        }
    }
    // A table without <th> headings: its first row is the heading.
    if (out.header.empty() && !out.body.empty()) {
        out.header = std::move(out.body.front());
        out.body.erase(out.body.begin());
    }
    return out;
}

// Why the table's headings are not the report's, or nullopt when they are.
std::optional<std::string> column_mismatch(const Table& table) {
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
        if (i >= table.header.size()) {
            return "it has " + std::to_string(table.header.size()) + " columns, expected at least " +
                   std::to_string(kColumns.size()) + " (" + column_list() + ")";
        }
        std::string heading = normalize_space(text_of(table.header[i]));
        if (lower(heading) != lower(kColumns[i])) {
            return "column " + std::to_string(i + 1) + " is \"" + heading + "\", expected \"" +
                   std::string(kColumns[i]) + "\"";
        }
    }
    return std::nullopt;
}

// The report table: the first table with the report's columns. Otherwise the error names
// what the likeliest candidate (id="rep", else a table with a "Prefix" column, else the
// first table) has instead.
Table find_report_table(const GumboNode* root) {
    auto tables = elements(root, GUMBO_TAG_TABLE);
    if (tables.empty()) throw ReportFormatError("no report table on the page (no <table> element)");
    std::optional<Table> candidate;
    int candidate_rank = -1;
    for (const GumboNode* t : tables) {
        Table table = read_table(t);
        if (!column_mismatch(table)) return table;
        int rank = 0;
        if (attribute(t, "id") == "rep") {
            rank = 2;
        } else if (std::any_of(table.header.begin(), table.header.end(), [](const GumboNode* c) {
                       return lower(normalize_space(text_of(c))) == "prefix";
                   })) {
            rank = 1;
        }
        if (rank > candidate_rank) {
            candidate = std::move(table);
            candidate_rank = rank;
        }
    }
    throw ReportFormatError("the report table's columns are not the expected ones: " +
                            *column_mismatch(*candidate));
}

// "727547" or "15,074,009" (the report's totals group digits); nullopt for anything else.
std::optional<std::int64_t> count(std::string_view text) {
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (is_digit(c)) {
            digits.push_back(c);
        } else if ((c == ',' || c == ' ') && i > 0 && is_digit(text[i - 1]) && i + 1 < text.size() &&
                   is_digit(text[i + 1])) {
            continue;
        } else {
            return std::nullopt;
        }
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

// The row's counts, or why they cannot be read.
std::optional<std::string> read_counts(const std::vector<const GumboNode*>& cells, PrefixRow& row) {
    if (cells.size() < kColumns.size()) {
        return "its row has " + std::to_string(cells.size()) + " cells, expected at least " +
               std::to_string(kColumns.size());
    }
    std::array<std::int64_t*, 6> targets{&row.attempted, &row.successful,        &row.failed,
                                         &row.unique,    &row.unique_successful, &row.unique_failed};
    for (std::size_t i = 0; i < targets.size(); ++i) {
        std::size_t column = kFirstCount + i;
        std::string text = normalize_space(text_of(cells[column]));
        auto value = count(text);
        if (!value) {
            return "column \"" + std::string(kColumns[column]) + "\" reads \"" + text + "\", not a count";
        }
        *targets[i] = *value;
    }
    return std::nullopt;
}

// The month the report's <title>, else its first <h1>, names.
std::optional<YearMonth> report_month(const GumboNode* root) {
    for (GumboTag tag : {GUMBO_TAG_TITLE, GUMBO_TAG_H1}) {
        if (const GumboNode* e = first_element(root, tag)) {
            if (auto m = month_in_text(normalize_space(text_of(e)))) return m;
        }
    }
    return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------------------

std::string to_string(YearMonth month) {
    std::string name(kMonthNames.at(month.month - 1));
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
    return name + " " + std::to_string(month.year);
}

Timestamp first_instant(YearMonth month) {
    std::chrono::year_month_day day{std::chrono::year(month.year), std::chrono::month(month.month),
                                    std::chrono::day(1)};
    return Timestamp(std::chrono::sys_days(day));
}

std::optional<YearMonth> month_in_text(std::string_view text) {
    auto parts = runs(text);
    std::optional<unsigned> month;
    std::optional<int> year;
    for (const auto& run : parts) {
        if (!month && is_alpha(run.text[0])) month = month_from_word(run.text);
        if (!year && plausible_year(run.text)) year = number(run.text);
    }
    if (month && year) return YearMonth{*year, *month};
    // ISO 8601 "2018-06".
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        if (plausible_year(parts[i].text) && parts[i + 1].before == '-' &&
            parts[i + 1].text.size() == 2 && plausible_month(parts[i + 1].text)) {
            return YearMonth{*number(parts[i].text), static_cast<unsigned>(*number(parts[i + 1].text))};
        }
    }
    return std::nullopt;
}

std::optional<YearMonth> month_in_href(std::string_view href) {
    std::string_view path = uri_path(href);
    std::string_view name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0
    std::vector<std::string_view> numbers;
    for (const auto& run : runs(name)) {
        if (is_digit(run.text[0])) numbers.push_back(run.text);
    }
    for (std::size_t i = 0; i + 1 < numbers.size(); ++i) {
        std::string_view a = numbers[i], b = numbers[i + 1];
        if (plausible_month(a) && plausible_year(b)) {
            return YearMonth{*number(b), static_cast<unsigned>(*number(a))};
        }
        if (plausible_year(a) && plausible_month(b)) {
            return YearMonth{*number(a), static_cast<unsigned>(*number(b))};
        }
    }
    return std::nullopt;
}

std::string page_summary(std::string_view html) {
    constexpr std::size_t kMaxSummary = 300;
    GumboDocument doc(html);
    std::string text;
    if (const GumboNode* title = first_element(doc.root(), GUMBO_TAG_TITLE)) {
        text = normalize_space(text_of(title));
    }
    if (text.empty()) {
        // The visible text: scripts and styles left out.
        walk(doc.root(), [&](const GumboNode* n) {
            if (is_element(n, GUMBO_TAG_SCRIPT) || is_element(n, GUMBO_TAG_STYLE)) return false;
            if (is_text(n)) text.append(n->v.text.text).push_back(' ');
            return text.size() < 4 * kMaxSummary;
        });
        text = normalize_space(text);
    }
    if (text.size() > kMaxSummary) {
        std::size_t cut = kMaxSummary;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
        text = text.substr(0, cut) + "...";
    }
    return text;
}

std::string page_as_utf8(std::string_view content_type, std::string_view body) {
    auto charset_in = [](std::string_view text) -> std::optional<std::string> {
        std::string low = lower(text);
        auto at = low.find("charset=");
        if (at == std::string::npos) return std::nullopt;
        std::string_view value = std::string_view(low).substr(at + 8);
        while (!value.empty() && (value.front() == '"' || value.front() == '\'')) value.remove_prefix(1);
        auto end = value.find_first_of("\"'; \t\r\n>/");
        return std::string(value.substr(0, end));
    };
    auto charset = charset_in(content_type);
    if (!charset) charset = charset_in(body.substr(0, 1024));  // where HTML puts its <meta>
    if (charset && (*charset == "utf-8" || *charset == "utf8")) return std::string(body);
    return windows1252_to_utf8(body);
}

std::vector<ReportLink> find_report_links(std::string_view index_html, std::string_view index_url) {
    GumboDocument doc(index_html);
    std::string base(index_url);
    if (const GumboNode* element = first_element(doc.root(), GUMBO_TAG_BASE)) {
        std::string_view href = trim(attribute(element, "href"));
        if (!href.empty()) base = resolve_reference(index_url, href);
    }
    std::vector<ReportLink> links;
    for (const GumboNode* a : elements(doc.root(), GUMBO_TAG_A)) {
        std::string_view href = trim(attribute(a, "href"));
        if (href.empty()) continue;
        auto month = month_in_text(normalize_space(text_of(a)));
        if (!month) month = month_in_href(href);
        if (month) links.push_back({std::string(href), without_fragment(resolve_reference(base, href)), *month});
    }
    return links;
}

std::optional<ReportLink> newest(const std::vector<ReportLink>& links) {
    const ReportLink* best = nullptr;
    for (const auto& link : links) {
        if (!best || link.month >= best->month) best = &link;
    }
    if (!best) return std::nullopt;
    return *best;
}

Report parse_report(std::string_view report_html, const std::vector<std::string>& prefixes) {
    GumboDocument doc(report_html);
    Report report;
    report.month = report_month(doc.root());
    Table table = find_report_table(doc.root());

    // One pass over the rows; only the prefix cell of each row is read, and the counts
    // only of the rows asked for.
    std::unordered_set<std::string_view> wanted(prefixes.begin(), prefixes.end());
    std::unordered_map<std::string_view, PrefixRow> found;
    std::unordered_set<std::string_view> bad;
    for (const auto& cells : table.body) {
        if (cells.size() < 2) continue;
        auto lines = lines_of(cells[1]);
        if (lines.empty()) continue;
        auto it = wanted.find(lines[0]);
        if (it == wanted.end() || found.contains(*it) || bad.contains(*it)) continue;
        PrefixRow row;
        row.prefix = lines[0];
        if (lines.size() > 1) row.client = lines[1];
        if (auto problem = read_counts(cells, row)) {
            report.malformed.push_back("prefix " + row.prefix + ": " + *problem);
            bad.insert(*it);
            continue;
        }
        found.emplace(*it, std::move(row));
    }
    std::unordered_set<std::string_view> reported;
    for (const auto& prefix : prefixes) {
        if (!reported.insert(prefix).second) continue;  // asked for twice
        if (auto it = found.find(prefix); it != found.end()) {
            report.rows.push_back(it->second);
        } else if (!bad.contains(prefix)) {
            report.missing.push_back(prefix);
        }
    }
    return report;
}

}  // namespace kpi::datacite
