#!/usr/bin/env bash
# Benchmark: start-up time of `kpi version` (target: under 5 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
start=$(date +%s%N)
for _ in $(seq 1 "$runs"); do build/kpi version > /dev/null; done
end=$(date +%s%N)
echo "startup: $(( (end - start) / runs / 1000 )) us per run (mean of $runs)"
