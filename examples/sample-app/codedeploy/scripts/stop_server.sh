#!/bin/bash
# ApplicationStop: stops the service the previous revision started, if it still runs.
set -euo pipefail
. "$(dirname "$0")/common.sh"

if [ -f "$PID_FILE" ]; then
  pid=$(cat "$PID_FILE")
  if running "$pid"; then
    echo "Stopping sample-app (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 50); do
      running "$pid" || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
else
  echo "sample-app is not running"
fi
