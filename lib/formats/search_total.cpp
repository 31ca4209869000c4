#include "formats/search_total.hpp"

namespace kpi {

std::optional<std::int64_t> read_hits_total(simdjson::dom::element root, std::string& why) {
    simdjson::dom::element total;
    if (root.at_pointer("/hits/total").get(total)) {
        why = "the answer has no hits.total (is this an Invenio search endpoint?)";
        return std::nullopt;
    }
    std::int64_t value = 0;
    if (!total.get(value)) {
        // A count below zero is no count at all: a broken or hostile answer, never a KPI.
        if (value < 0) {
            why = "hits.total is negative (" + std::to_string(value) + ")";
            return std::nullopt;
        }
        return value;
    }
    simdjson::dom::object object;
    if (!total.get(object)) {
        std::string_view relation = "eq";
        if (object["relation"].get(relation) == simdjson::NO_SUCH_FIELD) relation = "eq";
        if (object["value"].get(value)) {
            why = "hits.total.value is not an integer";
            return std::nullopt;
        }
        if (value < 0) {
            why = "hits.total.value is negative (" + std::to_string(value) + ")";
            return std::nullopt;
        }
        if (relation != "eq") {
            why = "hits.total is only a lower bound (relation \"" + std::string(relation) + "\", value " +
                  std::to_string(value) + "): the server caps its count (track_total_hits)";
            return std::nullopt;
        }
        return value;
    }
    why = "hits.total is neither an integer nor {\"value\", \"relation\"}";
    return std::nullopt;
}

}  // namespace kpi
