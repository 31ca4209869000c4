#!/usr/bin/env bash
# Benchmark: NDJSON to InfluxDB line protocol (kpi publish stdout --format influx).
# Target (README): 200 MB/s or more.
#   bench/ndjson_throughput.sh [POINTS]
set -euo pipefail
cd "$(dirname "$0")/.."
points=${1:-500000}
file=$(mktemp)
trap 'rm -f "$file"' EXIT
python3 - "$points" > "$file" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"measurement": "uptime",
                      "tags": {"service": "zenodo", "monitor": "Website %d" % (i % 50), "monitor_id": str(7000 + i % 50)},
                      "fields": {"uptime_ratio_1d": 0.9996, "response_time_seconds": 0.624861, "up": 1, "status": 2},
                      "time": "2026-11-28T14:11:00Z"}, separators=(",", ":")))
PY
bytes=$(stat -c %s "$file")
for format in influx ndjson; do
  best=999
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    build/kpi publish --input "$file" stdout --format "$format" > /dev/null
    end=$(date +%s.%N)
    best=$(awk "BEGIN{t = $end - $start; print (t < $best) ? t : $best}")
  done
  echo "ndjson -> $format: $bytes bytes in ${best}s: $(awk "BEGIN{printf \"%d\", $bytes / $best / 1000000}") MB/s (best of 3)"
done
