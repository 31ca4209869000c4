#include "report/page_style.hpp"

namespace kpi::report {

// System fonts only (nothing to download); tabular figures so numbers line up; print
// keeps figures and table rows whole and repeats the table header on each page.
const char* const kPageStyle = R"css(
:root { color-scheme: light; }
body { font: 15px/1.45 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #222;
       background: #fff; margin: 0 auto; max-width: 1000px; padding: 16px 24px 48px; }
h1 { font-size: 1.7em; margin: 0.3em 0 0.1em; }
h2 { font-size: 1.35em; border-bottom: 2px solid #1f3a93; padding-bottom: 4px; margin-top: 1.8em; }
h3 { font-size: 1.1em; margin: 1.4em 0 0.4em; }
p.meta, figcaption, caption { color: #555; }
p.warning { border-left: 4px solid #b2182b; background: #fdf0ee; padding: 6px 10px; }
nav ul { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
a { color: #1f3a93; }
dl.totals { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 20px; }
dl.totals div { border: 1px solid #bbb; border-radius: 6px; padding: 8px 16px; min-width: 150px; }
dl.totals dt { color: #555; font-size: 0.85em; }
dl.totals dd { margin: 0; font-size: 1.6em; font-weight: bold; font-variant-numeric: tabular-nums; }
dl.totals dd small { font-size: 0.5em; font-weight: normal; color: #555; }
figure { margin: 18px 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 0.85em; margin-top: 4px; }
svg.chart { display: block; width: 100%; max-width: 960px; height: auto; border: 1px solid #e4e4e4; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 12px 0; }
caption { text-align: left; font-size: 0.9em; padding-bottom: 4px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
tbody th { font-weight: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f8f8f8; }
span.host { display: block; color: #666; font-size: 0.85em; overflow-wrap: anywhere; }
td.status-down { font-weight: bold; }
td.status-unknown { font-style: italic; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  svg.chart { border: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tbody tr:nth-child(even) { background: none; }
}
@page { margin: 14mm; }
)css";

}  // namespace kpi::report
