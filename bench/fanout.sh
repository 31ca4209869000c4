#!/usr/bin/env bash
# Benchmark: run-all over N sources whose upstream answers after DELAY seconds.
# Target (README): 1,000 sources at 200 ms in under 2 s on a 2-core machine.
#   bench/fanout.sh [N] [DELAY]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000} delay=${2:-0.2}
port=$(scripts/free-port)
python3 bench/fake_slow_upstream.py "$port" "$delay" &
server=$!
trap 'kill $server' EXIT
scripts/wait-for-port "$port" 10
dir=$(mktemp -d)
{
  printf '[http]\nmax_connections = %d\nper_host = %d\n\n' "$n" "$n"
  for i in $(seq 1 "$n"); do
    printf '[[sources]]\ntype = "records"\nname = "s%d"\nurl = "http://127.0.0.1:%d/api/records/%d"\n\n' "$i" "$port" "$i"
  done
} > "$dir/kpi.toml"
start=$(date +%s.%N)
build/kpi run-all -c "$dir/kpi.toml" > "$dir/out.ndjson"
end=$(date +%s.%N)
points=$(grep -c '"measurement":"records"' "$dir/out.ndjson")
echo "fanout: $n sources at ${delay}s each: $(awk "BEGIN{print $end - $start}") s wall, $points record points"
rm -rf "$dir"
