#!/usr/bin/env bash
# Benchmark: `kpi collect invenio` over N fake sites (one host each) answering after DELAY
# seconds, one of them hung, with --timeout TIMEOUT. Every site runs at once and each request
# is one attempt, so the pass should take about max(TIMEOUT, 2-3 x DELAY), not N x anything.
#   bench/invenio_survey.sh [N] [DELAY] [TIMEOUT]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-90} delay=${2:-0.2} timeout=${3:-2s}
dir=$(mktemp -d)
python3 bench/fake_invenio_sites.py "$n" "$delay" "$dir/sites.csv" &
server=$!
trap 'kill $server; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do [[ -e "$dir/sites.csv" ]] && break; sleep 0.1; done
start=$(date +%s.%N)
build/kpi -q --timeout "$timeout" collect invenio --instances "$dir/sites.csv" > "$dir/out.ndjson"
end=$(date +%s.%N)
up=$(grep -c '"up":1' "$dir/out.ndjson" || true)
counted=$(grep -c '"records":' "$dir/out.ndjson" || true)
echo "invenio survey: $n sites at ${delay}s, one hung, --timeout $timeout: $(awk "BEGIN{print $end - $start}") s wall, $up up, $counted counted"
