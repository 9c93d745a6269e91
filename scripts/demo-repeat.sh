#!/usr/bin/env bash
# Runs `npm run demo` several times in a row, optionally with CPUs kept busy, and tabulates how
# each run ended: the check that the demo itself is not flaky (CONTRIBUTING, "The demo").
#
#   scripts/demo-repeat.sh [runs=10] [busy-cpus=1]
#
# Each busy CPU is a shell loop with nothing to do, bounded by `timeout` (the runs' worst case
# plus a margin) and killed when the runs end. Logs stay in the folder printed at the end.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
runs=${1:-10}
busy=${2:-1}
[[ $runs =~ ^[1-9][0-9]?$ ]] || { echo "runs must be 1-99, not '$runs'" >&2; exit 2; }
[[ $busy =~ ^[0-9]$ ]] || { echo "busy-cpus must be 0-9, not '$busy'" >&2; exit 2; }

logs=$(mktemp -d "${TMPDIR:-/tmp}/demo-repeat-XXXXXX")
pids=()
stop_busy() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_busy EXIT
# A demo run takes about a minute; 10 minutes each is far beyond any run that still ends.
for ((i = 0; i < busy; i++)); do
  timeout $((runs * 600)) sh -c 'while :; do :; done' &
  pids+=($!)
done

printf 'run  exit  seconds  blue/green switch (v1 -> v2)\n'
failed=0
for ((n = 1; n <= runs; n++)); do
  start=$SECONDS
  code=0
  npm run --silent demo >"$logs/run-$n.log" 2>&1 || code=$?
  [ "$code" = 0 ] || failed=$((failed + 1))
  switch=$(grep -m1 -o 'requests through the load balancer: .*' "$logs/run-$n.log" | cut -c36- || true)
  printf '%3d  %4d  %7d  %s\n' "$n" "$code" $((SECONDS - start)) "${switch:-(no switch line)}"
  [ "$code" = 0 ] || grep -m1 'The demo did not go as expected' "$logs/run-$n.log" | sed 's/\x1b\[[0-9;]*m//g; s/^/           /' || true
done
printf '%d of %d runs passed with %d CPU(s) kept busy (nproc %s); logs in %s\n' \
  $((runs - failed)) "$runs" "$busy" "$(nproc)" "$logs"
[ "$failed" = 0 ]
