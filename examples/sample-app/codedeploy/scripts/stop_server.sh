#!/bin/bash
# ApplicationStop: stops the service the previous revision started, if it still runs.
set -euo pipefail
. "$(dirname "$0")/common.sh"

if [ -f "$PID_FILE" ]; then
  pid=$(cat "$PID_FILE")
  if running "$pid"; then
    echo "Stopping sample-app (pid $pid)"
    stop_pid "$pid"
  fi
  rm -f "$PID_FILE"
else
  echo "sample-app is not running"
fi
