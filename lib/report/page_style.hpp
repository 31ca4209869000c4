#pragma once
// The page's stylesheet, inline in <style>: screen and print.

namespace kpi::report {

extern const char* const kPageStyle;

}  // namespace kpi::report
