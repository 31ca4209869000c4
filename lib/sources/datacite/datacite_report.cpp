#include "sources/datacite/datacite_report.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/text.hpp"
#include "core/time.hpp"
#include "core/windows1252.hpp"
#include "http/url.hpp"
#include "formats/html_tokens.hpp"

namespace kpi::datacite {

namespace {

// ---------------------------------------------------------------------------------------
// Text helpers

using html::normalize_space;
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ---------------------------------------------------------------------------------------
// Months

constexpr std::array<std::string_view, 12> kMonthNames{
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

// "june", "jun" and "sept" name June and September; nullopt for other words.
std::optional<unsigned> month_from_word(std::string_view word) {
    std::string w = ascii_lower(word);
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
// Text of a piece of the page
//
// The page is read as raw bytes (windows-1252 or UTF-8 alike: every byte that means
// anything to HTML is ASCII in both), and only the pieces kpi keeps are converted.

using html::Token;
using html::TokenKind;

// The most of one cell (or heading, or link) that is read: a report's cells are a few
// hundred bytes, and the prefix and client come first in theirs.
constexpr std::size_t kPieceBytes = 16 * 1024;

class PageText {
public:
    explicit PageText(Charset charset) : charset_(charset) {}

    std::string utf8(std::string_view raw) const {
        return charset_ == Charset::Windows1252 ? windows1252_to_utf8(raw) : std::string(raw);
    }
    // A text token's characters, from its first kPieceBytes: references decoded where the
    // token has them. (One token can be most of a hostile page.)
    std::string text(const Token& token) const {
        std::string out;
        append_text(token, out);
        return out;
    }
    // The same, appended to `out`: most of a report's text is ASCII with no reference or
    // CR, which is taken as it is, with no string made for it.
    void append_text(const Token& token, std::string& out) const {
        const std::string_view raw = token.raw.substr(0, kPieceBytes);
        if (plain(raw)) {
            out += raw;
        } else if (token.kind == TokenKind::RawText) {
            out += utf8(raw);
        } else {
            out += html::decode_text(utf8(raw));
        }
    }

private:
    // Text that decoding and conversion leave as it is.
    bool plain(std::string_view raw) const {
        for (const char c : raw) {
            const bool converted = charset_ == Charset::Windows1252 && (c & 0x80) != 0;
            if (c == '&' || c == '\r' || c == '\0' || converted) return false;
        }
        return true;
    }

    Charset charset_;
};

bool is_text(const Token& token) {
    return token.kind == TokenKind::Text || token.kind == TokenKind::RawText || token.kind == TokenKind::RcData;
}

// Elements that stay inside a line of text; any other element separates text.
bool is_inline(std::string_view tag) {
    static constexpr std::array<std::string_view, 15> kInline{
        "b", "i", "em", "strong", "span", "font", "small", "big", "u", "sub", "sup", "abbr", "code", "tt", "nobr"};
    return std::find(kInline.begin(), kInline.end(), tag) != kInline.end();
}

// Elements that have no end tag.
bool is_void(std::string_view tag) {
    static constexpr std::array<std::string_view, 17> kVoid{
        "area", "base", "basefont", "bgsound", "br",    "col",   "embed", "frame", "hr",
        "img",  "input", "keygen",  "link",    "meta", "param", "source", "track"};
    return tag == "wbr" || std::find(kVoid.begin(), kVoid.end(), tag) != kVoid.end();
}

// The tags the report reader acts on, told apart once per token (by the name's length and
// letters) rather than by comparing the name with each of them in turn.
enum class Tag { Other, Title, H1, OtherHeading, Table, Caption, Colgroup, Col, Thead, Tbody, Tfoot, Tr, Td, Th };

Tag tag_of(std::string_view name) {
    // Most tags (a, li, i, p, ol) start with none of the letters of these.
    if (name.empty() || (name[0] != 't' && name[0] != 'c' && name[0] != 'h')) return Tag::Other;
    switch (name.size()) {
        case 2:
            if (name[0] == 't') {
                return name[1] == 'd' ? Tag::Td : name[1] == 'r' ? Tag::Tr : name[1] == 'h' ? Tag::Th : Tag::Other;
            }
            if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return name[1] == '1' ? Tag::H1 : Tag::OtherHeading;
            return Tag::Other;
        case 3: return name == "col" ? Tag::Col : Tag::Other;
        case 5:
            if (name[0] != 't') return Tag::Other;
            return name == "table"   ? Tag::Table
                   : name == "thead" ? Tag::Thead
                   : name == "tbody" ? Tag::Tbody
                   : name == "tfoot" ? Tag::Tfoot
                   : name == "title" ? Tag::Title
                                     : Tag::Other;
        case 7: return name == "caption" ? Tag::Caption : Tag::Other;
        case 8: return name == "colgroup" ? Tag::Colgroup : Tag::Other;
        default: return Tag::Other;
    }
}

bool is_heading(Tag tag) { return tag == Tag::H1 || tag == Tag::OtherHeading; }

// Everything a piece of the page says, tags left out (a cell's text content).
std::string text_of(std::string_view piece, const PageText& page) {
    std::string out;
    html::Tokenizer tokens(piece.substr(0, kPieceBytes));
    for (;;) {
        const Token t = tokens.next();  // built where it is used: see ReportReader::read
        if (t.kind == TokenKind::End) break;
        if (is_text(t)) page.append_text(t, out);
    }
    return out;
}

// The lines of text in a cell: a link's text is one line, and <br>, <p> and other block
// elements end one. "<a>10.5281</a><br>CERN.ZENODO" and "<a>10.5281</a><p>CERN.ZENODO</p>"
// both read {"10.5281", "CERN.ZENODO"}. Only the first `wanted` lines are read: the rest of
// the cell cannot change them.
std::vector<std::string> lines_of(std::string_view piece, const PageText& page, std::size_t wanted) {
    constexpr std::size_t kMaxOpen = 64;
    std::vector<std::string> lines;
    std::string current;
    auto flush = [&] {
        std::string line = normalize_space(current);
        if (!line.empty()) lines.push_back(std::move(line));
        current.clear();
    };
    bool in_link = false;           // a link's text is one line, whatever it holds
    std::vector<std::string> open;  // the block elements open in the cell, so that a stray end tag ends none
    html::Tokenizer tokens(piece.substr(0, kPieceBytes));
    while (lines.size() < wanted) {
        const Token t = tokens.next();  // built where it is used: see ReportReader::read
        if (t.kind == TokenKind::End) break;
        if (is_text(t)) {
            page.append_text(t, current);
        } else if (t.kind == TokenKind::StartTag) {
            if (in_link) {
                if (t.name == "a") flush();  // a link in a link closes the first one
            } else if (!is_inline(t.name)) {
                flush();
                if (t.name == "a") {
                    in_link = true;
                } else if (!is_void(t.name) && open.size() < kMaxOpen) {
                    open.emplace_back(t.name);
                }
            }
        } else if (t.kind == TokenKind::EndTag) {
            if (in_link) {
                if (t.name == "a") {
                    flush();
                    in_link = false;
                }
            } else if (!is_inline(t.name)) {
                auto it = std::find(open.rbegin(), open.rend(), t.name);
                const bool closes = it != open.rend();
                if (closes) open.erase(std::prev(it.base()), open.end());
                // </br> is a <br>, and </p> without a <p> an empty paragraph.
                if (closes || t.name == "br" || t.name == "p") flush();
            }
        }
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

// A row as the tokens go by: where its first cells are in the page, and how many it has.
struct Row {
    struct Cell {
        std::size_t begin = 0, end = 0;  // the cell's content in the page
    };
    // Enough for the report's columns and a heading row's "Prefix" wherever it is.
    static constexpr std::size_t kKept = 32;
    std::array<Cell, kKept> cells{};
    std::size_t count = 0;     // every cell, kept or not
    bool all_headings = true;  // every cell is a <th>
    bool in_head = false, in_foot = false;

    std::string_view cell(std::string_view page, std::size_t i) const {
        return page.substr(cells[i].begin, cells[i].end - cells[i].begin);
    }
};

// One table while the page is read: a table nested in a cell of another is a table of its
// own on a stack, as in the HTML tree.
struct OpenTable {
    enum class Section { Body, Head, Foot };
    enum class Kind { Undecided, Report, Other };  // by its heading row
    bool id_rep = false;  // id="rep", the real report's: the likeliest candidate for errors
    Section section = Section::Body;
    Kind kind = Kind::Undecided;
    bool in_row = false;
    Row row;
    bool in_cell = false;
    bool cell_is_heading = false;
    std::size_t cell_begin = 0;
};

// Reads the report in one pass over the page's tokens, keeping a stack of the open tables
// (with the open row's first cells as offsets into the page) instead of gumbo's tree: the
// tree cost 60 times the page in memory and time that grows with the square of the
// nesting depth (100,000 unclosed <div> took 56 s, on the event loop every source shares).
// The HTML rules that shape a table are followed: a <td>, <tr> or section tag ends the open
// cell or row, </td> ends only a <td>, a table in a cell nests and one elsewhere in a table
// ends it, <tfoot> rows are no data. Text is read only from the cells kept, each up to
// kPieceBytes. On the real June 2018 page every row reads as the tree read it
// (testdata/report_2018-06.rows.tsv).
class ReportReader {
public:
    ReportReader(std::string_view page, const std::vector<std::string>& prefixes, Charset charset,
                 const ReadBudget& budget)
        : page_(page), text_(charset), budget_(budget), wanted_(prefixes.begin(), prefixes.end()) {}

    Report read(const std::vector<std::string>& prefixes) {
        const auto started = std::chrono::steady_clock::now();
        html::Tokenizer tokens(page_);
        std::size_t n = 0;
        // The token is made in place each turn, not assigned to a variable of the loop: a
        // copy of the 48 bytes just written by next() stalled on store forwarding.
        for (;;) {
            const Token t = tokens.next();
            if (t.kind == TokenKind::End || done()) break;
            if (++n % 4096 == 0) check_budget(started, tokens.offset());
            on_token(t);
        }
        while (!tables_.empty()) close_table(page_.size());
        if (!report_found_) {
            if (!any_table_) throw ReportFormatError("no report table on the page (no <table> element)");
            throw ReportFormatError("the report table's columns are not the expected ones: " + candidate_problem_);
        }
        return result(prefixes);
    }

private:
    static constexpr std::size_t kMaxTables = 100;  // nesting kept track of; deeper tables are cell content

    // Nothing later on the page can change the result.
    bool done() const { return report_closed_ && title_seen_ && (title_month_ || h1_done_); }

    void check_budget(std::chrono::steady_clock::time_point started, std::size_t at) const {
        if (budget_.stop && budget_.stop()) {
            throw ReportFormatError("reading stopped at byte " + std::to_string(at) + " of " +
                                    std::to_string(page_.size()) + ": kpi is shutting down");
        }
        if (std::chrono::steady_clock::now() - started > budget_.time) {
            throw ReportFormatError(
                "gave up reading at byte " + std::to_string(at) + " of " + std::to_string(page_.size()) +
                " after " +
                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(budget_.time).count()) +
                " ms: no report takes that long");
        }
    }

    void on_token(const Token& t) {
        const bool is_tag = t.kind == TokenKind::StartTag || t.kind == TokenKind::EndTag;
        const Tag tag = is_tag ? tag_of(t.name) : Tag::Other;
        // Most tokens are a cell's content (links, list items, their text): nothing to do.
        if (tag == Tag::Other && !expect_title_ && !in_h1_) return;
        watch_month(t, tag);
        if (t.kind == TokenKind::StartTag) {
            on_start(t, tag);
        } else if (t.kind == TokenKind::EndTag) {
            on_end(t, tag);
        }
    }

    // The page's first <title> and first <h1>, for the report's month.
    void watch_month(const Token& t, Tag tag) {
        if (expect_title_) {
            expect_title_ = false;
            if (t.kind == TokenKind::RcData) title_month_ = month_in_text(normalize_space(text_.text(t)));
        }
        if (t.kind == TokenKind::StartTag && tag == Tag::Title && !title_seen_) {
            title_seen_ = true;
            expect_title_ = true;
        }
        if (in_h1_) {
            // A heading ends at its end tag or at another heading's start.
            if (is_heading(tag)) {
                in_h1_ = false;
                h1_done_ = true;
            } else if (is_text(t) && h1_text_.size() < kPieceBytes) {
                text_.append_text(t, h1_text_);
            }
        }
        if (t.kind == TokenKind::StartTag && tag == Tag::H1 && !h1_seen_) {
            h1_seen_ = true;
            in_h1_ = true;
        }
    }

    void on_start(const Token& t, Tag tag) {
        if (tag == Tag::Table) {
            if (ignored_depth_ > 0 || tables_.size() >= kMaxTables) {
                ++ignored_depth_;
                return;
            }
            // <table> in a table's cell nests; anywhere else in a table it ends that table.
            if (!tables_.empty() && !tables_.back().in_cell) close_table(t.begin);
            any_table_ = true;
            OpenTable table;
            auto id = html::decoded_attribute(t.raw, "id");
            table.id_rep = id && *id == "rep";
            tables_.push_back(table);
            return;
        }
        if (tables_.empty() || ignored_depth_ > 0) return;
        OpenTable& table = tables_.back();
        const std::size_t at = t.begin;
        switch (tag) {
            case Tag::Td:
            case Tag::Th:
                close_cell(table, at);
                if (!table.in_row) open_row(table);
                table.in_cell = true;
                table.cell_is_heading = tag == Tag::Th;
                table.cell_begin = at + t.raw.size();
                break;
            case Tag::Tr:
                close_row(table, at);
                open_row(table);
                break;
            case Tag::Thead:
            case Tag::Tbody:
            case Tag::Tfoot:
                close_row(table, at);
                table.section = section_of(tag);
                break;
            case Tag::Caption:
            case Tag::Colgroup:
            case Tag::Col: close_row(table, at); break;
            default: break;
        }
    }

    void on_end(const Token& t, Tag tag) {
        if (tag == Tag::Table) {
            if (ignored_depth_ > 0) {
                --ignored_depth_;
            } else if (!tables_.empty()) {
                close_table(t.begin);
            }
            return;
        }
        if (tables_.empty() || ignored_depth_ > 0) return;
        OpenTable& table = tables_.back();
        const std::size_t at = t.begin;
        switch (tag) {
            case Tag::Td:
            case Tag::Th:
                // </td> ends a <td> cell, not a <th> one.
                if (table.in_cell && table.cell_is_heading == (tag == Tag::Th)) close_cell(table, at);
                break;
            case Tag::Tr: close_row(table, at); break;
            case Tag::Thead:
            case Tag::Tbody:
            case Tag::Tfoot:
                // Ends the section it names, and nothing when another one is open.
                if (section_of(tag) != table.section) return;
                close_row(table, at);
                table.section = OpenTable::Section::Body;
                break;
            default: break;
        }
    }

    static OpenTable::Section section_of(Tag tag) {
        return tag == Tag::Thead   ? OpenTable::Section::Head
               : tag == Tag::Tfoot ? OpenTable::Section::Foot
                                   : OpenTable::Section::Body;
    }

    static void open_row(OpenTable& table) {
        table.in_row = true;
        table.row.count = 0;  // the cells are written before they are counted: no need to clear them
        table.row.all_headings = true;
        table.row.in_head = table.section == OpenTable::Section::Head;
        table.row.in_foot = table.section == OpenTable::Section::Foot;
    }

    static void close_cell(OpenTable& table, std::size_t at) {
        if (!table.in_cell) return;
        table.in_cell = false;
        Row& row = table.row;
        if (row.count < Row::kKept) row.cells[row.count] = Row::Cell{table.cell_begin, at};
        ++row.count;
        row.all_headings = row.all_headings && table.cell_is_heading;
    }

    void close_row(OpenTable& table, std::size_t at) {
        close_cell(table, at);
        if (!table.in_row) return;
        table.in_row = false;
        take_row(table, table.row);
    }

    void close_table(std::size_t at) {
        OpenTable& table = tables_.back();
        close_row(table, at);
        if (table.kind == OpenTable::Kind::Undecided) decide(table, nullptr);
        if (table.kind == OpenTable::Kind::Report) report_closed_ = true;
        tables_.pop_back();
    }

    // A finished row: the table's heading, or a row of the report, or of no interest.
    void take_row(OpenTable& table, const Row& row) {
        if (row.in_foot) return;  // the report's "Total" line
        if (table.kind == OpenTable::Kind::Undecided) {
            if (row.count > 0 || row.in_head) decide(table, &row);
            return;
        }
        if (table.kind == OpenTable::Kind::Report && !row.in_head) read_row(row);
    }

    // Whether the table whose heading row is `header` (none: an empty table) is the report.
    void decide(OpenTable& table, const Row* header) {
        std::vector<std::string> headings;
        const std::size_t columns = header ? header->count : 0;
        for (std::size_t i = 0; header && i < std::min(columns, Row::kKept); ++i) {
            headings.push_back(normalize_space(text_of(header->cell(page_, i), text_)));
        }
        std::optional<std::string> problem;
        for (std::size_t i = 0; i < kColumns.size() && !problem; ++i) {
            if (i >= columns) {
                problem = "it has " + std::to_string(columns) + " columns, expected at least " +
                          std::to_string(kColumns.size()) + " (" + column_list() + ")";
            } else if (ascii_lower(headings[i]) != ascii_lower(kColumns[i])) {
                problem = "column " + std::to_string(i + 1) + " is \"" + headings[i] + "\", expected \"" +
                          std::string(kColumns[i]) + "\"";
            }
        }
        if (!problem && !report_found_) {
            table.kind = OpenTable::Kind::Report;
            report_found_ = true;
            return;
        }
        table.kind = OpenTable::Kind::Other;
        if (!problem) return;
        // The likeliest candidate: id="rep", else a table with a "Prefix" column, else the first.
        int rank = 0;
        if (table.id_rep) {
            rank = 2;
        } else if (std::any_of(headings.begin(), headings.end(),
                               [](const std::string& h) { return ascii_lower(h) == "prefix"; })) {
            rank = 1;
        }
        if (rank > candidate_rank_) {
            candidate_rank_ = rank;
            candidate_problem_ = *problem;
        }
    }

    // A row of the report: only its prefix cell is read, and its counts only when it is
    // one of the prefixes asked for.
    void read_row(const Row& cells) {
        if (cells.count < 2) return;
        auto lines = lines_of(cells.cell(page_, 1), text_, 2);  // the prefix, and the client under it
        if (lines.empty()) return;
        auto it = wanted_.find(lines[0]);
        if (it == wanted_.end() || found_.contains(*it) || bad_.contains(*it)) return;
        PrefixRow row;
        row.prefix = lines[0];
        if (lines.size() > 1) row.client = lines[1];
        if (auto problem = read_counts(cells, row)) {
            malformed_.push_back("prefix " + row.prefix + ": " + *problem);
            bad_.insert(*it);
            return;
        }
        found_.emplace(*it, std::move(row));
    }

    // The row's counts, or why they cannot be read.
    std::optional<std::string> read_counts(const Row& cells, PrefixRow& row) const {
        if (cells.count < kColumns.size()) {
            return "its row has " + std::to_string(cells.count) + " cells, expected at least " +
                   std::to_string(kColumns.size());
        }
        std::array<std::int64_t*, 6> targets{&row.attempted, &row.successful,        &row.failed,
                                             &row.unique,    &row.unique_successful, &row.unique_failed};
        for (std::size_t i = 0; i < targets.size(); ++i) {
            std::size_t column = kFirstCount + i;
            std::string text = normalize_space(text_of(cells.cell(page_, column), text_));
            auto value = count(text);
            if (!value) {
                return "column \"" + std::string(kColumns[column]) + "\" reads \"" + text + "\", not a count";
            }
            *targets[i] = *value;
        }
        return std::nullopt;
    }

    Report result(const std::vector<std::string>& prefixes) {
        Report report;
        report.month = title_month_;
        if (!report.month && h1_seen_) report.month = month_in_text(normalize_space(h1_text_));
        report.malformed = std::move(malformed_);
        std::unordered_set<std::string_view> reported;
        for (const auto& prefix : prefixes) {
            if (!reported.insert(prefix).second) continue;  // asked for twice
            if (auto it = found_.find(prefix); it != found_.end()) {
                report.rows.push_back(it->second);
            } else if (!bad_.contains(prefix)) {
                report.missing.push_back(prefix);
            }
        }
        return report;
    }

    std::string_view page_;
    PageText text_;
    const ReadBudget& budget_;
    std::unordered_set<std::string_view> wanted_;

    std::vector<OpenTable> tables_;
    std::size_t ignored_depth_ = 0;
    bool any_table_ = false;
    bool report_found_ = false;
    bool report_closed_ = false;
    int candidate_rank_ = -1;
    std::string candidate_problem_;

    std::unordered_map<std::string_view, PrefixRow> found_;
    std::unordered_set<std::string_view> bad_;
    std::vector<std::string> malformed_;

    bool title_seen_ = false, expect_title_ = false;
    std::optional<YearMonth> title_month_;
    bool h1_seen_ = false, in_h1_ = false, h1_done_ = false;
    std::string h1_text_;
};

}  // namespace

// ---------------------------------------------------------------------------------------

std::string to_string(YearMonth month) {
    std::string name(kMonthNames.at(month.month - 1));
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
    return name + " " + std::to_string(month.year);
}

std::optional<Timestamp> first_instant(YearMonth month) {
    std::chrono::year_month_day day{std::chrono::year(month.year), std::chrono::month(month.month),
                                    std::chrono::day(1)};
    return checked_timestamp(std::chrono::sys_days(day));
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

Charset page_charset(std::string_view content_type, std::string_view body) {
    auto charset_in = [](std::string_view text) -> std::optional<std::string> {
        std::string low = ascii_lower(text);
        auto at = low.find("charset=");
        if (at == std::string::npos) return std::nullopt;
        std::string_view value = std::string_view(low).substr(at + 8);
        while (!value.empty() && (value.front() == '"' || value.front() == '\'')) value.remove_prefix(1);
        auto end = value.find_first_of("\"'; \t\r\n>/");
        return std::string(value.substr(0, end));
    };
    auto charset = charset_in(content_type);
    if (!charset) charset = charset_in(body.substr(0, 1024));  // where HTML puts its <meta>
    return charset && (*charset == "utf-8" || *charset == "utf8") ? Charset::Utf8 : Charset::Windows1252;
}

std::string page_as_utf8(std::string_view content_type, std::string_view body) {
    return PageText(page_charset(content_type, body)).utf8(body);
}

std::vector<ReportLink> find_report_links(std::string_view index_html, std::string_view index_url) {
    const PageText page(Charset::Utf8);
    std::string base(index_url);
    bool base_seen = false;
    std::vector<ReportLink> links;
    // The open link: its address and text so far. A link ends at </a>, at the next <a>
    // (HTML closes the first) or at the end of the page.
    std::optional<std::string> href;
    std::string text;
    auto finish_link = [&] {
        if (!href) return;
        std::string_view address = trim(*href);
        if (!address.empty()) {
            auto month = month_in_text(normalize_space(text));
            if (!month) month = month_in_href(address);
            if (month) links.push_back({std::string(address), {}, *month});
        }
        href.reset();
        text.clear();
    };
    html::Tokenizer tokens(index_html);
    for (;;) {
        const Token t = tokens.next();  // built where it is used: see ReportReader::read
        if (t.kind == TokenKind::End) break;
        if (t.kind == TokenKind::StartTag && t.name == "a") {
            finish_link();
            href = html::decoded_attribute(t.raw, "href").value_or("");
        } else if (t.kind == TokenKind::EndTag && t.name == "a") {
            finish_link();
        } else if (href && is_text(t) && text.size() < kPieceBytes) {
            page.append_text(t, text);
        } else if (t.kind == TokenKind::StartTag && t.name == "base" && !base_seen) {
            // The first <base> rebases the links; one without an address does not.
            base_seen = true;
            const std::string href_value = html::decoded_attribute(t.raw, "href").value_or("");
            std::string_view address = trim(href_value);
            if (!address.empty()) base = resolve_reference(index_url, address);
        }
    }
    finish_link();
    // Resolved once the page is read: a <base> applies to the links before it too.
    for (auto& link : links) link.url = without_fragment(resolve_reference(base, link.href));
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

Report parse_report(std::string_view report_html, const std::vector<std::string>& prefixes, Charset charset,
                    const ReadBudget& budget) {
    return ReportReader(report_html, prefixes, charset, budget).read(prefixes);
}

}  // namespace kpi::datacite
