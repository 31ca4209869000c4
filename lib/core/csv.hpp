#pragma once
// Comma-separated values as RFC 4180 writes them: fields separated by commas, records by
// CRLF (LF alone is accepted too), fields that hold commas, quotes or line breaks quoted
// with doubled quotes inside. Text must be UTF-8 (a leading byte-order mark is dropped).
// Errors name the line, so that a hand-edited file can be fixed where it is wrong.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kpi {

struct CsvRecord {
    std::size_t line = 0;  // the line the record starts on (1-based)
    std::vector<std::string> fields;
};

class CsvError : public std::runtime_error {
public:
    CsvError(std::size_t line, const std::string& reason)
        : std::runtime_error("line " + std::to_string(line) + ": " + reason), line_(line), reason_(reason) {}
    std::size_t line() const { return line_; }
    const std::string& reason() const { return reason_; }

private:
    std::size_t line_;
    std::string reason_;
};

// Every record of `text`. Blank lines are skipped (an empty field alone on a line is no
// record anyone meant). Throws CsvError for a quote inside an unquoted field, text after
// a closing quote, a quoted field never closed, or bytes that are not UTF-8.
std::vector<CsvRecord> parse_csv(std::string_view text);

// A CSV file with a header line: every row must have as many fields as the header.
struct CsvTable {
    std::vector<std::string> header;
    std::vector<CsvRecord> rows;

    // The index of the column named `name` in the header, if any.
    std::optional<std::size_t> column(std::string_view name) const;
};

// The first record is the header. Throws CsvError (empty text, a row with the wrong number
// of fields, a header naming a column twice).
CsvTable parse_csv_table(std::string_view text);

}  // namespace kpi
