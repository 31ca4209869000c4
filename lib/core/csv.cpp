#include "core/csv.hpp"

#include <simdjson.h>

namespace kpi {
namespace {

// Reads records one field at a time, counting lines as it goes (a quoted field may span
// several).
class CsvParser {
public:
    explicit CsvParser(std::string_view text) : text_(text) {
        if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // byte-order mark
    }

    std::vector<CsvRecord> records() {
        std::vector<CsvRecord> out;
        while (pos_ < text_.size()) {
            CsvRecord record{.line = line_, .fields = {}};
            bool end_of_record = false;
            while (!end_of_record) {
                record.fields.push_back(field());
                end_of_record = !consume(',');
                if (end_of_record) end_line();
            }
            const bool blank = record.fields.size() == 1 && record.fields[0].empty() && !last_field_quoted_;
            if (!blank) out.push_back(std::move(record));
        }
        return out;
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    bool at_line_break() const { return !at_end() && (text_[pos_] == '\r' || text_[pos_] == '\n'); }

    bool consume(char c) {
        if (at_end() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }

    // CRLF, LF or a lone CR ends a line; the end of the text ends the last one.
    void end_line() {
        if (at_end()) return;
        if (consume('\r')) consume('\n');
        else consume('\n');
        ++line_;
    }

    std::string field() {
        const std::size_t start_line = line_;
        std::string value;
        last_field_quoted_ = consume('"');
        if (last_field_quoted_) {
            for (;;) {
                if (at_end()) throw CsvError(start_line, "a quoted field is never closed (a \" is missing)");
                const char c = text_[pos_++];
                if (c == '"') {
                    if (consume('"')) {
                        value.push_back('"');
                        continue;
                    }
                    break;
                }
                if (c == '\n' || (c == '\r' && (at_end() || text_[pos_] != '\n'))) ++line_;
                value.push_back(c);
            }
            if (!at_end() && text_[pos_] != ',' && !at_line_break()) {
                throw CsvError(line_, "text after the closing quote of a field (a quote inside a quoted field "
                                      "is written twice: \"\")");
            }
        } else {
            while (!at_end() && text_[pos_] != ',' && !at_line_break()) {
                if (text_[pos_] == '"') {
                    throw CsvError(line_, "a quote inside an unquoted field (quote the whole field and write "
                                          "the quote twice: \"a \"\"b\"\"\")");
                }
                value.push_back(text_[pos_++]);
            }
        }
        if (!simdjson::validate_utf8(value)) {
            throw CsvError(start_line, "the text is not UTF-8 (save the file as UTF-8)");
        }
        return value;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    bool last_field_quoted_ = false;
};

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text) { return CsvParser(text).records(); }

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return i;
    }
    return std::nullopt;
}

CsvTable parse_csv_table(std::string_view text) {
    auto records = parse_csv(text);
    if (records.empty()) throw CsvError(1, "the file is empty; the first line must name the columns");
    CsvTable table;
    table.header = std::move(records.front().fields);
    for (std::size_t i = 0; i < table.header.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (table.header[i] == table.header[j]) {
                throw CsvError(records.front().line, "the header names column \"" + table.header[i] + "\" twice");
            }
        }
    }
    for (std::size_t i = 1; i < records.size(); ++i) {
        auto& record = records[i];
        if (record.fields.size() != table.header.size()) {
            throw CsvError(record.line, std::to_string(record.fields.size()) + " fields where the header has " +
                                            std::to_string(table.header.size()) +
                                            " (a field holding a comma must be quoted)");
        }
        table.rows.push_back(std::move(record));
    }
    return table;
}

}  // namespace kpi
