#!/usr/bin/env bash
# Benchmark: NDJSON to InfluxDB line protocol (kpi publish stdout --format influx), NDJSON
# out (kpi publish stdout), and `jq -c .` on the same file, interleaved. Target (issue 11):
# 400 MB/s. MB/s is of CPU time (user + sys), the steady figure on a shared machine; the
# medians of RUNS runs are printed with the page faults. Results: bench/README.md.
#   bench/ndjson_throughput.sh [POINTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
points=${1:-1000000} runs=${2:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
file=$dir/points.ndjson
python3 - "$points" > "$file" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"measurement": "uptime",
                      "tags": {"service": "zenodo", "monitor": "Website %d" % (i % 50), "monitor_id": str(7000 + i % 50)},
                      "fields": {"uptime_ratio_1d": 0.9996, "response_time_seconds": 0.624861, "up": 1, "status": 2},
                      "time": "2026-11-28T14:11:00Z"}, separators=(",", ":")))
PY
bytes=$(stat -c %s "$file")
names=(influx ndjson jq)
commands=("build/kpi publish --input $file stdout --format influx" "build/kpi publish --input $file stdout"
          "jq -c . $file")
command -v jq >/dev/null || names=(influx ndjson)
for _ in $(seq 1 "$runs"); do
  for i in "${!names[@]}"; do
    /usr/bin/time -a -o "$dir/${names[$i]}.times" -f "%e %U %S %R" ${commands[$i]} > /dev/null
  done
done
# The median of the numbers on standard input.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in "${names[@]}"; do
  t=$dir/$name.times
  cpu=$(awk '{ print $2 + $3 }' "$t" | median) wall=$(awk '{ print $1 }' "$t" | median)
  faults=$(awk '{ print $4 }' "$t" | median)
  awk -v name="$name" -v bytes="$bytes" -v cpu="$cpu" -v wall="$wall" -v faults="$faults" -v n="$runs" 'BEGIN {
    printf "%-7s %d bytes: %.2f s CPU (%d MB/s), %.2f s wall, %d page faults (medians of %d)\n",
           name, bytes, cpu, bytes / cpu / 1e6, wall, faults, n }'
done
