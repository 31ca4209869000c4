#!/usr/bin/env bash
# Measures what one run-all pass costs: peak resident memory and CPU time (user + system)
# of the kpi process, over N sources whose upstream answers after DELAY seconds. The
# Kubernetes CronJob's requests and limits (deploy/kubernetes/cronjob.yaml) come from this.
#   bench/resources.sh [N] [DELAY]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-24} delay=${2:-0.2}
port=$(scripts/free-port)
python3 bench/fake_slow_upstream.py "$port" "$delay" &
server=$!
dir=$(mktemp -d)
trap 'kill $server; rm -rf "$dir"' EXIT
scripts/wait-for-port "$port" 10
{
  printf '[http]\nmax_connections = %d\nper_host = %d\n\n' "$n" "$n"
  for i in $(seq 1 "$n"); do
    printf '[[sources]]\ntype = "records"\nname = "s%d"\nurl = "http://127.0.0.1:%d/api/records/%d"\nnew_since = "1d"\n\n' \
      "$i" "$port" "$i"
  done
  printf '[[sinks]]\ntype = "file"\npath = "%s/points.ndjson"\n' "$dir"
} > "$dir/kpi.toml"
python3 - "$dir" <<'PY'
import resource, subprocess, sys, time
d = sys.argv[1]
start = time.monotonic()
subprocess.run(["build/kpi", "run-all", "--no-progress", "-c", f"{d}/kpi.toml", "--spool-dir", f"{d}/spool"],
               check=True)
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"resources: {sum(1 for _ in open(f'{d}/kpi.toml') if _.startswith('[[sources]]'))} sources: "
      f"peak RSS {ru.ru_maxrss / 1024:.1f} MiB, CPU {ru.ru_utime + ru.ru_stime:.3f} s "
      f"(user {ru.ru_utime:.3f}, system {ru.ru_stime:.3f}), wall {wall:.2f} s")
PY
