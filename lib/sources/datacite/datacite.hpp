#pragma once
// The `datacite` source: DOI resolutions per prefix from DataCite's monthly resolution
// report (--mode report), or DOI counts per prefix from the DataCite REST API (--mode api).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sources/source.hpp"

namespace kpi {

SourceInfo datacite_source();

namespace datacite {

// What one `/dois?prefix=P&page[size]=0` answer counts.
struct DoiCounts {
    std::int64_t total = 0;                   // meta.total
    std::optional<std::int64_t> findable;     // meta.states, where the answer has them
    std::optional<std::int64_t> registered;   // DataCite's "registered" state: resolvable, not findable
    std::optional<std::int64_t> draft;
};

// The answer is not the expected JSON; the message says what is wrong with it.
class AnswerError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads a /dois answer. Throws AnswerError when it is no JSON object, carries `errors`, or
// has no integer meta.total.
DoiCounts parse_dois_answer(std::string_view json);

// The titles (else details) of a JSON:API error answer, `{"errors":[{"title": ...}]}`,
// joined with "; ". Empty when the body is no such answer.
std::string api_error_message(std::string_view json);

}  // namespace datacite

}  // namespace kpi
