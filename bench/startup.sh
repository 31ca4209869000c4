#!/usr/bin/env bash
# Benchmark: start-up of the commands that need no network (target: under 5 ms), beside
# `jq --version` and `curl --version`. With hyperfine, RUNS runs of each (medians in
# bench/README.md come from its JSON export); without it, the mean of a loop of RUNS runs.
#   bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '{"measurement":"m","fields":{"x":1},"time":"2026-11-28T14:11:00Z"}\n' > "$dir/one.ndjson"
printf '[[sinks]]\ntype = "stdout"\n' > "$dir/kpi.toml"
commands=("build/kpi version" "build/kpi list" "build/kpi publish --input $dir/one.ndjson stdout"
          "build/kpi config check --config $dir/kpi.toml")
command -v jq >/dev/null && commands+=("jq --version")
command -v curl >/dev/null && commands+=("curl --version")
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 20 -r "$runs" --export-json "$dir/startup.json" "${commands[@]}" > /dev/null
  python3 - "$dir/startup.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["median"] * 1e3:7.2f} ms median wall, {(r["user"] + r["system"]) * 1e3:5.2f} ms CPU: {r["command"]}')
PY
else
  for command in "${commands[@]}"; do
    start=$(date +%s%N)
    for _ in $(seq 1 "$runs"); do $command > /dev/null 2>&1; done
    end=$(date +%s%N)
    echo "$(( (end - start) / runs / 1000 )) us per run (mean of $runs): $command"
  done
fi
